"""The markers inconsistent without mutation, counted by allele pattern
(:func:`nasab.search.inconsistency.inconsistent_counts`), are those of the full no-mutation
recompile (:func:`nasab.search.engine.inconsistent_counts`, the reference) on every pair of
small simulated sets: perturbed references (Mendelian inconsistencies, partial genotypes,
dropout and drop-in), degraded remains of several observation classes, theta, the stepwise
and proportional layouts, and marker tables of a few alleles (fewer than four left unseen)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nasab.engine.genotypes import Profile
from nasab.engine.mutation import mutation_specs
from nasab.engine.observation import DropModel
from nasab.search import engine as E
from nasab.search import inconsistency as I
from nasab.search.data import FamilyData, read_families, read_remains
from nasab.search.run import load_table
from nasab.sim.simulate import simulate

REMAIN_CLASSES = (DropModel(0.1), DropModel(0.2, None, 0.05), DropModel(0.15, 0.05))
REFERENCE_DROPS = (DropModel(0.1), DropModel(0.1, None, 0.03), DropModel(0.2, 0.01))
_REFUSING = {"on": False}  # whether a test refuses some networks (the recompile counts those)


def _alleles(tabx, m):
    return list(tabx[m].alleles)


def _perturbed_families(fam, tabx, rng, rate: float, drops: bool) -> list[FamilyData]:
    """References with some alleles replaced at random (inconsistencies, new patterns), some
    genotypes partial (a/-), some markers untyped (in one reference or the whole family),
    and with ``drops`` a dropout model on some references."""
    out = []
    for fd in fam.families:
        genos = {}
        gone = {E.marker_key(m) for m in fam.markers if rng.random() < 0.1}
        for pid, g in fd.family.genotypes.items():
            new = {}
            for k, gt in g.items():
                if k in gone or rng.random() < rate / 2:
                    continue
                if gt is not None and gt[0] is not None and rng.random() < rate:
                    m = next(m for m in fam.markers if E.marker_key(m) == k)
                    a = str(rng.choice(_alleles(tabx, m)))
                    gt = (a, None) if rng.random() < 0.2 else (a, gt[1])
                new[k] = gt
            genos[pid] = new
        family = dataclasses.replace(fd.family, genotypes=genos)
        if drops:
            chosen = {
                pid: REFERENCE_DROPS[int(rng.integers(len(REFERENCE_DROPS)))]
                for pid in genos
                if rng.random() < 0.4
            }
            family = dataclasses.replace(family, drops=chosen)
        out.append(FamilyData(family, fd.missing, fd.line))
    return out


def _degraded_remains(rem, rng, classes: bool) -> list[Profile]:
    """Remains with some heterozygotes made single (a/F) or partial (a/-), some markers
    untyped, and with ``classes`` each under one of several observation models."""
    out = []
    for p in rem.profiles:
        g = {}
        for k, v in p.genotypes.items():
            u = rng.random()
            if v[0] is not None and u < 0.15:
                v = (v[0], "F") if classes else (v[0], v[0])
            elif v[0] is not None and u < 0.25:
                v = (v[1], None)
            elif u < 0.3:
                v = (None, None)
            g[k] = v
        drop = REMAIN_CLASSES[int(rng.integers(len(REMAIN_CLASSES)))] if classes else None
        out.append(Profile(p.id, g, p.sex, p.markers, drop=drop))
    return out


def _check(folder, seed, model, classes, drops, theta=0.0, freqs=None) -> int:
    rng = np.random.default_rng(seed)
    table = load_table(freqs)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    families = _perturbed_families(fam, tabx, rng, 0.03, drops)
    profiles = _degraded_remains(rem, rng, classes)
    models = E.build_models(tabx, fam.markers, mutation_specs(fam.markers, model))
    layout = E.Layout(
        fam.markers,
        [list(m.alleles) for m in models],
        0.05 if classes else 0.0,
        classes=REMAIN_CLASSES if classes else None,
        theta=theta,
    )
    codes = layout.codes(profiles)
    by_name = {fd.family.name: fd for fd in families}
    pairs = [
        (fd.family.name, mp, codes[j])
        for fd in families
        for mp in fd.missing
        for j in range(len(profiles))
    ]
    pairs = [pairs[i] for i in rng.permutation(len(pairs))]
    want = E.inconsistent_counts(by_name, layout, tabx, pairs)
    got = I.inconsistent_counts(by_name, layout, tabx, pairs)
    assert got == want
    _check_from_the_compile(families, layout, models, tabx, codes, rng)
    return sum(1 for w in want if w > 0)


def _check_from_the_compile(families, layout, models, tabx, codes, rng) -> None:
    """The counts from the shape groups the compile found (what the counting process gets
    instead of the families, :mod:`nasab.search.counting`), for kept pairs drawn with
    repeats: those of the full recompile; the pairs it leaves are those of refused shapes
    or silent alleles only."""
    found: list = []
    rows, _, _ = E.compile_families(families, layout, models, on_error="skip", shapes=found)
    if layout.theta > 0:
        assert found == []  # the theta compile finds no shape groups
        return
    (shapes,) = found
    f = rng.integers(0, len(rows), size=400)
    r = rng.integers(0, len(codes), size=400)
    groups, n_rows, prow = shapes.of_rows(f)
    assert n_rows == len(set(f.tolist()))
    counts, left = I.group_counts(groups, n_rows, prow, codes[r], layout)
    by_name = {fd.family.name: fd for fd in families}
    pairs = [(*rows[i], codes[j]) for i, j in zip(f.tolist(), r.tolist(), strict=True)]
    want = E.inconsistent_counts(by_name, layout, tabx, pairs)
    done = np.ones(len(pairs), bool)
    done[left] = False
    assert counts[done].tolist() == [w for w, d in zip(want, done, strict=True) if d]
    if len(left):
        assert I._prepared(layout)[0].silent or _REFUSING["on"]


@pytest.fixture(scope="module")
def sims(tmp_path_factory):
    out = []
    for seed in (3, 17):
        folder = tmp_path_factory.mktemp(f"sim_incons_{seed}")
        simulate(20, 16, seed, folder)
        out.append(folder)
    return out


@pytest.mark.parametrize(
    ("model", "classes", "drops", "theta"),
    [
        ("proportional", False, False, 0.0),
        ("stepwise", True, False, 0.0),
        ("proportional", True, True, 0.0),
        ("none", False, True, 0.0),
        ("proportional", False, False, 0.02),
    ],
)
def test_counts_match_the_full_recompile(sims, model, classes, drops, theta) -> None:
    found = 0
    for k, folder in enumerate(sims):
        found += _check(folder, 100 + k, model, classes, drops, theta)
    assert found > 0  # some markers counted, not only zeros


def test_counts_with_few_alleles(tmp_path) -> None:
    """Markers of three to five alleles: fewer than four left unseen by the references."""
    freqs = tmp_path / "freqs.txt"
    rng = np.random.default_rng(5)
    from nasab.sim.simulate import KIT_24

    lines = []
    for m in KIT_24:
        n = int(rng.integers(3, 6))
        p = rng.dirichlet(np.ones(n))
        lines += [m] + [f"{10 + i}\t{q:.6f}" for i, q in enumerate(p)] + [""]
    freqs.write_text("\n".join(lines))
    folder = tmp_path / "sim"
    simulate(10, 12, 9, folder, freqs=freqs)
    assert _check(folder, 1, "proportional", True, True, freqs=freqs) >= 0


def test_canonical_labels_rearrange_exactly() -> None:
    """Persons' pairs and exchangeable persons sorted, labels by first appearance: the
    labels stay a relabelling of the alleles moved with them."""
    rng = np.random.default_rng(0)
    v = rng.integers(0, 5, size=(200, 8))
    blocks = [[1, 2, 3]]
    w, lab = I.canonical_labels(v.copy(), blocks)
    for a, b, c in zip(v, w, lab, strict=True):
        assert sorted(a[:2]) == sorted(b[:2])  # person 0 stays
        people = sorted(tuple(sorted(a[2 * p : 2 * p + 2])) for p in (1, 2, 3))
        assert people == sorted(tuple(sorted(b[2 * p : 2 * p + 2])) for p in (1, 2, 3))
        # one label per allele and one allele per label
        assert len({(x, y) for x, y in zip(b, c, strict=True)}) == len(set(b)) == len(set(c))
    assert len({tuple(x) for x in lab}) <= len({tuple(x) for x in I._first_labels(v)})


def test_refused_networks_are_counted_by_the_recompile(small_sim, monkeypatch) -> None:
    """A shape whose network is refused (beyond the memory limit) is counted by the full
    recompile: the same numbers."""
    from nasab.engine.errors import ModelError

    real = I.joint_and_likelihood
    calls = [0]

    def sometimes_refused(*args, **kw):
        calls[0] += 1
        if calls[0] % 3 == 0:
            raise ModelError("beyond the memory limit (test)")
        return real(*args, **kw)

    monkeypatch.setattr(I, "joint_and_likelihood", sometimes_refused)
    monkeypatch.setattr(I, "_PREPARED", {})  # no patterns compiled by another test
    monkeypatch.setitem(_REFUSING, "on", True)
    folder, _ = small_sim
    assert _check(folder, 7, "proportional", True, False) >= 0
    assert calls[0] >= 3
