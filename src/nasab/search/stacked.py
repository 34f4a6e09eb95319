"""The lumped compile, one marker or every marker of a shape in one batched contraction.

For the lumpable models (no mutation, proportional: :mod:`.lumped`) each family is compiled
over its own local allele space at each marker: its observed alleles, two classes for the
others, padding. The network of a shape is then the same at every marker, and nothing in a
batched operand depends on the marker but the numbers (the local frequencies and mutation
matrices carry the batch index anyway). So the families of a shape at all its markers are
one batch: (family, marker) rows whose local spaces have the same width are contracted
together, once, instead of once per marker. That is 24 times fewer contractions, network
builds and plan lookups for a 24-marker profile, the same arithmetic; each row's numbers are
exactly those of its own marker's contraction (rows do not mix; the last bit of a sum may
follow the batch's BLAS blocking).

Not stacked (compiled marker by marker by :func:`joint_and_likelihood`):
shapes with references under a dropout model (their evidence is the marker's own
observation model), markers whose model is not lumpable (stepwise, equal), markers where the
local space would not be smaller than the marker's list, and shapes whose batched network is
beyond the memory limit (family by family there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.errors import ModelError
from nasab.engine.pedigree import Pedigree
from nasab.search import compile as C
from nasab.search.compile import BATCH, UNTYPED, ModelArrays
from nasab.search.lumped import (
    LocalSpace,
    LumpedArrays,
    expand_joint,
    local_space,
    lumped_arrays,
    lumped_sums,
)
from nasab.search.refdrop import is_dropped, lumping_ok
from nasab.search.tables import JointSums

# The lumped networks' paths are searched with every class dimension at least this wide
# (not the marker lists' PROBE_ALLELES, 48): a local space is a family's observed alleles
# and two classes, a handful to a dozen, and a path chosen for 48-wide dimensions spends
# its time on products that pay off only there. Measured on Syria-scale chunks (150,000
# families, proportional model): compile CPU -20 % against 48, about as fast as a path
# searched at each batch's own width (which would search one path per width); the
# memory guard still sizes each batch by the plan at its real widths (compile._batch_size).
LUMPED_PROBE_ALLELES = 8


@dataclass
class LumpedRows:
    """Families of one shape at one marker on their local spaces: the classes of their
    alleles (B, persons, 2; typed persons only) and the batched arrays of the classes."""

    space: LocalSpace
    local: np.ndarray
    arrays: LumpedArrays

    @property
    def width(self) -> int:
        return self.space.width


def typed_indices(ped: Pedigree, state: Sequence[int]) -> list[int]:
    return [i for i in range(len(ped)) if state[i] != UNTYPED]


def lumped_rows(
    ped: Pedigree, state: Sequence[int], alle: np.ndarray, ma: ModelArrays
) -> LumpedRows | None:
    """The families' local spaces at this marker, or None when lumping is not exact for the
    shape's references or the space would not be smaller than the marker's list."""
    tidx = typed_indices(ped, state)
    if not tidx or not lumping_ok(state, ma.model):
        return None
    space = local_space(alle, tidx, ma.k)
    if space.width >= ma.k:
        return None
    local = np.zeros_like(alle)
    rows = np.arange(alle.shape[0])[:, None, None]
    local[:, tidx, :] = space.cls[rows, alle[:, tidx, :]]
    return LumpedRows(space, local, lumped_arrays(ma.model, space, ma.rates))


def contract_lumped(
    ped: Pedigree, mp: str, state: Sequence[int], local: np.ndarray, arrays: LumpedArrays
) -> np.ndarray:
    """(B, L, L) joint of the missing person's two allele classes and the family data, by
    the shape's network over the classes (in steps that keep every intermediate under the
    limit)."""
    n, width = local.shape[0], arrays.k
    typed = {ped.ids[i] for i in typed_indices(ped, state)}
    i = ped.index(mp)
    persons_j = ped.ancestors(typed | {mp}, inclusive=True)
    out_j = (BATCH, 2 * i, 2 * i + 1)
    fixed = C._fixed_phase(ped, persons_j, state, mp)
    # the families per step, as for the full list: the one cache of per-family sizes, keyed
    # by the network and the width (a one-family slice of the arrays as the probe)
    probe = LUMPED_PROBE_ALLELES
    step = C._batch_size(
        ped, persons_j, state, arrays.rows(0, 1), out_j, n, fixed=fixed, probe=probe
    )
    jl = np.empty((n, width, width))
    for s in range(0, n, step):
        ops = C._network(
            ped, persons_j, state, local[s : s + step], arrays.rows(s, s + step), fixed=fixed
        )
        jl[s : s + step] = C._contract(ops, out_j, probe)
    return jl


def joint_and_likelihood(
    ped: Pedigree,
    mp: str,
    state: Sequence[int],
    alle: np.ndarray,
    ma: ModelArrays,
    sums: bool = False,
) -> tuple[np.ndarray | JointSums, np.ndarray]:
    """One marker, B families of one shape: (B, K, K) joint of the data and each ordered
    genotype of the missing person ``mp`` (with ``sums``: its :class:`.tables.JointSums`)
    and (B,) likelihoods of the data; from the lumped joint (:mod:`.lumped`) where lumping
    is exact and smaller, else over the full allele list
    (:func:`nasab.search.compile.full_joint_and_likelihood`)."""
    got = lumped_rows(ped, state, alle, ma) if ma.lumpable else None
    if got is None:
        return C.full_joint_and_likelihood(ped, mp, state, alle, ma, sums)
    jl = contract_lumped(ped, mp, state, got.local, got.arrays)
    return _finish(jl, got.space, ma, sums)


def _finish(jl, space: LocalSpace, ma: ModelArrays, sums: bool):
    lik = jl.reshape(len(jl), -1).sum(axis=1)
    if sums:
        return lumped_sums(jl, space, ma.model.freqs), lik
    return expand_joint(jl, space, ma.model.freqs), lik


def stackable(ped: Pedigree, state: Sequence[int]) -> bool:
    """Shapes whose network is the same function of the classes at every marker: some typed
    reference, none under a dropout model."""
    return any(st != UNTYPED for st in state) and not any(is_dropped(int(st)) for st in state)


def stacked_joints(
    ped: Pedigree, mp: str, state: Sequence[int], parts: dict[int, tuple[np.ndarray, ModelArrays]]
) -> dict[int, tuple[JointSums, np.ndarray]]:
    """The joint sums and likelihoods of a shape's families at several markers, ``parts``
    marker -> (alleles (B_m, persons, 2), its model), with one contraction per width of the
    local spaces. Markers where lumping does not serve are left out of the answer; a
    network beyond the memory limit raises :class:`ModelError` (the caller compiles that
    shape marker by marker)."""
    rows: dict[int, LumpedRows] = {}
    for m, (alle, ma) in parts.items():
        if ma.lumpable:
            got = lumped_rows(ped, state, alle, ma)
            if got is not None:
                rows[m] = got
    by_width: dict[int, list[int]] = {}
    for m, got in rows.items():
        by_width.setdefault(got.width, []).append(m)
    out: dict[int, tuple[JointSums, np.ndarray]] = {}
    for ms in by_width.values():
        local = np.concatenate([rows[m].local for m in ms])
        arrays = LumpedArrays.stack([rows[m].arrays for m in ms])
        jl = contract_lumped(ped, mp, state, local, arrays)
        at = np.cumsum([0] + [len(rows[m].local) for m in ms])
        by_k: dict[int, list[tuple[int, int, int]]] = {}
        for m, a, b in zip(ms, at[:-1], at[1:], strict=True):
            by_k.setdefault(parts[m][1].k, []).append((m, int(a), int(b)))
        for same_k in by_k.values():
            out.update(_sums_of_markers(jl, same_k, rows, parts))
    return out


def _sums_of_markers(jl: np.ndarray, same_k, rows: dict, parts: dict) -> dict:
    """:func:`_finish` (sums) of the markers ``same_k`` [(marker, first row, end)] of one
    number of alleles, in one pass (the frequencies row by row: each row's numbers are
    those of its own marker's pass)."""
    if len(same_k) == 1 or any(
        rows[m].space.n_obs.min() < 1 or rows[m].space.alleles is None for m, _, _ in same_k
    ):
        return {m: _finish(jl[a:b], rows[m].space, parts[m][1], sums=True) for m, a, b in same_k}
    spaces = [rows[m].space for m, _, _ in same_k]
    space = LocalSpace(
        np.concatenate([sp.cls for sp in spaces]),
        np.concatenate([sp.n_obs for sp in spaces]),
        spaces[0].width,
        np.concatenate([sp.alleles for sp in spaces]),
    )
    part = np.concatenate([jl[a:b] for _, a, b in same_k])
    freqs = np.concatenate(
        [
            np.broadcast_to(np.asarray(parts[m][1].model.freqs, float), (b - a, space.cls.shape[1]))
            for m, a, b in same_k
        ]
    )
    sums = lumped_sums(part, space, freqs)
    lik = part.reshape(len(part), -1).sum(axis=1)
    out, start = {}, 0
    for m, a, b in same_k:
        stop = start + b - a
        out[m] = (sums.rows(start, stop), lik[start:stop])
        start = stop
    return out


def stacked_shapes(groups, mas: Sequence[ModelArrays]) -> dict[tuple, tuple[JointSums, np.ndarray]]:
    """(shape key, marker) -> (joint sums, likelihoods) of every stackable shape of
    ``groups`` (:func:`.shapes.shape_groups`) at the markers where lumping serves; the rows
    are the group's rows at that marker, in :func:`.shapes.groups_at`'s order."""
    got: dict[tuple, tuple[JointSums, np.ndarray]] = {}
    if not any(ma.lumpable for ma in mas):
        return got
    for g in groups:
        shape = g.shape
        ped = shape.pedigree()
        if not stackable(ped, shape.state):
            continue
        parts = {
            m: (g.alleles[g.at[:, m], m], ma)
            for m, ma in enumerate(mas)
            if ma.lumpable and g.at[:, m].any()
        }
        if len(parts) < 2:
            continue
        try:
            joints = stacked_joints(ped, ped.ids[shape.mp], shape.state, parts)
        except ModelError:  # beyond the memory limit batched: marker by marker, as before
            continue
        got.update({(shape.key, m): v for m, v in joints.items()})
    return got
