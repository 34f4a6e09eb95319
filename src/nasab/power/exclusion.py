"""Exclusion probability by brute force (for tests): one engine likelihood per genotype."""

from __future__ import annotations

from nasab.engine.frequencies import FrequencyTable
from nasab.engine.genotypes import Family
from nasab.engine.lr import build_marker_model
from nasab.power.analysis import combine_exclusion


def exclusion_probability_brute(
    family: Family, missing: str, table: FrequencyTable, markers: list[str]
) -> float:
    """P(an unrelated person is excluded at one marker at least): per marker the
    Hardy-Weinberg mass of the genotypes g with L(data, MP = g) = 0 (no mutation), by
    calling the engine's likelihood once per genotype."""
    from nasab.engine.likelihood import marker_likelihood

    per = []
    for mk in markers:
        fam = family.marker_genotypes(mk)
        seen = {a for g in fam.values() for a in g if a is not None}
        model = build_marker_model(table, mk, None, seen)
        excluded = total = 0.0
        for i, a in enumerate(model.alleles):
            for j in range(i, len(model.alleles)):
                pa, pb = model.freqs[i], model.freqs[j]
                hw = pa * pa if i == j else 2 * pa * pb
                total += hw
                if (
                    marker_likelihood(
                        family.pedigree, {**fam, missing: (a, model.alleles[j])}, model
                    )
                    == 0
                ):
                    excluded += hw
        per.append(excluded / total)
    return combine_exclusion(per)
