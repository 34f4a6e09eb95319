"""Anchoring the custody and audit chains outside the database, without anyone doing it by hand.

After every committed transaction that added audit events or custody entries, one signed
line is appended to the anchor log (``settings.NASAB_ANCHOR_DIR/anchors.jsonl``): the audit
chain's head and the heads of the custody chains that changed. The signing key
(``settings.NASAB_SIGNING_KEY``, Ed25519, PEM) is a file outside the database, created on
first use. :func:`verify` checks both chains against the log (see :mod:`nasab.custody.anchor` for
what it detects and how it names it).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from nasab.custody import anchor as anchor_log
from nasab.custody import chain

log = logging.getLogger("nasab.anchor")
_pending = threading.local()


def enabled() -> bool:
    return bool(getattr(settings, "NASAB_ANCHOR_DIR", None))


def anchor_dir() -> Path:
    return Path(settings.NASAB_ANCHOR_DIR)


def signing_key():
    return anchor_log.load_or_create_key(settings.NASAB_SIGNING_KEY)


def public_key():
    """The key anchors are checked with: the configured signing key's public half."""
    return signing_key().public_key()


def changed(*object_ids: str) -> None:
    """Note a change (custody objects by id); the anchor is written once the transaction commits."""
    if not enabled():
        return
    objects = getattr(_pending, "objects", None)
    if objects is None:
        objects = _pending.objects = set()
    objects.update(object_ids)
    transaction.on_commit(flush)


def _audit_head() -> dict | None:
    from .models import AuditEvent

    head = (
        AuditEvent.objects.exclude(sequence=None)
        .order_by("-sequence")
        .values("sequence", "entry_hash")
        .first()
    )
    return head


def _custody_heads(object_ids) -> dict[str, dict]:
    from custody.models import CustodyEntry

    heads: dict[str, dict] = {}
    rows = CustodyEntry.objects.filter(object_id__in=list(object_ids)).values_list(
        "object_id", "sequence", "entry_hash"
    )
    for object_id, sequence, digest in rows:
        if sequence > heads.get(object_id, {}).get("sequence", 0):
            heads[object_id] = {"sequence": sequence, "entry_hash": digest}
    return heads


def _legacy() -> int:
    from custody.models import CustodyEntry

    return CustodyEntry.objects.filter(hash_version__lt=2).count()


def flush() -> dict | None:
    """Append one anchor line for what changed since the last one (nothing when nothing did)."""
    objects = getattr(_pending, "objects", None) or set()
    _pending.objects = set()
    head = _audit_head()
    last = getattr(_pending, "last_audit", None)
    if not objects and head == last:
        return None
    try:
        first = not anchor_log.anchor_log_path(anchor_dir()).is_file()
        line = anchor_log.append_anchor(
            anchor_dir(),
            signing_key(),
            audit_head=head,
            custody_heads=_custody_heads(objects),
            legacy=_legacy() if first else None,
        )
    except (OSError, chain.CustodyInputError) as exc:
        # The change is committed; verification will say how many events are unanchored.
        log.error("could not append to the anchor log in %s: %s", anchor_dir(), exc)
        return None
    _pending.last_audit = head
    return line


def anchor_everything(event: str, note: str = "") -> dict:
    """One line holding every custody chain's head (``event`` "restore": the anchor starts again
    from this database, see :func:`nasab.custody.anchor.read_anchor_log`)."""
    from custody.models import CustodyEntry

    objects = set(CustodyEntry.objects.values_list("object_id", flat=True).distinct())
    line = anchor_log.append_anchor(
        anchor_dir(),
        signing_key(),
        audit_head=_audit_head(),
        custody_heads=_custody_heads(objects),
        event=event,
        note=note,
        legacy=_legacy(),
    )
    _pending.last_audit = _audit_head()
    return line


def anchor_state() -> anchor_log.AnchorState | None:
    """The anchor log as read back and checked (``None`` when anchoring is off or nothing was anchored yet)."""
    if not enabled():
        return None
    path = anchor_log.anchor_log_path(anchor_dir())
    if not path.is_file():
        return None
    return anchor_log.read_anchor_log(path, public_key())


def verify(state: anchor_log.AnchorState | None = None) -> anchor_log.RegistryVerdict:
    """Custody chain, audit chain and anchor log (the configured one unless ``state`` is given)
    together, read with the raw connection (as the CLI does)."""
    connection.ensure_connection()
    raw = connection.connection
    entries = chain.read_entries(raw)
    events = anchor_log.read_audit_events(raw)
    state = state if state is not None else anchor_state()
    verdict = anchor_log.verify_registry(entries, events, state)
    if state is None and enabled() and (entries or events) and verdict.ok:
        # Anchoring is on and the registry holds records, but there is no anchor log at all.
        return anchor_log.RegistryVerdict(
            verdict.custody,
            verdict.audit,
            None,
            "anchor-missing",
            f"no anchor log in {anchor_dir()} although the registry holds {len(entries)} custody entries "
            f"and {len(events or [])} audit events (the log was deleted, or NASAB_ANCHOR_DIR points elsewhere; "
            f"a registry that predates anchoring starts its log with verify_custody --start-anchor)",
        )
    return verdict


def retire_log() -> Path | None:
    """Move the anchor log aside (never deleted) when its database is deliberately thrown away
    (``demo_programme --reset``); the next change starts a new log."""
    if not enabled():
        return None
    path = anchor_log.anchor_log_path(anchor_dir())
    if not path.is_file():
        return None
    from django.utils import timezone

    target = anchor_dir().parent / f"{anchor_dir().name}.retired-{timezone.now():%Y%m%dT%H%M%S%f}"
    anchor_dir().rename(target)
    return target
