"""A doubt of who the man is among his brothers or cousins (a kunya, no father's name,
a skipped father's name) settled by the same birth year where the register singles one
man out (:mod:`nasab.linkage.own_facts`): each with the expected decision."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.own_facts import own_facts_settle

BASE = {
    "father_name": "Ahmad",
    "grandfather_name": "Mohammad",
    "family_name": "al-Hamwi",
    "sex": "M",
    "governorate": "Hama",
    "disappearance_date": "2013-04-03",
}


def test_kunya_of_the_same_birth_year_is_settled_by_the_register():
    """ "Abu Khaled" son of Ahmad born 1970 and Omar son of Ahmad born 1970, and no
    other son of Ahmad in the register: a brother whom the kunya fits would be missing
    too and reported by his own name: proposed.  With his brother Rami of that age in
    the register: listed for a person."""
    omar = {**BASE, "report_id": "omar", "given_name": "Omar", "birth_year": 1970}
    abu = {**BASE, "report_id": "abu", "given_name": "Abu Khaled", "birth_year": 1970}
    proposed = decide([omar, abu]).proposed
    assert ("abu", "omar") in proposed
    rami = {**omar, "report_id": "rami", "given_name": "Rami", "birth_year": 1971}
    d = decide([omar, abu, rami])
    proposed, undecided = d.proposed, d.undecided
    assert not any("abu" in p for p in proposed)
    assert ("abu", "omar") in undecided or ("abu", "rami") in undecided


def test_kunya_of_the_fathers_name_from_the_same_day_needs_a_person():
    """ "Abu Hussein" son of Hussein, taken the day Maher son of Hussein was: each son of
    Hussein may be Abu Hussein, brothers are taken together, and a brother whose only
    report is this kunya (no birth year) fits as well: listed, never proposed."""
    maher = {**BASE, "report_id": "maher", "given_name": "Maher", "father_name": "Hussein",
             "birth_year": 1982}  # fmt: skip
    abu = {**BASE, "report_id": "abu", "given_name": "Abu Hussein", "father_name": "Hussein"}
    d = decide([maher, abu])
    proposed, undecided = d.proposed, d.undecided
    assert not proposed
    assert ("abu", "maher") in undecided


def test_kunya_from_another_disappearance_needs_a_person():
    """The same "Abu Khaled" born 1970 with dates of disappearance months apart: two
    events, as likely a brother's as his: listed, never proposed."""
    omar = {**BASE, "report_id": "omar", "given_name": "Omar", "birth_year": 1970}
    abu = {**BASE, "report_id": "abu", "given_name": "Abu Khaled", "birth_year": 1970,
           "disappearance_date": "2014-02-01"}  # fmt: skip
    d = decide([omar, abu])
    proposed, undecided = d.proposed, d.undecided
    assert not proposed
    assert ("abu", "omar") in undecided


def test_no_fathers_name_of_the_same_birth_year_is_settled_by_the_register():
    """Khaled al-Hamwi with no father's name (no mother's name) born 1980 and Khaled son
    of Ahmad born 1980: a cousin of that name would be missing too and reported by his
    own name; the register holds none: proposed.  With the cousin Khaled son of Omar
    born 1980 in the register: not proposed."""
    a = {**BASE, "report_id": "a", "given_name": "Khaled", "birth_year": 1980}
    b = {**BASE, "report_id": "b", "given_name": "Khaled", "father_name": None,
         "grandfather_name": None, "birth_year": 1980, "disappearance_date": None}  # fmt: skip
    proposed = decide([a, b]).proposed
    assert ("a", "b") in proposed
    c = {**a, "report_id": "c", "father_name": "Omar"}
    proposed = decide([a, b, c]).proposed
    assert ("a", "b") not in proposed and ("b", "c") not in proposed


def test_skipped_fathers_name_of_the_same_birth_year_needs_a_person():
    """ "Anas Anas al-Haddad" (Anas son of Anas, or Anas son of X son of Anas) born 1966
    and Anas son of Mahmoud son of Anas born 1966: as plainly read, another father; a
    cousin named after the grandfather, born the same year, fits as well: not proposed."""
    a = {"report_id": "a", "given_name": "Anas", "father_name": "Mahmoud",
         "grandfather_name": "Anas", "family_name": "al-Haddad", "sex": "M",
         "birth_year": 1966, "governorate": "Homs", "disappearance_date": "2019-10-24"}  # fmt: skip
    b = {"report_id": "b", "full_name": "Anas Anas al-Haddad", "mother_name": "Aisha",
         "sex": "M", "birth_year": 1966, "governorate": "Homs"}  # fmt: skip
    proposed = decide([a, b]).proposed
    assert not proposed


def test_own_facts_rule():
    """Brothers and cousins: the same birth year only; never years a year apart or
    unstated (even from the same event), dates months apart, or a reading that gives
    another father."""
    kw = dict(names_one=True, generations=False, reading_conflicts=False, years=True)
    kw["kunya_of_father"] = False
    for fits in (
        {"brothers": True, "cousin_fits": False},
        {"brothers": False, "cousin_fits": True},
    ):
        assert own_facts_settle(**kw, **fits, gap=0, event=False, apart=False)
        assert not own_facts_settle(**kw, **fits, gap=None, event=True, apart=False)
        assert not own_facts_settle(**kw, **fits, gap=1, event=True, apart=False)
        assert not own_facts_settle(**kw, **fits, gap=0, event=False, apart=True)
        assert not own_facts_settle(**kw, **fits, gap=None, event=False, apart=False)
    assert not own_facts_settle(
        **{**kw, "reading_conflicts": True}, brothers=False, cousin_fits=True, gap=0,
        event=True, apart=False,
    )  # fmt: skip
    assert not own_facts_settle(
        **{**kw, "kunya_of_father": True}, brothers=True, cousin_fits=False, gap=0,
        event=True, apart=False,
    )  # fmt: skip
    assert not own_facts_settle(
        **{**kw, "names_one": False}, brothers=True, cousin_fits=False, gap=0, event=True,
        apart=False,
    )  # fmt: skip
