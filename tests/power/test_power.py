"""Informativeness of reference families (nasab power)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.pedigree import Pedigree
from nasab.formats.io import read_case
from nasab.power.cli import main as power_main
from nasab.power.core import (
    NO_INFORMATION,
    PowerAnalysis,
    exclusion_probability_brute,
    programme_chart,
    programme_summary,
    programme_view,
)
from nasab.sim.synth import drop_genes


def small_table(n_markers: int = 3, n_alleles: int = 4) -> FrequencyTable:
    rng = np.random.default_rng(7)
    markers = {}
    for i in range(n_markers):
        f = rng.dirichlet(np.ones(n_alleles))
        name = f"M{i + 1}"
        markers[marker_key(name)] = MarkerFrequencies(
            name, [str(a + 8) for a in range(n_alleles)], f
        )
    return FrequencyTable(markers, source="synthetic")


def sibs_family(table: FrequencyTable, typed=("S1", "S2", "MO"), seed: int = 3) -> Family:
    ped = Pedigree.from_records(
        [
            ("FA", None, None, 1),
            ("MO", None, None, 2),
            ("MP", "FA", "MO", 1),
            ("S1", "FA", "MO", 1),
            ("S2", "FA", "MO", 2),
        ]
    )
    markers = [m.name for m in table.markers.values()]
    sim = drop_genes(ped, table, markers, np.random.default_rng(seed))
    return Family(ped, markers, {p: sim[p] for p in typed}, "F")


@pytest.mark.parametrize("typed", [("S1",), ("S1", "S2"), ("MO", "S1"), ("FA", "MO")])
def test_exclusion_probability_brute_force(typed):
    table = small_table()
    fam = sibs_family(table, typed)
    pa = PowerAnalysis(fam, "MP", table)
    exact = pa.power(n_sim=200).exclusion_probability
    brute = exclusion_probability_brute(fam, "MP", table, fam.markers)
    assert abs(exact - brute) < 1e-12


def test_lr_table_is_the_engine_lr(public_root):
    for case in (
        "public_04_full_sibs_1_true",
        "public_13_both_parents_inconsistent_mutation",
        "public_11_cousin_marriage_fa_sb_true",
    ):
        c = read_case(public_root / case)
        pa = PowerAnalysis(c.family, c.missing, c.table, c.mutations, c.markers[:4])
        rng = np.random.default_rng(0)
        for t in pa.tables():
            assert len(t.observations) == len(t.lr[0])  # every profile of specific alleles
            for g in rng.choice(len(t.observations), size=3, replace=False):
                poi = Profile("POI", {marker_key(t.marker): t.observations[g]})
                lr = missing_person_lr(
                    c.family, c.missing, poi, c.table, c.mutations, [t.marker]
                ).lr
                assert math.isclose(lr, t.lr[0, g], rel_tol=1e-9, abs_tol=1e-300), case
            # E[LR | unrelated] = sum of P(O | data) = 1
            assert abs((t.p_unrel * t.lr).sum() - 1) < 1e-9


def test_typical_family(public_root):
    c = read_case(public_root / "public_06_full_sibs_3_unrelated")  # 3 siblings, 21 markers
    p = PowerAnalysis(c.family, c.missing, c.table, c.mutations, c.markers).power(10_000)
    assert p.informative and p.expected_log10_lr > 5
    assert all(0 <= v <= 1 for v in p.p_exceed.values())
    assert p.p_exceed[1e4] >= p.p_exceed[1e6] >= p.p_exceed[1e8]
    # the simulated mean agrees with the exact expectation
    assert p.log10_lr_quantiles["5%"] < p.expected_log10_lr < p.log10_lr_quantiles["95%"]


def test_more_references_more_power():
    table = small_table(8, 6)
    one = PowerAnalysis(sibs_family(table, ("S1",)), "MP", table).power(2000)
    two = PowerAnalysis(sibs_family(table, ("FA", "MO")), "MP", table).power(2000)
    assert two.expected_log10_lr > one.expected_log10_lr
    assert two.exclusion_probability > one.exclusion_probability


def test_whom_to_sample_next_ranks_parents_first():
    table = small_table(8, 6)
    fam = sibs_family(table, ("S1",))
    pa = PowerAnalysis(fam, "MP", table)
    ranked = pa.whom_next(2000)
    rel = [c.relation for c in ranked]
    assert set(rel) >= {"parent", "full sibling", "half sibling", "uncle", "child"}
    # a parent or a child of the MP is worth more than a half sibling or an uncle
    best = ranked[0].relation
    assert best in ("parent", "child")
    assert all(c.gain >= -1e-9 for c in ranked)
    assert rel.index("half sibling") > rel.index("parent")


def test_no_information():
    table = small_table()
    # the MP is an unconnected founder; the typed persons are elsewhere
    ped = Pedigree.from_records(
        [("FA", None, None, 1), ("MO", None, None, 2), ("S1", "FA", "MO", 1), ("MP", None, None, 1)]
    )
    markers = [m.name for m in table.markers.values()]
    sim = drop_genes(ped, table, markers, np.random.default_rng(1))
    fam = Family(ped, markers, {"S1": sim["S1"]}, "F")
    p = PowerAnalysis(fam, "MP", table).power(500)
    assert not p.informative and p.message == NO_INFORMATION
    # nobody typed at all
    fam0 = Family(ped, markers, {}, "F0")
    p0 = PowerAnalysis(fam0, "MP", table).power(500)
    assert not p0.informative and p0.expected_log10_lr == 0


def test_programme_view_and_chart(tmp_path):
    table = small_table(6, 5)
    fams = [
        (sibs_family(table, typed, seed=s), "MP")
        for s, typed in enumerate([("S1",), ("S1", "S2"), ("FA", "MO"), ("S1",)])
    ]
    rows = programme_view(fams, table, n_sim=500)
    assert len(rows) == 4 and all(r.best_donor for r in rows)
    summ = programme_summary(rows)
    assert summ["families"] == 4
    png = tmp_path / "chart.png"
    programme_chart(rows, str(png))
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_cli_power(public_root, capsys, tmp_path):
    case = str(public_root / "public_04_full_sibs_1_true")
    assert power_main(["--case", case, "--json", "--nsim", "1000", "--no-candidates"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "whom_to_sample_next" in out and out["model"]
    per = out["power"]["exclusion_probability_per_marker"]
    assert (
        set(per) == set(out["power"]["expected_log10LR_per_marker"]) == set(out["power"]["markers"])
    )
    assert all(0 <= v <= 1 for v in per.values())
    assert power_main(["--case", case, "--nsim", "200", "--no-candidates"]) == 0
    assert "Per marker" in capsys.readouterr().out
    assert power_main(["--case", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err


def test_cli_programme(tmp_path, capsys):
    import json

    from nasab.engine.genotypes import format_genotype

    table = small_table(4, 5)
    text = []
    for m in table.markers.values():  # Familias format (write_familias writes numpy reprs)
        text += [
            m.name,
            *(f"{a}\t{float(f)!r}" for a, f in zip(m.alleles, m.freqs, strict=True)),
            "",
        ]
    (tmp_path / "freqs.txt").write_text("\n".join(text))
    peds = tmp_path / "peds"
    peds.mkdir()
    for s, typed in enumerate([("S1",), ("FA", "MO"), ()]):
        fam = sibs_family(table, typed, seed=s)
        lines = ["\t".join(["id", "fid", "mid", "sex", *fam.markers])]
        for p in fam.pedigree.persons:
            gs = [format_genotype(fam.genotype(p.id, m)) for m in fam.markers]
            lines.append("\t".join([p.id, p.father or "0", p.mother or "0", str(p.sex), *gs]))
        (peds / f"F{s}.ped").write_text("\n".join(lines) + "\n")
    png = tmp_path / "c.png"
    assert (
        power_main(
            [
                "--programme",
                str(peds),
                "--freqs",
                str(tmp_path / "freqs.txt"),
                "--chart",
                str(png),
                "--nsim",
                "200",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["families"] == 3 and out["summary"]["informative"] == 2
    # the model and table are stated; the default model is every command's (stepwise)
    assert out["mutation_model"].startswith("stepwise") and out["frequency_table"]
    assert png.exists()
