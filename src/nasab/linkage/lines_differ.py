"""Whether two reports' fathers or grandfathers differ for sure (two men of one name's
sons: cousins), once the readings that would make them agree are ruled out: a chain
read one place off, a compound father's name, a family name written where a name of
the chain is (:mod:`nasab.linkage.relatives` holds the pairs back on them)."""

from __future__ import annotations

from nasab.linkage.chain import Chain, Part, father_uncertain
from nasab.linkage.compounds import _DIFFERENT, family_relation, part_relation
from nasab.linkage.father_names import father_prefix_alone, same_father_compound
from nasab.linkage.grandfather_names import (
    grandfather_by_second_name,
    grandfather_compounds_differ,
)


def _father_uncertain(c: Chain) -> bool:
    return father_uncertain(c)


def _read_off(c: Chain) -> bool:
    """Names that may have been read one place off: a full name, a given-name box that
    also holds the father's name, a compound."""
    return any(n.startswith(("full name|", "father in given box|", "compound|")) for n in c.notes)


def _fathers_differ(ca: Chain, cb: Chain) -> bool:
    """Both fathers' names stated for sure and different (cousins), unless one chain may
    be read one place off and its father is the other's grandfather."""
    if part_relation(ca.father, cb.father) not in _DIFFERENT:
        return False
    if _father_uncertain(ca) or _father_uncertain(cb) or father_prefix_alone(ca, cb):
        return False
    if same_father_compound(ca, cb):
        return False
    off = (
        ca.father.tok in cb.tokens_after_given()[1:]
        or cb.father.tok in (ca.tokens_after_given()[1:])
    )
    return not (off and (_read_off(ca) or _read_off(cb)))


def _grandfathers_differ(ca: Chain, cb: Chain) -> bool:
    """Both grandfathers' names stated in their own place and different (two Mohammad-
    compounds: by their second names): two sons of two men of one name (cousins), unless
    a chain may be read one place off so that they agree (one's father is the other's
    grandfather: a father's name skipped, or a compound read as a name and the father's)."""
    if grandfather_compounds_differ(ca, cb):
        return True
    if part_relation(ca.grandfather, cb.grandfather) not in _DIFFERENT:
        return False
    if _father_uncertain(ca) or _father_uncertain(cb):
        return False
    if _family_in_grandfathers_box(ca, cb) or _family_in_grandfathers_box(cb, ca):
        return False
    if grandfather_by_second_name(ca, cb):
        return False
    if any(c.note("father box holds two names") is not None for c in (ca, cb)):
        return False  # a compound father's name read as the father and grandfather
    off = any(
        part_relation(x.father, y.grandfather) in ("same", "slip") for x, y in ((ca, cb), (cb, ca))
    )
    return not (off and (_read_off(ca) or _read_off(cb)))


def _middle_fits_neither(ca: Chain, cb: Chain) -> bool:
    """A three-part name's middle name (the father's, or the grandfather's with the
    father skipped) that is neither of the other report's, both stated: a cousin."""
    for x, y in ((ca, cb), (cb, ca)):
        if not _father_uncertain(x) or y.father is None or y.grandfather is None:
            continue
        if _last_word_family(x, y):
            continue
        if all(part_relation(x.father, p) in _DIFFERENT for p in (y.father, y.grandfather)):
            return True
    return False


def _last_word_family(x: Chain, y: Chain) -> bool:
    """x is a full name of two words, the second read as the father's name (a listed
    name), which is y's family name ("يوسف جاسم" against Youssef son of Shadi of the
    Jassem family): many family names are given names too, so the second word may be
    the family name, and the father is then not given at all."""
    return (
        x.family is None
        and x.grandfather is None
        and x.note("full name") is not None
        and _others_family(x.father, y)
    )


def _family_in_grandfathers_box(x: Chain, y: Chain) -> bool:
    """x gives no family name and its grandfather's is y's family name ("Hamoudi",
    Usama, Salloum against "Hamoudi" son of Osama son of Mohammad of the Sallooum: the
    third simulator's family name typed into the grandfather's box, a word the
    register cannot tell from a man's name): the grandfather's box may hold the family
    name, and the grandfathers are then no disagreement."""
    return x.family is None and _others_family(x.grandfather, y)


def _others_family(p: Part | None, y: Chain) -> bool:
    """A name of x's chain (p) that may be y's family name, given where x gives none."""
    if p is None or y.family is None:
        return False
    return family_relation(p, y.family) not in (*_DIFFERENT, "null")
