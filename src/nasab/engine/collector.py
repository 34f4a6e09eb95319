"""Keeping Python's cyclic garbage collector off the data a run reads and keeps.

Reading a national families table makes millions of small objects (cells, genotypes,
persons), none of them in a reference cycle; each full collection walks every one of them,
and while they are being made collections come often: half the time of reading such a
table went to the collector (measured, 20,000 families). :func:`loading` turns automatic
collection off while reading; :func:`frozen` leaves what exists on entry (the data a run
holds to its end, however it was loaded) out of the collections made in the block
(``gc.freeze``), undone when the outermost block ends; data read by :func:`loading` inside a
:func:`frozen` block is left out too. Frozen objects are still freed as soon as nothing
refers to them; only garbage in reference cycles waits for the block's end.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_FROZEN = [0]  # blocks of frozen() open in this process


@contextmanager
def loading() -> Iterator[None]:
    """No automatic collection inside the block (code that makes many objects and no
    garbage cycles: reading a table); at its end, inside a :func:`frozen` block, what
    exists is frozen too (until that block ends); then the collector is as before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        with _LOCK:
            if _FROZEN[0]:
                gc.freeze()
        if was:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """The objects that exist on entry are left out of collections until the outermost
    block ends (``gc.freeze``, undone by ``gc.unfreeze`` then); objects made inside are
    collected as usual."""
    with _LOCK:
        _FROZEN[0] += 1
        gc.freeze()
    try:
        yield
    finally:
        with _LOCK:
            _FROZEN[0] -= 1
            if _FROZEN[0] == 0:
                gc.unfreeze()
