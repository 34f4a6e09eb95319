"""What a typed genotype says about the true genotype: the observation model.

For each ordered true genotype (i, j) of a person the weight ``P(observation | i, j)``.
Three cases, all exact:

* a plain genotype ``a/b``: the indicator of {i, j} = {a, b}; with a silent (null) allele
  in the table, ``a/a`` also admits (a, silent);
* a partial genotype ``a/-`` (one allele known, pedtools style): any genotype carrying a;
* a sample with a dropout model (semi-continuous, as Familias and relMix): the observed
  alleles O (``12/F`` or ``12/12`` both mean O = {12}). Each allele of a true heterozygote
  drops out independently with probability d; a true homozygote drops out entirely with
  probability d_hom (default d**2, relMix lets it be set); a silent allele is never seen.
  Then at most one allele drops in, with probability c, drawn from the population
  frequencies (an allele dropping in on top of the same allele leaves no trace):
      P(O | S survived) = (1-c)[O = S] + c * sum_x p_x [S + {x} = O].
  A marker where nothing was observed is untyped (LR 1), as labs report it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ModelError

SILENT_LABELS = ("silent", "s", "Silent", "SILENT", "null")
SILENT = "silent"
DROPOUT_MARK = "F"


def is_silent(label: str | None) -> bool:
    return label in SILENT_LABELS


@dataclass(frozen=True)
class DropModel:
    """Dropout and drop-in probabilities of one sample (or one sample at one marker)."""

    dropout: float = 0.0
    dropout_hom: float | None = None
    dropin: float = 0.0

    def __post_init__(self) -> None:
        for name in ("dropout", "dropin"):
            v = getattr(self, name)
            if not (0.0 <= v < 1.0):
                raise ModelError(f"{name} probability must be in [0, 1), not {v}")
        if self.dropout_hom is not None and not (0.0 <= self.dropout_hom < 1.0):
            raise ModelError(f"homozygote dropout probability must be in [0, 1), not "
                             f"{self.dropout_hom}")

    @property
    def d_hom(self) -> float:
        return self.dropout ** 2 if self.dropout_hom is None else self.dropout_hom

    @property
    def trivial(self) -> bool:
        return self.dropout == 0 and self.dropin == 0 and self.d_hom == 0


NO_DROP = DropModel()


def observed_alleles(g: tuple[str | None, str | None]) -> frozenset[str]:
    return frozenset(a for a in g if a is not None and a != DROPOUT_MARK)


def _survivors(x: int, y: int, silent: int | None, d: float, dh: float):
    """Possible sets of surviving (visible) allele classes and their probabilities."""
    vis = [a for a in (x, y) if a != silent]
    if len(vis) == 0:
        return [(frozenset(), 1.0)]
    if len(vis) == 1:  # one real allele beside a silent one: it drops out like a het allele
        return [(frozenset(vis), 1 - d), (frozenset(), d)]
    if vis[0] == vis[1]:
        return [(frozenset(vis), 1 - dh), (frozenset(), dh)]
    a, b = vis
    return [(frozenset((a, b)), (1 - d) ** 2), (frozenset((a,)), d * (1 - d)),
            (frozenset((b,)), d * (1 - d)), (frozenset(), d * d)]


def observation_weights(
    g: tuple[str | None, str | None],
    labels: list[str | None],
    freqs: np.ndarray,
    drop: DropModel | None = None,
) -> np.ndarray:
    """Matrix W[i, j] = P(observation g | ordered true genotype (labels[i], labels[j])).

    ``labels`` is the allele space (None for a lumped class of unobserved alleles) and
    ``freqs`` its frequencies (for drop-in).
    """
    k = len(labels)
    code = {lab: i for i, lab in enumerate(labels) if lab is not None}
    silent = next((i for i, lab in enumerate(labels) if is_silent(lab)), None)
    w = np.zeros((k, k))
    a, b = g
    if drop is None or drop.trivial:
        if a is None:
            return np.ones((k, k))
        ia = code[a]
        if b is None:  # partial: any genotype carrying a
            w[ia, :] = 1.0
            w[:, ia] = 1.0
            return w
        ib = ia if b == DROPOUT_MARK else code[b]
        w[ia, ib] = w[ib, ia] = 1.0
        if ia == ib and silent is not None:
            w[ia, silent] = w[silent, ia] = 1.0
        return w
    obs = frozenset(code[x] for x in observed_alleles(g))
    d, dh, c = drop.dropout, drop.d_hom, drop.dropin
    # Only the classes in O matter individually; every other class behaves alike, so the
    # weight is computed per pair of "roles" and filled in.
    roles = sorted(obs) + [r for r in (silent,) if r is not None]
    other = [i for i in range(k) if i not in obs and i != silent]
    reps = roles + ([other[0]] if other else [])
    table: dict[tuple[int, int], float] = {}
    for x in reps:
        for y in reps:
            total = 0.0
            for s, ps in _survivors(x, y, silent, d, dh):
                if ps == 0.0 or not s <= obs:
                    continue
                if s == obs:
                    total += ps * ((1 - c) + c * sum(freqs[i] for i in s))
                elif len(obs - s) == 1:
                    (z,) = obs - s
                    total += ps * c * freqs[z]
            table[(x, y)] = total
    rep_of = {i: i for i in roles}
    for i in other:
        rep_of[i] = other[0]
    pos = {r: n for n, r in enumerate(reps)}
    small = np.array([[table[(x, y)] for y in reps] for x in reps])
    idx = np.array([pos[rep_of[i]] for i in range(k)])
    return small[np.ix_(idx, idx)]
