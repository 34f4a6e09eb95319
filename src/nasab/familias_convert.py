"""Between Familias projects and nasab's case folders.

A Familias case states its hypotheses as alternative pedigrees; nasab's missing-person case
(the oracle format: ``pedigree.ped``, ``poi.tsv``, ``freqs.txt``, ``case.json``) states the
reference family with an untyped missing person and a person of interest (POI). Two
pedigrees H1, H2 of a ``.fam`` file form such a case when the POI is unrelated to everyone
in H2 and H2 without the POI is H1 with the POI's place left to an untyped person.
A DVI ``.fam`` file maps onto the DVI folder format (``families/<F>.ped``, ``victims.tsv``,
``freqs.txt``, ``dvi.json``).

Whatever the folder formats cannot hold and nasab's engine would otherwise ignore (dropout,
silent alleles, alternative pedigrees of a DVI family) is refused with a clear message.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import InputError
from .familias import (
    MISSING_PERSON,
    REFERENCE_PEDIGREE,
    DVIData,
    DVIFamily,
    FamiliasProject,
    FamPedigree,
    FamPerson,
    build_pedigree,
    default_locus,
    relations_of,
)
from .frequencies import FrequencyTable, marker_key, read_frequencies, write_familias
from .genotypes import Family, Profile, format_genotype, is_typed
from .io import Case, read_json, read_ped, read_profiles
from .mutation import MutationSpec
from .pedigree import FEMALE, MALE, Pedigree


# --- checks -----------------------------------------------------------------------------
def check_engine_settings(project: FamiliasProject) -> None:
    """Refuse settings that change likelihoods but that nasab's engine does not model."""
    src = project.source
    for info in project.loci.values():
        if info.silent and info.silent_frequency > 0:
            raise InputError(f"locus {info.name} has a silent allele (frequency "
                             f"{info.silent_frequency:g}); nasab's engine does not model "
                             "silent alleles", file=src, field="silent allele")
    drop = [p.id for p in project.persons if p.consider_dropout]
    rates = {info.name: info.dropout for info in project.loci.values() if info.dropout}
    if drop and rates:
        name, rate = next(iter(rates.items()))
        raise InputError(f"dropout is considered for {', '.join(drop)} (probability {rate:g} "
                         f"at {name}); nasab's engine does not model dropout", file=src,
                         field="Dropout probability")


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


def _as_case(h1: FamPedigree, h2: FamPedigree, poi: str, typed: set[str]) -> tuple[Pedigree, str] | None:
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
        stand_ins = [q.id for q in p2.persons
                     if q.id not in typed and q.id != poi and not p2.children(q.id)
                     and (q.father, q.mother) == (me.father, me.mother)
                     and (q.id not in p1 or _isolated(p1, q.id))]
        ped, missing = p1, _fresh("MP", set(p1.ids))
        if stand_ins:
            missing = stand_ins[0]
            ped = p1.without([missing]) if missing in p1 else p1
        return ped.relabel({poi: missing}), missing
    base = p2.without([poi])
    for q in base.persons:  # the missing person has children: H2 holds an untyped stand-in
        if q.id not in typed and q.sex == p1[poi].sex and (
                _prune(base.relabel({q.id: poi}), typed) == _prune(p1, typed)):
            return base, q.id
    return None


def _fresh(base: str, taken: set[str]) -> str:
    out, k = base, 1
    while out in taken:
        k += 1
        out = f"{base}{k}"
    return out


def project_to_case(project: FamiliasProject, poi: str | None = None, h1: str | None = None,
                    h2: str | None = None) -> Case:
    """The missing-person case of a (non-DVI) project: POI, H1 and H2 given or found
    (their names in ``meta``)."""
    src = project.source
    if project.dvi is not None:
        raise InputError("this is a DVI file; import it as a DVI folder", file=src)
    peds = {p.name: p for p in project.pedigrees}
    for name in (h1, h2):
        if name is not None and name not in peds:
            raise InputError(f"no pedigree named {name!r}; the file has: "
                             f"{', '.join(peds) or 'none'}", file=src, field="pedigree")
    if len(peds) < 2:
        raise InputError(f"{len(peds)} pedigree(s): a case needs two (the POI related, and "
                         "the POI unrelated)", file=src)
    typed = {p.id for p in project.persons if any(is_typed(g) for g in p.genotypes.values())}
    if poi is not None and poi not in typed:
        raise InputError(f"POI {poi!r} is not a typed person of the file", file=src,
                         field="poi")
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
        raise InputError("no two pedigrees form a missing-person case (one where the POI is "
                         "unrelated to all, the other the same family with the POI in the "
                         "missing person's place); give --poi, --h1 and --h2, or check the "
                         "pedigrees", file=src)
    if len(found) > 1:
        opts = "; ".join(f"POI {w!r}, H1 {a.name!r}, H2 {b.name!r}" for a, b, w, _ in found)
        raise InputError(f"several readings of the case: {opts}; choose with --poi, --h1 "
                         "and --h2", file=src)
    a, b, who, (ped, missing) = found[0]
    check_engine_settings(project)
    person = project.person(who)
    genos = {p.id: dict(p.genotypes) for p in project.persons
             if p.id != who and p.genotypes and p.id in ped}
    family = Family(ped, list(project.markers), genos, Path(src).stem)
    profile = Profile(who, dict(person.genotypes), person.sex, list(project.markers))
    return Case(family, missing, profile, project.table, project.mutations,
                list(project.markers), project.theta, meta={"h1": a.name, "h2": b.name})


# --- writing folders ----------------------------------------------------------------------
def spec_json(spec: MutationSpec) -> dict:
    out: dict = {"model": "none" if spec.model == "trivial" else spec.model,
                 "rate": {"female": spec.rate_female, "male": spec.rate_male}}
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
        "source": project.source, "version": project.version,
        "database_name": project.database_name,
        "loci": {i.name: {"codes": list(i.codes), "database_size": i.database_size,
                          "dropout": i.dropout, "maf": i.maf, "silent": i.silent,
                          "silent_frequency": i.silent_frequency}
                 for i in project.loci.values()},
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
        "missing": parts.missing, "missing_sex": ped[parts.missing].sex,
        "poi_id": parts.poi.id, "poi_sex": parts.poi.sex,
        "typed_references": parts.family.typed_persons(),
        "marker_order": markers,
        "poi_untyped_markers": [m for m in markers if not is_typed(parts.poi.genotype(m))],
        "markers": {m: spec_json(parts.mutations[m]) for m in markers},
        "theta": parts.theta,
        "familias": {**familias_meta(project), "h1": parts.meta["h1"], "h2": parts.meta["h2"]},
    }
    (out / "case.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def write_dvi_folder(project: FamiliasProject, out: Path) -> None:
    """A DVI folder (families/<F>.ped, victims.tsv, freqs.txt, dvi.json) from a DVI file."""
    src = project.source
    dvi = project.dvi
    if dvi is None:
        raise InputError("no [DVI] section in this file", file=src)
    check_engine_settings(project)
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
            raise InputError(f"family {name!r} has {len(distinct)} different pedigrees "
                             f"({', '.join(p.name for p in distinct)}); the DVI folder holds "
                             "one pedigree per family", file=src)
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
        fams[name] = {"file": f"families/{name}.ped", "missing": miss,
                      "typed_references": fam_out.typed_persons(), "size": len(ped)}
        for m in miss:
            missing_persons[m] = {"family": name, "sex": ped[m].sex}
    _write(out / "victims.tsv", _profile_lines(dvi.unidentified, markers, with_sex=True))
    write_familias(project.table, out / "freqs.txt")
    meta = {
        "families": fams, "missing_persons": missing_persons,
        "victims": {u.id: {"sex": u.sex} for u in dvi.unidentified},
        "marker_order": markers,
        "markers": {m: spec_json(project.mutations[m]) for m in markers},
        "theta": project.theta,
        "familias": {**familias_meta(project), "renamed_missing": renamed,
                     "pedigree_names": {n: [p.name for p in f.pedigrees]
                                        for n, f in dvi.families.items()},
                     "notes": dvi.notes},
    }
    (out / "dvi.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


# --- from nasab's folders to Familias ---------------------------------------------------------
def _database(project_markers: list[str], table: FrequencyTable,
              mutations: dict[str, MutationSpec], src: str) -> dict:
    loci = {}
    for m in project_markers:
        if m not in table:
            raise InputError(f"marker {m} is not in the frequency table", file=str(table.source))
        spec = next((s for k, s in mutations.items() if marker_key(k) == marker_key(m)), None)
        try:
            loci[marker_key(m)] = default_locus(table[m].name, spec, len(table[m].alleles))
        except InputError as e:
            raise InputError(e.message, file=src, field=m) from None
    return loci


def _table_for(markers: list[str], table: FrequencyTable) -> FrequencyTable:
    return FrequencyTable({marker_key(m): table[m] for m in markers}, table.source,
                          table.n_individuals, table.sha256)


def _fam_person(pid: str, sex: int, genos: dict, src: str) -> FamPerson:
    if sex not in (MALE, FEMALE):
        raise InputError(f"person {pid!r} has unknown sex; Familias needs male or female",
                         file=src)
    return FamPerson(pid, sex, dict(genos))


def case_to_project(case: Case, source: str) -> FamiliasProject:
    """A Familias project of a nasab missing-person case: the POI as the missing person
    (H1) or unrelated (H2). The missing person stays as an untyped person."""
    ped = case.family.pedigree
    markers = [case.table[m].name if m in case.table else m for m in case.markers]
    poi = case.poi
    if poi.id in ped:
        raise InputError(f"the POI's id {poi.id!r} is also a person of the pedigree",
                         file=source)
    if case.theta and not 0 <= case.theta < 1:
        raise InputError(f"theta {case.theta} out of range", file=source)
    persons = [_fam_person(p.id, p.sex, case.family.genotypes.get(p.id, {}), source)
               for p in ped.persons]
    persons.append(_fam_person(poi.id, poi.sex or ped[case.missing].sex, poi.genotypes, source))
    known = relations_of(ped, skip={case.missing})
    around = [r for r in relations_of(ped) if case.missing in r]
    swap = [(poi.id if a == case.missing else a, poi.id if b == case.missing else b)
            for a, b in around]
    pedigrees = _fam_pedigrees(persons, known, [(f"{poi.id} is {case.missing}", swap),
                                                ("Unrelated", around)], markers, source)
    table = _table_for(markers, case.table)
    loci = _database(markers, table, case.mutations, source)
    return FamiliasProject("3.3.1", persons, pedigrees, markers, table, loci, case.theta,
                           "unknown", known, [], None, [], source=source)


def _fam_pedigrees(persons: list[FamPerson], known, hyps, markers, src) -> list[FamPedigree]:
    ids = [p.id for p in persons]
    sexes = [p.sex for p in persons]
    genos = {p.id: p.genotypes for p in persons if p.genotypes}
    out = []
    for name, rels in hyps:
        ped, added = build_pedigree(ids, sexes, [(a, b, None) for a, b in known + rels], src,
                                     None)
        out.append(FamPedigree(name, Family(ped, list(markers), genos, name), list(rels), [],
                               added))
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
    markers = meta.get("marker_order") or next(iter(fams.values())).markers
    markers = [table[m].name if m in table else m for m in markers]
    mutations = {m: MutationSpec.from_json(d) for m, d in meta.get("markers", {}).items()}
    theta = float(meta.get("theta", 0.0))
    dvi = DVIData()
    for v in victims:
        sex = int(meta.get("victims", {}).get(v.id, {}).get("sex", v.sex))
        dvi.unidentified.append(Profile(v.id, v.genotypes, sex, list(markers)))
    for name, fam in fams.items():
        missing = meta["families"][name].get("missing", [])
        if len(missing) != 1:
            raise InputError(f"family {name!r} has {len(missing)} missing persons; Familias' "
                             "DVI module takes exactly one missing person per reference "
                             "family", file=src, field="families")
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
            persons.append(FamPerson(p.id, p.sex, dict(fam.genotypes.get(p.id, {}))))
        rels = [(MISSING_PERSON if a == mp else a, MISSING_PERSON if b == mp else b)
                for a, b in relations_of(ped)]
        if any(p.id == MISSING_PERSON for p in persons):
            raise InputError(f"family {name!r} has a person called {MISSING_PERSON!r}",
                             file=src)
        ids = [p.id for p in persons] + [MISSING_PERSON]
        sexes = [p.sex for p in persons] + [ped[mp].sex]
        fped, added = build_pedigree(ids, sexes, [(a, b, None) for a, b in rels], src, None)
        genos = {p.id: p.genotypes for p in persons if p.genotypes}
        fam_peds = [FamPedigree(n, Family(fped, list(markers), genos, name), list(rels), [],
                                added) for n in (REFERENCE_PEDIGREE, name)]
        dvi.families[name] = DVIFamily(name, persons, fam_peds, [MISSING_PERSON])
        sexname = {MALE: "male", FEMALE: "female"}.get(ped[mp].sex, "unknown")
        dvi.notes.append(f"nasab missing person id: {mp}; sex: {sexname}")
    table = _table_for(markers, table)
    loci = _database(markers, table, mutations, src)
    return FamiliasProject("3.4.1", [], [], markers, table, loci, theta, "unknown", [], [],
                           dvi, [("DVI", [])], source=src)
