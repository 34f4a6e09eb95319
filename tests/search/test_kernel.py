"""The int16 bound kernel finds exactly the pairs a brute-force sum finds."""

from __future__ import annotations

import numpy as np

from nasab.search.engine import score


def test_kernel_matches_brute_force():
    rng = np.random.default_rng(3)
    sizes = [7, 12, 4, 20]
    offs = np.concatenate([[0], np.cumsum(sizes)])
    nf, nr = 45, 70
    exact = rng.normal(-0.3, 1.2, size=(nf, offs[-1]))
    exact[rng.random(exact.shape) < 0.1] = -np.inf
    for m in range(len(sizes)):
        exact[:, offs[m + 1] - 1] = 0.0
    codes = np.stack(
        [offs[m] + rng.integers(0, sizes[m], nr) for m in range(len(sizes))], axis=1
    ).astype(np.int32)
    from nasab.search.kernel import quantize_up

    bound = quantize_up(exact)
    with np.errstate(invalid="ignore"):
        full = np.stack([exact[i][codes].sum(axis=1) for i in range(nf)])
    for t in (-1.0, 0.5, 2.0):
        for split in (0, 2, 4):
            f, r, s = score(exact, bound, codes, offs, t, split=split)
            want = set(zip(*np.nonzero(full >= t), strict=True))
            assert set(zip(f.tolist(), r.tolist(), strict=True)) == want


def test_quantize_up_is_the_ceiling_rule():
    """The numba pass gives ceil(256 x) clipped to int16, -inf and NaN excluded."""
    from nasab.search.kernel import EXCLUDED, SCALE, quantize_up

    rng = np.random.default_rng(3)
    x = rng.normal(0, 60, (200, 300))
    x[rng.random(x.shape) < 0.1] = -np.inf
    x[0, :5] = [1e9, -1e9, 127.99, np.nan, 0.0]
    with np.errstate(invalid="ignore", over="ignore"):
        q = np.ceil(x * SCALE)
    want = np.clip(np.where(np.isneginf(q) | np.isnan(q), EXCLUDED, q), EXCLUDED, 32767)
    got = quantize_up(x)
    assert got.dtype == np.int16
    assert np.array_equal(got, want.astype(np.int16))
    assert np.all(
        got.astype(float) >= np.where(np.isfinite(x), x * SCALE, -np.inf).clip(EXCLUDED, 32767)
    )
