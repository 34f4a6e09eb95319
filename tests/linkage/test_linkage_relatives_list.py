"""The relatives list holds pairs held to be two persons of one family; a pair whose
evidence of two persons is not firm is left to a person instead (issue 18: the list
must not hold true duplicates).  One test per rule, with the expected decision."""

from __future__ import annotations

from nasab.linkage.chain import read_chain
from nasab.linkage.relatives import _facts, _held_back, undecided


def _both(a: dict, b: dict):
    fa, fb = _facts(read_chain(a), a), _facts(read_chain(b), b)
    return _held_back({}, fa, fb), undecided(fa, fb)


def test_kunya_with_birth_years_a_few_years_apart_is_left_to_a_person():
    """Abu Khaled son of Khaled, born 1990, against Omar son of Khaled, born 1984: a
    brother of Omar fits the kunya, and so does Omar with a birth year given six years
    off.  Not held as a relative: undecided (the kunya's doubt)."""
    a = {"report_id": "a", "given_name": "أبو خالد", "father_name": "خالد",
         "family_name": "بدر", "sex": "M", "birth_year": 1990}  # fmt: skip
    b = {"report_id": "b", "given_name": "Omar", "father_name": "Khaled",
         "family_name": "al-Badr", "sex": "M", "birth_year": 1984}  # fmt: skip
    held, doubt = _both(a, b)
    assert held is None
    assert doubt is not None and doubt.always and not doubt.alone
    # birth years beyond what one man's reports differ by: still a relative
    held, _ = _both(a, {**b, "birth_year": 1975})
    assert held is not None and "birth years" in held[0]
