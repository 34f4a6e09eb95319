import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


class Command(BaseCommand):
    help = (
        "Serve the registry and run the matching worker beside it (what `make serve` "
        "and `make demo` run): the worker is started with the web server, restarted if it "
        "dies, and stopped with it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="address and port of the web server",
        )
        parser.add_argument(
            "--noreload",
            action="store_true",
            help="do not restart the web server when code changes",
        )
        parser.add_argument(
            "--poll", type=float, default=2.0, help="seconds between the worker's queue checks"
        )

    def handle(self, *args, addrport="127.0.0.1:8000", noreload=False, poll=2.0, **options):
        if os.environ.get("RUN_MAIN") == "true":  # the autoreloader's child: serve only
            call_command("runserver", addrport, use_reloader=True)
            return
        stop = threading.Event()
        command = [sys.executable, str(MANAGE), "matching_worker", "--poll", str(poll)]
        state = {"worker": subprocess.Popen(command)}
        self.stdout.write(f"matching worker started (pid {state['worker'].pid})")

        def supervise():
            while not stop.wait(5.0):
                if state["worker"].poll() is not None:
                    self.stderr.write(
                        f"matching worker exited ({state['worker'].returncode}); starting it again"
                    )
                    state["worker"] = subprocess.Popen(command)

        watcher = threading.Thread(target=supervise, daemon=True)
        watcher.start()
        try:
            call_command("runserver", addrport, use_reloader=not noreload)
        finally:
            stop.set()
            worker = state["worker"]
            worker.terminate()
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()
            time.sleep(0)
