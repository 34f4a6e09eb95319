"""The audit log's hash chain: every audit event carries a global ``sequence``, the hash
of the event before it and its own hash, the SHA-256 of the canonical JSON of every field
(:data:`AUDIT_HASHED_FIELDS`); :func:`verify_audit_chain` names the first event that was
edited, deleted or moved."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nasab.custody import chain as custody

GENESIS_HASH = custody.GENESIS_HASH
AUDIT_TABLE = "audit_event"
AUDIT_HASHED_FIELDS = (
    "sequence",
    "at",
    "username",
    "action",
    "object_type",
    "object_id",
    "detail",
    "remote_addr",
    "prev_hash",
)
AUDIT_COLUMNS = (*AUDIT_HASHED_FIELDS, "entry_hash")


def normalise_json(value):
    """The JSON value as every database hands it back: integral floats as integers (PostgreSQL's
    jsonb keeps ``1e3`` as ``1000``), tuples as lists, keys as strings, anything else as text."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, Mapping):
        return {str(k): normalise_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise_json(v) for v in value]
    return str(value)


def normalise_address(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(ipaddress.ip_address(str(value).split("/")[0]))
    except ValueError:
        return str(value)


@dataclass(frozen=True)
class AuditRecord:
    """One audit event as hashed; ``entry_hash`` is the stored (claimed) hash."""

    sequence: int
    at: str
    username: str
    action: str
    object_type: str = ""
    object_id: str = ""
    detail: object = field(default_factory=dict)
    remote_addr: str = ""
    prev_hash: str = GENESIS_HASH
    entry_hash: str = ""

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> AuditRecord:
        detail = row.get("detail")
        if isinstance(detail, (str, bytes)):
            try:
                detail = json.loads(detail)
            except json.JSONDecodeError as exc:
                raise custody.CustodyInputError(
                    f"audit event {row.get('sequence')}: detail is not JSON"
                ) from exc
        try:
            sequence = int(row["sequence"])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError) as exc:
            raise custody.CustodyInputError(
                f"audit event without a sequence number (not hash-chained): {dict(row)!r}"
            ) from exc
        return cls(
            sequence=sequence,
            at=custody.canonical_timestamp(row["at"]),  # type: ignore[arg-type]
            username=str(row.get("username") or ""),
            action=str(row.get("action") or ""),
            object_type=str(row.get("object_type") or ""),
            object_id=str(row.get("object_id") or ""),
            detail=normalise_json(detail if detail is not None else {}),
            remote_addr=normalise_address(row.get("remote_addr")),
            prev_hash=str(row.get("prev_hash") or GENESIS_HASH),
            entry_hash=str(row.get("entry_hash") or ""),
        )

    def computed_hash(self) -> str:
        payload = {name: getattr(self, name) for name in AUDIT_HASHED_FIELDS}
        payload["detail"] = normalise_json(payload["detail"])
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def next_audit_record(previous: AuditRecord | None, **fields) -> AuditRecord:
    """The event that follows ``previous`` (``None`` for the first), with its hashes set."""
    record = AuditRecord.from_mapping(
        {
            **fields,
            "sequence": previous.sequence + 1 if previous else 1,
            "prev_hash": previous.entry_hash if previous else GENESIS_HASH,
        }
    )
    return AuditRecord(**{**record.__dict__, "entry_hash": record.computed_hash()})


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    checked: int
    event: AuditRecord | None = None
    kind: str = ""
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"audit log intact: {self.checked} events"
        where = (
            f" at audit event {self.event.sequence} ({self.event.action} by {self.event.username})"
            if self.event
            else ""
        )
        return f"audit log BROKEN{where}: {self.kind}: {self.reason}"


def verify_audit_chain(events: Iterable[AuditRecord | Mapping[str, object]]) -> AuditVerdict:
    """Check events in sequence order: each hash, each link, no gaps (``audit-edited``,
    ``audit-gap``, ``audit-broken-link``)."""
    items = sorted(
        (e if isinstance(e, AuditRecord) else AuditRecord.from_mapping(e) for e in events),
        key=lambda e: e.sequence,
    )
    previous: AuditRecord | None = None
    for event in items:
        expected = previous.sequence + 1 if previous else 1
        if event.sequence != expected:
            return AuditVerdict(
                False,
                len(items),
                event,
                "audit-gap",
                f"audit events {expected}..{event.sequence - 1} are missing (deleted)",
            )
        if event.computed_hash() != event.entry_hash:
            return AuditVerdict(
                False,
                len(items),
                event,
                "audit-edited",
                "stored hash does not match the event's contents (edited)",
            )
        if event.prev_hash != (previous.entry_hash if previous else GENESIS_HASH):
            return AuditVerdict(
                False,
                len(items),
                event,
                "audit-broken-link",
                "previous-hash does not match the event before it",
            )
        previous = event
    return AuditVerdict(True, len(items))


def read_audit_events(connection) -> list[AuditRecord] | None:
    """The audit table through any DB-API connection (``None`` when there is no such table)."""
    cursor = connection.cursor()
    try:
        try:
            cursor.execute(
                f"SELECT {', '.join(AUDIT_COLUMNS)} FROM {AUDIT_TABLE} ORDER BY sequence"
            )
        except Exception:  # no audit table (a bare custody database), each driver its own error
            with contextlib.suppress(Exception):
                connection.rollback()
            return None
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [AuditRecord.from_mapping(dict(zip(AUDIT_COLUMNS, row, strict=True))) for row in rows]
