"""Keeping Python's cyclic garbage collector off the data a run reads and keeps.

Reading a national families table makes millions of small objects (cells, genotypes,
persons), none of them in a reference cycle; each full collection walks every one of them,
and while they are being made collections come often: half the time of reading such a
table went to the collector (measured, 20,000 families). :func:`loading` turns automatic
collection off while reading and leaves what was read out of later collections
(``gc.freeze``); :func:`frozen` does the latter for a block (the data a run holds to its end,
however it was loaded), undone when the block ends. Frozen objects are still freed when
nothing refers to them any more; only a reference cycle among them would wait for the
block's end (reading makes none).
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
    garbage cycles: reading a table); at its end what exists is frozen out of later
    collections (until a :func:`frozen` block ends) and the collector is as before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
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
