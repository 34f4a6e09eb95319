"""The PDF identification report: contents, hash printed and stored, access, audit."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from identification import report, services
from identification.models import IdentificationReport, MatchCandidate

try:
    import weasyprint  # noqa: F401

    HAVE_PDF = True
except (ImportError, OSError):
    HAVE_PDF = False
needs_pdf = pytest.mark.skipif(
    not HAVE_PDF, reason="WeasyPrint (or pango) is not installed: make setup"
)


@pytest.fixture
def confirmed(typed_family, sample, users):
    candidate = MatchCandidate.objects.create(
        remains=sample.remains,
        person=typed_family["person"],
        likelihood_ratio=2.5e7,
        prior=0.001,
        posterior=0.99996,
        engine_version="nasab 0.1.0",
        frequency_table="demo",
        frequency_table_version="sha256:abcdef",
        prior_justification="Uniform over the 1000 missing persons registered when the search ran: 1/1000.",
        marker_log10_lrs={"TH01": 2.1, "D3S1358": 3.0, "VWA": "-inf"},
        samples_used=[sample.barcode, "D-father", "D-mother"],
    )
    identification = services.identification_for(candidate)
    services.decide(identification, "preliminary", users["lab"], "LR above threshold")
    return services.decide(identification, "confirmed", users["board"], "Board session 1")


def test_content_has_every_figure(confirmed):
    data = report.content(confirmed, "en")
    assert data["likelihood_ratio"] == "2.5e+07" and data["prior"] == "0.001"
    assert "1/1000" in data["prior_justification"] and data["posterior"] == "0.99996000"
    assert {m["marker"] for m in data["markers"]} == {"TH01", "D3S1358", "VWA"}
    assert [m["lr"] for m in data["markers"] if m["marker"] == "VWA"] == ["0"]
    assert {p[0] for p in data["pedigree"]} >= {"MP"} and sum(p[5] for p in data["pedigree"]) == 2
    assert [c["sample"] for c in data["custody"]] == ["GS-T01-R001-S1", "D-father", "D-mother"]
    assert all(c["intact"] for c in data["custody"]) and data["custody"][0]["entries"] >= 2
    assert (
        data["engine_version"] == "nasab 0.1.0"
        and data["frequency_table_version"] == "sha256:abcdef"
    )
    arabic = report.content(confirmed, "ar")
    assert (
        report.prior_justification("Set by the operator for this search: 0.01.", "ar")
        == "حدّده المشغّل لهذا البحث: 0.01."
    )
    assert "1/1000" in report.prior_justification(
        "Uniform over the 1000 missing persons registered when the search ran: 1/1000.", "ar"
    )
    assert arabic["status"] == "مؤكَّد" and report.content_sha256(arabic) != report.content_sha256(
        data
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_report_html_has_no_missing_variables_and_no_alleles(confirmed, settings, language):
    settings.TEMPLATES = [
        dict(t, OPTIONS={**t["OPTIONS"], "string_if_invalid": "INVALID{%s}"})
        for t in settings.TEMPLATES
    ]
    data = report.content(confirmed, language)
    html = report.render_html(data, report.content_sha256(data), None)
    assert "INVALID{" not in html and report.content_sha256(data) in html
    # allele calls stay out of the report (9.3 as a call, not inside a number or a time)
    assert not re.search(r"(?<![\d:.])9\.3(?!\d)", html)
    assert ('dir="rtl"' in html) == (language == "ar")


def test_pedigree_drawing(confirmed):
    svg = report.pedigree_svg(report.content(confirmed, "en")["pedigree"])
    assert svg.startswith("<svg") and svg.count("<rect") >= 2 and "<circle" in svg


@needs_pdf
@pytest.mark.parametrize("language", ["en", "ar"])
def test_pdf_hash_printed_stored_and_audited(confirmed, users, language):
    issued = report.issue(confirmed, language, users["board"])
    assert issued.pdf[:5] == b"%PDF-"
    assert issued.pdf_sha256 == hashlib.sha256(bytes(issued.pdf)).hexdigest()
    assert issued.content_sha256 == report.content_sha256(report.content(confirmed, language))
    if importlib.util.find_spec("pypdf"):
        from pypdf import PdfReader

        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(bytes(issued.pdf))).pages
        )
        assert issued.content_sha256 in text.replace("\n", "")
    again = report.issue(confirmed, language, users["reviewer"])
    assert again.pk == issued.pk  # same content: the same stored document
    events = AuditEvent.objects.filter(
        action=AuditAction.EXPORT_REPORT, object_id=str(confirmed.pk)
    )
    assert [e.username for e in events.order_by("id")] == ["board", "reviewer"]
    assert events.first().detail["content_sha256"] == issued.content_sha256


@needs_pdf
def test_download_link_and_access(client, confirmed, users):
    candidate_url = reverse("identification:candidate_detail", args=[confirmed.candidate.pk])
    url = reverse("identification:report_pdf", args=[confirmed.pk, "ar"])
    client.force_login(users["board"])
    assert url in client.get(candidate_url).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    stored = IdentificationReport.objects.get()
    assert response["X-Report-SHA256"] == stored.content_sha256 and stored.language == "ar"
    assert (
        client.get(reverse("identification:report_pdf", args=[confirmed.pk, "fr"])).status_code
        == 400
    )
    client.force_login(users["lab"])  # may see matches, not the report
    assert url not in client.get(candidate_url).content.decode()
    assert client.get(url).status_code == 403


def test_only_confirmed_identifications_have_reports(typed_family, sample, users):
    candidate = MatchCandidate.objects.create(
        remains=sample.remains,
        person=typed_family["person"],
        likelihood_ratio=10,
        prior=0.5,
        posterior=0.9,
        engine_version="e",
        frequency_table="t",
        frequency_table_version="1",
    )
    with pytest.raises(report.ReportUnavailable, match="confirmed"):
        report.issue(services.identification_for(candidate), "en", users["board"])
