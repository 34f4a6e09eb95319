import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from identification import jobs


class Command(BaseCommand):
    help = ("Run queued matching jobs (queued from the 'Run a search' page). Keeps polling "
            "unless --once; a job left running by a killed worker is taken up again once its "
            "heartbeat is older than --stale-after seconds.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--poll", type=float, default=5.0, help="seconds between queue checks")
        parser.add_argument("--stale-after", type=float, default=jobs.DEFAULT_STALE_AFTER)
        parser.add_argument("--max-jobs", type=int, help="exit after this many jobs")

    def handle(self, *args, once=False, poll=5.0, stale_after=jobs.DEFAULT_STALE_AFTER,
               max_jobs=None, **options):
        if poll <= 0 or stale_after <= 0:
            raise CommandError("--poll and --stale-after must be positive", returncode=2)
        stopping = []
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            self._loop(stopping, once, poll, stale_after, max_jobs)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _loop(self, stopping, once, poll, stale_after, max_jobs):
        worker = jobs.worker_name()
        self.stdout.write(f"matching worker {worker}: waiting for jobs")
        ran = 0
        while not stopping and (max_jobs is None or ran < max_jobs):
            job = jobs.claim_next(worker, stale_after)
            if job is None:
                if once:
                    break
                time.sleep(poll)
                continue
            self.stdout.write(f"job {job.pk}: running (attempt {job.attempts})")
            job = jobs.execute(job)
            ran += 1
            self.stdout.write(f"job {job.pk}: {job.status}\n{job.result or job.error}")
        self.stdout.write(f"matching worker {worker}: {ran} job(s) run")
