"""Outputs that a refactoring must not change: LRs of the public cases, joint identification
of the small dvir datasets, blind-search matches of a small simulation, exclusion
probabilities. ``python tests/architecture/outputs.py OUT.json`` records them (run against
an older checkout with PYTHONPATH=OLD/src to record what it gave); the test recomputes them
in-process and compares every LR-like number (log10 LRs to 1e-12).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sys
import tempfile
from pathlib import Path

# as tests/conftest.py (this file also runs as a script, so it cannot import it)
SHARED = Path(os.environ.get("NASAB_SHARED") or Path(__file__).resolve().parents[3] / "shared")
ORACLE = SHARED / "oracle"
JOINT = ("example1", "example2", "symmetricSibs", "planecrash", "fire", "KETPchap481")
KEYS = ("log10", "lr", "posterior", "loglik", "exclusion")


def _cli(argv: list[str]) -> str:
    from nasab.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    if code:
        raise RuntimeError(f"nasab {' '.join(argv)} exited {code}")
    return buf.getvalue()


def _numbers(obj, prefix: str = "") -> dict[str, float]:
    """LR-like numeric leaves of a JSON document, by path."""
    out: dict[str, float] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(_numbers(v, f"{prefix}/{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(_numbers(v, f"{prefix}/{i}"))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        if any(k in prefix.lower() for k in KEYS):
            out[prefix] = float(obj)
    elif (
        isinstance(obj, str)
        and obj in ("Inf", "-Inf", "Infinity", "-Infinity")
        and any(k in prefix.lower() for k in KEYS)
    ):  # strict JSON: the leaves as floats
        out[prefix] = -math.inf if obj.startswith("-") else math.inf
    return out


def record() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for case in sorted((ORACLE / "public").iterdir()):
        out[f"lr/{case.name}"] = _numbers(json.loads(_cli(["lr", "--case", str(case), "--json"])))
    for name in JOINT:
        out[f"joint/{name}"] = _numbers(
            json.loads(_cli(["joint", "--dvi", str(ORACLE / "dvi" / name), "--json"]))
        )
    with tempfile.TemporaryDirectory() as tmp:
        sim = Path(tmp) / "sim"
        _cli(["simulate", "--families", "30", "--remains", "30", "--seed", "5", "--out", str(sim)])
        for model in ("stepwise", "proportional"):
            m = Path(tmp) / f"m_{model}.tsv"
            _cli(
                [
                    "search",
                    "--families",
                    str(sim / "families.tsv"),
                    "--remains",
                    str(sim / "remains.tsv"),
                    "--freqs",
                    str(sim / "freqs.txt"),
                    "--mutation",
                    model,
                    "--threshold",
                    "1",
                    "--out",
                    str(m),
                ]
            )
            with m.open(encoding="utf-8") as f:
                out[f"search/{model}"] = {
                    f"{r['remain_id']}|{r['family_id']}|{r['missing_id']}/log10_lr": float(
                        r["log10_lr"]
                    )
                    for r in csv.DictReader(f, delimiter="\t")
                }
    return out


if __name__ == "__main__":
    data = record()
    Path(sys.argv[1]).write_text(
        json.dumps(data, indent=1, sort_keys=True, default=str), encoding="utf-8"
    )
    print(sum(len(v) for v in data.values()), "numbers")
