from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nasab.engine.errors import ModelError
from nasab.engine.frequencies import read_familias
from nasab.engine.mutation import MutationSpec, lump, mutation_matrix, stabilize_pm

from .conftest import ORACLE


def _oracle_matrices():
    index = ORACLE / "mutation_matrices" / "index.json"
    if not index.exists():
        return []
    return json.loads(index.read_text())["matrices"]


@pytest.mark.parametrize("entry", _oracle_matrices(), ids=lambda e: e["file"])
def test_matches_pedmut(entry) -> None:
    table = read_familias(ORACLE / "norwegian_freqs.txt")
    with open(ORACLE / "mutation_matrices" / entry["file"]) as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    alleles = rows[0][1:]
    expected = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
    mf = table[entry["marker"]]
    assert mf.alleles == alleles
    got = mutation_matrix(
        entry["model"],
        alleles,
        mf.freqs,
        entry["rate"],
        entry.get("rate2", 0.0),
        entry.get("range", 0.5),
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


ALLELES = ["8", "9", "9.3", "10", "11", "12", "12.2", "13"]
FREQS = np.array([0.1, 0.2, 0.05, 0.25, 0.15, 0.1, 0.05, 0.1])


@pytest.mark.parametrize("model", ["equal", "proportional", "stepwise", "onestep"])
def test_rows_sum_to_one(model) -> None:
    m = mutation_matrix(model, ALLELES, FREQS, 0.01, 1e-4, 0.5)
    np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=1e-14)
    assert (m >= 0).all()


@pytest.mark.parametrize("model", ["equal", "stepwise"])
def test_pm_transformation_is_stationary(model) -> None:
    m = mutation_matrix(model, ALLELES, FREQS, 0.01, 1e-4, 0.5, transform="PM")
    np.testing.assert_allclose(FREQS @ m, FREQS, atol=1e-14)
    base = mutation_matrix(model, ALLELES, FREQS, 0.01, 1e-4, 0.5)
    # overall mutation rate is kept
    assert np.isclose(FREQS @ (1 - np.diag(m)), FREQS @ (1 - np.diag(base)))
    np.testing.assert_allclose(stabilize_pm(m, FREQS), m, atol=1e-14)


def test_proportional_is_stationary_already() -> None:
    m = mutation_matrix("proportional", ALLELES, FREQS, 0.01)
    np.testing.assert_allclose(FREQS @ m, FREQS, atol=1e-15)


@given(st.integers(0, 7), st.integers(0, 7), st.sampled_from(["equal", "proportional"]))
@settings(max_examples=30, deadline=None)
def test_lumping_is_exact_for_lumpable_models(i, j, model) -> None:
    m = mutation_matrix(model, ALLELES, FREQS, 0.02)
    keep = sorted({i, j})
    lm = lump(m, keep)
    assert lm is not None
    np.testing.assert_allclose(lm.sum(axis=1), 1.0, atol=1e-14)
    rest = [k for k in range(8) if k not in keep]
    for r in rest:
        np.testing.assert_allclose(m[r, keep], lm[-1, :-1], atol=1e-15)


def test_stepwise_not_lumpable() -> None:
    m = mutation_matrix("stepwise", ALLELES, FREQS, 0.01, 1e-4, 0.5)
    assert lump(m, [3]) is None


def test_pm_refuses_reducible_model() -> None:
    with pytest.raises(ModelError, match="reducible"):
        mutation_matrix("onestep", ALLELES, FREQS, 0.01, transform="PM")


def test_bad_parameters() -> None:
    with pytest.raises(ModelError):
        mutation_matrix("equal", ALLELES, FREQS, 1.5)
    with pytest.raises(ModelError):
        mutation_matrix("stepwise", ["10", ">27"], [0.5, 0.5], 0.01, 0.0, 0.5)
    with pytest.raises(ModelError):
        MutationSpec("wobbly")
    with pytest.raises(ModelError):
        mutation_matrix("stepwise", ALLELES, FREQS, 0.9, 0.2, 0.5)
