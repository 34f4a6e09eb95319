"""The review analyses as scheduled jobs: joint identification, alternative explanations
and fragments (remains against remains) are :class:`~identification.models.MatchingJob`
rows of their own kind, queued whenever matching changes candidates or remains.

The worker claims queued jobs by priority (alternatives, then joint identification, then
fragments, then full runs), and a job queued longer than ``NASAB_JOB_MAX_WAIT`` seconds
before any younger one, so neither the review analyses nor a full run wait for the queue to
empty: under a steady load of imports and full runs both go on. Each review job does one
batch and, when more is left, queues its successor (so other jobs interleave). At most one
job of each review kind waits in the queue at a time.
"""

from __future__ import annotations

from .models import JobStatus, MatchingJob

FULL = "full"
JOINT = "joint"
ALTERNATIVES = "alternatives"
FRAGMENTS = "fragments"
REVIEW_KINDS = (ALTERNATIVES, JOINT, FRAGMENTS)
# higher first; a full run (hours at national scale) yields to the short review batches
PRIORITY = {FULL: 0, FRAGMENTS: 10, JOINT: 20, ALTERNATIVES: 30}
BATCH = {JOINT: 5, ALTERNATIVES: 25}  # per job; fragments run once over all remains


def schedule(reason: str, kinds=REVIEW_KINDS) -> list[MatchingJob]:
    """Queue one job of each of ``kinds`` unless one is already waiting; returns the new ones."""
    made = []
    for kind in kinds:
        if MatchingJob.objects.filter(status=JobStatus.QUEUED, kind=kind).exists():
            continue
        made.append(
            MatchingJob.objects.create(
                kind=kind, priority=PRIORITY[kind], parameters={"reason": reason[:500]}
            )
        )
    return made


def run(job: MatchingJob) -> str:
    """One batch of a review job; queues the next batch when work is left. Returns what
    was done, for the job's result."""
    from . import alternatives, fragments, joint
    from .models import MatchCandidate

    if job.kind == JOINT:
        done = joint.run_all(limit=BATCH[JOINT])
        text = (
            f"joint identification: {done['family']} families with several missing, "
            f"{done['site']} grave-site groups analysed; {done['left']} left"
        )
        text += "".join(f"\nskipped: {s}" for s in done["skipped"])
        more = done["left"] > 0
    elif job.kind == ALTERNATIVES:
        n = alternatives.fill_pending(limit=BATCH[ALTERNATIVES])
        left = MatchCandidate.objects.filter(current=True, alternatives={}).count()
        text = f"alternative explanations of {n} candidates computed; {left} left"
        more = n > 0 and left > 0
    elif job.kind == FRAGMENTS:
        got = fragments.group_if_changed()
        text = (
            "fragments: the remains profiles did not change since the last grouping"
            if got is None
            else f"fragments: {got['remains']} remains compared, {got['pairs']} linked pairs, "
            f"{got['groups']} groups ({got['new']} newly proposed)"
        )
        more = False
    else:
        raise ValueError(f"not a review job: {job.kind!r}")
    if more:
        schedule(f"continues job {job.pk}", [job.kind])
    return text
