"""Matching as a background job: queued from the web, run by the worker, resumed after a crash."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from identification import jobs
from identification.models import JobStatus, MatchCandidate, MatchingJob

try:
    from nasab.search.run import search_data  # noqa: F401

    HAVE_ENGINE = True
except ImportError:
    HAVE_ENGINE = False
MANAGE = Path(__file__).resolve().parents[2] / "web" / "manage.py"
needs_engine = pytest.mark.skipif(
    not HAVE_ENGINE, reason="the kinship engine is not in this checkout"
)


def test_search_page_queues_a_job(client, users):
    client.force_login(users["lab"])
    url = reverse("identification:search")
    page = client.get(url).content.decode()
    assert "Queue a full matching run" in page and "No matching worker has run yet" in page
    response = client.post(url, {})
    assert response.status_code == 302
    job = MatchingJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.requested_by == users["lab"]
    assert job.kind == "full" and job.parameters["reason"]
    assert AuditEvent.objects.filter(
        action=AuditAction.QUEUE_MATCHING, object_id=str(job.pk)
    ).exists()
    assert "Queued" in client.get(url).content.decode()


def test_search_page_is_for_the_lab_and_reviewers(client, users):
    for name in ("board", "intake", "field"):
        client.force_login(users[name])
        assert client.get(reverse("identification:search")).status_code == 403
        assert client.post(reverse("identification:search"), {}).status_code == 403
    assert not MatchingJob.objects.exists()


def test_claim_is_exclusive_and_skips_fresh_running_jobs(users):
    first = jobs.enqueue(users["lab"])
    second = jobs.enqueue(users["lab"])
    a = jobs.claim_next("worker-a")
    b = jobs.claim_next("worker-b")
    assert (a.pk, b.pk) == (first.pk, second.pk)
    assert a.status == b.status == JobStatus.RUNNING and a.attempts == 1
    assert jobs.claim_next("worker-c") is None  # both are running with a fresh heartbeat


def test_interrupted_job_is_taken_up_again(users):
    """A worker killed mid-run leaves its job 'running'; once the heartbeat is stale another
    worker claims it (attempt 2)."""
    job = jobs.enqueue(users["lab"])
    jobs.claim_next("killed-worker")
    MatchingJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=jobs.DEFAULT_STALE_AFTER + 1),
        progress_done=3,
        progress_total=10,
    )
    again = jobs.claim_next("new-worker")
    assert again.pk == job.pk and again.worker == "new-worker" and again.attempts == 2


def test_failure_is_recorded_and_the_worker_goes_on(users):
    from identification.models import FrequencyTableFile, ProgrammeSettings

    broken = FrequencyTableFile.objects.create(
        name="broken.txt", content="not a table\n", sha256="0" * 64
    )
    ProgrammeSettings.objects.create(frequency_table=broken)
    bad = jobs.enqueue(users["lab"])
    out = io.StringIO()
    call_command("matching_worker", "--once", stdout=out)
    bad.refresh_from_db()
    assert bad.status == JobStatus.FAILED and bad.error and bad.finished_at
    assert "1 job(s) run" in out.getvalue()


@pytest.fixture
def lenient(db):
    """Settings under which the three-marker test family's son is a candidate."""
    from identification.programme import change_settings

    return change_settings(threshold=1.0, prior_rule="fixed", prior_value=0.01)


@needs_engine
def test_queued_from_the_web_run_by_the_worker(client, users, typed_family, lenient):
    """What the page queued is in the database, so a worker started later (after a web
    server restart) runs it; a second run of the worker finds nothing to do."""
    client.force_login(users["lab"])
    client.post(reverse("identification:search"), {})
    job = MatchingJob.objects.get()
    out = io.StringIO()
    call_command("matching_worker", "--once", stdout=out)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_done == job.progress_total == 1 and job.percent == 100
    assert "1 new match candidates" in job.result
    candidate = MatchCandidate.objects.get()
    assert candidate.prior == 0.01 and "Fixed" in candidate.prior_justification
    assert candidate.programme_settings == lenient
    assert len(candidate.marker_log10_lrs) == 3 and all(
        v > -10 for v in candidate.marker_log10_lrs.values()
    )
    assert candidate.samples_used[0] == "GS-T01-R001-S1" and len(candidate.samples_used) == 3
    call_command("matching_worker", "--once", stdout=io.StringIO())
    assert MatchingJob.objects.get(kind="full").attempts == 1
    # the run's review analyses were scheduled as jobs and done by the same worker
    review = MatchingJob.objects.exclude(kind="full")
    assert {j.kind for j in review} == {"joint", "alternatives", "fragments"}
    assert all(j.status == JobStatus.DONE for j in review), [(j.kind, j.error) for j in review]
    assert MatchCandidate.objects.get().alternatives
    page = client.get(reverse("identification:search")).content.decode()
    assert "The matching worker was stopped" in page and "100%" in page


@needs_engine
def test_resumed_job_adds_nothing_twice(users, typed_family, lenient):
    job = jobs.enqueue(users["lab"])
    jobs.execute(jobs.claim_next("w1"))
    MatchingJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=None)
    resumed = [j for j in jobs.run_pending("w2") if j.kind == "full"]  # and review jobs
    assert [j.status for j in resumed] == [JobStatus.DONE] and resumed[0].attempts == 2
    assert "0 new match candidates" in resumed[0].result
    assert MatchCandidate.objects.count() == 1


@needs_engine
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs when DATABASE_URL is PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_worker_processes_on_postgresql(users, typed_family, lenient):
    """Real worker processes against the committed queue: a job queued with no worker
    running, and one left 'running' by a killed worker, are both done; two workers started
    together never run the same job (SELECT ... FOR UPDATE SKIP LOCKED)."""
    # saving the donors' profiles (committed here) queued a full run, there being no store
    # yet; this test follows the jobs it queues itself
    assert MatchingJob.objects.filter(requested_by__isnull=True).count() <= 1
    MatchingJob.objects.filter(requested_by__isnull=True).delete()
    queued = [jobs.enqueue(users["lab"]) for _ in range(3)]
    last = jobs.enqueue(users["lab"])
    # the job a worker claimed and was killed running: whichever it took (the oldest by
    # the clock, which a clock set back on a busy machine may make another than queued[0])
    killed = jobs.claim_next("killed-worker")
    MatchingJob.objects.filter(pk=killed.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=600)
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "NASAB_SEARCH_STORE": str(django_settings.NASAB_SEARCH_STORE),
    }  # this test's store
    command = [sys.executable, str(MANAGE), "matching_worker", "--once", "--stale-after", "60"]
    workers = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    done = {j.pk: j for j in MatchingJob.objects.all()}
    # printed whole (pytest shortens an assertion's message, not the captured output)
    print(*(f"job {j.pk} {j.kind} {j.status} attempts {j.attempts} by {j.worker!r} "
            f"created {j.created_at} heartbeat {j.heartbeat_at} {j.error!r}"
            for j in done.values()), *outputs, sep="\n")  # fmt: skip
    assert all(j.status == JobStatus.DONE for j in done.values()), "see the jobs printed above"

    assert done[killed.pk].attempts == 2  # the killed worker's job, taken up again
    assert all(done[j.pk].attempts == 1 for j in (*queued, last) if j.pk != killed.pk)
    # the four full runs, and the review jobs the first of them scheduled, each run once
    assert (
        sum(
            int(o.rsplit(": ", 1)[1].split()[0])
            for o in (x.strip().splitlines()[-1] for x in outputs)
        )
        == MatchingJob.objects.count()
        >= 4 + 3
    )
    assert MatchCandidate.objects.count() == 1


def test_progress_is_throttled_but_always_final(users):
    job = jobs.enqueue(users["lab"])
    progress = jobs._Progress(job)
    progress(0, 10)
    progress(5, 10)  # within HEARTBEAT_EVERY of the first write: not written
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (0, 10) and job.heartbeat_at
    progress(10, 10)
    job.refresh_from_db()
    assert job.progress_done == 10


# --- the families' power estimates in the worker --------------------------------------------


def test_once_drains_the_queued_power_estimates(users, typed_family):
    """``matching_worker --once`` runs the queued jobs, then every queued power estimate, so
    that scripts and tests can empty the queue."""
    from identification import estimates
    from identification.models import FamilyEstimate
    from registry.models import MissingPerson

    other = MissingPerson.objects.create(name_ar="نبيل", name_latin="Nabil", sex="M")
    estimates.request(typed_family["person"], "test")
    estimates.request(other, "test")
    out = io.StringIO()
    call_command("matching_worker", "--once", stdout=out)
    rows = FamilyEstimate.objects.all()
    assert len(rows) == 2 and all(r.requested_at is None and r.computed_at for r in rows)
    assert FamilyEstimate.objects.get(person=typed_family["person"]).power is not None
    # both computed: between jobs (one after every --estimate-every jobs: the full run's
    # review jobs count too) or in the drain at the end
    text = out.getvalue()
    between = text.count("computed 1 power estimate\n")
    drained = re.findall(r"computed (\d+) power estimate\(s\)", text)
    assert between + sum(int(n) for n in drained) == 2, text
    out = io.StringIO()
    call_command("matching_worker", "--once", stdout=out)  # nothing left: nothing computed
    assert "power estimate" not in out.getvalue()


def test_estimates_get_a_fair_share_under_steady_load(users, monkeypatch):
    """With matching jobs always queued the worker is never idle; it still computes one power
    estimate after every --estimate-every jobs, between jobs."""
    from identification import estimates
    from identification.models import FamilyEstimate
    from registry.models import MissingPerson

    order = []

    def execute(job, **kwargs):
        order.append("job")
        MatchingJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now(), result="ok"
        )
        job.refresh_from_db()
        return job

    compute = estimates.compute

    def counted(row, table=None):
        order.append("estimate")
        return compute(row, table)

    monkeypatch.setattr(jobs, "execute", execute)
    monkeypatch.setattr(estimates, "compute", counted)
    for name in ("A", "B", "C"):
        estimates.request(MissingPerson.objects.create(name_ar=name, name_latin=name), "test")
    for _ in range(5):
        jobs.enqueue(users["lab"])
    out = io.StringIO()
    call_command("matching_worker", "--max-jobs", "5", "--estimate-every", "2", stdout=out)
    assert order == ["job", "job", "estimate", "job", "job", "estimate", "job"]
    assert FamilyEstimate.objects.filter(requested_at__isnull=False).count() == 1
    assert MatchingJob.objects.filter(status=JobStatus.DONE).count() == 5
    with pytest.raises(CommandError):
        call_command("matching_worker", "--once", "--estimate-every", "0")


def test_failed_job_headline_in_the_readers_language(client, users):
    """A failed job's headline is said in the reader's language by the kind of error; the
    engine's message stays beside it as data."""
    from nasab_site.labels import job_error_headline

    job = jobs.enqueue(users["lab"])
    MatchingJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error="ModelError: theta must be in [0, 0.5), not 0.7",
    )
    other = jobs.enqueue(users["lab"])
    MatchingJob.objects.filter(pk=other.pk).update(
        status=JobStatus.FAILED, error="KeyError: 'TH01'"
    )
    client.force_login(users["lab"])
    page = client.get(reverse("identification:search")).content.decode()
    assert "the programme&#x27;s model settings are out of range" in page
    assert "The run failed (the engine&#x27;s message below)." in page
    assert "ModelError: theta must be in [0, 0.5), not 0.7" in page
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("identification:search")).content.decode()
    assert "فشل التشغيل: إعدادات نموذج البرنامج خارج نطاقها" in page
    assert "فشل التشغيل (رسالة المحرّك أدناه)." in page
    assert "ModelError: theta must be in [0, 0.5), not 0.7" in page  # data, untranslated
    assert job_error_headline("") == job_error_headline("no colon here")
