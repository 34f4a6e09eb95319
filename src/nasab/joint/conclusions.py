"""The conclusions of a DVI analysis (:mod:`nasab.joint.solve`): the rows of the AM and PM
tables (``Row``), the symmetries (``Symmetry``), the whole answer (``Conclusions``), and the
pedigree questions the solver asks (``relation``, ``connected_to_typed``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nasab.engine.genotypes import Family
from nasab.engine.pedigree import Pedigree


@dataclass
class Row:
    """One conclusion, in dvir's AM (per missing person) or PM (per victim) table."""

    family: str | None
    missing: str | None
    sample: str | None
    lr: float | None
    glr: float | None
    conclusion: str
    comment: str | None = None

    def am(self) -> dict:
        return {
            "Family": self.family,
            "Missing": self.missing,
            "Sample": self.sample,
            "LR": self.lr,
            "GLR": self.glr,
            "Conclusion": self.conclusion,
            "Comment": self.comment,
        }

    def pm(self) -> dict:
        return {
            "Sample": self.sample,
            "Missing": self.missing,
            "Family": self.family,
            "LR": self.lr,
            "GLR": self.glr,
            "Conclusion": self.conclusion,
            "Comment": self.comment,
        }


@dataclass
class Symmetry:
    family: str
    missing: list[str]
    victims: list[str]
    glr: float
    relation: str
    resolvers: list[str] = field(default_factory=list)

    def statement(self) -> str:
        if len(self.victims) == 1:
            return (
                f"remains {self.victims[0]} is one of {self.relation} "
                f"{' or '.join(self.missing)} (family {self.family}); the DNA cannot "
                "tell which"
            )
        return (
            f"remains {{{', '.join(self.victims)}}} are {{{', '.join(self.missing)}}} "
            f"({self.relation}, family {self.family}) in some order; the DNA cannot tell "
            "which is which"
        )


@dataclass
class Conclusions:
    am: list[Row]
    pm: list[Row]
    symmetries: list[Symmetry]
    steps: list[str]
    thresholds: dict

    def to_json(self) -> dict:
        return {
            "AM": [r.am() for r in self.am],
            "PM": [r.pm() for r in self.pm],
            "symmetric": [
                {
                    "family": s.family,
                    "missing": s.missing,
                    "victims": s.victims,
                    "GLR": s.glr,
                    "relation": s.relation,
                    "statement": s.statement(),
                    "would_resolve": s.resolvers,
                }
                for s in self.symmetries
            ],
            "steps": self.steps,
            "thresholds": self.thresholds,
        }


def relation(ped: Pedigree, ids: list[str]) -> str:
    ps = [ped[i] for i in ids]
    if all(p.father is not None for p in ps):
        if len({(p.father, p.mother) for p in ps}) == 1:
            return "full siblings"
        fathers = {p.father for p in ps}
        mothers = {p.mother for p in ps}
        if len(fathers) == 1 or len(mothers) == 1:
            return "half siblings"
    return "relatives"


def connected_to_typed(fam: Family, m: str, missing: set[str]) -> bool:
    """Is ``m`` linked through parent-child links to a typed person or another MP?"""
    ped = fam.pedigree
    nbr: dict[str, set[str]] = {p: set() for p in ped.ids}
    for p in ped.persons:
        for par in (p.father, p.mother):
            if par is not None:
                nbr[p.id].add(par)
                nbr[par].add(p.id)
    typed = set(fam.typed_persons())
    seen = {m}
    stack = [m]
    while stack:
        x = stack.pop()
        for y in nbr[x]:
            if y in seen:
                continue
            if y in typed or (y in missing and y != m):
                return True
            seen.add(y)
            stack.append(y)
    return False
