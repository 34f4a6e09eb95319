"""Which extra reference would break a symmetry of a DVI analysis (tied assignments that
differ only by permuting victims over a set of missing persons): ``suggest_resolution``."""

from __future__ import annotations

import math

import numpy as np

from nasab.engine.genotypes import Family, is_typed
from nasab.engine.pedigree import Pedigree, Person
from nasab.joint.conclusions import Symmetry
from nasab.joint.problem import NEG_INF, DVIProblem
from nasab.joint.terms import FamilyTerms, _genotype_log10, fast_marker_log10, fast_open_table


def _swap_invariant(ped: Pedigree, a: str, b: str) -> bool:
    """Is exchanging ``a`` and ``b`` (everyone else fixed) an automorphism of the pedigree
    (same parents, same sex, no children of their own that would move)?"""
    swap = {a: b, b: a}

    def m(x: str | None) -> str | None:
        return None if x is None else swap.get(x, x)

    same = {(p.id, p.father, p.mother, p.sex) for p in ped.persons}
    return {(m(p.id), m(p.father), m(p.mother), p.sex) for p in ped.persons} == same


def _candidate_references(problem: DVIProblem, fam: Family, sym: Symmetry):
    """(label, family with the candidate as the untyped person ``_H``): a child of each
    MP of the symmetry, and each untyped member of the pedigree who is not missing. When
    exchanging the first two MPs is an automorphism of the pedigree, a child of the second
    is the mirror image of a child of the first (given as that one's label instead of a
    family: the same answer), and no other member can break the tie."""
    ped = fam.pedigree
    f = sym.family
    m_a, m_b = sym.missing[0], sym.missing[1]
    mirror = _swap_invariant(ped, m_a, m_b)
    for m in sym.missing:
        p = ped[m]
        if p.sex in (1, 2):
            if mirror and m == m_b:  # the mirror image of a child of m_a: the same answer
                yield f"a child of {m}", f"a child of {m_a}"
                continue
            spouse = Person("_SPOUSE", None, None, 3 - p.sex)
            child = Person("_H", m if p.sex == 1 else "_SPOUSE", "_SPOUSE" if p.sex == 1 else m, 1)
            newped = Pedigree((*ped.persons, spouse, child), source=ped.source)
            yield f"a child of {m}", Family(newped, fam.markers, fam.genotypes, f)
    if mirror:
        # exchanging the two MPs maps the pedigree onto itself and fixes every other
        # member: data on such a member keeps the tie exactly (no need to compute it)
        return
    typed = set(fam.typed_persons())
    for pid in ped.ids:
        if pid in typed or pid in problem.missing:
            continue
        yield (
            f"{pid} (in the pedigree, untyped)",
            Family(ped.relabel({pid: "_H"}), fam.markers, fam.genotypes, f),
        )


def _test_log10(ped, genos, drops, model, h, table, space, scale, theta) -> float:
    """log10 P(data, ``_H`` typed ``h``) read from ``_H``'s open table (the network
    itself where the table is beyond the floating-point range)."""
    x = _genotype_log10(table, scale, space, h, None)
    if math.isnan(x):
        x = fast_marker_log10(ped, {**genos, "_H": h}, model, drops or None, theta)
    return x


def _breaks_tie(ped, terms0: FamilyTerms, placed_a: dict, placed_b: dict, theta: float) -> bool:
    """Whether a test genotype on ``_H`` (at each marker the most probable one given the
    family and assignment a, on the marker's full allele list) makes the likelihoods of
    the tied assignments a and b differ. The same victims in both: the family's own
    likelihood and their HW cancel."""
    la = lb = 0.0
    for mk in terms0.markers:
        model = terms0.models[mk]
        (ga, da), (gb, db) = placed_a[mk], placed_b[mk]
        ta, sa, fa = fast_open_table(
            ped, ga, model, "_H", (), drops=da or None, lumpable=False, theta=theta
        )
        i, j = np.unravel_index(int(np.argmax(ta)), ta.shape)
        h = (model.alleles[i], model.alleles[j])
        tb, sb, fb = fast_open_table(ped, gb, model, "_H", h, drops=db or None, theta=theta)
        la += _test_log10(ped, ga, da, model, h, ta, sa, fa, theta)
        lb += _test_log10(ped, gb, db, model, h, tb, sb, fb, theta)
    if la == lb == NEG_INF:
        return False
    return (la == NEG_INF) != (lb == NEG_INF) or abs(la - lb) > 1e-6


def suggest_resolution(problem: DVIProblem, fams: dict[str, Family], sym: Symmetry) -> list[str]:
    """Which extra reference would break a symmetry: for each candidate relative (a child
    of one of the MPs, an untyped member of the pedigree), place a test genotype on them
    (at each marker the most probable genotype given the family with the victims of the
    first tied assignment) and check whether the tied assignments still have equal
    likelihoods. Those that make them differ are listed. Each candidate costs two open
    tables per marker (the test genotype's likelihood under both assignments is read
    from them)."""
    f = sym.family
    fam = fams[f]
    if len(sym.missing) < 2:
        return []
    m_a, m_b = sym.missing[0], sym.missing[1]
    v0 = sym.victims[0]
    others = sym.victims[1:2]
    # the two tied assignments
    a = [(m_a, v0)] + ([(m_b, others[0])] if others else [])
    b = [(m_b, v0)] + ([(m_a, others[0])] if others else [])
    # The candidates add untyped persons only: the data (the family's, and the victims of
    # each tied assignment on their MPs) and the marker models are the same for all.
    terms0 = FamilyTerms(
        problem.subset(victims=sym.victims, missing=sym.missing, families={f: fam}), strict=False
    )

    def with_victims(mk: str, sub: list[tuple[str, str]]) -> tuple[dict, dict]:
        genos = dict(terms0._fam_genos[f][mk])
        drops = {}
        for m, v in sub:
            g = terms0.vgeno[v][mk]
            if is_typed(g):
                genos[m] = g
                if terms0.vdrop[v][mk] is not None:
                    drops[m] = terms0.vdrop[v][mk]
        return genos, drops

    placed_a = {mk: with_victims(mk, a) for mk in terms0.markers}
    placed_b = {mk: with_victims(mk, b) for mk in terms0.markers}
    breaks: dict[str, bool] = {}
    for label, cf in _candidate_references(problem, fam, sym):
        if isinstance(cf, str):  # a mirror image: the answer of the candidate it mirrors
            breaks[label] = breaks.get(cf, False)
        else:
            breaks[label] = _breaks_tie(cf.pedigree, terms0, placed_a, placed_b, problem.theta)
    return [label for label, yes in breaks.items() if yes]
