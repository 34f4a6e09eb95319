"""The markers where a remain is impossible for a missing person without mutation (the
matches file's ``n_inconsistent``), counted by allele pattern instead of by a second compile
of every missing person kept.

Without mutation, whether the family's data and a genotype of the missing person (MP) are
possible together does not depend on the allele frequencies (all > 0), nor on which alleles
the references carry, only on the *pattern* of their alleles: which typed allele equals
which. Nor does the observation model of a remain or a reference change anything but the
weights, never whether a weight is zero (0 < p < 1 everywhere). So at a marker, every
(family, MP) of one :class:`~nasab.search.shapes.Shape` whose references' alleles have the
same pattern (relabelled by first appearance, :func:`_first_labels`) has the same support:
its table under the no-mutation model is -inf at the same entries, once the remain's alleles
are written in the pattern's labels. The alleles the references do not carry are
exchangeable; an entry names at most two of them and its sums run over genotypes of at most
two more, so four fresh alleles (or as many as the marker has left, when fewer) stand for
them all.

Each distinct (shape, pattern) is compiled once, by the search's own compile
(:func:`nasab.search.stacked.joint_and_likelihood` and :func:`nasab.search.compile.lr_tables`)
over an allele space of its labels and the fresh alleles, with the remains' observation
classes; each pair then costs a lookup per marker. The counts are those of the full
recompile, :func:`nasab.search.engine.inconsistent_counts` (kept as the reference and as the
fallback of shapes whose network is refused: checked pair by pair in ``tests/search``).
"""

from __future__ import annotations

import numpy as np

from nasab.engine.errors import ModelError
from nasab.engine.frequencies import FrequencyTable
from nasab.engine.likelihood import MarkerModel
from nasab.engine.observation import is_silent
from nasab.search.codes import reference_states
from nasab.search.compile import UNTYPED, ModelArrays, lr_tables
from nasab.search.data import FamilyData
from nasab.search.engine import inconsistent_counts as reference_counts
from nasab.search.shapes import ShapeGroup, missing_rows, shape_groups
from nasab.search.stacked import joint_and_likelihood
from nasab.search.tables import _pair, class_starts

FRESH = 4  # alleles standing for those no reference carries (module docstring)
COMPILED_PATTERNS = 200_000  # patterns kept compiled across a run's chunks (a few KB each)
BASE, PARTIAL_ENTRY, UNTYPED_ENTRY = -1, -2, -3  # entry kinds besides the class blocks


def inconsistent_counts(
    families: dict[str, FamilyData],
    layout,
    table: FrequencyTable,
    pairs: list[tuple[str, str, np.ndarray]],
) -> list[int]:
    """For each (family, person, remain codes): markers where the remain's genotype is
    impossible for the missing person without mutation; -1 where the references themselves
    are (the numbers of :func:`nasab.search.engine.inconsistent_counts`). ``layout``: the
    search's :class:`nasab.search.engine.Layout`."""
    from threadpoolctl import threadpool_limits

    if not pairs:
        return []
    entries, spaces = _prepared(layout)
    if entries.silent:
        # a silent allele is seen by no one: under a reference's dropout model it is not
        # one more unseen allele (refdrop.py), so the patterns do not stand for it
        return reference_counts(families, layout, table, pairs)
    with threadpool_limits(limits=1, user_api="blas"):
        return _counts(families, layout, table, pairs, entries, spaces)


def _counts(families, layout, table, pairs, entries: _Entries, spaces: _Spaces) -> list[int]:
    """:func:`inconsistent_counts`: the pairs' rows grouped by shape, then
    :func:`_group_counts`; the rows of shapes whose patterns are refused counted again by
    the full recompile."""
    fams = sorted({(f, p) for f, p, _ in pairs})
    fds = [FamilyData(families[f].family, [p], families[f].line) for f, p in fams]
    where = {fp: i for i, fp in enumerate(fams)}
    prow = np.fromiter((where[(f, p)] for f, p, _ in pairs), np.int64, len(pairs))
    codes = np.stack([np.asarray(c) for _, _, c in pairs]).astype(np.int64)
    row_fam, mp_id = missing_rows(fds)
    groups = shape_groups(fds, reference_states(fds, layout), row_fam, mp_id, len(layout.markers))
    counts, refused = _group_counts(groups, len(fams), prow, codes, layout, entries, spaces)
    if len(refused):
        got = reference_counts(families, layout, table, [pairs[i] for i in refused])
        counts[refused] = got
    return counts.tolist()


def group_counts(
    groups: list[ShapeGroup], n_rows: int, prow: np.ndarray, codes: np.ndarray, layout
) -> tuple[np.ndarray, np.ndarray]:
    """The counts of pairs given by their rows' shape groups (as the compile found them,
    :func:`nasab.search.shapes.kept_groups`: no families needed): ``prow`` each pair's row
    (0 .. n_rows - 1), ``codes`` (pairs, markers) the remains' codes. Returns (counts,
    the pairs left to the full recompile :func:`nasab.search.engine.inconsistent_counts`:
    shapes beyond the memory limit, every pair where a marker has a silent allele)."""
    entries, spaces = _prepared(layout)
    if entries.silent:  # (inconsistent_counts)
        return np.full(len(prow), -1, np.int64), np.arange(len(prow))
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _group_counts(
            groups, n_rows, prow, np.asarray(codes, np.int64), layout, entries, spaces
        )


def _group_counts(groups, n_rows, prow, codes, layout, entries: _Entries, spaces: _Spaces):
    """Each group's rows looked up in its compiled patterns: (counts, refused pairs)."""
    kind, ea, eb = entries.kind[codes], entries.a[codes], entries.b[codes]
    counts = np.zeros(len(prow), np.int64)
    bad = np.zeros(n_rows, bool)
    refused = np.zeros(n_rows, bool)
    by_row = _PairsByRow(prow, n_rows)
    for g in groups:
        try:
            patterns = _Patterns(g, layout, spaces)
        except ModelError:  # beyond the memory limit: the full recompile decides
            refused[g.rows] = True
            continue
        bad[g.rows[patterns.bad_rows]] = True
        sel, li = by_row.of(g.rows)
        pi, mi = np.nonzero(g.at[li] & (kind[sel] != UNTYPED_ENTRY))
        if len(pi):
            out = patterns.impossible(
                li[pi], mi, kind[sel[pi], mi], ea[sel[pi], mi], eb[sel[pi], mi]
            )
            counts += np.bincount(sel[pi], weights=out, minlength=len(prow)).astype(np.int64)
    counts[bad[prow]] = -1
    return counts, np.flatnonzero(refused[prow])


class _PairsByRow:
    """The pairs of each row (``prow``: each pair's row), sorted once: a group finds its
    pairs without a pass over all of them."""

    def __init__(self, prow: np.ndarray, n_rows: int):
        self.order = np.argsort(prow, kind="stable")
        self.bounds = np.searchsorted(prow[self.order], np.arange(n_rows + 1))

    def of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the pairs of ``rows``, each one's place in ``rows``)."""
        first, n = self.bounds[rows], self.bounds[rows + 1] - self.bounds[rows]
        place = np.repeat(np.arange(len(rows)), n)
        start = np.repeat(first - np.concatenate([[0], np.cumsum(n)[:-1]]), n)
        return self.order[start + np.arange(len(place))], place


_PREPARED: dict = {}


def _prepared(layout) -> tuple[_Entries, _Spaces]:
    """The layout's :class:`_Entries` and :class:`_Spaces`, once per layout (a run counts
    chunk by chunk)."""
    key = (tuple(map(tuple, layout.alleles)), layout.classes)
    got = _PREPARED.get(key)
    if got is None:
        if len(_PREPARED) > 16:
            _PREPARED.clear()
        got = _PREPARED[key] = (_Entries(layout), _Spaces(layout))
    return got


class _Entries:
    """What each entry of a compiled row holds (:class:`nasab.search.tables.MarkerTable`):
    ``kind`` (BASE genotype, PARTIAL_ENTRY, UNTYPED_ENTRY or the observation class) and the
    alleles a <= b (local indices of the entry's marker; b = a for one allele); ``silent``:
    whether a marker has a silent allele."""

    def __init__(self, layout):
        self.silent = any(is_silent(a) for alleles in layout.alleles for a in alleles)
        kinds, alist, blist = [], [], []
        for k, table in zip(layout.ks, layout.tables(), strict=True):
            iu, ju = np.triu_indices(k)
            ar = np.arange(k)
            parts = [(BASE, iu, ju), (PARTIAL_ENTRY, ar, ar)]
            for j, drop in enumerate(layout.classes):
                parts.append((j, iu, ju) if drop.dropin > 0 else (j, ar, ar))
            parts.append((UNTYPED_ENTRY, np.zeros(1, np.int64), np.zeros(1, np.int64)))
            assert sum(len(a) for _, a, _ in parts) == table.size
            for j, a, b in parts:
                kinds.append(np.full(len(a), j, np.int64))
                alist.append(a)
                blist.append(b)
        self.kind = np.concatenate(kinds)
        self.a = np.concatenate(alist).astype(np.int64)
        self.b = np.concatenate(blist).astype(np.int64)


class _Spaces:
    """The no-mutation model of a pattern's allele space of S alleles (labels and fresh
    ones; the frequencies do not matter: uniform), once per S."""

    def __init__(self, layout):
        self.layout = layout
        self.models: dict[int, ModelArrays] = {}
        # (shape key, pattern) -> (its impossible entries, references possible): _Patterns
        self.compiled: dict[tuple, tuple[np.ndarray, bool]] = {}
        # (one more False: the index of the entries outside the class blocks)
        self.dropin = np.array([d.dropin > 0 for d in layout.classes] + [False], bool)

    def model(self, s: int) -> ModelArrays:
        got = self.models.get(s)
        if got is None:
            eye = np.eye(s)
            model = MarkerModel(
                f"pattern of {s} alleles",
                tuple(f"a{i}" for i in range(s)),
                np.full(s, 1.0 / s),
                eye,
                eye,
                False,
            )
            got = self.models[s] = ModelArrays(model)
        return got

    def code(self, s: np.ndarray, kind: np.ndarray, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
        """The entries of observations in the tables of S alleles (MarkerTable.code)."""
        lo, hi = np.minimum(la, lb), np.maximum(la, lb)
        pair = _pair(s, lo, hi)
        nu = s * (s + 1) // 2
        cls = np.maximum(kind, 0)
        start = np.take_along_axis(class_starts(s, self.layout.classes), cls[:, None], 1)[:, 0]
        in_block = start + np.where(self.dropin[cls], pair, la)
        return np.where(kind == BASE, pair, np.where(kind == PARTIAL_ENTRY, nu + la, in_block))


def _first_labels(v: np.ndarray) -> np.ndarray:
    """(N, T) alleles -> (N, T) labels by first appearance (0, 1, ... in the order met)."""
    n, t = v.shape
    if t == 0:
        return np.zeros((n, 0), np.int64)
    first = np.argmax(v[:, :, None] == v[:, None, :], axis=2)  # first equal slot
    new = first == np.arange(t)[None, :]
    rank = np.cumsum(new, axis=1) - 1
    return np.take_along_axis(rank, first, axis=1)


def exchangeable_blocks(key: tuple, typed: list[int]) -> list[list[int]]:
    """Groups (of two or more) of typed persons of a shape ``key`` (positions among
    ``typed``) that the network cannot tell apart: the same parents and typing state, not
    the missing person, no children in the shape (siblings typed alike, say). Permuting
    their genotypes changes no probability."""
    parents = {p for fa, mo, _, _ in key for p in (fa, mo) if p >= 0}
    found: dict[tuple, list[int]] = {}
    for pos, i in enumerate(typed):
        fa, mo, st, is_mp = key[i]
        if not is_mp and i not in parents:
            found.setdefault((fa, mo, st), []).append(pos)
    return [b for b in found.values() if len(b) > 1]


def canonical_labels(v: np.ndarray, blocks: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The typed alleles ``v`` (N, T: person by person, two slots each) of N (family, marker)
    items, rearranged in ways that change no probability (the two alleles of a person,
    the persons of an exchangeable block) and relabelled by first appearance, so that
    items of one pattern mostly get one key: (alleles rearranged, their labels). Any
    rearrangement is exact (the key only decides which items share a compile); this one
    sorts each person's pair and each block by labels until nothing moves (a few rounds
    at most)."""
    lab = _first_labels(v)
    n, t = v.shape
    rows = np.arange(n)[:, None]
    for _ in range(4):
        swap = lab[:, 0::2] > lab[:, 1::2]  # (N, persons)
        order = np.arange(t)[None, :].repeat(n, axis=0)
        order[:, 0::2] += swap
        order[:, 1::2] -= swap
        for block in blocks:
            cols = np.array([[2 * p, 2 * p + 1] for p in block])  # (B, 2)
            lo = np.minimum(lab[:, cols[:, 0]], lab[:, cols[:, 1]])
            hi = np.maximum(lab[:, cols[:, 0]], lab[:, cols[:, 1]])
            rank = np.argsort(lo * t + hi, axis=1, kind="stable")  # (N, B)
            src = order[rows, cols[rank].reshape(n, -1)]
            order[:, cols.reshape(-1)] = src
        if (order == np.arange(t)[None, :]).all():
            break
        v = v[rows, order]
        new = _first_labels(v)
        if np.array_equal(new, lab):
            break
        lab = new
    return v, lab


def _unique_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, axis=0, return_inverse=True) of small non-negative integers, through
    one integer a row where they fit in 62 bits (sorting rows whole is slow)."""
    n, t = key.shape
    bits = max(1, int(key.max()).bit_length()) if key.size else 1
    if bits * t > 62:
        uniq, inv = np.unique(key, axis=0, return_inverse=True)
        return uniq, inv.reshape(-1)
    packed = np.zeros(n, np.int64)
    for j in range(t):
        packed = (packed << bits) | key[:, j]
    _, first, inv = np.unique(packed, return_index=True, return_inverse=True)
    return key[first], inv.reshape(-1)


class _Patterns:
    """The distinct patterns of one shape group at its markers, each compiled once."""

    def __init__(self, g: ShapeGroup, layout, spaces: _Spaces):
        shape = g.shape
        state = shape.state
        tidx = [i for i in range(len(state)) if state[i] != UNTYPED]
        ir, im = np.nonzero(g.at)
        self.item = np.full(g.at.shape, -1, np.int64)
        self.item[ir, im] = np.arange(len(ir))
        v = g.alleles[ir, im][:, tidx, :].reshape(len(ir), 2 * len(tidx))
        v, lab = canonical_labels(v, exchangeable_blocks(shape.key, tidx))
        n_lab = lab.max(axis=1) + 1 if lab.shape[1] else np.zeros(len(ir), np.int64)
        ks = np.asarray(layout.ks, np.int64)
        fresh = np.minimum(FRESH, ks[im] - n_lab)
        key = np.concatenate([lab, fresh[:, None]], axis=1)
        uniq, inv = _unique_rows(key)
        size = np.empty(len(uniq), np.int64)
        size[inv] = n_lab + fresh  # labels and fresh alleles: the same for a pattern's items
        self.v, self.lab, self.n_lab, self.pattern = v, lab, n_lab, inv
        self.size = size  # S of each pattern
        # each distinct pattern compiled once a run (the patterns of a shape recur from chunk
        # to chunk): its impossible entries and whether the references are possible
        keys = [(shape.key, row.tobytes()) for row in uniq]
        known = spaces.compiled
        if len(known) > COMPILED_PATTERNS:
            known.clear()
        todo = np.array([i for i, k in enumerate(keys) if k not in known], np.int64)
        if len(todo):
            self._compile(shape, tidx, uniq, size, todo, keys, layout, spaces)
        got = [known[k] for k in keys]
        widths = np.fromiter((len(no) for no, _ in got), np.int64, len(got))
        self.offset = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64)
        lik_ok = np.fromiter((ok for _, ok in got), bool, len(got))
        parts = [no for no, _ in got]
        self.no = np.concatenate(parts)  # impossible entries, pattern by pattern
        self.bad_rows = np.unique(ir[~lik_ok[inv]])
        self.spaces = spaces

    @staticmethod
    def _compile(shape, tidx, uniq, size, todo, keys, layout, spaces: _Spaces) -> None:
        """The patterns ``todo`` (indices into ``uniq``) compiled, size by size, into
        ``spaces.compiled``."""
        state = shape.state
        ped = shape.pedigree()
        mp = ped.ids[shape.mp]
        for s in np.unique(size[todo]).tolist():
            us = todo[size[todo] == s]
            alle = np.zeros((len(us), len(state), 2), np.int64)
            alle[:, tidx, :] = uniq[us, :-1].reshape(len(us), len(tidx), 2)
            ma = spaces.model(s)
            sums, lik = joint_and_likelihood(ped, mp, state, alle, ma, sums=True)
            tab = np.isneginf(lr_tables(sums, lik, ma.model.freqs, layout.classes))
            for j, u in enumerate(us.tolist()):
                spaces.compiled[keys[u]] = (tab[j], bool(np.asarray(lik)[j] > 0))

    def impossible(self, rows, markers, kind, a, b) -> np.ndarray:
        """Whether each remain observation (entry kind, alleles a <= b of the marker) at
        (row, marker) of the group is impossible for its missing person."""
        it = self.item[rows, markers]
        v, lab, n = self.v[it], self.lab[it], self.n_lab[it]
        ia = v == a[:, None]
        ib = v == b[:, None]
        ha, hb = ia.any(axis=1), ib.any(axis=1)
        rr = np.arange(len(it))
        la = np.where(ha, lab[rr, np.argmax(ia, axis=1)] if v.shape[1] else 0, n)
        lb_fresh = np.where(b == a, la, np.where(ha, n, n + 1))
        lb = np.where(hb, lab[rr, np.argmax(ib, axis=1)] if v.shape[1] else 0, lb_fresh)
        p = self.pattern[it]
        code = self.spaces.code(self.size[p], kind, la, lb)
        return self.no[self.offset[p] + code]
