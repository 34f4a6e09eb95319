"""Joint identification: several missing persons, several remains (disaster victim
identification, DVI).

Model (the same as dvir's ``dviJoint`` and as ``nasab lr``): an *assignment* sends each
victim (remains profile) to at most one missing person (MP) of compatible sex, each MP
receiving at most one victim, or to ``*`` (not among the missing). Its likelihood is

    prod over markers [ prod over families  P(family data, with the assigned victims'
                                               genotypes placed on their MPs)
                        x prod over unassigned victims  HW(victim genotype) ]

computed exactly by :func:`nasab.engine.likelihood.marker_likelihood` (mutations, loops). The LR
of an assignment is against the null (all ``*``) assignment, so it factorises over
families:

    LR(a) = prod_f r_f(a_f),   r_f(S) = L_f(S) / (L_f(empty) * prod_{v in S} HW(v))

where ``a_f`` is the family's *sub-assignment* (which victims sit on its own MPs). A
family term depends on nothing else, so it is computed once and cached; every joint LR is
a product of cached family terms.

Under population substructure (``theta`` > 0 in dvi.json or ``--theta``, Balding-Nichols)
the family term is ``nasab lr --theta``'s likelihood ratio extended to several victims:

    r_f(S) = L_f(S) / L_f(S unrelated)

both computed exactly (:mod:`nasab.engine.theta`) with the family's founders and the victims of S
drawn from one subpopulation: in the numerator the victims sit on their MPs, in the
denominator they are unrelated founders beside the family. So a single pair's term is
exactly ``nasab lr --theta``'s LR, theta lowers the weight of shared alleles, and theta = 0
gives the terms above. Families are independent samples of the subpopulation (the product
over families is kept); the all-``*`` log-likelihood reported under theta uses each
victim's own theta genotype probability (P(aa) = p (theta + (1 - theta) p), P(ab) =
2 (1 - theta) p q).

Reductions, all exact:

* **exclusions**: if a pair V=M has LR 0, every sub-assignment containing it has
  likelihood 0 (adding data cannot make an impossible event possible), so the search over
  a family's sub-assignments is pruned at the first zero;
* **independent sub-problems**: families and victims form a bipartite graph (an edge where
  a victim can match one of the family's MPs); the assignment set of a connected
  component is independent of the others, so the LR of an assignment is a product over
  components and the normalising sum is a product of per-component sums;
* **top assignments**: branch and bound over the families of a component (each family's
  sub-assignments sorted by LR; bound = product of the best remaining family terms), then
  an exact K-best merge across components;
* **normalising constant**: a dynamic programme over families keyed by the set of victims
  already used, exact, without listing the joint assignments.

Posteriors use a prior over assignments that is flat by default (dvir's
``posterior_flat``: every sex-consistent assignment equally likely) or, with
``match_odds=w``, proportional to ``w**(number of identified pairs)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from nasab.engine.contraction import contract
from nasab.engine.errors import InputError
from nasab.engine.genotypes import Family, Genotype, is_typed
from nasab.engine.likelihood import (
    MarkerModel,
    _network,
    allele_space,
    full_space,
    log10_hw,
    lumping_allowed,
)
from nasab.engine.lr import build_marker_model
from nasab.engine.observation import DropModel, observed_alleles
from nasab.engine.theta import single_person, theta_likelihood
from nasab.joint.problem import (
    LN10,
    NEG_INF,
    DVIProblem,
    _log10,
    marker_spec,
)
from nasab.joint.problem import (
    NULL as NULL,  # re-exported: web/identification/joint.py imports it from here
)

_ONE = np.ones((1, 1))


def _canonical(ped, genos: Mapping[str, Genotype], operands: list) -> None:
    """A typed homozygote has no evidence factor in the network; give it a neutral one so
    that the structure depends only on who is typed, then fix a canonical order."""
    have = {idx for _, idx in operands if len(idx) == 2}
    for pid, g in genos.items():
        if g[0] is not None and pid in ped:
            i = ped.index(pid)
            idx = (2 * i, 2 * i + 1)
            if idx not in have:
                operands.append((_ONE, idx))
    operands.sort(key=lambda t: t[1])


# Log scaling (no underflow for tiny frequencies or many persons): a founder's frequency
# factor is divided by its largest entry (the products of rare founder alleles are what
# underflow) and the log10 of the divisor carried beside the value; a result still below
# TINY (or 0) is recomputed with every factor rescaled, and one still tiny but not 0 along
# the engine's step-by-step rescaled contraction (:func:`nasab.engine.likelihood.log10_contract`).
TINY = 1e-250


def _rescale(operands: list, every: bool) -> tuple[list, float]:
    out = []
    scale = 0.0
    for t, idx in operands:
        if every or t.ndim == 1:
            m = float(t.max()) if t.size else 0.0
            if m > 0 and m != 1.0:
                out.append((t / m, idx))
                scale += math.log10(m)
                continue
        out.append((t, idx))
    return out, scale


def scaled_contract(
    operands: list, output: tuple[int, ...], label: str
) -> tuple[np.ndarray, float]:
    """(T, s) with the network's contraction = T * 10**s, max(T) = 1 (or T = 0 where the
    data are impossible), by the engine's cached plans, without underflow (see TINY)."""
    ops, scale = _rescale(operands, every=False)
    t = np.asarray(contract(ops, output, label))
    top = float(t.max(initial=0.0))
    if not top >= TINY:
        ops, scale = _rescale(operands, every=True)
        t = np.asarray(contract(ops, output, label))
        top = float(t.max(initial=0.0))
        if 0 < top < TINY:
            from nasab.engine.likelihood import log10_contract

            t, scale = log10_contract(operands, output, label)
            t = np.asarray(t)
            top = float(t.max(initial=0.0))
    if top > 0 and top != 1.0:
        t = t / top
        scale += math.log10(top)
    return t, scale


def fast_marker_log10(
    ped,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    drops: Mapping[str, DropModel] | None = None,
    theta: float = 0.0,
) -> float:
    """log10 of :func:`nasab.engine.likelihood.marker_likelihood` (``-inf`` when the data
    are impossible): the same network (built by its ``_network``), contracted by the
    engine's cached plans (:func:`nasab.engine.contraction.contract`) with log scaling: the
    many family likelihoods of a DVI search share a handful of structures, so the
    contraction order is found once per structure, not once per call. The order affects
    only speed, never the value (beyond rounding). Under ``theta`` > 0 the exact schemes
    of :mod:`nasab.engine.theta`."""
    space = allele_space(model, genos, lumpable=lumping_allowed(*(drops or {}).values()))
    if theta > 0:
        return _log10(float(theta_likelihood(ped, genos, space, theta, drops)))
    operands = _network(ped, genos, space, None, drops)
    if not operands:
        return 0.0
    _canonical(ped, genos, operands)
    t, scale = scaled_contract(operands, (), f"marker {model.name}")
    v = float(t)
    return math.log10(v) + scale if v > 0 else NEG_INF


def fast_open_table(
    ped,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    person: str,
    extra: Iterable[str],
    *,
    drops: Mapping[str, DropModel] | None = None,
    lumpable: bool = True,
    theta: float = 0.0,
):
    """P(data, ordered genotype of ``person``) = T * 10**s: the network of
    :func:`nasab.engine.likelihood.genotype_joint` in the lumped allele space of the data
    plus the alleles ``extra``, contracted as :func:`fast_marker_log10`. Returns the K x K
    table T (largest entry 1), that allele space and s."""
    lumpable = lumpable and lumping_allowed(*(drops or {}).values())
    space = allele_space(model, genos, extra=sorted(set(extra)), lumpable=lumpable)
    if theta > 0:
        t = np.asarray(theta_likelihood(ped, genos, space, theta, drops, open_person=person))
        return t, space, 0.0
    operands = _network(ped, genos, space, person, drops)
    _canonical(ped, genos, operands)
    i = ped.index(person)
    t, scale = scaled_contract(operands, (2 * i, 2 * i + 1), f"marker {model.name}")
    return t, space, scale


def _genotype_log10(
    table: np.ndarray, scale: float, space, g: Genotype, drop: DropModel | None
) -> float:
    """log10 P(data, observation g of the open person): the table weighted by
    P(observation | ordered genotype) (plain, partial, silent, dropout); NaN where the
    value is below the floating-point range in this form (the caller then places the
    observation in the network, which is scaled)."""
    v = float(np.einsum("ij,ij->", table, space.weights(g, drop)))
    if v >= TINY:
        return math.log10(v) + scale
    if v == 0 and float(space.freqs.min(initial=1.0)) >= RARE:
        return NEG_INF
    return math.nan


# Below this frequency, an open table's entries (products of several frequencies relative
# to the largest) may leave the floating-point range: a 0 read from it is then checked by
# placing the observation in the network.
RARE = 1e-40


SubAssignment = tuple[tuple[str, str], ...]  # sorted ((mp, victim), ...)


class _OnDemand(dict):
    """A dict whose missing values are computed (and kept) on first access."""

    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key):
        value = self[key] = self._make(key)
        return value


class FamilyTerms:
    """Cached log10 family terms ``r_f(S)`` of one problem."""

    def __init__(
        self, problem: DVIProblem, *, disable_mutations: bool = False, strict: bool = True
    ):
        self.problem = problem
        self.markers = list(problem.markers)
        self.models: dict[str, MarkerModel] = {}
        for mk in self.markers:
            seen: set[str] = set()
            for fam in problem.families.values():
                for g in fam.marker_genotypes(mk).values():
                    seen.update(observed_alleles(g))
            for v in problem.victims:
                seen.update(observed_alleles(v.genotype(mk)))
            spec = None if disable_mutations else marker_spec(problem.mutations, mk)
            self.models[mk] = build_marker_model(problem.table, mk, spec, seen)
        self.vgeno: dict[str, dict[str, Genotype]] = {
            v.id: {mk: v.genotype(mk) for mk in self.markers} for v in problem.victims
        }
        self.vdrop: dict[str, dict[str, DropModel | None]] = {
            v.id: {mk: v.drop_for(mk) for mk in self.markers} for v in problem.victims
        }
        # the references' own dropout models (a family's ``drops``), per family and marker
        self._fam_drops: dict[str, dict[str, dict[str, DropModel]]] = {
            f: {
                mk: {pid: d for pid, d in fam.drops_for(mk).items() if not d.trivial}
                for mk in self.markers
            }
            for f, fam in problem.families.items()
        }
        self.lumpable = lumping_allowed(
            *(d for v in self.vdrop.values() for d in v.values()),
            *(d for per in self._fam_drops.values() for m in per.values() for d in m.values()),
        )
        self.theta = problem.theta
        self.hw: dict[str, float] = {}
        for v in problem.victims:
            s = 0.0
            for mk in self.markers:
                g = self.vgeno[v.id][mk]
                if is_typed(g):  # the victim as an unrelated person: sum W * P(genotype)
                    full = full_space(self.models[mk])
                    w = full.weights(g, self.vdrop[v.id][mk])
                    if self.theta > 0:
                        prior = single_person(full.freqs, self.theta)
                        s += _log10(float(np.einsum("ij,ij->", w, prior)))
                    else:  # scaled: no underflow for tiny frequencies
                        s += log10_hw(full.freqs, w)
            self.hw[v.id] = s
        self._fam_genos = {
            f: {mk: fam.marker_genotypes(mk) for mk in self.markers}
            for f, fam in problem.families.items()
        }
        self._cache: dict[str, dict[SubAssignment, float]] = {f: {} for f in problem.families}
        self._marker_cache: dict[tuple, float] = {}
        # The families' own log10 likelihoods per marker (no victim placed): computed on
        # first use; a strict instance computes them now and refuses impossible references.
        self.base_markers: dict[str, list[float]] = _OnDemand(self._base_markers)
        self.base: dict[str, float] = _OnDemand(lambda f: float(sum(self.base_markers[f])))
        if strict:
            self.check(problem.families)
        self.evaluations = 0

    def check(self, families) -> None:
        """Refuse families whose references' genotypes are impossible under the model."""
        for f in families:
            if self.base[f] == NEG_INF:
                per = self.base_markers[f]
                bad = [mk for mk, x in zip(self.markers, per, strict=True) if x == NEG_INF]
                raise InputError(
                    f"family {f}: the references' genotypes are impossible under "
                    f"the model at {', '.join(bad)} (Mendelian inconsistency); "
                    "check the data or allow mutation",
                    file=str(self.problem.families[f].pedigree.source),
                )

    def replace_family(self, f: str, fam: Family) -> None:
        """Family ``f`` changed (a victim placed as a reference): its cached terms are
        dropped, the other families' kept. The marker models stay valid: the victims'
        alleles were already in them."""
        self.problem = self.problem.subset(families={**self.problem.families, f: fam})
        self._fam_genos[f] = {mk: fam.marker_genotypes(mk) for mk in self.markers}
        self._cache[f] = {}
        self._marker_cache = {k: x for k, x in self._marker_cache.items() if k[0] != f}
        self.base_markers.pop(f, None)
        self.base.pop(f, None)

    def _base_markers(self, f: str) -> list[float]:
        return [self._marker_log10(f, mk, ()) for mk in self.markers]

    def log10_likelihood(self, f: str, sub: SubAssignment) -> float:
        """log10 of the family's likelihood with the victims of ``sub`` on their MPs (the
        numerator of r_f, without the family's own likelihood and the victims' HW)."""
        return float(sum(self._marker_log10(f, mk, sub) for mk in self.markers))

    def _marker_log10(self, f: str, mk: str, sub: SubAssignment) -> float:
        placed = tuple(
            (m, self.vgeno[v][mk], self.vdrop[v][mk]) for m, v in sub if is_typed(self.vgeno[v][mk])
        )
        key = (f, mk, placed)
        hit = self._marker_cache.get(key)
        if hit is not None:
            return hit
        genos = self._fam_genos[f][mk]
        drops = {**self._fam_drops[f][mk], **{m: d for m, _, d in placed if d is not None}}
        if placed:
            genos = dict(genos)
            genos.update((m, g) for m, g, _ in placed)
        fam = self.problem.families[f]
        x = fast_marker_log10(fam.pedigree, genos, self.models[mk], drops or None, self.theta)
        self._marker_cache[key] = x
        return x

    def log10_lr(self, f: str, sub: SubAssignment) -> float:
        """log10 r_f(sub): the family's LR for this sub-assignment against no victim."""
        if not sub:
            return 0.0
        cache = self._cache[f]
        if sub in cache:
            return cache[sub]
        self.evaluations += 1
        total = 0.0
        for i, mk in enumerate(self.markers):
            x = self._marker_log10(f, mk, sub)
            if x == NEG_INF:
                total = NEG_INF
                break
            if self.theta > 0:
                total += x - self._marker_log10_unrelated(f, mk, sub)
            else:
                total += x - self.base_markers[f][i]
        if total != NEG_INF and self.theta == 0:
            total -= sum(self.hw[v] for _, v in sub)
        if total != NEG_INF:
            total += self._lineage(sub)
        cache[sub] = total
        return total

    def _lineage(self, sub: SubAssignment) -> float:
        """The Y-STR and mtDNA factors of the pairs of ``sub`` (log10; -inf: excluded)."""
        if not self.problem.lineage:
            return 0.0
        return float(sum(self.problem.lineage.get(pair, 0.0) for pair in sub))

    def _marker_log10_unrelated(self, f: str, mk: str, sub: SubAssignment) -> float:
        """Under theta, the denominator of r_f(sub) at one marker: the family with the
        victims of ``sub`` as unrelated founders of its subpopulation (``nasab lr``'s H2)."""
        placed = tuple(
            (v, self.vgeno[v][mk], self.vdrop[v][mk]) for _, v in sub if is_typed(self.vgeno[v][mk])
        )
        key = (f, mk, "H2", tuple(sorted(placed, key=lambda t: t[0])))
        hit = self._marker_cache.get(key)
        if hit is not None:
            return hit
        ped, genos, drops = self._with_unrelated(f, mk, [v for v, _, _ in placed])
        x = fast_marker_log10(ped, genos, self.models[mk], drops or None, self.theta)
        self._marker_cache[key] = x
        return x

    def _with_unrelated(self, f: str, mk: str, victims: list[str]):
        """The family's pedigree, genotypes and dropout models at ``mk`` with these victims
        added as unrelated founders (fresh ids)."""
        ped = self.problem.families[f].pedigree
        genos = dict(self._fam_genos[f][mk])
        drops: dict[str, DropModel] = dict(self._fam_drops[f][mk])
        for n, v in enumerate(victims):
            pid = f"{ped.unused_id()}{n}"
            ped = ped.add_singleton(pid)
            genos[pid] = self.vgeno[v][mk]
            if self.vdrop[v][mk] is not None:
                drops[pid] = self.vdrop[v][mk]
        return ped, genos, drops

    def extend(self, f: str, sub: SubAssignment, m: str, victims: list[str]) -> dict[str, float]:
        """log10 r_f(sub + (m, v)) for every v in ``victims`` at once: per marker, one
        contraction with ``m`` left open gives the likelihood for every genotype placed on
        ``m``. Cached like :meth:`log10_lr`."""
        cache = self._cache[f]
        news = {v: tuple(sorted((*sub, (m, v)))) for v in victims}
        todo = [v for v in victims if news[v] not in cache]
        if len(todo) > 1:
            self.evaluations += len(todo)
            acc = dict.fromkeys(todo, 0.0)
            for i, mk in enumerate(self.markers):
                alive = [v for v in todo if acc[v] != NEG_INF]
                if not alive:
                    break
                vals = self._marker_ratios(f, mk, sub, m, alive, news)
                base_i = self.base_markers[f][i]
                for v in alive:
                    x = vals[v]
                    if self.theta > 0:  # vals are already ratios to the unrelated term
                        acc[v] = NEG_INF if x == NEG_INF else acc[v] + x
                    else:
                        acc[v] = NEG_INF if x == NEG_INF else acc[v] + x - base_i
            for v in todo:
                x = acc[v]
                if x != NEG_INF and self.theta == 0:
                    x -= sum(self.hw[vv] for _, vv in news[v])
                if x != NEG_INF:
                    x += self._lineage(news[v])
                cache[news[v]] = x
        return {v: self.log10_lr(f, news[v]) for v in victims}

    def _marker_ratios(
        self,
        f: str,
        mk: str,
        sub: SubAssignment,
        m: str,
        alive: list[str],
        news: dict[str, SubAssignment],
    ) -> dict[str, float]:
        """At one marker, for each victim v of ``alive``: log10 of the family likelihood
        with ``sub`` and v on ``m`` (under theta: its ratio to the unrelated term); the
        victims untyped here get the value of ``sub`` alone."""
        typed = [v for v in alive if is_typed(self.vgeno[v][mk])]
        new = [v for v in typed if self._marker_key(f, mk, news[v]) not in self._marker_cache]
        vals: dict[str, float] = {}
        if len(new) > 1:  # one open table on m for all victims not yet computed
            opened, extra = self._open_values(f, mk, sub, m, new)
            for v in new:  # the cache holds likelihoods, not ratios
                self._marker_cache[self._marker_key(f, mk, news[v])] = opened[v]
            vals = self._minus_unrelated(f, mk, sub, new, opened, extra) if self.theta else opened
        for v in typed:  # computed before, or a single one (placed in the network)
            if v not in vals:
                x = self._marker_log10(f, mk, news[v])
                if self.theta > 0 and x != NEG_INF:
                    x -= self._marker_log10_unrelated(f, mk, news[v])
                vals[v] = x
        if len(vals) < len(alive):
            sub_i = self._marker_log10(f, mk, sub)
            if self.theta > 0 and sub_i != NEG_INF:
                sub_i -= self._marker_log10_unrelated(f, mk, sub)
            vals.update((v, sub_i) for v in alive if v not in vals)
        return vals

    def _open_values(
        self, f: str, mk: str, sub: SubAssignment, m: str, typed: list[str]
    ) -> tuple[dict[str, float], set[str]]:
        """log10 P(family data with ``sub`` placed, victim v's genotype on ``m``) at one
        marker for every victim of ``typed`` (typed there), from one open table on ``m``;
        and the victims' alleles added to the allele space."""
        genos = dict(self._fam_genos[f][mk])
        drops = dict(self._fam_drops[f][mk])
        for mm, vv in sub:
            g = self.vgeno[vv][mk]
            if is_typed(g):
                genos[mm] = g
                if self.vdrop[vv][mk] is not None:
                    drops[mm] = self.vdrop[vv][mk]
        extra = {a for v in typed for a in observed_alleles(self.vgeno[v][mk])}
        fam = self.problem.families[f]
        table, space, scale = fast_open_table(
            fam.pedigree,
            genos,
            self.models[mk],
            m,
            extra,
            drops=drops or None,
            lumpable=self.lumpable,
            theta=self.theta,
        )
        vals = {}
        for v in typed:
            x = _genotype_log10(table, scale, space, self.vgeno[v][mk], self.vdrop[v][mk])
            if math.isnan(x):  # beyond the table's range: the victim placed in the network
                x = self._marker_log10(f, mk, tuple(sorted((*sub, (m, v)))))
            vals[v] = x
        return vals, extra

    def pair_markers(self, f: str, m: str, victims: list[str]) -> dict[str, list[float]]:
        """Per marker, log10 P(family data, victim v on ``m``) for every v of ``victims``
        (``-inf`` where impossible; the family's own value where v is untyped), one
        open table per marker for all victims. Fills the marker cache."""
        news = {v: ((m, v),) for v in victims}
        out: dict[str, list[float]] = {v: [] for v in victims}
        for mk in self.markers:
            typed = [v for v in victims if is_typed(self.vgeno[v][mk])]
            if len(typed) > 1 and not any(
                self._marker_key(f, mk, news[v]) in self._marker_cache for v in typed
            ):
                vals, _ = self._open_values(f, mk, (), m, typed)
                for v in typed:
                    self._marker_cache[self._marker_key(f, mk, news[v])] = vals[v]
            for v in victims:
                out[v].append(self._marker_log10(f, mk, news[v]))
        return out

    def _minus_unrelated(
        self, f: str, mk: str, sub: SubAssignment, typed: list[str], vals: dict[str, float], extra
    ) -> dict[str, float]:
        """log10 ratios to the unrelated term for each new victim at once: one open table
        for one more unrelated founder beside the victims of ``sub``."""
        ped, genos, drops = self._with_unrelated(
            f, mk, [v for _, v in sub if is_typed(self.vgeno[v][mk])]
        )
        pid = ped.unused_id()
        ped = ped.add_singleton(pid)
        table, space, scale = fast_open_table(
            ped,
            genos,
            self.models[mk],
            pid,
            extra,
            drops=drops or None,
            lumpable=self.lumpable,
            theta=self.theta,
        )
        out = {}
        for v in typed:
            w = space.weights(self.vgeno[v][mk], self.vdrop[v][mk])
            den = _log10(float(np.einsum("ij,ij->", table, w))) + scale  # theta: unscaled
            out[v] = NEG_INF if vals[v] == NEG_INF else vals[v] - den
        return out

    def _marker_key(self, f: str, mk: str, sub: SubAssignment) -> tuple:
        return (
            f,
            mk,
            tuple(
                (m, self.vgeno[v][mk], self.vdrop[v][mk])
                for m, v in sub
                if is_typed(self.vgeno[v][mk])
            ),
        )

    def loglik_null(self) -> float:
        """Natural-log likelihood of the all-``*`` assignment (dvir's ``loglik`` scale)."""
        return (sum(self.base[f] for f in self.problem.families) + sum(self.hw.values())) * LN10
