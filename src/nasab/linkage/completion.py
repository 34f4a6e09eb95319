"""A report's facts completed from the other reports proposed as the same man.

Families report one missing man several times, each report giving part of what is
known: the mother gives his birth year, the wife the day he was taken.  The rules
that tell one man from his brother or cousin
(:func:`nasab.linkage.relatives.undecided`, :mod:`nasab.linkage.readings`) weigh the
facts of the two reports of a pair and of the register's other reports; where a report
is silent on a fact that the reports proposed as the same man (the connected
reports of the proposed pairs) state and agree on, that fact is known of the man the
report names, and the rules may weigh it.

Only silence is filled, never a stated fact changed (a report's own birth year stands
even where its others give another), and only from facts the others agree on: birth
years at most :data:`~nasab.linkage.own_facts.CORROBORATING_YEARS` apart (their
median), dates of disappearance at most
:data:`~nasab.linkage.own_facts.SAME_EVENT_DAYS` apart (the earliest).  Names are not
completed, the mother's neither: a report's own names are what the rules weigh to
tell one man from his brother or cousin, and a name read from another report carries
any error of that proposal, and any chance agreement of a common name (two cousins'
mothers both Fatima), into every pair of the report (tried: completing the given,
father's and grandfather's names proposed cousins at 1,500 persons, seeds 3, 4 and 5;
completing the mother's name proposed a cousin at 38,000 seed 6).
:meth:`nasab.linkage.dedup.DedupModel.predict` weighs the pairs it left to a person
once more with the facts so completed, and says which reports a fact was read from.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace

from nasab.linkage.own_facts import CORROBORATING_YEARS, SAME_EVENT_DAYS
from nasab.linkage.readings import _components, proposal_graph
from nasab.linkage.relatives import _Facts


@dataclass(frozen=True)
class Completed:
    """The register's facts with silent reports completed (:attr:`facts`), each
    report's group of reports proposed as the same man, and for each completed report
    the facts filled and the reports that state them."""

    facts: dict[str, _Facts]
    group: dict[str, tuple[str, ...]]
    filled: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]

    def pair(self, a: str, b: str) -> tuple[_Facts, _Facts, tuple[str, str]] | None:
        """The completed facts of ``a`` and ``b`` and why (English, Arabic): the facts
        read and from which reports, or, where neither is completed, that the register's
        other reports were weighed with their completed facts.  None where the two are
        in one group (the proposals already join them:
        :func:`nasab.linkage.readings.settled_by_proposals` decides such a pair); in two
        groups, neither was completed from the other (a fact read from the other
        report would tie the pair to itself)."""
        if b in self.group.get(a, ()):
            return None
        en, ar = [], []
        for r in (a, b):
            if r in self.filled:
                what, src = self.filled[r]
                en.append(f"{' and '.join(what)} of {r} from {', '.join(src)}")
                ar.append(f"{' و'.join(_AR[w] for w in what)} في {r} من {'، '.join(src)}")
        if not en:
            # neither is completed: the register's other reports (another man either may
            # be) are weighed with their facts so completed
            why = (
                "the register's other reports weighed with facts read from the reports "
                "proposed as the same person",
                "البلاغات الأخرى في السجل موزونة بوقائع مأخوذة من البلاغات المقترحة للشخص نفسه",
            )
        else:
            why = (
                "facts read from the reports proposed as the same person: " + "; ".join(en),
                "وقائع مأخوذة من البلاغات المقترحة للشخص نفسه: " + "؛ ".join(ar),
            )
        return self.facts[a], self.facts[b], why


_AR = {
    "birth year": "سنة الولادة",
    "date of disappearance": "تاريخ الاختفاء",
}


def groups(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """The connected reports of ``pairs`` (each group sorted; groups of two or more),
    by the proposals' components (:func:`nasab.linkage.readings._components`)."""
    out: dict[int, list[str]] = {}
    for x, label in _components(proposal_graph(pairs)).items():
        out.setdefault(label, []).append(x)
    return sorted(sorted(g) for g in out.values())


def _year(others: list[_Facts]) -> int | None:
    years = [f.year for f in others if f.year]
    if not years or max(years) - min(years) > CORROBORATING_YEARS:
        return None
    return int(statistics.median_low(sorted(years)))


def _date(others: list[_Facts]):
    dates = [f.date for f in others if f.date]
    if not dates or (max(dates) - min(dates)).days > SAME_EVENT_DAYS:
        return None
    return min(dates)


def _complete(
    facts: dict[str, _Facts], r: str, others: list[str]
) -> tuple[_Facts, tuple[str, ...], tuple[str, ...]]:
    """Report ``r``'s facts with its silence filled from ``others`` (see the module's
    doc), the facts filled, and the reports that state them."""
    fr = facts[r]
    of = [facts[z] for z in others]
    filled: dict[str, object] = {}
    what: list[str] = []
    src: set[str] = set()
    if fr.year is None and (y := _year(of)) is not None:
        filled["year"] = y
        what.append("birth year")
        src |= {z for z in others if facts[z].year}
    if fr.date is None and (d := _date(of)) is not None:
        filled["date"] = d
        what.append("date of disappearance")
        src |= {z for z in others if facts[z].date}
    if not filled:
        return fr, (), ()
    return replace(fr, **filled), tuple(what), tuple(sorted(src))


def complete(facts: dict[str, _Facts], proposed: list[tuple[str, str]]) -> Completed:
    """``facts`` with each silent report of a group of proposed reports completed from
    the group's others (see the module's doc)."""
    out = dict(facts)
    group: dict[str, tuple[str, ...]] = {}
    filled: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for members in groups(proposed):
        for r in members:
            group[r] = tuple(members)
            out[r], what, src = _complete(facts, r, [z for z in members if z != r])
            if what:
                filled[r] = (what, src)
    return Completed(out, group, filled)
