"""A compound name whose second name is typed with a slip (issue 18): "Mohd Adbullah" is
the compound Mohammad Abdullah as "Adbullah" alone is Abdullah.  The compound's second
name was read by the lexicon's spellings only, with no slip, and the two reports of one
man were held apart as brothers with different given names (the intake benchmark, 6,000
persons, seed 7: "Mohd Adbullah" against "Mohamed Abdullah", both son of Omar)."""

from __future__ import annotations

import pytest
from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain


@pytest.mark.parametrize(
    ("given", "name_id"),
    [
        ("Mohd Adbullah", "abdullah"),
        ("Mohamed Abdulah", "abdullah"),
        ("م. عببد الكريم", "abdulkarim"),
    ],
)
def test_compound_second_name_with_a_slip_is_read(given, name_id):
    c = read_chain({"given_name": given, "father_name": "Omar", "sex": "M"})
    assert c.given.ids == {name_id}
    assert any(n.startswith("compound|") for n in c.notes)


def test_compound_second_name_with_a_slip_is_one_man():
    base = {"father_name": "Omar", "family_name": "al-Abdalkarim", "sex": "M",
            "birth_year": "1971", "governorate": "Hama",
            "disappearance_date": "2013-10-31", "disappearance_place": "Salamieh"}  # fmt: skip
    reports = [
        {**base, "report_id": "a", "given_name": "Mohamed Abdullah", "mother_name": "Fatima"},
        {**base, "report_id": "b", "given_name": "Mohd Adbullah", "grandfather_name": "Ali"},
    ]
    d = decide(reports)
    assert ("a", "b") in d.proposed


def test_compound_second_names_that_differ_stay_apart():
    """A slip is read only where it names one name: "Mohammad Abdullah" and "Mohammad
    Abdulkarim" (brothers) stay two men."""
    base = {"father_name": "Omar", "family_name": "al-Abdalkarim", "sex": "M",
            "governorate": "Hama", "disappearance_date": "2013-10-31"}  # fmt: skip
    reports = [
        {**base, "report_id": "a", "given_name": "Mohamed Abdullah", "birth_year": "1971"},
        {**base, "report_id": "b", "given_name": "Mohd Abdulkarim", "birth_year": "1973"},
    ]
    d = decide(reports)
    assert ("a", "b") not in d.proposed
    assert ("a", "b") in d.held
