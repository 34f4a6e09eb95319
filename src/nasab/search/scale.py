"""Scale-out over Dask: the chunks of :mod:`nasab.search.run` as Dask tasks.

``--dask ADDRESS`` connects to a running scheduler; ``--workers N`` starts a local cluster of
N single-threaded worker processes. The model, the layout and the remains' codes are
scattered once; each task compiles a chunk of families and scores it. Results come back in
chunk order, so the output is identical to a local run.
"""

from __future__ import annotations

from nasab.search.engine import process_chunk


def run_dask(cfg, chunks, layout, models, codes, log10_t, keep, report=None, lineage=None):
    """``report(k)`` is called when chunk ``k`` is done."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if cfg.dask:
        client = Client(cfg.dask)
    else:
        cluster = LocalCluster(
            n_workers=cfg.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        lay, mod, cod = client.scatter([layout, models, codes], broadcast=True)
        futures = [
            client.submit(
                process_chunk,
                ch,
                lay,
                mod,
                cod,
                log10_t,
                cfg.on_error,
                keep,
                lineage[k] if lineage else None,
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
