"""Families' power estimates as background work of the matching worker.

An estimate (:mod:`identification.references`: ``nasab.power`` on the family's own
pedigree and usable profiles) takes seconds, so no request computes one:

* a change to what it depends on (a donor's profile, a relative, a consent, the programme's
  settings) queues a recomputation (:func:`request`: ``FamilyEstimate.requested_at``);
* the matching worker, when it has no matching job, computes the queued estimates oldest
  first (:func:`fill_pending`), then families never assessed;
* pages read the stored result and its date (:func:`current`) and say "being computed"
  while a recomputation is queued or running. A page that finds the stored result computed
  from other inputs than today's (a change the hooks did not see) queues one itself.

Claiming is a compare-and-set on ``started_at``, so two workers never compute the same
family at once; a result is marked up to date only if no new request came in meanwhile.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone

from registry.models import MissingPerson

from . import hooks, references
from .models import FamilyEstimate

log = logging.getLogger(__name__)
STALE_AFTER = 600.0  # seconds: a computation not finished by then is taken over


@dataclass
class Estimate:
    """What a page shows: the stored result (None: never computed), its date, and whether a
    recomputation is queued or running."""

    refs: references.FamilyReferences | None
    computed_at: datetime | None
    computing: bool


def request(person_or_pk, reason: str = "") -> None:
    """Queue a recomputation of a family's estimate (cheap: one or two queries)."""
    pk = getattr(person_or_pk, "pk", person_or_pk)
    now = timezone.now()
    if FamilyEstimate.objects.filter(person_id=pk).update(requested_at=now, reason=reason[:200]):
        return
    try:
        with transaction.atomic():
            FamilyEstimate.objects.create(person_id=pk, requested_at=now, reason=reason[:200])
    except IntegrityError:  # made meanwhile by another request
        FamilyEstimate.objects.filter(person_id=pk).update(requested_at=now, reason=reason[:200])


def request_all(reason: str) -> int:
    """Every stored estimate is to be recomputed (the programme's model changed)."""
    return FamilyEstimate.objects.filter(requested_at__isnull=True).update(
        requested_at=timezone.now(), reason=reason[:200]
    )


def current(
    person: MissingPerson,
    typed: dict | None = None,
    row: FamilyEstimate | None | bool = False,
    fingerprint: str | None = None,
) -> Estimate:
    """The stored estimate of ``person`` (never computed here). ``typed``: the person's entry
    of :func:`references.typed_profiles`; ``row``: the stored row when fetched for many
    (None: there is none); ``fingerprint``: the programme settings' fingerprint."""
    typed = typed if typed is not None else references.typed_profiles([person])[person.pk]
    if not typed:  # no usable reference: nothing to compute, whom to ask first is instant
        return Estimate(references.unassessed(person), None, False)
    if row is False:
        row = FamilyEstimate.objects.filter(person=person).first()
    key = references.inputs_key(person, typed, fingerprint)
    if row is None or row.inputs_key != key:
        if row is None or row.requested_at is None:
            request(person, "inputs changed since the last estimate")
        computing = True
    else:
        computing = row.requested_at is not None
    if row is None or row.computed_at is None:
        return Estimate(None, None, True)
    refs = references.from_result(person, row.typed, row.power, row.suggestions, row.error)
    return Estimate(refs, row.computed_at, computing)


def _claim(row: FamilyEstimate, worker: str) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=STALE_AFTER)
    return bool(
        FamilyEstimate.objects.filter(pk=row.pk, requested_at=row.requested_at)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=stale))
        .update(started_at=now, worker=worker[:200])
    )


def compute(row: FamilyEstimate, table=None) -> FamilyEstimate:
    """Compute a claimed row's estimate and store it; up to date unless a new request came
    in while it ran (then it stays queued)."""
    from .programme import active_settings

    person = MissingPerson.objects.prefetch_related("relatives").get(pk=row.person_id)
    typed = references.typed_profiles([person])[person.pk]
    key = references.inputs_key(person, typed, active_settings().fingerprint)
    began = time.perf_counter()
    if typed:
        try:
            power, suggestions, error = references.compute(person, typed, table)
        except Exception as exc:  # recorded for the page; the worker goes on
            log.exception("power estimate of %s failed", person.case_number)
            power, suggestions, error = None, [], f"{type(exc).__name__}: {exc}"
    else:
        power, suggestions, error = None, [], ""
    FamilyEstimate.objects.filter(pk=row.pk).update(
        inputs_key=key,
        typed=len(typed),
        power=power,
        suggestions=[list(s) for s in suggestions],
        error=error,
        computed_at=timezone.now(),
        seconds=time.perf_counter() - began,
        started_at=None,
        worker="",
    )
    FamilyEstimate.objects.filter(pk=row.pk, requested_at=row.requested_at).update(
        requested_at=None, reason=""
    )
    row.refresh_from_db()
    return row


def _never_assessed(limit: int) -> int:
    """Queue families with references' samples but no estimate yet (bulk loads, older data)."""
    persons = (
        MissingPerson.objects.filter(relatives__samples__isnull=False, power_estimate__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")[:limit]
    )
    n = 0
    for pk in persons:
        request(pk, "never assessed")
        n += 1
    return n


def fill_pending(limit: int = 1, worker: str = "", table=None) -> int:
    """Compute up to ``limit`` queued estimates, oldest request first (then families never
    assessed); returns how many were computed."""
    done = 0
    for _round in range(2):
        queued = FamilyEstimate.objects.filter(requested_at__isnull=False).order_by(
            "requested_at", "pk"
        )
        for row in queued[: limit * 3]:
            if done >= limit:
                return done
            if _claim(row, worker or "worker"):
                compute(row, table)
                done += 1
        if done or not _never_assessed(limit):
            break
    return done


# --- what queues a recomputation ----------------------------------------------------------


def _origin_person(sample):
    while sample.parent_sample_id:
        sample = sample.parent_sample
    return sample.donor.person_id if sample.donor_id else None


def profile_saved(sender, instance, **kwargs) -> None:
    if hooks.active():
        person = _origin_person(instance.sample)
        if person is not None:
            request(person, f"profile {instance.pk} saved")


def relative_saved(sender, instance, **kwargs) -> None:
    if hooks.active():
        request(instance.person_id, f"relative {instance.pk} saved")


def consent_saved(sender, instance, created, **kwargs) -> None:
    if hooks.active() and created:
        request(instance.relative.person_id, f"consent {instance.pk} recorded")


def consent_withdrawn(sender, relative, reason="", **kwargs) -> None:
    if hooks.active():
        request(relative.person_id, "consent withdrawn")


def settings_saved(sender, instance, created, **kwargs) -> None:
    if created:
        request_all(f"programme settings {instance.pk}")


def connect() -> None:
    from lab.models import DNAProfile
    from registry.models import Consent, Relative
    from registry.signals import consent_withdrawn as withdrawn

    from .models import ProgrammeSettings

    post_save.connect(profile_saved, sender=DNAProfile, dispatch_uid="nasab-estimate-profile")
    post_save.connect(relative_saved, sender=Relative, dispatch_uid="nasab-estimate-relative")
    post_save.connect(consent_saved, sender=Consent, dispatch_uid="nasab-estimate-consent")
    post_save.connect(
        settings_saved, sender=ProgrammeSettings, dispatch_uid="nasab-estimate-settings"
    )
    withdrawn.connect(consent_withdrawn, dispatch_uid="nasab-estimate-withdrawn")
