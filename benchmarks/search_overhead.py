"""Process time of the blind search's Python bookkeeping around the contractions (issue 19):
reading the two tables, the extended frequency table, the remains' table codes, the
references' typing states, the shape groups and the joint sums, each alone on one data
folder (the best of ``--repeats``; one BLAS thread).

    PYTHONPATH=src .venv/bin/python benchmarks/search_overhead.py --data /tmp/sh20k/data

``--data``: a folder with ``families.tsv`` and ``remains.tsv`` (``nasab simulate``). The
steps run as ``nasab search`` runs them (chunks of ``--chunk`` missing persons in shape
order, the data read kept out of the garbage collector's sight); the joint sums are taken
over random joints of the sizes the first chunk's shape batches have. Timings on a shared
machine are noisy: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from nasab.engine.collector import frozen
from nasab.engine.observation import DropModel
from nasab.search import engine as E
from nasab.search.codes import reference_states
from nasab.search.config import SearchConfig
from nasab.search.data import read_families, read_remains
from nasab.search.run import _chunks, load_table
from nasab.search.shapes import missing_rows, shape_groups
from nasab.search.tables import JointSums, observation_classes


def best(times: dict, name: str, repeats: int, f, *args):
    """``f(*args)`` run ``repeats`` times; its least process time kept under ``name``."""
    least, out = float("inf"), None
    for _ in range(repeats):
        out = None  # the previous result freed before the next run
        t = time.process_time()
        out = f(*args)
        least = min(least, time.process_time() - t)
    times[name] = least
    return out


def measure(data: Path, repeats: int, chunk: int) -> dict[str, float]:
    times: dict[str, float] = {}
    table = load_table(None)
    known = set(table.markers)
    with frozen():
        loaded = best(times, "read_families", repeats, read_families, data / "families.tsv", known)
        rem, _, _ = best(times, "read_remains", repeats, read_remains, data / "remains.tsv", known)
        markers = loaded.markers
        tabx = best(
            times, "extended_table", repeats, E.extended_table, table, markers, loaded.families, rem
        )
        specs = SearchConfig(data / "families.tsv", data / "remains.tsv", None).specs(markers)
        models = E.build_models(tabx, markers, specs)
        classes = observation_classes([p.drop for p in rem.profiles], DropModel())
        layout = E.Layout(markers, [list(m.alleles) for m in models], classes=classes)
        best(times, "Layout.codes", repeats, layout.codes, rem.profiles)
        order = E.order_by_shape(loaded.families)
        chunks = _chunks([loaded.families[i] for i in order], chunk)
        states = best(
            times,
            "reference_states (all chunks)",
            repeats,
            lambda: [reference_states(ch, layout) for ch in chunks],
        )
        groups = best(
            times,
            "shape_groups (all chunks)",
            repeats,
            lambda: [
                shape_groups(ch, st, *missing_rows(ch), len(models))
                for ch, st in zip(chunks, states, strict=True)
            ],
        )
        rng = np.random.default_rng(0)
        joints = [
            rng.random((len(g.rows), layout.ks[m], layout.ks[m]))
            for g in groups[0]
            for m in range(len(models))
            if g.at[:, m].any()
        ]
        with threadpool_limits(limits=1, user_api="blas"):
            best(
                times,
                f"JointSums.of ({len(joints)} joints, chunk 1)",
                repeats,
                lambda: [JointSums.of(j) for j in joints],
            )
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, required=True, help="folder of families.tsv, remains.tsv")
    p.add_argument("--repeats", type=int, default=3, help="runs of each step (the best kept)")
    p.add_argument("--chunk", type=int, default=2000, help="missing persons per chunk")
    args = p.parse_args()
    for name, s in measure(args.data, args.repeats, args.chunk).items():
        print(f"{name:40s} {s:7.3f} s")


if __name__ == "__main__":
    main()
