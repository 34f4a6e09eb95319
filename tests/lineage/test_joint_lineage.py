"""`nasab joint` with Y-STR and mtDNA: a factor per (missing person, victim) pair, the same
as `nasab lr`'s, multiplied into the pairwise and joint LRs (tests/lineage/data)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from nasab.cli import main

DATA = Path(__file__).parent / "data"
SRC = Path(__file__).resolve().parents[2] / "src" / "nasab" / "data" / "NIST1036_All.tsv"


@pytest.fixture
def dvi(tmp_path):
    """The search test's families as a DVI folder; its remains as the victims."""
    lines = (DATA / "search_families.tsv").read_text().splitlines()
    head = lines[0].split("\t")
    (tmp_path / "families").mkdir()
    for fam in ("F1", "F2"):
        rows = ["\t".join(["id", "fid", "mid", "sex", *head[6:]])]
        rows += [
            "\t".join(c[1:5] + c[6:]) for c in (ln.split("\t") for ln in lines[1:]) if c[0] == fam
        ]
        (tmp_path / "families" / f"{fam}.ped").write_text("\n".join(rows) + "\n")
    rem = (DATA / "search_remains.tsv").read_text().replace("remain_id", "id", 1)
    (tmp_path / "victims.tsv").write_text(rem)
    shutil.copy(SRC, tmp_path / "freqs.txt")
    meta = {
        "families": {"F1": {"missing": ["MP"]}, "F2": {"missing": ["MP2"]}},
        "markers": {m: {"model": "none"} for m in head[6:9]},  # replaced by --mutation
    }
    (tmp_path / "dvi.json").write_text(json.dumps(meta))
    for name in ("ystr_db", "mtdna_db"):
        shutil.copy(DATA / f"search_{name}.tsv", tmp_path / f"{name}.tsv")
    return tmp_path


def _joint(d: Path, *extra: str) -> list[str]:
    # nasab lr's default model: stepwise at the published rates
    return [
        "joint",
        "--dvi",
        str(d),
        "--json",
        "--answer",
        "joint",
        "--mutation",
        "stepwise",
        *extra,
    ]


DBS = ("--ystr-db", "ystr_db.tsv", "--mtdna-db", "mtdna_db.tsv")


def _lr(d: Path, fam: str, mp: str, victim: str, capsys) -> dict:
    args = ["lr", "--ped", str(d / "families" / f"{fam}.ped"), "--missing", mp]
    args += ["--poi", str(d / "victims.tsv"), "--poi-id", victim, "--freqs", str(d / "freqs.txt")]
    args += ["--ystr-db", str(d / "ystr_db.tsv"), "--mtdna-db", str(d / "mtdna_db.tsv"), "--json"]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_pairwise_lrs_carry_the_lineage_factors(dvi, capsys) -> None:
    dbs = [str(dvi / x) if x.endswith(".tsv") else x for x in DBS]
    assert main(_joint(dvi, *dbs)) == 0
    out = json.loads(capsys.readouterr().out)
    pw, lin = out["pairwise"], out["lineage"]
    fam = {"MP": "F1", "MP2": "F2"}
    for v in ("R1", "R3", "R5"):
        for m in ("MP", "MP2"):
            ev = _lr(dvi, fam[m], m, v, capsys)["evidence"]
            want = {k: e["log10LR"] for k, e in ev.items() if k in ("Y", "mtDNA") and e["used"]}
            got = lin["log10_factors"].get(v, {}).get(m, {})
            assert got == pytest.approx(want, abs=1e-12), (v, m)
            if pw[v][m] == 0:
                assert "-Inf" in want.values()  # strict JSON
                continue
            # the autosomal part as nasab lr's (the joint's own engine path: to 1e-5)
            auto = math.log10(pw[v][m]) - sum(got.values())
            assert auto == pytest.approx(ev["autosomal"]["log10LR"], abs=1e-5)
    assert pw["R2"]["MP"] == 0  # four Y steps from the uncle in three transmissions
    assert pw["R5"]["MP2"] == 0  # two mtDNA differences from the aunt
    lin = out["lineage"]
    assert lin["log10_factors"]["R2"]["MP"]["Y"] == "-Inf"
    assert "independent" in lin["combination"] and "Y" in lin["databases"]
    # the joint: every assignment's LR is the product of its pairs' (one victim per family)
    for a in out["assignments"][:5]:
        pairs = [(v, m) for v, m in a["assignment"].items() if m != "*"]
        total = sum(math.log10(pw[v][m]) for v, m in pairs)
        assert a["log10LR"] == pytest.approx(total, abs=1e-9)
    best = out["assignments"][0]["assignment"]
    assert best["R3"] == "MP2" and best["R2"] != "MP"


def test_without_databases_is_an_error(dvi, capsys) -> None:
    assert main(_joint(dvi)) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and "--ystr-db" in err and "Traceback" not in err
