"""Command-line functions for duplicate reports and PFIF interchange.

The main ``nasab`` command (``nasab.cli``) calls :func:`add_parser` with its argparse
sub-parsers and :func:`run` with the parsed arguments::

    nasab dedup --reports FILE.csv [--threshold T] --out PAIRS.tsv
                [--clusters CLUSTERS.tsv] [--relatives RELATIVES.tsv]
                [--undecided UNDECIDED.tsv]
    nasab pfif import FILE.xml --out reports.csv
    nasab pfif export reports.csv --out FILE.xml

It also runs on its own: ``python -m nasab.linkage.cli dedup ...``.  Bad input gives a
one-line message naming file, line and field on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence

from nasab.engine.errors import MAX_MESSAGE, NasabError, shorten
from nasab.engine.output import AtomicGroup, check_writable, refuse_inputs, refuse_shared_outputs

__all__ = ["add_parser", "main", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``dedup`` and ``pfif`` sub-commands to a main parser's sub-parsers."""
    d = subparsers.add_parser(
        "dedup",
        help="propose pairs of reports that describe the same missing person",
        description="Find duplicate missing-person reports (splink model) and write the "
        "proposed pairs with score and reasons as TSV.",
    )
    d.add_argument(
        "--reports",
        required=True,
        metavar="FILE.csv",
        help="reports, CSV (UTF-8) with a header row: report_id, and any of given_name, "
        "father_name, grandfather_name, family_name, mother_name, full_name (a free-text "
        "name instead of the boxes), sex (M, F or X; male, female, ذكر, أنثى), birth_year, "
        "governorate, disappearance_date (year first: 2013-04-03, 2013/4/3), disappearance_place; "
        "headers are read case and spacing aside (Given Name is given_name), a misspelt one is refused and "
        "other columns are named on stderr, not read",
    )
    d.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="T",
        help="minimum match probability, 0..1 (default: the model's)",
    )
    d.add_argument("--out", required=True, metavar="PAIRS.tsv", help="where to write pairs")
    d.add_argument(
        "--clusters", metavar="CLUSTERS.tsv", help="also write report_id → person cluster"
    )
    d.add_argument(
        "--relatives",
        metavar="RELATIVES.tsv",
        help="also write pairs held back as probable relatives (e.g. brothers: "
        "same parents, different given names)",
    )
    d.add_argument(
        "--undecided",
        metavar="UNDECIDED.tsv",
        help="also write pairs that need a person to decide, not proposed: above the "
        "threshold, a kunya, a three-part name with the father's name skipped, a nickname "
        "of several names, with a brother or cousin in the register and no birth years "
        "to tell; at any score, one man misread as well as two relatives (a name typed "
        "one letter into another, a birth year misstated by a decade, all else agreeing)",
    )
    d.set_defaults(func=run, linkage_command="dedup")

    p = subparsers.add_parser(
        "pfif",
        help="PFIF 1.4 import and export of reports",
        description="Convert between PFIF 1.4 XML and report CSV.",
    )
    ps = p.add_subparsers(dest="pfif_command", metavar="{import,export}")
    ps.required = True
    i = ps.add_parser("import", help="PFIF 1.4 XML → reports CSV")
    i.add_argument("file", metavar="FILE.xml", help="PFIF 1.4 XML file to read")
    i.add_argument("--out", required=True, metavar="reports.csv", help="reports CSV to write")
    i.set_defaults(func=run, linkage_command="pfif-import")
    e = ps.add_parser("export", help="reports CSV → PFIF 1.4 XML")
    e.add_argument("file", metavar="reports.csv", help="reports CSV to read")
    e.add_argument("--out", required=True, metavar="FILE.xml", help="PFIF 1.4 XML file to write")
    e.set_defaults(func=run, linkage_command="pfif-export")


def _fail(msg: str) -> int:
    msg = " ".join(str(msg).splitlines())
    print(f"nasab: error: {shorten(msg, MAX_MESSAGE)}", file=sys.stderr)
    return 2


def _note_unread(reports: list[dict]) -> None:
    """Say which columns of the reports file nothing reads (a "gender" or "year" column
    is no sex or birth year): never a silently different result."""
    from nasab.linkage.io import unread_columns

    unread = unread_columns(reports[0]) if reports else []
    if unread:
        print(
            f"nasab: note: columns not read: {', '.join(unread)}",
            file=sys.stderr,
        )


def _tsv(rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue()


def _outputs(args: argparse.Namespace, outs: dict[str, str | None], inputs: list) -> None:
    """Before any work: no output is an input or another output's file, and every
    output can be written.  ``outs``: option -> file."""
    for option, o in outs.items():
        refuse_inputs([o], inputs, option)
    refuse_shared_outputs(outs)
    for o in outs.values():
        if o:
            check_writable(o)


def _listed(model, pairs: list, why: dict) -> str:
    """TSV of pairs not proposed (relatives, undecided), each with why and its reasons."""
    from nasab.linkage.dedup import explain_pair

    rows: list[list] = [["report_a", "report_b", "score", "reasons", "reasons_ar"]]
    for a, b, score in sorted(pairs, key=lambda x: -x[2]):
        en, ar = explain_pair(model.raw[a], model.raw[b])
        why_en, why_ar = why.get((a, b), ("", ""))
        rows.append(
            [
                a,
                b,
                round(score, 4),
                "; ".join([why_en, *en] if why_en else en),
                "؛ ".join([why_ar, *ar] if why_ar else ar),
            ]
        )
    return _tsv(rows)


def _dedup(args: argparse.Namespace) -> int:
    from nasab.linkage.dedup import DEFAULT_THRESHOLD, DedupModel, cluster_pairs
    from nasab.linkage.io import read_reports_csv

    t = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0.0 <= t <= 1.0:
        return _fail(f"--threshold {t} must be between 0 and 1")
    _outputs(
        args,
        {
            "--out": args.out,
            "--relatives": args.relatives,
            "--clusters": args.clusters,
            "--undecided": args.undecided,
        },
        [args.reports],
    )
    reports = read_reports_csv(args.reports)
    _note_unread(reports)
    model = DedupModel(reports).train()
    pairs = model.predict(t)
    cols = ("report_a", "report_b", "score", "match_weight", "reasons", "reasons_ar")
    rows: list[list] = [list(cols)]
    for p in pairs:
        row = p.as_row()
        rows.append([row[k] for k in cols])
    n_persons = None
    # the pairs, relatives and clusters belong together: replaced together or not at all
    with AtomicGroup() as group:
        group.text(args.out, _tsv(rows))
        if args.relatives:
            group.text(
                args.relatives, _listed(model, model.possible_relatives, model.relative_reasons)
            )
        if args.undecided:
            group.text(args.undecided, _listed(model, model.undecided, model.undecided_reasons))
        if args.clusters:
            # the relatives list is a decision for a person: never one cluster
            apart = [(a, b) for a, b, _ in model.possible_relatives]
            clusters = cluster_pairs(pairs, reports=reports, apart=apart)
            n_persons = len(clusters)
            cl: list[list] = [["report_id", "cluster"]]
            for k, members in enumerate(clusters, 1):
                cl.extend([rid, f"C{k:06d}"] for rid in members)
            group.text(args.clusters, _tsv(cl))
    msg = f"{len(reports)} reports, {len(pairs)} proposed pairs at threshold {t}"
    if n_persons is not None:
        msg += f", {n_persons} persons after clustering"
    print(msg + f" → {args.out}")
    return 0


def _pfif_import(args: argparse.Namespace) -> int:
    from nasab.linkage.io import write_reports_csv
    from nasab.linkage.pfif import read_pfif

    _outputs(args, {"--out": args.out}, [args.file])
    reports = read_pfif(args.file)
    with AtomicGroup() as group:
        write_reports_csv(reports, group.path(args.out))
    print(f"{len(reports)} reports → {args.out}")
    return 0


def _pfif_export(args: argparse.Namespace) -> int:
    from nasab.linkage.io import read_reports_csv
    from nasab.linkage.pfif import write_pfif

    _outputs(args, {"--out": args.out}, [args.file])
    reports = read_reports_csv(args.file)
    _note_unread(reports)
    with AtomicGroup() as group:
        write_pfif(reports, group.path(args.out))
    print(f"{len(reports)} reports → {args.out}")
    return 0


_COMMANDS = {"dedup": _dedup, "pfif-import": _pfif_import, "pfif-export": _pfif_export}


def run(args: argparse.Namespace) -> int:
    """Run the sub-command in ``args``; return the exit status (2 for bad input)."""
    from nasab.linkage.io import ReportFileError
    from nasab.linkage.pfif import PFIFError

    cmd = _COMMANDS.get(getattr(args, "linkage_command", ""))
    if cmd is None:
        return _fail("unknown linkage command")
    try:
        return cmd(args)
    except NasabError as e:  # an output that cannot be written, an output = an input
        return _fail(str(e))
    except (ReportFileError, PFIFError) as e:
        return _fail(str(e))
    except OSError as e:  # a file that cannot be read
        return _fail(f"{e.filename or ''}: {e.strerror or e}")
    except ValueError as e:  # e.g. a report value the model cannot use
        return _fail(f"{getattr(args, 'reports', None) or args.file}: {e}")
    except Exception as e:
        from splink.internals.exceptions import SplinkException

        if not isinstance(e, SplinkException):
            raise  # a bug, not bad input: keep the traceback
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return _fail(f"{args.reports}: the linkage model could not be fitted: {first}")


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point (the main ``nasab`` command does the same)."""
    parser = argparse.ArgumentParser(prog="nasab")
    sub = parser.add_subparsers(dest="command", metavar="{dedup,pfif}")
    sub.required = True
    add_parser(sub)
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
