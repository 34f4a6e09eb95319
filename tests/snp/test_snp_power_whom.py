"""`nasab power` with a SNP panel: the SNP options in 'whom to sample next', the
simulation with linkage against the exact expectation, the STR x SNP pairing."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from nasab.cli import main
from nasab.engine.pedigree import FEMALE, MALE, Pedigree
from nasab.engine.snp import X_CHROMOSOME, SNPPanel, missing_person_snp_lr, pedigree_likelihood
from nasab.power.analysis import THRESHOLDS
from nasab.power.snp import _combined
from nasab.snp.power import snp_lr_draws

U = None


def _panel(chrom: list[int]) -> SNPPanel:
    n = len(chrom)
    return SNPPanel(
        tuple(f"rs{i}" for i in range(n)),
        np.array(chrom),
        np.arange(n) * 1000 + 1,
        np.array([0.0, 8.0, 0.0][:n]),
        np.array([0.0, 15.0, 0.0][:n]),
        ("A",) * n,
        ("B",) * n,
        np.array([0.3, 0.6, 0.45][:n]),
    )


@pytest.mark.parametrize("missing", ["S", "D"])
def test_simulated_expected_log10_lr_matches_the_exact_sum(missing) -> None:
    """E[log10 LR | remains are the MP] from snp_lr_draws (gene dropping with
    recombination) equals the exact sum over every reference and POI genotype of the
    pedigree likelihood times the log10 LR: two linked autosomal SNPs and one X SNP,
    the mother typed; a son and a daughter as the missing person."""
    ped = Pedigree.from_records(
        [("F", U, U, MALE), ("M", U, U, FEMALE), ("S", "F", "M", MALE), ("D", "F", "M", FEMALE)]
    )
    pan = _panel([1, 1, X_CHROMOSOME])
    male = ped[missing].sex == MALE
    exact = 0.0
    for ref in itertools.product((0, 1, 2), repeat=3):
        for poi in itertools.product((0, 1, 2), repeat=3):
            if male and poi[2] == 1:
                continue
            calls = {"M": np.array(ref), missing: np.array(poi)}
            p = 10 ** pedigree_likelihood(ped, calls, pan).log10_linked
            if p > 0:
                lr = missing_person_snp_lr(ped, {"M": np.array(ref)}, missing, np.array(poi), pan)
                exact += p * lr.log10_lr
    rng = np.random.default_rng(7)
    draws, _ = snp_lr_draws(ped, missing, ["M"], pan, n=1200, missing_calls=0.0, error=0.0, rng=rng)
    se = draws.std() / math.sqrt(len(draws))
    assert abs(draws.mean() - exact) < 4.5 * se


def test_pairing_of_str_and_snp_draws() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(3, 2, 300), rng.normal(2, 3, 200)
    e, p = _combined(a, b, 3.1)
    assert e == pytest.approx(3.1 + b.mean())
    for t in THRESHOLDS:
        want = np.mean(a[:, None] + b[None, :] >= math.log10(t) - 1e-9)
        assert p[t] == pytest.approx(want, abs=1e-12)


def test_cli_power_ranks_snp_options(tmp_path, capsys) -> None:
    (tmp_path / "family.ped").write_text(
        "id\tfid\tmid\tsex\tD3S1358\tvWA\n"
        "FA\t0\t0\t1\t-/-\t-/-\n"
        "MO\t0\t0\t2\t15/16\t14/17\n"
        "MP\tFA\tMO\t1\t-/-\t-/-\n",
        encoding="utf-8",
    )
    (tmp_path / "freqs.tsv").write_text(
        "marker\tallele\tfrequency\n"
        + "".join(f"D3S1358\t{a}\t{f}\n" for a, f in ((15, 0.3), (16, 0.3), (17, 0.4)))
        + "".join(f"vWA\t{a}\t{f}\n" for a, f in ((14, 0.2), (16, 0.3), (17, 0.5))),
        encoding="utf-8",
    )
    lines = ["marker\tchromosome\tposition_bp\tcM_male\tcM_female\tallele\tfrequency"]
    for k in range(30):
        c, cm = (1 + k // 10, (k % 10) * 5.0) if k < 24 else ("X", (k - 24) * 4.0)
        bp = k * 1000 + 3_000_001  # outside X's pseudo-autosomal region
        lines += [f"rs{k}\t{c}\t{bp}\t{cm}\t{cm}\tA\t0.4"]
        lines += [f"rs{k}\t{c}\t{bp}\t{cm}\t{cm}\tG\t0.6"]
    (tmp_path / "panel.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["power", "--ped", str(tmp_path / "family.ped"), "--freqs"]
    args += [str(tmp_path / "freqs.tsv"), "--missing", "MP", "--nsim", "500", "--json"]
    args += ["--snp-panel", str(tmp_path / "panel.tsv"), "--snp-nsim", "20"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    ranked = out["whom_to_sample_next"]
    snp = [c for c in ranked if "SNP panel" in c["relation"]]
    assert len(snp) == 4  # the references with the panel, and the 3 best candidates
    assert any(c["candidate"].startswith("type the references (MO)") for c in snp)
    e = [c["expected_log10LR"] for c in ranked]
    assert e == sorted(e, reverse=True)
    assert all(0 <= p <= 1 for c in ranked for p in c["P_LR_at_least"].values())
    base = out["power"]["expected_log10LR"]
    refs_only = next(c for c in snp if c["relation"] == "SNP panel")
    assert refs_only["expected_log10LR"] > base  # a mother's 30 SNPs add evidence
    assert out["snp"]["snps"] == 30 and "linkage" in out["snp"]["method"]
    assert main([*args[:-1], "5"]) == 2
    assert "--snp-nsim" in capsys.readouterr().err
    prog = ["power", "--programme", str(tmp_path), "--freqs", str(tmp_path / "freqs.tsv")]
    assert main([*prog, "--snp-panel", str(tmp_path / "panel.tsv")]) == 2
    assert "not used with --programme" in capsys.readouterr().err
