"""Backup and restore (issue 17, item 9): a round trip into a fresh database verifies; a
database file swapped for an older copy is named; a restore behind the anchor log says what
was lost. On SQLite always, and on PostgreSQL when DATABASE_URL points at one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(REPO / "web" / "manage.py")]

POPULATE = """
from django.contrib.auth.models import User
from accounts.roles import Role, ensure_groups
from fieldwork import services
from fieldwork.models import GraveSite, RemainsUnit, Sample
from custody import services as custody
groups = ensure_groups()
users = {}
for name, role in (("field", Role.FIELD), ("lab", Role.LAB)):
    users[name] = User.objects.create_user(name, password="a long test password 1")
    users[name].groups.add(groups[role])
site = services.create_site(GraveSite(code="GS-B01", name="Backup site", governorate="hama"), user=users["field"])
for stage in ("assessed", "excavating"):
    site = services.advance_stage(site, stage, users["field"], "")
remains = services.register_remains(RemainsUnit(code="GS-B01-R001", site=site, label_at_discovery="B1",
                                     completeness="partial"), user=users["field"], place="Trench 1")
services.register_sample(Sample(barcode="GS-B01-R001-S1", kind="bone", skeletal_element="femur", remains=remains),
                         user=users["field"], place="Trench 1", seal_id="SEAL-B1")
custody.record(object_id="GS-B01-R001-S1", action="transferred", actor=users["field"], place="Trench 1",
               seal_id="SEAL-B1", recipient="lab", note="sealed bag")
"""

MORE = """
from django.contrib.auth.models import User
from custody import services as custody
custody.record(object_id="GS-B01-R001-S1", action="received", actor=User.objects.get(username="lab"),
               place="Lab", seal_id="SEAL-B1")
"""


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Registry:
    """Databases of one vendor, each a fresh name; anchors and key in tmp_path."""

    def __init__(self, vendor, tmp_path):
        self.vendor, self.tmp = vendor, tmp_path
        self.env = {
            **os.environ,
            "NASAB_DEV": "1",
            "NASAB_ANCHOR_DIR": str(tmp_path / "anchors"),
            "NASAB_SIGNING_KEY": str(tmp_path / "keys" / "signing.pem"),
            "NASAB_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": os.pathsep.join(
                [str(REPO / "src"), str(REPO / "web"), os.environ.get("PYTHONPATH", "")]
            ),
        }
        self.made = []
        if vendor == "sqlite":
            self.template = tmp_path / "migrated.sqlite3"
            self.manage("migrate", "-v0", url=f"sqlite:///{self.template}")

    def new_database(self):
        if self.vendor == "sqlite":
            path = self.tmp / f"{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copy(self.template, path)
            return f"sqlite:///{path}"
        import psycopg

        base = _postgres_url()
        name = f"nasab_backup_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        url = base.rsplit("/", 1)[0] + f"/{name}"
        self.manage("migrate", "-v0", url=url)
        return url

    def manage(self, *args, url, check=True):
        result = subprocess.run(
            [*MANAGE, *args],
            env={**self.env, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def cli_verify(self, url):
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "nasab.custody.cli",
                "custody",
                "verify",
                "--database",
                url,
                "--anchor",
                str(self.tmp / "anchors"),
            ],
            env=self.env,
            capture_output=True,
            text=True,
        )

    def drop(self):
        if not self.made:
            return
        import psycopg

        with psycopg.connect(_postgres_url(), autocommit=True) as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(request, tmp_path):
    if request.param == "postgresql" and not _postgres_url():
        pytest.skip("runs when DATABASE_URL is PostgreSQL")
    made = Registry(request.param, tmp_path)
    yield made
    made.drop()


def test_backup_restore_round_trip_and_older_copies(registry, tmp_path):
    a = registry.new_database()
    registry.manage("shell", "-c", POPULATE, url=a)
    assert registry.manage("verify_custody", url=a).returncode == 0
    registry.manage("backup_registry", str(tmp_path / "backup1"), "--user", "field", url=a)
    backup = tmp_path / "backup1"
    assert {p.name for p in backup.iterdir()} >= {
        "database.exactjson",
        "anchors",
        "MANIFEST.sha256",
        "backup.json",
    }
    check = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256", "--quiet"], cwd=backup)
    assert check.returncode == 0

    # A fresh database restored from the backup verifies (custody and audit, against the anchor).
    b = registry.new_database()
    restored = registry.manage(
        "restore_registry", str(backup), "--user", "admin", "--reason", "test", url=b
    )
    assert "INTACT" in restored.stdout, restored.stdout + restored.stderr
    assert registry.manage("verify_custody", url=b).returncode == 0
    assert registry.cli_verify(b).returncode == 0
    # The restore refuses a database that is not empty.
    again = registry.manage("restore_registry", str(backup), url=b, check=False)
    assert again.returncode == 2 and "not empty" in again.stderr

    # Work goes on in the restored registry and is anchored; then the same backup is restored
    # into another fresh database: the restore is accepted (it is recorded, signed, in the anchor
    # log) and verification says what was lost since the backup.
    registry.manage("shell", "-c", MORE, url=b)
    assert registry.manage("verify_custody", url=b).returncode == 0
    c = registry.new_database()
    registry.manage("restore_registry", str(backup), "--reason", "disk lost", url=c)
    verdict = registry.cli_verify(c)
    assert verdict.returncode == 0 and "restored from a backup" in verdict.stdout, (
        verdict.stdout + verdict.stderr
    )
    assert "beyond this backup" in verdict.stdout and "disk lost" in verdict.stdout
    # ... while the database it replaced, were it put back silently, is no longer what the anchor says.
    assert registry.cli_verify(b).returncode == 1


def test_silently_replaced_database_file_is_named(tmp_path):
    registry = Registry("sqlite", tmp_path)
    a = registry.new_database()
    registry.manage("shell", "-c", POPULATE, url=a)
    older = tmp_path / "older.sqlite3"
    shutil.copy(a[len("sqlite:///") :], older)
    registry.manage("shell", "-c", MORE, url=a)
    assert registry.cli_verify(a).returncode == 0
    shutil.copy(older, a[len("sqlite:///") :])  # the database file swapped for its older copy
    result = registry.cli_verify(a)
    assert result.returncode == 1 and "replaced-database" in result.stderr, (
        result.stdout + result.stderr
    )
    assert "older copy" in result.stderr


def test_damaged_backup_refused(tmp_path):
    registry = Registry("sqlite", tmp_path)
    a = registry.new_database()
    registry.manage("shell", "-c", POPULATE, url=a)
    registry.manage("backup_registry", str(tmp_path / "bk"), url=a)
    data = json.loads((tmp_path / "bk" / "database.exactjson").read_text())
    data[0]["fields"] = {**data[0]["fields"]}
    (tmp_path / "bk" / "database.exactjson").write_text(json.dumps(data) + " ")
    result = registry.manage(
        "restore_registry", str(tmp_path / "bk"), url=registry.new_database(), check=False
    )
    assert result.returncode == 2 and "differs from its manifest" in result.stderr
    exists = registry.manage("backup_registry", str(tmp_path / "bk"), url=a, check=False)
    assert exists.returncode == 2 and "already exists" in exists.stderr
