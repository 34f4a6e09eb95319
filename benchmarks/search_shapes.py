"""End-to-end search speed with the compile batched by shape (issue 19).

    PYTHONPATH=src .venv/bin/python benchmarks/search_shapes.py --families 20000 \
        --remains 20000 --one-missing --out out/shapes

Simulates ``families`` x ``remains`` (synthetic; with ``--one-missing`` only the first missing
person of each family stays missing, the others become untyped relatives), runs ``nasab
search`` with default options (stepwise at the published rates) or ``--mutation``, and prints
the time split the run's model file states (read, prepare, compile, score, inconsistency
count, write), pairs per second end to end, user CPU seconds, peak memory and the shapes
found. Target (issue 19): 20,000 x 20,000 with one missing person per family at >= 3e7
pairs/s end to end. Timings on a shared machine are noisy: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path


def one_missing(path: Path) -> None:
    """Keep only MP1 of each family missing (the simulation's other missing brothers stay in
    the pedigree, untyped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    pid, miss = head.index("id"), head.index("missing")
    out = [lines[0]]
    for ln in lines[1:]:
        cells = ln.split("\t")
        if cells[miss] == "1" and cells[pid] != "MP1":
            cells[miss] = "0"
        out.append("\t".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--families", type=int, default=2000, help="families to simulate")
    p.add_argument("--remains", type=int, default=2000, help="remains to simulate")
    p.add_argument("--seed", type=int, default=1, help="simulation seed")
    p.add_argument("--mutation", default="stepwise", help="mutation model of the search")
    p.add_argument("--one-missing", action="store_true", help="one missing person per family")
    p.add_argument("--data", type=Path, help="use this simulated folder instead of simulating")
    p.add_argument("--out", type=Path, default=Path("out/shapes"), help="output folder")
    args = p.parse_args()
    from nasab.search.run import SearchConfig, metadata_path, run_search
    from nasab.sim.simulate import simulate

    args.out.mkdir(parents=True, exist_ok=True)
    data = args.data
    if data is None:
        data = args.out / "data"
        simulate(args.families, args.remains, args.seed, data, formats=("tsv",))
        if args.one_missing:
            one_missing(data / "families.tsv")
    out = args.out / "matches.tsv"
    t0, c0 = time.perf_counter(), time.process_time()
    res = run_search(
        SearchConfig(data / "families.tsv", data / "remains.tsv", out, mutation=args.mutation)
    )
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    meta = json.loads(metadata_path(out).read_text(encoding="utf-8"))
    report = {
        "families": res.n_families,
        "missing": res.n_missing,
        "remains": res.n_remains,
        "pairs": res.pairs,
        "wall_s": wall,
        "cpu_s_main_process": cpu,
        "pairs_per_s": res.pairs / wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "timings_s": meta["timings_s"],
        "shapes": meta["shapes"]["count"],
        "top_shapes": meta["shapes"]["found"][:10],
    }
    (args.out / "bench.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
