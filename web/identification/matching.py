"""The matching job: every usable remains profile against every family, with the engine.

Profiles come from :func:`lab.selectors.usable_profiles` (consent applied), pedigrees from
:mod:`identification.pedigree`, likelihood ratios from ``nasab.missing_person_lr``. Each
result at or above ``min_log10_lr`` becomes a :class:`MatchCandidate` naming the engine
version and the frequency table (name and SHA-256 prefix); a rerun with the same engine
and table adds nothing twice. Run it with ``python web/manage.py run_matching`` (from cron
or a systemd timer), or queue a :class:`~identification.models.MatchingJob` from the
search page for ``manage.py matching_worker`` (:mod:`identification.jobs`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from audit.models import AuditAction
from audit.services import record as audit
from fieldwork.models import RemainsUnit
from lab.selectors import usable_profiles
from registry.models import MissingPerson

from . import pedigree
from .models import MatchCandidate


class MatchingUnavailable(Exception):
    """The kinship engine is not installed in this environment."""


@dataclass
class MatchingReport:
    families: int = 0
    remains: int = 0
    comparisons: int = 0
    created: int = 0
    skipped_families: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"{self.comparisons} comparisons ({self.remains} remains x {self.families} families); "
                 f"{self.created} new match candidates"]
        lines += [f"skipped: {s}" for s in self.skipped_families]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def _engine():
    try:
        from nasab import Family, Pedigree, Profile, missing_person_lr
        from nasab.engine.frequencies import marker_key
    except ImportError as exc:
        raise MatchingUnavailable(
            "the kinship engine (nasab.missing_person_lr) is not installed here") from exc
    return Family, Pedigree, Profile, missing_person_lr, marker_key


def _best_profiles(profiles, owner) -> dict:
    """One profile per owner (remains unit or relative): the one with most markers."""
    best: dict = {}
    for profile in profiles:
        key = owner(profile.sample)
        if key is not None and (key not in best or profile.marker_count > best[key].marker_count):
            best[key] = profile
    return best


def posterior(lr: float, prior: float) -> float:
    if math.isinf(lr):
        return 1.0
    return lr * prior / (lr * prior + 1 - prior)


def default_mutation():
    """Stepwise mutation with the engine's documented example rates (female 0.0005, male
    0.002), so that one mutation does not exclude a true parent."""
    try:
        from nasab.sim.demo import DEMO_MUTATION
    except ImportError:
        return None
    return DEMO_MUTATION


def run(table, *, mutation=None, prior: float | None = None, min_log10_lr: float = 0.0,
        progress=None) -> MatchingReport:
    """Compare every usable remains profile with every family that has a typed donor.

    ``progress(done, total)``, if given, is called before each comparison and at the end
    (total = families x remains); it should be cheap (the job's throttles its writes)."""
    Family, Pedigree, Profile, missing_person_lr, marker_key = _engine()
    mutation = mutation if mutation is not None else default_mutation()
    profiles = list(usable_profiles("identification").select_related(
        "sample__remains", "sample__donor", "sample__parent_sample__remains",
        "sample__parent_sample__donor"))
    remains_profiles = _best_profiles(profiles, lambda s: s.origin_remains)
    donor_profiles = _best_profiles(profiles, lambda s: s.origin_donor)
    by_person = defaultdict(list)
    for relative, profile in donor_profiles.items():
        by_person[relative.person_id].append((relative, profile))
    persons = MissingPerson.objects.in_bulk(list(by_person))
    if prior is not None:
        justification = f"Set by the operator for this search: {prior:g}."
    else:
        registered = MissingPerson.objects.count()
        prior = 1 / max(registered, 1)
        justification = (f"Uniform over the {registered} missing persons registered when the "
                         f"search ran: 1/{registered}.")
    report = MatchingReport(remains=len(remains_profiles))

    def genotypes(profile):
        return {marker_key(m): tuple(alleles) for m, alleles in profile.markers.items()
                if m in table or marker_key(m) in table}

    name, _, version = table.version().partition(" ")
    report_audit = {"frequency_table": table.version(), "remains_profiles": len(remains_profiles),
                    "donor_profiles": len(donor_profiles)}
    total = len(by_person) * len(remains_profiles)
    for index, (person_pk, typed) in enumerate(sorted(by_person.items())):
        if progress is not None:
            progress(index * len(remains_profiles), total)
        person = persons[person_pk]
        reference = pedigree.build(person)
        report.notes += [f"{person.case_number}: {n}" for n in reference.notes]
        family_genotypes = {reference.relative_ids[r.pk]: genotypes(p) for r, p in typed
                            if r.pk in reference.relative_ids}
        markers = sorted({m for g in family_genotypes.values() for m in g})
        if not family_genotypes or not markers:
            report.skipped_families.append(f"{person.case_number}: no typed relative in the pedigree")
            continue
        family = Family(Pedigree.from_records(reference.records, source=person.case_number),
                        markers, family_genotypes, name=person.case_number)
        report.families += 1
        for position, (remains, profile) in enumerate(sorted(remains_profiles.items(),
                                                             key=lambda kv: kv[0].code)):
            if progress is not None:
                progress(index * len(remains_profiles) + position, total)
            poi = Profile(remains.code, genotypes(profile))
            try:
                result = missing_person_lr(family, pedigree.MP, poi, table, mutation)
            except Exception as exc:  # the engine's input errors name what is wrong
                report.skipped_families.append(f"{person.case_number}: {exc}")
                break
            report.comparisons += 1
            if result.log10_lr < min_log10_lr:
                continue
            used = [profile.sample.barcode] + sorted(p.sample.barcode for _, p in typed)
            report.created += _store(remains, person, result, prior, name, version,
                                     justification=justification, samples_used=used)
    if progress is not None:
        progress(total, total)
    audit(None, AuditAction.RUN_MATCHING, object_type="matching run", comparisons=report.comparisons,
          created=report.created, **report_audit)
    return report


@transaction.atomic
def _store(remains: RemainsUnit, person: MissingPerson, result, prior: float, table_name: str,
           table_version: str, *, justification: str = "", samples_used=()) -> int:
    lr = result.lr
    _, created = MatchCandidate.objects.get_or_create(
        remains=remains, person=person, engine_version=result.engine,
        frequency_table=table_name, frequency_table_version=table_version or "unversioned",
        defaults={"likelihood_ratio": lr if math.isfinite(lr) else 1e308, "prior": prior,
                  "posterior": posterior(lr, prior), "prior_justification": justification,
                  "marker_log10_lrs": {m.marker: _json_float(m.log10_lr) for m in result.markers},
                  "samples_used": list(samples_used)})
    return int(created)


def _json_float(x: float) -> float | str:
    """JSON has no infinities: an exclusion at a marker (log10 LR -inf) is stored as "-inf"."""
    return float(x) if math.isfinite(x) else str(x)
