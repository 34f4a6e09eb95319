"""The int16 bound kernel finds exactly the pairs a brute-force sum finds."""

from __future__ import annotations

import numpy as np

from nasab.search.engine import score


def test_kernel_matches_brute_force():
    rng = np.random.default_rng(3)
    sizes = [7, 12, 4, 20]
    nf, nr = 45, 70
    exact, codes, offs = _random_case(rng, sizes, nf, nr)
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


def _narrow_brute(exact, codes, log10_t):
    """The narrow kernel's rule by brute force, in int64: entries max(ceil(128 x), LOW)
    (-inf: LOW) summed over markers, candidates where the sum reaches the threshold."""
    from nasab.search.kernel import NARROW_SCALE, narrow_limits

    thr = int(np.floor(log10_t * NARROW_SCALE - 1e-9))
    low, _ = narrow_limits(codes.shape[1], thr)
    with np.errstate(invalid="ignore"):
        q = np.ceil(exact * NARROW_SCALE)
    narrow = np.where(np.isneginf(q) | (q < low), low, q).astype(np.int64)
    sums = np.stack([narrow[i][codes].sum(axis=1) for i in range(len(exact))])
    return set(zip(*np.nonzero(sums >= thr), strict=True))


def _random_case(rng, sizes, nf, nr, spread=1.2):
    offs = np.concatenate([[0], np.cumsum(sizes)])
    exact = rng.normal(-0.3, spread, size=(nf, offs[-1]))
    exact[rng.random(exact.shape) < 0.1] = -np.inf
    for m in range(len(sizes)):
        exact[:, offs[m + 1] - 1] = 0.0
    codes = np.stack(
        [offs[m] + rng.integers(0, sizes[m], nr) for m in range(len(sizes))], axis=1
    ).astype(np.int32)
    return exact, codes, offs


def test_narrow_kernel_is_its_rule_and_keeps_every_pair():
    """The int16 kernel finds exactly the pairs of its rule (no overflow, pruning only where
    no family can reach the threshold), a superset of the exact pairs; the scores through it
    are the int32 kernel's, pair for pair."""
    from nasab.search.kernel import narrow_candidates, quantize_up

    rng = np.random.default_rng(11)
    for sizes, nf, nr in (([7, 12, 4, 20], 45, 70), ([5, 9] * 12, 300, 90), ([3] * 9, 129, 40)):
        exact, codes, offs = _random_case(rng, sizes, nf, nr)
        bound = quantize_up(exact)
        with np.errstate(invalid="ignore"):
            full = np.stack([exact[i][codes].sum(axis=1) for i in range(nf)])
        for t in (-1.0, 0.5, 2.0, 4.0):
            want = set(zip(*np.nonzero(full >= t), strict=True))
            rule = _narrow_brute(exact, codes, t)
            assert want <= rule
            for split in (0, 2, 8, len(sizes)):
                f, r = narrow_candidates(exact, codes, offs, split, t)
                assert set(zip(f.tolist(), r.tolist(), strict=True)) == rule
                a = score(exact, None, codes, offs, t, split=split)
                b = score(exact, bound, codes, offs, t, split=split, narrow=False)
                ka = sorted(zip(*(x.tolist() for x in a), strict=True))
                kb = sorted(zip(*(x.tolist() for x in b), strict=True))
                assert ka == kb
                assert set((i, j) for i, j, _ in ka) == want


def test_narrow_kernel_near_its_limits():
    """Every entry at the largest value the int16 sums allow (and the smallest): the sums
    are exact; one entry above it and the narrow kernel declines (the int32 kernel runs)."""
    from nasab.search.kernel import NARROW_SCALE, narrow_candidates, narrow_limits

    nm, nf, nr = 24, 130, 20
    sizes = [3] * nm
    offs = np.concatenate([[0], np.cumsum(sizes)])
    t = 4.0
    thr = int(np.floor(t * NARROW_SCALE - 1e-9))
    low, high = narrow_limits(nm, thr)
    codes = np.stack([offs[m] + np.arange(nr) % 3 for m in range(nm)], axis=1).astype(np.int32)
    exact = np.full((nf, offs[-1]), high / NARROW_SCALE)  # narrow entry: high exactly
    exact[::2] = -np.inf  # every other family: the lowest entry at every marker
    f, r = narrow_candidates(exact, codes, offs, 8, t)
    assert set(zip(f.tolist(), r.tolist(), strict=True)) == _narrow_brute(exact, codes, t)
    assert set(f.tolist()) == set(range(1, nf, 2))
    exact[5, 4] = (high + 1) / NARROW_SCALE
    assert narrow_candidates(exact, codes, offs, 8, t) is None
    a = score(exact, None, codes, offs, t)
    assert set(a[0].tolist()) == set(range(1, nf, 2))


def test_narrow_kernel_on_the_used_entries_finds_the_same_pairs():
    """Tiles of the entries the remains read (a few entries of each marker unread, among
    them the largest): the same candidate pairs in the same order as tiles of every entry."""
    from nasab.search.kernel import narrow_candidates, used_entries

    rng = np.random.default_rng(5)
    for sizes, nf, nr in (([7, 12, 4, 20], 45, 70), ([5, 9] * 12, 300, 90)):
        exact, codes, offs = _random_case(rng, sizes, nf, nr)
        # remains read the lower half of each marker's entries; the unread ones are large
        half = offs[:-1] + np.maximum(np.diff(offs) // 2, 1)
        codes = np.minimum(codes, half[None, :] - 1).astype(np.int32)
        for m in range(len(sizes)):
            exact[:, half[m] : offs[m + 1]] = 3.0
        used = used_entries(codes, offs)
        assert len(used.cols) < exact.shape[1]
        assert used_entries(codes, offs) is used  # found once per codes array
        for t in (-1.0, 0.5, 2.0):
            for split in (0, 2, 8, len(sizes)):
                a = narrow_candidates(exact, codes, offs, split, t)
                b = narrow_candidates(exact, codes, offs, split, t, used)
                assert a is not None and b is not None
                assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
