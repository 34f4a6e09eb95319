"""Familias dropout ("(Consider dropouts)" persons, per-locus "Dropout probability") and
silent alleles: import, LRs, export, round trips and what is still refused.

All genetic data are synthetic."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import pytest

from nasab.cli import main as nasab_main
from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel
from nasab.engine.pedigree import Pedigree
from nasab.formats import cli as cli_familias
from nasab.formats.familias import SILENT, read_fam, write_fam
from nasab.formats.familias_convert import project_to_case, write_case_folder
from nasab.formats.familias_export import case_to_project, dvi_folder_to_project
from nasab.formats.io import Case, read_case

FIX = Path(__file__).parent / "fixtures"
FAM = FIX / "dropout_silent.fam"
H1, H2 = "POI is son", "Unrelated"
# What dropout_silent.fam says, typed here by hand: per-locus dropout for the flagged
# persons MO and POI, and the silent alleles' frequencies.
DROPOUT = {"D3S1358": 0.1, "TH01": 0.05, "VWA": 0.2, "D21S11": 0.1}  # FGA: 0
SILENT_FREQ = {"TH01": 0.03, "VWA": 0.05}


def lrs(case: Case) -> list[float]:
    r = missing_person_lr(
        case.family, case.missing, case.poi, case.table, case.mutations, case.markers
    )
    return [m.log10_lr for m in r.markers]


def cli(*argv: str) -> int:
    ap = argparse.ArgumentParser()
    cli_familias.add_parser(ap.add_subparsers(dest="command"))
    return cli_familias.run(ap.parse_args(["familias", *argv]))


def imported() -> Case:
    return project_to_case(read_fam(FAM), poi="POI", h1=H1, h2=H2)


def effective_drops(case: Case) -> dict:
    """Every person's dropout model at every marker (None: no dropout)."""
    out = {("POI", m): case.poi.drop_for(m) for m in case.markers}
    for pid in case.family.typed_persons():
        for m in case.markers:
            out[(pid, m)] = case.family.drops_for(m).get(pid)
    return {k: v for k, v in out.items() if v is not None and not v.trivial}


def frequencies(case: Case) -> dict:
    return {
        k: (list(m.alleles), [round(float(f), 12) for f in m.freqs])
        for k, m in case.table.markers.items()
    }


def hand_built_case() -> Case:
    """The case of dropout_silent.fam built directly in nasab's objects: the frequencies
    are Familias' allele lists (read_fam) plus the silent allele appended here."""
    p = read_fam(FAM)
    ped = Pedigree.from_records(
        [("FA", None, None, 1), ("MO", None, None, 2), ("BR", "FA", "MO", 1), ("MP", "FA", "MO", 1)]
    )
    genos = {
        "FA": {
            "D3S1358": ("15", "16"),
            "TH01": ("7", "9.3"),
            "FGA": ("21", "24"),
            "VWA": ("16", "silent"),
            "D21S11": ("29", "30"),
        },
        "MO": {
            "D3S1358": ("14", "14"),
            "TH01": ("6", "9"),
            "FGA": ("20", "22"),
            "VWA": ("15", "18"),
            "D21S11": ("28", "31"),
        },
        "BR": {
            "D3S1358": ("14", "16"),
            "TH01": ("6", "9.3"),
            "FGA": ("20", "24"),
            "D21S11": ("28", "30"),
        },
    }
    markers = list(p.markers)
    family = Family(ped, markers, genos, "hand")
    family.marker_drops = {m: {"MO": DropModel(d)} for m, d in DROPOUT.items()}
    poi = Profile(
        "POI",
        {
            "D3S1358": ("14", "15"),
            "TH01": ("9", "9"),
            "FGA": ("21", "22"),
            "VWA": ("15", "15"),
            "D21S11": ("29", "31"),
        },
        1,
        markers,
        marker_drops={m: DropModel(d) for m, d in DROPOUT.items()},
    )
    table = {}
    for k, mf in p.table.markers.items():
        alleles, fr = list(mf.alleles), list(mf.freqs)
        if k in SILENT_FREQ:
            alleles.append("silent")
            fr.append(SILENT_FREQ[k])
        table[k] = MarkerFrequencies(mf.name, alleles, np.array(fr))
    return Case(family, "MP", poi, FrequencyTable(table, "hand"), p.mutations, markers)


# --- import ---------------------------------------------------------------------------------------
def test_fixture_settings_are_read():
    p = read_fam(FAM)
    assert p.consider_dropout == ["MO", "POI"]
    assert {k: v for k, v in p.dropout.items() if v} == DROPOUT
    assert p.silent_frequencies == SILENT_FREQ
    assert p.person("FA").genotypes["VWA"] == ("16", SILENT)  # index one past the alleles


def test_import_sets_familias_dropout_and_silent_alleles():
    case = imported()
    # Flagged persons get the locus' probability at each marker where they are typed;
    # the others (FA, BR) none; FGA's probability is 0: no dropout there.
    want = {(pid, m): DropModel(d) for pid in ("MO", "POI") for m, d in DROPOUT.items()}
    assert effective_drops(case) == want
    assert case.table["VWA"].alleles[-1] == "silent"
    assert float(case.table["VWA"].freqs[-1]) == pytest.approx(0.05)
    assert "silent" not in case.table["FGA"].alleles
    assert case.family.genotype("FA", "VWA") == ("16", "silent")


def test_lr_equals_hand_built_case():
    got, want = lrs(imported()), lrs(hand_built_case())
    assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
    no_drop = hand_built_case()
    no_drop.poi.marker_drops = {}
    no_drop.family.marker_drops = {}
    assert lrs(no_drop) != pytest.approx(want)  # the settings matter


def test_lr_through_cli_equals_hand_built_case(tmp_path: Path, capsys):
    out = tmp_path / "case"
    assert cli("import", str(FAM), "--out", str(out), "--h1", H1, "--h2", H2) == 0
    meta = json.loads((out / "case.json").read_text())
    assert meta["dropout"]["poi"] == DROPOUT and meta["dropout"]["persons"] == {"MO": DROPOUT}
    capsys.readouterr()
    assert nasab_main(["lr", "--case", str(out), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["markers"]
    want = lrs(hand_built_case())
    assert list(got.values()) == pytest.approx(want, rel=1e-12, abs=1e-12)


# --- tiny cases against hand-derived formulas ------------------------------------------------
P = {"10": 0.2, "11": 0.3, "12": 0.4}
PS = 0.1  # silent allele frequency; 0.2 + 0.3 + 0.4 + 0.1 = 1


def tiny_fam(
    tmp_path: Path, fa: tuple[int, int], poi: tuple[int, int], flag_poi: bool, dropout: float
) -> Path:
    """A .fam file with a father FA and a POI (his son, or unrelated) typed at one locus
    with alleles 10, 11, 12 and a silent allele (index 3)."""
    lines = [
        '"Output from Familias, version 3.2.8"',
        '"synthetic"',
        "3.2.8",
        '""',
        "2",
        '"FA"',
        "#FALSE#",
        "-1",
        "#FALSE#",
        "#TRUE#",
        "1",
        str(fa[0]),
        str(fa[1]),
        "0",
        '"POI"',
        "#FALSE#",
        "-1 (Consider dropouts)" if flag_poi else "-1",
        "#FALSE#",
        "#TRUE#",
        "1",
        str(poi[0]),
        str(poi[1]),
        "0",
        '"Known relations"',
        "0",
        "0",
        "0",
        "2",
        "0",
        '"POI is son"',
        "0",
        "0",
        "1",
        "0",
        "1",
        "1",
        '"Unrelated"',
        "0",
        "0",
        "0",
        "#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: 0 )",
        "1",
        "#TRUE#",
        '"db"',
        '"M1"',
        "0",
        "0",
        "0",
        "0",
        "4",
        "0.5",
        "0.5",
        "0",
        "0",
        "#TRUE#",
        str(PS),
        f"3\t(DatabaseSize = 100 , Dropout probability = {dropout} , Minor allele frequency = 0 )",
    ]
    for a, f in P.items():
        lines += [f'"{a}"', str(f)]
    path = tmp_path / "tiny.fam"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def tiny_lr(path: Path) -> float:
    case = project_to_case(read_fam(path), poi="POI")
    return 10 ** lrs(case)[0]


def test_tiny_dropout_and_silent_formula(tmp_path: Path):
    # FA 10/11; the POI, flagged, shows only 10 (written 10/10). Given the true genotype
    # G, 10 is seen with probability 1 - d^2 (10/10), 1 - d (10 beside a silent allele,
    # which is never seen), and 10 alone is seen from 10/x with probability d(1 - d).
    d = 0.2
    pa, pb, pc = P["10"], P["11"], P["12"]
    seen = {"aa": 1 - d * d, "ax": d * (1 - d), "as": 1 - d}
    # H1: the POI is FA's son: 10 or 11 from FA, any allele from an unknown mother.
    from_a = pa * seen["aa"] + (pb + pc) * seen["ax"] + PS * seen["as"]
    from_b = pa * seen["ax"]
    h1 = 0.5 * from_a + 0.5 * from_b
    h2 = pa * pa * seen["aa"] + 2 * pa * (pb + pc) * seen["ax"] + 2 * pa * PS * seen["as"]
    assert tiny_lr(tiny_fam(tmp_path, (0, 1), (0, 0), True, d)) == pytest.approx(h1 / h2, rel=1e-12)


def test_tiny_silent_carrier_formula(tmp_path: Path):
    # FA typed 10/silent (Familias' index 3); the POI, not flagged, 11/11 (11/11 or
    # 11/silent). H1: FA passes the silent allele (1/2), the mother 11: (1/2) p11.
    # H2: p11^2 + 2 p11 ps.  LR = 1 / (2 (p11 + 2 ps)).
    want = 1 / (2 * (P["11"] + 2 * PS))
    assert tiny_lr(tiny_fam(tmp_path, (0, 3), (1, 1), False, 0.3)) == pytest.approx(want, rel=1e-12)


def test_dropout_probability_without_flag_changes_nothing(tmp_path: Path):
    a = tiny_lr(tiny_fam(tmp_path, (0, 1), (0, 0), False, 0.2))
    b = tiny_lr(tiny_fam(tmp_path, (0, 1), (0, 0), False, 0.0))
    assert a == pytest.approx(b, rel=1e-12)


# --- silent alleles do not mutate (Familias' convention) --------------------------------------
def test_silent_allele_neither_mutates_nor_is_mutated_to():
    alleles, freqs = ["8", "9", "10", "silent"], [0.5, 0.3, 0.1, 0.1]
    for spec in (
        MutationSpec("equal", 0.01, 0.02),
        MutationSpec("proportional", 0.01, 0.01),
        MutationSpec("stepwise", 0.01, 0.01, 1e-4, 1e-4, 0.5, 0.5, "PM"),
    ):
        for m in spec.matrices(alleles, freqs):
            assert m[3, 3] == 1 and not m[3, :3].any() and not m[:3, 3].any()
            assert m.sum(axis=1) == pytest.approx(np.ones(4))
    # Equal: the rate is shared by the 2 other non-silent alleles.
    f, _ = MutationSpec("equal", 0.01, 0.01).matrices(alleles, freqs)
    assert f[0, 1] == pytest.approx(0.005)
    # Proportional (Familias): frequencies of the non-silent alleles rescaled to sum to 1,
    # alpha = rate / (sum of them) / sum q(1 - q).
    f, _ = MutationSpec("proportional", 0.01, 0.01).matrices(["8", "9", "silent"], [0.5, 0.4, 0.1])
    q, total = np.array([5 / 9, 4 / 9]), 0.9
    alpha = 0.01 / total / float(np.sum(q * (1 - q)))
    assert f[0, 1] == pytest.approx(alpha * q[1]) and f[1, 0] == pytest.approx(alpha * q[0])


# --- round trips ---------------------------------------------------------------------------------
def test_import_export_import_gives_the_same_model(tmp_path: Path):
    first = imported()
    project = case_to_project(first, "nasab case")
    assert {p.id for p in project.persons if p.consider_dropout} == {"MO", "POI"}
    assert {k: v.dropout for k, v in project.loci.items() if v.dropout} == DROPOUT
    assert {k: v.silent_frequency for k, v in project.loci.items() if v.silent} == SILENT_FREQ
    write_fam(project, tmp_path / "again.fam")
    again = project_to_case(read_fam(tmp_path / "again.fam"))
    assert effective_drops(again) == effective_drops(first)
    assert frequencies(again) == frequencies(first)
    assert again.family.genotypes == first.family.genotypes
    assert again.poi.genotypes == first.poi.genotypes
    assert lrs(again) == pytest.approx(lrs(first), rel=1e-12, abs=1e-12)


def test_case_folder_round_trip(tmp_path: Path):
    first = imported()
    write_case_folder(first, read_fam(FAM), tmp_path / "c")
    back = read_case(tmp_path / "c")
    assert effective_drops(back) == effective_drops(first)
    assert frequencies(back) == frequencies(first)
    assert lrs(back) == pytest.approx(lrs(first), rel=1e-12, abs=1e-12)


def test_cli_export_of_folder_with_dropout(tmp_path: Path):
    assert cli("import", str(FAM), "--out", str(tmp_path / "c"), "--h1", H1) == 0
    assert cli("export", "--case", str(tmp_path / "c"), "--out", str(tmp_path / "x.fam")) == 0
    p = read_fam(tmp_path / "x.fam")
    assert p.consider_dropout == ["MO", "POI"] and p.silent_frequencies == SILENT_FREQ
    assert cli("import", str(tmp_path / "x.fam"), "--out", str(tmp_path / "d")) == 0
    assert lrs(read_case(tmp_path / "d")) == pytest.approx(
        lrs(read_case(tmp_path / "c")), rel=1e-12, abs=1e-12
    )


def test_nasab_case_with_uniform_reference_dropout_exports(tmp_path: Path):
    case = hand_built_case()
    case.family.marker_drops = {}
    case.poi.marker_drops = {}
    case.poi.drop = DropModel(0.1)
    case.family.drops = {pid: DropModel(0.1) for pid in case.family.typed_persons()}
    case.family.genotypes["FA"]["VWA"] = ("16", "17")  # no silent allele under dropout
    case.poi.genotypes["TH01"] = ("9", "F")  # one allele seen: Familias writes 9/9
    project = case_to_project(case, "nasab case")
    assert {p.id for p in project.persons if p.consider_dropout} == {"FA", "MO", "BR", "POI"}
    assert {v.dropout for v in project.loci.values()} == {0.1}
    write_fam(project, tmp_path / "u.fam")
    back = project_to_case(read_fam(tmp_path / "u.fam"))
    assert back.poi.genotypes["TH01"] == ("9", "9")
    assert lrs(back) == pytest.approx(lrs(case), rel=1e-12, abs=1e-12)


def test_dvi_folder_keeps_silent_alleles(tmp_path: Path):
    def edit(ls):
        i = ls.index('"TH01"')
        ls[i + 5] = str(int(ls[i + 5]) + 1)  # one more allele: the silent one
        ls[i + 10], ls[i + 11] = "#TRUE#", "0.02"
        return ls

    lines = (FIX / "dvi.fam").read_text(encoding="utf-8").splitlines()
    fam = tmp_path / "dvi_silent.fam"
    fam.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    assert cli("import", str(fam), "--out", str(tmp_path / "d")) == 0
    assert "silent\t0.02" in (tmp_path / "d" / "freqs.txt").read_text()
    p = dvi_folder_to_project(tmp_path / "d")
    assert p.loci["TH01"].silent and p.loci["TH01"].silent_frequency == pytest.approx(0.02)
    assert "silent" not in p.table["TH01"].alleles


# --- still refused, precisely ----------------------------------------------------------------------
def _edited(tmp_path: Path, edit, name: str = "dropout_silent.fam") -> Path:
    lines = (FIX / name).read_text(encoding="utf-8").splitlines()
    out = tmp_path / f"edited_{name}"
    out.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return out


def _person_line(lines: list[str], pid: str) -> int:
    return lines.index(f'"{pid}"')


def test_refuses_partial_genotype_of_flagged_person(tmp_path: Path):
    def edit(ls):
        ls[_person_line(ls, "POI") + 7] = "-1"  # second allele of D3S1358 unknown
        return ls

    with pytest.raises(InputError, match="partial genotype") as e:
        project_to_case(read_fam(_edited(tmp_path, edit)), poi="POI", h1=H1, h2=H2)
    assert e.value.field == "Consider dropouts" and e.value.file.endswith(".fam")


def test_refuses_silent_allele_of_flagged_person(tmp_path: Path):
    def edit(ls):
        i = _person_line(ls, "MO")
        ls[i + 2] = "-1 (Consider dropouts)"
        j = i + 6 + 3 * 3  # MO's 4th marker (VWA): alleles 15/18 -> 15/silent
        assert ls[j + 2] == "3"
        ls[j + 1] = "6"
        return ls

    with pytest.raises(InputError, match="silent allele") as e:
        project_to_case(read_fam(_edited(tmp_path, edit)), poi="POI", h1=H1, h2=H2)
    assert "MO" in e.value.message and e.value.field == "Consider dropouts"


@pytest.mark.parametrize("name", ["s", "null", "Silent"])
def test_refuses_regular_allele_named_like_silent(tmp_path: Path, name: str):
    bad = _edited(tmp_path, lambda ls: [f'"{name}"' if x == '"19"' else x for x in ls])
    with pytest.raises(InputError, match="reads this name as a silent allele") as e:
        project_to_case(read_fam(bad), poi="POI", h1=H1, h2=H2)
    assert e.value.file.endswith(".fam")


def test_refuses_silent_genotype_with_zero_frequency(tmp_path: Path):
    def edit(ls):
        i = ls.index('"VWA"')
        ls[i + 11] = "0"
        return ls

    with pytest.raises(InputError, match="impossible") as e:
        project_to_case(read_fam(_edited(tmp_path, edit)), poi="POI", h1=H1, h2=H2)
    assert "'FA'" in e.value.message and e.value.field == "silent allele"


def test_export_refuses_dropout_that_differs_between_persons():
    case = hand_built_case()
    case.family.marker_drops["VWA"]["MO"] = DropModel(0.3)  # POI has 0.2 at VWA
    with pytest.raises(InputError, match="differs between persons") as e:
        case_to_project(case, "my/case.json")
    assert e.value.file == "my/case.json" and e.value.field == "dropout"
    assert "MO 0.3" in e.value.message and "POI 0.2" in e.value.message


def test_export_refuses_flagged_and_unflagged_at_one_marker():
    case = hand_built_case()
    del case.family.marker_drops["TH01"]["MO"]  # MO: no dropout at TH01, POI 0.05
    with pytest.raises(InputError, match="TH01.*MO 0.*POI 0.05"):
        case_to_project(case, "case.json")


@pytest.mark.parametrize(
    ("drop", "field", "message"),
    [
        (DropModel(0.1, None, 0.05), "dropin", "drop-in"),
        (DropModel(0.1, 0.05), "dropout_hom", "homozygote"),
    ],
)
def test_export_refuses_what_familias_has_no_field_for(drop, field, message):
    case = hand_built_case()
    case.poi.marker_drops = {}
    case.poi.drop = drop
    case.family.marker_drops = {}
    with pytest.raises(InputError, match=message) as e:
        case_to_project(case, "case.json")
    assert e.value.field == field and e.value.file == "case.json"


def test_engine_refuses_silent_allele_observed_under_dropout():
    case = hand_built_case()
    case.family.marker_drops["VWA"]["FA"] = DropModel(0.1)  # FA is 16/silent at VWA
    with pytest.raises(ModelError, match="silent allele"):
        lrs(case)


def test_export_refuses_silent_allele_under_dropout():
    case = hand_built_case()
    case.poi.genotypes["VWA"] = ("15", "silent")
    with pytest.raises(InputError, match="silent allele"):
        case_to_project(case, "case.json")


def test_dvi_export_refuses_dropout_of_remains(tmp_path: Path):
    assert cli("import", str(FIX / "dvi.fam"), "--out", str(tmp_path / "d")) == 0
    meta = json.loads((tmp_path / "d" / "dvi.json").read_text())
    meta["dropout"] = {"V1": 0.1}
    (tmp_path / "d" / "dvi.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match="cannot hold dropout") as e:
        dvi_folder_to_project(tmp_path / "d")
    assert e.value.field == "dropout" and e.value.file.endswith("dvi.json")


def test_dvi_import_refuses_dropout_of_case_section_persons(tmp_path: Path, capsys):
    lines = (FIX / "dvi.fam").read_text(encoding="utf-8").splitlines()
    assert lines[4] == "0"  # no persons in the case section: add one, flagged
    person = ['"X"', "#FALSE#", "-1 (Consider dropouts)", "#FALSE#", "#TRUE#", "0"]
    fam = tmp_path / "dvi_flagged.fam"
    fam.write_text("\n".join(lines[:4] + ["1"] + person + lines[5:]) + "\n", encoding="utf-8")
    assert read_fam(fam).consider_dropout == ["X"]
    assert cli("import", str(fam), "--out", str(tmp_path / "o")) == 2
    assert "DVI folder does not hold" in capsys.readouterr().err


# --- case.json dropout settings ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dropout", "field"),
    [
        ({"poi": 0.1, "victims": 0.2}, "dropout"),
        ({"poi": {"NOPE": 0.1}}, "dropout.poi"),
        ({"persons": {"ZZ": 0.1}}, "dropout.persons"),
        ({"persons": {"MO": {"VWA": 1.5}}}, "dropout.persons.MO.VWA"),
    ],
)
def test_case_json_dropout_errors_name_the_field(tmp_path: Path, dropout, field):
    write_case_folder(imported(), read_fam(FAM), tmp_path / "c")
    meta = json.loads((tmp_path / "c" / "case.json").read_text())
    meta["dropout"] = dropout
    (tmp_path / "c" / "case.json").write_text(json.dumps(meta))
    with pytest.raises(InputError) as e:
        read_case(tmp_path / "c")
    assert e.value.field == field and e.value.file.endswith("case.json")


def test_case_json_named_persons_replace_references(tmp_path: Path):
    write_case_folder(imported(), read_fam(FAM), tmp_path / "c")
    meta = json.loads((tmp_path / "c" / "case.json").read_text())
    meta["dropout"] = {"references": 0.1, "persons": {"MO": {"VWA": 0.2}, "FA": 0}}
    (tmp_path / "c" / "case.json").write_text(json.dumps(meta))
    case = read_case(tmp_path / "c")
    assert case.family.drops_for("VWA")["MO"] == DropModel(0.2)
    assert "MO" not in case.family.drops_for("TH01") and "FA" not in case.family.drops_for("TH01")
    assert case.family.drops_for("TH01")["BR"] == DropModel(0.1)
    assert case.poi.drop is None and not case.poi.marker_drops
    assert all(math.isfinite(x) for x in lrs(case))
