"""mtDNA: nomenclature, comparison (SWGDAM interpretation), the maternal-line LR."""

from __future__ import annotations

import pytest
from scipy import stats

from nasab.engine.errors import InputError
from nasab.engine.mtdna import MtDatabase, compare, mtdna_lr, parse_mtdna, read_mtdna_database
from nasab.engine.pedigree import Pedigree

# GF - GM: MP, SIS and AUNT's line: GGM - AUNT (MO's sister) ; SIS - H: NE (a sister's son)
PED = Pedigree.from_records(
    [
        ("GGF", None, None, 1),
        ("GGM", None, None, 2),
        ("MO", "GGF", "GGM", 2),
        ("AUNT", "GGF", "GGM", 2),
        ("FA", None, None, 1),
        ("MP", "FA", "MO", 1),
        ("SIS", "FA", "MO", 2),
        ("H", None, None, 1),
        ("NE", "H", "SIS", 1),
        ("FAB", None, None, 1),
    ]
)
HV = "16024-16365;73-340"


def test_nomenclature() -> None:
    p = parse_mtdna(f"{HV}: 16093Y 16129A 73G 263G 309.1C 315.1C 16111DEL")
    assert p.variant_map == {
        (16093, 0): "Y",
        (16129, 0): "A",
        (73, 0): "G",
        (263, 0): "G",
        (309, 1): "C",
        (315, 1): "C",
        (16111, 0): "DEL",
    }
    assert p.covers(16365) and p.covers(73) and not p.covers(341)
    assert parse_mtdna("16024-576: 16519C 152C").covers(16569)  # a range through the origin
    assert parse_mtdna("-") is None
    bad = {
        "16024-16365: 73G": "outside the stated range",
        "16024-16365: 16129G": "is the rCRS base",
        "16024-16365: 16129Z": "not a base",
        "16129A": "RANGES: VARIANTS",
        "16024-17000: 16129A": "outside 1-16569",
        "16024-16365: 16129A 16129A": "given twice",
        "16024-16365: 16129": "EMPOP/ISFG form",
    }
    for text, msg in bad.items():
        with pytest.raises(InputError, match=msg) as e:
            parse_mtdna(text, file="ped.tsv", line=4, field_name="mtDNA")
        assert "ped.tsv, line 4, field 'mtDNA'" in str(e.value)


def test_comparison_interpretation() -> None:
    a = parse_mtdna(f"{HV}: 16093Y 16129A 73G 309.1C 315.1C")
    assert compare(a, parse_mtdna(f"{HV}: 16093C 16129A 73G 315.1C")).conclusion == "cannot exclude"
    one = compare(a, parse_mtdna(f"{HV}: 16129A 73G 150T 315.1C"))
    assert one.conclusion == "inconclusive" and one.differences == ["150(rCRS)/150T"]
    assert one.ignored == ["309.1C", "315.1C"] and one.heteroplasmic == ["16093Y"]
    assert compare(a, parse_mtdna(f"{HV}: 73G")).conclusion == "inconclusive"  # 16093Y has T
    assert compare(a, parse_mtdna(f"{HV}: 73G 16311C")).conclusion == "exclusion"
    # only the range both cover is compared: 16129A lies outside the second profile's range
    assert compare(a, parse_mtdna("73-340: 73G")).conclusion == "cannot exclude"
    assert compare(a, parse_mtdna("1000-2000: 1018A")).conclusion == "no overlap"


def _db(rows: list[str]) -> MtDatabase:
    return MtDatabase([parse_mtdna(r) for r in rows], "test.tsv", "0" * 64)


def test_sisters_son_and_maternal_aunt_give_one_over_f() -> None:
    poi = parse_mtdna(f"{HV}: 16129A 73G")
    db = _db([f"{HV}: 16129A 73G"] * 3 + [f"{HV}: 16129A 73G 16093C"] * 2 + [f"{HV}: 73G"] * 95)
    f = stats.beta.ppf(0.95, 4, 97)  # 3 of 100 cannot be excluded (16093C differs)
    for ref in ("NE", "AUNT", "SIS", "MO"):
        ev = mtdna_lr(PED, "MP", {ref: poi}, poi, db)
        assert ev.used and ev.lr == pytest.approx(1 / f, rel=1e-9), ref
    ev = mtdna_lr(PED, "MP", {"FA": poi, "FAB": poi}, poi, db)
    assert not ev.used and "no typed person on MP's maternal line" in ev.statement
    ev = mtdna_lr(PED, "MP", {"NE": parse_mtdna(f"{HV}: 16129A 73G 150T")}, poi, db)
    assert not ev.used and ev.lr == 1 and "inconclusive" in ev.statement
    ev = mtdna_lr(
        PED, "MP", {"NE": parse_mtdna(f"{HV}: 73G")}, parse_mtdna(f"{HV}: 16129A 16311C 73G"), db
    )
    assert ev.used and ev.lr == 0 and "exclusion" in ev.statement


def test_real_database_parses_whole(shared) -> None:
    db = read_mtdna_database(shared / "data/mtdna/Just2015_USA_mitogenomes.tsv")
    assert len(db.rows) == 588
    poi = db.rows[0]
    x, n = db.count(poi, poi.positions())
    assert n == 588 and x >= 1
