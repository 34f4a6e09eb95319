"""The three exact schemes that sum the unknown founder slots of a theta network
(:mod:`nasab.engine.theta`): ``dense``, ``partitions`` and ``quadrature``, and how the
cheapest is chosen (``choose_method``) within the memory and operation bounds
(``MAX_DENSE``, ``MAX_TENSOR``, ``MAX_PARTITIONS``, ``MAX_FLOPS``: ``NASAB_THETA_MAX_OPERATIONS``,
``MAX_QUADRATURE_WORK``, ``MAX_INTERMEDIATE``). Beyond them the computation stops with a
message; it is never approximated."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opt_einsum as oe

from nasab.engine.contraction import Operand, contract, find_path, plan_for
from nasab.engine.errors import ModelError

BATCH = 1 << 30  # index of the quadrature batch dimension
FAMILY = BATCH + 1  # index of the family axis of a batch of networks (nasab.engine.theta_batch)

MAX_DENSE = 20_000_000  # numbers in the open-slot tensor (160 MB of float64)
MAX_TENSOR = 60_000_000  # numbers in any intermediate of a contraction (480 MB)
MAX_PARTITIONS = 25_000  # set partitions enumerated (Bell(9) = 21,147)
# opt_einsum-counted operations of one computation: about 3e10 run per second on one core
# here, so the bound is a couple of minutes at most; NASAB_THETA_MAX_OPERATIONS moves it
MAX_FLOPS = float(os.environ.get("NASAB_THETA_MAX_OPERATIONS", 3e12))
NETWORK_OVERHEAD = 1e7  # the Python cost of one more network, in the same units
MAX_QUADRATURE_WORK = 60_000_000  # points x allele classes^2
MAX_INTERMEDIATE = 20_000_000  # elements per quadrature contraction chunk (per 64 points)
_PROBE_BATCH = 64


@dataclass
class ThetaNetwork:
    """The pedigree network without founder priors, and how the founders enter."""

    ops: list[Operand]
    slots: list[int]  # variables of the unknown founder alleles (full allele range)
    counts: np.ndarray  # known founder alleles per allele class
    output: tuple[int, ...]  # the open person's (paternal, maternal) variables
    pairs: tuple[tuple[int, int], ...] = ()  # positions in slots of an untyped founder's
    # two alleles: the network is symmetric under swapping them


# --- choosing a scheme -----------------------------------------------------------------


def _rising(x: float, n: int) -> float:
    out = 1.0
    for j in range(n):
        out *= x + j
    return out


def bell(n: int) -> int:
    """Number of set partitions of n items."""
    row = [1]
    for _ in range(n):
        nxt = [row[-1]]
        for x in row:
            nxt.append(nxt[-1] + x)
        row = nxt
    return row[0]


def _dense_size(net: ThetaNetwork, k: int) -> int:
    extra = [v for v in net.output if v not in net.slots]
    return k ** (len(net.slots) + len(extra))


def scheme_costs(
    net: ThetaNetwork, k: int, *, quadrature: bool = True, families: int = 1
) -> dict[str, tuple[float, float]]:
    """(estimated operations, largest intermediate) of each exact scheme that fits in memory
    and time (operations as opt_einsum counts them, with a per-network overhead for the
    partition scheme); the quadrature scheme only with ``quadrature``. Depends on the
    network's structure and K alone (the quadrature points on which classes the slots
    admit, not on the urn weights), so it serves every family of one structure:
    ``families`` of them contracted together cost that many times the operations, and the
    overhead of each network once."""
    u = len(net.slots)
    costs: dict[str, tuple[float, float]] = {}
    dense = _dense_fit(net, k)
    if dense is not None:
        costs["dense"] = (families * dense[0], dense[1])
    if bell(u) <= MAX_PARTITIONS:
        orbits = partition_orbits(u, net.pairs)
        flops, largest = _partition_flops(net, k, orbits)
        if largest <= MAX_TENSOR and flops <= MAX_FLOPS:
            costs["partitions"] = (families * flops + len(orbits) * NETWORK_OVERHEAD, largest)
    if not quadrature:
        return costs
    points = quadrature_points(np.ones(k), [np.arange(k)] * u)
    if points * k * k <= MAX_QUADRATURE_WORK:
        ops = list(net.ops) + [(np.ones(k), (v,)) for v in net.slots]
        flops, largest = _path_cost(_with_outputs(ops, list(net.output), k), net.output)
        if largest <= MAX_INTERMEDIATE and flops * points <= MAX_FLOPS:
            costs["quadrature"] = (families * flops * points, largest)
    return costs


def choose_method(net: ThetaNetwork, k: int, beta: np.ndarray) -> str:
    """The cheapest exact scheme (:func:`scheme_costs`), or a ModelError saying why none
    fits in memory and time."""
    costs = scheme_costs(net, k)
    if costs:
        return min(costs, key=lambda m: costs[m][0])
    u = len(net.slots)
    parts = bell(u)
    points = quadrature_points(beta, [np.arange(k)] * u)
    part = (
        f"{len(partition_orbits(u, net.pairs)):,} identity-by-descent partitions"
        if parts <= MAX_PARTITIONS
        else f"{parts:,} identity-by-descent partitions"
    )
    raise ModelError(
        f"theta > 0: this pedigree has {u} founder alleles of unknown type at this marker "
        f"({k} allele classes): the exact sum needs {part} or {points:,} quadrature points, "
        "beyond what nasab computes exactly in memory and time; type more references, use a "
        "lumpable mutation model (equal or proportional) or theta = 0"
    )


def _dense_fit(net: ThetaNetwork, k: int) -> tuple[float, float] | None:
    """(operations, largest intermediate) of the dense scheme, or None where its table or
    path does not fit."""
    if _dense_size(net, k) > MAX_DENSE:
        return None
    out = tuple(dict.fromkeys(net.slots + list(net.output)))
    flops, largest = _path_cost(_with_outputs(net.ops, out, k), out)
    return (flops, largest) if largest <= MAX_TENSOR and flops <= MAX_FLOPS else None


def _dense_cost(net: ThetaNetwork, k: int) -> float | None:
    """Operations of the dense scheme, or None where its table or path does not fit."""
    fit = _dense_fit(net, k)
    return None if fit is None else fit[0]


def _with_outputs(ops: list[Operand], output, k: int) -> list[Operand]:
    present = {v for _, idx in ops for v in idx}
    return list(ops) + [(np.ones(k), (v,)) for v in dict.fromkeys(output) if v not in present]


def _path_cost(ops: list[Operand], output: tuple[int, ...]) -> tuple[float, float]:
    """(operations, largest intermediate) of the contraction order nasab would use: greedy,
    or the randomized greedy search where greedy is expensive (cached by signature)."""
    if not ops:
        return 0.0, 0.0
    return find_path([(t.shape, idx) for t, idx in ops], output)[1]


def _tied(
    net: ThetaNetwork, blocks, beta: np.ndarray, cache: dict, lead: tuple[int, ...] = ()
) -> tuple[list[Operand], tuple[int, ...], float]:
    """The network of one partition: each block's slots one variable with prior beta
    (``lead``: the family axis of a batch, beta (B, K))."""
    slots = net.slots
    rename = {}
    weight = 1.0
    ops: list[Operand] = []
    for blk in blocks:
        rep = slots[blk[0]]
        for pos in blk:
            rename[slots[pos]] = rep
        weight *= math.factorial(len(blk) - 1)
        ops.append((beta, (*lead, rep)))
    for t, idx in net.ops:
        new = tuple(rename.get(v, v) for v in idx)
        if len(set(new)) < len(new):
            t, new = _diagonal(t, new, cache)
        ops.append((t, new))
    return ops, tuple(rename.get(v, v) for v in net.output), weight


def _partition_flops(net: ThetaNetwork, k: int, orbits: dict) -> tuple[float, float]:
    """(operations, largest intermediate) of the partition scheme, from the contraction
    costs of a sample of the partitions' networks (the most tied and the least tied
    included)."""
    keys = list(orbits)
    step = max(1, len(keys) // 12)
    sample = keys[::step] + [keys[-1]]
    cache: dict = {}
    beta = np.ones(k)
    total, largest = 0.0, 0.0
    for blocks in sample:
        ops, out, _ = _tied(net, blocks, beta, cache)
        out = tuple(dict.fromkeys(out))
        flops, big = _path_cost(_with_outputs(ops, out, k), out)
        total += flops
        largest = max(largest, big)
    return total / len(sample) * len(keys), largest


# --- dense ------------------------------------------------------------------------------


def urn_tensor(beta: np.ndarray, u: int) -> np.ndarray:
    """P(a_1, ..., a_u) of a Polya urn with weights beta, as a K^u array (beta (..., K):
    one urn per leading index, (..., K, ..., K))."""
    beta = np.asarray(beta, float)
    lead, k = beta.shape[:-1], beta.shape[-1]
    total = beta.sum(axis=-1)
    out = np.ones(lead)
    eye = np.eye(k)
    for i in range(u):
        term = beta.reshape(lead + (1,) * i + (k,))
        for j in range(i):
            shape = [1] * (i + 1)
            shape[j] = shape[i] = k
            term = term + eye.reshape(shape)
        out = out[..., None] * term / (total + i).reshape(lead + (1,) * (i + 1))
    return out


def _by_dense(
    net: ThetaNetwork, k: int, beta: np.ndarray, lead: tuple[int, ...] = ()
) -> np.ndarray:
    """``lead``: the family axis of a batch of networks (beta (B, K)), kept in front; the
    urn's table is then one more factor of the network, so that the contraction need not
    write the K^u x K^2 table of the slots and the open pair (the same sum, in another
    order)."""
    slots = net.slots
    if lead:
        ops = list(net.ops) + [(urn_tensor(beta, len(slots)), lead + tuple(slots))]
        return _contract(ops, lead + net.output, k, batch=lead)
    extra = tuple(v for v in net.output if v not in slots)
    w = _contract(net.ops, lead + tuple(slots) + extra, k, batch=lead)
    urn = urn_tensor(beta, len(slots))
    letters = {v: oe.get_symbol(n) for n, v in enumerate(lead + tuple(slots) + extra)}
    front = "".join(letters[v] for v in lead)
    lhs = "".join(letters[v] for v in lead + tuple(slots) + extra)
    rhs = front + "".join(letters[v] for v in slots)
    out = front + "".join(letters[v] for v in net.output)
    return np.einsum(f"{lhs},{rhs}->{out}", w, urn)


def _contract(
    ops: list[Operand], output: tuple[int, ...], k: int, batch: tuple[int, ...] = ()
) -> np.ndarray:
    """Contract in the order :func:`choose_method` costed (an open variable nothing else
    touches, such as an untyped leaf founder's, gets a factor of ones), with its plan from
    the one cache of :mod:`nasab.engine.contraction` (``batch``: the family axis, whose
    size does not key the plan)."""
    ops = _with_outputs(ops, output, k)
    if not ops:
        return np.ones(())
    if batch:
        return contract(ops, output, "theta network", batch=batch[0], pattern=_pattern(ops, k))
    return contract(ops, output, "theta network", pattern=tuple(t.shape for t, _ in ops))


def _pattern(ops: list[Operand], k: int) -> tuple:
    """A plan's key beside its labels: the factors' shapes with the allele count written -1
    and the family axis -2 (the same plan for every batch size)."""
    return tuple(
        tuple(
            -2 if v == FAMILY else (-1 if d == k else d) for v, d in zip(idx, t.shape, strict=True)
        )
        for t, idx in ops
    )


# --- partitions -------------------------------------------------------------------------


def set_partitions(n: int) -> Iterator[list[int]]:
    """Every set partition of range(n) as a restricted growth string (block of each item)."""
    if n == 0:
        yield []
        return
    z = [0] * n
    top = [0] * n  # max block label among z[0..i]

    def rec(i: int) -> Iterator[list[int]]:
        if i == n:
            yield z
            return
        for b in range(top[i - 1] + 2):
            z[i] = b
            top[i] = max(top[i - 1], b)
            yield from rec(i + 1)

    z[0] = 0
    top[0] = 0
    yield from rec(1)


def partition_orbits(u: int, pairs: tuple[tuple[int, int], ...]) -> dict:
    """The set partitions of u slots up to swapping the two slots of each pair (a founder's
    two alleles, which the network treats alike): canonical blocks -> number of partitions
    in the orbit. Each orbit's partitions give the same network value, so one network per
    orbit, weighted by its size, is the exact sum."""
    return dict(_orbits(u, tuple(pairs)))


@lru_cache(maxsize=64)
def _orbits(u: int, pairs: tuple[tuple[int, int], ...]) -> tuple:
    perms = []
    for mask in range(1 << len(pairs)):
        perm = list(range(u))
        for bit, (i, j) in enumerate(pairs):
            if mask >> bit & 1:
                perm[i], perm[j] = j, i
        perms.append(perm)
    counts: dict = {}
    for z in set_partitions(u):
        blocks: dict[int, list[int]] = {}
        for pos, b in enumerate(z):
            blocks.setdefault(b, []).append(pos)
        best = min(
            tuple(sorted(tuple(sorted(perm[p] for p in blk)) for blk in blocks.values()))
            for perm in perms
        )
        counts[best] = counts.get(best, 0) + 1
    return tuple(counts.items())


def _by_partitions(
    net: ThetaNetwork, k: int, beta: np.ndarray, lead: tuple[int, ...] = ()
) -> np.ndarray:
    """``lead``: the family axis of a batch of networks (beta (B, K)), kept in front."""
    u = len(net.slots)
    total = None
    cache: dict = {}
    for blocks, mult in partition_orbits(u, net.pairs).items():
        ops, out, weight = _tied(net, blocks, beta, cache, lead)
        if len(set(out)) < len(out):
            val = _contract_planned(ops, lead + out[:1], k)
            if lead:
                diag = np.zeros(val.shape + (k,))
                diag[..., np.arange(k), np.arange(k)] = val
                val = diag
            else:
                val = np.diag(val)
        else:
            val = _contract_planned(ops, lead + out, k)
        term = (mult * weight) * val
        total = term if total is None else total + term
    if lead:
        rising = np.prod(beta.sum(axis=-1)[:, None] + np.arange(u), axis=1)
        return total / rising.reshape((-1,) + (1,) * (total.ndim - 1))
    return total / _rising(float(beta.sum()), u)


def _contract_planned(ops: list[Operand], output: tuple[int, ...], k: int) -> np.ndarray:
    """Contract with a plan from the one cache (:func:`nasab.engine.contraction.plan_for`)
    keyed by the network's labels and the shape pattern of its factors (sizes equal to the
    allele count written -1): the same partition networks recur for every marker of a
    family and both hypotheses, so the order is found once, and each step runs as one
    batched matrix product. A cached order whose largest table would be too big for these
    sizes is searched again."""
    ops = _with_outputs(ops, output, k)
    if not ops:
        return np.ones(())
    pattern = _pattern(ops, k)
    shapes = [(t.shape, idx) for t, idx in ops]
    batch = FAMILY if any(FAMILY in idx for _, idx in ops) else None
    plan = plan_for(shapes, output, batch=batch, pattern=pattern, max_elements=MAX_TENSOR)
    largest = plan.largest_intermediate(
        {v: d for t, idx in ops for v, d in zip(idx, t.shape, strict=True)}
    )
    if largest > MAX_TENSOR:
        raise ModelError(
            f"theta > 0: a partition network needs intermediate tables of {largest:,.0f} "
            f"numbers at this marker ({k} allele classes), beyond what nasab computes "
            "exactly; type more references or use a lumpable mutation model"
        )
    return plan.run([t for t, _ in ops])


def _diagonal(t: np.ndarray, idx: tuple[int, ...], cache: dict) -> Operand:
    key = (id(t), idx)
    hit = cache.get(key)
    if hit is None:
        uniq = tuple(dict.fromkeys(idx))
        letters = {v: oe.get_symbol(n) for n, v in enumerate(uniq)}
        eq = "".join(letters[v] for v in idx) + "->" + "".join(letters[v] for v in uniq)
        hit = cache[key] = (np.ascontiguousarray(np.einsum(eq, t)), uniq, t)
    return hit[0], hit[1]


# --- quadrature -------------------------------------------------------------------------


def _stick_orders(a: np.ndarray, slots: list[np.ndarray]):
    k = len(a)
    n_slots = len(slots)
    deg = np.zeros(k, dtype=int)
    for dom in slots:
        deg[dom] += 1
    order = np.argsort(-deg, kind="stable")
    dtail = np.minimum(np.cumsum(deg[order][::-1])[::-1], n_slots)
    nodes = [int(dtail[j]) // 2 + 1 for j in range(k - 1)]
    return order, nodes


def quadrature_points(a: np.ndarray, slots: list[np.ndarray]) -> int:
    _, nodes = _stick_orders(a, slots)
    return math.prod(nodes) if nodes else 1


def dirichlet_points(a: np.ndarray, slots: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Points q_b and weights w_b with sum_b w_b f(q_b) = E[f(q)] exactly for every
    polynomial f in which class j has degree at most #slots admitting j (total degree at
    most #slots), q ~ Dirichlet(a).

    Stick-breaking: q_j = v_j prod_{i<j} (1 - v_i), v_j ~ Beta(a_j, sum_{l>j} a_l)
    independent; f has degree at most D_j = sum_{l>=j} n_l in v_j, so ceil((D_j + 1)/2)
    Gauss-Jacobi nodes in v_j integrate it exactly.
    """
    from scipy.special import roots_jacobi

    a = np.asarray(a, float)
    k = len(a)
    order, nodes_per_dim = _stick_orders(a, slots)
    n_points = math.prod(nodes_per_dim) if nodes_per_dim else 1
    if n_points * k * k > MAX_QUADRATURE_WORK:
        raise ModelError(
            f"theta > 0: the exact computation needs {n_points:,} quadrature points for "
            f"{k} allele classes and {len(slots)} founder alleles at this marker, beyond what "
            "nasab computes exactly; use a lumpable mutation model (equal or proportional) "
            "or a smaller pedigree"
        )
    ao = a[order]
    tail = np.cumsum(ao[::-1])[::-1]  # sum_{l>=j} a_l
    q = np.ones((1, k))
    w = np.ones(1)
    remaining = np.ones(1)
    for j in range(k - 1):
        m = nodes_per_dim[j]
        x, wx = roots_jacobi(m, tail[j + 1] - 1.0, ao[j] - 1.0)
        v = (1.0 + x) / 2.0
        wx = wx / wx.sum()
        qj = remaining[:, None] * v[None, :]
        q = np.repeat(q, m, axis=0)
        q[:, order[j]] = qj.reshape(-1)
        remaining = (remaining[:, None] * (1.0 - v)[None, :]).reshape(-1)
        w = (w[:, None] * wx[None, :]).reshape(-1)
    q[:, order[k - 1]] = remaining
    return q, w


def _by_quadrature(net: ThetaNetwork, k: int, beta: np.ndarray) -> np.ndarray:
    q, w = dirichlet_points(beta, [np.arange(k)] * len(net.slots))
    ops = list(net.ops) + [(q, (BATCH, v)) for v in net.slots]
    out = (BATCH,) + net.output
    if not net.slots:
        ops.append((np.ones(len(w)), (BATCH,)))
    jb = _contract_batched(ops, out, len(w), k)
    return np.tensordot(w, jb, axes=(0, 0))


def _contract_batched(
    operands: list[Operand], output: tuple[int, ...], n_points: int, k: int
) -> np.ndarray:
    """Contract a network whose founder priors carry the quadrature index, in chunks of
    points small enough for memory, with one contraction order for every chunk."""
    present = {v for _, idx in operands for v in idx}
    operands = list(operands) + [(np.ones(k), (v,)) for v in output if v not in present]
    shapes = [(t.shape, idx) for t, idx in operands]
    plan = plan_for(shapes, output, batch=BATCH, pattern="quadrature")
    sizes = {
        v: (_PROBE_BATCH if v == BATCH else d)
        for t, idx in operands
        for v, d in zip(idx, t.shape, strict=True)
    }
    per_point = max(plan.largest_intermediate(sizes) / _PROBE_BATCH, 1.0)
    if per_point > MAX_INTERMEDIATE:
        raise ModelError(
            "theta > 0: this pedigree needs intermediate tables of "
            f"{per_point:,.0f} entries per quadrature point at this marker, beyond what nasab "
            "computes exactly; use a lumpable mutation model or a smaller pedigree"
        )
    chunk = max(1, int(MAX_INTERMEDIATE // per_point))
    parts = []
    for start in range(0, n_points, chunk):
        stop = min(n_points, start + chunk)
        parts.append(plan.run([t[start:stop] if BATCH in idx else t for t, idx in operands]))
    return np.concatenate(parts, axis=0)
