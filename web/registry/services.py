"""Registry changes that must apply everywhere at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record as audit

from .models import Consent, ConsentSharing, MissingPerson, Relative, Sex
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


def check_missing_place(relative: Relative, person: MissingPerson | None) -> None:
    """Whether ``person`` may be recorded as this member of a pedigree (the family reports
    several missing): raises ValidationError saying why not."""
    if person is None:
        return
    owner = relative.person
    if person.pk == owner.pk:
        raise ValidationError(
            _("%(case)s is the missing person this pedigree is recorded for.")
            % {"case": person.case_number}
        )
    place = Relative.objects.filter(missing_person=person).exclude(pk=relative.pk).first()
    if place is not None:
        raise ValidationError(
            _("%(case)s already has a place in the pedigree of %(owner)s.")
            % {"case": person.case_number, "owner": place.person.case_number}
        )
    if person.relatives.exists():
        raise ValidationError(
            _(
                "%(case)s has relatives of their own recorded: record them in one pedigree "
                "(this one or theirs), not in two."
            )
            % {"case": person.case_number}
        )
    if Relative.objects.filter(missing_person=owner).exists():
        raise ValidationError(
            _("%(case)s is placed in another pedigree: record the missing persons there.")
            % {"case": owner.case_number}
        )
    if relative.samples.exists():
        raise ValidationError(
            _(
                "This relative gave a reference sample: a missing person is searched for, "
                "not used as a reference."
            )
        )
    known = (Sex.MALE, Sex.FEMALE)
    if person.sex in known and relative.sex in known and person.sex != relative.sex:
        raise ValidationError(
            _("%(case)s is recorded with another sex than this relative.")
            % {"case": person.case_number}
        )


@transaction.atomic
def set_missing_place(relative: Relative, person: MissingPerson | None, *, user, reason: str):
    """Record (or clear) that this member of the pedigree is the missing person ``person``:
    a recorded correction of the relative (who, when, why, before and after; audited), after
    which matching recompiles the family and searches both missing persons in it."""
    from audit.corrections import correct

    check_missing_place(relative, person)
    return correct(relative, user=user, reason=reason, missing_person=person)
