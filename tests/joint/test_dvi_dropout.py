"""Joint identification with degraded remains: the same observation model as nasab lr."""

from __future__ import annotations

import json
import math
import shutil

import pytest

from nasab.engine.lr import missing_person_lr
from nasab.engine.observation import DropModel
from nasab.joint.assignments import JointSolver
from nasab.joint.problem import read_dvi


def _with_dropout(dvi_root, tmp_path, dropout):
    folder = tmp_path / "planecrash"
    shutil.copytree(dvi_root / "planecrash", folder)
    meta = json.loads((folder / "dvi.json").read_text())
    meta.update(dropout)
    (folder / "dvi.json").write_text(json.dumps(meta))
    return read_dvi(folder)


def test_zero_dropout_changes_nothing(dvi_root, tmp_path) -> None:
    base = JointSolver(read_dvi(dvi_root / "planecrash")).pairwise()
    same = JointSolver(_with_dropout(dvi_root, tmp_path, {"dropout": 0.0})).pairwise()
    assert same == base


def test_pairwise_with_dropout_equals_nasab_lr(dvi_root, tmp_path) -> None:
    problem = _with_dropout(dvi_root, tmp_path, {"dropout": 0.15, "dropin": 0.02})
    assert all(v.drop == DropModel(0.15, None, 0.02) for v in problem.victims)
    pairwise = JointSolver(problem).pairwise()
    checked = 0
    for v in problem.victims[:3]:
        for m, fam_name in problem.missing.items():
            got = pairwise[v.id][m]  # log10 LR
            if got is None:
                continue
            fam = problem.families[fam_name]
            want = missing_person_lr(
                fam, m, v, problem.table, problem.mutations, problem.markers
            ).log10_lr
            assert got == want or math.isclose(got, want, abs_tol=1e-9)
            checked += 1
    assert checked > 0


def test_bad_dropout_in_dvi_json(dvi_root, tmp_path) -> None:
    from nasab.engine.errors import InputError

    with pytest.raises(InputError, match="dropout"):
        _with_dropout(dvi_root, tmp_path, {"dropout": 1.5})


def test_references_with_dropout_equal_nasab_lr(dvi_root) -> None:
    """A family's references under a dropout model (``family.drops``, the registry's
    reference-swab setting): the joint terms use it, as nasab lr does."""
    problem = read_dvi(dvi_root / "planecrash")
    base = JointSolver(read_dvi(dvi_root / "planecrash")).pairwise()
    for fam in problem.families.values():
        fam.drops = dict.fromkeys(fam.genotypes, DropModel(0.1))
    pairwise = JointSolver(problem).pairwise()
    checked = changed = 0
    for v in problem.victims[:3]:
        for m, fam_name in problem.missing.items():
            got = pairwise[v.id][m]
            if got is None:
                continue
            fam = problem.families[fam_name]
            want = missing_person_lr(
                fam, m, v, problem.table, problem.mutations, problem.markers
            ).log10_lr
            assert got == want or math.isclose(got, want, abs_tol=1e-9)
            changed += got != base[v.id][m]
            checked += 1
    assert checked > 0 and changed > 0
