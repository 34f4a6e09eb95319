"""Codes of the blind search's inputs, each worked out once per distinct value (a national
run repeats a few thousand genotypes over millions of cells): a remain's entry in the compiled
tables at each marker (:class:`RemainEntries`, for :meth:`nasab.search.engine.Layout.codes`)
and the references' typing states and allele indices (:func:`reference_states`, for the
shape batches of :func:`nasab.search.engine.compile_families`)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.frequencies import marker_key
from nasab.engine.observation import DROPOUT_MARK, DropModel
from nasab.search.compile import FULL, PARTIAL, UNTYPED
from nasab.search.data import FamilyData
from nasab.search.refdrop import state_for


class RemainEntries:
    """The global table index of a typed observation, by marker, genotype and observation
    model: computed once per distinct triple (a remains table repeats them). ``layout``: the
    search's :class:`nasab.search.engine.Layout`."""

    def __init__(self, layout):
        self.layout = layout
        self.offsets = layout.offsets.tolist()
        self.tables = layout.tables()
        self.maps = [{a: i for i, a in enumerate(al)} for al in layout.alleles]
        self.classes: dict[DropModel, int] = {}
        self.found: dict[tuple, int] = {}

    def __call__(self, m: int, g: tuple, drop: DropModel | None, who: str) -> int:
        """``drop``: the profile's model at the marker, None for the layout's default."""
        got = self.found.get((m, g, drop))
        if got is None:
            got = self.found[(m, g, drop)] = self._entry(
                m, g, drop or self.layout.default_drop, who
            )
        return got

    def _entry(self, m: int, g: tuple, drop: DropModel, who: str) -> int:
        cls = self.classes.get(drop)
        if cls is None:
            cls = self.classes[drop] = self.layout.class_of(drop, f"remain {who}")
        single = g[1] == DROPOUT_MARK
        b = None if single or g[1] is None else self.maps[m][g[1]]
        return self.offsets[m] + self.tables[m].code(self.maps[m][g[0]], b, single, cls)


class _StateCodes:
    """A reference's typing state and allele indices at a marker, by (marker, genotype,
    dropout model): worked out once per distinct triple (a chunk repeats them), each given
    an id; a person's markers are one list of ids. A reference under a dropout model gets a
    state of :mod:`.refdrop` and its observed alleles (twice the same when one was seen)."""

    def __init__(self, layout):
        self.keys = [marker_key(m) for m in layout.markers]
        self.maps = [{a: i for i, a in enumerate(al)} for al in layout.alleles]
        self.triples: list[tuple[int, int, int]] = [(UNTYPED, 0, 0)]  # id 0: untyped
        self.ids: dict[tuple, int] = {}
        # per marker: genotype (None: absent) -> id, for references without a dropout model
        self.plain = [_PlainIds(self, m) for m in range(len(self.keys))]

    def plain_person(self, g: dict):
        """:meth:`person` of a reference without a dropout model, as an iterator."""
        return map(operator.getitem, self.plain, map(g.get, self.keys))

    def person(self, g: dict, drops: list[DropModel | None] | None) -> list[int]:
        """The ids of one reference's genotypes ``g`` at every marker; ``drops``: its
        dropout model at each marker (None: none at any)."""
        gts = map(g.get, self.keys)
        if drops is None:
            return list(map(operator.getitem, self.plain, gts))
        return [self.id(m, gt, d) for m, (gt, d) in enumerate(zip(gts, drops, strict=True))]

    def id(self, m: int, gt: tuple | None, drop: DropModel | None) -> int:
        if gt is None or gt[0] is None:
            return 0
        if drop is not None and drop.trivial:
            drop = None
        key = (m, gt, drop)
        got = self.ids.get(key)
        if got is None:
            got = self.ids[key] = len(self.triples)
            self.triples.append(self._triple(m, gt, drop))
        return got

    def _triple(self, m: int, gt: tuple, drop: DropModel | None) -> tuple[int, int, int]:
        a = self.maps[m][gt[0]]
        if drop is not None:
            b = a if gt[1] in (None, DROPOUT_MARK) else self.maps[m][gt[1]]
            return state_for(drop, 1 if a == b else 2), a, b
        if gt[1] is None:
            return PARTIAL, a, a
        return FULL, a, self.maps[m][gt[1]]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids,) states and (ids, 2) allele indices."""
        t = np.array(self.triples, np.int64).reshape(-1, 3)
        return t[:, 0].astype(np.int16), t[:, 1:]


class _PlainIds(dict):
    """Genotype -> id at one marker, for references without a dropout model."""

    def __init__(self, codes: _StateCodes, m: int):
        super().__init__({None: 0})
        self.codes, self.m = codes, m

    def __missing__(self, gt: tuple) -> int:
        got = self[gt] = self.codes.id(self.m, gt, None)
        return got


@dataclass
class RefStates:
    """The typing of every person of a list of families, stacked: family ``f``'s persons
    are rows ``start[f]`` to ``start[f + 1]`` (in pedigree order) of ``state`` (N, M) and
    ``alleles`` (N, M, 2)."""

    start: np.ndarray
    state: np.ndarray
    alleles: np.ndarray


def reference_states(families: Sequence[FamilyData], layout) -> RefStates:
    """Each person's typing state and allele indices at each marker of the ``layout``
    (:class:`nasab.search.engine.Layout`; UNTYPED and 0 where not typed), for the families'
    persons stacked."""
    codes = _StateCodes(layout)
    sizes = [len(fd.family.pedigree) for fd in families]
    start = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
    who: list[int] = []
    ids: list[int] = []  # each typed person's ids at every marker, in a row
    plain = codes.plain_person
    for fd, base in zip(families, start[:-1].tolist(), strict=True):
        fam = fd.family
        index = fam.pedigree.index
        if not reference_drops(fd):  # most families
            for pid, g in fam.genotypes.items():
                who.append(base + index(pid))
                ids.extend(plain(g))
            continue
        drops = [fam.drops_for(m) for m in layout.markers]
        for pid, g in fam.genotypes.items():
            who.append(base + index(pid))
            ids.extend(codes.person(g, [d.get(pid) for d in drops]))
    n, nm = int(start[-1]), len(layout.markers)
    state = np.zeros((n, nm), np.int16)
    alleles = np.zeros((n, nm, 2), np.int64)
    if who:
        states, pairs = codes.arrays()
        at = np.array(ids, np.int64).reshape(len(who), nm)
        state[who] = states[at]
        alleles[who] = pairs[at]
    return RefStates(start, state, alleles)


def reference_drops(fd: FamilyData) -> bool:
    """Whether a typed reference of the family has a dropout / drop-in model."""
    fam = fd.family
    if not fam.drops and not fam.marker_drops:  # most families: no model at all
        return False
    models = [*fam.drops.values(), *(d for per in fam.marker_drops.values() for d in per.values())]
    return any(not d.trivial for d in models)
