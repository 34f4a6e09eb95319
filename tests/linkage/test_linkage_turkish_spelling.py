"""Arabic names in Turkish spelling, as Turkish records write Syrians' names (Ahmet,
Halit, Muhammet, Cemil): the third simulator's Turkish-like reporters.  A spelling is
read so only where it reads as no name otherwise and bears a mark of Turkish spelling
(a final t or p, c or v, or a letter of Turkish's own)."""

from __future__ import annotations

import pytest
from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.lexicon import name_ids

MAN = {"sex": "M", "governorate": "Homs", "disappearance_date": "2014-09-28"}


@pytest.mark.parametrize(
    "word, ident",
    [
        ("Halet", "khaled"),
        ("Halit", "khaled"),
        ("Muhammet", "mohammad"),
        ("Mahmut", "mahmoud"),
        ("Muhannet", "muhannad"),
        ("Imet", "imad"),
        ("Cihad", "jihad"),
        ("Cuma", "jumaa"),
        ("Velid", "walid"),
        ("Eşref", "ashraf"),
        ("Hadice", "khadija"),
    ],
)
def test_a_turkish_spelling_reads_as_the_arabic_name(word, ident):
    assert name_ids(word) == frozenset({ident})


@pytest.mark.parametrize(
    "word",
    [
        "Hemsi",  # no mark: Homsi, a family name, is no Turkish Khamis
        "Esref",  # no mark: s for ش only in a spelling marked Turkish
        "Oamzah",  # Hamzah with its first letter typed wrong, no Turkish Imad
        "Cassem",  # Qassem with its first letter typed wrong as well as Jassem
    ],
)
def test_an_unmarked_spelling_or_a_slip_is_not_read_as_turkish(word):
    assert name_ids(word) == frozenset()


def test_a_full_name_with_a_family_name_of_no_mark_keeps_its_family():
    c = read_chain({"full_name": "Khaled Hemsi"})
    assert c.father is None and c.family.raw == "Hemsi"


def test_brothers_in_turkish_spelling_are_not_one_man():
    """The third simulator's seeds 2 and 3: brothers "Ahmit" and "Halet" son of
    Husseyn, grandson of Yaser, were proposed as one man, the unknown "Halet" compared
    with Ahmit letter by letter (h-t, h-l-t)."""
    base = {**MAN, "father_name": "Husseyn", "grandfather_name": "Yaser",
            "family_name": "AlAle", "mother_name": "Nur"}  # fmt: skip
    reports = [
        {**base, "report_id": "a", "given_name": "Ahmit", "birth_year": 1960},
        {**base, "report_id": "b", "given_name": "Halet", "birth_year": 1960},
    ]
    d = decide(reports)
    assert ("a", "b") not in d.proposed and ("a", "b") in d.held


def test_a_turkish_spelling_against_the_arabic_script_is_one_man():
    base = {**MAN, "birth_year": 1975, "mother_name": "Fatima"}
    reports = [
        {**base, "report_id": "a", "given_name": "Halit", "father_name": "Muhammet",
         "family_name": "Al Darvis"},
        {**base, "report_id": "b", "given_name": "خالد", "father_name": "محمد",
         "family_name": "الدرويش"},
    ]  # fmt: skip
    assert ("a", "b") in decide(reports).proposed


def test_the_letters_of_a_digraph_are_not_read_as_turkish():
    """The c and h of "ch", the h of "kh", "sh", "th" belong to the digraph: only the
    final t of "Chadit" is read the Turkish way ("Zachariah" was read as Zakaria only by
    a c read as ج and an h as خ; it is now listed)."""
    from nasab.linkage.lexicon import _turkish_forms

    assert _turkish_forms("Chadit", "chadit") == {"chadid"}
    assert _turkish_forms("Halit", "halit") == {"halid", "khalit", "khalid"}
    assert name_ids("Zachariah") == frozenset({"zakaria"})
