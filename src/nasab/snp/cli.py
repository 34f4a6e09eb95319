"""``nasab snp``: dense SNP panels with linked markers.

    nasab snp lr --ped family.ped --missing MP --references refs.tsv --poi remains.vcf \
        --poi-id R-0417 --panel FORCE_freqs.tsv [--error-reference 0.001] [--error-poi 0.01]
    nasab snp relate --genotypes pair.tsv --pair R-0417 REF-12 --panel FORCE_freqs.tsv \
        [--claimed "first cousins"]

Genotypes are tables (id + one column per rsID) or VCF files; the panel is a two-rows-per-
SNP table with the sex-specific genetic map (docs/snp.md). Bad input: one line
``nasab: error: ...`` naming the file, line or field, exit 2.
"""

from __future__ import annotations

import argparse
import hashlib
import math
from pathlib import Path

from nasab.engine.cli import seed_value, whole_number
from nasab.engine.errors import InputError
from nasab.engine.snp import MODEL_WORDS as MODEL
from nasab.engine.strict_json import dumps_strict


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "snp",
        help="dense SNP panels: linked LR, relationship checks",
        description=__doc__.splitlines()[0],
    )
    sub = p.add_subparsers(dest="snp_command", metavar="ACTION", required=True)
    lr = sub.add_parser(
        "lr",
        help="SNP LR of a person of interest against a family's "
        "missing person, with linkage (the unlinked product beside it)",
    )
    lr.add_argument(
        "--ped",
        type=Path,
        required=True,
        metavar="FILE",
        help="the family's pedigree (id fid mid sex [STR markers ignored])",
    )
    lr.add_argument(
        "--missing",
        required=True,
        metavar="ID",
        help="id of the missing person in the pedigree (untyped)",
    )
    lr.add_argument(
        "--references",
        type=Path,
        required=True,
        metavar="FILE",
        help="the references' SNP calls: table (id + rsID columns) or VCF",
    )
    lr.add_argument(
        "--poi",
        type=Path,
        required=True,
        metavar="FILE",
        help="the person of interest's SNP calls: table or VCF",
    )
    lr.add_argument(
        "--poi-id", metavar="ID", help="which row/sample of --poi (default: the only one)"
    )
    _common(lr)
    rel = sub.add_parser(
        "relate", help="likelihood of each relationship for a pair, and their IBD segments"
    )
    rel.add_argument(
        "--genotypes",
        type=Path,
        required=True,
        nargs="+",
        metavar="FILE",
        help="SNP calls of the two persons (one or two tables or VCFs)",
    )
    rel.add_argument("--pair", nargs=2, required=True, metavar=("A", "B"), help="the two ids")
    rel.add_argument(
        "--claimed",
        metavar="RELATIONSHIP",
        help="the relationship claimed (parent-child, full siblings, half "
        "siblings, grandparent-grandchild, avuncular, first cousins, unrelated)",
    )
    _common(rel)
    pw = sub.add_parser(
        "power",
        help="what the panel would give for a family: P(LR >= "
        "10^4/10^6/10^8) for the missing person and for unrelated remains, "
        "by simulation with linkage",
    )
    pw.add_argument(
        "--ped",
        type=Path,
        required=True,
        metavar="FILE",
        help="the family's pedigree (id fid mid sex [STR markers ignored])",
    )
    pw.add_argument("--missing", required=True, metavar="ID", help="the missing person")
    pw.add_argument(
        "--reference",
        action="append",
        required=True,
        metavar="ID",
        help="a relative who is (or would be) typed with the panel; repeat",
    )
    pw.add_argument(
        "--n",
        type=whole_number(1, 1_000_000),
        default=100,
        metavar="N",
        help="simulated families, 1 to 1,000,000 (default 100)",
    )
    pw.add_argument(
        "--missing-calls",
        type=_rate,
        default=0.05,
        metavar="F",
        help="share of SNPs without a call (default 0.05)",
    )
    pw.add_argument(
        "--seed", type=seed_value, default=1, metavar="S", help="random seed, 0 or more"
    )
    _common(pw)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    return {"lr": run_lr, "relate": run_relate, "power": run_power}[args.snp_command](args)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--panel",
        type=Path,
        required=True,
        nargs="+",
        metavar="FILE",
        help="SNP panel(s): marker, chromosome, position_bp, cM_male, cM_female, "
        "allele, frequency (two rows per SNP), e.g. ../shared/data/snp/"
        "FORCE_freqs.tsv and XFORCE_freqs.tsv (chromosome X) together (not "
        "bundled: their licence is forrel's GPL)",
    )
    p.add_argument(
        "--error-reference",
        type=_rate,
        default=0.001,
        metavar="E",
        help="genotyping error rate of reference samples (default 0.001)",
    )
    p.add_argument(
        "--error-poi",
        type=_rate,
        default=0.01,
        metavar="E",
        help="genotyping error rate of the remains / person of interest (default 0.01: bone)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a report")


def _rate(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:30]!r} is not a number") from None
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"{v} must be in [0, 1)")
    return v


def _panel(paths: list[Path]):
    """The panel(s) as one, and each file's name, SHA-256 and number of SNPs."""
    from nasab.formats.snp import read_panels

    panel = read_panels(paths)
    files = []
    for path in paths:
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror}", file=str(path)) from None
        files.append({"file": path.name, "sha256": sha})
    return panel, files


def _panel_line(files: list[dict]) -> str:
    return ", ".join(f"{f['file']} (sha256 {f['sha256'][:12]})" for f in files)


def _pick(calls: dict, wanted: str | None, path: Path, field: str):
    if wanted is None:
        if len(calls) != 1:
            raise InputError(
                f"{len(calls)} persons in the file; say which with {field}",
                file=str(path),
                field=field,
            )
        return next(iter(calls.items()))
    if wanted not in calls:
        raise InputError(f"no person {wanted!r}", file=str(path), field=field)
    return wanted, calls[wanted]


def _num(x: float) -> float | str:
    return x if math.isfinite(x) else ("Inf" if x > 0 else "-Inf")


def run_lr(args: argparse.Namespace) -> int:
    from nasab.engine.snp import missing_person_snp_lr
    from nasab.formats.io import read_ped
    from nasab.formats.snp import read_snp_table

    panel, files = _panel(args.panel)
    ped = read_ped(args.ped).pedigree
    refs = read_snp_table(args.references, panel)
    unknown = [r for r in refs if r not in ped]
    if unknown:
        raise InputError(
            f"reference(s) not in the pedigree: {', '.join(unknown[:5])}", file=str(args.references)
        )
    poi_id, poi = _pick(read_snp_table(args.poi, panel), args.poi_id, args.poi, "--poi-id")
    r = missing_person_snp_lr(
        ped,
        refs,
        args.missing,
        poi,
        panel,
        error_references=args.error_reference,
        error_poi=args.error_poi,
    )
    out = {
        "poi": poi_id,
        "missing": args.missing,
        "log10LR": _num(r.log10_lr),
        "log10LR_unlinked": _num(r.log10_lr_unlinked),
        "autosomal": {
            "log10LR": _num(r.log10_lr_autosomal),
            "log10LR_unlinked": _num(r.log10_lr_autosomal_unlinked),
            "snps_used": r.markers_used,
            "meioses": r.meioses,
        },
        "X": {
            "log10LR": _num(r.log10_lr_x),
            "log10LR_unlinked": _num(r.log10_lr_x_unlinked),
            "snps_used": r.x_markers_used,
            "meioses": r.x_meioses,
        },
        "combination": "autosomal and X LRs multiplied: chromosomes are inherited "
        "independently (exact under the model)",
        "snps_used": r.markers_used + r.x_markers_used,
        "meioses": r.meioses,
        "references": sorted(refs),
        "model": MODEL,
        "panel": files,
        "error_rates": {"reference": args.error_reference, "poi": args.error_poi},
    }
    if args.json:
        print(dumps_strict(out, indent=2))  # "-Inf" for an exclusion, never a crash
        return 0
    print(f"SNP likelihood ratio: {poi_id} is the missing person {args.missing}")
    print(f"  {'':22s} {'linked':>12s} {'unlinked':>12s}  SNPs  meioses")
    rows = [("autosomes", r.log10_lr_autosomal, r.log10_lr_autosomal_unlinked)]
    rows += [("X chromosome", r.log10_lr_x, r.log10_lr_x_unlinked)]
    counts = [(r.markers_used, r.meioses), (r.x_markers_used, r.x_meioses)]
    for (name, lk, un), (n, b) in zip(rows, counts, strict=True):
        print(f"  log10 LR {name:13s} {lk:12.4f} {un:12.4f}  {n:4d}  {b:7d}")
    print(f"  log10 LR {'total':13s} {r.log10_lr:12.4f} {r.log10_lr_unlinked:12.4f}")
    print(
        "  (unlinked: every SNP independent, what single-marker tools report; total: "
        "autosomes x X, inherited independently)"
    )
    print(f"  SNP panel: {len(panel)} SNPs; references: {', '.join(sorted(refs))}")
    print(
        f"  panel: {_panel_line(files)}; error rates: reference "
        f"{args.error_reference}, POI {args.error_poi}"
    )
    print(f"  model: {MODEL}")
    return 0


def run_relate(args: argparse.Namespace) -> int:
    from nasab.formats.snp import read_snp_table
    from nasab.snp.relate import RELATIONSHIPS, check_relationship

    if args.claimed is not None and args.claimed not in RELATIONSHIPS:
        raise InputError(
            f"unknown relationship {args.claimed!r}; choose {', '.join(RELATIONSHIPS)}",
            field="--claimed",
        )
    panel, files = _panel(args.panel)
    calls: dict = {}
    for f in args.genotypes:
        more = read_snp_table(f, panel)
        twice = sorted(set(more) & set(calls))
        if twice:  # the later file's calls would silently replace the earlier's
            raise InputError(f"{', '.join(twice[:5])} also in an earlier --genotypes file", file=f)
        calls.update(more)
    a, b = args.pair
    for pid in (a, b):
        if pid not in calls:
            names = ", ".join(str(f) for f in args.genotypes)
            raise InputError(f"no person {pid!r} in {names}", field="--pair")
    error = max(args.error_reference, args.error_poi)
    r = check_relationship(calls[a], calls[b], panel, claimed=args.claimed, error=error)
    out = {
        "pair": [a, b],
        "best": r.best,
        "claimed": r.claimed,
        "log10_lr_vs_unrelated": {k: _num(v) for k, v in r.log10_lr_vs_unrelated.items()},
        "log10_lr_claimed_vs_best": None
        if r.log10_lr_claimed_vs_best is None
        else _num(r.log10_lr_claimed_vs_best),
        "snps_used": r.markers_used,
        "ibd_segments": [s.__dict__ for s in r.segments],
        "model": MODEL,
        "panel": files,
    }
    if args.json:
        print(dumps_strict(out, indent=2))  # "-Inf" for an exclusion, never a crash
        return 0
    print(f"Relationship of {a} and {b} ({r.markers_used} SNPs typed in both)")
    for k, v in sorted(r.log10_lr_vs_unrelated.items(), key=lambda kv: -kv[1]):
        mark = "  <- best" if k == r.best else ""
        print(f"  {k:24s} log10 LR vs unrelated {v:10.3f}{mark}")
    if r.claimed:
        print(f"  claimed: {r.claimed}; log10 LR claimed vs best: {r.log10_lr_claimed_vs_best:.3f}")
    total = sum(s.end_cm - s.start_cm for s in r.segments)
    print(f"  IBD segments under {r.claimed or r.best}: {len(r.segments)}, {total:.1f} cM")
    for s in r.segments:
        print(
            f"    chr{s.chromosome}:{s.start_bp}-{s.end_bp}  {s.start_cm:.1f}-"
            f"{s.end_cm:.1f} cM  IBD{s.ibd}  {s.markers} SNPs"
        )
    return 0


def run_power(args: argparse.Namespace) -> int:
    from nasab.formats.io import read_ped
    from nasab.snp.power import snp_power

    panel, files = _panel(args.panel)
    ped = read_ped(args.ped).pedigree
    for pid in (args.missing, *args.reference):
        if pid not in ped:
            raise InputError(f"{pid!r} is not in the pedigree", file=str(args.ped))
    r = snp_power(
        ped,
        args.missing,
        args.reference,
        panel,
        n=args.n,
        missing_calls=args.missing_calls,
        error=args.error_poi,
        seed=args.seed,
    )
    out = {
        "missing": args.missing,
        "references": list(r.references),
        "n": r.n,
        "p_true_at_least": {f"1e{k}": v for k, v in r.p_true_at_least.items()},
        "se_true": {f"1e{k}": v for k, v in r.se_true.items()},
        "p_unrelated_at_least": {f"1e{k}": v for k, v in r.p_unrelated_at_least.items()},
        "median_log10_lr_true": r.median_log10_true,
        "median_log10_lr_unrelated": r.median_log10_unrelated,
        "model": MODEL,
        "panel": files,
    }
    if args.json:
        print(dumps_strict(out, indent=2))  # "-Inf" for an exclusion, never a crash
        return 0
    print(
        f"SNP panel power: {args.missing} with references {', '.join(r.references)} "
        f"({r.n} simulated families, {panel.source})"
    )
    for k in r.p_true_at_least:
        print(
            f"  P(LR >= 1e{k}): remains are {args.missing} {r.p_true_at_least[k]:.3f} "
            f"(± {r.se_true[k]:.3f}); unrelated remains {r.p_unrelated_at_least[k]:.3f}"
        )
    print(
        f"  median log10 LR: {r.median_log10_true:.2f} (true), "
        f"{r.median_log10_unrelated:.2f} (unrelated)"
    )
    return 0
