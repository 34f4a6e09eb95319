"""The discrete Laplace mixture for Y-STR haplotype probabilities.

Andersen, Eriksen & Morling (2013, FSI Genetics 7:211-217; the model of the R package
disclapmix): a haplotype x = (x_1..x_L) of integer repeat numbers has probability

    P(x) = sum_j tau_j prod_l DL(x_l - y_jl; p_jl),  DL(d; p) = (1 - p) / (1 + p) p^|d|

with K clusters (centres y_j, dispersions p_jl, weights tau_j). Fitted here by EM: the
E-step gives each man's cluster responsibilities; the M-step sets tau_j to their mean, y_jl
to the weighted median of the locus's alleles (the exact maximiser for a Laplace centre)
and p_jl from the weighted mean absolute deviation m (the exact maximiser:
p = (sqrt(1 + m^2) - 1) / m). K is chosen by BIC from 1 up to ``max_clusters``.

Differences from disclapmix (stated in docs/lineage.md): disclapmix ties the dispersions
through a GLM (log p_jl = cluster effect + locus effect); here each p_jl is free. A
multi-copy locus enters as its copies sorted (DYS385 11,14 -> 11 and 14), as disclapmix
users do. An intermediate allele is read at its whole repeat number (DYS458 18.2 as 18: the
model does not see that difference, which can only raise the probability: conservative;
counting sees it). Men with a null allele or an unusual copy number at a compared locus are
left out of the fit (their number is reported); a POI with one cannot be evaluated by it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nasab.engine.errors import InputError

P_MIN, P_MAX = 1e-8, 0.999


@dataclass
class DLFit:
    loci: list[str]  # locus keys
    copies: list[int]  # copies per locus
    tau: np.ndarray  # (K,)
    centres: np.ndarray  # (K, C) integer centres, C = sum(copies)
    p: np.ndarray  # (K, C)
    loglik: float
    bic: float
    n: int
    left_out: int
    bic_path: dict

    @property
    def clusters(self) -> int:
        return len(self.tau)

    def summary(self) -> dict:
        return {
            "clusters": self.clusters,
            "fitted_men": self.n,
            "men_left_out_of_fit": self.left_out,
            "loglik": self.loglik,
            "bic": self.bic,
            "bic_by_clusters": self.bic_path,
        }

    def log_density(self, x: np.ndarray) -> np.ndarray:
        """log P(x) for rows x (n, C)."""
        return _logsumexp(_log_joint(x, self.tau, self.centres, self.p), axis=1)

    def probability(self, hap: dict) -> float:
        x = _vector(hap, self.loci, self.copies)
        if x is None:
            raise InputError(
                "the discrete Laplace model needs integer repeat numbers at "
                "every compared locus (the POI has a null allele or another "
                "copy number): use --ystr-method counting",
                field="--ystr-method",
            )
        return float(math.exp(self.log_density(np.array([x], dtype=float))[0]))

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n haplotypes drawn from the fitted model (rows of integer repeat numbers)."""
        j = rng.choice(len(self.tau), size=n, p=self.tau)
        p = self.p[j]
        # |d| ~ 0 with prob (1-p)/(1+p), else geometric; sign symmetric
        mag = np.where(rng.random(p.shape) < (1 - p) / (1 + p), 0, rng.geometric(1 - p))
        sign = np.where(rng.random(p.shape) < 0.5, -1, 1)
        return self.centres[j] + sign * mag


def _vector(hap: dict, loci: list[str], copies: list[int]) -> list[int] | None:
    out: list[int] = []
    for k, c in zip(loci, copies, strict=True):
        s = hap.get(k)
        if s is None or len(s) != c or "null" in s:
            return None
        out.extend(sorted(int(a.partition(".")[0]) for a in s))  # 18.2 read as 18
    return out


def _log_joint(x: np.ndarray, tau, centres, p) -> np.ndarray:
    """log tau_j + log prod_l DL(x_il - y_jl; p_jl), shape (n, K)."""
    lp = np.log(p)
    norm = np.log((1 - p) / (1 + p)).sum(axis=1)  # (K,)
    d = np.abs(x[:, None, :] - centres[None, :, :])  # (n, K, C)
    return np.log(tau)[None, :] + norm[None, :] + (d * lp[None, :, :]).sum(axis=2)


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    top = a.max(axis=axis, keepdims=True)
    return (top + np.log(np.exp(a - top).sum(axis=axis, keepdims=True))).squeeze(axis)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per column of ``weights`` (n, K): the weighted median of ``values`` (n,)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = np.cumsum(w, axis=0)
    half = cum[-1] / 2
    idx = (cum >= half[None, :]).argmax(axis=0)
    return v[idx]


def _p_from_mad(m: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(m > 0, (np.sqrt(1 + m * m) - 1) / np.where(m > 0, m, 1), P_MIN)
    return np.clip(p, P_MIN, P_MAX)


def fit_em(
    x: np.ndarray, k: int, *, iterations: int = 500, tol: float = 1e-7, seed: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """EM for a K-cluster mixture; centres start at K men chosen by farthest-point spread
    from a seeded first pick (reproducible)."""
    n, c = x.shape
    rng = np.random.default_rng(seed)
    picks = [int(rng.integers(n))]
    dist = np.abs(x - x[picks[0]]).sum(axis=1)
    for _ in range(1, k):
        picks.append(int(dist.argmax()))
        dist = np.minimum(dist, np.abs(x - x[picks[-1]]).sum(axis=1))
    centres = x[picks].astype(float)
    p = np.full((k, c), 0.2)
    tau = np.full(k, 1.0 / k)
    last = -math.inf
    ll = last
    for _ in range(iterations):
        lj = _log_joint(x, tau, centres, p)
        tot = _logsumexp(lj, axis=1)
        ll = float(tot.sum())
        resp = np.exp(lj - tot[:, None])
        tau = np.clip(resp.mean(axis=0), 1e-300, None)
        w = resp + 1e-300
        for col in range(c):
            centres[:, col] = _weighted_median(x[:, col], w)
        mad = (np.abs(x[:, None, :] - centres[None, :, :]) * w[:, :, None]).sum(axis=0)
        p = _p_from_mad(mad / w.sum(axis=0)[:, None])
        if ll - last < tol * abs(ll):
            break
        last = ll
    lj = _log_joint(x, tau, centres, p)
    return tau, centres, p, float(_logsumexp(lj, axis=1).sum())


RESTARTS = 5  # EM starts per number of clusters (seeds 1..5), the best likelihood kept


def fit(
    x: np.ndarray,
    loci: list[str],
    copies: list[int],
    *,
    max_clusters: int = 20,
    left_out: int = 0,
    restarts: int = RESTARTS,
) -> DLFit:
    """Fit 1..max_clusters clusters; keep the fit of least BIC (stop after two rises). Each
    number of clusters is fitted from ``restarts`` starts and the best likelihood kept (one
    start finds poor local optima: on the Danish set of the disclapmix vignette, 4 clusters
    from one start missed a published centre and BIC then chose 3)."""
    n, c = x.shape
    best = None
    path: dict[int, float] = {}
    rises = 0
    for k in range(1, min(max_clusters, n) + 1):
        runs = [fit_em(x, k, seed=s) for s in range(1, (restarts if k > 1 else 1) + 1)]
        tau, centres, p, ll = max(runs, key=lambda r: r[3])
        npar = (k - 1) + 2 * k * c
        bic = -2 * ll + npar * math.log(n)
        path[k] = bic
        if best is None or bic < best.bic:
            best = DLFit(loci, copies, tau, centres, p, ll, bic, n, left_out, path)
            rises = 0
        else:
            rises += 1
            if rises >= 2:
                break
    assert best is not None
    best.bic_path = path
    return best


def modal_copies(database, locus: str) -> int:
    """The usual number of copies of a locus in the database (2 for DYS385)."""
    from collections import Counter

    counts = Counter(len(r[locus]) for r in database.rows if locus in r)
    return counts.most_common(1)[0][0] if counts else 1


def fit_for(database, loci: list[str], max_clusters: int = 20) -> DLFit:
    """The fit for a database and a set of locus keys (cached on the database)."""
    key = (tuple(loci), max_clusters)
    got = database._fits.get(key)
    if got is not None:
        return got
    copies = [modal_copies(database, k) for k in loci]
    rows = [_vector(r, loci, copies) for r in database.rows if all(k in r for k in loci)]
    good = [r for r in rows if r is not None]
    if len(good) < 10:
        raise InputError(
            f"only {len(good)} men of the Y-STR database can enter the discrete "
            "Laplace fit at these loci",
            file=database.source,
        )
    out = fit(
        np.array(good, dtype=float),
        list(loci),
        copies,
        max_clusters=max_clusters,
        left_out=len(rows) - len(good),
    )
    database._fits[key] = out
    return out
