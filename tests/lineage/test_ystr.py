"""Y-STR line likelihoods: closed forms, brute force, E[LR] = 1, estimators, discrete Laplace."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from nasab.engine import dlaplace
from nasab.engine.errors import InputError
from nasab.engine.lineage import clopper_pearson_upper
from nasab.engine.pedigree import Pedigree
from nasab.engine.ystr import (
    YDatabase,
    YRates,
    line_likelihood,
    line_members,
    parse_ystr,
    paternal_root,
    ystr_lr,
    ystr_rates,
)

MU = 0.01
RATES = YRates({"DYS19": MU, "DYS390": 0.02, "DYS385A": 0.005}, "test")

# GF - GM: FA and UN; FA - MO: MP and SIS; UN - AU: CO (MP's paternal cousin); SIS - H: NE
COUSINS = Pedigree.from_records(
    [
        ("GF", None, None, 1),
        ("GM", None, None, 2),
        ("FA", "GF", "GM", 1),
        ("MO", None, None, 2),
        ("UN", "GF", "GM", 1),
        ("AU", None, None, 2),
        ("CO", "UN", "AU", 1),
        ("MP", "FA", "MO", 1),
        ("SIS", "FA", "MO", 2),
        ("H", None, None, 1),
        ("NE", "H", "SIS", 1),
    ]
)
FATHER_SON = Pedigree.from_records([("F", None, None, 1), ("M", None, None, 2), ("S", "F", "M", 1)])


def db_of(haps: list[dict], counts: list[int]) -> YDatabase:
    rows = [h for h, c in zip(haps, counts, strict=True) for _ in range(c)]
    return YDatabase(sorted({k for h in haps for k in h}), rows, "test.tsv", "0" * 64)


def walk(n: int, net: int, mu: float) -> float:
    """P(net change of `net` repeats in n single-step symmetric transmissions)."""
    total = 0.0
    for down in range(n + 1):
        up = down + net
        stay = n - up - down
        if up < 0 or stay < 0:
            continue
        total += (
            math.factorial(n)
            / (math.factorial(up) * math.factorial(down) * math.factorial(stay))
            * (mu / 2) ** (up + down)
            * (1 - mu) ** stay
        )
    return total


def test_father_son_identical_haplotype_is_prod_one_minus_mu_over_f() -> None:
    hap = {"DYS19": ("14",), "DYS390": ("24",), "DYS385": ("11", "14")}
    other = {"DYS19": ("15",), "DYS390": ("24",), "DYS385": ("11", "14")}
    db = db_of([hap, other], [3, 97])
    keep = (1 - MU) * (1 - 0.02) * (1 - 0.005) ** 2  # DYS385: two copies
    ev = ystr_lr(FATHER_SON, "S", {"F": hap}, hap, db, "augmented", rates=RATES)
    assert ev.used
    assert ev.lr == pytest.approx(keep / (4 / 101), rel=1e-12)
    ev = ystr_lr(FATHER_SON, "S", {"F": hap}, hap, db, "counting", rates=RATES)
    f = stats.beta.ppf(0.95, 3 + 1, 100 - 3)
    assert ev.lr == pytest.approx(keep / f, rel=1e-9)


@pytest.mark.parametrize("net", [0, 1, -1, 2])
def test_paternal_cousins_with_and_without_mutation(net: int) -> None:
    hap = {"DYS19": ("14",)}
    poi = {"DYS19": (str(14 + net),)}
    db = db_of([hap, poi] if net else [hap], [10, 10] if net else [20])
    ev = ystr_lr(COUSINS, "MP", {"CO": hap}, poi, db, "augmented", rates=RATES)
    x = 10 if net else 20
    f = (x + 1) / (len(db.rows) + 1)
    # MP <- FA <- GF -> UN -> CO: four transmissions; flat prior on GF
    assert ev.lr == pytest.approx(walk(4, net, MU) / f, rel=1e-12)
    assert ev.details["paternal_line"] == ["CO"]


def test_multi_copy_transmission_closed_forms() -> None:
    mu = 0.005
    one = {"F": ("11", "14")}
    p = line_likelihood(FATHER_SON, ["F", "S"], {**one, "S": ("11", "15")}, mu)
    assert p / line_likelihood(FATHER_SON, ["F", "S"], one, mu) == pytest.approx((1 - mu) * mu / 2)
    hom = {"F": ("12", "12")}
    p = line_likelihood(FATHER_SON, ["F", "S"], {**hom, "S": ("11", "12")}, mu)
    assert p / line_likelihood(FATHER_SON, ["F", "S"], hom, mu) == pytest.approx(mu * (1 - mu))
    het = {"F": ("11", "12")}
    p = line_likelihood(FATHER_SON, ["F", "S"], {**het, "S": ("12", "12")}, mu)
    assert p / line_likelihood(FATHER_SON, ["F", "S"], het, mu) == pytest.approx(mu / 2 * (1 - mu))
    # the son's states sum to one
    states = itertools.combinations_with_replacement([str(a) for a in range(9, 17)], 2)
    total = sum(line_likelihood(FATHER_SON, ["F", "S"], {**het, "S": s}, mu) for s in states)
    assert total == pytest.approx(line_likelihood(FATHER_SON, ["F", "S"], het, mu))


def _brute(
    ped: Pedigree,
    members: list[str],
    obs: dict[str, dict[str, int]],
    rates: dict[str, float],
    lo: int,
    hi: int,
) -> float:
    """Sum over every untyped man's alleles at every locus jointly (whole haplotypes),
    flat founder prior over [lo, hi]."""
    loci = sorted(rates)
    untyped = [(q, k) for q in members for k in loci if k not in obs.get(q, {})]
    total = 0.0
    for values in itertools.product(range(lo, hi + 1), repeat=len(untyped)):
        state = {q: dict(obs.get(q, {})) for q in members}
        for (q, k), v in zip(untyped, values, strict=True):
            state[q][k] = v
        prob = 1.0
        for q in members:
            f = ped[q].father
            if f is None or f not in state:
                continue
            for k in loci:
                d = abs(state[q][k] - state[f][k])
                prob *= 1 - rates[k] if d == 0 else rates[k] / 2 if d == 1 else 0.0
        total += prob
    return total


def test_line_likelihood_matches_brute_force_over_whole_haplotypes() -> None:
    ped = COUSINS
    members = ["GF", "FA", "UN", "CO", "MP"]
    assert line_members(ped, paternal_root(ped, "MP")) == ["GF", "FA", "UN", "CO", "MP"]
    rates = {"A": 0.2, "B": 0.3}  # large rates: mutation paths matter
    refs = {"CO": {"A": 5, "B": 6}, "UN": {"A": 6}}  # UN partial: typed at A only
    for poi in ({"A": 5, "B": 6}, {"A": 4, "B": 7}, {"A": 6, "B": 5}):
        # every configuration of non-zero probability lies in [3, 9] (each man is within
        # his distance to a typed man of an observed allele); the untyped leaf MP sums to 1
        brute = _brute(ped, members, {**refs, "MP": poi}, rates, 3, 9) / _brute(
            ped, members[:-1], refs, rates, 3, 9
        )
        ours = 1.0
        for k in rates:
            obs = {q: (str(h[k]),) for q, h in refs.items() if k in h}
            ours *= line_likelihood(
                ped, members, {**obs, "MP": (str(poi[k]),)}, rates[k]
            ) / line_likelihood(ped, members, obs, rates[k])
        assert ours == pytest.approx(brute, rel=1e-9)


def test_two_steps_in_one_transmission_excludes_and_reference_conflict_is_an_error() -> None:
    db = db_of([{"DYS19": ("14",)}], [5])
    ev = ystr_lr(FATHER_SON, "S", {"F": {"DYS19": ("14",)}}, {"DYS19": ("16",)}, db, rates=RATES)
    assert ev.lr == 0 and "excluded at DYS19" in ev.statement
    ped = Pedigree.from_records(
        [
            ("F", None, None, 1),
            ("M", None, None, 2),
            ("A", "F", "M", 1),
            ("B", "F", "M", 1),
            ("S", "F", "M", 1),
        ]
    )
    with pytest.raises(InputError, match="cannot share a line at DYS19"):
        ystr_lr(
            ped,
            "S",
            {"A": {"DYS19": ("14",)}, "B": {"DYS19": ("17",)}},
            {"DYS19": ("14",)},
            db,
            rates=RATES,
        )


def test_no_y_evidence_is_stated() -> None:
    hap = {"DYS19": ("14",)}
    db = db_of([hap], [5])
    ev = ystr_lr(COUSINS, "SIS", {"CO": hap}, hap, db, rates=RATES)
    assert not ev.used and ev.lr == 1 and "female" in ev.statement
    ev = ystr_lr(COUSINS, "MP", {"NE": hap}, hap, db, rates=RATES)  # a sister's son
    assert not ev.used and "no typed man on MP's paternal line" in ev.statement
    assert ev.details["not_on_paternal_line"] == ["NE"]
    assert not ystr_lr(COUSINS, "MP", {"CO": hap}, {}, db, rates=RATES).used


def test_expected_lr_of_unrelated_men_is_one_under_the_database_model() -> None:
    """E[LR | H2] = sum_h P(h | line) = 1 when the POI is drawn from the model f itself:
    exactly over a grid, and by simulation."""
    rng = np.random.default_rng(7)
    x = np.column_stack([rng.integers(12, 17, 400), rng.integers(22, 26, 400)]).astype(float)
    fit = dlaplace.fit(x, ["DYS19", "DYS390"], [1, 1], max_clusters=3)
    refs = {"CO": {"DYS19": ("14",), "DYS390": ("24",)}}
    db = db_of([refs["CO"]], [1])
    db._fits[(("DYS19", "DYS390"), 20)] = fit
    exact = 0.0
    for a, b in itertools.product(range(5, 25), range(15, 35)):
        poi = {"DYS19": (str(a),), "DYS390": (str(b),)}
        ev = ystr_lr(COUSINS, "MP", refs, poi, db, "dlaplace", rates=RATES)
        exact += fit.probability(poi) * ev.lr
    assert exact == pytest.approx(1.0, abs=1e-6)
    draws = fit.sample(2000, np.random.default_rng(3))
    lrs = [
        ystr_lr(
            COUSINS,
            "MP",
            refs,
            {"DYS19": (str(int(a)),), "DYS390": (str(int(b)),)},
            db,
            "dlaplace",
            rates=RATES,
        ).lr
        for a, b in draws
    ]
    assert np.mean(lrs) == pytest.approx(1.0, abs=0.25)


def test_discrete_laplace_fit_recovers_a_known_mixture() -> None:
    rng = np.random.default_rng(11)
    true = dlaplace.DLFit(
        ["A", "B", "C"],
        [1, 1, 1],
        np.array([0.6, 0.4]),
        np.array([[14, 24, 11], [17, 21, 14]], dtype=float),
        np.array([[0.1, 0.2, 0.15], [0.25, 0.1, 0.2]]),
        0,
        0,
        0,
        0,
        {},
    )
    x = true.sample(3000, rng).astype(float)
    fit = dlaplace.fit(x, ["A", "B", "C"], [1, 1, 1], max_clusters=5)
    assert fit.clusters == 2
    order = np.argsort(fit.tau)[::-1]
    assert np.allclose(fit.tau[order], [0.6, 0.4], atol=0.04)
    assert np.array_equal(fit.centres[order], true.centres)
    assert np.allclose(fit.p[order], true.p, atol=0.04)
    grid = np.array(list(itertools.product(range(0, 40), repeat=3)), dtype=float)
    assert np.exp(fit.log_density(grid)).sum() == pytest.approx(1.0, abs=1e-6)
    # the fitted likelihood is not below the true parameters' (EM reached a maximum)
    assert fit.loglik >= true.log_density(x).sum() - 1e-6


@pytest.mark.parametrize("x, n", [(0, 10), (0, 505), (1, 505), (13, 505), (50, 100), (99, 100)])
def test_clopper_pearson_upper_matches_beta_quantile(x: int, n: int) -> None:
    assert clopper_pearson_upper(x, n) == pytest.approx(
        stats.beta.ppf(0.95, x + 1, n - x), rel=1e-9
    )


def test_y_allele_grammar() -> None:
    assert parse_ystr("14") == ("14",)
    assert parse_ystr("14,11") == ("11", "14") == parse_ystr("11/14")
    assert parse_ystr("17.2") == ("17.2",)
    assert parse_ystr("null") == ("null",) == parse_ystr("0")
    assert parse_ystr("-") is None and parse_ystr("") is None
    for bad in ("x", "14,a", "OL", "1234"):
        with pytest.raises(InputError):
            parse_ystr(bad, file="f.tsv", line=3, field_name="DYS19")
    assert ystr_rates().rate("Y_GATA_H4") == ystr_rates().rate("YGATAH4") is not None
    assert ystr_rates().rate("DYS385") == ystr_rates().rate("DYS385a")
    assert ystr_rates().rate("DYS999") is None


def test_intermediate_alleles_step_within_their_fraction() -> None:
    obs = {"F": ("17.2",)}
    p = line_likelihood(FATHER_SON, ["F", "S"], {**obs, "S": ("18.2",)}, 0.01)
    assert p == pytest.approx(0.005)
    assert line_likelihood(FATHER_SON, ["F", "S"], {**obs, "S": ("18",)}, 0.01) == 0


def test_dlaplace_population_probability_leaves_out_a_null_allele() -> None:
    rng = np.random.default_rng(2)
    rows = [
        {"DYS19": (str(a),), "DYS390": (str(b),)}
        for a, b in zip(rng.integers(12, 17, 60), rng.integers(22, 26, 60), strict=True)
    ]
    db = YDatabase(["DYS19", "DYS390"], rows, "t.tsv", "0" * 64)
    ref = {"DYS19": ("14",), "DYS390": ("24",)}
    poi = {"DYS19": ("14",), "DYS390": ("null",)}
    ev = ystr_lr(FATHER_SON, "S", {"F": ref}, poi, db, "dlaplace", rates=RATES)
    assert ev.lr == 0  # the null allele cannot descend from 24: the line still excludes
    assert "DYS390" in ev.warnings[0]
    ev = ystr_lr(FATHER_SON, "S", {"F": poi}, poi, db, "dlaplace", rates=RATES)
    f = ev.details["population_probability"]["frequency"]
    assert ev.lr == pytest.approx((1 - MU) / f)  # a null allele transmits unchanged
