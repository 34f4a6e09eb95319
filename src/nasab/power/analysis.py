"""How informative is a family's reference set? ("at least three relatives", as a number)

For a family with one missing person (MP) and its typed references, marker by marker, the
exact table of every profile a person of interest (POI) could show, with the probability
of that profile if the POI is the MP, if the POI is unrelated, and the LR ``nasab lr``
gives it (:mod:`nasab.power.tables`: the one engine, the marker's mutation model, theta,
the references' and the POI's dropout). From these tables:

* the **exclusion probability** of an unrelated person, exactly and without mutation: the
  Hardy-Weinberg mass of the genotypes incompatible with the references at some marker
  (forrel's ``exclusionPower`` for this hypothesis pair); per marker and in total;
* the **expected log10 LR** when the MP is the person tested, exactly:
  ``sum_markers sum_O P(O | data) log10 LR(O)``; per marker and in total;
* ``P(LR >= 10^4, 10^6, 10^8)`` when the MP is tested and when an unrelated person is, by
  Monte Carlo with standard errors: each draw picks one profile per marker from the exact
  table and reads its LR, so a draw's LR is the LR ``nasab lr`` gives that profile.

A family where the MP is linked to no typed person gets ``informative = False`` and the
message "no information": every LR is 1 whatever the profile.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import FrequencyTable, marker_key
from nasab.engine.genotypes import Family, Profile, is_typed
from nasab.engine.likelihood import MarkerModel
from nasab.engine.lr import build_marker_model
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel
from nasab.power.tables import MarkerTable, marker_table, marker_table_with
from nasab.power.whom import NEW, Candidate, candidate_families, component_of

THRESHOLDS = (1e4, 1e6, 1e8)
NO_INFORMATION = (
    "no information: the missing person is not connected to any typed "
    "relative, so every profile gets LR 1; sample a relative first"
)


def _key(t: float) -> str:
    return f"1e{int(math.log10(t))}"


def combine_exclusion(per_marker: Sequence[float]) -> float:
    """P(excluded at one marker at least) as the excluded mass, in [0, 1]: exactly 0 when
    no marker can exclude (never 1 minus a product that rounds below zero)."""
    total = 0.0
    for e in per_marker:
        total += (1.0 - total) * min(max(e, 0.0), 1.0)
    return min(max(total, 0.0), 1.0)


@dataclass
class Power:
    """Informativeness of one reference set for one missing person."""

    family: str
    missing: str
    informative: bool
    message: str
    exclusion_probability: float
    expected_log10_lr: float
    p_exceed: dict[float, float]  # threshold -> P(LR >= t | MP tested), Monte Carlo
    p_exceed_se: dict[float, float]
    p_exceed_unrelated: dict[float, float]
    log10_lr_quantiles: dict[str, float]
    n_sim: int
    seed: int
    markers: list[str]
    per_marker_expected: dict[str, float] = field(default_factory=dict)
    per_marker_exclusion: dict[str, float] = field(default_factory=dict)
    model: str = ""
    lineage: list[dict] = field(default_factory=list)  # Y-STR / mtDNA (power.lineage)

    def to_json(self) -> dict:
        return {
            "family": self.family,
            "missing": self.missing,
            "informative": self.informative,
            "message": self.message,
            "exclusion_probability": self.exclusion_probability,
            "expected_log10LR": self.expected_log10_lr,
            "P_LR_at_least": {_key(t): p for t, p in self.p_exceed.items()},
            "P_LR_at_least_se": {_key(t): p for t, p in self.p_exceed_se.items()},
            "P_LR_at_least_unrelated": {_key(t): p for t, p in self.p_exceed_unrelated.items()},
            "log10LR_quantiles_if_MP": self.log10_lr_quantiles,
            "n_sim": self.n_sim,
            "seed": self.seed,
            "markers": self.markers,
            "expected_log10LR_per_marker": self.per_marker_expected,
            "exclusion_probability_per_marker": self.per_marker_exclusion,
            "model": self.model,
            **({"lineage": self.lineage} if self.lineage else {}),
        }


def _draw(p: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws of flat indices from the table ``p`` (one searchsorted)."""
    flat = p.ravel()
    cdf = np.cumsum(flat / flat.sum())
    cdf[-1] = 1.0
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), flat.size - 1)


def simulate_log10_lr(
    tabs: Sequence[MarkerTable], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(log10 LR of n profiles of the MP, of n profiles of unrelated persons): per marker a
    profile drawn from the exact table and its LR read off it."""
    rel = np.zeros(n)
    unrel = np.zeros(n)
    with np.errstate(divide="ignore"):
        for t in tabs:
            lg = t.log10_lr
            rel += lg.ravel()[_draw(t.p_rel, n, rng)]
            h = _draw(t.p_rel.sum(axis=1), n, rng)
            rows = t.p_unrel.shape[0]
            if rows == 1:
                o = _draw(t.p_unrel[0], n, rng)
                unrel += lg[0, o] if lg.shape[0] == 1 else lg[h, o]
            else:  # the unrelated POI's profile depends on h (theta)
                o = np.empty(n, dtype=int)
                for x in np.unique(h):
                    at = np.flatnonzero(h == x)
                    o[at] = _draw(t.p_unrel[x], len(at), rng)
                unrel += lg[h, o]
    return rel, unrel


def summarise(
    family: str,
    missing: str,
    tabs: Sequence[MarkerTable],
    n_sim: int,
    seed: int,
    model: str = "",
    lineage: Sequence = (),
) -> Power:
    """``lineage``: the Y-STR / mtDNA draws (:class:`nasab.power.lineage.LineagePower`),
    added to the autosomal draws (independent systems, as nasab lr multiplies them)."""
    rng = np.random.default_rng(seed)
    per = {t.marker: t.expected_log10_lr for t in tabs}
    excl = {t.marker: float(min(max(t.excluded, 0.0), 1.0)) for t in tabs}
    informative = any(abs(v) > 1e-12 for v in per.values()) or any(x.used for x in lineage)
    rel, unrel = simulate_log10_lr(tabs, n_sim, rng)
    for x in lineage:
        rel, unrel = rel + x.rel, unrel + x.unrel
    pe, se, pu = {}, {}, {}
    for thr in THRESHOLDS:
        lt = math.log10(thr) - 1e-9
        p = float((rel >= lt).mean())
        pe[thr] = p
        se[thr] = math.sqrt(p * (1 - p) / n_sim)
        pu[thr] = float((unrel >= lt).mean())
    q = {f"{int(x * 100)}%": float(np.quantile(rel, x)) for x in (0.05, 0.5, 0.95)}
    msg = "ok" if informative else NO_INFORMATION
    return Power(
        family,
        missing,
        informative,
        msg,
        combine_exclusion([*excl.values(), *(x.exclusion_probability for x in lineage)]),
        float(sum(per.values()) + sum(x.expected_log10_lr for x in lineage)),
        pe,
        se,
        pu,
        q,
        n_sim,
        seed,
        [t.marker for t in tabs],
        per,
        excl,
        model,
        [x.to_json() for x in lineage],
    )


def no_information(
    family: str, missing: str, markers: list[str], seed: int, model: str = ""
) -> Power:
    zero = dict.fromkeys(THRESHOLDS, 0.0)
    return Power(
        family,
        missing,
        False,
        NO_INFORMATION,
        0.0,
        0.0,
        zero,
        dict(zero),
        dict(zero),
        {},
        0,
        seed,
        markers,
        dict.fromkeys(markers, 0.0),
        dict.fromkeys(markers, 0.0),
        model,
    )


class PowerAnalysis:
    """Power of one family's references for one missing person (see the module text).

    ``mutations``: one spec for every marker or marker name -> spec (absent: no mutation);
    ``theta``: Balding-Nichols coancestry; ``poi_drop``: the dropout model of the POI's
    sample (no drop-in); the references' dropout is the family's, as in ``nasab lr``."""

    def __init__(
        self,
        family: Family,
        missing: str,
        table: FrequencyTable,
        mutations: Mapping[str, MutationSpec] | MutationSpec | None = None,
        markers: list[str] | None = None,
        *,
        theta: float = 0.0,
        poi_drop: DropModel | None = None,
        lineage=None,
    ):
        """``lineage``: the Y-STR / mtDNA databases (:class:`nasab.power.lineage.
        LineageOptions`); None: autosomal markers only."""
        ped = family.pedigree
        if missing not in ped:
            raise InputError(
                f"missing person {missing!r} is not in the pedigree",
                file=ped.source,
                field="missing",
            )
        if any(is_typed(g) for g in family.genotypes.get(missing, {}).values()):
            raise InputError(
                f"missing person {missing!r} is typed; it must be untyped",
                file=ped.source,
                field=missing,
            )
        if not 0 <= theta < 0.5:
            raise ModelError(f"theta must be in [0, 0.5), not {theta}", field="theta")
        self.family = family
        self.missing = missing
        self.table = table
        self.theta = theta
        self.poi_drop = poi_drop
        self.lineage = lineage
        self.markers = list(markers or family.markers)
        self.models: dict[str, tuple[MarkerModel, MarkerModel]] = {}
        self.described: dict[str, str] = {}
        for mk in self.markers:
            spec = _spec_for(mutations, mk)
            seen = {a for g in family.marker_genotypes(mk).values() for a in g if a is not None}
            m1 = build_marker_model(table, mk, spec, seen)
            m0 = m1 if not m1.mutation else build_marker_model(table, mk, None, seen)
            self.models[mk] = (m1, m0)
            self.described[mk] = spec.describe() if spec is not None else "no mutation"

    @property
    def model_text(self) -> str:
        kinds = sorted(set(self.described.values()))
        text = (
            kinds[0]
            if len(kinds) == 1
            else "per marker: " + "; ".join(f"{m} {d}" for m, d in self.described.items())
        )
        if self.theta:
            text += f"; theta {self.theta:g}"
        if self.poi_drop is not None and not self.poi_drop.trivial:
            text += f"; POI dropout {self.poi_drop.dropout:g}"
        return text

    def connected(self, family: Family | None = None) -> bool:
        """Is the MP linked to a typed person through parent-child links?"""
        fam = family or self.family
        typed = set(fam.typed_persons()) - {self.missing}
        return bool(component_of(fam.pedigree, self.missing) & typed)

    def tables(self, family: Family | None = None, new: str | None = None) -> list[MarkerTable]:
        fam = family or self.family
        out = []
        for mk in self.markers:
            genos = fam.marker_genotypes(mk)
            kw = {
                "drops": fam.drops_for(mk) or None,
                "poi_drop": self.poi_drop,
                "theta": self.theta,
            }
            if new is None:
                out.append(marker_table(fam.pedigree, genos, self.missing, self.models[mk], **kw))
            else:
                out.append(
                    marker_table_with(fam.pedigree, genos, self.missing, new, self.models[mk], **kw)
                )
        return out

    def power(self, n_sim: int = 10_000, seed: int = 1, family: Family | None = None) -> Power:
        from nasab.power.lineage import lineage_power

        fam = family or self.family
        lin = lineage_power(fam, self.missing, self.lineage, n_sim, seed)
        if not self.connected(fam) and not lin:
            return no_information(fam.name, self.missing, self.markers, seed, self.model_text)
        return summarise(
            fam.name, self.missing, self.tables(fam), n_sim, seed, self.model_text, lin
        )

    def simulate_profiles(self, n: int, seed: int = 1) -> list[tuple[Profile, float]]:
        """n profiles of the MP drawn from the exact tables, each with the log10 LR the
        power path gives it (for checks against ``nasab lr``)."""
        rng = np.random.default_rng(seed)
        tabs = self.tables()
        picks = [_draw(t.p_rel, n, rng) % len(t.observations) for t in tabs]
        out = []
        for i in range(n):
            genos = {
                marker_key(t.marker): t.observations[pick[i]]
                for t, pick in zip(tabs, picks, strict=True)
            }
            lg = sum(float(t.log10_lr[0, pick[i]]) for t, pick in zip(tabs, picks, strict=True))
            out.append((Profile("POI", genos, markers=list(self.markers), drop=self.poi_drop), lg))
        return out

    def whom_next(
        self, n_sim: int = 10_000, seed: int = 1, base: Power | None = None
    ) -> list[Candidate]:
        """Every candidate donor with the power the references would have with it, best
        first (see :mod:`nasab.power.whom`)."""
        from nasab.power.lineage import candidate_gain, lineage_power

        base = base or self.power(n_sim, seed)
        lin_on = self.lineage is not None and (
            self.lineage.ystr_db is not None or self.lineage.mtdna_db is not None
        )
        # a candidate is untyped: the typed line members' factors are the base family's
        lin = lineage_power(self.family, self.missing, self.lineage, n_sim, seed)
        out = []
        for label, rel, fam in candidate_families(self.family, self.missing, lineage=lin_on):
            tabs = self.tables(fam, new=NEW)
            p = summarise(fam.name, self.missing, tabs, n_sim, seed, lineage=lin)
            gain = candidate_gain(fam, self.missing, NEW, self.lineage, min(n_sim, 200), seed)
            total = p.expected_log10_lr + sum(gain.values())
            out.append(
                Candidate(
                    label,
                    rel,
                    total,
                    total - base.expected_log10_lr,
                    p.p_exceed,
                    p.exclusion_probability,
                    gain,
                )
            )
        out.sort(key=lambda c: -c.expected_log10_lr)
        return out


def _spec_for(mutations, marker: str) -> MutationSpec | None:
    if mutations is None or isinstance(mutations, MutationSpec):
        return mutations
    spec = None
    for name, s in mutations.items():
        if marker_key(name) == marker_key(marker):
            spec = s
    return spec
