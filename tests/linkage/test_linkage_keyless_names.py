"""Names with no consonant key: a name of vowels and ʿayn only (آية, Aya) and a name
typed with a letter dropped so that none is left (عي: Ali; عائة: Aisha).  The reader
dropped such a word, so that a woman named Aya had no given name, a mother Aisha typed
عائة none, and a father عي none: a man son of Ali was then "no father's name" and was
proposed as one man with his cousin son of Mohammad (our benchmark, 3,000 persons with
brothers born close, seed 16).  Now the lexicon reads them (:func:`nasab.linkage.chain._part`),
and the model compares them by the lexicon alone.  In a free-text full name such a word
that is only a slip (أو: Abu with a letter dropped, or the word "or") is still dropped,
so that the names after it keep their places (:func:`nasab.linkage.chain._run_parts`)."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.relatives import _fathers_differ


def _ids(part) -> set[str]:
    return set(part.ids) if part is not None else set()


def test_a_name_of_vowels_only_is_read():
    c = read_chain({"given_name": "آية", "father_name": "محمد", "family_name": "الحسن"})
    assert _ids(c.given) == {"aya"} and _ids(c.father) == {"mohammad"}
    c = read_chain({"full_name": "Aya Mohammad al-Hasan"})
    assert _ids(c.given) == {"aya"} and _ids(c.father) == {"mohammad"}
    c = read_chain({"given_name": "أيمن", "father_name": "أحمد", "mother_name": "عائة"})
    assert _ids(c.mother) == {"aisha"}


def test_a_slip_with_no_consonant_left_is_read_as_the_name_it_slips_from():
    c = read_chain({"given_name": "نجاح", "father_name": "عي", "family_name": "طارق"})
    assert c.father is not None and set(c.father.near) == {"ali"} and not c.father.ids
    # the father's name in the given-name box, typed so
    c = read_chain({"given_name": "رائد عي", "grandfather_name": "محمود", "family_name": "العيسى"})
    assert _ids(c.given) == {"raed"} and set(c.father.near) == {"ali"}
    assert _ids(c.grandfather) == {"mahmoud"}


def test_a_particle_in_a_full_name_holds_no_place():
    """ "أحمد عمر أو أحمد" (our benchmark, 6,000 persons, seed 8: the family name أبو أحمد
    typed أو أحمد) is Ahmad son of Omar: أو is no grandfather, whose name would differ
    from the grandfather Ahmad of his other reports."""
    c = read_chain({"full_name": "أحمد عمر أو أحمد"})
    assert _ids(c.given) == {"ahmad"} and _ids(c.father) == {"omar"}
    assert c.grandfather is None


def test_cousins_whose_fathers_differ_by_a_slip_are_told_apart():
    """Najah son of عي (Ali) son of Omar against his cousin Najah son of Mohammad (seed
    16): the fathers differ, a slip of Ali against Mohammad; the father's name was
    missing, and the pair was proposed as one man with no doubt but the missing name."""
    a = {
        "given_name": "نجاح",
        "father_name": "عي",
        "grandfather_name": "عمر",
        "family_name": "طارق",
        "sex": "M",
        "disappearance_date": "2018-07-12",
    }
    b = {"given_name": "نجاح", "father_name": "محمد", "family_name": "الطارق", "sex": "M",
         "birth_year": 1972}  # fmt: skip
    assert _fathers_differ(read_chain(a), read_chain(b))


def test_two_reports_of_a_woman_named_aya_are_proposed_and_her_sister_held_apart():
    """Two reports of Aya daughter of Mohammad al-Hasan, in both scripts, are one woman;
    her sister Rana, taken with her, is another: Aya was no given name at all, and the
    sisters' pair was left to a person as any two children of the father."""
    aya = {"father_name": "محمد", "family_name": "الحسن", "mother_name": "فاطمة", "sex": "F",
           "governorate": "حمص", "disappearance_date": "2014-03-02"}  # fmt: skip
    reports = [
        {**aya, "report_id": "a", "given_name": "آية", "birth_year": 1990},
        {"report_id": "b", "given_name": "Aya", "father_name": "Mohammad",
         "family_name": "al-Hasan", "mother_name": "Fatima", "sex": "F", "birth_year": 1990,
         "governorate": "Homs", "disappearance_date": "2014-03-02"},
        {**aya, "report_id": "c", "given_name": "رنا", "birth_year": 1992},
    ]  # fmt: skip
    d = decide(reports)
    assert d.proposed == {("a", "b")}
    assert {("a", "c"), ("b", "c")} <= d.held
