"""Safe defaults: debug off outside the development commands, no public key in production,
check --deploy clean with the documented production settings, security headers on every
page, no inline script or style anywhere."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
MANAGE = REPO / "web" / "manage.py"
PRODUCTION = {
    "NASAB_SECRET_KEY": secrets.token_urlsafe(50),
    "NASAB_HTTPS": "1",
    "NASAB_ALLOWED_HOSTS": "registry.example.org",
    "NASAB_TRUSTED_PROXY_HEADER": "X-Forwarded-For",
}


def plain_env(tmp_path, **extra):
    """The environment of a shell without the development or test switches."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NASAB_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=f"{REPO / 'src'}{os.pathsep}{REPO / 'web'}",
        **extra,
    )
    return env


def setting(tmp_path, name, **env):
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        f"'nasab_site.settings'); django.setup(); from django.conf import settings; "
        f"print(repr(settings.{name}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=plain_env(tmp_path, **env),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_debug_is_off_by_default(tmp_path):
    assert setting(tmp_path, "DEBUG", NASAB_SECRET_KEY="k" * 50) == "False"
    assert setting(tmp_path, "DEBUG", NASAB_DEV="1") == "False"  # make demo: still no debug


def test_only_make_serve_turns_debug_on():
    makefile = (REPO / "Makefile").read_text()
    serve = makefile.split("\nserve:")[1].split("\n\n")[0]
    assert "NASAB_DEBUG=1" in serve
    assert makefile.count("NASAB_DEBUG=1") == 1


def test_no_public_key_outside_development(tmp_path):
    out = subprocess.run(
        [sys.executable, str(MANAGE), "check"],
        env=plain_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("nasab: error: NASAB_SECRET_KEY is not set")
    assert "Traceback" not in out.stderr


def test_check_deploy_clean_with_documented_production_settings(tmp_path):
    out = subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"],
        env=plain_env(tmp_path, **PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_warns_without_the_trusted_proxy_header(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "NASAB_TRUSTED_PROXY_HEADER"}
    out = subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy"],
        env=plain_env(tmp_path, **env),
        capture_output=True,
        text=True,
    )
    assert "nasab.W001" in out.stdout + out.stderr


def test_secure_cookies_and_hsts_under_https(tmp_path):
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        assert setting(tmp_path, name, **PRODUCTION) == "True", name
    assert int(setting(tmp_path, "SECURE_HSTS_SECONDS", **PRODUCTION)) >= 31536000


@pytest.mark.parametrize(
    "who, url_name",
    [
        ("lab", "lab:profile_list"),
        ("field", "fieldwork:site_list"),
        (None, "portal:home"),
        (None, "login"),
    ],
)
def test_security_headers_on_pages(client, users, who, url_name):
    if who:
        client.force_login(users[who])
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_files_with_genetic_data_are_not_cached(client, users, typed_family):
    client.force_login(users["lab"])
    response = client.post(reverse("lab:profile_export"), {"purpose": "identification"})
    assert response["Content-Type"].startswith("text/tab-separated-values")
    assert "no-store" in response["Cache-Control"]


TEMPLATES = sorted(
    p for p in (REPO / "web").rglob("templates/**/*.html") if p.name != "report_pdf.html"
)  # a PDF's source, never served as a page


def test_no_inline_script_or_style_in_any_template():
    assert len(TEMPLATES) > 20
    wrong = []
    for path in TEMPLATES:
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"<style",
            r"\sstyle\s*=",
            r"\son[a-z]+\s*=",
            r"javascript:",
        ):
            if re.search(pattern, text, flags=re.I):
                wrong.append(f"{path.relative_to(REPO)}: {pattern}")
    assert not wrong


def test_error_pages_show_no_internals(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404 and "There is no page at this address" in page
    assert "urlpatterns" not in page and "registry/" not in page.split("<main>")[1][:200]


def test_too_large_request_gets_a_readable_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("portal:report"), {"last_seen_details": "x" * 5000})
    assert response.status_code == 400
    assert "too large or malformed" in response.content.decode()
