"""The closed form of the missing person's typed children by typed spouses
(search/offspring.py) equals the general contraction: random frequencies, the stepwise and
proportional models (other rates for fathers and mothers), a missing father or mother, one
or two spouses, homozygous and heterozygous children and spouses, a typed parent of the MP;
and it is chosen only for the shapes it is exact for."""

from __future__ import annotations

import numpy as np
import pytest
from tests.search.test_sibship import _model

from nasab.engine.pedigree import Pedigree
from nasab.search import compile as C
from nasab.search.offspring import offspring_shape


def _family(mp_sex: int, n_kids: int, two_spouses: bool) -> Pedigree:
    recs = [("g1", None, None, 1), ("g2", None, None, 2), ("mp", "g1", "g2", mp_sex)]
    recs += [("sp1", None, None, 3 - mp_sex), ("sp2", None, None, 3 - mp_sex)]
    for i in range(n_kids):
        sp = "sp2" if two_spouses and i % 2 else "sp1"
        fa, mo = ("mp", sp) if mp_sex == 1 else (sp, "mp")
        recs.append((f"c{i}", fa, mo, 1 + i % 2))
    return Pedigree.from_records(recs)


def _case(ped: Pedigree, typed: set[str], k: int, n_fam: int, seed: int):
    rng = np.random.default_rng(seed)
    state = np.array([C.FULL if p in typed else C.UNTYPED for p in ped.ids], np.int16)
    alle = rng.integers(0, k, (n_fam, len(ped), 2))
    homo = rng.random((n_fam, len(ped))) < 0.3
    alle[:, :, 1] = np.where(homo, alle[:, :, 0], alle[:, :, 1])
    return state, alle


@pytest.mark.parametrize("kind", ["stepwise", "proportional"])
@pytest.mark.parametrize(
    ("mp_sex", "n_kids", "two", "typed_parent"),
    [(1, 1, False, False), (2, 3, False, False), (1, 4, True, False), (2, 2, True, True)],
)
def test_closed_form_equals_the_general_contraction(kind, mp_sex, n_kids, two, typed_parent):
    k = 7
    ped = _family(mp_sex, n_kids, two)
    kids = {f"c{i}" for i in range(n_kids)}
    typed = kids | {"sp1"} | ({"sp2"} if two else set()) | ({"g1"} if typed_parent else set())
    ma = C.ModelArrays(_model(kind, k, seed=n_kids))
    state, alle = _case(ped, typed, k, 30, seed=n_kids + mp_sex)
    down = [p for p in ped.ids if p not in ("g1", "g2", "mp") and (two or p != "sp2")]
    assert offspring_shape(ped, "mp", down, state, C.FULL) is not None
    got, lik = C.full_joint_and_likelihood(ped, "mp", state, alle, ma)
    want, lik_want = C.full_joint_and_likelihood(ped, "mp", state, alle, ma, closed_form=False)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    np.testing.assert_allclose(lik, lik_want, rtol=1e-12, atol=0)


def test_shapes_it_is_not_for():
    ped = _family(1, 2, False)
    down = ["sp1", "sp2", "c0", "c1"]
    ok = {"sp1", "c0", "c1"}

    def shape(typed, ped=ped, down=down):
        state = np.array([C.FULL if p in typed else C.UNTYPED for p in ped.ids], np.int16)
        return offspring_shape(ped, "mp", [d for d in down if d in ped.ids], state, C.FULL)

    assert shape(ok, down=["sp1", "c0", "c1"]) is not None
    assert shape({"c0", "c1"}, down=["sp1", "c0", "c1"]) is None  # an untyped spouse
    grand = Pedigree.from_records(
        [(p.id, p.father, p.mother, p.sex) for p in ped.persons]
        + [("x", None, None, 2), ("gc", "c0", "x", 1)]
    )
    assert shape(ok | {"x", "gc"}, grand, ["sp1", "c0", "c1", "x", "gc"]) is None


def test_closed_form_in_steps_gives_the_same_numbers(monkeypatch):
    """The closed form runs in steps of families whose (families, K, K) temporaries stay
    under the contraction's limit: a limit of a few families at a time, the same joint."""
    import nasab.engine.contraction as CT

    k = 7
    ped = _family(1, 3, True)
    typed = {"c0", "c1", "c2", "sp1", "sp2"}
    ma = C.ModelArrays(_model("stepwise", k, seed=4))
    state, alle = _case(ped, typed, k, 40, seed=9)
    want, lik_want = C.full_joint_and_likelihood(ped, "mp", state, alle, ma)
    monkeypatch.setattr(CT, "MAX_BATCH_ELEMENTS", 3 * k * k)  # three families a step
    got, lik = C.full_joint_and_likelihood(ped, "mp", state, alle, ma)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(lik, lik_want)
