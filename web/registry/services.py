"""Consent changes that must apply everywhere at once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import ConsentSharing, Relative


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
