"""Scale-out over Dask: the chunks of :mod:`nasab.search.run` as Dask tasks.

``--dask ADDRESS`` connects to a running scheduler; ``--workers N`` starts a local cluster of
N single-threaded worker processes. The model, the layout and the remains' codes are
scattered once; each task compiles a chunk of families and scores it. Results come back in
chunk order, so the output is identical to a local run.
"""

from __future__ import annotations

import os

import dask
from dask.distributed import Client, LocalCluster, WorkerPlugin

from nasab.engine.allocator import environment
from nasab.engine.collector import frozen
from nasab.engine.errors import NasabError, RunFailure
from nasab.search.engine import process_chunk
from nasab.search.inconsistency import inconsistent_counts
from nasab.search.processes import die_with_parent

# The scheduler of a local cluster runs in this process's event loop: a long pause of this
# process (the garbage collector walking millions of family objects, a busy machine) must
# not be taken for a lost connection (Dask's default is 30 s; a national run lost its
# scheduler that way at load 7 on 2 cores).
PATIENCE = {
    "distributed.comm.timeouts.connect": "300s",
    "distributed.comm.timeouts.tcp": "900s",
}
CONNECT_S = 30  # seconds to reach a scheduler given with --dask


class DieWithParent(WorkerPlugin):
    """A Dask worker plugin: each worker process of a local cluster (also one the nanny
    restarts) ends when the process that started the cluster ends, SIGKILL included
    (:func:`nasab.search.processes.die_with_parent`)."""

    name = "nasab-die-with-parent"

    def __init__(self, parent: int) -> None:
        self.parent = parent

    def setup(self, worker) -> None:
        die_with_parent(self.parent)


def local_cluster(workers: int):
    """(cluster, client): ``workers`` single-threaded worker processes on this machine, each
    ending with this process."""
    plugin = DieWithParent(os.getpid())
    # the allocator's settings of nasab.engine.allocator, not the nanny's default
    spawn = {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in environment().items()}
    with dask.config.set(spawn):
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(cluster)
    try:
        client.register_plugin(plugin)
    except BaseException:
        client.close()
        cluster.close()
        raise
    return cluster, client


def process_chunk_counting(ch, layout, models, codes, log10_t, on_error, keep, lineage, tabx):
    """:func:`process_chunk` and the inconsistency counts of its pairs (``res["incons"]``,
    in the chunk's pair order)."""
    res = process_chunk(ch, layout, models, codes, log10_t, on_error, keep, lineage)
    rows = res["rows"]
    pairs = [(rows[i][0], rows[i][1], codes[j]) for i, j in zip(res["f"], res["r"], strict=True)]
    res["incons"] = inconsistent_counts({fd.family.name: fd for fd in ch}, layout, tabx, pairs)
    return res


def run_dask(
    cfg, chunks, layout, models, codes, log10_t, keep, report=None, lineage=None, tabx=None
):
    """``report(k)`` is called when chunk ``k`` is done. With ``tabx`` (the extended
    frequency table) each task also counts its pairs' inconsistent markers. A cluster that
    fails (scheduler lost, a worker killed) ends the run with :class:`RunFailure` (one line,
    nothing written), not a traceback."""
    # the families read are kept out of the collector's sight while the cluster runs (a full
    # collection over millions of objects pauses the scheduler's event loop)
    with dask.config.set(PATIENCE), frozen():
        try:
            return _run_dask(
                cfg, chunks, layout, models, codes, log10_t, keep, report, lineage, tabx
            )
        except (NasabError, KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # distributed's errors: cancelled futures, closed comms...
            where = f"the Dask scheduler at {cfg.dask}" if cfg.dask else "the local Dask cluster"
            hint = (
                "check the address (--dask) and that the scheduler runs, or run without --dask"
                if cfg.dask
                else "run again, with fewer --workers or without them"
            )
            raise RunFailure(
                f"{where} failed ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
                f"nothing was written: {hint}"
            ) from exc


def _run_dask(cfg, chunks, layout, models, codes, log10_t, keep, report, lineage, tabx):
    cluster = None
    if cfg.dask:  # a scheduler someone else runs: its workers are theirs
        # a scheduler that does not answer is an error within CONNECT_S, not a wait of the
        # local cluster's patience
        client = Client(cfg.dask, timeout=CONNECT_S)
    else:
        cluster, client = local_cluster(cfg.workers)
    try:
        lay, mod, cod = client.scatter([layout, models, codes], broadcast=True)
        tab = client.scatter(tabx, broadcast=True) if tabx is not None else None
        futures = [
            client.submit(
                process_chunk if tab is None else process_chunk_counting,
                ch,
                lay,
                mod,
                cod,
                log10_t,
                cfg.on_error,
                keep,
                lineage[k] if lineage else None,
                *(() if tab is None else (tab,)),
                pure=False,
            )
            for k, ch in enumerate(chunks)
        ]
        out = []
        for k, fut in enumerate(futures):
            out.append(fut.result())
            if report:
                report(k)
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
