"""Blind-search benchmark (speed targets live here, not in timed tests).

    .venv/bin/python benchmarks/blind_search.py --families 2000 --remains 2000 \
        --kernel-families 150000 --kernel-remains 100000 --out out/bench

Prints time to read / compile / score / write, pairs per second, peak memory, incremental
timings, and identification quality against the truth (sensitivity and false positives per
kind of reference family at 1e4 and 1e6) as a table; writes ``bench.json`` and
``quality.png`` under ``--out``. All data are synthetic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nasab.search.bench import run_bench


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--families", type=int, default=2000)
    p.add_argument("--remains", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kernel-families", type=int, default=150_000)
    p.add_argument("--kernel-remains", type=int, default=100_000)
    p.add_argument("--mutation", default="stepwise")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--keep-store", action="store_true")
    p.add_argument("--out", type=Path, default=Path("out/bench"))
    run_bench(p.parse_args())


if __name__ == "__main__":
    main()
