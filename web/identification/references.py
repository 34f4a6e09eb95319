"""Are a family's references enough, and whom to ask next? From the engine's power module.

For one missing person: the reference pedigree (:mod:`identification.pedigree`), the
typed relatives' usable profiles (consent applied, :func:`lab.selectors.usable_profiles`)
and the frequency table go to ``nasab.power.PowerAnalysis``: the probability that the
true missing person would reach LR >= 10^4 (Monte Carlo over the exact conditional
genotype distribution), and, for each relative who could still give a sample, the same
with that person typed (``whom_next``). A family with no typed relative gets no number:
every LR would be 1, so the first relatives to ask are the registered parents, children
and full siblings who have not given a sample.

Each takes seconds (3-11 s on a 16-marker programme since power became exact), so pages
never compute it: the matching worker does (:mod:`identification.estimates`) and stores the
result with the fingerprint of what it was computed from (:func:`inputs_key`; the seed is
fixed, so the same inputs give the same numbers).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lab.selectors import usable_profiles
from registry.models import MissingPerson, Relationship

from . import pedigree

THRESHOLD = 1e4
GOOD_POWER = 0.9
N_SIM = 2000
SEED = 1
FIRST_TO_ASK = (
    Relationship.FATHER,
    Relationship.MOTHER,
    Relationship.CHILD,
    Relationship.FULL_SIBLING,
)

# The engine's words for a hypothetical relative, in the reader's language.
RELATION = {
    "parent": _("a parent"),
    "full sibling": _("a full brother or sister"),
    "half sibling": _("a paternal half-brother or half-sister"),
    "uncle": _("a paternal uncle"),
    "child": _("a son or daughter"),
    "grandparent": _("a grandparent"),
    "uncle/aunt": _("an uncle or aunt"),
    "relative": _("another relative"),
}


@dataclass
class Suggestion:
    who: str  # a registered relative's name, or the kind of relative to look for
    relation: str
    power: float | None  # P(LR >= 10^4) with this person typed
    registered: bool


@dataclass
class FamilyReferences:
    person: MissingPerson
    typed: int
    power: float | None  # None: no typed relative linked to the missing person
    enough: bool
    suggestions: list[Suggestion] = field(default_factory=list)
    error: str = ""

    @property
    def percent(self) -> int | None:
        return None if self.power is None else round(100 * self.power)


def typed_profiles(persons) -> dict:
    """Missing person pk -> {relative: its best usable profile (most markers)}, in one query."""
    out: dict = {p.pk: {} for p in persons}
    profiles = (
        usable_profiles("identification")
        .filter(sample__donor__person__in=list(out))
        .select_related("sample__donor")
    )
    for profile in profiles:
        donor = profile.sample.origin_donor
        if donor is None:
            continue
        best = out.setdefault(donor.person_id, {})
        if donor not in best or profile.marker_count > best[donor].marker_count:
            best[donor] = profile
    return out


def _unsampled(person: MissingPerson, typed) -> list[Suggestion]:
    """Registered living relatives who have not given a usable profile, closest first."""
    order = {kind: i for i, kind in enumerate(FIRST_TO_ASK)}
    out = [
        r
        for r in person.relatives.all()
        if not r.deceased and r not in typed and r.claimed_relationship in order
    ]
    out.sort(key=lambda r: order[r.claimed_relationship])
    return [
        Suggestion(r.name_ar or r.name_latin, r.get_claimed_relationship_display(), None, True)
        for r in out
    ]


def inputs_key(person: MissingPerson, typed: dict, fingerprint: str | None = None) -> str:
    """What an estimate depends on: the pedigree as recorded, the profiles used, the
    programme's model and frequency table (``fingerprint``: the settings', when known)."""
    parts = [str(person.pk), str(person.sex)] + sorted(
        f"{r.pk}:{r.claimed_relationship}:{r.father_id}:{r.mother_id}:{p.pk}"
        for r, p in typed.items()
    )
    parts += sorted(
        f"{r.pk}:{r.claimed_relationship}:{r.father_id}:{r.mother_id}"
        for r in person.relatives.all()
    )
    if fingerprint is None:
        from .programme import active_settings

        fingerprint = active_settings().fingerprint
    parts.append(fingerprint)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def unassessed(person: MissingPerson) -> FamilyReferences:
    """No usable reference yet: no number (every LR would be 1), whom to ask first."""
    return FamilyReferences(person, 0, None, False, _unsampled(person, {}))


def assess(person: MissingPerson, table=None, typed: dict | None = None) -> FamilyReferences:
    """Compute the estimate now (seconds: the matching worker calls this, pages read what it
    stored). ``typed``: the person's entry of :func:`typed_profiles`, when fetched for many."""
    typed = typed if typed is not None else typed_profiles([person])[person.pk]
    if not typed:
        return unassessed(person)
    power, suggestions, error = compute(person, typed, table)
    return from_result(person, len(typed), power, suggestions, error)


def from_result(
    person: MissingPerson, typed: int, power, suggestions, error: str = ""
) -> FamilyReferences:
    """The reader's view of a computed (or stored) result: ``suggestions`` as
    :func:`compute` gives them, ``[(label, relation, power)]``."""
    relatives = {f"R{r.pk}": r for r in person.relatives.all()}
    out = []
    for label, relation, p in suggestions:
        pid = label.split(" ", 1)[0]
        relative = relatives.get(pid)
        if relative is not None:
            if relative.deceased:
                continue
            out.append(
                Suggestion(
                    relative.name_ar or relative.name_latin,
                    relative.get_claimed_relationship_display(),
                    p,
                    True,
                )
            )
        else:
            out.append(
                Suggestion(
                    str(RELATION.get(relation, relation)),
                    str(RELATION.get(relation, relation)),
                    p,
                    False,
                )
            )
    enough = power is not None and power >= GOOD_POWER
    return FamilyReferences(person, typed, power, enough, out[:3], error)


def compute(person, typed, table=None):
    """(power, [(label, relation, power)], error) from the engine."""
    from nasab.engine.errors import InputError
    from nasab.engine.genotypes import Family
    from nasab.engine.mutation import mutation_specs
    from nasab.engine.pedigree import Pedigree
    from nasab.power.core import PowerAnalysis

    from .programme import active_settings, engine_table

    programme = active_settings()
    table = table if table is not None else engine_table(programme.frequency_table)
    from nasab.engine.frequencies import marker_key

    reference = pedigree.build(person)
    genotypes = {}
    for relative, profile in typed.items():
        pid = reference.relative_ids.get(relative.pk)
        if pid is None:
            continue
        genotypes[pid] = {
            marker_key(m): tuple(a)
            for m, a in profile.markers.items()
            if m in table or marker_key(m) in table
        }
    markers = sorted({m for g in genotypes.values() for m in g})
    if not genotypes or not markers:
        return None, [], ""
    try:
        family = Family(
            Pedigree.from_records(reference.records, source=person.case_number),
            markers,
            genotypes,
            name=person.case_number,
        )
        mutations = mutation_specs(
            markers, programme.mutation_model, default_rate=programme.default_mutation_rate
        )
        analysis = PowerAnalysis(
            family, pedigree.MP, table, mutations, markers, theta=programme.theta
        )
        base = analysis.power(N_SIM, SEED)
        if not base.informative:
            return None, [], ""
        power = base.p_exceed.get(THRESHOLD, 0.0)
        if power >= GOOD_POWER:  # enough: nobody else needs to be asked
            return power, [], ""
        nxt = analysis.whom_next(N_SIM, SEED, base=base)
    except (InputError, ValueError, KeyError) as exc:
        return None, [], str(exc)
    suggestions = [(c.label, c.relation, c.p_exceed.get(THRESHOLD, 0.0)) for c in nxt]
    suggestions.sort(key=lambda s: -s[2])
    return power, suggestions, ""
