"""References under a dropout / drop-in model in the batched compile.

A typed reference whose sample has a dropout model (the registry's reference-swab setting,
``Family.drops`` / ``Family.marker_drops``) has an uncertain genotype: its evidence is the
weight P(observation | ordered genotype) of the engine's one observation model
(:func:`nasab.engine.observation.observation_weights`, through the full allele space of
:mod:`nasab.engine.likelihood`, as ``nasab lr`` uses it), per family of a batch.

A reference with both alleles observed and no drop-in is a typed reference: each observed
allele must be carried (P(seen | not carried) = c p_i = 0), so the weight is zero off the
observed pair and (1 - d)^2 on it, a constant factor of the family's data under both
hypotheses that cancels from every LR exactly. It keeps the plain FULL state (and shares
its shape with families without dropout there). Any other dropped reference (one observed
allele: ``a/a``, ``a/F``, ``a/-``; or a drop-in probability) may carry any genotype (dropout
puts mass on alleles outside the observed ones): it ranges over the whole allele space
like an untyped person, with the weight as evidence, and has its own typing state in a
:class:`nasab.search.shapes.Shape` key, ``DROPPED + 2 c`` (one allele seen) or ``+ 1`` (two,
with drop-in) for the c-th dropout model seen in this process, so that families with and
without dropout at a person never share a network.

In the lumped allele space of :mod:`nasab.search.lumped` (observed alleles, o1, o2) the
weight is taken at one representative allele of each class: exact when the weight does not
tell unobserved alleles apart, i.e. without a silent allele and with homozygote dropout
d_hom = d^2 (a pair of one unobserved allele then weighs what two different ones do, as the
engine's ``lumping_allowed`` says); otherwise the full allele list is used
(:func:`lumping_ok`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nasab.engine.errors import ModelError
from nasab.engine.likelihood import MarkerModel, full_space
from nasab.engine.observation import DropModel

DROPPED = 3  # first state value of a reference with a dropout model (after UNTYPED, FULL, PARTIAL)
_FULL = 1  # nasab.search.compile.FULL (not imported: compile imports this module)
MAX_STATE = np.iinfo(np.int16).max
ROLE = 700_000  # labels ROLE + allele variable: the role of that allele (dropped_operands)
_CLASSES: list[DropModel] = []  # the dropout models seen in this process, in order
_INDEX: dict[DropModel, int] = {}


def state_for(drop: DropModel, n_observed: int) -> int:
    """The typing state of a reference with the (non-trivial) dropout model ``drop`` and
    ``n_observed`` (1 or 2) observed alleles: FULL when both were seen and there is no
    drop-in (module docstring), else a dropped state (per dropout model, one allele seen or
    two with drop-in)."""
    if n_observed == 2 and drop.dropin == 0:
        return _FULL
    c = _INDEX.get(drop)
    if c is None:
        c = _INDEX[drop] = len(_CLASSES)
        _CLASSES.append(drop)
    st = DROPPED + 2 * c + int(n_observed == 2)
    if st > MAX_STATE:
        raise ModelError(
            f"more than {(MAX_STATE - DROPPED) // 2} different reference dropout models in "
            "one compile; group the references' dropout settings"
        )
    return st


def is_dropped(st: int) -> bool:
    return st >= DROPPED


def drop_of(st: int) -> DropModel:
    return _CLASSES[(st - DROPPED) // 2]


def one_seen(st: int) -> bool:
    return (st - DROPPED) % 2 == 0


def describe(st: int) -> str:
    """A dropped state in a shape's description: D (one allele seen) or DI (two seen, with
    drop-in) and the dropout model's index."""
    return f"{'D' if one_seen(st) else 'DI'}{(st - DROPPED) // 2}"


def lumping_ok(state: Sequence[int], model: MarkerModel) -> bool:
    """Whether the lumped allele space is exact for these dropped references (module
    docstring)."""
    drops = [drop_of(int(st)) for st in state if st >= DROPPED]
    if not drops:
        return True
    if model.silent_index is not None:
        return False
    return all(d.d_hom == d.dropout**2 for d in drops)


def _weights(
    model: MarkerModel, full: np.ndarray, drop: DropModel
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(U, K, K) observation weights of the distinct observed pairs of ``full`` (B, 2) marker
    allele indices, each family's row among them (B,), and the pairs (U, 2)."""
    uniq, inv = np.unique(np.sort(full, axis=1), axis=0, return_inverse=True)
    space = full_space(model)
    labels = model.alleles
    w = np.stack([space.weights((labels[a], labels[b]), drop) for a, b in uniq])
    return w, inv.reshape(-1), uniq


def dropped_operands(ma, alle: np.ndarray, st: int, pat: int, mat: int, batch: int) -> list:
    """The evidence of a dropped reference over a batch, as operands over its allele
    variables ``pat`` and ``mat`` ranging over every allele of ``ma``'s space (the marker's
    list, or a lumped space with ``ma.rep``, the marker allele standing for each class).
    ``alle`` (B, 2): its observed alleles (twice the same for one) in that space.

    With one allele a seen, the weight depends on an allele only through its role (a, or
    another), and, with homozygote dropout d_hom = d^2, not on whether two other alleles
    are the same: W[x, y] = S[role(x), role(y)]. So it enters as three factors, the role
    indicators P over (role, pat) and (role', mat) and the 2 x 2 weights S over (role,
    role'): the paternal and maternal alleles are no longer tied K x K, and a sibship of
    such references contracts through the roles instead of every allele pair. Each entry
    W[x, y] is one product 1 * S * 1, exact. Otherwise (two alleles seen with drop-in,
    d_hom other than d^2, a silent allele) W enters whole, (B, L, L)."""
    rep = getattr(ma, "rep", None)
    full = alle if rep is None else np.take_along_axis(rep, alle, axis=1)
    drop = drop_of(st)
    w, inv, uniq = _weights(ma.model, full, drop)
    roles = _role_weights(w, uniq, ma.model, drop) if one_seen(st) else None
    if roles is None:
        if rep is None:
            return [(w[inv], (batch, pat, mat))]
        return [(w[inv[:, None, None], rep[:, :, None], rep[:, None, :]], (batch, pat, mat))]
    seen = np.arange(w.shape[1])[None, :] == full[:, :1]
    ind = np.stack([seen, ~seen], axis=1).astype(float)  # (B, 2, K)
    if rep is not None:
        at = np.broadcast_to(rep[:, None, :], (len(rep), 2, rep.shape[1]))
        ind = np.take_along_axis(ind, at, 2)
    r_pat, r_mat = ROLE + pat, ROLE + mat
    return [
        (ind, (batch, r_pat, pat)),
        (roles[inv], (batch, r_pat, r_mat)),
        (ind, (batch, r_mat, mat)),
    ]


def _role_weights(
    w: np.ndarray, uniq: np.ndarray, model: MarkerModel, drop: DropModel
) -> np.ndarray | None:
    """(U, 2, 2) weights of the roles (the allele seen, another) of each distinct observed
    allele, or None when W is not a function of the roles."""
    if model.silent_index is not None or drop.d_hom != drop.dropout**2 or w.shape[1] < 3:
        return None
    out = np.empty((len(uniq), 2, 2))
    for u, (a, _) in enumerate(uniq):
        x, y = [i for i in range(3) if i != a][:2]
        out[u] = [[w[u, a, a], w[u, a, x]], [w[u, x, a], w[u, x, y]]]
        if w[u, x, x] != w[u, x, y]:  # never an approximation: W whole
            return None
    return out
