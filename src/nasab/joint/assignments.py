"""The exact joint over assignments of remains to missing persons, from the cached family
terms of :mod:`nasab.joint.terms` (the model and the reductions are described there):
per family, its nonzero sub-assignments (pruned at exclusions); the independent
sub-problems; the best assignments by branch and bound and an exact K-best merge; the
normalising sum by a dynamic programme over families, without listing the assignments."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nasab.engine.errors import InputError
from nasab.joint.problem import NEG_INF, NULL, DVIProblem, lr_from_log10, sex_compatible
from nasab.joint.terms import FamilyTerms, SubAssignment


@dataclass
class Assignment:
    pairs: dict[str, str]  # victim -> MP (assigned ones only)
    log10_lr: float
    posterior: float = 0.0

    def full(self, victims: Iterable[str]) -> dict[str, str]:
        return {v: self.pairs.get(v, NULL) for v in victims}


@dataclass
class Component:
    families: list[str]
    victims: list[str]
    subs: dict[str, list[tuple[float, SubAssignment]]]  # family -> sorted desc, nonzero
    complete: bool = True


@dataclass
class JointResult:
    problem: DVIProblem
    pairwise: dict[str, dict[str, float | None]]  # victim -> MP -> log10 LR (None: sex)
    assignments: list[Assignment]
    log10_z: float  # log10 of sum over assignments of LR x prior weight
    n_assignments: int | None  # sex-consistent assignments (dvir's count)
    n_nonzero: int | None
    components: list[Component]
    loglik_null: float
    method: str
    prior: str
    exact: bool
    terms: FamilyTerms
    match_odds: float = 1.0

    def pairwise_lr(self, v: str, m: str) -> float | None:
        x = self.pairwise[v].get(m)
        if x is None:
            return None
        return lr_from_log10(x)


class JointSolver:
    """Exact joint identification with reductions; see the module docstring."""

    def __init__(
        self,
        problem: DVIProblem,
        *,
        disable_mutations: bool = False,
        max_family_evaluations: int = 200_000,
        terms: FamilyTerms | None = None,
    ):
        self.problem = problem
        self.terms = terms or FamilyTerms(problem, disable_mutations=disable_mutations)
        self.max_family_evaluations = max_family_evaluations
        self.victims = [v.id for v in problem.victims]
        self._pairwise: dict[str, dict[str, float | None]] | None = None
        self.allowed: set[tuple[str, str]] | None = None  # (victim, MP) pairings, if restricted

    # -- pairwise ---------------------------------------------------------------------
    def pairwise(self) -> dict[str, dict[str, float | None]]:
        if self._pairwise is None:
            out: dict[str, dict[str, float | None]] = {v.id: {} for v in self.problem.victims}
            for m, f in self.problem.missing.items():
                ok = [
                    v.id
                    for v in self.problem.victims
                    if sex_compatible(v.sex, self.problem.mp_sex(m))
                ]
                vals = self.terms.extend(f, (), m, ok)
                for v in self.problem.victims:
                    out[v.id][m] = vals.get(v.id)
            self._pairwise = out
        return self._pairwise

    # -- family sub-assignments ---------------------------------------------------------
    def family_subs(
        self, f: str, victims: Iterable[str] | None = None
    ) -> tuple[list[tuple[float, SubAssignment]], bool]:
        """All nonzero sub-assignments of family ``f`` (victims drawn from ``victims``),
        sorted by LR, best first; pruned at zeros (exact). Second value: complete?"""
        pw = self.pairwise()
        allowed = set(victims) if victims is not None else set(self.victims)
        mps = self.problem.family_missing(f)
        ok = self.allowed
        cands = {
            m: sorted(
                (
                    v
                    for v in allowed
                    if pw[v].get(m) not in (None, NEG_INF) and (ok is None or (v, m) in ok)
                ),
                key=lambda v, m=m: -pw[v][m],
            )  # type: ignore[operator]
            for m in mps
        }
        mps = [m for m in mps if cands[m]]
        out: dict[SubAssignment, float] = {(): 0.0}
        budget = self.max_family_evaluations
        complete = True
        # DFS over MPs; every node is itself a sub-assignment (the rest unassigned)
        stack: list[tuple[int, tuple[tuple[str, str], ...], frozenset[str]]] = [
            (0, (), frozenset())
        ]
        while stack:
            i, sub, used = stack.pop()
            if i == len(mps):
                continue
            stack.append((i + 1, sub, used))  # MP i unassigned
            m = mps[i]
            todo = [v for v in cands[m] if v not in used]
            if len(out) + len(todo) > budget:
                complete = False
                todo = todo[: max(0, budget - len(out))]
            vals = self.terms.extend(f, sub, m, todo)
            for v in todo:
                new = tuple(sorted((*sub, (m, v))))
                if new in out:
                    continue
                x = vals[v]
                if x == NEG_INF:
                    continue
                out[new] = x
                stack.append((i + 1, new, used | {v}))
        subs = sorted(((x, s) for s, x in out.items()), key=lambda t: -t[0])
        return subs, complete

    # -- components ---------------------------------------------------------------------
    def components(self, victims: Iterable[str] | None = None) -> list[Component]:
        pw = self.pairwise()
        vs = list(victims) if victims is not None else self.victims
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for f in self.problem.families:
            find("F:" + f)
        for v in vs:
            for m, f in self.problem.missing.items():
                x = pw[v].get(m)
                if x is not None and x != NEG_INF:
                    parent[find("V:" + v)] = find("F:" + f)
        groups: dict[str, tuple[list[str], list[str]]] = {}
        for f in self.problem.families:
            groups.setdefault(find("F:" + f), ([], []))[0].append(f)
        for v in vs:
            r = find("V:" + v)
            if r in groups:
                groups[r][1].append(v)
        comps = []
        for fams, cvs in groups.values():
            subs = {}
            complete = True
            for f in fams:
                s, c = self.family_subs(f, cvs)
                subs[f] = s
                complete &= c
            comps.append(Component(fams, cvs, subs, complete))
        return comps

    # -- solve ----------------------------------------------------------------------------
    def solve(self, top: int = 50, match_odds: float = 1.0) -> JointResult:
        if match_odds <= 0:
            raise InputError(f"match odds must be positive, not {match_odds}", field="match_odds")
        pw = self.pairwise()
        comps = self.components()
        lw = math.log10(match_odds)
        per_comp_top = []
        log10_z = 0.0
        for c in comps:
            lists = [_with_prior(c.subs[f], lw) for f in c.families]
            per_comp_top.append(top_k(c.families, lists, top))
            log10_z += log10_sum(c.families, lists)
        merged = merge_k(per_comp_top, top)
        assignments = []
        for score, pairs in merged:
            lr = score - lw * len(pairs)
            assignments.append(Assignment(dict(pairs), lr, 10.0 ** (score - log10_z)))
        # best first; assignments whose LRs are equal (to 1e-10 in log10: the same number
        # computed along other contraction orders) listed in a fixed order, the victims'
        assignments = _ties_in_order(assignments, self.victims)
        n_all = count_assignments(self.problem, self.victims)
        n_nonzero = 1
        for c in comps:
            n_nonzero *= count_combinations(c.families, [c.subs[f] for f in c.families])
        exact = all(c.complete for c in comps)
        method = (
            f"exact: pairwise exclusions pruned, {len(comps)} independent sub-problem(s) (largest: {max((len(c.families) for c in comps), default=0)} "
            f"families, {max((len(c.victims) for c in comps), default=0)} victims), branch and bound for the top {top} assignments, normalising "
            f"sum by dynamic programming over families; {self.terms.evaluations} family likelihood evaluations"
        )
        if not exact:
            method = (
                f"INCOMPLETE: a family had more than {self.max_family_evaluations} sub-assignments; the listed "
                "assignments and posteriors are over the enumerated part only. " + method
            )
        prior = (
            "flat over all sex-consistent assignments"
            if match_odds == 1
            else f"proportional to {match_odds:g}^(number of identified pairs)"
        )
        return JointResult(
            self.problem,
            pw,
            assignments,
            log10_z,
            n_all,
            n_nonzero,
            comps,
            self.terms.loglik_null(),
            method,
            prior,
            exact,
            self.terms,
            match_odds,
        )


def _ties_in_order(
    assignments: list[Assignment], victims: list[str], tol: float = 1e-10
) -> list[Assignment]:
    """The list (best first) with each run of equal LRs in the order of the MPs given to
    the victims (victims in their order, ``*`` last), so the order does not depend on
    rounding."""
    out: list[Assignment] = []
    i = 0
    while i < len(assignments):
        j = i + 1
        while (
            j < len(assignments) and abs(assignments[j].log10_lr - assignments[i].log10_lr) <= tol
        ):
            j += 1
        run = assignments[i:j]
        run.sort(key=lambda a: tuple((a.pairs.get(v) is None, a.pairs.get(v, "")) for v in victims))
        out.extend(run)
        i = j
    return out


def _with_prior(
    subs: list[tuple[float, SubAssignment]], lw: float
) -> list[tuple[float, SubAssignment]]:
    if lw == 0:
        return subs
    return sorted(((x + lw * len(s), s) for x, s in subs), key=lambda t: -t[0])


def top_k(
    families: list[str], lists: list[list[tuple[float, SubAssignment]]], k: int
) -> list[tuple[float, tuple[tuple[str, str], ...]]]:
    """The k best joint combinations (one sub-assignment per family, victims disjoint) by
    branch and bound. Returns (log10 score, ((victim, mp), ...)) best first."""
    n = len(lists)
    order = sorted(range(n), key=lambda i: len(lists[i]))
    lists = [lists[i] for i in order]
    best_rest = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best_rest[i] = best_rest[i + 1] + (lists[i][0][0] if lists[i] else 0.0)
    heap: list[tuple[float, int, tuple]] = []
    counter = 0

    def rec(i: int, score: float, used: frozenset[str], chosen: tuple) -> None:
        nonlocal counter
        if i == n:
            item = (score, counter, chosen)
            counter += 1
            if len(heap) < k:
                heapq.heappush(heap, item)
            elif score > heap[0][0]:
                heapq.heapreplace(heap, item)
            return
        for x, sub in lists[i]:
            s = score + x + best_rest[i + 1]
            if len(heap) >= k and s <= heap[0][0]:
                break
            vs = [v for _, v in sub]
            if any(v in used for v in vs):
                continue
            rec(i + 1, score + x, used.union(vs), chosen + sub)

    rec(0, 0.0, frozenset(), ())
    out = sorted(heap, key=lambda t: (-t[0], t[1]))
    return [(s, tuple(sorted((v, m) for m, v in ch))) for s, _, ch in out]


def merge_k(parts: list[list[tuple[float, tuple]]], k: int) -> list[tuple[float, tuple]]:
    """Exact k best sums across independent components."""
    acc: list[tuple[float, tuple]] = [(0.0, ())]
    for p in parts:
        if not p:
            continue
        cand = [(a + b, ta + tb) for a, ta in acc for b, tb in p]
        cand.sort(key=lambda t: -t[0])
        acc = cand[:k]
    return [(s, tuple(sorted(t))) for s, t in acc]


def _dp(
    lists: list[list[tuple[float, SubAssignment]]], weights: list[np.ndarray], dtype: type
) -> float:
    """Sum over joint combinations (one sub-assignment per family, victims disjoint) of
    the product of the weights: a dynamic programme over families whose state is the set
    of victims used so far, as a bit mask. Dense (a vector over all masks) up to 20
    victims; above, sparse, with victims that no later family can use projected out."""
    victims = sorted({v for lst in lists for _, s in lst for _, v in s})
    bit = {v: 1 << i for i, v in enumerate(victims)}
    masks = [np.array([sum(bit[v] for _, v in s) for _, s in lst], dtype=np.int64) for lst in lists]
    nv = len(victims)
    if nv <= 20:
        size = 1 << nv
        allm = np.arange(size, dtype=np.int64)
        state = np.zeros(size, dtype=dtype)
        state[0] = 1
        for ms, ws in zip(masks, weights, strict=True):
            new = np.zeros(size, dtype=dtype)
            for m, w in zip(ms.tolist(), ws.tolist(), strict=True):
                if m == 0:
                    new += state * w
                    continue
                free = allm[(allm & m) == 0]
                new[free | m] += state[free] * w
            state = new
        return state.sum().item()
    later = [0] * (len(lists) + 1)
    for i in range(len(lists) - 1, -1, -1):
        later[i] = (
            later[i + 1] | int(np.bitwise_or.reduce(masks[i])) if len(masks[i]) else later[i + 1]
        )
    states: dict[int, float] = {0: 1}
    for i, (ms, ws) in enumerate(zip(masks, weights, strict=True)):
        keep = later[i + 1]
        new: dict[int, float] = {}
        for used, w0 in states.items():
            for m, w in zip(ms.tolist(), ws.tolist(), strict=True):
                if used & m:
                    continue
                k = (used | m) & keep
                new[k] = new.get(k, 0) + w0 * w
        states = new
    return sum(states.values())


def log10_sum(families: list[str], lists: list[list[tuple[float, SubAssignment]]]) -> float:
    """log10 of the sum over joint combinations (victims disjoint) of the product of the
    family terms, exactly (see :func:`_dp`); each family's terms are scaled by its best."""
    if not lists:
        return 0.0
    shift = [lst[0][0] if lst else 0.0 for lst in lists]
    vals = [
        np.array([10.0 ** (x - sh) for x, _ in lst]) for lst, sh in zip(lists, shift, strict=True)
    ]
    total = _dp(lists, vals, float)
    return math.log10(total) + sum(shift) if total > 0 else NEG_INF


def count_combinations(families: list[str], lists: list[list[tuple[float, SubAssignment]]]) -> int:
    """Number of joint combinations with nonzero LR (exact below 2**53)."""
    if not lists:
        return 1
    return int(round(_dp(lists, [np.ones(len(lst)) for lst in lists], float)))


def count_assignments(problem: DVIProblem, victims: list[str]) -> int:
    """Number of sex-consistent assignments (each victim to a distinct MP or ``*``): the
    number dvir enumerates. Counted exactly by sex groups; unknown sexes by a programme
    over victims keyed by the set of MPs used."""
    vsex = {v.id: v.sex for v in problem.victims}
    msex = {m: problem.mp_sex(m) for m in problem.missing}
    if all(s in (1, 2) for s in vsex.values()) and all(s in (1, 2) for s in msex.values()):
        total = 1
        for s in (1, 2):
            a = sum(1 for v in victims if vsex[v] == s)
            b = sum(1 for x in msex.values() if x == s)
            total *= sum(
                math.comb(a, k) * math.comb(b, k) * math.factorial(k) for k in range(min(a, b) + 1)
            )
        return total
    states: dict[frozenset[str], int] = {frozenset(): 1}
    for v in victims:
        new: dict[frozenset[str], int] = {}
        for used, w in states.items():
            new[used] = new.get(used, 0) + w
            for m, s in msex.items():
                if m not in used and sex_compatible(vsex[v], s):
                    k = used | {m}
                    new[k] = new.get(k, 0) + w
        states = new
    return sum(states.values())


def solve_joint(
    problem: DVIProblem, top: int = 50, match_odds: float = 1.0, disable_mutations: bool = False
) -> JointResult:
    return JointSolver(problem, disable_mutations=disable_mutations).solve(top, match_odds)
