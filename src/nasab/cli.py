"""The ``nasab`` command line.

Every user mistake ends in one clear message on stderr naming the file, line or field,
and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from nasab import __version__
from nasab.engine.cli import (
    NasabArgumentParser,
    add_dropout_options,
    add_lineage_options,
    add_mutation_options,
    add_theta_option,
    add_unknown_markers_option,
    dropout_probability,
    frequency_value,
    lineage_confidence,
    mutation_from_args,
    mutation_given,
    mutation_words,
    probability,
    unknown_markers,
)
from nasab.engine.errors import InputError, ModelError, NasabError, RunFailure, shorten
from nasab.engine.frequencies import marker_key, read_frequencies
from nasab.engine.genotypes import Profile
from nasab.engine.lr import LRResult, missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel
from nasab.engine.strict_json import dumps_strict
from nasab.formats.io import read_case, read_ped, read_profiles

# Sub-commands living in the feature packages; each module exposes add_parser(subparsers)
# (and run(args) for parsers without set_defaults(func=...)). A command loads only its own
# module, so that `nasab lr` starts without the search, joint or registry code.
COMMANDS = {
    "simulate": "search.cli",
    "search": "search.cli",
    "direct": "search.cli",
    "bench": "search.cli",
    "joint": "joint.cli",
    "power": "power.cli",
    "custody": "custody.cli",
    "dedup": "linkage.cli",
    "pfif": "linkage.cli",
    "familias": "formats.cli",
    "snp": "snp.cli",
}
PLUGINS = tuple(dict.fromkeys(COMMANDS.values()))


_probability = probability


def _add_lr_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lr",
        help="likelihood ratio that a person of interest is a family's missing person",
        description="LR = P(data | POI is the missing person) / P(data | POI unrelated), "
        "exact, per marker and in total.",
    )
    src = p.add_argument_group("input")
    src.add_argument(
        "--case",
        metavar="DIR",
        type=Path,
        help="a case folder (pedigree.ped, poi.tsv, freqs.txt, case.json) as in the oracle format",
    )
    src.add_argument("--ped", metavar="FILE", type=Path, help="reference pedigree (ped format)")
    src.add_argument(
        "--families",
        metavar="FILE",
        type=Path,
        help="instead of --ped: a families table of "
        "nasab search (TSV or Parquet), with --family-id",
    )
    src.add_argument("--family-id", metavar="ID", help="which family of --families")
    src.add_argument(
        "--poi", metavar="FILE", type=Path, help="person-of-interest table (id + markers)"
    )
    src.add_argument(
        "--poi-id", metavar="ID", help="which row of the POI table (default: the only one)"
    )
    src.add_argument(
        "--freqs",
        metavar="FILE",
        type=Path,
        help="frequency table (Familias text or TSV); default: the bundled NIST 1036 table",
    )
    src.add_argument("--missing", metavar="ID", help="id of the missing person in the pedigree")
    src.add_argument(
        "--markers", metavar="LIST", help="comma-separated markers to use (default: all)"
    )
    add_mutation_options(p, folder="case.json", stationary=True)
    fq = p.add_argument_group("frequencies")
    fq.add_argument(
        "--normalise", action="store_true", help="scale each marker's frequencies to sum to 1"
    )
    fq.add_argument(
        "--min-freq",
        metavar="P",
        type=frequency_value,
        help="frequency for alleles absent from the table (default 5/2N)",
    )
    pop = p.add_argument_group("population substructure and degraded samples")
    add_theta_option(pop, "with --case: the theta of case.json unless given", default=None)
    add_dropout_options(pop, "POI sample")
    pop.add_argument(
        "--dropout-hom",
        metavar="P",
        type=dropout_probability,
        default=None,
        help="POI sample: probability that a homozygote drops out entirely (default dropout^2)",
    )
    pop.add_argument(
        "--ref-dropout",
        type=dropout_probability,
        default=0.0,
        metavar="D",
        help="dropout probability for every typed reference (default 0)",
    )
    add_lineage_options(p)
    _add_snp_options(p)
    add_unknown_markers_option(src)
    p.add_argument(
        "--prior",
        metavar="P",
        type=_probability,
        help="prior probability of identity, to report a posterior",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_run_lr)


def _add_snp_options(p: argparse.ArgumentParser) -> None:
    snp = p.add_argument_group(
        "dense SNP panels, multiplied with the STR LR (docs/snp.md); give --snp-panel, "
        "--snp-references and --snp-poi together"
    )
    snp.add_argument(
        "--snp-panel",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="SNP panel file(s), e.g. ../shared/data/snp/FORCE_freqs.tsv and "
        "XFORCE_freqs.tsv (chromosome X)",
    )
    snp.add_argument(
        "--snp-references",
        type=Path,
        metavar="FILE",
        help="the references' SNP calls (table id + rsID columns, or VCF); ids of the pedigree",
    )
    snp.add_argument(
        "--snp-poi", type=Path, metavar="FILE", help="the POI's SNP calls (table or VCF)"
    )
    snp.add_argument(
        "--snp-poi-id",
        metavar="ID",
        help="which row/sample of --snp-poi (default: the STR POI's id, else the only one)",
    )
    snp.add_argument(
        "--snp-error-reference",
        type=dropout_probability,
        default=0.001,
        metavar="E",
        help="genotyping error rate of reference SNP calls (default 0.001)",
    )
    snp.add_argument(
        "--snp-error-poi",
        type=dropout_probability,
        default=0.01,
        metavar="E",
        help="genotyping error rate of the POI's SNP calls (default 0.01: bone)",
    )
    snp.add_argument(
        "--str-map",
        type=Path,
        metavar="FILE",
        help="positions of the STR loci (marker, chromosome, position_bp; GRCh38): SNPs "
        "near a compared STR locus are left out of the SNP LR; without it the report "
        "states that STR-SNP linkage is ignored",
    )
    snp.add_argument(
        "--snp-str-distance",
        type=float,
        default=10.0,
        metavar="MB",
        help="with --str-map: leave out SNPs within MB megabases of an STR locus (default 10)",
    )


def _check_snp_options(args) -> bool:
    """Whether SNP evidence is asked for; the SNP options checked together before any work
    (an SNP-only option without SNP data is refused, not ignored)."""
    given = [args.snp_panel, args.snp_references, args.snp_poi]
    if not any(x is not None for x in given):
        if args.str_map is not None or args.snp_poi_id is not None:
            opt = "--str-map" if args.str_map is not None else "--snp-poi-id"
            raise InputError("needs --snp-panel, --snp-references and --snp-poi", field=opt)
        return False
    for opt, v in zip(("--snp-panel", "--snp-references", "--snp-poi"), given, strict=True):
        if v is None:
            raise InputError(f"{opt} is needed with the other SNP options", field=opt)
    if not args.snp_str_distance >= 0:
        raise InputError("must be 0 or more", field="--snp-str-distance")
    return True


def _snp_evidence(family, missing: str, poi: Profile, result: LRResult, args) -> list:
    """The SNP factors (autosomal, X) for ``nasab lr``, or [] when no SNP file is given."""
    if not _check_snp_options(args):
        return []
    from nasab.formats.snp import read_panels, read_snp_table, read_str_map
    from nasab.snp.evidence import near_str_loci, snp_factors

    panel = read_panels(args.snp_panel)
    files = [
        {"file": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
        for f in args.snp_panel
    ]
    ped = family.pedigree
    refs = read_snp_table(args.snp_references, panel)
    outside = [r for r in refs if r not in ped]
    if outside:
        raise InputError(
            f"SNP reference(s) not in the pedigree: {', '.join(outside[:5])}",
            file=str(args.snp_references),
        )
    calls = read_snp_table(args.snp_poi, panel)
    wanted = args.snp_poi_id or (poi.id if poi.id in calls else None)
    if wanted is None and len(calls) != 1:
        raise InputError(
            f"{len(calls)} persons in the file; say which with --snp-poi-id",
            file=str(args.snp_poi),
            field="--snp-poi-id",
        )
    if wanted is not None and wanted not in calls:
        raise InputError(f"no person {wanted!r}", file=str(args.snp_poi), field="--snp-poi-id")
    poi_calls = calls[wanted] if wanted is not None else next(iter(calls.values()))
    compared = [m.marker for m in result.markers if m.compared]
    linkage = near_str_loci(
        panel,
        compared,
        None if args.str_map is None else read_str_map(args.str_map),
        distance_bp=int(args.snp_str_distance * 1e6),
        map_file=str(args.str_map or ""),
    )
    evidence, _ = snp_factors(
        ped,
        refs,
        missing,
        poi_calls,
        panel,
        linkage=linkage,
        panel_files=files,
        error_references=args.snp_error_reference,
        error_poi=args.snp_error_poi,
    )
    return evidence


def _reference_family(args: argparse.Namespace):
    """The family from --ped, or from --families with --family-id (a search table)."""
    if args.families is not None:
        if args.ped is not None:
            raise InputError("give --ped or --families, not both", field="--families")
        if not args.family_id:
            raise InputError("--families needs --family-id", field="--family-id")
        from nasab.search.data import read_families

        for fd in read_families(args.families).families:
            if fd.family.name == args.family_id:
                return fd.family
        raise InputError(
            f"no family {args.family_id!r}", file=str(args.families), field="--family-id"
        )
    if args.ped is None:
        raise InputError(
            "--ped (or --families with --family-id) is required, or give --case DIR", field="--ped"
        )
    return read_ped(args.ped)


def _pick_poi(pois: list[Profile], poi_id: str | None, path: Path) -> Profile:
    if poi_id is not None:
        for p in pois:
            if p.id == poi_id:
                return p
        raise InputError(f"no row with id {poi_id!r}", file=str(path), field="--poi-id")
    if len(pois) > 1:
        raise InputError(
            f"{len(pois)} rows; choose one with --poi-id ({', '.join(p.id for p in pois[:5])}...)",
            file=str(path),
        )
    return pois[0]


_CASE_FILES = ("--ped", "--families", "--family-id", "--poi", "--poi-id", "--freqs", "--missing")


def _marker_list(text: str) -> list[str]:
    """--markers: none named meant every marker, one named twice counted twice."""
    markers = [m.strip() for m in text.split(",") if m.strip()]
    keys = [marker_key(m) for m in markers]
    twice = sorted({m for m, k in zip(markers, keys, strict=True) if keys.count(k) > 1})
    if not markers or twice:
        what = f"named twice: {', '.join(twice)}" if twice else f"no marker in {text!r}"
        raise InputError(what, field="--markers")
    return markers


def _refuse_beside_case(args: argparse.Namespace) -> None:
    """The input options are refused beside --case (they were silently ignored: the
    folder's files were used)."""
    given = [o for o in _CASE_FILES if getattr(args, o[2:].replace("-", "_")) is not None]
    if given:
        raise InputError(
            f"not used with --case (the folder's pedigree.ped, poi.tsv, freqs.txt and "
            f"case.json): {', '.join(given)}",
            field=given[0],
        )


def _run_lr(args: argparse.Namespace) -> int:
    _check_snp_options(args)  # before any work
    if args.case:
        _refuse_beside_case(args)
        case = read_case(args.case)
        family, missing, poi, table = case.family, case.missing, case.poi, case.table
        markers = case.markers
        _check_poi_columns(poi, family, table, args, str(Path(args.case) / "poi.tsv"))
        mutations: dict[str, MutationSpec] | MutationSpec | None = case.mutations
        model_words = "as given in case.json (per marker)"
        if mutation_given(args):  # the command line replaces the case's model
            mutations, model_words = mutation_from_args(args, markers), mutation_words(args)
        if args.theta is None:
            args.theta = case.theta
    else:
        for opt in ("poi", "missing"):
            if getattr(args, opt) is None:
                raise InputError(f"--{opt} is required (or give --case DIR)", field=f"--{opt}")
        family = _reference_family(args)
        poi = _pick_poi(read_profiles(args.poi), args.poi_id, args.poi)
        missing = args.missing
        if args.freqs:
            table = read_frequencies(args.freqs)
        else:
            from nasab.engine.frequencies import default_table

            table = default_table()
        markers = family.markers
        _check_poi_columns(poi, family, table, args, str(args.poi))
        mutations, model_words = mutation_from_args(args, markers), mutation_words(args)
    if getattr(args, "markers", None) is not None:
        markers = _marker_list(args.markers)
    if args.min_freq is not None:
        table.min_frequency = args.min_freq
    for name, total in table.unnormalised_markers():
        msg = f"frequencies of marker {name} sum to {total:.10g}, not 1"
        msg += "; normalised" if args.normalise else " (used as given; --normalise to scale)"
        warnings.warn(msg, stacklevel=1)
    if args.normalise:
        table = table.normalised()
    _check_markers(family.markers, table, markers, args, family.pedigree.source)
    try:
        drop = DropModel(args.dropout, args.dropout_hom, args.dropin)
        ref_drop = DropModel(args.ref_dropout)
    except ModelError as e:
        raise InputError(f"{e} (--dropout/--dropout-hom/--dropin/--ref-dropout)") from None
    if not drop.trivial:  # the command line replaces a case folder's settings
        poi.drop, poi.marker_drops = drop, {}
    if not ref_drop.trivial:
        family.drops = {pid: ref_drop for pid in family.typed_persons()}
        family.marker_drops = {}
    theta = args.theta or 0.0
    if not 0 <= theta < 0.5:
        raise InputError(f"--theta must be in [0, 0.5), not {theta}", field="--theta")
    lineage = _lineage_evidence(family, missing, poi, args)
    result = missing_person_lr(family, missing, poi, table, mutations, markers, theta=theta)
    result.lineage = lineage + _snp_evidence(family, missing, poi, result, args)
    result.mutation_model = model_words
    _emit(result, args)
    return 0


def _lineage_evidence(family, missing: str, poi: Profile, args: argparse.Namespace) -> list:
    """The Y-STR and mtDNA factors (read before the autosomal LR: bad input fails fast)."""
    from nasab.engine.lr import lineage_factors

    confidence = lineage_confidence(args)
    ystr_db = mtdna_db = None
    if args.ystr_db is not None:
        from nasab.engine.ystr import read_ystr_database

        ystr_db = read_ystr_database(args.ystr_db)
    if args.mtdna_db is not None:
        from nasab.engine.mtdna import read_mtdna_database

        mtdna_db = read_mtdna_database(args.mtdna_db)
    if missing not in family.pedigree:
        return []  # the engine's LR says so, with the file
    return lineage_factors(
        family,
        missing,
        poi,
        ystr_db=ystr_db,
        ystr_method=args.ystr_method,
        mtdna_db=mtdna_db,
        confidence=confidence,
    )


def _check_poi_columns(poi: Profile, family, table, args: argparse.Namespace, file: str) -> None:
    """A POI column that is neither a marker of the pedigree nor of the frequency table is
    an error (a mis-spelt marker would otherwise be dropped without a word)."""
    known = list(family.markers) + list(table.markers)
    bad = unknown_markers(poi.markers, known, file=file, ignore=args.ignore_unknown_markers)
    if bad:
        return
    fam = {marker_key(m) for m in family.markers}
    extra = [m for m in poi.markers if marker_key(m) not in fam]
    if extra:
        warnings.warn(
            f"{file}: markers not typed in the pedigree file, not compared: {', '.join(extra)}",
            stacklevel=2,
        )


def _check_markers(
    fam_markers: list[str],
    table,
    markers: Sequence[str],
    args: argparse.Namespace,
    source: str | None = None,
) -> None:

    fam = {marker_key(m) for m in fam_markers}
    named = getattr(args, "markers", None)  # else the markers are the pedigree file's columns
    origin = None if named else str(source or args.ped or args.case)
    for m in markers:
        if m not in table:  # named where the marker came from, and the table it is not in
            raise InputError(
                f"marker {shorten(m, 40)} is not in the frequency table {table.source}",
                file=origin,
                field="--markers" if named else m,
            )
        if marker_key(m) not in fam:
            raise InputError(
                f"marker {m} is not a column of the pedigree file",
                file=str(source or args.ped or args.case),
            )


def _emit(result: LRResult, args: argparse.Namespace) -> None:
    if args.json:
        out = result.to_json()
        if args.prior is not None:
            from nasab.engine.lr import posterior

            out["prior"] = args.prior
            out["posterior"] = posterior(result.log10_lr, args.prior)
        print(dumps_strict(out, indent=2))
    else:
        from nasab.engine.report import print_lr_report

        print_lr_report(result, prior=args.prior)


def _add_demo_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the worked example on bundled synthetic data")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("out/demo"),
        help="folder for the generated case files (default out/demo)",
    )
    p.set_defaults(func=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from nasab.engine.report import print_lr_report
    from nasab.sim.demo import DEMO_MUTATION, write_demo_case

    console = Console()
    paths = write_demo_case(args.out)
    console.rule("[bold]nasab demo: a worked kinship example (synthetic data)")
    console.print(
        "The missing man MP is the son of first cousins (a pedigree loop). His mother MO,\n"
        "his brother BR and his paternal uncle UN gave reference samples. Two remains were\n"
        f"typed: R-0417 (four markers failed) and R-0852. Files written to {args.out}/.\n"
        f"Mutation model: {DEMO_MUTATION.describe()}.\n"
    )
    family = read_ped(paths["ped"])
    table = read_frequencies(paths["freqs"])
    for poi in read_profiles(paths["poi"]):
        result = missing_person_lr(family, "MP", poi, table, DEMO_MUTATION)
        print_lr_report(
            result, console, prior=0.01, title=f"Remain {poi.id} against missing person MP"
        )
        console.print()
    console.print(
        "Same result from the command line:\n"
        f"  nasab lr --ped {paths['ped']} --poi {paths['poi']} --poi-id R-0417 "
        f"--freqs {paths['freqs']} --missing MP --mutation stepwise "
        "--rate-female 0.0005 --rate-male 0.002 --rate2 1e-6 --range 0.5"
    )
    return 0


def _requested_command(argv: Sequence[str] | None) -> str | None:
    """The sub-command named on the command line (the first word not an option), if any."""
    args = sys.argv[1:] if argv is None else argv
    return next((a for a in args if not a.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``nasab`` parser; with ``argv``, only the module of the command named there is
    loaded (all of them for ``nasab --help`` or an unknown command)."""
    parser = NasabArgumentParser(
        prog="nasab", description="DNA-led identification of missing persons."
    )
    parser.add_argument("--version", action="version", version=f"nasab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_lr_parser(sub)
    _add_demo_parser(sub)
    command = _requested_command(argv) if argv is not None else None
    if command in ("lr", "demo"):
        plugins: Sequence[str] = ()
    elif command in COMMANDS:
        plugins = (COMMANDS[command],)
    else:
        plugins = PLUGINS
    for name in plugins:
        try:
            mod = importlib.import_module(f"nasab.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"nasab.{name}":
                continue
            raise
        before = set(sub.choices)
        mod.add_parser(sub)
        for name in set(sub.choices) - before:  # plugins without set_defaults(func=...)
            if sub.choices[name].get_default("func") is None:
                sub.choices[name].set_defaults(func=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # a usage error (already printed) or --help / --version
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2

    def show_warning(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001
        text = " ".join(str(message).splitlines())
        print(f"nasab: warning: {shorten(text, 400)}", file=sys.stderr)

    warnings.showwarning = show_warning
    try:
        return int(args.func(args) or 0)
    except RunFailure as e:  # not the input: the run itself failed (exit 1, one line)
        print(f"nasab: error: {e}", file=sys.stderr)
        return 1
    except NasabError as e:  # InputError and friends: the user's mistake, said plainly
        print(f"nasab: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nasab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
