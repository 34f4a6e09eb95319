"""The register and the pair's own facts together settle a doubt (issue 18): a kunya, a
nickname of several names, no father's name, a father's name skipped, where the register
holds one man only whom the report in doubt can be, and the pair's own facts tie the two
reports to one man.

The doubt of such a pair (:func:`nasab.linkage.relatives.undecided`) is that a brother
or a cousin fits the report as well.  A relative who is missing too is reported by his
own family under his own name: the register then holds reports of him, and
:func:`nasab.linkage.readings.singled_out` finds them (a report that fits the one in
doubt and cannot be the other).  For a report that names no one (a kunya, "Abu
Khaled", or no given name) every reported man of that father and family who fits it is
looked at (:func:`~nasab.linkage.line_men.other_men`): one who cannot be the other
report is another man the kunya may be, whatever his birth year.  Where the register
holds no such man, what is left is a relative whose every report is the one in doubt;
the pair's own facts rule
him out where he would have to share them (:func:`ties`):

* the same birth year, both stated: brothers are born in different years (twins aside),
  and a cousin born the same year has another mother, so where who the father is is in
  doubt (no father's name, a skipped one) only with the same mother's name;
* where the names fit no brother (no father's name, a father's name skipped: a cousin
  fits), the same disappearance (both dates stated, at most
  :data:`~nasab.linkage.own_facts.SAME_EVENT_DAYS` apart) with birth years at most one
  apart or not both stated (cousins are seldom taken together; two years apart, cousins
  of about his age with dates a fortnight apart fit: seed 6 at 38,000), or birth years a
  year apart with the same mother's name.  Where a cousin named after the grandfather
  fits, of his generation: not with a birth year unstated (no father's name, the given
  name the grandfather's) and, for a three-part name read with the father's name
  skipped, only with the same birth year or mother's name (cousins are taken in one
  raid now and then: seed 6 at 38,000 with close siblings).

Never with dates of disappearance months apart, mothers' names that differ, or
fathers' names that differ as read where no doubt is of who the father is (a three-part
full name against a nickname: a cousin); never for a name that fits a brother (a kunya,
a nickname) by the same disappearance or birth years a year apart (a brother born a year
apart and taken with him, whose only report is this one, fits as well), for names that
fit a father and his son (only birth years tell those), for a doubt that no fact settles
(a compound read by its second name against its prefix alone), nor where neither report
names one man (two kunyas or two nicknames fit any two brothers).

Never here for a kunya of the father's name ("Abu Ayman" son of Ayman): every son of
Ayman may bear it, and brothers are born a year or two apart and reported with years a
year off, so no birth year of the pair's (the same, or a year apart) and no register
that holds no other son of Ayman rules out a brother whose only report is the kunya.
With siblings born one to four years apart (``dedup_intake.py --siblings close``) such
rules merged brothers at 1,500 persons seeds 1 and 2: "Abu Ibrahim" and his brother
Shadi son of Ibrahim, both reported born 1974 with the same mother's name; "Abu Bilal"
with no birth year, a brother taken within the month, the same mother's name.  Only
the same disappearance with the same birth year, and no rival of his age taken then too,
settles such a kunya (``event`` of :func:`nasab.linkage.relatives.undecided`)."""

from __future__ import annotations

from nasab.linkage.line_men import facts_differ, only_man_of_the_line, other_men
from nasab.linkage.own_facts import same_event
from nasab.linkage.readings import better_fit, fits_no_worse, singled_out
from nasab.linkage.relatives import (
    _DIFFERENT,
    Doubt,
    _Facts,
    _names_one,
    part_relation,
)


def ties(fa: _Facts, fb: _Facts, doubt: Doubt) -> bool:
    """Whether the pair's own facts tie its two reports to one man (see the module
    doc): the same birth year; where the names fit no brother also the same
    disappearance with birth years at most one apart or unknown, or birth years a year
    apart; with the same mother's name where the father is in doubt (the same
    disappearance aside); dates not months apart, mothers not different."""
    if doubt.generations or not doubt.settles:
        return False
    if doubt.kunya_of_father:
        return False  # every son of the father may bear it (see the module doc)
    if not (_names_one(fa.chain) or _names_one(fb.chain)):
        return False
    if facts_differ(fa, fb, father_unknown=doubt.father_unknown):
        return False  # two events; or the cousin or half-brother has another mother
    event = same_event(fa, fb)
    mother = part_relation(fa.chain.mother, fb.chain.mother)
    if part_relation(fa.chain.father, fb.chain.father) in _DIFFERENT and not doubt.father_unknown:
        # fathers' names that differ as read where no doubt is of who the father is
        # (a three-part full name against a nickname): a cousin fits
        return False
    gap = abs(fa.year - fb.year) if fa.year and fb.year else None
    # The same disappearance with birth years at most one apart.  Not for a name that
    # fits a brother (a kunya, a nickname): a brother taken in the same event, born a
    # year or two apart, whose only report is this one fits as well.  Nor, with a birth
    # year not stated, for a cousin named after the same grandfather, of his
    # generation (:attr:`Doubt.named_after`); and for one that a three-part name read
    # with the father's name skipped fits, only with the same birth year or mother's
    # name (as the ``event`` of :func:`nasab.linkage.relatives.undecided`).
    if event and not doubt.brothers and (gap <= 1 if gap is not None else not doubt.named_after):
        return gap == 0 or mother in ("same", "slip") or not doubt.skipped_cousin
    # who the father is in doubt: a cousin named after the same grandfather, born the
    # same year, fits unless both give the same mother's name
    if doubt.father_unknown and mother not in ("same", "slip"):
        return False
    if doubt.brothers:
        # a kunya, a nickname: brothers are often born a year apart; only the same
        # birth year rules out a brother whose only report is this one
        return gap == 0
    return gap is not None and gap <= 1


def register_ties(
    facts: dict[str, _Facts],
    cands: dict[str, set[str]],
    a: str,
    b: str,
    doubt: Doubt,
    sons: dict[tuple[str, str, str], set[str]] | None = None,
) -> bool:
    """Whether the register and the pair's own facts settle the pair's doubt: the
    facts tie the two reports (:func:`ties`), the register singles out one person
    (:func:`nasab.linkage.readings.singled_out`) and, for a report that names no one,
    holds no other man it may be (:func:`~nasab.linkage.line_men.other_men`); a
    nickname of several names where the register holds no other man of its father's
    line at all
    (:func:`nasab.linkage.line_men.only_man_of_the_line`)."""
    if ties(facts[a], facts[b], doubt):
        return not names_another(facts, cands, a, b, sons) and singled_out(
            facts, cands, a, b, better=fits_better
        )
    return only_man_of_the_line(facts, cands, a, b, doubt, sons)


def names_another(
    facts: dict[str, _Facts],
    cands: dict[str, set[str]],
    a: str,
    b: str,
    sons: dict[tuple[str, str, str], set[str]] | None = None,
) -> bool:
    """Whether a report of the pair that names no one (a kunya, no given name) fits a
    reported man other than the other report
    (:func:`~nasab.linkage.line_men.other_men`; a son of its own father's name or of
    the other report's, a brother of that man): left to a person, whatever else ties
    the pair (the same disappearance and birth year too: brothers are taken
    together)."""
    return any(
        facts[x].chain.given is None and other_men(facts, cands, x, y, sons, better=fits_better)
        for x, y in ((a, b), (b, a))
    )


def fits_better(fx: _Facts, fy: _Facts, fz: _Facts) -> bool:
    """Whether y fits x plainly better than z, another man x may be: as
    :func:`nasab.linkage.readings.better_fit` (agreeing birth years where z's are more
    than two apart ...), or y states x's very birth year where z, not taken with x,
    states none and fits no better on the disappearance or the mother's name.  A
    brother is born another year: had x been his report, the other man's birth year
    would match it only where the two were born within a year or two of each other;
    but brothers taken together are often born a year or two apart."""
    if better_fit(fx, fy, fz):
        return True
    if not (fx.year and fy.year and fx.year == fy.year) or fz.year:
        return False
    if same_event(fx, fz):
        # z taken with x, his birth year unstated: a brother taken with him, born a
        # year apart, fits as well (6,000 seed 8: "حمودة" son of Ali, born 2001, is
        # Mohammad, reported with no birth year and taken with his brother Mahmoud,
        # born 2001 or 2003 as reported)
        return False
    return fits_no_worse(fx, fy, fz)
