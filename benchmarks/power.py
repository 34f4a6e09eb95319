"""Timings of ``nasab power``.

    python benchmarks/power.py [--shared ../shared] [--families 15000]

1. A typical family: 3 typed references (two siblings and the mother of the missing
   person), 24 markers of the Norwegian table: the full analysis (exact tables, 10,000
   simulations) and the "whom to sample next" ranking.
2. The programme view over many synthetic families (5 reference structures, genotypes
   simulated in bulk), batched through the engine; the time is printed and extrapolated
   to 150,000.
3. The family portal's sufficiency estimate (web/portal/sufficiency.py, which rests on
   nasab power): a cold estimate for one named uncle (the shape and four suggestions),
   then the same page again (cached per shape). Speed targets live here, not in tests.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from nasab.engine.frequencies import marker_key, read_frequencies
from nasab.engine.genotypes import Family
from nasab.engine.pedigree import Pedigree
from nasab.power.core import (
    PowerAnalysis,
    programme_chart,
    programme_summary,
    programme_view,
)
from nasab.sim.synth import drop_genes

STRUCTURES = {
    "1 sibling": ["S1"],
    "2 siblings": ["S1", "S2"],
    "mother + 2 siblings": ["MO", "S1", "S2"],
    "both parents": ["FA", "MO"],
    "mother": ["MO"],
}


def pedigree() -> Pedigree:
    return Pedigree.from_records(
        [
            ("FA", None, None, 1),
            ("MO", None, None, 2),
            ("MP", "FA", "MO", 1),
            ("S1", "FA", "MO", 1),
            ("S2", "FA", "MO", 2),
        ]
    )


def bulk_families(table, markers, n, rng):
    """n families, genotypes gene-dropped in bulk (vectorised over families)."""
    ped = pedigree()
    names = list(STRUCTURES)
    kinds = rng.integers(len(names), size=n)
    genos = [dict() for _ in range(n)]
    for mk in markers:
        mf = table[mk]
        p = np.asarray(mf.freqs) / np.sum(mf.freqs)
        al = np.asarray(mf.alleles)
        fa = rng.choice(len(p), size=(n, 2), p=p)
        mo = rng.choice(len(p), size=(n, 2), p=p)
        rows = np.arange(n)
        kids = {
            c: np.stack(
                [fa[rows, rng.integers(2, size=n)], mo[rows, rng.integers(2, size=n)]], axis=1
            )
            for c in ("S1", "S2")
        }
        people = {"FA": fa, "MO": mo, **kids}
        k = marker_key(mk)
        for i in range(n):
            d = genos[i]
            for pid in STRUCTURES[names[kinds[i]]]:
                a, b = people[pid][i]
                d.setdefault(pid, {})[k] = (str(al[a]), str(al[b]))
    return [(Family(ped, list(markers), genos[i], f"F{i}"), "MP") for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1] / ".." / "shared"))
    ap.add_argument("--families", type=int, default=1_000)
    ap.add_argument("--nsim", type=int, default=400)
    ap.add_argument("--chart", default="programme_power.png")
    ap.add_argument(
        "--no-donors",
        action="store_true",
        help="programme view without the best-extra-donor ranking",
    )
    args = ap.parse_args()
    table = read_frequencies(Path(args.shared) / "oracle" / "norwegian_freqs.txt")
    markers = table.names[:24]
    rng = np.random.default_rng(2026)
    ped = pedigree()
    sim = drop_genes(ped, table, markers, rng)
    fam = Family(ped, markers, {p: sim[p] for p in ("MO", "S1", "S2")}, "typical")
    t0 = time.perf_counter()
    pa = PowerAnalysis(fam, "MP", table, None, markers)
    p = pa.power(10_000)
    t1 = time.perf_counter()
    ranked = pa.whom_next(10_000, base=p)
    t2 = time.perf_counter()
    print(
        f"typical family (3 references x {len(markers)} markers, 10000 simulations): "
        f"power {t1 - t0:.2f} s, whom-to-sample-next {t2 - t1:.2f} s; "
        f"E[log10 LR] = {p.expected_log10_lr:.2f}, P(LR>=1e4) = {p.p_exceed[1e4]:.3f} "
        f"± {p.p_exceed_se[1e4]:.3f}, exclusion probability "
        f"{p.exclusion_probability:.6f}; best extra donor: {ranked[0].label} "
        f"(+{ranked[0].gain:.2f})"
    )
    t0 = time.perf_counter()
    fams = bulk_families(table, markers, args.families, rng)
    t1 = time.perf_counter()
    rows = programme_view(fams, table, markers=markers, n_sim=args.nsim, donors=not args.no_donors)
    t2 = time.perf_counter()
    programme_chart(rows, args.chart)
    s = programme_summary(rows)
    per = (t2 - t1) / args.families
    what = "without donors" if args.no_donors else "with donors"
    print(
        f"programme view ({what}): {args.families} families in {t2 - t1:.1f} s "
        f"({per * 1e3:.2f} ms/family; 150,000 families ~ {per * 150_000 / 60:.1f} min; "
        f"simulating the data took {t1 - t0:.1f} s); summary {s}; chart {args.chart}"
    )


def portal_estimate() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
    from portal import sufficiency

    t0 = time.perf_counter()
    a = sufficiency.assess(["uncle_aunt"])
    t1 = time.perf_counter()
    sufficiency.assess(["uncle_aunt"])
    t2 = time.perf_counter()
    print(
        f"portal sufficiency estimate: cold {t1 - t0:.2f} s (power {a.power:.3f}, "
        f"{len(a.suggestions)} suggestions), cached {1e3 * (t2 - t1):.2f} ms"
    )


if __name__ == "__main__":
    portal_estimate()
    main()
