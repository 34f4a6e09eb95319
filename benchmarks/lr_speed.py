"""Speed of one missing-person LR: a six-person family at 23 markers.

Run: .venv/bin/python benchmarks/lr_speed.py [--repeat N]

Family: father and mother of the missing son untyped, three typed full siblings of the
missing person... exactly: FA, MO (untyped founders), MP (missing), S1, S2 (typed sibs),
and S3 typed; genotypes drawn by gene dropping from the bundled NIST 1036 table; the POI is
the true MP. Reported: median wall time per LR after warm-up, for no mutation and for the
stepwise model (not lumpable, so the full allele list is used for untyped persons).
"""

from __future__ import annotations

import os

# The tensors are tiny: BLAS threads only contend with each other (and with anything else
# running); one thread gives stable timings.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.pedigree import Pedigree
from nasab.sim.demo import DEMO_MARKERS, DEMO_MUTATION, default_table
from nasab.sim.synth import drop_genes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    table = default_table()
    ped = Pedigree.from_records(
        [
            ("FA", None, None, 1),
            ("MO", None, None, 2),
            ("MP", "FA", "MO", 1),
            ("S1", "FA", "MO", 1),
            ("S2", "FA", "MO", 2),
            ("S3", "FA", "MO", 2),
        ]
    )
    rng = np.random.default_rng(1)
    genos = drop_genes(ped, table, DEMO_MARKERS, rng)
    typed = {k: v for k, v in genos.items() if k in ("S1", "S2", "S3")}
    fam = Family(ped, DEMO_MARKERS, typed)
    poi = Profile("POI", genos["MP"])
    models: dict[str, MutationSpec | None] = {
        "none": None,
        "equal": MutationSpec("equal", 0.0005, 0.002),
        "stepwise": DEMO_MUTATION,
    }
    print(f"six-person family, 3 typed siblings, {len(DEMO_MARKERS)} markers, POI = MP")
    for name, spec in models.items():
        for _ in range(5):  # warm-up: caches of contraction paths
            r = missing_person_lr(fam, "MP", poi, table, spec)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            r = missing_person_lr(fam, "MP", poi, table, spec)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times) * 1e3
        p90 = sorted(times)[int(0.9 * len(times))] * 1e3
        print(
            f"  mutation {name:9s} log10 LR {r.log10_lr:8.3f}   median {med:6.2f} ms   "
            f"p90 {p90:6.2f} ms   ({args.repeat} runs)"
        )


if __name__ == "__main__":
    main()
