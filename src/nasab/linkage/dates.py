"""Years and dates as a report states them: a birth year, a date of disappearance,
read as written and refused, never guessed, where it cannot be one (a date like
03/04/2013 that readers take as March or April, a year to come, a date before its
birth year).  The registry's forms refuse dates to come by the same day
(:func:`latest_today`)."""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["FIRST_YEAR", "dates_agree", "latest_today", "stated_date", "stated_year"]

#: the earliest year a report may state: a birth year before it, or a date of
#: disappearance, is a slip (1013 for 2013), not a fact
FIRST_YEAR = 1880

#: the easternmost time zone (UTC+14, Kiribati): a date is in the future only once it
#: has begun nowhere on earth, so a family in Damascus (UTC+3) entering today's date just
#: after its midnight is not refused by a machine on UTC
_EASTERNMOST = _dt.timezone(_dt.timedelta(hours=14))


def latest_today(now: _dt.datetime | None = None) -> _dt.date:
    """The latest calendar date that has begun somewhere on earth at ``now`` (an aware
    time; default: the clock's): no report can state a later date of disappearance,
    nor a later birth year than its year."""
    return (now or _dt.datetime.now(_dt.UTC)).astimezone(_EASTERNMOST).date()


def stated_year(v: object) -> int | None:
    """A birth year as written (``1975``, ``١٩٧٥``, or ``1975.0`` as a spreadsheet writes a
    column of years with gaps); None for none.  ValueError for a text that is no whole
    year from :data:`FIRST_YEAR` to this year (:func:`latest_today`): a year to come is
    a slip (2031 for 2013), and read as stated it would set the man decades from his
    other reports."""
    s = "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
    if not s:
        return None
    whole, dot, zeros = s.partition(".")
    if not whole.isdecimal() or (dot and zeros.strip("0")):
        raise ValueError(f"{s!r} is not a year")
    y = int(whole)
    if y < FIRST_YEAR:
        raise ValueError(f"{y} is out of range (before {FIRST_YEAR})")
    if y > (this := latest_today().year):
        raise ValueError(f"{y} is out of range (after this year, {this})")
    return y


def dates_agree(year: int | None, date: _dt.date | None) -> None:
    """ValueError where a report's date of disappearance is in a year before its birth
    year: one of the two is a slip, and read as stated the report would be held apart
    from its man's others by either."""
    if year is not None and date is not None and date.year < year:
        raise ValueError(f"{date.isoformat()} is before the birth year {year}")


#: a date written year first, in any digits, with any of - / . between (2013/4/3): no
#: reader takes the month for the day there
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def stated_date(v: object) -> _dt.date | None:
    """A date as written: year first (``2013-04-03``, ``2013/4/3``, ``٢٠١٣-٠٤-٠٣``), also
    as a spreadsheet writes a date column (``2013-04-03 00:00:00``), or a date object;
    None for none.  ValueError for any other text: a date like 03/04/2013 is read as
    April or as March by different people, so it is refused, never guessed; and for a
    date after today (:func:`latest_today`) or before :data:`FIRST_YEAR`."""
    if v is None or v != v:  # None, NaN, pandas' NaT
        return None
    if isinstance(v, _dt.datetime):
        return _in_range(v.date(), str(v))
    if isinstance(v, _dt.date):
        return _in_range(v, v.isoformat())
    s = str(v).strip()
    if not s:
        return None
    ascii_digits = "".join(str(int(c)) if c.isdecimal() else c for c in s)
    if m := _YEAR_FIRST.fullmatch(ascii_digits):
        try:
            d = _dt.date(*(int(g) for g in m.groups()))
        except ValueError as e:
            raise ValueError(f"{s!r} is no date ({e})") from None
        return _in_range(d, s)
    try:
        t = _dt.datetime.fromisoformat(ascii_digits)
    except ValueError:
        t = None
    if t is None or t.time() != _dt.time() or t.tzinfo is not None:
        raise ValueError(f"{s!r} is not a date like 2013-04-03")
    return _in_range(t.date(), s)


def _in_range(d: _dt.date, s: str) -> _dt.date:
    if d.year < FIRST_YEAR:
        raise ValueError(f"{s!r} is before {FIRST_YEAR}")
    if d > (today := latest_today()):
        raise ValueError(f"{s!r} is after today ({today.isoformat()})")
    return d
