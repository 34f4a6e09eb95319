"""Whom to sample next, with a SNP panel among the options: "type this family with the
panel" beside "sample this relative".

Options added to the ranking of :meth:`nasab.power.analysis.PowerAnalysis.whom_next`:

* the typed references typed with the panel as well;
* each of the best STR candidates sampled and typed with STRs and the panel, with the
  references.

For each option, the figures are those of the combined LR ``nasab lr`` would report (STR
x SNP): the SNP part by simulation with linkage (genes dropped with recombination along
the panel's map, :func:`nasab.snp.power.snp_lr_draws`, the linked SNP LR of each draw);
the STR part from the power path's exact tables (with the Y-STR / mtDNA draws of
:mod:`nasab.power.lineage` when their databases are given). The expected log10 LR is the sum of the
two expectations (exact by linearity, whatever the dependence); P(LR >= t) pairs every STR
draw with every SNP draw, which takes the STR and SNP LRs as independent given the
pedigree (the assumption ``nasab lr`` states when it multiplies them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.snp import SNPPanel
from nasab.power.analysis import THRESHOLDS, PowerAnalysis, simulate_log10_lr
from nasab.power.whom import NEW, Candidate, candidate_families
from nasab.snp.power import snp_lr_draws

METHOD = (
    "SNP options: the SNP LR by simulation with linkage ({n} families dropped with "
    "recombination on the panel's map, {miss:g} of calls missing, genotyping error "
    "{err:g}; seed {seed}), the STR LR from the exact tables; expected log10 LR = STR + "
    "SNP expectations; P(LR >= t) over every pair of an STR and a SNP draw (STR and SNP "
    "LRs taken as independent given the pedigree)"
)


@dataclass(frozen=True)
class SNPSettings:
    panel: SNPPanel
    n: int = 50
    missing_calls: float = 0.05
    error: float = 0.005
    candidates: int = 3  # best STR candidates also offered with the panel
    seed: int = 1

    def method(self) -> str:
        return METHOD.format(n=self.n, miss=self.missing_calls, err=self.error, seed=self.seed)


def _combined(
    str_draws: np.ndarray, snp_draws: np.ndarray, str_expected: float
) -> tuple[float, dict[float, float]]:
    """Expected log10 LR (STR exact + SNP mean) and P(STR + SNP >= log10 t) over all
    pairs of draws."""
    snp_sorted = np.sort(snp_draws)
    p = {}
    for t in THRESHOLDS:
        need = math.log10(t) - 1e-9 - str_draws  # SNP draws at least this
        below = np.searchsorted(snp_sorted, need, side="left")
        p[t] = float(np.mean(len(snp_sorted) - below) / len(snp_sorted))
    return str_expected + float(np.mean(snp_draws)), p


def snp_options(
    pa: PowerAnalysis,
    base,
    ranked: Sequence[Candidate],
    settings: SNPSettings,
    n_sim: int,
) -> list[Candidate]:
    """The SNP options, scored like the STR candidates (their ``gain`` against ``base``,
    the current references' STR power)."""
    rng = np.random.default_rng(settings.seed)
    str_rng = np.random.default_rng(settings.seed + 1)
    panel_name = settings.panel.source or "the SNP panel"
    typed = pa.family.typed_persons()

    def draws(ped, refs) -> np.ndarray:
        return snp_lr_draws(
            ped,
            pa.missing,
            refs,
            settings.panel,
            n=settings.n,
            missing_calls=settings.missing_calls,
            error=settings.error,
            rng=rng,
        )[0]

    # the Y-STR / mtDNA draws of the references (power.lineage), added to the STR draws as
    # the ranking adds them (independent systems); their expectation is in base and c
    from nasab.power.lineage import lineage_power

    lineage = np.zeros(n_sim)
    for x in lineage_power(pa.family, pa.missing, pa.lineage, n_sim, settings.seed):
        lineage = lineage + x.rel
    out = []
    if typed:
        str_draws = simulate_log10_lr(pa.tables(), n_sim, str_rng)[0] + lineage
        e, p = _combined(str_draws, draws(pa.family.pedigree, typed), base.expected_log10_lr)
        out.append(
            Candidate(
                f"type the references ({', '.join(typed)}) with {panel_name}",
                "SNP panel",
                e,
                e - base.expected_log10_lr,
                p,
                base.exclusion_probability,
            )
        )
    families = {label: fam for label, _, fam in candidate_families(pa.family, pa.missing)}
    for c in list(ranked)[: settings.candidates]:
        fam = families.get(c.label)
        if fam is None:
            continue
        str_draws = simulate_log10_lr(pa.tables(fam, new=NEW), n_sim, str_rng)[0] + lineage
        e, p = _combined(str_draws, draws(fam.pedigree, [*typed, NEW]), c.expected_log10_lr)
        out.append(
            Candidate(
                f"{c.label}, typed with STRs and {panel_name} (references too)",
                f"{c.relation} + SNP panel",
                e,
                e - base.expected_log10_lr,
                p,
                c.exclusion_probability,
            )
        )
    return out
