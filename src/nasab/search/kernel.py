"""The scoring kernel: sum of per-marker LR lookups over families x remains.

``bound[f, c]`` is an int16 *upper bound* of 256 * log10 LR of table entry ``c`` for the
missing person ``f`` (rounded up; an exclusion is -32768), so the int32 sum over markers is
at least 256 * the exact log10 LR: a pair whose bound sum is below ``256 * log10 T`` cannot
reach T and is skipped; the others (candidates) are rescored exactly in float64. The early
exit after ``split`` markers uses, per missing person, the sum of the largest bound of each
remaining marker: also an upper bound, so the pruning is conservative.

Tiling: the bounds of a tile of 64 missing persons are stored entry-major (for each table
entry, the 64 values contiguous: 650 kB per tile at 24 markers, in L2); each remain adds 24
contiguous vectors of 64 int16 (SIMD), so a remain's codes are read once per tile. Tiles run
in parallel (numba ``prange``), each writing its candidates to its own slice.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

SCALE = 256.0
EXCLUDED = -32768


def quantize_up(x: np.ndarray) -> np.ndarray:
    """int16 upper bounds of SCALE * x (x in log10 units; -inf, and NaN, an impossible
    entry, give EXCLUDED). One parallel pass: the tables of a chunk are large."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    out = np.empty(x.shape, np.int16)
    _quantize_up(x.reshape(-1), out.reshape(-1))
    return out


@njit(parallel=True, cache=True, nogil=True)
def _quantize_up(x, out):
    for i in prange(x.shape[0]):
        v = x[i]
        if v != v or v == -np.inf:
            out[i] = EXCLUDED
            continue
        q = np.ceil(v * SCALE)
        if q < EXCLUDED:
            q = EXCLUDED
        elif q > 32767:
            q = 32767
        out[i] = np.int16(q)


def threshold_units(log10_t: float) -> int:
    """Smallest int sum that can still correspond to an exact log10 LR >= log10_t."""
    return int(np.floor(log10_t * SCALE - 1e-9))


TILE = 64


@njit(parallel=True, cache=True, nogil=True, fastmath=True)
def score_blocks(blocks, codes, suffix, split, thr, cap, out_f, out_r, counts):
    """``blocks`` (n_tiles, width, TILE): a tile's bounds with the families contiguous for
    each table entry, so each lookup adds TILE contiguous int16 (SIMD). After ``split``
    markers a remain is dropped for the whole tile when no family can still reach ``thr``."""
    nt = blocks.shape[0]
    tl = blocks.shape[2]
    nr = codes.shape[0]
    nm = codes.shape[1]
    for t in prange(nt):
        c = 0
        base = t * cap
        blk = blocks[t]
        suf = suffix[t]
        acc = np.zeros(tl, np.int32)
        for r in range(nr):
            for j in range(tl):
                acc[j] = 0
            for m in range(split):
                k = np.uint32(codes[r, m])
                for j in range(tl):
                    acc[j] += np.int32(blk[k, j])
            if split < nm:
                alive = 0
                for j in range(tl):
                    if acc[j] + suf[j] >= thr:
                        alive += 1
                if alive == 0:
                    continue
                for m in range(split, nm):
                    k = np.uint32(codes[r, m])
                    for j in range(tl):
                        acc[j] += np.int32(blk[k, j])
            for j in range(tl):
                if acc[j] >= thr:
                    if c < cap:
                        out_f[base + c] = t * tl + j
                        out_r[base + c] = r
                    c += 1
        counts[t] = c


def to_blocks(bound: np.ndarray, tile: int = TILE) -> np.ndarray:
    """(rows, width) int16 -> (n_tiles, width, tile), padded with exclusions."""
    n, w = bound.shape
    nt = (n + tile - 1) // tile
    out = np.full((nt, w, tile), EXCLUDED, np.int16)
    for t in range(nt):
        blk = bound[t * tile : (t + 1) * tile]
        out[t, :, : len(blk)] = blk.T
    return out


def candidates(
    bound: np.ndarray,
    codes: np.ndarray,
    suffix: np.ndarray,
    split: int,
    thr: int,
    tile: int = TILE,
    blocks: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(family rows, remain rows) of every pair whose bound sum reaches ``thr``."""
    nf = bound.shape[0]
    if nf == 0 or codes.shape[0] == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if blocks is None:
        blocks = to_blocks(bound, tile)
    nt = blocks.shape[0]
    tile = blocks.shape[2]
    suf = np.full(nt * tile, np.iinfo(np.int32).min // 2, np.int32)
    suf[:nf] = suffix
    suf = suf.reshape(nt, tile)
    codes = np.ascontiguousarray(codes, np.int32)
    cap = 4096
    while True:
        out_f = np.empty(nt * cap, np.int64)
        out_r = np.empty(nt * cap, np.int64)
        counts = np.zeros(nt, np.int64)
        score_blocks(blocks, codes, suf, split, np.int32(thr), cap, out_f, out_r, counts)
        if counts.max() <= cap:
            break
        cap = int(counts.max()) + 16
    keep = np.concatenate([np.arange(t * cap, t * cap + counts[t]) for t in range(nt)])
    f, r = out_f[keep], out_r[keep]
    ok = f < nf
    return f[ok], r[ok]


def suffix_bounds(bound: np.ndarray, offsets: np.ndarray, split: int) -> np.ndarray:
    """Per row: sum over markers >= split of the largest bound of the marker (int32)."""
    out = np.zeros(bound.shape[0], np.int64)
    for m in range(split, len(offsets) - 1):
        out += bound[:, offsets[m] : offsets[m + 1]].max(axis=1).astype(np.int64)
    return np.clip(out, -(2**31) + 1, 2**31 - 1).astype(np.int32)


# --- the narrow kernel: int16 sums at half the scale, 128 families a tile -------------------
#
# Entries ceil(128 * log10 LR) (upper bounds, 1/128 coarser than the int32 kernel's), clamped
# from below at LOW (raising an entry keeps it an upper bound) and checked against HIGH, chosen so
# that every partial sum minus the threshold fits in int16: the sums run as 16 int16 lanes a
# vector instruction, eight markers a pass, with no widening (the int32 kernel above widens
# every lookup). Each tile starts at (suffix - threshold) per family, so "some family can still
# reach the threshold" is "some lane >= 0" (the AND of the lanes has its sign bit clear), and
# the suffix is taken off again before the other markers. About 2.5x less CPU than
# score_blocks on a Syria chunk (2,000 missing persons x 100,000 remains).

NARROW_TILE = 128
NARROW_SCALE = SCALE / 2


def narrow_limits(n_markers: int, thr: int) -> tuple[int, int] | None:
    """(LOW, HIGH) entry limits for int16 sums of ``n_markers`` entries less ``thr`` (None
    when the threshold leaves no room)."""
    if n_markers < 1 or not -16384 <= thr <= 16384:
        return None
    low = -((32767 - max(thr, 0)) // n_markers)  # n * |low| <= 32767: -suffix fits too
    high = (32767 + min(thr, 0)) // n_markers
    if low >= 0 or high <= 0:
        return None
    return low, high


@njit(parallel=True, cache=True, nogil=True)
def _narrow_blocks(exact, cols, low, high, out, over):
    """out[t, c, j] = max(ceil(NARROW_SCALE * exact[t * T + j, cols[c]]), low) (-inf and
    NaN: low; padding rows low); over[t] = 1 where an entry is above ``high``."""
    nt, w, tl = out.shape
    n = exact.shape[0]
    for t in prange(nt):
        over[t] = 0
        for j in range(tl):
            i = t * tl + j
            if i < n:
                for c in range(w):
                    v = exact[i, cols[c]]
                    if v != v or v * NARROW_SCALE < low:  # NaN, -inf, far below
                        out[t, c, j] = low
                    elif v * NARROW_SCALE > high:  # +inf too
                        over[t] = 1
                        out[t, c, j] = high
                    else:
                        out[t, c, j] = np.int16(np.ceil(v * NARROW_SCALE))
            else:
                for c in range(w):
                    out[t, c, j] = low


@njit(parallel=True, cache=True, nogil=True)
def _lane_suffix(blocks, offsets, split, out):
    """out[t, j] = sum over markers >= split of the largest entry of lane j."""
    nt, _, tl = blocks.shape
    for t in prange(nt):
        for j in range(tl):
            out[t, j] = 0
        for m in range(split, offsets.shape[0] - 1):
            for j in range(tl):
                mx = np.int32(-32768)
                for c in range(offsets[m], offsets[m + 1]):
                    mx = max(mx, np.int32(blocks[t, c, j]))
                out[t, j] += mx


@njit(inline="always", fastmath=True)
def _add_markers(acc, blk, codes, r, lo, hi):
    """acc += the rows of markers lo..hi-1 of remain r, eight markers a pass (one store)."""
    m = lo
    while m + 8 <= hi:
        k0 = np.uint32(codes[r, m])
        k1 = np.uint32(codes[r, m + 1])
        k2 = np.uint32(codes[r, m + 2])
        k3 = np.uint32(codes[r, m + 3])
        k4 = np.uint32(codes[r, m + 4])
        k5 = np.uint32(codes[r, m + 5])
        k6 = np.uint32(codes[r, m + 6])
        k7 = np.uint32(codes[r, m + 7])
        for j in range(NARROW_TILE):
            acc[j] += (
                blk[k0, j]
                + blk[k1, j]
                + blk[k2, j]
                + blk[k3, j]
                + blk[k4, j]
                + blk[k5, j]
                + blk[k6, j]
                + blk[k7, j]
            )
        m += 8
    while m < hi:
        k = np.uint32(codes[r, m])
        for j in range(NARROW_TILE):
            acc[j] += blk[k, j]
        m += 1


@njit(inline="always")
def _any_nonneg(acc):
    x = np.int16(-1)
    for j in range(NARROW_TILE):
        x &= acc[j]
    return x >= 0


@njit(parallel=True, cache=True, nogil=True, fastmath=True)
def score_narrow(blocks, codes, init, split, cap, out_f, out_r, counts):
    """``blocks`` (n_tiles, width, NARROW_TILE) int16; ``init`` (n_tiles, 2 * NARROW_TILE):
    per lane suffix - threshold, then -suffix. A lane (family) of a remain is a candidate
    when its sum less the threshold is >= 0."""
    nt = blocks.shape[0]
    nr = codes.shape[0]
    nm = codes.shape[1]
    tl = NARROW_TILE
    for t in prange(nt):
        c = 0
        base = t * cap
        blk = blocks[t]
        ini = init[t]
        acc = np.zeros(tl, np.int16)
        for r in range(nr):
            for j in range(tl):
                acc[j] = ini[j]
            _add_markers(acc, blk, codes, r, 0, split)
            if split < nm:
                if not _any_nonneg(acc):
                    continue
                for j in range(tl):
                    acc[j] += ini[tl + j]
                _add_markers(acc, blk, codes, r, split, nm)
            else:
                for j in range(tl):
                    acc[j] += ini[tl + j]
            if _any_nonneg(acc):
                for j in range(tl):
                    if acc[j] >= 0:
                        if c < cap:
                            out_f[base + c] = t * tl + j
                            out_r[base + c] = r
                        c += 1
        counts[t] = c


@dataclass(frozen=True)
class UsedEntries:
    """The table entries that some remain reads (``cols``, sorted), the remains' codes
    renumbered into them and each marker's range among them (``offsets``). The narrow
    kernel's tiles hold these entries only (a third of a Syria table's are read by no
    remain): smaller tiles, and each marker's largest entry for the early exit taken over
    the entries a remain can add (a bound as valid, and tighter). The candidates are the
    same pairs: a pair's sum is made of the same entries."""

    cols: np.ndarray
    codes: np.ndarray
    offsets: np.ndarray


_USED: dict[int, tuple] = {}


def used_entries(codes: np.ndarray, offsets: np.ndarray) -> UsedEntries:
    """The :class:`UsedEntries` of a run's codes (found once per codes array)."""
    key = id(codes)
    got = _USED.get(key)
    if got is not None and got[0]() is codes and np.array_equal(got[1], offsets):
        return got[2]
    cols, inverse = np.unique(np.asarray(codes), return_inverse=True)
    out = UsedEntries(
        cols.astype(np.int64),
        np.ascontiguousarray(inverse.reshape(codes.shape), np.int32),
        np.searchsorted(cols, np.asarray(offsets)).astype(np.int64),
    )
    if len(_USED) > 8:
        _USED.clear()
    _USED[key] = (weakref.ref(codes), np.array(offsets), out)
    return out


def narrow_candidates(
    exact: np.ndarray,
    codes: np.ndarray,
    offsets: np.ndarray,
    split: int,
    log10_t: float,
    used: UsedEntries | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pairs whose narrow bound sum reaches ``log10_t`` (``exact``: the float64 log10 LR
    tables): a superset of the pairs with an exact log10 LR >= log10_t (as
    :func:`candidates`, a few more at the coarser scale). None where the narrow sums cannot
    hold the tables (an entry above HIGH, an extreme threshold): the int32 kernel then.
    ``used``: the entries the remains read (:func:`used_entries`; None: every entry)."""
    if used is not None:
        cols, codes, offsets = used.cols, used.codes, used.offsets
    else:
        cols = np.arange(exact.shape[1], dtype=np.int64)
    nf, nm = exact.shape[0], codes.shape[1]
    thr = int(np.floor(log10_t * NARROW_SCALE - 1e-9))
    lim = narrow_limits(nm, thr)
    if lim is None or len(offsets) - 1 != nm:
        return None
    low, high = lim
    if nf == 0 or codes.shape[0] == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    tl = NARROW_TILE
    nt = (nf + tl - 1) // tl
    blocks = np.empty((nt, len(cols), tl), np.int16)
    over = np.zeros(nt, np.int8)
    _narrow_blocks(np.ascontiguousarray(exact, np.float64), cols, low, high, blocks, over)
    if over.any():
        return None
    split = max(0, min(split, nm))
    suffix = np.empty((nt, tl), np.int32)
    _lane_suffix(blocks, np.ascontiguousarray(offsets, np.int64), split, suffix)
    init = np.concatenate([suffix - thr, -suffix], axis=1).astype(np.int16)
    codes = np.ascontiguousarray(codes, np.int32)
    cap = 4096
    while True:
        out_f = np.empty(nt * cap, np.int64)
        out_r = np.empty(nt * cap, np.int64)
        counts = np.zeros(nt, np.int64)
        score_narrow(blocks, codes, init, split, cap, out_f, out_r, counts)
        if counts.max() <= cap:
            break
        cap = int(counts.max()) + 16
    keep = np.concatenate([np.arange(t * cap, t * cap + counts[t]) for t in range(nt)])
    f, r = out_f[keep], out_r[keep]
    ok = f < nf
    return f[ok], r[ok]


def exact_scores(exact: np.ndarray, codes: np.ndarray, f: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Exact float64 log10 LR of the pairs (f[i], r[i])."""
    if len(f) == 0:
        return np.empty(0)
    out = np.zeros(len(f))
    order = np.argsort(f, kind="stable")
    fs, rs = f[order], r[order]
    vals = exact[fs[:, None], codes[rs]] if not isinstance(exact, np.memmap) else None
    if vals is None:
        vals = np.empty((len(fs), codes.shape[1]))
        uniq, start = np.unique(fs, return_index=True)
        bounds = list(start) + [len(fs)]
        for j, u in enumerate(uniq):
            row = np.asarray(exact[u])
            sl = slice(bounds[j], bounds[j + 1])
            vals[sl] = row[codes[rs[sl]]]
    with np.errstate(invalid="ignore"):
        out[order] = vals.sum(axis=1)
    out[np.isnan(out)] = -math.inf
    return out
