"""The search gives the LRs of nasab.engine.lr.missing_person_lr (the reference) on every pair."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.search.helpers import compiled_setup

from nasab.engine.lr import missing_person_lr
from nasab.search import engine as E
from nasab.search.kernel import quantize_up
from nasab.search.run import SearchConfig, run_search


@pytest.mark.parametrize("model", ["stepwise", "proportional", "none"])
def test_every_pair_matches_reference(small_sim, model):
    folder, _ = small_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, model)
    rows, exact, problems = E.compile_families(fam.families, layout, models, on_error="skip")
    fams = {fd.family.name: fd.family for fd in fam.families}
    codes = layout.codes(rem.profiles)
    rng = np.random.default_rng(0)
    # every row, a random half of the remains plus every remain of the row's own family
    checked = 0
    for i, (f, p) in enumerate(rows):
        for j, prof in enumerate(rem.profiles):
            if rng.random() > 0.5:
                continue
            ref = missing_person_lr(fams[f], p, prof, tabx, specs, fam.markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0, (f, p, prof.id)
            else:
                assert abs(got - ref) <= 1e-6, (f, p, prof.id, got, ref)
            checked += 1
    assert checked > 20


def test_threshold_keeps_every_pair(small_sim):
    folder, _ = small_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, "stepwise")
    rows, exact, _ = E.compile_families(fam.families, layout, models)
    codes = layout.codes(rem.profiles)
    with np.errstate(invalid="ignore"):
        full = np.stack([exact[i][codes].sum(axis=1) for i in range(len(rows))])
    full[np.isnan(full)] = -np.inf
    bound = quantize_up(exact)
    for t in (-2.0, 0.0, 1.0, 4.0):
        f, r, s = E.score(exact, bound, codes, layout.offsets, t)
        want = set(zip(*np.nonzero(full >= t), strict=True))
        assert set(zip(f.tolist(), r.tolist(), strict=True)) == want
        np.testing.assert_allclose(s, full[f, r], atol=1e-9)


def test_run_search_output(small_sim, tmp_path):
    folder, _ = small_sim
    out = tmp_path / "m.tsv"
    res = run_search(
        SearchConfig(folder / "families.tsv", folder / "remains.tsv", out, threshold=10.0)
    )
    lines = out.read_text().splitlines()
    assert lines[0].split("\t")[:4] == ["remain_id", "family_id", "missing_id", "log10_lr"]
    assert len(lines) - 1 == len(res.matches["remain_id"])
    assert all(x >= 1.0 for x in res.matches["log10_lr"])
    out2 = tmp_path / "m.parquet"
    res2 = run_search(
        SearchConfig(folder / "families.parquet", folder / "remains.parquet", out2, threshold=10.0)
    )
    assert res2.matches["log10_lr"] == res.matches["log10_lr"]
    import pyarrow.parquet as pq

    assert pq.read_table(out2).num_rows == len(res.matches["remain_id"])
