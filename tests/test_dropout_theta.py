"""Dropout, drop-in, silent alleles and theta: hand-derived formulas, an independent
brute-force implementation, and invariants."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from nasab.cli import main
from nasab.engine.errors import ModelError
from nasab.engine.genotypes import Profile, parse_genotype
from nasab.engine.likelihood import dirichlet_quadrature, marker_likelihood
from nasab.engine.lr import build_marker_model, missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel, observation_weights

from .helpers import brute_force_likelihood, family, table_of

P = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4}
TABLE = table_of({"M": P})
TRIO = [("F", None, None, 1), ("Mo", None, None, 2), ("C", "F", "Mo", 1)]
SIBS = TRIO + [("S", "F", "Mo", 2)]


def lr(rows, genos, poi_g, missing="C", drop=None, theta=0.0, mutation=None, table=TABLE):
    fam = family(rows, {k: {"M": v} for k, v in genos.items()})
    poi = Profile("POI", {"M": poi_g}, drop=drop)
    return missing_person_lr(fam, missing, poi, table, mutation, theta=theta).lr


# --- theta ---------------------------------------------------------------------------


@pytest.mark.parametrize("theta", [0.0, 0.01, 0.03, 0.1, 0.3])
def test_parent_child_theta_formula(theta) -> None:
    # mother a/b, child a/c: LR = (1 + 2 theta) / (4 (theta + (1 - theta) p_a))
    want = (1 + 2 * theta) / (4 * (theta + (1 - theta) * 0.1))
    assert lr(TRIO, {"Mo": ("a", "b")}, ("a", "c"), theta=theta) == pytest.approx(want, rel=1e-10)


SMALL = table_of({"M": {"a": 0.2, "b": 0.3, "c": 0.5}})


@pytest.mark.parametrize("theta", [0.02, 0.2])
@pytest.mark.parametrize("poi", [("a", "a"), ("a", "b"), ("c", "c")])
def test_full_sibs_theta_against_brute_force(theta, poi) -> None:
    fam = family(SIBS, {"S": {"M": ("a", "b")}})
    model = build_marker_model(SMALL, "M", None)
    ped = fam.pedigree
    h1 = brute_force_likelihood(ped, {"S": ("a", "b"), "C": poi}, model, theta)
    ped2 = ped.add_singleton("POI")
    h2 = brute_force_likelihood(ped2, {"S": ("a", "b"), "POI": poi}, model, theta)
    got = lr(SIBS, {"S": ("a", "b")}, poi, theta=theta, table=SMALL)
    assert got == pytest.approx(h1 / h2, rel=1e-9)


def test_theta_with_loop_and_mutation_against_brute_force() -> None:
    rows = [
        ("F", None, None, 1),
        ("Mo", None, None, 2),
        ("X", "F", "Mo", 1),
        ("Y", "F", "Mo", 2),
        ("C", "X", "Y", 1),
    ]  # child of full siblings: a loop
    table = table_of({"M": {"9": 0.3, "10": 0.5, "11": 0.2}})
    spec = MutationSpec("equal", 0.05, 0.1)
    model = build_marker_model(table, "M", spec)
    fam = family(rows, {})
    genos = {"X": ("9", "10"), "C": ("10", "11")}
    want = brute_force_likelihood(fam.pedigree, genos, model, 0.1)
    got = marker_likelihood(fam.pedigree, genos, model, theta=0.1)
    assert got == pytest.approx(want, rel=1e-10)


def test_theta_zero_is_unchanged_and_rare_match_weaker() -> None:
    base = lr(TRIO, {"Mo": ("a", "b")}, ("a", "c"))
    assert lr(TRIO, {"Mo": ("a", "b")}, ("a", "c"), theta=0.0) == base
    assert lr(TRIO, {"Mo": ("a", "b")}, ("a", "c"), theta=0.02) < base


@pytest.mark.parametrize("theta", [0.01, 0.1])
def test_expected_lr_over_unrelated_is_one_with_theta(theta) -> None:
    fam = family(SIBS, {"S": {"M": ("a", "b")}, "Mo": {"M": ("b", "c")}})
    total = 0.0
    for g in itertools.combinations_with_replacement("abcd", 2):
        r = missing_person_lr(fam, "C", Profile("POI", {"M": g}), TABLE, theta=theta)
        h2 = 10 ** r.markers[0].log10_h2
        lik_fam = marker_likelihood(
            fam.pedigree,
            fam.marker_genotypes("M"),
            build_marker_model(TABLE, "M", None),
            theta=theta,
        )
        total += r.lr * h2 / lik_fam  # P(POI genotype | family data, H2) * LR
    assert total == pytest.approx(1.0, abs=1e-10)


def test_quadrature_moments() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    theta = 0.05
    slots = [np.arange(4)] * 4
    q, w = dirichlet_quadrature(p, theta, slots)
    assert w.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(w @ q, p, atol=1e-14)
    # E[q_a^2] = p_a (theta + (1 - theta) p_a)
    np.testing.assert_allclose(w @ q**2, p * (theta + (1 - theta) * p), atol=1e-14)


def test_theta_out_of_range() -> None:
    with pytest.raises(ModelError):
        lr(TRIO, {"Mo": ("a", "b")}, ("a", "c"), theta=0.5)


# --- dropout and drop-in -------------------------------------------------------------


def test_parent_child_dropout_formula() -> None:
    d = 0.2
    dh = d * d
    pa = 0.1
    want = (pa * (1 - dh) + d * (1 - d)) / (
        2 * (pa**2 * (1 - dh) + 2 * pa * (1 - pa) * d * (1 - d))
    )
    got = lr(TRIO, {"Mo": ("a", "b")}, ("a", "F"), drop=DropModel(d))
    assert got == pytest.approx(want, rel=1e-12)
    # 12/12 and 12/F are the same observation under a dropout model
    assert lr(TRIO, {"Mo": ("a", "b")}, ("a", "a"), drop=DropModel(d)) == pytest.approx(got)
    # without dropout 12/F is a homozygote: LR = 1 / (2 p_a)
    assert lr(TRIO, {"Mo": ("a", "b")}, ("a", "F")) == pytest.approx(1 / (2 * pa))


def test_homozygous_remain_possible_dropout_rescues_exclusion() -> None:
    # mother c/d, remain shows only a: excluded without dropout...
    assert lr(TRIO, {"Mo": ("c", "d")}, ("a", "F")) == 0.0
    # ...still excluded with dropout alone (the mother's allele must be there or drop out,
    # but then a must come from the father): LR finite and small
    got = lr(TRIO, {"Mo": ("c", "d")}, ("a", "F"), drop=DropModel(0.3))
    d, dh, pa = 0.3, 0.09, 0.1
    want = (0.5 * pa * d * (1 - d) * 2) / (pa**2 * (1 - dh) + 2 * pa * (1 - pa) * d * (1 - d))
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(
    "drop", [DropModel(0.1), DropModel(0.25, 0.1, 0.05), DropModel(0.0, None, 0.1)]
)
@pytest.mark.parametrize("poi", [("a", "F"), ("a", "c"), ("c", "F")])
def test_dropout_dropin_against_brute_force(drop, poi) -> None:
    model = build_marker_model(SMALL, "M", None)
    fam = family(SIBS, {"S": {"M": ("a", "b")}})
    labels = list(model.alleles)
    w = observation_weights(poi, labels, model.freqs, drop)
    ped = fam.pedigree
    h1 = brute_force_likelihood(ped, {"S": ("a", "b")}, model, weights={"C": lambda i, j: w[i, j]})
    h2 = brute_force_likelihood(
        ped.add_singleton("POI"), {"S": ("a", "b")}, model, weights={"POI": lambda i, j: w[i, j]}
    )
    got = lr(SIBS, {"S": ("a", "b")}, poi, drop=drop, table=SMALL)
    assert got == pytest.approx(h1 / h2, rel=1e-10)


def test_dropout_zero_equals_plain() -> None:
    for poi in [("a", "c"), ("a", "a"), ("b", "d")]:
        assert lr(SIBS, {"S": ("a", "b")}, poi, drop=DropModel(0.0)) == pytest.approx(
            lr(SIBS, {"S": ("a", "b")}, poi), rel=1e-14
        )


def test_failed_marker_gives_lr_one() -> None:
    fam = family(TRIO, {"Mo": {"M": ("a", "b")}})
    r = missing_person_lr(fam, "C", Profile("POI", {}, drop=DropModel(0.5)), TABLE)
    assert r.lr == 1.0 and r.n_compared == 0


def test_expected_lr_with_dropout_is_one() -> None:
    d = 0.3
    drop = DropModel(d)
    fam = family(SIBS, {"S": {"M": ("a", "b")}})
    model = build_marker_model(TABLE, "M", None)
    total = 0.0
    observations = (
        [("x", None)] + [(a, "F") for a in "abcd"] + list(itertools.combinations("abcd", 2))
    )
    for obs in observations:
        if obs[0] == "x":  # nothing seen: P = d^2 under both hypotheses, LR 1
            total += d * d
            continue
        r = missing_person_lr(fam, "C", Profile("POI", {"M": obs}, drop=drop), TABLE)
        w = observation_weights(obs, list(model.alleles), model.freqs, drop)
        p_h2 = float(model.freqs @ w @ model.freqs)
        total += r.lr * p_h2
    assert total == pytest.approx(1.0, abs=1e-12)


def test_reference_dropout() -> None:
    fam = family(TRIO, {"Mo": {"M": ("c", "F")}})
    fam.drops["Mo"] = DropModel(0.2)
    poi = Profile("POI", {"M": ("a", "d")})
    r = missing_person_lr(fam, "C", poi, TABLE)
    assert 0 < r.lr < 10  # mother may be c/a with a dropped: not an exclusion


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
def test_bad_dropout(bad) -> None:
    with pytest.raises(ModelError):
        DropModel(bad)


def test_parse_dropout_notation() -> None:
    assert parse_genotype("12/F") == ("12", "F")
    assert parse_genotype("F/12") == ("12", "F")
    assert parse_genotype("12/-") == ("12", None)


# --- silent alleles ------------------------------------------------------------------


def test_silent_allele_parent_child() -> None:
    table = table_of({"M": {"a": 0.3, "b": 0.5, "silent": 0.2}})
    # mother a/a (could be a/silent), child b/b (could be b/silent): not an exclusion
    got = lr(TRIO, {"Mo": ("a", "a")}, ("b", "b"), table=table)
    ps, pa, pb = 0.2, 0.3, 0.5
    p_mo = pa * pa + 2 * pa * ps
    # child b/s needs mother a/s passing s (1/2) and father passing b
    num = (2 * pa * ps) / p_mo * 0.5 * pb
    den = pb * pb + 2 * pb * ps
    assert got == pytest.approx(num / den, rel=1e-12)


# --- command line ----------------------------------------------------------------------


def _files(tmp_path):
    (tmp_path / "f.ped").write_text(
        "id\tfid\tmid\tsex\tTH01\nFA\t0\t0\t1\t-/-\nMO\t0\t0\t2\t6/7\nMP\tFA\tMO\t1\t-/-\n"
    )
    (tmp_path / "poi.tsv").write_text("id\tTH01\nPOI\t6/F\n")
    (tmp_path / "fr.txt").write_text("TH01\n6\t0.2\n7\t0.3\n8\t0.5\n")
    return [
        "lr",
        "--ped",
        str(tmp_path / "f.ped"),
        "--poi",
        str(tmp_path / "poi.tsv"),
        "--freqs",
        str(tmp_path / "fr.txt"),
        "--missing",
        "MP",
    ]


def test_cli_theta_dropout(tmp_path, capsys) -> None:
    import json

    args = _files(tmp_path)
    assert main([*args, "--json", "--theta", "0.02", "--dropout", "0.1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["theta"] == 0.02 and math.isfinite(out["log10LR"])
    assert out["observation_model"] == "POI dropout 0.1"
    # the printed report states both models (a court reads this, not the JSON)
    assert main([*args, "--theta", "0.02", "--dropout", "0.1", "--ref-dropout", "0.05"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "theta = 0.02" in text and "Hardy-Weinberg" not in text
    assert "POI dropout 0.1" in text and "references dropout 0.05" in text


@pytest.mark.parametrize(
    "extra,msg",
    [
        (["--theta", "0.5"], "theta"),
        (["--dropout", "1.2"], "dropout"),
        (["--dropin", "-0.1"], "dropin"),
    ],
)
def test_cli_bad_model_parameters(tmp_path, capsys, extra, msg) -> None:
    code = main([*_files(tmp_path), *extra])
    assert code == 2
    assert msg in capsys.readouterr().err


def _relmix_probability(
    obs: set[str], genotype: tuple[str, str], freqs: dict[str, float], d: float, dh: float, c: float
) -> float:
    """Haned et al. (2012) / relMix: every allele seen or not independently."""
    prob = 1.0
    for allele, p in freqs.items():
        copies = genotype.count(allele)
        drop = 1.0 if copies == 0 else (d if copies == 1 else dh)
        not_seen = (1 - c * p) * drop
        prob *= (1 - not_seen) if allele in obs else not_seen
    return prob


@pytest.mark.parametrize("obs", [("a", "F"), ("a", "c"), ("d", "F")])
@pytest.mark.parametrize("drop", [DropModel(0.2, 0.05, 0.1), DropModel(0.4, None, 0.02)])
def test_observation_weights_follow_relmix(obs, drop) -> None:
    labels = list(P)
    w = observation_weights(obs, labels, np.array(list(P.values())), drop)
    seen = {a for a in obs if a != "F"}
    for i, x in enumerate(labels):
        for j, y in enumerate(labels):
            want = _relmix_probability(seen, (x, y), P, drop.dropout, drop.d_hom, drop.dropin)
            assert w[i, j] == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("drop", [DropModel(0.3, None, 0.05), DropModel(0.3, 0.02, 0.05)])
def test_lumped_space_keeps_dropin_constant_exact(drop) -> None:
    """LR and both likelihoods agree whether or not unobserved alleles are lumped."""
    big = table_of({"M": {str(i): 0.1 for i in range(10)}})
    fam = family(TRIO, {"Mo": {"M": ("1", "2")}})
    poi = Profile("POI", {"M": ("1", "F")}, drop=drop)
    lumped = missing_person_lr(fam, "C", poi, big).markers[0]
    full = missing_person_lr(
        fam, "C", poi, big, MutationSpec("stepwise", 1e-12, 1e-12, 0.0, 0.0, 0.5, 0.5)
    ).markers[0]
    assert lumped.log10_h1 == pytest.approx(full.log10_h1, abs=1e-9)
    assert lumped.log10_h2 == pytest.approx(full.log10_h2, abs=1e-9)


def test_case_folder_with_theta_and_dropout(tmp_path, capsys) -> None:
    import json
    import shutil

    from .conftest import public_cases

    cases = public_cases()
    if not cases:
        pytest.skip("../shared is not present")
    folder = tmp_path / "case"
    shutil.copytree(cases[0], folder)
    meta = json.loads((folder / "case.json").read_text())
    meta.update(theta=0.02, dropout={"poi": 0.1}, dropin=0.01)
    (folder / "case.json").write_text(json.dumps(meta))
    assert main(["lr", "--case", str(folder), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["theta"] == 0.02
    base = meta["expected"]["log10LR_total"]
    assert math.isfinite(out["log10LR"]) and out["log10LR"] < base
