"""Alternative explanations of a candidate: "these remains are the missing person" against
"these remains are a close relative of the missing person".

When several men of one family are missing, remains of a brother, the father or a son of the
missing person can give a large LR against "unrelated". For each alternative the missing
person's pedigree is extended by one untyped person in that relation (a full brother: a child
of the missing person's parents; the father: the missing person's father, or a new one; a
son: a child of the missing person and a new partner) and the engine's likelihood
(:func:`nasab.lr.missing_person_lr`, the model of the candidate's settings) places the
remains at the missing person and at that person. Both LRs share the denominator (the family
and the remains unrelated), so their ratio is

    LR(MP vs alternative) = P(family data, remains are MP) / P(family data, remains are the relative)

Adding untyped people changes no likelihood, so the first LR is the candidate's own (up to
the table extension: here the alleles of this family and these remains, as ``nasab lr``).
Other missing members of the same pedigree are alternatives too (the LR ratio of the two
missing persons). :func:`alternative_explanations` returns the stored figures, computing
them once (the matching worker fills them in the background for current candidates).
"""

from __future__ import annotations

import math

from django.utils import timezone

from .models import MatchCandidate

RELATIONS = {
    "full_brother": "a full brother of the missing person",
    "father": "the missing person's father",
    "son": "a son of the missing person",
}


def _records_with(records, relation: str, mp: str) -> tuple[list, str]:
    """The pedigree records with one more person ``ALT`` in ``relation`` to ``mp`` (and the
    untyped parents or partner it needs), and the node the remains are placed at: ALT, or
    the missing person's recorded father (the caller skips a typed one)."""
    recs = {pid: [f, m, sex] for pid, f, m, sex in records}
    order = [pid for pid, *_ in records]

    def add(pid, f, m, sex):
        recs[pid] = [f, m, sex]
        order.append(pid)

    def parents_of_mp():
        f, m, _ = recs[mp]
        if f is None:
            add("ALT-F", None, None, 1)
            recs[mp][0] = f = "ALT-F"
        if m is None:
            add("ALT-M", None, None, 2)
            recs[mp][1] = m = "ALT-M"
        return f, m

    if relation == "full_brother":
        f, m = parents_of_mp()
        add("ALT", f, m, 1)
        node = "ALT"
    elif relation == "father":
        f = recs[mp][0]
        if f is None:
            add("ALT", None, None, 1)
            recs[mp][0] = "ALT"
            if recs[mp][1] is None:
                add("ALT-M", None, None, 2)
                recs[mp][1] = "ALT-M"
            node = "ALT"
        else:
            node = f
    elif relation == "son":
        mp_sex = recs[mp][2]
        add("ALT-P", None, None, 2 if mp_sex == 1 else 1)
        add("ALT", mp if mp_sex == 1 else "ALT-P", "ALT-P" if mp_sex == 1 else mp, 1)
        node = "ALT"
    else:
        raise ValueError(relation)
    return [(pid, *recs[pid]) for pid in order], node


def compute(candidate: MatchCandidate) -> dict:
    """The alternatives of one candidate (not stored; see :func:`alternative_explanations`)."""
    from nasab.engine.errors import NasabError
    from nasab.engine.genotypes import Family
    from nasab.engine.lr import missing_person_lr
    from nasab.engine.mutation import mutation_specs
    from nasab.engine.pedigree import Pedigree

    from . import compiled
    from .programme import active_settings, engine_table

    programme = candidate.programme_settings or active_settings()
    table = engine_table(programme.frequency_table)
    person = candidate.person
    place = getattr(person, "pedigree_place", None)
    owner = place.person if place is not None else person
    families, problems = compiled.collect_families(table, [owner], programme)
    if not families:
        return {"error": "; ".join(problems) or "no usable donor profile left in the family"}
    ef = families[0]
    node = next(n for n, p in ef.persons.items() if p.pk == person.pk)
    rem = compiled.remains_profiles(table, programme, [candidate.remains])
    if not rem:
        return {"error": "the remains have no usable profile any more"}
    poi = rem[0][2]
    fam = ef.data.family
    specs = mutation_specs(
        fam.markers, programme.mutation_model, default_rate=programme.default_mutation_rate
    )
    typed = set(fam.genotypes)
    out = {
        "hypotheses": "H1: the remains are the missing person; H2: they are the relative named",
        "model": {
            "settings": programme.pk,
            "mutation": programme.mutation_model,
            "theta": programme.theta,
            "reference_dropout": [programme.dropout_reference, programme.dropin_reference],
            "frequency_table": table.version(),
        },
        "alternatives": [],
    }

    def lr(records, at):
        f = Family(
            Pedigree.from_records(records, source=ef.name), fam.markers, fam.genotypes, name=ef.name
        )
        f.drops = dict(fam.drops)  # the references' dropout of the settings
        return missing_person_lr(f, at, poi, table, specs, theta=programme.theta).log10_lr

    try:
        base = lr(ef.records, node)
        out["log10_lr_missing_vs_unrelated"] = base
        for relation, label in RELATIONS.items():
            records, at = _records_with(ef.records, relation, node)
            entry = {"relation": relation, "label": label}
            if at in typed:
                entry["note"] = "this relative is a typed donor: their own profile decides"
            else:
                alt = lr(records, at)
                entry.update(_ratio(lr(records, node), alt))
            out["alternatives"].append(entry)
        for other, who in ef.persons.items():  # other missing members of the pedigree
            if other == node:
                continue
            entry = {
                "relation": "other_missing",
                "case_number": who.case_number,
                "label": f"another missing member of this family ({who.case_number})",
            }
            entry.update(_ratio(base, lr(ef.records, other)))
            out["alternatives"].append(entry)
    except NasabError as exc:
        out["error"] = str(exc)
    return out


def _ratio(log10_mp: float, log10_alt: float) -> dict:
    if log10_alt == -math.inf:
        return {"log10_lr": "inf", "lr": "inf", "log10_lr_alternative": "-inf"}
    d = log10_mp - log10_alt
    return {"log10_lr": d, "lr": 10.0**d if d < 308 else "inf", "log10_lr_alternative": log10_alt}


def alternative_explanations(candidate: MatchCandidate, *, compute_missing: bool = True) -> dict:
    """The candidate's alternatives for the review page and the report: stored ones, or
    computed now and stored (``compute_missing``); {} when not computed."""
    if candidate.alternatives or not compute_missing:
        return candidate.alternatives
    got = compute(candidate)
    MatchCandidate.objects.filter(pk=candidate.pk).set_state(
        alternatives=got, alternatives_computed_at=timezone.now()
    )
    candidate.alternatives = got
    return got


def fill_pending(limit: int = 20) -> int:
    """Compute the alternatives of up to ``limit`` current candidates without them, the most
    probable first (the worker calls this when idle)."""
    todo = list(
        MatchCandidate.objects.filter(current=True, alternatives={})
        .select_related("person", "remains", "programme_settings")
        .order_by("-posterior", "-likelihood_ratio")[:limit]
    )
    for c in todo:
        alternative_explanations(c)
    return len(todo)
