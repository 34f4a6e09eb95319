"""A lumped shape's markers compiled in one batch give the tables of the marker-by-marker
compile, and every marker where lumping serves is stacked."""

from __future__ import annotations

import numpy as np
import pytest
from tests.search.helpers import compiled_setup

from nasab.search import engine as E
from nasab.search import stacked as S
from nasab.search.codes import reference_states
from nasab.search.compile import ModelArrays
from nasab.search.shapes import groups_at, missing_rows, shape_groups
from nasab.search.stacked import joint_and_likelihood


@pytest.mark.parametrize("model", ["proportional", "none"])
def test_stacked_tables_equal_marker_by_marker(medium_sim, model, monkeypatch):
    folder, _ = medium_sim
    fam, _, _, _, models, layout = compiled_setup(folder, model)
    calls = []
    real = S.stacked_joints

    def counting(*args, **kw):
        got = real(*args, **kw)
        calls.append(len(got))
        return got

    monkeypatch.setattr(S, "stacked_joints", counting)
    rows, stacked, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert calls and sum(calls) > len(models)  # shapes stacked over several markers
    monkeypatch.setattr(E, "stacked_shapes", lambda groups, mas: {})
    rows2, alone, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert rows == rows2 and len(rows) > 40
    assert np.array_equal(np.isneginf(stacked), np.isneginf(alone))
    ok = np.isfinite(alone)
    np.testing.assert_allclose(stacked[ok], alone[ok], rtol=0, atol=1e-12)


def _groups(folder, model):
    """The shape groups of a simulated folder's families (as the compile finds them) and
    the marker models."""
    fam, _, _, _, models, layout = compiled_setup(folder, model)
    families = fam.families
    states = reference_states(families, layout)
    row_fam, mp_id = missing_rows(families)
    return shape_groups(families, states, row_fam, mp_id, len(models)), models


def test_stacked_joints_are_each_markers_own(medium_sim):
    """Shape by shape: the stacked sums and likelihoods at each marker equal that marker's
    own lumped compile (rows never mix across markers or widths)."""
    groups, models = _groups(medium_sim[0], "proportional")
    mas = [ModelArrays(m) for m in models]
    got = S.stacked_shapes(groups, mas)
    widths = set()
    checked = 0
    for m, ma in enumerate(mas):
        for shape, _, alleles in groups_at(groups, m):
            if (shape.key, m) not in got:
                continue
            sums, lik = got[(shape.key, m)]
            ped = shape.pedigree()
            want, wlik = joint_and_likelihood(
                ped, ped.ids[shape.mp], shape.state, alleles, ma, sums=True
            )
            np.testing.assert_allclose(lik, wlik, rtol=1e-13, atol=0)
            for name in ("total", "trace", "diag", "rowcol", "pairs"):
                a, b = getattr(sums, name), getattr(want, name)
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-300, err_msg=name)
            widths.add(S.lumped_rows(ped, shape.state, alleles, ma).width)
            checked += 1
    assert checked > 2 * len(models) and len(widths) > 1


def test_stepwise_markers_are_not_stacked(medium_sim):
    groups, models = _groups(medium_sim[0], "stepwise")
    assert S.stacked_shapes(groups, [ModelArrays(m) for m in models]) == {}
