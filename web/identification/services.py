"""Moving an identification through its stages, with the two-person rule."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    IdentificationStatus.EXCLUSION_PROPOSED: "matches.view",
    IdentificationStatus.EXCLUDED: "identification.confirm",
}


@transaction.atomic
def record_notification(notification, user):
    """Record that a family was told of a confirmed identification."""
    notification.notified_by = user
    notification.full_clean()
    notification.save()
    audit(
        user,
        AuditAction.NOTIFY_FAMILY,
        notification.identification,
        relative=notification.relative_id,
        method=notification.method,
        notified_on=str(notification.notified_on),
    )
    return notification


def identification_for(candidate: MatchCandidate) -> Identification:
    return Identification.objects.get_or_create(candidate=candidate)[0]


def status_before_exclusion(identification: Identification) -> IdentificationStatus:
    """Where a proposed exclusion came from (its last decision says)."""
    last = (
        identification.decisions.filter(to_status=IdentificationStatus.EXCLUSION_PROPOSED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return IdentificationStatus(last.from_status) if last else IdentificationStatus.CANDIDATE


def options(identification: Identification) -> list[IdentificationStatus]:
    """The statuses ``identification`` may move to now, whoever decides."""
    current = IdentificationStatus(identification.status)
    allowed = set(ALLOWED_TRANSITIONS[current])
    if current == IdentificationStatus.EXCLUSION_PROPOSED:
        allowed = {IdentificationStatus.EXCLUDED, status_before_exclusion(identification)}
    return [s for s in IdentificationStatus if s in allowed]


def capability_for(identification: Identification, target: IdentificationStatus) -> str:
    if IdentificationStatus(identification.status) == IdentificationStatus.EXCLUSION_PROPOSED:
        return "identification.confirm"  # agreeing to an exclusion, or refusing it
    return CAPABILITY_FOR[target]


def available_to(user, identification: Identification) -> list[IdentificationStatus]:
    """The decisions ``user`` may make on ``identification`` (roles and the two-person rule)."""
    out = []
    for target in options(identification):
        if not can(user, capability_for(identification, target)):
            continue
        if refusal(identification, target, user) is None:
            out.append(target)
    return out


def refusal(identification: Identification, target: IdentificationStatus, user) -> str | None:
    """Why ``user`` may not make this decision (the two-person rule), or None."""
    if target == IdentificationStatus.CONFIRMED and identification.analyst_id == user.pk:
        return _(
            "Confirmation needs a second person: you proposed this identification, so "
            "someone else must confirm it."
        )
    if (
        IdentificationStatus(identification.status) == IdentificationStatus.EXCLUSION_PROPOSED
        and identification.exclusion_proposed_by_id == user.pk
    ):
        return _(
            "An exclusion needs a second person: you proposed it, so someone else must "
            "agree to it or reinstate the candidate."
        )
    return None


@transaction.atomic
def decide(identification: Identification, to_status: str, user, reason: str) -> Identification:
    """Move ``identification`` to ``to_status``, recording who decided and why.

    Preliminary: proposed by a lab analyst, who becomes the analyst of record.
    Confirmed: by a reviewer or the identification board, never the analyst.
    Exclusion: proposed by anyone who may see matches, giving the reason; then agreed to
    (excluded) or refused (back to where it was) by a reviewer or the board, never the
    person who proposed it.
    """
    identification = Identification.objects.select_for_update().get(pk=identification.pk)
    current = IdentificationStatus(identification.status)
    try:
        target = IdentificationStatus(to_status)
    except ValueError as exc:
        raise DecisionRefused(_("Unknown status %(status)r.") % {"status": to_status}) from exc
    if target not in options(identification):
        raise DecisionRefused(
            _("A %(now)s identification cannot become %(then)s.")
            % {"now": str(current.label).lower(), "then": str(target.label).lower()}
        )
    if not can(user, capability_for(identification, target)):
        raise DecisionRefused(
            _("Your role may not mark an identification %(status)s.")
            % {"status": str(target.label).lower()}
        )
    if not reason.strip():
        raise DecisionRefused(_("Give the reason for this decision."))
    why_not = refusal(identification, target, user)
    if why_not:
        raise DecisionRefused(why_not)
    now = timezone.now()
    if (
        target == IdentificationStatus.PRELIMINARY
        and current != IdentificationStatus.EXCLUSION_PROPOSED
    ):
        identification.analyst = user
    elif target == IdentificationStatus.CONFIRMED:
        identification.confirmed_by = user
        identification.confirmed_at = now
    elif target == IdentificationStatus.EXCLUSION_PROPOSED:
        identification.exclusion_proposed_by = user
    elif target == IdentificationStatus.EXCLUDED:
        identification.excluded_by = user
        identification.excluded_at = now
    else:  # the exclusion was not agreed to: back to where it was
        identification.exclusion_proposed_by = None
    if (
        current == IdentificationStatus.EXCLUSION_PROPOSED
        and target != IdentificationStatus.EXCLUDED
    ):
        identification.exclusion_proposed_by = None
    identification.status = target
    identification.full_clean()
    identification.save()
    IdentificationDecision.objects.create(
        identification=identification,
        from_status=current,
        to_status=target,
        decided_by=user,
        reason=reason.strip(),
        decided_at=now,
    )
    audit(
        user,
        AuditAction.CONFIRM_IDENTIFICATION,
        identification,
        from_status=current.value,
        to_status=target.value,
    )
    return identification
