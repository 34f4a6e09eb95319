"""Slips that the intake benchmark (1,500 persons, seed 5) read as another name, holding
two reports of one man as relatives: Abu with two letters swapped (``aub taha``, the
family name Abu Taha: :func:`nasab.linkage.tokens._is_abu`) and the Mohammad- prefix
with a slip (``Moiammed Jeehad``: the compound or Mohammad son of Jihad, both readings
kept as when the prefix is spelt right: :func:`nasab.linkage.chain._given`)."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.tokens import parse_name


def test_abu_with_two_letters_swapped_starts_the_family_name():
    assert [t.text for t in parse_name("Khaled Yasser aub taha")] == [
        "Khaled",
        "Yasser",
        "aub taha",
    ]


def test_family_abu_taha_with_a_swap_is_no_grandfather():
    """ "Khaled Yasser aub taha" against Khaled son of Yaser son of Khaled Abu Taha: one
    man (before: "aub" read as the grandfather, held as cousins)."""
    base = {"sex": "M", "birth_year": 1988, "mother_name": "Najah", "governorate": "Hama",
            "disappearance_date": "2011-11-28"}  # fmt: skip
    reports = [
        {**base, "report_id": "a", "full_name": "Khaled Yasser aub taha"},
        {**base, "report_id": "b", "given_name": "Khalled", "father_name": "Yaser",
         "grandfather_name": "Khaled", "family_name": "ABU TAHA"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("a", "b") not in d.held
    assert read_chain(reports[0]).grandfather is None


def test_slipped_prefix_keeps_the_sons_reading():
    """ "Moiammed Jeehad Mhuammad al-Homsi": Mohammad Jihad son of Mohammad, or Mohammad
    son of Jihad son of Mohammad; against Mohamad son of Jihad son of Muhamme: not held as
    father and son (before: the compound alone, "names one generation apart")."""
    c = read_chain({"full_name": "Moiammed Jeehad Mhuammad al-Homsi", "sex": "M"})
    assert c.given.ids == {"jihad", "mohammad"}
    base = {"sex": "M", "birth_year": 1964, "governorate": "Homs"}
    reports = [
        {**base, "report_id": "a", "given_name": "Mohamad", "father_name": "Jihad",
         "grandfather_name": "Muhamme", "family_name": "El-Homsi"},
        {**base, "report_id": "b", "full_name": "Moiammed Jeehad Mhuammad al-Homsi",
         "disappearance_date": "2015-04-01"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("a", "b") not in d.held
