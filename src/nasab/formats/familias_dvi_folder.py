"""A Familias DVI file as nasab's DVI folder (``families/<F>.ped``, ``victims.tsv``,
``freqs.txt``, ``dvi.json``), read the way labs write these files.

- **Which pedigree.** Familias keeps, per reference family, a ``Reference pedigree`` (the
  references' known relations) and the family's own pedigree(s), in which the missing
  persons are placed. Identical copies count once. A family whose pedigrees other than the
  ``Reference pedigree`` are one (as dvir's ``familias2dvir`` reads them) imports that one,
  and says so; a family with several different ones holds alternative hypotheses, of
  which a joint identification uses one: the import refuses, naming them, until one is
  chosen (``--pedigree FAMILY=NAME``).
- **Who is missing.** A name used in the pedigree's relations but not listed as a person
  (Familias' ``Missing person``), and a listed person without DNA whose name says so:
  ``Missing ...`` by default (as Familias names them, and as dvir's ``missingIdentifier``),
  or matching ``--missing-pattern REGEX``. A listed "missing" person in no relation of the
  pedigree used is not part of the family's hypothesis and is left out (said so).
- **Refusals instead of an empty case.** No unidentified person, a family without a
  missing person (naming its untyped persons and the option), a family without a typed
  reference. Nothing is written unless the whole file converts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from nasab.engine.errors import InputError
from nasab.engine.frequencies import write_familias
from nasab.engine.genotypes import Family
from nasab.formats.familias_convert import (
    _ped_lines,
    _profile_lines,
    _write,
    check_dvi_dropout,
    check_silent_genotypes,
    engine_table,
    familias_meta,
    spec_json,
)
from nasab.formats.familias_model import (
    MISSING_PERSON,
    REFERENCE_PEDIGREE,
    DVIFamily,
    FamiliasProject,
    FamPedigree,
)

DEFAULT_MISSING = re.compile(r"^Missing", re.IGNORECASE)


@dataclass
class FamilyPlan:
    """What one reference family becomes in the DVI folder."""

    name: str
    pedigree: FamPedigree
    missing: list[str]  # ids as in the file
    notes: list[str] = field(default_factory=list)


def compile_missing_pattern(pattern: str | None) -> re.Pattern:
    """The regular expression naming listed missing persons (``--missing-pattern``)."""
    if pattern is None:
        return DEFAULT_MISSING
    try:
        return re.compile(pattern)
    except re.error as e:
        raise InputError(
            f"--missing-pattern {pattern!r} is not a regular expression: {e}",
            field="--missing-pattern",
        ) from None


def choose_pedigree(fam: DVIFamily, chosen: str | None, src: str) -> tuple[FamPedigree, list]:
    """The family's pedigree for the DVI folder, and a note when a choice was made."""
    names = [p.name for p in fam.pedigrees]
    if chosen is not None:
        if chosen not in names:
            raise InputError(
                f"--pedigree: family {fam.name!r} has no pedigree {chosen!r}; it has "
                f"{', '.join(repr(n) for n in names)}",
                file=src,
                field="--pedigree",
            )
        return fam.pedigrees[names.index(chosen)], [f"pedigree {chosen!r} used (--pedigree)"]
    distinct = fam.distinct_pedigrees()
    if len(distinct) == 1:
        return distinct[0], []
    own = [p for p in distinct if p.name != REFERENCE_PEDIGREE]
    if len(own) == 1:
        return own[0], [f"pedigree {own[0].name!r} used (beside its {REFERENCE_PEDIGREE!r})"]
    raise InputError(
        f"family {fam.name!r} has {len(own)} different pedigrees "
        f"({', '.join(repr(p.name) for p in own)}): alternative hypotheses, of which a "
        f"joint identification uses one; choose it with --pedigree '{fam.name}=NAME'",
        file=src,
        field="--pedigree",
    )


def plan_family(fam: DVIFamily, pattern: re.Pattern, chosen: str | None, src: str) -> FamilyPlan:
    """The pedigree and missing persons of one family, or a refusal naming the fix."""
    ped, notes = choose_pedigree(fam, chosen, src)
    in_relations = {x for rel in ped.relations for x in rel}
    untyped = [p.id for p in fam.persons if not p.genotypes]
    named = [pid for pid in untyped if pattern.search(pid)]
    missing = [m for m in fam.missing if m in in_relations]
    missing += [pid for pid in named if pid in in_relations]
    left_out = [pid for pid in [*fam.missing, *named] if pid not in in_relations]
    if left_out:
        notes.append(
            f"{', '.join(repr(x) for x in left_out)} in no relation of the pedigree used: "
            "not a missing person of this family"
        )
    if not missing:
        others = [pid for pid in untyped if pid in in_relations]
        hint = (
            f"its untyped persons: {', '.join(repr(x) for x in others)}; "
            if others
            else "it has no untyped person in its pedigree; "
        )
        raise InputError(
            f"family {fam.name!r} has no missing person (none left out of its persons list, "
            f"none listed without DNA and named as {pattern.pattern!r}): {hint}name the "
            "missing persons with --missing-pattern REGEX (e.g. '^M[0-9]+$')",
            file=src,
            field="--missing-pattern",
        )
    if not any(p.genotypes for p in fam.persons if p.id in in_relations):
        raise InputError(
            f"family {fam.name!r} has no typed reference in its pedigree: nothing to compare "
            "the remains with",
            file=src,
        )
    return FamilyPlan(fam.name, ped, missing, notes)


def _check_choices(project: FamiliasProject, pedigrees: dict[str, str], src: str) -> None:
    unknown = sorted(set(pedigrees) - set(project.dvi.families if project.dvi else {}))
    if unknown:
        raise InputError(
            f"--pedigree names no family {', '.join(repr(u) for u in unknown)}",
            file=src,
            field="--pedigree",
        )


def write_dvi_folder(
    project: FamiliasProject,
    out: Path,
    *,
    missing_pattern: str | None = None,
    pedigrees: dict[str, str] | None = None,
) -> list[str]:
    """Write the DVI folder of a DVI file; returns notes on the choices made (which
    pedigree, who was left out). Refused, writing nothing: see the module notes."""
    src = project.source
    dvi = project.dvi
    if dvi is None:
        raise InputError("no [DVI] section in this file", file=src)
    pedigrees = pedigrees or {}
    _check_choices(project, pedigrees, src)
    if not dvi.unidentified:
        raise InputError("no unidentified person (victim) in the [DVI] section", file=src)
    if not dvi.families:
        raise InputError("no reference family in the [DVI] section", file=src)
    check_dvi_dropout(project)
    table = engine_table(project)
    people = list(dvi.unidentified) + [p for f in dvi.families.values() for p in f.persons]
    check_silent_genotypes(people, table, src)
    pattern = compile_missing_pattern(missing_pattern)
    plans = [plan_family(f, pattern, pedigrees.get(n), src) for n, f in dvi.families.items()]
    for plan in plans:
        if "/" in plan.name or plan.name.startswith("."):
            raise InputError(f"family name {plan.name!r} cannot be a file name", file=src)
    fams, missing_persons, renamed, files = _folder_parts(project, plans)
    for path, lines in files:
        _write(out / path, lines)
    markers = project.markers
    _write(out / "victims.tsv", _profile_lines(dvi.unidentified, markers, with_sex=True))
    write_familias(table, out / "freqs.txt")
    meta = {
        "families": fams,
        "missing_persons": missing_persons,
        "victims": {u.id: {"sex": u.sex} for u in dvi.unidentified},
        "marker_order": markers,
        "markers": {m: spec_json(project.mutations[m]) for m in markers},
        "theta": project.theta,
        "familias": {
            **familias_meta(project),
            "renamed_missing": renamed,
            "pedigree_names": {n: [p.name for p in f.pedigrees] for n, f in dvi.families.items()},
            "notes": dvi.notes,
        },
    }
    if any(p.notes for p in plans):
        meta["familias"]["import_notes"] = {p.name: p.notes for p in plans if p.notes}
    (out / "dvi.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return [f"family {p.name!r}: {n}" for p in plans for n in p.notes]


def _folder_parts(project: FamiliasProject, plans: list[FamilyPlan]):
    """dvi.json's families and missing persons, the renaming of missing persons whose
    names repeat (``Missing person`` in several families becomes ``<F>_MP``) and the
    family files to write."""
    dvi = project.dvi
    assert dvi is not None
    markers = project.markers
    counts: dict[str, int] = {}
    for plan in plans:
        for m in plan.missing:
            counts[m] = counts.get(m, 0) + 1
    victim_ids = {u.id for u in dvi.unidentified}
    fams: dict = {}
    missing_persons: dict = {}
    renamed: dict = {}
    files = []
    for plan in plans:
        name, family = plan.name, plan.pedigree.family
        mapping = {}
        for m in plan.missing:
            if counts[m] > 1 or m in victim_ids or m in missing_persons:
                new = f"{name}_MP" if m == MISSING_PERSON else f"{name}_{m}"
                mapping[m] = new
                renamed[f"{name}/{m}"] = new
        ped = family.pedigree.relabel(mapping) if mapping else family.pedigree
        fam_out = Family(ped, list(markers), family.genotypes, name)
        files.append((Path("families") / f"{name}.ped", _ped_lines(fam_out, markers)))
        miss = [mapping.get(m, m) for m in plan.missing]
        fams[name] = {
            "file": f"families/{name}.ped",
            "missing": miss,
            "typed_references": fam_out.typed_persons(),
            "size": len(ped),
        }
        for m in miss:
            missing_persons[m] = {"family": name, "sex": ped[m].sex}
    return fams, missing_persons, renamed, files
