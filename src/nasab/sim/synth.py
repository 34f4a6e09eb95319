"""Synthetic genotypes by gene dropping: founders drawn from published frequencies,
alleles passed to children by Mendel's law, with optional mutation.

Only synthetic people: nothing here reads or stores a real person's genotype.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nasab.engine.frequencies import FrequencyTable, marker_key
from nasab.engine.genotypes import Genotype
from nasab.engine.mutation import MutationSpec
from nasab.engine.pedigree import Pedigree


def drop_genes(
    ped: Pedigree,
    table: FrequencyTable,
    markers: Sequence[str],
    rng: np.random.Generator,
    *,
    mutations: Mapping[str, MutationSpec] | None = None,
) -> dict[str, dict[str, Genotype]]:
    """Ordered genotypes (paternal, maternal) for everyone in ``ped`` at ``markers``."""
    out: dict[str, dict[str, Genotype]] = {pid: {} for pid in ped.ids}
    for marker in markers:
        mf = table[marker]
        p = mf.freqs / mf.freqs.sum()
        spec = (mutations or {}).get(marker)
        female = male = None
        if spec is not None and not spec.is_trivial:
            female, male = spec.matrices(mf.alleles, mf.freqs)
        alleles: dict[str, tuple[int, int]] = {}
        for person in ped.persons:  # parents come before children
            if person.father is None:
                pair = (int(rng.choice(len(p), p=p)), int(rng.choice(len(p), p=p)))
            else:
                pair = (
                    _transmit(alleles[person.father], male, rng),
                    _transmit(alleles[person.mother], female, rng),  # type: ignore[index]
                )
            alleles[person.id] = pair
            out[person.id][marker_key(marker)] = (mf.alleles[pair[0]], mf.alleles[pair[1]])
    return out


def _transmit(parent: tuple[int, int], mut: np.ndarray | None, rng: np.random.Generator) -> int:
    a = parent[int(rng.integers(2))]
    if mut is None:
        return a
    return int(rng.choice(mut.shape[0], p=mut[a] / mut[a].sum()))
