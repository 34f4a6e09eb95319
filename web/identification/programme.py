"""The identification programme's matching settings and frequency tables.

A frequency table is registered once with its text and SHA-256 (:class:`FrequencyTableFile`);
the engine reads it back from a copy under the search store's ``tables/`` directory (named
by hash, so a table is never confused with another). The settings in force are the newest
:class:`ProgrammeSettings` row; changing them adds a row (never edits one) and, since
every compiled table depends on them, asks for a full matching run.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings as django_settings
from django.db import transaction

from .models import FrequencyTableFile, ProgrammeSettings

TABLES_DIR = Path(__file__).resolve().parent / "tables"

# Tables shipped with the registry (published population data; sources in tables/README.md).
BUNDLED = (
    ("NIST1036_All.tsv", "NIST 1036 (2017), U.S. population, 1036 individuals (public domain)"),
    ("NIST1036_Cauc.tsv", "NIST 1036 (2017), U.S. Caucasian, 361 individuals (public domain)"),
    ("NIST1036_AfAm.tsv", "NIST 1036 (2017), African American, 342 individuals (public domain)"),
    (
        "popSTR_HGDP_Israel_Central_Palestinian.tsv",
        "pop.STR / CEPH-HGDP, Palestinian (Israel, Central), 39-46 individuals (MIT, fafreqs)",
    ),
)
DEFAULT_TABLE = "NIST1036_All.tsv"


class TableRefused(Exception):
    """A frequency table the engine cannot read; the message says where and why."""


def _bundled_path(name: str) -> Path:
    if name == "NIST1036_All.tsv":
        from nasab.engine.frequencies import package_data

        return package_data(name)
    return TABLES_DIR / name


def register_table(
    name: str, content: bytes, *, user=None, description: str = "", bundled: bool = False
) -> FrequencyTableFile:
    """Register a table (Familias or TSV, as ``nasab`` reads them) after the engine has read
    it; the same content twice is the same row."""
    from nasab.engine.errors import NasabError
    from nasab.engine.frequencies import read_frequencies

    name = Path(name).name or "table.txt"
    digest = hashlib.sha256(content).hexdigest()
    existing = FrequencyTableFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableRefused(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            table = read_frequencies(path)
        except (NasabError, ValueError) as exc:
            raise TableRefused(str(exc)) from exc
    if not table.markers:
        raise TableRefused(f"{name}: no marker in the table")
    row = FrequencyTableFile.objects.create(
        name=name,
        description=description,
        content=text,
        sha256=digest,
        bundled=bundled,
        created_by=user,
    )
    if not bundled:
        from audit.models import AuditAction
        from audit.services import record

        record(user, AuditAction.REGISTER_TABLE, row, name=name, sha256=digest)
    return row


def ensure_bundled() -> list[FrequencyTableFile]:
    return [
        register_table(name, _bundled_path(name).read_bytes(), description=desc, bundled=True)
        for name, desc in BUNDLED
    ]


@transaction.atomic
def active_settings() -> ProgrammeSettings:
    """The settings in force; the first call records the defaults (NIST 1036, stepwise
    mutation at the published rates, θ 0, no dropout, threshold 10^4, prior 1/N)."""
    current = ProgrammeSettings.objects.select_related("frequency_table").first()
    if current is not None:
        return current
    tables = {t.name: t for t in ensure_bundled()}
    return ProgrammeSettings.objects.create(
        frequency_table=tables[DEFAULT_TABLE], note="Defaults (first use)."
    )


def change_settings(*, user=None, note: str = "", **values) -> ProgrammeSettings:
    """A new settings row: the current one with ``values`` changed. Validated by the
    model's checks; a change that alters LRs queues a full matching run."""
    current = active_settings()
    fields = {
        f.name: getattr(current, f.name)
        for f in ProgrammeSettings._meta.concrete_fields
        if f.name not in ("id", "created_at", "created_by", "note")
    }
    fields["frequency_table"] = current.frequency_table
    fields.pop("frequency_table_id", None)
    fields_before = dict(fields)
    fields.update(values)
    new = ProgrammeSettings(created_by=user, note=note, **fields)
    new.full_clean()
    if new.fingerprint == current.fingerprint:
        return current
    new.save()
    from audit.models import AuditAction
    from audit.services import record

    changed = {k: str(v) for k, v in values.items() if fields_before.get(k) != v}
    record(
        user,
        AuditAction.CHANGE_SETTINGS,
        new,
        note=note,
        changed=changed,
        fingerprint=new.fingerprint,
    )
    return new


_TABLES: dict[str, object] = {}


def engine_table(table_file: FrequencyTableFile):
    """The engine's :class:`~nasab.frequencies.FrequencyTable` of a registered table (read
    from ``NASAB_SEARCH_STORE/tables/<sha256>/<name>``, written once)."""
    from nasab.engine.frequencies import read_frequencies

    got = _TABLES.get(table_file.sha256)
    if got is not None:
        return got
    folder = Path(django_settings.NASAB_SEARCH_STORE) / "tables" / table_file.sha256
    path = folder / table_file.name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        from nasab.formats.io import write_text_atomic

        write_text_atomic(path, table_file.content)
    table = read_frequencies(path)
    if table.sha256 and table.sha256 != table_file.sha256:
        # the text went through a newline or BOM change: the registered hash stays the record
        table.sha256 = table_file.sha256
    _TABLES[table_file.sha256] = table
    return table
