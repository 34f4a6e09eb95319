"""Exact theta joints for many families at once: the schemes of :mod:`nasab.engine.theta` with
a family axis (the search compile under theta > 0, issue 19 item 3).

Families whose theta networks have one structure (the same variables, factor shapes, unknown
founder slots and allele count K: in the search, missing persons of one shape whose typed
references differ only in their alleles) differ only in the factors' numbers, the known
founder alleles' counts c, hence the urn weights beta = alpha p + c, and the known alleles'
probability. Their networks are stacked along a family axis (:data:`FAMILY`; a factor that
is the same object for all of them, such as a cached transmission between untyped persons,
stays unstacked), and the dense or the partition scheme runs once for all of them with the
urn weights per family: one contraction path, one Python pass. A typed homozygote's pair is
written (a, a) (``theta_network(..., paired=True)``) so that a family's homozygotes do not
change its structure. The numbers are those of the single-family path
(:func:`nasab.engine.theta.theta_likelihood`, :func:`nasab.engine.theta.unrelated_joint`) up
to rounding: every scheme is exact, only the order of the sums differs.

What does not batch is handed to the single-family path, family by family, which then gives
its own numbers or its own refusal: a structure for which the single-family path finds no
scheme (it refuses), one where quadrature is the cheapest scheme or neither the dense nor
the partition scheme fits (quadrature is not batched), one whose families each cost more
than :data:`SINGLE_ABOVE` operations, and any batch whose computation stops
(:class:`NasabError`); so a refused family is refused with the single-family path's
message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

import nasab.engine.contraction as CT
import nasab.engine.theta_schemes as S
from nasab.engine.errors import ModelError, NasabError
from nasab.engine.genotypes import Genotype
from nasab.engine.pedigree import Pedigree
from nasab.engine.theta import (
    known_alleles_probability,
    next_two_draws,
    theta_likelihood,
    theta_network,
    unrelated_joint,
)
from nasab.engine.theta_schemes import (
    FAMILY,
    ThetaNetwork,
    _by_dense,
    _by_partitions,
    _contract,
    _dense_fit,
    scheme_costs,
    urn_tensor,
)

# operations per family (opt_einsum's count) above which a structure goes family by family:
# batching saves the Python cost of each network (NETWORK_OVERHEAD, 1e7), nothing of the
# arithmetic, and the batch's homozygotes as (a, a) double their share of it (stepwise
# pedigrees with many unknown founder alleles on the full allele list: seconds a family)
SINGLE_ABOVE = 1e9


@dataclass(frozen=True)
class JointRequest:
    """One computation of :func:`nasab.engine.likelihood.theta_person_joints`: the data of
    a family at one marker on an allele space, and the person left open under H1."""

    ped: Pedigree
    genos: Mapping[str, Genotype]
    space: object  # nasab.engine.likelihood.Space
    person: str


Result = tuple[np.ndarray, np.ndarray] | NasabError


def person_joints_batch(requests: Sequence[JointRequest], theta: float) -> list[Result]:
    """For each request, (J1, J2) K x K as the single-family path gives them
    (``theta_likelihood`` with the person open, then ``unrelated_joint``), or the
    NasabError that path raises; computed together for requests of one structure."""
    if not 0 < theta < 0.5:
        raise ModelError(f"theta must be in (0, 0.5) here, not {theta}")
    alpha = (1.0 - theta) / theta
    j1: list[np.ndarray | NasabError | None] = [None] * len(requests)
    j2: list[np.ndarray | NasabError | None] = [None] * len(requests)
    opened, unrelated = [], []
    for i, r in enumerate(requests):
        for person, nets, res in ((r.person, opened, j1), (None, unrelated, j2)):
            try:
                nets.append((i, theta_network(r.ped, r.genos, r.space, None, person, paired=True)))
            except NasabError as e:
                res[i] = e
    a = {id(r.space): alpha * np.asarray(r.space.freqs, float) for r in requests}

    def single_j1(i: int) -> np.ndarray:
        r = requests[i]
        return np.asarray(theta_likelihood(r.ped, r.genos, r.space, theta, None, r.person))

    def single_j2(i: int) -> np.ndarray:
        r = requests[i]
        return unrelated_joint(r.ped, r.genos, r.space, theta, None)

    for group in _groups(opened, requests).values():
        _run(group, requests, a, j1, single_j1, _open_joints)
    ready = [(i, n) for i, n in unrelated if _ok(j1[i])]
    dense, extra = _by_j2_scheme(ready, requests, j2)
    for group in dense:
        _run(group, requests, a, j2, single_j2, _next_draws)
    for group in _groups(extra, requests).values():
        _run(group, requests, a, j2, single_j2, _open_joints)
    out: list[Result] = []
    for x, y in zip(j1, j2, strict=True):
        if isinstance(x, NasabError):
            out.append(x)
        elif isinstance(y, NasabError):
            out.append(y)
        else:
            out.append((x, y))  # type: ignore[arg-type]
    return out


def _by_j2_scheme(items, requests, j2) -> tuple[list[list], list[tuple[int, ThetaNetwork]]]:
    """The H2 networks grouped by structure where the dense table of their unknown slots
    fits (J2 from its moments, as ``unrelated_joint``), and, for the others, the networks
    with one more founder left open (as ``unrelated_joint`` then does)."""
    dense: list[list] = []
    extra: list[tuple[int, ThetaNetwork]] = []
    for sig, group in _groups(items, requests).items():
        if _dense_fit(group[0][1], sig[0]) is not None:
            dense.append(group)
            continue
        for i, _ in group:
            r = requests[i]
            one_more = r.ped.unused_id()
            ped = r.ped.add_singleton(one_more)
            try:
                extra.append((i, theta_network(ped, r.genos, r.space, None, one_more, paired=True)))
            except NasabError as e:
                j2[i] = e
    return dense, extra


def _ok(x) -> bool:
    return not isinstance(x, NasabError)


def _groups(items: list[tuple[int, ThetaNetwork]], requests) -> dict[tuple, list]:
    """The networks by structure: K, the factors' shapes and variables, the slots, the
    open variables and the exchangeable pairs."""
    groups: dict[tuple, list] = {}
    for i, net in items:
        groups.setdefault(_structure(net, len(requests[i].space.freqs)), []).append((i, net))
    return groups


def _structure(net: ThetaNetwork, k: int) -> tuple:
    return (
        k,
        tuple((t.shape, idx) for t, idx in net.ops),
        tuple(net.slots),
        net.output,
        net.pairs,
    )


_COSTS: dict = {}


def _costs(net: ThetaNetwork, k: int, families: int) -> dict:
    """:func:`scheme_costs` of a structure for a batch of ``families`` (kept: a structure
    recurs at every marker; under the bounds in force), as the batch runs them: the dense
    scheme with the urn's table as a factor of the network, one network's overhead for the
    batch; quadrature (not batched: the single-family path) with one per family. Empty
    where the single-family path finds no scheme within its bounds (it then refuses, with
    its message: the batch never computes what it would refuse; a homozygote's (a, a) pair
    only makes the structure larger than each family's own network)."""
    bounds = (S.MAX_DENSE, S.MAX_TENSOR, S.MAX_PARTITIONS, S.MAX_FLOPS, S.NETWORK_OVERHEAD)
    bounds += (S.MAX_QUADRATURE_WORK, S.MAX_INTERMEDIATE)
    key = (_structure(net, k), families, bounds, scheme_costs)
    got = _COSTS.get(key)
    if got is None:
        if len(_COSTS) > 20_000:
            _COSTS.clear()
        got = dict(scheme_costs(net, k, families=families))
        if not got:  # the single-family path would refuse it: let it say so
            _COSTS[key] = got
            return got
        got.pop("dense", None)  # the batch's dense scheme writes the K^u urn, not K^(u+2)
        u = len(net.slots)
        if k**u <= S.MAX_DENSE:
            urn = (np.broadcast_to(np.float64(0.0), (k,) * u), tuple(net.slots))
            flops, largest = S._path_cost(
                S._with_outputs([*net.ops, urn], net.output, k), net.output
            )
            if largest <= S.MAX_TENSOR and flops <= S.MAX_FLOPS:
                got["dense"] = (families * flops + S.NETWORK_OVERHEAD, max(largest, k**u))
        if "quadrature" in got:
            flops, largest = got["quadrature"]
            got["quadrature"] = (flops + families * S.NETWORK_OVERHEAD, largest)
        _COSTS[key] = got
    return got


def _run(group, requests, a, results, single, batched) -> None:
    """Fill ``results`` for the requests of one structure: batched, or where the batch
    cannot run, by the single-family path (its numbers or its error)."""
    idx = [i for i, _ in group]
    nets = [n for _, n in group]
    k = len(requests[idx[0]].space.freqs)
    ai = [a[id(requests[i].space)] for i in idx]
    beta = np.stack([x + n.counts for x, n in zip(ai, nets, strict=True)])
    const = np.array(
        [known_alleles_probability(x, n.counts) for x, n in zip(ai, nets, strict=True)]
    )
    try:
        got = batched(nets, k, beta, const)
    except (NasabError, _NoBatch):
        got = None
    if got is not None:
        for i, g in zip(idx, got, strict=True):
            results[i] = g
        return
    for i in idx:
        try:
            results[i] = single(i)
        except NasabError as e:
            results[i] = e


class _NoBatch(Exception):
    """Neither the dense nor the partition scheme fits this structure."""


def _stacked(nets: Sequence[ThetaNetwork]) -> ThetaNetwork:
    """The networks as one with a family axis on every factor that differs between them."""
    ops = []
    for n, (t0, idx) in enumerate(nets[0].ops):
        ts = [net.ops[n][0] for net in nets]
        if all(t is t0 for t in ts):
            ops.append((t0, idx))
        else:
            ops.append((np.stack(ts), (FAMILY, *idx)))
    if not any(FAMILY in idx for _, idx in ops):
        ops.append((np.ones(len(nets)), (FAMILY,)))
    first = nets[0]
    return ThetaNetwork(ops, first.slots, first.counts, first.output, first.pairs)


def _chunks(costs: dict, method: str, n: int):
    per = max(float(costs[method][1]), 1.0)
    step = int(max(1, min(n, CT.MAX_BATCH_ELEMENTS // per)))
    return range(0, n, step), step


def _open_joints(nets, k: int, beta: np.ndarray, const: np.ndarray) -> np.ndarray:
    """(B, K, K): P(data, the open person's ordered genotype) of each family, as
    ``theta_likelihood`` with the person open, by the cheaper of the dense and the
    partition scheme; where quadrature is cheaper still (many slots, few allele classes),
    or the only one that fits, or the families are each expensive (:data:`SINGLE_ABOVE`),
    :class:`_NoBatch`: the single-family path."""
    costs = _costs(nets[0], k, len(nets))
    if not costs:
        raise _NoBatch
    method = min(costs, key=lambda m: costs[m][0])
    if method == "quadrature" or costs[method][0] / len(nets) > SINGLE_ABOVE:
        raise _NoBatch
    scheme = _by_dense if method == "dense" else _by_partitions
    out = np.empty((len(nets), k, k))
    starts, step = _chunks(costs, method, len(nets))
    for s in starts:
        sub = _stacked(nets[s : s + step])
        val = scheme(sub, k, beta[s : s + step], (FAMILY,))
        out[s : s + step] = (const[s : s + step, None, None] * val).reshape(-1, k, k)
    return out


def _next_draws(nets, k: int, beta: np.ndarray, const: np.ndarray) -> np.ndarray:
    """(B, K, K): P(data, one more unrelated founder's ordered genotype) of each family
    from the dense table of its unknown slots, as ``unrelated_joint``."""
    fit = _dense_fit(nets[0], k)
    if fit is None:
        raise _NoBatch
    slots = tuple(nets[0].slots)
    out = np.empty((len(nets), k, k))
    starts, step = _chunks({"dense": fit}, "dense", len(nets))
    for s in starts:
        sub = _stacked(nets[s : s + step])
        w = _contract(sub.ops, (FAMILY, *slots), k, batch=(FAMILY,))
        w = w * urn_tensor(beta[s : s + step], len(slots))
        out[s : s + step] = next_two_draws(w, beta[s : s + step], const[s : s + step])
    return out
