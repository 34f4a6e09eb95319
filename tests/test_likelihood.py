"""The exact likelihood against hand-derived formulas, a brute-force implementation, and
its invariants (hypothesis)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nasab.engine.genotypes import Profile
from nasab.engine.likelihood import genotype_joint, marker_likelihood
from nasab.engine.lr import build_marker_model, expected_lr_unrelated, missing_person_lr
from nasab.engine.mutation import MutationSpec

from .helpers import brute_force_likelihood, family, table_of

P = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4}
TABLE = table_of({"M": P})

TRIO = [("F", None, None, 1), ("Mo", None, None, 2), ("C", "F", "Mo", 1)]
# First-cousin marriage: C is the child of cousins X and Y (a loop).
COUSINS = [
    ("GF", None, None, 1),
    ("GM", None, None, 2),
    ("S1", "GF", "GM", 1),
    ("S2", "GF", "GM", 2),
    ("W1", None, None, 2),
    ("H2", None, None, 1),
    ("X", "S1", "W1", 1),
    ("Y", "H2", "S2", 2),
    ("C", "X", "Y", 1),
    ("D", "X", "Y", 2),
]
QUARTER = [  # double first cousins' child: two loops
    ("A1", None, None, 1),
    ("A2", None, None, 2),
    ("B1", None, None, 1),
    ("B2", None, None, 2),
    ("a1", "A1", "A2", 1),
    ("a2", "A1", "A2", 2),
    ("b1", "B1", "B2", 1),
    ("b2", "B1", "B2", 2),
    ("X", "a1", "b2", 1),
    ("Y", "b1", "a2", 2),
    ("C", "X", "Y", 1),
]


def lr_of(rows, genos, missing, poi_g, mutation=None):
    fam = family(rows, {k: {"M": v} for k, v in genos.items()})
    return missing_person_lr(fam, missing, Profile("POI", {"M": poi_g}), TABLE, mutation).lr


def test_parent_child_formulas() -> None:
    # mother a/b, child (POI) a/c: LR = 1 / (4 p_a)
    assert lr_of(TRIO, {"Mo": ("a", "b")}, "C", ("a", "c")) == pytest.approx(1 / (4 * 0.1))
    # homozygous child a/a with mother a/a: LR = 1 / p_a
    assert lr_of(TRIO, {"Mo": ("a", "a")}, "C", ("a", "a")) == pytest.approx(1 / 0.1)
    # exclusion without mutation
    assert lr_of(TRIO, {"Mo": ("a", "b")}, "C", ("c", "d")) == 0.0
    # both parents a/b and c/d, child a/c: LR = 1/4 / (2 pa pc)
    assert lr_of(TRIO, {"F": ("a", "b"), "Mo": ("c", "d")}, "C", ("a", "c")) == pytest.approx(
        0.25 / (2 * 0.1 * 0.3)
    )


def test_full_siblings_formula() -> None:
    rows = TRIO + [("S", "F", "Mo", 2)]
    # sibling a/a, POI a/a: LR = (1 + p_a)^2 / (4 p_a^2)  (IBS formula for full sibs)
    pa = 0.1
    assert lr_of(rows, {"S": ("a", "a")}, "C", ("a", "a")) == pytest.approx(
        (1 + pa) ** 2 / (4 * pa * pa)
    )


def test_mutation_makes_exclusion_finite() -> None:
    spec = MutationSpec("equal", 0.002, 0.002)
    lr = lr_of(TRIO, {"Mo": ("a", "b")}, "C", ("c", "d"), spec)
    assert 0 < lr < 1e-2


def _random_genos(draw, ids, alleles):
    out = {}
    for pid in ids:
        kind = draw(st.sampled_from(["untyped", "typed", "typed", "partial"]))
        if kind == "typed":
            out[pid] = tuple(
                sorted(draw(st.lists(st.sampled_from(alleles), min_size=2, max_size=2)))
            )
        elif kind == "partial":
            out[pid] = (draw(st.sampled_from(alleles)), None)
    return out


@st.composite
def pedigree_and_data(draw):
    rows = draw(st.sampled_from([TRIO, TRIO + [("S", "F", "Mo", 2)], COUSINS[:9]]))
    ids = [r[0] for r in rows]
    genos = _random_genos(draw, ids, list("abc"))
    model_name = draw(st.sampled_from(["none", "equal", "proportional", "stepwise"]))
    return rows, genos, model_name


NUM_TABLE = table_of({"M": {"9": 0.2, "10": 0.5, "11": 0.3}})


def _model(name):
    spec = None if name == "none" else MutationSpec(name, 0.05, 0.1, 0.01, 0.01, 0.5, 0.5)
    return build_marker_model(NUM_TABLE, "M", spec)


@given(pedigree_and_data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_matches_brute_force(data) -> None:
    rows, genos, model_name = data
    mapping = {"a": "9", "b": "10", "c": "11"}
    genos = {k: tuple(mapping.get(a) if a else None for a in g) for k, g in genos.items()}
    fam = family(rows, {})
    model = _model(model_name)
    got = marker_likelihood(fam.pedigree, genos, model)
    small = [r for r in rows]
    want = brute_force_likelihood(fam.pedigree, genos, model) if len(small) <= 4 else None
    if want is not None:
        assert got == pytest.approx(want, rel=1e-12, abs=1e-300)
    assert 0.0 <= got <= 1.0 + 1e-12


@pytest.mark.parametrize("model_name", ["none", "equal", "stepwise"])
def test_loop_matches_brute_force_by_conditioning(model_name) -> None:
    """Brute force on the cousin pedigree is too big; check instead that the likelihood of
    typed child data equals the sum over the child's genotypes of the joint (consistency of
    two different contractions) and that genotype probabilities sum to 1."""
    fam = family(COUSINS, {})
    model = _model(model_name)
    ped = fam.pedigree
    genos = {"GF": ("9", "10"), "D": ("10", "11")}
    joint = genotype_joint(ped, genos, model, "C")
    total = marker_likelihood(ped, genos, model)
    assert joint.sum() == pytest.approx(total, rel=1e-12)
    for a, b in itertools.combinations_with_replacement(model.alleles, 2):
        g = dict(genos)
        g["C"] = (a, b)
        i, j = model.alleles.index(a), model.alleles.index(b)
        want = joint[i, j] + (joint[j, i] if i != j else 0.0)
        assert marker_likelihood(ped, g, model) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("rows", [TRIO, COUSINS, QUARTER], ids=["trio", "cousins", "double"])
@pytest.mark.parametrize("model_name", ["none", "equal", "proportional", "stepwise"])
def test_genotype_probabilities_sum_to_one(rows, model_name) -> None:
    fam = family(rows, {})
    model = _model(model_name)
    last = rows[-1][0]
    total = 0.0
    for a, b in itertools.combinations_with_replacement(model.alleles, 2):
        p = marker_likelihood(fam.pedigree, {last: (a, b)}, model)
        assert 0 < p <= 1
        total += p
    assert total == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(
    "rows,missing,typed",
    [
        (TRIO, "C", {"Mo": ("10", "11")}),
        (COUSINS, "C", {"X": ("9", "10"), "D": ("10", "10")}),
        (QUARTER, "C", {"A1": ("9", "11"), "Y": ("10", "11")}),
    ],
)
@pytest.mark.parametrize("model_name", ["none", "equal", "stepwise"])
def test_expected_lr_of_unrelated_is_one(rows, missing, typed, model_name) -> None:
    fam = family(rows, {k: {"M": v} for k, v in typed.items()})
    spec = None if model_name == "none" else MutationSpec(model_name, 0.05, 0.1, 0.01, 0.01)
    assert expected_lr_unrelated(fam, missing, NUM_TABLE, "M", spec) == pytest.approx(
        1.0, abs=1e-12
    )


@pytest.mark.parametrize("missing", ["X", "S1", "GF"])
@pytest.mark.parametrize("poi", [("a", "b"), ("c", "c"), ("d", None)])
def test_nobody_typed_gives_lr_one(missing, poi) -> None:
    fam = family(COUSINS, {}, markers=("M",))
    r = missing_person_lr(fam, missing, Profile("POI", {"M": poi}), TABLE)
    assert r.lr == pytest.approx(1.0, abs=1e-14)


def test_nobody_typed_inbred_missing_person() -> None:
    """An inbred missing person (child of first cousins, F = 1/16) is not a Hardy-Weinberg
    draw even with nobody typed: LR = 1 - F for a heterozygote, 1 + F(1-p)/p for aa."""
    fam = family(COUSINS, {}, markers=("M",))
    het = missing_person_lr(fam, "C", Profile("POI", {"M": ("a", "b")}), TABLE).lr
    hom = missing_person_lr(fam, "C", Profile("POI", {"M": ("a", "a")}), TABLE).lr
    assert het == pytest.approx(15 / 16)
    assert hom == pytest.approx(1 + 0.0625 * 0.9 / 0.1)


@given(st.permutations(range(len(COUSINS))), st.integers(0, 3))
@settings(max_examples=20, deadline=None)
def test_relabel_and_reorder_change_nothing(perm, shift) -> None:
    genos = {"X": {"M": ("a", "b")}, "D": {"M": ("b", "c")}, "GM": {"M": ("a", "d")}}
    poi = Profile("POI", {"M": ("a", "c")})
    base = missing_person_lr(family(COUSINS, genos), "C", poi, TABLE).log10_lr
    names = {r[0]: f"p{(i * 7 + shift) % 97}_{r[0][::-1]}" for i, r in enumerate(COUSINS)}

    def rn(x):
        return None if x is None else names[x]

    rows = [(rn(COUSINS[i][0]), rn(COUSINS[i][1]), rn(COUSINS[i][2]), COUSINS[i][3]) for i in perm]
    g2 = {names[k]: v for k, v in genos.items()}
    got = missing_person_lr(family(rows, g2), names["C"], poi, TABLE).log10_lr
    assert got == pytest.approx(base, abs=1e-12)


def test_inbreeding_raises_homozygote_probability() -> None:
    fam = family(COUSINS, {})
    model = build_marker_model(TABLE, "M", None)
    p_inbred = marker_likelihood(fam.pedigree, {"C": ("a", "a")}, model)
    # F = 1/16 for a child of first cousins: P(aa) = p^2 + F p (1 - p)
    assert p_inbred == pytest.approx(0.01 + 0.0625 * 0.1 * 0.9)
    assert math.isclose(marker_likelihood(fam.pedigree, {"X": ("a", "a")}, model), 0.01)


def test_partial_genotype_sums_over_unknown_allele() -> None:
    fam = family(TRIO, {})
    model = build_marker_model(TABLE, "M", None)
    got = marker_likelihood(fam.pedigree, {"C": ("a", None)}, model)
    assert got == pytest.approx(1 - (1 - 0.1) ** 2)
    assert np.isclose(got, 2 * 0.1 - 0.01)
