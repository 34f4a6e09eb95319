"""`nasab simulate --ystr-db --mtdna-db`: lineage columns drawn along the lines, the
autosomal tables unchanged, and the search reading them back (the true pairs are never
excluded by their lineage markers)."""

from __future__ import annotations

import json
from pathlib import Path

from nasab.cli import main

DATA = Path(__file__).parent / "data"
YDB = str(DATA / "search_ystr_db.tsv")
MTDB = str(DATA / "search_mtdna_db.tsv")


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), [ln.split("\t") for ln in lines[1:]]


def test_simulate_with_lineage_and_search(tmp_path, capsys) -> None:
    plain, lin = tmp_path / "plain", tmp_path / "lin"
    base = ["simulate", "--families", "25", "--remains", "30", "--seed", "7", "--format", "tsv"]
    assert main([*base, "--out", str(plain)]) == 0
    assert main([*base, "--out", str(lin), "--ystr-db", YDB, "--mtdna-db", MTDB]) == 0
    for name in ("families", "remains"):
        h0, r0 = _table(plain / f"{name}.tsv")
        h1, r1 = _table(lin / f"{name}.tsv")
        assert h1[: len(h0)] == h0 and h1[len(h0) :] == ["DYS19", "DYS390", "DYS385", "mtDNA"]
        assert [r[: len(h0)] for r in r1] == r0  # the autosomal draws are the same
    head, fams = _table(lin / "families.tsv")
    iy, imt = head.index("DYS19"), head.index("mtDNA")
    for r in fams:
        typed = r[5] == "0" and any(g != "-/-" for g in r[6:iy])
        assert bool(r[imt]) == typed
        assert bool(r[iy]) == (typed and r[4] == "1")  # men carry their Y
    meta = json.loads((lin / "simulation.json").read_text())
    assert meta["lineage"]["Y"].startswith("search_ystr_db.tsv (60 men")
    capsys.readouterr()
    out = tmp_path / "m.tsv"
    args = ["search", "--families", str(lin / "families.tsv"), "--remains"]
    args += [str(lin / "remains.tsv"), "--freqs", str(lin / "freqs.txt"), "--out", str(out)]
    args += ["--threshold", "1e-30", "--quiet", "--ystr-db", YDB, "--mtdna-db", MTDB]
    assert main(args) == 0
    _, truth = _table(lin / "truth.tsv")
    true = {(t[0], t[1], t[2]) for t in truth if t[1]}
    mh, rows = _table(out)
    got = {(r[0], r[1], r[2]): r for r in rows}
    iY, iM = mh.index("log10_lr_Y"), mh.index("log10_lr_mtDNA")
    assert true <= set(got)  # no true pair excluded by its Y or mtDNA
    assert any(float(got[t][iY]) > 0 for t in true) and any(float(got[t][iM]) > 0 for t in true)
    lin_meta = json.loads(out.with_name("m.tsv.model.json").read_text())["lineage"]
    assert lin_meta["excluded_by_lineage"] > 0
