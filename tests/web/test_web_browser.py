"""Browser tests: Playwright driving Debian's chromium (headless) against pytest-django's
live_server, logging in as each role and walking the main path from a grave site to the
identification report.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (``make
setup`` installs it as root). Without it, or without the ``playwright`` package, these
tests are skipped with the reason. Screenshots go to ``$NASAB_SCREENSHOTS`` (default: the
test's tmp_path).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from identification import jobs
from identification.models import IdentificationReport, MatchingJob

CHROMIUM = os.environ.get("NASAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long test password 1"  # the ``users`` fixture's


def _why_no_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make setup)"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is missing: run 'make setup' as root (it installs Debian's chromium)"
    return None


pytestmark = pytest.mark.skipif(_why_no_browser() is not None, reason=_why_no_browser() or "")


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the test
    # itself between page steps, refuses to run inside one unless told it is safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


APPEND_ONLY_TABLES = ("custody_entry", "audit_event")


@pytest.fixture
def live(transactional_db, live_server):
    """live_server, and at the end the append-only tables emptied before Django's flush.

    A live-server test commits, so Django empties every table afterwards. On PostgreSQL it
    truncates (the append-only triggers guard UPDATE and DELETE only); SQLite deletes row by
    row, which the triggers refuse: they are set aside for a moment to empty these tables."""
    yield live_server
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        names = ", ".join(f"'{t}'" for t in APPEND_ONLY_TABLES)
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({names})"
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f'DELETE FROM "{table}"')
        for _name, sql in triggers:
            cursor.execute(sql)


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("NASAB_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Session:
    """One user's browser context (own cookies), logged in through the login page."""

    def __init__(self, browser, base_url: str, username: str):
        self.context = browser.new_context(
            base_url=base_url, accept_downloads=True, viewport={"width": 1200, "height": 900}
        )
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.page.goto("/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button:has-text('Log in')")
        who = self.page.locator("header .logout span").inner_text()
        assert who.split()[0] == username, self.page.inner_text("main")

    def submit(self, button_text: str):
        self.page.click(f"button:has-text('{button_text}')")
        self.page.wait_for_load_state()
        body = self.page.inner_text("main")
        assert "errorlist" not in self.page.content(), body
        return body

    def close(self):
        self.context.close()


def test_site_to_report(live, browser, users, family, shots):
    """Field team registers a site and remains and sends the sample to the lab; the lab
    receives it, imports profiles and runs a search; one analyst proposes, a reviewer (a
    different person) confirms; the board downloads the report."""
    url = live.url
    field = Session(browser, url, "field")
    page = field.page
    page.goto("/field/new-site/")
    page.fill("input[name=code]", "GS-B01")
    page.fill("input[name=name]", "Browser test site")
    page.select_option("select[name=governorate]", "hama")
    field.submit("Register")
    assert "GS-B01" in page.inner_text("h1")
    for stage in ("assessed", "excavating"):
        field.submit(f"Move to {stage}")
    page.screenshot(path=str(shots / "site.png"), full_page=True)
    page.click("text=Register remains")
    page.fill("input[name=code]", "GS-B01-R001")
    page.fill("input[name=label_at_discovery]", "B1")
    page.select_option("select[name=completeness]", index=1)
    page.fill("input[name=place]", "Trench 1")
    field.submit("Register and record")
    assert "GS-B01-R001" in page.inner_text("h1")
    page.goto("/field/remains/GS-B01-R001/samples/new/")
    page.fill("input[name=barcode]", "GS-B01-R001-S1")
    page.select_option("select[name=kind]", "bone")
    page.select_option("select[name=skeletal_element]", index=1)
    page.fill("input[name=place]", "Trench 1")
    page.fill("input[name=seal_id]", "SEAL-B1")
    field.submit("Register and record")
    # custody: hand the sealed sample to the lab
    page.goto("/custody/object/GS-B01-R001-S1/")
    page.select_option("select[name=action]", "transferred")
    page.fill("input[name=place]", "Site office")
    page.fill("input[name=seal_id]", "SEAL-B1")
    page.fill("input[name=recipient]", "lab")
    assert "In transit to lab" in field.submit("Record")
    field.close()

    lab = Session(browser, url, "lab")
    page = lab.page
    page.goto("/custody/object/GS-B01-R001-S1/")
    page.select_option("select[name=action]", "received")
    page.fill("input[name=place]", "DNA laboratory")
    page.fill("input[name=seal_id]", "SEAL-B1")
    body = lab.submit("Record")
    assert "Held by lab under seal SEAL-B1" in body and "Chain intact" in body
    page.screenshot(path=str(shots / "custody.png"), full_page=True)
    # the lab's profile file
    tsv = (
        "barcode\tTH01\tD3S1358\tvWA\n"
        "GS-B01-R001-S1\t6/9.3\t15/16\t17/18\n"
        "D-father\t6/7\t15/15\t17/17\n"
        "D-mother\t9.3/9.3\t16/17\t18/19\n"
    )
    page.goto("/lab/profiles/import/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "run-42.tsv", "mimeType": "text/tab-separated-values", "buffer": tsv.encode()}
        ],
    )
    page.fill("input[name=kit]", "GlobalFiler")
    page.fill("input[name=lab]", "Test lab")
    page.select_option("select[name=quality_status]", "accepted")
    assert "Imported 3 profiles" in lab.submit("Import")
    # a search, queued from the page and run by the worker (as manage.py matching_worker does)
    from identification.programme import change_settings

    change_settings(threshold=1.0, prior_rule="fixed", prior_value=0.01)  # a 3-marker family
    page.goto("/matches/search/")
    assert "queued" in lab.submit("Queue a full matching run")
    ran = jobs.run_pending("browser-test-worker")
    assert ran and all(j.status == "done" for j in ran), [j.error for j in ran]
    page.reload()
    assert page.inner_text("#jobs .job-status") == "Done", MatchingJob.objects.get().error
    page.goto("/matches/")
    page.click("table a:has-text('Candidate')")
    assert "GS-B01-R001" in page.inner_text("h1")
    page.select_option("select[name=to_status]", "preliminary")
    page.fill("textarea[name=reason]", "LR above the threshold; anthropology consistent")
    assert "Preliminary" in lab.submit("Record decision")
    candidate_path = page.url[len(url) :]
    assert page.locator("select[name=to_status] option[value=confirmed]").count() == 0
    lab.close()

    reviewer = Session(browser, url, "reviewer")
    page = reviewer.page
    page.goto(candidate_path)
    page.select_option("select[name=to_status]", "confirmed")
    page.fill("textarea[name=reason]", "Second review: consistent")
    body = reviewer.submit("Record decision")
    assert "Confirmed" in body and "confirmed by reviewer" in body
    page.screenshot(path=str(shots / "confirmed.png"), full_page=True)
    reviewer.close()

    board = Session(browser, url, "board")
    page = board.page
    page.goto(candidate_path)
    for language, link in (("en", "English"), ("ar", "العربية")):
        with page.expect_download() as download:
            page.click(f".report-links a:has-text('{link}')")
        path = shots / f"report-{language}.pdf"
        download.value.save_as(path)
        assert path.read_bytes()[:5] == b"%PDF-"
    assert set(IdentificationReport.objects.values_list("language", flat=True)) == {"en", "ar"}
    board.close()


def test_roles_see_only_their_pages(live, browser, users):
    """The navigation offers each role its own pages, and a forbidden page answers 403."""
    expected = {
        "intake": ("Missing persons", "Matches"),
        "field": ("Grave sites", "DNA profiles"),
        "board": ("Matches", "Import profiles"),
    }
    for username, (shown, hidden) in expected.items():
        session = Session(browser, live.url, username)
        nav = session.page.inner_text("header nav")
        assert shown in nav and hidden not in nav, (username, nav)
        response = session.page.goto("/lab/profiles/import/")
        assert response.status == 403
        session.close()


def _portal_case_for(person):
    from django.contrib.auth.hashers import make_password

    from portal.models import PortalCase
    from registry.models import Report

    report = Report.objects.create(person=person, reporter_name="Mother", relationship="mother")
    return PortalCase.objects.create(
        code="F-BRWS2345",
        secret_hash=make_password("ABCD-EFGH-JKMN"),
        report=report,
        submission_token="b" * 24,
    )


@pytest.mark.parametrize("language, width", [("en", 1200), ("ar", 1200), ("ar", 390), ("en", 390)])
def test_workbench_in_both_languages(live, browser, users, typed_family, sample, language, width):
    """Dashboards with their queues, the review page (per-marker table, pedigree, custody),
    two-person exclusion and confirmation, the family's state following the identification,
    in English and Arabic, on a desktop and a phone; screenshots kept."""
    from identification.models import MatchCandidate

    shots = Path(os.environ.get("NASAB_SCREENSHOTS", "out/screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    tag = f"{language}-{width}"
    candidate = MatchCandidate.objects.create(
        remains=sample.remains,
        person=typed_family["person"],
        likelihood_ratio=2.4e6,
        prior=0.01,
        posterior=0.99996,
        engine_version="0.1.0",
        frequency_table="synthetic",
        frequency_table_version="1",
        marker_log10_lrs={"TH01": 2.1, "D3S1358": 1.9, "vWA": 2.38},
        samples_used=[sample.barcode, "D-father", "D-mother"],
        prior_justification="Uniform over the 100 missing persons registered when the search ran: 1/100.",
    )
    other = MatchCandidate.objects.create(
        remains=sample.remains,
        person=typed_family["person"],
        likelihood_ratio=3.0,
        prior=0.01,
        posterior=0.03,
        engine_version="0.0.9",
        frequency_table="synthetic",
        frequency_table_version="1",
        marker_log10_lrs={"TH01": 0.2, "D3S1358": -0.5, "vWA": 0.78},
        samples_used=[sample.barcode],
    )
    case = _portal_case_for(typed_family["person"])
    from fieldwork.models import GraveSite

    site = sample.remains.site
    site.latitude, site.longitude = 35.13, 36.75
    site.save()
    GraveSite.objects.create(
        code="GS-T02", name="Second site", governorate="homs", latitude=34.73, longitude=36.71
    )
    remains = sample.remains
    remains.east_m, remains.north_m = 4.5, 2.25
    remains.save()

    def session(username):
        s = Session(browser, live.url, username)
        s.context.add_cookies([{"name": "django_language", "value": language, "url": live.url}])
        s.page.set_viewport_size({"width": width, "height": 900})
        return s

    def decide(s, pk, status, reason):
        s.page.goto(f"/matches/{pk}/")
        assert s.page.locator("select[name=to_status]").input_value() == ""  # nothing preselected
        s.page.select_option("select[name=to_status]", status)
        s.page.fill("textarea[name=reason]", reason)
        s.page.click("form.decide button[type=submit]")
        s.page.wait_for_load_state()

    from custody import services as custody

    custody.record(
        object_id=sample.remains.code,
        action="transferred",
        actor=users["field"],
        place="Site office",
        recipient="lab",
    )
    field = session("field")
    field.page.goto("/")
    assert sample.remains.code in field.page.inner_text("#queue-receive")
    field.page.screenshot(path=str(shots / f"dashboard-field-{tag}.png"), full_page=True)
    field.close()

    lab = session("lab")
    page = lab.page
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert sample.remains.code in page.inner_text("#queue-receive")
    assert candidate.remains.code in page.inner_text("#queue-undecided")
    page.screenshot(path=str(shots / f"dashboard-lab-{tag}.png"), full_page=True)
    page.goto(f"/matches/{candidate.pk}/")
    assert page.locator("#markers tbody tr").count() == 3
    assert (
        page.locator("#pedigree svg").count() == 1
        and page.locator("#pedigree svg text").count() >= 3
    )
    assert "D-father" in page.inner_text("#custody")
    if language == "ar":  # nothing left in English but the data (codes, names, usernames, markers)
        data = {
            "D3S1358",
            "TH01",
            "vWA",
            "LR",
            "log10",
            "synthetic",
            "PDF",
            "Samer",
            "Maher",
            "Ali",
            "Najjar",
            "father",
            "mother",
            "lab",
            "field",
            "field2",
            "SEAL",
            "English",
            "SNP",  # the SNP confirmation section (stage 2)
        }
        words = set(re.findall(r"\b[A-Za-z]{3,}\b", page.inner_text("body"))) - data
        assert not words, words
    page.screenshot(path=str(shots / f"review-{tag}.png"), full_page=True)
    decide(lab, candidate.pk, "preliminary", "LR far above the threshold")
    decide(lab, other.pk, "to_exclude", "Inconsistent at D3S1358; LR near 1")
    assert page.locator("#needs-other").count() == 1  # the proposer cannot decide the exclusion
    lab.close()

    reviewer = session("reviewer")
    page = reviewer.page
    page.goto("/")
    queue = page.inner_text("#queue-decide")
    assert candidate.remains.code in queue
    page.screenshot(path=str(shots / f"dashboard-reviewer-{tag}.png"), full_page=True)
    decide(reviewer, other.pk, "excluded", "Agreed: excluded")
    decide(reviewer, candidate.pk, "confirmed", "Second review: consistent")
    assert page.locator("#identification-status").inner_text().strip() == (
        "مؤكَّد" if language == "ar" else "Confirmed"
    )
    assert (
        page.locator(".message")
        .inner_text()
        .startswith("سُجّل القرار" if language == "ar" else "Decision recorded")
    )
    assert ("أولي ← مؤكَّد" if language == "ar" else "Preliminary → Confirmed") in page.inner_text(
        "#decisions"
    )
    page.screenshot(path=str(shots / f"confirmed-{tag}.png"), full_page=True)
    page.goto(f"/field/sites/{sample.remains.site.code}/")
    assert page.locator("#site-map svg .site").count() == 2
    assert page.locator("#remains-plot svg .remains").count() == 1
    page.screenshot(path=str(shots / f"site-{tag}.png"), full_page=True)
    page.goto("/field/sites/")
    assert page.locator("#sites-map svg .site").count() == 2
    page.screenshot(path=str(shots / f"sites-{tag}.png"), full_page=True)
    reviewer.close()

    # the family's state followed the confirmation: please contact us, with the number
    family = browser.new_context(base_url=live.url, viewport={"width": width, "height": 900})
    family.add_cookies([{"name": "django_language", "value": language, "url": live.url}])
    fpage = family.new_page()
    fpage.goto("/family/case/")
    fpage.fill("input[name=code]", case.code)
    fpage.fill("input[name=secret]", "ABCD-EFGH-JKMN")
    fpage.click("main button[type=submit]")
    fpage.wait_for_load_state()
    assert fpage.locator("#case-status").inner_text().strip() == (
        "يرجى التواصل معنا" if language == "ar" else "Please contact us"
    )
    assert fpage.locator("#contact-phone").count() == 1
    fpage.screenshot(path=str(shots / f"portal-status-{tag}.png"), full_page=True)
    family.close()

    intake = session("intake")
    intake.page.goto("/")
    assert typed_family["person"].case_number in intake.page.inner_text("#queue-tell")
    intake.page.screenshot(path=str(shots / f"dashboard-intake-{tag}.png"), full_page=True)
    intake.close()


def test_imported_profile_is_matched_and_withdrawal_flags(live, browser, users, tmp_path):
    """A programme loaded from a simulation and matched once; the lab imports a new remains
    profile through the page: its candidates are listed at once (scored against the
    compiled store in the import request; no worker started). Then a donor withdraws
    consent on the registry page: the candidates that used the donor are flagged."""
    from django.core.management import call_command

    from fieldwork.models import RemainsUnit, Sample
    from identification.models import MatchCandidate
    from lab.models import DNAProfile
    from nasab.sim.simulate import simulate

    simulate(12, 16, 3, tmp_path / "sim", formats=("tsv",))
    call_command("import_simulation", str(tmp_path / "sim"), stdout=io.StringIO())
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    best = MatchCandidate.objects.select_related("remains", "person").order_by("-log10_lr").first()
    markers = DNAProfile.objects.get(sample__remains=best.remains).markers
    unit = RemainsUnit.objects.create(
        code="GS-NEW-R1", site=best.remains.site, label_at_discovery="new", completeness="partial"
    )
    Sample.objects.create(
        barcode="GS-NEW-R1-S1", kind="bone", skeletal_element="femur", remains=unit
    )
    names = sorted(markers)
    tsv = (
        "barcode\t"
        + "\t".join(names)
        + "\nGS-NEW-R1-S1\t"
        + "\t".join("/".join(markers[m]) for m in names)
        + "\n"
    )
    lab = Session(browser, live.url, "lab")
    page = lab.page
    page.goto("/lab/profiles/import/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "new.tsv", "mimeType": "text/tab-separated-values", "buffer": tsv.encode()}
        ],
    )
    page.fill("input[name=kit]", "GlobalFiler")
    page.fill("input[name=lab]", "Test lab")
    page.select_option("select[name=quality_status]", "accepted")
    assert "Imported 1 profiles" in lab.submit("Import")
    # scored in the request: no full run queued (only the review jobs it schedules)
    assert not MatchingJob.objects.filter(status="queued", kind="full").exists()
    page.goto("/matches/")
    assert "GS-NEW-R1" in page.inner_text("main")
    new = MatchCandidate.objects.get(remains=unit, person=best.person)
    assert abs(new.log10_lr - best.log10_lr) < 1e-9
    lab.close()

    donor = new.donors.order_by("pk").first()
    intake = Session(browser, live.url, "intake")
    page = intake.page
    page.goto(f"/registry/{donor.person.case_number}/")
    form = page.locator(f"form[action='/registry/relatives/{donor.pk}/consent/withdraw/']")
    form.locator("input[name=reason]").fill("Donor asked to withdraw")
    form.locator("button:has-text('Withdraw consent')").click()
    page.wait_for_load_state()
    intake.close()
    flagged = set(MatchCandidate.objects.filter(needs_review=True).values_list("pk", flat=True))
    assert new.pk in flagged and best.pk in flagged
    assert flagged == set(MatchCandidate.objects.filter(donors=donor).values_list("pk", flat=True))
    lab = Session(browser, live.url, "lab")
    lab.page.goto("/matches/")
    assert "needs review" in lab.page.inner_text("main")
    lab.close()


STAFF_DATA = {"PDF", "SHA", "UTC", "PFIF", "XML", "TSV", "TOTP", "QR", "Familias", "nasab"}
STAFF_DATA |= {"AABB", "barcode", "English", "NIST"}
# the SNP upload: marker classes, panel and file-format names (as in test_web_workbench)
STAFF_DATA |= {"SNP", "STR", "VCF", "FORCE", "XFORCE", "freqs", "tsv"}
WITHOUT_DATA = """() => {
    const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('[translate=no], script, style, svg').forEach(e => e.remove());
    return main.textContent;
}"""


@pytest.mark.parametrize("language, width", [("ar", 1200), ("ar", 390), ("en", 1200)])
def test_remaining_staff_pages_in_both_languages(
    live, browser, users, typed_family, sample, language, width
):
    """The pages issue 16 left English-only (log-in, matching and settings, lab import and
    export, custody verification and export, audit, duplicates, PFIF, the admin) in the
    reader's language and direction, at desktop and phone width; the intake dashboard and the
    family's status page show the worker's power estimate with its date ("being computed"
    before); log dates in one format per language; screenshots kept."""
    from django.contrib.auth.models import User

    from identification import estimates

    shots = Path(os.environ.get("NASAB_SCREENSHOTS", "out/screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    tag = f"{language}-{width}"
    rtl = language == "ar"

    def look(page, name):
        assert page.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr"), name
        if rtl:
            words = set(re.findall(r"\b[A-Za-z]{3,}\b", page.evaluate(WITHOUT_DATA)))
            words -= STAFF_DATA | set(users)
            assert not words, (name, words)
        page.screenshot(path=str(shots / f"{name}-{tag}.png"), full_page=True)

    def session(username):
        s = Session(browser, live.url, username)
        s.context.add_cookies([{"name": "django_language", "value": language, "url": live.url}])
        s.page.set_viewport_size({"width": width, "height": 900})
        return s

    anonymous = browser.new_context(base_url=live.url, viewport={"width": width, "height": 900})
    anonymous.add_cookies([{"name": "django_language", "value": language, "url": live.url}])
    page = anonymous.new_page()
    page.goto("/login/")
    look(page, "login")
    anonymous.close()

    lab = session("lab")
    for url, name in [
        ("/matches/search/", "matching"),
        ("/matches/settings/", "settings"),
        ("/lab/profiles/import/", "lab-import"),
        ("/lab/profiles/export/", "lab-export"),
        ("/custody/verify/", "custody-verify"),
    ]:
        lab.page.goto(url)
        look(lab.page, name)
    lab.page.click("main form button[type=submit]")  # verify now
    lab.page.wait_for_load_state()
    assert lab.page.locator("#verdict.ok").count() == 1
    look(lab.page, "custody-verified")
    lab.page.goto(f"/custody/object/{sample.barcode}/")
    when = lab.page.locator("main table time").first
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", when.get_attribute("datetime"))
    shown = when.inner_text()
    assert shown.endswith("بالتوقيت العالمي" if rtl else "UTC") and ":" in shown
    lab.close()

    reviewer = session("reviewer")
    reviewer.page.goto("/custody/export/")
    look(reviewer.page, "custody-export")
    reviewer.close()

    intake = session("intake")
    intake.page.goto("/")
    queue = intake.page.inner_text("#queue-references")
    assert ("تحسب خدمة المطابقة" if rtl else "being computed by the matching worker") in queue
    estimates.fill_pending(limit=5)  # the matching worker, idle
    intake.page.goto("/")
    queue = intake.page.inner_text("#queue-references")
    assert typed_family["person"].case_number in queue
    assert ("تقدير بتاريخ" if rtl else "estimate of") in queue
    look(intake.page, "dashboard-intake-estimate")
    # the missing person's page: the same words, with the estimate's date
    intake.page.goto(f"/registry/{typed_family['person'].case_number}/")
    section = intake.page.inner_text("#family-estimate")
    assert ("تقدير بتاريخ" if rtl else "estimate of") in section
    assert intake.page.locator("#family-estimate #estimate-date time").count() == 1
    if rtl:  # the page shows the names in Latin letters too (data); the estimate is Arabic
        assert not re.findall(r"\b[A-Za-z]{3,}\b", section), section
    intake.page.screenshot(path=str(shots / f"person-estimate-{tag}.png"), full_page=True)
    for url, name in [("/family/staff/duplicates/", "duplicates"), ("/family/staff/pfif/", "pfif")]:
        intake.page.goto(url)
        look(intake.page, name)
    intake.close()

    admin = session("admin")
    admin.page.goto("/audit/")
    look(admin.page, "audit")
    assert admin.page.locator("main table time").count() >= 1
    admin.close()

    User.objects.create_superuser("root", password=PASSWORD)
    root = session("root")
    root.page.goto("/admin/")
    assert root.page.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr")
    header = root.page.inner_text("#site-name")
    assert header == ("سجل نَسَب: الإدارة" if rtl else "nasab registry: administration")
    root.page.screenshot(path=str(shots / f"admin-{tag}.png"), full_page=True)
    root.page.click("#admin-language button")
    root.page.wait_for_load_state()
    assert root.page.locator("html").get_attribute("dir") == ("ltr" if rtl else "rtl")
    root.close()

    # the family's status page: the stored estimate with its date
    case = _portal_case_for(typed_family["person"])
    family = browser.new_context(base_url=live.url, viewport={"width": width, "height": 900})
    family.add_cookies([{"name": "django_language", "value": language, "url": live.url}])
    fpage = family.new_page()
    fpage.goto("/family/case/")
    fpage.fill("input[name=code]", case.code)
    fpage.fill("input[name=secret]", "ABCD-EFGH-JKMN")
    fpage.click("main button[type=submit]")
    fpage.wait_for_load_state()
    assert fpage.locator("#estimate-source").count() == 1
    assert fpage.locator("#estimate-date").count() == 1
    assert fpage.locator("#estimate-computing").count() == 0
    fpage.screenshot(path=str(shots / f"portal-estimate-{tag}.png"), full_page=True)
    family.close()
