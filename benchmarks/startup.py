"""Start-up: `nasab lr --case DIR` on a small case as a whole process, and `import nasab`.

    .venv/bin/python benchmarks/startup.py [--repeat 15]

Reports the median and the best wall time of each, and the CPU time (user + system) of the
process, which a busy machine disturbs far less than the wall time (bytecode compiled first:
an installed package has its .pyc files; PYTHONDONTWRITEBYTECODE is lifted for the runs).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NASAB_SHARED") or ROOT.parent / "shared")
CASE = SHARED / "oracle/public/public_01_parent_child_mother_true"


def timed(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """(wall times, CPU times) of ``repeat`` runs."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm: .pyc, page cache
    wall, cpu = [], []
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        wall.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15, help="runs of each command")
    args = ap.parse_args()
    py = sys.executable
    rows = {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import numpy'": [py, "-c", "import numpy"],
        "python -c 'import nasab'": [py, "-c", "import nasab"],
        "nasab lr --case public_01": [py, "-m", "nasab.cli", "lr", "--case", str(CASE)],
        "nasab lr --case public_01 --json": [
            py,
            "-m",
            "nasab.cli",
            "lr",
            "--case",
            str(CASE),
            "--json",
        ],
    }
    for name, cmd in rows.items():
        wall, cpu = timed(cmd, args.repeat)
        print(
            f"{name:34s} wall median {statistics.median(wall):.3f} s best {min(wall):.3f} s"
            f" | CPU median {statistics.median(cpu):.3f} s best {min(cpu):.3f} s"
        )


if __name__ == "__main__":
    main()
