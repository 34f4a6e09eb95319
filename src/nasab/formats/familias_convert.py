"""Between Familias projects and nasab's case folders.

A Familias case states its hypotheses as alternative pedigrees; nasab's missing-person case
(the oracle format: ``pedigree.ped``, ``poi.tsv``, ``freqs.txt``, ``case.json``) states the
reference family with an untyped missing person and a person of interest (POI). Two
pedigrees H1, H2 of a ``.fam`` file form such a case when the POI is unrelated to everyone
in H2 and H2 without the POI is H1 with the POI's place left to an untyped person.
A DVI ``.fam`` file maps onto the DVI folder format (``families/<F>.ped``, ``victims.tsv``,
``freqs.txt``, ``dvi.json``).

Dropout and silent alleles convert both ways. Familias gives each locus one "Dropout
probability" and applies it to the persons flagged "(Consider dropouts)" (pedFamilias'
``dropoutConsider`` per person, ``dropoutValue`` per marker); nasab gives those persons that
dropout model at each marker where they are typed (the semi-continuous model of
:mod:`nasab.engine.observation` without drop-in, homozygote dropout d^2), written to case.json as
per-marker dropout of the POI and of named references (:mod:`nasab.formats.case_dropout`). A
locus' silent allele and its frequency become the allele ``silent`` of ``freqs.txt``; a
genotype holding the silent allele is ``a/silent`` (Familias' data index one past the
alleles), which nasab's engine reads as exactly that genotype, as Familias does.

Whatever the folder formats or Familias cannot hold is refused with a message naming the
file and the field, never dropped: dropout that differs between persons at one marker,
drop-in, a homozygote dropout other than d^2, dropout of persons a DVI folder does not
hold, a partial genotype or the silent allele in the genotype of a person whose dropouts
Familias considers, a regular allele whose name nasab reads as silent, alternative
pedigrees of a DVI family.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import (
    FrequencyTable,
    MarkerFrequencies,
    write_familias,
)
from nasab.engine.genotypes import UNTYPED, Family, Genotype, Profile, format_genotype, is_typed
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel, is_silent
from nasab.engine.pedigree import Pedigree
from nasab.formats.case_dropout import case_dropout_json
from nasab.formats.familias import (
    SILENT,
    FamiliasProject,
    FamPedigree,
    FamPerson,
    LocusInfo,
)
from nasab.formats.io import Case


# --- Familias' silent alleles and dropout in nasab's model ----------------------------------
def engine_table(project: FamiliasProject) -> FrequencyTable:
    """The project's frequencies as nasab's engine reads them: each locus' silent allele
    (frequency > 0) becomes the allele ``silent`` with its frequency as given."""
    src = project.source
    markers = {}
    for key, mf in project.table.markers.items():
        info = project.loci[key]
        _refuse_silent_names(info, mf.alleles, src)
        alleles, freqs = list(mf.alleles), np.array(mf.freqs, dtype=float)
        if info.silent and info.silent_frequency > 0:
            alleles.append(SILENT)
            freqs = np.append(freqs, info.silent_frequency)
        markers[key] = MarkerFrequencies(mf.name, alleles, freqs)
    t = project.table
    return FrequencyTable(markers, t.source, t.n_individuals, t.sha256)


def _refuse_silent_names(info: LocusInfo, alleles: list[str], src: str) -> None:
    named = [a for a in alleles if is_silent(a)]
    if named:
        raise InputError(
            f"allele {named[0]!r} of locus {info.name}: nasab reads this name as "
            "a silent allele, which it is not in this file; rename the allele in "
            "Familias",
            file=src,
            field=info.name,
        )


def check_silent_genotypes(people: list, table: FrequencyTable, src: str) -> None:
    """Refuse a genotype with the silent allele at a locus without one (frequency 0)."""
    for person in people:
        for key, g in person.genotypes.items():
            if any(a is not None and is_silent(a) for a in g) and not any(
                is_silent(a) for a in table.markers[key].alleles
            ):
                raise InputError(
                    f"{person.id!r} carries the silent allele of "
                    f"{table.markers[key].name}, whose silent allele frequency "
                    "is 0: the genotype is impossible",
                    file=src,
                    field="silent allele",
                )


def locus_dropouts(project: FamiliasProject) -> dict[str, DropModel]:
    """Each locus' dropout model for the persons flagged "(Consider dropouts)": its
    "Dropout probability" (loci where it is 0 or not given are left out)."""
    out = {}
    for key, info in project.loci.items():
        try:
            model = DropModel(info.dropout or 0.0)
        except ModelError as e:
            raise InputError(
                f"locus {info.name}: {e}", file=project.source, field="Dropout probability"
            ) from None
        if not model.trivial:
            out[key] = model
    return out


def person_dropouts(
    person: FamPerson, loci: dict[str, DropModel], project: FamiliasProject
) -> dict[str, DropModel]:
    """A person's dropout model per marker (marker_key): the locus' model at each marker
    where a flagged person is typed; none for a person not flagged."""
    if not person.consider_dropout:
        return {}
    out = {k: m for k, m in loci.items() if is_typed(person.genotypes.get(k, UNTYPED))}
    for key in out:
        _check_dropout_genotype(
            person.id, person.genotypes[key], project.loci[key].name, project.source
        )
    return out


def _check_dropout_genotype(pid: str, g: Genotype, locus: str, src: str) -> None:
    if g[1] is None:
        raise InputError(
            f"{pid!r} is flagged '(Consider dropouts)' and has a partial "
            f"genotype ({g[0]}/-) at {locus}: nasab cannot tell whether Familias "
            "reads it as one allele seen or as one allele unknown",
            file=src,
            field="Consider dropouts",
        )
    if any(is_silent(a) for a in g if a is not None):
        raise InputError(
            f"{pid!r} is flagged '(Consider dropouts)' and typed with the silent "
            f"allele at {locus}: the dropout model has no observation of a "
            "silent allele",
            file=src,
            field="Consider dropouts",
        )


def check_dvi_dropout(project: FamiliasProject) -> None:
    """A DVI folder holds no dropout for the persons of the case section: refuse it there."""
    loci = locus_dropouts(project)
    flagged = [p.id for p in project.persons if p.consider_dropout]
    if flagged and loci:
        key, model = next(iter(loci.items()))
        raise InputError(
            f"dropout is considered for {', '.join(flagged)} (probability "
            f"{model.dropout:g} at {project.loci[key].name}), persons of the "
            "case section that a DVI folder does not hold",
            file=project.source,
            field="Consider dropouts",
        )


def _prune(ped: Pedigree, typed: set[str]) -> set[tuple]:
    """The pedigree without untyped childless persons (repeatedly): these do not change
    any likelihood. Returned as a set of (id, father, mother, sex)."""
    persons = {p.id: p for p in ped.persons}
    while True:
        parents = {x for p in persons.values() for x in (p.father, p.mother) if x}
        gone = [pid for pid in persons if pid not in typed and pid not in parents]
        if not gone:
            break
        for pid in gone:
            del persons[pid]
    out = set()
    for p in persons.values():
        out.add((p.id, p.father, p.mother, p.sex))
    return out


def _isolated(ped: Pedigree, pid: str) -> bool:
    return ped[pid].father is None and not ped.children(pid)


def _as_case(
    h1: FamPedigree, h2: FamPedigree, poi: str, typed: set[str]
) -> tuple[Pedigree, str] | None:
    """The reference pedigree and missing person's id if (h1, h2, poi) is a missing-person
    case, else None."""
    p1, p2 = h1.family.pedigree, h2.family.pedigree
    if poi not in p1 or poi not in p2 or not _isolated(p2, poi) or _isolated(p1, poi):
        return None
    rest = typed - {poi}
    if not p1.children(poi):  # the missing person is a leaf: H2 - POI = H1 - POI
        if _prune(p1.without([poi]), rest) != _prune(p2.without([poi]), rest):
            return None
        me = p1[poi]
        stand_ins = [
            q.id
            for q in p2.persons
            if q.id not in typed
            and q.id != poi
            and not p2.children(q.id)
            and (q.father, q.mother) == (me.father, me.mother)
            and (q.id not in p1 or _isolated(p1, q.id))
        ]
        ped, missing = p1, _fresh("MP", set(p1.ids))
        if stand_ins:
            missing = stand_ins[0]
            ped = p1.without([missing]) if missing in p1 else p1
        return ped.relabel({poi: missing}), missing
    base = p2.without([poi])
    for q in base.persons:  # the missing person has children: H2 holds an untyped stand-in
        if (
            q.id not in typed
            and q.sex == p1[poi].sex
            and (_prune(base.relabel({q.id: poi}), typed) == _prune(p1, typed))
        ):
            return base, q.id
    return None


def _fresh(base: str, taken: set[str]) -> str:
    out, k = base, 1
    while out in taken:
        k += 1
        out = f"{base}{k}"
    return out


def project_to_case(
    project: FamiliasProject,
    *,
    poi: str | None = None,
    h1: str | None = None,
    h2: str | None = None,
) -> Case:
    """The missing-person case of a (non-DVI) project: POI, H1 and H2 given or found
    (their names in ``meta``)."""
    src = project.source
    if project.dvi is not None:
        raise InputError("this is a DVI file; import it as a DVI folder", file=src)
    peds = {p.name: p for p in project.pedigrees}
    for name in (h1, h2):
        if name is not None and name not in peds:
            raise InputError(
                f"no pedigree named {name!r}; the file has: {', '.join(peds) or 'none'}",
                file=src,
                field="pedigree",
            )
    if len(peds) < 2:
        raise InputError(
            f"{len(peds)} pedigree(s): a case needs two (the POI related, and the POI "
            "unrelated); a file with one pedigree (power, priority) is read by "
            "'nasab power --fam FILE.fam'",
            file=src,
        )
    typed = {p.id for p in project.persons if any(is_typed(g) for g in p.genotypes.values())}
    if poi is not None and poi not in typed:
        raise InputError(f"POI {poi!r} is not a typed person of the file", file=src, field="poi")
    found = []
    for a in [peds[h1]] if h1 else peds.values():
        for b in [peds[h2]] if h2 else peds.values():
            if a is b:
                continue
            for who in [poi] if poi else sorted(typed):
                got = _as_case(a, b, who, typed)
                if got is not None:
                    found.append((a, b, who, got))
    if not found:
        raise InputError(
            "no two pedigrees form a missing-person case (one where the POI is "
            "unrelated to all, the other the same family with the POI in the "
            "missing person's place); give --poi, --h1 and --h2, or check the "
            "pedigrees",
            file=src,
        )
    if len(found) > 1:
        opts = "; ".join(f"POI {w!r}, H1 {a.name!r}, H2 {b.name!r}" for a, b, w, _ in found)
        raise InputError(
            f"several readings of the case: {opts}; choose with --poi, --h1 and --h2", file=src
        )
    a, b, who, (ped, missing) = found[0]
    table = engine_table(project)
    check_silent_genotypes(project.persons, table, src)
    loci = locus_dropouts(project)
    person = project.person(who)
    refs = [p for p in project.persons if p.id != who and p.genotypes and p.id in ped]
    family = Family(
        ped, list(project.markers), {p.id: dict(p.genotypes) for p in refs}, Path(src).stem
    )
    for p in refs:
        for key, model in person_dropouts(p, loci, project).items():
            family.marker_drops.setdefault(key, {})[p.id] = model
    profile = Profile(
        who,
        dict(person.genotypes),
        person.sex,
        list(project.markers),
        marker_drops=person_dropouts(person, loci, project),
    )
    return Case(
        family,
        missing,
        profile,
        table,
        project.mutations,
        list(project.markers),
        project.theta,
        meta={"h1": a.name, "h2": b.name},
    )


@dataclass
class FamilyCase:
    """A reference family with its missing person, without a person of interest: what
    ``nasab power`` asks about (how informative the references are, whom to sample)."""

    family: Family
    missing: str
    table: FrequencyTable
    mutations: dict[str, MutationSpec]
    markers: list[str]
    theta: float
    pedigree: str  # the pedigree's name in the file


MISSING_NAMES = ("MP", "Missing person", "Missing")


def project_to_family(
    project: FamiliasProject, *, missing: str | None = None, pedigree: str | None = None
) -> FamilyCase:
    """The reference family of a Familias project for ``nasab power``: the file's one
    pedigree (a power or priority file, as Familias and dviapp write them), or the one
    named ``pedigree`` when there are several; the missing person named by ``missing``,
    else the untyped person called MP, 'Missing person' or 'Missing' (refused, with the
    untyped persons listed, when there is none). Typed persons of the pedigree are the
    references, with their dropout models."""
    src = project.source
    if project.dvi is not None:
        raise InputError(
            "this is a DVI file; nasab power reads one family (import the file with "
            "'nasab familias import' and give one family's .ped with --ped)",
            file=src,
        )
    peds = {p.name: p for p in project.pedigrees}
    if pedigree is not None and pedigree not in peds:
        raise InputError(
            f"no pedigree named {pedigree!r}; the file has: {', '.join(peds) or 'none'}",
            file=src,
            field="--pedigree",
        )
    if pedigree is None and len(peds) != 1:
        raise InputError(
            f"{len(peds)} pedigrees ({', '.join(peds) or 'none'}); choose the one to "
            "analyse with --pedigree NAME",
            file=src,
            field="--pedigree",
        )
    chosen = peds[pedigree] if pedigree is not None else project.pedigrees[0]
    ped = chosen.family.pedigree
    typed = {p.id for p in project.persons if any(is_typed(g) for g in p.genotypes.values())}
    untyped = [pid for pid in ped.ids if pid not in typed]
    if missing is None:
        missing = next((m for m in MISSING_NAMES if m in untyped), None)
        if missing is None:
            raise InputError(
                "which person is missing? give --missing (untyped persons of pedigree "
                f"{chosen.name!r}: {', '.join(untyped) or 'none'})",
                file=src,
                field="--missing",
            )
    elif missing not in ped:
        raise InputError(
            f"--missing {missing!r} is not in pedigree {chosen.name!r} "
            f"(persons: {', '.join(ped.ids)})",
            file=src,
            field="--missing",
        )
    elif missing in typed:
        raise InputError(
            f"--missing {missing!r} is typed in the file; the missing person must be untyped",
            file=src,
            field="--missing",
        )
    table = engine_table(project)
    check_silent_genotypes(project.persons, table, src)
    loci = locus_dropouts(project)
    refs = [p for p in project.persons if p.id in typed and p.id in ped]
    family = Family(
        ped, list(project.markers), {p.id: dict(p.genotypes) for p in refs}, Path(src).stem
    )
    for p in refs:
        for key, model in person_dropouts(p, loci, project).items():
            family.marker_drops.setdefault(key, {})[p.id] = model
    return FamilyCase(
        family,
        missing,
        table,
        project.mutations,
        list(project.markers),
        project.theta,
        chosen.name,
    )


# --- writing folders ----------------------------------------------------------------------
def spec_json(spec: MutationSpec) -> dict:
    out: dict = {
        "model": "none" if spec.model == "trivial" else spec.model,
        "rate": {"female": spec.rate_female, "male": spec.rate_male},
    }
    if spec.model == "stepwise":
        out["rate2"] = {"female": spec.rate2_female, "male": spec.rate2_male}
        out["range"] = {"female": spec.range_female, "male": spec.range_male}
    if spec.transform:
        out["transform"] = spec.transform
    return out


def _ped_lines(family: Family, markers: list[str]) -> list[str]:
    out = ["\t".join(["id", "fid", "mid", "sex", *markers])]
    for p in family.pedigree.persons:
        cells = [p.id, p.father or "0", p.mother or "0", str(p.sex)]
        cells += [format_genotype(family.genotype(p.id, m)) for m in markers]
        out.append("\t".join(cells))
    return out


def _profile_lines(profiles: list[Profile], markers: list[str], with_sex: bool) -> list[str]:
    out = ["\t".join(["id", *(["sex"] if with_sex else []), *markers])]
    for p in profiles:
        cells = [p.id, *([str(p.sex)] if with_sex else [])]
        out.append("\t".join(cells + [format_genotype(p.genotype(m)) for m in markers]))
    return out


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_dvi_problem(
    out: Path,
    families: dict[str, Family],
    missing: dict[str, str],
    victims: list[Profile],
    table,
    mutations: dict[str, MutationSpec],
    markers: list[str],
    *,
    theta: float = 0.0,
    extra: dict | None = None,
) -> None:
    """A DVI folder as ``nasab joint --dvi`` reads it (``dvi.json``, ``families/<F>.ped``,
    ``victims.tsv``, ``freqs.txt``) from a problem held in memory (a registry's families and
    remains): every file written or none. ``missing``: missing person id -> family name.
    The victims' dropout models go to dvi.json (one drop-in for all); the references'
    dropout has no place in the format and is refused."""
    from nasab.engine.errors import InputError
    from nasab.engine.frequencies import familias_text
    from nasab.engine.output import AtomicGroup

    if any(not d.trivial for f in families.values() for d in f.drops.values()):
        raise InputError("reference profiles with dropout cannot be written to a DVI folder")
    drops = {v.id: v.drop for v in victims if v.drop is not None and not v.drop.trivial}
    dropins = {d.dropin for d in drops.values()}
    homs = {d.d_hom == d.dropout**2 for d in drops.values()}
    if len(dropins) > 1 or False in homs:
        raise InputError(
            "the remains' drop-in differs between samples (or a homozygote dropout is set): "
            "dvi.json has one drop-in for all"
        )
    meta: dict = {
        "families": {
            name: {
                "file": f"families/{name}.ped",
                "missing": [m for m, f in missing.items() if f == name],
                "typed_references": fam.typed_persons(),
                "size": len(fam.pedigree),
            }
            for name, fam in families.items()
        },
        "missing_persons": {
            m: {"family": f, "sex": families[f].pedigree[m].sex} for m, f in missing.items()
        },
        "victims": {v.id: {"sex": v.sex} for v in victims},
        "marker_order": list(markers),
        "markers": {m: spec_json(mutations[m]) for m in markers},
        "theta": theta,
    }
    if drops:
        meta["dropout"] = {v: d.dropout for v, d in drops.items()}
        meta["dropin"] = dropins.pop()
    if extra:
        meta.update(extra)
    with AtomicGroup() as group:
        for name, fam in families.items():
            group.text(out / "families" / f"{name}.ped", "\n".join(_ped_lines(fam, markers)) + "\n")
        group.text(out / "victims.tsv", "\n".join(_profile_lines(victims, markers, True)) + "\n")
        group.text(out / "freqs.txt", familias_text(table))
        group.text(out / "dvi.json", json.dumps(meta, indent=1) + "\n")


def familias_meta(project: FamiliasProject) -> dict:
    """Familias settings nasab does not compute with, kept in the folder's JSON."""
    return {
        "source": project.source,
        "version": project.version,
        "database_name": project.database_name,
        "loci": {
            i.name: {
                "codes": list(i.codes),
                "database_size": i.database_size,
                "dropout": i.dropout,
                "maf": i.maf,
                "silent": i.silent,
                "silent_frequency": i.silent_frequency,
            }
            for i in project.loci.values()
        },
        "consider_dropout": [p.id for p in project.persons if p.consider_dropout],
        "sections": {name: lines for name, lines in project.sections if name != "DVI"},
    }


def write_case_folder(parts: Case, project: FamiliasProject, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    markers = parts.markers
    _write(out / "pedigree.ped", _ped_lines(parts.family, markers))
    _write(out / "poi.tsv", _profile_lines([parts.poi], markers, with_sex=False))
    write_familias(parts.table, out / "freqs.txt")
    ped = parts.family.pedigree
    meta = {
        "case_id": out.name,
        "description": f"Imported from Familias file {Path(project.source).name}: "
        f"H1 {parts.meta['h1']!r}, H2 {parts.meta['h2']!r}.",
        "missing": parts.missing,
        "missing_sex": ped[parts.missing].sex,
        "poi_id": parts.poi.id,
        "poi_sex": parts.poi.sex,
        "typed_references": parts.family.typed_persons(),
        "marker_order": markers,
        "poi_untyped_markers": [m for m in markers if not is_typed(parts.poi.genotype(m))],
        "markers": {m: spec_json(parts.mutations[m]) for m in markers},
        "theta": parts.theta,
        **case_dropout_json(parts.poi, parts.family, markers),
        "familias": {**familias_meta(project), "h1": parts.meta["h1"], "h2": parts.meta["h2"]},
    }
    (out / "case.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


# The DVI folder (write_dvi_folder) is nasab.formats.familias_dvi_folder; the export to
# Familias (case_to_project, dvi_folder_to_project) nasab.formats.familias_export.
