"""Domain rules held by the models and by the fieldwork services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fieldwork import services as fieldwork
from fieldwork.models import GraveSite, RemainsUnit, Sample, SiteStage
from registry.models import Consent, DisappearanceEvent, MissingPerson, Relative


def test_case_number_and_birth_year(db):
    person = MissingPerson.objects.create(
        name_ar="خالد", given_name="Khaled", birth_date=dt.date(1985, 4, 2)
    )
    assert person.case_number == f"MP-{person.pk:06d}" and person.birth_year == 1985
    person.birth_year = 1986
    with pytest.raises(ValidationError, match="Birth year differs"):
        person.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingPerson.objects.create(name_ar="x", given_name="x", birth_year=1066)


def test_disappearance_date_range(db):
    person = MissingPerson.objects.create(name_ar="x", given_name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        DisappearanceEvent.objects.create(
            person=person, date_from=dt.date(2013, 5, 2), date_to=dt.date(2013, 5, 1), place="p"
        )


def test_pedigree_links(family, users):
    mother, father = family["mother"], family["father"]
    child = Relative(
        person=family["person"],
        name_ar="x",
        sex="F",
        claimed_relationship="full_sibling",
        father=mother,
        mother=father,
    )
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert set(error.value.message_dict) == {"father", "mother"}
    other = MissingPerson.objects.create(name_ar="y", given_name="y")
    stranger = Relative(
        person=other, name_ar="z", sex="M", claimed_relationship="child", father=father
    )
    with pytest.raises(ValidationError, match="same family record"):
        stranger.full_clean()
    unvalidated = Relative(
        person=other,
        name_ar="z",
        sex="M",
        claimed_relationship="father",
        relationship_validated=True,
    )
    with pytest.raises(ValidationError, match="who validated"):
        unvalidated.full_clean()
    assert father.is_donor


def test_consent_withdrawal_and_sharing(family):
    consent: Consent = family["father"].current_consent()
    assert consent.allows_sharing_with("Partner lab") and not consent.allows_sharing_with("Other")
    consent.withdraw("changed mind")
    assert not consent.is_active and not consent.allows_sharing_with("Partner lab")


def test_sample_parent_rules(remains, family):
    both = Sample(
        barcode="B-1",
        kind="bone",
        skeletal_element="femur",
        remains=remains,
        donor=family["father"],
    )
    with pytest.raises(ValidationError, match="exactly one"):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Sample.objects.create(barcode="B-2", kind="bone", skeletal_element="femur")
    with pytest.raises(ValidationError, match="Say which bone"):
        Sample(barcode="B-3", kind="bone", remains=remains).full_clean()
    with pytest.raises(ValidationError, match="swabs or blood cards"):
        Sample(
            barcode="B-4", kind="tooth", skeletal_element="molar", donor=family["father"]
        ).full_clean()


def test_barcode_unique(sample, users):
    with pytest.raises(ValidationError, match="Barcode already exists"):
        fieldwork.register_sample(
            Sample(
                barcode=sample.barcode,
                kind="bone",
                skeletal_element="tibia",
                remains=sample.remains,
            ),
            user=users["field"],
            place="x",
        )


def test_site_life_cycle(users, db):
    site = GraveSite.objects.create(code="GS-9", name="n", governorate="homs")
    with pytest.raises(fieldwork.FieldworkRefused, match="next stage can only be: Assessed"):
        fieldwork.advance_stage(site, "excavating", users["field"])
    with pytest.raises(fieldwork.FieldworkRefused, match="Remains are recovered while"):
        fieldwork.register_remains(
            RemainsUnit(code="R", site=site, label_at_discovery="1", completeness="partial"),
            user=users["field"],
            place="x",
        )
    for stage in ("assessed", "excavating", "excavated", "closed"):
        site = fieldwork.advance_stage(site, stage, users["field"], note=stage)
    assert site.stage == SiteStage.CLOSED and site.next_stages() == []
    assert [c.to_stage for c in site.stage_changes.all()] == [
        "assessed",
        "excavating",
        "excavated",
        "closed",
    ]
    with pytest.raises(fieldwork.FieldworkRefused, match="none \\(closed\\)"):
        fieldwork.advance_stage(site, "closed", users["field"])


def test_site_pages(client, users, site):
    client.force_login(users["field"])
    response = client.post(
        "/field/new-site/",
        {
            "code": "GS-NEW",
            "name": "New",
            "governorate": "idlib",
            "protection": "guarded",
            "reported_on": "2026-01-02",
            "latitude": "95",
        },
    )
    assert response.status_code == 200 and "less than or equal to 90" in response.content.decode()
    response = client.post(f"/field/sites/{site.code}/stage/", {"to_stage": "closed"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["GS-T01 is excavating; the next stage can only be: Excavated."]


def test_remains_and_sample_pages_record_custody(client, users, site):
    client.force_login(users["field"])
    response = client.post(
        f"/field/sites/{site.code}/remains/new/",
        {
            "code": "GS-T01-R009",
            "label_at_discovery": "B9",
            "completeness": "partial",
            "recovered_on": "2026-01-02",
            "place": "Trench 2",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/field/remains/GS-T01-R009/samples/new/",
        {
            "barcode": "S-9",
            "kind": "bone",
            "skeletal_element": "",
            "collected_on": "2026-01-02",
            "place": "Trench 2",
        },
    )
    assert response.status_code == 200 and "Say which bone or tooth" in response.content.decode()
    assert not Sample.objects.filter(barcode="S-9").exists()
    response = client.post(
        "/field/remains/GS-T01-R009/samples/new/",
        {
            "barcode": "S-9",
            "kind": "bone",
            "skeletal_element": "petrous",
            "collected_on": "2026-01-02",
            "place": "Trench 2",
            "seal_id": "SEAL-9",
        },
    )
    assert response.status_code == 302
    from custody.services import history

    assert [e.action for e in history("S-9")] == ["collected", "sealed"]
    assert [e.action for e in history("GS-T01-R009")] == ["collected", "subsampled"]
    assert history("GS-T01-R009")[1].note == "sample S-9 taken"


def test_sample_only_from_held_unsealed_parent(sample, users):
    from custody.services import CustodyRefused

    with pytest.raises(CustodyRefused, match="You do not hold GS-T01-R001: it is held by field"):
        fieldwork.register_sample(
            Sample(barcode="S-x", kind="bone", skeletal_element="tibia", remains=sample.remains),
            user=users["field2"],
            place="x",
        )
    with pytest.raises(CustodyRefused, match="while seal SEAL-T1 is intact"):
        fieldwork.register_sample(
            Sample(barcode="S-y", kind="dna_extract", parent_sample=sample),
            user=users["field"],
            place="x",
        )
    assert not Sample.objects.filter(barcode__in=["S-x", "S-y"]).exists()
