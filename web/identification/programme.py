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

from .models import FrequencyTableFile, LineageDatabaseFile, LineageSystem, ProgrammeSettings

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


def read_upload(name: str, content: bytes, reader, *, encoding: str = "utf-8"):
    """(text, what the engine's ``reader`` made of it) for an uploaded file, read from a
    temporary copy under its own name; unreadable text or the engine's refusal raise
    :class:`TableRefused` naming the file, not the temporary path."""
    from nasab.engine.errors import NasabError

    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise TableRefused(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            return text, reader(path)
        except (NasabError, ValueError) as exc:
            raise TableRefused(str(exc).replace(str(path), name)) from exc


def register_table(
    name: str, content: bytes, *, user=None, description: str = "", bundled: bool = False
) -> FrequencyTableFile:
    """Register a table (Familias or TSV, as ``nasab`` reads them) after the engine has read
    it; the same content twice is the same row."""
    from nasab.engine.frequencies import read_frequencies

    name = Path(name).name or "table.txt"
    digest = hashlib.sha256(content).hexdigest()
    existing = FrequencyTableFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    text, table = read_upload(name, content, read_frequencies, encoding="utf-8-sig")
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


# --- Y-STR and mtDNA databases (docs/lineage.md) --------------------------------------------
SHARED_LINEAGE = {LineageSystem.Y: "ystr", LineageSystem.MTDNA: "mtdna"}


def _read_lineage(kind: str, path: Path):
    from nasab.engine.mtdna import read_mtdna_database
    from nasab.engine.ystr import read_ystr_database

    return (read_ystr_database if kind == LineageSystem.Y else read_mtdna_database)(path)


def register_lineage_database(
    kind: str, name: str, content: bytes, *, user=None, description: str = ""
) -> LineageDatabaseFile:
    """Register a Y-STR haplotype or mtDNA sequence table after the engine has read it (its
    N recorded); the same content twice is the same row."""

    if kind not in LineageSystem.values:
        raise TableRefused(f"unknown kind of lineage database {kind!r}")
    name = Path(name).name or "database.tsv"
    digest = hashlib.sha256(content).hexdigest()
    existing = LineageDatabaseFile.objects.filter(sha256=digest).first()
    if existing is not None:
        if existing.kind != kind:
            raise TableRefused(f"{name}: already registered as a {existing.kind} database")
        return existing
    text, db = read_upload(name, content, lambda path: _read_lineage(kind, path))
    row = LineageDatabaseFile.objects.create(
        kind=kind,
        name=name,
        description=description,
        content=text,
        sha256=digest,
        size=len(db.rows),
        created_by=user,
    )
    from audit.models import AuditAction
    from audit.services import record

    record(
        user,
        AuditAction.REGISTER_TABLE,
        row,
        name=name,
        sha256=digest,
        kind=f"{kind} database",
        size=row.size,
    )
    return row


def shared_lineage_files() -> dict[str, list[Path]]:
    """The haplotype / sequence tables of the shared data folder (``../shared/data/ystr``,
    ``../shared/data/mtdna``) that can be registered by name."""
    from nasab.sim.simulate import shared_data_dir

    root = getattr(django_settings, "NASAB_SHARED_DATA", None)
    root = Path(root) if root else shared_data_dir()
    out: dict[str, list[Path]] = {k: [] for k in SHARED_LINEAGE}
    if root is None:
        return out
    for kind, folder in SHARED_LINEAGE.items():
        d = root / folder
        if d.is_dir():
            out[kind] = sorted(
                p
                for p in d.glob("*.tsv")
                if ("haplotypes" if kind == LineageSystem.Y else "mitogenomes") in p.name
            )
    return out


def register_shared_lineage(kind: str, name: str, *, user=None) -> LineageDatabaseFile:
    """Register a table of the shared data folder by its file name."""
    files = {p.name: p for p in shared_lineage_files().get(kind, [])}
    if name not in files:
        raise TableRefused(f"{name}: not a {kind} database of the shared data folder")
    return register_lineage_database(
        kind, name, files[name].read_bytes(), user=user, description=f"shared data: {name}"
    )


def engine_lineage_path(db: LineageDatabaseFile) -> Path:
    """The registered database as a file the engine reads (``NASAB_SEARCH_STORE/lineage/
    <sha256>/<name>``, written once, byte for byte the registered content)."""
    folder = Path(django_settings.NASAB_SEARCH_STORE) / "lineage" / db.sha256
    path = folder / db.name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        from nasab.formats.io import write_bytes_atomic

        write_bytes_atomic(path, db.content.encode("utf-8"))
    return path


def lineage_options(programme: ProgrammeSettings):
    """The engine's :class:`~nasab.search.lineage.LineageOptions` of the settings (None:
    no lineage database chosen, Y-STR and mtDNA data are not used)."""
    if not programme.uses_lineage:
        return None
    from nasab.search.lineage import LineageOptions

    y, mt = programme.ystr_database, programme.mtdna_database
    return LineageOptions(
        engine_lineage_path(y) if y else None,
        programme.ystr_method,
        engine_lineage_path(mt) if mt else None,
        programme.lineage_confidence,
    )
