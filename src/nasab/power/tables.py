"""Exact per-marker tables of the power path, all from the one engine.

For one marker, the engine leaves the missing person (MP) open over the marker's **full**
allele list (:func:`nasab.engine.likelihood.open_joint`; under theta
:func:`nasab.engine.likelihood.theta_person_joints`), so every allele is a specific allele.
Each possible observation ``O`` of a person of interest (POI) -- a genotype ``a/b``; under
a dropout model also ``a/F``; ``-/-`` when nothing would be seen -- gets

* ``P(O | data, the POI is the MP)`` and ``P(O | the POI is unrelated)``, through the
  engine's observation model (:meth:`nasab.engine.likelihood.Space.weights`);
* ``LR(O)``: their ratio, which is exactly what ``nasab lr`` computes for a POI with that
  profile (the same joint, the same weights, the same hypotheses).

A simulated profile is then a row of this table: drawing it and reading its LR is exact,
and expectations over profiles are exact sums. With a new reference of unknown genotype
``h`` (whom to sample next), the tables gain a leading axis over ``h``: the joint
``P(h, O | data)`` and ``LR(O | h)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from nasab.engine.errors import InputError
from nasab.engine.genotypes import UNTYPED, Genotype
from nasab.engine.likelihood import MarkerModel, Space, full_space, open_joint
from nasab.engine.observation import DROPOUT_MARK, DropModel, is_silent
from nasab.engine.pedigree import Pedigree


@dataclass
class MarkerTable:
    """One marker: POI observations against the context ``h`` (one row without a new
    reference). Every array is (H, n_observations)."""

    marker: str
    observations: list[Genotype]
    p_rel: np.ndarray  # P(h, O | data): sums to 1
    p_unrel: np.ndarray  # P(O | h) for an unrelated POI: each row sums to 1
    log10_lr: np.ndarray  # log10 LR(O | h), exactly nasab lr's (-inf: excluded)
    excluded: float  # P(an unrelated person is excluded at this marker), no mutation

    @property
    def lr(self) -> np.ndarray:
        """LR(O | h) (inf where it is beyond the floating-point range)."""
        with np.errstate(over="ignore"):
            return 10.0**self.log10_lr

    @property
    def expected_log10_lr(self) -> float:
        pos = self.p_rel > 0
        return float((self.p_rel[pos] * self.log10_lr[pos]).sum())


# -- the POI's possible observations ----------------------------------------------------------
def observation_matrix(
    model: MarkerModel, drop: DropModel | None
) -> tuple[list[Genotype], sparse.csr_matrix]:
    """(observations, W) with ``W[o, i * K + j] = P(observation o | ordered genotype (i, j))``
    over the full allele list, from the engine's observation model; the last observation
    is ``-/-`` (nothing seen) when it can happen. Cached on the model."""
    key = ("power-observations", drop)
    hit = model._spaces.get(key)
    if hit is None:
        hit = model._spaces[key] = _observation_matrix(model, drop)
    return hit


def _observation_matrix(model: MarkerModel, drop: DropModel | None):
    space = full_space(model)
    k = len(model.alleles)
    seen = [i for i, a in enumerate(model.alleles) if not is_silent(a)]
    trivial = drop is None or drop.trivial
    if drop is not None and drop.dropin > 0:
        raise InputError(
            "power with drop-in is not supported: a profile could then carry "
            "any allele of the marker, so the exact sums over profiles are "
            "out of reach; give a dropout model without drop-in",
            field="dropin",
        )
    obs: list[Genotype] = []
    rows: list[np.ndarray] = []
    for x, i in enumerate(seen):
        for j in seen[x:]:
            a, b = model.alleles[i], model.alleles[j]
            if i == j and not trivial:
                g: Genotype = (a, DROPOUT_MARK)
            else:
                g = (a, b)
            obs.append(g)
            rows.append(_weights(space, g, drop, k))
    w = np.vstack(rows) if rows else np.zeros((0, k * k))
    nothing = 1.0 - w.sum(axis=0)
    if np.any(nothing > 1e-12):  # silent alleles or dropout: the profile may be empty
        obs.append(UNTYPED)
        w = np.vstack([w, np.clip(nothing, 0.0, 1.0)])
    return obs, sparse.csr_matrix(w)


def _weights(space: Space, g: Genotype, drop: DropModel | None, k: int) -> np.ndarray:
    return space.weights(g, drop).reshape(k * k)


def fold(a: np.ndarray, k: int, axis: int = 0) -> np.ndarray:
    """Ordered genotypes (i, j), flattened as i * K + j on ``axis`` of a 2-D array (or the
    only axis of a vector) -> unordered genotypes (i <= j, row by row)."""
    ii, jj = np.triu_indices(k)
    u = np.take(a, ii * k + jj, axis=axis) + np.take(a, jj * k + ii, axis=axis)
    d = np.flatnonzero(ii == jj)
    if axis == 0:
        u[d] *= 0.5  # a homozygote was added to itself: x + x halved is x exactly
    else:
        u[:, d] *= 0.5
    return u


def _apply(w: sparse.csr_matrix, plain: bool, a: np.ndarray, k: int) -> np.ndarray:
    """W @ a over the leading ordered-genotype axis (K * K, ...)."""
    return fold(a, k) if plain else np.asarray(w @ a)


def hw_ordered(freqs: np.ndarray) -> np.ndarray:
    return np.outer(freqs, freqs).reshape(-1)


def log10_unrelated(w: sparse.csr_matrix, freqs: np.ndarray) -> np.ndarray:
    """log10 P(O | an unrelated person) for each observation O (a row of ``w``): the
    Hardy-Weinberg sum over ordered genotypes, in log space, so that tiny frequencies
    (p_a**2 below the floating-point range) still give the exact value."""
    k = len(freqs)
    with np.errstate(divide="ignore"):
        lf = np.log10(np.asarray(freqs, float))
        rows = np.repeat(np.arange(w.shape[0]), np.diff(w.indptr))
        terms = np.log10(w.data) + lf[w.indices // k] + lf[w.indices % k]
    top = np.full(w.shape[0], -np.inf)
    np.maximum.at(top, rows, terms)
    shift = np.where(np.isfinite(top), top, 0.0)
    acc = np.zeros(w.shape[0])
    np.add.at(acc, rows, 10.0 ** (terms - shift[rows]))
    with np.errstate(divide="ignore"):
        return np.where(acc > 0, np.log10(np.where(acc > 0, acc, 1.0)) + shift, -np.inf)


def log10_ratio(num: np.ndarray, log10_den: np.ndarray) -> np.ndarray:
    """log10(num / den) with den given as its log10; -inf where num is 0 or den is."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.log10(np.where(num > 0, num, 1.0)) - log10_den
    return np.where((num > 0) & np.isfinite(log10_den), lg, -np.inf)


def from_log10(lg: np.ndarray) -> np.ndarray:
    """Probabilities from their log10s, normalised to sum 1."""
    top = np.max(lg)
    p = 10.0 ** (lg - top) if np.isfinite(top) else np.zeros_like(lg)
    return p / p.sum() if p.sum() > 0 else p


# -- one marker -------------------------------------------------------------------------------
def _impossible(marker: str, ped: Pedigree) -> InputError:
    return InputError(
        f"marker {marker}: the references' genotypes are impossible under the "
        "model (Mendelian inconsistency)",
        file=ped.source,
    )


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def excluded_mass(model0: MarkerModel, folded0: np.ndarray) -> np.ndarray:
    """Per context h: the Hardy-Weinberg mass of the MP genotypes impossible without
    mutation (an unrelated person with such a genotype is excluded); ``folded0`` is the
    no-mutation joint over (unordered MP genotype[, h])."""
    hw = fold(hw_ordered(model0.freqs), len(model0.alleles))
    ok = folded0.reshape(len(hw), -1) > 0
    mass = (hw[:, None] * ~ok).sum(axis=0) / hw.sum()
    # where the data are inconsistent without mutation, no exclusion can be computed
    return np.clip(np.where(ok.any(axis=0), mass, 0.0), 0.0, 1.0)


def _no_mutation_joint(ped, genos, m0: MarkerModel, persons: list[str], drops) -> np.ndarray:
    """The no-mutation joint, rescaled (only where it is 0 matters)."""
    k = len(m0.alleles)
    return open_joint(ped, genos, m0, persons, drops)[0].reshape(k * k, -1)


def marker_table(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    mp: str,
    models: tuple[MarkerModel, MarkerModel],
    *,
    drops=None,
    poi_drop: DropModel | None = None,
    theta: float = 0.0,
) -> MarkerTable:
    """The MP's table at one marker given the references (``models``: the marker's model
    and its no-mutation twin on the same alleles)."""
    m1, m0 = models
    k = len(m1.alleles)
    if theta > 0:
        from nasab.engine.likelihood import theta_person_joints

        j1, j2, _ = theta_person_joints(ped, genos, m1, mp, (), theta, drops, lumpable=False)
        j1, j2 = j1.reshape(-1), j2.reshape(-1)
    else:  # rescaled: the scale cancels in P(O | data) and the LR
        j1 = open_joint(ped, genos, m1, [mp], drops)[0].reshape(-1)
        j2 = None
    total = j1.sum()
    if not total > 0:
        raise _impossible(m1.name, ped)
    obs, w = observation_matrix(m1, poi_drop)
    h1 = w @ j1 / total
    if j2 is None:
        lh2 = log10_unrelated(w, m1.freqs)
    else:
        with np.errstate(divide="ignore"):
            lh2 = np.log10(w @ j2 / total)
    lr = log10_ratio(h1, lh2)
    if obs[-1] == UNTYPED:
        lr[-1] = 0.0  # nothing seen: nasab lr gives LR 1
    j0 = j1 if m0 is m1 and theta == 0 else _no_mutation_joint(ped, genos, m0, [mp], drops)
    excl = excluded_mass(m0, fold(j0.reshape(-1), k))
    return MarkerTable(
        m1.name,
        obs,
        (h1 / h1.sum())[None, :],
        from_log10(lh2)[None, :],
        lr[None, :],
        float(excl[0]),
    )


def marker_table_with(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    mp: str,
    new: str,
    models: tuple[MarkerModel, MarkerModel],
    *,
    drops=None,
    poi_drop: DropModel | None = None,
    theta: float = 0.0,
    joint: np.ndarray | None = None,
) -> MarkerTable:
    """The MP's table with ``new`` to be typed (a full profile, genotype unknown): the
    joint of (new reference's genotype h, POI observation O) and LR(O | h). ``joint``:
    the engine's joint of the data and (MP, new) when already computed (batched)."""
    m1, m0 = models
    if theta > 0:
        return _theta_table_with(ped, genos, mp, new, models, drops, poi_drop, theta)
    k = len(m1.alleles)
    if joint is None:
        joint = open_joint(ped, genos, m1, [mp, new], drops)[0]
    # (ordered MP, unordered h): fold the new person's axes
    j = fold(joint.reshape(k * k, k * k), k, axis=1)
    total = j.sum()
    if not total > 0:
        raise _impossible(m1.name, ped)
    obs, w = observation_matrix(m1, poi_drop)
    plain = obs[-1] != UNTYPED and w.nnz == k * k
    h1 = _apply(w, plain, j, k).T / total  # (H, O): P(h, O | data)
    ph = h1.sum(axis=1, keepdims=True)
    lp2 = log10_unrelated(w, m1.freqs)  # (O,)
    lr = log10_ratio(_ratio(h1, ph), lp2[None, :])
    if obs[-1] == UNTYPED:
        lr[:, -1] = 0.0
    if m0 is m1 and plain:
        folded0 = h1.T
    else:
        j0 = j if m0 is m1 else fold(_no_mutation_joint(ped, genos, m0, [mp, new], drops), k, 1)
        folded0 = fold(j0, k)
    excl = excluded_mass(m0, folded0)
    p_h = ph[:, 0]
    return MarkerTable(m1.name, obs, h1, from_log10(lp2)[None, :], lr, float((p_h * excl).sum()))


def _theta_table_with(ped, genos, mp, new, models, drops, poi_drop, theta) -> MarkerTable:
    """Under theta the new reference's alleles join the founders' urn, so each of its
    genotypes h is placed in turn and the MP's table computed exactly given h, weighted
    by P(h | data) (from one contraction with the new person open)."""
    m1, m0 = models
    k = len(m1.alleles)
    from nasab.engine.likelihood import theta_person_joints

    jh, _, _ = theta_person_joints(ped, genos, m1, new, (), theta, drops, lumpable=False)
    ph = fold(jh.reshape(-1), k)
    ph = ph / ph.sum()
    ii, jj = np.triu_indices(k)
    obs, w = observation_matrix(m1, poi_drop)
    rows_rel = np.zeros((len(ph), len(obs)))
    rows_unrel = np.zeros_like(rows_rel)
    rows_lr = np.zeros_like(rows_rel)
    excl = 0.0
    for h in np.flatnonzero(ph > 0):
        typed = {**genos, new: (m1.alleles[ii[h]], m1.alleles[jj[h]])}
        t = marker_table(ped, typed, mp, models, drops=drops, poi_drop=poi_drop, theta=theta)
        rows_rel[h] = ph[h] * t.p_rel[0]
        rows_unrel[h] = t.p_unrel[0]
        rows_lr[h] = t.log10_lr[0]
        excl += ph[h] * t.excluded
    return MarkerTable(m1.name, obs, rows_rel, rows_unrel, rows_lr, float(excl))
