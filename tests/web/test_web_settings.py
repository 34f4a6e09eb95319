"""Database configuration: SQLite under var/ by default, PostgreSQL from DATABASE_URL."""

from nasab_site import settings


def test_default_is_sqlite_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")
    config = settings._database()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "registry.sqlite3")
    assert (tmp_path / "var").is_dir()


def test_postgres_from_database_url_gets_its_own_test_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    config = settings._database()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("test", "127.0.0.1", 5432)
    assert config["TEST"]["NAME"].startswith("test_nasab_")


def test_var_is_git_ignored():
    ignore = (settings.REPO_DIR / ".gitignore").read_text().split()
    assert "/var/" in ignore
