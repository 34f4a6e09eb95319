"""The matches' ``n_inconsistent`` counted in a second process while the main one compiles.

A one-process search of more than one chunk on a machine with more than one core sends each
chunk's kept pairs to one counting process (:func:`nasab.search.inconsistency.
inconsistent_counts`, by allele pattern) while it compiles the next chunk: on two cores that
step leaves the wall-clock time.

The process is *started fresh* (``spawn``), not forked from the search: a forked child
shares the parent's pages copy-on-write, and every page the parent then writes (reference
counts of the families it compiles, numpy temporaries in freed heap) is copied on a fault,
each fault stopping the parent's other threads too. At Syria scale (150,000 families,
proportional model, 2 cores) a forked child that did nothing cost the search 10 s of CPU
and 6.5 s of wall-clock time. The fresh process is started before the reading where the families
table is 1 MB or more (its imports overlap the reading; a small search starts none), gets
the run's layout, extended table and remains' codes once, and with each chunk the kept pairs
and their rows' shape groups as the compile found them (:class:`nasab.search.shapes.
RowShapes`: arrays, not the families; a compile under theta finds none, and sends the
families the pairs name). Pairs its patterns leave undecided are counted in the main
process (:meth:`InconsistencyOverlap.collect`).

The fresh process imports nasab's modules only, never the main script of the process that
starts it (``spawn`` would run an unguarded script's search a second time in it, writing the
same output files): the ``__main__`` module is a blank one while it starts.

Should the process die (killed for memory, say) or not start, the main process counts the
pairs instead: the same function, the same numbers, only later.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import numpy as np

from nasab.search.engine import inconsistent_counts as recompiled_counts
from nasab.search.inconsistency import group_counts, inconsistent_counts
from nasab.search.processes import die_with_parent

__all__ = [
    "CountingProcess",
    "InconsistencyOverlap",
    "wants_counting_process",
    "worth_starting_early",
]

_DATA: list = []  # in the counting process: (layout, extended table, remains' codes)


def _set_data(layout, tabx, codes: np.ndarray) -> int:
    """In the counting process: the run's data, once. Its contraction paths are found by
    the greedy search alone: whether a sum of non-negative terms is zero does not depend on
    the order of the products, and the randomized search took a quarter of its time."""
    from nasab.engine.contraction import greedy_paths_only

    greedy_paths_only()
    _DATA[:] = [(layout, tabx, codes)]
    return os.getpid()


def _count(fams: dict, kept: list[tuple[str, str]], remains: np.ndarray):
    """In the counting process: the counts of a chunk's kept pairs (rows, remain indices);
    ``fams`` holds the families those rows name. (counts, no pair left: as
    :func:`_count_groups`)"""
    layout, tabx, codes = _DATA[0]
    pairs = [(f, p, codes[j]) for (f, p), j in zip(kept, remains.tolist(), strict=True)]
    return np.asarray(inconsistent_counts(fams, layout, tabx, pairs), np.int64), np.empty(0, int)


def _count_groups(groups: list, n_rows: int, prow: np.ndarray, remains: np.ndarray):
    """In the counting process: the counts of a chunk's kept pairs from their rows' shape
    groups as the compile found them (no families sent): (counts, pairs left to the main
    process, :func:`nasab.search.inconsistency.group_counts`)."""
    layout, _, codes = _DATA[0]
    return group_counts(groups, n_rows, prow, codes[remains], layout)


PRESTART_BYTES = 1 << 20  # a families table this large is more than one chunk's worth


def worth_starting_early(cfg) -> bool:
    """Whether to start the counting process before the reading: a families table large
    enough to make more than one chunk (a small search never starts one; a larger one
    whose size this misjudges starts it after the reading, see :class:`InconsistencyOverlap`)."""
    if not wants_counting_process(cfg):
        return False
    try:
        return os.stat(cfg.families).st_size >= PRESTART_BYTES
    except (OSError, TypeError, ValueError):
        return False


def wants_counting_process(cfg) -> bool:
    """Whether a run of ``cfg`` would count in a second process (one process compiling,
    more than one core, counts asked for)."""
    return bool(
        cfg.inconsistent and not cfg.dask and cfg.workers <= 1 and (os.cpu_count() or 1) > 1
    )


class CountingProcess:
    """The fresh counting process (module docstring), started now; :meth:`close` ends it."""

    def __init__(self) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(
            1,
            mp_context=mp.get_context("spawn"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        # the process starts with the first task: now, so that it imports while the main
        # process reads (its answer is not waited for here)
        with _blank_main():
            self.pool.submit(os.getpid)

    @classmethod
    def start(cls) -> CountingProcess | None:
        """A started process, or None where one cannot be started (no counting process:
        the main process counts)."""
        try:
            return cls()
        except (OSError, RuntimeError, ValueError, BrokenProcessPool):
            return None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _blank_main() -> Iterator[None]:
    """A ``__main__`` without a file or module name while a process is spawned: the new
    process then imports nothing of the starting program's script (module docstring)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class InconsistencyOverlap:
    """The counting of a run's chunks in a :class:`CountingProcess` (``process``: one already
    started, else one is started here where it serves), chunk by chunk, in chunk order."""

    def __init__(self, cfg, fams, layout, tabx, codes, n_chunks: int, process=None):
        self.jobs: list = []
        self.fams = fams
        self.data = (layout, tabx, codes)
        serves = n_chunks > 1 and wants_counting_process(cfg)
        self.own = serves and process is None  # started here: closed here
        if self.own:
            process = CountingProcess.start()
        self.process = process if serves else None
        if self.process is not None:
            try:
                self.process.pool.submit(_set_data, layout, tabx, np.asarray(codes))
            except BrokenProcessPool:
                self.process = None

    @property
    def wants_shapes(self) -> bool:
        """Whether the chunks should come with their rows' shape groups (``shapes``): the
        counting process then gets those instead of the families (arrays, a fraction of
        the pickling and none of the families' states found again)."""
        return self.process is not None

    def submit(self, res: dict) -> None:
        shapes = res.pop("shapes", None)  # (not kept with the run's results)
        if self.process is None:
            return
        rows = res["rows"]
        f, r = np.asarray(res["f"], np.int64), np.asarray(res["r"], np.int64)
        kept = [rows[i] for i in f.tolist()]
        try:
            if shapes is not None:
                groups, n_rows, prow = shapes.of_rows(f)
                job = self.process.pool.submit(_count_groups, groups, n_rows, prow, r)
            else:  # (a compile under theta finds no shape groups)
                fams = {name: self.fams[name] for name in {name for name, _ in kept}}
                job = self.process.pool.submit(_count, fams, kept, r)
        except BrokenProcessPool:  # the process died: the main process counts them all
            job = None
        self.jobs.append((job, kept, r))

    def collect(self, n_chunks: int) -> list[int] | None:
        """The counts of every chunk, in chunk order; None when they were not counted here."""
        if self.process is None or len(self.jobs) != n_chunks:
            return None
        if any(job is None for job, _, _ in self.jobs):
            return None
        try:
            return [c for job, kept, r in self.jobs for c in self._finished(job, kept, r)]
        except BrokenProcessPool:
            return None

    def _finished(self, job, kept, remains) -> list[int]:
        counts, left = job.result()  # left: pairs the patterns do not decide, recompiled here
        if len(left):
            layout, tabx, codes = self.data
            pairs = [(*kept[i], codes[remains[i]]) for i in left.tolist()]
            counts[left] = recompiled_counts(self.fams, layout, tabx, pairs)
        return counts.tolist()

    def __enter__(self) -> InconsistencyOverlap:
        return self

    def __exit__(self, *exc) -> None:
        # also when a chunk fails: the counting process does not outlive the search
        if self.process is not None and self.own:
            self.process.close()
