"""Profile import (TSV), consent-filtered profile selection, and audited export."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from lab import services
from lab.markers import allele_call, canonical_marker
from lab.models import DNAProfile, QualityStatus
from lab.selectors import usable_profiles
from registry.models import ConsentSharing
from registry.services import withdraw_consent

GOOD = (
    "barcode\tD3S1358\tvWA\tTH01\tAmelogenin\n"
    "GS-T01-R001-S1\t15/16\t17/17\t9.3/6\tX/Y\n"
    "D-father\t15/15\t17/18\t-\tX/Y\n"
)


def do_import(users, text, **kwargs):
    return services.import_profiles(
        user=users["lab"],
        file_name="run1.tsv",
        content=text.encode(),
        kit="Test kit",
        lab="Test lab",
        quality_status=kwargs.pop("quality_status", QualityStatus.ACCEPTED),
        **kwargs,
    )


def test_import_good_file(sample, family, users):
    created = do_import(users, GOOD)
    assert [p.sample.barcode for p in created] == ["GS-T01-R001-S1", "D-father"]
    assert created[0].markers == {
        "D3S1358": ["15", "16"],
        "vWA": ["17", "17"],
        "TH01": ["6", "9.3"],
        "AMEL": ["X", "Y"],
    }
    assert "TH01" not in created[1].markers
    assert created[1].source_line == 3 and len(created[1].source_sha256) == 64
    assert AuditEvent.objects.get(action=AuditAction.IMPORT_PROFILES).detail["profiles"] == 2


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "barcode\tD3S1358\tD99S999\nX\t1/2\t3/4\n",
            "line 1: unknown marker 'D99S999' in column 3",
        ),
        ("barcode\tTH01\tth01\nX\t6/7\t6/7\n", "line 1: marker TH01 appears twice"),
        ("name\tTH01\nX\t6/7\n", "line 1: the first column must be the sample barcode"),
        (
            "barcode\tTH01\nGS-T01-R001-S1\t6/7\nGS-T01-R001-S1\t6/8\n",
            "line 3: sample GS-T01-R001-S1 already appears on line 2",
        ),
        (
            "barcode\tTH01\nGS-T01-R001-S1\t6\n",
            "line 2: TH01: genotype '6' must have exactly two alleles",
        ),
        ("barcode\tTH01\nGS-T01-R001-S1\tsix/7\n", "line 2: TH01: 'six' is not an STR allele"),
        ("barcode\tAMEL\nGS-T01-R001-S1\tX/Z\n", "line 2: AMEL: alleles must be X or Y"),
        ("barcode\tTH01\nGS-T01-R001-S1\t6/7\textra\n", "line 2: 3 columns, the header has 2"),
        ("barcode\tTH01\nNOT-A-SAMPLE\t6/7\n", "line 2: no sample with barcode 'NOT-A-SAMPLE'"),
        ("barcode\tTH01\nGS-T01-R001-S1\t-\n", "line 2: sample GS-T01-R001-S1 has no typed marker"),
        ("barcode\tTH01\n", "the file has a header but no profiles"),
        ("", "the file is empty"),
    ],
)
def test_import_refusals_name_the_line_and_save_nothing(sample, users, text, message):
    with pytest.raises(services.ProfileImportError) as refused:
        do_import(users, text)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert DNAProfile.objects.count() == 0


def test_all_problems_reported_together(sample, users):
    with pytest.raises(services.ProfileImportError) as refused:
        do_import(users, "barcode\tTH01\tvWA\nGS-T01-R001-S1\t6\t1/x\nNOPE\t\t\n")
    assert len(refused.value.problems) == 3


def test_same_file_twice_is_idempotent(sample, family, users):
    first = do_import(users, GOOD)
    again = do_import(users, GOOD)
    assert again.already_imported and again.created == []
    assert DNAProfile.objects.count() == len(first) == 2


def test_same_calls_in_another_file_add_nothing(sample, family, users):
    do_import(users, GOOD)
    other = GOOD.replace("D-father\t15/15\t17/18\t-\tX/Y\n", "")  # a different file
    result = do_import(users, other + "\n")
    assert result.created == [] and result.unchanged == ["GS-T01-R001-S1"]
    assert DNAProfile.objects.count() == 2


def test_second_different_profile_needs_a_reasoned_supersession(sample, users):
    old = do_import(users, "barcode\tTH01\nGS-T01-R001-S1\t6/7\n")[0]
    retyped = "barcode\tTH01\nGS-T01-R001-S1\t6/8\n"
    with pytest.raises(services.ProfileImportError, match="already has a different profile"):
        do_import(users, retyped)
    assert DNAProfile.objects.count() == 1
    result = do_import(users, retyped, supersede_reason="Re-extraction: first run contaminated")
    new = result.created[0]
    assert result.superseded == ["GS-T01-R001-S1"] and new.supersedes == old
    assert list(usable_profiles()) == [new]
    old.refresh_from_db()
    assert old.is_superseded and old.markers == {"TH01": ["6", "7"]}  # kept as it was
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT_PROFILES).first()
    assert event.detail["superseded"] == ["GS-T01-R001-S1"]
    assert "contaminated" in event.detail["supersession_reason"]


@pytest.mark.parametrize(
    "call, stored", [("١٠/٩٫٣", ["9.3", "10"]), ("۱۱/۱۲", ["11", "12"]), ("09/10.0", ["9", "10"])]
)
def test_arabic_indic_and_persian_digits_are_read(call, stored):
    assert allele_call("TH01", call) == stored


@pytest.mark.parametrize(
    "call, reason",
    [
        ("99/0", "not two observed alleles"),
        ("99/9", "allele 99 is implausible"),
        ("6/F", "not two observed alleles"),
        ("-/6", "not two observed alleles"),
    ],
)
def test_implausible_calls_are_refused(call, reason):
    with pytest.raises(ValueError, match=reason):
        allele_call("TH01", call)


def test_barcode_of_wrong_format_is_named(sample, users):
    with pytest.raises(services.ProfileImportError, match="cannot be used as an identifier"):
        do_import(users, "barcode\tTH01\nBC/2026/001\t6/7\n")


def test_not_utf8_is_refused(users, db):
    with pytest.raises(services.ProfileImportError, match="not UTF-8"):
        services.import_profiles(
            user=users["lab"], file_name="x", content=b"\xff\xfe\x00", kit="k", lab="l"
        )


def test_marker_helpers():
    assert canonical_marker("vwa") == canonical_marker("VWA") == "vWA"
    assert canonical_marker("Penta D") == canonical_marker("pentad") == "Penta D"
    assert canonical_marker("D99") is None
    assert allele_call("TH01", "9.3/6") == ["6", "9.3"]


def test_import_page(client, sample, users):
    client.force_login(users["lab"])
    bad = SimpleUploadedFile("bad.tsv", b"barcode\tXYZ\nGS-T01-R001-S1\t1/2\n")
    response = client.post(
        reverse("lab:profile_import"),
        {"file": bad, "kit": "k", "lab": "l", "quality_status": "accepted"},
    )
    assert response.status_code == 400
    assert "line 1: unknown marker &#x27;XYZ&#x27; in column 2" in response.content.decode()
    good = SimpleUploadedFile("good.tsv", b"barcode\tTH01\nGS-T01-R001-S1\t6/7\n")
    response = client.post(
        reverse("lab:profile_import"),
        {"file": good, "kit": "k", "lab": "l", "quality_status": "accepted"},
    )
    assert response.status_code == 302 and DNAProfile.objects.count() == 1


# ------------------------------------------------------------------ consent


@pytest.fixture
def profiles(sample, family, users):
    do_import(users, GOOD + "D-mother\t14/16\t18/19\t7/8\tX/X\n")
    return {p.sample.barcode: p for p in DNAProfile.objects.all()}


def barcodes(queryset):
    return sorted(p.sample.barcode for p in queryset)


def test_usable_profiles_follow_consent(profiles, family):
    assert barcodes(usable_profiles()) == ["D-father", "D-mother", "GS-T01-R001-S1"]
    withdraw_consent(family["mother"], reason="asked")
    assert barcodes(usable_profiles()) == ["D-father", "GS-T01-R001-S1"]
    assert barcodes(usable_profiles(recipient="Partner lab")) == ["D-father", "GS-T01-R001-S1"]
    assert ConsentSharing.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_court_use_and_sharing_need_their_own_consent(profiles, family):
    assert barcodes(usable_profiles("court")) == ["GS-T01-R001-S1"]
    family["father"].consents.update(for_court=True)
    assert barcodes(usable_profiles("court")) == ["D-father", "GS-T01-R001-S1"]
    assert barcodes(usable_profiles(recipient="Other lab")) == ["GS-T01-R001-S1"]
    with pytest.raises(ValueError, match="unknown purpose"):
        usable_profiles("research")


def test_donor_without_consent_and_rejected_profiles_excluded(profiles, family):
    from django.db import connection

    from nasab_site.append_only import correction_in_progress

    with (
        connection.cursor() as cursor
    ):  # a donor registered without any consent (evidence is never deleted)
        cursor.execute(
            "DELETE FROM registry_consentsharing WHERE consent_id IN "
            "(SELECT id FROM registry_consent WHERE relative_id = %s)",
            [family["father"].pk],
        )
        cursor.execute("DELETE FROM registry_consent WHERE relative_id = %s", [family["father"].pk])
    with correction_in_progress():
        DNAProfile.objects.filter(sample__barcode="GS-T01-R001-S1").update(
            quality_status=QualityStatus.REJECTED
        )
    assert barcodes(usable_profiles()) == ["D-mother"]


def test_extract_of_a_withdrawn_donor_sample_is_excluded(profiles, family, users):
    from fieldwork import services as fieldwork
    from fieldwork.models import Sample

    extract = fieldwork.register_sample(
        Sample(barcode="D-mother-X1", kind="dna_extract", parent_sample=family["mother_sample"]),
        user=users["field2"],
        place="Lab",
    )
    do_import(users, "barcode\tTH01\nD-mother-X1\t7/8\n")
    assert "D-mother-X1" in barcodes(usable_profiles())
    withdraw_consent(family["mother"])
    assert extract.barcode not in barcodes(usable_profiles())


def test_export_uses_the_same_selection_and_is_audited(client, profiles, family, users):
    withdraw_consent(family["mother"])
    client.force_login(users["reviewer"])
    response = client.post(reverse("lab:profile_export"), {"purpose": "identification"})
    text = response.content.decode()
    assert response.status_code == 200 and "D-mother" not in text
    assert text.splitlines()[0] == "barcode\tAMEL\tD3S1358\tTH01\tvWA"
    assert "GS-T01-R001-S1\tX/Y\t15/16\t6/9.3\t17/17" in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_PROFILES)
    assert event.username == "reviewer" and event.detail["barcodes"] == [
        "D-father",
        "GS-T01-R001-S1",
    ]


def test_one_genotype_grammar():
    """The registry reads allele calls with the engine's grammar, never a copy of its own."""
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "web"
    copies = [p for p in web.rglob("*.py") if "def parse_genotype" in p.read_text()]
    assert copies == []
