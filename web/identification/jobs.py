"""Matching as a background job: the queue is the ``MatchingJob`` table.

The web page calls :func:`enqueue`; ``manage.py matching_worker`` loops over
:func:`claim_next` and :func:`execute`. Besides full runs the queue holds the review jobs
(joint identification, alternative explanations, fragments: :mod:`.followups`), taken by
priority, and any job waiting longer than ``NASAB_JOB_MAX_WAIT`` seconds first. Claiming is safe with several workers:

* PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` picks a row no other worker holds;
* SQLite (no row locks; one writer at a time): the claim is a compare-and-set ``UPDATE``
  that only succeeds if the row is still in the state it was read in.

Both paths finish with the compare-and-set, so a job is never run by two workers at once.
A running job whose heartbeat is older than ``stale_after`` seconds (its worker was killed,
the machine restarted) is claimed again; rerunning is harmless because matching adds
nothing twice.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record as audit

from . import matching
from .models import JobStatus, MatchingJob, MatchingWorker

DEFAULT_STALE_AFTER = 120.0  # seconds without a heartbeat before a running job is taken over
DEFAULT_MAX_WAIT = 600.0  # seconds queued after which a job goes before any younger one
HEARTBEAT_EVERY = 5.0  # seconds between progress writes


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(user, *, reason: str = "") -> MatchingJob:
    """Queue a full matching run (the programme's settings apply)."""
    job = MatchingJob.objects.create(
        requested_by=user,
        kind="full",
        parameters={"reason": reason or "asked for on the search page"},
    )
    audit(user, AuditAction.QUEUE_MATCHING, job, **job.parameters)
    return job


def _claimable(stale_after: float):
    stale = timezone.now() - timedelta(seconds=stale_after)
    return MatchingJob.objects.filter(
        Q(status=JobStatus.QUEUED)
        | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=JobStatus.RUNNING, heartbeat_at__isnull=True)
    )


def _in_turn(stale_after: float):
    """The claimable jobs in the order they are taken: first those queued longer than
    ``NASAB_JOB_MAX_WAIT`` seconds (oldest first: nothing waits forever), then by priority,
    oldest first within a priority (:mod:`identification.followups`)."""
    from django.conf import settings

    wait = getattr(settings, "NASAB_JOB_MAX_WAIT", DEFAULT_MAX_WAIT)
    overdue = timezone.now() - timedelta(seconds=wait)
    jobs = _claimable(stale_after)
    return (
        jobs.filter(status=JobStatus.QUEUED, created_at__lt=overdue).order_by("created_at", "pk"),
        jobs.order_by("-priority", "created_at", "pk"),
    )


def claim_next(
    worker: str | None = None, stale_after: float = DEFAULT_STALE_AFTER
) -> MatchingJob | None:
    """Mark the oldest claimable job running for ``worker`` and return it (None if none)."""
    worker = worker or worker_name()
    beat(worker, "looking for jobs")
    for _ in range(5):  # another worker may win a race; try the next one
        with transaction.atomic():
            job = None
            for candidates in _in_turn(stale_after):
                if connection.features.has_select_for_update_skip_locked:
                    candidates = candidates.select_for_update(skip_locked=True)
                job = candidates.first()
                if job is not None:
                    break
            if job is None:
                return None
            now = timezone.now()
            won = MatchingJob.objects.filter(
                pk=job.pk,
                status=job.status,
                heartbeat_at=job.heartbeat_at,
                attempts=job.attempts,
            ).update(
                status=JobStatus.RUNNING,
                worker=worker,
                heartbeat_at=now,
                started_at=now,
                attempts=job.attempts + 1,
                error="",
            )
            if won:
                job.refresh_from_db()
                return job
    return None


def beat(worker: str, state: str = "") -> None:
    """The worker's heartbeat, for the search page."""
    now = timezone.now()
    updated = MatchingWorker.objects.filter(name=worker).update(
        heartbeat_at=now, state=state[:200], stopped_at=None
    )
    if not updated:
        MatchingWorker.objects.create(name=worker, heartbeat_at=now, state=state[:200])


def stopped(worker: str) -> None:
    MatchingWorker.objects.filter(name=worker).update(stopped_at=timezone.now(), state="stopped")


def worker_status(dead_after: float | None = None) -> dict:
    """The newest worker's state: alive (heartbeat recent), dead, or none ever seen."""
    from django.conf import settings

    dead_after = dead_after or getattr(settings, "NASAB_WORKER_DEAD_AFTER", 60)
    worker = MatchingWorker.objects.first()
    if worker is None:
        return {"state": "none", "worker": None}
    age = (timezone.now() - worker.heartbeat_at).total_seconds()
    state = "stopped" if worker.stopped_at else ("alive" if age <= dead_after else "dead")
    return {"state": state, "worker": worker, "age_s": int(age)}


@dataclass
class _Progress:
    job: MatchingJob
    last: float = float("-inf")

    def __call__(self, done: int, total: int) -> None:
        """Progress and heartbeat, written at most every HEARTBEAT_EVERY seconds (and at the end)."""
        now = time.monotonic()
        if done < total and now - self.last < HEARTBEAT_EVERY:
            return
        self.last = now
        MatchingJob.objects.filter(pk=self.job.pk).update(
            progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )
        if self.job.worker:
            beat(self.job.worker, f"job {self.job.pk}: {done}/{total} missing persons compiled")


@dataclass
class _Done:
    text: str

    def describe(self) -> str:
        return self.text


def execute(job: MatchingJob, *, progress=None, workers=None, dask=None) -> MatchingJob:
    """Run a claimed job to the end, recording done or failed (never raises for job errors).
    ``workers`` / ``dask``: where a full run compiles (default: the site's settings)."""
    from . import followups

    try:
        matching._engine()
        if job.kind in followups.REVIEW_KINDS:
            report = _Done(followups.run(job))
        else:
            report = matching.run(
                progress=progress or _Progress(job),
                user=job.requested_by,
                workers=workers,
                dask=dask,
            )
    except Exception as exc:  # recorded on the job for the page; the worker goes on
        MatchingJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}",
        )
    else:
        MatchingJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            finished_at=timezone.now(),
            result=report.describe(),
            heartbeat_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def run_pending(
    worker: str | None = None,
    *,
    max_jobs: int | None = None,
    stale_after: float = DEFAULT_STALE_AFTER,
    workers: int | None = None,
    dask: str | None = None,
) -> list[MatchingJob]:
    """Run claimable jobs until none is left (or ``max_jobs`` ran)."""
    ran = []
    while max_jobs is None or len(ran) < max_jobs:
        job = claim_next(worker, stale_after)
        if job is None:
            break
        ran.append(execute(job, workers=workers, dask=dask))
    return ran
