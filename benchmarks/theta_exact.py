"""Exact theta (Balding-Nichols) LRs: time per marker and the scheme chosen, on the families of
a simulation and on a pedigree with 8 untyped founders.

    .venv/bin/python benchmarks/theta_exact.py --families 30 --mutation stepwise --theta 0.02

For each simulated family (``nasab simulate``: 24 markers, realistic pedigrees with cousin
loops) and its first missing person, ``nasab lr --theta`` against one remain, marker by
marker: the seconds, the number of unknown founder alleles (u) and the scheme
(dense / partitions / quadrature) of the H1 and H2 computations, and markers refused (beyond
every exact scheme). Then the 8-great-grandparent pedigree (16 founder alleles, 8 reaching
the data) under stepwise mutation on 40 alleles. Synthetic data only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

import nasab.engine.theta as T  # noqa: E402
from nasab.engine.errors import NasabError  # noqa: E402
from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies  # noqa: E402
from nasab.engine.genotypes import Family, Profile  # noqa: E402
from nasab.engine.lr import missing_person_lr  # noqa: E402
from nasab.engine.mutation import MutationSpec, mutation_specs  # noqa: E402
from nasab.engine.pedigree import Pedigree  # noqa: E402
from nasab.search import engine as E  # noqa: E402
from nasab.search.data import read_families, read_remains  # noqa: E402
from nasab.search.run import load_table  # noqa: E402
from nasab.sim.simulate import simulate  # noqa: E402

_used: list[tuple[str, int]] = []
_choose = T.choose_method


def _spy(net, k, beta):
    method = _choose(net, k, beta)
    _used.append((method, len(net.slots)))
    return method


T.choose_method = _spy


def simulated(n_families: int, mutation: str, theta: float, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        simulate(n_families, max(4, n_families), seed, out)
        fam = read_families(out / "families.tsv")
        rem, _, _ = read_remains(out / "remains.tsv")
    table = load_table(None)
    specs = mutation_specs(fam.markers, mutation)
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    per_marker: list[float] = []
    refused = 0
    schemes: Counter = Counter()
    worst = (0.0, "", "")
    for fd in fam.families:
        mp = fd.missing[0]
        poi = rem.profiles[0]
        for mk in fam.markers:
            _used.clear()
            t0 = time.perf_counter()
            try:
                missing_person_lr(fd.family, mp, poi, tabx, specs, [mk], theta=theta)
            except NasabError as e:
                refused += 1
                print(
                    f"  refused: {fd.family.name} ({len(fd.family.pedigree)} persons) {mk}: "
                    f"{str(e)[:150]}"
                )
                continue
            dt = time.perf_counter() - t0
            per_marker.append(dt)
            schemes.update(f"{m} u={u}" for m, u in _used)
            if dt > worst[0]:
                worst = (dt, fd.family.name, mk)
    q = np.quantile(per_marker, [0.5, 0.9, 0.99]) if per_marker else [0, 0, 0]
    print(
        f"{len(fam.families)} families x {len(fam.markers)} markers, {mutation}, "
        f"theta {theta}: median {q[0]:.3f} s, 90% {q[1]:.3f} s, 99% {q[2]:.3f} s, "
        f"max {worst[0]:.1f} s ({worst[1]} {worst[2]}), total {sum(per_marker):.1f} s, "
        f"mean per LR (24 markers) {statistics.fmean(per_marker) * len(fam.markers):.1f} s; "
        f"refused markers {refused}"
    )
    print("schemes:", ", ".join(f"{k}: {v}" for k, v in sorted(schemes.items())))


def eight_founders(theta: float) -> None:
    alleles = [str(i) for i in range(5, 45)]
    table = FrequencyTable(
        {"M": MarkerFrequencies("M", alleles, np.full(40, 1 / 40))},
        source="uniform",
        sha256="0" * 64,
    )
    rows = [(f"F{i}", None, None, 1 + i % 2) for i in range(8)]
    rows += [
        ("A", "F0", "F1", 1),
        ("B", "F2", "F3", 2),
        ("C2", "F4", "F5", 1),
        ("D", "F6", "F7", 2),
        ("X", "A", "B", 1),
        ("Y", "C2", "D", 2),
        ("C", "X", "Y", 1),
    ]
    fam = Family(
        Pedigree.from_records(rows), ["M"], {"X": {"M": ("10", "11")}, "Y": {"M": ("12", "13")}}
    )
    spec = MutationSpec("stepwise", 0.01, 0.01, 0.0, 0.0, 0.5, 0.5)
    _used.clear()
    t0 = time.perf_counter()
    r = missing_person_lr(fam, "C", Profile("POI", {"M": ("10", "12")}), table, spec, theta=theta)
    print(
        f"8 untyped great-grandparents, stepwise, 40 alleles, theta {theta}: LR "
        f"{r.lr:.6g} in {time.perf_counter() - t0:.2f} s ({_used})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--families", type=int, default=30)
    ap.add_argument("--mutation", default="stepwise")
    ap.add_argument("--theta", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    eight_founders(a.theta)
    simulated(a.families, a.mutation, a.theta, a.seed)


if __name__ == "__main__":
    main()
