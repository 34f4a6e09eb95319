"""Exact pedigree likelihoods under population substructure (theta > 0, Balding-Nichols).

The founders' alleles are exchangeable draws from subpopulation frequencies
q ~ Dirichlet(alpha p), alpha = (1 - theta) / theta: the n-th allele drawn is A with
probability (m_A theta + (1 - theta) p_A) / (1 + (n - 2) theta), m_A the number of A among
those drawn before (a Polya urn). This is the model of Familias' "kinship" parameter and of
the NRC II 4.10 formulas. Three exact steps keep the computation small:

1. **Known founder alleles.** A founder typed without ambiguity (no dropout, no silent
   allele: the pair of alleles is known, only its order is not) contributes fixed counts c.
   Their probability is a constant, prod_A (alpha p_A)^(c_A) / alpha^(|c|) (rising powers),
   and given them the other founder alleles are a Polya urn with weights beta = alpha p + c.
2. **One-child founders.** An untyped founder with a single relevant child passes one of its
   two alleles to that child; by exchangeability the other sums out of the urn, so the
   founder keeps one allele ("slot") instead of two.
3. **The unknown slots** (u of them) are summed exactly by whichever of three equivalent
   schemes is cheapest:

   * ``dense``: the network contracted with the slots left open (K^u numbers), times the
     urn's probability of every assignment of the slots;
   * ``partitions``: the urn as a Chinese restaurant process. Summing over the set
     partitions of the slots into groups identical by descent, a group of size s is one
     allele drawn with weight beta and multiplicity (s - 1)!, and
     P(slots) = sum_partitions prod_groups (s_g - 1)! beta_{a_g} / (|beta|)^(u) (rising);
     one network per partition (Bell(u) of them), any number of alleles;
   * ``quadrature``: the expectation over q ~ Dirichlet(beta) of the network with q as the
     slots' prior, a polynomial of known degree, integrated exactly by Gauss-Jacobi
     quadrature over stick-breaking coordinates (points grow with the number of allele
     classes: for lumped spaces).

Beyond all three limits the computation stops with a message; it is never approximated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nasab.engine.contraction import Operand
from nasab.engine.errors import ModelError
from nasab.engine.genotypes import Genotype
from nasab.engine.network import allele_vars, build, needed_persons, typed_persons
from nasab.engine.observation import DropModel
from nasab.engine.pedigree import Pedigree
from nasab.engine.theta_schemes import (
    BATCH,
    MAX_DENSE,
    MAX_FLOPS,
    MAX_INTERMEDIATE,
    MAX_PARTITIONS,
    MAX_QUADRATURE_WORK,
    MAX_TENSOR,
    NETWORK_OVERHEAD,
    ThetaNetwork,
    _by_dense,
    _by_partitions,
    _by_quadrature,
    _contract,
    _dense_cost,
    _rising,
    bell,
    choose_method,
    dirichlet_points,
    partition_orbits,
    quadrature_points,
    set_partitions,
    urn_tensor,
)


def theta_likelihood(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    space,
    theta: float,
    drops: Mapping[str, DropModel] | None = None,
    open_person: str | None = None,
) -> float | np.ndarray:
    """P(data) under theta, exactly; with ``open_person`` (untyped) the K x K joint of the
    data and that person's ordered genotype, K the classes of ``space``."""
    net, k, beta, const = _urn_setup(ped, genos, space, theta, drops, open_person)
    method = choose_method(net, k, beta)
    if method == "dense":
        out = _by_dense(net, k, beta)
    elif method == "partitions":
        out = _by_partitions(net, k, beta)
    else:
        out = _by_quadrature(net, k, beta)
    out = const * out
    if open_person is None:
        return float(out)
    return np.asarray(out).reshape(k, k)


def unrelated_joint(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    space,
    theta: float,
    drops: Mapping[str, DropModel] | None = None,
) -> np.ndarray:
    """P(data, one more unrelated founder of the subpopulation has ordered genotype x y),
    K x K, exactly. The extra founder's two alleles are the urn's next two draws:

        P(x, y | founder alleles) = (b_x + n_x) (b_y + n_y + [x = y]) / ((B + u) (B + u + 1))

    (b = alpha p + known counts, B its sum, n the counts among the u unknown founder
    alleles), so the joint needs only the first and second moments of n under the family's
    data: from one dense table over the unknown alleles when it fits (two fewer unknowns
    than opening the extra founder), otherwise by opening the extra founder."""
    net, k, beta, const = _urn_setup(ped, genos, space, theta, drops, None)
    u = len(net.slots)
    if _dense_cost(net, k) is None:
        extra = ped.unused_id()
        return np.asarray(
            theta_likelihood(
                ped.add_singleton(extra), genos, space, theta, drops, open_person=extra
            )
        )
    w = _contract(net.ops, tuple(net.slots), k) * urn_tensor(beta, u)  # P(data, slots)
    return next_two_draws(w, beta, const)


def next_two_draws(w: np.ndarray, beta: np.ndarray, const) -> np.ndarray:
    """P(data, the urn's next two draws are x, y) (K x K) from ``w`` = P(data, slots) over
    the u unknown slots (K^u), the urn weights beta and the known founder alleles'
    probability ``const`` (:func:`unrelated_joint`); with a leading family axis, w
    (B, K^u), beta (B, K) and const (B,) give (B, K, K)."""
    lead = beta.ndim - 1
    u = w.ndim - lead
    k = beta.shape[-1]
    if lead:
        total = w.sum(axis=tuple(range(lead, lead + u)))[:, None, None]
        first = np.zeros(beta.shape)
        second = np.zeros(beta.shape + (k,))
    else:
        total = float(w.sum())
        first = np.zeros(k)  # sum_i P(data, slot i = x)
        second = np.zeros((k, k))  # sum_{i != j} P(data, slot i = x, slot j = y)
    # the marginals of every slot and pair of slots by partial sums: ``rest`` is w summed
    # over the slots before i, ``tail`` that summed over the slots after j as well (about
    # 3 K^u additions in all, not u^2 / 2 passes over the K^u table)
    rest = w
    for i in range(u):
        tail = rest
        for j in range(u - 1, i, -1):
            between = tuple(range(lead + 1, lead + j - i))  # the slots i+1 .. j-1
            pair = tail.sum(axis=between) if between else tail
            second += pair + np.swapaxes(pair, -1, -2)
            tail = tail.sum(axis=-1)
        first += tail
        rest = rest.sum(axis=lead)
    # E[(b_x + n_x)(b_y + n_y)] with n_x n_y's i = j terms on the diagonal, plus the
    # [x = y] (b_x + n_x) of the second draw
    b = beta
    out = (
        b[..., :, None] * b[..., None, :] * total
        + b[..., :, None] * first[..., None, :]
        + first[..., :, None] * b[..., None, :]
        + second
    )
    diag = np.arange(k)
    out[..., diag, diag] += (b * total.reshape(b.shape[:-1] + (1,)) if lead else b * total) + (
        2.0 * first
    )
    if lead:
        big = (b.sum(axis=-1) + u)[:, None, None]
        return np.asarray(const)[:, None, None] * out / (big * (big + 1.0))
    big = float(b.sum()) + u
    return const * out / (big * (big + 1.0))


def _urn_setup(ped, genos, space, theta: float, drops, open_person: str | None):
    """The network, the allele count K, the urn weights beta = alpha p + known counts and the
    known founder alleles' probability."""
    if not 0 < theta < 0.5:
        raise ModelError(f"theta must be in (0, 0.5) here, not {theta}")
    net = theta_network(ped, genos, space, drops, open_person)
    a = (1.0 - theta) / theta * np.asarray(space.freqs, float)
    return net, len(space.freqs), a + net.counts, known_alleles_probability(a, net.counts)


def single_person(p: np.ndarray, theta: float) -> np.ndarray:
    """P_theta of each ordered genotype (i, j) of one person drawn on their own: (u u^T +
    theta diag u) / (1 - theta), u = (1 - theta) p; i.e. P(aa) = p (theta + (1 - theta) p),
    P(a,b) = (1 - theta) p q for each order; p p^T at theta = 0."""
    u = (1.0 - theta) * p
    m = np.outer(u, u)
    m[np.diag_indices_from(m)] += theta * u
    return m / (1.0 - theta)


def known_alleles_probability(a: np.ndarray, counts: np.ndarray) -> float:
    """Urn probability of one ordered sequence with these allele counts: prod_A
    a_A^(c_A) / |a|^(n) in rising powers (a = alpha p)."""
    num = 1.0
    for cls in np.flatnonzero(counts):
        num *= _rising(float(a[cls]), int(counts[cls]))
    return num / _rising(float(a.sum()), int(counts.sum()))


def _pinned(w: np.ndarray) -> bool:
    """Evidence that leaves exactly one unordered pair of alleles."""
    if w.shape == (1, 1):
        return w[0, 0] > 0
    return w.shape == (2, 2) and w[0, 0] == 0 and w[1, 1] == 0 and w[0, 1] > 0 and w[1, 0] > 0


class _UrnFactors:
    """Factors of the theta network: no founder priors (the urn joins them afterwards);
    known founder alleles counted, unknown ones become urn slots."""

    def __init__(
        self,
        ped: Pedigree,
        genos: Mapping[str, Genotype],
        space,
        drops: Mapping[str, DropModel] | None,
        open_person: str | None,
        typed: set[str],
        persons: Sequence[str],
        paired: bool = False,
    ) -> None:
        self.ped, self.genos, self.space = ped, genos, space
        self.paired = paired
        self.drops, self.open, self.typed = drops or {}, open_person, typed
        self.k = len(space.freqs)
        self.full = np.arange(self.k)
        inside = set(persons)
        self.children: dict[str, int] = {}
        for pid in persons:
            p = ped[pid]
            for parent in (p.father, p.mother):
                if parent is not None and parent in inside:
                    self.children[parent] = self.children.get(parent, 0) + 1
        self.counts = np.zeros(self.k)
        self.dom: dict[int, np.ndarray] = {}
        self.alias: dict[int, int] = {}
        self.slots: list[int] = []
        self.pairs: list[tuple[int, int]] = []

    def evidence(self, pid: str, a: int, b: int) -> list[Operand]:
        founder = self.ped[pid].father is None
        if pid not in self.typed:
            self.dom[a] = self.dom[b] = self.full
            if founder:
                if pid != self.open and self.children.get(pid, 0) == 1:
                    self.alias[b] = a  # one allele reaches the data: the other sums out
                    self.slots.append(a)
                else:
                    if pid != self.open:
                        self.pairs.append((len(self.slots), len(self.slots) + 1))
                    self.slots += [a, b]
            return []
        d, w = self.space.evidence(self.genos[pid], self.drops.get(pid))
        if founder and not _pinned(w):
            wf = np.zeros((self.k, self.k))
            wf[np.ix_(d, d)] = w
            self.dom[a] = self.dom[b] = self.full
            self.slots += [a, b]
            return [(wf, (a, b))]
        if self.paired and len(d) == 1:  # a homozygote as the pair (a, a), first phase
            d, w = np.array([d[0], d[0]]), np.array([[w[0, 0], 0.0], [0.0, 0.0]])
        self.dom[a] = self.dom[b] = d
        if founder:
            self.counts[d[0]] += 1
            self.counts[d[-1]] += 1
        return [(w, (a, b))] if len(d) > 1 or w[0, 0] != 1.0 else []

    def founder(self, pid: str, a: int, b: int) -> list[Operand]:
        return []

    def meiosis(self, parent: str, pa: int, pm: int, var: int, male: bool) -> list[Operand]:
        t = self.space.transmission(male, self.dom[pa], self.dom[pm], self.dom[var])
        if self.alias.get(pm) == pa:
            return [(np.ascontiguousarray(np.einsum("iic->ic", t)), (pa, var))]
        return [(t, (pa, pm, var))]


def theta_network(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    space,
    drops: Mapping[str, DropModel] | None,
    open_person: str | None,
    *,
    paired: bool = False,
) -> ThetaNetwork:
    """The pedigree network (:mod:`nasab.engine.network`) without founder priors, and how
    the founders enter the urn. ``paired``: a typed homozygote's pair ranges over two
    entries, (a, a), weighted on the first phase only (the same value), so that families
    whose references differ only in which are homozygous share one network structure
    (:mod:`nasab.engine.theta_batch`)."""
    typed = typed_persons(genos)
    if open_person is not None and open_person in typed:
        raise ValueError("the open person must be untyped")
    persons = needed_persons(ped, typed, [open_person] if open_person is not None else [])
    src = _UrnFactors(ped, genos, space, drops, open_person, typed, persons, paired)
    ops = build(ped, persons, src)
    output = allele_vars(ped, open_person) if open_person is not None else ()
    return ThetaNetwork(ops, src.slots, src.counts, output, tuple(src.pairs))


__all__ = [
    "BATCH",
    "MAX_DENSE",
    "MAX_FLOPS",
    "MAX_INTERMEDIATE",
    "MAX_PARTITIONS",
    "MAX_QUADRATURE_WORK",
    "MAX_TENSOR",
    "NETWORK_OVERHEAD",
    "ThetaNetwork",
    "bell",
    "choose_method",
    "dirichlet_points",
    "known_alleles_probability",
    "partition_orbits",
    "quadrature_points",
    "set_partitions",
    "single_person",
    "theta_likelihood",
    "theta_network",
    "unrelated_joint",
    "urn_tensor",
]
