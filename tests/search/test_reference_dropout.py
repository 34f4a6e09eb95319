"""References with dropout (reference swabs under a programme's dropout setting) in the
compiled search: the LRs of nasab lr (``missing_person_lr``) with the same ``family.drops``,
on remains complete and degraded; under theta > 0 refused, not approximated."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from nasab.engine.errors import ModelError
from nasab.engine.genotypes import Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import mutation_specs
from nasab.engine.observation import DropModel
from nasab.search import engine as E
from nasab.search.data import FamilyData, read_families, read_remains
from nasab.search.run import load_table
from nasab.search.tables import observation_classes


def _with_reference_drops(fam, model):
    return [
        FamilyData(
            dataclasses.replace(fd.family, drops=dict.fromkeys(fd.family.genotypes, model)),
            fd.missing,
            fd.line,
        )
        for fd in fam.families
    ]


@pytest.mark.parametrize(
    ("ref_drop", "remains_dropout"),
    [(DropModel(0.1), 0.0), (DropModel(0.05), 0.15)],
)
def test_reference_dropout_matches_nasab_lr(small_sim, ref_drop, remains_dropout) -> None:
    folder, _ = small_sim
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    if remains_dropout:  # a few degraded remains too: a/F singles under their own model
        rem.profiles = [
            Profile(
                p.id,
                {
                    k: ((v[0], "F") if v[0] is not None and v[1] not in (None, v[0]) else v)
                    for k, v in p.genotypes.items()
                },
                p.sex,
                p.markers,
                drop=DropModel(remains_dropout),
            )
            if n % 2
            else p
            for n, p in enumerate(rem.profiles)
        ]
    families = _with_reference_drops(fam, ref_drop)
    specs = mutation_specs(fam.markers, "stepwise")
    tabx = E.extended_table(table, fam.markers, families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    layout = E.Layout(
        fam.markers,
        [list(m.alleles) for m in models],
        classes=tuple(observation_classes([p.drop for p in rem.profiles], DropModel(0.0))),
    )
    rows, exact, problems = E.compile_families(families, layout, models, on_error="skip")
    assert not problems
    # the references' dropout changes the LRs (else the test would prove nothing)
    plain_rows, plain, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert plain_rows == rows
    fams = {fd.family.name: fd.family for fd in families}
    codes = layout.codes(rem.profiles)
    checked = changed = 0
    for i, (f, person) in enumerate(rows[:5]):
        for j, prof in enumerate(rem.profiles[:6]):
            ref = missing_person_lr(fams[f], person, prof, tabx, specs, fam.markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
                before = float(plain[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0
            else:
                assert abs(got - ref) <= 1e-9, (f, person, prof.id, got, ref)
            changed += not (math.isinf(before) and math.isinf(got)) and before != got
            checked += 1
    assert checked >= 20 and changed >= 10


def test_reference_dropout_under_theta_is_refused(small_sim) -> None:
    folder, _ = small_sim
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    families = _with_reference_drops(fam, DropModel(0.1))
    specs = mutation_specs(fam.markers, "stepwise")
    tabx = E.extended_table(table, fam.markers, families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models], theta=0.01)
    with pytest.raises(ModelError, match="dropout of reference profiles under theta"):
        E.compile_families(families, layout, models, on_error="skip")
