"""``nasab power``: how informative are a family's references, and whom to sample next.

    nasab power --case DIR                 # a case folder (pedigree.ped, freqs.txt, case.json)
    nasab power --ped FILE --missing MP --freqs FILE
    nasab power --fam FILE.fam [--missing MP] [--pedigree NAME]   # a Familias file
    nasab power --programme DIR --freqs FILE [--missing MP] [--chart out.png]

``cli.py`` registers this with ``add_parser(subparsers)``; ``run(args)`` returns the exit
code (0 ok, 2 bad input with a message naming the file/line/field, no traceback).
``python -m nasab.power.cli ...`` runs it stand-alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from nasab.engine.cli import (
    NasabArgumentParser,
    add_command,
    add_folder_model_options,
    add_json_option,
    add_lineage_options,
    dropout_probability,
    lineage_confidence,
    mutation_from_args,
    mutation_given,
    mutation_words,
    run_standalone,
    seed_value,
    whole_number,
)
from nasab.engine.errors import InputError, NasabError
from nasab.engine.output import AtomicGroup, check_writable, refuse_inputs
from nasab.engine.strict_json import dumps_strict


def add_parser(subparsers) -> argparse.ArgumentParser:
    return add_command(
        subparsers,
        "power",
        help="informativeness of a family's references; whom to sample next",
        description="Exclusion probability (exact), expected log10 LR (exact), "
        "P(LR >= 1e4/1e6/1e8) by simulation with standard errors, and the "
        "gain from each relative who could still give a sample.",
        arguments=_arguments,
        run=run,
    )


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", metavar="DIR", help="case folder in the oracle format")
    p.add_argument("--ped", metavar="FILE", help="reference pedigree (.ped)")
    p.add_argument(
        "--fam",
        metavar="FILE.fam",
        help="a Familias .fam file with one pedigree (a power or priority file; its "
        "typed persons are the references, its frequencies and mutation models are "
        "used unless given); a file with several pedigrees needs --pedigree",
    )
    p.add_argument(
        "--pedigree",
        metavar="NAME",
        help="with --fam: the pedigree of the file to analyse (needed when it has several)",
    )
    p.add_argument(
        "--missing",
        default=None,
        help="id of the missing person (default MP; with --fam: the untyped person "
        "called MP, 'Missing person' or 'Missing')",
    )
    p.add_argument(
        "--freqs",
        metavar="FILE",
        help="allele frequency table (Familias text or "
        "TSV); with --case: the case's freqs.txt unless given",
    )
    add_folder_model_options(p, folder="case.json", theta_note="default: the case's theta, else 0")
    p.add_argument(
        "--programme",
        metavar="DIR",
        help="a folder of .ped files: the programme view over all of them",
    )
    p.add_argument("--chart", metavar="PNG", help="with --programme: write a chart")
    p.add_argument(
        "--nsim",
        type=whole_number(100, 10_000_000),
        default=10_000,
        metavar="N",
        help="simulations, 100 to 10,000,000 (default 10000)",
    )
    p.add_argument(
        "--seed", type=seed_value, default=1, metavar="N", help="random seed, 0 or more (default 1)"
    )
    p.add_argument(
        "--no-candidates", action="store_true", help="skip the 'whom to sample next' ranking"
    )
    add_json_option(p)
    p.add_argument(
        "--dropout",
        type=dropout_probability,
        default=None,
        metavar="D",
        help="dropout probability of the POI's sample (default 0; no drop-in)",
    )
    add_lineage_options(p)
    snp = p.add_argument_group(
        "SNP panel options in 'whom to sample next' (docs/snp.md): simulation with linkage"
    )
    snp.add_argument(
        "--snp-panel",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="SNP panel file(s), e.g. ../shared/data/snp/FORCE_freqs.tsv and "
        "XFORCE_freqs.tsv: rank 'type the references with the panel' and the best "
        "candidates typed with it beside the STR candidates",
    )
    snp.add_argument(
        "--snp-nsim",
        type=whole_number(10, 1_000_000),
        default=50,
        metavar="N",
        help="simulated families per SNP option, 10 to 1,000,000 (default 50; each costs one linked LR, "
        "about 0.1-0.4 s with FORCE)",
    )
    snp.add_argument(
        "--snp-candidates",
        type=whole_number(0, 1_000_000),
        default=3,
        metavar="K",
        help="offer the K best STR candidates also typed with the panel (default 3)",
    )
    snp.add_argument(
        "--snp-missing-calls",
        type=dropout_probability,
        default=0.05,
        metavar="F",
        help="share of SNP calls missing in the simulation (default 0.05)",
    )
    snp.add_argument(
        "--snp-error",
        type=dropout_probability,
        default=0.005,
        metavar="E",
        help="SNP genotyping error rate in the simulation and the model (default 0.005)",
    )


def _load(args):
    from nasab.engine.frequencies import read_frequencies
    from nasab.formats.io import read_case, read_ped

    if getattr(args, "fam", None):
        return _load_fam(args)
    if getattr(args, "pedigree", None) is not None:  # was silently ignored
        raise InputError("--pedigree chooses a pedigree of --fam FILE.fam", field="--pedigree")
    if args.case:
        c = read_case(args.case)
        table = read_frequencies(args.freqs) if args.freqs else c.table
        if mutation_given(args):
            args.model_words = mutation_words(args)
            return (
                c.family,
                args.missing or c.missing,
                table,
                mutation_from_args(args, c.markers),
                c.markers,
                c.theta,
            )
        args.model_words = "as given in case.json (per marker)"
        return c.family, args.missing or c.missing, table, c.mutations, c.markers, c.theta
    if not args.ped or not args.freqs:
        raise InputError(
            "give --case DIR, --fam FILE.fam, or --ped FILE and --freqs FILE (and --missing)",
            field="--case",
        )
    fam = read_ped(args.ped)
    args.model_words = mutation_words(args)
    return (
        fam,
        args.missing or "MP",
        read_frequencies(args.freqs),
        mutation_from_args(args, fam.markers),
        fam.markers,
        0.0,
    )


def _load_fam(args):
    """``--fam``: the family of a one-pedigree Familias file (or the pedigree chosen)."""
    from nasab.engine.frequencies import read_frequencies
    from nasab.formats.familias_convert import project_to_family
    from nasab.formats.familias_read import read_fam

    if args.case or args.ped:
        raise InputError("give --fam, --case or --ped, not several", field="--fam")
    c = project_to_family(read_fam(args.fam), missing=args.missing, pedigree=args.pedigree)
    table = read_frequencies(args.freqs) if args.freqs else c.table
    if mutation_given(args):
        args.model_words = mutation_words(args)
        mutations = mutation_from_args(args, c.markers)
    else:
        args.model_words = f"as given in {Path(args.fam).name} (per marker)"
        mutations = c.mutations
    return c.family, c.missing, table, mutations, c.markers, c.theta


def _poi_drop(args):
    from nasab.engine.observation import DropModel

    d = getattr(args, "dropout", None)
    return None if not d else DropModel(d)


def _lineage_options(args):
    """The Y-STR / mtDNA databases (--ystr-db, --mtdna-db; a typed line without its
    database is an error, as in nasab lr)."""
    from nasab.power.lineage import LineageOptions

    conf = lineage_confidence(args)
    ydb = mdb = None
    if args.ystr_db is not None:
        from nasab.engine.ystr import read_ystr_database

        ydb = read_ystr_database(args.ystr_db)
    if args.mtdna_db is not None:
        from nasab.engine.mtdna import read_mtdna_database

        mdb = read_mtdna_database(args.mtdna_db)
    return LineageOptions(ydb, args.ystr_method, mdb, conf)


def analyse(args) -> dict:
    from nasab.power.core import PowerAnalysis

    if args.nsim < 100:
        raise InputError(f"--nsim must be at least 100, not {args.nsim}", field="--nsim")
    t0 = time.perf_counter()
    fam, mp, table, mutations, markers, theta = _load(args)
    if getattr(args, "theta", None) is not None:
        theta = args.theta
    pa = PowerAnalysis(
        fam,
        mp,
        table,
        mutations,
        markers,
        theta=theta,
        poi_drop=_poi_drop(args),
        lineage=_lineage_options(args),
    )
    base = pa.power(args.nsim, args.seed)
    t1 = time.perf_counter()
    # ranked also when nobody informative is typed yet (a priority file: whom to type first)
    cands = [] if args.no_candidates else pa.whom_next(args.nsim, args.seed, base)
    snp = None
    if args.snp_panel:
        cands, snp = _snp_options(pa, base, cands, args)
    t2 = time.perf_counter()
    return {
        "power": base.to_json(),
        "whom_to_sample_next": [c.to_json() for c in cands],
        **({"snp": snp} if snp else {}),
        "typed_references": fam.typed_persons(),
        "frequency_table": table.version(),
        "mutation_model": args.model_words,
        "model": base.model,
        "method": (
            "exact distribution of the POI's profile if the POI is the missing "
            "person, given the references (one engine contraction per marker over "
            "every allele of the marker), each profile scored with the LR nasab lr "
            "gives it; exclusion probability (without mutation) and expected log10 "
            f"LR exact; P(LR >= t) by Monte Carlo, {args.nsim} draws, seed "
            f"{args.seed}, standard errors given"
        ),
        "seconds": {"power": round(t1 - t0, 3), "candidates": round(t2 - t1, 3)},
    }


def _snp_options(pa, base, cands: list, args) -> tuple[list, dict]:
    """The SNP panel options merged into the ranking, and what the report says of them."""
    import hashlib

    from nasab.formats.snp import read_panels
    from nasab.power.snp import SNPSettings, snp_options

    panel = read_panels(args.snp_panel)
    settings = SNPSettings(
        panel,
        n=args.snp_nsim,
        missing_calls=args.snp_missing_calls,
        error=args.snp_error,
        candidates=args.snp_candidates,
        seed=args.seed,
    )
    options = snp_options(pa, base, cands, settings, args.nsim)
    merged = sorted([*cands, *options], key=lambda c: -c.expected_log10_lr)
    files = [
        {"file": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
        for f in args.snp_panel
    ]
    return merged, {"panel": files, "snps": len(panel), "method": settings.method()}


def _refuse_in_programme(args) -> None:
    """Options the programme view does not use are refused, never silently ignored."""
    if args.snp_panel:
        raise InputError(
            "not used with --programme (SNP options are ranked per family: --ped or --case)",
            field="--snp-panel",
        )
    # the programme view reads the folder's pedigrees and --freqs, without theta or dropout:
    # these (and another family's options) were silently ignored
    unused = [f"--{o}" for o in ("case", "ped", "fam", "pedigree") if getattr(args, o, None)]
    unused += [f"--{o}" for o in ("theta", "dropout") if getattr(args, o, None) is not None]
    if unused:
        raise InputError(f"not used with --programme: {', '.join(unused)}", field=unused[0])


CHART_FORMATS = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".eps")


def programme(args) -> dict:
    from nasab.engine.frequencies import read_frequencies
    from nasab.formats.io import read_ped
    from nasab.power.core import programme_chart, programme_summary, programme_view

    if not args.freqs:
        raise InputError("--programme needs --freqs FILE", field="--freqs")
    _refuse_in_programme(args)
    folder = Path(args.programme)
    peds = sorted(folder.glob("*.ped"))
    if not peds:
        raise InputError("no .ped files in the folder", file=str(folder))
    if args.chart:
        if Path(args.chart).suffix.lower() not in CHART_FORMATS:  # before the simulation
            raise InputError(
                f"{args.chart!r}: name a chart file ending in {', '.join(CHART_FORMATS)}",
                field="--chart",
            )
        check_writable(args.chart)
        refuse_inputs([args.chart], [args.freqs, *peds], "--chart")
    table = read_frequencies(args.freqs)
    fams = [(read_ped(p), args.missing or "MP") for p in peds]
    for p, (fam, _) in zip(peds, fams, strict=True):  # before any simulation, naming the file
        absent = [m for m in fam.markers if m not in table]
        if absent:
            raise InputError(
                f"marker {absent[0]} is not in the frequency table {args.freqs}"
                + (f" (and {len(absent) - 1} more of its markers)" if len(absent) > 1 else ""),
                file=str(p),
            )
    t0 = time.perf_counter()
    lineage = _lineage_options(args)
    if lineage.ystr_db is None and lineage.mtdna_db is None:
        lineage = None
    # the default model of every command (stepwise at the published rates), as the
    # registry's programme view uses it (this view had no mutation unless one was given)
    mutations = mutation_from_args(args, sorted({m for f, _ in fams for m in f.markers}))
    rows = programme_view(
        fams,
        table,
        mutations=mutations,
        n_sim=args.nsim,
        seed=args.seed,
        donors=not args.no_candidates,
        lineage=lineage,
    )
    t1 = time.perf_counter()
    if args.chart:
        with AtomicGroup() as group:
            programme_chart(rows, group.path(args.chart))
    return {
        "summary": programme_summary(rows),
        "frequency_table": table.version(),
        "mutation_model": mutation_words(args),
        "families": [r.__dict__ for r in rows],
        "seconds": round(t1 - t0, 3),
        "chart": args.chart,
    }


def report(out: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    p = out["power"]
    if not p["informative"]:
        con.print(
            f"[bold red]Family {p['family']}, missing {p['missing']}[/bold red]: {p['message']}"
        )
        _report_whom(con, out)
        return
    con.print(
        f"[bold]Family {p['family']}, missing person {p['missing']}[/bold]; typed "
        f"references: {', '.join(out['typed_references'])}; {len(p['markers'])} markers"
    )
    t = Table(title="Informativeness of the current references")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row(
        "exclusion probability of an unrelated person (exact)", f"{p['exclusion_probability']:.6f}"
    )
    t.add_row(
        "expected log10 LR if the missing person is tested (exact)", f"{p['expected_log10LR']:.3f}"
    )
    for k, v in p["P_LR_at_least"].items():
        t.add_row(
            f"P(LR >= {k}) if the missing person is tested",
            f"{v:.4f} ± {p['P_LR_at_least_se'][k]:.4f}",
        )
    for k, v in p["P_LR_at_least_unrelated"].items():
        t.add_row(f"P(LR >= {k}) for an unrelated person", f"{v:.4f}")
    for k, v in p["log10LR_quantiles_if_MP"].items():
        t.add_row(f"log10 LR {k} quantile if the missing person is tested", f"{v:.2f}")
    con.print(t)
    t = Table(title="Per marker (exact)")
    for c in ("marker", "exclusion probability", "expected log10 LR"):
        t.add_column(c, justify="right" if c != "marker" else "left")
    for m in p["markers"]:
        t.add_row(
            m,
            f"{p['exclusion_probability_per_marker'][m]:.6f}",
            f"{p['expected_log10LR_per_marker'][m]:.3f}",
        )
    con.print(t)
    _report_lineage(con, p)
    _report_whom(con, out)
    con.print(f"Model: {out['model']}")
    con.print(f"Method: {out['method']}")
    if "snp" in out:
        names = ", ".join(f"{f['file']} (sha256 {f['sha256'][:12]})" for f in out["snp"]["panel"])
        con.print(f"SNP panel: {names}; {out['snp']['method']}")
    con.print(f"Mutation model: {out['mutation_model']}")
    con.print(f"Frequency table: {out['frequency_table']}; time {out['seconds']}")


def _report_lineage(con, p: dict) -> None:
    from nasab.engine.lineage import INDEPENDENCE

    for x in p.get("lineage", []):
        con.print(
            f"{x['kind']}: exclusion probability {x['exclusion_probability']:.4f}, expected "
            f"log10 factor {x['expected_log10LR']:.3f} if the missing person is tested "
            f"(included above); {x['statement']}; database {x['database']}"
        )
    if p.get("lineage"):
        con.print(f"Combination: {INDEPENDENCE}")


def _report_whom(con, out: dict) -> None:
    from rich.table import Table

    if not out["whom_to_sample_next"]:
        return
    t = Table(title="Whom to sample next (ranked by expected log10 LR)")
    for c in ("#", "candidate", "relation", "E log10 LR", "gain", "P(LR>=1e4)", "P(LR>=1e6)"):
        t.add_column(c)
    for i, c in enumerate(out["whom_to_sample_next"], 1):
        t.add_row(
            str(i),
            c["candidate"],
            c["relation"],
            f"{c['expected_log10LR']:.2f}",
            f"{c['gain_log10LR']:+.2f}",
            f"{c['P_LR_at_least']['1e4']:.4f}",
            f"{c['P_LR_at_least']['1e6']:.4f}",
        )
    con.print(t)
    for c in out["whom_to_sample_next"]:
        for kind, x in c.get("lineage_expected_log10LR", {}).items():
            con.print(
                f"  {c['candidate']}: typed for {kind}, expected log10 factor {x:.2f} "
                "(included in E log10 LR)"
            )


def run(args: argparse.Namespace) -> int:
    try:
        out = programme(args) if args.programme else analyse(args)
    except NasabError as e:
        print(f"nasab: error: {e}", file=sys.stderr)
        return 2
    if args.json or args.programme:
        sys.stdout.write(dumps_strict(out, indent=1, default=str) + "\n")
    else:
        report(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = NasabArgumentParser(prog="nasab power")
    _arguments(p)
    return run_standalone(p, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
