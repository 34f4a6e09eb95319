"""Command-line subcommands of the blind search: ``simulate``, ``search``, ``direct``, ``bench``.

The main ``nasab`` CLI registers them with :func:`add_parser` and dispatches to :func:`run`;
``python -m nasab.search.cli ...`` runs them alone. Bad input prints one message naming the
file, line and id and exits with code 2 (no traceback, no partial output file).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from nasab.engine.cli import (
    NasabArgumentParser,
    add_dropout_options,
    add_freqs_option,
    add_lineage_options,
    add_mutation_options,
    add_theta_option,
    add_threshold_option,
    add_unknown_markers_option,
    lineage_confidence,
    mutation_name,
    rates_from_args,
    seed_value,
    whole_number,
)
from nasab.engine.errors import InputError, NasabError, RunFailure

COMMANDS = ("simulate", "search", "direct", "bench")
DIRECT_FILES = ("direct_pairs.tsv", "individuals.tsv", "sites.tsv")


MAX_SIMULATED = 2_000_000  # families or remains one simulation draws (Syria: 150,000)
_positive_int = whole_number(0, MAX_SIMULATED)
_at_least_one = whole_number(1, MAX_SIMULATED)


def _observation_options(p, theta_note: str) -> None:
    """--dropout, --dropin, --theta: the defaults for samples whose table gives no value."""
    add_dropout_options(
        p,
        "samples without a 'dropout'/'dropin' column value (under a "
        "dropout model a/a, a/F and a/- mean 'only a was seen')",
    )
    add_theta_option(p, theta_note)


def add_parser(subparsers) -> None:
    """Register the four subcommands on an ``argparse`` subparsers object."""
    p = subparsers.add_parser("simulate", help="synthetic families, remains and truth tables")
    p.add_argument(
        "--families", type=_positive_int, required=True, help="number of reference families"
    )
    p.add_argument(
        "--remains",
        type=_positive_int,
        required=True,
        help="number of remains (some of the families' missing persons, some unrelated)",
    )
    p.add_argument("--seed", type=seed_value, default=1, help="random seed, 0 or more (default 1)")
    p.add_argument(
        "--out", type=Path, required=True, help="folder to write the tables and truth into"
    )
    p.add_argument(
        "--freqs",
        type=Path,
        default=None,
        help="draw founders from this table instead of NIST 1036 genotypes",
    )
    p.add_argument(
        "--format",
        choices=("both", "tsv", "parquet"),
        default="both",
        help="table format of families and remains (default both)",
    )
    p.add_argument(
        "--ystr-db",
        type=Path,
        default=None,
        metavar="FILE",
        help="add Y-STR columns: line founders drawn from this haplotype database, "
        "single-step mutation father to son (e.g. ../shared/data/ystr/"
        "Purps2014_Lebanon_haplotypes.tsv)",
    )
    p.add_argument(
        "--mtdna-db",
        type=Path,
        default=None,
        metavar="FILE",
        help="add an mtDNA column: maternal founders drawn from this database "
        "(e.g. ../shared/data/mtdna/Just2015_USA_mitogenomes.tsv)",
    )
    p.set_defaults(nasab_search_command="simulate")

    p = subparsers.add_parser("search", help="blind search: every remain x every missing person")
    p.add_argument(
        "--families",
        type=Path,
        required=True,
        metavar="FILE",
        help="families table (TSV or Parquet): family_id id fid mid sex missing "
        "then one column per marker",
    )
    p.add_argument(
        "--remains",
        type=Path,
        required=True,
        metavar="FILE",
        help="remains table (TSV or Parquet): remain_id [site] then markers",
    )
    add_freqs_option(p)
    add_threshold_option(p, 1e4)
    _observation_options(
        p,
        "exact as nasab lr --theta; slower to compile: about 0.1 s per "
        "missing person with --mutation proportional (equal, none), tens of "
        "seconds with stepwise; families beyond the exact schemes are "
        "reported",
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="matches .tsv or .parquet; the model is written beside it, in "
        "FILE.model.json (with the SHA-256 of the matches), both replaced together",
    )
    add_mutation_options(p)
    add_unknown_markers_option(p)
    p.add_argument(
        "--prior",
        type=float,
        default=None,
        metavar="P",
        help="prior that a remain is a given missing person (default 1/#missing, "
        "1/2 with one missing person)",
    )
    p.add_argument(
        "--on-error",
        choices=("stop", "skip"),
        default="stop",
        help="a bad family or remain: stop with an error (default), or skip it and report it",
    )
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="keep the compiled families in this directory (incremental search)",
    )
    p.add_argument(
        "--workers",
        type=whole_number(1, 256),
        default=1,
        metavar="N",
        help="local Dask worker processes, 1 to 256 (default 1)",
    )
    p.add_argument("--dask", default=None, metavar="ADDRESS", help="Dask scheduler address")
    p.add_argument(
        "--chunk",
        type=whole_number(1, 10_000_000),
        default=2000,
        metavar="N",
        help="missing persons per chunk, 1 or more (default 2000)",
    )
    p.add_argument(
        "--gpu",
        action="store_true",
        help="compile the families' tables on a CUDA GPU (needs CuPy); same model, float64",
    )
    p.add_argument(
        "--no-inconsistent",
        action="store_true",
        help="skip counting markers inconsistent without mutation",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    add_lineage_options(p)
    p.set_defaults(nasab_search_command="search")

    p = subparsers.add_parser("direct", help="remains against remains (and references)")
    p.add_argument(
        "--remains",
        type=Path,
        required=True,
        metavar="FILE",
        help="remains table (TSV or Parquet): remain_id [site] then markers",
    )
    p.add_argument(
        "--references",
        type=Path,
        default=None,
        metavar="FILE",
        help="direct references (e.g. personal effects) in the same format",
    )
    add_freqs_option(p)
    add_threshold_option(p, 1e6, "keep pairs with LR (same person vs unrelated) >= T")
    p.add_argument(
        "--min-shared",
        type=whole_number(0, 10_000),
        default=8,
        metavar="N",
        help="markers typed in both samples needed to compare them (default 8)",
    )
    _observation_options(p, "two samples from two persons of one subpopulation under H2")
    p.add_argument(
        "--max-mismatches",
        type=whole_number(0, 10_000),
        default=2,
        metavar="N",
        help="with drop-in: markers a pair may need a drop-in to explain (default 2)",
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="output folder: direct_pairs.tsv, individuals.tsv, sites.tsv (replaced together)",
    )
    p.add_argument(
        "--on-error",
        choices=("stop", "skip"),
        default="stop",
        help="a bad remain: stop with an error (default), or skip it",
    )
    add_unknown_markers_option(p)
    p.add_argument(
        "--json",
        action="store_true",
        help="print the summary as JSON (the default; kept for symmetry)",
    )
    p.set_defaults(nasab_search_command="direct")

    p = subparsers.add_parser("bench", help="blind-search speed and quality benchmark")
    p.add_argument(
        "--families", type=_at_least_one, default=2000, help="families to simulate (2000)"
    )
    p.add_argument("--remains", type=_at_least_one, default=2000, help="remains to simulate (2000)")
    p.add_argument("--seed", type=seed_value, default=1, help="simulation seed, 0 or more (1)")
    p.add_argument("--out", type=Path, default=Path("out/bench"), help="output folder (out/bench)")
    p.add_argument(
        "--kernel-families",
        type=_at_least_one,
        default=150_000,
        help="rows of the scoring-kernel speed test (150,000)",
    )
    p.add_argument(
        "--kernel-remains",
        type=_at_least_one,
        default=100_000,
        help="columns of the scoring-kernel speed test (100,000)",
    )
    p.add_argument("--mutation", default="stepwise", help="mutation model of the search (stepwise)")
    p.set_defaults(nasab_search_command="bench")


def run(args: argparse.Namespace) -> int:
    """Run one of the subcommands; returns the exit code."""
    cmd = getattr(args, "nasab_search_command", None) or getattr(args, "command", None)
    try:
        if cmd == "simulate":
            return _simulate(args)
        if cmd == "search":
            return _search(args)
        if cmd == "direct":
            return _direct(args)
        if cmd == "bench":
            from nasab.search.bench import run_bench

            run_bench(args)
            return 0
    except NasabError as e:  # the input (2), or the run itself failed (RunFailure: 1)
        print(f"nasab: error: {e}", file=sys.stderr)
        return 1 if isinstance(e, RunFailure) else 2
    except KeyboardInterrupt:
        print("nasab: interrupted", file=sys.stderr)
        return 130
    print(f"nasab: error: unknown command {cmd!r}", file=sys.stderr)
    return 2


def _simulate(args) -> int:
    from nasab.sim.simulate import simulate

    formats = ("tsv", "parquet") if args.format == "both" else (args.format,)
    info = simulate(
        args.families,
        args.remains,
        args.seed,
        args.out,
        freqs=args.freqs,
        formats=formats,
        ystr_db=args.ystr_db,
        mtdna_db=args.mtdna_db,
    )
    print(
        f"{info['families']} families, {info['missing_persons']} missing persons, "
        f"{info['reference_donors']} donors ({info['donors_per_missing']:.2f} per missing), "
        f"{info['remains']} remains ({info['identified_persons']} identifiable persons) "
        f"-> {args.out}"
    )
    return 0


def _search(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from nasab.search.lineage import LineageOptions
    from nasab.search.run import SearchConfig, run_search

    if args.threshold <= 0:
        raise InputError(
            f"--threshold must be positive, not {args.threshold:g}", field="--threshold"
        )
    rf, rm = rates_from_args(args)
    cfg = SearchConfig(
        args.families,
        args.remains,
        args.out,
        args.freqs,
        args.threshold,
        mutation_name(args),
        1e-3 if args.default_rate is None else args.default_rate,
        0.5 if args.range_ is None else args.range_,
        args.prior,
        args.on_error,
        args.store,
        args.workers,
        args.dask,
        args.chunk,
        progress=not args.quiet,
        inconsistent=not args.no_inconsistent,
        dropout=args.dropout,
        dropin=args.dropin,
        theta=args.theta,
        rate_female=rf,
        rate_male=rm,
        rate2=args.rate2,
        ignore_unknown_markers=args.ignore_unknown_markers,
        lineage=LineageOptions(
            args.ystr_db, args.ystr_method, args.mtdna_db, lineage_confidence(args)
        ),
    )
    for name, v in (("--dropout", args.dropout), ("--dropin", args.dropin)):
        if not 0.0 <= v < 1.0:
            raise InputError(f"{name} must be in [0, 1), not {v}", field=name)
    if not 0.0 <= args.theta < 0.5:
        raise InputError(f"--theta must be in [0, 0.5), not {args.theta}", field="--theta")
    from contextlib import nullcontext

    from nasab.search.gpu import on_gpu

    with on_gpu() if args.gpu else nullcontext():
        res = run_search(cfg)
    con = Console(stderr=True)
    for p in res.problems:
        con.print(f"[yellow]skipped[/yellow] {p}")
    if args.quiet:
        return 0
    t = Table(title=f"nasab search: LR >= {args.threshold:g}")
    t.add_column("item")
    t.add_column("value")
    m = res.matches
    t.add_row(
        "families / missing persons / remains",
        f"{res.n_families} / {res.n_missing} / {res.n_remains}",
    )
    t.add_row("pairs evaluated", f"{res.pairs:,}")
    t.add_row("pairs kept", f"{len(m['remain_id']):,}")
    t.add_row("remains with a match", f"{len(set(m['remain_id'])):,}")
    t.add_row("frequency table", res.table)
    t.add_row("mutation", res.model[:200])
    if args.theta or args.dropout or args.dropin:
        t.add_row(
            "theta / default dropout / drop-in",
            f"{args.theta:g} / {args.dropout:g} / {args.dropin:g}",
        )
    lin = res.metadata.get("lineage")
    if lin:
        for kind in ("Y", "mtDNA"):
            if lin[kind]:
                t.add_row(f"{kind} database", f"{lin[kind]['database']} ({lin[kind]['method']})")
        t.add_row(
            "pairs with lineage data / excluded by lineage",
            f"{lin['pairs_with_lineage_data']:,} / {lin['excluded_by_lineage']:,}",
        )
    t.add_row("prior", f"{res.prior:.3g}")
    for k, v in res.timings.items():
        t.add_row(f"time {k}", f"{v:.2f} s")
    t.add_row("output", str(args.out))
    con.print(t)
    best = sorted(
        zip(m["log10_lr"], m["remain_id"], m["family_id"], m["missing_id"], strict=True),
        reverse=True,
    )[:10]
    if best:
        b = Table(title="strongest matches")
        for c in ("remain", "family", "missing", "log10 LR"):
            b.add_column(c)
        for lg, r, f, p in best:
            b.add_row(r, f, p, f"{lg:.2f}" if math.isfinite(lg) else str(lg))
        con.print(b)
    return 0


def _direct(args) -> int:
    import time

    from nasab.engine.output import AtomicGroup, check_writable, refuse_inputs
    from nasab.engine.strict_json import dumps_strict
    from nasab.search.data import read_remains
    from nasab.search.direct import DirectModel, direct_match
    from nasab.search.engine import extended_table
    from nasab.search.run import load_table, matches_tsv, naming_table

    if args.threshold <= 0:
        raise InputError(f"--threshold must be positive, not {args.threshold}", field="--threshold")
    model = DirectModel(args.dropout, args.dropin, args.theta, args.max_mismatches)
    out = Path(args.out)
    outputs = [out / name for name in DIRECT_FILES]
    refuse_inputs(outputs, [args.remains, args.references, args.freqs])
    check_writable(out, directory=True)
    for o in outputs:
        check_writable(o)
    t0 = time.perf_counter()
    table = load_table(args.freqs)
    known = set(table.markers)
    ignore = args.ignore_unknown_markers
    with naming_table(table):
        rem, markers, problems = read_remains(
            args.remains, known, args.on_error, model.drop, ignore
        )
    refs = None
    if args.references:
        with naming_table(table):
            r2, _, p2 = read_remains(args.references, known, args.on_error, model.drop, ignore)
        refs = r2.profiles
        problems += p2
    tab = extended_table(table, markers, [], rem)
    if refs:
        from nasab.search.data import Remains

        tab = extended_table(tab, markers, [], Remains([], [], refs, []))
    t1 = time.perf_counter()
    res = direct_match(
        rem.ids, rem.sites, rem.profiles, markers, tab, args.threshold, args.min_shared, refs, model
    )
    t2 = time.perf_counter()
    with AtomicGroup() as group:  # the three tables belong together
        for name, tab_ in zip(DIRECT_FILES, (res.pairs, res.individuals, res.sites), strict=True):
            group.text(out / name, matches_tsv(tab_))
    for p in problems:
        print(f"skipped {p}", file=sys.stderr)
    summary = {
        "remains": len(rem.ids),
        "pairs": len(res.pairs["a"]),
        "individuals": len(set(res.individuals["individual"])),
        "candidates": res.candidates,
        "threshold": args.threshold,
        "min_shared": args.min_shared,
        "dropout": model.dropout,
        "dropin": model.dropin,
        "theta": model.theta,
        "max_mismatches": model.max_mismatches,
        "table": tab.version(),
        "seconds": {"read": round(t1 - t0, 3), "match": round(t2 - t1, 3)},
    }
    unused = rem.ystr_loci + (["mtDNA"] if rem.mtdna else [])
    if unused:  # read (and checked) but not compared: said, never silently dropped
        summary["lineage_columns_not_used"] = unused
        print(
            "nasab: note: nasab direct compares autosomal markers only; the Y-STR / mtDNA "
            f"columns ({', '.join(unused)}) are not used",
            file=sys.stderr,
        )
    print(dumps_strict(summary))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = NasabArgumentParser(prog="nasab")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # a usage error (printed with nasab's prefix) or --help
        return e.code if isinstance(e.code, int) else 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
