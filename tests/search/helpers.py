"""Helpers shared by the search tests."""

from __future__ import annotations

from nasab.engine.mutation import mutation_specs
from nasab.search import engine as E
from nasab.search.data import read_families, read_remains
from nasab.search.run import load_table


def compiled_setup(folder, model):
    """Families, remains, mutation specs, the extended table, marker models and the layout
    of a simulated folder, as the search builds them."""
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    specs = mutation_specs(fam.markers, model)
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models])
    return fam, rem, specs, tabx, models, layout
