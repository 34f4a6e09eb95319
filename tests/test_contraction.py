"""The contraction executor (nasab.engine.contraction) against numpy's einsum on random
networks: every layout choice of a product (operands taken as they lie, transposed for
BLAS, or copied) gives the same numbers, whatever the operands' memory order."""

from __future__ import annotations

import numpy as np
import opt_einsum as oe
from hypothesis import given, settings
from hypothesis import strategies as st

from nasab.engine.contraction import Plan, _layout, contract

BATCH = 99


@st.composite
def networks(draw):
    n_labels = draw(st.integers(2, 7))
    sizes = {i: draw(st.sampled_from([1, 2, 3, 5])) for i in range(n_labels)}
    batched = draw(st.booleans())
    if batched:
        sizes[BATCH] = draw(st.integers(1, 4))
    ops = []
    for _ in range(draw(st.integers(1, 5))):
        idx = draw(st.lists(st.sampled_from(range(n_labels)), min_size=0, max_size=4, unique=True))
        if batched and draw(st.booleans()):
            idx.insert(draw(st.integers(0, len(idx))), BATCH)
        ops.append(tuple(idx))
    used = sorted({i for idx in ops for i in idx})
    out = (
        tuple(draw(st.lists(st.sampled_from(used or [0]), max_size=3, unique=True))) if used else ()
    )
    out = tuple(i for i in out if i in used)
    seed = draw(st.integers(0, 2**31))
    transpose = draw(st.lists(st.booleans(), min_size=len(ops), max_size=len(ops)))
    return sizes, ops, out, seed, transpose


@settings(max_examples=150, deadline=None)
@given(networks())
def test_contract_equals_einsum(net):
    sizes, ops, out, seed, transpose = net
    rng = np.random.default_rng(seed)
    tensors = []
    for idx, tr in zip(ops, transpose, strict=True):
        t = rng.random([sizes[i] for i in idx]) + 0.1
        if tr and t.ndim > 1:  # the same values, another memory order
            t = np.ascontiguousarray(t.T).T
        tensors.append(t)
    args = []
    for t, idx in zip(tensors, ops, strict=True):
        args.extend((t, list(idx)))
    want = oe.contract(*args, list(out))
    got = contract(list(zip(tensors, ops, strict=True)), out, batch=BATCH)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_a_product_takes_operands_as_they_lie_when_it_can():
    # a lies (batch, summed, left): handed to BLAS transposed, not copied
    batch, summed, swap_a, swap_b = _layout([9, 1, 2], [9, 1, 3], [2], [3], {9, 2, 3}, {})
    assert (batch, summed, swap_a, swap_b) == ([9], [1], True, False)
    # b lies (batch, right, summed): taken transposed
    assert _layout([9, 2, 1], [9, 3, 1], [2], [3], {9, 2, 3}, {})[3]
    # the summed axes in another order in each: the smaller operand (b) is the one copied,
    # the larger (a) taken as it lies, (batch, summed, left)
    sizes = {9: 8, 1: 2, 4: 2, 2: 50}
    _, summed, swap_a, _ = _layout([9, 1, 4, 2], [9, 4, 1], [2], [], {9, 2}, sizes)
    assert summed == [1, 4] and swap_a


def test_plan_is_reused_with_other_sizes():
    rng = np.random.default_rng(1)
    labels = [(0, 1), (1, 2), (2, 0)]
    plan = Plan(labels, (0,), [(0, 1), (0, 1)], {0: 3, 1: 4, 2: 5})
    for k in (2, 7):
        a, b, c = rng.random((k, k + 1)), rng.random((k + 1, 3)), rng.random((3, k))
        np.testing.assert_allclose(plan.run([a, b, c]), np.einsum("ij,jk,ki->i", a, b, c))


def _reference_run(plan: Plan, tensors: list) -> np.ndarray:
    """The executor before outer products were broadcast and laid out for their consumers
    and before strided batched products: every step one matmul of (batch, rows, cols)
    blocks, copied where the operand's axes do not merge."""
    ts = list(tensors)
    prod = np.prod
    for s in plan.steps:
        b = ts.pop(s.i)
        a = ts.pop(s.j) if s.i != s.j else np.ones(())
        if s.sum_a:
            a = a.sum(axis=s.sum_a)
        if s.sum_b:
            b = b.sum(axis=s.sum_b)
        a, b = a.transpose(s.perm_a), b.transpose(s.perm_b)
        sa, sb, nb, nc = a.shape, b.shape, s.nb, s.nc
        batch = sa[:nb]
        if s.swap_a:
            left, kc = sa[nb + nc :], int(prod(sa[nb : nb + nc]))
        else:
            left, kc = sa[nb : nb + s.nl], int(prod(sa[nb + s.nl :]))
        right = sb[nb : nb + s.nr] if s.swap_b else sb[nb + nc :]
        kb, kl, kr = int(prod(batch)), int(prod(left)), int(prod(right))
        am = a.reshape(kb, kc, kl).swapaxes(1, 2) if s.swap_a else a.reshape(kb, kl, kc)
        bm = b.reshape(kb, kr, kc).swapaxes(1, 2) if s.swap_b else b.reshape(kb, kc, kr)
        if nb == 0:
            am, bm = am[0], bm[0]
        ts.append(np.matmul(am, bm).reshape(batch + left + right))
    t = ts[0]
    if plan.sum_final:
        t = t.sum(axis=plan.sum_final)
    return t.transpose(plan.perm_final)


@st.composite
def batched_networks(draw):
    """Networks like the search compile's: a batch label on most operands, binary labels
    (meiosis indicators, phases) and allele labels, several operands per label."""
    n_labels = draw(st.integers(3, 8))
    sizes = {i: draw(st.sampled_from([1, 2, 2, 3, 6])) for i in range(n_labels)}
    sizes[BATCH] = draw(st.sampled_from([1, 3, 5]))
    ops = []
    for _ in range(draw(st.integers(2, 7))):
        idx = draw(st.lists(st.sampled_from(range(n_labels)), min_size=1, max_size=5, unique=True))
        if draw(st.integers(0, 3)):
            idx.insert(draw(st.integers(0, len(idx))), BATCH)
        ops.append(tuple(idx))
    used = sorted({i for idx in ops for i in idx})
    out = tuple(draw(st.lists(st.sampled_from(used), max_size=3, unique=True)))
    return sizes, ops, out, draw(st.integers(0, 2**31))


@settings(max_examples=300, deadline=None)
@given(batched_networks())
def test_fast_steps_give_the_matmul_executor_bit_for_bit(net):
    """Outer products as broadcast products (written in their consumer's layout) and
    batched products on strided views give exactly the numbers of one BLAS product per
    step on copied blocks (and einsum's to rounding)."""
    from nasab.engine.contraction import find_path

    sizes, ops, out, seed = net
    rng = np.random.default_rng(seed)
    tensors = [rng.random([sizes[i] for i in idx]) + 0.1 for idx in ops]
    sig = [(t.shape, idx) for t, idx in zip(tensors, ops, strict=True)]
    path, _ = find_path(sig, out, thorough=False)
    plan = Plan(ops, out, path, sizes)
    got = plan.run(tensors)
    np.testing.assert_array_equal(got, _reference_run(plan, tensors))
    args = [x for t, idx in zip(tensors, ops, strict=True) for x in (t, list(idx))]
    np.testing.assert_allclose(got, oe.contract(*args, list(out)), rtol=1e-12, atol=0)


def test_an_outer_product_is_written_in_its_consumers_layout():
    """(batch, x, s) times (batch, y, t): nothing summed; its consumer sums s and t against
    (batch, t, z, s), which would copy the product's result; the product writes it laid
    out for the consumer instead, with the same numbers as the copies give."""
    rng = np.random.default_rng(3)
    b, x, s, y, t, z = BATCH, 1, 2, 3, 4, 5
    ops = [(b, x, s), (b, y, t), (b, t, z, s)]
    sizes = {b: 7, x: 6, s: 2, y: 5, t: 2, z: 4}
    plan = Plan(ops, (b, x, y, z), [(0, 1), (0, 1)], sizes)
    assert plan.steps[0].nc == 0 and plan.steps[0].out_perm is not None
    tensors = [rng.random([sizes[i] for i in idx]) for idx in ops]
    got = plan.run(tensors)
    np.testing.assert_array_equal(got, _reference_run(plan, tensors))
    np.testing.assert_allclose(got, np.einsum("bxs,byt,btzs->bxyz", *tensors), rtol=1e-13)


def test_a_batched_product_reads_unmerged_batch_axes_without_a_copy(monkeypatch):
    """a lies (batch, x, phase, s): its batch axes (batch, phase) do not merge without a
    copy, its (x, s) matrices are C-ordered: the product takes them as strided views (the
    BLAS calls the copies would get), with the same numbers."""
    import nasab.engine.contraction as CT

    seen = []
    strided = CT._strided_pair
    monkeypatch.setattr(CT, "_strided_pair", lambda *a: seen.append(strided(*a)) or seen[-1])
    rng = np.random.default_rng(5)
    b, x, p, s, y = BATCH, 1, 2, 3, 4
    ops = [(b, x, p, s), (b, p, s, y)]
    sizes = {b: 6, x: 5, p: 2, s: 7, y: 3}
    plan = Plan(ops, (b, p, x, y), [(0, 1)], sizes)
    tensors = [rng.random([sizes[i] for i in idx]) for idx in ops]
    got = plan.run(tensors)
    assert seen and seen[0] is not None
    np.testing.assert_array_equal(got, _reference_run(plan, tensors))
    np.testing.assert_allclose(got, np.einsum("bxps,bpsy->bpxy", *tensors), rtol=1e-13)
