"""Familias files as labs write them (issue 14): small files built here, one per situation,
each with its expected reading and LRs computed independently (nasab's LR of the intended
pedigree, built by hand).

- a family with a ``Reference pedigree`` and one other pedigree imports the other, says so;
  several different ones are refused until one is chosen (``--pedigree``);
- a lone parent whose sex the file leaves open: refused, naming ``--sex``; with it, read;
- rate 0 with the stationary stepwise code: the identity, accepted;
- missing persons listed as persons without DNA (``Missing ...``, or ``--missing-pattern``);
- no missing person, no victim, no typed reference: refused, nothing written.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from nasab.engine.errors import InputError
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.pedigree import FEMALE, MALE, UNKNOWN_SEX, Pedigree, Person
from nasab.formats import cli as cli_familias
from nasab.formats.familias import read_fam
from nasab.formats.familias_convert import engine_table, project_to_case
from nasab.formats.familias_dvi_folder import write_dvi_folder
from nasab.joint.assignments import JointSolver
from nasab.joint.problem import read_dvi

FIX = Path(__file__).parent / "fixtures"
HEAD = (FIX / "dvi.fam").read_text(encoding="utf-8").split("[DVI]")[0].rstrip() + "\r\n"
HEAD = HEAD.replace("Theta/Kinship/Fst: 0.02", "Theta/Kinship/Fst: 0")

V1 = {"D3S1358": ("14", "16"), "TH01": ("7", "9.3"), "FGA": ("20", "21")}
V2 = {"D3S1358": ("15", "17"), "TH01": ("6", "8"), "FGA": ("22", "24")}
R1 = {"D3S1358": ("14", "15"), "TH01": ("7", "8"), "FGA": ("20", "23")}


def _person(num: int, depth: int, name: str, gender: str, genos: dict) -> list[str]:
    out = ["[" * depth + f"Person {num}" + "]" * depth, f"Name= {name}", f"Gender= {gender}"]
    out += ["[" * (depth + 1) + "DNA data" + "]" * (depth + 1), f"nSystems= {len(genos)}"]
    for m, (a, b) in genos.items():
        out += [f"SystemName= {m}", f"Allele1= {a}", f"Allele2= {b}"]
    return out


def dvi_text(families: list[tuple], victims=(("V1", "Male", V1), ("V2", "Female", V2))) -> str:
    """A DVI .fam file; families: (name, [(person, gender, genos)], [(pedigree, [(p, c)])])."""
    out = ["[DVI]", "[[Unidentified persons]]", f"nPersons= {len(victims)}"]
    for i, v in enumerate(victims, 1):
        out += _person(i, 3, *v)
    out += ["[[Notes]]", f"nFamilies= {len(families)}", *[""] * len(families)]
    out += ["[[Reference Families]]", f"nFamilies= {len(families)}"]
    for i, (name, persons, peds) in enumerate(families, 1):
        out += [
            f"[[[Family {i} ]]]",
            f"Name= {name}",
            "[[[[Persons]]]]",
            f"nPersons= {len(persons)}",
        ]
        for j, p in enumerate(persons, 1):
            out += _person(j, 5, *p)
        out += ["[[[[Pedigrees]]]]", f"nPedigrees= {len(peds)}"]
        for j, (pname, rels) in enumerate(peds, 1):
            out += [f"[[[[[Pedigree {j}]]]]]", f"Name= {pname}", f"nRelations= {len(rels)}"]
            for par, child in rels:
                out += [f"Parent= {par}", f"Child= {child}"]
    return HEAD + "\r\n".join(out) + "\r\n"


def write(tmp_path: Path, text: str, name: str = "lab.fam") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def cli(*argv: str) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command")
    cli_familias.add_parser(sub)
    return cli_familias.run(ap.parse_args(["familias", *argv]))


def hand_lr(project, persons: list[Person], refs: dict, missing: str, victim: Profile) -> float:
    """nasab's LR of the intended pedigree, built by hand (not through the importer)."""
    family = Family(Pedigree(tuple(persons)), list(project.markers), refs, "hand")
    res = missing_person_lr(
        family, missing, victim, engine_table(project), project.mutations, list(project.markers)
    )
    return res.log10_lr


def imported(path: Path, out: Path, **options):
    project = read_fam(path, sexes=options.pop("sexes", None))
    notes = write_dvi_folder(project, out, **options)
    problem = read_dvi(out)
    return project, notes, json.loads((out / "dvi.json").read_text()), problem


# --- a Reference pedigree beside one other -------------------------------------------------
SON = (
    "F",
    [("R1", "Male", R1)],
    [("Reference pedigree", []), ("Son of R1", [("R1", "Missing person")])],
)


def test_reference_pedigree_and_one_other(tmp_path: Path, capsys):
    path = write(tmp_path, dvi_text([SON]))
    project, notes, meta, problem = imported(path, tmp_path / "out")
    assert notes == ["family 'F': pedigree 'Son of R1' used (beside its 'Reference pedigree')"]
    assert meta["families"]["F"]["missing"] == ["Missing person"]
    assert problem.families["F"].pedigree["Missing person"].father == "R1"
    res = JointSolver(problem).solve(top=5)
    victim = Profile("V1", V1, MALE, list(project.markers))
    persons = [
        Person("R1", None, None, MALE),
        Person("MO", None, None, FEMALE),
        Person("MP", "R1", "MO", UNKNOWN_SEX),
    ]
    expected = hand_lr(project, persons, {"R1": R1}, "MP", victim)
    assert abs(res.pairwise["V1"]["Missing person"] - expected) < 1e-12
    assert cli("import", str(path), "--out", str(tmp_path / "cli")) == 0
    assert "pedigree 'Son of R1' used" in capsys.readouterr().out


def test_several_pedigrees_need_a_choice(tmp_path: Path, capsys):
    fam = (
        "F",
        [("R1", "Male", R1), ("GF", "Male", {}), ("GM", "Female", {})],
        [
            ("Reference pedigree", []),
            ("Son", [("R1", "Missing person")]),
            (
                "Brother",
                [("GF", "R1"), ("GF", "Missing person"), ("GM", "R1"), ("GM", "Missing person")],
            ),
        ],
    )
    path = write(tmp_path, dvi_text([fam]))
    assert cli("import", str(path), "--out", str(tmp_path / "a")) == 2
    err = capsys.readouterr().err
    assert "2 different pedigrees ('Son', 'Brother')" in err and "--pedigree 'F=NAME'" in err
    assert not (tmp_path / "a").exists()
    assert cli("import", str(path), "--out", str(tmp_path / "b"), "--pedigree", "F=Son") == 0
    meta = json.loads((tmp_path / "b" / "dvi.json").read_text())
    assert meta["families"]["F"]["missing"] == ["Missing person"]
    assert cli("import", str(path), "--out", str(tmp_path / "c"), "--pedigree", "F=Brother") == 0
    meta = json.loads((tmp_path / "c" / "dvi.json").read_text())
    assert meta["families"]["F"]["missing"] == ["Missing person"]
    ped = read_dvi(tmp_path / "c").families["F"].pedigree
    assert (ped["Missing person"].father, ped["Missing person"].mother) == ("GF", "GM")
    assert cli("import", str(path), "--out", str(tmp_path / "d"), "--pedigree", "F=Nope") == 2
    assert "has no pedigree 'Nope'" in capsys.readouterr().err


# --- a lone parent: the sex by option ------------------------------------------------------
LONE = (
    "F",
    [("R1", "Male", R1)],
    [("Reference pedigree", []), ("Parent", [("Missing person", "R1")])],
)


def test_lone_parent_needs_sex(tmp_path: Path, capsys):
    path = write(tmp_path, dvi_text([LONE]))
    assert cli("import", str(path), "--out", str(tmp_path / "a")) == 2
    err = capsys.readouterr().err
    assert "cannot tell the sex of 'Missing person'" in err
    assert "--sex 'F/Missing person=M' (or =F)" in err
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(("given", "sex"), [("M", MALE), ("F", FEMALE)])
def test_lone_parent_sex_by_option(tmp_path: Path, given: str, sex: int):
    path = write(tmp_path, dvi_text([LONE]))
    project, _, meta, problem = imported(path, tmp_path / "out", sexes={"F/Missing person": sex})
    assert meta["missing_persons"]["Missing person"]["sex"] == sex
    res = JointSolver(problem).solve(top=5)
    other = "added_R1_mother" if sex == MALE else "added_R1_father"
    father, mother = ("MP", other) if sex == MALE else (other, "MP")
    persons = [
        Person("MP", None, None, sex),
        Person(other, None, None, 3 - sex),
        Person("R1", father, mother, MALE),
    ]
    victim_id, genos = ("V1", V1) if sex == MALE else ("V2", V2)
    victim = Profile(victim_id, genos, sex, list(project.markers))
    expected = hand_lr(project, persons, {"R1": R1}, "MP", victim)
    assert abs(res.pairwise[victim_id]["Missing person"] - expected) < 1e-12
    assert res.pairwise["V2" if sex == MALE else "V1"]["Missing person"] is None  # other sex
    # through the CLI, by the bare name too
    assert (
        cli("import", str(path), "--out", str(tmp_path / "cli"), "--sex", f"Missing person={given}")
        == 0
    )


def test_sex_option_errors(tmp_path: Path, capsys):
    path = write(tmp_path, dvi_text([LONE]))
    assert (
        cli(
            "import",
            str(path),
            "--out",
            str(tmp_path / "a"),
            "--sex",
            "X=M",
            "--sex",
            "F/Missing person=M",
        )
        == 2
    )
    assert "--sex names 'X'" in capsys.readouterr().err
    assert cli("import", str(path), "--out", str(tmp_path / "a"), "--sex", "Missing person=Q") == 2
    assert "the sex is M or F" in capsys.readouterr().err
    # stated for the family, against what the partners say: refused
    fam = (
        "F",
        [("R1", "Male", R1), ("W", "Female", {})],
        [("P", [("Missing person", "R1"), ("W", "R1")])],
    )
    path = write(tmp_path, dvi_text([fam]), "b.fam")
    assert (
        cli("import", str(path), "--out", str(tmp_path / "b"), "--sex", "F/Missing person=F") == 2
    )
    assert "its partners make it Male" in capsys.readouterr().err
    # a bare name fills only what the file leaves open: the partners decide here
    assert cli("import", str(path), "--out", str(tmp_path / "c"), "--sex", "Missing person=F") == 0


# --- rate 0 with the stationary stepwise code ------------------------------------------------
def _with_codes(text: str, locus: str, lines: list[str]) -> str:
    rows = text.splitlines()
    i = rows.index(f'"{locus}"')
    rows[i + 1 : i + 1 + len(lines)] = lines
    return "\r\n".join(rows) + "\r\n"


def test_rate_zero_with_stationary_code(tmp_path: Path):
    base = (FIX / "paternity.fam").read_text(encoding="utf-8")
    # D3S1358: rates 0, codes 3 (Stepwise stationary) for both sexes, rate2 1e-5 (ignored
    # at rate 0, as pedFamilias does); the same locus with code 0 (Equal) at rate 0
    stationary = _with_codes(
        base, "D3S1358", ["0", "0", "3", "3", "6", "0.1", "0.1", "1e-005", "1e-005"]
    )
    equal = _with_codes(base, "D3S1358", ["0", "0", "0", "0", "6", "0.1", "0.1", "0", "0"])
    a = read_fam(write(tmp_path, stationary, "s.fam"))
    b = read_fam(write(tmp_path, equal, "e.fam"))
    assert a.loci["D3S1358"].codes == (3, 3)
    spec = a.mutations["D3S1358"]
    assert spec.rate_female == spec.rate_male == 0 and spec.transform is None

    def lr(p):
        c = project_to_case(p)
        return (
            missing_person_lr(c.family, c.missing, c.poi, c.table, c.mutations, c.markers)
            .markers[0]
            .log10_lr
        )

    assert lr(a) == lr(b)
    # the stationary code at a positive rate is still the PM-stationary stepwise model
    positive = _with_codes(base, "D3S1358", ["0.002", "0.002", "3", "3"])
    assert read_fam(write(tmp_path, positive, "p.fam")).mutations["D3S1358"].transform == "PM"


# --- missing persons listed as persons without DNA ----------------------------------------------
def test_missing_listed_without_dna(tmp_path: Path):
    fam = (
        "F",
        [("R1", "Male", R1), ("Missing son", "Male", {}), ("Missing girl", "Female", {})],
        [("Reference pedigree", []), ("F", [("R1", "Missing son")])],
    )
    path = write(tmp_path, dvi_text([fam]))
    project, notes, meta, problem = imported(path, tmp_path / "out")
    assert meta["families"]["F"]["missing"] == ["Missing son"]
    assert meta["missing_persons"]["Missing son"]["sex"] == MALE
    assert "'Missing girl' in no relation of the pedigree used" in notes[-1]
    res = JointSolver(problem).solve(top=5)
    persons = [
        Person("R1", None, None, MALE),
        Person("MO", None, None, FEMALE),
        Person("MP", "R1", "MO", MALE),
    ]
    victim = Profile("V1", V1, MALE, list(project.markers))
    expected = hand_lr(project, persons, {"R1": R1}, "MP", victim)
    assert abs(res.pairwise["V1"]["Missing son"] - expected) < 1e-12


def test_missing_named_by_pattern(tmp_path: Path, capsys):
    fam = (
        "F",
        [("R1", "Male", R1), ("M1", "Male", {}), ("FA", "Male", {}), ("MO", "Female", {})],
        [
            ("Reference pedigree", []),
            ("F", [("FA", "R1"), ("MO", "R1"), ("FA", "M1"), ("MO", "M1")]),
        ],
    )
    path = write(tmp_path, dvi_text([fam]))
    assert cli("import", str(path), "--out", str(tmp_path / "a")) == 2
    err = capsys.readouterr().err
    assert "family 'F' has no missing person" in err
    assert "untyped persons: 'M1', 'FA', 'MO'" in err and "--missing-pattern" in err
    assert not (tmp_path / "a").exists()
    assert (
        cli("import", str(path), "--out", str(tmp_path / "b"), "--missing-pattern", "^M[0-9]+$")
        == 0
    )
    meta = json.loads((tmp_path / "b" / "dvi.json").read_text())
    assert meta["families"]["F"]["missing"] == ["M1"]  # FA and MO stay untyped relatives
    problem = read_dvi(tmp_path / "b")
    res = JointSolver(problem).solve(top=5)
    project = read_fam(path)
    persons = [
        Person("FA", None, None, MALE),
        Person("MO", None, None, FEMALE),
        Person("R1", "FA", "MO", MALE),
        Person("MP", "FA", "MO", MALE),
    ]
    victim = Profile("V1", V1, MALE, list(project.markers))
    expected = hand_lr(project, persons, {"R1": R1}, "MP", victim)
    assert abs(res.pairwise["V1"]["M1"] - expected) < 1e-12
    assert cli("import", str(path), "--out", str(tmp_path / "c"), "--missing-pattern", "(") == 2
    assert "not a regular expression" in capsys.readouterr().err


# --- refusals instead of an empty case ----------------------------------------------------------
def test_no_missing_person_refused(tmp_path: Path, capsys):
    fam = (
        "G",
        [("R1", "Male", R1), ("R2", "Female", V2)],
        [("Reference pedigree", [("R1", "R2")]), ("G", [("R1", "R2")])],
    )
    path = write(tmp_path, dvi_text([SON, fam]))
    with pytest.raises(InputError, match="family 'G' has no missing person"):
        write_dvi_folder(read_fam(path), tmp_path / "api")
    assert not (tmp_path / "api").exists()
    assert cli("import", str(path), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error: ") and "no untyped person in its pedigree" in err
    assert not (tmp_path / "out").exists()


def test_no_victim_refused(tmp_path: Path, capsys):
    path = write(tmp_path, dvi_text([SON], victims=()))
    assert cli("import", str(path), "--out", str(tmp_path / "out")) == 2
    assert "no unidentified person" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_no_typed_reference_refused(tmp_path: Path, capsys):
    fam = ("F", [("R1", "Male", {})], [("F", [("R1", "Missing person")])])
    path = write(tmp_path, dvi_text([fam]))
    assert cli("import", str(path), "--out", str(tmp_path / "out")) == 2
    assert "no typed reference" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_dvi_options_refused_for_cases(tmp_path: Path, capsys):
    path = FIX / "paternity.fam"
    assert cli("import", str(path), "--out", str(tmp_path / "a"), "--missing-pattern", "x") == 2
    assert "apply to DVI files" in capsys.readouterr().err
    assert cli("import", str(path), "--out", str(tmp_path / "b"), "--sex", "CH=M") == 2
    assert "--sex names 'CH'" in capsys.readouterr().err
