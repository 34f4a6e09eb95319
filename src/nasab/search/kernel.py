"""The scoring kernel: sum of per-marker LR lookups over families x remains.

``bound[f, c]`` is an int16 *upper bound* of 256 * log10 LR of table entry ``c`` for the
missing person ``f`` (rounded up; an exclusion is -32768), so the int32 sum over markers is
at least 256 * the exact log10 LR: a pair whose bound sum is below ``256 * log10 T`` cannot
reach T and is skipped; the others (candidates) are rescored exactly in float64. The early
exit after ``split`` markers uses, per missing person, the sum of the largest bound of each
remaining marker: also an upper bound, so the pruning is conservative.

Tiling: a tile of missing persons (their bound rows fit in L2) is scored against every remain
in turn, so a remain's codes are read once per tile and the table rows stay in cache. Tiles
run in parallel (numba ``prange``), each writing its candidates to its own slice.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

SCALE = 256.0
EXCLUDED = -32768


def quantize_up(x: np.ndarray) -> np.ndarray:
    """int16 upper bounds of SCALE * x (x in log10 units, -inf allowed)."""
    with np.errstate(invalid="ignore", over="ignore"):
        q = np.ceil(np.asarray(x, float) * SCALE)
    q = np.where(np.isneginf(q), EXCLUDED, q)
    q = np.clip(q, EXCLUDED, 32767)
    return q.astype(np.int16)


def threshold_units(log10_t: float) -> int:
    """Smallest int sum that can still correspond to an exact log10 LR >= log10_t."""
    return int(np.floor(log10_t * SCALE - 1e-9))


@njit(parallel=True, cache=True, nogil=True)
def score_tiles(bound, codes, suffix, split, thr, tile, cap, out_f, out_r, counts):
    nf = bound.shape[0]
    nr = codes.shape[0]
    nm = codes.shape[1]
    ntiles = (nf + tile - 1) // tile
    for t in prange(ntiles):
        f0 = t * tile
        f1 = min(nf, f0 + tile)
        c = 0
        base = t * cap
        for r in range(nr):
            for f in range(f0, f1):
                s = np.int32(0)
                for m in range(split):
                    s += bound[f, codes[r, m]]
                if s + suffix[f] < thr:
                    continue
                for m in range(split, nm):
                    s += bound[f, codes[r, m]]
                if s >= thr:
                    if c < cap:
                        out_f[base + c] = f
                        out_r[base + c] = r
                    c += 1
        counts[t] = c


def candidates(bound: np.ndarray, codes: np.ndarray, suffix: np.ndarray, split: int,
               thr: int, tile: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """(family rows, remain rows) of every pair whose bound sum reaches ``thr``."""
    nf = bound.shape[0]
    if nf == 0 or codes.shape[0] == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ntiles = (nf + tile - 1) // tile
    cap = 256
    while True:
        out_f = np.empty(ntiles * cap, np.int64)
        out_r = np.empty(ntiles * cap, np.int64)
        counts = np.zeros(ntiles, np.int64)
        score_tiles(bound, codes, suffix, split, np.int32(thr), tile, cap, out_f, out_r, counts)
        if counts.max() <= cap:
            break
        cap = int(counts.max()) + 16
    keep = np.concatenate([np.arange(t * cap, t * cap + counts[t]) for t in range(ntiles)])
    return out_f[keep], out_r[keep]


def suffix_bounds(bound: np.ndarray, offsets: np.ndarray, split: int) -> np.ndarray:
    """Per row: sum over markers >= split of the largest bound of the marker (int32)."""
    out = np.zeros(bound.shape[0], np.int64)
    for m in range(split, len(offsets) - 1):
        out += bound[:, offsets[m]:offsets[m + 1]].max(axis=1).astype(np.int64)
    return np.clip(out, -(2**31) + 1, 2**31 - 1).astype(np.int32)
