"""Synthetic report generator."""

from __future__ import annotations

from collections import Counter

from nasab.linkage.names import FAMILY, FEMALE, GOVERNORATES, MALE
from nasab.linkage.synth import REPORT_FIELDS, generate_persons, generate_reports


def test_deterministic_for_a_seed():
    assert generate_reports(150, seed=7) == generate_reports(150, seed=7)
    assert generate_reports(150, seed=7) != generate_reports(150, seed=8)


def test_shape_and_ground_truth():
    reports = generate_reports(400, seed=1)
    persons = Counter(r["person_id"] for r in reports)
    assert len(persons) == 400
    assert 2.3 <= len(reports) / 400 <= 2.9
    assert max(persons.values()) <= 5
    assert len({r["report_id"] for r in reports}) == len(reports)
    for r in reports:
        assert set(r) == set(REPORT_FIELDS)
        assert r["given_name"]
        assert r["governorate"] in {g for g, _ in GOVERNORATES}
    # each report of one person is by a different relative
    by_person: dict[str, list[str]] = {}
    for r in reports:
        by_person.setdefault(r["person_id"], []).append(r["reporter_relation"])
    assert all(len(v) == len(set(v)) for v in by_person.values())


def test_default_size_is_at_least_10000_reports():
    reports = generate_reports()
    assert len(reports) >= 10_000
    assert len({r["person_id"] for r in reports}) == 4000


def test_variation_is_realistic():
    reports = generate_reports(400, seed=2)
    arabic = sum(1 for r in reports if "\u0600" <= r["given_name"][0] <= "\u06ff")
    assert 0.3 < arabic / len(reports) < 0.5
    assert any(r["grandfather_name"] is None for r in reports)
    assert any(r["mother_name"] is None for r in reports)
    assert any(r["birth_year"] is None for r in reports)
    assert any(r["disappearance_date"] is None for r in reports)
    # several spellings of one person's given name
    by_person: dict[str, set[str]] = {}
    for r in reports:
        by_person.setdefault(r["person_id"], set()).add(r["given_name"])
    assert sum(1 for v in by_person.values() if len(v) > 1) > 100


def test_many_distinct_persons_share_names():
    persons = generate_persons(1000, seed=3)
    combos = Counter((p.given.arabic, p.family.arabic, p.governorate) for p in persons)
    assert sum(c for c in combos.values() if c > 1) > 50
    # cousins named after their common grandfather
    assert sum(1 for p in persons if p.given == p.grandfather) > 50


def test_names_come_from_the_generic_lists():
    given = {n.arabic for n in (*MALE, *FEMALE)}
    family = {n.arabic for n in FAMILY}
    for p in generate_persons(200, seed=4):
        assert p.given.arabic in given
        assert p.family.arabic in family
