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
from dataclasses import replace
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import (
    FrequencyTable,
    MarkerFrequencies,
    marker_key,
    read_frequencies,
    write_familias,
)
from nasab.engine.genotypes import UNTYPED, Family, Genotype, Profile, format_genotype, is_typed
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DROPOUT_MARK, DropModel, is_silent
from nasab.engine.pedigree import FEMALE, MALE, Pedigree
from nasab.formats.case_dropout import case_dropout_json
from nasab.formats.familias import (
    MISSING_PERSON,
    REFERENCE_PEDIGREE,
    SILENT,
    DVIData,
    DVIFamily,
    FamiliasProject,
    FamPedigree,
    FamPerson,
    LocusInfo,
    build_pedigree,
    default_locus,
    relations_of,
)
from nasab.formats.io import Case, read_json, read_ped, read_profiles


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
    project: FamiliasProject, poi: str | None = None, h1: str | None = None, h2: str | None = None
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
            f"{len(peds)} pedigree(s): a case needs two (the POI related, and the POI unrelated)",
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


def write_dvi_folder(project: FamiliasProject, out: Path) -> None:
    """A DVI folder (families/<F>.ped, victims.tsv, freqs.txt, dvi.json) from a DVI file."""
    src = project.source
    dvi = project.dvi
    if dvi is None:
        raise InputError("no [DVI] section in this file", file=src)
    check_dvi_dropout(project)
    table = engine_table(project)
    people = list(dvi.unidentified) + [p for f in dvi.families.values() for p in f.persons]
    check_silent_genotypes(people, table, src)
    markers = project.markers
    fams: dict = {}
    missing_persons: dict = {}
    renamed: dict = {}
    counts: dict[str, int] = {}
    for fam in dvi.families.values():
        for m in fam.missing:
            counts[m] = counts.get(m, 0) + 1
    victim_ids = {u.id for u in dvi.unidentified}
    for name, fam in dvi.families.items():
        distinct = fam.distinct_pedigrees()
        if len(distinct) > 1:
            raise InputError(
                f"family {name!r} has {len(distinct)} different pedigrees "
                f"({', '.join(p.name for p in distinct)}); the DVI folder holds "
                "one pedigree per family",
                file=src,
            )
        family = fam.family
        mapping = {}
        for m in fam.missing:
            if counts[m] > 1 or m in victim_ids or m in missing_persons:
                new = f"{name}_MP" if m == MISSING_PERSON else f"{name}_{m}"
                mapping[m] = new
                renamed[f"{name}/{m}"] = new
        ped = family.pedigree.relabel(mapping) if mapping else family.pedigree
        fam_out = Family(ped, list(markers), family.genotypes, name)
        if "/" in name or name.startswith("."):
            raise InputError(f"family name {name!r} cannot be a file name", file=src)
        _write(out / "families" / f"{name}.ped", _ped_lines(fam_out, markers))
        miss = [mapping.get(m, m) for m in fam.missing]
        fams[name] = {
            "file": f"families/{name}.ped",
            "missing": miss,
            "typed_references": fam_out.typed_persons(),
            "size": len(ped),
        }
        for m in miss:
            missing_persons[m] = {"family": name, "sex": ped[m].sex}
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
    (out / "dvi.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


# --- from nasab's folders to Familias ---------------------------------------------------------
def _database(
    project_markers: list[str],
    table: FrequencyTable,
    mutations: dict[str, MutationSpec],
    silent: dict[str, float],
    src: str,
) -> dict:
    loci = {}
    for m in project_markers:
        if m not in table:
            raise InputError(f"marker {m} is not in the frequency table", file=str(table.source))
        spec = next((s for k, s in mutations.items() if marker_key(k) == marker_key(m)), None)
        n = len(table[m].alleles)
        try:
            info = default_locus(table[m].name, spec, n)
        except InputError as e:
            raise InputError(e.message, file=src, field=m) from None
        if marker_key(m) in silent:
            info = replace(
                info, silent=True, silent_frequency=silent[marker_key(m)], n_alleles_field=n + 1
            )
        loci[marker_key(m)] = info
    return loci


def familias_table(
    markers: list[str], table: FrequencyTable, src: str
) -> tuple[FrequencyTable, dict[str, float]]:
    """The markers' frequencies without silent alleles, and each silent allele's frequency
    (by marker_key): Familias lists the silent allele apart from the others."""
    out, silent = {}, {}
    for m in markers:
        mf = table[m]
        pos = [i for i, a in enumerate(mf.alleles) if is_silent(a)]
        if len(pos) > 1:
            raise InputError(
                f"marker {mf.name} has {len(pos)} silent alleles "
                f"({', '.join(mf.alleles[i] for i in pos)}); Familias has one",
                file=str(table.source),
                field=mf.name,
            )
        keep = [i for i in range(len(mf.alleles)) if i not in pos]
        out[marker_key(m)] = MarkerFrequencies(
            mf.name, [mf.alleles[i] for i in keep], np.asarray(mf.freqs, dtype=float)[keep]
        )
        if pos:
            silent[marker_key(m)] = float(mf.freqs[pos[0]])
    return FrequencyTable(out, table.source, table.n_individuals, table.sha256), silent


def familias_genotype(g: Genotype, with_dropout: bool) -> Genotype:
    """A genotype as Familias stores it: the silent allele named ``silent``; one allele
    seen (``a/F``, or ``a/-`` under dropout) written ``a/a``, the same observation."""
    a, b = (SILENT if x is not None and is_silent(x) else x for x in g)
    if b == DROPOUT_MARK or (with_dropout and b is None):
        b = a
    return (a, b)


def _fam_person(
    pid: str, sex: int, genos: dict, src: str, dropout_at: set[str] = frozenset()
) -> FamPerson:
    if sex not in (MALE, FEMALE):
        raise InputError(f"person {pid!r} has unknown sex; Familias needs male or female", file=src)
    genos = {k: familias_genotype(g, k in dropout_at) for k, g in genos.items()}
    return FamPerson(pid, sex, genos, consider_dropout=bool(dropout_at))


def familias_dropout(case: Case, src: str) -> tuple[set[str], dict[str, float]]:
    """The persons Familias must consider with dropouts and each marker's (marker_key)
    dropout probability; refused where one probability per locus cannot say it."""
    seen: dict[str, dict[str, float]] = {}  # marker_key -> {person: d} where typed
    for pid, genos, drop_for in _typed_people(case):
        for m in case.markers:
            g = genos.get(marker_key(m), UNTYPED)
            if is_typed(g):
                model = drop_for(m)
                _check_familias_drop(model, g, pid, m, src)
                seen.setdefault(marker_key(m), {})[pid] = model.dropout if model else 0.0
    flagged = {pid for v in seen.values() for pid, d in v.items() if d > 0}
    return flagged, {k: _one_dropout(v, flagged, case, k, src) for k, v in seen.items()}


def _typed_people(case: Case) -> list:
    """(id, genotypes, marker -> dropout model) of the POI and every typed reference."""
    fam = case.family
    refs = [
        (pid, fam.genotypes.get(pid, {}), lambda m, pid=pid: fam.drops_for(m).get(pid))
        for pid in fam.typed_persons()
    ]
    return [(case.poi.id, case.poi.genotypes, case.poi.drop_for), *refs]


def _check_familias_drop(
    model: DropModel | None, g: Genotype, pid: str, marker: str, src: str
) -> None:
    if model is None or model.trivial:
        return
    if model.dropin:
        raise InputError(
            f"{pid!r} at {marker}: drop-in probability {model.dropin:g}; a "
            "Familias file holds dropout only, no drop-in",
            file=src,
            field="dropin",
        )
    if model.d_hom != model.dropout**2:
        raise InputError(
            f"{pid!r} at {marker}: homozygote dropout probability "
            f"{model.d_hom:g} is not the square of the dropout probability "
            f"{model.dropout:g}, the only one a Familias file holds",
            file=src,
            field="dropout_hom",
        )
    if any(a is not None and is_silent(a) for a in g):
        raise InputError(
            f"{pid!r} at {marker}: the silent allele in the genotype of a "
            "person with dropout has no Familias equivalent",
            file=src,
            field="dropout",
        )


def _one_dropout(
    values: dict[str, float], flagged: set[str], case: Case, key: str, src: str
) -> float:
    """The one probability of a locus for every flagged person typed there."""
    mine = {pid: d for pid, d in values.items() if pid in flagged}
    if len(set(mine.values())) > 1:
        name = case.table[key].name if key in case.table else key
        listed = ", ".join(f"{pid} {d:g}" for pid, d in sorted(mine.items()))
        raise InputError(
            f"dropout at {name} differs between persons ({listed}); Familias has "
            "one dropout probability per locus for every person it considers "
            "with dropouts",
            file=src,
            field="dropout",
        )
    return next(iter(mine.values()), 0.0)


def case_to_project(case: Case, source: str) -> FamiliasProject:
    """A Familias project of a nasab missing-person case: the POI as the missing person
    (H1) or unrelated (H2). The missing person stays as an untyped person. Persons with
    dropout are flagged "(Consider dropouts)" and each locus gets their dropout
    probability; silent alleles become the loci's silent alleles."""
    ped = case.family.pedigree
    markers = [case.table[m].name if m in case.table else m for m in case.markers]
    poi = case.poi
    if poi.id in ped:
        raise InputError(f"the POI's id {poi.id!r} is also a person of the pedigree", file=source)
    if case.theta and not 0 <= case.theta < 1:
        raise InputError(f"theta {case.theta} out of range", file=source)
    flagged, dropouts = familias_dropout(case, source)
    at = {k for k, d in dropouts.items() if d > 0}

    def person(pid: str, sex: int, genos: dict) -> FamPerson:
        return _fam_person(pid, sex, genos, source, at if pid in flagged else set())

    persons = [person(p.id, p.sex, case.family.genotypes.get(p.id, {})) for p in ped.persons]
    persons.append(person(poi.id, poi.sex or ped[case.missing].sex, poi.genotypes))
    known = relations_of(ped, skip={case.missing})
    around = [r for r in relations_of(ped) if case.missing in r]
    swap = [
        (poi.id if a == case.missing else a, poi.id if b == case.missing else b) for a, b in around
    ]
    pedigrees = _fam_pedigrees(
        persons,
        known,
        [(f"{poi.id} is {case.missing}", swap), ("Unrelated", around)],
        markers,
        source,
    )
    table, silent = familias_table(markers, case.table, source)
    loci = _database(markers, table, case.mutations, silent, source)
    for key in at:
        loci[key] = replace(loci[key], dropout=dropouts[key])
    return FamiliasProject(
        "3.3.1",
        persons,
        pedigrees,
        markers,
        table,
        loci,
        case.theta,
        "unknown",
        known,
        [],
        None,
        [],
        source=source,
    )


def _fam_pedigrees(persons: list[FamPerson], known, hyps, markers, src) -> list[FamPedigree]:
    ids = [p.id for p in persons]
    sexes = [p.sex for p in persons]
    genos = {p.id: p.genotypes for p in persons if p.genotypes}
    out = []
    for name, rels in hyps:
        ped, added = build_pedigree(ids, sexes, [(a, b, None) for a, b in known + rels], src, None)
        out.append(
            FamPedigree(name, Family(ped, list(markers), genos, name), list(rels), [], added)
        )
    return out


def read_dvi_folder(folder: Path) -> tuple[dict, dict[str, Family], list[Profile], FrequencyTable]:
    cj = folder / "dvi.json"
    meta = read_json(cj)
    fams = {}
    for name, d in meta.get("families", {}).items():
        if "file" not in d:
            raise InputError(f"family {name!r} has no 'file'", file=str(cj), field="families")
        fams[name] = read_ped(folder / d["file"], name)
    victims = read_profiles(folder / "victims.tsv")
    table = read_frequencies(folder / "freqs.txt")
    return meta, fams, victims, table


def dvi_folder_to_project(folder: Path) -> FamiliasProject:
    """A Familias DVI project from a DVI folder: one missing person per family (Familias'
    DVI module names it 'Missing person'; its nasab id goes into the family's note)."""
    meta, fams, victims, table = read_dvi_folder(folder)
    src = str(folder / "dvi.json")
    _refuse_victim_dropout(meta, src)
    markers = meta.get("marker_order") or next(iter(fams.values())).markers
    markers = [table[m].name if m in table else m for m in markers]
    mutations = {m: MutationSpec.from_json(d) for m, d in meta.get("markers", {}).items()}
    theta = float(meta.get("theta", 0.0))
    dvi = DVIData()
    for v in victims:
        sex = int(meta.get("victims", {}).get(v.id, {}).get("sex", v.sex))
        genos = {k: familias_genotype(g, False) for k, g in v.genotypes.items()}
        dvi.unidentified.append(Profile(v.id, genos, sex, list(markers)))
    for name, fam in fams.items():
        missing = meta["families"][name].get("missing", [])
        if len(missing) != 1:
            raise InputError(
                f"family {name!r} has {len(missing)} missing persons; Familias' "
                "DVI module takes exactly one missing person per reference "
                "family",
                file=src,
                field="families",
            )
        (mp,) = missing
        ped = fam.pedigree
        if mp not in ped:
            raise InputError(f"missing person {mp!r} is not in family {name!r}", file=src)
        if any(is_typed(g) for g in fam.genotypes.get(mp, {}).values()):
            raise InputError(f"missing person {mp!r} of family {name!r} is typed", file=src)
        persons = []
        for p in ped.persons:
            if p.id == mp:
                continue
            genos = fam.genotypes.get(p.id, {})
            persons.append(
                FamPerson(p.id, p.sex, {k: familias_genotype(g, False) for k, g in genos.items()})
            )
        rels = [
            (MISSING_PERSON if a == mp else a, MISSING_PERSON if b == mp else b)
            for a, b in relations_of(ped)
        ]
        if any(p.id == MISSING_PERSON for p in persons):
            raise InputError(f"family {name!r} has a person called {MISSING_PERSON!r}", file=src)
        ids = [p.id for p in persons] + [MISSING_PERSON]
        sexes = [p.sex for p in persons] + [ped[mp].sex]
        fped, added = build_pedigree(ids, sexes, [(a, b, None) for a, b in rels], src, None)
        genos = {p.id: p.genotypes for p in persons if p.genotypes}
        fam_peds = [
            FamPedigree(n, Family(fped, list(markers), genos, name), list(rels), [], added)
            for n in (REFERENCE_PEDIGREE, name)
        ]
        dvi.families[name] = DVIFamily(name, persons, fam_peds, [MISSING_PERSON])
        sexname = {MALE: "male", FEMALE: "female"}.get(ped[mp].sex, "unknown")
        dvi.notes.append(f"nasab missing person id: {mp}; sex: {sexname}")
    table, silent = familias_table(markers, table, src)
    loci = _database(markers, table, mutations, silent, src)
    return FamiliasProject(
        "3.4.1",
        [],
        [],
        markers,
        table,
        loci,
        theta,
        "unknown",
        [],
        [],
        dvi,
        [("DVI", [])],
        source=src,
    )


def _refuse_victim_dropout(meta: dict, src: str) -> None:
    """dvi.json's dropout of the remains has no place in a Familias DVI file (its dropout
    is per locus, for persons of the case section flagged "(Consider dropouts)")."""
    for key in ("dropout", "dropout_hom", "dropin"):
        value = meta.get(key)
        if value and (not isinstance(value, dict) or any(value.values())):
            raise InputError(
                f"dvi.json sets {key} {value!r} for the remains; a Familias DVI "
                "file cannot hold dropout or drop-in of unidentified persons",
                file=src,
                field=key,
            )
