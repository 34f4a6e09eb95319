"""Direct matching with dropout / drop-in / theta: time and recall on simulated remains.

    .venv/bin/python benchmarks/direct_model.py --families 3000 --remains 5000 --out /tmp/dm

Simulates (``nasab simulate``), writes a degraded copy of the remains (a share of the samples
lose one allele of some heterozygous markers, written ``a/F``, with their own ``dropout``
column), then runs ``nasab direct`` on both under several models and prints, per run, the
wall time, the matching time, the kernel's candidate pairs, the reported and linked pairs, and
the share of true same-person pairs linked (recall) and of linked pairs that are true
(precision). Synthetic data only.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def degrade(src: Path, dst: Path, share: float, loss: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with src.open() as f:
        rows = list(csv.reader(f, delimiter="\t"))
    header, body = rows[0], rows[1:]
    first = 2 if header[1] == "site" else 1
    out = [header[:first] + ["dropout"] + header[first:]]
    for r in body:
        cells = list(r)
        col = ""
        if rng.random() < share:
            col = f"{loss:g}"
            for j in range(first, len(cells)):
                a, _, b = cells[j].partition("/")
                if a not in ("-", b) and rng.random() < loss:
                    cells[j] = f"{(a, b)[int(rng.integers(0, 2))]}/F"
        out.append(cells[:first] + [col] + cells[first:])
    dst.write_text("".join("\t".join(r) + "\n" for r in out))


def quality(folder: Path, truth: dict[str, str]) -> tuple[float, float]:
    linked = set()
    with (folder / "direct_pairs.tsv").open() as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["linked"] == "True":
                linked.add((row["a"], row["b"]))
    by: dict[str, list[str]] = {}
    for r, ind in truth.items():
        by.setdefault(ind, []).append(r)
    true_pairs = {(a, b) for g in by.values() for a in g for b in g if a < b}
    hit = sum(1 for a, b in linked if (min(a, b), max(a, b)) in true_pairs)
    return hit / max(len(true_pairs), 1), hit / max(len(linked), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--families", type=int, default=3000)
    ap.add_argument("--remains", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/direct_model"))
    a = ap.parse_args()
    nasab = [sys.executable, "-m", "nasab.search.cli"]
    sim = a.out / "sim"
    if not (sim / "remains.tsv").exists():
        subprocess.run(
            nasab
            + [
                "simulate",
                "--families",
                str(a.families),
                "--remains",
                str(a.remains),
                "--seed",
                str(a.seed),
                "--out",
                str(sim),
                "--format",
                "tsv",
            ],
            check=True,
        )
    deg = a.out / "remains_degraded.tsv"
    degrade(sim / "remains.tsv", deg, share=0.3, loss=0.25, seed=a.seed)
    truth = {}
    with (sim / "truth.tsv").open() as f:
        for row in csv.DictReader(f, delimiter="\t"):
            truth[row["remain_id"]] = row["individual"]
    runs = [
        ("plain", sim / "remains.tsv", []),
        ("plain", sim / "remains.tsv", ["--theta", "0.01"]),
        ("plain", sim / "remains.tsv", ["--dropout", "0.1"]),
        ("plain", sim / "remains.tsv", ["--dropout", "0.1", "--theta", "0.01"]),
        ("plain", sim / "remains.tsv", ["--dropout", "0.1", "--dropin", "0.05", "--theta", "0.01"]),
        ("degraded", deg, []),
        ("degraded", deg, ["--theta", "0.01"]),
        ("degraded", deg, ["--dropin", "0.05", "--theta", "0.01"]),
    ]
    print(
        "| data | options | wall s | match s | kernel pairs | pairs | linked recall | precision |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path, opts in runs:
        out = a.out / f"run_{name}_{'_'.join(o.strip('-') for o in opts) or 'none'}"
        t = time.perf_counter()
        res = subprocess.run(
            nasab + ["direct", "--remains", str(path), "--out", str(out), *opts],
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - t
        s = json.loads(res.stdout.strip().splitlines()[-1])
        rec, prec = quality(out, truth)
        print(
            f"| {name} | {' '.join(opts) or '(none)'} | {wall:.2f} | "
            f"{s['seconds']['match']:.2f} | {s['candidates']} | {s['pairs']} | "
            f"{rec:.4f} | {prec:.4f} |"
        )


if __name__ == "__main__":
    main()
