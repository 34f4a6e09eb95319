"""The closed form of the sibship shapes (search/sibship.py) equals the general contraction:
the missing person with typed full siblings and first-cousin parents, random frequencies,
the stepwise and proportional mutation models (other rates for fathers and mothers),
homozygous and heterozygous siblings; and it is chosen only for the shapes it is exact for."""

from __future__ import annotations

import numpy as np
import pytest

from nasab.engine.likelihood import MarkerModel
from nasab.engine.mutation import mutation_matrix
from nasab.engine.pedigree import Pedigree
from nasab.search import compile as C
from nasab.search.sibship import sibship_joint, sibship_shape


def _model(kind: str, k: int, seed: int) -> MarkerModel:
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k))
    alleles = tuple(str(10 + i) for i in range(k))
    male = mutation_matrix(kind, alleles, p, rate=0.02, rate2=0.001, range_=0.4)
    female = mutation_matrix(kind, alleles, p, rate=0.005, rate2=0.0005, range_=0.3)
    return MarkerModel("M", alleles, p, female, male, True)


def _cousins(n_sibs: int, a_related: int, b_related: int) -> Pedigree:
    """The MP and ``n_sibs`` full siblings; their parents A, B are first cousins, each
    with one parent from a sibling pair (g1 x g2's children s1, s2) and one founder:
    ``a_related`` 0: A's father is s1 (1: A's mother is s2); B likewise (both 0: A and B
    are half siblings' children through s1)."""
    recs = [("g1", None, None, 1), ("g2", None, None, 2), ("f1", None, None, 1)]
    recs += [("f2", None, None, 2), ("f3", None, None, 1), ("f4", None, None, 2)]
    recs += [("s1", "g1", "g2", 1), ("s2", "g1", "g2", 2)]
    recs.append(("A", "s1", "f2", 1) if a_related == 0 else ("A", "f1", "s2", 1))
    recs.append(("B", "s1", "f4", 2) if b_related == 0 else ("B", "f3", "s2", 2))
    recs.append(("mp", "A", "B", 1))
    recs += [(f"c{i}", "A", "B", 1 + i % 2) for i in range(n_sibs)]
    return Pedigree.from_records(recs)


def _case(ped: Pedigree, k: int, n_fam: int, seed: int):
    rng = np.random.default_rng(seed)
    state = np.zeros(len(ped), np.int16)
    alle = np.zeros((n_fam, len(ped), 2), np.int64)
    for pid in ped.ids:
        if pid.startswith("c"):
            i = ped.index(pid)
            state[i] = C.FULL
            alle[:, i, :] = rng.integers(0, k, (n_fam, 2))
            homo = rng.random(n_fam) < 0.3  # homozygotes, and siblings sharing alleles
            alle[homo, i, 1] = alle[homo, i, 0]
    return state, alle


@pytest.mark.parametrize("kind", ["stepwise", "proportional"])
@pytest.mark.parametrize(
    ("n_sibs", "a_rel", "b_rel"), [(1, 0, 1), (2, 1, 0), (3, 0, 1), (4, 1, 1), (2, 0, 0)]
)
def test_closed_form_equals_the_general_contraction(kind, n_sibs, a_rel, b_rel):
    k = 7
    ped = _cousins(n_sibs, a_rel, b_rel)
    ma = C.ModelArrays(_model(kind, k, seed=n_sibs))
    state, alle = _case(ped, k, 40, seed=3 * n_sibs + a_rel)
    assert sibship_shape(ped, "mp", state, C.FULL, C.UNTYPED) is not None
    got, lik = C.full_joint_and_likelihood(ped, "mp", state, alle, ma)
    want, lik_want = C.full_joint_and_likelihood(ped, "mp", state, alle, ma, closed_form=False)
    assert got.shape == want.shape == (40, k, k)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    np.testing.assert_allclose(lik, lik_want, rtol=1e-12, atol=0)


def test_closed_form_in_small_batches():
    """Batches cut below the memory limit give the same joint."""
    k = 6
    ped = _cousins(3, 0, 1)
    ma = C.ModelArrays(_model("stepwise", k, seed=5))
    state, alle = _case(ped, k, 9, seed=8)
    sh = sibship_shape(ped, "mp", state, C.FULL, C.UNTYPED)
    full = sibship_joint(ped, sh, alle, ma, lambda p, o: C._prior_joint(ped, p, o, ma))
    old = C.CT.MAX_BATCH_ELEMENTS
    try:
        C.CT.MAX_BATCH_ELEMENTS = 1
        step = sibship_joint(ped, sh, alle, ma, lambda p, o: C._prior_joint(ped, p, o, ma))
    finally:
        C.CT.MAX_BATCH_ELEMENTS = old
    np.testing.assert_allclose(step, full, rtol=1e-13, atol=0)


def _state(ped: Pedigree, typed: set[str]) -> np.ndarray:
    return np.array([C.FULL if p in typed else C.UNTYPED for p in ped.ids], np.int16)


def test_shapes_it_is_not_for():
    cousins = _cousins(2, 0, 1)
    sibs = {"c0", "c1"}
    assert sibship_shape(cousins, "mp", _state(cousins, sibs), C.FULL, C.UNTYPED) is not None
    # a typed ancestor, a partly typed sibling, no typed sibling
    assert sibship_shape(cousins, "mp", _state(cousins, sibs | {"g1"}), C.FULL, C.UNTYPED) is None
    partial = _state(cousins, sibs)
    partial[cousins.index("c1")] = C.PARTIAL
    assert sibship_shape(cousins, "mp", partial, C.FULL, C.UNTYPED) is None
    assert sibship_shape(cousins, "mp", _state(cousins, {"g2"}), C.FULL, C.UNTYPED) is None
    # founder parents: the general contraction (faster there)
    nuclear = Pedigree.from_records(
        [("A", None, None, 1), ("B", None, None, 2), ("mp", "A", "B", 1), ("c0", "A", "B", 2)]
    )
    assert sibship_shape(nuclear, "mp", _state(nuclear, {"c0"}), C.FULL, C.UNTYPED) is None
    # a half sibling; a typed child of the MP
    half = Pedigree.from_records(
        [(p.id, p.father, p.mother, p.sex) for p in cousins.persons]
        + [("X", None, None, 2), ("h", "A", "X", 1)]
    )
    assert sibship_shape(half, "mp", _state(half, sibs | {"h"}), C.FULL, C.UNTYPED) is None
    kid = Pedigree.from_records(
        [(p.id, p.father, p.mother, p.sex) for p in cousins.persons]
        + [("X", None, None, 2), ("k", "mp", "X", 1)]
    )
    assert sibship_shape(kid, "mp", _state(kid, sibs | {"k"}), C.FULL, C.UNTYPED) is None
