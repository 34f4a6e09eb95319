"""Backing up and restoring the registry: database, anchor log and search store together.

A backup is a new folder::

    database.exactjson   every row, as JSON (Django's portable serialisation, times to the
                         microsecond: SQLite <-> PostgreSQL)
    anchors/             the signed anchor log and its public key, as they stood after the dump
    search-store/        the compiled blind-search store (when settings.NASAB_SEARCH_STORE names one)
    signing-key.pem      the anchor signing key (only with include_signing_key)
    MANIFEST.sha256      sha256sum -c MANIFEST.sha256

The dump is read in one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite).
:func:`restore` loads it into a fresh, migrated, empty database, puts the anchors back, appends a
signed ``restore`` line to the anchor log (saying which backup and what was lost since, if the
log was ahead of the backup), audits the restore, and verifies custody and audit against the anchor.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from nasab.custody import anchor as anchor_log
from nasab.custody import chain

from . import anchoring
from .models import AuditAction, AuditEvent
from .services import record as audit

DATABASE = "database.exactjson"  # JSON (see audit.serial)
ANCHORS = "anchors"
SEARCH_STORE = "search-store"
SIGNING_KEY = "signing-key.pem"
MANIFEST = "MANIFEST.sha256"
INFO = "backup.json"
EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _manifest(root: Path) -> None:
    names = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name != MANIFEST
    )
    (root / MANIFEST).write_text("".join(f"{chain.file_sha256(root / n)}  {n}\n" for n in names))


def _check_manifest(root: Path) -> None:
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"{root} is not a registry backup: no {MANIFEST}")
    listed = {}
    for line in path.read_text().splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name, digest in listed.items():
        if not (root / name).is_file():
            raise BackupError(f"backup damaged: {name} is missing")
        if chain.file_sha256(root / name) != digest:
            raise BackupError(f"backup damaged: {name} differs from its manifest hash")
    for required in (DATABASE, INFO):
        if required not in listed:
            raise BackupError(f"backup incomplete: no {required}")


def backup(destination: str | Path, *, user=None, include_signing_key: bool = False) -> Path:
    """Write a backup folder (which must not exist yet)."""
    root = Path(destination)
    if root.exists():
        raise BackupError(f"{root} already exists; give a new folder")
    root.mkdir(parents=True)
    try:
        audit(
            user,
            AuditAction.BACKUP,
            object_type="registry",
            object_id=root.name,
            destination=str(root),
        )
        anchoring.flush()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            head = (
                AuditEvent.objects.exclude(sequence=None)
                .order_by("-sequence")
                .values("sequence", "entry_hash")
                .first()
            )
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDE,
                output=str(root / DATABASE),
                format="exactjson",
                verbosity=0,
            )
        if anchoring.enabled() and anchoring.anchor_dir().is_dir():
            shutil.copytree(anchoring.anchor_dir(), root / ANCHORS)
        store = getattr(settings, "NASAB_SEARCH_STORE", "")
        if store and Path(store).exists():
            shutil.copytree(store, root / SEARCH_STORE)
        if include_signing_key and Path(settings.NASAB_SIGNING_KEY).is_file():
            shutil.copy2(settings.NASAB_SIGNING_KEY, root / SIGNING_KEY)
        (root / INFO).write_text(
            json.dumps(
                {
                    "taken_at": chain.canonical_timestamp(timezone.now()),
                    "vendor": connection.vendor,
                    "audit_head": head,
                    "search_store": bool(store and Path(store).exists()),
                    "signing_key": include_signing_key,
                },
                indent=1,
            )
        )
        _manifest(root)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return root


def _registry_is_empty() -> bool:
    labels = [
        "audit.AuditEvent",
        "custody.CustodyEntry",
        "registry.MissingPerson",
        "fieldwork.GraveSite",
        "auth.User",
    ]
    return not any(apps.get_model(label)._base_manager.exists() for label in labels)


@dataclass(frozen=True)
class Restored:
    verdict: anchor_log.RegistryVerdict
    note: str


def restore(source: str | Path, *, user_name: str = "(restore)", reason: str = "") -> Restored:
    """Load a backup into this (fresh, migrated, empty) database and re-anchor; see the module text."""
    root = Path(source)
    if not root.is_dir():
        raise BackupError(f"no backup folder at {root}")
    _check_manifest(root)
    info = json.loads((root / INFO).read_text())
    if not _registry_is_empty():
        raise BackupError(
            "the database is not empty: restore into a fresh database "
            "(create it, run 'manage.py migrate', then restore)"
        )
    lost = ""
    if anchoring.enabled():
        target = anchoring.anchor_dir()
        current = anchor_log.anchor_log_path(target)
        backed = root / ANCHORS / anchor_log.ANCHOR_LOG
        if backed.is_file():
            if current.is_file():
                old, new = backed.read_text(), current.read_text()
                if not new.startswith(old):
                    raise BackupError(
                        f"the anchor log in {target} is not a continuation of the backup's; "
                        f"move it aside (never delete it) and restore again"
                    )
                extra = len(new.splitlines()) - len(old.splitlines())
                if extra:
                    lost = (
                        f"the anchor log went {extra} lines beyond this backup: "
                        f"changes recorded after {info['taken_at']} are not in the restored database"
                    )
            else:
                target.mkdir(parents=True, exist_ok=True)
                for item in (root / ANCHORS).iterdir():
                    shutil.copy2(item, target / item.name)
        if (root / SIGNING_KEY).is_file() and not Path(settings.NASAB_SIGNING_KEY).exists():
            Path(settings.NASAB_SIGNING_KEY).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / SIGNING_KEY, settings.NASAB_SIGNING_KEY)
            Path(settings.NASAB_SIGNING_KEY).chmod(0o600)
    store = getattr(settings, "NASAB_SEARCH_STORE", "")
    if (root / SEARCH_STORE).is_dir() and store and not Path(store).exists():
        shutil.copytree(root / SEARCH_STORE, store)
    from .signals import suspended

    with suspended(), transaction.atomic():
        call_command("loaddata", str(root / DATABASE), verbosity=0)
    note = (
        f"backup {root.name} taken at {info['taken_at']}, restored by {user_name}"
        + (f": {reason}" if reason else "")
        + (f"; {lost}" if lost else "")
    )
    audit(
        None,
        AuditAction.RESTORE,
        object_type="registry",
        object_id=root.name[:60],
        by=user_name,
        taken_at=info["taken_at"],
        reason=reason,
        lost=lost,
    )
    if anchoring.enabled():
        anchoring.anchor_everything("restore", note)
    return Restored(anchoring.verify(), note)
