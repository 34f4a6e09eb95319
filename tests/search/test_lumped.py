"""The lumped compile (observed alleles + two classes of the others) gives the same tables as
the full allele list, for the models where it is exact, in batches of many families."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.search.helpers import compiled_setup

from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import mutation_specs
from nasab.search import compile as C
from nasab.search import engine as E
from nasab.search.lumped import lumpable
from nasab.search.run import load_table


def test_which_models_lump():
    table = load_table(None)
    for model, want in (
        ("none", True),
        ("proportional", True),
        ("equal", False),
        ("stepwise", False),
    ):
        specs = mutation_specs(["SE33"], model)
        (m,) = E.build_models(table, ["SE33"], specs)
        assert lumpable(m) is want, model


@pytest.mark.parametrize("model", ["proportional", "none"])
def test_lumped_tables_equal_full_tables(medium_sim, model, monkeypatch):
    folder, _ = medium_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, model)
    rows, lumped, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    monkeypatch.setattr(C.ModelArrays, "lumpable", property(lambda self: False))
    rows2, full, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert rows == rows2 and len(rows) > 40
    assert np.array_equal(np.isneginf(lumped), np.isneginf(full))
    ok = np.isfinite(full)
    np.testing.assert_allclose(lumped[ok], full[ok], rtol=0, atol=1e-9)


def test_lumped_tables_match_nasab_lr(medium_sim):
    folder, _ = medium_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, "proportional")
    rows, exact, _ = E.compile_families(fam.families, layout, models)
    fams = {fd.family.name: fd.family for fd in fam.families}
    codes = layout.codes(rem.profiles)
    rng = np.random.default_rng(1)
    for i, (f, p) in enumerate(rows):
        for j in rng.choice(len(rem.profiles), size=2, replace=False):
            ref = missing_person_lr(fams[f], p, rem.profiles[j], tabx, specs, fam.markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0
            else:
                assert abs(got - ref) <= 1e-6, (f, p, got, ref)
