"""Two reports that give only a kunya of the father's name ("Abu Ali", son of Ali) fit
any two of the father's sons.  The same disappearance and birth year settle them unless
the register holds two brothers who fit both, taken then too, of a fitting age
(:func:`nasab.linkage.readings.brothers_fit_both`).  For a kunya of the father's name
that age is :data:`nasab.linkage.dedup.KUNYA_RIVAL_YEARS` from the kunya's year, as for
a single rival, not two: a kunya report's year is as often off as any.  Our benchmark,
3,000 persons with brothers born close, seed 12: Ahmad's and Mohammad's kunyas, both
stating 1964 (born 1967 and 1969), taken with their brothers Iyad (1966) and Ahmad
on 18 December 2016, were proposed as one man."""

from __future__ import annotations

from tests.linkage.decisions import decide

#: the sons of Ali Nasser as reported (seed 12); a kunya for Ahmad (c2575) and one for
#: Mohammad (c2578)
_REPORTS = [
    {"report_id": "c2570", "given_name": "إياد", "father_name": "علي", "grandfather_name": "محمد",
     "family_name": "ناصر", "mother_name": "فاطمة", "sex": "M", "birth_year": 1966,
     "disappearance_date": "2016-12-18"},
    {"report_id": "c2571", "given_name": "Iyad", "father_name": "Ali", "family_name": "Nasser",
     "mother_name": "Fatimah", "sex": "M", "birth_year": 1966, "disappearance_date": "2016-12-18"},
    {"report_id": "c2572", "given_name": "Iyad", "father_name": "Ali", "family_name": "Nasser",
     "mother_name": "Fatimah Abu Mamoun", "sex": "M", "birth_year": 1966,
     "disappearance_date": "2017-01-07"},
    {"report_id": "c2573", "mother_name": "فاطمة", "sex": "M", "full_name": "إياد محمد ناصر"},
    {"report_id": "c2574", "given_name": "أحمد", "father_name": "علي", "grandfather_name": "محمد",
     "family_name": "ناصر", "mother_name": "فاطمة", "sex": "M", "birth_year": 1967,
     "disappearance_date": "2016-12-18"},
    {"report_id": "c2575", "given_name": "Abo Ali", "father_name": "Ali", "family_name": "Nasser",
     "mother_name": "Fatima", "sex": "M", "birth_year": 1964, "disappearance_date": "2016-12-18"},
    {"report_id": "c2576", "given_name": "Ahmad", "father_name": "Ali",
     "grandfather_name": "Mohamed", "family_name": "Nasser", "sex": "M", "birth_year": 1968,
     "disappearance_date": "2016-12-09"},
    {"report_id": "c2577", "given_name": "محمد", "father_name": "علي", "family_name": "ناصر",
     "mother_name": "فاطمة النوافي", "sex": "M", "birth_year": 1969,
     "disappearance_date": "2017-01-03"},
    {"report_id": "c2578", "given_name": "أبو علي", "father_name": "علي",
     "grandfather_name": "محمد", "family_name": "ناصر", "mother_name": "فاطمة", "sex": "M",
     "birth_year": 1964, "disappearance_date": "2016-12-18"},
    {"report_id": "c2579", "given_name": "Mohammad", "father_name": "Ali",
     "family_name": "Nasser", "mother_name": "Fatma", "sex": "M", "birth_year": 1969},
]  # fmt: skip


def test_two_kunyas_of_the_father_are_left_open_where_brothers_fit_both():
    d = decide(_REPORTS)
    assert ("c2575", "c2578") not in d.proposed
    assert ("c2575", "c2578") in d.undecided
    # the brothers' own reports are still proposed, each man with his own
    assert {("c2570", "c2571"), ("c2574", "c2576"), ("c2577", "c2579")} <= d.proposed


def test_two_kunyas_are_still_settled_with_no_brother_of_a_fitting_age():
    """With only Mohammad (born 1969, five years from the kunyas' 1964) beside them, no
    two brothers fit both: the same day and year settle the pair."""
    ids = {"c2575", "c2577", "c2578", "c2579"}
    d = decide([r for r in _REPORTS if r["report_id"] in ids])
    assert ("c2575", "c2578") in d.proposed
