"""The power path scores profiles exactly as ``nasab lr`` does (issue 22).

1. Profiles drawn from the power path, scored by ``nasab lr`` (the engine's
   missing_person_lr): identical LRs, under every mutation model, theta and dropout.
2. An independent brute-force simulation over specific alleles on small pedigrees
   (parent-child, full siblings, half siblings; each mutation model): gene dropping
   through the whole pedigree with mutation, kept when the references' genotypes come out
   as observed (rejection), the MP's genotype scored by ``nasab lr``. P(LR >= t) agrees
   within Monte Carlo error and the exact expected log10 LR equals the brute-force mean.
3. public_01 (parent-child, equal mutation): P(LR >= 1e4) against the independent
   brute force of the issue (0.9888 +- 0.0002, 240,000 draws).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel
from nasab.engine.pedigree import Pedigree
from nasab.formats.io import read_case
from nasab.power.analysis import PowerAnalysis, simulate_log10_lr

MODELS = ("none", "equal", "proportional", "stepwise", "onestep")


def spec(model: str, rate: float = 0.06) -> MutationSpec | None:
    if model == "none":
        return None
    return (
        MutationSpec(model, rate, rate, 0.0, 0.0, 0.5, 0.5)
        if model == "stepwise"
        else MutationSpec(model, rate, rate)
    )


def small_table(n_markers: int, n_alleles: int, seed: int = 11) -> FrequencyTable:
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(n_markers):
        name = f"M{i + 1}"
        out[marker_key(name)] = MarkerFrequencies(
            name, [str(a + 8) for a in range(n_alleles)], rng.dirichlet(np.full(n_alleles, 2.0))
        )
    return FrequencyTable(out, source="synthetic")


PEDIGREES = {
    # (records, typed references): the MP is "MP"
    "parent-child": (
        [("FA", None, None, 1), ("MO", None, None, 2), ("MP", "FA", "MO", 1)],
        ("MO",),
    ),
    "siblings": (
        [
            ("FA", None, None, 1),
            ("MO", None, None, 2),
            ("MP", "FA", "MO", 1),
            ("S1", "FA", "MO", 2),
        ],
        ("S1",),
    ),
    "half-siblings": (
        [
            ("FA", None, None, 1),
            ("MO", None, None, 2),
            ("M2", None, None, 2),
            ("MP", "FA", "MO", 1),
            ("H1", "FA", "M2", 1),
        ],
        ("H1",),
    ),
}


# -- an independent simulation over specific alleles ---------------------------------------
def _drop(records, freqs, mats, n, rng):
    """n gene drops of one marker through the pedigree: ordered allele pairs per person."""
    k = len(freqs)
    alle = {}
    for pid, fa, mo, _sex in records:
        if fa is None:
            alle[pid] = rng.choice(k, size=(n, 2), p=freqs / freqs.sum())
            continue
        pair = []
        for parent, mat in ((fa, mats[1]), (mo, mats[0])):
            got = alle[parent][np.arange(n), rng.integers(2, size=n)]
            if mat is not None:  # each allele mutates by its row of the matrix
                cdf = np.cumsum(mat[got], axis=1)
                got = (rng.random(n)[:, None] > cdf).sum(axis=1).clip(0, k - 1)
            pair.append(got)
        alle[pid] = np.stack(pair, axis=1)
    return alle


def brute_force(table, markers, records, typed, observed, mutation, n_keep, rng):
    """(log10 LR per kept profile, summed over markers): per marker, drops kept when the
    references' unordered genotypes equal the observed ones; the MP's genotypes of the
    kept drops scored by nasab lr."""
    ped = Pedigree.from_records(records)
    fam = Family(ped, list(markers), {p: observed[p] for p in typed})
    total = np.zeros(n_keep)
    for mk in markers:
        mf = table[mk]
        freqs = np.asarray(mf.freqs, float)
        mats = (None, None)
        if mutation is not None:
            mats = mutation.matrices(mf.alleles, mf.freqs)
        kept: list[np.ndarray] = []
        while sum(len(x) for x in kept) < n_keep:
            alle = _drop(records, freqs, mats, 200_000, rng)
            ok = np.ones(200_000, bool)
            for p in typed:
                want = sorted(mf.alleles.index(a) for a in observed[p][marker_key(mk)])
                ok &= (np.sort(alle[p], axis=1) == want).all(axis=1)
            kept.append(np.sort(alle["MP"][ok], axis=1))
        mp = np.concatenate(kept)[:n_keep]
        cache: dict[tuple[int, int], float] = {}
        for i, (a, b) in enumerate(mp):
            key = (int(a), int(b))
            if key not in cache:
                poi = Profile("POI", {marker_key(mk): (mf.alleles[a], mf.alleles[b])})
                cache[key] = missing_person_lr(
                    fam, "MP", poi, table, {mk: mutation} if mutation else None, [mk]
                ).log10_lr
            total[i] += cache[key]
    return total


def _family(table, markers, records, typed, mutation, seed):
    ped = Pedigree.from_records(records)
    rng = np.random.default_rng(seed)
    obs = {}
    for p in typed:
        obs[p] = {}
    for mk in markers:
        mf = table[mk]
        mats = mutation.matrices(mf.alleles, mf.freqs) if mutation else (None, None)
        alle = _drop(records, np.asarray(mf.freqs), mats, 1, rng)
        for p in typed:
            a, b = sorted(alle[p][0])
            obs[p][marker_key(mk)] = (mf.alleles[a], mf.alleles[b])
    return Family(ped, list(markers), obs, "F"), obs


@pytest.mark.parametrize("kind", list(PEDIGREES))
@pytest.mark.parametrize("model", MODELS)
def test_against_brute_force_over_specific_alleles(kind, model):
    table = small_table(4, 5)
    markers = [m.name for m in table.markers.values()]
    records, typed = PEDIGREES[kind]
    mutation = spec(model)
    fam, obs = _family(table, markers, records, typed, mutation, seed=MODELS.index(model))
    mut = {m: mutation for m in markers} if mutation else None
    pa = PowerAnalysis(fam, "MP", table, mut, markers)
    tabs = pa.tables()
    n = 4000
    rel, _ = simulate_log10_lr(tabs, 40_000, np.random.default_rng(5))
    brute = brute_force(table, markers, records, typed, obs, mutation, n, np.random.default_rng(6))
    exact = sum(t.expected_log10_lr for t in tabs)
    se_mean = brute.std() / math.sqrt(n)
    assert abs(exact - brute.mean()) < 4.5 * se_mean + 1e-9, (exact, brute.mean(), se_mean)
    for lt in np.quantile(brute, [0.2, 0.5, 0.8]):
        p_power = float((rel >= lt - 1e-9).mean())
        p_brute = float((brute >= lt - 1e-9).mean())
        se = math.sqrt(p_power * (1 - p_power) / len(rel) + p_brute * (1 - p_brute) / n)
        assert abs(p_power - p_brute) < 4.5 * se + 1e-9, (lt, p_power, p_brute, se)


def _check_profiles(fam, mp, table, mutations, markers, n, *, theta=0.0, poi_drop=None):
    pa = PowerAnalysis(fam, mp, table, mutations, markers, theta=theta, poi_drop=poi_drop)
    for poi, lg in pa.simulate_profiles(n, seed=3):
        res = missing_person_lr(fam, mp, poi, table, mutations, markers, theta=theta)
        assert math.isclose(res.log10_lr, lg, rel_tol=1e-9, abs_tol=1e-9), (res.log10_lr, lg)


@pytest.mark.parametrize("model", MODELS)
def test_drawn_profiles_score_as_nasab_lr(public_root, model):
    c = read_case(public_root / "public_01_parent_child_mother_true")
    mut = {m: spec(model, 0.01) for m in c.markers} if model != "none" else None
    _check_profiles(c.family, c.missing, c.table, mut, c.markers[:6], 15)


@pytest.mark.parametrize(
    "case",
    [
        "public_04_full_sibs_1_true",
        "public_07_half_sibs_paternal_true",
        "public_11_cousin_marriage_fa_sb_true",
        "public_13_both_parents_inconsistent_mutation",
    ],
)
def test_drawn_profiles_score_as_nasab_lr_on_cases(public_root, case):
    c = read_case(public_root / case)
    _check_profiles(c.family, c.missing, c.table, c.mutations, c.markers[:5], 10)


def test_drawn_profiles_score_as_nasab_lr_with_theta_and_dropout(public_root):
    c = read_case(public_root / "public_04_full_sibs_1_true")
    markers = c.markers[:3]
    _check_profiles(c.family, c.missing, c.table, c.mutations, markers, 8, theta=0.02)
    _check_profiles(c.family, c.missing, c.table, c.mutations, markers, 12, poi_drop=DropModel(0.2))
    _check_profiles(
        c.family,
        c.missing,
        c.table,
        c.mutations,
        markers,
        6,
        theta=0.02,
        poi_drop=DropModel(0.1, 0.05),
    )


def test_probabilities_within_bounds_and_per_marker_figures(public_root):
    for case in sorted(public_root.iterdir()):
        c = read_case(case)
        p = PowerAnalysis(c.family, c.missing, c.table, c.mutations, c.markers).power(500)
        assert 0.0 <= p.exclusion_probability <= 1.0
        assert all(0.0 <= v <= 1.0 for v in p.per_marker_exclusion.values())
        assert set(p.per_marker_expected) == set(p.per_marker_exclusion) == set(c.markers)
        assert math.isclose(sum(p.per_marker_expected.values()), p.expected_log10_lr, abs_tol=1e-9)
        for d in (p.p_exceed, p.p_exceed_unrelated):
            assert all(0.0 <= v <= 1.0 for v in d.values())
        js = p.to_json()
        assert "exclusion_probability_per_marker" in js and "expected_log10LR_per_marker" in js


def test_nothing_excluded_is_exactly_zero():
    table = small_table(3, 4)
    markers = [m.name for m in table.markers.values()]
    # the MP's sibling typed: no genotype is impossible for a sibling
    ped = Pedigree.from_records(PEDIGREES["siblings"][0])
    fam = Family(ped, markers, {"S1": {marker_key(m): ("8", "9") for m in markers}})
    p = PowerAnalysis(fam, "MP", table).power(200)
    assert p.exclusion_probability == 0.0
    assert all(v == 0.0 for v in p.per_marker_exclusion.values())


def test_public_01_against_brute_force(public_root):
    """The issue's independent brute force: 0.9888 +- 0.0002 (240,000 draws)."""
    c = read_case(public_root / "public_01_parent_child_mother_true")
    n = 100_000
    p = PowerAnalysis(c.family, c.missing, c.table, c.mutations, c.markers).power(n, seed=7)
    se = math.sqrt(p.p_exceed_se[1e4] ** 2 + 0.0002**2)
    assert abs(p.p_exceed[1e4] - 0.9888) < 4 * se, p.p_exceed[1e4]


@pytest.mark.parametrize("model", ["none", "equal"])
def test_whom_next_expectation_against_nasab_lr(model):
    """With a candidate of unknown genotype h: the exact expected log10 LR equals
    sum_h P(h | data) sum_g P(MP = g | data, h) log10 LR(g | data, h), every term from
    the engine's typed-person likelihood and nasab lr (the former lumped path got this
    wrong: it merged 'MP carries x' with 'the candidate carries the same x')."""
    from nasab.engine.likelihood import marker_likelihood
    from nasab.engine.lr import build_marker_model
    from nasab.power.whom import NEW, candidate_families

    table = small_table(2, 4)
    markers = [m.name for m in table.markers.values()]
    records, typed = PEDIGREES["siblings"]
    mutation = spec(model)
    fam, _ = _family(table, markers, records, typed, mutation, seed=4)
    mut = {m: mutation for m in markers} if mutation else None
    pa = PowerAnalysis(fam, "MP", table, mut, markers)
    for label, _rel, f in candidate_families(fam, "MP"):
        got = sum(t.expected_log10_lr for t in pa.tables(f, new=NEW))
        want = 0.0
        for mk in markers:
            m = build_marker_model(table, mk, mutation)
            geno = [(a, b) for i, a in enumerate(m.alleles) for b in m.alleles[i:]]
            base = f.marker_genotypes(mk)
            total = marker_likelihood(f.pedigree, base, m)
            for h in geno:
                gh = {**base, NEW: h}
                lh = marker_likelihood(f.pedigree, gh, m)
                if lh == 0:
                    continue
                fh = Family(f.pedigree, [mk], {p: {marker_key(mk): g} for p, g in gh.items()})
                for g in geno:
                    pg = marker_likelihood(f.pedigree, {**gh, "MP": g}, m) / lh
                    if pg > 0:
                        poi = Profile("POI", {marker_key(mk): g})
                        lr = missing_person_lr(fh, "MP", poi, table, mut, [mk]).log10_lr
                        want += lh / total * pg * lr
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (label, got, want)


@pytest.mark.parametrize("model", ["none", "stepwise"])
def test_programme_view_is_nasab_power_per_family(model):
    """The batched programme view gives each family nasab power's exact figures."""
    from nasab.power.programme import programme_view

    table = small_table(3, 5)
    markers = [m.name for m in table.markers.values()]
    records = [
        ("FA", None, None, 1),
        ("MO", None, None, 2),
        ("MP", "FA", "MO", 1),
        ("S1", "FA", "MO", 1),
        ("S2", "FA", "MO", 2),
    ]
    mutation = spec(model)
    mut = {m: mutation for m in markers} if mutation else None
    fams = []
    for s, typed in enumerate([("S1",), ("S1",), ("MO", "S1"), ("S1",), ("FA", "MO")]):
        f, _ = _family(table, markers, records, typed, mutation, seed=20 + s)
        fams.append((Family(f.pedigree, markers, f.genotypes, f"F{s}"), "MP"))
    rows = programme_view(fams, table, mutations=mut, n_sim=200, donors_below=1.1)
    for (fam, mp), row in zip(fams, rows, strict=True):
        pa = PowerAnalysis(fam, mp, table, mut, markers)
        p = pa.power(200)
        assert math.isclose(row.expected_log10_lr, p.expected_log10_lr, abs_tol=1e-9)
        assert math.isclose(row.exclusion_probability, p.exclusion_probability, abs_tol=1e-12)
        best = pa.whom_next(200, base=p)[0]
        assert math.isclose(row.best_donor_expected, best.expected_log10_lr, abs_tol=1e-9)
