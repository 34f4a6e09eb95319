"""Dense SNP panels, a simulation study: distant relatives, and the pairs STRs cannot tell
apart.

    PYTHONPATH=src .venv/bin/python benchmarks/snp_study.py \\
        [--panel ../shared/data/snp/FORCE_freqs.tsv ../shared/data/snp/XFORCE_freqs.tsv] \\
        [--n 100] [--n-unrelated 300] [--missing 0.05] [--error 0.005] [--seed 1] \\
        [--parts identify,pairs,xpairs]

Part ``identify``: the missing man against ONE typed reference — half brother, uncle,
first, second and third cousin (the last three on the paternal side), a maternal half
sister for the X — with the remains (a) the missing man himself, (b) unrelated men
(``--n-unrelated`` of them: the false-positive rate at 10^4/10^6/10^8 and its 95% upper
bound when none is seen). Linked (the model) and unlinked (every SNP on its own) LRs,
autosomal and X apart where the panel has X SNPs.

Part ``pairs``: a pair's relationship when the truth is half siblings, avuncular
(uncle-nephew) or grandparent-grandchild: these three have the same IBD coefficients
(kappa = 1/2, 1/2, 0), so STRs and unlinked SNPs give LR exactly 1 between them; only
linkage (the length of shared segments) separates them. For each truth: how often each
relationship has the highest linked likelihood, and the median log10 LR of the truth
against each alternative.

Part ``xpairs``: paternal or maternal half sisters (the same autosomal IBD coefficients):
how often the truth has the higher likelihood on X, on the autosomes (only the sex-specific
maps differ there) and on both, and the median log10 LR of the truth against the other.

Genotypes are dropped with recombination on the panel's map (``nasab.sim.snp``) with
``--missing`` calls missing and ``--error`` genotyping errors; the model uses the same
error rate. Timings (wall) are printed per part; they are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from nasab.engine.pedigree import FEMALE, MALE, Pedigree
from nasab.engine.snp import missing_person_snp_lr, pedigree_likelihood
from nasab.formats.snp import read_panels
from nasab.sim.snp import drop_snps, mask_calls
from nasab.snp.relate import RELATIONSHIPS

U = None
SHARED = Path(__file__).resolve().parents[2] / "shared/data/snp"


def cousins(degree: int) -> Pedigree:
    """MP and REF, cousins of the given degree through their fathers (1: first cousins,
    sharing grandparents GF/GM), each line's wives founders."""
    rows = [("GF", U, U, MALE), ("GM", U, U, FEMALE)]
    for side in ("a", "b"):
        parent = None
        for g in range(degree):
            pid = f"{side}{g}"
            rows += [(f"w{side}{g}", U, U, FEMALE)]
            rows += [
                (
                    pid,
                    "GF" if parent is None else parent,
                    "GM" if parent is None else f"w{side}{g - 1}",
                    MALE,
                )
            ]  # noqa: E501
            parent = pid
        rows += [("MP" if side == "a" else "REF", parent, f"w{side}{degree - 1}", MALE)]
    return Pedigree.from_records(rows)


def _ped(rows) -> Pedigree:
    return Pedigree.from_records(rows)


IDENTIFY: dict[str, Pedigree] = {
    "paternal half brother": _ped(
        [
            ("F", U, U, MALE),
            ("M1", U, U, FEMALE),
            ("M2", U, U, FEMALE),
            ("MP", "F", "M1", MALE),
            ("REF", "F", "M2", MALE),
        ]
    ),
    "maternal half sister": _ped(
        [
            ("F1", U, U, MALE),
            ("F2", U, U, MALE),
            ("M", U, U, FEMALE),
            ("MP", "F1", "M", MALE),
            ("REF", "F2", "M", FEMALE),
        ]
    ),
    "paternal uncle": _ped(
        [
            ("GF", U, U, MALE),
            ("GM", U, U, FEMALE),
            ("FA", "GF", "GM", MALE),
            ("REF", "GF", "GM", MALE),
            ("MO", U, U, FEMALE),
            ("MP", "FA", "MO", MALE),
        ]
    ),
    "first cousin": cousins(1),
    "second cousin": cousins(2),
    "third cousin": cousins(3),
}
PAIRS = ("half siblings", "avuncular", "grandparent-grandchild")


def _upper95(k: int, n: int) -> float:
    """One-sided 95% upper bound of a proportion k/n (Clopper-Pearson; k = 0: 1 - 0.05^(1/n))."""
    if k == 0:
        return 1 - 0.05 ** (1 / n)
    from scipy.stats import beta

    return float(beta.ppf(0.95, k + 1, n - k)) if k < n else 1.0


def identify(panel, args, rng) -> None:
    loner = Pedigree.from_records([("X", U, U, MALE)])
    has_x = bool(np.any(panel.chromosome == 23))

    def calls(d):
        return mask_calls(d, args.missing, args.error, rng)

    print(
        f"\n== identify: the missing man (MP) against one reference; {len(panel)} SNPs "
        f"({int(has_x and np.sum(panel.chromosome == 23))} on X); n = {args.n} true, "
        f"{args.n_unrelated} unrelated per row =="
    )
    head = f"{'reference':22s} {'meioses':>7s} {'POI':10s} {'median log10 LR linked':>22s}"
    head += f" {'unlinked':>9s} {'X linked':>9s}  P(>=1e4)  P(>=1e6)  P(>=1e8)   s/LR"
    print(head)
    for label, ped in IDENTIFY.items():
        t0 = time.perf_counter()
        rows = {"MP": [], "unrelated": []}
        for i in range(max(args.n, args.n_unrelated)):
            g = drop_snps(ped, panel, rng)
            refs = {"REF": calls(g["REF"])}
            kinds = (["MP"] if i < args.n else []) + (["unrelated"] if i < args.n_unrelated else [])
            for kind in kinds:
                poi = g["MP"] if kind == "MP" else drop_snps(loner, panel, rng)["X"]
                r = missing_person_snp_lr(
                    ped,
                    refs,
                    "MP",
                    calls(poi),
                    panel,
                    error_references=args.error,
                    error_poi=args.error,
                )
                rows[kind].append((r.log10_lr, r.log10_lr_unlinked, r.log10_lr_x, r.meioses))
        n_lr = len(rows["MP"]) + len(rows["unrelated"])
        per = (time.perf_counter() - t0) / n_lr
        for kind, vals in rows.items():
            a = np.array(vals)
            ps = []
            for t in (4, 6, 8):
                k = int(np.sum(a[:, 0] >= t))
                cell = f"{k / len(a):.3f}"
                if kind == "unrelated":
                    cell = f"{k}/{len(a)}<{_upper95(k, len(a)):.3f}"
                ps.append(f"{cell:>9s}")
            print(
                f"{label:22s} {int(a[0, 3]):7d} {kind:10s} {np.median(a[:, 0]):22.2f} "
                f"{np.median(a[:, 1]):9.2f} {np.median(a[:, 2]):9.2f} {' '.join(ps)} "
                f"{per:6.2f}"
            )


def pairs(panel, args, rng) -> None:
    print(
        f"\n== pairs: half siblings / avuncular / grandparent-grandchild (same kappa); "
        f"n = {args.n} pairs per truth; autosomal SNPs =="
    )
    auto = np.where(panel.chromosome == 23, -1, 0)
    print(
        f"{'truth':24s} "
        + " ".join(f"{'best=' + p[:12]:>18s}" for p in PAIRS)
        + "   median log10 LR truth vs: "
        + ", ".join(PAIRS)
        + "   |max unlinked|"
    )
    for truth in PAIRS:
        t0 = time.perf_counter()
        best = dict.fromkeys(PAIRS, 0)
        lr = {p: [] for p in PAIRS}
        unl = 0.0
        for _ in range(args.n):
            g = drop_snps(RELATIONSHIPS[truth], panel, rng)
            calls = {
                p: np.where(auto < 0, -1, mask_calls(g[p], args.missing, args.error, rng))
                for p in ("A", "B")
            }
            ll = {
                p: pedigree_likelihood(RELATIONSHIPS[p], calls, panel, error=args.error)
                for p in PAIRS
            }
            best[max(PAIRS, key=lambda p: ll[p].log10_linked)] += 1
            for p in PAIRS:
                lr[p].append(ll[truth].log10_linked - ll[p].log10_linked)
                unl = max(unl, abs(ll[truth].log10_unlinked - ll[p].log10_unlinked))
        print(
            f"{truth:24s} "
            + " ".join(f"{best[p] / args.n:18.3f}" for p in PAIRS)
            + "   "
            + ", ".join(f"{np.median(lr[p]):.2f}" for p in PAIRS)
            + f"   {unl:.1e}   ({(time.perf_counter() - t0) / args.n:.2f} s/pair)"
        )


HALF_SISTERS = {
    "paternal half sisters": _ped(
        [
            ("F", U, U, MALE),
            ("M1", U, U, FEMALE),
            ("M2", U, U, FEMALE),
            ("A", "F", "M1", FEMALE),
            ("B", "F", "M2", FEMALE),
        ]
    ),
    "maternal half sisters": _ped(
        [
            ("F1", U, U, MALE),
            ("F2", U, U, MALE),
            ("M", U, U, FEMALE),
            ("A", "F1", "M", FEMALE),
            ("B", "F2", "M", FEMALE),
        ]
    ),
}


def xpairs(panel, args, rng) -> None:
    """Paternal or maternal half sisters? The same autosomal IBD coefficients (and only the
    sex-specific maps tell them apart on the autosomes); on X a paternal half sister
    shares her father's whole X."""
    print(f"\n== xpairs: paternal vs maternal half sisters; n = {args.n} pairs per truth ==")
    print(
        f"{'truth':24s} {'P(truth best) X':>16s} {'autosomes':>10s} {'both':>6s}"
        "   median log10 LR truth vs other: X, autosomes"
    )
    names = list(HALF_SISTERS)
    for truth in names:
        other = names[1 - names.index(truth)]
        wins = np.zeros(3)
        lx, la = [], []
        for _ in range(args.n):
            g = drop_snps(HALF_SISTERS[truth], panel, rng)
            calls = {p: mask_calls(g[p], args.missing, args.error, rng) for p in ("A", "B")}
            ll = {
                q: pedigree_likelihood(HALF_SISTERS[q], calls, panel, error=args.error)
                for q in names
            }
            dx = ll[truth].log10_x - ll[other].log10_x
            da = ll[truth].log10_autosomal - ll[other].log10_autosomal
            wins += [dx > 0, da > 0, dx + da > 0]
            lx.append(dx)
            la.append(da)
        print(
            f"{truth:24s} {wins[0] / args.n:16.3f} {wins[1] / args.n:10.3f} "
            f"{wins[2] / args.n:6.3f}   {np.median(lx):.2f}, {np.median(la):.2f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--panel",
        type=Path,
        nargs="+",
        default=[SHARED / "FORCE_freqs.tsv", SHARED / "XFORCE_freqs.tsv"],
        help="SNP panel file(s)",
    )
    ap.add_argument("--n", type=int, default=100, help="simulated families / pairs per row")
    ap.add_argument("--n-unrelated", type=int, default=300, help="unrelated POIs per row")
    ap.add_argument("--missing", type=float, default=0.05, help="share of missing calls")
    ap.add_argument("--error", type=float, default=0.005, help="genotyping error rate")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    ap.add_argument(
        "--parts", default="identify,pairs,xpairs", help="identify, pairs, xpairs (comma list)"
    )
    ap.add_argument("--only", default="", help="identify: only these references (comma list)")
    args = ap.parse_args()
    panel = read_panels(args.panel)
    if args.only:
        keep = set(args.only.split(","))
        for k in list(IDENTIFY):
            if k not in keep:
                del IDENTIFY[k]
    rng = np.random.default_rng(args.seed)
    parts = args.parts.split(",")
    if "pairs" in parts:
        pairs(panel, args, rng)
    if "xpairs" in parts:
        xpairs(panel, args, rng)
    if "identify" in parts:
        identify(panel, args, rng)


if __name__ == "__main__":
    main()
