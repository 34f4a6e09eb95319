"""Conclusions of a DVI analysis in the field's vocabulary, following dvir's ``dviSolve``
(dvir 3.4.2, reconstructed from its documented behaviour and its answers on its twelve
example datasets).

Pipeline (thresholds as dvir's defaults: ``threshold`` 1e4, ``threshold2`` 1e3,
``max_incomp`` 2):

1. **Not identifiable**: a missing person (MP) not linked by any chain of parent-child
   links to a typed reference (nor to another MP) can never be identified by DNA.
2. Repeat until nothing changes:
   a. **Exclusions**: a pairing V=M is removed when more than ``max_incomp`` markers are
      incompatible without mutation (forrel's ``findExclusions``); a victim or MP left
      with no pairing is *Excluded* (comment: the least number of inconsistencies, or
      "No compatible pairings").
   b. **Undisputed**: V=M with pairwise LR > ``threshold`` and every other LR in V's row
      and M's column at most LR / ``threshold`` (dvir's findUndisputed, as its answers on
      icmp and grave show); the victim's profile is then placed on M in the family (it
      becomes a reference) and the LRs are recomputed, step after step. Pairings whose
      LR is 0 are dropped.
3. **Family by family** (AM-driven) on what remains:
   * one MP left: the LRs of the remaining victims; one above ``threshold2``:
     *Probable*; several: *Disputed*; none: *Inconclusive* (best LR >= 1) or *No match*;
   * several MPs: the exact joint analysis of the family with the remaining victims, and
     the generalised LR (GLR: best assignment with the pairing over best without). A
     pairing of the best assignment with GLR >= ``threshold`` is a *Match (GLR)*; when
     the best assignments tie and differ only by permuting victims over a set of MPs
     (brothers), the set is a *Symmetric match* (GLR of the set >= ``threshold``): the
     DNA cannot say which of them each victim is.
4. Victims left: the same one-MP rule from the victim's side (Probable / Disputed /
   Inconclusive / No match).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from nasab.engine.genotypes import Family, is_typed
from nasab.engine.pedigree import Pedigree
from nasab.joint.assignments import JointSolver
from nasab.joint.conclusions import (
    Conclusions,
    Row,
    Symmetry,
    connected_to_typed,
    relation,
)
from nasab.joint.problem import (
    NEG_INF,
    NULL,
    DVIProblem,
    lr_from_log10,
    marker_spec,
    sex_compatible,
)
from nasab.joint.resolution import (
    suggest_resolution,
)
from nasab.joint.terms import FamilyTerms

TIE = 1e-8  # log10 tolerance for equal likelihoods (symmetry)


@dataclass
class _State:
    """What DVISolve.run carries from pass to pass."""

    fams: dict[str, Family]
    missing: set[str]
    victims: set[str]
    pairs: set[tuple[str, str]] = field(default_factory=set)
    am: dict[str, Row] = field(default_factory=dict)
    pm: dict[str, Row] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    symmetries: list[Symmetry] = field(default_factory=list)
    ustep: int = 0


def _excluded_comment(counts: list[int]) -> str:
    return f"{min(counts)}+ inconsistencies" if counts else "No compatible pairings"


def _lr(x: float | None) -> float | None:
    if x is None:
        return None
    return lr_from_log10(x)


class DVISolve:
    def __init__(
        self,
        problem: DVIProblem,
        *,
        threshold: float = 1e4,
        threshold2: float = 1e3,
        max_incomp: int = 2,
        terms: FamilyTerms | None = None,
    ):
        """``terms``: family terms of ``problem`` already computed (by the exact joint of
        the same problem), reused so that no pairing is computed twice."""
        self.orig = problem
        self.threshold = threshold
        self.threshold2 = threshold2
        self.max_incomp = max_incomp
        self.lt = math.log10(threshold)
        self.lt2 = math.log10(threshold2)
        self._kept: dict[bool, tuple[dict[str, Family], FamilyTerms]] = {}
        # Without any mutation model the exclusion counts (likelihood 0 without mutation)
        # come from the very terms of the LRs: one set of terms, not two.
        self._no_mutation = all(
            (spec := marker_spec(problem.mutations, mk)) is None or spec.is_trivial
            for mk in problem.markers
        )
        if terms is not None:
            self._kept[False] = (dict(problem.families), terms)

    def pairwise(self) -> dict[str, dict[str, float | None]]:
        """log10 pairwise LR of every victim with every missing person (None: other sex),
        from the terms the conclusions then reuse. Call before :meth:`run`."""
        _, terms = self._terms(
            dict(self.orig.families), set(self.orig.missing), {v.id for v in self.orig.victims}
        )
        return JointSolver(self.orig, terms=terms).pairwise()

    # ------------------------------------------------------------------------------------
    def _terms(
        self, fams: dict[str, Family], missing: set[str], victims: set[str], disable: bool = False
    ) -> tuple[DVIProblem, FamilyTerms]:
        """The problem left and its family terms. The terms (and their caches) are kept
        from pass to pass: a family term does not depend on which other victims or MPs
        are left, and a family changed by a placed victim has its own terms recomputed
        (the other families' stay), so a later pass finds its pairings computed."""
        p = self.orig.subset(victims=victims, missing=missing, families=fams)
        disable = disable and not self._no_mutation
        kept = self._kept.get(disable)
        if kept is None or kept[0].keys() != fams.keys():
            terms = FamilyTerms(
                self.orig.subset(families=fams), disable_mutations=disable, strict=False
            )
            kept = self._kept[disable] = (dict(fams), terms)  # holds the families
        else:
            for f, fam in fams.items():
                if kept[0][f] is not fam:
                    kept[1].replace_family(f, fam)
                    kept[0][f] = fam
        if not disable:
            kept[1].check(p.families)  # impossible references refused, as before
        return p, kept[1]

    def _incompatibilities(
        self, terms0: FamilyTerms, pairs: set[tuple[str, str]], missing: dict[str, str]
    ) -> dict[tuple[str, str], int]:
        """For each pairing (v, m): the markers where v, placed on m, is impossible without
        mutation (v typed there), from one open table per missing person and marker."""
        counts: dict[tuple[str, str], int] = {}
        for m in sorted({m for _, m in pairs}):
            vs = sorted(v for v, mm in pairs if mm == m)
            per = terms0.pair_markers(missing[m], m, vs)
            for v in vs:
                counts[(v, m)] = sum(
                    1
                    for mk, x in zip(terms0.markers, per[v], strict=True)
                    if x == NEG_INF and is_typed(terms0.vgeno[v][mk])
                )
        return dict(sorted(counts.items()))

    def _pair_lrs(
        self, problem: DVIProblem, terms: FamilyTerms, pairs: set[tuple[str, str]]
    ) -> dict[tuple[str, str], float]:
        """log10 LR of every pairing, batched per missing person (one open table per
        marker for all its victims)."""
        out: dict[tuple[str, str], float] = {}
        for m in sorted({m for _, m in pairs}):
            vs = sorted(v for v, mm in pairs if mm == m)
            vals = terms.extend(problem.missing[m], (), m, vs)
            out.update(((v, m), vals[v]) for v in vs)
        return out

    def run(self) -> Conclusions:
        """The conclusions: not identifiable, then exclusions and undisputed pairings until
        nothing changes, then family by family, then the victims left (module notes)."""
        P = self.orig
        st = _State(dict(P.families), set(P.missing), {v.id for v in P.victims})
        vsex = {v.id: v.sex for v in P.victims}
        st.pairs = {
            (v, m) for v in st.victims for m in st.missing if sex_compatible(vsex[v], P.mp_sex(m))
        }
        self._not_identifiable(st)
        while True:
            changed = False
            if st.missing and st.victims:
                changed = self._exclusion_pass(st)
            changed = self._undisputed_passes(st) or changed
            if not changed:
                break
        if st.missing and st.victims:
            self._family_by_family(st)
        else:
            for m in st.missing:
                st.am[m] = Row(
                    P.missing[m],
                    m,
                    None,
                    None,
                    None,
                    "Inconclusive",
                    "no victims left" if not st.victims else None,
                )
            for v in st.victims:
                st.pm[v] = Row(None, None, v, None, None, "No match", "no missing persons left")
        for s in st.symmetries:
            s.resolvers = suggest_resolution(self.orig, st.fams, s)
        am_rows = [st.am[m] for m in P.missing if m in st.am]
        pm_rows = [st.pm[v.id] for v in P.victims if v.id in st.pm]
        return Conclusions(
            am_rows,
            pm_rows,
            st.symmetries,
            st.steps,
            {
                "threshold": self.threshold,
                "threshold2": self.threshold2,
                "max_incomp": self.max_incomp,
            },
        )

    def _not_identifiable(self, st: _State) -> None:
        """1. A missing person linked to no typed reference (nor another MP)."""
        P = self.orig
        for m in sorted(st.missing, key=list(P.missing).index):
            f = P.missing[m]
            if not connected_to_typed(st.fams[f], m, set(P.missing)):
                st.am[m] = Row(
                    f,
                    m,
                    None,
                    None,
                    None,
                    "Not identifiable",
                    "no typed relative connected to this person",
                )
        st.missing -= set(st.am)
        st.pairs = {(v, m) for v, m in st.pairs if m in st.missing}
        if st.am:
            st.steps.append(f"not identifiable: {', '.join(st.am)}")

    def _exclusion_pass(self, st: _State) -> bool:
        """2a. Pairings with more than ``max_incomp`` incompatible markers removed; a victim
        or MP left without pairing is Excluded. Whether anything changed."""
        P = self.orig
        p0, t0 = self._terms(st.fams, st.missing, st.victims, disable=True)
        counts = self._incompatibilities(t0, st.pairs, p0.missing)
        removed = {k for k, c in counts.items() if c > self.max_incomp}
        changed = bool(removed)
        if removed:
            st.steps.append(
                f"exclusions: {len(removed)} pairing(s) with more than "
                f"{self.max_incomp} incompatible markers removed"
            )
        for v in sorted(st.victims, key=self._vorder):
            mine = [c for (vv, _), c in counts.items() if vv == v]
            if all(c > self.max_incomp for c in mine):
                st.pm[v] = Row(None, None, v, None, None, "Excluded", _excluded_comment(mine))
                changed = True
        for m in sorted(st.missing, key=self._morder):
            mine = [c for (_, mm), c in counts.items() if mm == m]
            if all(c > self.max_incomp for c in mine):
                st.am[m] = Row(
                    P.missing[m], m, None, None, None, "Excluded", _excluded_comment(mine)
                )
                changed = True
        st.victims -= set(st.pm)
        st.missing -= set(st.am)
        st.pairs = {
            (v, m)
            for v, m in st.pairs
            if (v, m) not in removed and v in st.victims and m in st.missing
        }
        if not hasattr(self, "exclusion_counts"):
            self.exclusion_counts = counts
        return changed

    def _undisputed_passes(self, st: _State) -> bool:
        """2b. Undisputed pairings, placed as references, step after step; pairings with
        LR 0 dropped. Whether anything changed."""
        changed = False
        while st.missing and st.victims:
            p1, t1 = self._terms(st.fams, st.missing, st.victims)
            lrm = self._pair_lrs(p1, t1, st.pairs)
            zero = {k for k, x in lrm.items() if x == NEG_INF}
            if zero:
                st.pairs -= zero
                changed = True
            found = self._undisputed(lrm)
            if not found:
                break
            st.ustep += 1
            changed = True
            self._place(st, found)
        return changed

    def _undisputed(self, lrm: dict[tuple[str, str], float]) -> list[tuple[str, str, float]]:
        found = []
        for (v, m), x in lrm.items():
            if x == NEG_INF or x <= self.lt:
                continue
            others = [y for (vv, mm), y in lrm.items() if (vv == v) != (mm == m)]
            if all(y <= x - self.lt for y in others):
                found.append((v, m, x))
        return found

    def _place(self, st: _State, found: list[tuple[str, str, float]]) -> None:
        """Undisputed pairings concluded; each victim's profile becomes a reference."""
        P = self.orig
        for v, m, x in sorted(found, key=lambda t: self._morder(t[1])):
            f = P.missing[m]
            row = Row(f, m, v, _lr(x), None, "Undisputed", f"Step {st.ustep}")
            st.am[m] = row
            st.pm[v] = row
            st.fams[f] = st.fams[f].with_genotypes(m, dict(P.victim(v).genotypes))
            st.steps.append(f"undisputed (step {st.ustep}): {v} = {m}, LR {_lr(x):.4g}")
        st.victims -= {v for v, _, _ in found}
        st.missing -= {m for _, m, _ in found}
        st.pairs = {(v, m) for v, m in st.pairs if v in st.victims and m in st.missing}

    def _family_by_family(self, st: _State) -> None:
        """3. Family by family on what remains; 4. the victims left."""
        P = self.orig
        p2, t2 = self._terms(st.fams, st.missing, st.victims)
        lr2 = self._pair_lrs(p2, t2, st.pairs)
        matched_v: set[str] = set()
        matched_m: set[str] = set()
        for f in P.families:
            fm = [m for m in P.missing if P.missing[m] == f and m in st.missing]
            if not fm:
                continue
            if len(fm) == 1:
                st.am[fm[0]] = self._simple(f, fm[0], lr2, st.victims, by="missing")
                continue
            am_rows, pm_rows, syms = self._joint_family(
                f, fm, st.fams, st.victims, st.pairs, lr2, t2
            )
            st.symmetries.extend(syms)
            for m, row in am_rows.items():
                st.am[m] = row
                if row.conclusion in ("Match (GLR)", "Symmetric match"):
                    matched_m.add(m)
            for v, row in pm_rows.items():
                st.pm[v] = row
                matched_v.add(v)
        st.victims -= matched_v
        st.missing -= matched_m
        for v in sorted(st.victims, key=self._vorder):
            st.pm[v] = self._simple(
                None, v, lr2, {m for vv, m in st.pairs if vv == v and m in st.missing}, by="victim"
            )

    def _vorder(self, v: str) -> int:
        return [x.id for x in self.orig.victims].index(v)

    def _morder(self, m: str) -> int:
        return list(self.orig.missing).index(m)

    def _simple(self, f: str | None, key: str, lr2: dict, others: set[str], by: str) -> Row:
        P = self.orig
        if by == "missing":
            lrs = {v: x for (v, m), x in lr2.items() if m == key and v in others}
            order = self._vorder
        else:
            lrs = {m: x for (v, m), x in lr2.items() if v == key and m in others}
            order = self._morder
        if not lrs:
            if by == "missing":
                return Row(f, key, None, None, None, "Inconclusive", "No compatible pairings")
            return Row(None, None, key, None, None, "No match", "No compatible pairings")
        ranked = sorted(lrs, key=lambda k: (-lrs[k], order(k)))
        best = ranked[0]
        bx = lrs[best]
        top = [k for k in ranked if lrs[k] > self.lt2]
        if by == "missing":
            fam, miss, samp = f, key, best
        else:
            fam, miss, samp = P.missing[best], best, key
        if len(top) > 1:
            also = ", ".join(f"{k} (LR={_lr(lrs[k]):.2g})" for k in top[1:])
            return Row(fam, miss, samp, _lr(bx), None, "Disputed", f"Also: {also}")
        if len(top) == 1:
            if len(ranked) > 1:
                cm = f"Runner-up: {ranked[1]} (LR={_lr(lrs[ranked[1]]):.2g})"
            else:
                cm = "Runner-up: -"
            return Row(fam, miss, samp, _lr(bx), None, "Probable", cm)
        if bx >= 0:
            if by == "missing":
                return Row(f, key, best, _lr(bx), None, "Inconclusive", f"Best: {best}")
            return Row("", "", key, _lr(bx), None, "Inconclusive", f"Best: {best}")
        if by == "missing":
            return Row(f, key, None, _lr(bx), None, "No match", f"Best: {best}")
        return Row("", "", key, _lr(bx), None, "No match", None)

    def _joint_family(
        self,
        f: str,
        fm: list[str],
        fams: dict[str, Family],
        victims: set[str],
        pairs: set[tuple[str, str]],
        lr2: dict,
        terms: FamilyTerms,
    ):
        """A family with several MPs left: the exact joint of its sub-assignments, the GLR of
        each pairing, Match (GLR), Probable, Symmetric match (tied best assignments that
        permute victims over MPs) or Inconclusive."""
        P = self.orig
        allowed = {(v, m) for v, m in pairs if m in fm}
        fv = sorted({v for v, _ in allowed}, key=self._vorder)
        sub = P.subset(victims=fv, missing=fm, families={f: fams[f]})
        solver = JointSolver(sub, terms=terms)  # the pairings' terms are computed
        solver.allowed = allowed
        subs, _ = solver.family_subs(f, fv)
        # each entry: (log10 LR, ((mp, victim), ...)); include the empty assignment
        common, sym_m, sym_v = self._ties(subs)

        def glr(pred) -> float:
            a = max((x for x, s in subs if pred(s)), default=NEG_INF)
            b = max((x for x, s in subs if not pred(s)), default=NEG_INF)
            if a == NEG_INF:
                return 0.0
            if b == NEG_INF:
                return math.inf
            return lr_from_log10(a - b)

        am_rows: dict[str, Row] = {}
        pm_rows: dict[str, Row] = {}
        syms: list[Symmetry] = []
        if sym_m:
            sym = self._symmetry(f, fams[f].pedigree, sym_m, sym_v, glr, lr2, am_rows, pm_rows)
            if sym is None:
                sym_m, sym_v = [], []
            else:
                syms.append(sym)
        comment = "Joint: {" + ",".join(fm) + "}"
        for m in fm:
            if m in sym_m:
                continue
            v = next((vv for vv, mm in common if mm == m), None)
            row = None
            if v is not None and (v, m) in common:
                g = glr(lambda s, v=v, m=m: (m, v) in s)
                if g >= self.threshold:
                    row = Row(f, m, v, _lr(lr2.get((v, m))), g, "Match (GLR)", comment)
                    pm_rows[v] = row
                elif g >= self.threshold2:
                    row = Row(f, m, v, _lr(lr2.get((v, m))), g, "Probable", comment)
            am_rows[m] = row or self._inconclusive(f, m, fv, lr2, glr, allowed)
        matched = {
            v: row
            for v, row in pm_rows.items()
            if row.conclusion in ("Match (GLR)", "Symmetric match")
        }
        return am_rows, matched, syms

    def _ties(self, subs) -> tuple[set[tuple[str, str]], list[str], list[str]]:
        """The pairings common to all best (tied) sub-assignments, and the MPs and victims
        the tied ones permute (empty when the best is unique)."""
        best = subs[0][0]
        ties = [s for x, s in subs if x >= best - TIE]
        first = {v: m for m, v in ties[0]}  # victim -> MP
        common = {
            (v, m)
            for v, m in first.items()
            if all({vv: mm for mm, vv in t}.get(v) == m for t in ties)
        }
        sym_m: list[str] = []
        sym_v: list[str] = []
        if len(ties) > 1:
            for t in ties:
                for m, v in t:
                    if (v, m) not in common:
                        if m not in sym_m:
                            sym_m.append(m)
                        if v not in sym_v:
                            sym_v.append(v)
            sym_m.sort(key=self._morder)
            sym_v.sort(key=self._vorder)
        return common, sym_m, sym_v

    def _symmetry(
        self,
        f: str,
        ped: Pedigree,
        sym_m: list[str],
        sym_v: list[str],
        glr,
        lr2: dict,
        am_rows: dict,
        pm_rows: dict,
    ) -> Symmetry | None:
        """A Symmetric match when the set's GLR reaches the threshold (rows filled in);
        else None."""
        sv, smm = set(sym_v), set(sym_m)

        def in_sym(s) -> bool:
            d = {v: m for m, v in s}
            return all(d.get(v) in smm for v in sv)

        g = glr(in_sym)
        rel = relation(ped, sym_m)
        if g < self.threshold:
            return None
        for m in sym_m:
            if len(sym_v) == 1:
                v = sym_v[0]
                oth = ", ".join(x for x in sym_m if x != m)
                am_rows[m] = Row(
                    f,
                    m,
                    v,
                    _lr(lr2.get((v, m))),
                    g,
                    "Symmetric match",
                    f"{v} also matches {oth} ({rel})",
                )
            else:
                am_rows[m] = Row(
                    f,
                    m,
                    "/".join(sym_v),
                    None,
                    g,
                    "Symmetric match",
                    f"{rel.capitalize()}: {{{', '.join(sym_m)}}} = {{{', '.join(sym_v)}}}",
                )
        for v in sym_v:
            vl = max((lr2.get((v, m), NEG_INF) for m in sym_m), default=NEG_INF)
            if len(sym_v) == 1:
                cm = f"{' and '.join(sym_m)} are {rel}"
            else:
                cm = f"{rel.capitalize()}: {{{', '.join(sym_v)}}} = {{{', '.join(sym_m)}}}"
            pm_rows[v] = Row(f, "/".join(sym_m), v, _lr(vl), g, "Symmetric match", cm)
        return Symmetry(f, sym_m, sym_v, g, rel)

    def _inconclusive(self, f, m, fv, lr2, glr, allowed) -> Row:
        cands = [v for v in fv if (v, m) in allowed]
        lx = max((lr2.get((v, m), NEG_INF) for v in cands), default=None)
        g = max((glr(lambda s, v=v: (m, v) in s) for v in cands), default=None)
        return Row(f, m, None, _lr(lx), g, "Inconclusive", None)


def dvi_solve(
    problem: DVIProblem, *, threshold: float = 1e4, threshold2: float = 1e3, max_incomp: int = 2
) -> Conclusions:
    return DVISolve(
        problem, threshold=threshold, threshold2=threshold2, max_incomp=max_incomp
    ).run()


__all__ = ["NULL", "Conclusions", "DVISolve", "Row", "Symmetry", "dvi_solve", "suggest_resolution"]
