"""A synthetic demonstration programme: grave sites, remains, samples with custody,
families with donors and consent, DNA profiles, match candidates, users for every role.

Everything is generated from a seed; no real person's data is involved. Genotypes follow
Mendelian inheritance inside each family, so remains of a family's missing person match
their parents; the match candidates' likelihood ratios are computed with a simple trio
formula under uniform allele frequencies (``synthetic-uniform``), labelled as such.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import second_factor
from accounts.roles import Role, ensure_groups
from custody import services as custody
from fieldwork import services as fieldwork
from fieldwork.models import GraveSite, Protection, RemainsUnit, Sample, SiteAccess, SiteStage
from identification import matching
from identification import services as identification
from identification.models import MatchCandidate
from lab import services as lab
from lab.models import QualityStatus
from registry import synthetic
from registry.models import (
    Circumstance,
    Consent,
    ConsentSharing,
    DisappearanceEvent,
    MissingPerson,
    Relative,
    Report,
)
from registry.services import withdraw_consent

DEMO_USERS = [
    ("intake1", Role.INTAKE),
    ("field1", Role.FIELD),
    ("field2", Role.FIELD),
    ("lab1", Role.LAB),
    ("lab2", Role.LAB),
    ("reviewer1", Role.REVIEWER),
    ("board1", Role.BOARD),
    ("admin1", Role.ADMIN),
]
# Marker → (smallest, largest) repeat number drawn for synthetic alleles.
DEMO_MARKERS = {
    "D3S1358": (12, 19),
    "vWA": (13, 20),
    "D16S539": (8, 14),
    "CSF1PO": (8, 14),
    "TPOX": (6, 12),
    "D8S1179": (9, 16),
    "D21S11": (27, 33),
    "D18S51": (11, 21),
    "D2S441": (9, 15),
    "D19S433": (11, 16),
    "TH01": (5, 10),
    "FGA": (19, 26),
    "D22S1045": (11, 17),
    "D5S818": (9, 13),
    "D13S317": (8, 14),
    "D7S820": (8, 13),
}
FREQUENCY_TABLE, FREQUENCY_VERSION = "synthetic-uniform", "1"
ENGINE_VERSION = "demo-trio-lr (nasab_site.demo)"
PRIOR = 1 / 50
SITES = [
    ("GS-001", "Olive grove north of the village", "hama", "Salamiyah", SiteStage.EXCAVATED, 4),
    ("GS-002", "Former quarry", "homs", "Talkalakh", SiteStage.EXCAVATING, 3),
    ("GS-003", "Field beside the old road", "raqqa", "Tabqa", SiteStage.ASSESSED, 0),
]

Genotype = dict[str, list[str]]


def _allele_order(allele: str) -> float:
    try:
        return float(allele)
    except ValueError:
        return math.inf


def random_genotype(rng: random.Random, table=None) -> Genotype:
    """Two alleles per marker: drawn from ``table`` (the engine's frequency table) when
    given, so that likelihood ratios computed with it are meaningful; else uniformly."""
    genotype = {}
    for marker, (lo, hi) in DEMO_MARKERS.items():
        if table is not None and marker in table:
            freqs = table[marker]
            alleles = rng.choices(list(freqs.alleles), weights=[float(f) for f in freqs.freqs], k=2)
        else:
            alleles = [str(rng.randint(lo, hi)) for _ in range(2)]
        genotype[marker] = sorted(alleles, key=_allele_order)
    return genotype


def child_of(rng: random.Random, father: Genotype, mother: Genotype) -> Genotype:
    return {
        m: sorted([rng.choice(father[m]), rng.choice(mother[m])], key=_allele_order)
        for m in DEMO_MARKERS
    }


def engine_table():
    """The engine's bundled frequency table, or ``None`` where the engine is not installed."""
    try:
        matching._engine()
        from nasab.engine.frequencies import default_table
    except (matching.MatchingUnavailable, ImportError):
        return None
    return default_table()


def trio_lr(child: Genotype, father: Genotype, mother: Genotype) -> float:
    """LR(child of these parents vs unrelated), uniform allele frequencies per marker."""
    log_lr = 0.0
    for marker, (lo, hi) in DEMO_MARKERS.items():
        p = 1 / (hi - lo + 1)
        a, b = child[marker]
        random_prob = p * p if a == b else 2 * p * p

        fa, mo = father[marker], mother[marker]
        if a == b:
            parents_prob = fa.count(a) / 2 * mo.count(a) / 2
        else:
            parents_prob = (fa.count(a) * mo.count(b) + fa.count(b) * mo.count(a)) / 4
        if parents_prob == 0:
            return 0.0
        log_lr += math.log(parents_prob / random_prob)
    return math.exp(log_lr)


def posterior(lr: float, prior: float = PRIOR) -> float:
    return lr * prior / (lr * prior + 1 - prior)


@dataclass
class DemoResult:
    passwords: dict[str, str] = field(default_factory=dict)
    second_factor_secrets: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def make_users() -> dict[str, str]:
    groups = ensure_groups()
    User = get_user_model()
    passwords = {}
    for username, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        password = f"{username}-{secrets.token_urlsafe(6)}"
        user.set_password(password)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.set([groups[role]])
        passwords[username] = password
    return passwords


def enrol_second_factor() -> dict[str, str]:
    """Demo accounts whose role needs a second factor get an authenticator key; the
    base32 secrets are printed with the passwords (``manage.py second_factor_code USER``
    prints the current code on a development machine)."""
    User = get_user_model()
    out = {}
    for username, role in DEMO_USERS:
        user = User.objects.get(username=username)
        if second_factor.required_for_roles({role}):
            device = second_factor.enrol_with_key(user, secrets.token_hex(20))
            out[username] = second_factor.secret_base32(device)
    return out


def _walk_to_lab(object_id: str, collector, lab_user, place: str, seal: str, *, open_it: bool):
    custody.record(object_id=object_id, action="sealed", actor=collector, place=place, seal_id=seal)
    custody.record(
        object_id=object_id,
        action="transferred",
        actor=collector,
        place=place,
        seal_id=seal,
        recipient=lab_user.username,
    )
    custody.record(
        object_id=object_id, action="received", actor=lab_user, place="DNA laboratory", seal_id=seal
    )
    if open_it:
        custody.record(
            object_id=object_id,
            action="opened",
            actor=lab_user,
            place="DNA laboratory",
            seal_id=seal,
        )


def _tsv(rows: list[tuple[str, Genotype]]) -> bytes:
    markers = list(DEMO_MARKERS)
    lines = ["\t".join(["barcode", *markers])]
    lines += ["\t".join([barcode, *("/".join(g[m]) for m in markers)]) for barcode, g in rows]
    return ("\n".join(lines) + "\n").encode()


def _demo_candidates(remains_rows, families) -> None:
    for _barcode, genotype, remains, _ in remains_rows:
        for family in families[:4]:
            lr = trio_lr(genotype, family["father"], family["mother"])
            if lr < 1:
                continue
            MatchCandidate.objects.create(
                remains=remains,
                person=family["person"],
                likelihood_ratio=lr,
                prior=PRIOR,
                posterior=posterior(lr),
                engine_version=ENGINE_VERSION,
                frequency_table=FREQUENCY_TABLE,
                frequency_table_version=FREQUENCY_VERSION,
            )


@transaction.atomic
def build(seed: int = 7) -> DemoResult:
    rng = random.Random(seed)
    positions = random.Random(
        seed + 1
    )  # remains' positions in their grave (apart, so nothing else moves)
    table = engine_table()
    result = DemoResult(passwords=make_users())
    result.second_factor_secrets = enrol_second_factor()
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[n for n, _ in DEMO_USERS])}
    field1, field2, lab1, lab2 = users["field1"], users["field2"], users["lab1"], users["lab2"]
    seals = (f"SEAL-{n:05d}" for n in range(1, 100000))
    today = dt.date.today()

    # Families: the missing, their disappearance, reports, relatives who give samples.
    families = []
    for index in range(6):
        names = synthetic.family(rng)
        full = names.full(names.missing)
        born = rng.randint(1960, 2000)
        person = MissingPerson.objects.create(
            name_ar=full.ar,
            name_latin=full.latin,
            given_name=names.missing.latin,
            father_name=names.father.latin,
            grandfather_name=names.grandfather.latin,
            family_name=names.family.latin,
            mother_name=f"{names.mother.latin} {names.mother_family.latin}",
            sex=names.missing_sex,
            birth_year=born,
            governorate=SITES[index % 3][2],
            district=SITES[index % 3][3],
            civil_registry_place=SITES[index % 3][3],
            civil_registry_number=str(rng.randint(10, 400)),
            created_by=users["intake1"],
        )
        start = dt.date(rng.randint(2011, 2016), rng.randint(1, 12), rng.randint(1, 28))
        DisappearanceEvent.objects.create(
            person=person,
            date_from=start,
            date_to=start + dt.timedelta(days=rng.randint(0, 20)),
            place=f"Checkpoint on the road to {SITES[index % 3][3]}",
            governorate=SITES[index % 3][2],
            circumstances=rng.choice(
                [Circumstance.ARREST, Circumstance.CHECKPOINT, Circumstance.ABDUCTION]
            ),
            narrative="Synthetic account for the demonstration.",
        )
        father_g, mother_g = random_genotype(rng, table), random_genotype(rng, table)
        missing_g = child_of(rng, father_g, mother_g)
        sibling_g = child_of(rng, father_g, mother_g)
        father = Relative.objects.create(
            person=person,
            name_ar=names.full(names.father).ar.replace(names.father.ar + " ", "", 1),
            name_latin=f"{names.father.latin} {names.grandfather.latin} {names.family.latin}",
            sex="M",
            claimed_relationship="father",
            relationship_validated=True,
            validated_by=users["intake1"],
            validation_note="Family booklet seen.",
        )
        mother = Relative.objects.create(
            person=person,
            name_ar=f"{names.mother.ar} {names.mother_family.ar}",
            name_latin=f"{names.mother.latin} {names.mother_family.latin}",
            sex="F",
            claimed_relationship="mother",
            relationship_validated=True,
            validated_by=users["intake1"],
            validation_note="Family booklet seen.",
        )
        sibling_name = names.full(names.sibling)
        sibling = Relative.objects.create(
            person=person,
            name_ar=sibling_name.ar,
            name_latin=sibling_name.latin,
            sex=names.sibling_sex,
            claimed_relationship="full_sibling",
            father=father,
            mother=mother,
        )
        Report.objects.create(
            person=person,
            reporter_name=mother.name_latin,
            relationship="mother",
            reported_on=today - dt.timedelta(days=rng.randint(30, 900)),
            received_by=users["intake1"],
        )
        donors = (
            [(father, father_g), (mother, mother_g)]
            if index < 4
            else [(mother, mother_g), (sibling, sibling_g)]
        )
        donor_rows = []
        for relative, genotype in donors:
            consent = Consent.objects.create(
                relative=relative,
                for_identification=True,
                for_court=rng.random() < 0.7,
                text_version="2.1",
                language="ar",
                recorded_by=users["intake1"],
            )
            ConsentSharing.objects.create(
                consent=consent, recipient="Partner laboratory (synthetic)"
            )
            sample = fieldwork.register_sample(
                Sample(
                    barcode=f"D-{person.case_number[3:]}-{relative.claimed_relationship[:2].upper()}",
                    kind="buccal_swab",
                    donor=relative,
                    storage_location="Swab box 1",
                ),
                user=field2,
                place=f"Family visit, {person.district}",
            )
            _walk_to_lab(
                sample.barcode,
                field2,
                lab1,
                f"Family visit, {person.district}",
                next(seals),
                open_it=True,
            )
            donor_rows.append((sample.barcode, genotype))
        families.append(
            {
                "person": person,
                "father": father_g,
                "mother": mother_g,
                "missing": missing_g,
                "donor_rows": donor_rows,
                "index": index,
            }
        )

    # Grave sites, remains, bone samples with custody from the field to the lab.
    remains_rows = []
    matched = iter(families[:4])
    for code, name, governorate, district, stage, n_remains in SITES:
        site = GraveSite.objects.create(
            code=code,
            name=name,
            governorate=governorate,
            district=district,
            latitude=round(rng.uniform(34.5, 36.0), 5),
            longitude=round(rng.uniform(36.5, 39.0), 5),
            protection=rng.choice([Protection.GUARDED, Protection.FENCED]),
            reported_on=today - dt.timedelta(days=rng.randint(200, 700)),
            estimated_individuals=n_remains * 2 or None,
        )
        for next_stage in [
            s
            for s in (SiteStage.ASSESSED, SiteStage.EXCAVATING, SiteStage.EXCAVATED)
            if list(SiteStage).index(s) <= list(SiteStage).index(stage)
        ]:
            site = fieldwork.advance_stage(
                site, next_stage, field1, note="Demonstration programme."
            )
        SiteAccess.objects.create(
            site=site,
            person_name="Field team (synthetic)",
            organisation="Demo programme",
            purpose="Survey",
            recorded_by=field1,
        )
        for n in range(1, n_remains + 1):
            remains = fieldwork.register_remains(
                RemainsUnit(
                    code=f"{code}-R{n:03d}",
                    site=site,
                    label_at_discovery=f"B{n}",
                    position=f"Trench 1, grid {chr(64 + n)}{n}",
                    depth_cm=rng.randint(60, 180),
                    east_m=Decimal(f"{positions.uniform(0.5, 12):.2f}"),
                    north_m=Decimal(f"{positions.uniform(0.5, 6):.2f}"),
                    completeness=rng.choice(["complete", "partial", "fragmentary"]),
                ),
                user=field1,
                place=f"{code} trench 1",
            )
            sample = fieldwork.register_sample(
                Sample(
                    barcode=f"{code}-R{n:03d}-S1",
                    kind="bone",
                    skeletal_element=rng.choice(["femur", "petrous", "tibia"]),
                    remains=remains,
                    storage_location="Cold room A",
                ),
                user=field1,
                place=f"{code} trench 1",
            )
            _walk_to_lab(
                sample.barcode, field1, lab1, f"{code} field station", next(seals), open_it=True
            )
            family = next(matched, None) if n <= 2 else None
            genotype = family["missing"] if family else random_genotype(rng, table)
            remains_rows.append((sample.barcode, genotype, remains, family))

    lab.import_profiles(
        user=lab1,
        file_name="demo-references.tsv",
        content=_tsv([row for f in families for row in f["donor_rows"]]),
        kit="Synthetic 16-locus kit",
        lab="Demo DNA laboratory",
        quality_status=QualityStatus.ACCEPTED,
    )
    lab.import_profiles(
        user=lab1,
        file_name="demo-remains.tsv",
        content=_tsv([(barcode, g) for barcode, g, _, _ in remains_rows]),
        kit="Synthetic 16-locus kit",
        lab="Demo DNA laboratory",
        quality_status=QualityStatus.ACCEPTED,
    )

    # One donor withdraws: their profile leaves every search and export.
    withdraw_consent(
        families[5]["person"].relatives.get(claimed_relationship="mother"),
        reason="Donor asked to withdraw (synthetic).",
    )
    # Candidates: from the kinship engine when it is installed; otherwise a labelled trio LR
    # (uniform frequencies) for every remains against every family with both parents typed.
    if table is not None:
        from identification.programme import change_settings

        change_settings(
            threshold=100.0,
            prior_rule="fixed",
            prior_value=PRIOR,
            note="Demonstration programme: LR threshold 100, prior fixed.",
        )
        matching.run()
    else:
        _demo_candidates(remains_rows, families)
    best = MatchCandidate.objects.order_by("-likelihood_ratio").first()
    if best is not None:
        identification.decide(
            identification.identification_for(best),
            "preliminary",
            lab1,
            "LR far above the reporting threshold; custody chain intact.",
        )

    # Lab 2 holds one extract (a subsample) to show a transfer between analysts.
    first_bone = remains_rows[0][0]
    custody.record(object_id=first_bone, action="subsampled", actor=lab1, place="DNA laboratory")
    custody.record(
        object_id=first_bone,
        action="transferred",
        actor=lab1,
        place="DNA laboratory",
        recipient=lab2.username,
    )

    result.counts = {
        "missing persons": MissingPerson.objects.count(),
        "grave sites": GraveSite.objects.count(),
        "remains units": RemainsUnit.objects.count(),
        "samples": Sample.objects.count(),
        "match candidates": MatchCandidate.objects.count(),
    }
    return result
