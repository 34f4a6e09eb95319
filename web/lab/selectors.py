"""The one place that decides which DNA profiles may be used.

Every search, match run and export takes its profiles from :func:`usable_profiles`, so a
donor who withdraws consent drops out of all of them at once.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.models import Consent, ConsentSharing

from .models import USABLE_QUALITY, DNAProfile, SNPCalls

PURPOSES = ("identification", "court")


def _donor_consents(purpose: str, donor_path: str) -> QuerySet:
    consents = Consent.objects.filter(relative=OuterRef(donor_path), withdrawn_at__isnull=True)
    return (
        consents.filter(for_identification=True)
        if purpose == "identification"
        else consents.filter(for_court=True)
    )


def usable_profiles(purpose: str = "identification", recipient: str | None = None) -> QuerySet:
    """Accepted, not superseded profiles that consent allows for ``purpose`` (and sharing with ``recipient``).

    Profiles from remains are always usable. A profile from a donor's reference sample (or
    from an extract of it) is usable only while the donor holds an unwithdrawn consent for
    the purpose and, when ``recipient`` is given, an unwithdrawn permission to share with
    that recipient.
    """
    profiles = DNAProfile.objects.filter(
        quality_status__in=USABLE_QUALITY, superseded_by__isnull=True
    )
    return profiles.filter(_consented(purpose, recipient)).select_related("sample")


def usable_snp_calls(purpose: str = "identification", recipient: str | None = None) -> QuerySet:
    """Current (not superseded) SNP calls that consent allows, by the same rule as profiles."""
    calls = SNPCalls.objects.filter(superseded_by__isnull=True)
    return calls.filter(_consented(purpose, recipient)).select_related("sample")


def _consented(purpose: str, recipient: str | None) -> Q:
    """Samples of remains, or of a donor who consents to ``purpose`` (and to ``recipient``)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}; expected one of {PURPOSES}")
    from_remains = Q(sample__remains__isnull=False) | Q(
        sample__parent_sample__remains__isnull=False
    )
    allowed = from_remains
    for path in ("sample__donor", "sample__parent_sample__donor"):
        consents = _donor_consents(purpose, path)
        if recipient is not None:
            consents = consents.filter(
                Exists(
                    ConsentSharing.objects.filter(
                        consent=OuterRef("pk"), recipient=recipient, withdrawn_at__isnull=True
                    )
                )
            )
        allowed |= Q(**{f"{path}__isnull": False}) & Exists(consents)
    return allowed
