"""Timings of nasab's joint identification (``nasab joint``).

    python benchmarks/joint.py [--shared ../shared]

1. dvir's biggest examples (dvir 3.4.2's own times, from its answers, beside nasab's):
   grave (52,564 assignments), planecrash (19,081), icmp (9,847) and exclusionExample
   (4.0e13 assignments: dvir refuses, above its limit of 100,000).
2. A synthetic hard case beyond dvir's limit: 3 families, each with 4 missing brothers
   (mother typed; in family C the father too), and 15 remains (the 12 brothers and 3
   unrelated men): 2.1e12 sex-consistent assignments, answered exactly by
   reduction (exclusions, independent sub-problems, cached family terms).
3. Side by side with dvir 3.4.2 on its twelve example datasets (``--side-by-side
   [--reps N]``): nasab's conclusions alone (``nasab joint --answer conclusions``: no joint
   enumeration) in a fresh process after the imports (cold: as dviSolve is timed in a
   running R session) and the same call again (warm), the whole ``nasab joint`` process
   (start-up included), the exact joint (``--answer joint``, cold); each the minimum of
   N runs (the machine may be shared), wall and CPU seconds; dvir's ``dviSolve`` and
   ``dviJoint`` seconds as recorded in the oracle answers, and dviSolve's seconds
   measured beside nasab where known; then the twelve folders in one process.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.pedigree import Pedigree
from nasab.joint.assignments import JointSolver
from nasab.joint.problem import DVIProblem, read_dvi
from nasab.joint.solve import DVISolve
from nasab.sim.synth import drop_genes


def synthetic_hard(n_markers: int = 24, seed: int = 2026) -> DVIProblem:
    rng = np.random.default_rng(seed)
    markers = {}
    for i in range(n_markers):
        name = f"S{i + 1}"
        alleles = [str(a + 6) for a in range(10)]
        markers[marker_key(name)] = MarkerFrequencies(name, alleles, rng.dirichlet(np.ones(10) * 2))
    tab = FrequencyTable(markers, source="synthetic")
    names = [m.name for m in markers.values()]
    families, missing, victims = {}, {}, []
    k = 0
    for fam_name, typed in (("A", ["MO"]), ("B", ["MO"]), ("C", ["MO", "FA"])):
        recs = [("FA", None, None, 1), ("MO", None, None, 2)]
        recs += [(f"{fam_name}{j}", "FA", "MO", 1) for j in range(1, 5)]
        ped = Pedigree.from_records(recs)
        sim = drop_genes(ped, tab, names, rng)
        families[fam_name] = Family(ped, names, {p: sim[p] for p in typed}, fam_name)
        for j in range(1, 5):
            missing[f"{fam_name}{j}"] = fam_name
            k += 1
            victims.append(Profile(f"R{k}", sim[f"{fam_name}{j}"], 1, names))
    for _ in range(3):
        ped = Pedigree.from_records([("X", None, None, 1)])
        k += 1
        victims.append(Profile(f"R{k}", drop_genes(ped, tab, names, rng)["X"], 1, names))
    order = rng.permutation(len(victims))
    victims = [victims[i] for i in order]
    return DVIProblem(families, missing, victims, tab, {}, names, "synthetic")


def timed(problem: DVIProblem) -> dict:
    t0 = time.perf_counter()
    res = JointSolver(problem).solve(top=50)
    t1 = time.perf_counter()
    concl = DVISolve(problem).run()
    t2 = time.perf_counter()
    return {
        "joint_s": round(t1 - t0, 2),
        "conclusions_s": round(t2 - t1, 2),
        "n_assignments": res.n_assignments,
        "n_nonzero": res.n_nonzero,
        "components": len(res.components),
        "family_evaluations": res.terms.evaluations,
        "exact": res.exact,
        "top_log10LR": res.assignments[0].log10_lr,
        "top_posterior": res.assignments[0].posterior,
        "symmetric": [s.statement() for s in concl.symmetries],
    }


def _clock(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


# dviSolve's seconds measured on the development machine beside nasab (issue 14), where
# known; the oracle's answers.json holds dvir's own times (another, quieter machine).
DVISOLVE_HERE = {"grave": 3.6, "icmp": 8.8, "fire": 1.2, "planecrash": 0.66}

_ONE_CASE = """
import json, sys, time
from nasab.joint.cli import analyse
import nasab.joint.assignments, nasab.joint.solve, nasab.joint.terms  # the library loaded
out = {}
for key in ("cold", "warm"):
    w, c = time.perf_counter(), time.process_time()
    analyse(sys.argv[1], answer=sys.argv[2])
    out[key] = (time.perf_counter() - w, time.process_time() - c)
print(json.dumps(out))
"""


def _fresh(folder: str, answer: str) -> dict:
    """Wall and CPU seconds of the first call in a fresh process (the library imported:
    as dviSolve's times are taken in a running R session) and of the same call again."""
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-c", _ONE_CASE, folder, answer],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(res.stdout)


def _process(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (children's user + system) of a whole ``nasab`` process."""
    import os
    import subprocess
    import sys

    before = os.times()
    w = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nasab.cli", *args], check=True, stdout=subprocess.DEVNULL
    )
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return time.perf_counter() - w, cpu


def side_by_side(root: Path, reps: int = 3) -> None:
    """One line per dvir dataset: nasab's conclusions (``--answer conclusions``) in a fresh
    process after the imports (cold) and again (warm), the whole ``nasab joint`` process,
    and the exact joint; each the minimum over ``reps`` runs, wall and CPU seconds; beside
    dviSolve's seconds. Then all twelve folders in one process (``--dvi`` given several)."""
    names = sorted(p.name for p in root.iterdir() if (p / "dvi.json").is_file())
    print(
        f"{'dataset':17s} {'cold wall':>9s} {'cpu':>6s} {'warm wall':>9s} {'cpu':>6s} "
        f"{'process':>8s} {'cpu':>6s} {'joint':>6s} | {'dviSolve':>8s} {'here':>5s} "
        f"{'dviJoint':>8s}"
    )
    for name in names:
        folder = str(root / name)
        ans = json.loads((root / name / "answers.json").read_text())
        runs = [_fresh(folder, "conclusions") for _ in range(reps)]
        cold_w = min(r["cold"][0] for r in runs)
        cold_c = min(r["cold"][1] for r in runs)
        warm_w = min(r["warm"][0] for r in runs)
        warm_c = min(r["warm"][1] for r in runs)
        procs = [
            _process(["joint", "--dvi", folder, "--answer", "conclusions", "--json"])
            for _ in range(reps)
        ]
        joint_w = min(_fresh(folder, "joint")["cold"][0] for _ in range(max(1, reps - 1)))
        sec = ans["seconds"]
        here = DVISOLVE_HERE.get(name)
        print(
            f"{name:17s} {cold_w:9.3f} {cold_c:6.3f} {warm_w:9.3f} {warm_c:6.3f} "
            f"{min(p[0] for p in procs):8.2f} {min(p[1] for p in procs):6.2f} "
            f"{joint_w:6.2f} | {sec['dviSolve']:8.3f} {here if here else '-':>5} "
            f"{sec['dviJoint']:8.2f}",
            flush=True,
        )
    batch = [
        _process(
            ["joint", "--answer", "conclusions", "--json", "--dvi", *[str(root / n) for n in names]]
        )
        for _ in range(reps)
    ]
    print(
        f"all {len(names)} folders in one process (--dvi given {len(names)} folders): wall "
        f"{min(b[0] for b in batch):.2f} s, CPU {min(b[1] for b in batch):.2f} s; "
        f"dviSolve's total {sum(json.loads((root / n / 'answers.json').read_text())['seconds']['dviSolve'] for n in names):.2f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1] / ".." / "shared"))
    ap.add_argument("--skip-dvir", action="store_true")
    ap.add_argument(
        "--side-by-side",
        action="store_true",
        help="the twelve dvir datasets: conclusions and joint beside dvir's times",
    )
    ap.add_argument(
        "--reps",
        type=int,
        default=3,
        help="with --side-by-side: runs of each timing; the minimum is reported",
    )
    args = ap.parse_args()
    root = Path(args.shared) / "oracle" / "dvi"
    if args.side_by_side:
        side_by_side(root, args.reps)
        return
    if not args.skip_dvir and root.is_dir():
        for name in ("grave", "planecrash", "icmp", "exclusionExample"):
            ans = json.loads((root / name / "answers.json").read_text())
            r = timed(read_dvi(root / name))
            r["dvir_dviJoint_s"] = ans["seconds"]["dviJoint"]
            print(f"{name:18s} {json.dumps(r)}", flush=True)
    elif not args.skip_dvir:
        print(f"(dvir examples skipped: {root} not found)")
    p = synthetic_hard()
    r = timed(p)
    print(f"{'synthetic_hard':18s} {json.dumps(r)}", flush=True)


if __name__ == "__main__":
    main()
