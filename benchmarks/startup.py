"""Start-up: `nasab lr --case DIR` on a small case as a whole process, and `import nasab`.

    .venv/bin/python benchmarks/startup.py [--repeat 15]

Reports the median and the best wall time of each (bytecode compiled first: an installed
package has its .pyc files; PYTHONDONTWRITEBYTECODE is lifted for the runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NASAB_SHARED") or ROOT.parent / "shared")
CASE = SHARED / "oracle/public/public_01_parent_child_mother_true"


def timed(cmd: list[str], repeat: int) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm: .pyc, page cache
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        out.append(time.perf_counter() - t)
    return out


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
        t = timed(cmd, args.repeat)
        print(f"{name:38s} median {statistics.median(t):.3f} s  best {min(t):.3f} s")


if __name__ == "__main__":
    main()
