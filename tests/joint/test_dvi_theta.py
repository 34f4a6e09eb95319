"""Joint identification under theta: each family with the victims placed on it is one
sample of the subpopulation (exact, nasab.engine.theta); unassigned victims are single persons."""

from __future__ import annotations

import itertools
import json
import math
import shutil

import numpy as np
import pytest

from nasab.cli import main
from nasab.engine.genotypes import is_typed
from nasab.engine.likelihood import marker_likelihood
from nasab.engine.lr import missing_person_lr
from nasab.engine.observation import observed_alleles
from nasab.engine.theta import single_person
from nasab.joint.assignments import JointSolver
from nasab.joint.problem import read_dvi
from nasab.joint.terms import FamilyTerms

THETA = 0.03


def _with_theta(dvi_root, tmp_path, name: str, theta) -> object:
    folder = tmp_path / name
    shutil.copytree(dvi_root / name, folder)
    meta = json.loads((folder / "dvi.json").read_text())
    meta["theta"] = theta
    (folder / "dvi.json").write_text(json.dumps(meta))
    return folder


def _expected_log10_r(terms: FamilyTerms, problem, fam_name: str, placed: dict) -> float:
    """log10 r_f(S) from its definition, with the engine's marker likelihood only: the
    victims on their MPs over the victims as unrelated founders beside the family."""
    fam = problem.families[fam_name]
    total = 0.0
    for mk in terms.markers:
        model = terms.models[mk]
        genos = fam.marker_genotypes(mk)
        with_v, unrel = dict(genos), dict(genos)
        ped2 = fam.pedigree
        for m, v in placed.items():
            g = problem.victim(v).genotype(mk)
            if is_typed(g):
                with_v[m] = g
                ped2 = ped2.add_singleton("unrelated_" + v)
                unrel["unrelated_" + v] = g
        num = marker_likelihood(fam.pedigree, with_v, model, theta=THETA)
        den = marker_likelihood(ped2, unrel, model, theta=THETA)
        total += math.log10(num) - math.log10(den) if num > 0 else -math.inf
    return total


def test_theta_zero_changes_nothing(dvi_root, tmp_path) -> None:
    base = JointSolver(read_dvi(dvi_root / "example2")).pairwise()
    same = JointSolver(read_dvi(_with_theta(dvi_root, tmp_path, "example2", 0))).pairwise()
    assert same == base


@pytest.mark.parametrize("name", ["example2", "KETPchap484"])
def test_family_terms_follow_the_definition(dvi_root, tmp_path, name) -> None:
    problem = read_dvi(_with_theta(dvi_root, tmp_path, name, THETA))
    assert problem.theta == THETA
    terms = FamilyTerms(problem)
    victims = [v.id for v in problem.victims]
    checked = 0
    for f in problem.families:
        mps = problem.family_missing(f)
        # every single victim on every MP, through the batched extend() path
        for m in mps:
            got = terms.extend(f, (), m, victims)
            for v in victims:
                want = _expected_log10_r(terms, problem, f, {m: v})
                assert got[v] == pytest.approx(want, abs=1e-9) or got[v] == want == -math.inf
                checked += 1
        # two victims in one family (one urn for the family and both remains)
        for (m1, m2), (v1, v2) in itertools.product(
            itertools.combinations(mps, 2), itertools.permutations(victims, 2)
        ):
            sub = tuple(sorted(((m1, v1), (m2, v2))))
            got = terms.log10_lr(f, sub)
            want = _expected_log10_r(terms, problem, f, {m1: v1, m2: v2})
            assert got == pytest.approx(want, abs=1e-9) or got == want == -math.inf
            checked += 1
    assert checked >= 6


def test_pairwise_is_nasab_lr_theta(dvi_root, tmp_path) -> None:
    problem = read_dvi(_with_theta(dvi_root, tmp_path, "KETPchap484", THETA))
    pairwise = JointSolver(problem).pairwise()
    checked = 0
    for v in problem.victims:
        for m, f in problem.missing.items():
            got = pairwise[v.id][m]
            if got is None:
                continue
            ref = missing_person_lr(
                problem.families[f],
                m,
                v,
                problem.table,
                problem.mutations,
                problem.markers,
                theta=THETA,
            ).log10_lr
            assert got == pytest.approx(ref, abs=1e-9) or got == ref == -math.inf
            checked += 1
    assert checked >= 8


def test_joint_solve_under_theta(dvi_root, tmp_path) -> None:
    problem = read_dvi(_with_theta(dvi_root, tmp_path, "KETPchap484", THETA))
    base = JointSolver(read_dvi(dvi_root / "KETPchap484")).solve(top=5)
    res = JointSolver(problem).solve(top=5)
    assert res.assignments[0].pairs == base.assignments[0].pairs
    # theta weakens the evidence of the best assignment (shared alleles are less surprising)
    assert 0 < res.assignments[0].log10_lr < base.assignments[0].log10_lr
    assert 0 < res.assignments[0].posterior <= 1


def test_single_person_is_the_two_draw_urn() -> None:
    p = np.array([0.1, 0.3, 0.6])
    got = single_person(p, THETA)
    assert got.sum() == pytest.approx(1.0)
    assert got[0, 0] == pytest.approx(0.1 * (THETA + (1 - THETA) * 0.1))
    assert got[0, 1] == pytest.approx((1 - THETA) * 0.1 * 0.3)
    np.testing.assert_array_equal(single_person(p, 0.0), np.outer(p, p))


def test_cli_theta(dvi_root, tmp_path, capsys) -> None:
    folder = _with_theta(dvi_root, tmp_path, "example2", THETA)
    assert main(["joint", "--dvi", str(folder), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["theta"] == THETA and "each family" in out["theta_model"]
    assert main(["joint", "--dvi", str(folder), "--json", "--theta", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["theta"] == 0


@pytest.mark.parametrize("bad", [0.5, -0.1, "x"])
def test_bad_theta_is_refused(dvi_root, tmp_path, capsys, bad) -> None:
    folder = _with_theta(dvi_root, tmp_path, "example2", bad)
    assert main(["joint", "--dvi", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "theta" in err and "dvi.json" in err and "Traceback" not in err


def test_bad_theta_option(dvi_root, capsys) -> None:
    assert main(["joint", "--dvi", str(dvi_root / "example2"), "--theta", "0.7"]) == 2
    assert "--theta" in capsys.readouterr().err


def test_victim_alleles_are_in_the_model(dvi_root, tmp_path) -> None:
    problem = read_dvi(_with_theta(dvi_root, tmp_path, "example2", THETA))
    terms = FamilyTerms(problem)
    for v in problem.victims:
        for mk in terms.markers:
            assert set(observed_alleles(v.genotype(mk))) <= set(terms.models[mk].alleles)


def test_growing_sub_assignment_with_an_untyped_marker(dvi_root, tmp_path) -> None:
    """Extending a cached sub-assignment by a victim with an untyped marker: the family term
    at that marker comes from the cached likelihood of the smaller sub-assignment, which must
    be a likelihood (not a ratio) under theta."""
    folder = _with_theta(dvi_root, tmp_path, "KETPchap484", THETA)
    rows = (folder / "victims.tsv").read_text().splitlines()
    cells = rows[2].split("\t")
    cells[3] = "-/-"  # V2 untyped at TH01
    rows[2] = "\t".join(cells)
    (folder / "victims.tsv").write_text("\n".join(rows) + "\n")
    problem = read_dvi(folder)
    terms = FamilyTerms(problem)
    victims = [v.id for v in problem.victims]
    m1, m2 = problem.family_missing("F2")
    terms.extend("F2", (), m1, victims)  # caches the one-victim terms
    for v1 in victims:
        others = [v for v in victims if v != v1]
        got = terms.extend("F2", ((m1, v1),), m2, others)
        for v2 in others:
            want = _expected_log10_r(terms, problem, "F2", {m1: v1, m2: v2})
            assert got[v2] == pytest.approx(want, abs=1e-9) or got[v2] == want == -math.inf
