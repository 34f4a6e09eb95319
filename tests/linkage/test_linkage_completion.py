"""A report's silence completed from the reports proposed as the same man
(:mod:`nasab.linkage.completion`; issue 18)."""

from __future__ import annotations

import datetime as _dt

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.completion import complete, groups
from nasab.linkage.dedup import DedupModel
from nasab.linkage.relatives import _facts

TAHA = {"family_name": "al-Taha", "sex": "M", "governorate": "Latakia",
        "grandfather_name": "Ahmad", "father_name": "Wael"}  # fmt: skip


def _kunya_and_ali(c_year: int | None) -> list[dict]:
    """ "Abu Wael" son of Wael (a kunya of the father's name), born 1965, mother Maryam,
    taken on 23 June 2016 (a); Ali son of Wael taken the same day, no birth year nor
    mother (b); and Ali son of Wael, mother Maryam, born ``c_year``, with a date a year
    later (c: proposed with b, but its date leaves the kunya open against it)."""
    return [
        {**TAHA, "report_id": "a", "given_name": "Abu Wael", "mother_name": "Maryam",
         "birth_year": 1965, "disappearance_date": "2016-06-23"},
        {**TAHA, "report_id": "b", "given_name": "Ali", "disappearance_date": "2016-06-23"},
        {**TAHA, "report_id": "c", "given_name": "Ali", "birth_year": c_year,
         "mother_name": "Maryam", "disappearance_date": "2017-06-30"},
    ]  # fmt: skip


def test_birth_year_read_from_the_reports_proposed_as_the_same_man():
    """b gives no birth year; c, proposed as the same man as b, gives 1965, the
    kunya's very year: with the same day, the kunya is Ali (proposed, saying from
    which report the year was read; a and c then through b).  Before: left to a
    person, b's own silence leaving a brother born a year apart open."""
    d = decide(_kunya_and_ali(1965))
    assert ("b", "c") in d.proposed
    assert ("a", "b") in d.proposed and ("a", "c") in d.proposed
    pair = next(p for p in d.pairs if (p.report_a, p.report_b) == ("a", "b"))
    assert any("birth year of b from c" in r for r in pair.reasons)
    assert any("سنة الولادة في b من c" in r for r in pair.reasons_ar)


def test_a_year_read_elsewhere_that_is_not_the_kunyas_leaves_it_open():
    """The same with c born 1968, three years from the kunya's: read into b, the year
    does not tie the two, and a brother fits: left to a person."""
    d = decide(_kunya_and_ali(1968))
    assert ("b", "c") in d.proposed
    assert ("a", "b") not in d.proposed
    assert ("a", "b") in d.undecided


def test_no_report_of_the_man_no_year_to_read():
    """Without c nothing tells b's birth year: left to a person, as before."""
    d = decide(_kunya_and_ali(1965)[:2])
    assert ("a", "b") in d.undecided


def test_completion_fills_silence_only_and_never_from_the_pair_itself():
    """A stated fact is never replaced; a fact the group's others disagree on (birth
    years more than a year apart) is not filled; and within a pair neither report is
    completed from the other."""
    reps = {
        "x": {"report_id": "x", "given_name": "Ali", "birth_year": 1970},
        "y": {"report_id": "y", "given_name": "Ali"},
        "z": {"report_id": "z", "given_name": "Ali", "birth_year": 1971,
              "disappearance_date": "2014-03-01", "mother_name": "Huda"},
        "w": {"report_id": "w", "given_name": "Ali", "birth_year": 1975},
    }  # fmt: skip
    facts = {k: _facts(read_chain(r), r) for k, r in reps.items()}
    assert groups([("x", "y"), ("y", "z"), ("q", "w")]) == [["q", "w"], ["x", "y", "z"]]
    done = complete(facts, [("x", "y"), ("y", "z")])
    assert done.facts["x"].year == 1970  # stated: kept
    assert done.facts["y"].year == 1970  # 1970 and 1971: the lower median
    assert done.facts["y"].date == _dt.date(2014, 3, 1)
    assert done.facts["y"].chain.mother is None  # names are never completed
    assert done.pair("x", "y") is None  # one group: the proposals decide
    spread = complete(facts, [("w", "y"), ("y", "x")])
    assert spread.facts["y"].year is None  # 1975 and 1970 disagree
    fy, fw, why = complete(facts, [("y", "z")]).pair("y", "w")
    assert fy.year == 1971 and fw.year == 1975
    assert why[0].endswith("birth year and date of disappearance of y from z")


def test_completion_leaves_a_model_of_no_proposals_alone():
    """No proposals, nothing to complete: the undecided list is as the first pass
    left it."""
    m = DedupModel([{**TAHA, "report_id": "a", "given_name": "Abu Wael"}])
    assert m.predict() == [] and m.undecided == []


HOMSI = {"father_name": "Khaled", "family_name": "al-Homsi", "sex": "M",
         "governorate": "Homs"}  # fmt: skip


def _hamoudi(with_brothers_year: bool) -> list[dict]:
    """ "Hamoudi" son of Khaled born 1980, mother Huda (a nickname of Mohammad, Ahmad or
    Mahmoud) and Mohammad son of Khaled born 1980, no mother's name; the register
    holds Ahmad son of Khaled of mother Huda with no birth year (z), and, where
    ``with_brothers_year``, another report of Ahmad born 1990 (z2)."""
    out = [
        {
            **HOMSI,
            "report_id": "a",
            "given_name": "Hamoudi",
            "birth_year": 1980,
            "mother_name": "Huda",
        },  # fmt: skip
        {**HOMSI, "report_id": "b", "given_name": "Mohammad", "birth_year": 1980},
        {**HOMSI, "report_id": "z", "given_name": "Ahmad", "mother_name": "Huda"},
    ]
    if with_brothers_year:
        out.append({**HOMSI, "report_id": "z2", "given_name": "Ahmad", "birth_year": 1990,
                    "mother_name": "Huda"})  # fmt: skip
    return out


def test_another_mans_birth_year_read_from_his_other_reports():
    """The nickname fits Ahmad as well, and the register's Ahmad states no birth year:
    a brother of a fitting age, left to a person.  Ahmad's other report gives 1990,
    ten years from the nickname's: he is no other man of its age, and the pair,
    whose birth years agree, is proposed, saying that the register's other reports
    were weighed with completed facts."""
    d = decide(_hamoudi(False))
    assert ("a", "b") in d.undecided
    d = decide(_hamoudi(True))
    assert ("z", "z2") in d.proposed
    assert ("a", "b") in d.proposed
    pair = next(p for p in d.pairs if (p.report_a, p.report_b) == ("a", "b"))
    assert any(r.startswith("the register's other reports weighed") for r in pair.reasons)
