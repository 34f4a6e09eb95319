"""Two reports of one man that the intake benchmark (1,500 persons, seeds 1 and 5) put
on the relatives list because a slipped Abd-name was read as another name: the reading
that keeps the Abd-compound is the closer one (:func:`nasab.linkage.lexicon.typo_ids`
for a slip in the compound's article, :func:`nasab.linkage.lexicon._abd_slip_span` for
a first word read as a name only by its consonants, the article's l written out)."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.lexicon import typo_ids
from nasab.linkage.tokens import parse_name


def test_slip_in_the_article_of_abdullah_reads_abdullah():
    """ "عبد افله": ل typed as ف, one letter from عبد الله as written; its normal form
    drops الله's article but not افله, and so was one letter from عبد الاله's
    (before: read as Abdulilah)."""
    assert typo_ids("عبد افله") == {"abdullah"}


def test_grandfather_abdullah_with_a_slipped_article_is_the_same_grandfather():
    """Mohammad son of Abdulrahman son of "عبد افله" against the same man with the
    grandfather Abd Allah: one man, not cousins with different grandfathers (before:
    held as relatives, "grandfathers' names differ")."""
    base = {"sex": "M", "birth_year": 1988, "governorate": "Homs"}
    reports = [
        {**base, "report_id": "a", "given_name": "Mohammed", "father_name": "Abdel Rahman",
         "grandfather_name": "Abd Allah", "family_name": "al-Hassani",
         "disappearance_date": "2016-03-18"},
        {**base, "report_id": "b", "given_name": "محمد", "father_name": "عبد الرحمن",
         "grandfather_name": "عبد افله", "family_name": "الحسني"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("a", "b") not in d.held
    assert read_chain(reports[1]).grandfather.ids == {"abdullah"}


def test_first_word_read_by_its_consonants_keeps_the_abd_compound():
    """ "Aodel Karim" (one letter from Abdel Karim as written, the article's l written
    out; Aodel alone reads Adel by d-l) is one Abd-name; a listed name ("Adel Karim":
    Adel son of Karim) and a word with no article that reads as a name ("Abde Karim":
    Obada son of Karim) are still two names."""
    assert [t.text for t in parse_name("Belal Aodel Karim Al Misri")] == [
        "Belal",
        "Aodel Karim",
        "Al Misri",
    ]
    assert [t.text for t in parse_name("Abde Karim Umar")] == ["Abde", "Karim", "Umar"]
    assert [t.text for t in parse_name("Adel Karim")] == ["Adel", "Karim"]


def test_grandfather_aodel_karim_is_abdulkarim():
    """A full name with the grandfather "Aodel Karim" against the same man with the
    grandfather عبد الكريم: one man (before: the grandfather read Adel, held as
    cousins)."""
    reports = [
        {"report_id": "a", "full_name": "Mohammed Abdulkarim Belal Aodel Karim Al Misri",
         "sex": "M", "governorate": "Aleppo"},
        {"report_id": "b", "given_name": "عبد الكريم", "father_name": "بلال",
         "grandfather_name": "عبد الكريم", "family_name": "المصري", "sex": "M",
         "birth_year": 1993, "governorate": "Aleppo", "disappearance_date": "2017-05-28"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("a", "b") not in d.held
    assert read_chain(reports[0]).grandfather.ids == {"abdulkarim"}
