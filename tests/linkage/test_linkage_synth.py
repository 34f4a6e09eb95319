"""Synthetic report generator."""

from __future__ import annotations

from collections import Counter

import pytest

from nasab.linkage.family_names import (
    _ar_skeleton,
    _bare_latin,
    _lat_skeleton,
    _nisba_ar,
    _nisba_lat,
    _ranked_pool,
    family_pool,
)
from nasab.linkage.names import FAMILY, FEMALE, GOVERNORATES, MALE
from nasab.linkage.normalise import phonetic_key
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
    family = {n.arabic for n, _ in family_pool()}
    for p in generate_persons(200, seed=4):
        assert p.given.arabic in given
        assert p.family.arabic in family


# --- the family-name pool and its law ------------------------------------------------------


def test_nisba_rules():
    assert _nisba_ar("حلب") == "الحلبي"
    assert _nisba_ar("حماة") == "الحماوي"
    assert _nisba_ar("تلبيسة") == "التلبيسي"
    assert _nisba_ar("درعا") == "الدرعاوي"
    assert _nisba_ar("السلمية") == "السلمي"
    assert _nisba_lat("Homs", "حمص") == "Homsi"
    assert _nisba_lat("Hamah", "حماة") == "Hamawi"
    assert _nisba_lat("Talbiseh", "تلبيسة") == "Talbisi"
    assert _nisba_lat("Daraa", "درعا") == "Daraawi"
    assert _nisba_lat("Salamiyah", "السلمية") == "Salami"


def test_place_latin_name_is_the_one_that_writes_the_arabic():
    """Exonyms (Aleppo, Damascus) and consonant-only romanisations are passed over."""
    assert _lat_skeleton("Halab") == _ar_skeleton("حلب") != _lat_skeleton("Aleppo")
    assert _lat_skeleton("Talbiseh") == _ar_skeleton("تلبيس")
    assert _bare_latin("Az Zabadani") == "Zabadani"
    assert _bare_latin("mhmbl") is None


def test_family_pool_kinds_and_spellings():
    pool = family_pool()
    kinds = Counter(k for _, k in pool)
    assert kinds["listed"] == len(FAMILY)
    assert {"al-given", "given", "trade", "abu"} <= set(kinds)
    if kinds["nisba"] < 200:
        pytest.skip("shared gazetteer not available")
    assert len(pool) >= 800
    assert len({n.arabic for n, _ in pool}) == len(pool)
    # Latin spellings are spellings of the Arabic name (the matcher's key agrees for 95 %)
    same = [
        phonetic_key(v, family=True) == phonetic_key(n.arabic, family=True)
        for n, _ in pool
        for v in n.latin
    ]
    assert sum(same) / len(same) > 0.95
    names = {n.arabic: n for n, _ in pool}
    assert names["الحلبي"].latin[0] == "al-Halabi"  # the hand-written entry wins
    assert "الأحمد" in names and "النجار" in names


def test_family_name_law_is_heavy_tailed_and_flat_at_the_head():
    names, w = _ranked_pool()
    share = [x / sum(w) for x in w]
    assert 0.015 < share[0] < 0.04  # the commonest name: a few per cent of clans
    assert sum(share[:10]) < 0.25
    assert share[0] / share[99] > 8  # power-law tail
    persons = generate_persons(3000, seed=9)
    clans = {p.unit.split(".")[0]: p.family.arabic for p in persons}
    assert len(set(clans.values())) > 0.5 * len(clans)


def test_relatives_still_share_names_at_realistic_rates():
    """Brothers share father and family name; cousins share grandfather and family name;
    clans of one family name are one clan's relatives or strangers."""
    persons = generate_persons(3000, seed=9)
    units = Counter(p.unit for p in persons)
    brothers = sum(v * (v - 1) // 2 for v in units.values())
    assert brothers > 0.15 * len(persons)
    for p in persons:
        for q in persons[:50]:
            if p.unit == q.unit:
                assert (p.father, p.family, p.mother) == (q.father, q.family, q.mother)
    cousins = Counter(".".join(p.unit.split(".")[:2]) for p in persons)
    assert sum(v * (v - 1) // 2 for v in cousins.values()) > brothers
