"""Whether a pair's own facts leave room for a relative the register does not hold
(the ``alone`` of :class:`nasab.linkage.relatives.Doubt`; the register's part is
:func:`nasab.linkage.readings.singled_out`).

A relative whom the names of a pair fit (a brother whom a kunya or a nickname fits, a
cousin named after the same grandfather whom a missing father's name fits)
is in question only if he is missing too, and then his family reports him as well, by
his own name: the register holds reports of him, which :func:`singled_out` finds.  What
is left is a relative whose every report is the one in doubt; the pair's own facts rule
him out where he would have to share them: the same birth year, both stated.  Birth
years a year apart or not stated leave such a relative open, whatever the dates of
disappearance: brothers and cousins are often born a year apart and taken together,
and a relative may have no report but the one in doubt."""

from __future__ import annotations

import datetime as _dt
from typing import Protocol

#: birth years that corroborate a pair whose names alone cannot tell one man from his
#: brother or cousin: both stated, at most this many years apart
CORROBORATING_YEARS = 1


def own_facts_settle(
    *,
    names_one: bool,
    generations: bool,
    brothers: bool,
    cousin_fits: bool,
    kunya_of_father: bool,
    reading_conflicts: bool,
    gap: int | None,
    event: bool,
    apart: bool,
    years: bool,
    same_mother: bool = False,
) -> bool:
    """Whether the pair's own facts leave no room for a relative the register lacks.

    ``names_one``: one of the two reports names one man (not two kunyas or nicknames:
    any two brothers fit those, and no register can tell); ``generations``: the names
    fit a father and his son (only birth years at most two apart tell); ``brothers``:
    the names fit a brother (a kunya, a nickname, a slip close to several names);
    ``cousin_fits``: who the father is is in doubt without the same mother's name;
    ``kunya_of_father``: a kunya of the father's name (each of his sons may be "Abu <his
    father>", and brothers are taken together: never settled by the pair's facts);
    ``reading_conflicts``: who the father is is in doubt without the same mother's name
    because the names as plainly read give another father ("Mohammad Ali" against
    Mohammad son of Hasan: Mohammad son of Ali is a cousin who fits better; "Anas Anas
    al-Haddad", Anas son of Anas, against Anas son of Mahmoud son of Anas: one man only
    with the father's name skipped, a cousin as plainly read); ``gap``:
    the birth years' difference (None: not both stated); ``event``: the same
    disappearance; ``apart``: dates of disappearance months apart (two events);
    ``years``: birth years that corroborate (see :func:`nasab.linkage.relatives.undecided`);
    ``same_mother``: both reports give the same mother's name, and the names raise no
    other doubt (a father's name that may be skipped as well leaves a cousin whose
    mother bears a common name: our benchmark, 6,000 persons, seed 9).
    """
    if not names_one or reading_conflicts or kunya_of_father:
        return False
    if generations:
        # a father and his son are often taken together: only birth years tell (the
        # same year where a cousin fits too), or, where a report states no birth year,
        # the same mother's name: a son's mother is his father's wife, not his father's
        # mother (second simulator, seeds 1-6: 64 such pairs left open, each one man).
        # Not where a brother fits as well (a stacked doubt): brothers share a mother
        if apart:
            return False
        if gap is None:
            return same_mother and not brothers and not cousin_fits
        return gap <= (0 if cousin_fits else 2)
    if apart:
        return False
    if cousin_fits or brothers:
        # a brother (a kunya, a nickname) or a cousin named after the same grandfather,
        # born a year apart, is often taken with him, and a relative whose only report
        # is the one in doubt is left: only the same birth year, both stated, rules
        # him out (the same disappearance does not: they are taken together)
        return gap == 0
    return (event and (gap is None or gap <= 2)) or gap == 0 or years


class _Dated(Protocol):
    """A report's facts with its date of disappearance
    (:class:`nasab.linkage.relatives._Facts`)."""

    date: _dt.date | None


#: disappearance dates at most this many days apart are one event (reports of one
#: disappearance give dates a few weeks apart: "early April", the day the family learnt)
SAME_EVENT_DAYS = 31


def same_event(fa: _Dated, fb: _Dated) -> bool:
    """Both disappearance dates stated and at most :data:`SAME_EVENT_DAYS` apart."""
    return bool(fa.date and fb.date and abs((fa.date - fb.date).days) <= SAME_EVENT_DAYS)


#: disappearance dates more than this many days apart speak against one man (two
#: events); between :data:`SAME_EVENT_DAYS` and this they say nothing either way (a
#: date given weeks off: the second simulator's reports of one man six weeks apart)
EVENTS_APART_DAYS = 90


def events_apart(fa: _Dated, fb: _Dated) -> bool:
    """Both disappearance dates stated and more than :data:`EVENTS_APART_DAYS` apart."""
    return bool(fa.date and fb.date and abs((fa.date - fb.date).days) > EVENTS_APART_DAYS)


#: disappearance dates more than this many days apart are two events, whatever the names
#: (a date given wrong is off by weeks or months, not by years): a person decides
TWO_EVENTS_DAYS = 3 * 365


def two_events(a: _dt.date | None, b: _dt.date | None) -> tuple[str, str] | None:
    """Why (English, Arabic) two reports whose names raise no doubt are left to a person:
    their dates of disappearance are more than :data:`TWO_EVENTS_DAYS` apart (a cousin or
    brother taken years later, or one man taken twice). None: dates not so far apart."""
    days = abs((a - b).days) if a and b else 0
    if days <= TWO_EVENTS_DAYS:
        return None
    return (
        f"disappearances {days} days apart: two events?",
        f"تاريخا الاختفاء بينهما {days} يوماً: حادثتان مختلفتان؟",
    )
