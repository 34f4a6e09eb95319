"""Relatives that the 38,000-person benchmark still merged: one test per rule, each
with the reports of the case and the expected decision."""

from __future__ import annotations

from nasab.linkage.dedup import DedupModel
from nasab.linkage.relatives import cannot_be_same


def _decide(reports):
    m = DedupModel(reports)
    pairs = m.predict()
    return {(p.report_a, p.report_b) for p in pairs}, m


def test_grandfathers_differ_cousins_kept_apart():
    """Khaled son of Mohammad son of Khaled, and Khaled son of Mohammad son of Bilal: two
    cousins whose fathers bear one name.  A report that names no grandfather fits
    both; it goes with the report it fits best, never with both."""
    fam = {"family_name": "أبو جواد", "sex": "M", "governorate": "حمص"}
    reports = [
        {**fam, "report_id": "a", "given_name": "خالد", "father_name": "محمد", "birth_year": 2000},
        {
            **fam,
            "report_id": "b",
            "given_name": "Khaled",
            "father_name": "Mohamed",
            "grandfather_name": "Khaled",
            "mother_name": "Noor",
            "birth_year": 2000,
        },
        {
            **fam,
            "report_id": "c",
            "given_name": "خالد",
            "father_name": "محمد",
            "grandfather_name": "بلال",
            "mother_name": "رنا",
            "birth_year": 1999,
        },
    ]
    assert cannot_be_same(reports[1], reports[2])
    proposed, m = _decide(reports)
    assert ("b", "c") not in proposed
    assert not {("a", "b"), ("a", "c")} <= proposed


def test_grandfather_slip_is_no_cousin():
    a = {"report_id": "a", "given_name": "Khaled", "father_name": "Mohammad",
         "grandfather_name": "Bilal", "sex": "M"}  # fmt: skip
    b = {**a, "report_id": "b", "grandfather_name": "بلال"}
    assert not cannot_be_same(a, b)
