"""Joint identification's family terms in log space: tiny allele frequencies and many
markers do not underflow (issue 13's leftover), checked against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.pedigree import Pedigree
from nasab.joint.assignments import JointSolver
from nasab.joint.problem import DVIProblem
from nasab.joint.solve import dvi_solve
from nasab.joint.terms import FamilyTerms

N_MARKERS = 40


def _problem(eps: float) -> DVIProblem:
    """Father FA typed homozygous for a rare allele c (frequency ``eps``) at every marker,
    his missing son C; remains V1 = (a, c), V2 = (b, c), V3 = (c, c); no mutation.

    Closed forms per marker (the mother untyped): P(son = {a, c} | FA = cc) = p_a, HW
    2 p_a p_c, so LR(V1 = C) = LR(V2 = C) = 1 / (2 eps); LR(V3 = C) = p_c / p_c**2 =
    1 / eps. The family's own likelihood is eps**2 per marker (1e-400 for eps = 1e-200)."""
    markers = {}
    for i in range(N_MARKERS):
        name = f"T{i + 1}"
        markers[marker_key(name)] = MarkerFrequencies(
            name, ["10", "11", "12"], np.array([0.5, 0.5 - eps, eps])
        )
    tab = FrequencyTable(markers, source="tiny")
    names = [m.name for m in markers.values()]
    ped = Pedigree.from_records(
        [("FA", None, None, 1), ("MO", None, None, 2), ("C", "FA", "MO", 1)]
    )
    fam = Family(ped, names, {"FA": {marker_key(n): ("12", "12") for n in names}}, "F1")

    def victim(vid: str, g: tuple[str, str]) -> Profile:
        return Profile(vid, {marker_key(n): g for n in names}, 1, names)

    victims = [victim("V1", ("10", "12")), victim("V2", ("11", "12")), victim("V3", ("12", "12"))]
    return DVIProblem({"F1": fam}, {"C": "F1"}, victims, tab, {}, names)


@pytest.mark.parametrize("eps", [1e-60, 1e-100, 1e-200])
def test_pairwise_and_joint_against_closed_form(eps):
    p = _problem(eps)
    pw = JointSolver(p).pairwise()
    one = N_MARKERS * -math.log10(2 * eps)
    three = N_MARKERS * -math.log10(eps)
    assert pw["V1"]["C"] == pytest.approx(one, abs=1e-6)
    assert pw["V2"]["C"] == pytest.approx(one, abs=1e-6)
    assert pw["V3"]["C"] == pytest.approx(three, abs=1e-6)
    # the family's own likelihood: eps**2 per marker, in log10
    terms = FamilyTerms(p)
    assert terms.base["F1"] == pytest.approx(N_MARKERS * 2 * math.log10(eps), abs=1e-6)
    # the exact joint: V3 = C is best, its LR the closed form; posteriors sum to 1
    res = JointSolver(p).solve(top=10)
    assert res.assignments[0].pairs == {"V3": "C"}
    assert res.assignments[0].log10_lr == pytest.approx(three, abs=1e-6)
    assert sum(a.posterior for a in res.assignments) == pytest.approx(1.0, abs=1e-12)
    # the conclusions: V3 undisputed (its LR beyond the floating-point range: inf, not an
    # overflow), the others left unmatched
    c = dvi_solve(p)
    (row,) = c.am
    assert (row.missing, row.sample, row.conclusion) == ("C", "V3", "Undisputed")
    assert row.lr == (math.inf if three > 308 else pytest.approx(10.0**three, rel=1e-9))


def test_one_victim_per_table_and_batched_agree():
    """The batched open table (several victims at once) and the victim placed in the
    network (one victim) give the same tiny-frequency LRs."""
    p = _problem(1e-200)
    batched = JointSolver(p).pairwise()
    alone = {v.id: JointSolver(p.subset(victims=[v.id])).pairwise()[v.id]["C"] for v in p.victims}
    for vid, x in alone.items():
        assert x == pytest.approx(batched[vid]["C"], abs=1e-9)
