"""A nickname typed with one slip (issue 18): "عبوود" is Abboud with a letter doubled,
"خسون" Hassoun with its first letter typed wrong, "مودة" Hamoudeh with its first letter
dropped.  The lexicon knew the nicknames as written only, so a slipped one read as no
name, and one man's reports were held apart as brothers with different given names (the
second simulator, seeds 1 to 6: 14 true pairs on the relatives list).  A slipped
nickname now reads as the nickname, with its doubts (several names: a brother); a word
one slip from a nickname and from a listed name, written as Abu or Abd, or under four
letters, does not."""

from __future__ import annotations

import pytest
from tests.linkage.decisions import decide

from nasab.linkage.lexicon import name_ids, nickname_of


@pytest.mark.parametrize(
    ("written", "nickname"),
    [
        ("عبوود", "عبود"),  # a letter doubled
        ("عضود", "عبود"),  # a letter typed wrong
        ("خسون", "حسون"),  # the first letter typed wrong
        ("مودة", "حمودة"),  # the first letter dropped
        ("Hamoudy", "Hamoudi"),
        ("Barhom", "Barhoum"),
    ],
)
def test_a_slipped_nickname_reads_as_the_nickname(written, nickname):
    assert nickname_of(written) == nickname_of(nickname)
    assert name_ids(written) == name_ids(nickname)


@pytest.mark.parametrize(
    "written",
    [
        "حموة",  # one slip from حمودة and from حمزة, a listed name
        "عود",  # under four letters (a word, and a family name: العود)
        "Abou",  # Abu, the kunya's first word
        "Abbou",
        "عبو",
        "Abdu",  # the first word of an Abd-name (Abdu Rahman)
        "عبد",
        "Abbd",
    ],
)
def test_a_word_near_a_name_or_written_as_abu_or_abd_is_no_nickname(written):
    assert not nickname_of(written)


_BASE = {"father_name": "أحمد", "grandfather_name": "محمود", "family_name": "الحجازي",
         "sex": "M", "birth_year": "1982", "governorate": "حلب",
         "disappearance_date": "2014-03-11"}  # fmt: skip


@pytest.mark.parametrize(
    ("slipped", "name"),
    [("عبوود", "عبد الكريم"), ("خسون", "حسن"), ("مودة", "محمود"), ("Hamoudy", "محمد")],
)
def test_a_slipped_nickname_is_one_man_with_a_name_it_stands_for(slipped, name):
    reports = [
        {**_BASE, "report_id": "a", "given_name": name, "mother_name": "فاطمة"},
        {**_BASE, "report_id": "b", "given_name": slipped},
    ]
    d = decide(reports)
    assert ("a", "b") in d.proposed
    assert ("a", "b") not in d.held


def test_a_slipped_nickname_against_a_name_it_does_not_stand_for_stays_apart():
    """خسون (Hassoun: Hassan or Hussein) and his brother Khaled: different names."""
    reports = [
        {**_BASE, "report_id": "a", "given_name": "خالد", "mother_name": "فاطمة"},
        {**_BASE, "report_id": "b", "given_name": "خسون"},
    ]
    d = decide(reports)
    assert ("a", "b") not in d.proposed
    assert ("a", "b") in d.held


def test_a_slipped_nickname_with_a_brother_of_another_of_its_names_is_for_a_person():
    """مودة (Hamoudeh: Mohammad, Ahmad or Mahmoud) against Mahmoud, where the register
    holds his brother Mohammad too, born the same year: either may be the nickname's."""
    reports = [
        {**_BASE, "report_id": "a", "given_name": "محمود", "mother_name": "فاطمة"},
        {**_BASE, "report_id": "b", "given_name": "مودة"},
        {**_BASE, "report_id": "c", "given_name": "محمد", "disappearance_date": "2014-03-12"},
    ]
    d = decide(reports)
    assert ("a", "b") not in d.proposed
    assert ("b", "c") not in d.proposed
    assert ("a", "c") not in d.proposed
