"""Whom to sample next: the gain from each relative who could still give a sample.

Candidates are the untyped members of the pedigree and hypothetical new relatives
(parents, full and half siblings, children, uncles/aunts). A candidate's genotype is
unknown, so the joint distribution of (the candidate's genotype, the POI's profile) given
the data is computed exactly (both left open in one engine contraction) and averaged over
(:func:`nasab.power.tables.marker_table_with`); the ranking is
:meth:`nasab.power.analysis.PowerAnalysis.whom_next`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from nasab.engine.genotypes import Family
from nasab.engine.pedigree import Pedigree, Person

NEW = "_NEW"


@dataclass
class Candidate:
    label: str
    relation: str
    expected_log10_lr: float
    gain: float  # expected log10 LR gained
    p_exceed: dict[float, float]
    exclusion_probability: float
    # expected log10 Y / mtDNA factor if typed for a line without typed members (lineage)
    lineage: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "candidate": self.label,
            "relation": self.relation,
            "expected_log10LR": self.expected_log10_lr,
            "gain_log10LR": self.gain,
            "P_LR_at_least": {f"1e{int(math.log10(t))}": p for t, p in self.p_exceed.items()},
            "exclusion_probability": self.exclusion_probability,
            **({"lineage_expected_log10LR": self.lineage} if self.lineage else {}),
        }


# -- hypothetical relatives ---------------------------------------------------------------------
def _with_persons(
    fam: Family, persons: list[Person], rename: dict[str, str] | None = None
) -> Family:
    ped = Pedigree(tuple(persons), source=fam.pedigree.source)
    if rename:
        ped = ped.relabel(rename)
    return Family(
        ped,
        fam.markers,
        fam.genotypes,
        fam.name,
        fam.drops,
        fam.marker_drops,
        ystr=fam.ystr,
        mtdna=fam.mtdna,
    )


def _reparent(persons: list[Person], pid: str, father: str, mother: str) -> list[Person]:
    return [Person(x.id, father, mother, x.sex) if x.id == pid else x for x in persons]


def candidate_families(
    fam: Family, mp: str, *, lineage: bool = False
) -> list[tuple[str, str, Family]]:
    """(label, relation, family with the candidate added as person ``_NEW``); with
    ``lineage``, also a new paternal cousin and a new maternal aunt (the references of the
    Y and the mtDNA lines)."""
    ped = fam.pedigree
    typed = set(fam.typed_persons())
    persons = list(ped.persons)
    out: list[tuple[str, str, Family]] = []
    for q in ped.persons:  # existing untyped members (not the MP): type them
        if q.id == mp or q.id in typed:
            continue
        rel = relation_to(ped, mp, q.id)
        if rel != "unrelated":
            out.append(
                (
                    f"{q.id} (in the pedigree, untyped)",
                    rel,
                    _with_persons(fam, persons, {q.id: NEW}),
                )
            )
    out += _new_relatives(fam, mp, persons)
    if lineage:
        out += _lineage_relatives(fam, mp, persons)
    return out


def _grandparents(persons: list[Person], ped: Pedigree, parent: str, tag: str):
    """The persons with ``parent``'s parents present (new founders if absent), and them."""
    par = ped[parent]
    if par.father is not None:
        return persons, par.father, par.mother
    gf, gm = f"_{tag}GF", f"_{tag}GM"
    ps = [Person(gf, None, None, 1), Person(gm, None, None, 2)]
    return [*ps, *_reparent(persons, parent, gf, gm)], gf, gm


def _lineage_relatives(
    fam: Family, mp: str, persons: list[Person]
) -> list[tuple[str, str, Family]]:
    ped = fam.pedigree
    p = ped[mp]
    if p.father is None:
        return []
    out = []
    ps, gf, gm = _grandparents(persons, ped, p.father, "P")
    ps = [
        *ps,
        Person("_UN", gf, gm, 1),
        Person("_UW", None, None, 2),
        Person(NEW, "_UN", "_UW", 1),
    ]
    out.append(("a new paternal cousin of " + mp, "cousin", _with_persons(fam, ps)))
    ps, gf, gm = _grandparents(persons, ped, p.mother, "M")
    ps = [*ps, Person(NEW, gf, gm, 2)]
    out.append(("a new maternal aunt of " + mp, "uncle/aunt", _with_persons(fam, ps)))
    return out


def _new_relatives(fam: Family, mp: str, persons: list[Person]) -> list[tuple[str, str, Family]]:
    ped = fam.pedigree
    p = ped[mp]
    out: list[tuple[str, str, Family]] = []
    if p.father is None:  # parents of a founder MP, and with them a full sibling
        ps = [
            Person(NEW, None, None, 1),
            Person("_MO", None, None, 2),
            *_reparent(persons, mp, NEW, "_MO"),
        ]
        out.append(("a parent (father) of " + mp, "parent", _with_persons(fam, ps)))
        ps = [
            Person("_FA", None, None, 1),
            Person("_MO", None, None, 2),
            *_reparent(persons, mp, "_FA", "_MO"),
            Person(NEW, "_FA", "_MO", 1),
        ]
        out.append(("a full sibling of " + mp, "full sibling", _with_persons(fam, ps)))
    else:
        out.append(
            (
                "a new full sibling of " + mp,
                "full sibling",
                _with_persons(fam, [*persons, Person(NEW, p.father, p.mother, 1)]),
            )
        )
        half = [Person("_OTHER", None, None, 2), Person(NEW, p.father, "_OTHER", 1)]
        out.append(
            (
                "a new paternal half sibling of " + mp,
                "half sibling",
                _with_persons(fam, persons + half),
            )
        )
        fa = ped[p.father]
        if fa.father is None:
            ps = [
                Person("_GF", None, None, 1),
                Person("_GM", None, None, 2),
                *_reparent(persons, fa.id, "_GF", "_GM"),
                Person(NEW, "_GF", "_GM", 1),
            ]
        else:
            ps = [*persons, Person(NEW, fa.father, fa.mother, 1)]
        out.append(("a new paternal uncle of " + mp, "uncle", _with_persons(fam, ps)))
    if p.sex in (1, 2):
        sp = Person("_SP", None, None, 3 - p.sex)
        ch = Person(NEW, mp if p.sex == 1 else "_SP", "_SP" if p.sex == 1 else mp, 1)
        out.append(("a new child of " + mp, "child", _with_persons(fam, [*persons, sp, ch])))
    return out


def relation_to(ped: Pedigree, a: str, b: str) -> str:
    """A short name for how ``b`` is related to ``a`` (pedigree graph queries)."""
    pa, pb = ped.parents(a) or (), ped.parents(b) or ()
    if b in pa:
        return "parent"
    if a in pb:
        return "child"
    if pa and pb:
        if pa == pb:
            return "full sibling"
        if pa[0] == pb[0] or pa[1] == pb[1]:
            return "half sibling"
    for par in pa:
        if b in (ped.parents(par) or ()):
            return "grandparent"
        if b != par and ped.parents(par) is not None and ped.parents(par) == ped.parents(b):
            return "uncle/aunt"
    if set(ped.ancestors(a, inclusive=True)) & set(ped.ancestors(b, inclusive=True)):
        return "relative"
    # spouses and in-laws: linked through children
    return "linked" if b in component_of(ped, a) else "unrelated"


def component_of(ped: Pedigree, pid: str) -> set[str]:
    """Everyone linked to ``pid`` through parent-child links."""
    return next(set(c) for c in ped.components() if pid in c)
