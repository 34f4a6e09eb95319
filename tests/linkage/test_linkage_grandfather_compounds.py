"""Grandfathers' names written as Mohammad- compounds (issue 18): the grandfather's box
"Mohamed Wissam" keeps its second name for telling two grandfathers apart, and a full
name "Osama Muhammad Wissam al-Abdallah" is read, where the register says so, with the
father's name skipped and the grandfather's compound in its middle (the second
simulator, seeds 3 to 5: such full names were held apart from the man's other reports
as a cousin's)."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.dedup import DedupModel

PLACE = {"sex": "M", "governorate": "Aleppo", "disappearance_place": "Aleppo"}


def _man(rid: str, given: str, father: str, grandfather: str, family: str, **kw) -> dict:
    return {**PLACE, "report_id": rid, "given_name": given, "father_name": father,
            "grandfather_name": grandfather, "family_name": family, **kw}  # fmt: skip


def test_the_grandfathers_box_notes_a_compound():
    c = read_chain(_man("a", "Osama", "Khalid", "Mohamed Wissam", "Abdallah"))
    assert c.grandfather.raw == "Mohamed"
    assert c.note("grandfather compound") == "Mohamed Wissam"
    c = read_chain(_man("a", "أسامة", "خالد", "محمد جهاد", "الشيخ"))
    assert c.note("grandfather compound") == "محمد جهاد"
    # Mohammad son of Mohammad, a plain name, an Abd-name: no compound
    for grandfather in ("Mohammad Mohammad", "Wissam", "Abdul Rahman"):
        c = read_chain(_man("a", "Osama", "Khalid", grandfather, "Abdallah"))
        assert c.note("grandfather compound") is None


def test_grandsons_of_two_mohammad_compounds_are_cousins():
    """Osama son of Khalid, grandson of Mohammad Omar, and Osama son of Khalid, grandson
    of Mohammad Wissam: both grandfathers read Mohammad, but they are two men."""
    reports = [
        _man("a", "Osama", "Khalid", "Mohammad Omar", "Abdallah", birth_year="1980"),
        _man("b", "Osama", "Khalid", "Mohamed Wissam", "Abdallah", birth_year="1981"),
    ]
    d = decide(reports)
    assert ("a", "b") in d.held
    assert d.model.relative_reasons[("a", "b")][0].startswith("grandfathers' names differ")
    # a compound whose second name is an Abd-name, by the whole Abd-name: one name
    # written two ways is one grandfather (not Rahman against Abdulrahman)
    reports[0] = {**reports[0], "grandfather_name": "Mohammad Abd al-Rahman"}
    reports[1] = {**reports[1], "grandfather_name": "Mohammad Abdulrahman"}
    assert ("a", "b") in decide(reports).proposed
    reports[1] = {**reports[1], "grandfather_name": "Mohammad Abd al-Karim"}
    assert ("a", "b") in decide(reports).held
    # the same compound: one man
    reports[0] = {**reports[0], "grandfather_name": "Muhammad Wissam"}
    reports[1] = {**reports[1], "grandfather_name": "Mohamed Wissam"}
    assert ("a", "b") in decide(reports).proposed


def test_full_name_with_the_grandfathers_compound_after_the_given_name():
    """ "Osama Muhammad Wissam al-Abdallah" beside Osama son of Khalid, grandson of
    "Mohamed Wissam": read as Osama, his father's name skipped, grandson of Mohammad
    Wissam; not a cousin son of Muhammad."""
    reports = [
        _man("a", "Osama", "Khalid", "Mohamed Wissam", "Abdallah", birth_year="1979",
             disappearance_date="2016-08-01"),
        {**PLACE, "report_id": "b", "full_name": "Osama Muhammad Wissam al-Abdallah",
         "birth_year": "1979", "disappearance_date": "2016-07-30"},
    ]  # fmt: skip
    d = decide(reports)
    assert ("a", "b") not in d.held
    assert ("a", "b") in d.proposed | d.undecided
    chain = DedupModel(reports).chains["b"]
    assert chain.note("grandfather compound by register") == "Muhammad Wissam"
    assert chain.grandfather is None


def test_full_name_kept_as_written_where_the_register_gives_the_two_names():
    """The register also holds an Osama son of Muhammad son of Wissam (two boxes): the
    full name reads as written, father Muhammad."""
    reports = [
        _man("a", "Osama", "Khalid", "Mohamed Wissam", "Abdallah"),
        _man("c", "Osama", "Muhammad", "Wissam", "Abdallah"),
        {**PLACE, "report_id": "b", "full_name": "Osama Muhammad Wissam al-Abdallah"},
    ]
    chain = DedupModel(reports).chains["b"]
    assert chain.note("grandfather compound by register") is None
    assert chain.grandfather is not None and chain.grandfather.raw == "Wissam"
