"""Staff authentication: throttled, audited failures; TOTP second factor for reviewer, board
and administrator; idle time-out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts import second_factor
from audit.models import AuditEvent

PASSWORD = "a long test password 1"


def login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_failed_logins_are_throttled_and_audited(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert login(client, "field", "wrong password").status_code in (200, 429)
    # the right password no longer works from there, for a while
    locked = login(client, "field")
    assert locked.status_code == 429 and "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="login_failed", object_id="field")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT
    assert AuditEvent.objects.filter(action="login_locked_out", object_id="field").exists()
    # another member of staff, and the same one from another address, are not locked
    assert login(client, "lab").status_code == 302
    client.logout()
    assert login(client, "field", ip="10.0.0.2").status_code == 302


def test_failed_login_of_unknown_user_is_audited(client, db):
    login(client, "nobody", "guess")
    assert AuditEvent.objects.get(action="login_failed").object_id == "nobody"


@pytest.mark.second_factor
def test_reviewer_enrols_then_confirms_each_login(client, users):
    response = login(client, "reviewer")
    assert response.status_code == 302
    page = client.get(reverse("lab:profile_list"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("second_factor"))
    html = page.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    assert 'id="totp-qr" src="data:image/svg+xml' in html
    device = second_factor.pending_device(users["reviewer"])
    assert second_factor.secret_base32(device) == secret
    wrong = client.post(reverse("second_factor"), {"token": "000000", "next": "/lab/profiles/"})
    assert "not right" in wrong.content.decode()
    again = client.post(reverse("second_factor"), {"token": second_factor.current_code(device)})
    assert "Too many wrong codes" in again.content.decode()  # django-otp's throttling
    device.refresh_from_db()
    device.throttle_reset()  # as the passing of time would
    ok = client.post(
        reverse("second_factor"),
        {"token": second_factor.current_code(device), "next": "/lab/profiles/"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/lab/profiles/"
    assert client.get(reverse("lab:profile_list")).status_code == 200
    assert AuditEvent.objects.filter(action="enrol_second_factor", object_id="reviewer").exists()
    # next login: the code is asked again, no new secret shown
    client.post(reverse("logout"))
    login(client, "reviewer")
    page = client.get(reverse("second_factor")).content.decode()
    assert "totp-secret" not in page and "Six-digit code" in page


@pytest.mark.second_factor
def test_field_team_needs_no_second_factor(client, users):
    login(client, "field")
    assert client.get(reverse("fieldwork:site_list")).status_code == 200


@pytest.mark.second_factor
def test_demo_accounts_have_a_way_through(client, db, settings, capsys):
    from django.core.management import call_command

    from nasab_site import demo

    secrets = demo.enrol_second_factor() if demo.make_users() else {}
    assert set(secrets) == {"reviewer1", "board1", "admin1"}
    call_command("second_factor_code", "board1")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    settings.DEV_MODE = False
    with pytest.raises(Exception, match="development machine"):
        call_command("second_factor_code", "board1")


def test_idle_sessions_end(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
