"""A two-word full name whose last word is a listed name with the nisba's -i added
(``Abdulrahman Bashari``): a family name, not the father's name
(:func:`nasab.linkage.family_words.nisba_of_a_name`).  The intake benchmark (1,500 persons,
seed 1) read Bashari as the father Bashar and held four pairs of one man as cousins."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain


def test_nisba_of_a_name_is_the_family_name():
    c = read_chain({"full_name": "Abdulrahman Bashari", "sex": "M"})
    assert c.father is None and c.family is not None and c.family.raw == "Bashari"
    # a listed name stays the father's name
    c = read_chain({"full_name": "Abdulrahman Bashar", "sex": "M"})
    assert c.father is not None and c.father.ids == {"bashar"} and c.family is None


def test_full_name_with_the_nisba_is_not_held_as_a_cousin():
    """ "Abdulrahman Bashari" against Abdulrahman son of Abdullah son of Khaled al-Bashari,
    the same mother and birth year: not on the relatives list (before: "the middle name
    of a three-part name is neither the other's father nor grandfather")."""
    base = {"sex": "M", "birth_year": 1998, "mother_name": "Amal", "governorate": "Idlib",
            "disappearance_date": "2018-05-27"}  # fmt: skip
    reports = [
        {**base, "report_id": "a", "given_name": "Abdulrahman", "father_name": "Abdullah",
         "grandfather_name": "Khaled", "family_name": "Al Bachari"},
        {**base, "report_id": "b", "full_name": "Abdulrahman Bashari"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("a", "b") not in d.held
