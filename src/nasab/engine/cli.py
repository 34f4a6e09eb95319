"""The engine's command-line vocabulary, shared by ``lr``, ``search``, ``direct``, ``joint`` and ``power``.

Each option is defined here once, with its help text, metavar, range check and default, and
every command adds the ones that apply to it. The mutation model has the same default in
every command: ``stepwise`` at the published per-marker rates by sex
(:func:`nasab.engine.mutation.model_specs`); a case or DVI folder that states its own model
(``case.json``, ``dvi.json``) keeps it unless ``--mutation`` is given. The model a command
used is described by :func:`mutation_words`, the same words in its report and its JSON.

Old spellings keep working for one release, with a deprecation note on stderr:
``--mutation-rate`` (rate where no rate is published), ``--mutation-range`` (``--range``),
``--no-mutation`` (``--mutation none``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from nasab.engine.errors import InputError, ModelError
from nasab.engine.mutation import (
    DEFAULT_MODEL,
    DEFAULT_RANGE,
    DEFAULT_RATE,
    USER_MODELS,
    MutationSpec,
    describe_model,
    model_specs,
)


class NasabArgumentParser(argparse.ArgumentParser):
    """argparse with nasab's one error prefix: ``nasab: error: ...``, exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"nasab: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _number(text: str, lo: float, hi: float, hi_open: bool, what: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not (lo <= v < hi if hi_open else lo <= v <= hi):
        raise argparse.ArgumentTypeError(f"{v:g} is not {what}")
    return v


def probability(text: str) -> float:
    """A number in [0, 1]."""
    return _number(text, 0.0, 1.0, False, "a probability in [0, 1]")


def dropout_probability(text: str) -> float:
    """A number in [0, 1)."""
    return _number(text, 0.0, 1.0, True, "in [0, 1)")


def theta_value(text: str) -> float:
    """A coancestry coefficient in [0, 0.5)."""
    return _number(text, 0.0, 0.5, True, "in [0, 0.5)")


def whole_number(lo: int, hi: int):
    """An argparse type: a whole number from ``lo`` to ``hi`` (a count, a seed)."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{v} is not a whole number from {lo} to {hi:,}")
        return v

    parse.__name__ = "whole number"  # argparse names the type in its messages
    return parse


seed_value = whole_number(0, 2**63 - 1)  # every random seed: numpy takes 0 or more


def positive(text: str) -> float:
    """A positive finite number (a threshold, a weight: inf would silently select nothing,
    or turn every posterior into NaN)."""
    v = _number(text, 0.0, float("inf"), True, "a positive finite number")
    if v <= 0:
        raise argparse.ArgumentTypeError(f"{v:g} is not positive")
    return v


def frequency_value(text: str) -> float:
    """An allele frequency in (0, 1] (a frequency of 0 would make an LR infinite)."""
    v = _number(text, 0.0, 1.0, False, "a frequency in (0, 1]")
    if v <= 0:
        raise argparse.ArgumentTypeError(f"{v:g} is not a frequency in (0, 1]")
    return v


class _Deprecated(argparse.Action):
    """An old spelling: stores into the new option's destination, with a note."""

    def __init__(self, option_strings, dest, new: str, const=None, nargs=None, **kw):
        self.new = new
        super().__init__(option_strings, dest, nargs=nargs, const=const, **kw)

    def __call__(self, parser, namespace, values, option_string=None):
        print(
            f"nasab: warning: {option_string} is deprecated and will be removed in the next "
            f"release; use {self.new}",
            file=sys.stderr,
        )
        setattr(namespace, self.dest, self.const if self.nargs == 0 else values)


def add_mutation_options(p, *, folder: str | None = None, stationary: bool = False) -> None:
    """--mutation, --rate, --rate-female, --rate-male, --rate2, --range (and the old
    spellings). ``folder`` names the settings file whose model is used when --mutation is
    not given (e.g. ``case.json``)."""
    g = p.add_argument_group("mutation model (pedmut's names; the same default in every command)")
    default = f"default: the model in {folder} when there is one, else " if folder else "default: "
    g.add_argument(
        "--mutation",
        choices=USER_MODELS,
        default=None,
        metavar="MODEL",
        help=f"mutation model: {', '.join(USER_MODELS)} ({default}"
        f"{DEFAULT_MODEL} at the published per-marker rates by sex, bundled AABB "
        f"2003 table, {DEFAULT_RATE:g} where none is published)",
    )
    g.add_argument(
        "--rate",
        type=probability,
        metavar="P",
        help="mutation rate per meiosis for every marker, both sexes (default: "
        "each marker's published rate by sex)",
    )
    g.add_argument(
        "--rate-female",
        type=probability,
        metavar="P",
        help="mutation rate of mother-to-child transmissions, every marker",
    )
    g.add_argument(
        "--rate-male",
        type=probability,
        metavar="P",
        help="mutation rate of father-to-child transmissions, every marker",
    )
    g.add_argument(
        "--rate2",
        type=probability,
        metavar="P",
        help="stepwise: rate to alleles of other microvariant groups (default 0 "
        "with the published rates, 1e-6 with --rate)",
    )
    g.add_argument(
        "--range",
        type=probability,
        dest="range_",
        default=None,
        metavar="R",
        help=f"stepwise: relative probability of n+1 vs n steps (default {DEFAULT_RANGE:g})",
    )
    if stationary:
        g.add_argument(
            "--stationary",
            action="store_true",
            help="make the model stationary (PM transformation)",
        )
    g.add_argument(
        "--mutation-rate",
        type=probability,
        dest="default_rate",
        default=None,
        action=_Deprecated,
        new="--rate (every marker) or the published rates",
        metavar="P",
        help="deprecated: rate for markers without a published rate",
    )
    g.add_argument(
        "--mutation-range",
        type=probability,
        dest="range_",
        action=_Deprecated,
        new="--range",
        metavar="R",
        help="deprecated: use --range",
    )
    g.add_argument(
        "--no-mutation",
        dest="mutation",
        action=_Deprecated,
        nargs=0,
        const="none",
        new="--mutation none",
        help="deprecated: use --mutation none",
    )


# the options that state a mutation model (their argparse destinations), and the two that
# only adjust it
_MODEL_OPTIONS = {"mutation": "--mutation", "rate": "--rate", "rate_female": "--rate-female"}
_MODEL_OPTIONS |= {"rate_male": "--rate-male", "rate2": "--rate2", "range_": "--range"}
_ADJUSTING_OPTIONS = {"default_rate": "--mutation-rate", "stationary": "--stationary"}


def mutation_given(args: argparse.Namespace) -> bool:
    """Whether the command line states a mutation model (else a folder's model is used)."""
    return any(getattr(args, k, None) is not None for k in _MODEL_OPTIONS)


def rates_from_args(args: argparse.Namespace) -> tuple[float | None, float | None]:
    rate = getattr(args, "rate", None)
    rf = args.rate_female if getattr(args, "rate_female", None) is not None else rate
    rm = args.rate_male if getattr(args, "rate_male", None) is not None else rate
    return rf, rm


def _model_kw(args: argparse.Namespace) -> dict:
    rf, rm = rates_from_args(args)
    return {
        "rate_female": rf,
        "rate_male": rm,
        "rate2": getattr(args, "rate2", None),
        "range_": DEFAULT_RANGE if getattr(args, "range_", None) is None else args.range_,
        "default_rate": (
            DEFAULT_RATE if getattr(args, "default_rate", None) is None else args.default_rate
        ),
        "transform": "PM" if getattr(args, "stationary", False) else None,
    }


def mutation_name(args: argparse.Namespace) -> str:
    return getattr(args, "mutation", None) or DEFAULT_MODEL


def mutation_from_args(args: argparse.Namespace, markers: Sequence[str]) -> dict[str, MutationSpec]:
    """Each marker's model from the command line (the shared default when none given);
    an impossible model names the options given."""
    options = _MODEL_OPTIONS | _ADJUSTING_OPTIONS
    # a value given (0 included, though 0.0 == False) or a flag set
    given = [
        o
        for k, o in options.items()
        if (v := getattr(args, k, None)) is not None and v is not False
    ]
    where = "/".join(given) or "--mutation (the default model)"
    try:
        specs = model_specs(markers, mutation_name(args), **_model_kw(args))
    except ModelError as e:
        raise InputError(e.message, field=where) from None
    return {m: dataclasses.replace(s, origin=(None, where)) for m, s in specs.items()}


def mutation_words(args: argparse.Namespace) -> str:
    """The command line's model in the words every report and JSON uses."""
    return describe_model(mutation_name(args), **_model_kw(args))


def add_command(subparsers, name: str, *, help: str, description: str, arguments, run):
    """A sub-command of ``nasab``: its parser (``arguments(p)`` adds the options) runs
    ``run(args)``."""
    p = subparsers.add_parser(name, help=help, description=description)
    arguments(p)
    p.set_defaults(func=run)
    return p


def run_standalone(parser: argparse.ArgumentParser, run, argv: Sequence[str] | None) -> int:
    """A command run on its own (``python -m nasab.FEATURE.cli``): a usage error (printed
    with nasab's prefix) or ``--help`` ends with its exit status, else ``run(args)``."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2
    return run(args)


def add_json_option(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a report")


def add_folder_model_options(p, *, folder: str, theta_note: str) -> None:
    """The mutation model and theta of a command that reads a case or DVI folder: the
    folder's own (``folder`` names its settings file) unless given here."""
    add_mutation_options(p, folder=folder)
    add_theta_option(p, theta_note, default=None)


def add_theta_option(p, note: str = "", default: float | None = 0.0) -> None:
    p.add_argument(
        "--theta",
        type=theta_value,
        default=default,
        metavar="THETA",
        help="Balding-Nichols coancestry coefficient (Fst) in [0, 0.5) (default "
        + ("0, Hardy-Weinberg" if default == 0 else "the folder's, else 0")
        + (f"); {note}" if note else ")"),
    )


def add_dropout_options(p, who: str = "samples") -> None:
    p.add_argument(
        "--dropout",
        type=dropout_probability,
        default=0.0,
        metavar="D",
        help=f"{who}: probability that one allele copy drops out (homozygote: "
        "its square; default 0)",
    )
    p.add_argument(
        "--dropin",
        type=dropout_probability,
        default=0.0,
        metavar="C",
        help=f"{who}: drop-in probability (allele i appears with probability C * p_i; default 0)",
    )


def add_threshold_option(p, default: float, what: str = "keep pairs with LR >= T") -> None:
    p.add_argument(
        "--threshold",
        type=positive,
        default=default,
        metavar="T",
        help=f"{what} (default {default:g})",
    )


def add_freqs_option(p, required: bool = False) -> None:
    p.add_argument(
        "--freqs",
        type=Path,
        default=None,
        required=required,
        metavar="FILE",
        help="allele frequency table (Familias text or TSV)"
        + ("" if required else "; default: the bundled NIST 1036 table"),
    )


def add_lineage_options(p) -> None:
    """--ystr-db, --ystr-method, --lineage-confidence, --mtdna-db (docs/lineage.md): the
    databases and estimator of the Y-STR and mtDNA factors, the same in every command."""
    lin = p.add_argument_group(
        "lineage markers (Y-STR and mtDNA columns of the same tables; docs/lineage.md)"
    )
    lin.add_argument(
        "--ystr-db",
        type=Path,
        metavar="FILE",
        help="Y-STR haplotype database (tab-separated, one man per row, "
        "locus columns), e.g. ../shared/data/ystr/Purps2014_Lebanon_haplotypes.tsv",
    )
    lin.add_argument(
        "--ystr-method",
        choices=["counting", "augmented", "dlaplace"],
        default="counting",
        help="population probability of the POI's Y haplotype: counting (upper "
        "Clopper-Pearson bound of x/N; default), augmented ((x+1)/(N+1)) or "
        "dlaplace (discrete Laplace mixture fitted to the database)",
    )
    lin.add_argument(
        "--lineage-confidence",
        type=float,
        default=0.95,
        metavar="C",
        help="one-sided confidence of the Clopper-Pearson bound (Y counting "
        "and mtDNA; default 0.95)",
    )
    lin.add_argument(
        "--mtdna-db",
        type=Path,
        metavar="FILE",
        help="mtDNA database (columns range + variants, or one mtDNA column), "
        "e.g. ../shared/data/mtdna/Just2015_USA_mitogenomes.tsv",
    )


def lineage_confidence(args: argparse.Namespace) -> float:
    """--lineage-confidence, checked."""
    from nasab.engine.errors import InputError

    c = args.lineage_confidence
    if not 0 < c < 1:
        raise InputError(f"must be in (0, 1), not {c}", field="--lineage-confidence")
    return c


def add_unknown_markers_option(p) -> None:
    p.add_argument(
        "--ignore-unknown-markers",
        action="store_true",
        help="a column that is not a known marker is an error; with this option "
        "it is ignored with a warning listing the columns",
    )


def unknown_markers(
    columns: Sequence[str], known: Sequence[str], *, file: str, ignore: bool
) -> list[str]:
    """Columns that are not known markers: an error naming them, or (``ignore``) a warning
    and the list."""
    import warnings

    from nasab.engine.frequencies import marker_key

    keys = {marker_key(k) for k in known}
    bad = [c for c in columns if marker_key(c) not in keys]
    if bad and not ignore:
        raise InputError(
            f"{len(bad)} column(s) not a known marker: {', '.join(bad[:10])}"
            f"{'...' if len(bad) > 10 else ''} (check the spelling; "
            "--ignore-unknown-markers to leave them out)",
            file=file,
            line=1,
        )
    if bad:
        warnings.warn(
            f"{file}: columns ignored (not a known marker): {', '.join(bad)}", stacklevel=2
        )
    return bad
