"""Slips that the intake benchmark (1,500 persons, seed 5) read as another name, holding
two reports of one man as relatives: Abu with two letters swapped (``aub taha``, the
family name Abu Taha: :func:`nasab.linkage.tokens._is_abu`) and the Mohammad- prefix
with a slip (``Moiammed Jeehad``: the compound or Mohammad son of Jihad, both readings
kept as when the prefix is spelt right: :func:`nasab.linkage.chain._given`)."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize("written", ["Tbu Ali", "Agu Ali", "Aou Ali", "أبه علي", "أجو علي"])
def test_abu_with_a_letter_typed_wrong_is_a_kunya(written):
    """Abu with one letter typed wrong, in a word that is no name, is Abu: "Tbu Ali"
    (the second simulator's seed 2) was read as a given name Tbu and held apart from
    its man's three other reports as a brother."""
    c = read_chain({"given_name": written, "father_name": "Mohammad", "family_name": "al-Ali"})
    assert c.kunya is not None and c.given is None
    assert c.kunya.ids == read_chain({"given_name": "Abu Ali"}).kunya.ids


@pytest.mark.parametrize("written", ["Abd Ali", "عبو", "Abi", "Ali", "ابن علي"])
def test_a_word_a_letter_from_abu_that_is_a_name_abd_or_a_connector_is_no_kunya(written):
    """Not Abu: Abd, عبو (Abu or an Abd-name's short form), Abi (a family name too:
    Fatima al-Abi), a listed name, the connector ابن."""
    c = read_chain({"given_name": written, "father_name": "Mohammad"})
    assert c.kunya is None


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


@pytest.mark.parametrize("written", ["Yhd Marwan", "Qhd Marwan", "Mld. Marwan", "Mhs Marwan"])
def test_mhd_with_a_letter_typed_wrong_is_the_prefix(written):
    """Mhd with one letter typed wrong, in a Latin word that is no name, before a name:
    the father's compound Mohammad Marwan, read by its second name ("Farouk son of Yhd
    Marwan", the second simulator's seed 3, was held apart as a cousin from four of his
    own reports, whose father is محمد مروان)."""
    c = read_chain(
        {"given_name": "Farouk", "father_name": written, "grandfather_name": "Mhd Yasser"}
    )
    assert c.father.raw == "Marwan"
    assert any(n.startswith("father compound|") for n in c.notes)


@pytest.mark.parametrize("written", ["Ahd Marwan", "Fhd Marwan"])
def test_a_word_a_letter_from_mhd_that_is_a_name_or_starts_with_a_vowel_is_no_prefix(written):
    """Not the prefix: a word that starts with a vowel (Ahd, a woman's name) or that is a
    name as written (Fhd: Fahd)."""
    c = read_chain(
        {"given_name": "Farouk", "father_name": written, "grandfather_name": "Mhd Yasser"}
    )
    assert c.father.raw == written.split()[0]


@pytest.mark.parametrize(
    "written, parts",
    [
        ("SaedBarakat", ("Saed", "Barakat")),  # a name and a family name not listed
        ("SultanAbdul Qader", ("Sultan", "Abdul Qader")),  # two listed names, as before
        ("alaHaremi", ("alaHaremi", None)),  # al-Haremi with a slip: no capital first
        ("McDonald", ("McDonald", None)),  # Mc reads as no name
    ],
)
def test_a_whole_name_typed_as_one_word_is_split_at_its_capital(written, parts):
    """A Latin word that is no name, whose capitalised first part reads as a name: the
    space was left out ("SaedBarakat" was held apart from two of its man's reports, the
    second simulator's seed 4, as a brother named SaedBarakat)."""
    c = read_chain({"full_name": written})
    second = c.family or c.father
    assert (c.given.raw, second.raw if second else None) == parts


def test_mhd_with_its_letters_swapped_into_hmd_starts_no_compound():
    """Hmd, Mhd's letters swapped, is also the consonants of Hamad, Hamid or Ahmad:
    Mhd's slips read as the prefix keep its M or its "hd"."""
    assert [t.kind for t in parse_name("Yhd Marwan")] == ["prefix", "name"]
    assert [t.kind for t in parse_name("Hmd Marwan")] == ["name", "name"]


@pytest.mark.parametrize(
    "written, words",
    [
        # a connector's space typed a letter off (the second simulator, seed 3)
        ("Abd Allahb in Jumaa bin Maher al-Ali", ["Abd", "Allah", "Jumaa", "Maher", "al", "Ali"]),
        ("Yousefb in Abd Allah el-Obeid", ["Yousef", "Abd", "Allah", "el", "Obeid"]),
        ("عبد اللهب ن جمعة", ["عبد", "الله", "جمعة"]),
        ("Habib in Ali", ["Habib", "in", "Ali"]),  # Habib is a name: it gives no letter
        ("Sami Hasanb in", ["Sami", "Hasanb", "in"]),  # no name after it
        # a family name written first, its last letter on the Abd after it
        ("نجارع بد الله إبراهيم", ["نجار", "عبد", "الله", "إبراهيم"]),
        ("نجارع بد", ["نجارع", "بد"]),  # no name after the Abd
        # the space left out before an Abd
        ("مازنعبد الحميد عثمان", ["مازن", "عبد", "الحميد", "عثمان"]),
        ("مازنعبد", ["مازنعبد"]),  # no name after it
        # the family name's capital typed onto its article (seed 6), the article's l onto
        # the family name ("a-lHalabi", our generator's slips)
        ("Nabil Abdulqader AlS-hami", ["Nabil", "Abdulqader", "Al", "Shami"]),
        ("Ziyad Hasan a-lHamwi", ["Ziyad", "Hasan", "al", "Hamwi"]),
        ("AlS hami Nabil", ["AlS", "hami", "Nabil"]),  # not the last word: no family name
        ("Alm Ahmad", ["Alm", "Ahmad"]),  # no capital moved: a slip of a name
        # two names typed as one, each listed (seed 6: "مِحَمد طهوائل": Mohammad Taha Wael)
        ("مِحَمد طهوائل محمود المحمد", ["مِحَمد", "طه", "وائل", "محمود", "المحمد"]),
    ],
)
def test_a_space_typed_off_beside_a_connector_an_abd_or_an_article_is_mended(written, words):
    """Slips the second simulator's seeds 2, 3 and 6 read as names no one bears ("Allahb"
    a father, "نجارع" a given name, "مازنعبد" a given name without his father's Abd,
    "hami" a family name, "طهوائل" a father), each holding a man apart from his own
    reports as a cousin; each mended only where the names so read fit (a name follows
    the connector or the Abd, the article's word is the last)."""
    from nasab.linkage.tokens import name_words

    assert name_words(written) == words


def test_a_connector_with_its_space_typed_off_is_proposed():
    """The second simulator's seed 3: "Abd Allahb in Jumaa bin Maher al-Ali" against
    Abdullah al-Ali whose grandfather is Maher, the father's box blank, was held as a
    cousin whose father is Allahb."""
    base = {"sex": "M", "governorate": "Damascus", "disappearance_date": "2014-07-06"}
    d = decide(
        [
            {**base, "report_id": "a", "full_name": "Abd Allahb in Jumaa bin Maher al-Ali",
             "mother_name": "Maryam", "birth_year": 1994},
            {**base, "report_id": "b", "given_name": "عبد الله", "grandfather_name": "ماهر",
             "family_name": "العلي", "birth_year": 1995},
        ]
    )  # fmt: skip
    assert ("a", "b") in d.proposed


@pytest.mark.parametrize(("written", "near"), [("Qhd", True), ("Yhd", True), ("Fhd", False)])
def test_mhd_typed_wrong_alone_in_its_box_may_be_mohammad(written, near):
    """Mhd with one letter typed wrong alone in the father's box: a slip of Mohammad
    (the second simulator's seed 1 held "Tamer son of Qhd" apart from Tamer son of محمد
    as a cousin); Fhd is Fahd."""
    father = read_chain({"given_name": "Tamer", "father_name": written}).father
    assert ("mohammad" in father.near) is near


def test_mhd_typed_wrong_alone_is_one_father():
    base = {"sex": "M", "disappearance_place": "Damascus"}
    d = decide(
        [
            {**base, "report_id": "a", "given_name": "Tamer", "father_name": "Qhd",
             "grandfather_name": "Ghasan", "family_name": "al-Najjar", "birth_year": 1990,
             "governorate": "Rif Dimashq"},
            {**base, "report_id": "b", "given_name": "تامر", "father_name": "محمد",
             "grandfather_name": "غسان", "family_name": "النجار", "birth_year": 1991,
             "mother_name": "بشرى الحسين", "governorate": "ريف دمشق",
             "disappearance_date": "2013-08-16"},
        ]
    )  # fmt: skip
    assert ("a", "b") in d.proposed
