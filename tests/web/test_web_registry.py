"""Intake pages: registering the missing, their disappearance, reports, pedigree and consent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fieldwork import services as fieldwork
from fieldwork.models import Sample
from registry.models import Consent, MissingPerson, Relative


def test_register_person_and_records(client, users):
    client.force_login(users["intake"])
    response = client.post(
        reverse("registry:person_create"),
        {
            "name_ar": "عمر خالد حسن الحداد",
            "name_latin": "Omar Khaled Hasan al-Haddad",
            "given_name": "Omar",
            "father_name": "Khaled",
            "grandfather_name": "Hasan",
            "family_name": "al-Haddad",
            "mother_name": "Huda al-Attar",
            "sex": "M",
            "birth_year": "1984",
            "governorate": "daraa",
            "district": "Izra",
        },
    )
    person = MissingPerson.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{person.case_number}/")
    add = lambda kind, data: client.post(  # noqa: E731
        reverse("registry:record_add", args=[person.case_number, kind]), data
    )
    bad = add(
        "disappearance",
        {
            "date_from": "2013-05-02",
            "date_to": "2013-05-01",
            "place": "x",
            "circumstances": "arrest",
        },
    )
    assert bad.status_code == 200 and "cannot be before the earliest" in bad.content.decode()
    assert (
        add(
            "disappearance",
            {
                "date_from": "2013-05-01",
                "date_to": "2013-05-09",
                "place": "Checkpoint",
                "circumstances": "checkpoint",
            },
        ).status_code
        == 302
    )
    assert (
        add(
            "report",
            {"reporter_name": "Huda", "relationship": "mother", "reported_on": "2024-02-01"},
        ).status_code
        == 302
    )
    assert (
        add(
            "relative",
            {
                "name_ar": "هدى",
                "name_latin": "Huda",
                "sex": "F",
                "claimed_relationship": "mother",
                "relationship_validated": "on",
            },
        ).status_code
        == 302
    )
    mother = Relative.objects.get()
    assert mother.validated_by == users["intake"]
    assert person.reports.get().received_by == users["intake"]
    wrong_parent = add(
        "relative",
        {"name_ar": "س", "sex": "M", "claimed_relationship": "full_sibling", "father": mother.pk},
    )
    assert wrong_parent.status_code == 200
    page = client.get(reverse("registry:person_detail", args=[person.case_number])).content.decode()
    assert "Checkpoint" in page and "عمر خالد حسن الحداد" in page


def test_consent_record_and_withdraw_pages(client, family, users):
    client.force_login(users["intake"])
    mother = family["mother"]
    response = client.post(
        reverse("registry:consent_create", args=[mother.pk]),
        {
            "for_identification": "on",
            "for_court": "on",
            "text_version": "3.0",
            "language": "ar",
            "signed_on": "2026-01-05",
            "share_with": "Lab A\nLab B\n",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(text_version="3.0")
    assert sorted(consent.sharing.values_list("recipient", flat=True)) == ["Lab A", "Lab B"]
    assert consent.recorded_by == users["intake"]
    twice = client.post(
        reverse("registry:consent_create", args=[mother.pk]),
        {"text_version": "3.1", "language": "ar", "signed_on": "2026-01-05", "share_with": "A\nA"},
    )
    assert "named twice" in twice.content.decode()
    withdraw = reverse("registry:consent_withdraw", args=[mother.pk])
    response = client.post(withdraw, {"reason": "Family decision"}, follow=True)
    assert "no longer searched or exported" in response.content.decode()
    assert not mother.consents.filter(withdrawn_at__isnull=True).exists()
    again = client.post(withdraw, {}, follow=True)
    assert "no active consent to withdraw" in again.content.decode()


def test_reference_sample_needs_active_consent(family, users):
    father = family["father"]
    with pytest.raises(fieldwork.FieldworkRefused, match="no active consent"):
        sibling = Relative.objects.create(
            person=family["person"], name_ar="x", sex="M", claimed_relationship="full_sibling"
        )
        fieldwork.register_reference_sample(
            Sample(barcode="D-sib", kind="buccal_swab", donor=sibling),
            user=users["field"],
            place="Visit",
        )
    from registry.services import withdraw_consent

    withdraw_consent(father)
    with pytest.raises(fieldwork.FieldworkRefused, match="no active consent"):
        fieldwork.register_reference_sample(
            Sample(barcode="D-f2", kind="buccal_swab", donor=father),
            user=users["field"],
            place="Visit",
        )
    assert not Sample.objects.filter(barcode__in=["D-sib", "D-f2"]).exists()


def test_reference_pages(client, family, users):
    client.force_login(users["field"])
    listing = client.get(reverse("fieldwork:reference_list")).content.decode()
    assert "D-father" in listing and "D-mother" in listing
    url = reverse("fieldwork:reference_sample_create", args=[family["mother"].pk])
    response = client.post(
        url,
        {
            "barcode": "D-mother-2",
            "kind": "blood_card",
            "place": "Visit",
            "collected_on": "2026-01-05",
            "seal_id": "SEAL-M2",
        },
    )
    assert response.status_code == 302
    from registry.services import withdraw_consent

    withdraw_consent(family["mother"])
    response = client.post(
        url,
        {
            "barcode": "D-mother-3",
            "kind": "blood_card",
            "place": "Visit",
            "collected_on": "2026-01-05",
        },
    )
    assert response.status_code == 200 and "no active consent" in response.content.decode()


def test_site_access_log(client, site, users):
    client.force_login(users["field"])
    url = reverse("fieldwork:site_access_add", args=[site.code])
    ok = client.post(
        url,
        {
            "person_name": "Investigator",
            "purpose": "Inspection",
            "entered_at": "2026-01-05T09:00",
            "left_at": "2026-01-05T11:00",
        },
        follow=True,
    )
    assert "Access to GS-T01 recorded." in ok.content.decode()
    bad = client.post(
        url,
        {
            "person_name": "X",
            "purpose": "Y",
            "entered_at": "2026-01-05T09:00",
            "left_at": "2026-01-05T08:00",
        },
        follow=True,
    )
    assert "Leaving cannot be before entering." in bad.content.decode()
    assert site.access_log.count() == 1
