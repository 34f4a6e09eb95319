"""One identifier format (site codes, remains codes, barcodes), and URLs that work for any
stored identifier, even one from before the format was enforced."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import resolve, reverse
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fieldwork.models import GraveSite, RemainsUnit, Sample, SiteStage
from nasab_site import identifiers


@pytest.mark.parametrize("value", ["GS-001", "GS-T01-R001-S1", "BC.2026_001", "D-father", "A"])
def test_valid(value):
    assert identifiers.problem(value) is None


@pytest.mark.parametrize(
    "value, why",
    [
        ("GS 0/1", "a space, '/'"),
        ("BC/2026/001", "'/'"),
        ("-GS", "separator at the start"),
        ("GS--1", "two in a row"),
        ("", "cannot be empty"),
        ("X" * 41, "at most 40"),
        ("GS-٠٠١", "'٠'"),
        ("GS?1", "'?'"),
        ("GS%2F1", "'%'"),
    ],
)
def test_invalid_named(value, why):
    assert why in identifiers.problem(value)


def test_normalise_latin_digits_and_spaces():
    assert identifiers.normalise("  GS-٠٠١ ") == "GS-001"
    assert identifiers.normalise("BC-۱۲") == "BC-12"


@hypothesis_settings(deadline=None)  # no timing in tests
@example("export")  # once reached the custody export page instead of its log
@example("verify")
@example("new")
@given(st.text(min_size=1, max_size=30).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_stored_value_makes_a_url_that_resolves_to_it(value):
    for name in ("fieldwork:site_detail", "fieldwork:remains_detail", "custody:log"):
        url = reverse(name, args=[value])
        match = resolve(unquote(url))  # what the server sees after the WSGI layer
        assert match.url_name == name.split(":")[1]
        assert list(match.kwargs.values()) == [value]


def test_site_form_refuses_a_slash_with_a_message(client, users):
    client.force_login(users["field"])
    response = client.post(
        reverse("fieldwork:site_create"),
        {
            "code": "GS 0/1",
            "name": "Orchard",
            "governorate": "hama",
            "protection": "unprotected",
            "reported_on": "2024-01-02",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "cannot be used as an identifier" in page
    assert 'value="GS 0/1"' in page  # what was typed is kept
    assert not GraveSite.objects.exists()
    response = client.post(
        reverse("fieldwork:site_create"),
        {
            "code": "GS-٠٠٩",
            "name": "Orchard",
            "governorate": "hama",
            "protection": "unprotected",
            "reported_on": "2024-01-02",
        },
    )
    assert response.status_code == 302 and GraveSite.objects.get().code == "GS-009"
    assert client.get(reverse("fieldwork:site_list")).status_code == 200


def test_sample_barcode_with_slash_refused(client, users, remains):
    client.force_login(users["field"])
    response = client.post(
        reverse("fieldwork:sample_create", args=[remains.code]),
        {
            "barcode": "BC/2026/001",
            "kind": "bone",
            "skeletal_element": "femur",
            "collected_on": "2024-01-02",
            "place": "Trench 1",
        },
    )
    assert "cannot be used as an identifier" in response.content.decode()
    assert not Sample.objects.filter(barcode="BC/2026/001").exists()


def test_pages_work_with_old_invalid_identifiers(client, users, db):
    """Records created before the format was enforced (straight into the database)."""
    site = GraveSite.objects.create(
        code="GS 0/1", name="Old", governorate="hama", stage=SiteStage.EXCAVATING
    )
    remains = RemainsUnit.objects.create(
        code="R/1 ?#%", site=site, label_at_discovery="B1", completeness="partial"
    )
    Sample.objects.create(
        barcode="BC/2026/001", kind="bone", skeletal_element="femur", remains=remains
    )
    client.force_login(users["field"])
    assert client.get(reverse("fieldwork:site_list")).status_code == 200
    assert client.get(reverse("fieldwork:site_detail", args=["GS 0/1"])).status_code == 200
    page = client.get(reverse("fieldwork:remains_detail", args=[remains.code]))
    assert page.status_code == 200 and "BC/2026/001" in page.content.decode()
    log = client.get(reverse("custody:log", args=["BC/2026/001"]))
    assert log.status_code in (200, 404)  # no custody entries for it: a 404 page, not a 500


def test_future_dates_refused(client, users):
    client.force_login(users["field"])
    response = client.post(
        reverse("fieldwork:site_create"),
        {
            "code": "GS-2099",
            "name": "Orchard",
            "governorate": "hama",
            "protection": "unprotected",
            "reported_on": "2099-01-01",
        },
    )
    assert "cannot be in the future" in response.content.decode()
    assert not GraveSite.objects.exists()


def test_oversized_text_is_a_form_error_and_the_typing_is_kept(client, users):
    client.force_login(users["field"])
    typed = "long description " * 120_000  # about 2 MB
    response = client.post(
        reverse("fieldwork:site_create"),
        {
            "code": "GS-100",
            "name": "Orchard",
            "governorate": "hama",
            "protection": "unprotected",
            "reported_on": "2024-01-02",
            "location_description": typed,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "at most 10000 characters" in page
    assert 'value="GS-100"' in page and "long description long description" in page
    assert not GraveSite.objects.exists()


def test_constraint_failures_read_as_sentences(client, users, site):
    client.force_login(users["field"])
    response = client.post(
        reverse("fieldwork:site_create"),
        {
            "code": "GS-LAT",
            "name": "Orchard",
            "governorate": "hama",
            "protection": "unprotected",
            "reported_on": "2024-01-02",
            "latitude": "95",
        },
    )
    page = response.content.decode()
    assert "gravesite_latitude_range" not in page and "Constraint" not in page
    RemainsUnit.objects.create(
        code="GS-T01-R009", site=site, label_at_discovery="B9", completeness="partial"
    )
    response = client.post(
        reverse("fieldwork:remains_create", args=[site.code]),
        {
            "code": "GS-T01-R010",
            "label_at_discovery": "B9",
            "completeness": "partial",
            "recovered_on": "2024-01-02",
            "place": "Trench",
        },
    )
    page = response.content.decode()
    assert "remains_label_unique_per_site" not in page
    assert "already has remains with this label" in page


def test_integrity_error_page_is_readable(rf, db):
    from django.db import IntegrityError

    from nasab_site.middleware import ReadableDatabaseErrorsMiddleware

    request = rf.post("/field/new-site/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = ReadableDatabaseErrorsMiddleware(lambda r: None).process_exception(
        request, IntegrityError('new row violates check constraint "gravesite_latitude_range"')
    )
    page = response.content.decode()
    assert response.status_code == 409 and "Latitude is between -90 and 90" in page
    assert "gravesite_latitude_range" not in page


def test_identifiers_differing_only_in_case_are_refused(client, users, site):
    client.force_login(users["field"])
    response = client.post(
        reverse("fieldwork:site_create"),
        {
            "code": "gs-t01",
            "name": "Orchard",
            "governorate": "hama",
            "protection": "unprotected",
            "reported_on": "2024-01-02",
        },
    )
    assert "GS-T01&#x27; already exists; identifiers that differ only" in response.content.decode()
    assert GraveSite.objects.count() == 1


def test_lab_file_barcode_in_other_case_finds_the_sample(sample, users):
    from lab import services

    result = services.import_profiles(
        user=users["lab"],
        file_name="x.tsv",
        kit="k",
        lab="l",
        content=f"barcode\tTH01\n{sample.barcode.lower()}\t6/7\n".encode(),
    )
    assert result.created[0].sample == sample
