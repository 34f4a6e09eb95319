"""Direct matching: remains against remains (and against direct references).

Two profiles are *compatible* when their genotypes are identical at every marker typed in
both (markers missing in either, or typed with one allele only, are skipped) and they share
at least ``min_shared`` markers. For a compatible pair,

    RMP = prod over shared markers of P_HW(genotype)   (p^2 or 2pq, the search's extended
                                                         frequency table, theta = 0)
    LR  = 1 / RMP   (same source vs. unrelated sources; no typing-error model)

Remains joined by pairs with LR >= threshold are grouped into individuals (connected
components, union-find); with a ``site`` column, the number of distinct individuals per site
is reported. The all-pairs comparison is a numba kernel that stops at a pair's first
mismatching marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from ..frequencies import FrequencyTable, marker_key
from ..genotypes import Profile


def genotype_matrix(profiles: list[Profile], markers: list[str], table: FrequencyTable,
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(R, M) int32 genotype ids (-1 untyped or partial) and (R, M) log10 P_HW."""
    keys = [marker_key(m) for m in markers]
    ids = np.full((len(profiles), len(markers)), -1, np.int32)
    logp = np.zeros((len(profiles), len(markers)))
    for m, (mk, name) in enumerate(zip(keys, markers, strict=True)):
        mf = table[name]
        idx = {a: i for i, a in enumerate(mf.alleles)}
        k = len(mf.alleles)
        for r, p in enumerate(profiles):
            g = p.genotypes.get(mk)
            if g is None or g[0] is None or g[1] is None:
                continue
            a, b = sorted((idx[g[0]], idx[g[1]]))
            ids[r, m] = a * k + b
            pa, pb = mf.freqs[a], mf.freqs[b]
            logp[r, m] = math.log10(pa * pa if a == b else 2 * pa * pb)
    return ids, logp


@njit(parallel=True, cache=True)
def _pairs(ids_a, ids_b, same, min_shared, cap, out_i, out_j, out_n, counts):
    na = ids_a.shape[0]
    nb = ids_b.shape[0]
    nm = ids_a.shape[1]
    for i in prange(na):
        c = 0
        base = i * cap
        j0 = i + 1 if same else 0
        for j in range(j0, nb):
            n = 0
            ok = True
            for m in range(nm):
                x = ids_a[i, m]
                y = ids_b[j, m]
                if x < 0 or y < 0:
                    continue
                if x != y:
                    ok = False
                    break
                n += 1
            if ok and n >= min_shared:
                if c < cap:
                    out_i[base + c] = i
                    out_j[base + c] = j
                    out_n[base + c] = n
                c += 1
        counts[i] = c


def compatible_pairs(ids_a: np.ndarray, ids_b: np.ndarray | None, min_shared: int):
    same = ids_b is None
    if same:
        ids_b = ids_a
    na = ids_a.shape[0]
    cap = 16
    while True:
        out_i = np.empty(na * cap, np.int64)
        out_j = np.empty(na * cap, np.int64)
        out_n = np.empty(na * cap, np.int64)
        counts = np.zeros(na, np.int64)
        _pairs(ids_a, ids_b, same, min_shared, cap, out_i, out_j, out_n, counts)
        if na == 0 or counts.max() <= cap:
            break
        cap = int(counts.max()) + 4
    keep = (np.arange(na * cap) % cap) < np.repeat(counts, cap) if na else np.zeros(0, bool)
    return out_i[keep], out_j[keep], out_n[keep]


@dataclass
class DirectResult:
    pairs: dict[str, list]
    individuals: dict[str, list]
    sites: dict[str, list]


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def direct_match(ids: list[str], sites: list[str], profiles: list[Profile], markers: list[str],
                 table: FrequencyTable, threshold: float = 1e6, min_shared: int = 8,
                 refs: list[Profile] | None = None) -> DirectResult:
    gm, logp = genotype_matrix(profiles, markers, table)
    i, j, n = compatible_pairs(gm, None, min_shared)
    shared_log = np.array([logp[a][(gm[a] >= 0) & (gm[b] >= 0)].sum()
                           for a, b in zip(i, j, strict=True)])
    log10_lr = -shared_log if len(i) else np.empty(0)
    log_t = math.log10(threshold)
    pairs = {"a": [ids[a] for a in i], "b": [ids[b] for b in j], "kind": ["remain"] * len(i),
             "shared_markers": n.tolist(), "log10_rmp": shared_log.tolist(),
             "log10_lr": log10_lr.tolist(), "linked": (log10_lr >= log_t).tolist()}
    parent = list(range(len(ids)))
    for a, b, v in zip(i, j, log10_lr, strict=True):
        if v >= log_t:
            ra, rb = _find(parent, int(a)), _find(parent, int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = [_find(parent, x) for x in range(len(ids))]
    names: dict[int, str] = {}
    for rt in roots:
        if rt not in names:
            names[rt] = f"IND{len(names) + 1:06d}"
    individuals = {"remain_id": list(ids), "individual": [names[rt] for rt in roots],
                   "site": list(sites)}
    if refs:
        rm, _ = genotype_matrix(refs, markers, table)
        ri, rj, rn = compatible_pairs(gm, rm, min_shared)
        for a, b, k in zip(ri, rj, rn, strict=True):
            lg = float(logp[a][(gm[a] >= 0) & (rm[b] >= 0)].sum())
            pairs["a"].append(ids[a])
            pairs["b"].append(refs[b].id)
            pairs["kind"].append("reference")
            pairs["shared_markers"].append(int(k))
            pairs["log10_rmp"].append(lg)
            pairs["log10_lr"].append(-lg)
            pairs["linked"].append(-lg >= log_t)
    per_site: dict[str, tuple[int, set]] = {}
    for s, rt in zip(sites, roots, strict=True):
        cnt, inds = per_site.setdefault(s, (0, set()))
        inds.add(rt)
        per_site[s] = (cnt + 1, inds)
    site_rows = {"site": [], "remains": [], "individuals": []}
    for s in sorted(per_site):
        site_rows["site"].append(s)
        site_rows["remains"].append(per_site[s][0])
        site_rows["individuals"].append(len(per_site[s][1]))
    return DirectResult(pairs, individuals, site_rows)
