"""The programme view: every family's informativeness and the one extra donor that would
help most, for a whole identification programme.

Each family is scored as ``nasab power`` scores one family -- the one engine, the full
allele list (every allele a specific allele), the mutation model given -- with families of
the same pedigree, missing person and typed set computed together: one engine contraction
per marker with a batch axis over the families (:func:`nasab.engine.likelihood.
batch_open_joint`), the POI's profiles and their LRs from :mod:`nasab.power.tables`.
Expected log10 LR and exclusion probability are exact; P(LR >= 1e4, 1e6) by Monte Carlo
with ``n_sim`` draws per family (standard error at most 0.5/sqrt(n_sim)). Donors are
ranked by the exact expected log10 LR after adding them, for the families that need help:
those with P(LR >= 1e6) below ``donors_below``. Complete reference profiles, theta 0.
A marker whose references are impossible under the model counts as uninformative (LR 1)
for that family.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nasab.engine.frequencies import FrequencyTable
from nasab.engine.genotypes import Family
from nasab.engine.likelihood import MarkerModel, batch_open_joint
from nasab.engine.lr import build_marker_model
from nasab.engine.mutation import MutationSpec
from nasab.power.analysis import PowerAnalysis, _spec_for, combine_exclusion, summarise
from nasab.power.tables import (
    excluded_mass,
    fold,
    from_log10,
    log10_ratio,
    log10_unrelated,
    marker_table_with,
    observation_matrix,
)
from nasab.power.whom import NEW, candidate_families

MAX_BATCH_NUMBERS = 8_000_000  # numbers in one batched joint (64 MB)


@dataclass
class ProgrammeRow:
    family: str
    missing: str
    informative: bool
    expected_log10_lr: float
    p4: float
    p6: float
    exclusion_probability: float
    best_donor: str | None
    best_donor_expected: float | None
    best_donor_p4: float | None
    # with lineage databases: each system's exclusion probability and expected log10 factor
    # (nasab.power.lineage.LineagePower.to_json), already in the figures above
    lineage: list = field(default_factory=list)


def _structure_key(fam: Family, mp: str) -> tuple:
    ped = fam.pedigree
    return (
        tuple((p.id, p.father, p.mother, p.sex) for p in ped.persons),
        mp,
        tuple(sorted(fam.typed_persons())),
    )


def _models(members, table, mutations, markers) -> dict[str, tuple[MarkerModel, MarkerModel]]:
    out = {}
    for mk in markers:
        seen = {
            a
            for fam, _ in members
            for g in fam.marker_genotypes(mk).values()
            for a in g
            if a is not None
        }
        spec = _spec_for(mutations, mk)
        m1 = build_marker_model(table, mk, spec, seen)
        m0 = m1 if not m1.mutation else build_marker_model(table, mk, None, seen)
        out[mk] = (m1, m0)
    return out


def _sample_rows(p: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws from each row's categorical distribution, vectorised (one searchsorted)."""
    nb, g = p.shape
    cdf = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    flat = (cdf + np.arange(nb)[:, None]).ravel()
    u = rng.random((nb, n)) + np.arange(nb)[:, None]
    pos = np.searchsorted(flat, u.ravel(), side="right").reshape(nb, n)
    return np.minimum(pos - (np.arange(nb) * g)[:, None], g - 1)


def _batch_power(ped, mp, genos, models, n_sim, rng):
    """Exact expected log10 LR and exclusion probability, and n_sim simulated log10 LRs,
    for B families of one structure (genos: per marker, the B families' genotypes)."""
    nb = len(genos[0])
    exp = np.zeros(nb)
    excl = []
    sims = np.zeros((nb, n_sim))
    for (m1, m0), g in zip(models, genos, strict=True):
        k = len(m1.alleles)
        j = batch_open_joint(ped, g, m1, [mp])[0].reshape(nb, k * k)  # rescaled per family
        tot = j.sum(axis=1)
        bad = ~(tot > 0)  # impossible references: this marker tells nothing (LR 1)
        _obs, w = observation_matrix(m1, None)
        p1 = np.asarray(w @ j.T).T / np.where(bad, 1.0, tot)[:, None]  # (B, O)
        lp2 = log10_unrelated(w, m1.freqs)  # what nasab lr divides by, as log10
        p1[bad] = from_log10(lp2)
        lg = np.where(p1 > 0, log10_ratio(p1, lp2[None, :]), 0.0)
        lg[bad] = 0.0
        exp += (p1 * lg).sum(axis=1)
        j0 = j if m0 is m1 else batch_open_joint(ped, g, m0, [mp])[0].reshape(nb, k * k)
        excl.append(np.where(bad, 0.0, excluded_mass(m0, fold(j0.T, k))))
        sims += np.take_along_axis(lg, _sample_rows(p1, n_sim, rng), axis=1)
    total_excl = np.array([combine_exclusion(col) for col in np.array(excl).T.reshape(nb, -1)])
    return exp, total_excl, sims


def _donor_tables(cf: Family, mp: str, genos_b, models, mks) -> list[list]:
    """Per family of the batch, the tables with the candidate ``NEW`` open (the engine's
    joints batched in chunks that fit in memory)."""
    ped = cf.pedigree
    nb = len(genos_b[0])
    out: list[list] = [[] for _ in range(nb)]
    for mk, g in zip(mks, genos_b, strict=True):
        m1, m0 = models[mk]
        k = len(m1.alleles)
        step = max(1, MAX_BATCH_NUMBERS // k**4)
        for s in range(0, nb, step):
            joints = batch_open_joint(ped, g[s : s + step], m1, [mp, NEW])[0]  # rescaled
            for b, jb in enumerate(joints):
                if jb.sum() > 0:  # impossible references: no information at this marker
                    out[s + b].append(marker_table_with(ped, g[s + b], mp, NEW, (m1, m0), joint=jb))
    return out


def programme_view(
    families: Sequence[tuple[Family, str]],
    table: FrequencyTable,
    *,
    mutations: Mapping[str, MutationSpec] | MutationSpec | None = None,
    markers: list[str] | None = None,
    n_sim: int = 400,
    seed: int = 1,
    donors: bool = True,
    chunk: int = 512,
    donors_below: float = 0.99,
    lineage=None,
) -> list[ProgrammeRow]:
    """One row per (family, missing person), in the order given. ``lineage``: the Y-STR /
    mtDNA databases (:class:`nasab.power.lineage.LineageOptions`): a family with typed
    members on the missing person's paternal or maternal line gets each system's exclusion
    probability and expected log10 factor (:func:`nasab.power.lineage.lineage_power`, as
    ``nasab power --ped``), combined with the autosomal figures as independent systems
    (exclusion probabilities combined, expected log10 LRs and the draws added). The best
    donor is still ranked by the autosomal markers."""
    rng = np.random.default_rng(seed)
    groups: dict[tuple, list[int]] = {}
    for k, (fam, mp) in enumerate(families):
        groups.setdefault(_structure_key(fam, mp), []).append(k)
    rows: list[ProgrammeRow | None] = [None] * len(families)
    for members in groups.values():
        fam0, mp = families[members[0]]
        mks = list(markers or fam0.markers)
        models = _models([families[k] for k in members], table, mutations, mks)
        pa = PowerAnalysis(fam0, mp, table, mutations, mks)
        informative = pa.connected()
        cands = candidate_families(fam0, mp) if donors and informative else []
        for start in range(0, len(members), chunk):
            part = members[start : start + chunk]
            if not informative:
                for k in part:
                    rows[k] = ProgrammeRow(
                        families[k][0].name, mp, False, 0.0, 0.0, 0.0, 0.0, None, None, None
                    )
                    _with_lineage(rows[k], families[k][0], lineage, np.zeros(n_sim), seed)
                continue
            genos = [[families[k][0].marker_genotypes(mk) for k in part] for mk in mks]
            exp, excl, sims = _batch_power(
                fam0.pedigree, mp, genos, [models[mk] for mk in mks], n_sim, rng
            )
            p4 = (sims >= 4 - 1e-9).mean(axis=1)
            p6 = (sims >= 6 - 1e-9).mean(axis=1)
            best = _best_donors(
                cands,
                mp,
                genos,
                models,
                mks,
                np.nonzero(p6 < donors_below)[0],
                max(100, n_sim // 4),
                seed,
            )
            for i, k in enumerate(part):
                lab, e2, q4 = best.get(i, (None, None, None))
                rows[k] = ProgrammeRow(
                    families[k][0].name,
                    mp,
                    True,
                    float(exp[i]),
                    float(p4[i]),
                    float(p6[i]),
                    float(excl[i]),
                    lab,
                    e2,
                    q4,
                )
                _with_lineage(rows[k], families[k][0], lineage, sims[i], seed)
    return [r for r in rows if r is not None]


def _with_lineage(row: ProgrammeRow, fam: Family, opts, auto: np.ndarray, seed: int) -> None:
    """Add the family's Y-STR / mtDNA contributions to its row (see programme_view)."""
    if opts is None or not (fam.ystr or fam.mtdna):
        return
    from nasab.power.lineage import lineage_power

    lin = [x for x in lineage_power(fam, row.missing, opts, len(auto), seed) if x.used]
    if not lin:
        return
    draws = auto + sum(x.rel for x in lin)
    row.informative = True
    row.expected_log10_lr += float(sum(x.expected_log10_lr for x in lin))
    row.exclusion_probability = combine_exclusion(
        [row.exclusion_probability, *(x.exclusion_probability for x in lin)]
    )
    row.p4 = float((draws >= 4 - 1e-9).mean())
    row.p6 = float((draws >= 6 - 1e-9).mean())
    row.lineage = [x.to_json() for x in lin]


def _best_donors(cands, mp, genos, models, mks, need, n_sim, seed) -> dict:
    """Family index in the batch -> (label, expected log10 LR, P(LR >= 1e4)) of its best
    candidate donor, for the families in ``need``."""
    best: dict[int, tuple] = {}
    if not len(need):
        return best
    sub = [[col[i] for i in need] for col in genos]
    for label, _rel, cf in cands:
        for i, tabs in zip(need, _donor_tables(cf, mp, sub, models, mks), strict=True):
            p = summarise(cf.name, mp, tabs, n_sim, seed)
            if i not in best or p.expected_log10_lr > best[i][1]:
                best[int(i)] = (label, p.expected_log10_lr, p.p_exceed[1e4])
    return best


def programme_summary(rows: Sequence[ProgrammeRow]) -> dict:
    n = len(rows)
    p4 = np.array([r.p4 for r in rows])
    p6 = np.array([r.p6 for r in rows])
    donors: dict[str, int] = {}
    for r in rows:
        if r.best_donor:
            rel = r.best_donor.split(" of ")[0]
            donors[rel] = donors.get(rel, 0) + 1
    return {
        "families": n,
        "informative": int(sum(r.informative for r in rows)),
        "expected_reaching_1e4": float(p4.sum()),
        "expected_reaching_1e6": float(p6.sum()),
        "families_likely_1e4": int((p4 >= 0.5).sum()),
        "families_likely_1e6": int((p6 >= 0.5).sum()),
        "best_extra_donor_counts": donors,
        **(
            {"families_with_lineage_evidence": sum(bool(r.lineage) for r in rows)}
            if any(r.lineage for r in rows)
            else {}
        ),
    }


def programme_chart(rows: Sequence[ProgrammeRow], path: str) -> None:
    """PNG: distribution of P(LR >= 1e4) over families, now and with the best extra donor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    now = np.array([r.p4 for r in rows])
    after = np.array([r.best_donor_p4 if r.best_donor_p4 is not None else r.p4 for r in rows])
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(0, 1, 21)
    ax.hist([now, after], bins=bins, label=["current references", "with best extra donor"])
    ax.set_xlabel("P(LR >= 10^4) if the missing person is found")
    ax.set_ylabel("families")
    ax.set_title(f"Reference informativeness over {len(rows)} families")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
