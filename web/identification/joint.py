"""Joint identification on the candidates (the engine's ``nasab joint``: :mod:`nasab.dvi`
and :mod:`nasab.dvi_solve`).

* **A family with several missing persons** (a father and two sons): its missing persons
  against every remains that is a current candidate of one of them.
* **The remains of one grave site**: every remains of the site that has a current
  candidate, against every family those candidates name.

The problem is built from the registry as the matching builds it (the same pedigrees, donor
profiles, remains profiles, frequency table extended once by the alleles seen, mutation
model and theta of the settings); person ids are prefixed by the family's case number so
that several families can share one problem. The result (top assignments with posteriors,
pairwise LRs, dvir-style conclusions: undisputed, symmetric / cannot tell apart) is stored
as a :class:`JointAnalysis`, and each candidate of the scope gets a ``joint_context`` entry
for the review page.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict

from django.db import transaction

from . import compiled
from .models import JointAnalysis, MatchCandidate
from .programme import active_settings, engine_table

MAX_VICTIMS = 40
MAX_FAMILIES = 40
TOP = 10


def _renamed(ef: compiled.EngineFamily):
    from nasab.engine.genotypes import Family
    from nasab.engine.pedigree import Pedigree

    pre = f"{ef.name}/"

    def r(x):
        return None if x is None else pre + x

    records = [(r(pid), r(f), r(m), sex) for pid, f, m, sex in ef.records]
    fam = ef.data.family
    genos = {pre + pid: g for pid, g in fam.genotypes.items()}
    out = Family(Pedigree.from_records(records, source=ef.name), fam.markers, genos, name=ef.name)
    out.drops = {pre + pid: d for pid, d in fam.drops.items()}  # the references' dropout
    return out


def problem_of(families: list, units: list, programme, source: str):
    """The joint problem (``nasab.joint``'s DVIProblem) of ``families`` (EngineFamily) and
    the remains ``units`` under the settings, as the registry analyses it and as
    :func:`export_dvi` writes it; and who each missing id is (id -> MissingPerson)."""
    from nasab.engine.genotypes import Profile
    from nasab.engine.mutation import mutation_specs
    from nasab.joint.terms import DVIProblem
    from nasab.search.data import Remains
    from nasab.search.engine import extended_table

    table = engine_table(programme.frequency_table)
    rem = compiled.remains_profiles(table, programme, units)
    victims = [Profile(e.unit.code, e.engine.genotypes, drop=e.engine.drop) for e in rem]
    markers = [
        m.name
        for k, m in table.markers.items()
        if any(k in g for ef in families for g in ef.data.family.genotypes.values())
    ]
    fams = {ef.name: _renamed(ef) for ef in families}
    missing = {f"{ef.name}/{node}": ef.name for ef in families for node in ef.persons}
    who = {f"{ef.name}/{node}": p for ef in families for node, p in ef.persons.items()}
    tabx = extended_table(
        table,
        markers,
        [ef.data for ef in families],
        Remains([v.id for v in victims], [], victims, []),
    )
    problem = DVIProblem(
        fams,
        missing,
        victims,
        tabx,
        mutation_specs(
            markers, programme.mutation_model, default_rate=programme.default_mutation_rate
        ),
        markers,
        source,
        programme.theta,
    )
    return problem, who


def analyse(kind: str, key: str, families: list, units: list, inputs: str = "") -> JointAnalysis:
    """Joint identification of ``families`` (EngineFamily) and the remains ``units``."""
    from nasab.engine.errors import NasabError
    from nasab.joint.assignments import JointSolver
    from nasab.joint.solve import DVISolve
    from nasab.joint.terms import NULL

    programme = active_settings()
    analysis = JointAnalysis(kind=kind, key=key, programme_settings=programme, inputs=inputs)
    try:
        problem, who = problem_of(families, units, programme, f"registry {kind} {key}")
        missing, tabx = problem.missing, problem.table
        res = JointSolver(problem).solve(top=TOP)
        concl = DVISolve(
            problem,
            threshold=programme.threshold,
            threshold2=min(1e3, programme.threshold),
            terms=res.terms,  # the joint's family terms: no pairing computed twice
        ).run()
    except NasabError as exc:
        analysis.error = str(exc)
        analysis.save()
        return analysis
    ids = [v.id for v in problem.victims]
    cj = concl.to_json()
    analysis.result = {
        "victims": ids,
        "missing": {
            m: {"case_number": p.case_number, "family": missing[m]} for m, p in who.items()
        },
        "assignments": [
            {
                "assignment": {v: a.pairs.get(v, NULL) for v in ids},
                "log10_lr": a.log10_lr,
                "posterior": a.posterior,
            }
            for a in res.assignments
        ],
        "pairwise_log10_lr": {v: dict(res.pairwise[v]) for v in ids},
        "conclusions": cj,
        "exact": res.exact,
        "method": res.method,
        "prior": res.prior,
        "n_assignments": res.n_assignments,
        "frequency_table": tabx.version(),
        "mutation": programme.mutation_model,
        "theta": programme.theta,
    }
    analysis.result = _clean(analysis.result)
    with transaction.atomic():
        analysis.save()
        _annotate(analysis, who)
    return analysis


def _clean(x):
    """JSON without infinities or NaN (stored as strings)."""
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def _annotate(analysis: JointAnalysis, who: dict) -> None:
    """Each current candidate of the scope: its pair's place in the joint result."""
    result = analysis.result
    persons = {p.pk: m for m, p in who.items()}
    cands = MatchCandidate.objects.filter(
        current=True, person_id__in=list(persons), remains__code__in=result["victims"]
    ).select_related("remains")
    pm = defaultdict(list)
    for row in result["conclusions"]["PM"]:
        pm[row["Sample"]].append(row)
    for c in cands:
        m = persons[c.person_id]
        v = c.remains.code
        share = sum(a["posterior"] for a in result["assignments"] if a["assignment"].get(v) == m)
        best = result["assignments"][0] if result["assignments"] else None
        rows = [r for r in pm.get(v, []) if r["Missing"] in (m, None)]
        sym = [
            s["statement"]
            for s in result["conclusions"]["symmetric"]
            if v in s["victims"] and m in s["missing"]
        ]
        ctx = dict(c.joint_context or {})
        ctx[analysis.kind] = {
            "analysis": analysis.pk,
            "key": analysis.key,
            "posterior_in_top_assignments": share,
            "in_best_assignment": bool(best and best["assignment"].get(v) == m),
            "best_assignment_posterior": best["posterior"] if best else None,
            "conclusion": rows[0]["Conclusion"] if rows else "",
            "comment": (rows[0].get("Comment") or "") if rows else "",
            "symmetric": sym,
            "victims": len(result["victims"]),
            "missing": len(result["missing"]),
        }
        MatchCandidate.objects.filter(pk=c.pk).set_state(joint_context=ctx)


def _owner(person):
    place = getattr(person, "pedigree_place", None)
    return place.person if place is not None else person


def site_components(cands) -> dict[str, list[tuple[set, set, set]]]:
    """Per grave site, the groups of its remains linked through candidates (remains ->
    missing person <- remains), with the families they name: only groups where the joint
    analysis can change a conclusion (two remains, or one remains and two missing persons).
    A remains with a single candidate of a family nobody else matches is left alone."""
    out: dict[str, list] = {}
    by_site = defaultdict(list)
    for c in cands:
        by_site[c.remains.site.code].append(c)
    for code, cs in by_site.items():
        parent: dict = {}

        def find(x, parent=parent):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for c in cs:
            parent[find(("r", c.remains_id))] = find(("p", c.person_id))
        groups = defaultdict(lambda: (set(), set(), set(), set()))
        for c in cs:
            units, persons, owners, pks = groups[find(("r", c.remains_id))]
            units.add(c.remains)
            persons.add(c.person_id)
            owners.add(_owner(c.person).pk)
            pks.add(c.pk)
        comps = [(u, o, k) for u, p, o, k in groups.values() if len(u) >= 2 or len(p) >= 2]
        if comps:
            out[code] = sorted(comps, key=lambda uo: min(x.code for x in uo[0]))
    return out


def plan(cands=None) -> list[tuple[str, str, list[int], list, str]]:
    """The scopes to analyse now: (kind, key, owner pks, remains units, inputs hash)."""
    programme = active_settings()
    if cands is None:
        cands = list(
            MatchCandidate.objects.filter(current=True).select_related(
                "remains__site", "person__pedigree_place__person"
            )
        )
    from registry.models import Relative

    by_owner, cand_pks = defaultdict(set), defaultdict(set)
    multi = set(
        Relative.objects.filter(missing_person__isnull=False).values_list("person_id", flat=True)
    )
    for c in cands:
        owner = _owner(c.person)
        by_owner[owner.pk].add(c.remains)
        cand_pks[("family", owner.pk)].add(c.pk)
    out = []

    def inputs(pks):
        text = programme.fingerprint + ",".join(map(str, sorted(pks)))
        return hashlib.sha256(text.encode()).hexdigest()

    for pk, units in sorted(by_owner.items()):
        if pk in multi:
            out.append(
                (
                    JointAnalysis.FAMILY,
                    None,
                    [pk],
                    sorted(units, key=lambda u: u.code),
                    inputs(cand_pks[("family", pk)]),
                )
            )
    for code, comps in sorted(site_components(cands).items()):
        for i, (units, owners, pks) in enumerate(comps):
            key = f"{code}#{i + 1}" if len(comps) > 1 else code
            out.append(
                (
                    JointAnalysis.SITE,
                    key,
                    sorted(owners),
                    sorted(units, key=lambda u: u.code),
                    inputs(pks),
                )
            )
    return out


def run_all(limit: int | None = None) -> dict:
    """Joint identification of every family with several missing persons that has
    candidates, and of every linked group of remains of one grave site, whose candidates
    changed since their last analysis (at most ``limit`` analyses)."""
    from registry.models import MissingPerson

    programme = active_settings()
    table = engine_table(programme.frequency_table)
    scopes = plan()
    seen = set(
        JointAnalysis.objects.filter(inputs__in=[s[4] for s in scopes]).values_list(
            "inputs", flat=True
        )
    )
    todo = [s for s in scopes if s[4] not in seen][:limit]
    done = {
        "family": 0,
        "site": 0,
        "skipped": [],
        "left": len([s for s in scopes if s[4] not in seen]) - len(todo),
    }
    if not todo:
        return done
    owners = MissingPerson.objects.in_bulk(sorted({pk for s in todo for pk in s[2]}))
    families = {
        ef.owner.pk: ef
        for ef in compiled.collect_families(table, [owners[pk] for pk in sorted(owners)])[0]
    }
    for kind, key, owner_pks, units, inputs in todo:
        fams = [families[pk] for pk in owner_pks if pk in families]
        if not fams:
            continue
        if len(units) > MAX_VICTIMS or len(fams) > MAX_FAMILIES:
            done["skipped"].append(
                f"{kind} {key}: {len(units)} remains x {len(fams)} families "
                "(beyond the joint analysis bounds)"
            )
            continue
        analyse(kind, key or fams[0].name, fams, units, inputs)
        done[kind] += 1
    return done


def export_dvi(case_number: str, out) -> dict:
    """Write the joint problem of one family with several missing persons (its current
    candidates' remains, the settings in force) as a DVI folder for ``nasab joint --dvi``;
    returns what the registry's analysis of it must be compared with (the scope's latest
    :class:`JointAnalysis`, if any, and the thresholds it used)."""
    from pathlib import Path

    from nasab.engine.errors import InputError
    from nasab.formats.familias_convert import write_dvi_problem
    from registry.models import MissingPerson

    programme = active_settings()
    person = MissingPerson.objects.filter(case_number=case_number).first()
    if person is None:
        raise InputError(f"no missing person has the case number {case_number}")
    owner = _owner(person)
    scope = [s for s in plan() if s[0] == JointAnalysis.FAMILY and s[2] == [owner.pk]]
    if not scope:
        raise InputError(
            f"{owner.case_number}: not a family with several missing persons that has "
            "current candidates"
        )
    _kind, _key, _owners, units, inputs = scope[0]
    table = engine_table(programme.frequency_table)
    families = compiled.collect_families(table, [owner], programme)[0]
    if not families:
        raise InputError(f"{owner.case_number}: no usable donor profile")
    problem, who = problem_of(families, units, programme, f"registry family {owner.case_number}")
    write_dvi_problem(
        Path(out),
        problem.families,
        problem.missing,
        problem.victims,
        problem.table,
        problem.mutations,
        problem.markers,
        theta=problem.theta,
        extra={
            "registry": {
                "settings": programme.pk,
                "settings_fingerprint": programme.fingerprint,
                "missing_case_numbers": {m: p.case_number for m, p in who.items()},
                "threshold": programme.threshold,
                "threshold2": min(1e3, programme.threshold),
                "top": TOP,
            }
        },
    )
    latest = (
        JointAnalysis.objects.filter(kind=JointAnalysis.FAMILY, key=owner.case_number)
        .order_by("-created_at", "-pk")
        .first()
    )
    return {
        "analysis": latest.pk if latest else None,
        "current": bool(latest and latest.inputs == inputs),
        "threshold": programme.threshold,
        "threshold2": min(1e3, programme.threshold),
        "top": TOP,
    }
