"""A missing person's reference pedigree, as the kinship engine takes it.

The registry records relatives by *claimed relationship* to the missing person, plus
optional father/mother links between relatives. This module turns that into
``(id, father, mother, sex)`` records (the engine's ``Pedigree.from_records``) with the
missing person as ``MP``, relatives as ``R<pk>`` and untyped placeholder parents where a
relationship implies a parent nobody recorded. Relationships that do not say which side
of the family they are on (grandparent, uncle or aunt, cousin) are used only through
explicit father/mother links; anything left out is said in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.models import MissingPerson, Relationship, Relative, Sex

MP = "MP"
MALE, FEMALE = 1, 2
ENGINE_SEX = {Sex.MALE: MALE, Sex.FEMALE: FEMALE}


@dataclass
class ReferencePedigree:
    person: MissingPerson
    records: list[tuple[str, str | None, str | None, int]]
    relative_ids: dict[int, str]  # Relative pk -> pedigree id
    notes: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, person: MissingPerson):
        self.person = person
        self.parents: dict[str, list[str | None]] = {}
        self.sex: dict[str, int] = {}
        self.notes: list[str] = []
        self.placeholders = 0

    def add(self, pid: str, sex: int) -> None:
        self.parents.setdefault(pid, [None, None])
        self.sex[pid] = sex

    def placeholder(self, sex: int, what: str) -> str:
        self.placeholders += 1
        pid = f"U{self.placeholders}-{what}"
        self.add(pid, sex)
        return pid

    def set_parent(self, child: str, parent: str, index: int) -> None:
        current = self.parents[child][index]
        if current is not None and current != parent:
            self.notes.append(f"{child}: second {('father', 'mother')[index]} ignored")
            return
        self.parents[child][index] = parent

    def mp_parent(self, index: int) -> str:
        """The missing person's father (0) or mother (1), a placeholder if not recorded."""
        if self.parents[MP][index] is None:
            self.parents[MP][index] = self.placeholder(
                (MALE, FEMALE)[index], ("father", "mother")[index]
            )
        return self.parents[MP][index]  # type: ignore[return-value]

    def complete(self) -> list[tuple[str, str | None, str | None, int]]:
        for pid, (father, mother) in list(self.parents.items()):
            if father is not None and mother is None:
                self.parents[pid][1] = self.placeholder(FEMALE, "mother")
            elif mother is not None and father is None:
                self.parents[pid][0] = self.placeholder(MALE, "father")
        return [(pid, f, m, self.sex[pid]) for pid, (f, m) in self.parents.items()]


UNLINKED_KINDS = (
    Relationship.GRANDPARENT,
    Relationship.UNCLE_AUNT,
    Relationship.COUSIN,
    Relationship.OTHER,
    Relationship.SPOUSE,
)


def build(person: MissingPerson, relatives: list[Relative] | None = None) -> ReferencePedigree:
    """The reference pedigree of ``person`` from their recorded relatives."""
    relatives = relatives if relatives is not None else list(person.relatives.all())
    b = _Builder(person)
    relatives, mp_sex = _missing_person_sex(person, relatives, b)
    b.add(MP, mp_sex)
    referenced = {r.father_id for r in relatives} | {r.mother_id for r in relatives}
    used = _add_relatives(b, relatives, referenced)
    for r in relatives:
        if r.pk in used:
            _link_parents(b, r, used)
    for r in relatives:  # after the parents, so siblings share the recorded ones
        if r.pk in used:
            _link_by_relationship(b, r, used, referenced, mp_sex)
    return ReferencePedigree(person, b.complete(), used, b.notes)


def _missing_person_sex(person: MissingPerson, relatives: list[Relative], b: _Builder):
    """(relatives, the missing person's engine sex): without a recorded sex the children
    are left out (with a note) and the sex does not matter."""
    mp_sex = ENGINE_SEX.get(person.sex)
    if mp_sex is not None:
        return relatives, mp_sex
    if any(r.claimed_relationship == Relationship.CHILD for r in relatives):
        b.notes.append("children left out: the missing person's sex is not recorded")
        relatives = [r for r in relatives if r.claimed_relationship != Relationship.CHILD]
    return relatives, MALE  # irrelevant for autosomal markers when MP is nobody's parent


def _add_relatives(b: _Builder, relatives: list[Relative], referenced: set) -> dict[int, str]:
    """Each relative as a person (a parent without a recorded sex left out, with a note):
    relative pk -> pedigree id."""
    used: dict[int, str] = {}
    for r in relatives:
        sex = ENGINE_SEX.get(r.sex)
        is_parent = r.pk in referenced or r.claimed_relationship in (
            Relationship.FATHER,
            Relationship.MOTHER,
        )
        if sex is None and is_parent:
            b.notes.append(f"{r}: left out, sex not recorded")
            continue
        used[r.pk] = f"R{r.pk}"
        b.add(used[r.pk], sex or MALE)
    return used


def _link_parents(b: _Builder, r: Relative, used: dict[int, str]) -> None:
    """The relative's recorded father and mother; a father or mother of the missing person."""
    rid = used[r.pk]
    if r.father_id in used:
        b.set_parent(rid, used[r.father_id], 0)
    if r.mother_id in used:
        b.set_parent(rid, used[r.mother_id], 1)
    if r.claimed_relationship == Relationship.FATHER:
        b.set_parent(MP, rid, 0)
    elif r.claimed_relationship == Relationship.MOTHER:
        b.set_parent(MP, rid, 1)


def _link_by_relationship(
    b: _Builder, r: Relative, used: dict[int, str], referenced: set, mp_sex: int
) -> None:
    """Siblings share the missing person's parents, a child gets the missing person as a
    parent; a more distant relative without recorded links is dropped (with a note)."""
    rid, kind = used[r.pk], r.claimed_relationship
    own = b.parents[rid]
    if kind == Relationship.FULL_SIBLING:
        own[0] = own[0] or b.mp_parent(0)
        own[1] = own[1] or b.mp_parent(1)
    elif kind == Relationship.HALF_SIBLING_PATERNAL:
        own[0] = own[0] or b.mp_parent(0)
    elif kind == Relationship.HALF_SIBLING_MATERNAL:
        own[1] = own[1] or b.mp_parent(1)
    elif kind == Relationship.CHILD:
        b.set_parent(rid, MP, 0 if mp_sex == MALE else 1)
    elif kind in UNLINKED_KINDS and r.pk not in referenced and own == [None, None]:
        b.notes.append(f"{r}: not linked to the pedigree (record father/mother links to use it)")
        del b.parents[rid]
        del used[r.pk]
