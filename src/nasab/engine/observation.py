"""What a typed genotype says about the true genotype: the observation model.

For each ordered true genotype (i, j) of a person the weight ``P(observation | i, j)``.
Three cases, all exact:

* a plain genotype ``a/b``: the indicator of {i, j} = {a, b}; with a silent (null) allele
  in the table, ``a/a`` also admits (a, silent);
* a partial genotype ``a/-`` (one allele known, pedtools style): any genotype carrying a;
* a sample with a dropout model (the semi-continuous model of Haned et al. 2012, as in
  relMix and Familias): the observed alleles O (``12/F`` or ``12/12`` both mean O = {12}).
  Every allele i of the marker is seen or not independently: it is *not* seen with
  probability (1 - c p_i) D_i, where c is the drop-in probability and D_i is 1 if the true
  genotype does not carry i, d if it carries one copy (heterozygote, or beside a silent
  allele), d_hom if two (default d**2). So
      P(O | G) = prod_{i in O} (1 - (1 - c p_i) D_i(G)) * prod_{i not in O} (1 - c p_i) D_i(G).
  A marker where nothing was observed is untyped (LR 1), as labs report it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nasab.engine.errors import ModelError

SILENT_LABELS = ("silent", "s", "Silent", "SILENT", "null")
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
            raise ModelError(
                f"homozygote dropout probability must be in [0, 1), not {self.dropout_hom}"
            )

    @property
    def d_hom(self) -> float:
        return self.dropout**2 if self.dropout_hom is None else self.dropout_hom

    @property
    def trivial(self) -> bool:
        return self.dropout == 0 and self.dropin == 0 and self.d_hom == 0


NO_DROP = DropModel()


def observed_alleles(g: tuple[str | None, str | None]) -> frozenset[str]:
    return frozenset(a for a in g if a is not None and a != DROPOUT_MARK)


def observation_weights(
    g: tuple[str | None, str | None],
    labels: list[str | None],
    freqs: np.ndarray,
    drop: DropModel | None = None,
    table_freqs: np.ndarray | None = None,
) -> np.ndarray:
    """Matrix W[i, j] = P(observation g | ordered true genotype (labels[i], labels[j])).

    ``labels`` is the allele space (None for a lumped class of unobserved alleles),
    ``freqs`` its frequencies and ``table_freqs`` those of every allele of the marker (for
    drop-in; a lumped class stands for several alleles).
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
    if any(is_silent(x) for x in observed_alleles(g)):
        raise ModelError(
            f"genotype {a}/{b}: a silent allele cannot be an observed allele under "
            "a dropout model (it is never seen)"
        )
    obs = frozenset(code[x] for x in observed_alleles(g))
    d, dh, c = drop.dropout, drop.d_hom, drop.dropin
    # Factors of alleles absent from both O and G are the same for every G: one constant.
    base = float(np.prod(1.0 - c * np.asarray(table_freqs if table_freqs is not None else freqs)))
    for i in obs:
        base /= 1.0 - c * freqs[i]
    # Only the classes in O matter individually; every other class behaves alike, so the
    # weight is computed per pair of "roles" and filled in.
    roles = sorted(obs) + [r for r in (silent,) if r is not None]
    other = [i for i in range(k) if i not in obs and i != silent]
    reps = roles + other[:2]

    def weight(x: int, y: int) -> float:
        copies: dict[int, int] = {}
        for a in (x, y):
            if a != silent:
                copies[a] = copies.get(a, 0) + 1
        total = base
        for i in obs:
            n = copies.get(i, 0)
            drop_i = 1.0 if n == 0 else (d if n == 1 else dh)
            total *= 1.0 - (1.0 - c * freqs[i]) * drop_i
        for a, n in copies.items():
            if a not in obs:
                total *= d if n == 1 else dh
        return total

    pos = {r: n for n, r in enumerate(reps)}
    small = np.array([[weight(x, y) for y in reps] for x in reps])
    rep_of = {i: i for i in roles}
    for i in other:
        rep_of[i] = other[0]
    idx = np.array([pos[rep_of[i]] for i in range(k)])
    w = small[np.ix_(idx, idx)]
    if len(other) > 1:  # two different unobserved alleles: two single copies, not a pair
        o = np.array(other)
        block = np.full((len(o), len(o)), small[pos[other[0]], pos[other[1]]])
        np.fill_diagonal(block, small[pos[other[0]], pos[other[0]]])
        w[np.ix_(o, o)] = block
    return w
