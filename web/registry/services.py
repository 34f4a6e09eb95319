"""Registry changes that must apply everywhere at once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Consent, ConsentSharing, Relative


@transaction.atomic
def record_consent(consent: Consent, share_with: list[str], user) -> Consent:
    """Save a signed consent and its named sharing permissions together."""
    consent.recorded_by = user
    consent.save()
    ConsentSharing.objects.bulk_create(
        ConsentSharing(consent=consent, recipient=name) for name in share_with)
    return consent


@transaction.atomic
def withdraw_consent(relative: Relative, reason: str = "") -> int:
    """Withdraw every active consent (and sharing permission) of a donor.

    From then on :func:`lab.selectors.usable_profiles` leaves the donor's profiles out of
    every search and export. Returns how many consents were withdrawn.
    """
    now = timezone.now()
    active = relative.consents.filter(withdrawn_at__isnull=True)
    ConsentSharing.objects.filter(consent__in=active, withdrawn_at__isnull=True).update(withdrawn_at=now)
    return active.update(withdrawn_at=now, withdrawal_reason=reason)


def has_active_consent(relative: Relative, purpose: str = "identification") -> bool:
    consents = relative.consents.filter(withdrawn_at__isnull=True)
    flag = {"identification": "for_identification", "court": "for_court"}[purpose]
    return consents.filter(**{flag: True}).exists()
