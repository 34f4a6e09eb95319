"""Familias .fam import/export: fixtures, round trips, LRs, bad input, CLI."""

from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path

import pytest

from nasab.engine.errors import InputError
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import MutationSpec
from nasab.formats import cli as cli_familias
from nasab.formats.familias import MISSING_PERSON, read_fam, write_fam
from nasab.formats.familias_convert import project_to_case, write_case_folder
from nasab.formats.familias_export import case_to_project, dvi_folder_to_project
from nasab.formats.io import read_case

from ..conftest import ORACLE, public_cases

FIX = Path(__file__).parent / "fixtures"
FAMS = sorted(FIX.glob("*.fam"))


def lr_of(case) -> list[float]:
    r = missing_person_lr(
        case.family, case.missing, case.poi, case.table, case.mutations, case.markers
    )
    return [m.log10_lr for m in r.markers]


def close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        (x == y == -math.inf) or abs(x - y) < 1e-9 for x, y in zip(a, b, strict=True)
    )


def cli(*argv: str) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command")
    cli_familias.add_parser(sub)
    return cli_familias.run(ap.parse_args(["familias", *argv]))


# --- import and round trip -------------------------------------------------------------------
def test_fixtures_exist():
    assert {f.name for f in FAMS} >= {"paternity.fam", "missing_person.fam", "dvi.fam"}


@pytest.mark.parametrize("fam", FAMS, ids=lambda p: p.name)
def test_round_trip(fam: Path, tmp_path: Path):
    a = read_fam(fam)
    out = tmp_path / "again.fam"
    write_fam(a, out)
    b = read_fam(out)
    assert b.to_dict() == a.to_dict()
    write_fam(b, tmp_path / "third.fam")  # writing is stable
    assert (tmp_path / "third.fam").read_bytes() == out.read_bytes()


def test_paternity_contents():
    p = read_fam(FIX / "paternity.fam")
    assert p.version == "3.3.1" and not p.is_dvi and p.theta == 0
    assert [(x.id, x.sex) for x in p.persons] == [("AF", 1), ("MO", 2), ("CH", 1)]
    assert p.person("CH").genotypes["TH01"] == ("6", "9.3")
    assert p.known_relations == [("MO", "CH")]
    h1, h2 = p.pedigrees
    assert h1.name == "AF is father" and h1.family.pedigree["CH"].father == "AF"
    # In H2 only the mother is known: nasab adds an untyped father, and says so.
    assert h2.added == ["added_CH_father"] and h2.family.pedigree["CH"].mother == "MO"
    assert p.database_name == "SyntheticDB"
    assert p.loci["FGA"].database_size == 500 and p.loci["FGA"].maf == 0
    assert p.setting("Other", "NumberOfDecimals") == "10"


def test_mutation_models_map_to_mutation_spec():
    p = read_fam(FIX / "paternity.fam")
    m = p.mutations
    assert m["D3S1358"] == MutationSpec("stepwise", 0.001, 0.002, 1e-6, 1e-6, 0.1, 0.1)  # code 4
    assert m["FGA"] == MutationSpec("proportional", 0.002, 0.003)  # code 1
    assert m["D8S1179"] == MutationSpec("stepwise", 0.001, 0.0025, 0, 0, 0.5, 0.5, "PM")  # 3
    q = read_fam(FIX / "missing_person.fam").mutations
    assert q["VWA"] == MutationSpec("equal", 0.002, 0.002)  # code 0
    assert q["D21S11"] == MutationSpec("stepwise", 0.0012, 0.0019, 0, 0, 0.3, 0.3)  # code 2
    assert p.loci["D8S1179"].codes == (3, 3)
    # Familias' own parameters are kept as written (range/rate2 for non-stepwise models too)
    assert p.loci["FGA"].params == (0.002, 0.003, 0.1, 0.1, 1e-6, 1e-6)


def test_missing_person_contents():
    p = read_fam(FIX / "missing_person.fam")
    assert [x.name for x in p.pedigrees] == [
        "POI is son",
        "Unrelated",
        "POI is paternal half-brother",
    ]
    half = p.pedigrees[2]
    assert half.extras == [("ped3_extra_F1", 2)]
    assert half.family.pedigree["POI"].mother == "ped3_extra_F1"
    mo = p.person("MO")
    assert mo.consider_dropout and p.person("BR").birth == "1961"
    assert "VWA" not in p.person("BR").genotypes  # untyped marker stays untyped


def test_dvi_contents():
    p = read_fam(FIX / "dvi.fam")
    assert p.is_dvi and p.version == "3.4.1" and p.theta == pytest.approx(0.02)
    assert [(u.id, u.sex) for u in p.dvi.unidentified] == [("V1", 1), ("V2", 2), ("V3", 1)]
    assert set(p.dvi.unidentified[2].genotypes) == {"D3S1358", "TH01"}
    assert list(p.dvi.families) == ["F1", "F2"]
    f2 = p.dvi.families["F2"]
    assert f2.missing == [MISSING_PERSON]
    assert [x.name for x in f2.pedigrees] == ["Reference pedigree", "F2"]
    assert len(f2.distinct_pedigrees()) == 1
    ped = f2.family.pedigree
    assert ped[MISSING_PERSON].father == "FA2" and ped["S1"].mother == "MO2"
    assert p.loci["FGA"].dropout == pytest.approx(0.05)
    assert p.setting("Direct/Identity", "Dropin") == "0.01"
    assert p.setting("Prior", "Size") == "3"


# --- LRs ---------------------------------------------------------------------------------------
def test_lr_of_imported_case_equals_ped_poi_files():
    p = read_fam(FIX / "missing_person.fam")
    parts = project_to_case(p, poi="POI", h1="POI is son", h2="Unrelated")
    assert parts.missing == "MP"
    from_fam = lr_of(parts)
    from_files = lr_of(read_case(FIX / "missing_person_case"))
    assert close(from_fam, from_files)
    assert sum(from_fam) != 0


def test_lr_through_cli_import(tmp_path: Path):
    assert (
        cli(
            "import",
            str(FIX / "missing_person.fam"),
            "--out",
            str(tmp_path / "c"),
            "--h1",
            "POI is son",
        )
        == 0
    )
    assert close(lr_of(read_case(tmp_path / "c")), lr_of(read_case(FIX / "missing_person_case")))


@pytest.mark.parametrize("case_dir", public_cases(), ids=lambda p: p.name)
def test_oracle_cases_survive_fam(case_dir: Path, tmp_path: Path):
    case = read_case(case_dir)
    fam = tmp_path / "case.fam"
    write_fam(case_to_project(case, str(case_dir)), fam)
    parts = project_to_case(read_fam(fam))
    got = lr_of(parts)
    want = case.expected["log10LR_per_marker"]
    want = [-math.inf if want[m] == "-Inf" else want[m] for m in case.markers]
    assert len(got) == len(want)
    for x, y in zip(got, want, strict=True):
        assert (x == y == -math.inf) or abs(x - y) < 1e-6


# --- bad input -----------------------------------------------------------------------------------
def _variant(tmp_path: Path, name: str, edit) -> Path:
    lines = (FIX / name).read_text(encoding="utf-8").splitlines()
    out = tmp_path / f"bad_{name}"
    out.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return out


@pytest.mark.parametrize("cut", [2, 4, 9, 40, 80, 120, 160])
def test_truncated_file(tmp_path: Path, cut: int):
    bad = _variant(tmp_path, "paternity.fam", lambda ls: ls[:cut])
    with pytest.raises(InputError) as e:
        read_fam(bad)
    assert e.value.line is not None and e.value.file == str(bad)


def test_truncated_dvi(tmp_path: Path):
    lines = (FIX / "dvi.fam").read_text(encoding="utf-8").splitlines()
    cut = lines.index("[[[[[Person 2]]]]]")
    bad = _variant(tmp_path, "dvi.fam", lambda ls: ls[:cut])
    with pytest.raises(InputError, match="truncated") as e:
        read_fam(bad)
    assert e.value.line is not None


@pytest.mark.parametrize("version", ["2.0", "4.0.1", "1.7", "v3"])
def test_unsupported_version(tmp_path: Path, version: str, capsys):
    bad = _variant(tmp_path, "paternity.fam", lambda ls: ls[:2] + [version] + ls[3:])
    with pytest.raises(InputError, match="version") as e:
        read_fam(bad)
    assert e.value.line == 3
    assert cli("import", str(bad), "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert "version" in err and "line 3" in err


def _locus_line(lines: list[str], name: str) -> int:
    return lines.index(f'"{name}"')


@pytest.mark.parametrize(
    ("locus", "offset", "value", "message"),
    [
        ("FGA", 3, "7", "mutation model code 7"),  # not one of Familias' five models
        ("FGA", 3, "0", "differ"),  # female Equal, male Proportional, both mutating
        ("D3S1358", 13, '"X"', "numeric"),  # stepwise model on a non-numeric allele
    ],
)
def test_refused_locus_models(tmp_path: Path, locus: str, offset: int, value: str, message: str):
    def edit(ls):
        ls[_locus_line(ls, locus) + offset] = value
        return ls

    with pytest.raises(InputError, match=message) as e:
        read_fam(_variant(tmp_path, "paternity.fam", edit))
    first = _locus_line((FIX / "paternity.fam").read_text().splitlines(), locus) + 1
    assert e.value.line is not None and e.value.line >= first


def test_precomputed_probabilities_and_twins_refused(tmp_path: Path):
    def probs(ls):
        i = next(k for k, x in enumerate(ls) if x.startswith("#FALSE# (#Databases"))
        ls[i] = ls[i].replace("#FALSE#", "#TRUE#")
        return ls

    with pytest.raises(InputError, match="precomputed"):
        read_fam(_variant(tmp_path, "paternity.fam", probs))

    def twins(ls):
        i = ls.index('"AF is father"')
        ls[i + 4] = "0 Direct"
        return ls

    with pytest.raises(InputError, match="twin"):
        read_fam(_variant(tmp_path, "paternity.fam", twins))


def test_duplicate_person_and_bad_index(tmp_path: Path):
    with pytest.raises(InputError, match="twice"):
        read_fam(
            _variant(
                tmp_path, "paternity.fam", lambda ls: [('"AF"' if x == '"CH"' else x) for x in ls]
            )
        )

    def bad_index(ls):
        i = ls.index('"AF is father"')
        ls[i + 5] = "9"
        return ls

    with pytest.raises(InputError, match="not one of") as e:
        read_fam(_variant(tmp_path, "paternity.fam", bad_index))
    assert e.value.line is not None


def test_not_a_fam_file(tmp_path: Path):
    bad = tmp_path / "x.fam"
    bad.write_text("id\tfid\tmid\tsex\n", encoding="utf-8")
    with pytest.raises(InputError, match="Familias"):
        read_fam(bad)


def test_dropout_is_not_silently_ignored(tmp_path: Path):
    fam = _variant(
        tmp_path,
        "missing_person.fam",
        lambda ls: [
            x.replace("Dropout probability = 0 ", "Dropout probability = 0.1 ") for x in ls
        ],
    )
    assert read_fam(fam).loci["VWA"].dropout == pytest.approx(0.1)
    assert cli("import", str(fam), "--out", str(tmp_path / "o"), "--h1", "POI is son") == 0
    case = read_case(tmp_path / "o")  # MO is flagged "(Consider dropouts)": hers is used
    meta = json.loads((tmp_path / "o" / "case.json").read_text())
    assert meta["dropout"] == {"persons": {"MO": 0.1}}
    assert case.family.drops_for("VWA")["MO"].dropout == pytest.approx(0.1)
    assert not close(lr_of(case), lr_of(read_case(FIX / "missing_person_case")))


# --- CLI -------------------------------------------------------------------------------------------
def test_cli_import_paternity_case(tmp_path: Path):
    out = tmp_path / "pat"
    assert cli("import", str(FIX / "paternity.fam"), "--out", str(out)) == 0
    case = read_case(out)
    assert case.poi.id == "AF" and case.missing == "added_CH_father"
    meta = json.loads((out / "case.json").read_text())
    assert meta["markers"]["D8S1179"]["transform"] == "PM"
    assert meta["familias"]["h1"] == "AF is father"
    assert all(math.isfinite(x) for x in lr_of(case))


def test_cli_import_dvi(tmp_path: Path):
    out = tmp_path / "dvi"
    assert cli("import", str(FIX / "dvi.fam"), "--out", str(out)) == 0
    meta = json.loads((out / "dvi.json").read_text())
    assert set(meta["families"]) == {"F1", "F2"}
    assert set(meta["victims"]) == {"V1", "V2", "V3"}
    assert meta["theta"] == pytest.approx(0.02)
    missing = meta["families"]["F2"]["missing"]
    assert missing == ["F2_MP"] and meta["missing_persons"]["F2_MP"]["family"] == "F2"
    assert (out / "families" / "F1.ped").exists() and (out / "victims.tsv").exists()


def test_cli_export_case_round_trip(tmp_path: Path):
    fam = tmp_path / "c.fam"
    assert cli("export", "--case", str(FIX / "missing_person_case"), "--out", str(fam)) == 0
    assert cli("import", str(fam), "--out", str(tmp_path / "back")) == 0
    assert close(lr_of(read_case(tmp_path / "back")), lr_of(read_case(FIX / "missing_person_case")))


def test_cli_export_allele_missing_from_the_table_names_the_case(tmp_path: Path, capsys):
    """A typed allele absent from the frequency table named the export's temporary file
    (.c.fam.xxxx.tmp.fam); now the case and the table, and nothing is written."""
    case = tmp_path / "case"
    shutil.copytree(FIX / "missing_person_case", case)
    poi = case / "poi.tsv"
    poi.write_text(poi.read_text().replace("POI\t14/15", "POI\t99/15"))
    fam = tmp_path / "c.fam"
    assert cli("export", "--case", str(case), "--out", str(fam)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"nasab: error: {case / 'case.json'}: allele 99 of 'POI' (marker D3S1358) is not in "
        f"the frequency table {case / 'freqs.txt'}; Familias needs every typed allele there"
    ], err
    assert list(tmp_path.iterdir()) == [case]


def test_cli_export_dvi_round_trip(tmp_path: Path):
    assert cli("import", str(FIX / "dvi.fam"), "--out", str(tmp_path / "d")) == 0
    fam = tmp_path / "d.fam"
    assert cli("export", "--dvi", str(tmp_path / "d"), "--out", str(fam)) == 0
    p = read_fam(fam)
    orig = read_fam(FIX / "dvi.fam")
    assert [u.id for u in p.dvi.unidentified] == [u.id for u in orig.dvi.unidentified]
    for name, f in orig.dvi.families.items():
        g = p.dvi.families[name]
        assert g.family.genotypes == f.family.genotypes
        assert {(x.id, x.father, x.mother) for x in g.family.pedigree.persons} == {
            (x.id, x.father, x.mother) for x in f.family.pedigree.persons
        }


def test_cli_export_refuses_several_missing_per_family(tmp_path: Path, capsys):
    if not (ORACLE / "dvi" / "example2").is_dir():
        pytest.skip("shared oracle data not present")
    assert (
        cli("export", "--dvi", str(ORACLE / "dvi" / "example2"), "--out", str(tmp_path / "x.fam"))
        == 2
    )
    assert "one missing person" in capsys.readouterr().err


def test_dvi_folder_export_of_oracle(tmp_path: Path):
    folder = ORACLE / "dvi" / "planecrash"
    if not folder.is_dir():
        pytest.skip("shared oracle data not present")
    p = dvi_folder_to_project(folder)
    write_fam(p, tmp_path / "pc.fam")
    q = read_fam(tmp_path / "pc.fam")
    assert q.to_dict() == p.to_dict()
    assert len(q.dvi.families) == len(json.loads((folder / "dvi.json").read_text())["families"])


def test_case_folder_written_by_import_matches_parts(tmp_path: Path):
    p = read_fam(FIX / "missing_person.fam")
    parts = project_to_case(p, h1="POI is paternal half-brother")
    write_case_folder(parts, p, tmp_path / "h")
    assert close(lr_of(read_case(tmp_path / "h")), lr_of(parts))


def test_dvi_alternative_pedigrees_and_missing_parent(tmp_path: Path, capsys):
    p = read_fam(FIX / "dvi_alternatives.fam")
    assert p.version == "3.1.9"
    fa = p.dvi.families["Father of C1"]
    assert fa.family.pedigree[MISSING_PERSON].sex == 1  # a father: inferred from the mother
    f3 = p.dvi.families["F3"]
    assert [x.name for x in f3.pedigrees] == [
        "Reference pedigree",
        "MP is brother of B3",
        "MP is half-brother of B3",
    ]
    assert len(f3.distinct_pedigrees()) == 3
    assert f3.family.pedigree[MISSING_PERSON].father == "G3"
    assert f3.pedigrees[2].added == ["added_Missing person_mother"]
    assert p.dvi.notes == ["Father missing since 1994"]
    assert cli("import", str(FIX / "dvi_alternatives.fam"), "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert (
        "'F3' has 2 different pedigrees ('MP is brother of B3', 'MP is half-brother of B3')" in err
    )
    assert "--pedigree 'F3=NAME'" in err
    assert (
        cli(
            "import",
            str(FIX / "dvi_alternatives.fam"),
            "--out",
            str(tmp_path / "o"),
            "--pedigree",
            "F3=MP is half-brother of B3",
        )
        == 0
    )
    meta = json.loads((tmp_path / "o" / "dvi.json").read_text())
    assert meta["familias"]["import_notes"]["F3"] == [
        "pedigree 'MP is half-brother of B3' used (--pedigree)"
    ]


def test_partial_genotype_index(tmp_path: Path):
    def edit(ls):
        i = ls.index('"CH"')
        ls[i + 7] = "-1"  # second allele of the first marker unknown
        return ls

    bad = _variant(tmp_path, "paternity.fam", edit)
    p = read_fam(bad)
    assert p.person("CH").genotypes["D3S1358"] == ("14", None)
    write_fam(p, tmp_path / "again.fam")
    assert read_fam(tmp_path / "again.fam").to_dict() == p.to_dict()


def test_dvi_unknown_key_and_missing_section(tmp_path: Path):
    bad = _variant(
        tmp_path,
        "dvi.fam",
        lambda ls: [("Hair= brown" if x == "Gender= Female" else x) for x in ls],
    )
    with pytest.raises(InputError, match="Hair") as e:
        read_fam(bad)
    assert e.value.line is not None
    cut = _variant(tmp_path, "dvi.fam", lambda ls: ls[: ls.index("[DVI]")])
    with pytest.raises(InputError, match="DVI"):
        read_fam(cut)


def test_plain_fields():
    p = read_fam(FIX / "missing_person.fam")
    assert p.consider_dropout == ["MO"]
    assert p.dropout["VWA"] == 0 and p.silent_frequencies == {}


def test_windows_1252_file(tmp_path: Path):
    text = (FIX / "paternity.fam").read_text(encoding="utf-8").replace('"MO"', '"Mør"')
    f = tmp_path / "latin.fam"
    f.write_bytes(text.encode("cp1252"))
    p = read_fam(f)
    assert p.persons[1].id == "Mør" and p.known_relations == [("Mør", "CH")]
    write_fam(p, tmp_path / "utf8.fam")
    assert read_fam(tmp_path / "utf8.fam").to_dict() == p.to_dict()


def test_write_refuses_unknown_sex(tmp_path: Path):
    p = read_fam(FIX / "paternity.fam")
    p.persons[0].sex = 0
    with pytest.raises(InputError, match="unknown sex") as e:
        write_fam(p, tmp_path / "x.fam")
    assert e.value.file == str(tmp_path / "x.fam")


@pytest.mark.parametrize("where", ["victims.tsv", "families/F1.ped"])
def test_cli_export_dvi_allele_missing_from_the_table_is_refused(tmp_path: Path, capsys, where):
    """A DVI folder's typed allele absent from the frequency table was written to the .fam
    in silence (the case export refused it): now refused naming the file it was read from,
    and nothing is written."""
    d = tmp_path / "d"
    assert cli("import", str(FIX / "dvi.fam"), "--out", str(d)) == 0
    capsys.readouterr()
    path = d / where
    lines = path.read_text().splitlines()
    head = lines[0].split("\t")
    col = next(i for i, c in enumerate(head) if c not in ("id", "fid", "mid", "sex"))
    row = next(i for i, ln in enumerate(lines[1:], 1) if "/" in ln.split("\t")[col])
    cells = lines[row].split("\t")
    cells[col] = "99/" + cells[col].split("/")[1]
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n")
    fam = tmp_path / "d.fam"
    assert cli("export", "--dvi", str(d), "--out", str(fam)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"nasab: error: {path}: allele 99 of "), err
    assert "Familias needs every typed allele there" in err[0]
    assert not fam.exists()
