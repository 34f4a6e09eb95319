"""The blind search with and without lineage markers, on one simulated programme.

    python benchmarks/search_lineage.py [--shared ../shared] [--families 200] [--remains 200]
        [--seed 1] [--ystr-method counting] [--out out/search_lineage]

`nasab simulate` writes the programme twice with the same seed: without lineage columns and
with Y-STR (Purps et al. 2014 Lebanon) and mtDNA (Just et al. 2015) columns; the autosomal
tables of the two are identical (the lineage draws use their own random stream). `nasab
search` runs on each (the second with --ystr-db/--mtdna-db), threshold 1; the truth table
says which pairs are true. Reported per family kind and overall: sensitivity (true pairs
with LR >= 1e4, 1e6) and false pairs kept at those thresholds, with the search's wall time
(noisy on a shared machine) and the lineage screen's counts from the model file.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from nasab.cli import main


def _rows(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, ln.split("\t"), strict=True)) for ln in lines[1:]]


def _score(folder: Path, matches: Path) -> dict:
    kinds = {r["family_id"]: r["kind"] for r in _rows(folder / "family_kinds.tsv")}
    truth = {(t["remain_id"], t["family_id"], t["missing_id"]) for t in _rows(folder / "truth.tsv")}
    truth = {t for t in truth if t[1]}
    got = {
        (m["remain_id"], m["family_id"], m["missing_id"]): float(m["log10_lr"])
        for m in _rows(matches)
    }
    out: dict = {}
    for kind in sorted({kinds[t[1]] for t in truth}) + ["all"]:
        ts = [t for t in truth if kind == "all" or kinds[t[1]] == kind]
        row = {"true_pairs": len(ts)}
        for k in (4, 6):
            row[f"sens_1e{k}"] = sum(got.get(t, -math.inf) >= k for t in ts) / max(len(ts), 1)
        if kind == "all":
            for k in (4, 6):
                row[f"false_1e{k}"] = sum(v >= k for p, v in got.items() if p not in truth)
        out[kind] = row
    return out


def main_(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", help="the shared data folder")
    ap.add_argument("--families", type=int, default=200, help="families simulated")
    ap.add_argument("--remains", type=int, default=200, help="remains simulated")
    ap.add_argument("--seed", type=int, default=1, help="simulation seed")
    ap.add_argument("--ystr-method", default="counting", help="counting, augmented or dlaplace")
    ap.add_argument("--out", default="out/search_lineage", help="working folder")
    a = ap.parse_args(argv)
    shared, out = Path(a.shared), Path(a.out)
    ydb = shared / "data/ystr/Purps2014_Lebanon_haplotypes.tsv"
    mdb = shared / "data/mtdna/Just2015_USA_mitogenomes.tsv"
    base = ["simulate", "--families", str(a.families), "--remains", str(a.remains)]
    base += ["--seed", str(a.seed), "--format", "tsv"]
    plain, lin = out / "plain", out / "lineage"
    assert main([*base, "--out", str(plain)]) == 0
    assert main([*base, "--out", str(lin), "--ystr-db", str(ydb), "--mtdna-db", str(mdb)]) == 0
    results = {}
    for name, folder, extra in (
        ("autosomal", plain, []),
        (
            f"+ Y ({a.ystr_method}) + mtDNA",
            lin,
            ["--ystr-db", str(ydb), "--ystr-method", a.ystr_method, "--mtdna-db", str(mdb)],
        ),
    ):
        m = folder / "matches.tsv"
        args = ["search", "--families", str(folder / "families.tsv"), "--remains"]
        args += [str(folder / "remains.tsv"), "--freqs", str(folder / "freqs.txt"), "--out"]
        args += [str(m), "--threshold", "1", "--quiet", *extra]
        t0 = time.perf_counter()
        assert main(args) == 0
        results[name] = {"seconds": round(time.perf_counter() - t0, 1), **_score(folder, m)}
        meta = json.loads(m.with_name(m.name + ".model.json").read_text())
        if "lineage" in meta:
            keep = ("pairs_with_lineage_data", "excluded_by_y_screen", "excluded_by_mtdna_screen")
            keep += ("exact_factors", "excluded_by_lineage")
            results[name]["lineage"] = {k: meta["lineage"][k] for k in keep}
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main_()
