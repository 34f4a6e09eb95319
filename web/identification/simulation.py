"""Loading a programme from ``nasab simulate`` files, and exporting what matching found.

:func:`import_simulation` reads ``families.tsv`` (or ``.parquet``), ``remains.tsv`` and
``freqs.txt`` with the engine's readers and creates, in one transaction: a missing person per
missing member of each family (the family's first missing person holds the pedigree; the
others are members of it, ``Relative.missing_person``), every other member as a relative
with father/mother links and the relationship to the missing person, a consent, a reference
swab and an accepted profile for each typed member; a grave site per ``site``, a remains unit
(code = ``remain_id``) with a bone sample and an accepted profile per remain; and registers
``freqs.txt`` as the programme's frequency table. Identifiers are kept: ``remain_id`` as the
remains code, ``family_id`` and the missing member's id as the missing person's external
identifiers. Simulated samples were never physical objects: no custody entries are made.

:func:`export_candidates` writes the current candidates with ``nasab search``'s columns.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from fieldwork.models import Completeness, GraveSite, RemainsUnit, Sample, SampleKind, SiteStage
from lab.models import DNAProfile, QualityStatus
from nasab.search.matches_out import LINEAGE_COLUMNS, MATCH_COLUMNS
from registry import synthetic
from registry.models import Consent, MissingPerson, Relationship, Relative

from . import hooks
from .models import MatchCandidate
from .programme import active_settings, change_settings, register_table

KIT = "simulated 24-locus STR kit"
LAB = "nasab simulate"


class SimulationRefused(Exception):
    """The files cannot be loaded; the message names the file, line and field."""


def _table_file(folder: Path, stem: str) -> Path:
    for ext in (".tsv", ".parquet"):
        if (folder / f"{stem}{ext}").exists():
            return folder / f"{stem}{ext}"
    raise SimulationRefused(f"{folder}: no {stem}.tsv or {stem}.parquet (nasab simulate output)")


def relationship(ped, person: str, mp: str) -> str:
    """The relationship of ``person`` to the missing person ``mp`` in an engine pedigree."""
    p, m = ped[person], ped[mp]
    if person in (m.father,):
        return Relationship.FATHER
    if person in (m.mother,):
        return Relationship.MOTHER
    if mp in (p.father, p.mother):
        return Relationship.CHILD
    if p.father and p.father == m.father and p.mother == m.mother:
        return Relationship.FULL_SIBLING
    if p.father and p.father == m.father:
        return Relationship.HALF_SIBLING_PATERNAL
    if p.mother and p.mother == m.mother:
        return Relationship.HALF_SIBLING_MATERNAL
    grandparents = {
        g for par in (m.father, m.mother) if par for g in (ped[par].father, ped[par].mother) if g
    }
    if person in grandparents:
        return Relationship.GRANDPARENT
    if (p.father and p.father in grandparents) or (p.mother and p.mother in grandparents):
        return Relationship.UNCLE_AUNT
    uncles = {
        q.id
        for q in ped.persons
        if (q.father in grandparents or q.mother in grandparents)
        and q.id not in (m.father, m.mother)
    }
    if p.father in uncles or p.mother in uncles:
        return Relationship.COUSIN
    if any({c.father, c.mother} == {mp, person} for c in ped.persons):
        return Relationship.SPOUSE
    return Relationship.OTHER


def _importer():
    """The account the simulated records are imported by (inactive, cannot log in)."""
    user, made = get_user_model().objects.get_or_create(
        username="simulation-import", defaults={"is_active": False}
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _markers(genotypes: dict, names: dict) -> dict:
    out = {}
    for key, g in genotypes.items():
        if g[0] is None:
            continue
        out[names.get(key, key)] = [a if a is not None else "-" for a in g]
    return out


def _lineage(ystr: dict | None, mtdna) -> dict:
    """A simulated person's Y-STR haplotype and mtDNA as ``DNAProfile.lineage``."""
    from nasab.search.lineage_store import haplotype_text

    out: dict = {}
    if ystr:
        out["Y"] = haplotype_text(ystr)
    if mtdna is not None:
        out["mtDNA"] = mtdna.describe()
    return out


def import_simulation(folder: str | Path, *, user=None) -> dict:
    """Load a simulation (see the module docstring). All or nothing."""
    from nasab.engine.errors import NasabError
    from nasab.engine.frequencies import read_frequencies
    from nasab.search.data import read_families, read_remains

    folder = Path(folder)
    if not folder.is_dir():
        raise SimulationRefused(f"{folder}: no such directory")
    freqs = folder / "freqs.txt"
    if not freqs.exists():
        raise SimulationRefused(f"{folder}: no freqs.txt (nasab simulate output)")
    try:
        table = read_frequencies(freqs)
        known = set(table.markers)
        loaded = read_families(_table_file(folder, "families"), known, "stop")
        remains, _, _ = read_remains(_table_file(folder, "remains"), known, "stop")
        sites = [s or "SITE" for s in remains.sites]
    except NasabError as exc:
        raise SimulationRefused(str(exc)) from exc
    names = {k: m.name for k, m in table.markers.items()}
    user = user or _importer()
    clash = set(RemainsUnit.objects.filter(code__in=remains.ids).values_list("code", flat=True))
    if clash:
        raise SimulationRefused(
            f"remains {sorted(clash)[0]} (and {len(clash) - 1} more) already "
            "registered; import into an empty programme"
        )
    fam_ids = [fd.family.name for fd in loaded.families]
    clash = set(
        MissingPerson.objects.filter(external_family_id__in=fam_ids).values_list(
            "external_family_id", flat=True
        )
    )
    if clash:
        raise SimulationRefused(f"family {sorted(clash)[0]} already registered")
    counts = {"families": 0, "missing": 0, "relatives": 0, "donors": 0, "remains": 0, "sites": 0}
    digest_f = hashlib.sha256(_table_file(folder, "families").read_bytes()).hexdigest()
    digest_r = hashlib.sha256(_table_file(folder, "remains").read_bytes()).hexdigest()
    with transaction.atomic(), hooks.suspended():
        tfile = register_table(
            "freqs.txt",
            freqs.read_bytes(),
            user=user,
            description=f"nasab simulate frequencies ({folder.name})",
        )
        active_settings()
        change_settings(
            user=user,
            frequency_table=tfile,
            note=f"Frequency table of the simulation in {folder.name}.",
        )
        _families(loaded.families, user, names, digest_f, counts)
        site_objs = {}
        for code in sorted(set(sites)):
            site = GraveSite.objects.filter(code=code[:20]).first() or GraveSite.objects.create(
                code=code[:20],
                name=f"Simulated site {code}",
                governorate="hama",
                stage=SiteStage.EXCAVATED,
            )
            site_objs[code] = site
        counts["sites"] = len(site_objs)
        units = RemainsUnit.objects.bulk_create(
            [
                RemainsUnit(
                    code=rid,
                    site=site_objs[site],
                    label_at_discovery=rid,
                    completeness=Completeness.PARTIAL,
                )
                for rid, site in zip(remains.ids, sites, strict=True)
            ]
        )
        units = {u.code: u for u in RemainsUnit.objects.filter(code__in=remains.ids)}
        Sample.objects.bulk_create(
            [
                Sample(
                    barcode=f"{rid}-S1",
                    kind=SampleKind.BONE,
                    skeletal_element="femur",
                    remains=units[rid],
                )
                for rid in remains.ids
            ]
        )
        samples = Sample.objects.in_bulk([f"{rid}-S1" for rid in remains.ids], field_name="barcode")
        DNAProfile.objects.bulk_create(
            [
                DNAProfile(
                    sample=samples[f"{p.id}-S1"],
                    markers=_markers(p.genotypes, names),
                    lineage=_lineage(p.ystr, p.mtdna),
                    kit=KIT,
                    lab=LAB,
                    quality_status=QualityStatus.ACCEPTED,
                    source_file_name="remains.tsv",
                    source_sha256=digest_r,
                    source_line=line,
                    imported_by=user,
                )
                for p, line in zip(remains.profiles, remains.lines, strict=True)
            ]
        )
        counts["remains"] = len(units)
    return counts


def _families(families, user, names, digest, counts, batch: int = 2000) -> None:
    """Every family, in batches of bulk inserts (a few queries per thousand rows)."""
    for i in range(0, len(families), batch):
        _batch(families[i : i + batch], user, names, digest, counts)


def _batch(families, user, names, digest, counts) -> None:
    persons: dict[tuple[str, str], MissingPerson] = {}
    for fd in families:
        fam, ped = fd.family, fd.family.pedigree
        rng = random.Random(fam.name)
        names_syn = synthetic.family(rng)
        for mp in fd.missing:
            sex = {1: "M", 2: "F"}.get(ped[mp].sex, "U")
            given = synthetic._pick(rng, synthetic.MALE if sex == "M" else synthetic.FEMALE)
            full = names_syn.full(given)
            persons[(fam.name, mp)] = MissingPerson(
                case_number=f"~{len(persons)}",  # numbered from the key below
                name_ar=full.ar,
                name_latin=full.latin,
                given_name=given.latin,
                family_name=names_syn.family.latin,
                sex=sex,
                external_family_id=fam.name,
                external_id=mp,
            )
    made = MissingPerson.objects.bulk_create(list(persons.values()))
    if made and made[0].pk is None:  # a database without RETURNING
        made = list(MissingPerson.objects.filter(case_number__startswith="~").order_by("pk"))
        persons = {(m.external_family_id, m.external_id): m for m in made}
    for m in persons.values():
        m.case_number = f"MP-{m.pk:06d}"
    MissingPerson.objects.bulk_update(list(persons.values()), ["case_number"], batch_size=1000)
    rels: dict[tuple[str, str], Relative] = {}
    for fd in families:
        fam, ped = fd.family, fd.family.pedigree
        owner_id = fd.missing[0]
        owner = persons[(fam.name, owner_id)]
        for p in ped.persons:
            if p.id == owner_id:
                continue
            rels[(fam.name, p.id)] = Relative(
                person=owner,
                name_ar=f"{p.id} ({fam.name})",
                name_latin=f"{p.id} of {fam.name}",
                sex={1: "M", 2: "F"}.get(p.sex, "U"),
                claimed_relationship=relationship(ped, p.id, owner_id),
                missing_person=persons.get((fam.name, p.id)),
            )
    made = Relative.objects.bulk_create(list(rels.values()), batch_size=2000)
    if made and made[0].pk is None:
        owners = [persons[(fd.family.name, fd.missing[0])].pk for fd in families]
        by_name = {r.name_latin: r for r in Relative.objects.filter(person__in=owners)}
        rels = {k: by_name[v.name_latin] for k, v in rels.items()}
    for fd in families:
        fam, ped = fd.family, fd.family.pedigree
        owner_id = fd.missing[0]
        for p in ped.persons:
            if p.id == owner_id:
                continue
            r = rels[(fam.name, p.id)]
            r.father = rels.get((fam.name, p.father)) if p.father != owner_id else None
            r.mother = rels.get((fam.name, p.mother)) if p.mother != owner_id else None
    Relative.objects.bulk_update(list(rels.values()), ["father", "mother"], batch_size=2000)
    typed = [
        (fd, pid)
        for fd in families
        for pid in fd.family.pedigree.ids
        if any(x[0] is not None for x in fd.family.genotypes.get(pid, {}).values())
        or fd.family.ystr.get(pid)
        or fd.family.mtdna.get(pid) is not None
    ]
    Consent.objects.bulk_create(
        [
            Consent(
                relative=rels[(fd.family.name, pid)],
                text_version="simulation",
                language="en",
                recorded_by=user,
            )
            for fd, pid in typed
        ],
        batch_size=2000,
    )
    barcodes = [f"{fd.family.name}-{pid}" for fd, pid in typed]
    Sample.objects.bulk_create(
        [
            Sample(barcode=b, kind=SampleKind.BUCCAL_SWAB, donor=rels[(fd.family.name, pid)])
            for b, (fd, pid) in zip(barcodes, typed, strict=True)
        ],
        batch_size=2000,
    )
    samples = Sample.objects.in_bulk(barcodes, field_name="barcode")
    DNAProfile.objects.bulk_create(
        [
            DNAProfile(
                sample=samples[b],
                markers=_markers(fd.family.genotypes.get(pid, {}), names),
                lineage=_lineage(fd.family.ystr.get(pid), fd.family.mtdna.get(pid)),
                kit=KIT,
                lab=LAB,
                quality_status=QualityStatus.ACCEPTED,
                source_file_name="families.tsv",
                source_sha256=digest,
                source_line=(fd.family.pedigree[pid].line or fd.line),
                imported_by=user,
            )
            for b, (fd, pid) in zip(barcodes, typed, strict=True)
        ],
        batch_size=2000,
    )
    counts["families"] += len(families)
    counts["missing"] += len(persons)
    counts["relatives"] += len(rels)
    counts["donors"] += len(typed)


# --- export -----------------------------------------------------------------------------------
# nasab search's columns (one definition, the engine's), then the registry's own
EXPORT_COLUMNS = [*MATCH_COLUMNS, "case_number", "settings", "needs_review"]


def export_candidates(path: str | Path) -> int:
    """Write the current candidates as ``nasab search`` writes its matches (same columns
    first, sorted by remains then LR descending), plus the case number, the settings row and
    the review flag, and, for candidates computed with lineage databases, nasab search's
    autosomal / Y / mtDNA log10 LR columns; the model sidecar ``OUT.model.json`` names the
    settings."""
    import json

    from nasab.search.run import write_matches

    from .compiled import store_state

    cands = list(
        MatchCandidate.objects.filter(current=True, log10_lr__isnull=False).select_related(
            "remains", "person", "person__pedigree_place__person"
        )
    )
    rows = []
    for c in cands:
        person = c.person
        place = getattr(person, "pedigree_place", None)
        owner = place.person if place is not None else person
        family_id = owner.external_family_id or owner.case_number
        missing_id = person.external_id or person.case_number
        rows.append((c.remains.code, -round(c.log10_lr, 9), family_id, missing_id, c))
    rows.sort(key=lambda r: r[:4])
    # with lineage databases: the evidence columns of nasab search's matches
    lineage = any(c.log10_lr_autosomal is not None for *_, c in rows)
    columns = EXPORT_COLUMNS + (LINEAGE_COLUMNS if lineage else [])
    cols = {k: [] for k in columns}
    for code, _, fam, mp, c in rows:
        for k, v in (
            ("remain_id", code),
            ("family_id", fam),
            ("missing_id", mp),
            ("log10_lr", float(c.log10_lr)),
            ("lr", 10.0**c.log10_lr if c.log10_lr < 308 else float("inf")),
            ("n_markers", c.n_markers if c.n_markers is not None else -1),
            ("n_inconsistent", c.n_inconsistent if c.n_inconsistent is not None else -1),
            ("posterior", float(c.posterior)),
            ("prior", float(c.prior)),
            ("kind", c.family_kind),
            ("case_number", c.person.case_number),
            ("settings", c.programme_settings_id or ""),
            ("needs_review", int(c.needs_review)),
        ):
            cols[k].append(v)
        if lineage:
            auto = c.log10_lr_autosomal
            cols["log10_lr_autosomal"].append(float(c.log10_lr if auto is None else auto))
            cols["log10_lr_Y"].append(float(c.log10_lr_y or 0.0))
            cols["log10_lr_mtDNA"].append(float(c.log10_lr_mtdna or 0.0))
    programme = active_settings()
    meta = {
        "source": "nasab registry (export_candidates)",
        "settings": programme.describe(),
        "settings_id": programme.pk,
        "store": store_state(),
        "columns": columns,
        "rows": len(rows),
    }
    json.dumps(meta)  # fail before writing anything
    write_matches(Path(path), cols, meta)
    return len(rows)
