"""``nasab familias``: import and export Familias ``.fam`` files.

    nasab familias import FILE.fam --out DIR [--poi ID --h1 NAME --h2 NAME]
    nasab familias export --case DIR --out FILE.fam
    nasab familias export --dvi DIR --out FILE.fam

Import writes a case folder in the oracle format (``pedigree.ped``, ``poi.tsv``,
``freqs.txt``, ``case.json``) or, for a file with a DVI section, a DVI folder
(``families/<F>.ped``, ``victims.tsv``, ``freqs.txt``, ``dvi.json``). Bad input, an
unsupported Familias version or feature: one message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nasab.engine.errors import InputError, NasabError
from nasab.engine.output import AtomicGroup, check_writable, refuse_inputs
from nasab.engine.pedigree import FEMALE, MALE

if TYPE_CHECKING:
    from nasab.formats.io import Case

# The Familias modules load when the command runs (start-up of the other commands).


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "familias",
        help="import and export Familias .fam files",
        description="Read Familias .fam files (cases and DVI) into nasab's folders, and "
        "write nasab's folders as .fam files that Familias opens.",
    )
    sub = p.add_subparsers(dest="familias_command", metavar="ACTION")
    imp = sub.add_parser("import", help="a .fam file to a case folder or a DVI folder")
    imp.add_argument("fam", type=Path, metavar="FILE.fam", help="Familias .fam file to read")
    imp.add_argument("--out", type=Path, required=True, help="folder to write")
    imp.add_argument("--poi", help="the person of interest (default: found from the pedigrees)")
    imp.add_argument("--h1", help="pedigree with the POI as the missing person")
    imp.add_argument("--h2", help="pedigree with the POI unrelated")
    imp.add_argument(
        "--sex",
        action="append",
        default=[],
        metavar="[FAMILY/]PERSON=M|F",
        help="the sex of a person the file leaves open (e.g. a DVI family's lone parent "
        "'Missing person'); FAMILY/ limits it to one family; repeat for several",
    )
    imp.add_argument(
        "--missing-pattern",
        metavar="REGEX",
        help="DVI files: listed persons without DNA whose names match this regular "
        "expression are missing persons (default '^Missing', as Familias names them; "
        "unlisted names in the pedigrees are always missing)",
    )
    imp.add_argument(
        "--pedigree",
        action="append",
        default=[],
        metavar="FAMILY=NAME",
        help="DVI files: the pedigree to use for a family with several different ones "
        "besides its 'Reference pedigree'; repeat for several families",
    )
    exp = sub.add_parser("export", help="a case folder or a DVI folder to a .fam file")
    src = exp.add_mutually_exclusive_group(required=True)
    src.add_argument("--case", type=Path, help="case folder (oracle format)")
    src.add_argument("--dvi", type=Path, help="DVI folder (dvi.json, families/, victims.tsv)")
    exp.add_argument(
        "--out", type=Path, required=True, metavar="FILE.fam", help=".fam file to write"
    )
    p.set_defaults(func=run)
    return p


def _model_note(case: Case) -> str:
    """Which persons have dropout and which markers a silent allele, if any."""
    from nasab.engine.observation import is_silent

    dropped = [case.poi.id] if case.poi.marker_drops or case.poi.drop else []
    dropped += sorted({pid for d in case.family.marker_drops.values() for pid in d})
    silent = [m for m in case.markers if any(is_silent(a) for a in case.table[m].alleles)]
    note = f"; dropout for {', '.join(dropped)}" if dropped else ""
    return note + (f"; silent allele at {', '.join(silent)}" if silent else "")


def _pairs(values: list[str], option: str, form: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        key, sep, value = v.rpartition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"{option} {v!r}: expected {form}", field=option)
        if key.strip() in out:
            raise InputError(f"{option} gives {key.strip()!r} twice", field=option)
        out[key.strip()] = value.strip()
    return out


_SEX_CODES = {"m": MALE, "male": MALE, "f": FEMALE, "female": FEMALE}


def _sexes(values: list[str]) -> dict[str, int]:
    out = {}
    for key, value in _pairs(values, "--sex", "[FAMILY/]PERSON=M or =F").items():
        if value.lower() not in _SEX_CODES:
            raise InputError(f"--sex {key}={value}: the sex is M or F", field="--sex")
        out[key] = _SEX_CODES[value.lower()]
    return out


def run(args: argparse.Namespace) -> int:
    """Run ``nasab familias ...``; 0 on success, 2 on bad input (message on stderr)."""
    try:
        return _run(args)
    except NasabError as e:
        print(f"nasab: error: {e}", file=sys.stderr)
        return 2


def _write_folder(out: Path, write):
    """``write(folder)`` into a temporary folder, then every file moved into ``out`` in one
    :class:`AtomicGroup`: the folder's files are replaced together or not at all."""
    import tempfile

    check_writable(out, directory=True)
    with tempfile.TemporaryDirectory(prefix=".nasab-import.") as tmp:
        result = write(Path(tmp))
        with AtomicGroup() as group:
            for f in sorted(Path(tmp).rglob("*")):
                if f.is_file():
                    group.data(out / f.relative_to(tmp), f.read_bytes())
    return result


def _run(args: argparse.Namespace) -> int:
    from nasab.formats.familias import read_fam, write_fam
    from nasab.formats.familias_convert import project_to_case, write_case_folder
    from nasab.formats.familias_dvi_folder import write_dvi_folder
    from nasab.formats.familias_export import case_to_project, dvi_folder_to_project
    from nasab.formats.io import read_case

    action = getattr(args, "familias_command", None)
    if action == "import":
        refuse_inputs([args.out], [args.fam])
        check_writable(args.out, directory=True)
        project = read_fam(args.fam, sexes=_sexes(args.sex))
        if project.is_dvi:
            if args.poi or args.h1 or args.h2:
                raise InputError(
                    "--poi, --h1 and --h2 apply to cases, not to DVI files", file=str(args.fam)
                )
            pedigrees = _pairs(args.pedigree, "--pedigree", "FAMILY=NAME")
            notes = _write_folder(
                args.out,
                lambda d: write_dvi_folder(
                    project, d, missing_pattern=args.missing_pattern, pedigrees=pedigrees
                ),
            )
            for note in notes:
                print(f"note: {note}")
            fams = project.dvi.families if project.dvi else {}
            print(
                f"DVI folder written to {args.out}: {len(fams)} reference families, "
                f"{len(project.dvi.unidentified) if project.dvi else 0} unidentified persons, "
                f"{len(project.markers)} markers"
            )
        else:
            if args.missing_pattern or args.pedigree:
                raise InputError(
                    "--missing-pattern and --pedigree apply to DVI files, not to cases",
                    file=str(args.fam),
                )
            parts = project_to_case(project, poi=args.poi, h1=args.h1, h2=args.h2)
            _write_folder(args.out, lambda d: write_case_folder(parts, project, d))
            print(
                f"case folder written to {args.out}: POI {parts.poi.id} as missing person "
                f"{parts.missing} (H1 {parts.meta['h1']!r}, H2 {parts.meta['h2']!r}), "
                f"{len(parts.markers)} markers{_model_note(parts)}"
            )
        return 0
    if action == "export":
        if args.out.suffix.lower() != ".fam":
            raise InputError("the output file must end in .fam", field="--out")
        src = args.case if args.case is not None else args.dvi
        refuse_inputs(
            [args.out],
            [src, *(p for p in Path(src).rglob("*") if p.is_file())]
            if Path(src).is_dir()
            else [src],
        )
        check_writable(args.out)
        if args.case is not None:
            case = read_case(args.case)
            project = case_to_project(case, str(args.case / "case.json"))
        else:
            project = dvi_folder_to_project(args.dvi)
        with AtomicGroup() as group:
            # the input named, not the temporary file being written
            write_fam(project, group.path(args.out), blame=project.source)
        print(f"Familias file written to {args.out}")
        return 0
    raise InputError(
        "choose an action: nasab familias import FILE.fam --out DIR, or "
        "nasab familias export (--case DIR | --dvi DIR) --out FILE.fam"
    )
