"""The exact theta schemes of :mod:`nasab.engine.theta` (dense, identity-by-descent partitions,
Dirichlet quadrature) against an independent brute force (every ordered genotype of every
person, the Polya urn over all founder alleles) and against each other."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nasab.engine.theta as T
from nasab.engine.errors import ModelError
from nasab.engine.genotypes import Profile
from nasab.engine.likelihood import allele_space, full_space, marker_likelihood
from nasab.engine.lr import build_marker_model, missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel, observation_weights

from .helpers import brute_force_likelihood, family, table_of
from .test_likelihood import pedigree_and_data

METHODS = ["dense", "partitions", "quadrature"]
A, B, C = "9", "10", "11"
ABC = table_of({"M": {A: 0.2, B: 0.3, C: 0.5}})
ABCS = table_of({"M": {"a": 0.3, "b": 0.4, "c": 0.1, "silent": 0.2}})
STEP = MutationSpec("stepwise", 0.05, 0.1, 0.0, 0.0, 0.5, 0.5)
EQUAL = MutationSpec("equal", 0.02, 0.06)


@pytest.fixture
def force(monkeypatch):
    def use(method: str) -> None:
        monkeypatch.setattr(T, "choose_method", lambda net, k, beta: method)

    return use


HALF_SIBS = [
    ("F", None, None, 1),
    ("M1", None, None, 2),
    ("M2", None, None, 2),
    ("C1", "F", "M1", 1),
    ("C2", "F", "M2", 2),
]
GRANDPARENT = [
    ("GF", None, None, 1),
    ("GM", None, None, 2),
    ("Fa", "GF", "GM", 1),
    ("Mo", None, None, 2),
    ("C", "Fa", "Mo", 1),
]
SIB_MATING = [
    ("F", None, None, 1),
    ("Mo", None, None, 2),
    ("X", "F", "Mo", 1),
    ("Y", "F", "Mo", 2),
    ("C", "X", "Y", 1),
]

CASES = [
    ("half sibs, all founders untyped", HALF_SIBS, {"C1": (A, B), "C2": (B, C)}, None),
    ("half sibs, typed mother", HALF_SIBS, {"C1": (A, B), "C2": (B, B), "M2": (B, C)}, None),
    ("one-child grandparents", GRANDPARENT, {"C": (A, B), "Mo": (B, C)}, None),
    ("sib mating loop", SIB_MATING, {"X": (A, B), "C": (B, C)}, None),
]


_BRUTE: dict = {}


def _brute(key, ped, genos, model, theta, **kw) -> float:
    """The brute force is slow (every ordered genotype of every person): once per case."""
    if key not in _BRUTE:
        _BRUTE[key] = brute_force_likelihood(ped, genos, model, theta, **kw)
    return _BRUTE[key]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("spec", [None, EQUAL, STEP], ids=["none", "equal", "stepwise"])
@pytest.mark.parametrize("theta", [0.01, 0.2])
@pytest.mark.parametrize("name,rows,genos,_", CASES, ids=[c[0] for c in CASES])
def test_schemes_equal_brute_force(force, method, spec, theta, name, rows, genos, _) -> None:
    model = build_marker_model(ABC, "M", spec)
    ped = family(rows, {}).pedigree
    want = _brute((name, str(spec), theta), ped, genos, model, theta)
    force(method)
    got = marker_likelihood(ped, genos, model, theta=theta)
    assert got == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("method", METHODS)
def test_typed_founder_with_dropout_and_silent(force, method) -> None:
    # a founder whose pair of alleles is not known (dropout, a silent allele) stays in the
    # urn's unknown slots, with its observation as evidence
    model = build_marker_model(ABCS, "M", EQUAL)
    drop = DropModel(0.2)
    labels = list(model.alleles)
    w_mo = observation_weights(("a", "F"), labels, model.freqs, drop)
    w_fa = observation_weights(("b", "b"), labels, model.freqs, None)
    ped = family(SIB_MATING, {}).pedigree
    weights = {"Mo": lambda i, j: w_mo[i, j], "F": lambda i, j: w_fa[i, j]}
    genos = {"C": ("a", "b")}
    want = _brute("dropout founder", ped, genos, model, 0.1, weights=weights)
    force(method)
    got = marker_likelihood(
        ped, {**genos, "Mo": ("a", "F"), "F": ("b", "b")}, model, drops={"Mo": drop}, theta=0.1
    )
    assert got == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("person", ["F", "Fa", "GF"])
def test_open_person_joint(force, method, person) -> None:
    # J[x, y] + J[y, x] is the likelihood with the person typed x/y
    rows = GRANDPARENT + ([("F", None, None, 1)] if person == "F" else [])
    genos = {"C": (A, B), "Mo": (B, C)}
    model = build_marker_model(ABC, "M", STEP)
    ped = family(rows, {}).pedigree
    space = full_space(model)
    force(method)
    j = T.theta_likelihood(ped, genos, space, 0.05, open_person=person)
    for x, y in itertools.combinations_with_replacement(range(3), 2):
        g = (model.alleles[x], model.alleles[y])
        want = _brute(("open", person, g), ped, {**genos, person: g}, model, 0.05)
        got = j[x, y] + j[y, x] if x != y else j[x, x]
        assert got == pytest.approx(want, rel=1e-10, abs=1e-300)


def test_urn_tensor_is_the_polya_urn() -> None:
    beta = np.array([0.5, 1.5, 3.0])
    urn = T.urn_tensor(beta, 4)
    assert urn.sum() == pytest.approx(1.0)
    p = beta / beta.sum()
    theta = 1 / (1 + beta.sum())
    from .helpers import urn_probability

    for a in itertools.product(range(3), repeat=4):
        assert urn[a] == pytest.approx(urn_probability(list(a), p, theta), rel=1e-12)


def test_set_partitions_are_bell_many_and_distinct() -> None:
    for n in range(8):
        parts = {tuple(z) for z in T.set_partitions(n)}
        assert len(parts) == T.bell(n)
    assert T.bell(16) == 10_480_142_147


EIGHT_FOUNDERS = [(f"F{i}", None, None, 1 + i % 2) for i in range(8)] + [
    ("A", "F0", "F1", 1),
    ("B", "F2", "F3", 2),
    ("C2", "F4", "F5", 1),
    ("D", "F6", "F7", 2),
    ("X", "A", "B", 1),
    ("Y", "C2", "D", 2),
    ("C", "X", "Y", 1),
]


def test_eight_untyped_founders_three_schemes_agree(force) -> None:
    # 8 untyped founders (16 founder alleles, 8 reaching the data) on a lumped space: the
    # three schemes are independent computations of the same number
    table = table_of(
        {"M": {str(i): w for i, w in zip(range(5, 15), np.linspace(1, 2, 10), strict=True)}}
    )
    table["M"].freqs[:] = table["M"].freqs / table["M"].freqs.sum()
    fam = family(EIGHT_FOUNDERS, {"X": {"M": ("6", "7")}, "Y": {"M": ("8", "9")}})
    poi = Profile("POI", {"M": ("6", "8")})
    got = {}
    for method in METHODS:
        force(method)
        got[method] = missing_person_lr(fam, "C", poi, table, EQUAL, theta=0.03).lr
    assert got["partitions"] == pytest.approx(got["dense"], rel=1e-10)
    assert got["quadrature"] == pytest.approx(got["dense"], rel=1e-10)


def test_eight_untyped_founders_stepwise_forty_alleles() -> None:
    big = table_of({"M": {str(i): 1 / 40 for i in range(5, 45)}})
    spec = MutationSpec("stepwise", 0.01, 0.01, 0.0, 0.0, 0.5, 0.5)
    fam = family(EIGHT_FOUNDERS, {"X": {"M": ("10", "11")}, "Y": {"M": ("12", "13")}})
    r = missing_person_lr(fam, "C", Profile("POI", {"M": ("10", "12")}), big, spec, theta=0.02)
    r0 = missing_person_lr(fam, "C", Profile("POI", {"M": ("10", "12")}), big, spec)
    assert 1 < r.lr < r0.lr  # shared rare alleles: theta weakens the evidence


def test_beyond_every_scheme_says_so() -> None:
    big = table_of({"M": {str(i): 1 / 40 for i in range(5, 45)}})
    spec = MutationSpec("stepwise", 0.01, 0.01, 0.0, 0.0, 0.5, 0.5)
    # six untyped founders with two children each: 12 unknown founder alleles
    rows = [(f"F{i}", None, None, 1 + i % 2) for i in range(6)]
    kids = []
    for n, (f, m) in enumerate([("F0", "F1"), ("F2", "F3"), ("F4", "F5")]):
        kids += [(f"S{n}a", f, m, 1), (f"S{n}b", f, m, 2)]
    rows += kids + [
        ("X", "S0a", "S1b", 1),
        ("Y", "S1a", "S2b", 2),
        ("C", "X", "Y", 1),
        ("Z", "S2a", "S0b", 1),
    ]
    genos = {"X": {"M": ("10", "11")}, "Y": {"M": ("12", "13")}, "Z": {"M": ("14", "15")}}
    fam = family(rows, genos)
    with pytest.raises(ModelError, match="identity-by-descent partitions"):
        missing_person_lr(fam, "C", Profile("POI", {"M": ("10", "12")}), big, spec, theta=0.02)


def test_known_founders_condition_the_urn() -> None:
    # typed founders leave no unknown slots: one network, whatever the allele count
    fam = family(
        [("F", None, None, 1), ("Mo", None, None, 2), ("C", "F", "Mo", 1)],
        {"F": {"M": (A, B)}, "Mo": {"M": (C, C)}},
    )
    model = build_marker_model(ABC, "M", STEP)
    space = allele_space(model, fam.marker_genotypes("M"), lumpable=False)
    net = T.theta_network(fam.pedigree, fam.marker_genotypes("M"), space, None, "C")
    assert net.slots == []
    assert list(net.counts) == [1, 1, 2]


def _public(name_part: str):
    from .conftest import public_cases

    found = [p for p in public_cases() if name_part in p.name]
    if not found:
        pytest.skip("shared/oracle/public not found beside the repository")
    return found[0]


@pytest.mark.parametrize("case_name", ["half_sibs", "spouse_children", "cousin_marriage_fa_sb"])
def test_public_pedigrees_with_theta_two_schemes_agree(force, case_name) -> None:
    """The public cases' pedigrees, markers and mutation models with theta: the dense and
    partition schemes (independent sums) give the same LR at every marker."""
    from nasab.formats.io import read_case

    case = read_case(_public(case_name))
    got = {}
    for method in ("dense", "partitions"):
        force(method)
        r = missing_person_lr(
            case.family,
            case.missing,
            case.poi,
            case.table,
            case.mutations,
            case.markers,
            theta=0.02,
        )
        got[method] = [m.log10_lr for m in r.markers]
    np.testing.assert_allclose(got["partitions"], got["dense"], rtol=0, atol=1e-10)


@given(data=pedigree_and_data(), theta=st.sampled_from([0.005, 0.05, 0.3]))
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_schemes_agree_on_random_pedigrees(force, data, theta) -> None:
    """Property: on random pedigrees (trio, sibs, a cousin loop), typings (full, partial,
    none) and mutation models, the three schemes are the same number, within [0, 1]; below
    theta -> 0 the likelihood tends to the theta = 0 one."""
    rows, genos, model_name = data
    mapping = {"a": "9", "b": "10", "c": "11"}
    genos = {k: tuple(mapping.get(a) if a else None for a in g) for k, g in genos.items()}
    ped = family(rows, {}).pedigree
    spec = (
        None if model_name == "none" else MutationSpec(model_name, 0.05, 0.1, 0.01, 0.01, 0.5, 0.5)
    )
    model = build_marker_model(ABC, "M", spec)
    got = []
    for method in METHODS:
        force(method)
        got.append(marker_likelihood(ped, genos, model, theta=theta))
    assert got[1] == pytest.approx(got[0], rel=1e-9, abs=1e-300)
    assert got[2] == pytest.approx(got[0], rel=1e-9, abs=1e-300)
    assert 0.0 <= got[0] <= 1.0 + 1e-12
    force("dense")
    tiny = marker_likelihood(ped, genos, model, theta=1e-9)
    assert tiny == pytest.approx(marker_likelihood(ped, genos, model), rel=1e-6, abs=1e-300)


@pytest.mark.parametrize("name,rows,genos,_", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("spec", [None, STEP], ids=["none", "stepwise"])
def test_unrelated_joint_by_moments(name, rows, genos, _, spec) -> None:
    """The extra unrelated founder's joint from the moments of the unknown founder alleles
    equals the one with that founder opened in the network, and the brute force."""
    model = build_marker_model(ABC, "M", spec)
    ped = family(rows, {}).pedigree
    space = full_space(model)
    got = T.unrelated_joint(ped, genos, space, 0.07)
    want = T.theta_likelihood(ped.add_singleton("U"), genos, space, 0.07, open_person="U")
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-300)
    if spec is not None:
        return  # the brute force below is slow: once per pedigree
    ped2 = ped.add_singleton("U")
    for x, y in [(0, 2)]:
        g = (model.alleles[x], model.alleles[y])
        brute = brute_force_likelihood(ped2, {**genos, "U": g}, model, 0.07)
        assert (got[x, y] + got[y, x] if x != y else got[x, x]) == pytest.approx(brute, rel=1e-10)
