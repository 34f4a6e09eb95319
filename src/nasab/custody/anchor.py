"""The audit log's hash chain, and signed anchors kept outside the database.

Pure logic, no web framework (like :mod:`nasab.custody`, whose custody chain this completes).

*Audit chain.* Every audit event carries a global ``sequence`` (1, 2, 3, ...), the hash of
the event before it and its own hash: the SHA-256 of the canonical JSON of every field
(:data:`AUDIT_HASHED_FIELDS`). :func:`verify_audit_chain` names the first event that was
edited, deleted or moved.

*Anchors.* Hash chains show an entry changed or removed in the middle; they cannot show a
chain rewritten from some point on with recomputed hashes, entries cut from the end, or the
whole database swapped for an older copy. The registry therefore appends, after every
change, one line to an *anchor log* (``anchors.jsonl``) in a place outside the database:
the audit chain's head (sequence and hash) and the heads of the custody chains that changed.
Each line carries the hash of the line before it and an Ed25519 signature over its contents
(the signing key is a file outside the database). :func:`verify_registry` checks the custody
and audit chains against the log and names what it finds:

``anchor-mismatch`` / ``audit-rewritten``  a chain rewritten (hashes recomputed) since it was anchored;
``truncated``                            a custody entry that was anchored is gone (cut from a chain's end);
``audit-truncated``                      audit events that were anchored are gone;
``replaced-database``                    the whole database is an older copy (its audit head is an
                                          earlier anchored head): everything recorded since is missing;
``anchor-forged``                        the anchor log itself was edited or its signature is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nasab.custody import chain as custody
from nasab.custody.audit import (
    AUDIT_COLUMNS,
    AUDIT_HASHED_FIELDS,
    AUDIT_TABLE,
    GENESIS_HASH,
    AuditRecord,
    AuditVerdict,
    next_audit_record,
    normalise_address,
    normalise_json,
    read_audit_events,
    verify_audit_chain,
)
from nasab.custody.keys import (
    key_fingerprint,
    load_or_create_key,
    load_public_key,
    public_pem,
)

ANCHOR_LOG = "anchors.jsonl"
PUBLIC_KEY_FILE = "anchor-public-key.pem"


# --------------------------------------------------------------------------- anchor log


def _line_bytes(line: Mapping[str, object]) -> bytes:
    body = {k: v for k, v in line.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _last_line(path: Path) -> dict | None:
    if not path.is_file() or path.stat().st_size == 0:
        return None
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        block = 1 << 14
        while True:
            start = max(0, size - block)
            handle.seek(start)
            lines = handle.read().splitlines()
            if len(lines) > 1 or start == 0:
                return json.loads(lines[-1]) if lines else None
            block *= 4


def append_anchor(
    folder: str | os.PathLike[str],
    private_key,
    *,
    audit_head: Mapping[str, object] | None,
    custody_heads: Mapping[str, Mapping[str, object]],
    event: str = "change",
    when: datetime | None = None,
    note: str = "",
    legacy: int | None = None,
) -> dict:
    """Append one signed line to ``folder/anchors.jsonl`` (created with its public key on first
    use); lines are only ever appended, under a file lock, and flushed to disk."""
    import fcntl

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    pub = root / PUBLIC_KEY_FILE
    if not pub.exists():
        pub.write_bytes(public_pem(private_key.public_key()))
    path = root / ANCHOR_LOG
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            last = _last_line(path)
            line = {
                "n": (int(last["n"]) + 1) if last else 1,
                "at": custody.canonical_timestamp(when or datetime.now(UTC)),
                "event": event,
                "prev": hashlib.sha256(_line_bytes(last)).hexdigest() if last else GENESIS_HASH,
                "audit": dict(audit_head)
                if audit_head
                else {"sequence": 0, "entry_hash": GENESIS_HASH},
                "custody": {k: dict(v) for k, v in sorted(custody_heads.items())},
                "key": key_fingerprint(private_key.public_key()),
            }
            if note:
                line["note"] = note
            if legacy is not None:
                line["legacy"] = int(legacy)  # custody entries recorded before notes were hashed
            line["sig"] = private_key.sign(_line_bytes(line)).hex()
            handle.seek(0, os.SEEK_END)
            handle.write(json.dumps(line, sort_keys=True, ensure_ascii=False).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return line


@dataclass
class AnchorState:
    """What the anchor log says the database held, line by line."""

    lines: int = 0
    last_at: str = ""
    custody_heads: dict[str, dict[str, object]] = field(default_factory=dict)
    custody_anchored: dict[tuple[str, int], str] = field(
        default_factory=dict
    )  # every head ever anchored
    audit_heads: list[tuple[int, str, str, int]] = field(
        default_factory=list
    )  # (sequence, hash, at, line)
    key: str = ""
    problem: str = ""  # why the log itself cannot be trusted ("" when it can)
    restores: list[str] = field(default_factory=list)  # each acknowledged restore, described
    conflict: str = ""  # a custody head anchored twice with different hashes
    legacy: int | None = None  # how many entries were hash version 1 when the log started

    @property
    def audit_head(self) -> tuple[int, str]:
        return (
            (self.audit_heads[-1][0], self.audit_heads[-1][1])
            if self.audit_heads
            else (0, GENESIS_HASH)
        )


def anchor_log_path(location: str | os.PathLike[str]) -> Path:
    path = Path(location)
    return path / ANCHOR_LOG if path.is_dir() else path


def read_anchor_log(location: str | os.PathLike[str], public_key=None) -> AnchorState:
    """Replay the anchor log (a folder holding ``anchors.jsonl``, or the file): check every link
    and the last line's signature (which, through the links, covers every line before it).

    ``public_key`` defaults to the key file beside the log. Raises
    :class:`~nasab.custody.CustodyInputError` when there is no readable log at all."""
    path = anchor_log_path(location)
    if not path.is_file():
        raise custody.CustodyInputError(f"no anchor log at {path}")
    if public_key is None:
        public_key = load_public_key(path.parent / PUBLIC_KEY_FILE)
    state = AnchorState(key=key_fingerprint(public_key))
    previous: dict | None = None
    text = custody.read_utf8(path, str(path))
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            n = int(line["n"])
            audit = line["audit"]
            heads = line["custody"]
            audit_head = (int(audit["sequence"]), str(audit["entry_hash"]))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            state.problem = f"anchor log line {number} is not an anchor record (edited)"
            return state
        expected_prev = (
            hashlib.sha256(_line_bytes(previous)).hexdigest() if previous else GENESIS_HASH
        )
        if n != (int(previous["n"]) + 1 if previous else 1) or line.get("prev") != expected_prev:
            state.problem = (
                f"anchor log line {number} does not follow the line before it (log edited)"
            )
            return state
        if str(line.get("event", "")).startswith("restore"):
            # A restore from a backup, acknowledged by whoever ran it: the anchor starts again
            # from the restored database (the line holds every chain's head), and says so.
            lost = state.audit_head[0] - audit_head[0]
            state.restores.append(
                f"restored from a backup at {line.get('at')} (anchor line {n}): "
                + (f"{lost} anchored audit events before it were lost; " if lost > 0 else "")
                + str(line.get("note", ""))
            )
            state.custody_heads, state.audit_heads, state.custody_anchored, state.conflict = (
                {},
                [],
                {},
                "",
            )
        for object_id, head in heads.items():
            state.custody_heads[object_id] = {
                "sequence": int(head["sequence"]),
                "entry_hash": str(head["entry_hash"]),
            }
            key, digest = (object_id, int(head["sequence"])), str(head["entry_hash"])
            if state.custody_anchored.setdefault(key, digest) != digest and not state.conflict:
                state.conflict = (
                    f"object {object_id}, sequence {key[1]} was anchored with one hash and "
                    f"re-anchored at line {n} with another — the chain was rewritten "
                    f"with recomputed hashes in between"
                )
        if "legacy" in line:
            state.legacy = int(line["legacy"])
        if not state.audit_heads or state.audit_heads[-1][:2] != audit_head:
            state.audit_heads.append((*audit_head, str(line.get("at", "")), n))
        state.lines, state.last_at = n, str(line.get("at", ""))
        previous = line
    if previous is not None:
        from cryptography.exceptions import InvalidSignature

        try:
            public_key.verify(bytes.fromhex(str(previous.get("sig", ""))), _line_bytes(previous))
        except (InvalidSignature, ValueError):
            state.problem = (
                f"the signature of anchor line {previous['n']} does not verify with key "
                f"{state.key} (log forged or key replaced)"
            )
    return state


def read_head_list(path: str | os.PathLike[str]) -> dict:
    """A hand-kept anchor (JSON from ``nasab custody anchor``: object -> {sequence, entry_hash})."""
    try:
        heads = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise custody.CustodyInputError(f"cannot read anchor {path}: {exc}") from exc
    if not isinstance(heads, dict):
        raise custody.CustodyInputError(f"anchor {path} is not a JSON object")
    return heads


# --------------------------------------------------------------------------- the whole registry


@dataclass(frozen=True)
class RegistryVerdict:
    """Custody chain, audit chain and anchor, checked together. ``kind`` names the first problem."""

    custody: custody.ChainVerdict
    audit: AuditVerdict | None
    anchor: AnchorState | None
    kind: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.kind

    def describe(self) -> str:
        lines = [f"custody: {self.custody.describe()}"]
        lines.append(
            self.audit.describe() if self.audit else "audit log: not checked (no audit table)"
        )
        if self.anchor is None:
            lines.append(
                "anchor: none given (a rewritten or truncated chain, or an older database, "
                "cannot be detected without one)"
            )
        else:
            lines.append(
                f"anchor: {self.anchor.lines} signed lines up to {self.anchor.last_at or '-'}, "
                f"key {self.anchor.key}"
            )
        if self.kind:
            lines.insert(0, f"BROKEN: {self.kind}: {self.reason}")
        else:
            lines.insert(0, "INTACT")
        lines.extend(self.notes)
        if self.anchor is not None:
            lines.extend(f"note: {text}" for text in self.anchor.restores)
        return "\n".join(lines)


def _audit_at(events: list[AuditRecord], sequence: int) -> AuditRecord | None:
    if 1 <= sequence <= len(events) and events[sequence - 1].sequence == sequence:
        return events[sequence - 1]
    return next((e for e in events if e.sequence == sequence), None)


Finding = tuple[str, str]  # (kind, reason) of a broken verdict


def verify_registry(
    entries: Iterable[custody.CustodyEntry],
    events: list[AuditRecord] | None,
    anchor: AnchorState | None = None,
) -> RegistryVerdict:
    """Verify custody entries (stored order) and audit events, and compare both with the
    anchor. The checks run in a fixed order and the first finding is the verdict: the anchor
    file itself, the audit log against the anchored heads, the chains' own hashes, the
    anchor's conflicts and hash versions, then every anchored custody head."""
    entries = list(entries)
    chain = custody.verify_chain(entries)
    audit = verify_audit_chain(events) if events is not None else None
    events = sorted(events or [], key=lambda e: e.sequence)
    notes = _legacy_notes(entries)
    found = (
        (("anchor-forged", anchor.problem) if anchor is not None and anchor.problem else None)
        or _audit_against_anchor(anchor, events, entries, notes)
        or _own_chains(audit, chain)
        or _anchor_conflicts(anchor, entries)
    )
    if found is None and anchor is not None:
        anchored = custody.verify_chain(entries, anchor.custody_heads)
        found = _anchored_heads(anchor, entries) if anchored.ok else None
        if not anchored.ok:
            reason = anchored.describe()
            if anchored.kind == "anchor-mismatch":
                reason += " — the chain was rewritten with recomputed hashes"
            return RegistryVerdict(anchored, audit, anchor, anchored.kind, reason, tuple(notes))
    kind, reason = found or ("", "")
    return RegistryVerdict(chain, audit, anchor, kind, reason, tuple(notes))


def _legacy_notes(entries: list[custody.CustodyEntry]) -> list[str]:
    legacy = sum(1 for e in entries if e.hash_version < 2 and e.note)
    if not legacy:
        return []
    return [
        f"note: {legacy} custody entries were recorded before notes were hashed; "
        f"their notes are not protected by the hash"
    ]


def _audit_against_anchor(
    anchor: AnchorState | None,
    events: list[AuditRecord],
    entries: list[custody.CustodyEntry],
    notes: list[str],
) -> Finding | None:
    """The audit log against the anchored audit heads: cut, replaced by an older copy, or
    rewritten; a note (added to ``notes``) when events follow the last anchor line."""
    if anchor is None or not anchor.audit_heads:
        return None
    anchored_seq, _ = anchor.audit_head
    held = events[-1].sequence if events else 0
    if held < anchored_seq:
        return _older_audit(anchor, events, entries, held)
    for sequence, digest, at, _line in anchor.audit_heads:
        event = _audit_at(events, sequence) if sequence else None
        if sequence and (event is None or event.entry_hash != digest):
            return (
                "audit-rewritten",
                f"audit event {sequence} differs from the hash anchored at {at} (log rewritten)",
            )
    if held > anchored_seq:
        notes.append(f"note: {held - anchored_seq} audit events after the last anchor line")
    return None


def _older_audit(
    anchor: AnchorState,
    events: list[AuditRecord],
    entries: list[custody.CustodyEntry],
    held: int,
) -> Finding:
    """Fewer audit events than anchored: an older database (it ends exactly at an earlier
    anchored head), or events cut from the end."""
    anchored_seq, _ = anchor.audit_head
    earlier = [h for h in anchor.audit_heads if h[0] <= held]
    match = earlier[-1] if earlier else None
    event = _audit_at(events, match[0]) if match and match[0] else None
    if not (match and (match[0] == 0 or (event is not None and event.entry_hash == match[1]))):
        return (
            "audit-truncated",
            f"audit events {held + 1}..{anchored_seq} were anchored but are missing",
        )
    missing_custody = sum(
        1
        for object_id, head in anchor.custody_heads.items()
        if not any(e.object_id == object_id and e.sequence == head["sequence"] for e in entries)
    )
    when = match[2] or "the start of the log"
    return (
        "replaced-database",
        f"the database is an older copy: it ends where the anchor stood at {when} "
        f"(audit event {held}), but {anchored_seq - held} audit events and "
        f"{missing_custody} custody chain heads were anchored after that (up to "
        f"{anchor.last_at}); restored from an older backup or replaced",
    )


def _own_chains(audit, chain) -> Finding | None:
    """The audit chain's and the custody chains' own hashes."""
    if audit is not None and not audit.ok:
        return audit.kind, audit.describe()
    if not chain.ok:
        return chain.kind, chain.describe()
    return None


def _anchor_conflicts(
    anchor: AnchorState | None, entries: list[custody.CustodyEntry]
) -> Finding | None:
    """Conflicting anchor lines; entries re-marked as recorded before notes were hashed."""
    if anchor is None:
        return None
    if anchor.conflict:
        return "anchor-mismatch", anchor.conflict
    legacy_count = sum(1 for e in entries if e.hash_version < 2)
    if anchor.legacy is not None and legacy_count > anchor.legacy:
        return (
            "edited",
            f"{legacy_count - anchor.legacy} custody entries were re-marked as recorded before "
            f"notes were hashed (hash_version lowered: {legacy_count} such entries, "
            f"{anchor.legacy} when the anchor log started)",
        )
    return None


def _anchored_heads(anchor: AnchorState, entries: list[custody.CustodyEntry]) -> Finding | None:
    """Every custody head anchored earlier too, not only the latest: deleted or rewritten."""
    found = {(e.object_id, e.sequence): e for e in entries}
    for (object_id, sequence), digest in sorted(anchor.custody_anchored.items()):
        entry = found.get((object_id, sequence))
        if entry is None:
            return (
                "truncated",
                f"object {object_id}, sequence {sequence} was anchored but is missing (deleted)",
            )
        if entry.entry_hash != digest:
            return (
                "anchor-mismatch",
                f"object {object_id}, sequence {sequence} differs "
                f"from its anchored hash — the chain was rewritten "
                f"with recomputed hashes",
            )
    return None


__all__ = [
    "ANCHOR_LOG",
    "AUDIT_COLUMNS",
    "AUDIT_HASHED_FIELDS",
    "AUDIT_TABLE",
    "AnchorState",
    "AuditRecord",
    "AuditVerdict",
    "Finding",
    "GENESIS_HASH",
    "PUBLIC_KEY_FILE",
    "RegistryVerdict",
    "anchor_log_path",
    "append_anchor",
    "key_fingerprint",
    "load_or_create_key",
    "load_public_key",
    "next_audit_record",
    "normalise_address",
    "normalise_json",
    "public_pem",
    "read_anchor_log",
    "read_audit_events",
    "read_head_list",
    "verify_audit_chain",
    "verify_registry",
]
