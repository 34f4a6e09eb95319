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
