"""``nasab power --fam``: one-pedigree Familias files (power and priority files as Familias
and dviapp write them) as the input of nasab power, against R's answers."""

from __future__ import annotations

import json
import math

import pytest

from nasab.engine.frequencies import marker_key
from nasab.engine.likelihood import marker_log10_likelihood
from nasab.engine.lr import build_marker_model
from nasab.formats.familias_convert import project_to_family
from nasab.formats.familias_read import read_fam
from nasab.power.analysis import PowerAnalysis
from nasab.power.cli import main as power_main


def _fam(shared, folder: str):
    path = next((shared / "oracle" / "familias-real" / folder).glob("*.fam"))
    answers = json.loads(path.with_name("answers.json").read_text())
    return path, answers


def _spec(mutations, marker: str):
    return next((s for k, s in mutations.items() if marker_key(k) == marker_key(marker)), None)


def test_one_pedigree_family_agrees_with_r(shared):
    """The family read for power is the file's pedigree with its typed persons: its
    likelihood per marker is pedFamilias/pedprobr's (1e-6 in log10)."""
    path, answers = _fam(shared, "dviapp-brother-power-conditioned")
    assert answers["expect"] == "one_pedigree"
    c = project_to_family(read_fam(path))
    assert c.missing == "MP" and c.pedigree == "H1"
    assert c.family.typed_persons() == ["FA"]
    want = answers["pedigrees"]["H1"]["log10_likelihood_per_marker"]
    total = 0.0
    for mk in c.markers:
        genos = c.family.marker_genotypes(mk)
        model = build_marker_model(c.table, mk, _spec(c.mutations, mk))
        x = marker_log10_likelihood(c.family.pedigree, genos, model)
        assert x == pytest.approx(want[mk], abs=1e-6), mk
        total += x
    assert total == pytest.approx(answers["pedigrees"]["H1"]["log10_likelihood_total"], abs=1e-6)


def test_power_cli_reads_a_fam_file(shared, capsys):
    path, _ = _fam(shared, "dviapp-brother-power-conditioned")
    code = power_main(["--fam", str(path), "--nsim", "200", "--no-candidates", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    p = out["power"]
    assert p["missing"] == "MP" and p["informative"]
    assert out["typed_references"] == ["FA"]
    assert 0.99 < p["exclusion_probability"] <= 1 and p["expected_log10LR"] > 5
    assert "BrotherPowerConditioned.fam" in out["mutation_model"]


def test_priority_file_ranks_whom_to_type_first(shared):
    """Nobody typed yet (a priority file): not informative, and the candidates (REF, E1,
    E2: the MP's brothers; FA, MO: parents) are still ranked."""
    path, _ = _fam(shared, "dviapp-brother-priority")
    c = project_to_family(read_fam(path))
    pa = PowerAnalysis(c.family, c.missing, c.table, c.mutations, c.markers[:6], theta=c.theta)
    base = pa.power(200, 1)
    assert not base.informative
    ranked = pa.whom_next(200, 1, base)
    labels = [r.label for r in ranked]
    for who in ("FA", "MO", "REF", "E1", "E2"):
        assert any(lab.startswith(f"{who} ") for lab in labels)
    parent = next(r for r in ranked if r.label.startswith("FA "))
    sibling = next(r for r in ranked if r.label.startswith("REF "))
    assert parent.expected_log10_lr > sibling.expected_log10_lr > 0
    assert math.isclose(
        next(r for r in ranked if r.label.startswith("E1 ")).expected_log10_lr,
        sibling.expected_log10_lr,
    )


def test_fam_errors_name_what_to_give(shared, capsys):
    two, _ = _fam(shared, "dviapp-missing-son-conditioned")
    assert power_main(["--fam", str(two), "--nsim", "200"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and "--pedigree" in err and "H1: father" in err
    assert power_main(["--fam", str(two), "--pedigree", "nope", "--nsim", "200"]) == 2
    assert "no pedigree named 'nope'" in capsys.readouterr().err
    one, _ = _fam(shared, "dviapp-brother-power")
    assert power_main(["--fam", str(one), "--missing", "XX", "--nsim", "200"]) == 2
    assert "--missing 'XX' is not in pedigree" in capsys.readouterr().err
    dvi, _ = _fam(shared, "dvir-dvi-example")
    assert power_main(["--fam", str(dvi), "--nsim", "200"]) == 2
    assert "this is a DVI file" in capsys.readouterr().err
    cond, _ = _fam(shared, "dviapp-brother-power-conditioned")
    assert power_main(["--fam", str(cond), "--missing", "FA", "--nsim", "200"]) == 2
    assert "is typed" in capsys.readouterr().err
