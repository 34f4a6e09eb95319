"""Gene dropping of linked SNPs: founders' alleles drawn from the panel's frequencies,
each meiosis's grandparental origin a Markov chain along every chromosome with Haldane
recombination on the sex-specific map (the process the SNP likelihood assumes).

Chromosome X: a male carries one X (his dosage is 0 or 2), from his mother; a daughter's
paternal X is her father's whole X; only a mother's meiosis recombines (female map). A
person of unknown sex is dropped as a female on X."""

from __future__ import annotations

import numpy as np

from nasab.engine.pedigree import MALE, Pedigree
from nasab.engine.snp import X_CHROMOSOME, SNPPanel, haldane


def _origins(panel: SNPPanel, male: bool, rng: np.random.Generator) -> np.ndarray:
    """For one meiosis: 0/1 per SNP, which of the parent's two alleles is passed on."""
    out = np.empty(len(panel), np.int64)
    cm = panel.cm_male if male else panel.cm_female
    for idx in panel.chromosomes():
        r = haldane(np.diff(cm[idx]))
        flips = rng.random(len(idx) - 1) < r
        start = rng.integers(2)
        out[idx] = (start + np.concatenate([[0], np.cumsum(flips)])) % 2
    return out


def drop_snps(ped: Pedigree, panel: SNPPanel, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Dosages (count of allele A1) of every person of the pedigree."""
    haps: dict[str, np.ndarray] = {}  # (2, M): paternal, maternal allele is A1
    x = panel.chromosome == X_CHROMOSOME
    for p in ped.persons:
        if p.father is None:
            h = (rng.random((2, len(panel))) < panel.freq1).astype(np.int64)
        else:
            h = np.empty((2, len(panel)), np.int64)
            for slot, (parent, male) in enumerate(((p.father, True), (p.mother, False))):
                o = _origins(panel, male, rng)
                h[slot] = np.take_along_axis(haps[parent], o[None, :], axis=0)[0]
            # X: a daughter gets her father's one X whole (his two slots are equal)
            h[0, x] = haps[p.father][0, x]
        if p.sex == MALE:
            h[0, x] = h[1, x]  # one X (his mother's; a founder's own), counted twice
        haps[p.id] = h
    return {pid: h.sum(axis=0) for pid, h in haps.items()}


def mask_calls(
    dosage: np.ndarray, missing: float, error: float, rng: np.random.Generator
) -> np.ndarray:
    """Calls as a lab reports them: a fraction ``missing`` not called, a fraction ``error``
    replaced by one of the two other genotypes."""
    d = dosage.copy()
    wrong = rng.random(len(d)) < error
    d[wrong] = (d[wrong] + rng.integers(1, 3, wrong.sum())) % 3
    d[rng.random(len(d)) < missing] = -1
    return d
