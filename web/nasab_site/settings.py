"""Settings for the nasab registry.

Configuration comes from the environment:

* ``DATABASE_URL``: any URL dj-database-url understands; default is a SQLite file
  ``var/registry.sqlite3`` at the repository root (git-ignored).
* ``NASAB_DEBUG``: ``0`` (default) or ``1``. Only the development commands turn it on
  (``make serve`` sets ``NASAB_DEBUG=1``); with it, error pages show tracebacks.
* ``NASAB_SECRET_KEY``: required, except in development mode: ``NASAB_DEV=1`` (set by
  ``make demo`` and ``make serve``), ``NASAB_DEBUG=1``, or under the test runner. There a
  fixed, public development key is used; the registry refuses to start without a key
  otherwise.
* ``NASAB_ALLOWED_HOSTS``: comma-separated host names.
* ``NASAB_DB_CONN_MAX_AGE``: keep database connections this many seconds (default 0).
* ``NASAB_HTTPS``: ``1`` behind HTTPS: redirect to HTTPS, trust ``X-Forwarded-Proto``
  from the proxy, secure cookies, HTTP Strict Transport Security for
  ``NASAB_HSTS_SECONDS`` (default one year; ``NASAB_HSTS_PRELOAD=0`` drops ``preload``).
* ``NASAB_IDLE_TIMEOUT_S``: a staff or portal session ends after this many seconds
  without a request (default 1800).
* ``NASAB_TRUSTED_PROXY_HEADER``: the request header that carries the client's address
  as the reverse proxy saw it (e.g. ``X-Forwarded-For`` or ``X-Real-IP``); unset (the
  default), the connecting address is used. Only set it when a proxy you run overwrites it.
* ``NASAB_TRUSTED_PROXY_COUNT``: with ``X-Forwarded-For``, how many proxies of yours
  append to it (default 1): the address that many places from the right is the client's.
* ``NASAB_CONTACT_PHONE``: the organisation's number families are asked to call.
* ``NASAB_REQUIRE_SECOND_FACTOR``: ``1`` (default): reviewers, the identification board
  and administrators confirm each login with a TOTP code.
* ``NASAB_ANCHOR_DIR``: folder outside the database where the signed anchor log of the
  custody and audit chains is appended after every change (default ``var/anchors``; in
  production an append-only mount on another disk or machine). Empty turns anchoring off.
* ``NASAB_SIGNING_KEY``: the Ed25519 key (PEM file) that signs anchors; created on first use
  (default ``var/keys/anchor-signing-key.pem``). Keep it off the database server.
* ``NASAB_SEARCH_STORE``: folder of the compiled blind-search store that matching keeps
  beside the database (default ``var/search-store``); ``manage.py backup_registry`` copies
  it with the database and the anchors.
* ``NASAB_MATCHING_WORKERS``: processes a full matching run compiles on (default 1: in the
  worker's own process; N > 1: a local Dask cluster of N single-threaded processes, as
  ``nasab search --workers N``). ``NASAB_MATCHING_DASK``: the address of a running Dask
  scheduler to use instead (``nasab search --dask``). The results are the same either way.

Production, as documented in web/README.md: ``NASAB_SECRET_KEY`` (50+ random
characters), ``NASAB_ALLOWED_HOSTS``, ``NASAB_HTTPS=1``, ``NASAB_TRUSTED_PROXY_HEADER``
(behind the reverse proxy), ``DATABASE_URL``; ``manage.py check --deploy`` is then clean.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = WEB_DIR.parent
VAR_DIR = Path(os.environ.get("NASAB_VAR_DIR", REPO_DIR / "var"))

DEBUG = os.environ.get("NASAB_DEBUG", "0") == "1"
# The test runner (pytest, or manage.py test) is a development mode: tests never depend on
# a secret or on DEBUG.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
DEV_MODE = DEBUG or TESTING or os.environ.get("NASAB_DEV") == "1"
SECRET_KEY = os.environ.get("NASAB_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEV_MODE:
        raise ImproperlyConfigured(
            "NASAB_SECRET_KEY is not set. In production set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); on a "
            "development machine set NASAB_DEV=1 (make demo and make serve do)."
        )
    SECRET_KEY = "development-only-not-secret"
ALLOWED_HOSTS = [
    h for h in os.environ.get("NASAB_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "audit",
    "registry",
    "fieldwork",
    "custody",
    "lab",
    "identification",
    "portal",
]

MIDDLEWARE = [
    "nasab_site.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nasab_site.middleware.ReadableDatabaseErrorsMiddleware",
    # Last: a locked-out login answers before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nasab_site.urls"
WSGI_APPLICATION = "nasab_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "portal.context_processors.portal",
            ],
        },
    },
]


def _database() -> dict:
    default_url = f"sqlite:///{VAR_DIR / 'registry.sqlite3'}"
    url = os.environ.get("DATABASE_URL", default_url)
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    # NASAB_DB_CONN_MAX_AGE: seconds a connection is kept between requests (0: one per request).
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("NASAB_DB_CONN_MAX_AGE", "0")), conn_health_checks=True
    )
    if config["ENGINE"].endswith("postgresql"):
        # One test database per test run, so parallel runs on one server do not collide.
        config["TEST"] = {"NAME": f"test_nasab_{os.getpid()}"}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First: refuses (and counts) logins of a locked-out user or address.
    "accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff login throttling (django-axes): after 5 failures for one user name from one address
# that pair is locked for 15 minutes; failures are also written to the audit log.
AXES_FAILURE_LIMIT = int(os.environ.get("NASAB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "nasab_site.client_address.axes_client_ip"

# Idle time-out: the session ends after this long without a request (each request renews it).
SESSION_COOKIE_AGE = int(os.environ.get("NASAB_IDLE_TIMEOUT_S", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
HTTPS = os.environ.get("NASAB_HTTPS") == "1"
# Secure cookies everywhere but on a development machine (http://127.0.0.1).
SESSION_COOKIE_SECURE = HTTPS or not DEV_MODE
CSRF_COOKIE_SECURE = HTTPS or not DEV_MODE
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("NASAB_HSTS_SECONDS", str(365 * 24 * 3600 if HTTPS else 0))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("NASAB_HSTS_PRELOAD", "1") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: no inline script or style anywhere (nasab_site.middleware).
NASAB_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

# Second factor (django-otp, TOTP) for the roles that confirm and report identifications
# and for administrators: see accounts.middleware.SecondFactorMiddleware.
NASAB_REQUIRE_SECOND_FACTOR = os.environ.get("NASAB_REQUIRE_SECOND_FACTOR", "1") == "1"
OTP_TOTP_ISSUER = "nasab registry"

# Requests up to this size are read, so that a too-long field gets a form error and the
# typing is kept (forms limit each field far below this).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# The client's address behind a reverse proxy (nasab_site.client_address).
NASAB_TRUSTED_PROXY_HEADER = os.environ.get("NASAB_TRUSTED_PROXY_HEADER", "")
NASAB_TRUSTED_PROXY_COUNT = int(os.environ.get("NASAB_TRUSTED_PROXY_COUNT", "1"))
# The default is the demonstration number (the portal says so, in the reader's language).
NASAB_CONTACT_PHONE = os.environ.get("NASAB_CONTACT_PHONE", "+963 11 000 0000")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The staff pages' translations (the portal keeps its own in portal/locale), and one date
# format per language (nasab_site/formats/<language>/formats.py).
LOCALE_PATHS = [WEB_DIR / "locale"]
FORMAT_MODULE_PATH = "nasab_site.formats"

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

# Largest lab profile file accepted for import.
# The compiled search store (nasab.search's store: every family's LR tables), kept beside the
# database and included in its backup. Environment: NASAB_SEARCH_STORE.
NASAB_SEARCH_STORE = Path(os.environ.get("NASAB_SEARCH_STORE", VAR_DIR / "search-store"))
# Where a full matching run compiles (nasab search's --workers / --dask; same results).
NASAB_MATCHING_WORKERS = int(os.environ.get("NASAB_MATCHING_WORKERS", "1"))
NASAB_MATCHING_DASK = os.environ.get("NASAB_MATCHING_DASK", "") or None
# Seconds without a heartbeat after which the search page calls a matching worker dead.
NASAB_WORKER_DEAD_AFTER = 60
# Seconds a queued matching job may wait before it goes ahead of any younger job, whatever
# their priorities (the review jobs go before full runs otherwise).
NASAB_JOB_MAX_WAIT = float(os.environ.get("NASAB_JOB_MAX_WAIT", "600"))
NASAB_PROFILE_IMPORT_MAX_BYTES = 5 * 1024 * 1024
# SNP panels and calls (FORCE: ~0.4 MB per panel file; a VCF of a plate of samples more)
NASAB_SNP_IMPORT_MAX_BYTES = 15 * 1024 * 1024

# Family portal: status look-ups allowed per window (failures), and how a case code is
# sent to a family that asks for it (any class with ``send(contact, message)``).
# per_ip: failures from one client address (any codes); per_code: failures on one code from
# one address; per_code_all: failures on one code from all addresses together.
NASAB_PORTAL_RATE = {"per_ip": 20, "per_code": 5, "per_code_all": 200, "window_s": 15 * 60}
NASAB_PORTAL_NOTIFIER = os.environ.get("NASAB_PORTAL_NOTIFIER", "portal.services.ConsoleNotifier")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"nasab.portal": {"handlers": ["console"], "level": "INFO"}},
}

# Anchoring the custody and audit chains outside the database (see audit.anchoring).
NASAB_ANCHOR_DIR = os.environ.get("NASAB_ANCHOR_DIR", str(VAR_DIR / "anchors"))
NASAB_SIGNING_KEY = os.environ.get(
    "NASAB_SIGNING_KEY", str(VAR_DIR / "keys" / "anchor-signing-key.pem")
)
SERIALIZATION_MODULES = {"exactjson": "audit.serial"}  # backups: times to the microsecond
LOGGING["loggers"]["nasab.anchor"] = {"handlers": ["console"], "level": "WARNING"}
