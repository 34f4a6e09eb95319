"""Shapes of missing persons: a missing person's network at one marker up to what cannot
change it (the persons that matter, their parents, typing and which is the missing person).
Families of one shape share one network and are compiled in one batched contraction
(:func:`nasab.search.engine.compile_families`); the shapes also order a run's families and
are reported in its model file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.pedigree import Pedigree
from nasab.search.compile import FULL, UNTYPED
from nasab.search.data import FamilyData
from nasab.search.refdrop import DROPPED
from nasab.search.refdrop import describe as describe_state


@dataclass(frozen=True)
class Shape:
    """A missing person's network at one marker, up to what cannot change it: the persons
    that matter (the typed ones, the missing person and their ancestors, in pedigree
    order), each person's parents among them, typing state and whether it is the missing
    person. Families of one shape share one network (relabelled ``p0``, ``p1``, ...) and
    are compiled in one batched contraction; ``keep`` maps the shape's persons back to a
    family's pedigree indices."""

    key: tuple
    keep: tuple[int, ...]

    @property
    def mp(self) -> int:
        return next(i for i, (_, _, _, is_mp) in enumerate(self.key) if is_mp)

    @property
    def state(self) -> np.ndarray:
        return np.array([st for _, _, st, _ in self.key], np.int16)

    def pedigree(self) -> Pedigree:
        return _shape_pedigree(self.key)

    def describe(self) -> str:
        """One line: each person as ``i`` (T typed, P partly typed, U untyped, MP missing;
        D0, D1, ... typed under a dropout model: see :mod:`.refdrop`) with its parents, e.g.
        ``0T 1T 2MP(0,1) 3T(0,1)``."""
        words = []
        for i, (fa, mo, st, is_mp) in enumerate(self.key):
            tag = "MP" if is_mp else ("UTP"[st] if st < DROPPED else describe_state(st))
            words.append(f"{i}{tag}" + (f"({fa},{mo})" if fa >= 0 else ""))
        return " ".join(words)


_SHAPES: dict = {}
_SHAPE_PEDS: dict = {}


def shape_of(ped: Pedigree, mp: str, state: np.ndarray) -> Shape:
    """The :class:`Shape` of missing person ``mp`` with the typing ``state`` (one entry per
    person of ``ped``: UNTYPED, FULL or PARTIAL), cached by structure."""
    full = (tuple(ped.parent_indices()), ped.index(mp), np.asarray(state, np.int16).tobytes())
    got = _SHAPES.get(full)
    if got is None:
        typed = {pid for pid in ped.ids if state[ped.index(pid)] != UNTYPED}
        keep = _canonical_order(ped, ped.ancestors(typed | {mp}, inclusive=True), mp, state)
        pos = {pid: k for k, pid in enumerate(keep)}
        key = tuple(
            (
                pos[ped[pid].father] if ped[pid].father is not None else -1,
                pos[ped[pid].mother] if ped[pid].mother is not None else -1,
                int(state[ped.index(pid)]),
                pid == mp,
            )
            for pid in keep
        )
        got = Shape(key, tuple(ped.index(pid) for pid in keep))
        if len(_SHAPES) > 100_000:
            _SHAPES.clear()
        _SHAPES[full] = got
    return got


def _canonical_order(ped: Pedigree, keep: list[str], mp: str, state: np.ndarray) -> list[str]:
    """The kept persons generation by generation (founders first), within a generation by
    their parents' places, the missing person first, then typing and the file's order: the
    same shape whatever order the file lists siblings in."""
    placed: dict[str, int] = {}
    remaining = list(keep)
    while remaining:
        layer = [
            q
            for q in remaining
            if ped[q].father is None or (ped[q].father in placed and ped[q].mother in placed)
        ]
        layer.sort(
            key=lambda q: (
                placed.get(ped[q].father, -1),  # type: ignore[arg-type]
                placed.get(ped[q].mother, -1),  # type: ignore[arg-type]
                q != mp,
                int(state[ped.index(q)]),
                ped.index(q),
            )
        )
        for q in layer:
            placed[q] = len(placed)
        done = set(layer)
        remaining = [q for q in remaining if q not in done]
    return list(placed)


def _shape_pedigree(key: tuple) -> Pedigree:
    ped = _SHAPE_PEDS.get(key)
    if ped is None:
        from nasab.engine.pedigree import FEMALE, MALE, UNKNOWN_SEX, Person

        sex = [UNKNOWN_SEX] * len(key)
        for fa, mo, _, _ in key:
            if fa >= 0:
                sex[fa], sex[mo] = MALE, FEMALE
        persons = tuple(
            Person(f"p{i}", f"p{fa}" if fa >= 0 else None, f"p{mo}" if mo >= 0 else None, sex[i])
            for i, (fa, mo, _, _) in enumerate(key)
        )
        ped = Pedigree(persons)
        # the shape's order is a generation order, which the pedigree keeps
        assert ped.ids == [f"p{i}" for i in range(len(key))]
        _SHAPE_PEDS[key] = ped
    return ped


def family_shapes(fd: FamilyData) -> list[Shape]:
    """The shapes of a family's missing persons with every person typed at any marker
    counted as typed: the key that orders families so that a chunk holds few shapes, and
    the shapes a run reports."""
    ped = fd.family.pedigree
    index = ped.index
    typed = []
    for pid, g in fd.family.genotypes.items():
        for gt in g.values():  # typed at any marker: most often the first one says so
            if gt is not None and gt[0] is not None:
                typed.append(index(pid))
                break
    # the shapes of a structure, typed persons and missing persons, found once (a national
    # table has a few dozen of them)
    key = (ped.parent_indices(), frozenset(typed), tuple(map(index, fd.missing)))
    got = _FAMILY_SHAPES.get(key)
    if got is None:
        state = np.zeros(len(ped), np.int16)
        state[typed] = FULL
        got = [shape_of(ped, mp, state) for mp in fd.missing]
        if len(_FAMILY_SHAPES) > 100_000:
            _FAMILY_SHAPES.clear()
        _FAMILY_SHAPES[key] = got
    return list(got)


_FAMILY_SHAPES: dict = {}


def order_by_shape(
    families: Sequence[FamilyData], *, shapes: Sequence[list[Shape]] | None = None
) -> list[int]:
    """Indices of ``families`` ordered by shape (stable: file order within a shape), so that
    the families of one shape are compiled together whatever their place in the file.
    ``shapes``: each family's :func:`family_shapes`, when already found."""
    shapes = shapes if shapes is not None else [family_shapes(fd) for fd in families]
    keys = [tuple(s.key for s in found) for found in shapes]
    # the distinct keys ranked once: a few dozen, where sorting the keys themselves
    # compares equal nested tuples all the way down
    rank = {k: i for i, k in enumerate(sorted(set(keys)))}
    ranks = [rank[k] for k in keys]
    return sorted(range(len(families)), key=ranks.__getitem__)


def shape_census(
    families: Sequence[FamilyData], *, shapes: Sequence[list[Shape]] | None = None
) -> list[dict]:
    """The shapes found (with every reference typed at any marker counted as typed) and how
    many missing persons have each, most common first: for the run's model file.
    ``shapes``: each family's :func:`family_shapes`, when already found."""
    shapes = shapes if shapes is not None else [family_shapes(fd) for fd in families]
    counts: dict[tuple, list] = {}
    for found in shapes:
        for s in found:
            counts.setdefault(s.key, [s, 0])[1] += 1
    out = sorted(counts.values(), key=lambda sc: (-sc[1], sc[0].key))
    return [{"shape": s.describe(), "persons": len(s.key), "missing_persons": n} for s, n in out]


@dataclass
class ShapeGroup:
    """The rows of one shape: ``rows`` (n,), ``at`` (n, markers) whether the row has this
    shape at the marker, ``alleles`` (n, markers, persons of the shape, 2) its alleles."""

    shape: Shape
    rows: np.ndarray
    at: np.ndarray
    alleles: np.ndarray


@dataclass
class RowShapes:
    """A compile's shape groups (:func:`shape_groups`, over ``n_rows`` rows) and, for each
    row it kept (rows the model refused are left out of its tables), its row in them."""

    groups: list[ShapeGroup]
    n_rows: int
    kept: np.ndarray

    def of_rows(self, out_rows: np.ndarray) -> tuple[list[ShapeGroup], int, np.ndarray]:
        """The groups of the compile's output rows ``out_rows`` (repeats allowed): (the
        groups restricted to those rows, renumbered 0 .. n - 1, n, each given row's new
        number)."""
        want, inv = np.unique(self.kept[np.asarray(out_rows, np.int64)], return_inverse=True)
        pos = np.full(self.n_rows, -1, np.int64)
        pos[want] = np.arange(len(want))
        out = []
        for g in self.groups:
            sel = np.flatnonzero(pos[g.rows] >= 0)
            if len(sel):
                out.append(ShapeGroup(g.shape, pos[g.rows[sel]], g.at[sel], g.alleles[sel]))
        return out, len(want), inv.reshape(-1)


def missing_rows(families) -> tuple[list[int], list[str]]:
    """The rows of a compile, one per missing person (families in order, each family's
    missing persons in order): each row's family index and missing person's id."""
    row_fam = [fi for fi, fd in enumerate(families) for _ in fd.missing]
    mp_id = [mp for fd in families for mp in fd.missing]
    return row_fam, mp_id


def shape_groups(families, states, row_fam, mp_id, n_markers: int) -> list[ShapeGroup]:
    """Every row's shape at every marker, found once per distinct typing pattern of its
    family (most families have their references typed alike at every marker: one shape
    lookup a row, not one per row and marker). ``states``: the families' persons stacked
    (:class:`nasab.search.codes.RefStates`)."""
    st, start = states.state, states.start
    if not row_fam or not n_markers:
        return []
    # families whose every person is typed alike at every marker: one pattern
    alike = np.logical_and.reduceat((st == st[:, :1]).all(axis=1), start[:-1])
    found: dict[tuple, tuple[Shape, dict[int, list]]] = {}
    for r, fi in enumerate(row_fam):
        fam_st = st[start[fi] : start[fi + 1]]
        if alike[fi]:
            patterns = {b"": None}  # every marker
        else:
            patterns = {}
            for m in range(n_markers):
                patterns.setdefault(fam_st[:, m].tobytes(), []).append(m)
        ped = families[fi].family.pedigree
        for ms in patterns.values():
            shape = shape_of(ped, mp_id[r], fam_st[:, 0 if ms is None else ms[0]])
            entry = found.setdefault(shape.key, (shape, {}))[1]
            entry.setdefault(r, []).append((shape.keep, ms))
    start_of_row = start[np.asarray(row_fam, np.int64)]
    return [
        _group(shape, entry, start_of_row, states.alleles, n_markers)
        for shape, entry in found.values()
    ]


def _group(shape: Shape, entry: dict, start_of_row, alleles, n_markers: int) -> ShapeGroup:
    """The :class:`ShapeGroup` of the rows ``entry`` (row -> [(persons kept, markers or None
    for all)]); a row's alleles at markers where it has another shape are left at 0."""
    rows = np.fromiter(entry, np.int64, len(entry))
    parts = list(entry.values())
    if all(len(p) == 1 and p[0][1] is None for p in parts):  # one pattern a row: gathered
        keep = np.array([p[0][0] for p in parts], np.int64).reshape(len(rows), -1)
        got = alleles[start_of_row[rows][:, None] + keep].transpose(0, 2, 1, 3)
        at = np.ones((len(rows), n_markers), bool)
        return ShapeGroup(shape, rows, at, got)
    at = np.zeros((len(rows), n_markers), bool)
    got = np.zeros((len(rows), n_markers, len(shape.keep), 2), np.int64)
    for i, (r, part) in enumerate(zip(rows.tolist(), parts, strict=True)):
        for keep, ms in part:
            ms = slice(None) if ms is None else ms
            at[i, ms] = True
            got[i, ms] = alleles[start_of_row[r] + np.array(keep, np.int64)][:, ms].transpose(
                1, 0, 2
            )
    return ShapeGroup(shape, rows, at, got)


def groups_at(groups: list[ShapeGroup], m: int):
    """(shape, rows, alleles (rows, persons, 2)) of the shapes found at marker ``m``, in the
    order of their first row (as the rows come in the file)."""
    got = []
    for g in groups:
        sel = g.at[:, m]
        if sel.any():
            got.append((g.shape, g.rows[sel], g.alleles[sel, m]))
    got.sort(key=lambda x: int(x[1][0]))
    return got
