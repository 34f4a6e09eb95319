"""A marker's LR table in a compiled row: which entry holds which remain observation, and
how the entries are filled from the joints of the two hypotheses.

For one missing person (MP) and one marker with K alleles, let J1[x, y] be the joint
probability of the family's data and the MP's ordered genotype (x, y) (H1), and J2[x, y] that
of the family's data and an unrelated person's genotype (H2: ``P(family) p_x p_y`` with
theta = 0; with theta > 0 the unrelated person is one more founder drawn with the family's
founders). The LR of a remain observation ``o`` made under the observation model W is

    LR(o) = sum_G W(o | G) J1(G) / sum_G W(o | G) J2(G)

exactly as :func:`nasab.engine.lr.missing_person_lr` computes it. W is the semi-continuous
dropout / drop-in model of :func:`nasab.engine.observation.observation_weights` (Haned et al.
2012, relMix): allele i is *not* seen with probability (1 - c p_i) D_i(G), D_i = 1, d or
d_hom for 0, 1 or 2 copies of i in G. W depends on G only through which alleles of G are
observed, so each sum needs only a few sums of J (its diagonal, row + column sums, trace and
total): every entry costs O(1) and a table O(K^2), as without a dropout model.

Entries of one marker (K alleles, nu = K(K+1)/2), in order:

* the base block, for remains without a dropout model: the nu unordered genotypes a/b
  (a <= b, row-major upper triangle; ``a/F`` is the homozygote a/a, as in ``nasab lr``),
  then the K partial genotypes ``a/-`` (one allele known, the other not typed);
* one block per observation class (dropout d, drop-in c) that is not trivial. Under a
  dropout model ``a/a``, ``a/F`` and ``a/-`` all say "only a was seen" (O = {a}), ``a/b``
  says O = {a, b}. Without drop-in (c = 0) the block holds the K singles O = {a} only: O =
  {a, b} then has the LR of the plain heterozygote (only G = ab explains it, with the same
  weight (1 - d)^2 under both hypotheses) and uses the base entry. With drop-in the block is
  nu entries: O = {a} on the diagonal, O = {a, b} off it;
* one last entry 0 for an untyped marker (not compared: LR 1).

Silent (null) alleles are not modelled here: the search's frequency tables have none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.observation import DropModel

MAX_CLASSES = 16  # observation classes per search: each adds up to K(K+1)/2 entries a marker


def unordered_index(k: int, a: int, b: int) -> int:
    """Index of the unordered pair (a, b) in the row-major upper triangle of K x K."""
    if a > b:
        a, b = b, a
    return _pair(k, a, b)


def _pair(k: int, lo, hi):
    """The pair index of ``lo <= hi`` (integers or integer arrays)."""
    return lo * k - lo * (lo - 1) // 2 + (hi - lo)


_PAIR_INDICES: dict[int, np.ndarray] = {}


def pair_indices(k: int) -> np.ndarray:
    """(K, K): :func:`unordered_index` of every ordered pair (a, b) (cached)."""
    got = _PAIR_INDICES.get(k)
    if got is None:
        a, b = np.arange(k)[:, None], np.arange(k)[None, :]
        got = _PAIR_INDICES[k] = _pair(k, np.minimum(a, b), np.maximum(a, b))
    return got


def canonical(m: DropModel) -> DropModel:
    """One spelling per model: d_hom = d^2 written as the default (None)."""
    if m.dropout_hom is not None and m.dropout_hom == m.dropout**2:
        return DropModel(m.dropout, None, m.dropin)
    return m


def observation_classes(
    models: Iterable[DropModel | None], default: DropModel | None = None
) -> tuple[DropModel, ...]:
    """The distinct non-trivial observation models among ``models`` and ``default``, in a
    fixed order (the layout must not depend on the order of the remains)."""
    found = {canonical(m) for m in (*models, default) if m is not None and not m.trivial}
    classes = tuple(sorted(found, key=lambda m: (m.dropout, m.dropin, m.d_hom)))
    if len(classes) > MAX_CLASSES:
        listed = ", ".join(f"({m.dropout:g}, {m.dropin:g})" for m in classes[:20])
        raise InputError(
            f"{len(classes)} distinct (dropout, dropin) classes among the remains, more than "
            f"{MAX_CLASSES}: every class adds a block to each compiled table; round the "
            f"values (for example to steps of 0.05). Classes: {listed}"
        )
    return classes


@dataclass(frozen=True)
class MarkerTable:
    """The entries of one marker's table for K alleles and the given observation classes."""

    k: int
    classes: tuple[DropModel, ...] = ()

    @property
    def n_unordered(self) -> int:
        return self.k * (self.k + 1) // 2

    def class_size(self, drop: DropModel) -> int:
        return self.n_unordered if drop.dropin > 0 else self.k

    @cached_property
    def _starts(self) -> tuple[int, ...]:
        return tuple(int(x) for x in class_starts(self.k, self.classes))

    def class_start(self, j: int) -> int:
        return self._starts[j]

    @property
    def size(self) -> int:
        return self.class_start(len(self.classes)) + 1

    @property
    def untyped(self) -> int:
        return self.size - 1

    def code(self, a: int, b: int | None, single: bool, cls: int) -> int:
        """Entry of an observation: alleles a (and b: None when only a is known), ``single``
        when the second allele is a dropout mark ``F``; ``cls`` the index of the remain's
        observation class, -1 without a dropout model; a < 0 for untyped."""
        k = self.k
        if a < 0:
            return self.untyped
        if cls < 0:  # no dropout model: a/F is a homozygote, a/- a partial genotype
            if b is None and not single:
                return self.n_unordered + a
            return unordered_index(k, a, a if b is None else b)
        start = self.class_start(cls)
        drop = self.classes[cls]
        if b is None or b == a:  # only a was seen
            return start + (a if drop.dropin == 0 else unordered_index(k, a, a))
        if drop.dropin == 0:  # O = {a, b} without drop-in: the plain heterozygote
            return unordered_index(k, a, b)
        return start + unordered_index(k, a, b)


def class_starts(k, classes: tuple[DropModel, ...]) -> np.ndarray:
    """The first entry of each observation class's block, and last of the untyped entry, in
    the tables of ``k`` alleles (a number, or an array of them: one row each): the K(K+1)/2
    genotypes and K partial ones come first, then each class's block (K(K+1)/2 entries with
    drop-in, K without)."""
    k = np.asarray(k, np.int64)
    nu = k * (k + 1) // 2
    starts = [nu + k]
    for drop in classes:
        starts.append(starts[-1] + (nu if drop.dropin > 0 else k))
    return np.stack(starts, axis=-1)


_TRIANGLES: dict[int, tuple[np.ndarray, ...]] = {}


def triangle_indices(k: int) -> tuple[np.ndarray, ...]:
    """Flat indices into a K x K matrix: the upper triangle (row-major, diagonal included),
    the mirrored entries of its off-diagonal part, where those lie in the triangle, and the
    diagonal."""
    got = _TRIANGLES.get(k)
    if got is None:
        iu, ju = np.triu_indices(k)
        off = iu != ju
        got = _TRIANGLES[k] = (
            iu * k + ju,
            (ju * k + iu)[off],
            np.flatnonzero(off),
            np.arange(k) * (k + 1),
        )
    return got


@dataclass
class JointSums:
    """The sums of a batch of K x K joints (B, K, K) that every table entry is made of."""

    total: np.ndarray  # (B,)
    trace: np.ndarray  # (B,)
    diag: np.ndarray  # (B, K)  J[a, a]
    rowcol: np.ndarray  # (B, K)  sum_y J[a, y] + sum_x J[x, a]  (J[a, a] twice)
    pairs: np.ndarray  # (B, nu) J[a, b] + J[b, a] for a < b, J[a, a] on the diagonal

    @classmethod
    def of(cls, joint: np.ndarray) -> JointSums:
        b, k = joint.shape[0], joint.shape[-1]
        upper, lower, off, diagonal = triangle_indices(k)
        flat = joint.reshape(b, k * k)
        diag = flat[:, diagonal]
        pairs = flat[:, upper]  # J[a, b], a <= b
        pairs[:, off] += flat[:, lower]  # + J[b, a] off the diagonal
        return cls(
            joint.sum(axis=(1, 2)),
            diag.sum(axis=1),
            diag,
            joint.sum(axis=2) + joint.sum(axis=1),
            pairs,
        )

    def rows(self, start: int, stop: int) -> JointSums:
        """The sums of rows ``start:stop`` of the batch."""
        return JointSums(*(getattr(self, f)[start:stop] for f in _FIELDS))

    @classmethod
    def concat(cls, parts: list[JointSums]) -> JointSums:
        """The sums of several batches of one K, as one batch (row by row the same)."""
        if len(parts) == 1:
            return parts[0]
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))


_FIELDS = ("total", "trace", "diag", "rowcol", "pairs")


def _nonneg(x: np.ndarray) -> np.ndarray:
    # sums obtained by subtraction: exact ones are >= 0, rounding may leave -1e-17 * total
    return np.maximum(x, 0.0)


def _copy_terms(drop: DropModel, freqs: np.ndarray):
    """Per allele i: the probability that i is seen given 0, 1 or 2 copies in the true
    genotype (c p_i, 1 - (1 - c p_i) d, 1 - (1 - c p_i) d_hom)."""
    q = 1.0 - drop.dropin * np.asarray(freqs, float)
    return 1.0 - q, 1.0 - q * drop.dropout, 1.0 - q * drop.d_hom


def single_sums(s: JointSums, drop: DropModel, freqs: np.ndarray) -> np.ndarray:
    """(B, K): sum_G W(O = {a} | G) J(G) for every allele a, up to a factor common to every
    G (the alleles seen in neither O nor G), which cancels in the LR."""
    d, dh = drop.dropout, drop.d_hom
    e0, e1, e2 = _copy_terms(drop, freqs)
    hetero_a = _nonneg(s.rowcol - 2 * s.diag)  # G = a u or u a, u != a
    homo_other = _nonneg(s.trace[:, None] - s.diag)  # G = u u, u != a
    hetero_other = _nonneg((s.total - s.trace)[:, None] - hetero_a)  # G = u v, u != v, both != a
    return e2 * s.diag + e1 * d * hetero_a + e0 * (dh * homo_other + d * d * hetero_other)


def pair_sums(s: JointSums, drop: DropModel, freqs: np.ndarray) -> np.ndarray:
    """(B, nu): sum_G W(O = {a, b} | G) J(G) for a < b (diagonal entries: O = {a}), up to a
    factor common to every G."""
    k = s.diag.shape[1]
    d, dh = drop.dropout, drop.d_hom
    e0, e1, e2 = _copy_terms(drop, freqs)
    iu, ju = np.triu_indices(k)
    da, db = s.diag[:, iu], s.diag[:, ju]
    ab = s.pairs
    ha = _nonneg(s.rowcol[:, iu] - 2 * da - ab)  # G = a u, u not in {a, b}
    hb = _nonneg(s.rowcol[:, ju] - 2 * db - ab)
    homo_other = _nonneg(s.trace[:, None] - da - db)  # G = u u, u not in {a, b}
    hetero_other = _nonneg((s.total - s.trace)[:, None] - (ha + ab + hb))
    out = (
        e1[iu] * e1[ju] * ab
        + e2[iu] * e0[ju] * da
        + e0[iu] * e2[ju] * db
        + d * (e1[iu] * e0[ju] * ha + e0[iu] * e1[ju] * hb)
        + e0[iu] * e0[ju] * (dh * homo_other + d * d * hetero_other)
    )
    diag = iu == ju
    out[:, diag] = single_sums(s, drop, freqs)
    return out


def _block_sums(s: JointSums, table: MarkerTable, freqs: np.ndarray) -> np.ndarray:
    """(B, size - 1) the numerators (or denominators) of every entry but the untyped one."""
    parts = [s.pairs, _nonneg(s.rowcol - s.diag)]  # a/b; a/-: any genotype carrying a
    for drop in table.classes:
        parts.append(pair_sums(s, drop, freqs) if drop.dropin > 0 else single_sums(s, drop, freqs))
    return np.concatenate(parts, axis=1)


_INV_LN10 = 1.0 / math.log(10.0)


def log10(x, out=None) -> np.ndarray:
    """log10 of the tables' sums as ln(x) / ln(10): numpy's natural logarithm is about twice
    as fast as its log10 (4 against 9 ns a number on the 2-core AVX2 development machine,
    glibc's FMA log; the table fill takes hundreds of millions of them at national scale). Within two units in the last
    place of ``np.log10``; every numerator and denominator of the tables goes through this
    one function, so equal sums still give a log-ratio of exactly 0."""
    got = np.log(x, out=out)
    return np.multiply(got, _INV_LN10, out=got)


def _log_ratio(num: np.ndarray, log_den: np.ndarray, size: int) -> np.ndarray:
    out = np.empty((num.shape[0], size))
    body = out[:, :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        log10(num, out=body)
        np.subtract(body, log_den, out=body)
    out[:, -1] = 0.0
    out[np.isnan(out)] = -np.inf
    return out


def fill_tables(h1: JointSums, h2: JointSums, table: MarkerTable, freqs: np.ndarray) -> np.ndarray:
    """(B, table.size) log10 LR entries from the sums of the H1 and H2 joints; -inf where the
    observation is impossible for the MP (an exclusion), 0 for the untyped entry."""
    with np.errstate(divide="ignore"):
        log_den = log10(_block_sums(h2, table, freqs))
    return _log_ratio(_block_sums(h1, table, freqs), log_den, table.size)


_HW_CACHE: dict = {}


def _hardy_weinberg_log_sums(freqs: np.ndarray, table: MarkerTable) -> np.ndarray:
    """(1, size - 1) log10 of the entries' sums over p_x p_y: the same for every family of a
    marker (cached), so the theta = 0 denominators cost one addition each."""
    p = np.asarray(freqs, float)
    key = (p.tobytes(), table)
    got = _HW_CACHE.get(key)
    if got is None:
        if len(_HW_CACHE) > 4096:
            _HW_CACHE.clear()
        got = _HW_CACHE[key] = log10(_block_sums(JointSums.of(np.outer(p, p)[None]), table, p))
    return got


def fill_tables_hw(
    h1: JointSums, lik: np.ndarray, table: MarkerTable, freqs: np.ndarray
) -> np.ndarray:
    """As :func:`fill_tables` with theta = 0: H2 = P(family)[b] * p_x p_y."""
    with np.errstate(divide="ignore"):
        log_den = log10(np.asarray(lik, float))[:, None] + _hardy_weinberg_log_sums(freqs, table)
    return _log_ratio(_block_sums(h1, table, freqs), log_den, table.size)
