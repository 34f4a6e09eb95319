"""Moving an identification through its stages, with the two-person rule."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.roles import can
from audit.models import AuditAction
from audit.services import record as audit

from .models import (
    ALLOWED_TRANSITIONS,
    Identification,
    IdentificationDecision,
    IdentificationStatus,
    MatchCandidate,
)


class DecisionRefused(Exception):
    """A decision that may not be made; the message says why."""


CAPABILITY_FOR = {
    IdentificationStatus.PRELIMINARY: "identification.propose",
    IdentificationStatus.CONFIRMED: "identification.confirm",
    IdentificationStatus.EXCLUDED: "matches.view",
}


@transaction.atomic
def record_notification(notification, user):
    """Record that a family was told of a confirmed identification."""
    notification.notified_by = user
    notification.full_clean()
    notification.save()
    audit(user, AuditAction.NOTIFY_FAMILY, notification.identification, relative=notification.relative_id,
          method=notification.method, notified_on=str(notification.notified_on))
    return notification


def identification_for(candidate: MatchCandidate) -> Identification:
    return Identification.objects.get_or_create(candidate=candidate)[0]


@transaction.atomic
def decide(identification: Identification, to_status: str, user, reason: str) -> Identification:
    """Move ``identification`` to ``to_status``, recording who decided and why.

    Preliminary: proposed by a lab analyst, who becomes the analyst of record.
    Confirmed: by a reviewer or the identification board, never the analyst.
    Excluded: by anyone who may see matches, giving the reason.
    """
    identification = Identification.objects.select_for_update().get(pk=identification.pk)
    current = IdentificationStatus(identification.status)
    try:
        target = IdentificationStatus(to_status)
    except ValueError as exc:
        raise DecisionRefused(f"Unknown status {to_status!r}.") from exc
    if target not in ALLOWED_TRANSITIONS[current]:
        raise DecisionRefused(f"A {current.label.lower()} identification cannot become "
                              f"{target.label.lower()}.")
    if not can(user, CAPABILITY_FOR[target]):
        raise DecisionRefused(f"Your role may not mark an identification {target.label.lower()}.")
    if not reason.strip():
        raise DecisionRefused("Give the reason for this decision.")
    if target == IdentificationStatus.PRELIMINARY:
        identification.analyst = user
    elif target == IdentificationStatus.CONFIRMED:
        if identification.analyst_id == user.pk:
            raise DecisionRefused("Confirmation needs a second person: you proposed this "
                                  "identification, so someone else must confirm it.")
        identification.confirmed_by = user
        identification.confirmed_at = timezone.now()
    identification.status = target
    identification.full_clean()
    identification.save()
    IdentificationDecision.objects.create(identification=identification, from_status=current,
                                          to_status=target, decided_by=user, reason=reason.strip())
    audit(user, AuditAction.CONFIRM_IDENTIFICATION, identification,
          from_status=current.value, to_status=target.value)
    return identification
