"""Likelihood ratios for missing-person identification.

    LR = P(data | the POI is the missing person) / P(data | the POI is unrelated)

H1 puts the POI's genotypes on the missing person in the reference pedigree; H2 is the
reference pedigree with the missing person untyped, times the POI as an unrelated
Hardy-Weinberg individual. The same definitions as forrel's ``missingPersonLR`` and
Familias. Markers are independent: the total LR is the product over markers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from nasab import __version__
from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import FrequencyTable, marker_key
from nasab.engine.genotypes import UNTYPED, Family, Profile, format_genotype, is_typed
from nasab.engine.likelihood import (
    MarkerModel,
    allele_space,
    log10_hw,
    lumping_allowed,
    marker_likelihood,
    person_joint_scaled,
)
from nasab.engine.mutation import MutationSpec, TableModelError
from nasab.engine.observation import observed_alleles
from nasab.engine.strict_json import json_number

NO_MUTATION = MutationSpec()


def log10(x: float) -> float:
    return math.log10(x) if x > 0 else -math.inf


def pow10(x: float) -> float:
    """10**x without overflow: LRs of whole profiles can pass 10^308."""
    if x == -math.inf:
        return 0.0
    return math.inf if x > 308 else 10.0**x


def build_marker_model(
    table: FrequencyTable,
    marker: str,
    mutation: MutationSpec | None,
    seen: set[str] = frozenset(),
) -> MarkerModel:
    """The marker's alleles and frequencies (extended by alleles ``seen`` in the data) and
    its mutation matrices."""
    if marker not in table:
        raise InputError(f"marker {marker} is not in the frequency table", file=table.source)
    missing = sorted(a for a in seen if a not in table[marker].alleles)
    if missing:
        table.ensure_alleles(marker, missing)
    mf = table[marker]
    spec = mutation or NO_MUTATION
    # Models are cached on the table: building stepwise matrices for 50+ alleles is
    # costly, and a search asks for the same marker model millions of times.
    key = (mf.name, len(mf.alleles), spec)
    model = table.model_cache.get(key)
    if model is None:
        try:
            female, male = spec.matrices(mf.alleles, mf.freqs)
        except ModelError as e:  # name the marker and the table whose alleles it is about
            if spec.origin is None or isinstance(e, TableModelError):
                raise InputError(f"marker {marker}: {e.message}", file=table.source) from None
            file, where = spec.origin  # the model given is impossible for these frequencies
            tab = f"the frequencies of {table.source}"
            msg = e.message.replace("these frequencies", tab)
            msg = f"marker {marker}: {msg}" + ("" if tab in msg else f" (with {tab})")
            raise InputError(msg, file=file, field=where) from None
        model = MarkerModel(mf.name, tuple(mf.alleles), mf.freqs, female, male, not spec.is_trivial)
        table.model_cache[key] = model
    return model


@dataclass
class MarkerLR:
    marker: str
    log10_lr: float
    log10_h1: float
    log10_h2: float
    poi_genotype: str
    mutation: str
    compared: bool

    @property
    def lr(self) -> float:
        return pow10(self.log10_lr)


@dataclass
class LRResult:
    """The LR of one POI against one missing person, per marker and in total."""

    missing: str
    poi: str
    markers: list[MarkerLR]
    frequency_table: str = ""
    engine: str = f"nasab {__version__}"
    warnings: list[str] = field(default_factory=list)
    theta: float = 0.0
    observation: str = "complete profiles (no dropout, no drop-in)"
    mutation_model: str = ""  # the model in words, as the command line states it
    # further factors (nasab.engine.lineage.LineageEvidence: Y-STR, mtDNA, SNP, X-SNP),
    # multiplied with the autosomal STR LR under the stated independence assumption
    lineage: list = field(default_factory=list)

    @property
    def autosomal_log10_lr(self) -> float:
        return float(sum(m.log10_lr for m in self.markers))

    @property
    def log10_lr(self) -> float:
        """The LR of all the evidence: autosomal markers times the lineage factors."""
        return float(self.autosomal_log10_lr + sum(e.log10_lr for e in self.lineage))

    @property
    def lr(self) -> float:
        return pow10(self.log10_lr)

    @property
    def n_compared(self) -> int:
        return sum(m.compared for m in self.markers)

    @property
    def inconsistent_markers(self) -> list[str]:
        return [m.marker for m in self.markers if m.log10_lr == -math.inf]

    def to_json(self) -> dict:
        # strict JSON: an exclusion (log10 LR = -inf, LR 0) is "-Inf", an LR beyond the
        # float range "Inf" (its log10 stays finite)
        num = json_number

        return {
            "log10LR": num(self.log10_lr),
            "LR": num(self.lr),
            "markers": {m.marker: num(m.log10_lr) for m in self.markers},
            "log10_likelihood_H1": {m.marker: num(m.log10_h1) for m in self.markers},
            "log10_likelihood_H2": {m.marker: num(m.log10_h2) for m in self.markers},
            "missing": self.missing,
            "poi": self.poi,
            "markers_compared": self.n_compared,
            "frequency_table": self.frequency_table,
            "mutation_model": self.mutation_model or _common_model(self.markers),
            "mutation": {m.marker: m.mutation for m in self.markers},
            "theta": self.theta,
            "observation_model": self.observation,
            "engine": self.engine,
            # the evidence lines, when lineage markers were analysed (docs/lineage.md)
            **({"evidence": self._evidence_json()} if self.lineage else {}),
        }

    def _evidence_json(self) -> dict:
        auto = self.autosomal_log10_lr
        out: dict = {
            "autosomal": {
                "log10LR": json_number(auto),
                "LR": json_number(pow10(auto)),
                "markers_compared": self.n_compared,
            }
        }
        for e in self.lineage:
            out[e.kind] = e.to_json()
        if self.lineage:
            from nasab.engine.lineage import combination_statement

            out["combination"] = combination_statement(self.lineage)
        return out


def _common_model(markers: list[MarkerLR]) -> str:
    models = {m.mutation for m in markers}
    return models.pop() if len(models) == 1 else "per marker (see 'mutation')"


def missing_person_lr(
    family: Family,
    missing: str,
    poi: Profile,
    table: FrequencyTable,
    mutations: Mapping[str, MutationSpec] | MutationSpec | None = None,
    markers: list[str] | None = None,
    theta: float = 0.0,
) -> LRResult:
    """LR that ``poi`` is the missing person ``missing`` of ``family``, marker by marker.

    ``mutations`` is one spec for all markers or a mapping marker name -> spec. ``theta``
    is the Balding-Nichols coancestry coefficient (0: Hardy-Weinberg); under theta > 0
    the POI of H2 is drawn from the same subpopulation as the family's founders. The POI's
    dropout / drop-in model is ``poi.drop`` (per marker: ``poi.marker_drops``), the
    references' is ``family.drops`` (per marker: ``family.marker_drops``).
    """
    ped = family.pedigree
    if missing not in ped:
        raise InputError(f"missing person {missing!r} is not in the pedigree", file=ped.source)
    if any(is_typed(g) for g in family.genotypes.get(missing, {}).values()):
        raise InputError(
            f"missing person {missing!r} is typed in the reference pedigree; "
            "the missing person must be untyped",
            file=ped.source,
            line=ped[missing].line,
        )
    if not 0 <= theta < 0.5:
        raise ModelError(f"theta must be in [0, 0.5), not {theta}", field="theta")
    markers = markers or family.markers
    results = []
    for marker in markers:
        spec = _spec_for(mutations, marker)
        results.append(_marker_lr(family, missing, poi, table, marker, spec, theta))
    out = LRResult(missing, poi.id, results, table.version())
    out.theta = theta
    out.observation = describe_observation(family, poi)
    return out


def _drop_text(d) -> str:
    parts = [f"dropout {d.dropout:g}"]
    if d.dropout_hom is not None:
        parts.append(f"homozygote dropout {d.dropout_hom:g}")
    if d.dropin:
        parts.append(f"drop-in {d.dropin:g}")
    return ", ".join(parts)


def describe_observation(family: Family, poi: Profile) -> str:
    """The dropout / drop-in model of the comparison in words (for reports)."""
    out = []
    if poi.drop is not None and not poi.drop.trivial:
        out.append(f"POI {_drop_text(poi.drop)}")
    if poi.marker_drops:
        out.append(f"POI per-marker settings at {', '.join(sorted(poi.marker_drops))}")
    refs = {_drop_text(d) for d in family.drops.values() if not d.trivial}
    if refs:
        out.append(f"references {'; '.join(sorted(refs))}")
    if family.marker_drops:
        out.append("references' per-marker settings")
    return "; ".join(out) or "complete profiles (no dropout, no drop-in)"


def _marker_lr(
    family: Family,
    missing: str,
    poi: Profile,
    table: FrequencyTable,
    marker: str,
    spec: MutationSpec | None,
    theta: float,
) -> MarkerLR:
    ped = family.pedigree
    fam_genos = family.marker_genotypes(marker)
    g_poi = poi.genotype(marker)
    poi_alleles = sorted(observed_alleles(g_poi))
    seen = {a for g in fam_genos.values() for a in observed_alleles(g)} | set(poi_alleles)
    model = build_marker_model(table, marker, spec, seen)
    describe = (spec or NO_MUTATION).describe()
    drops = family.drops_for(marker) or None
    lumpable = lumping_allowed(poi.drop_for(marker))
    if theta > 0:
        return _marker_lr_theta(
            ped,
            fam_genos,
            model,
            missing,
            poi,
            marker,
            g_poi,
            poi_alleles,
            drops,
            lumpable,
            theta,
            describe,
        )
    # One contraction gives both hypotheses: the joint of the family's data and the
    # missing person's genotype; summed over genotypes it is the H2 pedigree term.
    # Computed in log10 with the network's factors rescaled (person_joint_scaled): any
    # accepted frequency, 1e-100 included, gives a finite LR or a true exclusion.
    joint, space, scale = person_joint_scaled(
        ped, fam_genos, model, missing, poi_alleles, drops, lumpable
    )
    l2_ped = float(joint.sum())
    if l2_ped == 0:
        raise _impossible(model, ped)
    lh_ped = log10(l2_ped) + scale
    if not poi_alleles:  # untyped, or a marker that failed entirely: LR 1
        return MarkerLR(model.name, 0.0, lh_ped, lh_ped, format_genotype(UNTYPED), describe, False)
    weights = space.weights(g_poi, poi.drop_for(marker))
    l1 = float(np.einsum("ij,ij->", joint, weights))
    lh1 = log10(l1) + scale
    lh2 = lh_ped + log10_hw(space.freqs, weights)
    return MarkerLR(
        model.name,
        lh1 - lh2 if l1 > 0 else -math.inf,
        lh1,
        lh2,
        format_genotype(g_poi),
        describe,
        True,
    )


def _impossible(model: MarkerModel, ped) -> InputError:
    return InputError(
        f"marker {model.name}: the reference family's genotypes are "
        "impossible under the model (Mendelian inconsistency among the "
        "references); check the data or allow mutation",
        file=ped.source,
    )


def _marker_lr_theta(
    ped,
    fam_genos,
    model: MarkerModel,
    missing: str,
    poi: Profile,
    marker: str,
    g_poi,
    poi_alleles: list[str],
    drops,
    lumpable: bool,
    theta: float,
    describe: str,
) -> MarkerLR:
    """Under theta the POI's alleles join the urn of the family's founders: H1 types the
    missing person with the POI's observation, H2 adds the POI as one more founder; both
    computed exactly (:mod:`nasab.engine.theta`), the POI's known alleles conditioning the rest."""
    from nasab.engine.theta import theta_likelihood  # loaded only under theta

    space = allele_space(
        model,
        fam_genos,
        extra=poi_alleles,
        lumpable=lumpable and lumping_allowed(*(drops or {}).values()),
    )
    if not poi_alleles:
        l_ped = float(theta_likelihood(ped, fam_genos, space, theta, drops))
        if l_ped == 0:
            raise _impossible(model, ped)
        lh = log10(l_ped)
        return MarkerLR(model.name, 0.0, lh, lh, format_genotype(UNTYPED), describe, False)
    poi_drop = poi.drop_for(marker)

    def poi_as(pid: str):  # the family's genotypes and dropout models, the POI on pid
        placed = dict(drops or {})
        if poi_drop is not None:
            placed[pid] = poi_drop
        return {**fam_genos, pid: g_poi}, placed

    extra = ped.unused_id()
    h2_genos, h2_drops = poi_as(extra)
    l2 = float(theta_likelihood(ped.add_singleton(extra), h2_genos, space, theta, h2_drops))
    if l2 == 0:
        raise _impossible(model, ped)
    h1_genos, h1_drops = poi_as(missing)
    l1 = float(theta_likelihood(ped, h1_genos, space, theta, h1_drops))
    lh1, lh2 = log10(l1), log10(l2)
    return MarkerLR(
        model.name,
        lh1 - lh2 if l1 > 0 else -math.inf,
        lh1,
        lh2,
        format_genotype(g_poi),
        describe,
        True,
    )


def _spec_for(
    mutations: Mapping[str, MutationSpec] | MutationSpec | None, marker: str
) -> MutationSpec | None:
    if mutations is None or isinstance(mutations, MutationSpec):
        return mutations
    for name, spec in mutations.items():
        if marker_key(name) == marker_key(marker):
            return spec
    return None


def expected_lr_unrelated(
    family: Family,
    missing: str,
    table: FrequencyTable,
    marker: str,
    mutation: MutationSpec | None = None,
) -> float:
    """E[LR] over unrelated POI genotypes drawn from the table: exactly 1 in theory when the
    frequencies sum to 1. Sums over every genotype (use on small markers)."""
    model = build_marker_model(table, marker, mutation)
    fam = family.marker_genotypes(marker)
    l2 = marker_likelihood(family.pedigree, fam, model)
    total = 0.0
    for i, a in enumerate(model.alleles):
        for b in model.alleles[i:]:
            g = (a, b)
            h1 = dict(fam)
            h1[missing] = g
            total += marker_likelihood(family.pedigree, h1, model) / l2
    return float(np.asarray(total))


def posterior(log10_lr, prior: float):
    """P(the POI is the missing person | data) = LR pi / (LR pi + 1 - pi), from log10 LRs
    (a number or an array), in log space so that LRs of 10^300 and more do not overflow.
    An excluded pair (log10 LR = -inf) and a zero prior give 0; a prior of 1 gives 1."""
    x = np.asarray(log10_lr, dtype=float)
    if prior <= 0:
        out = np.zeros_like(x)
    elif prior >= 1:
        out = np.where(x == -np.inf, 0.0, 1.0)
    else:
        log_odds = x + (np.log10(prior) - np.log10(1.0 - prior))
        with np.errstate(over="ignore"):
            out = 1.0 / (1.0 + np.power(10.0, -log_odds))
    return float(out) if out.ndim == 0 else out


def lineage_factors(
    family: Family,
    missing: str,
    poi: Profile,
    *,
    ystr_db=None,
    ystr_method: str = "counting",
    mtdna_db=None,
    confidence: float = 0.95,
) -> list:
    """The Y-STR and mtDNA factors of the LR (``LRResult.lineage``) for the lineage data of
    the family and the POI; a system without data in either gives no factor."""
    ped = family.pedigree
    for kind, data in (("a Y-STR haplotype", family.ystr), ("an mtDNA sequence", family.mtdna)):
        if data.get(missing):
            raise InputError(
                f"missing person {missing!r} has {kind} in the reference "
                "pedigree; the missing person must be untyped",
                file=ped.source,
                line=ped[missing].line,
            )
    out = []
    if poi.ystr or family.ystr:
        from nasab.engine.ystr import ystr_lr

        out.append(
            ystr_lr(
                ped, missing, family.ystr, poi.ystr, ystr_db, ystr_method, confidence=confidence
            )
        )
    if poi.mtdna is not None or family.mtdna:
        from nasab.engine.mtdna import mtdna_lr

        out.append(mtdna_lr(ped, missing, family.mtdna, poi.mtdna, mtdna_db, confidence=confidence))
    return out
