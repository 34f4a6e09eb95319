"""Executing a tensor-network contraction as a sequence of batched matrix products.

opt_einsum finds the order of pairwise contractions (the path); it then runs each pair with
``tensordot`` when it can, and with ``numpy.einsum`` (no BLAS, one core, no blocking) when
the two tensors share an index that is kept, as the batch index over families or the
meiosis indicators do in nasab's pedigree networks. Here each pair becomes one
``numpy.matmul`` of (kept-shared, left-only, summed) by (kept-shared, summed, right-only)
views, so every step runs in BLAS. The plan (which axes to sum, transpose and reshape at each
step) depends only on the index signature, so it is computed once and cached.

Indices are integers, as in opt_einsum's interleaved input. The numbers are the same as an
``einsum`` of the network up to floating-point rounding (sums taken in another order).
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import opt_einsum as oe

from nasab.engine import path_cache

Operand = tuple[np.ndarray, tuple[int, ...]]

# Greedy paths are found in microseconds but can cost orders of magnitude more flops than
# needed on pedigrees with loops; above this many flops per contraction the randomized
# greedy search (a fraction of a second, once per signature) is worth its time.
RANDOM_PATH_ABOVE = 1e9
RANDOM_PATH_TRIALS = 16
_PATH_CACHE: dict = {}


@dataclass(frozen=True)
class _Step:
    """One pairwise product, all decided from the labels: operands ``i`` > ``j`` (popped in
    that order), axes summed away first, transpositions to (batch, left, summed) and
    (batch, summed, right), and the number of axes in each group. ``swap_a``: operand a is
    taken as it lies, (batch, summed, left), and handed to the product transposed (BLAS
    reads it so; no copy); ``swap_b`` likewise for b as (batch, right, summed)."""

    i: int
    j: int
    sum_a: tuple[int, ...]
    sum_b: tuple[int, ...]
    perm_a: tuple[int, ...]
    perm_b: tuple[int, ...]
    nb: int
    nl: int
    nc: int
    move_a: bool = True  # whether perm_a / perm_b move any axis
    move_b: bool = True
    nr: int = 0
    swap_a: bool = False
    swap_b: bool = False
    grow_a: tuple = ()  # nothing summed (nc == 0): a as (batch, left, 1 per right axis)
    grow_b: tuple = ()  # and b as (batch, 1 per left axis, right)
    out_perm: tuple[int, ...] | None = None  # nc == 0: written with its axes in this order
    back_perm: tuple[int, ...] = ()  # and handed on as a view in the usual order


class Plan:
    """A cached sequence of pairwise steps for one index signature (sizes may differ from
    call to call: only the labels are fixed)."""

    def __init__(
        self,
        labels: Sequence[tuple[int, ...]],
        output: tuple[int, ...],
        path: Sequence[tuple[int, ...]],
        sizes: dict[int, int] | None = None,
    ):
        """``sizes``: the dimension of each label as the path was searched (a guide for
        laying out each product so that as little as possible is copied; any sizes give
        the same numbers)."""
        self.output = tuple(output)
        size = sizes or {}
        self.path = [tuple(p) for p in path]  # opt_einsum's pairwise order (positions)
        labs = [tuple(x) for x in labels]
        src: list[int | None] = [None] * len(labs)  # the step that made each tensor
        self.steps: list[_Step] = []
        self.made: list[tuple[int, ...]] = []  # labels of each step's result
        for pair in path:
            if len(pair) == 1:
                pair = (pair[0], pair[0])
            i, j = sorted(pair, reverse=True)
            lb, pb = labs.pop(i), src.pop(i)
            la, pa = (labs.pop(j), src.pop(j)) if i != j else ((), None)
            keep = set(self.output)
            for x in labs:
                keep.update(x)
            step, lab = _plan_pair(i, j, la, lb, keep, size)
            self._add(step, lab, pa, pb)
            labs.append(lab)
            src.append(len(self.steps) - 1)
        while len(labs) > 1:  # disconnected leftovers: outer products
            lb, la = labs.pop(), labs.pop()
            pb, pa = src.pop(), src.pop()
            n = len(labs)
            step, lab = _plan_pair(n + 1, n, la, lb, set(self.output), size)
            self._add(step, lab, pa, pb)
            labs.append(lab)
            src.append(len(self.steps) - 1)
        final = labs[0]
        # the most axes any tensor of the contraction has (inputs and results): with the
        # largest dimension, a bound on every tensor's size that costs nothing per call
        self.max_rank = max((len(x) for x in [*labels, *self.made]), default=0)
        self.sum_final = tuple(k for k, x in enumerate(final) if x not in self.output)
        rest = [x for x in final if x in self.output]
        self.perm_final = tuple(rest.index(x) for x in self.output)

    def _add(self, step: _Step, lab: tuple[int, ...], pa: int | None, pb: int | None) -> None:
        """Append a step; an operand made by an outer product (nothing summed: a broadcast
        product, free to write its result in any memory order) that this step would copy
        into its product's layout is written in that layout instead (:meth:`_lay_out`)."""
        for p, lx, perm, summed, swap, groups in (
            (pa, step.perm_a, step.perm_a, step.sum_a, step.swap_a, (step.nl, step.nc)),
            (pb, step.perm_b, step.perm_b, step.sum_b, step.swap_b, (step.nc, step.nr)),
        ):
            if p is None or summed or step.nc == 0 or self.steps[p].nc != 0:
                continue
            if perm == tuple(range(len(perm))):
                continue
            rows, cols = groups[::-1] if swap else groups
            if _would_copy(len(lx), perm, step.nb, rows, cols):
                self._lay_out(p, perm)
        self.steps.append(step)
        self.made.append(lab)

    def _lay_out(self, k: int, perm: tuple[int, ...]) -> None:
        """Step ``k``, an outer product, writes its result in memory with its axes in the
        order ``perm`` (the transposition its consumer applies: there it is then laid out
        as a copy would be, and read without one); it hands the same axes on as before."""
        st = self.steps[k]
        back = tuple(sorted(range(len(perm)), key=perm.__getitem__))
        self.steps[k] = dataclasses.replace(st, out_perm=perm, back_perm=back)

    def largest_intermediate(self, sizes: dict[int, int]) -> int:
        """Elements of the largest tensor a step makes, for index sizes ``sizes``."""
        return max((math.prod(sizes[x] for x in lab) for lab in self.made), default=1)

    def run(self, tensors: list, xp=np):
        """Contract ``tensors`` (in the order of the labels given at construction); ``xp`` is
        the array module (numpy, or cupy for arrays on a GPU)."""
        ts = list(tensors)
        one = xp.ones(())
        prod = math.prod
        on_cpu = xp is np
        for st in self.steps:
            b = ts.pop(st.i)
            a = ts.pop(st.j) if st.i != st.j else one
            if st.sum_a:
                a = a.sum(axis=st.sum_a)
            if st.sum_b:
                b = b.sum(axis=st.sum_b)
            if st.move_a:
                a = a.transpose(st.perm_a)
            if st.move_b:
                b = b.transpose(st.perm_b)
            sa, sb = a.shape, b.shape
            nb, nc = st.nb, st.nc
            batch = sa[:nb]
            if nc == 0:  # nothing summed: an outer product over the shared batch axes, as a
                # broadcast product (what the matrix product of (left, 1) by (1, right)
                # computes, 0 + a * b, without copying either operand), written in the
                # order its consumer reads it in (Plan._add: no transposition there)
                x, y = a[st.grow_a], b[st.grow_b]
                if not on_cpu:  # (ascontiguousarray would make a 0-d result 1-d)
                    r = xp.multiply(x, y)
                    ts.append(xp.ascontiguousarray(r) if r.ndim else r)
                elif st.out_perm is None or 1 in sa or 1 in sb:
                    # (an axis of length 1 could let the consumer read the usual layout
                    # without a copy, in another orientation)
                    ts.append(np.multiply(x, y, order="C"))
                else:
                    x, y = x.transpose(st.out_perm), y.transpose(st.out_perm)
                    ts.append(np.multiply(x, y, order="C").transpose(st.back_perm))
                continue
            if st.swap_a:  # (batch, summed, left)
                left, kc = sa[nb + nc :], prod(sa[nb : nb + nc])
            else:  # (batch, left, summed)
                left, kc = sa[nb : nb + st.nl], prod(sa[nb + st.nl :])
            right = sb[nb : nb + st.nr] if st.swap_b else sb[nb + nc :]
            kb, kl, kr = prod(batch), prod(left), prod(right)
            got = None
            if on_cpu and _STRIDED and nb > 1 and kl > 1 and kc > 1 and kr > 1:
                got = _strided_pair(a, b, batch, kl, kc, kr, st.swap_a, st.swap_b)
            if got is None:
                am = a.reshape(kb, kc, kl).swapaxes(1, 2) if st.swap_a else a.reshape(kb, kl, kc)
                bm = b.reshape(kb, kr, kc).swapaxes(1, 2) if st.swap_b else b.reshape(kb, kc, kr)
                if nb == 0:  # a plain matrix product (most steps)
                    am, bm = am[0], bm[0]
            else:
                am, bm = got
            ts.append(xp.matmul(am, bm).reshape(batch + left + right))
        t = ts[0]
        if self.sum_final:
            t = t.sum(axis=self.sum_final)
        return t.transpose(self.perm_final)


def _would_copy(rank: int, perm: tuple[int, ...], nb: int, rows: int, cols: int) -> bool:
    """Whether a C-ordered tensor of ``rank`` axes (none of length 1), transposed by
    ``perm`` and grouped into (batch, rows, cols) blocks of ``nb``, ``rows`` and ``cols``
    axes, is copied by the reshape (a probe with every axis of length 2, no data)."""
    from numpy.lib.stride_tricks import as_strided

    shape = (2,) * rank
    strides = tuple(8 * 2 ** (rank - 1 - k) for k in range(rank))
    t = as_strided(np.zeros(1), shape, strides).transpose(perm)
    n = 2**nb, 2**rows, 2**cols
    return not _merges(t, *n)


def _core_view(t: np.ndarray, batch: tuple, rows: int, cols: int) -> np.ndarray | None:
    """``t`` as (*batch, rows, cols) without a copy (the batch axes left unmerged), when its
    (rows, cols) matrices are C-ordered as a contiguous copy's would be (unit stride along
    the columns, rows apart by at least a row): numpy's matmul then makes the same BLAS call
    on them as on the copy. None otherwise."""
    try:
        v = t.reshape(*batch, rows, cols, copy=False)
    except ValueError:
        return None
    s = v.strides
    if s[-1] != 8 or s[-2] < 8 * cols or s[-2] % 8:
        return None
    return v


def _strided_pair(a, b, batch, kl, kc, kr, swap_a, swap_b):
    """The two operands of a batched matrix product as views with the batch axes left
    unmerged, where merging them would copy (copies into a (batch, rows, cols) block were
    the largest cost of the products); None where an operand would be copied anyway, or
    where a view would not give numpy's matmul the same BLAS calls as the copies."""
    if a.dtype != np.float64 or b.dtype != np.float64:
        return None
    kb = math.prod(batch)
    if _merges(a, kb, kl, kc) and _merges(b, kb, kc, kr):
        return None  # no copy either way: the usual (batch, rows, cols) blocks
    am = _core_view(a, batch, kc, kl) if swap_a else _core_view(a, batch, kl, kc)
    bm = _core_view(b, batch, kr, kc) if swap_b else _core_view(b, batch, kc, kr)
    if am is None or bm is None or np.may_share_memory(am, bm):
        return None  # (one buffer on both sides could be taken for a symmetric product)
    return (am.swapaxes(-1, -2) if swap_a else am), (bm.swapaxes(-1, -2) if swap_b else bm)


def _merges(t: np.ndarray, *shape: int) -> bool:
    try:
        t.reshape(*shape, copy=False)
    except ValueError:
        return False
    return True


def _plan_pair(
    i: int,
    j: int,
    la: tuple[int, ...],
    lb: tuple[int, ...],
    keep: set[int],
    size: dict[int, int] | None = None,
) -> tuple[_Step, tuple[int, ...]]:
    # an index used by one operand only and nowhere else is summed before the product
    sum_a = tuple(k for k, x in enumerate(la) if x not in keep and x not in lb)
    sum_b = tuple(k for k, x in enumerate(lb) if x not in keep and x not in la)
    ra = [x for x in la if x in keep or x in lb]
    rb = [x for x in lb if x in keep or x in la]
    sb, sa = set(rb), set(ra)
    left = [x for x in ra if x not in sb]
    right = [x for x in rb if x not in sa]
    batch, summed, swap_a, swap_b = _layout(ra, rb, left, right, keep, size or {})
    order_a = ra if swap_a else batch + left + summed  # as it lies, or transposed
    order_b = rb if swap_b else batch + summed + right
    perm_a = tuple(ra.index(x) for x in order_a)
    perm_b = tuple(rb.index(x) for x in order_b)
    step = _Step(
        i,
        j,
        sum_a,
        sum_b,
        perm_a,
        perm_b,
        len(batch),
        len(left),
        len(summed),
        perm_a != tuple(range(len(perm_a))),
        perm_b != tuple(range(len(perm_b))),
        len(right),
        swap_a,
        swap_b,
        (Ellipsis, *[None] * len(right)),
        (*[slice(None)] * len(batch), *[None] * len(left), Ellipsis),
    )
    return step, tuple(batch + left + right)


def _layout(ra, rb, left, right, keep, size):
    """The order of the batch and of the summed axes, and whether each operand is taken as
    it lies with its two groups swapped (see :class:`_Step`), chosen so that the fewest
    elements are copied: an operand is assumed to lie in its labels' order (every result
    of a step does), and is copied unless its axes already fall into the groups the
    product needs. Ties keep operand a's order."""
    sb, sa = set(rb), set(ra)
    ba = [x for x in ra if x in sb and x in keep]
    ca = [x for x in ra if x in sb and x not in keep]
    bb = [x for x in rb if x in sa and x in keep]
    cb = [x for x in rb if x in sa and x not in keep]
    n_a = math.prod(size.get(x, 8) for x in ra)
    n_b = math.prod(size.get(x, 8) for x in rb)
    best = None
    for bo in (ba, bb) if ba != bb else (ba,):
        for co in (ca, cb) if ca != cb else (ca,):
            swap_a = ra == bo + co + left and ra != bo + left + co
            swap_b = rb == bo + right + co and rb != bo + co + right
            copies = 0
            if ra not in (bo + left + co, bo + co + left):
                copies += n_a
            if rb not in (bo + co + right, bo + right + co):
                copies += n_b
            if best is None or copies < best[0]:
                best = (copies, bo, co, swap_a, swap_b)
    _, bo, co, swap_a, swap_b = best
    return bo, co, swap_a, swap_b


_STRIDED = True  # batched products on strided views (_strided_pair); False: copies always
_RANDOM_SEARCH = threading.Lock()
_RANDOM_SEARCH_ON = [True]  # greedy_paths_only() turns it off in its process


def find_path(
    operands: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    output: tuple[int, ...],
    thorough: bool = True,
    random_above: float | None = None,
) -> tuple[list[tuple[int, ...]], tuple[float, float]]:
    """A pairwise order for operands given as (shape, indices), with its (flops, largest
    intermediate): greedy, then the randomized greedy search when the greedy order costs
    more than ``random_above`` flops (default :data:`RANDOM_PATH_ABOVE`). Cached by
    signature."""
    above = RANDOM_PATH_ABOVE if random_above is None else random_above
    thorough = thorough and _RANDOM_SEARCH_ON[0]
    key = (tuple((tuple(s), tuple(i)) for s, i in operands), tuple(output), thorough, above)
    got = _PATH_CACHE.get(key)
    if got is not None:
        return got
    name = repr(key)
    kept = path_cache.kept(_path_settings()).get(name)  # found by an earlier run
    if kept is not None:
        got = _PATH_CACHE[key] = ([tuple(p) for p in kept[0]], kept[1])
        return got
    args: list = []
    for shape, idx in operands:
        args.extend((np.broadcast_to(np.float64(0.0), shape), list(idx)))
    args.append(list(output))
    # The searches get the integer labels themselves: given opt_einsum's own one-letter
    # symbols they iterate over sets of strings, whose order changes with Python's hash
    # seed from one process to the next, and so would the path and the last bits of every
    # number computed with it. Costs are then evaluated for the path found.
    inputs = [frozenset(idx) for _, idx in operands]
    sizes = {i: d for shape, idx in operands for i, d in zip(idx, shape, strict=True)}
    want = frozenset(output)
    path = oe.paths.greedy(inputs, want, sizes)
    cost = _path_cost(args, path)
    if thorough and cost[0] > above:
        # trial r seeds the random module's one generator with r: searches in two threads
        # at once would draw from each other's sequences (and find other paths, so other
        # last bits), hence one search at a time
        with _RANDOM_SEARCH:
            opt = oe.RandomGreedy(max_repeats=RANDOM_PATH_TRIALS)
            path2 = opt(inputs, want, sizes)
        cost2 = _path_cost(args, path2)
        if cost2[0] < cost[0]:
            path, cost = path2, cost2
    got = ([tuple(p) for p in path], cost)
    if len(_PATH_CACHE) > 50000:
        _PATH_CACHE.clear()
    _PATH_CACHE[key] = got
    path_cache.note(name, len(operands), got[0], cost)
    return got


def save_paths() -> None:
    """Keep the paths this process found for later runs (:mod:`nasab.engine.path_cache`);
    never raises for the file."""
    path_cache.save_found(_path_settings())


def _path_settings() -> str:  # what besides the versions decides the paths found
    return f"t{RANDOM_PATH_TRIALS}"


def greedy_paths_only() -> None:
    """Paths found by the greedy search alone in this process: for answers that do not
    depend on the product order (the search's count of impossible genotypes)."""
    _RANDOM_SEARCH_ON[0] = False


def _path_cost(args: list, path) -> tuple[float, float]:
    """(flops, largest intermediate) of the pairwise order ``path`` (opt_einsum's count)."""
    path = [tuple(p) for p in path] or [(0,)]
    _, info = oe.contract_path(*args, optimize=path)
    return float(info.opt_cost), float(info.largest_intermediate)


def path_cost(
    operands: Sequence[tuple[tuple[int, ...], tuple[int, ...]]], output: tuple[int, ...]
) -> tuple[float, float]:
    """(flops, largest intermediate) of the greedy path: an estimate, cheap enough to be
    asked for every marker."""
    return find_path(operands, output, thorough=False)[1]


def meiosis_split(half: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """The transmission t(f1, f2 -> c) = (M[f1, c] + M[f2, c]) / 2 as a sum over the meiosis
    indicator s of first(s, f1, c) * second(s, f2, c): first = (M/2, 1), second = (1, M/2).
    Written so, the two parental alleles never meet in one tensor, and the contraction of a
    pedigree with loops costs O(K^3) per step where the K x K x K tensor cost O(K^4) or
    more. ``half`` is M/2 (possibly gathered and batched); the indicator goes at ``axis``."""
    shape = (*half.shape[:axis], 2, *half.shape[axis:])
    first = np.empty(shape)
    second = np.empty(shape)
    lead = (slice(None),) * axis
    first[(*lead, 0)] = half
    first[(*lead, 1)] = 1.0
    second[(*lead, 0)] = 1.0
    second[(*lead, 1)] = half
    return first, second


# --- the memory guard of every contraction -----------------------------------------------
MEMORY_ENV = "NASAB_MAX_MEMORY_MB"
DEFAULT_MAX_MB = 2048.0


def memory_limit_bytes() -> float:
    """Largest intermediate tensor a contraction may make, in bytes: ``NASAB_MAX_MEMORY_MB``
    (default 2048 MB); read at each call so that a test or a user can change it."""
    import os

    raw = os.environ.get(MEMORY_ENV, "")
    try:
        mb = float(raw) if raw.strip() else DEFAULT_MAX_MB
    except ValueError:
        from nasab.engine.errors import InputError

        raise InputError(
            f"{MEMORY_ENV} must be a number of megabytes, not {raw[:40]!r}", field=MEMORY_ENV
        ) from None
    return mb * 1e6


def _size_text(n_bytes: float) -> str:
    for unit, f in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n_bytes >= f:
            return f"{n_bytes / f:.3g} {unit}"
    return f"{n_bytes:.0f} bytes"


def check_memory(
    largest_elements: float,
    label: str,
    n_operands: int,
    dims: Sequence[int] = (),
    itemsize: int = 8,
) -> None:
    """Refuse, before it runs, a contraction whose largest intermediate exceeds the limit
    (:func:`memory_limit_bytes`), naming the marker (``label``) and the sizes."""
    need = float(largest_elements) * itemsize
    limit = memory_limit_bytes()
    if need <= limit:
        return
    from nasab.engine.errors import ModelError

    dim = f", allele space {max(dims)}" if dims else ""
    raise ModelError(
        f"{label}: the exact computation needs a table of {largest_elements:.3g} numbers "
        f"({_size_text(need)}; network of {n_operands} factors{dim}), above the limit of "
        f"{_size_text(limit)} ({MEMORY_ENV}); refused before it runs. Leave out untyped "
        "branches or persons that carry no information, or raise the limit"
    )


# --- the one cache of contraction plans ----------------------------------------------------
PROBE_BATCH = 64  # the batch dimension paths are searched at (see plan_for)
# elements of the largest intermediate of one batched contraction: a batch of families is
# cut below it (the search's compile and the θ family axis alike). 2^21 numbers (16 MB):
# under glibc's largest mmap threshold (32 MB), so intermediates come from the heap and
# its freed blocks are used again; at 2^23 each was a fresh mapping whose pages the kernel
# zeroed on first touch (Syria scale, proportional: 6 s less system time, 4 s less wall
# time; the same matches)
MAX_BATCH_ELEMENTS = 1 << 21
_PLANS: dict = {}


def probe_signature(
    operands: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    *,
    batch: int | None = None,
    probe_alleles: int | None = None,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The (shape, indices) a path is searched at (:func:`plan_for`): the batch index at
    :data:`PROBE_BATCH`, every allele dimension (larger than 2) at least ``probe_alleles``."""
    floor = probe_alleles or 0
    return [
        (
            tuple(
                PROBE_BATCH if i == batch else (max(d, floor) if d > 2 else d)
                for i, d in zip(idx, shape, strict=True)
            ),
            tuple(idx),
        )
        for shape, idx in operands
    ]


def plan_for(
    operands: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    output: tuple[int, ...],
    *,
    batch: int | None = None,
    pattern=None,
    max_elements: float | None = None,
    random_above: float | None = None,
    probe_alleles: int | None = None,
) -> Plan:
    """The cached :class:`Plan` of a network given as (shape, indices): the one cache of
    contraction plans of every exact computation (likelihoods, theta, joint terms, the
    search compile). Keyed by the network's labels and ``pattern`` (None: the labels only,
    so the same network at another marker reuses the plan); the path is searched once, with
    the batch index ``batch`` (a label) at :data:`PROBE_BATCH` so that the plan does not
    depend on which batch came first (runs with other schedules give bit-identical
    results). ``max_elements``: a cached plan whose largest intermediate for these sizes is
    larger is searched again for them. ``random_above``: see :func:`find_path` (a plan used
    for thousands of families is worth a longer search). ``probe_alleles``: the path is
    searched with every allele dimension (any other than the batch larger than 2) at least
    this large: a plan reused at markers with more alleles than the first one seen must
    suit them (a path found at 11 alleles can cost 10x more at 53 than one found at 53,
    while the latter is as good or better at 11)."""
    labels = tuple(tuple(idx) for _, idx in operands)
    key = (labels, tuple(output), pattern, probe_alleles)
    plan = _PLANS.get(key)
    if plan is not None and max_elements is not None:
        sizes = {i: d for shape, idx in operands for i, d in zip(idx, shape, strict=True)}
        if plan.largest_intermediate(sizes) > max_elements:
            plan = None
    if plan is None:
        probe = probe_signature(operands, batch=batch, probe_alleles=probe_alleles)
        path, _ = find_path(probe, tuple(output), random_above=random_above)
        sizes = {i: d for shape, idx in probe for i, d in zip(idx, shape, strict=True)}
        plan = Plan(list(labels), tuple(output), path, sizes)
        if len(_PLANS) > 200_000:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def contract(
    operands: Sequence[Operand],
    output: tuple[int, ...] = (),
    label: str = "pedigree network",
    *,
    batch: int | None = None,
    pattern=None,
    random_above: float | None = None,
    probe_alleles: int | None = None,
    xp=np,
) -> np.ndarray:
    """Contract a network of (tensor, indices) operands to the indices ``output`` with its
    plan from the one cache (:func:`plan_for`; the many likelihoods of a joint
    identification or a search share a handful of structures: the order is found once per
    structure; sizes may differ between calls), after the memory guard (refused before it
    runs). ``xp``: the array module (numpy, or cupy for tensors on a GPU). The order affects
    the speed, never the value beyond floating-point rounding."""
    if not operands:
        return xp.ones(())
    plan = plan_for(
        [(t.shape, idx) for t, idx in operands],
        tuple(output),
        batch=batch,
        pattern=pattern,
        random_above=random_above,
        probe_alleles=probe_alleles,
    )
    tensors = [t for t, _ in operands]
    kmax = max(max(t.shape, default=1) for t in tensors)
    if float(kmax) ** plan.max_rank * 8 > memory_limit_bytes():  # the bound may be too
        # large: the exact largest tensor, checked before it runs
        sizes = {i: d for t, idx in operands for i, d in zip(idx, t.shape, strict=True)}
        check_memory(
            plan.largest_intermediate(sizes),
            label,
            len(operands),
            [max(t.shape, default=1) for t in tensors],
        )
    return plan.run(tensors, xp=xp)
