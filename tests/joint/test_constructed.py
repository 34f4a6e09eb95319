"""Constructed DVI cases with known answers, and invariants."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.pedigree import Pedigree
from nasab.joint.assignments import JointSolver, solve_joint
from nasab.joint.cli import main as joint_main
from nasab.joint.problem import DVIProblem
from nasab.joint.solve import dvi_solve
from nasab.sim.synth import drop_genes


def table(n_markers: int = 30, n_alleles: int = 8, seed: int = 11) -> FrequencyTable:
    rng = np.random.default_rng(seed)
    markers = {}
    for i in range(n_markers):
        name = f"L{i + 1}"
        alleles = [str(a + 7) for a in range(n_alleles)]
        markers[marker_key(name)] = MarkerFrequencies(
            name, alleles, rng.dirichlet(np.ones(n_alleles) * 3)
        )
    return FrequencyTable(markers, source="synthetic")


def problem(records, missing, typed, truth, tab, seed=1, extra_victims=()):
    """A one-family DVI problem simulated by gene dropping; ``truth`` maps victim id ->
    the pedigree member whose profile it is."""
    ped = Pedigree.from_records(records)
    markers = [m.name for m in tab.markers.values()]
    sim = drop_genes(ped, tab, markers, np.random.default_rng(seed))
    fam = Family(ped, markers, {p: sim[p] for p in typed}, "F1")
    victims = [Profile(v, sim[who], ped[who].sex, markers) for v, who in truth.items()]
    victims += list(extra_victims)
    return DVIProblem({"F1": fam}, dict.fromkeys(missing, "F1"), victims, tab, {}, markers)


BROTHERS = [
    ("FA", None, None, 1),
    ("MO", None, None, 2),
    ("B1", "FA", "MO", 1),
    ("B2", "FA", "MO", 1),
    ("B3", "FA", "MO", 1),
]


def test_two_brothers_mother_typed_symmetric():
    p = problem(BROTHERS, ["B1", "B2"], ["MO"], {"V1": "B1"}, table())
    res = solve_joint(p)
    assert math.isclose(res.pairwise["V1"]["B1"], res.pairwise["V1"]["B2"], abs_tol=1e-9)
    a, b = res.assignments[:2]
    assert math.isclose(a.log10_lr, b.log10_lr, abs_tol=1e-9)
    assert {a.pairs["V1"], b.pairs["V1"]} == {"B1", "B2"}
    c = dvi_solve(p)
    concl = {r.missing: r.conclusion for r in c.am}
    assert concl == {"B1": "Symmetric match", "B2": "Symmetric match"}
    (sym,) = c.symmetries
    assert sym.victims == ["V1"] and sym.missing == ["B1", "B2"]
    assert "one of full siblings B1 or B2" in sym.statement()
    assert "a child of B1" in sym.resolvers  # a child breaks the tie


def test_third_brother_typed_still_symmetric():
    p = problem(BROTHERS, ["B1", "B2"], ["MO", "B3"], {"V1": "B1"}, table())
    c = dvi_solve(p)
    assert {r.conclusion for r in c.am} == {"Symmetric match"}
    assert len(c.symmetries) == 1


def test_half_brothers_father_typed_resolved():
    recs = [
        ("FA1", None, None, 1),
        ("FA2", None, None, 1),
        ("MO", None, None, 2),
        ("B1", "FA1", "MO", 1),
        ("B2", "FA2", "MO", 1),
    ]
    p = problem(recs, ["B1", "B2"], ["MO", "FA1"], {"V1": "B1"}, table())
    res = solve_joint(p)
    assert res.assignments[0].pairs == {"V1": "B1"}
    assert res.assignments[0].log10_lr > res.assignments[1].log10_lr + 4
    c = dvi_solve(p)
    assert not c.symmetries
    row = next(r for r in c.am if r.missing == "B1")
    assert row.conclusion in ("Undisputed", "Match (GLR)") and row.sample == "V1"


def test_suggestion_is_checked_not_assumed():
    # with the father of one of two half brothers typed, the symmetry is already broken;
    # with full brothers and only the mother typed, "the other brother's father" is not
    # in the pedigree as a separate person, so only children are offered
    p = problem(BROTHERS, ["B1", "B2"], ["MO"], {"V1": "B1"}, table(), seed=5)
    (sym,) = dvi_solve(p).symmetries
    assert "FA (in the pedigree, untyped)" not in sym.resolvers  # shared father: no help


def _random_case(seed: int):
    tab = table(12, 5, seed=seed)
    truth = {"V1": "B1", "V2": "B2", "V3": "FA"}
    return problem(BROTHERS, ["B1", "B2", "B3"], ["MO"], truth, tab, seed=seed)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000))
def test_posteriors_sum_to_one(seed):
    p = _random_case(seed)
    res = JointSolver(p).solve(top=10_000)
    assert len(res.assignments) == res.n_nonzero
    assert abs(sum(a.posterior for a in res.assignments) - 1) < 1e-9
    odds = JointSolver(p).solve(top=10_000, match_odds=0.1)
    assert abs(sum(a.posterior for a in odds.assignments) - 1) < 1e-9


def _rounded(row: dict) -> dict:
    return {
        k: float(f"{x:.10g}") if isinstance(x, float) and math.isfinite(x) else x
        for k, x in row.items()
    }


@settings(max_examples=4, deadline=None)
@given(st.integers(0, 10_000))
def test_unrelated_remain_changes_no_conclusion(seed):
    p = _random_case(seed)
    before = dvi_solve(p)
    # an unrelated remain excluded against everyone: homozygous for an allele the mother
    # lacks at every marker
    mo = p.families["F1"].genotypes["MO"]
    genos = {}
    for mk in p.markers:
        alleles = p.table[mk].alleles
        a = next(x for x in alleles if x not in mo[marker_key(mk)])
        genos[marker_key(mk)] = (a, a)
    extra = Profile("VX", genos, 1, p.markers)
    p2 = DVIProblem(p.families, p.missing, [*p.victims, extra], p.table, {}, p.markers)
    after = dvi_solve(p2)
    # the same rows; LRs equal up to rounding (the extra remains widen the allele space of
    # the batched open tables, so sums run in another order)
    assert [_rounded(r.am()) for r in after.am] == [_rounded(r.am()) for r in before.am]
    assert [_rounded(r.pm()) for r in after.pm if r.sample != "VX"] == [
        _rounded(r.pm()) for r in before.pm
    ]
    vx = next(r for r in after.pm if r.sample == "VX")
    assert vx.conclusion == "Excluded"


def test_cli_bad_input(tmp_path, capsys):
    (tmp_path / "dvi.json").write_text("{not json")
    assert joint_main(["--dvi", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "dvi.json" in err and "Traceback" not in err


def test_not_identifiable():
    recs = [*BROTHERS, ("LONE", None, None, 1)]
    p = problem(recs, ["B1", "LONE"], ["MO"], {"V1": "B1"}, table())
    c = dvi_solve(p)
    row = next(r for r in c.am if r.missing == "LONE")
    assert row.conclusion == "Not identifiable"
    assert next(r for r in c.am if r.missing == "B1").sample == "V1"


def test_cli_json_structure(dvi_root, capsys):
    import json

    assert joint_main(["--dvi", str(dvi_root / "fire"), "--json", "--top", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {
        "pairwise",
        "assignments",
        "conclusions",
        "method",
        "prior",
        "frequency_table",
        "n_assignments",
    }
    lrs = [a["log10LR"] for a in out["assignments"]]
    assert lrs == sorted(lrs, reverse=True) and len(lrs) == 5
    assert out["assignments"][0]["assignment"] == {"V1": "M1", "V2": "M2", "V3": "M3"}
    kinds = {(r["table"], r["Missing"]): r["Conclusion"] for r in out["conclusions"]}
    assert kinds[("AM", "M2")] == "Symmetric match"
    assert out["symmetric"][0]["would_resolve"]
    assert joint_main(["--dvi", str(dvi_root / "fire")]) == 0  # the rich report
    assert "Cannot be resolved by DNA" in capsys.readouterr().out


def test_cli_answers_in_proportion(dvi_root, capsys):
    """--answer conclusions: pairwise and conclusions, no joint enumeration; --answer joint:
    the exact joint, no conclusions; the same pairwise LRs and conclusions as --answer all."""
    import json

    folder = str(dvi_root / "fire")
    out = {}
    for answer in ("all", "conclusions", "joint"):
        assert joint_main(["--dvi", folder, "--json", "--answer", answer]) == 0
        out[answer] = json.loads(capsys.readouterr().out)
    assert "assignments" not in out["conclusions"] and "n_assignments" not in out["conclusions"]
    assert "conclusions" not in out["joint"] and out["joint"]["assignments"]
    assert out["conclusions"]["conclusions"] == out["all"]["conclusions"]
    assert out["joint"]["assignments"] == out["all"]["assignments"]
    for v, row in out["all"]["pairwise"].items():
        for m, x in row.items():
            y = out["conclusions"]["pairwise"][v][m]
            assert (x is None and y is None) or abs(x - y) <= 1e-12 * max(1.0, abs(x))
    assert set(out["conclusions"]["seconds"]) == {"conclusions"}
    assert joint_main(["--dvi", folder, "--answer", "conclusions"]) == 0  # the report
    assert "Cannot be resolved by DNA" in capsys.readouterr().out


def test_equal_lrs_listed_in_a_fixed_order():
    """Assignments with equal LRs (the same number along other contraction orders) are
    listed by the MPs given to the victims, whatever order rounding left them in."""
    from nasab.joint.assignments import Assignment, _ties_in_order

    a = Assignment({"V1": "M2"}, 1.0 + 1e-15)
    b = Assignment({"V1": "M1"}, 1.0)
    c = Assignment({"V2": "M1"}, 1.0 - 1e-14)
    d = Assignment({}, 0.5)
    for order in ([a, b, c, d], [c, b, a, d], [b, c, a, d]):
        got = _ties_in_order(order, ["V1", "V2"])
        assert [x.pairs for x in got] == [{"V1": "M1"}, {"V1": "M2"}, {"V2": "M1"}, {}]
