"""Correcting evidence records: the only way a stored evidence record changes after the fact.

:func:`correct` changes named fields of one record, appends a :class:`~audit.models.Correction`
(who, when, why, each field before and after) and its audit event, all in one transaction.
A confirmed identification that rests on the corrected record is flagged for review and its
issued reports are marked superseded (:func:`flag_dependents`), also audited.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.roles import can
from nasab_site.append_only import correction_in_progress, english_name

from .models import AuditAction, Correction
from .services import record as audit

# Fields a correction may change, per model. Identifiers (codes, barcodes, case numbers), who
# recorded what, hashes and lifecycle fields (status, withdrawal, stage) are not among them:
# those change only through their own services, or not at all.
CORRECTABLE = {
    "registry.MissingPerson": (
        "name_ar",
        "name_latin",
        "given_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "mother_name",
        "sex",
        "birth_date",
        "birth_year",
        "governorate",
        "district",
        "civil_registry_place",
        "civil_registry_number",
    ),
    "registry.Relative": (
        "name_ar",
        "name_latin",
        "sex",
        "claimed_relationship",
        "father",
        "mother",
        "deceased",
        "missing_person",
    ),
    "registry.Consent": (
        "for_identification",
        "for_court",
        "text_version",
        "language",
        "signed_on",
    ),
    "fieldwork.GraveSite": (
        "name",
        "governorate",
        "district",
        "latitude",
        "longitude",
        "location_description",
        "protection",
        "reported_on",
        "estimated_individuals",
    ),
    "fieldwork.RemainsUnit": (
        "label_at_discovery",
        "position",
        "depth_cm",
        "completeness",
        "recovered_on",
        "notes",
    ),
    "fieldwork.Sample": ("kind", "skeletal_element", "storage_location", "collected_on"),
    "lab.DNAProfile": ("markers", "quality_status", "kit", "lab"),
    "identification.MatchCandidate": ("prior_justification",),
    "identification.FamilyNotification": ("notified_on", "method", "support_offered", "notes"),
}
CAPABILITY = {
    "registry.MissingPerson": "registry.edit",
    "registry.Relative": "registry.edit",
    "registry.Consent": "registry.edit",
    "fieldwork.GraveSite": "sites.edit",
    "fieldwork.RemainsUnit": "sites.edit",
    "fieldwork.Sample": "samples.edit",
    "lab.DNAProfile": "genetic.import",
    "identification.MatchCandidate": "identification.confirm",
    "identification.FamilyNotification": "family.notify",
}


class CorrectionRefused(Exception):
    """A correction that may not be made; the message says why."""


def _stored(obj, name):
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@transaction.atomic
def correct(obj, *, user, reason: str, **changes) -> Correction:
    """Change ``changes`` (field -> new value) on ``obj`` and append the correction record."""
    label = obj._meta.label
    allowed = CORRECTABLE.get(label)
    if allowed is None:
        raise CorrectionRefused(
            f"{english_name(obj)} are not corrected by hand"
            + (" (recompute them instead)" if label == "identification.MatchCandidate" else "")
        )
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise CorrectionRefused(
            f"Cannot correct {', '.join(unknown)} of a {english_name(obj, plural=False)}; "
            f"correctable: {', '.join(allowed)}."
        )
    if not can(user, CAPABILITY[label]):
        raise CorrectionRefused(f"Your role may not correct {english_name(obj)}.")
    if not reason.strip():
        raise CorrectionRefused("Give the reason for the correction.")
    if not changes:
        raise CorrectionRefused("Nothing to correct.")
    obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    before = {name: _stored(obj, name) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value)
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise CorrectionRefused(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        ) from exc
    after = {name: _stored(obj, name) for name in changes}
    diff = {
        name: {"before": before[name], "after": after[name]}
        for name in changes
        if before[name] != after[name]
    }
    if not diff:
        raise CorrectionRefused("The new values are the ones already recorded.")
    with correction_in_progress():
        obj.save(update_fields=[obj._meta.get_field(name).name for name in diff])
    event = audit(
        user,
        AuditAction.CORRECT_RECORD,
        obj,
        object_type=label,
        reason=reason.strip(),
        changes=diff,
    )
    flagged = flag_dependents(obj, user=user, why=f"{label} {obj.pk} corrected: {reason.strip()}")
    return Correction.objects.create(
        username=user.username,
        object_type=label,
        object_pk=str(obj.pk),
        object_repr=str(obj)[:200],
        reason=reason.strip(),
        changes=diff,
        audit_sequence=event.sequence,
        flagged_identifications=flagged,
    )


def _dependents(obj):
    """Identifications resting on ``obj`` (a queryset of Identification)."""
    Identification = apps.get_model("identification", "Identification")
    label = obj._meta.label
    if label == "lab.DNAProfile":
        return _dependents(obj.sample)
    if label == "fieldwork.Sample":
        sample = obj
        while sample.parent_sample_id and not (sample.remains_id or sample.donor_id):
            sample = sample.parent_sample
        if sample.remains_id:
            return Identification.objects.filter(candidate__remains_id=sample.remains_id)
        if sample.donor_id:
            return Identification.objects.filter(candidate__person_id=sample.donor.person_id)
        return Identification.objects.none()
    lookups = {
        "registry.MissingPerson": lambda: {"candidate__person": obj},
        "registry.Relative": lambda: {"candidate__person_id": obj.person_id},
        "registry.Consent": lambda: {"candidate__person_id": obj.relative.person_id},
        "fieldwork.RemainsUnit": lambda: {"candidate__remains": obj},
        "fieldwork.GraveSite": lambda: {"candidate__remains__site": obj},
        "identification.MatchCandidate": lambda: {"candidate": obj},
    }
    if label not in lookups:
        return Identification.objects.none()
    return Identification.objects.filter(**lookups[label]())


def flag_dependents(obj, *, user, why: str) -> list[int]:
    """Flag confirmed identifications resting on ``obj`` and mark their reports superseded."""
    from identification.models import IdentificationReport, IdentificationStatus

    now = timezone.now()
    flagged = []
    for identification in _dependents(obj).filter(status=IdentificationStatus.CONFIRMED):
        type(identification).objects.filter(pk=identification.pk).update(
            inputs_changed_at=now, inputs_changed_reason=why
        )
        with correction_in_progress():
            reports = IdentificationReport.objects.filter(
                identification=identification, superseded_at=None
            )
            superseded = reports.update(superseded_at=now, superseded_reason=why)
        audit(
            user,
            AuditAction.FLAG_IDENTIFICATION,
            identification,
            reason=why,
            reports_superseded=superseded,
        )
        flagged.append(identification.pk)
    return flagged
