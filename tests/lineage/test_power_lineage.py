"""`nasab power` with Y-STR and mtDNA: the lineage systems' exclusion probability and LR
draws, and "whom to sample next" for a line without typed members."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from nasab.cli import main
from nasab.engine.mtdna import compare, mtdna_lr, read_mtdna_database
from nasab.engine.pedigree import Pedigree
from nasab.engine.ystr import missing_distribution, read_ystr_database, ystr_lr, ystr_rates
from nasab.formats.io import read_ped
from nasab.power.lineage import LineageOptions, mt_power, y_power

DATA = Path(__file__).parent / "data"
SRC = Path(__file__).resolve().parents[2] / "src" / "nasab" / "data" / "NIST1036_All.tsv"


def _ped(d: Path, fam: str, drop_y: bool = False) -> Path:
    lines = (DATA / "search_families.tsv").read_text().splitlines()
    head = lines[0].split("\t")
    rows = ["\t".join(["id", "fid", "mid", "sex", *head[6:]])]
    for c in (ln.split("\t") for ln in lines[1:]):
        if c[0] == fam:
            cells = c[1:5] + c[6:]
            if drop_y:
                cells[7:10] = ["", "", ""]
            rows.append("\t".join(cells))
    out = d / f"{fam}.ped"
    out.write_text("\n".join(rows) + "\n")
    return out


@pytest.fixture
def d(tmp_path):
    shutil.copy(SRC, tmp_path / "freqs.tsv")
    for name in ("ystr_db", "mtdna_db"):
        shutil.copy(DATA / f"search_{name}.tsv", tmp_path / f"{name}.tsv")
    return tmp_path


def test_missing_distribution_father_son() -> None:
    ped = Pedigree.from_records([("F", None, None, 1), ("M", None, None, 2), ("S", "F", "M", 1)])
    mu = 0.01
    dist = dict(missing_distribution(ped, ["F", "S"], {"F": ("14",)}, mu, "S"))
    assert dist == pytest.approx({("13",): mu / 2, ("14",): 1 - mu, ("15",): mu / 2})
    two = dict(missing_distribution(ped, ["F", "S"], {"F": ("11", "14")}, mu, "S"))
    assert sum(two.values()) == pytest.approx(1.0)
    assert two[("11", "14")] == pytest.approx((1 - mu) ** 2)


def test_y_power_matches_nasab_lr_over_the_database(d) -> None:
    fam = read_ped(_ped(d, "F1"))
    db = read_ystr_database(d / "ystr_db.tsv")
    opts = LineageOptions(db, "counting")
    lp = y_power(fam, "MP", opts, 4000, np.random.default_rng(3))
    on = {"UN": fam.ystr["UN"]}
    rows = [ystr_lr(fam.pedigree, "MP", on, r, db).log10_lr for r in db.rows]
    assert lp.exclusion_probability == pytest.approx(np.mean(np.isneginf(rows)), abs=1e-12)
    # if the POI is the MP: the draws' mean near the exact expectation over his haplotype
    rates = ystr_rates()
    members = ["GF", "FA", "UN", "MP"]
    dists = [
        missing_distribution(fam.pedigree, members, {"UN": on["UN"][k]}, rates.rate(k), "MP")
        for k in sorted(on["UN"])
    ]
    exact = 0.0
    import itertools

    for combo in itertools.product(*dists):
        hap = {k: st for k, (st, _) in zip(sorted(on["UN"]), combo, strict=True)}
        p = math.prod(q for _, q in combo)
        exact += p * ystr_lr(fam.pedigree, "MP", on, hap, db).log10_lr
    assert lp.expected_log10_lr == pytest.approx(exact, abs=0.02)
    assert np.isfinite(lp.rel).all()


def test_mt_power_is_the_line_sequence(d) -> None:
    fam = read_ped(_ped(d, "F2"))
    db = read_mtdna_database(d / "mtdna_db.tsv")
    lp = mt_power(fam, "MP2", LineageOptions(None, "counting", db), 100, np.random.default_rng(1))
    want = mtdna_lr(fam.pedigree, "MP2", fam.mtdna, fam.mtdna["AU"], db).log10_lr
    assert lp.expected_log10_lr == pytest.approx(want, abs=1e-12)
    # the share of the database the aunt's sequence excludes, by the comparison itself
    # (3 of 83 are hers, one is a single difference away: inconclusive, not excluded)
    ex = [compare(r, fam.mtdna["AU"]).conclusion == "exclusion" for r in db.rows]
    assert lp.exclusion_probability == pytest.approx(np.mean(ex), abs=1e-12)
    assert sum(ex) == 79


def test_power_cli(d, capsys) -> None:
    ped = _ped(d, "F1")
    ydb = ["--ystr-db", str(d / "ystr_db.tsv")]
    base = ["power", "--ped", str(ped), "--freqs", str(d / "freqs.tsv"), "--missing", "MP"]
    assert main([*base, "--nsim", "500", "--json", "--no-candidates", *ydb]) == 0
    out = json.loads(capsys.readouterr().out)["power"]
    (y,) = out["lineage"]
    assert y["kind"] == "Y" and y["used"]
    assert out["expected_log10LR"] == pytest.approx(
        sum(out["expected_log10LR_per_marker"].values()) + y["expected_log10LR"]
    )
    auto_excl = 1 - math.prod(1 - x for x in out["exclusion_probability_per_marker"].values())
    total = 1 - (1 - auto_excl) * (1 - y["exclusion_probability"])
    assert out["exclusion_probability"] == pytest.approx(total)
    # Y data on the line and no database: an error, as in nasab lr
    assert main([*base, "--nsim", "500", "--json", "--no-candidates"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and "--ystr-db" in err


def test_whom_next_values_a_paternal_cousins_y(d, capsys) -> None:
    ped = _ped(d, "F1", drop_y=True)  # the uncle typed for autosomal markers only
    base = ["power", "--ped", str(ped), "--freqs", str(d / "freqs.tsv"), "--missing", "MP"]
    assert main([*base, "--nsim", "300", "--json", "--ystr-db", str(d / "ystr_db.tsv")]) == 0
    cands = {c["candidate"]: c for c in json.loads(capsys.readouterr().out)["whom_to_sample_next"]}
    cousin = cands["a new paternal cousin of MP"]
    assert cousin["lineage_expected_log10LR"]["Y"] > 0.5
    assert "lineage_expected_log10LR" not in cands["a new maternal aunt of MP"]
    # without a database the ranking is the autosomal one (no lineage candidates)
    assert main([*base, "--nsim", "300", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)["whom_to_sample_next"]
    assert all("lineage_expected_log10LR" not in c for c in plain)
    assert not any("cousin" in c["candidate"] for c in plain)


def test_programme_view_with_lineage_databases(d, capsys) -> None:
    """Each family with a typed line gets the lineage figures of nasab power --ped."""
    _ped(d, "F1")
    f2 = _ped(d, "F2")
    f2.write_text(f2.read_text().replace("MP2", "MP"))  # one missing id in a programme
    args = ["power", "--programme", str(d), "--freqs", str(d / "freqs.tsv"), "--json"]
    args += ["--nsim", "200", "--no-candidates"]
    assert main(args) == 0
    plain = {f["family"]: f for f in json.loads(capsys.readouterr().out)["families"]}
    dbs = ["--ystr-db", str(d / "ystr_db.tsv"), "--mtdna-db", str(d / "mtdna_db.tsv")]
    assert main([*args, *dbs]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {f["family"]: f for f in out["families"]}
    assert out["summary"]["families_with_lineage_evidence"] == 2
    for fam, kind in (("F1", "Y"), ("F2", "mtDNA")):
        row = rows[fam]
        assert [x["kind"] for x in row["lineage"]] == [kind]
        single = ["power", "--ped", str(d / f"{fam}.ped"), "--freqs", str(d / "freqs.tsv")]
        single += ["--missing", row["missing"], "--nsim", "200", "--json", *dbs]
        assert main(single) == 0
        lin = json.loads(capsys.readouterr().out)["power"]["lineage"]
        assert row["lineage"][0]["exclusion_probability"] == pytest.approx(
            lin[0]["exclusion_probability"], abs=1e-12
        )
        assert row["lineage"][0]["expected_log10LR"] == pytest.approx(
            lin[0]["expected_log10LR"], abs=1e-9
        )
        assert row["expected_log10_lr"] == pytest.approx(
            plain[fam]["expected_log10_lr"] + lin[0]["expected_log10LR"], abs=1e-9
        )
        assert row["exclusion_probability"] >= plain[fam]["exclusion_probability"]
