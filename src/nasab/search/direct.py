"""Direct matching: remains against remains (and against direct references).

The model, per marker typed in both samples (markers untyped in either are skipped)::

    LR = P(o1, o2 | H1) / P(o1, o2 | H2)
    H1: one person:   sum_G        P(o1 | G)  P(o2 | G)  P_theta(G)
    H2: two persons of the same subpopulation, unrelated:
                      sum_{G1,G2}  P(o1 | G1) P(o2 | G2) P_theta(G1, G2)

and the LR of a pair is the product over shared markers (markers independent).

* ``P(o | G)`` is the engine's observation model (:func:`nasab.engine.observation.
  observation_weights`), per sample: a plain genotype ``a/b`` (and ``a/F`` read as ``a/a``)
  without dropout or drop-in is the indicator of G = {a, b}; a partial ``a/-`` any genotype
  carrying a; with a dropout probability d or a drop-in probability c (per sample: the
  ``dropout`` / ``dropin`` columns of the table, else ``--dropout`` / ``--dropin``) the
  observed allele set O (``12/F``, ``12/12`` and ``12/-`` all mean O = {12}) under the
  semi-continuous model of Haned et al. 2012 (relMix): each allele i of the marker is not
  seen with probability (1 - c p_i) D_i(G), D_i = 1, d or d^2 for 0, 1 or 2 copies in G.
* ``P_theta`` is the Balding-Nichols (Dirichlet) sampling formula: the n-th allele drawn
  is A with probability (m_A theta + (1 - theta) p_A) / (1 + (n - 2) theta), m_A the number
  of A among the n - 1 drawn before. One person (two draws): P(aa) = p (theta + (1 - theta)
  p), P(ab) = 2 (1 - theta) p q. Two persons: the four draws in sequence; the sum over
  (G1, G2) is done exactly in O(K^2) by conditioning on G1 (see :func:`two_persons`).
  theta = 0: P(G1, G2) = P_HW(G1) P_HW(G2).

With no dropout, no drop-in and theta = 0, identical genotypes give LR = 1 / P_HW(g) at each
marker (computed by that formula, so the pair's log10 LR is bit for bit -log10 RMP).
``log10_rmp`` in the output is -log10 LR (the random match probability in that case).

Candidates. A marker is *incompatible* for a pair when no genotype has P(o1|G) P(o2|G) > 0
(H1 impossible: LR 0); a *mismatch* when that holds without drop-in (c set to 0: the
marker needs a drop-in to be explained). Reported pairs: at least ``min_shared`` markers typed
in both, no incompatible marker, and at most ``max_mismatches`` mismatches when a sample of
the pair has drop-in > 0 (none otherwise, where a mismatch is an incompatibility). The budget
is a definition of the candidate set, not an approximation: with drop-in and dropout both
> 0 no pair is strictly incompatible, and a pair needing more drop-ins than the budget is
not scored.

Speed: the all-pairs comparison is a numba kernel on a conservative compatibility rule:
each observation is summarised by a *superset* of the genotypes G with P(o | G) > 0 at drop-in
0 (one genotype ``a/b``; all genotypes carrying ``a``; or all genotypes), derived from the
observation model's own weights; two summaries meet iff their sets intersect. Intersecting
supports imply intersecting supersets, so the kernel never counts more mismatches than the
exact rule and never drops a candidate (provably conservative for every model the options
allow: per-sample dropout, drop-in, theta, silent alleles). The kernel's pairs are then scored
exactly, with per-marker LRs tabulated lazily per pair of distinct observations.

Remains joined by pairs with LR >= threshold are grouped into individuals (connected
components, union-find); with a ``site`` column, the number of distinct individuals per site
is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, marker_key
from nasab.engine.genotypes import Genotype, Profile
from nasab.engine.observation import DROPOUT_MARK, DropModel, observation_weights, observed_alleles
from nasab.engine.theta import single_person

UNTYPED, EXACT, CARRY, ANY = 0, 1, 2, 3  # the kernel's summary of an observation


@dataclass(frozen=True)
class DirectModel:
    """The global model of ``nasab direct`` (samples may override dropout and drop-in)."""

    dropout: float = 0.0
    dropin: float = 0.0
    theta: float = 0.0
    max_mismatches: int = 2  # markers needing a drop-in, allowed when drop-in > 0

    def __post_init__(self) -> None:
        for name in ("dropout", "dropin"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and 0.0 <= v < 1.0):
                raise InputError(f"--{name} must be in [0, 1), not {v}", field=f"--{name}")
        if not (0.0 <= self.theta < 0.5):
            raise InputError(f"--theta must be in [0, 0.5), not {self.theta}", field="--theta")
        if self.max_mismatches < 0:
            raise InputError(
                f"--max-mismatches must be >= 0, not {self.max_mismatches}",
                field="--max-mismatches",
            )

    @property
    def drop(self) -> DropModel | None:
        d = DropModel(self.dropout, None, self.dropin)
        return None if d.trivial else d


# ---------------------------------------------------------------------------- per marker


def two_persons(w1: np.ndarray, w2: np.ndarray, p: np.ndarray, theta: float) -> float:
    """sum over ordered (G1, G2) of w1(G1) w2(G2) P_theta(G1, G2), four alleles drawn in
    sequence from the Dirichlet sampling formula, in O(K^2).

    Given G1 = (x1, x2), with n = e_x1 + e_x2 and v = u + theta n (u = (1 - theta) p), the
    third and fourth draws have probabilities v_x3 / (1 + theta) and (v_x4 + theta
    [x3 = x4]) / (1 + 2 theta), so the inner sum over G2 is
        v^T w2 v + theta diag(w2).v
      = s0 + theta dg.u + 2 theta (w[x1] + w[x2]) + 2 theta^2 (dg[x1] + dg[x2] + w2[x1, x2])
    with s0 = u^T w2 u, w = w2 u, dg = diag(w2) (w2 symmetric)."""
    u = (1.0 - theta) * p
    if theta == 0.0:
        return float(p @ w1 @ p) * float(p @ w2 @ p)
    w = w2 @ u
    dg = np.diag(w2)
    inner = (
        float(u @ w)
        + theta * float(dg @ u)
        + 2.0 * theta * (w[:, None] + w[None, :])
        + 2.0 * theta * theta * (dg[:, None] + dg[None, :] + w2)
    )
    return float((w1 * single_person(p, theta) * inner).sum()) / ((1 + theta) * (1 + 2 * theta))


def marker_lr(w1: np.ndarray, w2: np.ndarray, p: np.ndarray, theta: float) -> float:
    """LR of one marker from the two samples' observation weights (K x K, ordered)."""
    num = float((w1 * w2 * single_person(p, theta)).sum())
    if num == 0.0:
        return 0.0
    return num / two_persons(w1, w2, p, theta)


def _obs_genotype(g: Genotype, drop: DropModel | None) -> tuple[Genotype, DropModel | None]:
    """The observation as the observation model reads it: under a dropout / drop-in model
    only the observed allele set counts (``a/F``, ``a/a`` and ``a/-`` alike)."""
    if drop is None or drop.trivial:
        return g, None
    o = sorted(observed_alleles(g))
    return ((o[0], o[-1]), drop)


def pair_marker_lr(
    g1: Genotype,
    drop1: DropModel | None,
    g2: Genotype,
    drop2: DropModel | None,
    alleles: list[str],
    freqs: np.ndarray,
    theta: float = 0.0,
) -> float:
    """LR at one marker of two typed samples (for checks; the search tabulates)."""
    labels: list[str | None] = list(alleles)
    o1, d1 = _obs_genotype(g1, drop1)
    o2, d2 = _obs_genotype(g2, drop2)
    w1 = observation_weights(o1, labels, freqs, d1)
    w2 = observation_weights(o2, labels, freqs, d2)
    return marker_lr(w1, w2, np.asarray(freqs, float), theta)


class _Marker:
    """Distinct observations of one marker, their weights and the lazily filled LR table."""

    def __init__(self, alleles: list[str], freqs: np.ndarray, theta: float):
        self.alleles = list(alleles)
        self.index = {a: i for i, a in enumerate(alleles)}
        self.p = np.asarray(freqs, float)
        self.theta = theta
        self.codes: dict[tuple, int] = {}
        self.obs: list[tuple[Genotype, DropModel | None]] = []
        self.summary: list[tuple[int, int, int]] = []
        self.packed: list[int] = []
        self.w: dict[int, np.ndarray] = {}
        self.sup0: dict[int, np.ndarray] = {}
        self.table: dict[tuple[int, int], tuple[float, bool, bool]] = {}

    def code(self, g: Genotype, drop: DropModel | None) -> int:
        o, d = _obs_genotype(g, drop)
        if d is None and o[1] == DROPOUT_MARK:  # no dropout: a/F is the homozygote a/a
            o = (o[0], o[0])
        elif d is None and o[1] is not None and o[0] > o[1]:
            o = (o[1], o[0])
        key = (o, d)
        c = self.codes.get(key)
        if c is None:
            c = len(self.obs)
            self.codes[key] = c
            self.obs.append(key)
            self.summary.append(self._summarise(c))
            self.packed.append(pack(*self.summary[c]))
        return c

    def weights(self, c: int) -> np.ndarray:
        w = self.w.get(c)
        if w is None:
            o, d = self.obs[c]
            w = observation_weights(o, list(self.alleles), self.p, d)
            self.w[c] = w
        return w

    def support0(self, c: int) -> np.ndarray:
        """Genotypes G with P(o | G) > 0 when drop-in is set to 0."""
        s = self.sup0.get(c)
        if s is None:
            o, d = self.obs[c]
            if d is not None and d.dropin > 0:
                d0 = DropModel(d.dropout, d.dropout_hom, 0.0)
                if d0.trivial:  # the limit c -> 0 at d = 0: G's alleles are exactly O
                    w0 = observation_weights(o, list(self.alleles), self.p, None)
                else:
                    w0 = observation_weights(o, list(self.alleles), self.p, d0)
            else:
                w0 = self.weights(c)
            s = w0 > 0
            self.sup0[c] = s
        return s

    def _summarise(self, c: int) -> tuple[int, int, int]:
        """(kind, a, b): a superset of support0 as one genotype, 'carries a', or anything."""
        s = np.triu(self.support0(c))
        ii, jj = np.nonzero(s)
        if len(ii) == 1:
            return EXACT, int(ii[0]), int(jj[0])
        if len(ii) == 0:
            return ANY, -1, -1  # impossible observation: scored exactly (LR 0)
        common = set(ii.tolist()) | set(jj.tolist())
        for i, j in zip(ii, jj, strict=True):
            common &= {int(i), int(j)}
        if common:
            return CARRY, min(common), -1
        return ANY, -1, -1

    def value(self, c1: int, c2: int) -> tuple[float, bool, bool]:
        """(log10 LR, mismatch, incompatible) of a pair of observations."""
        key = (c1, c2) if c1 <= c2 else (c2, c1)
        got = self.table.get(key)
        if got is not None:
            return got
        w1, w2 = self.weights(c1), self.weights(c2)
        mismatch = not bool((self.support0(c1) & self.support0(c2)).any())
        d1, d2 = self.obs[c1][1], self.obs[c2][1]
        a, b = self.summary[c1][1], self.summary[c1][2]
        if (
            self.theta == 0.0
            and d1 is None
            and d2 is None
            and c1 == c2
            and self.summary[c1][0] == EXACT
            and w1[a, b] == 1.0
            and w1.sum() == (1.0 if a == b else 2.0)
        ):
            # identical plain genotypes, theta 0, no dropout: the indicator of one genotype
            # g, so LR = P(g) / P(g)^2 = 1 / P_HW(g), computed as such
            pa, pb = self.p[a], self.p[b]
            got = (-math.log10(pa * pa if a == b else 2 * pa * pb), mismatch, False)
        else:
            lr = marker_lr(w1, w2, self.p, self.theta)
            got = (math.log10(lr) if lr > 0 else -math.inf, mismatch, lr == 0.0)
        self.table[key] = got
        return got


class Encoded:
    """Samples coded per marker: observation codes (-1 untyped) and the kernel summary
    packed in one int32 (see :func:`pack`)."""

    def __init__(self, n: int, m: int):
        self.codes = np.full((n, m), -1, np.int32)
        self.packed = np.full((n, m), PACK_UNTYPED, np.int32)
        self.dropin = np.zeros(n, bool)


PACK_UNTYPED, PACK_ANY = -1, -2


def pack(kind: int, a: int, b: int) -> int:
    """The kernel's summary in one int32: one genotype a <= b as a * 2^16 + b (>= 0),
    'carries a' as -3 - a, anything -2, untyped -1."""
    if kind == EXACT:
        return a * 65536 + b
    if kind == CARRY:
        return -3 - a
    return PACK_ANY if kind == ANY else PACK_UNTYPED


def encode(
    profiles: list[Profile], markers: list[str], cms: list[_Marker], default: DropModel | None
) -> Encoded:
    enc = Encoded(len(profiles), len(markers))
    if any(len(cm.alleles) >= 32768 for cm in cms):
        raise InputError("a marker has more than 32767 alleles")
    keys = [marker_key(m) for m in markers]
    for r, p in enumerate(profiles):
        drop = p.drop if p.drop is not None else default
        if drop is not None and drop.trivial:
            drop = None
        enc.dropin[r] = drop is not None and drop.dropin > 0
        for m, mk in enumerate(keys):
            g = p.genotypes.get(mk)
            if g is None or g[0] is None:
                continue
            c = cms[m].code(g, drop)
            enc.codes[r, m] = c
            enc.packed[r, m] = cms[m].packed[c]
    return enc


# ---------------------------------------------------------------------------- the kernel


@njit(cache=True, inline="always")
def _meet(x, y) -> bool:
    """Do two packed summaries' genotype sets intersect?"""
    if x == y:
        return True
    if x >= 0:
        if y >= 0:
            return False  # two different single genotypes
        if y <= -3:
            a = -3 - y
            return a == (x >> 16) or a == (x & 0xFFFF)
        return True
    if x <= -3 and y >= 0:
        a = -3 - x
        return a == (y >> 16) or a == (y & 0xFFFF)
    return True  # carries a / carries b (genotype ab), or anything


@njit(parallel=True, cache=True)
def _pairs(pa, pb, same, min_shared, budget_a, budget_b, cap, out_i, out_j, out_n, counts):
    na = pa.shape[0]
    nb = pb.shape[0]
    nm = pa.shape[1]
    for i in prange(na):
        c = 0
        base = i * cap
        j0 = i + 1 if same else 0
        for j in range(j0, nb):
            budget = max(budget_a[i], budget_b[j])
            n = 0
            bad = 0
            for m in range(nm):
                x = pa[i, m]
                y = pb[j, m]
                if x == PACK_UNTYPED or y == PACK_UNTYPED:
                    continue
                n += 1
                if not _meet(x, y):
                    bad += 1
                    if bad > budget:
                        break
            if bad <= budget and n >= min_shared:
                if c < cap:
                    out_i[base + c] = i
                    out_j[base + c] = j
                    out_n[base + c] = n
                c += 1
        counts[i] = c


def compatible_pairs(ea: Encoded, eb: Encoded | None, min_shared: int, max_mismatches: int):
    """Pairs passing the conservative kernel rule: (i, j, markers typed in both)."""
    same = eb is None
    if same:
        eb = ea
    na = ea.packed.shape[0]
    bud_a = np.where(ea.dropin, max_mismatches, 0).astype(np.int64)
    bud_b = np.where(eb.dropin, max_mismatches, 0).astype(np.int64)
    cap = 16
    while True:
        out_i = np.empty(na * cap, np.int64)
        out_j = np.empty(na * cap, np.int64)
        out_n = np.empty(na * cap, np.int64)
        counts = np.zeros(na, np.int64)
        _pairs(
            ea.packed, eb.packed, same, min_shared, bud_a, bud_b, cap, out_i, out_j, out_n, counts
        )
        if na == 0 or counts.max() <= cap:
            break
        cap = int(counts.max()) + 4
    keep = (np.arange(na * cap) % cap) < np.repeat(counts, cap) if na else np.zeros(0, bool)
    return out_i[keep], out_j[keep], out_n[keep]


def score_pairs(
    ea: Encoded, eb: Encoded, i: np.ndarray, j: np.ndarray, cms: list[_Marker], max_mismatches: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact log10 LR, mismatches and a keep mask of the kernel's pairs."""
    n, nm = len(i), len(cms)
    vals = np.zeros((n, nm))
    mis = np.zeros(n, np.int64)
    bad = np.zeros(n, bool)
    shared = np.zeros((n, nm), bool)
    for m, cm in enumerate(cms):
        c1 = ea.codes[i, m]
        c2 = eb.codes[j, m]
        sh = (c1 >= 0) & (c2 >= 0)
        shared[:, m] = sh
        if not sh.any():
            continue
        k = len(cm.obs)
        lo, hi = np.minimum(c1[sh], c2[sh]), np.maximum(c1[sh], c2[sh])
        uniq, inv = np.unique(lo.astype(np.int64) * k + hi, return_inverse=True)
        res = [cm.value(int(u // k), int(u % k)) for u in uniq]
        v = np.array([r[0] for r in res])[inv]
        mm = np.array([r[1] for r in res], bool)[inv]
        inc = np.array([r[2] for r in res], bool)[inv]
        vals[sh, m] = v
        mis[sh] += mm
        bad[sh] |= inc
    budget = np.where(ea.dropin[i] | eb.dropin[j], max_mismatches, 0)
    keep = ~bad & (mis <= budget)
    # summed over the shared markers only, in marker order, as the RMP always was
    log10_lr = np.array([vals[r][shared[r]].sum() for r in range(n)]) if n else np.empty(0)
    return log10_lr, mis, keep


# ---------------------------------------------------------------------------- results


@dataclass
class DirectResult:
    pairs: dict[str, list]
    individuals: dict[str, list]
    sites: dict[str, list]
    candidates: int = 0  # pairs passed by the kernel (before exact scoring)


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def direct_match(
    ids: list[str],
    sites: list[str],
    profiles: list[Profile],
    markers: list[str],
    table: FrequencyTable,
    threshold: float = 1e6,
    min_shared: int = 8,
    refs: list[Profile] | None = None,
    model: DirectModel | None = None,
) -> DirectResult:
    model = model or DirectModel()
    cms = [_Marker(table[m].alleles, table[m].freqs, model.theta) for m in markers]
    ea = encode(profiles, markers, cms, model.drop)
    log_t = math.log10(threshold)
    pairs: dict[str, list] = {
        "a": [],
        "b": [],
        "kind": [],
        "shared_markers": [],
        "log10_rmp": [],
        "log10_lr": [],
        "linked": [],
        "mismatches": [],
    }

    def add(eb: Encoded, names: list[str], kind: str) -> tuple[np.ndarray, ...]:
        i, j, n = compatible_pairs(ea, None if eb is ea else eb, min_shared, model.max_mismatches)
        lg, mis, keep = score_pairs(ea, eb, i, j, cms, model.max_mismatches)
        i, j, n, lg, mis = i[keep], j[keep], n[keep], lg[keep], mis[keep]
        pairs["a"] += [ids[a] for a in i]
        pairs["b"] += [names[b] for b in j]
        pairs["kind"] += [kind] * len(i)
        pairs["shared_markers"] += n.tolist()
        pairs["log10_rmp"] += (-lg).tolist()
        pairs["log10_lr"] += lg.tolist()
        pairs["linked"] += (lg >= log_t).tolist()
        pairs["mismatches"] += mis.tolist()
        return i, j, lg, len(keep)

    i, j, lg, cand = add(ea, ids, "remain")
    parent = list(range(len(ids)))
    for a, b, v in zip(i, j, lg, strict=True):
        if v >= log_t:
            ra, rb = _find(parent, int(a)), _find(parent, int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = [_find(parent, x) for x in range(len(ids))]
    names: dict[int, str] = {}
    for rt in roots:
        if rt not in names:
            names[rt] = f"IND{len(names) + 1:06d}"
    individuals = {
        "remain_id": list(ids),
        "individual": [names[rt] for rt in roots],
        "site": list(sites),
    }
    if refs:
        eb = encode(refs, markers, cms, model.drop)
        cand += add(eb, [r.id for r in refs], "reference")[3]
    per_site: dict[str, tuple[int, set]] = {}
    for s, rt in zip(sites, roots, strict=True):
        cnt, inds = per_site.setdefault(s, (0, set()))
        inds.add(rt)
        per_site[s] = (cnt + 1, inds)
    site_rows: dict[str, list] = {"site": [], "remains": [], "individuals": []}
    for s in sorted(per_site):
        site_rows["site"].append(s)
        site_rows["remains"].append(per_site[s][0])
        site_rows["individuals"].append(len(per_site[s][1]))
    return DirectResult(pairs, individuals, site_rows, cand)
