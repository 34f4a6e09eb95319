"""Distant-relative families with and without lineage markers: sensitivity and false positives.

    python benchmarks/lineage.py [--shared ../shared] [--n 150] [--unrelated 1] [--seed 1]

Three reference structures of a missing man MP: his paternal uncle (UN), two paternal
cousins (CO1, CO2: sons of UN), his maternal aunt (AUNT). For each: n simulated families
(autosomal genotypes by gene dropping from the bundled NIST 1036 table, 20 CODIS core loci,
stepwise mutation at the published rates; Y-STR haplotypes along paternal lines from the
Purps et al. 2014 Lebanon database with YHRD-rate mutation; mtDNA along maternal lines from
the Just et al. 2015 mitogenomes), the LR of MP's own profile (true pairs) and of an
unrelated man's (founders drawn the same way: false pairs). Reported: the fraction of true
pairs with LR >= 1e4 and 1e6 (sensitivity) and of false pairs (false positives; --unrelated
unrelated men per family), for
autosomal markers alone and combined with Y (counting and discrete Laplace) and mtDNA.
The Y and mtDNA databases are also those the unrelated men are drawn from (a best case for
the population model: in casework the database and the population differ).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from nasab.engine.frequencies import default_table
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.mtdna import mtdna_lr, read_mtdna_database
from nasab.engine.mutation import mutation_specs
from nasab.engine.pedigree import Pedigree
from nasab.engine.ystr import read_ystr_database, ystr_lr
from nasab.sim.lineage import drop_mtdna, drop_ystr
from nasab.sim.synth import drop_genes

CODIS20 = [
    "CSF1PO",
    "D1S1656",
    "D2S441",
    "D2S1338",
    "D3S1358",
    "D5S818",
    "D7S820",
    "D8S1179",
    "D10S1248",
    "D12S391",
    "D13S317",
    "D16S539",
    "D18S51",
    "D19S433",
    "D21S11",
    "D22S1045",
    "FGA",
    "TH01",
    "TPOX",
    "vWA",
]

PED = Pedigree.from_records(
    [
        ("GF", None, None, 1),
        ("GM", None, None, 2),
        ("FA", "GF", "GM", 1),
        ("UN", "GF", "GM", 1),
        ("AUW", None, None, 2),
        ("CO1", "UN", "AUW", 1),
        ("CO2", "UN", "AUW", 1),
        ("MGF", None, None, 1),
        ("MGM", None, None, 2),
        ("MO", "MGF", "MGM", 2),
        ("AUNT", "MGF", "MGM", 2),
        ("MP", "FA", "MO", 1),
    ]
)
STRUCTURES = {
    "paternal uncle": ["UN"],
    "2 paternal cousins": ["CO1", "CO2"],
    "maternal aunt": ["AUNT"],
}
LEVELS = (4, 6)


def run(shared: Path, n: int, seed: int, unrelated: int = 1) -> None:
    table = default_table()
    markers = [m for m in CODIS20 if m in table]
    muts = mutation_specs(markers)
    ydb = read_ystr_database(shared / "data/ystr/Purps2014_Lebanon_haplotypes.tsv")
    mtdb = read_mtdna_database(shared / "data/mtdna/Just2015_USA_mitogenomes.tsv")
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    print(
        f"{len(markers)} autosomal markers; Y: {ydb.describe()}; mtDNA: {mtdb.describe()}; "
        f"n = {n} families per structure, seed {seed}"
    )
    print(
        f"{'references':20} {'evidence':28} "
        + " ".join(f"{'sens 1e' + str(k):>10}" for k in LEVELS)
        + " "
        + " ".join(f"{'FP 1e' + str(k):>8}" for k in LEVELS)
    )
    xs = [f"X{i}" for i in range(unrelated)]
    ped = PED
    for x in xs:
        ped = ped.add_singleton(x, 1)
    for name, refs in STRUCTURES.items():
        true: dict[str, list[float]] = {}
        false: dict[str, list[float]] = {}
        for _ in range(n):
            genos = drop_genes(ped, table, markers, rng, muts)
            ys = drop_ystr(ped, ydb, rng)
            mts = drop_mtdna(ped, mtdb, rng)
            fam = Family(PED, markers, {r: genos[r] for r in refs})
            out = {}
            for who in ("MP", *xs):
                poi = Profile(who, genos[who], 1, markers)
                auto = missing_person_lr(fam, "MP", poi, table, muts).log10_lr
                yc = ystr_lr(
                    PED, "MP", {r: ys[r] for r in refs if r in ys}, ys[who], ydb, "counting"
                ).log10_lr
                yd = ystr_lr(
                    PED, "MP", {r: ys[r] for r in refs if r in ys}, ys[who], ydb, "dlaplace"
                ).log10_lr
                mt = mtdna_lr(PED, "MP", {r: mts[r] for r in refs}, mts[who], mtdb).log10_lr
                out[who] = {
                    "autosomal": auto,
                    "autosomal + Y (counting)": auto + yc,
                    "autosomal + Y (dlaplace)": auto + yd,
                    "autosomal + mtDNA": auto + mt,
                    "autosomal + Y (counting) + mtDNA": auto + yc + mt,
                }
            for ev in out["MP"]:
                true.setdefault(ev, []).append(out["MP"][ev])
                false.setdefault(ev, []).extend(out[x][ev] for x in xs)
        for ev in true:
            sens = [float(np.mean(np.array(true[ev]) >= k)) for k in LEVELS]
            fp = [float(np.mean(np.array(false[ev]) >= k)) for k in LEVELS]
            print(
                f"{name:20} {ev:28} "
                + " ".join(f"{s:10.3f}" for s in sens)
                + " "
                + " ".join(f"{f:8.3f}" for f in fp)
            )
    print(f"wall time {time.perf_counter() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--n", type=int, default=150, help="families per reference structure")
    ap.add_argument("--unrelated", type=int, default=1, help="unrelated men per family")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    run(args.shared, args.n, args.seed, args.unrelated)


if __name__ == "__main__":
    main()
