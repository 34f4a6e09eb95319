"""Hash-chained chain of custody for physical evidence (remains units and samples).

Pure logic, no web framework: the registry stores entries, this module says what an
entry's hash is and whether a sequence of entries is intact.

Every custody event about one object (a remains unit or a sample, named by its code or
barcode) is an *entry*. Entries of one object form a chain: entry ``n`` carries the hash
of entry ``n - 1`` (the first carries :data:`GENESIS_HASH`), and its own hash is the
SHA-256 of its canonical JSON serialisation (:func:`canonical_json`). Editing, deleting or
reordering stored entries therefore breaks the chain, and :func:`verify_chain` names the
first entry where it breaks and why. Beyond the hashes, :func:`verify_chain` replays the
custody itself: only the holder of an object may transfer, seal, open, subsample, consume
or destroy it; a transfer must be received by its named recipient; a seal is used once.

Bundles (:func:`write_bundle`, :func:`verify_bundle`) carry entries out of the registry
(to a court, to another lab) as a folder or zip with ``custody.jsonl`` and a
``MANIFEST.sha256`` that ``sha256sum -c MANIFEST.sha256`` can check.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nasab.engine.output import AtomicGroup

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


# --------------------------------------------------------------------------- holding state


@dataclass
class ObjectState:
    """What the chain says about one object after some entries."""

    last: CustodyEntry | None = None
    holder: str = ""
    in_transit_to: str | None = None  # recipient of a transfer not yet received
    seal: str = ""  # seal currently on the object ("" = unsealed)
    ended: str = ""  # terminal action, if any
    sequences_seen: set[int] = field(default_factory=set)


class CustodyRuleError(Exception):
    """A custody rule an entry breaks; carries the failure kind."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def next_state_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    """Why ``entry`` may not follow ``state`` (``None`` if it may).

    ``used_seals`` maps every seal id applied so far (any object) to the object it sealed.
    """
    action, actor = entry.action, entry.actor
    if action not in ACTIONS:
        return CustodyRuleError("unknown-action", f"unknown action {action!r}")
    if state.last is None:
        if action != "collected":
            return CustodyRuleError(
                "bad-start", f"a chain must start with 'collected', not {action!r}"
            )
        return None
    if state.ended:
        return CustodyRuleError("after-end", f"{action!r} after the object was {state.ended}")
    if action == "collected":
        return CustodyRuleError("bad-start", "'collected' may only be the first entry")
    if action == "received":
        return _received_problem(state, entry)
    if state.in_transit_to is not None:
        return CustodyRuleError(
            "not-holder",
            f"{actor} recorded {action!r} while the object is in transit to "
            f"{state.in_transit_to or 'an unnamed recipient'}",
        )
    if actor != state.holder:
        return CustodyRuleError(
            "not-holder", f"{actor} recorded {action!r} but the object is held by {state.holder}"
        )
    rule = _HOLDER_RULES.get(action)
    return rule(state, entry, used_seals) if rule else None


def _received_problem(state: ObjectState, entry: CustodyEntry) -> CustodyRuleError | None:
    actor = entry.actor
    if state.in_transit_to is None:
        return CustodyRuleError(
            "not-in-transit", f"{actor} received an object that was not transferred"
        )
    if state.in_transit_to and state.in_transit_to != actor:
        return CustodyRuleError(
            "wrong-recipient", f"{actor} received an object transferred to {state.in_transit_to}"
        )
    if state.seal and entry.seal_id != state.seal:
        return CustodyRuleError(
            "seal-mismatch",
            f"received with seal {entry.seal_id or '(none)'} but it was sent under seal {state.seal}",
        )
    if entry.seal_id and not state.seal:
        return CustodyRuleError(
            "seal-not-applied",
            f"received under seal {entry.seal_id}, but no seal was applied before the transfer",
        )
    return None


def _sealed_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if not entry.seal_id:
        return CustodyRuleError("seal-missing", "sealed without a seal id")
    if state.seal:
        return CustodyRuleError("seal-mismatch", f"sealed again while seal {state.seal} is intact")
    if entry.seal_id in used_seals:
        return CustodyRuleError(
            "replayed-seal", f"seal {entry.seal_id} was already used on {used_seals[entry.seal_id]}"
        )
    return None


def _opened_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if not state.seal:
        if entry.seal_id in used_seals:
            return CustodyRuleError("replayed-seal", f"seal {entry.seal_id} was already opened")
        return CustodyRuleError("seal-mismatch", "opened but the object is not sealed")
    if entry.seal_id != state.seal:
        return CustodyRuleError(
            "seal-mismatch",
            f"opened seal {entry.seal_id or '(none)'} but the seal on it is {state.seal}",
        )
    return None


def _transferred_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if not entry.recipient:
        return CustodyRuleError("recipient-missing", "transferred without naming the recipient")
    if entry.seal_id and not state.seal:
        return CustodyRuleError(
            "seal-not-applied",
            f"transferred under seal {entry.seal_id}, but the object is not sealed",
        )
    if state.seal and entry.seal_id and entry.seal_id != state.seal:
        return CustodyRuleError(
            "seal-mismatch",
            f"transferred under seal {entry.seal_id} but the seal on it is {state.seal}",
        )
    return None


def _while_sealed_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if state.seal:
        return CustodyRuleError(
            "sealed", f"{entry.action!r} while seal {state.seal} is intact; open it first"
        )
    return None


_HOLDER_RULES = {
    "sealed": _sealed_problem,
    "opened": _opened_problem,
    "transferred": _transferred_problem,
    "subsampled": _while_sealed_problem,
    "consumed": _while_sealed_problem,
}


def apply_entry(state: ObjectState, entry: CustodyEntry, used_seals: dict[str, str]) -> None:
    """Advance ``state`` by an entry already checked by :func:`next_state_problem`."""
    if entry.action == "collected":
        state.holder = entry.actor
    elif entry.action == "sealed":
        state.seal = entry.seal_id
        used_seals[entry.seal_id] = entry.object_id
    elif entry.action == "opened":
        state.seal = ""
    elif entry.action == "transferred":
        state.in_transit_to = entry.recipient
        state.holder = ""
    elif entry.action == "received":
        state.holder = entry.actor
        state.in_transit_to = None
    elif entry.action in TERMINAL_ACTIONS:
        state.ended = entry.action
    state.last = entry
    state.sequences_seen.add(entry.sequence)


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class ChainVerdict:
    """Outcome of :func:`verify_chain`. ``entry`` is the first broken entry (``None`` if intact)."""

    ok: bool
    checked: int
    objects: int
    entry: CustodyEntry | None = None
    position: int | None = None  # 0-based position in the input
    kind: str = ""
    reason: str = ""
    missing: tuple[str, int] | None = None  # (object, sequence) of an anchored entry not found

    def describe(self) -> str:
        if self.ok:
            return f"intact: {self.checked} entries on {self.objects} objects"
        if self.entry is None:
            object_id, sequence = self.missing or ("?", 0)
            return f"BROKEN at object {object_id}, sequence {sequence}: {self.kind}: {self.reason}"
        return (
            f"BROKEN at entry #{self.position} (object {self.entry.object_id}, "
            f"sequence {self.entry.sequence}, {self.entry.action} by {self.entry.actor}): "
            f"{self.kind}: {self.reason}"
        )


def verify_chain(
    entries: Iterable[CustodyEntry | Mapping[str, object]],
    anchor: Mapping[str, Mapping[str, object]] | None = None,
) -> ChainVerdict:
    """Check entries in their stored order; return the first broken one and why.

    Hash links show an entry deleted from the middle of a chain, not one cut from its end.
    ``anchor`` (from :func:`anchor_of`, taken earlier and kept elsewhere) closes that gap:
    every anchored head must still be there with the same hash (kinds ``truncated``,
    ``anchor-mismatch``).

    Failure kinds: ``edited`` (stored hash does not match the contents), ``gap`` (an entry
    is missing: deleted), ``reordered`` (a later entry appears before an earlier one),
    ``duplicate`` (a sequence number appears twice), ``broken-link`` (previous-hash does
    not match the previous entry), ``replayed-seal``, ``not-holder`` and the other custody
    rules of :func:`next_state_problem`.
    """
    items = [e if isinstance(e, CustodyEntry) else CustodyEntry.from_mapping(e) for e in entries]
    remaining: dict[str, set[int]] = {}
    for entry in items:
        remaining.setdefault(entry.object_id, set()).add(entry.sequence)
    states: dict[str, ObjectState] = {}
    used_seals: dict[str, str] = {}

    def broken(position: int, entry: CustodyEntry, kind: str, reason: str) -> ChainVerdict:
        return ChainVerdict(False, position, len(states), entry, position, kind, reason)

    for position, entry in enumerate(items):
        state = states.setdefault(entry.object_id, ObjectState())
        if entry.computed_hash() != entry.entry_hash:
            return broken(
                position,
                entry,
                "edited",
                "stored hash does not match the entry's contents (row edited)",
            )
        expected = state.last.sequence + 1 if state.last else 1
        if entry.sequence in state.sequences_seen:
            return broken(
                position,
                entry,
                "duplicate",
                f"sequence {entry.sequence} appears twice for {entry.object_id}",
            )
        if entry.sequence != expected:
            if entry.sequence > expected and expected in remaining[entry.object_id]:
                return broken(
                    position,
                    entry,
                    "reordered",
                    f"sequence {entry.sequence} stored before sequence {expected}",
                )
            if entry.sequence < expected:
                return broken(
                    position,
                    entry,
                    "reordered",
                    f"sequence {entry.sequence} stored after sequence {expected - 1}",
                )
            missing = (
                expected if expected == entry.sequence - 1 else f"{expected}..{entry.sequence - 1}"
            )
            return broken(
                position, entry, "gap", f"entry {missing} of {entry.object_id} is missing (deleted)"
            )
        previous_hash = state.last.entry_hash if state.last else GENESIS_HASH
        if entry.prev_hash != previous_hash:
            return broken(
                position, entry, "broken-link", "previous-hash does not match the entry before it"
            )
        if state.last and entry.timestamp < state.last.timestamp:
            return broken(
                position,
                entry,
                "reordered",
                f"timestamp {entry.timestamp} is earlier than the previous entry's "
                f"{state.last.timestamp}",
            )
        problem = next_state_problem(state, entry, used_seals)
        if problem is not None:
            return broken(position, entry, problem.kind, str(problem))
        apply_entry(state, entry, used_seals)
    if anchor:
        return _check_anchor(items, anchor, len(states))
    return ChainVerdict(True, len(items), len(states))


def anchor_of(entries: Iterable[CustodyEntry]) -> dict[str, dict[str, object]]:
    """The head (last sequence and its hash) of every object's chain: a small JSON-able
    record to keep outside the database (printed, signed, sent to a court) and check later."""
    heads: dict[str, dict[str, object]] = {}
    for entry in entries:
        if entry.sequence > int(heads.get(entry.object_id, {}).get("sequence", 0)):
            heads[entry.object_id] = {"sequence": entry.sequence, "entry_hash": entry.entry_hash}
    return dict(sorted(heads.items()))


def _check_anchor(
    items: list[CustodyEntry], anchor: Mapping[str, Mapping[str, object]], objects: int
) -> ChainVerdict:
    found = {(e.object_id, e.sequence): (position, e) for position, e in enumerate(items)}
    for object_id, head in sorted(anchor.items()):
        try:
            sequence, digest = int(head["sequence"]), str(head["entry_hash"])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError) as exc:
            raise CustodyInputError(
                f"anchor entry for {object_id!r} is not {{sequence, entry_hash}}: {head!r}"
            ) from exc
        if (object_id, sequence) not in found:
            return ChainVerdict(
                False,
                len(items),
                objects,
                kind="truncated",
                missing=(object_id, sequence),
                reason=f"entry {sequence} recorded in the anchor is missing "
                f"(deleted from the end of the chain)",
            )
        position, entry = found[(object_id, sequence)]
        if entry.entry_hash != digest:
            return ChainVerdict(
                False,
                len(items),
                objects,
                entry,
                position,
                "anchor-mismatch",
                "hash differs from the anchor (chain rewritten since)",
            )
    return ChainVerdict(True, len(items), objects)


def holder_of(entries: Iterable[CustodyEntry]) -> ObjectState:
    """Replay one object's (already verified) entries and return its current state."""
    state = ObjectState()
    used: dict[str, str] = {}
    for entry in entries:
        apply_entry(state, entry, used)
    return state


def next_entry(
    previous: CustodyEntry | None,
    *,
    object_id: str,
    action: str,
    actor: str,
    place: str,
    timestamp: datetime | str,
    seal_id: str = "",
    recipient: str = "",
    content_hash: str = "",
    note: str = "",
) -> CustodyEntry:
    """The entry that follows ``previous`` (``None`` for the first), with its hash set."""
    return CustodyEntry(
        object_id=object_id,
        sequence=previous.sequence + 1 if previous else 1,
        action=action,
        actor=actor,
        place=place,
        timestamp=canonical_timestamp(timestamp),
        seal_id=seal_id,
        recipient=recipient,
        content_hash=content_hash,
        prev_hash=previous.entry_hash if previous else GENESIS_HASH,
        note=note,
    ).sealed()


# --------------------------------------------------------------------------- databases

CUSTODY_TABLE = "custody_entry"
CUSTODY_COLUMNS = (
    "object_id",
    "sequence",
    "action",
    "actor",
    "place",
    "recorded_at",
    "seal_id",
    "recipient",
    "content_hash",
    "prev_hash",
    "entry_hash",
    "note",
    "hash_version",
)


def read_entries(connection) -> list[CustodyEntry]:
    """Read the registry's custody table through any DB-API connection, in stored order."""
    cursor = connection.cursor()
    try:
        cursor.execute(f"SELECT {', '.join(CUSTODY_COLUMNS)} FROM {CUSTODY_TABLE} ORDER BY id")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    entries = []
    for row in rows:
        mapping = dict(zip(CUSTODY_COLUMNS, row, strict=True))
        mapping["timestamp"] = mapping.pop("recorded_at")
        entries.append(CustodyEntry.from_mapping(mapping))
    return entries


def connect(url: str):
    """Open a DB-API connection from a ``sqlite:///path`` or ``postgres://`` URL."""
    if url.startswith("sqlite:///"):
        import sqlite3

        path = url[len("sqlite:///") :]
        if not path or not Path(path).is_file():
            raise CustodyInputError(f"no SQLite database at {path!r}")
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if url.startswith(("postgres://", "postgresql://")):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CustodyInputError(
                "reading PostgreSQL needs psycopg (pip install 'nasab[web]')"
            ) from exc
        try:
            return psycopg.connect(url)
        except psycopg.Error as exc:
            raise CustodyInputError(f"cannot connect to {url}: {exc}".strip()) from exc
    raise CustodyInputError(
        f"unsupported database URL {url!r} (use sqlite:///PATH or postgres://...)"
    )


# --------------------------------------------------------------------------- bundles


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bundle(
    folder: str | os.PathLike[str],
    entries: Iterable[CustodyEntry],
    extra_files: Mapping[str, bytes] | None = None,
) -> Path:
    """Write ``custody.jsonl``, any extra files and ``MANIFEST.sha256`` into a new folder."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=False)
    lines = [json.dumps(e.as_dict(), sort_keys=True, ensure_ascii=False) for e in entries]
    files = {BUNDLE_ENTRIES: "".join(line + "\n" for line in lines).encode("utf-8")}
    for name, content in (extra_files or {}).items():
        target = root / name
        if (
            target.resolve().parent != root.resolve()
            and root.resolve() not in target.resolve().parents
        ):
            raise CustodyInputError(f"bundle file name escapes the bundle: {name!r}")
        files[target.relative_to(root).as_posix()] = content
    manifest = "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)
    )
    with AtomicGroup() as group:  # the bundle's files appear together, or none of them
        for name, content in files.items():
            group.data(root / name, content)
        group.text(root / BUNDLE_MANIFEST, manifest)
    return root


def zip_bundle(folder: str | os.PathLike[str], zip_path: str | os.PathLike[str]) -> Path:
    root = Path(folder)
    with (
        AtomicGroup() as group,
        zipfile.ZipFile(group.path(zip_path), "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(root).as_posix())
    return Path(zip_path)


@dataclass(frozen=True)
class BundleVerdict:
    ok: bool
    problems: tuple[str, ...]
    chain: ChainVerdict | None

    def describe(self) -> str:
        if self.ok:
            assert self.chain is not None
            return f"bundle intact; chain {self.chain.describe()}"
        return "bundle BROKEN:\n  " + "\n  ".join(self.problems)


def _read_manifest(root: Path) -> dict[str, str]:
    manifest_path = root / BUNDLE_MANIFEST
    if not manifest_path.is_file():
        raise CustodyInputError(f"{root} is not a custody bundle: no {BUNDLE_MANIFEST}")
    listed: dict[str, str] = {}
    for number, line in enumerate(manifest_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise CustodyInputError(
                f"{BUNDLE_MANIFEST} line {number} is not '<sha256>  <file>': {line!r}"
            )
        if name.startswith("/") or ".." in Path(name).parts:
            raise CustodyInputError(
                f"{BUNDLE_MANIFEST} line {number} names a path outside the bundle"
            )
        listed[name] = digest
    return listed


def _verify_folder(root: Path) -> BundleVerdict:
    listed = _read_manifest(root)
    problems = []
    for name, digest in listed.items():
        path = root / name
        if not path.is_file():
            problems.append(f"{name}: listed in the manifest but missing")
        elif file_sha256(path) != digest:
            problems.append(f"{name}: contents differ from the manifest (modified)")
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for name in sorted(present - set(listed) - {BUNDLE_MANIFEST}):
        problems.append(f"{name}: present but not listed in the manifest (added)")
    if BUNDLE_ENTRIES not in listed:
        problems.append(f"{BUNDLE_ENTRIES}: not listed in the manifest")
    chain = None
    entries_path = root / BUNDLE_ENTRIES
    if entries_path.is_file():
        rows = []
        for number, line in enumerate(entries_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(CustodyEntry.from_mapping(json.loads(line)))
            except (json.JSONDecodeError, AttributeError) as exc:
                raise CustodyInputError(
                    f"{BUNDLE_ENTRIES} line {number} is not a JSON object"
                ) from exc
            except CustodyInputError as exc:
                raise CustodyInputError(f"{BUNDLE_ENTRIES} line {number}: {exc}") from exc
        chain = verify_chain(rows)
        if not chain.ok:
            problems.append(f"{BUNDLE_ENTRIES}: chain {chain.describe()}")
    return BundleVerdict(not problems, tuple(problems), chain)


def verify_bundle(path: str | os.PathLike[str]) -> BundleVerdict:
    """Check a bundle folder or zip: manifest hashes, no extra files, intact chain.

    Raises :class:`CustodyInputError` when ``path`` is not a readable bundle at all.
    """
    root = Path(path)
    if root.is_dir():
        return _verify_folder(root)
    if root.is_file() and zipfile.is_zipfile(root):
        with zipfile.ZipFile(root) as archive, tempfile.TemporaryDirectory() as tmp:
            for info in archive.infolist():
                parts = Path(info.filename).parts
                if info.filename.startswith("/") or ".." in parts:
                    raise CustodyInputError(f"zip member escapes the bundle: {info.filename!r}")
            archive.extractall(tmp)
            return _verify_folder(Path(tmp))
    raise CustodyInputError(f"{path} is neither a bundle folder nor a zip file")
