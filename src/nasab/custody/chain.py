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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nasab.custody.entry import (
    ACTIONS,
    BUNDLE_ENTRIES,
    BUNDLE_MANIFEST,
    GENESIS_HASH,
    HASH_VERSION,
    HASHED_FIELDS,
    TERMINAL_ACTIONS,
    CustodyEntry,
    CustodyInputError,
    canonical_json,
    canonical_timestamp,
    entry_hash,
)
from nasab.custody.rules import (
    CustodyRuleError,
    ObjectState,
    apply_entry,
    next_state_problem,
)
from nasab.engine.output import AtomicGroup

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


def read_utf8(path: Path, name: str) -> str:
    """A bundle's or a log's text file; bytes that are not UTF-8 (a damaged or tampered
    file) are a CustodyInputError naming the file and the byte, not a traceback."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CustodyInputError(f"{name} is not UTF-8 text (byte {exc.start})") from None


def _read_manifest(root: Path) -> dict[str, str]:
    manifest_path = root / BUNDLE_MANIFEST
    if not manifest_path.is_file():
        raise CustodyInputError(f"{root} is not a custody bundle: no {BUNDLE_MANIFEST}")
    listed: dict[str, str] = {}
    for number, line in enumerate(read_utf8(manifest_path, BUNDLE_MANIFEST).splitlines(), 1):
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
        for number, line in enumerate(read_utf8(entries_path, BUNDLE_ENTRIES).splitlines(), 1):
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


__all__ = [
    "ACTIONS",
    "BUNDLE_ENTRIES",
    "BUNDLE_MANIFEST",
    "BundleVerdict",
    "CUSTODY_COLUMNS",
    "CUSTODY_TABLE",
    "ChainVerdict",
    "CustodyEntry",
    "CustodyInputError",
    "CustodyRuleError",
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "HASH_VERSION",
    "ObjectState",
    "TERMINAL_ACTIONS",
    "anchor_of",
    "apply_entry",
    "canonical_json",
    "canonical_timestamp",
    "connect",
    "entry_hash",
    "file_sha256",
    "holder_of",
    "next_entry",
    "next_state_problem",
    "read_entries",
    "read_utf8",
    "verify_bundle",
    "verify_chain",
    "write_bundle",
    "zip_bundle",
]
