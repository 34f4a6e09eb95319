"""CPU time of the search compile with references under a dropout model, and under theta > 0
(issue 19, item 3: neither falls back to per-family Python).

    PYTHONPATH=src .venv/bin/python benchmarks/search_compile_models.py --families 2000 \
        --case dropout --out out/compile_models

Simulates ``families`` families (synthetic, ``nasab simulate``; one missing person per family
as in ``benchmarks/search_shapes.py``), reads them as ``nasab search`` does, and times
:func:`nasab.search.engine.compile_families` alone (user CPU of this process and wall time):

* ``--case dropout``: every typed reference with the dropout model ``--dropout`` (0.05), as the
  registry's reference-swab setting gives (``Family.drops``; the families table has no column
  for it); default stepwise mutation;
* ``--case theta``: theta ``--theta`` (0.01), no dropout, default stepwise mutation;
* ``--case plain``: neither (the reference point).

Timings on a shared machine are noisy: user CPU is the fair figure; compare runs side by side.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import time
from pathlib import Path


def _families(data: Path, n: int, seed: int) -> Path:
    from benchmarks.search_shapes import one_missing

    from nasab.sim.simulate import simulate

    if not (data / "families.tsv").exists():
        simulate(n, 10, seed, data, formats=("tsv",))
        one_missing(data / "families.tsv")
    return data


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--families", type=int, default=2000, help="families to simulate")
    p.add_argument("--seed", type=int, default=1, help="simulation seed")
    p.add_argument(
        "--case", choices=("dropout", "theta", "plain"), default="dropout", help="the model"
    )
    p.add_argument("--dropout", type=float, default=0.05, help="references' dropout probability")
    p.add_argument("--theta", type=float, default=0.01, help="theta of the theta case")
    p.add_argument("--mutation", default="stepwise", help="mutation model")
    p.add_argument("--limit", type=int, default=0, help="compile only the first N families")
    p.add_argument(
        "--each",
        action="store_true",
        help="compile family by family, counting (and leaving out) those the compile refuses "
        "(ModelError: too large for the exact computation); for versions that stop on them",
    )
    p.add_argument("--out", type=Path, default=Path("out/compile_models"), help="output folder")
    args = p.parse_args()
    from nasab.engine.errors import ModelError
    from nasab.engine.mutation import mutation_specs
    from nasab.engine.observation import DropModel
    from nasab.search import engine as E
    from nasab.search.data import FamilyData, read_families
    from nasab.search.run import load_table

    args.out.mkdir(parents=True, exist_ok=True)
    data = _families(args.out / f"data{args.families}_{args.seed}", args.families, args.seed)
    fam = read_families(data / "families.tsv")
    families = list(fam.families)
    if args.limit:
        families = families[: args.limit]
    if args.case == "dropout":
        drop = DropModel(args.dropout)
        families = [
            FamilyData(
                dataclasses.replace(fd.family, drops=dict.fromkeys(fd.family.genotypes, drop)),
                fd.missing,
                fd.line,
            )
            for fd in families
        ]
    families = [families[i] for i in E.order_by_shape(families)]
    table = load_table(None)
    specs = mutation_specs(fam.markers, args.mutation)
    tabx = E.extended_table(table, fam.markers, families, None)
    models = E.build_models(tabx, fam.markers, specs)
    layout = E.Layout(
        fam.markers,
        [list(m.alleles) for m in models],
        theta=args.theta if args.case == "theta" else 0.0,
    )
    t0, u0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
    refused = 0
    if args.each:
        rows, problems = [], []
        for fd in families:
            try:
                r, _, pr = E.compile_families([fd], layout, models, on_error="skip")
            except ModelError:
                refused += 1
                continue
            rows += r
            problems += pr
    else:
        rows, _, problems = E.compile_families(families, layout, models, on_error="skip")
    wall = time.perf_counter() - t0
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - u0
    report = {
        "case": args.case,
        "families": len(families),
        "rows": len(rows),
        "problems": len(problems),
        "refused": refused,
        "compile_wall_s": round(wall, 2),
        "compile_user_cpu_s": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    name = f"{args.case}_{len(families)}.json"
    (args.out / name).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
