"""The search's bookkeeping done once per distinct value instead of per cell (issue 19, the
Python overhead at national scale) gives what the plain loops give: the references' typing
states, the shape groups, the remains' table codes, the extended frequency table, the joint
sums; each against a brute-force loop on random families and profiles."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import table_of

from nasab.engine.collector import frozen, loading
from nasab.engine.errors import InputError, PedigreeError
from nasab.engine.frequencies import marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.observation import DROPOUT_MARK, DropModel, observed_alleles
from nasab.engine.pedigree import Pedigree, Person
from nasab.search import engine as E
from nasab.search.codes import reference_states
from nasab.search.compile import FULL, PARTIAL
from nasab.search.data import FamilyData, Remains
from nasab.search.refdrop import state_for
from nasab.search.shapes import groups_at, missing_rows, shape_groups, shape_of
from nasab.search.tables import JointSums, MarkerTable

MARKERS = ["M1", "M2", "M3"]
ALLELES = [["7", "8", "9", "10"], ["11", "12", "13"], ["5", "6", "7", "8", "9"]]
# (id, father, mother, sex): a missing person with parents, siblings, grandparents, a child
PERSONS = [
    ("GF", None, None, 1),
    ("GM", None, None, 2),
    ("F", "GF", "GM", 1),
    ("M", None, None, 2),
    ("MP", "F", "M", 1),
    ("S1", "F", "M", 2),
    ("S2", "F", "M", 1),
    ("W", None, None, 2),
    ("K", "MP", "W", 1),
]
MODELS = [DropModel(0.0), DropModel(0.1), DropModel(0.2, None, 0.05), DropModel(0.3, 0.01)]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def genotypes(draw, m: int):
    al = ALLELES[m]
    kind = draw(st.sampled_from(["untyped", "full", "full", "partial", "single"]))
    if kind == "untyped":
        return draw(st.sampled_from([None, (None, None)]))
    a = draw(st.sampled_from(al))
    if kind == "partial":
        return (a, None)
    if kind == "single":  # a/F: only with a dropout model (see families())
        return (a, DROPOUT_MARK)
    return (a, draw(st.sampled_from(al)))


@st.composite
def families(draw, name: str):
    """A family of some of PERSONS (MP and its parents always) with random typing and,
    sometimes, references under dropout models (per person and per marker)."""
    extra = draw(st.sets(st.sampled_from(["GF", "S1", "S2", "W", "K"])))
    ids = {"F", "M", "MP"} | extra
    if "GF" in ids:
        ids.add("GM")
    if "K" in ids:
        ids.add("W")
    persons = [
        Person(i, f if f in ids else None, mo if mo in ids else None, s)
        for i, f, mo, s in PERSONS
        if i in ids
    ]
    persons = [
        p if (p.father is None) == (p.mother is None) else Person(p.id, None, None, p.sex)
        for p in persons
    ]
    order = draw(st.permutations(persons))
    ped = Pedigree(tuple(order))
    dropped = draw(st.booleans())
    genos, drops, marker_drops = {}, {}, {}
    for pid in sorted(ids - {"MP"}):
        g = {}
        for m, mk in enumerate(MARKERS):
            gt = draw(genotypes(m))
            if gt is not None and (dropped or gt[1] != DROPOUT_MARK):
                g[marker_key(mk)] = gt
        if g or draw(st.booleans()):
            genos[pid] = g
        if dropped and draw(st.booleans()):
            drops[pid] = draw(st.sampled_from(MODELS))
        if dropped and draw(st.booleans()):
            mk = marker_key(draw(st.sampled_from(MARKERS)))
            marker_drops.setdefault(mk, {})[pid] = draw(st.sampled_from(MODELS))
    if not dropped:  # a/F is no reference's genotype without a dropout model
        genos = {
            p: {k: g for k, g in gs.items() if g[1] != DROPOUT_MARK} for p, gs in genos.items()
        }
    else:  # every reference with an a/F genotype has a dropout model at that marker
        for p, gs in genos.items():
            if any(g[1] == DROPOUT_MARK for g in gs.values()):
                drops[p] = MODELS[1]
                for per in marker_drops.values():
                    per.pop(p, None)
    missing = ["MP"] + (["K"] if "K" in ids and "K" not in genos and draw(st.booleans()) else [])
    fam = Family(ped, MARKERS, genos, name, drops=drops, marker_drops=marker_drops)
    return FamilyData(fam, missing, 1)


def _layout() -> E.Layout:
    return E.Layout(MARKERS, [list(a) for a in ALLELES])


def _loop_states(fd: FamilyData, layout: E.Layout):
    """(M, n) typing states and (M, n, 2) allele indices, person by person and marker by
    marker: the plain loop the search's coded states must equal."""
    fam, ped = fd.family, fd.family.pedigree
    maps = [{a: i for i, a in enumerate(al)} for al in layout.alleles]
    state = np.zeros((len(layout.markers), len(ped)), np.int16)
    alle = np.zeros((len(layout.markers), len(ped), 2), np.int64)
    for pid, g in fam.genotypes.items():
        i = ped.index(pid)
        for m, mk in enumerate(layout.markers):
            gt = g.get(marker_key(mk))
            if gt is None or gt[0] is None:
                continue
            a = maps[m][gt[0]]
            drop = fam.drops_for(mk).get(pid)
            if drop is not None and not drop.trivial:
                b = a if gt[1] in (None, DROPOUT_MARK) else maps[m][gt[1]]
                state[m, i], alle[m, i] = state_for(drop, 1 if a == b else 2), (a, b)
            elif gt[1] is None:
                state[m, i], alle[m, i] = PARTIAL, (a, a)
            else:
                state[m, i], alle[m, i] = FULL, (a, maps[m][gt[1]])
    return state, alle


@SETTINGS
@given(st.lists(st.integers(0, 2**31), min_size=1, max_size=6), st.data())
def test_coded_states_and_shape_groups_equal_the_plain_loops(seeds, data):
    fams = [data.draw(families(f"FAM{k}")) for k in range(len(seeds))]
    layout = _layout()
    got = reference_states(fams, layout)
    loops = [_loop_states(fd, layout) for fd in fams]
    for f, (state, alle) in enumerate(loops):
        rows = slice(got.start[f], got.start[f + 1])
        np.testing.assert_array_equal(got.state[rows], state.T)
        np.testing.assert_array_equal(got.alleles[rows], alle.transpose(1, 0, 2))
    # each row's shape at each marker, looked up one by one, grouped at each marker
    row_fam, mp_id = missing_rows(fams)
    groups = shape_groups(fams, got, row_fam, mp_id, len(MARKERS))
    for m in range(len(MARKERS)):
        want: dict[tuple, tuple[list, list]] = {}
        for r, fi in enumerate(row_fam):
            state, alle = loops[fi]
            shape = shape_of(fams[fi].family.pedigree, mp_id[r], state[m])
            rows, al = want.setdefault(shape.key, ([], []))
            rows.append(r)
            al.append(alle[m][list(shape.keep)])
        found = groups_at(groups, m)
        assert [s.key for s, _, _ in found] == list(want)
        for shape, rows, al in found:
            assert rows.tolist() == want[shape.key][0]
            np.testing.assert_array_equal(al, np.array(want[shape.key][1]))


def _loop_codes(layout: E.Layout, profiles) -> np.ndarray:
    """Each profile's table index at each marker, cell by cell."""
    maps = [{a: i for i, a in enumerate(al)} for al in layout.alleles]
    tables, offs = layout.tables(), layout.offsets
    out = np.empty((len(profiles), len(layout.markers)), np.int32)
    for r, p in enumerate(profiles):
        for m, mk in enumerate(layout.markers):
            g = p.genotypes.get(marker_key(mk))
            if g is None or g[0] is None:
                out[r, m] = offs[m] + tables[m].untyped
                continue
            cls = layout.class_of(p.drop_for(mk) or layout.default_drop, p.id)
            single = g[1] == DROPOUT_MARK
            b = None if single or g[1] is None else maps[m][g[1]]
            out[r, m] = offs[m] + tables[m].code(maps[m][g[0]], b, single, cls)
    return out


@SETTINGS
@given(st.data())
def test_remain_codes_and_extended_table_equal_the_plain_loops(data):
    profiles = []
    for r in range(data.draw(st.integers(1, 8))):
        g = {}
        for m, mk in enumerate(MARKERS):
            gt = data.draw(genotypes(m))
            if gt is not None:
                g[marker_key(mk)] = gt
        drop = data.draw(st.sampled_from([None, *MODELS]))
        per = data.draw(
            st.dictionaries(
                st.sampled_from([marker_key(m) for m in MARKERS]),
                st.sampled_from(MODELS[1:]),
                max_size=2,
            )
        )
        profiles.append(Profile(f"R{r}", g, 0, MARKERS, drop=drop, marker_drops=per))
    layout = E.Layout(MARKERS, [list(a) for a in ALLELES], 0.1, 0.0, tuple(MODELS))
    np.testing.assert_array_equal(layout.codes(profiles), _loop_codes(layout, profiles))
    # the extended table: the table's alleles and every allele seen, at each marker
    fams = [data.draw(families("FAM"))]
    table = table_of({m: {"7": 0.5, "8": 0.5} for m in MARKERS})
    remains = Remains([p.id for p in profiles], [], profiles, [])
    tab = E.extended_table(table, MARKERS, fams, remains)
    typed = [*fams[0].family.genotypes.values(), *(p.genotypes for p in profiles)]
    for mk in MARKERS:
        seen = {a for g in typed for a in observed_alleles(g.get(marker_key(mk), (None, None)))}
        assert set(tab[mk].alleles) == {"7", "8"} | seen


def test_a_remain_of_an_uncompiled_class_is_named():
    layout = E.Layout(MARKERS, [list(a) for a in ALLELES], 0.0, 0.0, (MODELS[1],))
    ok = Profile("R1", {marker_key("M1"): ("7", "8")}, 0, MARKERS, drop=MODELS[1])
    untyped = Profile("R2", {}, 0, MARKERS, drop=MODELS[2])  # not typed: no class asked
    bad = Profile("R3", {marker_key("M2"): ("11", "12")}, 0, MARKERS, drop=MODELS[2])
    layout.codes([ok, untyped])
    with pytest.raises(InputError, match="remain R3: .* not among the compiled classes"):
        layout.codes([ok, untyped, bad])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_joint_sums_equal_the_plain_sums(b, k, seed):
    joint = np.random.default_rng(seed).random((b, k, k)) ** 3
    s = JointSums.of(joint)
    iu, ju = np.triu_indices(k)
    # bit for bit: the same additions (J[a, b] + J[b, a]) as the formula
    np.testing.assert_array_equal(
        s.pairs, np.where(iu == ju, joint[:, iu, ju], joint[:, iu, ju] + joint[:, ju, iu])
    )
    np.testing.assert_array_equal(s.diag, joint[:, np.arange(k), np.arange(k)])
    np.testing.assert_array_equal(s.trace, s.diag.sum(axis=1))
    np.testing.assert_array_equal(s.total, joint.sum(axis=(1, 2)))
    np.testing.assert_array_equal(s.rowcol, joint.sum(axis=2) + joint.sum(axis=1))
    assert MarkerTable(k).n_unordered == s.pairs.shape[1]


def test_pedigree_checked_once_per_structure_still_refuses_and_keeps_lines():
    a = Pedigree(
        (Person("K", "F", "M", 1, 4), Person("F", None, None, 1, 2), Person("M", None, None, 2, 3))
    )
    b = Pedigree(
        (
            Person("K", "F", "M", 1, 14),
            Person("F", None, None, 1, 12),
            Person("M", None, None, 2, 13),
        )
    )
    assert a.ids == b.ids == ["F", "M", "K"]
    assert [p.line for p in b.persons] == [12, 13, 14]
    with pytest.raises(PedigreeError, match="recorded as male"):
        Pedigree(
            (
                Person("K", "F", "M", 1, 4),
                Person("F", None, None, 1, 2),
                Person("M", None, None, 1, 3),
            )
        )


def test_collector_blocks_restore_it():
    assert gc.isenabled()
    with loading():  # outside a frozen block: nothing is frozen
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with frozen():
        with loading():
            assert not gc.isenabled()
            with loading():
                assert not gc.isenabled()
            assert not gc.isenabled()
            kept = [[] for _ in range(100)]
        assert gc.isenabled()
        n = gc.get_freeze_count()
        assert n >= len(kept)  # what was read is left out of collections
        with frozen():
            pass
        assert gc.get_freeze_count() >= n  # an inner block does not unfreeze
    assert gc.get_freeze_count() == 0
