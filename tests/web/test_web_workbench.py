"""The review workbench (issue 16): work queues per role, the review page, two-person
exclusion, the family's portal state derived from the records, Arabic staff pages, the
grave-site plot."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from audit.models import AuditEvent
from identification import services
from identification.models import FamilyNotification, MatchCandidate
from portal import services as portal
from portal.models import PortalCase
from registry.models import Report

MARKERS = {"TH01": 0.8, "D3S1358": 1.2, "vWA": -0.3}


@pytest.fixture
def candidate(typed_family, sample):
    return MatchCandidate.objects.create(
        remains=sample.remains,
        person=typed_family["person"],
        likelihood_ratio=10**1.7,
        prior=0.02,
        posterior=0.7,
        engine_version="0.1.0",
        frequency_table="synthetic",
        frequency_table_version="1",
        marker_log10_lrs=MARKERS,
        samples_used=[sample.barcode, "D-father", "D-mother"],
        prior_justification="Uniform over the 50 missing persons registered when the search ran: 1/50.",
    )


@pytest.fixture
def ident(candidate):
    return services.identification_for(candidate)


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", html, flags=re.S)
    main = re.search(r"<main>(.*)</main>", html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


# --- two people for an exclusion, as for a confirmation ------------------------------------


def test_exclusion_needs_two_people(ident, users):
    services.decide(ident, "to_exclude", users["lab"], "Three markers inconsistent")
    ident.refresh_from_db()
    assert ident.status == "to_exclude" and ident.exclusion_proposed_by == users["lab"]
    assert services.available_to(users["lab"], ident) == []  # the proposer cannot decide
    with pytest.raises(services.DecisionRefused):
        services.decide(ident, "excluded", users["lab"], "I am sure")
    done = services.decide(
        ident, "excluded", users["board"], "Agreed: inconsistent at three markers"
    )
    assert (done.status, done.exclusion_proposed_by, done.excluded_by) == (
        "excluded",
        users["lab"],
        users["board"],
    )


def test_a_reviewer_cannot_agree_to_their_own_exclusion(ident, users):
    services.decide(ident, "to_exclude", users["reviewer"], "Anthropology inconsistent")
    ident.refresh_from_db()
    assert services.available_to(users["reviewer"], ident) == []
    with pytest.raises(services.DecisionRefused, match="needs a second person"):
        services.decide(ident, "excluded", users["reviewer"], "Still inconsistent")


def test_a_refused_exclusion_goes_back(ident, users):
    services.decide(ident, "preliminary", users["lab"], "LR above threshold")
    services.decide(ident, "to_exclude", users["lab2"], "Doubt about the sample")
    ident.refresh_from_db()
    assert [s.value for s in services.available_to(users["board"], ident)] == [
        "preliminary",
        "excluded",
    ]
    back = services.decide(ident, "preliminary", users["board"], "Sample re-checked: fine")
    assert (
        back.status == "preliminary"
        and back.analyst == users["lab"]
        and back.exclusion_proposed_by is None
    )


def test_database_refuses_a_one_person_exclusion(ident, users):
    from django.db import IntegrityError, transaction

    from identification.models import Identification

    with pytest.raises(IntegrityError), transaction.atomic():
        Identification.objects.filter(pk=ident.pk).update(
            status="excluded", exclusion_proposed_by=users["lab"], excluded_by=users["lab"]
        )


# --- the review page -----------------------------------------------------------------------


def test_review_page_shows_the_evidence_and_preselects_nothing(client, candidate, users):
    client.force_login(users["lab"])
    response = client.get(reverse("identification:candidate_detail", args=[candidate.pk]))
    html = response.content.decode()
    for marker in MARKERS:
        assert f"<bdi>{marker}</bdi>" in html
    assert 'class="against"' in html  # vWA counts against
    assert "Uniform over the 50 missing persons" in html
    # the pedigree drawn with named members, not internal ids
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "Father" in svg and "Mother" in svg and ">R" not in svg and ">MP<" not in svg
    # the samples compared with their custody
    custody = re.search(r'id="custody".*?</section>', html, re.S).group(0)
    assert "GS-T01-R001-S1" in custody and "D-father" in custody and "intact" in custody
    # no decision chosen for the user
    options = re.search(r'<select id="id_to_status".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="" selected disabled>', options)
    assert options.count("selected") == 1
    refused = client.post(reverse("identification:decide", args=[candidate.pk]), {"reason": "x"})
    assert refused.status_code == 400 and "none is chosen for you" in refused.content.decode()


def test_alternatives_shown_only_when_stored(client, candidate, users):
    client.force_login(users["reviewer"])
    html = client.get(
        reverse("identification:candidate_detail", args=[candidate.pk])
    ).content.decode()
    assert 'id="alternatives"' not in html


# --- dashboards ----------------------------------------------------------------------------


def test_each_role_sees_its_queue(client, candidate, users, remains):
    from custody import services as custody
    from lab.models import DNAProfile
    from nasab_site.append_only import correction_in_progress

    custody.record(
        object_id=remains.code,
        action="transferred",
        actor=users["field"],
        place="Site",
        recipient="lab",
    )
    with correction_in_progress():  # arrange: a profile still waiting for its quality check
        DNAProfile.objects.filter(sample__barcode="D-father").update(quality_status="pending")
    expected = {
        "field": ("queue-receive", remains.code),
        "lab": ("queue-profiles", "D-father"),
        "lab2": ("queue-undecided", candidate.remains.code),
        "intake": ("queue-references", candidate.person.case_number),
    }
    from identification import estimates

    estimates.fill_pending(limit=5)  # what the matching worker does when idle
    for username, (queue, item) in expected.items():
        client.force_login(users[username])
        html = client.get(reverse("dashboard")).content.decode()
        section = re.search(rf'id="{queue}".*?</section>', html, re.S)
        assert section and item in section.group(0), (username, html)
    services.decide(services.identification_for(candidate), "preliminary", users["lab"], "LR")
    client.force_login(users["reviewer"])
    html = client.get(reverse("dashboard")).content.decode()
    assert candidate.remains.code in re.search(r'id="queue-decide".*?</section>', html, re.S).group(
        0
    )


def test_family_references_from_the_power_module(typed_family):
    from identification import references

    result = references.assess(typed_family["person"])
    assert result.typed == 2 and result.power is not None and 0 <= result.power <= 1
    # three markers from two parents are far from enough: the engine says whom to ask
    assert not result.enough and result.suggestions
    assert references.assess(typed_family["person"]).power == result.power  # same seed


# --- the family's state follows the records ------------------------------------------------


def _open_portal_case(client, case):
    """The session the portal opens after a right code and secret."""
    from portal.views import SESSION_CASE, SESSION_STAMP

    session = client.session
    session[SESSION_CASE] = case.pk
    session[SESSION_STAMP] = portal.session_stamp(case)
    session.save()


@pytest.fixture
def portal_case(typed_family):
    report = Report.objects.create(
        person=typed_family["person"], reporter_name="Mother", relationship="mother"
    )
    return PortalCase.objects.create(
        code="F-TEST2345", secret_hash=make_password("x"), report=report, submission_token="t" * 24
    )


def test_portal_state_follows_identification_and_notification(
    portal_case, ident, users, typed_family, settings
):
    settings.NASAB_CONTACT_PHONE = "+963 11 555 0100"
    assert portal.family_status(portal_case).status == "in_progress"  # relatives gave samples
    services.decide(ident, "preliminary", users["lab"], "LR")
    assert (
        portal.family_status(portal_case).status == "in_progress"
    )  # not told before it is confirmed
    services.decide(ident, "confirmed", users["reviewer"], "Reviewed")
    assert portal.family_status(portal_case).status == "contact"
    FamilyNotification.objects.create(
        identification=ident,
        relative=typed_family["mother"],
        method="in_person",
        notified_by=users["intake"],
    )
    state = portal.family_status(portal_case)
    assert state.status == "informed" and not state.overridden


def test_contact_state_gives_the_number(client, portal_case, ident, users, settings):
    settings.NASAB_CONTACT_PHONE = "+963 11 555 0100"
    services.decide(ident, "preliminary", users["lab"], "LR")
    services.decide(ident, "confirmed", users["reviewer"], "Reviewed")
    _open_portal_case(client, portal_case)
    html = client.get(reverse("portal:status")).content.decode()
    assert (
        "Please contact us" in html
        and "+963 11 555 0100" in html
        and 'href="tel:+963115550100"' in html
    )


def test_demonstration_number_said_in_the_readers_language(client, portal_case, settings):
    """The default number is called a demonstration number in the page's language; a
    configured number is given as it is."""
    from portal.context_processors import DEMO_PHONE

    settings.NASAB_CONTACT_PHONE = DEMO_PHONE
    _open_portal_case(client, portal_case)
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("portal:status")).content.decode()
    assert "(رقم للعرض التوضيحي)" in html and "demonstration" not in html
    client.cookies["django_language"] = "en"
    assert "(demonstration number)" in client.get(reverse("portal:status")).content.decode()
    settings.NASAB_CONTACT_PHONE = "+963 11 555 0100"
    html = client.get(reverse("portal:status")).content.decode()
    assert "+963 11 555 0100" in html and "demonstration number" not in html


def test_staff_override_needs_a_reason_and_is_audited(portal_case, users):
    with pytest.raises(portal.PortalError):
        portal.override_status(portal_case, "contact", "  ", users["intake"])
    portal.override_status(portal_case, "contact", "Family asked for a call", users["intake"])
    state = portal.family_status(PortalCase.objects.get(pk=portal_case.pk))
    assert (state.status, state.derived, state.overridden) == ("contact", "in_progress", True)
    event = AuditEvent.objects.get(action="portal_status")
    assert event.username == "intake" and event.detail["reason"] == "Family asked for a call"
    portal.override_status(portal_case, "", "Back to the records", users["intake"])
    assert not portal.family_status(PortalCase.objects.get(pk=portal_case.pk)).overridden


# --- Arabic staff pages, grave-site plot ---------------------------------------------------

LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def test_arabic_staff_pages_are_rtl_and_arabic(client, candidate, users, site, sample):
    from lab.models import DNAProfile
    from registry.models import MissingPerson

    person = MissingPerson.objects.get()
    profile = DNAProfile.objects.get(sample=sample)
    allowed = (
        {
            "PDF",
            "English",
            "log10",
            "synthetic",
            "tel",
            "Samer",
            "Maher",
            "Ali",
            "Najjar",
            "Father",
            "Mother",
            "father",
            "mother",
            "SEAL",
            "Test",
            "site",
            "PFIF",
            "UTC",
            "SHA",
            # marker classes, written as such in Arabic forensic texts too
            "SNP",
            "STR",
        }
        | {"femur", "Trench", "bone"}
        | set(MARKERS)
        | {u for u in users}
    )
    allowed |= set(LATIN_WORD.findall(MissingPerson.objects.get().name_latin))
    client.cookies["django_language"] = "ar"
    pages = {
        "board": [
            reverse("dashboard"),
            reverse("identification:candidate_list"),
            reverse("identification:candidate_detail", args=[candidate.pk]),
            reverse("fieldwork:site_list"),
            reverse("fieldwork:site_detail", args=[site.code]),
            reverse("identification:notification_list"),
        ],
        "intake": [
            reverse("dashboard"),
            reverse("portal:cases"),
            reverse("registry:person_list"),
            reverse("registry:person_detail", args=[person.case_number]),
            reverse("registry:record_add", args=[person.case_number, "relative"]),
        ],
        "field": [
            reverse("dashboard"),
            reverse("fieldwork:remains_detail", args=[sample.remains.code]),
            reverse("fieldwork:reference_list"),
            reverse("custody:log", args=[sample.barcode]),
            reverse("fieldwork:remains_create", args=[site.code]),
            reverse("fieldwork:sample_create", args=[sample.remains.code]),
        ],
        "lab": [
            reverse("dashboard"),
            reverse("lab:profile_list"),
            reverse("lab:profile_detail", args=[profile.pk]),
        ],
    }
    for username, urls in pages.items():
        client.force_login(users[username])
        for url in urls:
            response = client.get(url)
            html = response.content.decode()
            assert '<html lang="ar" dir="rtl">' in html, url
            words = set(LATIN_WORD.findall(text_of(response))) - allowed
            assert not words, (url, words)


DATA_ELEMENT = re.compile(r'<(\w+)\b[^>]*\btranslate="no"[^>]*>.*?</\1>', re.S)


def arabic_text_of(response) -> str:
    """The page's text without the elements marked as data (``translate="no"``: commands,
    stored technical reports, the audit record's JSON)."""
    html = DATA_ELEMENT.sub(" ", response.content.decode())
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", html, flags=re.S)
    main = re.search(r"<main>(.*)</main>", html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


ALLOWED_LATIN = {
    "PDF",
    "SHA",
    "UTC",
    "PFIF",
    "XML",
    "TSV",
    "TOTP",
    "QR",
    "Familias",
    "nasab",
    "AABB",
}
ALLOWED_LATIN |= {"barcode", "NIST"}  # the import file's column header; the table's name
# the SNP upload: marker classes, panel and file-format names
ALLOWED_LATIN |= {"SNP", "STR", "VCF", "FORCE", "XFORCE", "freqs", "tsv"}


def test_arabic_staff_pages_log_in_to_admin(client, users, sample, settings):
    """The pages issue 16 left English-only: log-in and second factor, search and settings,
    lab import/export, custody verify/export, audit, duplicates and PFIF, the error pages:
    right to left in Arabic, nothing in English but data; the admin switches language and
    its header is ours."""
    from django.contrib.auth.models import User

    from audit.models import AuditEvent
    from identification.programme import active_settings

    active_settings()  # the bundled tables and the settings in force, as on first use
    client.cookies["django_language"] = "ar"

    def check(url, method="get", data=None, status=None):
        response = getattr(client, method)(url, data or {})
        if status is not None:
            assert response.status_code == status, (url, response.status_code)
        html = response.content.decode()
        assert 'lang="ar" dir="rtl"' in html, url
        words = set(LATIN_WORD.findall(arabic_text_of(response)))
        words -= ALLOWED_LATIN | set(users) | {sample.barcode}
        assert not words, (url, words)
        return html

    check(reverse("login"))
    check("/no-such-page/", status=404)
    for _ in range(6):  # a locked-out log-in
        client.post(reverse("login"), {"username": "lab", "password": "wrong"})
    check(reverse("login"), "post", {"username": "lab", "password": "wrong"})
    from axes.utils import reset

    reset()

    settings.NASAB_REQUIRE_SECOND_FACTOR = True
    client.force_login(users["reviewer"])
    html = check(reverse("second_factor"))
    assert 'id="totp-secret"' in html
    settings.NASAB_REQUIRE_SECOND_FACTOR = False

    client.force_login(users["lab"])
    for name in ("identification:search", "identification:programme_settings"):
        check(reverse(name))
    check(reverse("lab:profile_import"))
    check(reverse("lab:profile_export"))
    check(reverse("custody:verify"))
    html = check(reverse("custody:verify"), "post")
    assert 'id="verdict"' in html
    client.force_login(users["reviewer"])
    check(reverse("custody:export"))
    client.force_login(users["intake"])
    check(reverse("portal:duplicates"))
    check(reverse("portal:pfif"))
    client.force_login(users["admin"])
    html = check(reverse("audit:list"))
    assert AuditEvent.objects.exists() and "<time datetime=" in html

    root = User.objects.create_superuser("root", password="a long test password 1")
    client.force_login(root)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'dir="rtl"' in html and "سجل نَسَب: الإدارة" in html and ">English</button>" in html
    # the models' names (their Meta, gettext_lazy) in Arabic, none left in English
    for name in ("الأشخاص المفقودون", "مواقع المقابر", "قيود الحيازة", "أحداث التدقيق"):
        assert name in html, name
    for name in ("Missing persons", "Grave sites", "Custody entries", "Audit events"):
        assert name not in html, name
    client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:index")})
    html = client.get(reverse("admin:index")).content.decode()
    assert 'dir="ltr"' in html and "nasab registry: administration" in html
    assert "Missing persons" in html and "Grave sites" in html
    assert ">العربية</button>" in html


def test_log_dates_one_format_per_language(client, users, sample):
    """Custody and audit logs: `3 Dec 2026, 14:05 UTC` (or the Arabic equivalent), the exact
    ISO timestamp kept in the element's datetime and title."""
    import datetime

    from django.utils import translation

    from accounts.templatetags.staff import log_time

    when = datetime.datetime(2026, 12, 3, 14, 5, 7, 123456, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert log_time(when) == (
            '<time datetime="2026-12-03T14:05:07.123456+00:00" '
            'title="2026-12-03T14:05:07.123456+00:00">3 Dec 2026, 14:05 UTC</time>'
        )
    with translation.override("ar"):
        assert ">3 ديسمبر 2026، 14:05 بالتوقيت العالمي</time>" in log_time(when)
    client.force_login(users["field"])
    html = client.get(reverse("custody:log", args=[sample.barcode])).content.decode()
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[\d:.]+\+00:00" title=', html)
    assert re.search(r">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC</time>", html)


def test_site_page_draws_sites_and_remains(client, site, remains, users):
    site.latitude, site.longitude = 35.1, 36.7
    site.save()
    remains.east_m, remains.north_m = 3.5, 7.25
    remains.save()
    client.force_login(users["field"])
    html = client.get(reverse("fieldwork:site_detail", args=[site.code])).content.decode()
    site_map = re.search(r'id="site-map".*?</figure>', html, re.S).group(0)
    assert (
        "<svg" in site_map
        and site.code in site_map
        and "http" not in site_map.replace("http://www.w3.org/2000/svg", "")
    )
    plot = re.search(r'id="remains-plot".*?</figure>', html, re.S).group(0)
    assert remains.label_at_discovery in plot and "3.5 E, 7.25 N (m)" in plot
    assert "3.50 m east, 7.25 m north" in html
    assert " style=" not in html.split("<main>")[1]


def test_staff_catalogue_compiled_and_complete():
    """The committed .mo holds every translation of the staff .po, and every staff string
    has its Arabic (web/locale/fill.py keeps them in step)."""
    import gettext
    from pathlib import Path

    import nasab_site

    folder = Path(nasab_site.__file__).parent.parent / "locale" / "ar" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    catalogue = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    portal_po = (
        Path(portal.__file__).parent / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    ).read_text(encoding="utf-8")

    def entries(text):
        found = re.findall(
            r'\n(?:#[^\n]*\n)*(?:msgctxt "([^\n]*)"\n)?msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)',
            text,
        )
        return {
            (c, "".join(re.findall(r'"(.*)"', i))): "".join(re.findall(r'"(.*)"', s))
            for c, i, s in found
        }

    staff, family = entries(po), entries(portal_po)
    assert len(staff) > 300
    for (context, msgid), msgstr in staff.items():
        if not msgid:
            continue
        assert msgstr or family.get((context, msgid)), f"no Arabic for {msgid!r}"
        if msgstr and "\\" not in msgid:
            found = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
            assert found == msgstr.replace('\\"', '"'), msgid


def test_alternatives_and_joint_context_when_stored(candidate):
    """What issue 15's matching stores on a candidate is shown as stored (nothing made up)."""
    from identification import workbench

    candidate.alternative_log10_lrs = {"full sibling": 3.2, "father": -1.5}
    candidate.joint_context = {"assignment": "R1 = MP-1, R2 = MP-2", "conclusion": "undisputed"}
    extras = workbench.joint_and_alternatives(candidate)
    assert [(str(a["relation"]), a["log10_lr"]) for a in extras["alternatives"]] == [
        ("full sibling", 3.2),
        ("the missing person's father", -1.5),
    ]
    assert extras["joint"]["conclusion"] == "undisputed"
    assert workbench.joint_and_alternatives(MatchCandidate()) == {}


def test_alternatives_and_joint_context_as_matching_stores_them(candidate):
    """identification.alternatives stores {"alternatives": [...]} and identification.joint
    one entry per scope: both read as stored, with infinite and noted rows kept."""
    from identification import workbench

    candidate.alternatives = {
        "hypotheses": "H1/H2",
        "log10_lr_missing_vs_unrelated": 7.0,
        "alternatives": [
            {"relation": "full_brother", "label": "a full brother", "log10_lr": 2.5, "lr": 316.2},
            {
                "relation": "father",
                "label": "father",
                "note": "this relative is a typed donor: their own profile decides",
            },
            {"relation": "son", "label": "son", "log10_lr": "inf", "lr": "inf"},
            {"relation": "other_missing", "case_number": "MP-000009", "log10_lr": -1.0},
        ],
    }
    candidate.joint_context = {
        "family": {
            "analysis": 3,
            "conclusion": "Undisputed",
            "in_best_assignment": True,
            "posterior_in_top_assignments": 0.998,
            "symmetric": [],
        }
    }
    extras = workbench.joint_and_alternatives(candidate)
    rows = extras["alternatives"]
    assert [str(r["relation"]) for r in rows] == [
        "a full brother of the missing person",
        "the missing person's father",
        "a son of the missing person",
        "another missing member of this family (MP-000009)",
    ]
    assert (
        rows[0]["log10_lr"] == 2.5
        and rows[1]["note"]
        and rows[2]["lr"] == "∞"
        and rows[3]["lr"] == "0.1"
    )
    assert extras["joint"] == {
        "family: conclusion": "Undisputed",
        "family: share of the top assignments": "0.9980",
        "family: in the best assignment": "yes",
    }


def test_family_sees_the_engine_estimate_once_samples_are_analysed(
    client, portal_case, typed_family
):
    """With analysed references the portal's estimate and whom to ask next come from
    nasab.power on the family's own profiles (identification.references), as the matching
    worker stored them, with their date; before that the page says it is being computed."""
    from identification import estimates, references

    expected = references.assess(typed_family["person"])
    _open_portal_case(client, portal_case)
    html = client.get(reverse("portal:relatives")).content.decode()
    assert 'id="estimate-computing"' in html and 'id="estimate-source"' not in html
    assert estimates.fill_pending() == 1  # the worker
    html = client.get(reverse("portal:relatives")).content.decode()
    assert 'id="estimate-source"' in html and f"about {expected.percent} cases out of 100" in html
    assert expected.suggestions[0].who in html
    assert 'id="estimate-date"' in html and 'id="estimate-computing"' not in html
    status = client.get(reverse("portal:status")).content.decode()
    assert f"about {expected.percent} cases out of 100" in status and "estimate-date" in status


@pytest.mark.parametrize(
    "note",
    [
        "R7: second father ignored",
        "children left out: the missing person's sex is not recorded",
        "R3 Ali (Father): left out, sex not recorded",
        "R9: not linked to the pedigree (record father/mother links to use it)",
    ],
)
def test_arabic_report_translates_pedigree_notes(note):
    from identification import report

    arabic = report.note_label(note, "ar")
    assert arabic != note and not re.search(r"\b(ignored|left|sex|linked|children)\b", arabic)
    assert report.note_label(note, "en") == note


def test_power_estimates_are_computed_by_the_worker_never_in_a_request(
    client, typed_family, users, monkeypatch
):
    """The intake dashboard and the family's pages show the stored nasab.power estimate and
    its date; a changed profile queues a recomputation ("being computed" meanwhile, the last
    estimate still shown); only the matching worker's idle step computes."""
    from identification import estimates, references
    from identification.models import FamilyEstimate
    from lab.models import DNAProfile

    compute = references.compute
    calls = []

    def forbidden(*args, **kwargs):
        raise AssertionError("a power estimate computed inside a request")

    monkeypatch.setattr(references, "compute", forbidden)
    client.force_login(users["intake"])
    html = client.get(reverse("dashboard")).content.decode()
    section = re.search(r'id="queue-references".*?</section>', html, re.S).group(0)
    assert "being computed by the matching worker" in section
    assert FamilyEstimate.objects.get().requested_at is not None  # queued by the page

    def counted(*args, **kwargs):
        calls.append(args[0].case_number)
        return compute(*args, **kwargs)

    monkeypatch.setattr(references, "compute", counted)
    assert estimates.fill_pending(limit=5) == 1 and len(calls) == 1
    assert estimates.fill_pending(limit=5) == 0  # up to date: nothing computed again
    stored = FamilyEstimate.objects.get()
    assert stored.requested_at is None and stored.computed_at and stored.power is not None

    monkeypatch.setattr(references, "compute", forbidden)
    html = client.get(reverse("dashboard")).content.decode()
    section = re.search(r'id="queue-references".*?</section>', html, re.S).group(0)
    person = typed_family["person"]
    assert person.case_number in section and "estimate of" in section
    assert "being computed" not in section

    # a donor's profile re-typed: a recomputation is queued, the last estimate stays shown
    profile = DNAProfile.objects.get(sample__barcode="D-father")
    DNAProfile.objects.create(
        sample=profile.sample,
        markers={**profile.markers, "FGA": ["20", "22"]},
        kit="k",
        lab="l",
        quality_status="accepted",
        source_file_name="g",
        source_sha256="1" * 64,
        source_line=2,
        imported_by=users["lab"],
    )
    assert FamilyEstimate.objects.get().requested_at is not None
    html = client.get(reverse("dashboard")).content.decode()
    section = re.search(r'id="queue-references".*?</section>', html, re.S).group(0)
    assert "estimate of" in section and "a new estimate is being computed" in section

    monkeypatch.setattr(references, "compute", counted)
    assert estimates.fill_pending() == 1 and len(calls) == 2
    assert FamilyEstimate.objects.get().requested_at is None


def test_a_change_during_the_computation_keeps_the_family_queued(typed_family):
    """A request that comes in while the worker computes is not lost."""
    from identification import estimates, references
    from identification.models import FamilyEstimate

    person = typed_family["person"]
    estimates.request(person, "test")
    original = references.compute

    def meanwhile(*args, **kwargs):
        estimates.request(person, "a profile saved meanwhile")
        return original(*args, **kwargs)

    references.compute, saved = meanwhile, references.compute
    try:
        assert estimates.fill_pending() == 1
    finally:
        references.compute = saved
    row = FamilyEstimate.objects.get()
    assert row.computed_at and row.requested_at is not None  # computed, and queued again
    assert estimates.fill_pending() == 1
    assert FamilyEstimate.objects.get().requested_at is None


def test_settings_change_queues_every_estimate(typed_family, users):
    from identification import estimates
    from identification.models import FamilyEstimate
    from identification.programme import change_settings

    estimates.fill_pending()
    assert FamilyEstimate.objects.get().requested_at is None
    change_settings(user=users["lab"], note="θ", theta=0.01)
    assert FamilyEstimate.objects.get().requested_at is not None


def test_references_queue_lists_families_without_samples_first(typed_family):
    """Families with no reference sample come first (whom to ask is known without the
    engine), then those with the fewest typed references in their stored estimate."""
    from identification import estimates, workbench
    from registry.models import MissingPerson

    estimates.fill_pending()
    alone = MissingPerson.objects.create(name_ar="نبيل", name_latin="Nabil", sex="M")
    queue = workbench.families_needing_references()
    titles = [item.title for item in queue.items]
    assert titles[0].startswith(alone.case_number)
    assert any(t.startswith(typed_family["person"].case_number) for t in titles[1:])
    assert "no usable reference" in str(queue.items[0].detail) and not queue.pending


def test_person_page_shows_the_stored_estimate(client, typed_family, users, monkeypatch):
    """The staff missing-person page says what the intake dashboard says of the family's
    references: the stored estimate with its date, "being computed" while one is queued,
    whom to ask next; nothing is computed in the request."""
    from identification import estimates, references, workbench
    from identification.models import FamilyEstimate

    person = typed_family["person"]
    url = reverse("registry:person_detail", args=[person.case_number])
    compute = references.compute

    def forbidden(*args, **kwargs):
        raise AssertionError("a power estimate computed inside a request")

    monkeypatch.setattr(references, "compute", forbidden)
    client.force_login(users["intake"])
    html = client.get(url).content.decode()
    section = re.search(r'id="family-estimate".*?</section>', html, re.S).group(0)
    assert 'id="estimate-computing"' in section and 'id="estimate-date"' not in section
    monkeypatch.setattr(references, "compute", compute)
    assert estimates.fill_pending() == 1
    monkeypatch.setattr(references, "compute", forbidden)
    html = client.get(url).content.decode()
    section = re.search(r'id="family-estimate".*?</section>', html, re.S).group(0)
    words = workbench.estimate_words(estimates.current(person))
    assert words.state in section and "estimate of" in words.state
    assert 'id="estimate-date"' in section and "<time datetime=" in section
    assert 'id="estimate-computing"' not in section and words.ask in section
    estimates.request(person, "profile re-typed")
    html = client.get(url).content.decode()
    section = re.search(r'id="family-estimate".*?</section>', html, re.S).group(0)
    assert 'id="estimate-date"' in section and 'id="estimate-computing"' in section
    assert FamilyEstimate.objects.get().requested_at is not None
    # in Arabic: the same section, right to left, in Arabic
    client.cookies["django_language"] = "ar"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    section = re.search(r'id="family-estimate".*?</section>', html, re.S).group(0)
    assert "Are the references enough" not in section and "being computed" not in section


def test_review_page_explains_a_broken_custody_chain(client, candidate, sample, users, raw_sql):
    """A sample compared whose custody chain is broken: the review page says what broke, in
    the reader's language (the custody verdicts' one labels table)."""
    raw_sql(
        "UPDATE custody_entry SET place = 'elsewhere' WHERE object_id = %s AND sequence = 2",
        [sample.barcode],
    )
    client.force_login(users["lab"])
    url = reverse("identification:candidate_detail", args=[candidate.pk])
    section = re.search(r'id="custody".*?</section>', client.get(url).content.decode(), re.S)
    assert "its stored hash no longer matches its contents" in section.group(0)
    client.cookies["django_language"] = "ar"
    section = re.search(r'id="custody".*?</section>', client.get(url).content.decode(), re.S)
    assert "عُدّل قيد حيازة بعد تسجيله" in section.group(0)
