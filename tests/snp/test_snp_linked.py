"""Linked SNP likelihoods: the HMM against an explicit sum, and its limits."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from nasab.engine.errors import ModelError
from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.pedigree import FEMALE, MALE, Pedigree
from nasab.engine.snp import (
    SNPPanel,
    error_matrix,
    haldane,
    missing_person_snp_lr,
    pedigree_likelihood,
)


def panel(
    cm: list[float],
    p: list[float],
    chrom: list[int] | None = None,
    cm_female: list[float] | None = None,
) -> SNPPanel:
    n = len(cm)
    return SNPPanel(
        tuple(f"rs{i}" for i in range(n)),
        np.array(chrom or [1] * n),
        np.arange(n) * 1000 + 1,
        np.array(cm, float),
        np.array(cm_female if cm_female is not None else cm, float),
        ("A",) * n,
        ("B",) * n,
        np.array(p, float),
    )


def brute_force(
    ped: Pedigree, calls: dict[str, list[int]], pan: SNPPanel, eps: float = 0.0
) -> float:
    """Sum over every founder allele at every SNP and every meiosis's grandparental origin
    at every SNP, with recombination between adjacent SNPs (one chromosome)."""
    persons = ped.ids
    nonf = [p for p in persons if ped[p].father is not None]
    founders = [p for p in persons if ped[p].father is None]
    m = len(pan)
    meioses = [(c, pat) for c in nonf for pat in (True, False)]
    r_m = haldane(np.diff(pan.cm_male))
    r_f = haldane(np.diff(pan.cm_female))
    err = error_matrix(eps)
    total = 0.0
    for path in itertools.product(range(1 << len(meioses)), repeat=m):
        w = 0.5 ** len(meioses)
        for j in range(1, m):
            for b, (_, pat) in enumerate(meioses):
                r = r_m[j - 1] if pat else r_f[j - 1]
                flip = ((path[j] >> b) & 1) != ((path[j - 1] >> b) & 1)
                w *= r if flip else 1 - r
        if w == 0:
            continue
        for j in range(m):
            s = 0.0
            for fa in itertools.product((0, 1), repeat=2 * len(founders)):
                alle: dict[str, tuple[int, int]] = {}
                pr = 1.0
                for k, f in enumerate(founders):
                    alle[f] = (fa[2 * k], fa[2 * k + 1])
                    for a in alle[f]:
                        pr *= pan.freq1[j] if a else 1 - pan.freq1[j]
                for c in persons:
                    if c in alle:
                        continue
                    got = []
                    for pat, parent in ((True, ped[c].father), (False, ped[c].mother)):
                        b = meioses.index((c, pat))
                        got.append(alle[parent][(path[j] >> b) & 1])
                    alle[c] = (got[0], got[1])
                for c, d in calls.items():
                    if d[j] >= 0:
                        pr *= err[sum(alle[c]), d[j]]
                s += pr
            w *= s
        total += w
    return total


TRIO = Pedigree.from_records(
    [
        ("F", None, None, MALE),
        ("M", None, None, FEMALE),
        ("A", "F", "M", MALE),
        ("B", "F", "M", FEMALE),
    ]
)
HALF = Pedigree.from_records(
    [
        ("F", None, None, MALE),
        ("M1", None, None, FEMALE),
        ("M2", None, None, FEMALE),
        ("A", "F", "M1", MALE),
        ("B", "F", "M2", MALE),
    ]
)


@pytest.mark.parametrize(
    "ped, calls, eps",
    [
        (TRIO, {"A": [0, 2, 1], "B": [1, 2, 0]}, 0.0),
        (TRIO, {"A": [1, 1, 2], "B": [1, -1, 2], "M": [0, 1, -1]}, 0.01),
        (HALF, {"A": [2, 0, 1], "B": [1, 0, 1]}, 0.0),
    ],
)
def test_hmm_equals_explicit_sum(ped, calls, eps) -> None:
    pan = panel([0.0, 3.0, 25.0], [0.3, 0.6, 0.5], cm_female=[0.0, 7.0, 40.0])
    got = pedigree_likelihood(ped, {k: np.array(v) for k, v in calls.items()}, pan, error=eps)
    want = brute_force(ped, calls, pan, eps)
    assert got.log10_linked == pytest.approx(math.log10(want), abs=1e-10)


def _engine_lr(
    ped: Pedigree, refs: dict[str, list[int]], poi: list[int], pan: SNPPanel, missing: str
) -> float:
    """Product of single-marker LRs from the STR engine's biallelic path."""
    tab = FrequencyTable(
        {
            marker_key(m): MarkerFrequencies(m, ["A", "B"], np.array([p, 1 - p]))
            for m, p in zip(pan.markers, pan.freq1, strict=True)
        },
        source="t",
    )
    code = {0: ("B", "B"), 1: ("A", "B"), 2: ("A", "A")}
    genos = {
        pid: {marker_key(m): code[d[j]] for j, m in enumerate(pan.markers) if d[j] >= 0}
        for pid, d in refs.items()
    }
    fam = Family(ped, list(pan.markers), genos)
    prof = Profile(
        "POI", {marker_key(m): code[poi[j]] for j, m in enumerate(pan.markers) if poi[j] >= 0}
    )
    return missing_person_lr(fam, missing, prof, tab, None).log10_lr


def test_unlinked_limits() -> None:
    """Far apart (infinite distance) the linked LR is the product of single-marker LRs of
    the STR engine; the reported unlinked LR always is."""
    refs = {"B": [0, 2, 1, 1]}
    poi = [1, 2, 1, 0]
    far = panel([0.0, 1e5, 2e5, 3e5], [0.3, 0.6, 0.5, 0.2])
    r = missing_person_snp_lr(
        HALF, {k: np.array(v) for k, v in refs.items()}, "A", np.array(poi), far
    )
    want = _engine_lr(HALF, refs, poi, far, "A")
    assert r.log10_lr == pytest.approx(want, abs=1e-9)
    assert r.log10_lr_unlinked == pytest.approx(want, abs=1e-9)


def test_zero_distance_is_one_locus() -> None:
    """Two SNPs at the same map position are one locus with four haplotypes: for a full
    sib pair, compare with the STR engine on the combined allele (haplotype) marker."""
    pan = panel([10.0, 10.0], [0.3, 0.6])
    refs = {"B": np.array([1, 1])}
    poi = np.array([1, 2])
    r = missing_person_snp_lr(TRIO, refs, "A", poi, pan)
    # haplotypes (SNP1 allele, SNP2 allele), frequencies as products (linkage equilibrium)
    haps = {"AA": 0.3 * 0.6, "AB": 0.3 * 0.4, "BA": 0.7 * 0.6, "BB": 0.7 * 0.4}
    # B is (1,1): phase unknown -> two haplotype pairs; the STR engine takes one genotype,
    # so sum the engine's H1/H2 over B's two phasings by the likelihood directly instead:
    from nasab.engine.likelihood import MarkerModel, marker_likelihood

    names = tuple(haps)
    freqs = np.array([haps[h] for h in names])
    model = MarkerModel("hap", names, freqs, np.eye(4), np.eye(4), False)

    def lik(genos):
        return marker_likelihood(TRIO, genos, model)

    h1 = sum(lik({"B": gb, "A": ("AA", "BA")}) for gb in (("AA", "BB"), ("AB", "BA")))
    h2 = sum(lik({"B": gb}) for gb in (("AA", "BB"), ("AB", "BA")))
    poi_p = 2 * haps["AA"] * haps["BA"]
    assert r.log10_lr == pytest.approx(math.log10(h1 / (h2 * poi_p)), abs=1e-9)


def test_unrelated_expected_lr_is_one() -> None:
    """E[LR] = 1 over POIs drawn unrelated (exact expectation over all POI genotypes)."""
    pan = panel([0.0, 2.0, 4.0], [0.3, 0.6, 0.5])
    refs = {"B": np.array([1, 2, 0])}
    total = 0.0
    for g in itertools.product((0, 1, 2), repeat=3):
        p = 1.0
        for j, d in enumerate(g):
            q = pan.freq1[j]
            p *= [(1 - q) ** 2, 2 * q * (1 - q), q * q][d]
        r = missing_person_snp_lr(HALF, refs, "A", np.array(g), pan)
        total += p * 10**r.log10_lr
    assert total == pytest.approx(1.0, abs=1e-12)


def test_linkage_matters_for_distant_relatives() -> None:
    pan = panel(list(np.arange(40) * 0.5), [0.5] * 40)
    rng = np.random.default_rng(1)
    refs = {"B": rng.integers(0, 3, 40)}
    poi = np.where(rng.random(40) < 0.7, refs["B"], rng.integers(0, 3, 40))
    r = missing_person_snp_lr(HALF, refs, "A", poi, pan)
    assert r.log10_lr != pytest.approx(r.log10_lr_unlinked, abs=1e-3)


def test_too_many_meioses_refused() -> None:
    rows = [("G0", None, None, MALE), ("W0", None, None, FEMALE)]
    prev = "G0"
    for k in range(1, 10):
        rows += [(f"W{k}", None, None, FEMALE), (f"G{k}", prev, f"W{k - 1}", MALE)]
        prev = f"G{k}"
    ped = Pedigree.from_records(rows)
    pan = panel([0.0], [0.5])
    with pytest.raises(ModelError, match="meioses"):
        pedigree_likelihood(ped, {"G9": np.array([1]), "G0": np.array([1])}, pan)


def test_compiled_forward_equals_reference() -> None:
    from nasab.engine.snp import chromosome_loglik, emission_plan, emissions, inheritance

    rng = np.random.default_rng(3)
    pan = panel(
        list(np.sort(rng.random(30)) * 80),
        list(rng.uniform(0.1, 0.9, 30)),
        cm_female=list(np.sort(rng.random(30)) * 120),
    )
    persons = HALF.ancestors(["A", "B"], inclusive=True)
    inh = inheritance(HALF, persons)
    typed = [persons.index("A"), persons.index("B")]
    err = error_matrix(0.01)
    d = rng.integers(0, 3, (2, 30))
    calls = np.stack([err[:, d[t]] for t in range(2)])  # (2, 3, 30): P(call | dosage)
    emis = emissions(emission_plan(inh, typed), calls, pan.freq1)
    fast = chromosome_loglik(inh, emis, pan.cm_male, pan.cm_female)
    slow = chromosome_loglik(inh, emis, pan.cm_male, pan.cm_female, reference=True)
    assert fast == pytest.approx(slow, abs=1e-10)
