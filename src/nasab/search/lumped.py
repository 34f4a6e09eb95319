"""Compiling with a lumped allele space: exact, and far cheaper, for two mutation models.

Without mutation, and under pedmut's *proportional* model, M = (1 - a) I + a 1 p^T (a
mutation is a fresh draw from the allele frequencies), the identity of an allele outside the
family's observed ones is itself a draw proportional to p: founders draw alleles from p and
every mutation draws anew from p. So a family's network can run over its observed alleles
plus "other" (as nasab lr does), and the missing person's table over all K alleles follows
from the lumped joint:

* one observed allele a, one other allele z:  J(a, z) = J(a, other) p_z / p_other;
* two other alleles: they are either copies of one ancestral allele not mutated since
  (identical by descent: a term B p_z, z = z') or independent draws (A p_z p_z'), so
  J(z, z') = A p_z p_z' + B [z = z'] p_z. Splitting "other" into two classes o1, o2 (still
  exact: the chain stays lumpable) gives A = J(o1, o2) / (p_o1 p_o2) and
  B = (J(o1, o1) - A p_o1^2) / p_o1.

The equal and stepwise models do not have this property (a mutation lands on another allele
with a probability that is not proportional to p), and use the full allele list.

Families of one batch have different observed alleles: each gets its own local allele
indices (observed ones first, then o1, o2, then unused padding states with prior 0), and the
frequencies and mutation matrices carry the batch index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.contraction import meiosis_split
from nasab.engine.likelihood import MarkerModel
from nasab.search.tables import JointSums, pair_indices, triangle_indices

TOLERANCE = 1e-12


def lumpable(model: MarkerModel) -> bool:
    """No mutation, or both matrices of the form (1 - a) I + a 1 p^T."""
    return proportional_rates(model) is not None


def proportional_rates(model: MarkerModel) -> tuple[float, float] | None:
    """The rates (a_male, a_female) of matrices of the form (1 - a) I + a 1 p^T ((0, 0)
    without mutation), or None where a matrix is not of that form (to 1e-12)."""
    if not model.mutation:
        return 0.0, 0.0
    p = np.asarray(model.freqs, float)
    if np.any(p <= 0):
        return None
    rates = []
    for m in (model.male, model.female):
        off = m / p[None, :]
        np.fill_diagonal(off, np.nan)
        alpha = float(np.nanmean(off))
        if not np.allclose(off[~np.isnan(off)], alpha, rtol=0, atol=TOLERANCE * max(alpha, 1)):
            return None
        if not np.allclose(np.diag(m), 1 - alpha + alpha * p, rtol=0, atol=TOLERANCE):
            return None
        rates.append(alpha)
    return rates[0], rates[1]


@dataclass
class LumpedArrays:
    """Batched frequencies (B, L) and mutation matrices (B, L, L) of a batch of families,
    each over its own local allele space; the same interface as ``ModelArrays``."""

    freqs: np.ndarray
    male: np.ndarray
    female: np.ndarray
    model: MarkerModel | None = None  # the marker's model (references with dropout)
    rep: np.ndarray | None = None  # (B, L) a marker allele of each class (refdrop.py)
    _untyped_split: dict | None = None  # male -> the factors between untyped persons

    @property
    def k(self) -> int:
        return self.freqs.shape[1]

    def prior(self, d: np.ndarray | None) -> tuple[np.ndarray, bool]:
        if d is None:
            return self.freqs, True
        rows = np.arange(d.shape[0])[:, None]
        return self.freqs[rows, d], True

    def rows(self, start: int, stop: int) -> LumpedArrays:
        """The arrays of families ``start:stop`` of the batch."""
        rep = None if self.rep is None else self.rep[start:stop]
        return LumpedArrays(
            self.freqs[start:stop],
            self.male[start:stop],
            self.female[start:stop],
            self.model,
            rep,
        )

    @staticmethod
    def stack(parts: Sequence[LumpedArrays]) -> LumpedArrays:
        """The arrays of several batches (of one width: other markers) as one batch (no
        marker model: references under a dropout model are not stacked)."""
        reps = [a.rep for a in parts]
        rep = None if any(r is None for r in reps) else np.concatenate(reps)
        return LumpedArrays(
            np.concatenate([a.freqs for a in parts]),
            np.concatenate([a.male for a in parts]),
            np.concatenate([a.female for a in parts]),
            None,
            rep,
        )

    def full(
        self, male: bool, dp: np.ndarray | None, dc: np.ndarray | None
    ) -> tuple[np.ndarray, bool]:
        """The mutation matrix over the parent's and the child's domains, not split by the
        meiosis indicator (a child whose received allele is fixed; always batched)."""
        mat = self.male if male else self.female
        rows = np.arange(mat.shape[0])[:, None, None]
        full = np.arange(mat.shape[1])
        if dp is None and dc is None:
            return mat, True
        if dp is not None and dc is not None:
            return mat[rows, dp[:, :, None], dc[:, None, :]], True
        if dp is not None:
            return mat[rows, dp[:, :, None], full[None, None, :]], True
        return mat[rows, full[None, :, None], dc[:, None, :]], True

    def transmission(
        self, male: bool, dp: np.ndarray | None, dc: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        if dp is None and dc is None:  # the same for every such transmission: once
            if self._untyped_split is None:
                self._untyped_split = {}
            if male not in self._untyped_split:
                half = 0.5 * (self.male if male else self.female)
                self._untyped_split[male] = meiosis_split(half, axis=1)
            first, second = self._untyped_split[male]
            return first, second, True
        a, _ = self.full(male, dp, dc)
        first, second = meiosis_split(0.5 * a, axis=1)
        return first, second, True


@dataclass
class LocalSpace:
    """Per family of the batch: the class of each of the K alleles (observed ones first,
    then o1 = the first unobserved allele, o2 = the other unobserved ones)."""

    cls: np.ndarray  # (B, K) class index
    n_obs: np.ndarray  # (B,)
    width: int  # L: classes, padding included
    # (B, L - 2) the allele of each observed class; a family's entries past its own n_obs
    # repeat its class 0 (None: found from cls)
    alleles: np.ndarray | None = None


def local_space(alle: np.ndarray, typed: Sequence[int], k: int) -> LocalSpace:
    b = alle.shape[0]
    vals = np.sort(alle[:, list(typed), :].reshape(b, -1), axis=1)
    new = np.ones(vals.shape, bool)
    new[:, 1:] = vals[:, 1:] != vals[:, :-1]
    rank = np.cumsum(new, axis=1) - 1
    n_obs = rank[:, -1] + 1
    observed = np.zeros((b, k), bool)
    rows = np.arange(b)[:, None]
    observed[rows, vals] = True
    cls = np.empty((b, k), np.int64)
    cls[rows, vals] = rank
    # unobserved alleles: the first one is o1, the rest o2
    unobs_rank = np.cumsum(~observed, axis=1) - 1
    cls[~observed] = np.where(unobs_rank == 0, n_obs[:, None], n_obs[:, None] + 1)[~observed]
    n_max = int(n_obs.max())
    alleles = np.zeros((b, n_max), np.int64)
    alleles[rows, rank] = vals
    alleles = np.where(np.arange(n_max)[None, :] < n_obs[:, None], alleles, alleles[:, :1])
    return LocalSpace(cls, n_obs, n_max + 2, alleles)


def lumped_arrays(
    model: MarkerModel, space: LocalSpace, rates: tuple[float, float] | None = None
) -> LumpedArrays:
    """Frequencies and matrices of the classes: p_c = sum of p_x over x in c, and the
    frequency-weighted lumping M_l[c, d] = sum over x in c, y in d of p_x M[x, y] / p_c,
    which for M = (1 - a) I + a 1 p^T is (1 - a) [c = d] + a p_d (exact: the chain stays of
    that form on the classes; written in closed form, not summed over the K x K matrix).
    Padding classes (p_c = 0) have zero rows. ``rates``: the model's
    :func:`proportional_rates`, when already found."""
    b, k = space.cls.shape
    width = space.width
    p = np.asarray(model.freqs, float)
    rows = np.arange(b)[:, None]
    flat = (rows * width + space.cls).reshape(-1)
    freqs = np.bincount(flat, weights=np.broadcast_to(p, (b, k)).reshape(-1), minlength=b * width)
    freqs = freqs.reshape(b, width)
    rep = np.zeros((b, width), np.int64)  # padding classes: any allele (prior 0)
    rep[rows, space.cls] = np.arange(k)[None, :]
    if not model.mutation:
        eye = np.broadcast_to(np.eye(width), (b, width, width))
        return LumpedArrays(freqs, eye, eye, model, rep)
    rates = rates if rates is not None else proportional_rates(model)
    if rates is None:
        raise ValueError("lumped arrays of a model that is not lumpable")
    live = freqs > 0
    out = []
    for alpha in rates:
        ml = np.multiply(alpha, freqs[:, None, :]).repeat(width, axis=1)
        ml[:, np.arange(width), np.arange(width)] += 1.0 - alpha
        ml *= live[:, :, None]
        out.append(ml)
    return LumpedArrays(freqs, out[0], out[1], model, rep)


def _others(jl: np.ndarray, space: LocalSpace, p: np.ndarray):
    """(unobserved mask (B, K), p_other (B,), A (B,), B (B,)) of the module docstring's
    closed form J(z, z') = A p_z p_z' + B [z = z'] p_z, from the classes o1 and o2."""
    rows = np.arange(space.cls.shape[0])
    n = space.n_obs
    other = space.cls >= n[:, None]
    first = np.argmax(other, axis=1)
    p_o1 = (p[first] if p.ndim == 1 else p[rows, first]) * other.any(axis=1)
    p_o = ((p[None, :] if p.ndim == 1 else p) * other).sum(axis=1)
    p_o2 = p_o - p_o1
    j11 = jl[rows, n, n]
    j12 = jl[rows, n, n + 1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.where(p_o2 > 0, j12 / (p_o1 * p_o2), 0.0)
        bb = np.where(p_o1 > 0, (j11 - a * p_o1 * p_o1) / p_o1, 0.0)
    return other, p_o, np.nan_to_num(a), np.nan_to_num(bb)


def expand_joint(jl: np.ndarray, space: LocalSpace, p: np.ndarray) -> np.ndarray:
    """(B, L, L) joint over class pairs -> (B, K, K) over allele pairs (module docstring)."""
    b, k = space.cls.shape
    rows = np.arange(b)
    n = space.n_obs
    o1, o2 = n, n + 1
    p = np.asarray(p, float)
    cls = space.cls
    other, p_o, a, bb = _others(jl, space, p)
    # merge o1 and o2 into one "other" class for the mixed entries
    merged = np.where(other, n[:, None], cls)
    jm = jl.copy()
    jm[rows, o1, :] += jl[rows, o2, :]
    jm[rows, :, o1] += jm[rows, :, o2]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(other, p[None, :] / p_o[:, None], 1.0)
    w = np.nan_to_num(w)
    full = jm[rows[:, None, None], merged[:, :, None], merged[:, None, :]]
    full *= w[:, :, None] * w[:, None, :]
    # both unobserved: A p_z p_z' + B [z = z'] p_z
    # (the same arithmetic as building the K x K block whole, in fewer passes over memory)
    block = a[:, None, None] * p[None, :, None]
    block = block * p[None, None, :]
    diag = np.arange(k)
    block[:, diag, diag] += bb[:, None] * p[None, :]
    np.copyto(full, block, where=other[:, :, None] & other[:, None, :])
    return full


def lumped_sums(jl: np.ndarray, space: LocalSpace, p: np.ndarray) -> JointSums:
    """The :class:`~nasab.search.tables.JointSums` of ``expand_joint(jl, space, p)``, without
    building the (B, K, K) joint: the same closed forms (module docstring), summed.

    Wherever both alleles are unobserved the pair entry is 2 A p_a p_b (A p_a^2 + B p_a on
    the diagonal); then the K entries of each observed allele's row are written from class
    values (J(c, d) + J(d, c) for an observed d, (J(c, other) + J(other, c)) p_z / p_other
    for an unobserved z), O(B n K) beside the O(B K^2) pairs. The row + column sums of an
    observed allele are its class's in ``jl``, an unobserved allele's p_z (T / p_other +
    2 A p_other + 2 B) with T the sum of J(c, other) + J(other, c) over the observed classes;
    the total is half the sum of the row + column sums. Equal to the expanded joint's sums
    to rounding (a few units in the last place). ``jl`` is 0 on the padding classes (their
    prior is 0), as the lumped network makes it. ``p``: the marker's frequencies (K,), or
    (B, K) one row a family (families of several markers of K alleles at once: each row's
    numbers are those of its marker alone)."""
    b, k = space.cls.shape
    width = jl.shape[1]
    n = space.n_obs
    p = np.asarray(p, float)
    if b == 0 or n.min() < 1:  # (not from the search: every family there has observed alleles)
        assert p.ndim == 1, "one marker's frequencies here"
        return JointSums.of(expand_joint(jl, space, p))
    cls = space.cls
    p2 = p[None, :] if p.ndim == 1 else p  # (1 or B, K)
    rows = np.arange(b)
    cr = rows[:, None]
    other, p_o, a, bb = _others(jl, space, p)  # as expand_joint
    po = np.where(other, p2, 0.0)
    base = rows * (width * width)  # flat offset of each family's (L, L) block
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w = po / p_o[:, None]  # p_z / p_other for the unobserved alleles, 0 for the others
        inv_o = np.nan_to_num(np.where(p_o > 0, 1.0 / p_o, 0.0))
    if not p_o.all():
        w[p_o <= 0] = 0.0

    # class level: sym[c, d] = J(c, d) + J(d, c), J(c, c) on the diagonal
    sym = jl + jl.transpose(0, 2, 1)  # exactly symmetric
    rc_cls = sym.sum(axis=1)  # row + column sums of each class
    cl = np.arange(width)
    sym[:, cl, cl] = jl[:, cl, cl]
    sflat = sym.reshape(-1)
    n_rows = max(width - 2, 1)  # observed classes 0 .. n - 1, n <= L - 2
    ri = np.arange(n_rows)[None, :]
    observed = ri < n[:, None]
    ie = np.where(observed, ri, 0)  # rows past a family's n repeat its class 0
    srow = base[:, None] + ie * width  # flat index of (b, class, 0)
    t = sflat[srow + n[:, None]] + sflat[srow + n[:, None] + 1]  # J(c, other) + J(other, c)
    obs = space.alleles
    if obs is None:
        allele = np.zeros((b, width), np.int64)
        allele[cr, cls] = np.arange(k)[None, :]
        obs = allele[cr, ie]

    # C order (the row sums below are numpy's pairwise ones along contiguous rows)
    diag = np.multiply(a[:, None], p2, order="C")
    diag *= p2
    diag += bb[:, None] * p2
    diag[cr, obs] = sflat[srow + ie]
    tsum = np.where(observed, t, 0.0).sum(axis=1)
    coef = tsum * inv_o + 2.0 * a * p_o + 2.0 * bb
    rowcol = np.multiply(coef[:, None], p2, order="C")
    rowcol[cr, obs] = rc_cls.reshape(-1)[(rows * width)[:, None] + ie]

    tri = pair_indices(k)
    upper = triangle_indices(k)[0]
    nu = len(upper)
    # C order: the entries are written below through flat views
    if p.ndim == 1:
        pp = np.outer(p, p).reshape(-1)[upper][None, :]
        pairs = np.multiply((2.0 * a)[:, None], pp, order="C")
    else:  # the same products p_x p_y, row by row (the pairs' columns only, not K x K)
        iu, ju = np.divmod(upper, k)
        pairs = np.multiply(p[:, iu], p[:, ju], order="C")
        pairs *= (2.0 * a)[:, None]
    ak = np.arange(k)
    pairs[:, tri[ak, ak]] = diag
    vals = np.multiply(t[:, :, None], w[:, None, :], order="C")  # the observed alleles' rows
    at = (((rows * n_rows)[:, None] + ri) * k)[:, :, None] + obs[:, None, :]
    vals.reshape(-1)[at.reshape(-1)] = sflat[(srow[:, :, None] + ie[:, None, :]).reshape(-1)]
    at = tri[obs]
    at += (rows * nu)[:, None, None]
    pairs.reshape(-1)[at.reshape(-1)] = vals.reshape(-1)
    return JointSums(0.5 * rowcol.sum(axis=1), diag.sum(axis=1), diag, rowcol, pairs)
