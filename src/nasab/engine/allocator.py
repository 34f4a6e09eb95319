"""The C allocator's settings for array-heavy work (glibc only).

The compile of a search allocates and frees the same few large arrays (a shape's batched
operands and intermediates, a few hundred kB to tens of MB each) millions of times.
glibc serves blocks above its mmap threshold with a fresh ``mmap`` and returns them with
``munmap`` (and trims the heap's top above its trim threshold), so every such array is
paid again in page faults: at 20,000 families the kernel's page-fault time was 5 s of
31 s, and the run's process time a fifth more than needed.  With both thresholds fixed
(:data:`MMAP_THRESHOLD`, :data:`TRIM_THRESHOLD`) freed blocks stay in the process and
are reused; the peak resident memory is unchanged (what is kept was in use at the peak).

Set one without the other and glibc's dynamic threshold adjustment is switched off with
nothing in its place: worse than the default (measured: 13 s of page faults instead of
5 s), so they are set together or not at all.  A ``MALLOC_MMAP_THRESHOLD_`` or
``MALLOC_TRIM_THRESHOLD_`` in the environment is the user's choice and is left alone, as
is any allocator that is not glibc's.  The numbers do not change: only where memory
comes from.

Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (its default
``distributed.nanny.pre-spawn-environ``: memory handed back to the system at once), which
is the one-of-two setting above and cost the Syria-scale run 215 s of page faults over
two workers; the local cluster of ``--workers`` starts its workers with
:func:`environment` instead.  Workers of a scheduler given by ``--dask`` are configured
by whoever runs them.
"""

from __future__ import annotations

import os
import sys

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "environment", "tune_allocator"]

#: blocks up to this size come from the heap (glibc's largest allowed: 32 MiB on 64-bit)
MMAP_THRESHOLD = 32 * 1024 * 1024
#: free memory at the heap's top kept rather than returned to the system
TRIM_THRESHOLD = 1 << 30

_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_ENV = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")
_done: bool | None = None


def environment() -> dict[str, str]:
    """The same settings as environment variables, for processes about to be started
    (glibc reads them at start-up)."""
    return {
        "MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD),
        "MALLOC_TRIM_THRESHOLD_": str(TRIM_THRESHOLD),
    }


def tune_allocator() -> bool:
    """Fix glibc's mmap and trim thresholds for this process (once; later calls return the
    first answer).  True when they were set; False on another C library, or when the
    environment already says how the allocator should behave."""
    global _done
    if _done is not None:
        return _done
    _done = False
    if not sys.platform.startswith("linux") or any(os.environ.get(v) for v in _ENV):
        return False
    import ctypes  # here: a command that does not compile does not pay for it

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the process runs on
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    if mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1:
        return False
    _done = mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    return _done
