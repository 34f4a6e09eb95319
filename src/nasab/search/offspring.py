"""A closed form for the missing person's descendants' side: typed children with typed spouses.

Where the missing person (MP) is a cut vertex of its network, the compile contracts the
ancestors' side and the descendants' side apart (:func:`nasab.search.compile._joint_split`);
the descendants' side is a function Down(x, y) of the MP's paternal and maternal alleles.
In the commonest such shape the descendants are the MP's fully typed children, none with
children of their own, each by a fully typed spouse who is a founder. Given the MP's two
alleles the children are then independent, and

    Down(x, y) = prod_s C_s prod_i sum_phi w_phi (M[x, g_phi] + M[y, g_phi]) / 2
                                               * (N[s1, h_phi] + N[s2, h_phi]) / 2

with, for child i of genotype {a, b}, phase phi = 0 taking a from the MP (g = a) and b from
its spouse s = (s1, s2) (h = b), phase 1 the reverse (weight 0 for a homozygote, as the
network's phase variable); M the MP's mutation matrix (its sex as the child's parent), N
the spouse's; C_s the typed founder spouse's prior (p_s1 p_s2, twice for a heterozygote).
2 K^2 per child and family, where the general contraction of the same network was measured
2-3x slower (its meiosis indicators cannot keep the MP's two alleles apart: they are both
kept to the end). The numbers are those of the general contraction up to rounding (tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.pedigree import Pedigree


@dataclass(frozen=True)
class OffspringShape:
    """The children (pedigree indices), each child's spouse (its other parent's index),
    whether the MP is the children's father, and the spouses (indices, once each)."""

    children: tuple[int, ...]
    spouse_of: tuple[int, ...]
    mp_father: tuple[bool, ...]
    spouses: tuple[int, ...]


def offspring_shape(
    ped: Pedigree, mp: str, down: Sequence[str], state: Sequence[int], full: int
) -> OffspringShape | None:
    """The :class:`OffspringShape` of the descendants' side ``down`` (the persons of the
    MP's network below it, :func:`nasab.search.compile._split_at`), or None where the closed
    form does not apply (module docstring). ``full``: the code of a fully typed person."""
    if not down:
        return None
    kids = [c for c in down if mp in (ped[c].father, ped[c].mother)]
    mates = [c for c in down if c not in kids]
    if not kids or any(state[ped.index(c)] != full for c in down):
        return None
    for s in mates:
        if ped[s].father is not None or not any(s in (ped[c].father, ped[c].mother) for c in kids):
            return None
    if any({ped[x].father, ped[x].mother} & set(kids) for x in down):
        return None  # a grandchild
    spouse_of, mp_father = [], []
    for c in kids:
        q = ped[c]
        other = q.mother if q.father == mp else q.father
        if other not in mates:
            return None
        spouse_of.append(ped.index(other))  # type: ignore[arg-type]
        mp_father.append(q.father == mp)
    return OffspringShape(
        tuple(ped.index(c) for c in kids),
        tuple(spouse_of),
        tuple(mp_father),
        tuple(ped.index(s) for s in mates),
    )


def offspring_down(sh: OffspringShape, alle: np.ndarray, model) -> np.ndarray:
    """(B, K, K) Down(x, y) of the module docstring for B families (``alle`` (B, persons,
    2) allele indices, phase 0 = (paternal, maternal) as read)."""
    p = np.asarray(model.freqs, float)
    nb, k = alle.shape[0], len(p)
    out = np.ones((nb, k, k))
    for s in sh.spouses:
        a, b = alle[:, s, 0], alle[:, s, 1]
        out *= (p[a] * p[b] * np.where(a != b, 2.0, 1.0))[:, None, None]
    for c, s, father in zip(sh.children, sh.spouse_of, sh.mp_father, strict=True):
        m, n = (model.male, model.female) if father else (model.female, model.male)
        a, b = alle[:, c, 0], alle[:, c, 1]
        g = (a, b) if father else (b, a)  # the MP's allele at phase 0, 1
        s1, s2 = alle[:, s, 0], alle[:, s, 1]
        d = np.zeros((nb, k, k))
        for phi in (0, 1):
            gp, hp = g[phi], g[1 - phi]
            col = m[:, gp].T  # (B, K): M[x, g]
            w = 0.25 * (n[s1, hp] + n[s2, hp])
            if phi == 1:
                w = w * (a != b)
            d += (col[:, :, None] + col[:, None, :]) * w[:, None, None]
        out *= d
    return out
