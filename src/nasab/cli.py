"""The ``nasab`` command line.

Every user mistake ends in one clear message on stderr naming the file, line or field,
and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from nasab import __version__
from nasab.engine.errors import InputError, ModelError, NasabError
from nasab.engine.frequencies import marker_key, read_frequencies
from nasab.engine.genotypes import Profile
from nasab.engine.lr import LRResult, missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel
from nasab.formats.io import read_case, read_ped, read_profiles

# Sub-commands living in the feature packages; each module exposes add_parser(subparsers)
# (and run(args) for parsers without set_defaults(func=...)). A command loads only its own
# module, so that `nasab lr` starts without the search, joint or registry code.
COMMANDS = {
    "simulate": "search.cli", "search": "search.cli", "direct": "search.cli",
    "bench": "search.cli", "joint": "joint.cli", "power": "power.cli",
    "custody": "custody.cli", "dedup": "linkage.cli", "pfif": "linkage.cli",
    "familias": "formats.cli", "snp": "snp.cli",
}
PLUGINS = tuple(dict.fromkeys(COMMANDS.values()))


def _probability(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= v <= 1:
        raise argparse.ArgumentTypeError(f"{v} must be between 0 and 1")
    return v


def _add_lr_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lr", help="likelihood ratio that a person of interest is a family's missing person",
        description="LR = P(data | POI is the missing person) / P(data | POI unrelated), "
        "exact, per marker and in total.",
    )
    src = p.add_argument_group("input")
    src.add_argument("--case", type=Path, help="a case folder (pedigree.ped, poi.tsv, "
                     "freqs.txt, case.json) as in the oracle format")
    src.add_argument("--ped", type=Path, help="reference pedigree (ped format)")
    src.add_argument("--families", type=Path, help="instead of --ped: a families table of "
                     "nasab search (TSV or Parquet), with --family-id")
    src.add_argument("--family-id", help="which family of --families")
    src.add_argument("--poi", type=Path, help="person-of-interest table (id + markers)")
    src.add_argument("--poi-id", help="which row of the POI table (default: the only one)")
    src.add_argument("--freqs", type=Path, help="frequency table (Familias text or TSV); "
                     "default: the bundled NIST 1036 table")
    src.add_argument("--missing", help="id of the missing person in the pedigree")
    src.add_argument("--markers", help="comma-separated markers to use (default: all)")
    mut = p.add_argument_group("mutation model (pedmut names)")
    mut.add_argument("--mutation", default="none",
                     choices=["none", "equal", "proportional", "stepwise", "onestep"])
    mut.add_argument("--rate", type=_probability, help="mutation rate, both sexes; without "
                     "--rate (and --rate-female/--rate-male) each marker takes its published "
                     "rate by sex (bundled AABB 2003 table; 1e-3 where none), rate2 0, range "
                     "--range: exactly the default model of nasab search")
    mut.add_argument("--rate-female", type=_probability)
    mut.add_argument("--rate-male", type=_probability)
    mut.add_argument("--rate2", type=_probability, default=None,
                     help="stepwise: rate to other microvariant groups (default 1e-6 with "
                     "--rate, 0 with the published rates)")
    mut.add_argument("--range", type=float, default=0.5, dest="range_",
                     help="stepwise: relative probability of n+1 vs n steps")
    mut.add_argument("--stationary", action="store_true",
                     help="make the model stationary (PM transformation)")
    fq = p.add_argument_group("frequencies")
    fq.add_argument("--normalise", action="store_true",
                    help="scale each marker's frequencies to sum to 1")
    fq.add_argument("--min-freq", type=_probability,
                    help="frequency for alleles absent from the table (default 5/2N)")
    pop = p.add_argument_group("population substructure and degraded samples")
    pop.add_argument("--theta", type=float, default=None,
                     help="Balding-Nichols coancestry coefficient theta (Fst), in [0, 0.5); "
                     "default 0 (Hardy-Weinberg)")
    pop.add_argument("--dropout", type=float, default=0.0,
                     help="POI sample: probability that an allele of a heterozygote drops out")
    pop.add_argument("--dropout-hom", type=float, default=None,
                     help="POI sample: probability that a homozygote drops out entirely "
                     "(default dropout^2)")
    pop.add_argument("--dropin", type=float, default=0.0,
                     help="POI sample: probability of one drop-in allele per marker")
    pop.add_argument("--ref-dropout", type=float, default=0.0,
                     help="dropout probability for every typed reference (default 0)")
    lin = p.add_argument_group(
        "lineage markers (Y-STR and mtDNA columns of the same tables; docs/lineage.md)")
    lin.add_argument("--ystr-db", type=Path, metavar="FILE",
                     help="Y-STR haplotype database (tab-separated, one man per row, "
                     "locus columns), e.g. ../shared/data/ystr/Purps2014_Lebanon_haplotypes.tsv")
    lin.add_argument("--ystr-method", choices=["counting", "augmented", "dlaplace"],
                     default="counting",
                     help="population probability of the POI's Y haplotype: counting (upper "
                     "Clopper-Pearson bound of x/N; default), augmented ((x+1)/(N+1)) or "
                     "dlaplace (discrete Laplace mixture fitted to the database)")
    lin.add_argument("--lineage-confidence", type=float, default=0.95, metavar="C",
                     help="one-sided confidence of the Clopper-Pearson bound (Y counting "
                     "and mtDNA; default 0.95)")
    lin.add_argument("--mtdna-db", type=Path, metavar="FILE",
                     help="mtDNA database (columns range + variants, or one mtDNA column), "
                     "e.g. ../shared/data/mtdna/Just2015_USA_mitogenomes.tsv")
    p.add_argument("--prior", type=_probability,
                   help="prior probability of identity, to report a posterior")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_run_lr)


def _mutation_from_args(args: argparse.Namespace, markers: Sequence[str]
                        ) -> dict[str, MutationSpec] | MutationSpec | None:
    if args.mutation == "none":
        return None
    rf = args.rate_female if args.rate_female is not None else args.rate
    rm = args.rate_male if args.rate_male is not None else args.rate
    transform = "PM" if args.stationary else None
    if rf is None and rm is None:
        from nasab.engine.mutation import mutation_specs

        return mutation_specs(markers, args.mutation, range_=args.range_,
                              rate2=args.rate2 or 0.0, transform=transform)
    if rf is None or rm is None:
        raise InputError(f"--mutation {args.mutation} needs both --rate-female and "
                         "--rate-male (or --rate)", field="--rate")
    r2 = 1e-6 if args.rate2 is None else args.rate2
    return MutationSpec(args.mutation, rf, rm, r2, r2, args.range_, args.range_, transform)


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
        raise InputError(f"no family {args.family_id!r}", file=str(args.families),
                         field="--family-id")
    if args.ped is None:
        raise InputError("--ped (or --families with --family-id) is required, or give "
                         "--case DIR", field="--ped")
    return read_ped(args.ped)


def _pick_poi(pois: list[Profile], poi_id: str | None, path: Path) -> Profile:
    if poi_id is not None:
        for p in pois:
            if p.id == poi_id:
                return p
        raise InputError(f"no row with id {poi_id!r}", file=str(path), field="--poi-id")
    if len(pois) > 1:
        raise InputError(f"{len(pois)} rows; choose one with --poi-id "
                         f"({', '.join(p.id for p in pois[:5])}...)", file=str(path))
    return pois[0]


def _run_lr(args: argparse.Namespace) -> int:
    if args.case:
        case = read_case(args.case)
        family, missing, poi, table = case.family, case.missing, case.poi, case.table
        mutations: dict[str, MutationSpec] | MutationSpec | None = case.mutations
        markers = case.markers
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
        mutations = _mutation_from_args(args, markers)
    if getattr(args, "markers", None):
        markers = [m.strip() for m in args.markers.split(",") if m.strip()]
    if args.min_freq is not None:
        table.min_frequency = args.min_freq
    for name, total in table.unnormalised_markers():
        msg = f"frequencies of marker {name} sum to {total:.10g}, not 1"
        msg += "; normalised" if args.normalise else " (used as given; --normalise to scale)"
        warnings.warn(msg, stacklevel=1)
    if args.normalise:
        table = table.normalised()
    _check_markers(family.markers, table, markers, args)
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
    result.lineage = lineage
    _emit(result, args)
    return 0


def _lineage_evidence(family, missing: str, poi: Profile, args: argparse.Namespace) -> list:
    """The Y-STR and mtDNA factors (read before the autosomal LR: bad input fails fast)."""
    from nasab.engine.lr import lineage_factors

    if not 0 < args.lineage_confidence < 1:
        raise InputError(f"must be in (0, 1), not {args.lineage_confidence}",
                         field="--lineage-confidence")
    ystr_db = mtdna_db = None
    if args.ystr_db is not None:
        from nasab.engine.ystr import read_ystr_database

        ystr_db = read_ystr_database(args.ystr_db)
    if args.mtdna_db is not None:
        from nasab.engine.mtdna import read_mtdna_database

        mtdna_db = read_mtdna_database(args.mtdna_db)
    if missing not in family.pedigree:
        return []  # the engine's LR says so, with the file
    return lineage_factors(family, missing, poi, ystr_db=ystr_db,
                           ystr_method=args.ystr_method, mtdna_db=mtdna_db,
                           confidence=args.lineage_confidence)


def _check_markers(fam_markers: list[str], table, markers: Sequence[str],
                   args: argparse.Namespace) -> None:

    fam = {marker_key(m) for m in fam_markers}
    for m in markers:
        if m not in table:
            raise InputError(f"marker {m} is not in the frequency table",
                             file=str(table.source))
        if marker_key(m) not in fam:
            raise InputError(f"marker {m} is not a column of the pedigree file",
                             file=str(args.ped or args.case))


def _emit(result: LRResult, args: argparse.Namespace) -> None:
    if args.json:
        out = result.to_json()
        if args.prior is not None:
            from nasab.engine.lr import posterior

            out["prior"] = args.prior
            out["posterior"] = posterior(result.log10_lr, args.prior)
        print(json.dumps(out, indent=2))
    else:
        from nasab.engine.report import print_lr_report

        print_lr_report(result, prior=args.prior)


def _add_demo_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the worked example on bundled synthetic data")
    p.add_argument("--out", type=Path, default=Path("out/demo"),
                   help="folder for the generated case files (default out/demo)")
    p.set_defaults(func=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
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
        print_lr_report(result, console, prior=0.01,
                        title=f"Remain {poi.id} against missing person MP")
        console.print()
    console.print("Same result from the command line:\n"
                  f"  nasab lr --ped {paths['ped']} --poi {paths['poi']} --poi-id R-0417 "
                  f"--freqs {paths['freqs']} --missing MP --mutation stepwise "
                  "--rate-female 0.0005 --rate-male 0.002 --rate2 1e-6 --range 0.5")
    return 0


def _requested_command(argv: Sequence[str] | None) -> str | None:
    """The sub-command named on the command line (the first word not an option), if any."""
    args = sys.argv[1:] if argv is None else argv
    return next((a for a in args if not a.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``nasab`` parser; with ``argv``, only the module of the command named there is
    loaded (all of them for ``nasab --help`` or an unknown command)."""
    parser = argparse.ArgumentParser(
        prog="nasab", description="DNA-led identification of missing persons.")
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
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    def show_warning(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001
        print(f"nasab: warning: {message}", file=sys.stderr)

    warnings.showwarning = show_warning
    try:
        return int(args.func(args) or 0)
    except NasabError as e:  # InputError and friends: the user's mistake, said plainly
        print(f"nasab: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nasab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
