import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from identification import jobs
from identification.management.commands.run_matching import add_compute_options

JOINT_EVERY = 60.0  # seconds between looks for joint analyses to redo, when idle
# Families' power estimates under steady load: one after every this many matching jobs (a
# full run takes minutes, an estimate 3-11 s), so that a queue that never empties does not
# starve them; when idle they are computed one after another.
ESTIMATE_EVERY = 3


class Command(BaseCommand):
    help = (
        "Run queued matching jobs (queued from the 'Run a search' page) and compute the "
        "families' queued power estimates (when idle, and one after every --estimate-every "
        "jobs under steady load). Keeps polling unless --once (then runs the queued jobs, "
        "then every queued estimate, and exits); a job left running by a killed worker is "
        "taken up again once its heartbeat is older than --stale-after seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="run the queued jobs, then compute every queued power estimate, then exit",
        )
        parser.add_argument("--poll", type=float, default=5.0, help="seconds between queue checks")
        parser.add_argument(
            "--stale-after",
            type=float,
            default=jobs.DEFAULT_STALE_AFTER,
            help="take over a running job whose heartbeat is older (seconds)",
        )
        parser.add_argument("--max-jobs", type=int, help="exit after this many jobs")
        parser.add_argument(
            "--estimate-every",
            type=int,
            default=ESTIMATE_EVERY,
            help="under steady load, compute one queued power estimate after this many jobs",
        )
        add_compute_options(parser)

    def handle(
        self,
        *args,
        once=False,
        poll=5.0,
        stale_after=jobs.DEFAULT_STALE_AFTER,
        max_jobs=None,
        estimate_every=ESTIMATE_EVERY,
        workers=None,
        dask=None,
        **options,
    ):
        if poll <= 0 or stale_after <= 0 or estimate_every <= 0:
            raise CommandError(
                "--poll, --stale-after and --estimate-every must be positive", returncode=2
            )
        self.estimate_every = estimate_every
        stopping = []
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):  # finish the current step, then stop
                previous[sig] = signal.signal(sig, lambda *_: stopping.append(True))
        try:
            self._loop(stopping, once, poll, stale_after, max_jobs, (workers, dask))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, stopping, once, poll, stale_after, max_jobs, where=(None, None)):
        from identification import alternatives, compiled, estimates, fragments, joint

        worker = jobs.worker_name()
        self.stdout.write(f"matching worker {worker}: waiting for jobs")
        ran = 0
        since_estimate = 0  # jobs run since the last power estimate
        last_joint = float("-inf")
        try:
            while not stopping and (max_jobs is None or ran < max_jobs):
                jobs.beat(worker, "idle")
                pending = compiled.process_pending(lock_timeout=1.0)
                if pending["done"] or pending["errors"]:
                    self.stdout.write(
                        f"scored {pending['done']} change(s), {pending['errors']} refused"
                    )
                job = jobs.claim_next(worker, stale_after)
                if job is None:
                    if once:
                        self._drain_estimates(worker, stopping)
                        break
                    # idle: joint identification where candidates changed, then the review
                    # figures of the most probable candidates
                    if time.monotonic() - last_joint > JOINT_EVERY:
                        jobs.beat(worker, "joint identification")
                        done = joint.run_all(limit=1)
                        if done["family"] or done["site"]:
                            continue  # more may wait: look again at once
                        jobs.beat(worker, "fragments (remains against remains)")
                        fragments.group_if_changed()
                        last_joint = time.monotonic()
                    jobs.beat(worker, "alternative explanations")
                    if alternatives.fill_pending(limit=5):
                        continue
                    # families' power estimates (seconds each: one at a time, so that a new
                    # profile or job waits for one estimate at most)
                    jobs.beat(worker, "families' power estimates")
                    if estimates.fill_pending(limit=1, worker=worker):
                        since_estimate = 0
                        continue
                    end = time.monotonic() + poll
                    while not stopping and time.monotonic() < end:
                        time.sleep(min(0.2, poll))
                    continue
                self.stdout.write(f"job {job.pk}: running (attempt {job.attempts})")
                job = jobs.execute(job, workers=where[0], dask=where[1])
                ran += 1
                self.stdout.write(f"job {job.pk}: {job.status}\n{job.result or job.error}")
                since_estimate += 1
                if since_estimate >= self.estimate_every and not stopping:
                    # steady load: the families' estimates get their share between jobs
                    jobs.beat(worker, "families' power estimates")
                    if estimates.fill_pending(limit=1, worker=worker):
                        self.stdout.write("computed 1 power estimate")
                    since_estimate = 0
        finally:
            jobs.stopped(worker)
        self.stdout.write(f"matching worker {worker}: {ran} job(s) run")

    def _drain_estimates(self, worker, stopping) -> int:
        """--once: every queued power estimate (and families never assessed), one at a time."""
        from identification import estimates

        done = 0
        while not stopping:
            jobs.beat(worker, "families' power estimates")
            if not estimates.fill_pending(limit=1, worker=worker):
                break
            done += 1
        if done:
            self.stdout.write(f"computed {done} power estimate(s)")
        return done
