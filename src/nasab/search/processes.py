"""Child processes that end with their parent (issue 13): the forked worker of a
one-process search and the worker processes of a local Dask cluster."""

from __future__ import annotations

import os
import time

__all__ = ["die_with_parent"]


def die_with_parent(parent: int) -> None:
    """In a child process: end when the parent ends, however it ends (SIGKILL included).

    On Linux the kernel sends SIGKILL to the child when its parent dies (prctl
    PR_SET_PDEATHSIG); elsewhere a watchdog thread checks the parent every second."""
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="nasab-parent-watchdog").start()
