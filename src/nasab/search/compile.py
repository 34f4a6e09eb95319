"""Compiling a family's missing person into per-marker LR lookup tables.

For a missing person (MP) of a family and one marker, the LR of any remain genotype g is

    LR(g) = P(MP has genotype g, family data) / (P(family data) * P_HW(g))

which is exactly :func:`nasab.lr.missing_person_lr`'s per-marker LR (H1: the remain is the MP;
H2: the family, times the remain as an unrelated Hardy-Weinberg person). The numerator for
every ordered genotype of the MP is one contraction of the pedigree's sum-product network
with the MP's two allele variables left open (as :func:`nasab.likelihood.genotype_joint`),
over the marker's full allele list, so the table is exact for every mutation model
(stepwise included) and for pedigrees with loops.

Speed: families with the same pedigree structure, missing person and typing pattern are
compiled together: the network is the same, so one batched ``einsum`` (a batch index over
families) does them all. Typed persons range over their own two alleles only (as in the
engine), so the tensors stay small; untyped persons range over the full allele list.

A table row for one marker with K alleles holds, in order, log10 LR of the K(K+1)/2 unordered
genotypes (a <= b, row-major upper triangle), then the K partial genotypes ``a/-`` (one
allele known), then 0 for an untyped marker (not compared). ``-inf`` means the genotype is
impossible for the MP under the model (an exclusion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import opt_einsum as oe

from ..likelihood import MarkerModel, relevant_persons
from ..pedigree import Pedigree

BATCH = 1_000_000  # the einsum label of the family (batch) index
UNTYPED, FULL, PARTIAL = 0, 1, 2
MAX_INTERMEDIATE = 1 << 23  # elements; the batch is cut so no intermediate is larger


def table_size(k: int) -> int:
    return k * (k + 1) // 2 + k + 1


def genotype_code(k: int, a: int, b: int) -> int:
    """Index in a marker's table of the unordered genotype (a, b); b = -1 for ``a/-``,
    a = b = -1 for untyped."""
    if a < 0:
        return k * (k + 1) // 2 + k
    if b < 0:
        return k * (k + 1) // 2 + a
    if a > b:
        a, b = b, a
    return a * k - a * (a - 1) // 2 + (b - a)


@dataclass
class ModelArrays:
    """A marker model with the unbatched transmission tensors cached."""

    model: MarkerModel
    _full: dict | None = None

    @property
    def k(self) -> int:
        return len(self.model.alleles)

    def full_transmission(self, male: bool) -> np.ndarray:
        if self._full is None:
            self._full = {}
        if male not in self._full:
            m = self.model.male if male else self.model.female
            self._full[male] = 0.5 * (m[:, None, :] + m[None, :, :])
        return self._full[male]


def _gather(mat: np.ndarray, dr: np.ndarray | None, dc: np.ndarray | None) -> np.ndarray:
    if dr is None and dc is None:
        return mat
    if dc is None:
        return mat[dr]  # (B, 2, K)
    if dr is None:
        return np.moveaxis(mat[:, dc], 1, 0)  # (B, K, 2)
    return mat[dr[:, :, None], dc[:, None, :]]  # (B, 2, 2)


def _network(ped: Pedigree, persons: Sequence[str], state: Sequence[int], alle: np.ndarray,
             ma: ModelArrays) -> list[tuple[np.ndarray, tuple[int, ...]]]:
    """Batched operands: ``alle`` is (B, n_persons, 2) allele indices (pedigree order)."""
    model = ma.model
    b = alle.shape[0]
    k = ma.k
    dom: dict[int, np.ndarray | None] = {}
    ops: list[tuple[np.ndarray, tuple[int, ...]]] = []
    rows = np.arange(b)
    for pid in persons:
        i = ped.index(pid)
        st = state[i]
        if st == FULL:
            d = alle[:, i, :]
            dom[2 * i] = dom[2 * i + 1] = d
            het = d[:, 0] != d[:, 1]
            e = np.zeros((b, 2, 2))
            e[het, 0, 1] = 1.0
            e[het, 1, 0] = 1.0
            e[~het, 0, 0] = 1.0
            ops.append((e, (BATCH, 2 * i, 2 * i + 1)))
        elif st == PARTIAL:
            dom[2 * i] = dom[2 * i + 1] = None
            e = np.zeros((b, k, k))
            a = alle[:, i, 0]
            e[rows, a, :] = 1.0
            e[rows, :, a] = 1.0
            ops.append((e, (BATCH, 2 * i, 2 * i + 1)))
        else:
            dom[2 * i] = dom[2 * i + 1] = None
    for pid in persons:
        i = ped.index(pid)
        p = ped[pid]
        if p.father is None:
            for v in (2 * i, 2 * i + 1):
                d = dom[v]
                if d is None:
                    ops.append((model.freqs, (v,)))
                else:
                    ops.append((model.freqs[d], (BATCH, v)))
            continue
        for parent, male, v in ((p.father, True, 2 * i), (p.mother, False, 2 * i + 1)):
            j = ped.index(parent)  # type: ignore[arg-type]
            dp, dc = dom[2 * j], dom[v]
            if dp is None and dc is None:
                ops.append((ma.full_transmission(male), (2 * j, 2 * j + 1, v)))
                continue
            mat = model.male if male else model.female
            a = _gather(mat, dp, dc)
            if a.ndim == 2:  # unbatched: cannot happen (one of dp, dc is batched)
                a = a[None]
            t = 0.5 * (a[:, :, None, :] + a[:, None, :, :])
            ops.append((t, (BATCH, 2 * j, 2 * j + 1, v)))
    return ops


_PATHS: dict = {}
_SIZES: dict = {}


def _contract(ops: list[tuple[np.ndarray, tuple[int, ...]]], output: tuple[int, ...]) -> np.ndarray:
    sig = (tuple((idx, t.shape[1:] if idx and idx[0] == BATCH else t.shape)
                 for t, idx in ops), output)
    path = _PATHS.get(sig)
    args: list = []
    for t, idx in ops:
        args.extend((t, list(idx)))
    args.append(list(output))
    if path is None:
        path, _ = oe.contract_path(*args, optimize="auto")
        if len(_PATHS) > 20000:
            _PATHS.clear()
        _PATHS[sig] = path
    return np.asarray(oe.contract(*args, optimize=path))


def _batch_size(ped: Pedigree, persons: Sequence[str], state: Sequence[int], ma: ModelArrays,
                out: tuple[int, ...], n: int) -> int:
    """How many families to contract at once so that no intermediate exceeds the limit."""
    key = (tuple(ped.parent_indices()), tuple(persons), tuple(state), ma.k, out)
    per = _SIZES.get(key)
    if per is not None:
        return int(max(1, min(n, MAX_INTERMEDIATE // per)))
    probe = np.zeros((1, len(ped), 2), np.int64)
    ops = _network(ped, persons, state, probe, ma)
    args: list = []
    for t, idx in ops:
        args.extend((t, list(idx)))
    args.append(list(out))
    _, info = oe.contract_path(*args, optimize="auto")
    per = max(float(info.largest_intermediate), float(ma.k) ** 2)
    _SIZES[key] = per
    return int(max(1, min(n, MAX_INTERMEDIATE // per)))


def joint_and_likelihood(ped: Pedigree, mp: str, state: Sequence[int], alle: np.ndarray,
                         ma: ModelArrays) -> tuple[np.ndarray, np.ndarray]:
    """For B families sharing ``ped``'s structure and typing ``state`` at this marker:
    (B, K, K) joint probability of the data and each ordered genotype of ``mp``, and (B,)
    likelihood of the data (the reference family, ``mp`` untyped)."""
    n = alle.shape[0]
    typed = {pid for pid in ped.ids if state[ped.index(pid)] != UNTYPED}
    k = ma.k
    j_out = np.empty((n, k, k))
    l_out = np.ones(n)
    i = ped.index(mp)
    persons_j = relevant_persons(ped, typed | {mp})
    out_j = (BATCH, 2 * i, 2 * i + 1)
    step = _batch_size(ped, persons_j, state, ma, out_j, n)
    for s in range(0, n, step):
        ops = _network(ped, persons_j, state, alle[s:s + step], ma)
        j_out[s:s + step] = _contract(ops, out_j)
    if typed:
        persons_l = relevant_persons(ped, typed)
        step = _batch_size(ped, persons_l, state, ma, (BATCH,), n)
        for s in range(0, n, step):
            ops = _network(ped, persons_l, state, alle[s:s + step], ma)
            l_out[s:s + step] = _contract(ops, (BATCH,))
    return j_out, l_out


def lr_tables(joint: np.ndarray, lik: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """(B, table_size(K)) log10 LR rows from the joint (B, K, K) and likelihoods (B,)."""
    b, k, _ = joint.shape
    iu, ju = np.triu_indices(k)
    sym = joint + joint.transpose(0, 2, 1)
    unordered = np.where(iu == ju, joint[:, iu, ju], sym[:, iu, ju])
    p = np.asarray(freqs, float)
    hw = np.where(iu == ju, p[iu] * p[ju], 2 * p[iu] * p[ju])
    diag = joint[:, np.arange(k), np.arange(k)]
    partial = joint.sum(axis=2) + joint.sum(axis=1) - diag
    total = float(p.sum())
    hw_partial = 2 * p * total - p * p
    with np.errstate(divide="ignore", invalid="ignore"):
        t_u = np.log10(unordered) - np.log10(lik)[:, None] - np.log10(hw)[None, :]
        t_p = np.log10(partial) - np.log10(lik)[:, None] - np.log10(hw_partial)[None, :]
    out = np.empty((b, table_size(k)))
    nu = k * (k + 1) // 2
    out[:, :nu] = t_u
    out[:, nu:nu + k] = t_p
    out[:, -1] = 0.0
    out[np.isnan(out)] = -np.inf
    return out
