"""Blind-search benchmark: speed at scale and identification quality against the truth.

1. simulate ``families`` x ``remains`` (synthetic), run the whole search and time it (read,
   compile, score, inconsistency count, write), peak memory;
2. identification quality against ``truth``: per kind of reference family, sensitivity
   (the remain's true missing person scores LR >= T) and false positives (pairs >= T that are
   not the true one; brothers of the same family apart) at T = 1e4 and 1e6; table + PNG;
3. the scoring kernel at national scale: the compiled tables of step 1 tiled to
   ``kernel_families`` missing persons and ``kernel_remains`` remains (real tables, repeated);
4. incremental search: a store of ``kernel_families`` rows; one new remain against all of them,
   one new family against ``kernel_remains`` remains.
"""

from __future__ import annotations

import math
import os
import resource
import time
from pathlib import Path

import numpy as np


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")
    ]
    head = lines[0].split("\t")
    return [dict(zip(head, ln.split("\t"), strict=True)) for ln in lines[1:]]


def quality(
    matches: dict[str, list], truth: list[dict[str, str]], kinds: dict[str, str]
) -> list[dict]:
    true_pair = {t["remain_id"]: (t["family_id"], t["missing_id"]) for t in truth if t["family_id"]}
    true_kind = {t["remain_id"]: t["kind"] for t in truth if t["family_id"]}
    out = []
    names = ["both_parents", "one_parent", "siblings", "spouse_children", "distant"]
    for t_log in (4.0, 6.0):
        hit: set[str] = set()
        fp: dict[str, int] = dict.fromkeys(names, 0)
        fp_brother: dict[str, int] = dict.fromkeys(names, 0)
        for r, f, p, lg in zip(
            matches["remain_id"],
            matches["family_id"],
            matches["missing_id"],
            matches["log10_lr"],
            strict=True,
        ):
            if lg < t_log:
                continue
            k = kinds.get(f, "distant")
            if true_pair.get(r) == (f, p):
                hit.add(r)
            elif true_pair.get(r, ("",))[0] == f:
                fp_brother[k] += 1
            else:
                fp[k] += 1
        for k in names:
            rs = [r for r, kk in true_kind.items() if kk == k]
            n_fam = sum(1 for v in kinds.values() if v == k)
            out.append(
                {
                    "threshold": f"1e{int(t_log)}",
                    "kind": k,
                    "remains": len(rs),
                    "found": sum(r in hit for r in rs),
                    "sensitivity": (sum(r in hit for r in rs) / len(rs)) if rs else math.nan,
                    "false_positives": fp[k],
                    "brother_matches": fp_brother[k],
                    "families": n_fam,
                }
            )
    return out


def chart(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = [r["kind"] for r in rows if r["threshold"] == "1e4"]
    x = np.arange(len(kinds))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    for off, t in ((-0.2, "1e4"), (0.2, "1e6")):
        sens = [r["sensitivity"] for r in rows if r["threshold"] == t]
        fps = [r["false_positives"] for r in rows if r["threshold"] == t]
        a1.bar(x + off, sens, 0.4, label=f"LR >= {t}")
        a2.bar(x + off, fps, 0.4, label=f"LR >= {t}")
    for a, title in ((a1, "sensitivity"), (a2, "false positives (pairs)")):
        a.set_xticks(x, kinds, rotation=20)
        a.set_title(title)
        a.legend()
    a1.set_ylim(0, 1)
    fig.suptitle("nasab blind search on synthetic data: identification by kind of references")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def kernel_scale(
    exact: np.ndarray,
    codes: np.ndarray,
    offsets: np.ndarray,
    nf: int,
    nr: int,
    log10_t: float = 4.0,
) -> dict:
    """Score nf x nr pairs with tables tiled from ``exact`` (rows) and ``codes``."""
    from nasab.search.kernel import TILE, candidates, quantize_up, suffix_bounds, threshold_units

    base = quantize_up(exact)
    t0 = time.perf_counter()
    nt = (nf + TILE - 1) // TILE
    blocks = np.empty((nt, base.shape[1], TILE), np.int16)
    idx = np.arange(nt * TILE) % len(base)
    for t in range(nt):
        blocks[t] = base[idx[t * TILE : (t + 1) * TILE]].T
    big_codes = codes[np.arange(nr) % len(codes)]
    t_build = time.perf_counter() - t0
    suffix = np.zeros(nt * TILE, np.int32)
    sb = suffix_bounds(base, offsets, 24)
    suffix[:] = sb[idx]
    # warm up the jit
    candidates(base[:TILE], big_codes[:8], sb[:TILE], 24, threshold_units(log10_t))
    t0 = time.perf_counter()
    f, r = candidates(
        np.empty((nt * TILE, 0)),
        big_codes,
        suffix,
        codes.shape[1],
        threshold_units(log10_t),
        blocks=blocks,
    )
    dt = time.perf_counter() - t0
    return {
        "families": nf,
        "remains": nr,
        "pairs": nf * nr,
        "seconds": dt,
        "pairs_per_s": nf * nr / dt,
        "candidates": int(len(f)),
        "build_s": t_build,
        "table_gb": blocks.nbytes / 1e9,
    }


def run_bench(args) -> dict:
    from nasab.search.data import read_families, read_remains
    from nasab.search.run import SearchConfig, run_search
    from nasab.search.store import Store
    from nasab.sim.simulate import simulate

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    report: dict = {"machine": f"{os.cpu_count()} cores"}
    t0 = time.perf_counter()
    simulate(args.families, args.remains, args.seed, data, formats=("tsv",))
    report["simulate_s"] = time.perf_counter() - t0
    workers = getattr(args, "workers", 1)
    t0 = time.perf_counter()
    res = run_search(
        SearchConfig(
            data / "families.tsv",
            data / "remains.tsv",
            out / "matches.tsv",
            threshold=1e4,
            mutation=args.mutation,
            store=out / "store",
            workers=workers,
        )
    )
    report["search"] = {
        "wall_s": time.perf_counter() - t0,
        **res.timings,
        "families": res.n_families,
        "missing": res.n_missing,
        "remains": res.n_remains,
        "pairs": res.pairs,
        "matches": len(res.matches["remain_id"]),
        "compile_missing_per_s": res.n_missing / max(res.timings["compile"], 1e-9),
        "peak_rss_mb": _rss_mb(),
        "workers": workers,
    }
    truth = _read_tsv(data / "truth.tsv")
    kinds = {r["family_id"]: r["kind"] for r in _read_tsv(data / "family_kinds.tsv")}
    q = quality(res.matches, truth, kinds)
    report["quality"] = q
    chart(q, out / "quality.png")
    store = Store.open(out / "store")
    exact, _ = store.arrays()
    exact = np.asarray(exact)
    ids, codes = store.remains()
    layout = store.layout
    report["kernel"] = kernel_scale(
        exact, codes, layout.offsets, args.kernel_families, args.kernel_remains
    )
    report["kernel"]["peak_rss_mb"] = _rss_mb()
    # incremental: a store of kernel_families rows
    big = out / "store_big"
    bs = Store.create(big, layout, store.models(), {}, store.meta["table"])
    bs.meta["mutation"] = store.meta["mutation"]
    n = args.kernel_families
    step = 5000
    t0 = time.perf_counter()
    for s in range(0, n, step):
        idx = np.arange(s, min(n, s + step)) % len(exact)
        bs.append([(f"F{i}", "MP1") for i in range(s, min(n, s + step))], exact[idx])
    t_store = time.perf_counter() - t0
    bs.add_remains(
        [f"X{i}" for i in range(args.kernel_remains)],
        codes[np.arange(args.kernel_remains) % len(codes)],
    )
    t0 = time.perf_counter()
    bs.build_index()
    bs.publish()  # a store is built aside and moved into place whole (issue 13)
    t_index = time.perf_counter() - t0
    bs = Store.open(big)
    rem, _, _ = read_remains(data / "remains.tsv")
    times = []
    for prof in rem.profiles[:20]:
        t0 = time.perf_counter()
        bs.search_remain(prof, 4.0)
        times.append(time.perf_counter() - t0)
    fams = read_families(data / "families.tsv").families
    ftimes = []
    for fd in fams[:5]:
        t0 = time.perf_counter()
        bs.update_family(fd, 4.0)
        ftimes.append(time.perf_counter() - t0)
    report["incremental"] = {
        "store_rows": n,
        "store_write_s": t_store,
        "index_s": t_index,
        "store_gb": (bs.path / "exact.f64").stat().st_size / 1e9
        + (bs.path / "bound.i16").stat().st_size / 1e9,
        "remain_vs_all_ms_median": 1e3 * float(np.median(times[1:])),
        "remain_vs_all_ms_max": 1e3 * float(np.max(times[1:])),
        "family_vs_remains_ms_median": 1e3 * float(np.median(ftimes[1:])),
        "family_vs_remains_ms_max": 1e3 * float(np.max(ftimes[1:])),
        "remains": args.kernel_remains,
    }
    if not getattr(args, "keep_store", False):
        import shutil

        shutil.rmtree(big, ignore_errors=True)
    from nasab.engine.output import write_text_atomic
    from nasab.engine.strict_json import dumps_strict

    write_text_atomic(out / "bench.json", dumps_strict(report, indent=1, default=float) + "\n")
    print_report(report)
    return report


def print_report(rep: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    s = rep["search"]
    t = Table(
        title=f"search: {s['families']} families, {s['missing']} missing, "
        f"{s['remains']} remains ({rep['machine']}, workers {s['workers']})"
    )
    t.add_column("step")
    t.add_column("value", justify="right")
    for k in ("read", "prepare", "compile", "score", "inconsistent", "write", "wall_s"):
        t.add_row(k, f"{s[k]:.2f} s")
    t.add_row("compile rate", f"{s['compile_missing_per_s']:.1f} missing persons/s")
    t.add_row("pairs", f"{s['pairs']:,}")
    t.add_row("matches (LR >= 1e4)", f"{s['matches']:,}")
    t.add_row("peak RSS", f"{s['peak_rss_mb']:.0f} MB")
    con.print(t)
    k = rep["kernel"]
    t = Table(title="scoring kernel at scale (24 markers, int16 bounds, exact rescoring)")
    t.add_column("item")
    t.add_column("value", justify="right")
    t.add_row("families x remains", f"{k['families']:,} x {k['remains']:,}")
    t.add_row("time", f"{k['seconds']:.1f} s")
    t.add_row("pairs/s", f"{k['pairs_per_s']:.3g}")
    t.add_row("bound tables", f"{k['table_gb']:.2f} GB")
    t.add_row("peak RSS", f"{k['peak_rss_mb']:.0f} MB")
    con.print(t)
    i = rep["incremental"]
    t = Table(title="incremental search (compiled store on disk)")
    t.add_column("item")
    t.add_column("value", justify="right")
    t.add_row("store rows / size", f"{i['store_rows']:,} / {i['store_gb']:.1f} GB")
    t.add_row(
        "one remain vs all (median / max)",
        f"{i['remain_vs_all_ms_median']:.1f} / {i['remain_vs_all_ms_max']:.1f} ms",
    )
    t.add_row(
        f"one family vs {i['remains']:,} remains (median / max)",
        f"{i['family_vs_remains_ms_median']:.0f} / {i['family_vs_remains_ms_max']:.0f} ms",
    )
    con.print(t)
    t = Table(title="identification quality against the truth")
    for c in ("T", "kind", "remains", "found", "sensitivity", "false pos.", "brothers"):
        t.add_column(c)
    for r in rep["quality"]:
        t.add_row(
            r["threshold"],
            r["kind"],
            str(r["remains"]),
            str(r["found"]),
            f"{r['sensitivity']:.3f}",
            str(r["false_positives"]),
            str(r["brother_matches"]),
        )
    con.print(t)
