"""Pedigrees: who is whose child.

A :class:`Pedigree` is a small immutable object holding individuals, their parents and sex,
validated once on construction (unknown parents, parents of the wrong sex, a person who is
their own ancestor, duplicate ids). Genetic data is kept apart from it, as in pedtools.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nasab.engine.errors import PedigreeError

MALE = 1
FEMALE = 2
UNKNOWN_SEX = 0


@dataclass(frozen=True)
class Person:
    """One individual. ``father``/``mother`` are ids or ``None`` for a founder."""

    id: str
    father: str | None = None
    mother: str | None = None
    sex: int = UNKNOWN_SEX
    line: int | None = None  # where the person was read from, for error messages


@dataclass(frozen=True)
class Pedigree:
    """A validated pedigree. Individuals are kept in a parents-before-children order."""

    persons: tuple[Person, ...]
    source: str | None = None
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _parents: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        persons, parents = _validated_order(self.persons, self.source)
        object.__setattr__(self, "persons", persons)
        object.__setattr__(self, "_index", {p.id: i for i, p in enumerate(persons)})
        object.__setattr__(self, "_parents", parents)

    @classmethod
    def from_records(
        cls, records: Iterable[tuple[str, str | None, str | None, int]], source: str | None = None
    ) -> Pedigree:
        """Build from ``(id, father, mother, sex)`` tuples; ``None`` or ``"0"`` marks no parent."""
        persons = []
        for rec in records:
            pid, fid, mid, sex = rec
            persons.append(
                Person(
                    str(pid),
                    None if fid in (None, "0", 0, "") else str(fid),
                    None if mid in (None, "0", 0, "") else str(mid),
                    int(sex),
                )
            )
        return cls(tuple(persons), source=source)

    # --- queries -------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.persons]

    def __len__(self) -> int:
        return len(self.persons)

    def __contains__(self, pid: object) -> bool:
        return pid in self._index

    def __getitem__(self, pid: str) -> Person:
        return self.persons[self._index[pid]]

    def index(self, pid: str) -> int:
        return self._index[pid]

    def founders(self) -> list[str]:
        return [p.id for p in self.persons if p.father is None]

    def children(self, pid: str) -> list[str]:
        """The person's children, in pedigree order."""
        return list(self._children().get(pid, ()))

    def parents(self, pid: str) -> tuple[str, str] | None:
        """(father, mother), or None for a founder."""
        p = self[pid]
        return None if p.father is None else (p.father, p.mother)  # type: ignore[return-value]

    def neighbours(self, pid: str) -> list[str]:
        """Parents, then children: the persons one meiosis away."""
        return [*(self.parents(pid) or ()), *self.children(pid)]

    def ancestors(self, pids: str | Iterable[str], *, inclusive: bool = False) -> list[str]:
        """Every ancestor of the given persons (and the persons themselves with
        ``inclusive``), in pedigree order. Unknown ids are ignored."""
        start = [pids] if isinstance(pids, str) else [p for p in pids if p in self]
        return self._closure(start, lambda q: self.parents(q) or (), inclusive)

    def descendants(self, pids: str | Iterable[str], *, inclusive: bool = False) -> list[str]:
        """Every descendant of the given persons (with ``inclusive``, the persons too)."""
        start = [pids] if isinstance(pids, str) else [p for p in pids if p in self]
        kids = self._children()
        return self._closure(start, lambda q: kids.get(q, ()), inclusive)

    def components(self) -> list[list[str]]:
        """Connected components (persons linked by parent-child edges), each in pedigree
        order, ordered by their first person."""
        seen: set[str] = set()
        out = []
        for pid in self.ids:
            if pid not in seen:
                comp = set(self._closure([pid], self.neighbours, True))
                seen |= comp
                out.append([q for q in self.ids if q in comp])
        return out

    def paternal_line(self, pid: str) -> list[str]:
        """The person's paternal line upwards: the person, the father, his father, ..."""
        line = [pid]
        while (f := self[line[-1]].father) is not None:
            line.append(f)
        return line

    def maternal_line(self, pid: str) -> list[str]:
        """The person's maternal line upwards: the person, the mother, her mother, ..."""
        line = [pid]
        while (m := self[line[-1]].mother) is not None:
            line.append(m)
        return line

    def unused_id(self, stem: str = "__unrelated__") -> str:
        """An id not in the pedigree (``stem`` with underscores appended as needed)."""
        pid = stem
        while pid in self:
            pid += "_"
        return pid

    def _children(self) -> dict[str, tuple[str, ...]]:
        kids = self.__dict__.get("_kids")
        if kids is None:
            acc: dict[str, list[str]] = {}
            for p in self.persons:
                if p.father is not None:
                    acc.setdefault(p.father, []).append(p.id)
                    acc.setdefault(p.mother, []).append(p.id)  # type: ignore[arg-type]
            kids = {k: tuple(v) for k, v in acc.items()}
            object.__setattr__(self, "_kids", kids)
        return kids

    def _closure(self, start: Iterable[str], step, inclusive: bool) -> list[str]:
        found: set[str] = set()
        stack = list(start)
        starts = set(stack)
        while stack:
            for q in step(stack.pop()):
                if q not in found:
                    found.add(q)
                    stack.append(q)
        if inclusive:
            found |= starts
        return [q for q in self.ids if q in found]

    def parent_indices(self) -> tuple[tuple[int, int] | None, ...]:
        """For each person (in order) the (father, mother) indices, or None for founders
        (found with the order, once a structure: :func:`_validated_order`)."""
        return self._parents

    def without(self, remove: Iterable[str]) -> Pedigree:
        """The pedigree with some childless individuals removed."""
        gone = set(remove)
        for pid in gone:
            kids = [c for c in self.children(pid) if c not in gone]
            if kids:
                raise PedigreeError(f"cannot remove {pid!r}: has children {kids}")
        return Pedigree(tuple(p for p in self.persons if p.id not in gone), source=self.source)

    def add_singleton(self, pid: str, sex: int = UNKNOWN_SEX) -> Pedigree:
        """The pedigree with one more founder, unrelated to everybody."""
        return Pedigree((*self.persons, Person(pid, None, None, sex)), source=self.source)

    def add_child(self, pid: str, father: str, mother: str, sex: int = UNKNOWN_SEX) -> Pedigree:
        """The pedigree with a child of ``father`` and ``mother`` (both already in it)."""
        return Pedigree((*self.persons, Person(pid, father, mother, sex)), source=self.source)

    def add_parents(self, pid: str, father: str, mother: str) -> Pedigree:
        """The pedigree with two new founders as the parents of founder ``pid``."""
        p = self[pid]
        if p.father is not None:
            raise PedigreeError(f"{pid!r} already has parents")
        new = [Person(father, None, None, MALE), Person(mother, None, None, FEMALE)]
        persons = [
            Person(q.id, father, mother, q.sex, q.line) if q.id == pid else q for q in self.persons
        ]
        return Pedigree((*new, *persons), source=self.source)

    def relabel(self, mapping: dict[str, str]) -> Pedigree:
        def m(x: str | None) -> str | None:
            return None if x is None else mapping.get(x, x)

        return Pedigree(
            tuple(
                Person(m(p.id) or p.id, m(p.father), m(p.mother), p.sex, p.line)
                for p in self.persons
            ),
            source=self.source,
        )


def _where(p: Person) -> dict:
    return {"line": p.line, "field": None}


# Valid structures seen (ids, parents, sexes) -> their parents-first order and each
# ordered person's (father, mother) indices: a registry's families are drawn from a few
# dozen structures, checked (and their parents found) once each.
_VALID_ORDERS: dict[tuple, tuple[tuple[int, ...], tuple]] = {}


_ORDER_KEY = operator.attrgetter("id", "father", "mother", "sex")


def _validated_order(
    persons: Sequence[Person], source: str | None
) -> tuple[tuple[Person, ...], tuple[tuple[int, int] | None, ...]]:
    """Check the pedigree and return its persons with every parent before its children,
    and (what :meth:`Pedigree.parent_indices` answers) each one's (father, mother) indices
    in that order, None for founders."""
    if not persons:
        raise PedigreeError("the pedigree is empty", file=source)
    key = tuple(map(_ORDER_KEY, persons))
    got = _VALID_ORDERS.get(key)
    if got is not None:
        order, parents = got
        return tuple(map(persons.__getitem__, order)), parents
    by_id = _checked_ids(persons, source)
    for p in persons:
        _check_parents(p, by_id, source)
    done = _topological(persons, source)
    if len(_VALID_ORDERS) > 10_000:
        _VALID_ORDERS.clear()
    where = {id(p): i for i, p in enumerate(persons)}
    index = {p.id: i for i, p in enumerate(done)}
    parents = tuple(
        None if p.father is None else (index[p.father], index[p.mother])  # type: ignore[index]
        for p in done
    )
    _VALID_ORDERS[key] = (tuple(where[id(p)] for p in done), parents)
    return done, parents


def _checked_ids(persons: Sequence[Person], source: str | None) -> dict[str, Person]:
    """Ids present and unique, sexes valid."""
    by_id: dict[str, Person] = {}
    for p in persons:
        if not p.id:
            raise PedigreeError("empty individual id", file=source, line=p.line)
        if p.id in by_id:
            first = by_id[p.id].line
            extra = f" (first on line {first})" if first else ""
            raise PedigreeError(f"duplicate id {p.id!r}{extra}", file=source, line=p.line)
        if p.sex not in (UNKNOWN_SEX, MALE, FEMALE):
            raise PedigreeError(
                f"sex of {p.id!r} must be 1 (male), 2 (female) or 0 (unknown), not {p.sex}",
                file=source,
                line=p.line,
            )
        by_id[p.id] = p
    return by_id


_SEX_NAME = {MALE: "male", FEMALE: "female", UNKNOWN_SEX: "of unknown sex"}


def _check_parents(p: Person, by_id: dict[str, Person], source: str | None) -> None:
    """Both parents or neither, present, not the person, of the right sex."""
    if (p.father is None) != (p.mother is None):
        raise PedigreeError(
            f"{p.id!r} has only one parent given; give both or neither "
            "(add an untyped founder for the unknown parent)",
            file=source,
            line=p.line,
        )
    if p.father is None:
        return
    for role, parent_id, want in (("father", p.father, MALE), ("mother", p.mother, FEMALE)):
        if parent_id == p.id:
            raise PedigreeError(f"{p.id!r} is their own {role}", file=source, line=p.line)
        parent = by_id.get(parent_id)  # type: ignore[arg-type]
        if parent is None:
            raise PedigreeError(
                f"{role} {parent_id!r} of {p.id!r} is not in the pedigree", file=source, line=p.line
            )
        if parent.sex != want:
            raise PedigreeError(
                f"{role} {parent_id!r} of {p.id!r} is recorded as {_SEX_NAME[parent.sex]}",
                file=source,
                line=p.line,
            )


def _topological(persons: Sequence[Person], source: str | None) -> tuple[Person, ...]:
    """Topological order (Kahn), keeping the input order where possible; a cycle means
    someone is their own ancestor."""
    order: list[Person] = []
    placed: set[str] = set()
    remaining = list(persons)
    while remaining:
        progress = [
            p for p in remaining if p.father is None or (p.father in placed and p.mother in placed)
        ]
        if not progress:
            p = remaining[0]
            raise PedigreeError(
                f"{p.id!r} is their own ancestor (a cycle through "
                f"{', '.join(sorted(q.id for q in remaining))})",
                file=source,
                line=p.line,
            )
        placed.update(p.id for p in progress)
        order.extend(progress)
        remaining = [p for p in remaining if p.id not in placed]
    return tuple(order)
