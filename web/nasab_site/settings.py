"""Settings for the nasab registry.

Configuration comes from the environment:

* ``DATABASE_URL``: any URL dj-database-url understands; default is a SQLite file
  ``var/registry.sqlite3`` at the repository root (git-ignored).
* ``NASAB_SECRET_KEY``: required when ``NASAB_DEBUG`` is off.
* ``NASAB_DEBUG``: ``1`` (default, development) or ``0``.
* ``NASAB_ALLOWED_HOSTS``: comma-separated host names.
* ``NASAB_DB_CONN_MAX_AGE``: keep database connections this many seconds (default 0).
* ``NASAB_HTTPS``: ``1`` behind HTTPS (redirect to HTTPS, proxy header trusted);
  ``NASAB_HSTS_SECONDS`` opts in to HTTP Strict Transport Security.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = WEB_DIR.parent
VAR_DIR = Path(os.environ.get("NASAB_VAR_DIR", REPO_DIR / "var"))

DEBUG = os.environ.get("NASAB_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("NASAB_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("NASAB_SECRET_KEY must be set when NASAB_DEBUG=0")
    SECRET_KEY = "development-only-not-secret"
ALLOWED_HOSTS = [h for h in os.environ.get("NASAB_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    # NASAB_DB_CONN_MAX_AGE: seconds a connection is kept between requests (0: one per request).
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("NASAB_DB_CONN_MAX_AGE", "0")),
                                   conn_health_checks=True)
    if config["ENGINE"].endswith("postgresql"):
        # One test database per test run, so parallel runs on one server do not collide.
        config["TEST"] = {"NAME": f"test_nasab_{os.getpid()}"}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day; genetic data is behind this login
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = not DEBUG
if os.environ.get("NASAB_HTTPS") == "1":
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("NASAB_HSTS_SECONDS", "0"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

# Largest lab profile file accepted for import.
NASAB_PROFILE_IMPORT_MAX_BYTES = 5 * 1024 * 1024

# Family portal: status look-ups allowed per window (failures), and how a case code is
# sent to a family that asks for it (any class with ``send(contact, message)``).
NASAB_PORTAL_RATE = {"per_ip": 20, "per_code": 5, "window_s": 15 * 60}
NASAB_PORTAL_NOTIFIER = os.environ.get("NASAB_PORTAL_NOTIFIER", "portal.services.ConsoleNotifier")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"nasab.portal": {"handlers": ["console"], "level": "INFO"}},
}
