"""Golden tests: every public forrel case reproduced to |d log10 LR| <= 1e-6."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from nasab.cli import main
from nasab.engine.lr import missing_person_lr
from nasab.formats.io import read_case

from .conftest import public_cases

TOL = 1e-6


def _num(x) -> float:
    return -math.inf if x == "-Inf" else float(x)


def _close(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= TOL


@pytest.mark.parametrize("folder", public_cases(), ids=lambda p: p.name)
def test_public_case(folder: Path) -> None:
    case = read_case(folder)
    r = missing_person_lr(
        case.family, case.missing, case.poi, case.table, case.mutations, case.markers
    )
    exp = case.expected
    assert [m.marker for m in r.markers] == case.markers
    for m in r.markers:
        assert _close(m.log10_lr, _num(exp["log10LR_per_marker"][m.marker])), m.marker
        assert _close(m.log10_h1, _num(exp["log10_likelihood_H1_per_marker"][m.marker])), m.marker
        assert _close(m.log10_h2, _num(exp["log10_likelihood_H2_per_marker"][m.marker])), m.marker
    assert _close(r.log10_lr, _num(exp["log10LR_total"]))


@pytest.mark.parametrize("folder", public_cases()[:3] + public_cases()[-3:], ids=lambda p: p.name)
def test_cli_case_json(folder: Path, capsys) -> None:
    assert main(["lr", "--case", str(folder), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    exp = json.loads((folder / "case.json").read_text())["expected"]
    assert _close(_num(out["log10LR"]), _num(exp["log10LR_total"]))
    for marker, val in exp["log10LR_per_marker"].items():
        assert _close(_num(out["markers"][marker]), _num(val))


def test_mutation_pair_finite_vs_zero() -> None:
    cases = {p.name: p for p in public_cases()}
    mut = [p for n, p in cases.items() if n.endswith("inconsistent_mutation")]
    nomut = [p for n, p in cases.items() if n.endswith("inconsistent_nomutation")]
    if not mut or not nomut:
        pytest.skip("no inconsistent pair in the oracle")
    for folder, finite in ((mut[0], True), (nomut[0], False)):
        c = read_case(folder)
        r = missing_person_lr(c.family, c.missing, c.poi, c.table, c.mutations, c.markers)
        assert math.isfinite(r.log10_lr) == finite
