"""Small builders and an independent brute-force likelihood for tests."""

from __future__ import annotations

import itertools

import numpy as np

from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, marker_key
from nasab.engine.genotypes import Family, Genotype
from nasab.engine.likelihood import MarkerModel
from nasab.engine.pedigree import Pedigree


def table_of(freqs: dict[str, dict[str, float]]) -> FrequencyTable:
    return FrequencyTable(
        {
            marker_key(m): MarkerFrequencies(m, list(a), np.array(list(a.values()), dtype=float))
            for m, a in freqs.items()
        },
        source="test",
        sha256="0" * 64,
    )


def family(rows, genos: dict[str, dict[str, Genotype]], markers=("M",)) -> Family:
    ped = Pedigree.from_records(rows)
    return Family(
        ped, list(markers), {p: {marker_key(m): g for m, g in d.items()} for p, d in genos.items()}
    )


def urn_probability(alleles: list[int], p: np.ndarray, theta: float) -> float:
    """Balding-Nichols (Polya urn) probability of a sequence of founder alleles."""
    prob = 1.0
    counts: dict[int, int] = {}
    for k, a in enumerate(alleles):
        prob *= (counts.get(a, 0) * theta + (1 - theta) * p[a]) / (1 + (k - 1) * theta)
        counts[a] = counts.get(a, 0) + 1
    return prob


def brute_force_likelihood(
    ped: Pedigree, genos: dict[str, Genotype], model: MarkerModel, theta: float = 0.0, weights=None
) -> float:
    """Sum over every ordered genotype of every person: exponential, independent of the
    engine's network construction. Only for tiny pedigrees and markers.

    ``weights`` maps a person to a function (i, j) -> P(observation | ordered genotype)
    (for dropout / silent alleles); otherwise typed genotypes are indicators."""
    k = len(model.alleles)
    idx = model.allele_index()
    persons = ped.persons
    total = 0.0
    weights = weights or {}
    for combo in itertools.product(range(k * k), repeat=len(persons)):
        prob = 1.0
        assign = {}
        founder_alleles: list[int] = []
        for person, c in zip(persons, combo, strict=True):
            pa, ma = divmod(c, k)
            assign[person.id] = (pa, ma)
            g = genos.get(person.id)
            if person.id in weights:
                prob *= weights[person.id](pa, ma)
            elif g is not None and g[0] is not None:
                want = sorted(idx[a] for a in g if a is not None)
                if g[1] is None:
                    if want[0] not in (pa, ma):
                        prob = 0.0
                        break
                elif sorted((pa, ma)) != want:
                    prob = 0.0
                    break
            if person.father is None:
                founder_alleles += [pa, ma]
            else:
                fp, fm = assign[person.father]
                mp, mm = assign[person.mother]
                prob *= 0.5 * (model.male[fp, pa] + model.male[fm, pa])
                prob *= 0.5 * (model.female[mp, ma] + model.female[mm, ma])
            if prob == 0.0:
                break
        if prob > 0.0:
            prob *= urn_probability(founder_alleles, model.freqs, theta)
        total += prob
    return total
