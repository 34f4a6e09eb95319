"""Timings of nasab's joint identification (``nasab joint``).

    python benchmarks/joint.py [--shared ../shared]

1. dvir's biggest examples (dvir 3.4.2's own times, from its answers, beside nasab's):
   grave (52,564 assignments), planecrash (19,081), icmp (9,847) and exclusionExample
   (4.0e13 assignments: dvir refuses, above its limit of 100,000).
2. A synthetic hard case beyond dvir's limit: 3 families, each with 4 missing brothers
   (mother typed; in family C the father too), and 15 remains (the 12 brothers and 3
   unrelated men): 2.1e12 sex-consistent assignments, answered exactly by
   reduction (exclusions, independent sub-problems, cached family terms).
3. Side by side with dvir 3.4.2 on its twelve example datasets (``--side-by-side``): nasab's
   conclusions alone (``nasab joint --answer conclusions``: no joint enumeration), its
   exact joint alone (``--answer joint``), each cold (first call in the process) and warm
   (the same call again: what a long-running service or the registry pays), wall and CPU
   seconds; dvir's ``dviSolve`` and ``dviJoint`` seconds as recorded in the oracle
   answers; and the whole ``nasab joint --answer conclusions --json`` process (start-up
   included) for the small datasets.
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
from nasab.joint.solve import DVISolve
from nasab.joint.terms import DVIProblem, read_dvi
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


def side_by_side(root: Path) -> None:
    """One line per dvir dataset: nasab conclusions and joint (cold, warm), dvir's times."""
    import subprocess
    import sys

    from nasab.joint.cli import analyse

    print(
        f"{'dataset':18s} {'concl cold':>10s} {'(cpu)':>7s} {'warm':>6s} {'joint cold':>10s} "
        f"{'(cpu)':>7s} {'warm':>6s} | {'dviSolve':>8s} {'dviJoint':>8s} | process"
    )
    for name in sorted(p.name for p in root.iterdir() if (p / "dvi.json").is_file()):
        folder = str(root / name)
        ans = json.loads((root / name / "answers.json").read_text())
        cw, cc = _clock(lambda f=folder: analyse(f, answer="conclusions"))
        cw2, _ = _clock(lambda f=folder: analyse(f, answer="conclusions"))
        jw, jc = _clock(lambda f=folder: analyse(f, answer="joint"))
        jw2, _ = _clock(lambda f=folder: analyse(f, answer="joint"))
        proc = ""
        if ans["seconds"]["dviSolve"] < 0.5:
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nasab.cli",
                    "joint",
                    "--dvi",
                    folder,
                    "--answer",
                    "conclusions",
                    "--json",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            proc = f"{time.perf_counter() - t0:.2f}"
        sec = ans["seconds"]
        print(
            f"{name:18s} {cw:10.2f} {cc:7.2f} {cw2:6.2f} {jw:10.2f} {jc:7.2f} {jw2:6.2f} | "
            f"{sec['dviSolve']:8.2f} {sec['dviJoint']:8.2f} | {proc}",
            flush=True,
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
    args = ap.parse_args()
    root = Path(args.shared) / "oracle" / "dvi"
    if args.side_by_side:
        side_by_side(root)
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
