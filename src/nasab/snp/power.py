"""How much would a SNP panel tell for this family? The distribution of the linked SNP LR
when the remains are the missing person, and when they are an unrelated person, by
simulation with linkage (genes dropped with recombination along the panel's map)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.pedigree import Pedigree
from nasab.engine.snp import SNPPanel, missing_person_snp_lr
from nasab.sim.snp import drop_snps, mask_calls

THRESHOLDS = (4, 6, 8)


@dataclass(frozen=True)
class SNPPower:
    references: tuple[str, ...]
    n: int
    p_true_at_least: dict[int, float]  # log10 threshold -> P(LR >= 10^t | remains are MP)
    se_true: dict[int, float]
    p_unrelated_at_least: dict[int, float]  # the same for an unrelated person
    median_log10_true: float
    median_log10_unrelated: float


def snp_lr_draws(
    ped: Pedigree,
    missing: str,
    references: Sequence[str],
    panel: SNPPanel,
    *,
    n: int,
    missing_calls: float,
    error: float,
    rng: np.random.Generator,
    unrelated: bool = False,
) -> tuple[np.ndarray, np.ndarray | None]:
    """log10 LRs (linked; autosomes and X) of ``n`` families typed with the panel whose
    remains are the missing person, and with ``unrelated``, of as many unrelated remains
    (of the missing person's sex) against the same references. Genes dropped with
    recombination (:func:`nasab.sim.snp.drop_snps`), calls masked and mis-called."""
    loner = Pedigree.from_records([("X", None, None, ped[missing].sex)])
    true, unrel = np.empty(n), np.empty(n) if unrelated else None
    for i in range(n):
        g = drop_snps(ped, panel, rng)
        refs = {r: mask_calls(g[r], missing_calls, error, rng) for r in references}

        def score(poi: np.ndarray, refs=refs) -> float:
            return missing_person_snp_lr(
                ped,
                refs,
                missing,
                mask_calls(poi, missing_calls, error, rng),
                panel,
                error_references=error,
                error_poi=error,
            ).log10_lr

        true[i] = score(g[missing])
        if unrel is not None:  # drawn after the true remains: the stream of earlier runs
            unrel[i] = score(drop_snps(loner, panel, rng)["X"])
    return true, unrel


def snp_power(
    ped: Pedigree,
    missing: str,
    references: Sequence[str],
    panel: SNPPanel,
    *,
    n: int = 100,
    missing_calls: float = 0.05,
    error: float = 0.005,
    seed: int = 1,
) -> SNPPower:
    """Simulate ``n`` families typed with the panel (references and the missing person's
    remains; ``missing_calls`` and ``error`` as a lab would see them) and n unrelated
    remains; score each with the linked SNP LR."""
    rng = np.random.default_rng(seed)
    t, u = snp_lr_draws(
        ped,
        missing,
        references,
        panel,
        n=n,
        missing_calls=missing_calls,
        error=error,
        rng=rng,
        unrelated=True,
    )
    assert u is not None
    p = {k: float(np.mean(t >= k)) for k in THRESHOLDS}
    return SNPPower(
        tuple(references),
        n,
        p,
        {k: float(np.sqrt(p[k] * (1 - p[k]) / n)) for k in THRESHOLDS},
        {k: float(np.mean(u >= k)) for k in THRESHOLDS},
        float(np.median(t)),
        float(np.median(u)),
    )
