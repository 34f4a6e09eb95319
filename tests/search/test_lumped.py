"""The lumped compile (observed alleles + two classes of the others) gives the same tables as
the full allele list, for the models where it is exact, in batches of many families."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.search.helpers import compiled_setup

from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import mutation_specs
from nasab.engine.observation import DropModel
from nasab.search import compile as C
from nasab.search import engine as E
from nasab.search import lumped as L
from nasab.search import stacked as S
from nasab.search.lumped import LocalSpace, expand_joint, local_space, lumpable, lumped_sums
from nasab.search.run import SearchConfig, load_table, run_search
from nasab.search.tables import JointSums


def test_which_models_lump():
    table = load_table(None)
    for model, want in (
        ("none", True),
        ("proportional", True),
        ("equal", False),
        ("stepwise", False),
    ):
        specs = mutation_specs(["SE33"], model)
        (m,) = E.build_models(table, ["SE33"], specs)
        assert lumpable(m) is want, model


@pytest.mark.parametrize("model", ["proportional", "none"])
def test_lumped_tables_equal_full_tables(medium_sim, model, monkeypatch):
    folder, _ = medium_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, model)
    rows, lumped, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    monkeypatch.setattr(C.ModelArrays, "lumpable", property(lambda self: False))
    rows2, full, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert rows == rows2 and len(rows) > 40
    assert np.array_equal(np.isneginf(lumped), np.isneginf(full))
    ok = np.isfinite(full)
    np.testing.assert_allclose(lumped[ok], full[ok], rtol=0, atol=1e-9)


def test_lumped_tables_match_nasab_lr(medium_sim):
    folder, _ = medium_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, "proportional")
    rows, exact, _ = E.compile_families(fam.families, layout, models)
    fams = {fd.family.name: fd.family for fd in fam.families}
    codes = layout.codes(rem.profiles)
    rng = np.random.default_rng(1)
    for i, (f, p) in enumerate(rows):
        for j in rng.choice(len(rem.profiles), size=2, replace=False):
            ref = missing_person_lr(fams[f], p, rem.profiles[j], tabx, specs, fam.markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0
            else:
                assert abs(got - ref) <= 1e-6, (f, p, got, ref)


@st.composite
def lumped_inputs(draw):
    """A random batch of lumped joints: K alleles, per family 1 .. K - 3 observed ones (so
    families of one batch have padding classes), frequencies > 0, joints with arbitrary
    entries >= 0 between the observed classes and between an observed class and the others
    (homozygous / diagonal ones included), the closed form between the two other classes,
    and 0 on the padding classes."""
    k = draw(st.integers(4, 14))
    b = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(k, draw(st.sampled_from([0.3, 1.0, 5.0])))) + 1e-6
    p /= p.sum()
    n_obs = [draw(st.integers(1, k - 3)) for _ in range(b)]
    persons = (max(n_obs) + 1) // 2
    alle = np.empty((b, persons, 2), np.int64)
    for i, n in enumerate(n_obs):
        got = rng.choice(k, size=n, replace=False)
        # the family's 2 * persons allele slots cover its n alleles (repeats: homozygotes)
        slots = np.concatenate([got, rng.choice(got, size=2 * persons - n)])
        alle[i] = rng.permutation(slots).reshape(persons, 2)
    space = local_space(alle, range(persons), k)
    assert list(space.n_obs) == n_obs
    width = space.width
    jl = rng.random((b, width, width))
    jl[rng.random(jl.shape) < 0.2] = 0.0
    for i, n in enumerate(n_obs):
        jl[i, n + 2 :, :] = 0.0
        jl[i, :, n + 2 :] = 0.0
        # the two other classes as a lumped joint has them: A p p' + B [same] p, A, B >= 0
        p1 = p[space.cls[i] == n].sum()
        p2 = p[space.cls[i] == n + 1].sum()
        a, bb = rng.random(2) * (rng.random(2) > 0.2)
        if a == bb == 0:
            a = 1.0
        jl[i, n, n] = a * p1 * p1 + bb * p1
        jl[i, n, n + 1] = jl[i, n + 1, n] = a * p1 * p2
        jl[i, n + 1, n + 1] = a * p2 * p2 + bb * p2
    jl *= rng.choice([1e-30, 1e-3, 1.0], size=(b, 1, 1))
    return jl, space, p


@given(lumped_inputs())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_lumped_sums_equal_the_expanded_joints_sums(case):
    jl, space, p = case
    want = JointSums.of(expand_joint(jl, space, p))
    got = lumped_sums(jl, space, p)
    scale = want.total[:, None]
    assert np.all(np.abs(got.total - want.total) <= 1e-14 * want.total)
    assert np.all(np.abs(got.trace - want.trace) <= 1e-14 * want.total)
    for name in ("diag", "rowcol", "pairs"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.shape == b.shape, name
        assert np.all(np.abs(a - b) <= 1e-14 * scale), name
        # entry by entry, relative to itself (no entry is a small difference of large ones)
        assert np.all(np.abs(a - b) <= 1e-14 * np.abs(b)), name
    # the space without its observed alleles' list (found from the classes): the same
    bare = LocalSpace(space.cls, space.n_obs, space.width)
    again = lumped_sums(jl, bare, p)
    for name in ("total", "trace", "diag", "rowcol", "pairs"):
        assert np.array_equal(getattr(again, name), getattr(got, name)), name


def _expanded(jl, space, p):
    if np.ndim(p) == 2:  # markers of one K at once (stacked.py): one marker's rows at a time
        cut = [0, *np.flatnonzero((p[1:] != p[:-1]).any(axis=1)) + 1, len(p)]
        parts = [
            _expanded(jl[a:b], _space_rows(space, a, b), p[a])
            for a, b in zip(cut, cut[1:], strict=False)
        ]
        return JointSums.concat(parts)
    return JointSums.of(expand_joint(jl, space, p))


def _space_rows(space, a, b):
    alleles = None if space.alleles is None else space.alleles[a:b]
    return LocalSpace(space.cls[a:b], space.n_obs[a:b], space.width, alleles)


@given(lumped_inputs(), st.integers(1, 4))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_lumped_sums_of_several_markers_at_once(case, parts):
    """Rows of several markers of K alleles (their frequencies row by row) in one pass: each
    row's sums are, to the last bit, those of its marker's rows alone."""
    jl, space, p = case
    rng = np.random.default_rng(len(jl))
    cut = sorted({0, len(jl), *rng.integers(0, len(jl) + 1, parts)})
    freqs = [rng.dirichlet(np.ones(len(p))) + 1e-6 for _ in cut[:-1]]
    rows = np.concatenate(
        [np.broadcast_to(f, (b - a, len(p))) for f, a, b in zip(freqs, cut, cut[1:], strict=False)]
    )
    got = lumped_sums(jl, space, rows)
    for f, a, b in zip(freqs, cut, cut[1:], strict=False):
        want = lumped_sums(jl[a:b], _space_rows(space, a, b), f)
        for name in ("total", "trace", "diag", "rowcol", "pairs"):
            assert np.array_equal(getattr(got, name)[a:b], getattr(want, name)), name


@pytest.mark.parametrize("model", ["proportional", "none"])
def test_lumped_sums_give_the_expanded_tables(medium_sim, model, monkeypatch):
    """The compile's tables from the sums of the lumped joint equal those from the expanded
    K x K joint (the compile before the sums were built directly)."""
    folder, _ = medium_sim
    fam, _, _, _, models, layout = compiled_setup(folder, model)
    drops = (DropModel(0.1, None, 0.0), DropModel(0.2, None, 0.05))
    layout = E.Layout(layout.markers, layout.alleles, classes=drops)
    calls = []
    fast = L.lumped_sums
    monkeypatch.setattr(S, "lumped_sums", lambda *a: calls.append(1) or fast(*a))
    rows, got, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert calls  # the lumped path ran
    monkeypatch.setattr(S, "lumped_sums", _expanded)
    rows2, want, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert rows == rows2 and len(rows) > 40
    assert np.array_equal(np.isneginf(got), np.isneginf(want))
    ok = np.isfinite(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=0, atol=1e-12)


@pytest.mark.parametrize("drop", [(0.0, 0.0), (0.1, 0.02)])
def test_lumped_sums_same_matches(small_sim, tmp_path, monkeypatch, drop):
    """A search under the proportional model finds the same matches, with the same LRs,
    as with the sums of the expanded joints."""
    folder, _ = small_sim

    def search(out):
        cfg = SearchConfig(
            folder / "families.tsv",
            folder / "remains.tsv",
            tmp_path / out,
            threshold=1.0,
            mutation="proportional",
            dropout=drop[0],
            dropin=drop[1],
        )
        return run_search(cfg).matches

    a = search("a.tsv")
    monkeypatch.setattr(S, "lumped_sums", _expanded)
    b = search("b.tsv")
    assert len(a["log10_lr"]) > 0
    for k in ("remain_id", "family_id", "missing_id", "n_markers", "n_inconsistent", "kind"):
        assert a[k] == b[k]
    np.testing.assert_allclose(a["log10_lr"], b["log10_lr"], rtol=0, atol=1e-12)


def _summed_lumping(model, space: LocalSpace):
    """The lumping summed over the K x K matrix (the definition, kept to check the closed
    form): p_c = sum of p_x over c, M_l[c, d] = sum over x in c, y in d of p_x M[x, y] / p_c."""
    b, k = space.cls.shape
    p = np.asarray(model.freqs, float)
    onehot = np.zeros((b, space.width, k))
    onehot[np.arange(b)[:, None], space.cls, np.arange(k)[None, :]] = 1.0
    freqs = onehot @ p
    out = []
    for m in (model.male, model.female):
        num = onehot @ (p[:, None] * m) @ onehot.transpose(0, 2, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append(np.where(freqs[:, :, None] > 0, num / freqs[:, :, None], 0.0))
    return freqs, out


@pytest.mark.parametrize("rate", [0.0, 0.002, 0.05])
def test_closed_form_lumping_equals_the_summed_one(rate):
    table = load_table(None)
    markers = ["D21S11", "SE33"]
    rates = {mk: (rate, rate * 1.5) for mk in markers}
    specs = mutation_specs(markers, "proportional" if rate else "none", rates=rates)
    rng = np.random.default_rng(3)
    for m in E.build_models(table, markers, specs):
        k = len(m.alleles)
        alle = rng.integers(0, k, size=(50, 3, 2))
        space = local_space(alle, [0, 1, 2], k)
        got = L.lumped_arrays(m, space)
        freqs, (male, female) = _summed_lumping(m, space)
        np.testing.assert_allclose(got.freqs, freqs, rtol=1e-13, atol=0)
        live = got.freqs > 0  # the padding classes' rows (prior 0) never count
        for mat, want in ((got.male, male), (got.female, female)):
            np.testing.assert_allclose(mat[live], want[live], rtol=0, atol=1e-14)
