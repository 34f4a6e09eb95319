"""Dense SNP panels: speed, and linked vs unlinked LRs in a simulation study.

    .venv/bin/python benchmarks/snp.py [--panel ../shared/data/snp/FORCE_freqs.tsv]
                                       [--n 200] [--missing 0.05] [--error 0.005]

For each relationship of the missing man to one typed reference (first cousin, half
sibling, grandparent, uncle), POIs are (a) the missing man himself, (b) unrelated men,
(c) other relatives of the reference (a full sibling of the missing man, his father's
half sibling ...): the linked and the unlinked log10 LR, the share above 10^6 and 10^8.
Genotypes are dropped with recombination on the deCODE map (nasab.sim.snp), with
``--missing`` calls missing and ``--error`` genotyping errors. Also: the time of one LR for
a six-person family and of the IBD segments of a pair.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from nasab.engine.pedigree import Pedigree
from nasab.engine.snp import missing_person_snp_lr
from nasab.formats.snp import read_panel
from nasab.sim.snp import drop_snps, mask_calls
from nasab.snp.relate import RELATIONSHIPS, ibd_segments

U = None
# the family: grandparents GF/GM; their sons FA (the missing man's father) and UN; half
# brother HB of FA by GF and a second wife; MP, his full brother BR, cousin CO, nephew NE
FAMILY = Pedigree.from_records(
    [
        ("GF", U, U, 1),
        ("GM", U, U, 2),
        ("G2", U, U, 2),
        ("FA", "GF", "GM", 1),
        ("UN", "GF", "GM", 1),
        ("HB", "GF", "G2", 1),
        ("W1", U, U, 2),
        ("W2", U, U, 2),
        ("W3", U, U, 2),
        ("MP", "FA", "W1", 1),
        ("BR", "FA", "W1", 1),
        ("CO", "UN", "W2", 1),
        ("HS", "FA", "W3", 1),
    ]
)
REFERENCE = {"first cousin": "CO", "half sibling": "HS", "grandfather": "GF", "uncle": "UN"}
OTHERS = ("BR", "HB")  # other relatives who could be the remains


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--panel",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared/data/snp/FORCE_freqs.tsv",
        help="SNP panel file",
    )
    ap.add_argument("--n", type=int, default=200, help="simulated families per relationship")
    ap.add_argument("--missing", type=float, default=0.05, help="share of missing calls")
    ap.add_argument("--error", type=float, default=0.005, help="genotyping error rate")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    args = ap.parse_args()
    panel = read_panel(args.panel)
    rng = np.random.default_rng(args.seed)
    loner = Pedigree.from_records([("X", U, U, 1)])

    def calls(d):
        return mask_calls(d, args.missing, args.error, rng)

    g = drop_snps(FAMILY, panel, rng)
    refs = {"CO": calls(g["CO"]), "GF": calls(g["GF"]), "UN": calls(g["UN"])}
    missing_person_snp_lr(FAMILY, refs, "MP", calls(g["MP"]), panel)  # compile
    t = time.perf_counter()
    for _ in range(5):
        r = missing_person_snp_lr(
            FAMILY,
            refs,
            "MP",
            calls(g["MP"]),
            panel,
            error_references=args.error,
            error_poi=args.error,
        )
    print(
        f"one LR, family of {len(FAMILY.ancestors(['MP', *refs], inclusive=True))} persons "
        f"({r.meioses} meioses), {len(panel)} SNPs: {(time.perf_counter() - t) / 5:.3f} s"
    )
    pair = drop_snps(RELATIONSHIPS["first cousins"], panel, rng)
    ibd_segments(pair["A"], pair["B"], panel, RELATIONSHIPS["first cousins"])
    t = time.perf_counter()
    segs = ibd_segments(pair["A"], pair["B"], panel, RELATIONSHIPS["first cousins"])
    print(
        f"IBD segments of a first-cousin pair: {time.perf_counter() - t:.3f} s "
        f"({len(segs)} segments)"
    )
    print(
        f"\n{'reference':14s} {'POI':10s} {'n':>5s} {'median linked':>14s} "
        f"{'median unlinked':>16s} {'P(>=1e6) l/u':>14s} {'P(>=1e8) l/u':>14s}"
    )
    for label, ref in REFERENCE.items():
        rows: dict[str, list[tuple[float, float]]] = {"true": [], "unrelated": [], "relative": []}
        for _ in range(args.n):
            g = drop_snps(FAMILY, panel, rng)
            rr = {ref: calls(g[ref])}
            for kind, poi in (
                ("true", g["MP"]),
                ("unrelated", drop_snps(loner, panel, rng)["X"]),
                ("relative", g[OTHERS[rng.integers(2)]]),
            ):
                x = missing_person_snp_lr(
                    FAMILY,
                    rr,
                    "MP",
                    calls(poi),
                    panel,
                    error_references=args.error,
                    error_poi=args.error,
                )
                rows[kind].append((x.log10_lr, x.log10_lr_unlinked))
        for kind, vals in rows.items():
            a = np.array(vals)
            share = [f"{np.mean(a[:, i] >= k):.3f}" for k in (6, 8) for i in (0, 1)]
            print(
                f"{label:14s} {kind:10s} {len(a):5d} {np.median(a[:, 0]):14.2f} "
                f"{np.median(a[:, 1]):16.2f} {share[0]:>6s}/{share[1]:<7s} "
                f"{share[2]:>6s}/{share[3]:<7s}"
            )


if __name__ == "__main__":
    main()
