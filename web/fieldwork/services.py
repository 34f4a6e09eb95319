"""Grave-site life cycle, and registering remains and samples with their first custody entry."""

from __future__ import annotations

from django.db import transaction

from audit.models import AuditAction
from audit.services import record as audit
from custody import services as custody
from registry.services import has_active_consent

from .models import (
    STAGE_ORDER,
    GraveSite,
    RemainsUnit,
    Sample,
    SiteAccess,
    SiteStage,
    SiteStageChange,
)


class FieldworkRefused(Exception):
    pass


@transaction.atomic
def advance_stage(site: GraveSite, to_stage: str, user, note: str = "") -> GraveSite:
    """Move a site to its next life-cycle stage (reported → assessed → ... → closed)."""
    site = GraveSite.objects.select_for_update().get(pk=site.pk)
    if to_stage not in STAGE_ORDER:
        raise FieldworkRefused(f"Unknown stage {to_stage!r}.")
    if to_stage not in site.next_stages():
        allowed = ", ".join(str(SiteStage(s).label) for s in site.next_stages()) or "none (closed)"
        raise FieldworkRefused(
            f"{site.code} is {site.get_stage_display().lower()}; "
            f"the next stage can only be: {allowed}."
        )
    SiteStageChange.objects.create(
        site=site, from_stage=site.stage, to_stage=to_stage, changed_by=user, note=note
    )
    audit(
        user,
        AuditAction.CHANGE_SITE_STAGE,
        site,
        object_id=site.code,
        from_stage=site.stage,
        to_stage=to_stage,
        note=note,
    )
    site.stage = to_stage
    site.save(update_fields=["stage"])
    return site


@transaction.atomic
def create_site(site: GraveSite, *, user) -> GraveSite:
    """Register a newly reported grave site."""
    site.full_clean()
    site.save()
    audit(
        user,
        AuditAction.CREATE_SITE,
        site,
        object_id=site.code,
        name=site.name,
        governorate=site.governorate,
        stage=site.stage,
    )
    return site


@transaction.atomic
def record_site_access(access: SiteAccess, *, user) -> SiteAccess:
    """Record who entered a grave site, when and why."""
    access.recorded_by = user
    access.full_clean()
    access.save()
    audit(
        user,
        AuditAction.RECORD_SITE_ACCESS,
        access.site,
        object_id=access.site.code,
        person=access.person_name,
        organisation=access.organisation,
        purpose=access.purpose,
    )
    return access


@transaction.atomic
def register_remains(remains: RemainsUnit, *, user, place: str) -> RemainsUnit:
    """Save a new remains unit and its 'collected' custody entry together."""
    if remains.site.stage not in (SiteStage.EXCAVATING, SiteStage.EXCAVATED):
        raise FieldworkRefused(
            f"Remains are recovered while a site is being excavated; "
            f"{remains.site.code} is {remains.site.get_stage_display().lower()}."
        )
    remains.full_clean()
    remains.save()
    audit(user, AuditAction.CREATE_REMAINS, remains, object_id=remains.code, site=remains.site.code)
    custody.record(object_id=remains.code, action="collected", actor=user, place=place)
    return remains


@transaction.atomic
def register_reference_sample(sample: Sample, *, user, place: str, seal_id: str = "") -> Sample:
    """A donor's reference sample: only with an active consent for identification."""
    if not has_active_consent(sample.donor, "identification"):
        raise FieldworkRefused(
            f"{sample.donor} has no active consent for identification; "
            f"record the signed consent before taking a reference sample."
        )
    return register_sample(sample, user=user, place=place, seal_id=seal_id)


@transaction.atomic
def register_sample(sample: Sample, *, user, place: str, seal_id: str = "") -> Sample:
    """Save a new sample and its custody: the parent (remains unit or sample) is recorded as
    subsampled by the user, who must hold it unsealed; the new sample is recorded as
    collected (and sealed, if a seal is given). All or nothing."""
    parent = sample.remains or sample.parent_sample
    if isinstance(parent, Sample) and parent.consumed:
        raise FieldworkRefused(f"{parent.barcode} is consumed; nothing can be taken from it.")
    sample.full_clean()
    sample.save()
    audit(
        user,
        AuditAction.CREATE_SAMPLE,
        sample,
        object_id=sample.barcode,
        kind=sample.kind,
        donor=sample.donor_id,
        remains=getattr(sample.remains, "code", ""),
        parent_sample=getattr(sample.parent_sample, "barcode", ""),
    )
    if parent is not None:
        parent_id = parent.barcode if isinstance(parent, Sample) else parent.code
        custody.record(
            object_id=parent_id,
            action="subsampled",
            actor=user,
            place=place,
            note=f"sample {sample.barcode} taken",
        )
    custody.record(object_id=sample.barcode, action="collected", actor=user, place=place)
    if seal_id:
        custody.record(
            object_id=sample.barcode, action="sealed", actor=user, place=place, seal_id=seal_id
        )
    return sample
