"""Pairs of reports of one man that were lost entirely (neither proposed, nor undecided,
nor held back as relatives): each with the expected decision."""

from __future__ import annotations

from nasab.linkage.chain import read_as_son, read_chain
from nasab.linkage.dedup import DedupModel


def _decide(reports):
    m = DedupModel(reports)
    proposed = {(p.report_a, p.report_b) for p in m.predict()}
    undecided = {(a, b) for a, b, _ in m.undecided}
    held = {(a, b) for a, b, _ in m.possible_relatives}
    return proposed, undecided, held


def test_compound_that_reads_as_name_and_father_is_read_so():
    c = read_as_son(read_chain({"full_name": "Mohamed Aly Mohamed al-Turkmani", "sex": "M"}))
    assert c is not None
    assert (c.given.tok, c.father.tok, c.grandfather.tok) == ("mohammad", "ali", "mohammad")
    # a compound with its own father's box reads one way only
    assert read_as_son(read_chain({"given_name": "Mohammad Ali", "father_name": "Hasan"})) is None


def test_full_name_mohammad_son_of_ali_meets_the_boxes():
    """ "Mohamed Aly Mohamed al-Turkmani" is Mohammad son of Ali son of Mohammad, not
    only the compound Mohammad Ali son of Mohammad."""
    reports = [
        {
            "report_id": "a",
            "full_name": "Mohamed Aly Mohamed al-Turkmani",
            "mother_name": "Maryam",
            "sex": "M",
            "birth_year": 2002,
            "governorate": "Hassakeh",
        },
        {
            "report_id": "b",
            "given_name": "محمد",
            "father_name": "علي",
            "grandfather_name": "محمد",
            "family_name": "التركماني",
            "mother_name": "مريم",
            "sex": "M",
            "birth_year": 2002,
            "governorate": "الحسكة",
        },
    ]
    proposed, undecided, held = _decide(reports)
    assert ("a", "b") in proposed | undecided
    assert not held


def test_compound_with_another_father_is_not_read_as_his_son():
    """ "Mohammad Ali" (no father's box) against Mohammad son of Hasan: the son reading
    does not fit (Ali is not Hasan), so nothing is proposed."""
    reports = [
        {
            "report_id": "a",
            "given_name": "Mohammad Ali",
            "family_name": "al-Turki",
            "sex": "M",
            "birth_year": 1990,
            "governorate": "Hama",
        },
        {
            "report_id": "b",
            "given_name": "Mohammad",
            "father_name": "Hasan",
            "family_name": "al-Turki",
            "sex": "M",
            "birth_year": 1990,
            "governorate": "Hama",
        },
    ]
    proposed, _, _ = _decide(reports)
    assert not proposed
