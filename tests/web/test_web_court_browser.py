"""Browser walks for issue 17 (Playwright driving Debian's chromium, headless): a '/' in a
code refused with a message; the Arabic portal shows codes in Latin letters; approximate
dates accepted; the lock-out of one code does not lock out another family; a reviewer logs
in with the second factor; no page trips the Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from tests.web import test_web_browser as shared
from tests.web.test_web_browser import PASSWORD, _why_no_browser

browser = shared.browser  # the fixtures of the registry's browser tests, shared
live = shared.live

pytestmark = pytest.mark.skipif(_why_no_browser() is not None, reason=_why_no_browser() or "")


class Page:
    """A browser context that records Content-Security-Policy violations."""

    def __init__(self, browser, base_url, **kwargs):
        self.context = browser.new_context(base_url=base_url, **kwargs)
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.csp = []
        self.page.on(
            "console",
            lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def close(self):
        self.context.close()
        assert not self.csp, self.csp


def staff(browser, base_url, username):
    p = Page(browser, base_url)
    p.page.goto("/login/")
    p.page.fill("input[name=username]", username)
    p.page.fill("input[name=password]", PASSWORD)
    p.page.click("button:has-text('Log in')")
    return p


def test_slash_in_a_site_code_is_refused_with_a_message(live, browser, users):
    p = staff(browser, live.url, "field")
    page = p.page
    page.goto("/field/new-site/")
    page.fill("#id_code", "GS 0/1")
    page.fill("#id_name", "Orchard")
    page.select_option("#id_governorate", "hama")
    page.click("button[type=submit] >> nth=-1")
    main = page.inner_text("main")
    assert "cannot be used as an identifier" in main and "'/'" in main
    assert page.input_value("#id_code") == "GS 0/1"  # the typing is kept
    page.fill("#id_code", "GS-001")
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(re.compile(r"/field/sites/GS-001/"))
    page.goto("/field/sites/")
    assert "GS-001" in page.inner_text("main")
    p.close()


def report(page, last_seen, token_suffix=""):
    page.goto("/family/report/")
    page.fill("#id_given_name", "سامر")
    page.fill("#id_last_seen_date", last_seen)
    page.fill("#id_last_seen_place", "حماة")
    page.fill("#id_reporter_name", "ليلى")
    page.select_option("#id_relationship", "mother")
    page.click("button[type=submit] >> nth=-1")


def test_arabic_portal_shows_codes_in_latin_and_takes_approximate_dates(live, browser):
    from registry.models import DisappearanceEvent

    p = Page(
        browser,
        live.url,
        locale="ar",
        extra_http_headers={"Accept-Language": "ar"},
        viewport={"width": 360, "height": 740},
    )
    page = p.page
    report(page, "٢٠١٣-٠٥")  # month and year, in Arabic-Indic digits
    page.wait_for_url(re.compile(r"/family/report/done/"))
    assert page.locator("html").get_attribute("lang") == "ar"
    code = page.inner_text("#case-code").strip()
    secret = page.inner_text("#case-secret").strip()
    assert re.fullmatch(r"F-[2-9ACDEFHJKMNPRTVWXY]{8}", code), code
    assert re.fullmatch(r"([2-9ACDEFHJKMNPRTVWXY]{4}-){2}[2-9ACDEFHJKMNPRTVWXY]{4}", secret)
    assert "لا يوجد 0 ولا 1" in page.inner_text("#code-alphabet")
    event = DisappearanceEvent.objects.get()
    assert (str(event.date_from), str(event.date_to)) == ("2013-05-01", "2013-05-31")
    page.goto("/family/case/status/")
    assert page.inner_text("#case-code").strip() == code  # Latin on the status page too
    assert re.search("[٠-٩]{4}", page.inner_text("main"))  # while dates use Arabic-Indic
    p.close()
    # the year alone
    q = Page(browser, live.url)
    report(q.page, "2012")
    q.page.wait_for_url(re.compile(r"/family/report/done/"))
    assert DisappearanceEvent.objects.filter(date_from="2012-01-01", date_to="2012-12-31").exists()
    q.close()


def test_lock_out_of_one_code_leaves_other_families_alone(live, browser, settings):
    from portal import services

    settings.NASAB_PORTAL_RATE = {"per_ip": 20, "per_code": 5, "per_code_all": 200, "window_s": 900}
    cases = [
        services.submit_report(
            {
                "given_name": "Samer",
                "last_seen_date": "2013-05-21",
                "last_seen_place": "Hama",
                "reporter_name": f"Layla {i}",
                "relationship": "mother",
            },
            token=f"{i}" * 30,
            language="en",
        )
        for i in (1, 2)
    ]
    p = Page(browser, live.url)
    page = p.page

    def try_code(code, secret):
        page.goto("/family/case/")
        page.fill("#id_code", code)
        page.fill("#id_secret", secret)
        page.click("button[type=submit] >> nth=-1")
        page.wait_for_load_state()

    for _ in range(5):
        try_code(cases[0].case.code, "WRONG-WRONG-WRON")
    try_code(cases[0].case.code, cases[0].secret)
    assert "Too many attempts" in page.inner_text("main")
    try_code(cases[1].case.code, cases[1].secret)  # another family, same address
    page.wait_for_url(re.compile(r"/family/case/status/"))
    assert page.inner_text("#case-code").strip() == cases[1].case.code
    p.close()


@pytest.mark.second_factor
def test_reviewer_logs_in_with_the_second_factor(live, browser, users):
    from accounts import second_factor

    device = second_factor.enrol_with_key(users["reviewer"], "00" * 20)
    p = staff(browser, live.url, "reviewer")
    page = p.page
    page.wait_for_url(re.compile(r"/login/second-factor/"))
    page.fill("#id_token", second_factor.current_code(device))
    page.click("button:has-text('Confirm')")
    page.wait_for_url(re.compile(r"/$"))
    assert "reviewer" in page.inner_text("header")
    page.goto("/matches/")
    assert page.locator("h1").count() == 1
    p.close()
