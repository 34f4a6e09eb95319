"""Registry changes that must apply everywhere at once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record as audit

from .models import Consent, ConsentSharing, Relative
from .signals import consent_withdrawn


@transaction.atomic
def record_consent(consent: Consent, share_with: list[str], user) -> Consent:
    """Save a signed consent and its named sharing permissions together."""
    consent.recorded_by = user
    consent.save()
    ConsentSharing.objects.bulk_create(
        ConsentSharing(consent=consent, recipient=name) for name in share_with
    )
    audit(
        user,
        AuditAction.GIVE_CONSENT,
        consent,
        relative=consent.relative_id,
        person=consent.relative.person.case_number,
        text_version=consent.text_version,
        for_identification=consent.for_identification,
        for_court=consent.for_court,
        share_with=sorted(share_with),
    )
    return consent


@transaction.atomic
def register_person(person, user):
    """Register a missing person (the case number is given on saving)."""
    person.created_by = user
    person.save()
    audit(user, AuditAction.CREATE_PERSON, person, object_id=person.case_number)
    return person


@transaction.atomic
def add_record(record, user, kind: str):
    """Add a disappearance, report or relative to a missing person's file."""
    record.save()
    audit(user, AuditAction.ADD_RECORD, record, kind=kind, person=record.person.case_number)
    return record


@transaction.atomic
def withdraw_consent(relative: Relative, reason: str = "", user=None) -> int:
    """Withdraw every active consent (and sharing permission) of a donor.

    From then on :func:`lab.selectors.usable_profiles` leaves the donor's profiles out of
    every search and export; a confirmed identification of their missing relative is flagged
    for review and its reports superseded. Returns how many consents were withdrawn.
    """
    from audit.corrections import flag_dependents

    now = timezone.now()
    active = relative.consents.filter(withdrawn_at__isnull=True)
    ids = list(active.values_list("pk", flat=True))
    ConsentSharing.objects.filter(consent__in=active, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    count = active.update(withdrawn_at=now, withdrawal_reason=reason)
    if count:
        audit(
            user,
            AuditAction.WITHDRAW_CONSENT,
            relative,
            consents=ids,
            reason=reason,
            person=relative.person.case_number,
        )
        if relative.samples.exists():
            flag_dependents(
                relative, user=user, why=f"consent of donor {relative} withdrawn: {reason}"
            )
        consent_withdrawn.send(sender=Relative, relative=relative, reason=reason)
    return count


def has_active_consent(relative: Relative, purpose: str = "identification") -> bool:
    consents = relative.consents.filter(withdrawn_at__isnull=True)
    flag = {"identification": "for_identification", "court": "for_court"}[purpose]
    return consents.filter(**{flag: True}).exists()
