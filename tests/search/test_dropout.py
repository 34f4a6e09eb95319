"""Degraded remains in the blind search: single alleles a/F under a dropout probability
give the LRs of nasab lr with the same observation model, at the cost of one lookup."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nasab.engine.genotypes import Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import mutation_specs
from nasab.engine.observation import DropModel
from nasab.search import engine as E
from nasab.search.data import read_families, read_remains
from nasab.search.run import load_table


@pytest.mark.parametrize("dropout", [0.0, 0.15])
def test_single_alleles_under_dropout_match_reference(small_sim, dropout) -> None:
    folder, _ = small_sim
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    # degrade every remain: heterozygous markers lose their second allele (a/F)
    degraded = []
    for p in rem.profiles:
        g = {
            k: ((v[0], "F") if v[0] is not None and v[1] not in (None, v[0]) else v)
            for k, v in p.genotypes.items()
        }
        degraded.append(
            Profile(p.id, g, p.sex, p.markers, drop=DropModel(dropout) if dropout else None)
        )
    rem.profiles = degraded
    specs = mutation_specs(fam.markers, "proportional")
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models], dropout)
    rows, exact, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    fams = {fd.family.name: fd.family for fd in fam.families}
    codes = layout.codes(rem.profiles)
    checked = 0
    for i, (f, person) in enumerate(rows[:4]):
        for j, prof in enumerate(rem.profiles[:6]):
            ref = missing_person_lr(fams[f], person, prof, tabx, specs, fam.markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0
            else:
                assert abs(got - ref) <= 1e-9, (f, person, prof.id, got, ref)
            checked += 1
    assert checked >= 12
