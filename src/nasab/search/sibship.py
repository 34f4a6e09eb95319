"""A closed form for the sibship shapes: the missing person and typed full siblings.

The shape: the missing person (MP) has untyped parents A (father) and B (mother); A and B
have no other children in the network than the MP and n >= 1 fully typed siblings, who have
no children there; A, B and all their ancestors are untyped. So the parents' side is the
same for every family of the shape, and only the siblings' genotypes vary.

Each sibling's genotype {a, b} came either as (paternal a, maternal b) or the reverse: its
phase. Given the vector ``phi`` of the n phases, the father's side and the mother's side
are independent given the parents' alleles, and the joint of the data and the MP's
alleles before mutation (z from A, z' from B) is

    J0(z, z') = sum_phi sum_{A, B} U(Ap, Am, Bp, Bm) F_phi(Ap, Am) G_phi(Bp, Bm)
                * sel(Ap, Am -> z) sel(Bp, Bm -> z')

with F_phi = prod_i (M_A[Ap, c_i] + M_A[Am, c_i]) / 2 over the alleles c_i the siblings took
from A under phi (G likewise from B), sel(Ap, Am -> z) = ([Ap = z] + [Am = z]) / 2 and U the
parents' alleles' joint prior; the MP's joint is then J = M_A^T J0 M_B (the mutation of
the MP's two alleles applied once, after the sum over phases). A homozygous sibling's second
phase is the first one again and weighs 0 (as in the network's phase variable).

U is used in the form it takes in these shapes: each parent has an allele that is
independent of everything else (the allele received from an untyped founder parent whose
only child in the network it is), of marginal q; the other two alleles ("related", r) have
a K x K joint R(A_r, B_r) (first cousins as parents, the commonest such shape). Where a
parent is itself a founder the general contraction is used (it fixes one child's
transmission from each founder and was measured 2-3x faster than this form there). With
A's alleles ordered (r, o):

    Z_phi(A_r, z) = (diag(u_phi) + F_phi diag(q_A)) / 2,   u_phi = F_phi q_A

and J0 = sum_phi Z_phi^T R W_phi (W likewise for B): two K^3 products per phase vector,
where the general contraction of the network needs about five (the MP's mutation inside
the sum): 2.5-3x faster on the 20k benchmark's first-cousin shapes. The numbers are the
same as the general path's (:func:`nasab.search.compile.full_joint_and_likelihood`) up to
rounding; R comes from the one network builder and contraction executor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import nasab.engine.contraction as CT
from nasab.engine.pedigree import Pedigree

MAX_SIBLINGS = 8  # 2^n phase vectors: above this the general contraction


@dataclass(frozen=True)
class SibshipShape:
    """Where the closed form applies: the MP's parents ``a`` (father), ``b`` (mother),
    the siblings' pedigree indices, each parent's related allele (0 paternal, 1 maternal)
    and the founder parent its other allele came from."""

    a: str
    b: str
    sibs: tuple[int, ...]
    rel: tuple[int, int]
    free_from: tuple[str, str]


_SHAPES: dict = {}


def sibship_shape(
    ped: Pedigree, mp: str, state: Sequence[int], full: int, untyped: int
) -> SibshipShape | None:
    """The :class:`SibshipShape` of the network of ``mp`` with typing ``state`` (``full``:
    the code of a fully typed person, ``untyped`` of an untyped one), or None where the
    closed form does not apply (module docstring) or is not the cheaper way: where a parent
    is a founder, the general contraction (which fixes one child's transmission from each
    founder) was measured 2-3 times faster. Cached by structure and names."""
    key = (tuple(ped.ids), tuple(ped.parent_indices()), mp, tuple(int(s) for s in state))
    if key not in _SHAPES:
        if len(_SHAPES) > 10_000:
            _SHAPES.clear()
        _SHAPES[key] = _find(ped, mp, state, full, untyped)
    return _SHAPES[key]


def _find(
    ped: Pedigree, mp: str, state: Sequence[int], FULL: int, UNTYPED: int
) -> SibshipShape | None:
    p = ped[mp]
    a, b = p.father, p.mother
    if a is None or b is None:
        return None
    typed = {pid for pid in ped.ids if state[ped.index(pid)] != UNTYPED}
    persons = ped.ancestors(typed | {mp}, inclusive=True)
    kids = [c for c in persons if {ped[c].father, ped[c].mother} & {a, b}]
    if any((ped[c].father, ped[c].mother) != (a, b) for c in kids):
        return None  # half siblings, or a child of the parents with another partner
    sibs = [c for c in kids if c != mp]
    if not sibs or len(sibs) > MAX_SIBLINGS:
        return None
    if any(state[ped.index(c)] != FULL for c in sibs) or state[ped.index(mp)] != UNTYPED:
        return None
    if any({ped[x].father, ped[x].mother} & set(kids) for x in persons):
        return None  # the MP or a sibling with children in the network
    up = [x for x in persons if x not in kids]
    if any(state[ped.index(x)] != UNTYPED for x in up):
        return None
    rel, free = [], []
    for par in (a, b):
        q = ped[par]
        if q.father is None:  # a founder parent: the general contraction (docstring)
            return None
        got = None
        for k, g in enumerate((q.father, q.mother)):
            gq = ped[g]  # type: ignore[index]
            only = [c for c in persons if g in (ped[c].father, ped[c].mother)] == [par]
            if gq.father is None and only:
                got = (1 - k, g)
                break
        if got is None:
            return None
        rel.append(got[0])
        free.append(got[1])
    sib_idx = tuple(ped.index(c) for c in sibs)
    return SibshipShape(a, b, sib_idx, (rel[0], rel[1]), (free[0], free[1]))


def _parents_prior(ped: Pedigree, sh: SibshipShape, ma, joint: Callable) -> tuple:
    """(q_A, q_B, R): the parents' independent alleles' marginals and the joint R of their
    related ones. R comes from the network of the parents and their ancestors (the one
    network builder and contraction), which sums the independent alleles out: their
    marginals q are taken normalized (q / sum q), so that R q_A q_B is the network's joint
    prior of the parents' four alleles."""
    model = ma.model
    p = np.asarray(model.freqs, float)
    qs = []
    for par, src in zip((sh.a, sh.b), sh.free_from, strict=True):
        m = model.male if ped[par].father == src else model.female
        q = p @ m
        qs.append(q / q.sum())
    vars_ = [2 * ped.index(par) + r for par, r in zip((sh.a, sh.b), sh.rel, strict=True)]

    return qs[0], qs[1], joint([sh.a, sh.b], vars_)


def _side(m: np.ndarray, c: np.ndarray, w: np.ndarray | None, rel: int) -> np.ndarray:
    """(B, 2^n, K, K) 2^n F_phi over a parent's (related, other) alleles: the product over
    the siblings of M[x, c_i] + M[y, c_i] (the halves are taken out: :func:`sibship_joint`),
    ``c`` (B, n, 2) the allele each sibling took from the parent under its two phases;
    ``w`` (B, n) the weight of a sibling's second phase (0 for a homozygote), or None."""
    nb, n, _ = c.shape
    k = m.shape[0]
    f = None
    for i in range(n):
        col = np.moveaxis(m[:, c[:, i, :]], 0, -1)  # (B, 2, K)
        t = col[:, :, :, None] + col[:, :, None, :]  # (B, 2, K, K)
        if w is not None:
            t[:, 1] *= w[:, i, None, None]
        f = t if f is None else (f[:, :, None] * t[:, None]).reshape(nb, -1, k, k)
    assert f is not None
    return f.transpose(0, 1, 3, 2) if rel == 1 else f


def _z(f: np.ndarray, q: np.ndarray) -> np.ndarray:
    """2 Z_phi(r, z) = diag(F_phi q) + F_phi diag(q) (module docstring), in place of ``f``
    where it is C-ordered."""
    z = f * q if not f.flags.c_contiguous else np.multiply(f, q, out=f)
    u = z.sum(axis=-1)
    diag = np.arange(q.shape[0])
    z[..., diag, diag] += u
    return z


# families per step: the 2^n K x K arrays of a step stay in the processor's cache (the
# steps are passes over memory more than arithmetic; measured 1.3x faster than steps at the
# memory limit)
STEP_ELEMENTS = 1 << 19


def sibship_joint(
    ped: Pedigree,
    sh: SibshipShape,
    alle: np.ndarray,
    ma,
    joint: Callable[[list[str], list[int]], np.ndarray],
    out: np.ndarray | None = None,
) -> np.ndarray:
    """(B, K, K) joint of the data and the MP's ordered genotype for B families of a
    sibship shape (``alle`` (B, persons, 2) allele indices), by the closed form of the
    module docstring. ``joint(persons, variables)``: the (K, ...) joint prior of allele
    variables of untyped persons, by the network of ``persons`` and their ancestors (the
    compile's network builder and contraction)."""
    model = ma.model
    k = ma.k
    nb = alle.shape[0]
    q_a, q_b, r = _parents_prior(ped, sh, ma, joint)
    n = len(sh.sibs)
    per = (2**n) * k * k
    step = max(1, min(nb, STEP_ELEMENTS // per, CT.MAX_BATCH_ELEMENTS // (3 * per)))
    # the halves of the 2n siblings' and the MP's two transmissions, taken out of the
    # products: a power of two, so the numbers are the same
    half = 0.5 ** (2 * n + 2)
    rt = np.ascontiguousarray(r.T)
    j = np.empty((nb, k, k)) if out is None else out
    for s in range(0, nb, step):
        d = alle[s : s + step][:, list(sh.sibs), :]  # (b, n, 2): (paternal, maternal) at phase 0
        w = (d[:, :, 0] != d[:, :, 1]).astype(float)
        za = _z(_side(model.male, d, w, sh.rel[0]), q_a)  # (b, P, A_r, z)
        zb = _z(_side(model.female, d[:, :, ::-1], None, sh.rel[1]), q_b)  # (b, P, B_r, z')
        b_, p_ = za.shape[:2]
        t = np.matmul(rt, za).reshape(b_, p_ * k, k)  # (b, P B_r, z): R^T Z_phi
        j0 = t.transpose(0, 2, 1) @ zb.reshape(b_, p_ * k, k)  # sum_phi Z_phi^T R W_phi
        j0 = (model.male.T @ j0) @ model.female
        j0 *= half
        j[s : s + step] = j0
    return j
