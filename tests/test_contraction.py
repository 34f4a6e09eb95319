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
