"""Every page tried as every role: who is let in, who gets 403, and who sees genetic data."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import CAPABILITIES, LAB_ROLES, Role, can
from audit.models import AuditAction, AuditEvent
from identification.models import MatchCandidate
from lab.models import DNAProfile, QualityStatus

ROLES = ["intake", "field", "lab", "reviewer", "board", "admin", "norole"]
EVERYONE = set(ROLES)
SITES_VIEW = {"field", "lab", "reviewer", "board", "admin"}
REGISTRY_VIEW = {"intake", "reviewer", "board", "admin"}
GENETIC = {"lab", "reviewer"}
MATCHES = {"lab", "reviewer", "board"}
ALLELE = "31.2"  # a distinctive allele call in the test profile
# the call as a page shows it: not the seconds of an exact timestamp (``...:05:31.2...``)
ALLELE_SHOWN = re.compile(r"(?<![\d:.])" + re.escape(ALLELE) + r"(?![\d])")

# (url name, object the URL names, method, roles allowed). Written out, not derived from
# accounts.roles, so a change of the permission map shows up here as a failing test.
PAGES = [
    ("dashboard", None, "get", EVERYONE),
    ("registry:person_list", None, "get", REGISTRY_VIEW),
    ("registry:person_detail", "person", "get", REGISTRY_VIEW),
    ("registry:person_create", None, "get", {"intake", "admin"}),
    ("registry:record_add", ("person", "kind"), "get", {"intake", "admin"}),
    ("registry:consent_create", "relative", "get", {"intake", "admin"}),
    ("registry:relative_missing", "relative", "get", {"intake", "admin"}),
    ("registry:consent_withdraw", "relative", "post", {"intake", "admin"}),
    ("fieldwork:site_list", None, "get", SITES_VIEW),
    ("fieldwork:site_detail", "site", "get", SITES_VIEW),
    ("fieldwork:site_create", None, "get", {"field", "admin"}),
    ("fieldwork:site_advance", "site", "post", {"field", "admin"}),
    ("fieldwork:site_access_add", "site", "post", {"field", "admin"}),
    ("fieldwork:reference_list", None, "get", {"field", "lab"}),
    ("fieldwork:reference_sample_create", "relative", "get", {"field", "lab"}),
    ("fieldwork:remains_create", "site", "get", {"field", "admin"}),
    ("fieldwork:remains_detail", "remains", "get", SITES_VIEW),
    ("fieldwork:sample_create", "remains", "get", {"field", "lab"}),
    ("custody:log", "sample", "get", SITES_VIEW),
    ("custody:record", "sample", "post", {"field", "lab"}),
    ("custody:verify", None, "get", SITES_VIEW),
    ("custody:export", None, "get", {"reviewer", "board", "admin"}),
    ("lab:profile_list", None, "get", GENETIC),
    ("lab:profile_detail", "profile", "get", GENETIC),
    ("lab:profile_import", None, "get", {"lab"}),
    ("lab:snp_import", None, "get", {"lab"}),
    ("lab:profile_export", None, "get", GENETIC),
    ("identification:candidate_list", None, "get", MATCHES),
    ("identification:candidate_detail", "candidate", "get", MATCHES),
    ("identification:decide", "candidate", "post", MATCHES),
    ("identification:snp_confirmation", "candidate", "post", MATCHES),
    ("identification:search", None, "get", {"lab", "reviewer"}),
    ("identification:programme_settings", None, "get", {"lab", "reviewer"}),
    ("identification:report_pdf", ("identification", "language"), "get", {"reviewer", "board"}),
    ("identification:notification_list", None, "get", {"intake", "board"}),
    ("identification:notify", "identification", "get", {"intake", "board"}),
    ("audit:list", None, "get", {"admin"}),
    ("portal:duplicates", None, "get", {"intake", "admin"}),
    ("portal:undo_merge", "candidate", "post", {"intake", "admin"}),
    ("portal:pfif", None, "get", {"intake", "admin"}),
    ("portal:cases", None, "get", {"intake", "admin"}),
    ("portal:reset_secret", "portal_case", "get", {"intake", "admin"}),
]
PUBLIC = {"login", "logout", "second_factor"}
# The family portal's public pages (case code + secret, no login) and the language switch.
PUBLIC |= {
    "set_language",
    "portal:home",
    "portal:digits",
    "portal:report",
    "portal:report_done",
    "portal:access",
    "portal:status",
    "portal:relatives",
    "portal:details",
    "portal:leave",
}


@pytest.fixture
def world(users, family, sample):
    profile = DNAProfile.objects.create(
        sample=sample,
        markers={"D21S11": ["28", ALLELE], "TH01": ["6", "9.3"]},
        kit="k",
        lab="l",
        quality_status=QualityStatus.ACCEPTED,
        source_file_name="f.tsv",
        source_sha256="0" * 64,
        source_line=2,
        imported_by=users["lab"],
    )
    candidate = MatchCandidate.objects.create(
        remains=sample.remains,
        person=family["person"],
        likelihood_ratio=1e6,
        prior=0.02,
        posterior=0.9999,
        engine_version="test",
        frequency_table="t",
        frequency_table_version="1",
    )
    from identification.models import Identification

    confirmed = Identification.objects.create(
        candidate=candidate, status="confirmed", analyst=users["lab"], confirmed_by=users["board"]
    )
    from portal.models import PortalCase
    from registry.models import Report

    report = Report.objects.create(
        person=family["person"], reporter_name="r", relationship="mother"
    )
    case = PortalCase.objects.create(
        code="F-ACDE2345", secret_hash="x", report=report, submission_token="t" * 30
    )
    return {
        "portal_case": case.pk,
        "identification": confirmed.pk,
        "person": family["person"].case_number,
        "site": sample.remains.site.code,
        "remains": sample.remains.code,
        "sample": sample.barcode,
        "profile": profile.pk,
        "candidate": candidate.pk,
        "relative": family["mother"].pk,
        "kind": "relative",
        "language": "en",
    }


def url_for(name, key, world):
    keys = key if isinstance(key, tuple) else (key,) if key else ()
    return reverse(name, args=[world[k] for k in keys])


def all_url_names(patterns=None, namespace=""):
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= all_url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_table_covers_every_page():
    assert all_url_names() == {name for name, *_ in PAGES} | PUBLIC


@pytest.mark.parametrize("role", ROLES)
def test_page_access(client, users, world, role):
    """Every page as this role; all mismatches with the table are reported together."""
    client.force_login(users[role])
    wrong = []
    for name, key, method, allowed in PAGES:
        status = getattr(client, method)(url_for(name, key, world)).status_code
        expected_allowed = role in allowed
        if expected_allowed != (status in (200, 302, 400)) or (
            not expected_allowed and status != 403
        ):
            wrong.append(f"{name}: {status}, expected {'allowed' if expected_allowed else 403}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_anonymous_is_sent_to_login(client, world):
    for name, key, method, _allowed in PAGES:
        response = getattr(client, method)(url_for(name, key, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


@pytest.fixture
def strict_templates(settings):
    """Make a template's reference to a missing variable show up in the page."""
    templates = [
        dict(t, OPTIONS={**t["OPTIONS"], "string_if_invalid": "INVALID{%s}"})
        for t in settings.TEMPLATES
    ]
    settings.TEMPLATES = templates


@pytest.mark.parametrize("role", ROLES)
def test_genetic_data_shown_only_to_lab_roles(client, users, world, role, strict_templates):
    client.force_login(users[role])
    for name, key, method, allowed in PAGES:
        if method == "get" and role in allowed:
            response = client.get(url_for(name, key, world))
            if response["Content-Type"] == "application/pdf":
                continue  # the report's HTML is checked in test_web_report
            page = response.content.decode()
            assert "INVALID{" not in page, (name, page[page.index("INVALID{") :][:80])
            assert bool(ALLELE_SHOWN.search(page)) == (
                role in GENETIC and name == "lab:profile_detail"
            ), name


def test_viewing_a_profile_is_audited(client, users, world):
    client.force_login(users["reviewer"])
    client.get(reverse("lab:profile_detail", args=[world["profile"]]))
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PROFILE)
    assert (event.username, event.object_id, event.detail) == (
        "reviewer",
        str(world["profile"]),
        {"barcode": world["sample"]},
    )
    client.force_login(users["board"])
    client.get(reverse("lab:profile_detail", args=[world["profile"]]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_PROFILE).count() == 1


def test_audit_log_is_its_own_table():
    assert AuditEvent._meta.db_table == "audit_event"
    assert not [f for f in AuditEvent._meta.get_fields() if f.is_relation]


def test_role_map_consistency():
    assert CAPABILITIES["genetic.view"] == LAB_ROLES
    assert all(roles <= set(Role) for roles in CAPABILITIES.values())
    with pytest.raises(KeyError):
        can(None, "no.such.capability")


def test_user_without_role_or_inactive_has_no_capability(users):
    lab = users["lab"]
    assert can(lab, "genetic.view")
    lab.is_active = False
    lab._nasab_roles = None
    assert not can(lab, "genetic.view")
    assert not can(users["norole"], "sites.view")


def test_login_page(client, users):
    response = client.post(
        reverse("login"), {"username": "field", "password": "a long test password 1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert "field team" in page and "Grave sites" in page and "Missing persons" not in page
    bad = client.post(reverse("login"), {"username": "field", "password": "wrong"})
    assert bad.status_code == 200 and "correct username and password" in bad.content.decode()


def test_role_changes_are_audited(users):
    from django.contrib.auth.models import Group

    users["norole"].groups.add(Group.objects.get(name=Role.LAB.value))
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE_ROLES).latest("id")
    assert event.object_id == str(users["norole"].pk)
    assert event.username == "(system)"
    assert event.detail == {
        "user": "norole",
        "change": "add",
        "roles": ["lab analyst"],
        "now": ["lab analyst"],
    }


# --- the same, derived from the one permission map (accounts.roles.CAPABILITIES) --------

USER_ROLE = {
    "intake": Role.INTAKE,
    "field": Role.FIELD,
    "lab": Role.LAB,
    "reviewer": Role.REVIEWER,
    "board": Role.BOARD,
    "admin": Role.ADMIN,
    "norole": None,
}
LOGGED_IN_ONLY = {"dashboard"}  # every staff member, whatever the role


def capability_of(name, key, world):
    from django.urls import resolve

    return getattr(resolve(url_for(name, key, world)).func, "capability", None)


def test_every_page_declares_a_capability_of_the_map(world):
    """Every non-public page is guarded by ``requires(capability)``; the hand-written table
    above agrees with the map for every role."""
    for name, key, _method, allowed in PAGES:
        capability = capability_of(name, key, world)
        if name in LOGGED_IN_ONLY:
            assert capability is None, name
            continue
        assert capability in CAPABILITIES, f"{name} has no capability"
        from_map = {u for u, role in USER_ROLE.items() if role in CAPABILITIES[capability]}
        assert from_map == allowed, (name, capability, from_map, allowed)


def verify_second_factor(client, user):
    """What the TOTP step leaves in the session (django-otp)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts import second_factor

    device = second_factor.enrol_with_key(user, "3132333435363738393031323334353637383930")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.mark.second_factor
@pytest.mark.parametrize("role", ROLES)
def test_every_view_times_every_role_from_the_map(client, users, world, role):
    """Every page x every role, expected from CAPABILITIES alone, with the second factor
    required as deployed (and confirmed by the roles that need it)."""
    from accounts.second_factor import required_for

    client.force_login(users[role])
    if required_for(users[role]):
        verify_second_factor(client, users[role])
    wrong = []
    for name, key, method, _allowed in PAGES:
        capability = capability_of(name, key, world)
        allowed = True if capability is None else USER_ROLE[role] in CAPABILITIES[capability]
        status = getattr(client, method)(url_for(name, key, world)).status_code
        if allowed != (status in (200, 302, 400)) or (not allowed and status != 403):
            wrong.append(f"{name}: {status}, expected {'allowed' if allowed else 403}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.second_factor
@pytest.mark.parametrize("role", ["reviewer", "board", "admin"])
def test_roles_with_second_factor_see_nothing_before_it(client, users, world, role):
    client.force_login(users[role])
    for name, key, method, _allowed in PAGES:
        response = getattr(client, method)(url_for(name, key, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("second_factor")), name
    assert client.get("/admin/").status_code == 302
