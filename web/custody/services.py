"""Recording and verifying custody. Views and commands call these; they hold no logic of their own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.roles import can
from audit import anchoring
from audit.models import AuditAction
from audit.services import record as audit
from fieldwork.models import RemainsUnit, Sample
from nasab.custody import chain

from .models import CustodyEntry


class CustodyRefused(Exception):
    """A custody entry that may not be recorded; the message says why, for the user."""


@dataclass(frozen=True)
class CustodyObject:
    """A sample or remains unit, as custody sees it."""

    object_id: str
    kind: str  # "sample" or "remains"
    instance: Sample | RemainsUnit

    def describe(self) -> dict[str, str]:
        obj = self.instance
        if isinstance(obj, Sample):
            parent = obj.parent
            return {
                "kind": "sample",
                "sample_kind": obj.get_kind_display(),
                "skeletal_element": obj.get_skeletal_element_display()
                if obj.skeletal_element
                else "",
                "parent": str(
                    parent.barcode
                    if isinstance(parent, Sample)
                    else getattr(parent, "code", f"donor #{getattr(parent, 'pk', '')}")
                ),
            }
        return {
            "kind": "remains",
            "site": obj.site.code,
            "label_at_discovery": obj.label_at_discovery,
        }


def resolve(object_id: str) -> CustodyObject:
    """The sample (by barcode) or remains unit (by code) named ``object_id``."""
    object_id = object_id.strip()
    sample = Sample.objects.filter(barcode=object_id).first()
    if sample is not None:
        return CustodyObject(object_id, "sample", sample)
    remains = RemainsUnit.objects.filter(code=object_id).first()
    if remains is not None:
        return CustodyObject(object_id, "remains", remains)
    raise CustodyRefused(f"No sample or remains unit is registered as {object_id!r}.")


def history(object_id: str) -> list[CustodyEntry]:
    return list(CustodyEntry.objects.for_object(object_id))


def state_of(object_id: str) -> chain.ObjectState:
    return chain.holder_of(e.as_chain_entry() for e in history(object_id))


def used_seals() -> dict[str, str]:
    return dict(CustodyEntry.objects.filter(action="sealed").values_list("seal_id", "object_id"))


def _friendly(problem: chain.CustodyRuleError, state: chain.ObjectState, object_id: str) -> str:
    if problem.kind == "not-holder":
        if state.in_transit_to is not None:
            return (
                f"{object_id} is in transit to {state.in_transit_to}; it must be received "
                f"before anything else is recorded."
            )
        return (
            f"You do not hold {object_id}: it is held by {state.holder}. Only the holder "
            f"can transfer, seal, open, subsample, consume or destroy it."
        )
    return f"Cannot record this for {object_id}: {problem}."


@transaction.atomic
def record(
    *,
    object_id: str,
    action: str,
    actor,
    place: str,
    seal_id: str = "",
    recipient: str = "",
    content_hash: str = "",
    note: str = "",
    when: datetime | None = None,
) -> CustodyEntry:
    """Append one custody entry after checking it against the object's chain.

    Raises :class:`CustodyRefused` (and saves nothing) when the entry breaks a custody rule:
    the actor does not hold the object, the seal does not match, the recipient is unknown...
    """
    if not can(actor, "custody.record"):
        raise CustodyRefused("Your role may not record custody events.")
    target = resolve(object_id)
    object_id = target.object_id
    if not place.strip():
        raise CustodyRefused("Say where this happened.")
    if action == "transferred":
        recipient_user = get_user_model().objects.filter(username=recipient, is_active=True).first()
        if recipient_user is None:
            raise CustodyRefused(f"Unknown recipient {recipient!r}: name an active user.")
        if not can(recipient_user, "custody.record"):
            raise CustodyRefused(f"{recipient} may not hold evidence (role lacks custody rights).")
    elif recipient:
        raise CustodyRefused("Only transfers name a recipient.")
    rows = list(CustodyEntry.objects.select_for_update().for_object(object_id))
    entries = [row.as_chain_entry() for row in rows]
    previous = entries[-1] if entries else None
    state = chain.holder_of(entries)
    when = when or timezone.now()
    if previous is not None and chain.canonical_timestamp(when) < previous.timestamp:
        raise CustodyRefused("This entry would be dated before the previous one.")
    entry = chain.next_entry(
        previous,
        object_id=object_id,
        action=action,
        actor=actor.username,
        place=place.strip(),
        timestamp=when,
        seal_id=seal_id.strip(),
        recipient=recipient.strip(),
        content_hash=content_hash.strip(),
        note=note.strip(),
    )
    problem = chain.next_state_problem(state, entry, used_seals())
    if problem is not None:
        raise CustodyRefused(_friendly(problem, state, object_id))
    try:
        with transaction.atomic():
            row = CustodyEntry.objects.create(
                object_id=entry.object_id,
                sequence=entry.sequence,
                action=entry.action,
                actor=entry.actor,
                place=entry.place,
                recorded_at=datetime.fromisoformat(entry.timestamp.replace("Z", "+00:00")),
                seal_id=entry.seal_id,
                recipient=entry.recipient,
                content_hash=entry.content_hash,
                prev_hash=entry.prev_hash,
                entry_hash=entry.entry_hash,
                note=entry.note,
            )
    except IntegrityError as exc:  # another entry for this object was recorded meanwhile
        raise CustodyRefused(
            f"Another custody entry for {object_id} was recorded at the same "
            f"time; reload the log and try again."
        ) from exc
    if action == "consumed" and target.kind == "sample":
        Sample.objects.filter(pk=target.instance.pk).update(consumed=True)
    audit(
        actor,
        AuditAction.RECORD_CUSTODY,
        object_type=target.kind,
        object_id=object_id,
        custody_action=action,
        sequence=entry.sequence,
        entry_hash=entry.entry_hash,
    )
    anchoring.changed(object_id)
    return row


def verify_registry():
    """Custody and audit chains checked against the signed anchor log (:func:`audit.anchoring.verify`)."""
    return anchoring.verify()


def verify_database(anchor: dict | None = None) -> chain.ChainVerdict:
    """Verify every stored custody entry (against a hand-kept head list, if given), read with
    the raw connection (what the CLI does)."""
    connection.ensure_connection()
    return chain.verify_chain(chain.read_entries(connection.connection), anchor)


def anchor() -> dict:
    connection.ensure_connection()
    return chain.anchor_of(chain.read_entries(connection.connection))


def export_bundle(user, folder: str | Path, object_ids: list[str] | None = None) -> Path:
    """Write a custody bundle (all objects, or the named ones) and audit the export.

    Raises :class:`CustodyRefused` for an object id that names no sample or remains unit.
    """
    rows = CustodyEntry.objects.all()
    if object_ids:
        object_ids = [resolve(object_id).object_id for object_id in object_ids]  # refuses unknown
        rows = rows.filter(object_id__in=object_ids)
    entries = [row.as_chain_entry() for row in rows.order_by("id")]
    objects = {}
    for object_id in sorted({e.object_id for e in entries}):
        try:
            objects[object_id] = resolve(object_id).describe()
        except CustodyRefused:
            objects[object_id] = {"kind": "unknown"}
    readme = (
        "Chain-of-custody bundle exported from the nasab registry.\n\n"
        "Check the files:   sha256sum -c MANIFEST.sha256\n"
        "Check the chain:   nasab custody verify-bundle <this folder>\n\n"
        f"Exported {timezone.now():%Y-%m-%d %H:%M} UTC by {user.username}; "
        f"{len(entries)} entries on {len(objects)} objects.\n"
    )
    path = chain.write_bundle(
        folder,
        entries,
        {
            "objects.json": json.dumps(
                objects, indent=2, ensure_ascii=False, sort_keys=True
            ).encode(),
            "README.txt": readme.encode(),
        },
    )
    audit(
        user,
        AuditAction.EXPORT_CUSTODY,
        object_type="custody bundle",
        object_id=path.name,
        entries=len(entries),
        objects=len(objects),
    )
    return path
