"""Names the lexicon knows and the sons a kunya is matched to (issue 18): a name the
lexicon lacked was read as some other name typed with a slip, and a son in another
governorate gave a kunya a given name; both held one man's reports apart as relatives
(the second simulator, seeds 1 to 6)."""

from __future__ import annotations

import pytest
from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.lexicon import name_ids


@pytest.mark.parametrize(
    ("written", "name_id"),
    [
        ("أسعد", "asaad"),
        ("اسعد", "asaad"),
        ("As'ad", "asaad"),
        ("Rabee", "rabie"),
        ("ديمة", "dima"),
        ("ديمه", "dima"),
        ("Dima", "dima"),
        ("إسراء", "israa"),
        ("Esra", "israa"),
        ("سلوى", "salwa"),
        ("Salwa", "salwa"),
        ("أميرة", "amira"),
        ("Amira", "amira"),
        ("عزة", "azza"),
        ("Azza", "azza"),
        ("سالي", "sally"),
        ("خاتون", "khatoun"),
        ("Hatun", "khatoun"),
    ],
)
def test_common_syrian_names_are_known(written, name_id):
    assert name_id in name_ids(written)


def test_asaad_is_no_space_slip():
    """ "ريم اسعد" (Reem As'ad): As'ad unknown, the space was read as typed a letter
    off, ريما سعد (Rima Saad), and one man's mother was two women."""
    for mother in ("ريم اسعد", "ريم أسعد"):
        assert read_chain({"given_name": "رياض", "mother_name": mother}).mother.raw == "ريم"


def test_mother_with_and_without_her_family_name_asaad():
    """One man's two reports, his mother written "ريم أسعد" and "ريم" (the family name
    الأسعد): one person, not half-brothers (the second simulator, seed 1)."""
    base = {"given_name": "رياض", "father_name": "رمضان", "grandfather_name": "رياض",
            "sex": "M", "birth_year": "1993", "governorate": "درعا",
            "disappearance_date": "2012-03-22", "disappearance_place": "نوى"}  # fmt: skip
    reports = [
        {**base, "report_id": "a", "family_name": "أسعد", "mother_name": "ريم أسعد"},
        {**base, "report_id": "b", "family_name": "الأسعد", "mother_name": "ريم"},
    ]
    d = decide(reports)
    assert ("a", "b") in d.proposed


def test_a_kunya_is_not_given_a_son_reported_in_another_governorate():
    """ "أبو أحمد" son of Mohammad son of Maher al-Khalil, of Daraa, and an Ahmad son of
    "Mohammad Rabee" son of Mohammad al-Khalil reported in Damascus with no governorate
    stated: not his son, so the kunya is not read as Mohammad Rabee and the man's other
    reports (Farouq son of Mohammad son of Maher al-Khalil) are not held apart from it
    as a brother's (the second simulator, seed 1)."""
    reports = [
        {"report_id": "k", "given_name": "أبو أحمد", "father_name": "محمد",
         "grandfather_name": "ماهر", "family_name": "الخليل", "sex": "M",
         "governorate": "محافظة درعا", "disappearance_date": "2013-01-07",
         "disappearance_place": "صماد"},
        {"report_id": "f", "given_name": "فاروق", "father_name": "محمد",
         "grandfather_name": "ماهر", "family_name": "الخليل", "mother_name": "فاتن",
         "sex": "M", "birth_year": "1986", "governorate": "محافظة درعا",
         "disappearance_date": "2013-01-10", "disappearance_place": "صماد"},
        {"report_id": "s", "given_name": "أحمد", "father_name": "محمد ربيع",
         "grandfather_name": "محمد", "family_name": "الخليل", "mother_name": "غادة الخليل",
         "sex": "M", "birth_year": "1984", "disappearance_date": "2012-08-21",
         "disappearance_place": "دمشق"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("f", "k") not in d.held
    assert ("f", "k") in d.undecided | d.proposed
    # the son in the kunya's own governorate is his: the kunya reads as his father's name
    reports[2] = {**reports[2], "disappearance_place": "صماد", "governorate": "درعا"}
    d = decide(reports)
    assert ("f", "k") in d.held


def test_abu_as_spoken_and_md_for_mohammad():
    """ "بو محمود" (Abu as spoken, its alif dropped; Lebanese "Bou Ali") is a kunya,
    not a given name بو; "Md. Saleh" is the compound Mohammad Saleh, not a name Md."""
    for written, son in (("بو محمود", "محمود"), ("Bou Ali", "Ali")):
        c = read_chain({"given_name": written, "father_name": "Omar"})
        assert c.given is None and c.kunya.raw == son
    c = read_chain({"given_name": "Md. Saleh", "father_name": "Omar"})
    assert c.note("compound") == "Md Saleh"
