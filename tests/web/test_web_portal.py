"""The family portal: reporting, idempotent submission, status without leaks, relatives
and the sufficiency estimate, languages and digits, page sizes, staff duplicates."""

from __future__ import annotations

import datetime
import re
import sys
import types

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal import services, sufficiency
from portal.models import AccessAttempt, Decision, DuplicateDecision, PortalCase
from registry.models import Consent, MissingPerson, Relative, Report

PAGE_LIMIT = 100 * 1024


def report_data(token="tok-" + "x" * 30, **over):
    data = {
        "submission_token": token,
        "given_name": "سامر",
        "father_name": "ماهر",
        "family_name": "النجار",
        "given_name_latin": "Samer",
        "sex": "M",
        "birth_year": "1990",
        "last_seen_date": "2013-05-21",
        "last_seen_place": "حماة",
        "governorate": "hama",
        "reporter_name": "ليلى",
        "reporter_contact": "+963 900 000 000",
        "relationship": "mother",
        "share_partners": "on",
        "court_consent": "on",
    }
    data.update(over)
    return data


def submit(client, **over):
    client.get(reverse("portal:report"))
    response = client.post(reverse("portal:report"), report_data(**over))
    return response


def new_case(client, **over):
    response = submit(client, **over)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("portal:report_done")).content.decode()
    code = re.search(r'id="case-code"[^>]*>([^<]+)<', page).group(1)
    secret = re.search(r'id="case-secret"[^>]*>([^<]+)<', page).group(1)
    return code, secret


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_report_creates_registry_records_and_consent(client, db):
    code, secret = new_case(client)
    case = PortalCase.objects.get(code=code)
    person = case.report.person
    assert person.given_name == "سامر" and person.name_latin == "Samer"
    assert person.disappearances.get().date_from == datetime.date(2013, 5, 21)
    assert case.secret_hash != secret and services.check_password(secret, case.secret_hash)
    reporter = Relative.objects.get(person=person, claimed_relationship="mother")
    consent = Consent.objects.get(relative=reporter)
    assert consent.for_identification and consent.for_court and consent.text_version == "portal-1"
    assert [s.recipient for s in consent.sharing.all()] == [services.PARTNER_RECIPIENT]


def test_secret_shown_once(client, db):
    new_case(client)
    page = client.get(reverse("portal:report_done")).content.decode()
    assert 'id="case-secret"' not in page and 'id="case-code"' in page


def test_same_submission_twice_creates_one_report(client, db):
    client.get(reverse("portal:report"))
    data = report_data(token="same-token-" + "y" * 20)
    first = client.post(reverse("portal:report"), data)
    again = client.post(reverse("portal:report"), data)  # connection dropped, browser resends
    assert first.status_code == again.status_code == 302
    assert (
        PortalCase.objects.count() == Report.objects.count() == MissingPerson.objects.count() == 1
    )
    # From another device (no session), the same token still does not create a second report.
    from django.test import Client

    Client().post(reverse("portal:report"), data)
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("last_seen_date", "2999-01-01", "The date last seen cannot be in the future."),
        ("birth_year", "1850", "older than 110 years"),
        # two years on: next year has begun somewhere on earth on 31 December
        ("birth_year", str(datetime.date.today().year + 2), "cannot be in the future"),
        ("last_seen_date", "21/05", "Write the date as year-month-day"),
    ],
)
def test_bad_input_gets_clear_message_in_english(client, db, field, value, message):
    response = submit(client, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PortalCase.objects.exists()


def test_bad_input_message_in_arabic(client, db):
    client.post(reverse("set_language"), {"language": "ar", "next": "/family/"})
    response = submit(client, last_seen_date="2999-01-01")
    page = response.content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "لا يمكن أن يكون تاريخ آخر مشاهدة في المستقبل" in page


def test_arabic_indic_digits_accepted(client, db):
    response = submit(client, birth_year="١٩٩٠", last_seen_date="٢٠١٣-٠٥-٢١")
    assert response.status_code == 302
    assert MissingPerson.objects.get().birth_year == 1990


def open_case(client, code, secret, ip="10.0.0.1"):
    return client.post(reverse("portal:access"), {"code": code, "secret": secret}, REMOTE_ADDR=ip)


def strip_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_status_needs_code_and_secret(client, db):
    code, secret = new_case(client)
    from django.test import Client

    stranger = Client()
    assert stranger.get(reverse("portal:status")).status_code == 302
    assert stranger.get(reverse("portal:relatives")).status_code == 302
    response = open_case(stranger, code, secret)
    assert response.status_code == 302
    page = stranger.get(reverse("portal:status")).content.decode()
    assert "Received" in page and 'id="case-status"' in page
    # lower case, spaces, Arabic-Indic digits in the code are accepted
    other = Client()
    typed = code.lower().replace("-", " ").translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert open_case(other, typed, secret.lower()).status_code == 302


def test_wrong_code_and_wrong_secret_answer_identically(client, db):
    code, secret = new_case(client)
    from django.test import Client

    wrong_secret = open_case(Client(), code, "AAAA-BBBB-CCCC")
    wrong_code = open_case(Client(), "F-ZZZZZZZZ", secret)
    assert wrong_secret.status_code == wrong_code.status_code == 200
    assert strip_tokens(wrong_secret.content.decode()) == strip_tokens(wrong_code.content.decode())
    assert AccessAttempt.objects.filter(success=False).count() == 2


def test_rate_limited_per_code_and_address_and_per_address(client, db, settings):
    settings.NASAB_PORTAL_RATE = {"per_ip": 6, "per_code": 3, "per_code_all": 8, "window_s": 900}
    code, secret = new_case(client)
    other_code, other_secret = new_case(Client(), token="tok-" + "y" * 30)
    from django.test import Client as C

    # a stranger's wrong tries on the family's code lock the stranger, not the family
    for _ in range(3):
        open_case(C(), code, "WRONG-WRONG", ip="10.0.1.1")
    refused = open_case(C(), code, secret, ip="10.0.1.1")
    assert "Too many attempts" in refused.content.decode()
    assert open_case(C(), code, secret, ip="10.0.2.1").status_code == 302
    # ... nor another family, even from the stranger's address
    assert open_case(C(), other_code, other_secret, ip="10.0.1.1").status_code == 302
    # many addresses against one code: that code is locked for everyone for a while
    for i in range(8):
        open_case(C(), other_code, "WRONG-WRONG", ip=f"10.0.3.{i}")
    assert (
        "Too many attempts"
        in open_case(C(), other_code, other_secret, ip="10.0.4.1").content.decode()
    )
    # one address guessing many codes is locked for every code
    for i in range(6):
        open_case(C(), f"F-GUESS{i:03d}", "X", ip="10.9.9.9")
    response = open_case(C(), code, secret, ip="10.9.9.9")
    assert "Too many attempts" in response.content.decode()
    assert AccessAttempt.objects.filter(limited=True).count() == 3


def test_client_address_only_from_the_trusted_proxy_header(client, db, settings):
    settings.NASAB_PORTAL_RATE = {"per_ip": 2, "per_code": 2, "per_code_all": 100, "window_s": 900}
    code, secret = new_case(client)
    proxy = "127.0.0.1"

    def attempt(c, s, forwarded):
        return client.post(
            reverse("portal:access"),
            {"code": c, "secret": s},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # without the setting a forged header is ignored: everything is the proxy's address
    attempt("F-AAAAAAAA", "X", "203.0.113.1")
    attempt("F-AAAAAAAA", "X", "203.0.113.2")
    assert set(AccessAttempt.objects.values_list("ip", flat=True)) == {proxy}
    AccessAttempt.objects.all().delete()
    settings.NASAB_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    for _ in range(2):  # an attacker behind the proxy locks only themselves out
        attempt("F-AAAAAAAA", "X", "198.51.100.7, 203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip", flat=True)) == {"203.0.113.9"}
    assert "Too many attempts" in attempt(code, secret, "203.0.113.9").content.decode()
    assert attempt(code, secret, "203.0.113.10").status_code == 302


def test_staff_secret_reset_is_audited_and_ends_old_sessions(client, db, users):
    from django.test import Client as C

    from audit.models import AuditEvent
    from portal.models import PortalCase

    code, secret = new_case(client)
    family = C()
    assert open_case(family, code, secret).status_code == 302
    case = PortalCase.objects.get(code=code)
    staff = C()
    staff.force_login(users["intake"])
    url = reverse("portal:reset_secret", args=[case.pk])
    refused = staff.post(url, {"reason": "", "identity_checked": ""})
    assert refused.status_code == 200 and PortalCase.objects.get().secret_hash == case.secret_hash
    page = staff.post(url, {"reason": "Lost the paper", "identity_checked": "ID card seen"})
    new = re.search(r'id="reset-secret"[^>]*>([^<]+)<', page.content.decode()).group(1)
    assert new != secret
    assert family.get(reverse("portal:status")).status_code == 302  # old session closed
    assert "do not match" in open_case(C(), code, secret).content.decode()
    assert open_case(C(), code, new).status_code == 302
    event = AuditEvent.objects.get(action="reset_portal_secret")
    assert (event.username, event.object_id) == ("intake", code)
    assert event.detail == {"reason": "Lost the paper", "identity_checked": "ID card seen"}
    assert new not in str(event.detail)


def test_codes_and_secrets_avoid_look_alikes():
    for _ in range(200):
        text = services.new_code()[2:] + services.new_secret().replace("-", "")
        assert not set(text) & set("01BGILOQSUZ")


@pytest.mark.parametrize(
    "typed, first, last",
    [
        ("2013-05-21", "2013-05-21", None),
        ("2013-05", "2013-05-01", "2013-05-31"),
        ("2013", "2013-01-01", "2013-12-31"),
        ("05/2013", "2013-05-01", "2013-05-31"),
        ("٢٠١٢-٠٢", "2012-02-01", "2012-02-29"),
        ("21/05/2013", "2013-05-21", None),
    ],
)
def test_approximate_last_seen_dates(client, db, typed, first, last):
    response = submit(client, last_seen_date=typed)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = MissingPerson.objects.get().disappearances.get()
    assert (str(event.date_from), str(event.date_to) if event.date_to else None) == (first, last)


def test_contact_number_from_settings(client, db, settings):
    from portal.models import PortalCase

    settings.NASAB_CONTACT_PHONE = "+963 11 555 0101"
    new_case(client)
    PortalCase.objects.update(status_override="contact", override_reason="test")
    for lang in ("en", "ar"):
        client.post(reverse("set_language"), {"language": lang, "next": "/family/"})
        page = client.get(reverse("portal:status")).content.decode()
        main = page.split("<main>")[1]
        assert "+963 11 555 0101" in main.split("</main>")[0]  # beside "please contact us"
        assert "+963 11 555 0101" in page.split("<footer")[1]


class CountingHasher(PBKDF2PasswordHasher):
    """Counts the hashes it checks: the portal's constant-time rule is that every look-up,
    existing code or not, checks exactly one hash of the same cost (the timing itself is
    measured in benchmarks/portal_timing.py, not asserted here)."""

    checked: list[str] = []

    def verify(self, password, encoded):
        CountingHasher.checked.append(encoded.split("$", 2)[1])  # iterations
        return super().verify(password, encoded)


def test_wrong_code_and_wrong_secret_check_one_hash_of_the_same_cost(client, db, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    settings.NASAB_PORTAL_RATE = {"per_ip": 1000, "per_code": 1000, "window_s": 900}
    services._dummy_hash.clear()
    code, secret = new_case(client)
    CountingHasher.checked.clear()
    assert services.open_case(code, "NOPE", "10.0.0.9") is None
    wrong_secret = list(CountingHasher.checked)
    CountingHasher.checked.clear()
    assert services.open_case("F-NOCODE1", secret, "10.0.0.9") is None
    wrong_code = list(CountingHasher.checked)
    assert len(wrong_secret) == len(wrong_code) == 1  # the dummy hash is really checked
    assert wrong_secret == wrong_code  # same iterations: the same cost


def test_no_public_page_confirms_a_name(client, db):
    new_case(client)
    from django.test import Client

    stranger = Client()
    for url in (
        "/family/",
        "/family/report/",
        "/family/case/",
        "/family/?q=سامر",
        "/family/case/?name=Samer",
    ):
        page = stranger.get(url).content.decode()
        assert "سامر" not in page and "Samer" not in page
    # there is no search: searching by name is not a thing the portal does
    assert stranger.get("/family/search/?q=Samer").status_code == 404


def add_relative(client, name, relationship, sex="U"):
    return client.post(
        reverse("portal:relatives"), {"name_ar": name, "relationship": relationship, "sex": sex}
    )


def test_relatives_tree_and_estimate(client, db):
    new_case(client)  # the reporter (mother) is in the tree already
    page = client.get(reverse("portal:relatives")).content.decode()
    assert "<svg" in page and 'id="estimate"' in page and 'id="suggestions"' in page
    assert add_relative(client, "أحمد", "full_sibling", "M").status_code == 302
    assert add_relative(client, "مريم", "full_sibling", "F").status_code == 302
    page = client.get(reverse("portal:relatives")).content.decode()
    assert page.count("<rect") == 4 and "أحمد" in page
    assert "likely to be enough" in page


def test_relative_added_twice_refused(client, db):
    new_case(client)
    add_relative(client, "أحمد", "full_sibling", "M")
    response = add_relative(client, "أَحمد ", "full_sibling", "M")  # diacritic, space
    assert "This relative has already been added." in response.content.decode()
    response = add_relative(client, "سلمى", "mother", "F")  # the reporter is the mother
    assert "A mother is already in the family tree." in response.content.decode()
    assert Relative.objects.count() == 2


def test_sufficiency_estimate_ranks_close_relatives():
    one = sufficiency.assess(["uncle_aunt"])
    assert one.power is not None and not one.enough
    assert 0.0 <= one.power <= 1.0
    assert {s.relationship for s in one.suggestions} <= set(sufficiency.SUGGEST)
    assert all(0.0 <= s.power <= 1.0 for s in one.suggestions)
    full = sufficiency.assess(["father", "mother", "full_sibling"])
    assert full.enough and full.power >= one.power
    assert sufficiency.assess(["father", "mother", "full_sibling"]) == full  # cached per shape
    assert sufficiency.assess(["spouse"]).power is None


def test_sufficiency_estimate_rests_on_the_power_path():
    """The estimate is nasab power's P(LR >= 1e4) for the shape's simulated references."""
    import numpy as np

    from nasab.engine.genotypes import Family
    from nasab.engine.mutation import mutation_specs
    from nasab.engine.pedigree import Pedigree
    from nasab.power.analysis import PowerAnalysis
    from nasab.sim.synth import drop_genes

    shape = sufficiency.shape_of(["mother"])
    recs, typed = sufficiency._records(shape, True)
    ped = Pedigree.from_records(recs)
    table = sufficiency._table()
    muts = mutation_specs(sufficiency.MARKERS)
    rng = np.random.default_rng(sufficiency.SEED)
    want = 0.0
    for k in range(sufficiency.REFERENCE_SETS):
        genos = drop_genes(ped, table, sufficiency.MARKERS, rng, mutations=muts)
        fam = Family(ped, list(sufficiency.MARKERS), {p: genos[p] for p in typed})
        pa = PowerAnalysis(fam, "MP", table, muts, list(sufficiency.MARKERS))
        want += pa.power(sufficiency.DRAWS, sufficiency.SEED + k).p_exceed[1e4]
    assert sufficiency.power(shape, True) == want / sufficiency.REFERENCE_SETS


def test_antemortem_saved_and_continued_later(client, db):
    code, secret = new_case(client)
    client.post(reverse("portal:details"), {"height": "175 cm", "dental": "gold crown"})
    from django.test import Client

    later = Client()
    open_case(later, code, secret)
    page = later.get(reverse("portal:details")).content.decode()
    assert "175 cm" in page and "gold crown" in page


def test_language_direction_and_digits(client, db):
    page = client.get("/family/").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    client.post(reverse("set_language"), {"language": "ar", "next": "/family/"})
    code, _secret = new_case(client)
    page = client.get(reverse("portal:status")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "تم الاستلام" in page
    assert f'id="case-code" dir="ltr" lang="en" translate="no">{code}<' in page  # Latin, always
    year = str(timezone.now().year).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert year in page
    client.post(reverse("portal:digits"), {"digits": "latn", "next": "/family/case/status/"})
    page = client.get(reverse("portal:status")).content.decode()
    assert str(timezone.now().year) in page and not re.search("[٠-٩]", page.split("<main>")[1])
    page = client.get(reverse("portal:relatives")).content.decode()
    assert "من كل 100 (تقدير)" in page
    client.post(reverse("portal:digits"), {"digits": "arab", "next": "/family/"})
    page = client.get(reverse("portal:relatives")).content.decode()
    assert "من كل ١٠٠ (تقدير)" in page


def test_every_portal_page_under_100_kb_and_labelled(client, db):
    from django.test import Client

    sizes = {}
    for lang in ("en", "ar"):
        c = Client()
        c.post(reverse("set_language"), {"language": lang, "next": "/family/"})
        for url in ("/family/", "/family/report/", "/family/case/"):
            sizes[(lang, url)] = c.get(url)
        new_case(c, token=f"size-{lang}-" + "z" * 30)
        for i, rel in enumerate(("father", "full_sibling", "full_sibling", "child", "cousin")):
            add_relative(c, f"R{i}", rel, "M")
        for url in (
            "/family/report/done/",
            "/family/case/status/",
            "/family/case/relatives/",
            "/family/case/details/",
        ):
            sizes[(lang, url)] = c.get(url)
    for key, response in sizes.items():
        html = response.content.decode()
        assert response.status_code == 200, key
        assert len(response.content) < PAGE_LIMIT, (key, len(response.content))
        assert "<script" not in html
        # every visible input has a label tied to it
        for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            assert f'for="{input_id}"' in html, (key, input_id)


def test_mo_file_matches_po():
    """The committed compiled catalogue holds every translation of the .po file."""
    import gettext
    from pathlib import Path

    folder = Path(services.__file__).parent / "locale" / "ar" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    catalogue = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    entries = re.findall(r'\n(?:#[^\n]*\n)*msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', po)
    assert len(entries) > 50
    for raw_id, raw_str in entries:
        msgid = (
            "".join(re.findall(r'"(.*)"', raw_id))
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode()
        )
        msgstr = (
            "".join(re.findall(r'"(.*)"', raw_str))
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode()
        )
        if msgid:
            assert msgstr, f"no Arabic translation for {msgid!r}"
            assert catalogue.gettext(msgid) == msgstr, msgid


# --- staff: duplicates and PFIF --------------------------------------------------------


def test_duplicates_page_says_when_linkage_missing(client, users, monkeypatch):
    monkeypatch.setitem(sys.modules, "nasab.linkage.dedup", None)
    client.force_login(users["intake"])
    page = client.get(reverse("portal:duplicates")).content.decode()
    assert "Duplicate detection not installed" in page
    client.force_login(users["field"])
    assert client.get(reverse("portal:duplicates")).status_code == 403


@pytest.fixture
def fake_linkage(monkeypatch):
    """A stand-in for nasab.linkage (its own branch): proposes every pair of same given name."""
    dedup = types.ModuleType("nasab.linkage.dedup")

    class Pair(types.SimpleNamespace):
        pass

    def find_duplicates(reports, threshold=0.5):
        out = []
        for i, a in enumerate(reports):
            for b in reports[i + 1 :]:
                if a["given_name"] == b["given_name"]:
                    out.append(
                        Pair(
                            report_a=a["report_id"],
                            report_b=b["report_id"],
                            score=0.97,
                            match_weight=10.0,
                            reasons=("given name: exact",),
                            reasons_ar=("الاسم: مطابق",),
                        )
                    )
        return out

    dedup.find_duplicates = find_duplicates
    pfif = types.ModuleType("nasab.linkage.pfif")

    class PFIFError(ValueError):
        pass

    def parse_pfif(data, source=""):
        if b"<pfif:pfif" not in data:
            raise PFIFError(f"{source}: line 1: not a PFIF 1.4 document")
        return [
            {
                "report_id": "x1",
                "given_name": "Samer",
                "family_name": "Najjar",
                "sex": "M",
                "birth_year": "1990",
                "author_name": "NGO",
                "governorate": "hama",
                "disappearance_date": "2013-05-21",
                "disappearance_place": "Hama",
                "reporter_relation": "mother",
            }
        ]

    pfif.PFIFError, pfif.parse_pfif = PFIFError, parse_pfif
    monkeypatch.setitem(sys.modules, "nasab.linkage.dedup", dedup)
    monkeypatch.setitem(sys.modules, "nasab.linkage.pfif", pfif)
    return dedup


def test_merge_reject_and_undo(client, users, fake_linkage):
    from django.test import Client

    family_a, family_b = Client(), Client()
    code_a, _ = new_case(family_a, token="a" * 30)
    add_relative(family_a, "أحمد", "full_sibling", "M")
    code_b, secret_b = new_case(
        family_b, token="b" * 30, relationship="father", reporter_name="ماهر"
    )
    a = PortalCase.objects.get(code=code_a).report.person
    b = PortalCase.objects.get(code=code_b).report.person
    client.force_login(users["intake"])
    page = client.get(reverse("portal:duplicates")).content.decode()
    assert "given name: exact" in page and "0.970" in page
    client.post(
        reverse("portal:duplicates"),
        {
            "person_a": a.pk,
            "person_b": b.pk,
            "score": "0.97",
            "decision": "merge",
            "reason": "same person, same date and place",
        },
    )
    merge = DuplicateDecision.objects.get(decision=Decision.MERGE)
    assert merge.decided_by == users["intake"] and merge.reasons == ["given name: exact"]
    assert a.reports.count() == 2 and b.reports.count() == 0  # every reporter kept
    assert sorted(a.relatives.values_list("claimed_relationship", flat=True)) == [
        "father",
        "full_sibling",
        "mother",
    ]  # the trees are joined
    assert "given name: exact" not in client.get(reverse("portal:duplicates")).content.decode()
    # the second family still sees its status after the merge
    assert open_case(Client(), code_b, secret_b).status_code == 302
    client.post(reverse("portal:undo_merge", args=[merge.pk]), {"reason": "different mothers"})
    assert a.reports.count() == 1 and b.reports.count() == 1
    assert b.relatives.get().claimed_relationship == "father"
    undo = DuplicateDecision.objects.get(decision=Decision.UNDO)
    assert undo.undoes == merge and undo.reason == "different mothers"
    client.post(
        reverse("portal:duplicates"),
        {"person_a": a.pk, "person_b": b.pk, "decision": "reject", "reason": "siblings"},
    )
    assert DuplicateDecision.objects.filter(decision=Decision.REJECT).count() == 1
    assert "given name: exact" not in client.get(reverse("portal:duplicates")).content.decode()
    # a decision without a reason is refused
    client.post(
        reverse("portal:duplicates"),
        {"person_a": a.pk, "person_b": b.pk, "decision": "merge", "reason": ""},
    )
    assert DuplicateDecision.objects.count() == 3


def test_pfif_upload(client, users, fake_linkage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["intake"])
    bad = SimpleUploadedFile("broken.xml", b"<html>not pfif")
    page = client.post(reverse("portal:pfif"), {"file": bad}).content.decode()
    assert "The file was not imported: broken.xml: line 1: not a PFIF 1.4 document" in page
    assert not MissingPerson.objects.exists()
    good = SimpleUploadedFile("ok.xml", b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"/>')
    page = client.post(reverse("portal:pfif"), {"file": good}).content.decode()
    assert "Reports imported: 1." in page
    person = MissingPerson.objects.get()
    assert person.name_latin == "Samer Najjar" and person.governorate == "hama"
    assert person.disappearances.get().date_from == datetime.date(2013, 5, 21)
    assert person.reports.get().relationship == "mother"
    again = SimpleUploadedFile("ok.xml", b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"/>')
    page = client.post(reverse("portal:pfif"), {"file": again}).content.decode()
    assert (
        "Records already imported before, nothing added for them: 1." in page
        and "Reports imported" not in page
    )
    assert MissingPerson.objects.count() == 1 and Report.objects.count() == 1


def test_duplicates_reasons_in_arabic_on_the_arabic_page(client, users, fake_linkage):
    from django.test import Client

    new_case(Client(), token="a" * 30)
    new_case(Client(), token="b" * 30, relationship="father", reporter_name="ماهر")
    client.force_login(users["intake"])
    page = client.get(reverse("portal:duplicates")).content.decode()
    assert "given name: exact" in page and "الاسم: مطابق" not in page
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = client.get(reverse("portal:duplicates")).content.decode()
    assert "<li>الاسم: مطابق</li>" in page
    assert "given name: exact" not in page


def test_duplicates_page_lists_pairs_a_person_must_decide(client, users):
    """A kunya record with no birth year and two brothers: not proposed, listed under
    "Pairs a person must decide" with why (Arabic on the Arabic page)."""
    pytest.importorskip("splink")
    base = {
        "father_name": "Ahmad",
        "grandfather_name": "Mohammad",
        "family_name": "al-Hamwi",
        "sex": "M",
        "governorate": "hama",
        "created_by": users["intake"],
    }
    MissingPerson.objects.create(
        name_ar="", name_latin="Omar Ahmad", given_name="Omar", birth_year=1970, **base
    )
    MissingPerson.objects.create(
        name_ar="", name_latin="Rami Ahmad", given_name="Rami", birth_year=1975, **base
    )
    MissingPerson.objects.create(
        name_ar="", name_latin="Abu Khaled", given_name="Abu Khaled", **base
    )
    client.force_login(users["intake"])
    page = client.get(reverse("portal:duplicates")).content.decode()
    assert "Pairs a person must decide" in page
    assert "Abu Khaled" in page.split('id="undecided"')[1]
    assert "it fits any son of this father" in page
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = client.get(reverse("portal:duplicates")).content.decode()
    assert "يصلح لأي ابن لهذا الأب" in page


FULL_NAME_ONLY = """<?xml version="1.0" encoding="UTF-8"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
  <pfif:person>
    <pfif:person_record_id>example.org/p.7</pfif:person_record_id>
    <pfif:full_name>Mhd. Sami Ahmad Khaled al-Najjar</pfif:full_name>
    <pfif:sex>male</pfif:sex>
  </pfif:person>
</pfif:pfif>
"""


def test_pfif_full_name_only_read_as_a_name_chain(client, users):
    """A PFIF record with only a full name: the registry's boxes come from the matcher's
    name-chain reading (compound given name, father, grandfather, family), not first and
    last word."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pytest.importorskip("splink")
    client.force_login(users["intake"])
    up = SimpleUploadedFile("full.xml", FULL_NAME_ONLY.encode())
    assert (
        "Reports imported: 1." in client.post(reverse("portal:pfif"), {"file": up}).content.decode()
    )
    person = MissingPerson.objects.get()
    assert person.name_latin == "Mhd. Sami Ahmad Khaled al-Najjar"
    assert (person.given_name, person.father_name, person.grandfather_name) == (
        "Mhd Sami",
        "Ahmad",
        "Khaled",
    )
    assert person.family_name == "al Najjar"


@pytest.mark.parametrize("written", ["2013/4/3", "٢٠١٣-٠٤-٠٣"])
def test_pfif_date_written_year_first_is_kept(client, users, written):
    """A date of disappearance the PFIF reader accepts (year first, with / or in Arabic
    digits) is stored, read by the same reader (before, the upload read only ISO dates
    and dropped the others without a word)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pytest.importorskip("splink")
    client.force_login(users["intake"])
    xml = FULL_NAME_ONLY.replace(
        "<pfif:sex>male</pfif:sex>",
        "<pfif:sex>male</pfif:sex>\n    <pfif:date_of_birth>1980</pfif:date_of_birth>\n"
        f"    <pfif:description>Date of disappearance: {written}</pfif:description>",
    )
    up = SimpleUploadedFile("dated.xml", xml.encode())
    page = client.post(reverse("portal:pfif"), {"file": up}).content.decode()
    assert "Reports imported: 1." in page
    person = MissingPerson.objects.get()
    assert person.birth_year == 1980
    assert person.disappearances.get().date_from == datetime.date(2013, 4, 3)


sent: list[tuple[str, str]] = []


class RecordingNotifier:
    def send(self, contact, message):
        sent.append((contact, message))


def test_code_sent_through_pluggable_backend_never_the_secret(client, db, settings):
    settings.NASAB_PORTAL_NOTIFIER = f"{__name__}.RecordingNotifier"
    sent.clear()
    code, secret = new_case(client, notify="on")
    assert sent == [("+963 900 000 000", f"Your report was received. Case code: {code}")]
    assert secret not in sent[0][1]
    new_case(client, token="n" * 30)  # not asked for: nothing sent
    assert len(sent) == 1


def test_relatives_page_computes_the_estimate_once(client, db):
    """The estimate is cached per shape (page speed is measured in benchmarks/power.py)."""
    new_case(client)
    for i, rel in enumerate(("father", "full_sibling", "uncle_aunt")):
        add_relative(client, f"R{i}", rel, "M")
    client.get(reverse("portal:relatives"))  # the estimate for this shape is computed once
    misses = sufficiency.power.cache_info().misses
    assert client.get(reverse("portal:relatives")).status_code == 200
    assert sufficiency.power.cache_info().misses == misses


def test_intake_officer_sets_the_state_the_family_sees(client, users):
    from django.test import Client

    family = Client()
    code, secret = new_case(family)
    case = PortalCase.objects.get(code=code)
    client.force_login(users["intake"])
    page = client.get(reverse("portal:cases")).content.decode()
    assert code in page and case.report.person.case_number in page
    client.post(
        reverse("portal:cases"), {"case": case.pk, "status": "contact"}
    )  # no reason: refused
    case.refresh_from_db()
    assert case.status_override == ""
    client.post(
        reverse("portal:cases"),
        {"case": case.pk, "status": "contact", "reason": "Family asked to be called back"},
    )
    later = Client()
    open_case(later, code, secret)
    assert "Please contact us" in later.get(reverse("portal:status")).content.decode()
    client.force_login(users["lab"])
    assert client.get(reverse("portal:cases")).status_code == 403


@hypothesis_settings(deadline=None)  # no timing in tests
@given(st.integers(min_value=0, max_value=20_000), st.sampled_from(["day", "month", "year"]))
def test_approximate_date_range_holds_the_day(days_ago, precision):
    from nasab_site.validators import latest_today
    from portal.forms import ApproximateDateField

    day = latest_today() - datetime.timedelta(days=days_ago)
    text = {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "year": str(day.year)}
    first, last = ApproximateDateField().clean(text[precision])
    assert first <= day <= last <= latest_today()
    if precision == "day":
        assert first == last == day
    assert first.year == last.year == day.year


@hypothesis_settings(deadline=None)  # no timing in tests
@given(st.integers(min_value=1, max_value=300_000))
def test_future_dates_refused_at_any_precision(days_ahead):
    from django import forms as dj_forms

    from nasab_site.validators import latest_today
    from portal.forms import ApproximateDateField

    day = latest_today() + datetime.timedelta(days=days_ahead)
    with pytest.raises(dj_forms.ValidationError):
        ApproximateDateField().clean(day.isoformat())


def test_today_in_damascus_is_not_the_future_on_a_server_in_utc():
    """00:30 in Damascus (UTC+3) is still yesterday in UTC: the family's today is accepted."""
    from unittest import mock

    from django import forms as dj_forms
    from django.utils import timezone

    from portal.forms import ApproximateDateField

    utc_now = datetime.datetime(2026, 12, 4, 21, 30, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=utc_now):
        first, last = ApproximateDateField().clean("2026-12-05")
        assert first == last == datetime.date(2026, 12, 5)
        with pytest.raises(dj_forms.ValidationError) as refused:
            ApproximateDateField().clean("2026-12-07")
        assert refused.value.code == "future"
