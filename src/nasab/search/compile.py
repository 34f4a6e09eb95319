"""Compiling a family's missing person into per-marker LR lookup tables.

For a missing person (MP) of a family and one marker, the LR of any remain genotype g is

    LR(g) = P(MP has genotype g, family data) / (P(family data) * P_HW(g))

which is exactly :func:`nasab.engine.lr.missing_person_lr`'s per-marker LR (H1: the remain is the MP;
H2: the family, times the remain as an unrelated Hardy-Weinberg person). The numerator for
every ordered genotype of the MP is one contraction of the pedigree's sum-product network
with the MP's two allele variables left open (as :func:`nasab.engine.likelihood.genotype_joint`),
over the marker's full allele list, so the table is exact for every mutation model
(stepwise included) and for pedigrees with loops.

Speed: families with the same pedigree structure, missing person and typing pattern are
compiled together: the network is the same, so one batched ``einsum`` (a batch index over
families) does them all. Typed persons range over their own two alleles only (as in the
engine), so the tensors stay small; untyped persons range over the full allele list.

The layout of a marker's table (genotypes, partial genotypes, one block per dropout / drop-in
class of the remains, untyped) and its filling from the joint are in :mod:`.tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

import nasab.engine.contraction as CT
from nasab.engine.contraction import (
    Operand,
    Plan,
    check_memory,
    contract,
    find_path,
    meiosis_split,
    plan_for,
    probe_signature,
)
from nasab.engine.likelihood import MarkerModel
from nasab.engine.network import build
from nasab.engine.pedigree import Pedigree
from nasab.search.gpu import gpu_module
from nasab.search.offspring import offspring_down, offspring_shape
from nasab.search.refdrop import dropped_operands, is_dropped
from nasab.search.sibship import sibship_joint, sibship_shape
from nasab.search.tables import JointSums, MarkerTable, fill_tables_hw

BATCH = 1_000_000  # the einsum label of the family (batch) index
MEIOSIS = 500_000  # labels MEIOSIS + allele variable: the meiosis indicator of that allele
UNTYPED, FULL, PARTIAL = 0, 1, 2
# a network's plan serves every family of its shape: above this many flops (for a batch of
# 64 families) its path is searched with the randomized greedy search, not greedy alone
# (2-3x fewer flops on siblings and first-cousin shapes with untyped parents)
RANDOM_PATH_ABOVE = 1e8
# a shape's plan serves every marker: its path is searched as if every allele dimension had
# at least this many alleles (SE33 has ~50 in the extended tables; a path found at the first
# marker's 11 alleles cost up to 13x more there than one found at 53)
PROBE_ALLELES = 48


@dataclass
class ModelArrays:
    """A marker model with the unbatched transmission tensors cached."""

    model: MarkerModel
    _split: dict | None = None

    @cached_property
    def rates(self) -> tuple[float, float] | None:
        """The model's proportional rates (:func:`.lumped.proportional_rates`): (0, 0)
        without mutation, None where the model is not lumpable."""
        from nasab.search.lumped import proportional_rates

        return proportional_rates(self.model)

    @property
    def lumpable(self) -> bool:
        """Whether families may be compiled over their observed alleles (see lumped.py)."""
        return self.rates is not None

    @property
    def k(self) -> int:
        return len(self.model.alleles)

    def split_transmission(self, male: bool) -> tuple[np.ndarray, np.ndarray]:
        if self._split is None:
            self._split = {}
        if male not in self._split:
            m = self.model.male if male else self.model.female
            self._split[male] = meiosis_split(0.5 * m, axis=0)
        return self._split[male]

    def prior(self, d: np.ndarray | None) -> tuple[np.ndarray, bool]:
        """A founder allele's prior over its domain (all alleles, or the two of a typed
        person: ``d`` (B, 2)); and whether it carries the batch index."""
        if d is None:
            return self.model.freqs, False
        return self.model.freqs[d], True

    def full(
        self, male: bool, dp: np.ndarray | None, dc: np.ndarray | None
    ) -> tuple[np.ndarray, bool]:
        """The mutation matrix over the parent's and the child's domains, not split by the
        meiosis indicator (a child whose received allele is fixed); whether it is batched."""
        m = self.model.male if male else self.model.female
        return _gather(m, dp, dc), dp is not None or dc is not None

    def transmission(
        self, male: bool, dp: np.ndarray | None, dc: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """The two meiosis-indicator factors of a transmission (see :func:`nasab.engine.contraction.meiosis_split`) over
        the parent's and the child's allele domains; and whether they are batched."""
        if dp is None and dc is None:
            first, second = self.split_transmission(male)
            return first, second, False
        a, _ = self.full(male, dp, dc)
        first, second = meiosis_split(0.5 * a, axis=1)
        return first, second, True


def _gather(mat: np.ndarray, dr: np.ndarray | None, dc: np.ndarray | None) -> np.ndarray:
    if dr is None and dc is None:
        return mat
    if dc is None:
        return mat[dr]  # (B, 2, K)
    if dr is None:
        return np.moveaxis(mat[:, dc], 1, 0)  # (B, K, 2)
    return mat[dr[:, :, None], dc[:, None, :]]  # (B, 2, 2)


class _BatchFactors:
    """Factors of B families of one shape at once (:mod:`nasab.engine.network`): every
    operand carries the family (batch) index; a fully typed person's pair ranges over its
    own two alleles (indices into the marker's list, per family), transmissions are split
    by the meiosis indicator (:func:`nasab.engine.contraction.meiosis_split`)."""

    def __init__(
        self,
        state: Sequence[int],
        alle: np.ndarray,
        ma: ModelArrays,
        free: Sequence[int],
        fixed: Sequence[int] = (),
    ) -> None:
        self.state, self.alle, self.ma = state, alle, ma
        self.fixed = frozenset(fixed)  # see _fixed_phase
        self.b = alle.shape[0]
        self.rows = np.arange(self.b)
        self.dom: dict[int, np.ndarray | None] = {v: None for v in free}
        self.lab: dict[int, int] = {}  # a typed person's maternal variable -> its phase

    def evidence(self, pid: str, pat: int, mat: int) -> list[Operand]:
        i, b = pat // 2, self.b
        st = self.state[i]
        if is_dropped(st):  # a reference under a dropout model (see refdrop.py)
            self.dom[pat] = self.dom[mat] = None
            return dropped_operands(self.ma, self.alle[:, i, :], st, pat, mat, BATCH)
        if st == FULL:
            # one phase variable for the pair: the paternal allele is d[phase], the maternal
            # one d[1 - phase] (the maternal variable is merged into the paternal one, its
            # domain reversed), weighted 1 for both phases of a heterozygote and for the
            # first phase only of a homozygote. Written so, a typed person's pair is one
            # binary variable instead of two joined by a 2 x 2 evidence table, and the
            # contraction can sum the parents' alleles phase by phase (for typed children of
            # untyped parents, 2^n small sums instead of one over all four parental alleles).
            d = self.alle[:, i, :]
            self.dom[pat] = d
            self.dom[mat] = d[:, ::-1]
            self.lab[mat] = pat
            w = np.ones((b, 2))
            w[:, 1] = d[:, 0] != d[:, 1]
            return [(w, (BATCH, pat))]
        self.dom[pat] = self.dom[mat] = None
        if st == PARTIAL:
            e = np.zeros((b, self.ma.k, self.ma.k))
            a = self.alle[:, i, 0]
            e[self.rows, a, :] = 1.0
            e[self.rows, :, a] = 1.0
            return [(e, (BATCH, pat, mat))]
        return []

    def founder(self, pid: str, pat: int, mat: int) -> list[Operand]:
        out = []
        for v in (pat, mat):
            t, batched = self.ma.prior(self.dom[v])
            lv = self.lab.get(v, v)
            out.append((t, (BATCH, lv) if batched else (lv,)))
        return out

    def meiosis(self, parent: str, ppat: int, pmat: int, var: int, male: bool) -> list[Operand]:
        if var in self.fixed:  # received from the parent's paternal allele: _fixed_phase
            t, batched = self.ma.full(male, self.dom[ppat], self.dom[var])
            lead = (BATCH,) if batched else ()
            return [(t, (*lead, self.lab.get(ppat, ppat), self.lab.get(var, var)))]
        s = MEIOSIS + var  # which of the parent's two alleles the child received
        dp, dm, dc = self.dom[ppat], self.dom[pmat], self.dom[var]
        first, second, batched = self.ma.transmission(male, dp, dc)
        if dm is not dp:  # a typed parent: its maternal allele is the reversed pair, so
            # its factor is the paternal one's with the parent's two alleles swapped
            second = np.ascontiguousarray(second[:, :, ::-1])
        lead = (BATCH,) if batched else ()
        lab = self.lab
        v = lab.get(var, var)
        return [
            (first, (*lead, s, lab.get(ppat, ppat), v)),
            (second, (*lead, s, lab.get(pmat, pmat), v)),
        ]


def _network(
    ped: Pedigree,
    persons: Sequence[str],
    state: Sequence[int],
    alle: np.ndarray,
    ma: ModelArrays,
    free: Sequence[int] = (),
    fixed: Sequence[int] = (),
) -> list[Operand]:
    """Batched operands: ``alle`` is (B, n_persons, 2) allele indices (pedigree order).
    ``free``: allele variables of a person left out of ``persons`` whose children are in it
    (full domain, no prior). ``fixed``: allele variables taken from their parent's paternal
    allele (:func:`_fixed_phase`)."""
    ops = build(ped, persons, _BatchFactors(state, alle, ma, free, fixed))
    if not any(idx and idx[0] == BATCH for _, idx in ops):
        ops.append((np.ones(alle.shape[0]), (BATCH,)))
    return ops


_SIZES: dict = {}


def _plan(
    ops: list[tuple[np.ndarray, tuple[int, ...]]], out: tuple[int, ...], probe: int = PROBE_ALLELES
) -> Plan:
    # the one plan cache (nasab.engine.contraction), keyed by the labels and the probe: the
    # same pedigree network at another marker (another number of alleles) reuses the plan,
    # so paths are searched once per network, at a fixed batch size
    return plan_for(
        [(t.shape, idx) for t, idx in ops],
        out,
        batch=BATCH,
        random_above=RANDOM_PATH_ABOVE,
        probe_alleles=probe,
    )


def _contract(
    ops: list[tuple[np.ndarray, tuple[int, ...]]], out: tuple[int, ...], probe: int = PROBE_ALLELES
) -> np.ndarray:
    """The network contracted to ``out`` by its cached plan, the path searched with every
    allele dimension at least ``probe`` (:data:`PROBE_ALLELES` over marker alleles; the
    lumped compile's local spaces are narrower, :func:`.stacked.contract_lumped`)."""
    xp = gpu_module()
    opts = {"batch": BATCH, "random_above": RANDOM_PATH_ABOVE, "probe_alleles": probe}
    if xp is None:
        return contract(ops, out, _LABEL, **opts)
    gpu_ops = [(xp.asarray(t), idx) for t, idx in ops]
    return xp.asnumpy(contract(gpu_ops, out, _LABEL, xp=xp, **opts))


_LABEL = "search compile"


def _batch_size(
    ped: Pedigree,
    persons: Sequence[str],
    state: Sequence[int],
    ma: ModelArrays,
    out: tuple[int, ...],
    n: int,
    free: Sequence[int] = (),
    extra: Sequence = (),
    fixed: Sequence[int] = (),
    probe: int = PROBE_ALLELES,
) -> int:
    """How many families to contract at once so that no intermediate exceeds the limit
    (by the plan :func:`_contract` uses with the same ``probe``)."""
    key = (
        tuple(ped.parent_indices()),
        tuple(persons),
        tuple(state),
        ma.k,
        out,
        tuple(free),
        tuple(idx for _, idx in extra),
        tuple(fixed),
        probe,
    )
    per = _SIZES.get(key)
    if per is None:
        one = np.zeros((1, len(ped), 2), np.int64)  # a batch of one family
        ops = _network(ped, persons, state, one, ma, free, fixed)
        per = _per_family(ops + list(extra), out, ma.k, probe)
        _SIZES[key] = per
    return int(max(1, min(n, CT.MAX_BATCH_ELEMENTS // per)))


def _per_family(
    ops: list[tuple[np.ndarray, tuple[int, ...]]],
    out: tuple[int, ...],
    k: int,
    probe: int = PROBE_ALLELES,
) -> int:
    """Elements of the largest intermediate for one family (``ops`` built for a batch of
    one), and at least the K x K output."""
    sizes = {BATCH: 1}
    for t, idx in ops:
        sizes.update(zip(idx, t.shape, strict=True))
    per = max(_plan(ops, out, probe).largest_intermediate(sizes), k * k)
    # one family alone above the limit: refused before it runs (the batch is cut below it)
    check_memory(per, "a family's pedigree network (search compile)", len(ops), [k])
    return per


def full_joint_and_likelihood(
    ped: Pedigree,
    mp: str,
    state: Sequence[int],
    alle: np.ndarray,
    ma: ModelArrays,
    sums: bool = False,
    closed_form: bool = True,
) -> tuple[np.ndarray | JointSums, np.ndarray]:
    """For B families sharing ``ped``'s structure and typing ``state`` at this marker:
    (B, K, K) joint probability of the data and each ordered genotype of ``mp``, and (B,)
    likelihood of the data (the reference family, ``mp`` untyped), over the marker's full
    allele list (every mutation model; the lumped compile, for the models where it is
    exact, is :func:`nasab.search.stacked.joint_and_likelihood`). With ``sums``, the
    joint's :class:`.tables.JointSums` in its place (all that the theta = 0 tables need).
    ``closed_form``: the closed forms of the sibship shapes (:mod:`.sibship`) and of typed
    children by typed spouses (:mod:`.offspring`); False: by
    the general contraction, as the tests compare them)."""
    n = alle.shape[0]
    typed = {pid for pid in ped.ids if state[ped.index(pid)] != UNTYPED}
    k = ma.k
    j_out = np.empty((n, k, k))
    l_out = np.ones(n)
    i = ped.index(mp)
    persons_j = ped.ancestors(typed | {mp}, inclusive=True)
    sib = sibship_shape(ped, mp, state, FULL, UNTYPED) if closed_form else None
    split = None if sib is not None else _split_at(ped, persons_j, mp)
    if split is not None and not _split_is_cheaper(
        ped, mp, state, ma, persons_j, split, closed_form
    ):
        split = None
    if sib is not None:  # the closed form of the sibship shapes (sibship.py)
        sibship_joint(ped, sib, alle, ma, lambda pids, out: _prior_joint(ped, pids, out, ma), j_out)
    elif split is not None:
        _joint_split(ped, mp, state, alle, ma, split, j_out, closed_form)
    else:
        out_j = (BATCH, 2 * i, 2 * i + 1)
        fixed = _fixed_phase(ped, persons_j, state, mp)
        step = _batch_size(ped, persons_j, state, ma, out_j, n, fixed=fixed)
        for s in range(0, n, step):
            ops = _network(ped, persons_j, state, alle[s : s + step], ma, fixed=fixed)
            j_out[s : s + step] = _contract(ops, out_j)
    # The family's likelihood is the joint summed over the missing person's genotypes, as
    # in nasab.engine.lr (one contraction serves both hypotheses, and the two agree exactly even
    # when a table's frequencies do not sum to 1 to the last digit).
    l_out[:] = j_out.reshape(n, -1).sum(axis=1)
    return (JointSums.of(j_out) if sums else j_out), l_out


def _prior_joint(ped: Pedigree, pids: list[str], out: list[int], ma: ModelArrays) -> np.ndarray:
    """The joint prior of the allele variables ``out`` of untyped persons: the network of
    ``pids`` and their ancestors, untyped, contracted to ``out`` (no batch)."""
    persons = ped.ancestors(set(pids), inclusive=True)
    probe = np.zeros((1, len(ped), 2), np.int64)
    ops = _network(ped, persons, [UNTYPED] * len(ped), probe, ma)
    return np.asarray(_contract(ops, (BATCH, *out)))[0]


_CHOICE: dict = {}


def _cost(ops, out) -> float:
    """Flops of the path the contraction will use (searched as the plans are, at the
    probe sizes), not of the greedy estimate: the choice between the direct and the split
    contraction is made once per network and serves thousands of families."""
    sig = probe_signature(
        [(t.shape, tuple(idx)) for t, idx in ops], batch=BATCH, probe_alleles=PROBE_ALLELES
    )
    return find_path(sig, out, random_above=RANDOM_PATH_ABOVE)[1][0]


def _split_is_cheaper(
    ped: Pedigree,
    mp: str,
    state: Sequence[int],
    ma: ModelArrays,
    persons_j: Sequence[str],
    split,
    closed_form: bool = True,
) -> bool:
    """Compare the estimated flop counts of the direct contraction and of the split one
    (the descendants' side by its closed form, :mod:`.offspring`, counted as free)."""
    # decided once per network (at the first marker seen), not per number of alleles
    key = (tuple(ped.parent_indices()), ped.index(mp), tuple(state), closed_form)
    got = _CHOICE.get(key)
    if got is not None:
        return got
    up, down = split
    p = ped[mp]
    fi, mi, i = ped.index(p.father), ped.index(p.mother), ped.index(mp)  # type: ignore[arg-type]
    probe = np.zeros((1, len(ped), 2), np.int64)
    out_j = (BATCH, 2 * i, 2 * i + 1)
    fixed = _fixed_phase(ped, persons_j, state, mp)
    direct = _cost(_network(ped, persons_j, state, probe, ma, fixed=fixed), out_j)
    ops = _network(ped, up, state, probe, ma, fixed=_fixed_phase(ped, up, state, mp))
    terms = len(_passed_on(ped, state, p.father)) * len(_passed_on(ped, state, p.mother))
    cost = terms * _cost(ops + _mp_factors(ma.model, probe, state, fi, mi, i, 0, 0), out_j)
    if down and (not closed_form or offspring_shape(ped, mp, down, state, FULL) is None):
        fix_down = _fixed_phase(ped, down, state, mp)
        cost += _cost(_network(ped, down, state, probe, ma, (2 * i, 2 * i + 1), fix_down), out_j)
    _CHOICE[key] = cost < direct
    return _CHOICE[key]


def _split_at(ped: Pedigree, persons: Sequence[str], mp: str):
    """When the missing person has both parents and is a cut vertex of the network (nothing
    but the person links its ancestors' side to its descendants' side): (up persons, down
    persons); else None."""
    p = ped[mp]
    if p.father is None:
        return None
    pset = [x for x in persons if x != mp]
    adj: dict[str, set[str]] = {x: set() for x in pset}
    for x in pset:
        q = ped[x]
        for par in (q.father, q.mother):
            if par is not None and par in adj:
                adj[x].add(par)
                adj[par].add(x)
    up: set[str] = set()
    stack = [p.father, p.mother]
    while stack:
        x = stack.pop()
        if x in up:
            continue
        up.add(x)
        stack.extend(adj[x] - up)
    down = [x for x in pset if x not in up]
    if any(c in up for c in ped.children(mp)):
        return None
    return [x for x in pset if x in up], down


def _exchangeable(ped: Pedigree, state: Sequence[int], parent: str | None) -> bool:
    """Whether a parent's two alleles are exchangeable in the network: an untyped founder's
    (the same prior, and each child's transmission (M[a, c] + M[b, c]) / 2 is symmetric in
    them), so which one a single child received can be fixed."""
    if parent is None:
        return False
    q = ped[parent]
    return q.father is None and q.mother is None and state[ped.index(q.id)] == UNTYPED


def _passed_on(ped: Pedigree, state: Sequence[int], parent: str | None) -> tuple[int, ...]:
    """Which of a parent's two alleles (0 paternal, 1 maternal) the split contraction must
    try as the one passed on to the MP, and how often each counts: for an exchangeable
    parent (:func:`_exchangeable`) the term for its maternal allele equals the term for its
    paternal one and is counted twice instead of contracted."""
    return (0, 0) if _exchangeable(ped, state, parent) else (0, 1)


def _fixed_phase(
    ped: Pedigree, persons: Sequence[str], state: Sequence[int], mp: str
) -> tuple[int, ...]:
    """Allele variables of the network of ``persons`` whose transmission is fixed to the
    parent's paternal allele: for each untyped founder (its two alleles exchangeable:
    :func:`_exchangeable`) one child, the MP where it is one, else its first child in the
    network. The sum over which parental allele that child received is then the paternal
    term twice, so its transmission is M[paternal, c] alone (one meiosis indicator fewer).
    The symmetry serves once per founder: where the MP is not in ``persons`` (the split
    contraction's ancestors' side), its parents' symmetry is left to :func:`_passed_on`."""
    inside = set(persons)
    out = []
    for pid in persons:
        if not _exchangeable(ped, state, pid):
            continue
        kids = [c for c in ped.children(pid) if c in inside or c == mp]
        if not kids:
            continue
        if mp in kids:
            if mp not in inside or state[ped.index(mp)] != UNTYPED:
                continue
            child = mp
        else:
            child = kids[0]
        c = ped[child]
        out.append(2 * ped.index(child) + (0 if c.father == pid else 1))
    return tuple(sorted(out))


def _mp_factors(
    model: MarkerModel,
    al: np.ndarray,
    state: Sequence[int],
    fi: int,
    mi: int,
    i: int,
    u: int,
    w: int,
) -> list[tuple[np.ndarray, tuple[int, ...]]]:
    """The MP's paternal allele copied (with mutation) from the father's allele ``u``
    (0 paternal, 1 maternal), its maternal allele from the mother's allele ``w``."""
    out = []
    for par, mat, which, var in ((fi, model.male, u, 2 * i), (mi, model.female, w, 2 * i + 1)):
        if state[par] == FULL:  # the typed parent's phase variable (see _BatchFactors)
            d = al[:, par, :] if which == 0 else al[:, par, ::-1]
            out.append((mat[d], (BATCH, 2 * par, var)))
        else:
            out.append((mat, (2 * par + which, var)))
    return out


def _joint_split(
    ped: Pedigree,
    mp: str,
    state: Sequence[int],
    alle: np.ndarray,
    ma: ModelArrays,
    split,
    j_out: np.ndarray,
    closed_form: bool = True,
) -> None:
    """Joint of the data and the MP's ordered genotype as Up(x, y) * Down(x, y).

    Up: the transmission t(Fp, Fm -> x) = (M[Fp, x] + M[Fm, x]) / 2 is a sum, so the
    ancestors' side is contracted once for each choice of the parents' alleles passed on
    (four at most; one per untyped founder parent, whose two alleles are exchangeable:
    :func:`_passed_on`), each with a K x K factor instead of the K x K x K transmission
    tensor (no O(K^5) step in pedigrees with loops).
    Down: the descendants' side with the MP's alleles free."""
    up, down = split
    p = ped[mp]
    fi, mi = ped.index(p.father), ped.index(p.mother)  # type: ignore[arg-type]
    i = ped.index(mp)
    n = alle.shape[0]
    model = ma.model
    out_j = (BATCH, 2 * i, 2 * i + 1)
    probe = np.zeros((1, len(ped), 2), np.int64)
    extra_probe = _mp_factors(model, probe, state, fi, mi, i, 0, 0)
    fix_up = _fixed_phase(ped, up, state, mp)
    step = _batch_size(ped, up, state, ma, out_j, n, extra=extra_probe, fixed=fix_up)
    us, ws = _passed_on(ped, state, p.father), _passed_on(ped, state, p.mother)
    for s in range(0, n, step):
        al = alle[s : s + step]
        ops = _network(ped, up, state, al, ma, fixed=fix_up)
        acc = None
        for u in sorted(set(us)):
            for w in sorted(set(ws)):
                r = _contract(ops + _mp_factors(model, al, state, fi, mi, i, u, w), out_j)
                times = us.count(u) * ws.count(w)  # an exchangeable parent's term, twice
                if times != 1:
                    r = r * times
                acc = r if acc is None else acc + r
        j_out[s : s + step] = 0.25 * acc
    off = offspring_shape(ped, mp, down, state, FULL) if closed_form else None
    if off is not None:  # typed children by typed spouses: the closed form (offspring.py),
        # in steps whose (families, K, K) temporaries stay under the contraction's limit
        step = max(1, CT.MAX_BATCH_ELEMENTS // (len(model.freqs) ** 2))
        for s in range(0, n, step):
            j_out[s : s + step] *= offspring_down(off, alle[s : s + step], model)
    elif down:
        free = (2 * i, 2 * i + 1)
        out_d = (BATCH, 2 * i, 2 * i + 1)
        fix_down = _fixed_phase(ped, down, state, mp)
        step = _batch_size(ped, down, state, ma, out_d, n, free, fixed=fix_down)
        for s in range(0, n, step):
            ops = _network(ped, down, state, alle[s : s + step], ma, free, fix_down)
            j_out[s : s + step] *= _contract(ops, out_d)


def lr_tables(
    joint: np.ndarray | JointSums, lik: np.ndarray, freqs: np.ndarray, classes: tuple = ()
) -> np.ndarray:
    """(B, size) log10 LR rows from the joint (B, K, K), or its sums, and the family
    likelihoods (B,), theta = 0 (H2: the remain is an unrelated Hardy-Weinberg person): the
    entries of :class:`.tables.MarkerTable` for the remains' observation ``classes``
    (DropModels)."""
    sums = joint if isinstance(joint, JointSums) else JointSums.of(joint)
    table = MarkerTable(sums.diag.shape[-1], tuple(classes))
    return fill_tables_hw(sums, lik, table, freqs)
