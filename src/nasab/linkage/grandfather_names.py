"""Grandfathers' names written as compounds (issue 18).  "Mohamed Wissam" in the
grandfather's box is read by its prefix, as the chain reader reads any box's first name,
and noted ``grandfather compound``: its second name still tells two grandfathers apart
(:func:`grandfather_compounds_differ`: Mohammad Omar and Mohammad Khaled are two men).
A full name whose father's place holds the Mohammad- prefix and the next place a name,
"Osama Muhammad Wissam al-Abdallah" (:func:`prefix_then_name`), reads as Osama son of
Muhammad son of Wissam, as the father's compound Muhammad Wissam
(:func:`nasab.linkage.prepare._resolve_father_boxes`), or, with the father's name
skipped, as the grandfather's compound; the register tells which
(:func:`resolve_grandfather_compounds`)."""

from __future__ import annotations

from dataclasses import replace

from nasab.linkage.chain import Chain, _another_name
from nasab.linkage.compounds import _DIFFERENT, _name_part, part_relation
from nasab.linkage.tokens import is_prefix

__all__ = [
    "grandfather_by_second_name",
    "grandfather_compounds_differ",
    "prefix_then_name",
    "resolve_grandfather_compounds",
]


def prefix_then_name(c: Chain) -> str | None:
    """A full name (or a given-name box that holds the father's names, "نزار محمد موسى")
    whose father's place holds the Mohammad- prefix and the next place a name ("حسن
    محمد أكرم قدور", "Yusuf Mohammad Burhan Firas al-Ahmad"): the father's
    compound Mohammad Akram as much as the father Mohammad son of Akram (or, with the
    father's name skipped, the grandfather's compound); the two names as written, else
    None."""
    if c.father is None or c.grandfather is None:
        return None
    if c.note("full name") is None and c.note("father in given box") is None:
        return None
    if not is_prefix(c.father.raw) or not c.grandfather.ids:
        return None
    if not _another_name(c.father.raw, c.grandfather.raw):
        return None  # Mohammad son of Mohammad: no compound (as in a father's box)
    return f"{c.father.raw} {c.grandfather.raw}"


def _second(text: str | None):
    """The second name of a compound as written ("Mohamed Wissam": Wissam; "Mohammad Abd
    al Rahman": Abd al Rahman), as a part."""
    words = (text or "").split()
    return _name_part(" ".join(words[1:])) if len(words) >= 2 else None


def grandfather_compounds_differ(ca: Chain, cb: Chain) -> bool:
    """Both grandfathers' names Mohammad- compounds (noted ``grandfather compound``: in
    the grandfather's box, or a full name's middle read so by the register) whose second
    names differ: Osama grandson of Mohammad Omar and Osama grandson of Mohammad Khaled
    are cousins, though both grandfathers read as Mohammad."""
    a, b = (_second(c.note("grandfather compound")) for c in (ca, cb))
    return a is not None and b is not None and part_relation(a, b) in _DIFFERENT


def grandfather_by_second_name(ca: Chain, cb: Chain) -> bool:
    """One grandfather's name a Mohammad- compound (read by its prefix) whose second
    name is the other's grandfather: the compound written by its second name, as it is
    most often shortened (Taysir son of Mohammad grandson of "محمد سعيد", and of سعيد:
    the third simulator held the two apart as cousins)."""
    for x, y in ((ca, cb), (cb, ca)):
        second = _second(x.note("grandfather compound"))
        if second is not None and part_relation(second, y.grandfather) in ("same", "slip"):
            return True
    return False


def resolve_grandfather_compounds(chains: dict[str, Chain]) -> None:
    """A full name of four names, the Mohammad- prefix and a name in its middle ("Osama
    Muhammad Wissam al-Abdallah", :func:`prefix_then_name`, not read as the father's
    compound before), read as the grandfather's compound with the father's name skipped
    where the register says so: other reports of a man of that given and family name
    give the compound in the grandfather's box (Osama son of Khalid son of "Mohamed
    Wissam"), and none gives a man of that name son of Mohammad son of Wissam in two
    boxes.  So read, its middle is a three-part name's (the father's, or the
    grandfather's with the father's skipped: :func:`nasab.linkage.chain.father_uncertain`),
    read by the prefix as the grandfather's box is, and noted ``grandfather compound``
    and ``grandfather compound by register``.  The second simulator wrote such names
    for a man whose other reports give his grandfather's compound in its box; before,
    they were held apart as cousins (the father Muhammad against Khalid)."""
    compound: set[tuple] = set()
    split: set[tuple] = set()
    for c in chains.values():
        if c.given is None or c.family is None:
            continue
        key = (c.given.tok, c.family.tok)
        if (second := _second(c.note("grandfather compound"))) is not None:
            compound.add((*key, second.tok))
        elif c.father is not None and c.grandfather is not None and not prefix_then_name(c):
            split.add((*key, c.father.tok, c.grandfather.tok))
    for rid, c in chains.items():
        text = prefix_then_name(c)
        if text is None or c.given is None or c.family is None or c.extra:
            continue
        if c.note("father compound") is not None:
            continue
        key = (c.given.tok, c.family.tok)
        if (*key, c.grandfather.tok) not in compound:
            continue
        if (*key, c.father.tok, c.grandfather.tok) in split:
            continue
        chains[rid] = replace(
            c,
            grandfather=None,
            notes=(
                *c.notes,
                f"grandfather compound|{text}",
                f"grandfather compound by register|{text}",
            ),
        )
