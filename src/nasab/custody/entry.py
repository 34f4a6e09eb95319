"""One custody entry and its hash (``CustodyEntry``, ``canonical_json``, ``entry_hash``): what
is hashed (``HASHED_FIELDS``, ``HASH_VERSION``), the actions, the canonical timestamp, and
the names of a bundle's files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

ACTIONS = (
    "collected",
    "sealed",
    "transferred",
    "received",
    "opened",
    "subsampled",
    "consumed",
    "destroyed",
)
TERMINAL_ACTIONS = frozenset({"consumed", "destroyed"})
GENESIS_HASH = "0" * 64
# 2: the note is hashed (when not empty). 1: entries recorded before that, whose note is
# outside the hash; the version never strengthens a hash, it only says which payload to hash.
HASH_VERSION = 2
HASHED_FIELDS = (
    "object_id",
    "sequence",
    "action",
    "actor",
    "place",
    "timestamp",
    "seal_id",
    "recipient",
    "content_hash",
    "prev_hash",
    "note",
)
BUNDLE_ENTRIES = "custody.jsonl"
BUNDLE_MANIFEST = "MANIFEST.sha256"


class CustodyInputError(ValueError):
    """Input that cannot be read as custody entries at all (exit status 2 in the CLI)."""


def canonical_timestamp(value: datetime | str) -> str:
    """UTC, microsecond precision, ``Z`` suffix: one spelling per instant.

    Accepts an aware datetime, or a string as databases hand them back
    (``2026-01-02 03:04:05.000006``, ``...+00:00``, ``...Z``); naive values are UTC.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise CustodyInputError(f"unreadable timestamp {value!r}") from exc
    if not isinstance(value, datetime):
        raise CustodyInputError(f"timestamp must be a datetime or ISO 8601 string, not {value!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class CustodyEntry:
    """One custody event, as hashed. ``entry_hash`` is the stored (claimed) hash."""

    object_id: str
    sequence: int
    action: str
    actor: str
    place: str
    timestamp: str
    seal_id: str = ""
    recipient: str = ""
    content_hash: str = ""
    prev_hash: str = GENESIS_HASH
    entry_hash: str = ""
    note: str = ""
    hash_version: int = HASH_VERSION

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> CustodyEntry:
        """Build an entry from a dict (a JSON line, a database row); normalises types."""
        missing = [
            name
            for name in ("object_id", "sequence", "action", "actor", "timestamp")
            if row.get(name) in (None, "")
        ]
        if missing:
            raise CustodyInputError(f"custody entry lacks {', '.join(missing)}: {dict(row)!r}")
        try:
            sequence = int(row["sequence"])  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise CustodyInputError(f"sequence is not a whole number: {row['sequence']!r}") from exc
        return cls(
            object_id=str(row["object_id"]),
            sequence=sequence,
            action=str(row["action"]),
            actor=str(row["actor"]),
            place=str(row.get("place") or ""),
            timestamp=canonical_timestamp(row["timestamp"]),  # type: ignore[arg-type]
            seal_id=str(row.get("seal_id") or ""),
            recipient=str(row.get("recipient") or ""),
            content_hash=str(row.get("content_hash") or ""),
            prev_hash=str(row.get("prev_hash") or GENESIS_HASH),
            entry_hash=str(row.get("entry_hash") or ""),
            note=str(row.get("note") or ""),
            hash_version=int(row.get("hash_version") or HASH_VERSION),  # type: ignore[call-overload]
        )

    def hashed_fields(self) -> dict[str, object]:
        fields = {name: getattr(self, name) for name in HASHED_FIELDS}
        if self.hash_version < 2:
            fields["note"] = ""  # recorded before notes were hashed
        return fields

    def computed_hash(self) -> str:
        return entry_hash(self.hashed_fields())

    def sealed(self) -> CustodyEntry:
        """This entry with ``entry_hash`` set to its computed hash."""
        return CustodyEntry(**{**asdict(self), "entry_hash": self.computed_hash()})

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def canonical_json(fields: Mapping[str, object]) -> bytes:
    """The bytes that are hashed: :data:`HASHED_FIELDS`, sorted keys, no spaces, UTF-8.

    Every field is hashed. ``note`` is left out of the payload when empty, so entries
    recorded without a note keep the hashes they had before notes were hashed; any note
    (added, edited or removed) changes the hash.
    """
    unknown = set(fields) - set(HASHED_FIELDS) - {"entry_hash"}
    if unknown:
        raise CustodyInputError(f"unknown custody fields: {', '.join(sorted(unknown))}")
    payload = {name: fields.get(name, "") for name in HASHED_FIELDS}
    if not payload["note"]:
        del payload["note"]
    payload["timestamp"] = canonical_timestamp(payload["timestamp"])  # type: ignore[arg-type]
    payload["sequence"] = int(payload["sequence"])  # type: ignore[arg-type]
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(fields: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_json(fields)).hexdigest()
