"""X-chromosome SNPs (XFORCE): hemizygous males, a father's X passed whole to daughters,
recombination in mothers only. The HMM against an explicit enumeration written apart from
the engine, exact limits, and the simulation against the model."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from nasab.engine.errors import InputError, ModelError
from nasab.engine.pedigree import FEMALE, MALE, UNKNOWN_SEX, Pedigree
from nasab.engine.snp import (
    X_CHROMOSOME,
    SNPPanel,
    _single_person_log10,
    error_matrix,
    haldane,
    missing_person_snp_lr,
    pedigree_likelihood,
)
from nasab.sim.snp import drop_snps

U = None


def xpanel(cm_female: list[float], p: list[float], chrom: list[int] | None = None) -> SNPPanel:
    n = len(cm_female)
    return SNPPanel(
        tuple(f"rx{i}" for i in range(n)),
        np.array(chrom or [X_CHROMOSOME] * n),
        np.arange(n) * 1000 + 1,
        np.full(n, np.nan),  # a male map of X is never used (a NaN would show if it were)
        np.array(cm_female, float),
        ("A",) * n,
        ("B",) * n,
        np.array(p, float),
    )


def brute_force_x(
    ped: Pedigree, calls: dict[str, list[int]], pan: SNPPanel, eps: float = 0.0
) -> float:
    """Sum over every mother-to-child origin at every SNP (recombining along the female
    map) and every founder X allele: a male founder has one X, a female founder two; a
    son's one X is his mother's paternal or maternal X; a daughter has her father's X and
    one of her mother's. A male's call is read as the homozygote of his allele."""
    persons = ped.ids
    nonf = [p for p in persons if ped[p].father is not None]
    founders = [p for p in persons if ped[p].father is None]
    n_x = {f: 1 if ped[f].sex == MALE else 2 for f in founders}
    m = len(pan)
    r = haldane(np.diff(pan.cm_female))
    err = error_matrix(eps)
    total = 0.0
    for path in itertools.product(range(1 << len(nonf)), repeat=m):
        w = 0.5 ** len(nonf)
        for j in range(1, m):
            for b in range(len(nonf)):
                flip = ((path[j] >> b) & 1) != ((path[j - 1] >> b) & 1)
                w *= r[j - 1] if flip else 1 - r[j - 1]
        for j in range(m):
            s = 0.0
            for fa in itertools.product((0, 1), repeat=sum(n_x.values())):
                xs: dict[str, list[int]] = {}
                k = 0
                pr = 1.0
                for f in founders:
                    xs[f] = list(fa[k : k + n_x[f]])
                    k += n_x[f]
                    for a in xs[f]:
                        pr *= pan.freq1[j] if a else 1 - pan.freq1[j]
                for c in persons:
                    if c in xs:
                        continue
                    mom = xs[ped[c].mother]
                    from_mother = mom[(path[j] >> nonf.index(c)) & 1]
                    if ped[c].sex == MALE:
                        xs[c] = [from_mother]
                    else:
                        xs[c] = [xs[ped[c].father][0], from_mother]
                for c, d in calls.items():
                    if d[j] >= 0:
                        dosage = 2 * xs[c][0] if len(xs[c]) == 1 else sum(xs[c])
                        pr *= err[dosage, d[j]]
                s += pr
            w *= s
        total += w
    return total


FAMILY = Pedigree.from_records(
    [
        ("F", U, U, MALE),
        ("M", U, U, FEMALE),
        ("S", "F", "M", MALE),
        ("D", "F", "M", FEMALE),
    ]
)
PATERNAL_HALF_SISTERS = Pedigree.from_records(
    [
        ("F", U, U, MALE),
        ("M1", U, U, FEMALE),
        ("M2", U, U, FEMALE),
        ("A", "F", "M1", FEMALE),
        ("B", "F", "M2", FEMALE),
    ]
)
MATERNAL_LINE = Pedigree.from_records(
    [
        ("GF", U, U, MALE),
        ("GM", U, U, FEMALE),
        ("M", "GF", "GM", FEMALE),
        ("F", U, U, MALE),
        ("S", "F", "M", MALE),
        ("D", "F", "M", FEMALE),
    ]
)


@pytest.mark.parametrize(
    "ped, calls, eps",
    [
        (FAMILY, {"S": [0, 2, 2], "D": [1, 2, 0]}, 0.0),
        (FAMILY, {"F": [2, 0, 2], "D": [1, 1, -1], "S": [2, -1, 0]}, 0.01),
        (FAMILY, {"S": [0, 1, 2], "M": [1, 1, 2]}, 0.02),  # a heterozygous male: an error
        (PATERNAL_HALF_SISTERS, {"A": [1, 2, 1], "B": [1, 1, 0]}, 0.0),
        (MATERNAL_LINE, {"GF": [2, 0, 2], "S": [2, 0, 0], "D": [1, 1, 2]}, 0.005),
    ],
)
def test_x_hmm_equals_explicit_sum(ped, calls, eps) -> None:
    pan = xpanel([0.0, 6.0, 30.0], [0.3, 0.6, 0.45])
    got = pedigree_likelihood(ped, {k: np.array(v) for k, v in calls.items()}, pan, error=eps)
    want = brute_force_x(ped, calls, pan, eps)
    assert got.log10_x == pytest.approx(math.log10(want), abs=1e-10)
    assert got.log10_autosomal == 0.0 and got.x_markers_used == 3


def test_x_unlinked_is_the_product_of_single_snp_sums() -> None:
    pan = xpanel([0.0, 1e5, 2e5], [0.3, 0.6, 0.45])
    calls = {"S": [0, 2, 2], "D": [1, 2, 0]}
    got = pedigree_likelihood(FAMILY, {k: np.array(v) for k, v in calls.items()}, pan)
    assert got.log10_x == pytest.approx(got.log10_x_unlinked, abs=1e-10)
    want = sum(
        math.log10(brute_force_x(FAMILY, {k: [v[j]] for k, v in calls.items()}, pan_j))
        for j, pan_j in enumerate(_single_snp_panels(pan))
    )
    assert got.log10_x_unlinked == pytest.approx(want, abs=1e-10)


def _single_snp_panels(pan: SNPPanel) -> list[SNPPanel]:
    return [
        SNPPanel(
            (pan.markers[j],),
            pan.chromosome[[j]],
            pan.position[[j]],
            pan.cm_male[[j]],
            pan.cm_female[[j]],
            (pan.allele1[j],),
            (pan.allele2[j],),
            pan.freq1[[j]],
        )
        for j in range(len(pan))
    ]


def test_father_and_son_share_no_x() -> None:
    """A son's X is his mother's: against his father the X LR is exactly 1, while the
    autosomal LR (one autosomal SNP in the same panel) is not."""
    pan = xpanel([0.0, 5.0, 0.0], [0.3, 0.6, 0.4], chrom=[X_CHROMOSOME, X_CHROMOSOME, 1])
    pan.cm_male[2] = 0.0  # the autosomal SNP's male map
    r = missing_person_snp_lr(
        FAMILY, {"F": np.array([2, 0, 2])}, "S", np.array([0, 2, 2]), pan, error_poi=0.01
    )
    assert r.log10_lr_x == pytest.approx(0.0, abs=1e-12)
    assert r.log10_lr_autosomal > 0.1 and r.x_markers_used == 2 and r.markers_used == 1
    assert r.log10_lr == pytest.approx(r.log10_lr_autosomal, abs=1e-12)


def test_father_and_daughter_share_his_x() -> None:
    """A daughter carries her father's whole X: a daughter homozygous for the other allele
    than her father's is excluded on X without error, and the LR for a consistent one is
    that of one unlinked biallelic marker per SNP when the SNPs are far apart: 1 / (2 p)
    for a heterozygous daughter, 1 / p for a homozygous one (p: the father's allele)."""
    pan = xpanel([0.0, 500.0], [0.3, 0.6])
    refs = {"F": np.array([2, 0])}
    assert missing_person_snp_lr(FAMILY, refs, "D", np.array([0, 0]), pan).log10_lr_x == -math.inf
    r = missing_person_snp_lr(FAMILY, refs, "D", np.array([1, 0]), pan)
    # father A at SNP 1 (p = 0.3), daughter AB; father B at SNP 2 (0.4), daughter BB
    assert r.log10_lr_x == pytest.approx(-math.log10(2 * 0.3) - math.log10(0.4), abs=1e-9)


def test_paternal_half_sisters_share_an_x() -> None:
    pan = xpanel(list(np.arange(20) * 2.0), [0.5] * 20)
    rng = np.random.default_rng(2)
    g = drop_snps(PATERNAL_HALF_SISTERS, pan, rng)
    r = missing_person_snp_lr(PATERNAL_HALF_SISTERS, {"B": g["B"]}, "A", g["A"], pan)
    assert r.log10_lr_x > 2 and r.log10_lr_x > r.log10_lr_x_unlinked - 1e-9


@pytest.mark.parametrize("missing, sex", [("S", MALE), ("D", FEMALE)])
def test_x_expected_lr_is_one(missing, sex) -> None:
    """E[LR] = 1 over every call pattern of an unrelated POI of the missing person's sex
    (with genotyping error, so that a male's heterozygous call has its probability)."""
    pan = xpanel([0.0, 3.0, 9.0], [0.3, 0.6, 0.45])
    refs = {"M": np.array([1, 2, 1]), "F": np.array([2, 0, 2])}
    total = 0.0
    for g in itertools.product((0, 1, 2), repeat=3):
        poi = np.array(g)
        h2 = _single_person_log10(poi, pan, 0.02, male=sex == MALE)[1]
        r = missing_person_snp_lr(FAMILY, refs, missing, poi, pan, error_poi=0.02)
        total += 10 ** (h2 + r.log10_lr_x)
    assert total == pytest.approx(1.0, abs=1e-12)


def test_x_needs_sexes() -> None:
    ped = Pedigree.from_records(
        [("F", U, U, MALE), ("M", U, U, FEMALE), ("C", "F", "M", UNKNOWN_SEX)]
    )
    pan = xpanel([0.0], [0.5])
    with pytest.raises(ModelError, match="sex of 'C'"):
        pedigree_likelihood(ped, {"C": np.array([1])}, pan)
    with pytest.raises(ModelError, match="sex of the missing person"):
        missing_person_snp_lr(ped, {"M": np.array([1])}, "C", np.array([2]), pan)


def test_x_simulation_matches_the_model() -> None:
    """Gene dropping on X (nasab.sim.snp) draws the genotype patterns the likelihood
    gives: son and daughter of a typed-nothing family, two linked X SNPs; every pattern's
    frequency within 4.5 standard errors of its exact probability."""
    pan = xpanel([0.0, 20.0], [0.3, 0.6])
    rng = np.random.default_rng(5)
    n = 6000
    seen = Counter()
    for _ in range(n):
        g = drop_snps(MATERNAL_LINE, pan, rng)
        assert set(g["S"].tolist()) <= {0, 2} and set(g["GF"].tolist()) <= {0, 2}
        seen[(tuple(g["S"]), tuple(g["D"]), tuple(g["GF"]))] += 1
    for (s, d, gf), count in seen.most_common(12):
        calls = {"S": np.array(s), "D": np.array(d), "GF": np.array(gf)}
        p = 10 ** pedigree_likelihood(MATERNAL_LINE, calls, pan).log10_x
        assert abs(count / n - p) <= 4.5 * math.sqrt(p * (1 - p) / n) + 1e-12


XPANEL = """# X test panel: no male map (as XFORCE_freqs.tsv)
marker\tchromosome\tposition_bp\tcM_male\tcM_female\tcM_sexavg\tallele\tfrequency
rx1\tX\t3000000\t\t0.5\t\tT\t0.6
rx1\tX\t3000000\t\t0.5\t\tC\t0.4
rx2\tX\t9000000\t\t12.0\t\tG\t0.3
rx2\tX\t9000000\t\t12.0\t\tA\t0.7
"""
APANEL = """marker\tchromosome\tposition_bp\tcM_male\tcM_female\tcM_sexavg\tallele\tfrequency
rs1\t1\t1000\t0\t0\t0\tA\t0.3
rs1\t1\t1000\t0\t0\t0\tG\t0.7
"""


@pytest.fixture
def xfiles(tmp_path):
    (tmp_path / "x.tsv").write_text(XPANEL, encoding="utf-8")
    (tmp_path / "a.tsv").write_text(APANEL, encoding="utf-8")
    (tmp_path / "family.ped").write_text(
        "id\tfid\tmid\tsex\nF\t0\t0\t1\nM\t0\t0\t2\nS\tF\tM\t1\nD\tF\tM\t2\n", encoding="utf-8"
    )
    (tmp_path / "refs.tsv").write_text("id\trs1\trx1\trx2\nF\tA/G\tT\tA\n", "utf-8")
    (tmp_path / "poi.tsv").write_text("id\trs1\trx1\trx2\nR1\tA/A\tT/C\tA/A\n", "utf-8")
    vcf = [
        "##fileformat=VCFv4.2",
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tF",
        "1\t1000\trs1\tG\tA\t.\tPASS\t.\tGT\t0/1",
        "X\t3000000\trx1\tC\tT\t.\tPASS\t.\tGT\t1",
        "chrX\t9000000\t.\tA\tG\t.\tPASS\t.\tGT\t0",
    ]
    (tmp_path / "refs.vcf").write_text("\n".join(vcf) + "\n", encoding="utf-8")
    return tmp_path


def test_x_panel_files_and_male_calls(xfiles) -> None:
    from nasab.formats.snp import read_panel, read_panels, read_snp_table

    x = read_panel(xfiles / "x.tsv")
    assert x.chromosome.tolist() == [X_CHROMOSOME] * 2 and x.cm_female.tolist() == [0.5, 12.0]
    both = read_panels([xfiles / "a.tsv", xfiles / "x.tsv"])
    assert both.markers == ("rs1", "rx1", "rx2") and both.source == "a.tsv + x.tsv"
    tab = read_snp_table(xfiles / "refs.tsv", both)["F"]
    vcf = read_snp_table(xfiles / "refs.vcf", both)["F"]
    assert tab.tolist() == vcf.tolist() == [1, 2, 0]  # one allele on X: hemizygous
    with pytest.raises(InputError, match="also in a.tsv"):
        read_panels([xfiles / "a.tsv", xfiles / "a.tsv"])
    (xfiles / "par.tsv").write_text(XPANEL.replace("3000000", "2000000"), "utf-8")
    with pytest.raises(InputError, match="pseudo-autosomal"):
        read_panel(xfiles / "par.tsv")
    (xfiles / "bad.tsv").write_text("id\trs1\nF\tA\n", "utf-8")  # one allele off X
    with pytest.raises(InputError, match="not a genotype of A/G"):
        read_snp_table(xfiles / "bad.tsv", both)


def test_cli_reports_x_beside_autosomes(xfiles, capsys) -> None:
    import json

    from nasab.cli import main

    args = ["snp", "lr", "--ped", str(xfiles / "family.ped"), "--references"]
    args += [str(xfiles / "refs.tsv"), "--poi", str(xfiles / "poi.tsv"), "--panel"]
    args += [str(xfiles / "a.tsv"), str(xfiles / "x.tsv")]
    assert main([*args, "--missing", "D", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["X"]["snps_used"] == 2 and out["autosomal"]["snps_used"] == 1
    assert out["log10LR"] == pytest.approx(
        out["X"]["log10LR"] + out["autosomal"]["log10LR"], abs=1e-12
    )
    assert out["X"]["log10LR"] > 0 and [f["file"] for f in out["panel"]] == ["a.tsv", "x.tsv"]
    # the POI as the son: a father shares no X with his son
    assert main([*args, "--missing", "S", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["X"]["log10LR"] == pytest.approx(0, abs=1e-12)
    assert main([*args, "--missing", "D"]) == 0
    assert "X chromosome" in capsys.readouterr().out
    (xfiles / "family.ped").write_text(
        "id\tfid\tmid\tsex\nF\t0\t0\t1\nM\t0\t0\t2\nS\tF\tM\t0\nD\tF\tM\t2\n", encoding="utf-8"
    )
    assert main([*args, "--missing", "S"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and "sex of the missing person" in err
