"""Browser tests of the family portal: Playwright driving Debian's chromium (never
``playwright install``) against pytest-django's live server, on a phone-sized screen."""

from __future__ import annotations

import os
import re
from pathlib import Path
from unittest import mock

import pytest
from tests.web import test_web_browser as shared

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
TO_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"
    ),
]
# Playwright's sync API runs an event loop in this thread; the ORM calls below are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# the live server, with the append-only tables (audit, custody) emptied before Django's flush.
live = shared.live


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="ar",
        extra_http_headers={"Accept-Language": "ar"},
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def shot_dir() -> Path:
    folder = Path(
        os.environ.get(
            "NASAB_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"
        )
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_family_reports_in_arabic_on_a_phone(phone, live, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page = phone
    page.goto(f"{live.url}/family/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="الإبلاغ عن شخص مفقود").click()
    page.get_by_label("الاسم الأول (بالحروف العربية)").fill("سامر")
    page.get_by_label("اسم الأب (بالحروف العربية)").fill("ماهر")
    page.get_by_label("الكنية (بالحروف العربية)").fill("النجار")
    page.get_by_label("الجنس").select_option("M")
    page.get_by_label("سنة الولادة").fill("١٩٩٠")
    page.get_by_label("تاريخ آخر مشاهدة").fill("2013-05-21")
    page.get_by_label("مكان آخر مشاهدة").fill("حماة، حاجز الجسر")
    page.get_by_label("اسمك").fill("ليلى")
    page.get_by_label("صلة قرابتك بالشخص المفقود").select_option("mother")
    page.get_by_label("يجوز لفريق التعرّف مشاركة").check()
    # The page lays out right to left: a label's right edge is at the right of the form.
    box = page.get_by_label("اسمك").bounding_box()
    label = page.locator("label[for=id_reporter_name]").bounding_box()
    assert label["x"] + label["width"] > box["x"] + box["width"] - 5
    page.screenshot(path=str(shot_dir() / "portal-report-ar.png"), full_page=True)
    page.get_by_role("button", name="إرسال البلاغ").click()
    page.wait_for_url(re.compile(r"/family/report/done/"))
    code = page.locator("#case-code").inner_text().strip()
    secret = page.locator("#case-secret").inner_text().strip()
    # always Latin, even on the Arabic page with Arabic-Indic digits: no ٧ to read as V
    assert re.fullmatch(r"F-[2-9A-Z]{8}", code) and not re.search("[٠-٩]", code + secret)
    page.get_by_role("link", name="التالي: اذكر الأقارب الذين يمكنهم إعطاء عيّنة").click()
    for name, relation, sex in (
        ("أحمد", "full_sibling", "M"),
        ("مريم", "full_sibling", "F"),
        ("ماهر", "father", "M"),
    ):
        page.get_by_label("الاسم (بالحروف العربية)").fill(name)
        page.get_by_label("صلة القرابة بالشخص المفقود").select_option(relation)
        page.get_by_label("الجنس").select_option(sex)
        page.get_by_role("button", name="أضف", exact=True).click()
        assert page.locator("svg text", has_text=name).count() == 1
    assert page.locator("svg rect").count() == 5  # missing person, reporter, three relatives
    assert "كافون على الأرجح" in page.locator("#estimate").inner_text()
    # the same brother again is refused in Arabic
    page.get_by_label("الاسم (بالحروف العربية)").fill("أحمد")
    page.get_by_label("صلة القرابة بالشخص المفقود").select_option("full_sibling")
    page.get_by_role("button", name="أضف", exact=True).click()
    assert "هذا القريب مضاف من قبل." in page.content()
    page.screenshot(path=str(shot_dir() / "portal-relatives-ar.png"), full_page=True)
    page.get_by_role("button", name="إغلاق الحالة على هذا الجهاز").click()

    # Later, on the same phone: the status with the code and the secret.
    page.goto(f"{live.url}/family/case/")
    page.get_by_label("رمز الحالة").fill(code)
    page.get_by_label("الرمز السري").fill(secret)
    page.get_by_role("button", name="فتح").click()
    page.wait_for_url(re.compile(r"/family/case/status/"))
    assert page.locator("#case-status").inner_text().strip() == "تم الاستلام"
    assert re.search("[٠-٩]{4}", page.locator("main").inner_text())  # the date's year
    # Latin digits on request, without JavaScript
    page.get_by_role("button", name=re.compile("0123")).click()
    assert code.translate(TO_LATIN) in page.locator("main").inner_text()
    # English on request; direction follows
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("#case-status").inner_text().strip() == "Received"


def test_stranger_learns_nothing(browser, live, settings):
    from portal.models import PortalCase
    from registry.models import MissingPerson

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.NASAB_PORTAL_RATE = {"per_ip": 8, "per_code": 3, "window_s": 900}
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    # a family's report exists
    from portal import services

    sub = services.submit_report(
        {
            "given_name": "سامر",
            "given_name_latin": "Samer",
            "last_seen_date": "2013-05-21",
            "last_seen_place": "Hama",
            "reporter_name": "Layla",
            "relationship": "mother",
        },
        token="t" * 30,
        language="ar",
    )
    assert MissingPerson.objects.count() == 1
    # by name: no page searches or echoes names
    for url in ("/family/?q=Samer", "/family/case/?name=سامر", "/family/search/?q=Samer"):
        page.goto(live.url + url)
        assert "Samer" not in page.content() and "سامر" not in page.content()
    # by guessing codes: a real code with a wrong secret reads exactly like a made-up code
    # and costs the same work: one password-hash check each, real code or not (no timing
    # measured here: the check is counted)
    answers, hashed = [], []
    real_check = services.check_password
    for code in (sub.case.code, "F-ABCDEFGH"):
        page.goto(f"{live.url}/family/case/")
        page.fill("#id_code", code)
        page.fill("#id_secret", "AAAA-BBBB-CCCC")
        with mock.patch.object(services, "check_password", wraps=real_check) as checked:
            page.click("button[type=submit] >> nth=-1")
            answers.append(re.sub(r'value="[^"]{30,}"', "", page.locator("main").inner_html()))
        hashed.append(checked.call_count)
    assert answers[0] == answers[1]
    assert hashed == [1, 1]
    # guessing many codes runs into the limit, the same for every code
    for i in range(8):
        page.goto(f"{live.url}/family/case/")
        page.fill("#id_code", f"F-GUESS{i:03d}")
        page.fill("#id_secret", "X")
        page.click("button[type=submit] >> nth=-1")
    assert "Too many attempts" in page.content() or "محاولات كثيرة" in page.content()
    assert PortalCase.objects.count() == 1
    context.close()
