"""Fifteen real Familias files (written by Familias or by the authors of pedFamilias, dvir and
dviapp, not by nasab) against R's answers in ``../shared/oracle/familias-real`` (see its
README): every file R reads opens, and its numbers agree to 1e-6 in log10.

Case files: each pedigree's likelihood per marker, and each (POI, H1, H2) reading's LR per
marker. DVI files: the pairwise LR of every victim and missing person, and dviJoint's best
assignments where it finished. What R is given beyond the file (dvir's
``missingIdentifier``, pedFamilias' choice of a lone parent's sex) nasab is given by the
import's options (``missing_pattern``, ``sexes``).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pytest

from nasab.engine.errors import InputError
from nasab.engine.genotypes import is_typed
from nasab.engine.likelihood import marker_likelihood
from nasab.engine.lr import build_marker_model, missing_person_lr
from nasab.engine.pedigree import FEMALE
from nasab.formats.familias import read_fam
from nasab.formats.familias_convert import engine_table, project_to_case
from nasab.formats.familias_dvi_folder import write_dvi_folder
from nasab.joint.assignments import JointSolver
from nasab.joint.problem import read_dvi

from ..conftest import ORACLE

REAL = ORACLE / "familias-real"
NAMES = sorted(p.name for p in REAL.iterdir() if p.is_dir()) if REAL.is_dir() else []
TOL = 1e-6

# What R is told beyond the file (see each folder's answers.json: r_call, special).
# pedFamilias reads a missing person whose sex the file leaves open (a lone parent, a
# childless 'Missing person') as female; nasab keeps such a sex unknown unless told.
FEMALE_WHERE_OPEN = {"sexes": {"Missing person": FEMALE}}
READ_OPTIONS = {
    "dviapp-planecrash": FEMALE_WHERE_OPEN,
    "dvir-solution3-3": FEMALE_WHERE_OPEN,
    "dvir-exclusion-example": FEMALE_WHERE_OPEN,
    "dvir-ketpex497": FEMALE_WHERE_OPEN,
}
IMPORT_OPTIONS = {
    "dviapp-solution-4-9-2": {"missing_pattern": "^M[0-9]+$"},
    "dviapp-family-with-3-missing": {"missing_pattern": "^M[0-9]+$"},
}


def answers(name: str) -> dict:
    return json.loads((REAL / name / "answers.json").read_text())


def fam_file(name: str) -> Path:
    (path,) = (REAL / name).glob("*.fam")
    return path


def _l10(x) -> float:
    """A log10 value of answers.json ("-Inf" written as a string)."""
    return -math.inf if x == "-Inf" else float(x)


def _close(a: float, b: float) -> bool:
    return (a == b == -math.inf) or abs(a - b) <= TOL


pytestmark = pytest.mark.skipif(not NAMES, reason="shared/oracle/familias-real not present")


def test_all_fifteen_present():
    assert len(NAMES) == 15


@pytest.mark.parametrize("name", NAMES)
def test_every_file_r_reads_opens(name):
    ans = answers(name)
    if ans["kind"] == "dvi" and not ans.get("r_reads", True):
        pytest.skip("R does not read this file")
    project = read_fam(fam_file(name), **READ_OPTIONS.get(name, {}))
    assert project.is_dvi == (ans["kind"] == "dvi")


# --- case files ------------------------------------------------------------------------
CASES = [n for n in NAMES if answers(n)["kind"] == "case"]


@pytest.mark.parametrize("name", CASES)
def test_pedigree_likelihoods(name):
    ans = answers(name)
    project = read_fam(fam_file(name))
    table = engine_table(project)
    peds = {p.name: p for p in project.pedigrees}
    expected = ans["pedigrees"]
    if ans["expect"] == "one_pedigree":
        assert len(project.pedigrees) == 1
        expected = {project.pedigrees[0].name: expected["H1"]}
    for pname, exp in expected.items():
        fam = peds[pname].family
        total = 0.0
        for marker, value in exp["log10_likelihood_per_marker"].items():
            genos = {
                pid: fam.genotype(pid, marker)
                for pid in fam.genotypes
                if is_typed(fam.genotype(pid, marker))
            }
            model = build_marker_model(table, marker, project.mutations[marker])
            lik = marker_likelihood(fam.pedigree, genos, model)
            mine = math.log10(lik) if lik > 0 else -math.inf
            assert _close(mine, _l10(value)), (pname, marker, mine, value)
            total += mine
        assert _close(total, _l10(exp["log10_likelihood_total"])), pname


PAIRS = [(n, i) for n in CASES for i, _ in enumerate(answers(n).get("pairs", []))]


@pytest.mark.parametrize(("name", "i"), PAIRS)
def test_case_readings(name, i):
    pair = answers(name)["pairs"][i]
    project = read_fam(fam_file(name))
    if not pair["defined"]:  # 0/0: both pedigrees impossible; nasab refuses, R gives NaN
        case = project_to_case(project, poi=pair["poi"], h1=pair["h1"], h2=pair["h2"])
        with pytest.raises(InputError):
            missing_person_lr(
                case.family, case.missing, case.poi, case.table, case.mutations, case.markers
            )
        return
    case = project_to_case(project, poi=pair["poi"], h1=pair["h1"], h2=pair["h2"])
    res = missing_person_lr(
        case.family, case.missing, case.poi, case.table, case.mutations, case.markers
    )
    mine = {m.marker: m.log10_lr for m in res.markers}
    for marker, value in pair["log10LR_per_marker"].items():
        assert _close(mine[marker], _l10(value)), (marker, mine[marker], value)
    assert _close(res.log10_lr, _l10(pair["log10LR_total"]))


def test_one_reading_found_without_options():
    """A file with one reading of the case needs no --poi/--h1/--h2."""
    project = read_fam(fam_file("dviapp-missing-son-conditioned"))
    case = project_to_case(project)
    assert case.poi.id == "REF" and case.meta == {"h1": "H1: father", "h2": "H2: not father"}


# --- DVI files ---------------------------------------------------------------------------
DVIS = [n for n in NAMES if answers(n)["kind"] == "dvi" and answers(n).get("r_reads")]


@cache
def imported(name: str, folder: Path):
    project = read_fam(fam_file(name), **READ_OPTIONS.get(name, {}))
    notes = write_dvi_folder(project, folder, **IMPORT_OPTIONS.get(name, {}))
    meta = json.loads((folder / "dvi.json").read_text())
    problem = read_dvi(folder)
    problem.theta = 0.0  # R's answers are at theta 0 (pedFamilias ignores the file's theta)
    return problem, meta, notes, JointSolver(problem).solve(top=40)


def nasab_ids(ans: dict, meta: dict) -> dict[str, str]:
    """R's missing person (M1 ...) -> nasab's id in the imported folder."""
    renamed = meta["familias"]["renamed_missing"]
    out = {}
    for rid, mp in ans["missing_persons"].items():
        key = f"{mp['family']}/{mp['name_in_file']}"
        out[rid] = renamed.get(key, mp["name_in_file"])
        assert out[rid] in meta["families"][mp["family"]]["missing"], (rid, out[rid])
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("real")


@pytest.mark.parametrize("name", DVIS)
def test_dvi_missing_persons_and_sexes(name, workdir):
    ans = answers(name)
    problem, meta, _, _ = imported(name, workdir / name)
    ids = nasab_ids(ans, meta)
    assert sorted(ids.values()) == sorted(problem.missing)
    for rid, mp in ans["missing_persons"].items():
        assert meta["missing_persons"][ids[rid]]["sex"] == mp["sex"], rid
    assert {v.id: v.sex for v in problem.victims} == {
        v: d["sex"] for v, d in ans["victims"].items()
    }


@pytest.mark.parametrize("name", DVIS)
def test_dvi_pairwise(name, workdir):
    ans = answers(name)
    problem, meta, _, res = imported(name, workdir / name)
    ids = nasab_ids(ans, meta)
    for v, row in ans["pairwise_LR"]["matrix"].items():
        for rid, x in row.items():
            mine = res.pairwise[v][ids[rid]]
            if x is None:
                assert mine is None, (v, rid)
            elif x == 0:
                assert mine == -math.inf, (v, rid, mine)
            else:
                assert abs(mine - math.log10(x)) <= TOL, (v, rid, mine, x)


@pytest.mark.parametrize("name", DVIS)
def test_dvi_joint(name, workdir):
    ans = answers(name)
    joint = ans["joint"]
    problem, meta, _, res = imported(name, workdir / name)
    if not joint["finished"]:
        assert res.exact and res.assignments  # nasab answers where dviJoint gave up
        return
    ids = nasab_ids(ans, meta)
    assert res.n_assignments == joint["n_assignments"]
    assert abs(res.loglik_null - joint["loglik_null"]) < TOL
    mine = {tuple(sorted(a.pairs.items())): a for a in res.assignments}
    victims = [v.id for v in problem.victims]
    finite = [r for r in joint["top"] if r["log10LR_vs_null"] not in ("-Inf", None)]
    theirs = [r["log10LR_vs_null"] for r in finite]
    ours = [a.log10_lr for a in res.assignments[: len(finite)]]
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) <= TOL
    for r in finite[:10]:
        key = tuple(sorted((v, ids[r[v]]) for v in victims if r[v] != "*"))
        if key in mine:
            assert abs(mine[key].log10_lr - r["log10LR_vs_null"]) <= TOL
            assert abs(math.log10(mine[key].posterior) - math.log10(r["posterior_flat"])) <= TOL


def test_file_r_does_not_read_opens_with_the_pattern(workdir):
    """dviapp's FamilyWith3Missing.fam (dvir fails on it): M1-M3 listed without DNA beside a
    Reference pedigree; refused without naming them, imported with --missing-pattern."""
    name = "dviapp-family-with-3-missing"
    project = read_fam(fam_file(name))
    with pytest.raises(InputError, match="no missing person.*'M1', 'M2', 'M3'"):
        write_dvi_folder(project, workdir / "refused")
    assert not (workdir / "refused").exists()
    notes = write_dvi_folder(project, workdir / name, missing_pattern="^M[0-9]+$")
    assert notes == [
        "family 'Reference family 1': pedigree 'Template pedigree 2' used "
        "(beside its 'Reference pedigree')"
    ]
    problem = read_dvi(workdir / name)
    assert sorted(problem.missing) == ["M1", "M2", "M3"]
    ped = problem.families["Reference family 1"].pedigree
    assert (ped["M2"].father, ped["M2"].mother, ped["M3"].father) == ("M1", "R", "M2")
    assert JointSolver(problem).solve(top=3).exact
