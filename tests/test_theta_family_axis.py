"""The family axis of :mod:`nasab.engine.theta_batch` (issue 19, item 3): the theta joints of
many families computed together equal the single-family path (``theta_likelihood`` with the
person open, ``unrelated_joint``) request by request, by every scheme that batches, on full
and lumped allele spaces, with homozygous and heterozygous references; a family the
single-family path refuses is refused with its message."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nasab.engine.contraction as CT
import nasab.engine.theta_batch as TB
import nasab.engine.theta_schemes as S
from nasab.engine.errors import NasabError
from nasab.engine.likelihood import allele_space, full_space
from nasab.engine.lr import build_marker_model
from nasab.engine.mutation import MutationSpec
from nasab.engine.theta import theta_likelihood, unrelated_joint

from .helpers import family, table_of

FREQS = {"9": 0.1, "10": 0.2, "11": 0.3, "12": 0.25, "13": 0.15}
TABLE = table_of({"M": FREQS})
STEP = MutationSpec("stepwise", 0.05, 0.1, 0.0, 0.0, 0.5, 0.5)
PROPORTIONAL = MutationSpec("proportional", 0.02, 0.04)

# (rows, typed persons, missing person): untyped founders, a typed founder, a cousin loop
SIBS = (
    [
        ("GF", None, None, 1),
        ("GM", None, None, 2),
        ("S1", "GF", "GM", 1),
        ("S2", "GF", "GM", 2),
        ("MP", "GF", "GM", 1),
    ],
    ("S1", "S2"),
    "MP",
)
TYPED_FATHER = (
    [("F", None, None, 1), ("Mo", None, None, 2), ("S", "F", "Mo", 2), ("MP", "F", "Mo", 1)],
    ("F", "S"),
    "MP",
)
COUSINS = (
    [
        ("GF", None, None, 1),
        ("GM", None, None, 2),
        ("Fa", "GF", "GM", 1),
        ("Un", "GF", "GM", 1),
        ("Mo", None, None, 2),
        ("Au", None, None, 2),
        ("C", "Un", "Au", 2),
        ("MP", "Fa", "Mo", 1),
    ],
    ("Mo", "C"),
    "MP",
)
PARENTS = ([("F", None, None, 1), ("Mo", None, None, 2), ("MP", "F", "Mo", 1)], ("F", "Mo"), "MP")
GENOTYPES = [g for g in itertools.combinations_with_replacement(["9", "10", "11", "12"], 2)]


def _requests(cases, model, lumped: bool) -> list[TB.JointRequest]:
    out = []
    for rows, typed, mp in cases:
        ped = family(rows, {}).pedigree
        for gs in itertools.product(GENOTYPES, repeat=len(typed)):
            genos = dict(zip(typed, gs, strict=True))
            space = allele_space(model, genos) if lumped else full_space(model)
            out.append(TB.JointRequest(ped, genos, space, mp))
    return out


def _single(r: TB.JointRequest, theta: float):
    try:
        j1 = np.asarray(theta_likelihood(r.ped, r.genos, r.space, theta, None, r.person))
        return j1, unrelated_joint(r.ped, r.genos, r.space, theta, None)
    except NasabError as e:
        return e


def _assert_same(requests, theta: float) -> None:
    got = TB.person_joints_batch(requests, theta)
    assert len(got) == len(requests)
    for r, g in zip(requests, got, strict=True):
        want = _single(r, theta)
        if isinstance(want, NasabError):
            assert isinstance(g, NasabError) and str(g) == str(want)
            continue
        assert not isinstance(g, NasabError), g
        for a, b in zip(g, want, strict=True):
            assert a.shape == b.shape
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-300)


@pytest.fixture
def only(monkeypatch):
    """Batch with one scheme only (the other left out of the costs)."""

    def use(method: str) -> None:
        real = S.scheme_costs

        def costs(net, k, **kw):
            return {m: c for m, c in real(net, k, **kw).items() if m == method}

        monkeypatch.setattr(TB, "scheme_costs", costs)

    return use


@pytest.mark.parametrize("method", ["dense", "partitions"])
@pytest.mark.parametrize(
    "spec,lumped", [(STEP, False), (PROPORTIONAL, True), (None, True)], ids=["step", "prop", "none"]
)
def test_batched_equals_single_family(only, method, spec, lumped) -> None:
    """Every family of three pedigrees, every pair of typings (homozygous, heterozygous)
    of two references, in one call: batched by structure, equal to the single path."""
    only(method)
    model = build_marker_model(TABLE, "M", spec)
    requests = _requests([SIBS, TYPED_FATHER, COUSINS], model, lumped)
    _assert_same(requests, 0.03)


def test_unrelated_joint_with_the_extra_founder_open(only, monkeypatch) -> None:
    """Where the dense table of the unknown slots does not fit, J2 opens one more founder
    (as ``unrelated_joint`` does), batched too."""
    only("partitions")
    monkeypatch.setattr(TB, "_dense_fit", lambda net, k: None)
    model = build_marker_model(TABLE, "M", STEP)
    _assert_same(_requests([SIBS, COUSINS], model, lumped=False), 0.02)


def test_batches_are_cut_and_share_structures(monkeypatch) -> None:
    """A batch cut into pieces (tiny element bound) gives the same numbers."""
    monkeypatch.setattr(CT, "MAX_BATCH_ELEMENTS", 1)
    model = build_marker_model(TABLE, "M", PROPORTIONAL)
    _assert_same(_requests([COUSINS], model, lumped=True), 0.05)


def test_refused_as_the_single_family_path(monkeypatch) -> None:
    """Where only quadrature fits, the single path computes it; with limits that leave no
    scheme for the pedigrees with unknown founder alleles, each such family gets the single
    path's own error (its message), the others (typed parents) their joints."""
    model = build_marker_model(TABLE, "M", STEP)
    requests = _requests([SIBS, TYPED_FATHER, PARENTS], model, lumped=False)
    monkeypatch.setattr(S, "MAX_DENSE", 30)
    monkeypatch.setattr(S, "MAX_PARTITIONS", 1)
    assert not any(isinstance(g, NasabError) for g in TB.person_joints_batch(requests, 0.02))
    _assert_same(requests, 0.02)  # quadrature, family by family
    monkeypatch.setattr(S, "MAX_QUADRATURE_WORK", 0)
    got = TB.person_joints_batch(requests, 0.02)
    assert any(isinstance(g, NasabError) for g in got)
    assert not all(isinstance(g, NasabError) for g in got)
    _assert_same(requests, 0.02)
