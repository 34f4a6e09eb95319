"""Cost of degraded remains and of theta in the blind search (synthetic data).

    .venv/bin/python benchmarks/degraded_search.py --families 300 --remains 3000 \
        --kernel-families 20000 --kernel-remains 20000 --theta-families 12 --out out/degraded

1. the same families searched against the same remains, complete (no dropout model) and
   degraded: each remain in one of four (dropout, dropin) classes given in the remains
   table, heterozygotes partly reduced to a/F or a/-, some markers failed. Wall time of the
   search (read, compile, score), best of ``--repeat`` runs each;
2. the scoring kernel at scale on the compiled tables of both (tiled): pairs per second and
   table size (the degraded layout's rows are wider: one block per class);
3. theta: compile time per missing person at theta = 0 and theta = 0.02 (proportional
   mutation, the first ``--theta-families`` families), families the exact theta compile
   refuses, and one ``nasab lr --theta`` call for scale.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from nasab.engine.mutation import mutation_specs
from nasab.sim.simulate import degrade_remains

CLASSES = [("0.05", "0"), ("0.1", "0.02"), ("0.2", "0"), ("0.3", "0.05")]


def degrade(src: Path, dst: Path, seed: int = 7) -> None:
    """Remains with dropout / dropin columns and degraded genotypes."""
    degrade_remains(src, dst, CLASSES, seed, single=0.3, partial=0.1, failed=0.1)


def timed_search(fam: Path, rem: Path, out: Path, repeat: int, **kw) -> dict:
    from nasab.search.run import SearchConfig, run_search

    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = run_search(SearchConfig(fam, rem, out, threshold=1e4, inconsistent=False, **kw))
        wall = time.perf_counter() - t0
        if best is None or wall < best["wall_s"]:
            best = {
                "wall_s": wall,
                **res.timings,
                "missing": res.n_missing,
                "remains": res.n_remains,
                "matches": len(res.matches["remain_id"]),
            }
    return best


def kernel(
    fam_path: Path, rem_path: Path, nf: int, nr: int, dropout: float = 0.0, n_families: int = 60
) -> dict:
    """The kernel on tables compiled as the search compiles them (the first families),
    tiled to nf missing persons x nr remains."""
    from nasab.engine.observation import DropModel
    from nasab.search import engine as E
    from nasab.search.bench import kernel_scale
    from nasab.search.data import read_families, read_remains
    from nasab.search.run import load_table

    table = load_table(None)
    fam = read_families(fam_path)
    default = DropModel(dropout)
    rem, _, _ = read_remains(rem_path, default_drop=default)
    specs = mutation_specs(fam.markers, "stepwise")
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    classes = E.observation_classes((p.drop for p in rem.profiles), default)
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models], dropout, 0.0, classes)
    _, exact, _ = E.compile_families(fam.families[:n_families], layout, models)
    rep = kernel_scale(exact, layout.codes(rem.profiles), layout.offsets, nf, nr)
    rep["width"] = layout.width
    rep["classes"] = len(layout.classes)
    return rep


def theta_cost(
    fam_path: Path, rem_path: Path, n_families: int, mutation: str = "proportional"
) -> dict:
    from nasab.engine.lr import missing_person_lr
    from nasab.search import engine as E
    from nasab.search.data import read_families, read_remains
    from nasab.search.run import load_table

    table = load_table(None)
    fam = read_families(fam_path)
    rem, _, _ = read_remains(rem_path)
    fams = fam.families[:n_families]
    specs = mutation_specs(fam.markers, mutation)
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    out: dict = {"mutation": mutation}
    for theta in (0.0, 0.02):
        layout = E.Layout(fam.markers, [list(m.alleles) for m in models], theta=theta)
        t0 = time.perf_counter()
        rows, _, problems = E.compile_families(fams, layout, models, on_error="skip")
        dt = time.perf_counter() - t0
        out[f"theta_{theta:g}"] = {
            "seconds": dt,
            "missing": len(rows),
            "s_per_missing": dt / max(len(rows), 1),
            "refused_families": len(problems),
        }
    per_family = []
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models], theta=0.02)
    for fd in fams:
        t0 = time.perf_counter()
        _, _, problems = E.compile_families([fd], layout, models, on_error="skip")
        t_compile = time.perf_counter() - t0
        t0 = time.perf_counter()
        if not problems:
            missing_person_lr(
                fd.family, fd.missing[0], rem.profiles[0], tabx, specs, fam.markers, theta=0.02
            )
        per_family.append(
            {
                "family": fd.family.name,
                "persons": len(fd.family.pedigree),
                "compile_s": t_compile,
                "one_lr_theta_s": time.perf_counter() - t0,
                "refused": bool(problems),
            }
        )
    out["per_family"] = per_family
    return out


def main() -> None:
    from nasab.sim.simulate import simulate

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--families", type=int, default=300)
    p.add_argument("--remains", type=int, default=3000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--kernel-families", type=int, default=20_000)
    p.add_argument("--kernel-remains", type=int, default=20_000)
    p.add_argument("--theta-families", type=int, default=12)
    p.add_argument(
        "--theta-mutation",
        default="proportional",
        help="mutation model of the theta compile (proportional, stepwise, ...)",
    )
    p.add_argument("--out", type=Path, default=Path("out/degraded"))
    args = p.parse_args()
    out = args.out
    data = out / "data"
    out.mkdir(parents=True, exist_ok=True)
    simulate(args.families, args.remains, args.seed, data, formats=("tsv",))
    degrade(data / "remains.tsv", data / "remains_degraded.tsv")
    fam = data / "families.tsv"
    report: dict = {"args": {k: str(v) for k, v in vars(args).items()}}
    report["complete"] = timed_search(fam, data / "remains.tsv", out / "complete.tsv", args.repeat)
    report["degraded"] = timed_search(
        fam, data / "remains_degraded.tsv", out / "degraded.tsv", args.repeat, dropout=0.05
    )
    report["ratio_wall"] = report["degraded"]["wall_s"] / report["complete"]["wall_s"]
    report["kernel_complete"] = kernel(
        fam, data / "remains.tsv", args.kernel_families, args.kernel_remains
    )
    report["kernel_degraded"] = kernel(
        fam, data / "remains_degraded.tsv", args.kernel_families, args.kernel_remains, 0.05
    )
    report["ratio_kernel"] = (
        report["kernel_degraded"]["seconds"] / report["kernel_complete"]["seconds"]
    )
    if args.theta_families:
        report["theta"] = theta_cost(
            fam, data / "remains.tsv", args.theta_families, args.theta_mutation
        )
    (out / "degraded.json").write_text(json.dumps(report, indent=1, default=float) + "\n")
    print(json.dumps(report, indent=1, default=lambda x: round(float(x), 4)))


if __name__ == "__main__":
    main()
