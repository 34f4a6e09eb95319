"""Exact pedigree likelihood for one autosomal marker.

The pedigree is turned into a sum-product network over allele variables: each person has a
paternal and a maternal allele; founders' alleles are drawn from the population
frequencies, and a child's paternal allele is one of the father's two alleles, each with
probability 1/2, passed through the father's (male) mutation matrix; likewise for the
maternal allele. Typed genotypes are evidence on the pair (see :mod:`nasab.engine.observation`:
plain, partial, silent alleles, dropout and drop-in). Summing over every variable gives the
exact likelihood for any pedigree, loops from consanguineous marriages included; the
contraction order is chosen by opt_einsum.

Exact reductions, none of which changes the value:
  * untyped individuals without typed descendants sum out to 1 and are removed;
  * when the mutation model allows it (no mutation, ``equal``, ``proportional``), alleles
    nobody carries are lumped into one allele whose frequency is their sum;
  * a typed person's alleles range over the alleles their observation admits.

Population substructure (theta > 0, Balding-Nichols): founder alleles are exchangeable
draws from subpopulation frequencies q ~ Dirichlet(p (1-theta)/theta); the exact sums are
in :mod:`nasab.engine.theta`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import opt_einsum as oe

from nasab.engine.contraction import contract, plan_for
from nasab.engine.genotypes import Genotype
from nasab.engine.mutation import complement_indices, lump
from nasab.engine.network import Operand, build, needed_persons, typed_persons
from nasab.engine.observation import DROPOUT_MARK, DropModel, is_silent, observation_weights
from nasab.engine.pedigree import Pedigree


@dataclass(frozen=True)
class MarkerModel:
    """Everything about one marker that the likelihood needs."""

    name: str
    alleles: tuple[str, ...]
    freqs: np.ndarray
    female: np.ndarray  # mutation matrix for mother -> child
    male: np.ndarray  # mutation matrix for father -> child
    mutation: bool
    _spaces: dict = field(default_factory=dict, repr=False, compare=False)

    def allele_index(self) -> dict[str, int]:
        idx = self._spaces.get("index")
        if idx is None:
            idx = self._spaces["index"] = {a: i for i, a in enumerate(self.alleles)}
        return idx

    @property
    def silent_index(self) -> int | None:
        return next((i for i, a in enumerate(self.alleles) if is_silent(a)), None)


@dataclass
class Space:
    """The (possibly lumped) allele space of one computation."""

    freqs: np.ndarray
    female: np.ndarray
    male: np.ndarray
    code: dict[str, int]  # allele label -> index in this space
    labels: list[str | None]  # None for the lumped class
    table_freqs: np.ndarray | None = None  # every allele of the marker (drop-in)
    _factors: dict = field(default_factory=dict, repr=False)

    def transmission(
        self, male: bool, dp: np.ndarray, dm: np.ndarray, dc: np.ndarray
    ) -> np.ndarray:
        """T[p, m, c] = (M[p, c] + M[m, c]) / 2 over the given domains (cached: the same
        factors recur across persons, markers and candidate remains)."""
        key = (male, dp.tobytes(), dm.tobytes(), dc.tobytes())
        t = self._factors.get(key)
        if t is None:
            mat = self.male if male else self.female
            cols = mat[:, dc]
            t = 0.5 * (cols[dp][:, None, :] + cols[dm][None, :, :])
            if len(self._factors) < 4096:
                self._factors[key] = t
        return t

    def weights(self, g: Genotype, drop: DropModel | None) -> np.ndarray:
        """P(observation g | ordered genotype) over this space (cached)."""
        key = ("W", g, drop)
        w = self._factors.get(key)
        if w is None:
            w = observation_weights(g, self.labels, self.freqs, drop, self.table_freqs)
            if len(self._factors) < 4096:
                self._factors[key] = w
        return w

    def evidence(self, g: Genotype, drop: DropModel | None) -> tuple[np.ndarray, np.ndarray]:
        """(domain, weights) of a typed person's ordered genotype (cached)."""
        key = ("obs", g, drop)
        hit = self._factors.get(key)
        if hit is None:
            w = observation_weights(g, self.labels, self.freqs, drop, self.table_freqs)
            dom = np.flatnonzero(w.any(axis=1))
            hit = (dom, np.ascontiguousarray(w[np.ix_(dom, dom)]))
            if len(self._factors) < 4096:
                self._factors[key] = hit
        return hit


def _observed(genos: Mapping[str, Genotype], index: dict[str, int]) -> set[int]:
    return {index[a] for g in genos.values() for a in g if a is not None and a != DROPOUT_MARK}


def lumping_allowed(*drop_models: DropModel | None) -> bool:
    """Unobserved alleles may share one class unless a dropout model tells a homozygote
    from a heterozygote of two unobserved alleles (d_hom other than d**2)."""
    return all(m is None or m.d_hom == m.dropout**2 for m in drop_models)


def allele_space(
    model: MarkerModel,
    genos: Mapping[str, Genotype],
    extra: Sequence[str] = (),
    lumpable: bool = True,
) -> Space:
    """The smallest exact allele space for these data (plus ``extra`` alleles)."""
    if not lumpable:
        return full_space(model)
    index = model.allele_index()
    observed = _observed(genos, index)
    observed.update(index[a] for a in extra if a != DROPOUT_MARK)
    if model.silent_index is not None:
        observed.add(model.silent_index)
    key = tuple(sorted(observed))
    space = model._spaces.get(key)
    if space is None:
        space = model._spaces[key] = _make_space(model, list(key))
    return space


def full_space(model: MarkerModel) -> Space:
    space = model._spaces.get("full")
    if space is None:
        space = model._spaces["full"] = Space(
            model.freqs,
            model.female,
            model.male,
            dict(model.allele_index()),
            list(model.alleles),
            model.freqs,
        )
    return space


def _make_space(model: MarkerModel, observed: list[int]) -> Space:
    n = len(model.alleles)
    if n - len(observed) >= 2:
        if model.mutation:
            lf = lump(model.female, observed)
            lm = lf if model.male is model.female else lump(model.male, observed)
        else:
            lf = lm = np.eye(len(observed) + 1)
        if lf is not None and lm is not None:
            rest = complement_indices(n, observed)
            freqs = np.append(model.freqs[observed], model.freqs[rest].sum())
            code = {model.alleles[i]: k for k, i in enumerate(observed)}
            labels: list[str | None] = [model.alleles[i] for i in observed] + [None]
            return Space(freqs, lf, lm, code, labels, model.freqs)
    return full_space(model)


def marker_likelihood(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    drops: Mapping[str, DropModel] | None = None,
    theta: float = 0.0,
) -> float:
    """P(observations of the typed persons | pedigree) at one marker, exactly."""
    space = allele_space(model, genos, lumpable=lumping_allowed(*(drops or {}).values()))
    if theta > 0:
        from nasab.engine.theta import theta_likelihood

        return float(theta_likelihood(ped, genos, space, theta, drops))
    operands = _network(ped, genos, space, None, drops)
    if not operands:
        return 1.0
    return float(_contract(operands, (), f"marker {model.name}"))


def marker_log10_likelihood(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    drops: Mapping[str, DropModel] | None = None,
) -> float:
    """log10 of :func:`marker_likelihood` (theta 0), without underflow: -inf when the data
    are impossible."""
    space = allele_space(model, genos, lumpable=lumping_allowed(*(drops or {}).values()))
    operands = _network(ped, genos, space, None, drops)
    if not operands:
        return 0.0
    t, scale = log10_contract(operands, (), f"marker {model.name}")
    v = float(t)
    return math.log10(v) + scale if v > 0 else -math.inf


def genotype_joint(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    person: str,
    drops: Mapping[str, DropModel] | None = None,
) -> np.ndarray:
    """Joint probability of the data and each ordered genotype (paternal, maternal) of
    ``person`` (who must be untyped): a K x K matrix over the marker's full allele list."""
    n = len(model.alleles)
    operands = _network(ped, genos, full_space(model), person, drops)
    i = ped.index(person)
    return np.asarray(_contract(operands, (2 * i, 2 * i + 1), f"marker {model.name}")).reshape(n, n)


def person_joint(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    person: str,
    alleles: Sequence[str],
    drops: Mapping[str, DropModel] | None = None,
    lumpable: bool = True,
) -> tuple[np.ndarray, Space]:
    """Like :func:`genotype_joint`, on the smallest exact allele space that still tells
    apart the given ``alleles`` (the full list if ``lumpable`` is false). Summing the
    matrix gives the likelihood of the data without ``person``."""
    joint, space, scale = person_joint_scaled(ped, genos, model, person, alleles, drops, lumpable)
    return joint * 10.0**scale, space


def person_joint_scaled(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    person: str,
    alleles: Sequence[str],
    drops: Mapping[str, DropModel] | None = None,
    lumpable: bool = True,
) -> tuple[np.ndarray, Space, float]:
    """:func:`person_joint` as (J, space, s) with the joint = J * 10**s: no underflow for
    tiny frequencies (see :func:`log10_contract`)."""
    lumpable = lumpable and lumping_allowed(*(drops or {}).values())
    space = allele_space(model, genos, extra=alleles, lumpable=lumpable)
    operands = _network(ped, genos, space, person, drops)
    i = ped.index(person)
    k = len(space.freqs)
    out, scale = log10_contract(operands, (2 * i, 2 * i + 1), f"marker {model.name}")
    return out.reshape(k, k), space, scale


def theta_person_joints(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    person: str,
    alleles: Sequence[str],
    theta: float,
    drops: Mapping[str, DropModel] | None = None,
    lumpable: bool = True,
) -> tuple[np.ndarray, np.ndarray, Space]:
    """Under theta > 0, exactly: J1, the joint of the data and ``person``'s ordered genotype
    (H1: the person of interest is ``person``), and J2, the joint of the data and the ordered
    genotype of one more unrelated founder of the same subpopulation (H2), K x K on the
    smallest exact space that names ``alleles``."""
    from nasab.engine.theta import theta_likelihood, unrelated_joint

    lumpable = lumpable and lumping_allowed(*(drops or {}).values())
    space = allele_space(model, genos, extra=alleles, lumpable=lumpable)
    j1 = theta_likelihood(ped, genos, space, theta, drops, open_person=person)
    j2 = unrelated_joint(ped, genos, space, theta, drops)
    return np.asarray(j1), np.asarray(j2), space


def dirichlet_quadrature(
    p: np.ndarray, theta: float, slots: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Dirichlet(p (1 - theta) / theta) quadrature (see :func:`.theta.dirichlet_points`)."""
    from nasab.engine.theta import dirichlet_points

    return dirichlet_points(np.asarray(p, float) * (1.0 - theta) / theta, slots)


class _SpaceFactors:
    """Factors over a full or lumped allele space, Hardy-Weinberg founders."""

    def __init__(
        self,
        genos: Mapping[str, Genotype],
        space: Space,
        drops: Mapping[str, DropModel] | None,
        typed: set[str],
    ) -> None:
        self.genos, self.space, self.drops, self.typed = genos, space, drops or {}, typed
        self.full = np.arange(len(space.freqs))
        self.dom: dict[int, np.ndarray] = {}

    def evidence(self, pid: str, pat: int, mat: int) -> list[Operand]:
        if pid not in self.typed:
            self.dom[pat] = self.dom[mat] = self.full
            return []
        d, w = self.space.evidence(self.genos[pid], self.drops.get(pid))
        self.dom[pat] = self.dom[mat] = d
        return [(w, (pat, mat))] if len(d) > 1 or w[0, 0] != 1.0 else []

    def founder(self, pid: str, pat: int, mat: int) -> list[Operand]:
        return [(self.space.freqs[self.dom[v]], (v,)) for v in (pat, mat)]

    def meiosis(self, parent: str, ppat: int, pmat: int, var: int, male: bool) -> list[Operand]:
        t = self.space.transmission(male, self.dom[ppat], self.dom[pmat], self.dom[var])
        return [(t, (ppat, pmat, var))]


def _network(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    space: Space,
    open_person: str | Sequence[str] | None,
    drops: Mapping[str, DropModel] | None = None,
) -> list[Operand]:
    """The marker's network (see :mod:`nasab.engine.network`), ``open_person``'s pair left
    open when given (one id or several)."""
    typed = typed_persons(genos)
    opened = (
        []
        if open_person is None
        else ([open_person] if isinstance(open_person, str) else list(open_person))
    )
    persons = needed_persons(ped, typed, opened)
    return build(ped, persons, _SpaceFactors(genos, space, drops, typed))


# -- several open persons; a batch axis over families (nasab power) ------------------------
BATCH = -1  # the index of the batch axis in batched networks


def open_joint(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    persons: Sequence[str],
    drops: Mapping[str, DropModel] | None = None,
    *,
    extra: Sequence[str] = (),
    lumpable: bool = False,
) -> tuple[np.ndarray, Space, float]:
    """Joint probability of the data and the ordered genotypes of several untyped
    ``persons`` at once, as (J, space, s) with the joint = J * 10**s (no underflow for tiny
    frequencies, see :func:`log10_contract`): an array with two axes (paternal, maternal
    allele) per person, on the full allele list (every allele a specific allele) unless
    ``lumpable``, then on the smallest exact space naming ``extra``. One person gives
    :func:`person_joint_scaled`'s matrix."""
    lumpable = lumpable and lumping_allowed(*(drops or {}).values())
    space = allele_space(model, genos, extra=extra, lumpable=lumpable)
    operands = _network(ped, genos, space, tuple(persons), drops)
    out = tuple(v for pid in persons for v in (2 * ped.index(pid), 2 * ped.index(pid) + 1))
    k = len(space.freqs)
    t, scale = log10_contract(operands, out, f"marker {model.name}")
    return t.reshape((k,) * len(out)), space, scale


def batch_open_joint(
    ped: Pedigree,
    batch: Sequence[Mapping[str, Genotype]],
    model: MarkerModel,
    persons: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`open_joint` for B families of one pedigree at once, on the full allele list:
    (J, s), an array (B, K, K[, K, K]) and a vector (B,) with family b's joint =
    J[b] * 10**s[b] (rescaled per family: no underflow). Families whose typed persons have
    the same pattern (untyped, homozygote, heterozygote) share one network with a batch
    axis: a typed person's alleles range over their genotype's alleles, gathered per family
    from the shared factors. Complete genotypes only (no dropout models)."""
    space = full_space(model)
    k = len(space.freqs)
    typed = sorted({p for g in batch for p in typed_persons(g)}, key=ped.index)
    out = np.zeros((len(batch),) + (k,) * (2 * len(persons)))
    scales = np.zeros(len(batch))
    shapes: dict[tuple, list[int]] = {}
    for b, g in enumerate(batch):
        shapes.setdefault(tuple(len(set(g[p])) if p in g else 0 for p in typed), []).append(b)
    outputs = (BATCH, *(v for pid in persons for v in (2 * ped.index(pid), 2 * ped.index(pid) + 1)))
    for key, rows in shapes.items():
        here = {p for p, n in zip(typed, key, strict=True) if n}
        source = _BatchFactors([batch[b] for b in rows], space, here)
        ops = build(ped, needed_persons(ped, here, persons), source)
        if not any(BATCH in ix for _, ix in ops):  # the batch axis needs an operand
            ops.append((np.ones(len(rows)), (BATCH,)))
        ops, scale = _rescaled_batch(ops, len(rows))
        t = np.array(_contract(ops, outputs, f"marker {model.name}"))
        tiny = np.flatnonzero(~(t.reshape(len(rows), -1).max(axis=1) >= TINY_RESULT))
        if tiny.size:  # those families again, step by step (see log10_contract)
            sub = [
                (np.take(f, tiny, axis=ix.index(BATCH)) if BATCH in ix else f, ix) for f, ix in ops
            ]
            t[tiny], more = _stepwise(sub, outputs)
            scale[tiny] += more
        out[rows] = t
        scales[rows] = scale
    return out, scales


class _BatchFactors:
    """Full allele space, Hardy-Weinberg founders, a batch axis over families: a typed
    person's variables range per family over their genotype's alleles (B, d)."""

    def __init__(self, batch, space: Space, typed: set[str]) -> None:
        self.batch, self.space, self.typed = batch, space, typed
        self.full = np.arange(len(space.freqs))
        self.every = np.broadcast_to(self.full, (len(batch), len(self.full)))
        self.dom: dict[int, np.ndarray] = {}  # variable -> (B, d) allele indices

    def _plain(self, pid: str) -> bool:
        return all(
            a is not None and not is_silent(a) and a != DROPOUT_MARK
            for g in self.batch
            for a in g[pid]
        )

    def evidence(self, pid: str, pat: int, mat: int) -> list[Operand]:
        if pid not in self.typed:
            return []
        if not self._plain(pid):  # partial genotypes, silent alleles: weights over all
            ev = np.stack([self.space.weights(g[pid], None) for g in self.batch])
            return [(ev, (BATCH, pat, mat))]
        d = np.array([sorted({self.space.code[a] for a in g[pid]}) for g in self.batch])
        self.dom[pat] = self.dom[mat] = d
        # a heterozygote is (a, b) or (b, a)
        return [(np.array([[0.0, 1.0], [1.0, 0.0]]), (pat, mat))] if d.shape[1] == 2 else []

    def founder(self, pid: str, pat: int, mat: int) -> list[Operand]:
        return [
            (self.space.freqs[self.dom[v]], (BATCH, v))
            if v in self.dom
            else (self.space.freqs, (v,))
            for v in (pat, mat)
        ]

    def meiosis(self, parent: str, ppat: int, pmat: int, var: int, male: bool) -> list[Operand]:
        idx = (ppat, pmat, var)
        t = self.space.transmission(male, self.full, self.full, self.full)
        if not any(v in self.dom for v in idx):
            return [(t, idx)]
        x, y, z = (self.dom.get(v, self.every) for v in idx)
        return [(t[x[:, :, None, None], y[:, None, :, None], z[:, None, None, :]], (BATCH, *idx))]


def _contract(
    operands: list[tuple[np.ndarray, tuple[int, ...]]],
    output: tuple[int, ...],
    label: str = "pedigree network",
):
    # the one plan cache (nasab.engine.contraction), keyed by the labels and the shapes:
    # every marker of a family with the same typing pattern reuses the plan
    pattern = tuple(t.shape for t, _ in operands)
    return contract(operands, output, label, pattern=pattern)


def _rescaled(
    operands: list[tuple[np.ndarray, tuple[int, ...]]],
) -> tuple[list[tuple[np.ndarray, tuple[int, ...]]], float]:
    """Each factor divided by its largest entry, and the log10 of the product of those
    entries: the network's value is the contraction of the rescaled factors times
    10**scale. With every factor at most 1 and at least one entry equal to 1, products of
    tiny frequencies (1e-60, 1e-100 and smaller) neither underflow to 0 nor lose digits."""
    out = []
    scale = 0.0
    for t, idx in operands:
        m = float(np.max(t)) if t.size else 0.0
        if m > 0 and m != 1.0:
            out.append((t / m, idx))
            scale += math.log10(m)
        else:
            out.append((t, idx))
    return out, scale


def _rescaled_batch(
    operands: list[tuple[np.ndarray, tuple[int, ...]]], nb: int
) -> tuple[list[tuple[np.ndarray, tuple[int, ...]]], np.ndarray]:
    """:func:`_rescaled` with a batch axis: a factor over the batch axis is divided, family
    by family, by its largest entry, and each family's log10 scale kept apart."""
    plain = [(t, idx) for t, idx in operands if BATCH not in idx]
    out, common = _rescaled(plain)
    scale = np.full(nb, common)
    for t, idx in operands:
        if BATCH not in idx:
            continue
        axis = idx.index(BATCH)
        rest = tuple(a for a in range(t.ndim) if a != axis)
        m = np.max(t, axis=rest, keepdims=True) if rest else t
        m = np.where(m > 0, m, 1.0)
        out.append((t / m, idx))
        scale += np.log10(m.reshape(nb))
    return out, scale


TINY_RESULT = 1e-150  # below this, a rescaled contraction is redone step by step


def log10_contract(
    operands: list[tuple[np.ndarray, tuple[int, ...]]],
    output: tuple[int, ...],
    label: str = "pedigree network",
) -> tuple[np.ndarray, float]:
    """(T, s) with the network's contraction = T * 10**s, computed without underflow: the
    factors rescaled (:func:`_rescaled`), and when the result is still tiny (products of
    several tiny frequencies in one intermediate, e.g. two untyped grandparents of a rare
    homozygote), the contraction redone pair by pair along the same path with every
    intermediate rescaled (:func:`_stepwise`)."""
    ops, scale = _rescaled(operands)
    t = np.asarray(_contract(ops, output, label))
    if ops and not np.max(t, initial=0.0) >= TINY_RESULT:
        t, more = _stepwise(ops, output)
        scale += float(more)
    return t, scale


def _stepwise(
    operands: list[tuple[np.ndarray, tuple[int, ...]]], output: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray | float]:
    """The contraction along the cached plan's pairwise path (the one plan cache,
    :func:`nasab.engine.contraction.plan_for`), each intermediate divided by its largest
    entry (per family where it has the batch axis): (T, s) with the value = T * 10**s (s a
    vector over the batch axis when ``output`` starts with it)."""
    shapes = tuple(t.shape for t, _ in operands)
    plan = plan_for([(t.shape, idx) for t, idx in operands], output, pattern=shapes)
    ts = [t for t, _ in operands]
    ixs = [tuple(idx) for _, idx in operands]
    batched = bool(output) and output[0] == BATCH
    scale: np.ndarray | float = 0.0
    if batched:
        t, ix = next((t, ix) for t, ix in zip(ts, ixs, strict=True) if BATCH in ix)
        scale = np.zeros(t.shape[ix.index(BATCH)])
    for pair in plan.path:
        picked = [(ts.pop(x), ixs.pop(x)) for x in sorted(pair, reverse=True)]
        keep = set(output).union(*ixs)
        out_ix = tuple(dict.fromkeys(i for _, ix in picked for i in ix if i in keep))
        args: list = []
        for t, ix in picked:
            args += [t, list(ix)]
        t = np.asarray(oe.contract(*args, list(out_ix)))
        t, s = _rescale_one(t, out_ix, batched)
        scale = scale + s
        ts.append(t)
        ixs.append(out_ix)
    (t,), (ix,) = ts, ixs
    return np.asarray(oe.contract(t, list(ix), list(output))), scale


def _rescale_one(t: np.ndarray, ix: tuple[int, ...], batched: bool):
    """t divided by its largest entry (per batch row when batched and t has the axis),
    and the log10 of what was divided."""
    if batched and BATCH in ix:
        axis = ix.index(BATCH)
        rest = tuple(a for a in range(t.ndim) if a != axis)
        m = np.max(t, axis=rest, keepdims=True) if rest else t
        m = np.where(m > 0, m, 1.0)
        return t / m, np.log10(m.reshape(-1))
    m = float(np.max(t, initial=0.0))
    return (t / m, math.log10(m)) if m > 0 else (t, 0.0)


def log10_hw(freqs: np.ndarray, weights: np.ndarray) -> float:
    """log10 of sum_ij p_i W_ij p_j (an unrelated person's observation probability) without
    underflow: over the alleles the observation admits, frequencies scaled by their
    largest."""
    dom = np.flatnonzero(weights.any(axis=1) | weights.any(axis=0))
    if dom.size == 0:
        return -math.inf
    f = np.asarray(freqs, float)[dom]
    m = float(f.max())
    if m <= 0:
        return -math.inf
    g = f / m
    v = float(g @ weights[np.ix_(dom, dom)] @ g)
    return math.log10(v) + 2 * math.log10(m) if v > 0 else -math.inf
