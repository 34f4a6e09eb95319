"""From nasab's case and DVI folders to Familias projects (``nasab familias export``):
frequencies and mutation models as Familias loci, dropout as "(Consider dropouts)" with
one probability per locus, the silent allele, the persons and pedigrees. What a Familias
file cannot say is refused, naming the file and the field."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import (
    FrequencyTable,
    MarkerFrequencies,
    marker_key,
    read_frequencies,
)
from nasab.engine.genotypes import UNTYPED, Family, Genotype, Profile, is_typed
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DROPOUT_MARK, DropModel, is_silent
from nasab.engine.pedigree import FEMALE, MALE
from nasab.formats.familias import (
    MISSING_PERSON,
    REFERENCE_PEDIGREE,
    SILENT,
    DVIData,
    DVIFamily,
    FamiliasProject,
    FamPedigree,
    FamPerson,
    build_pedigree,
    default_locus,
    relations_of,
)
from nasab.formats.familias_convert import check_silent_genotypes, engine_table  # noqa: F401
from nasab.formats.io import Case, read_json, read_ped, read_profiles


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


def _refuse_unlisted(people: list[Profile], listed: dict, src: Path, table) -> None:
    """A typed allele the frequency table does not list is refused where it was read:
    Familias needs every typed allele in its locus database (as the case export says)."""
    for p in people:
        for k, g in p.genotypes.items():
            if k not in listed or not is_typed(g):
                continue
            for a in g:
                if a is not None and a != DROPOUT_MARK and a not in listed[k]:
                    raise InputError(
                        f"allele {a} of {p.id!r} (marker {table[k].name}) is not in the "
                        f"frequency table {table.source}; Familias needs every typed allele there",
                        file=str(src),
                    )


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
    listed = {marker_key(m): set(table[m].alleles) for m in markers if m in table}
    _refuse_unlisted(victims, listed, folder / "victims.tsv", table)
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
        _refuse_unlisted(
            [Profile(pid, g) for pid, g in fam.genotypes.items()],
            listed,
            folder / meta["families"][name]["file"],
            table,
        )
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
