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


def test_compound_or_son_with_the_same_mother_is_settled_by_the_register():
    """Mohammad Ammar son of Hussein (born 1977, mother Mona Suleiman) and the free text
    "Muhammad Amar Hussein Shahada" (no birth year): the compound Mohammad Ammar son of
    Hussein, or Mohammad son of Ammar son of Hussein, his son.  A son's mother is his
    father's wife: the same mother's name, and no other man in the register, settle it
    (second simulator, seed 1).  With no mother's name on one report the son fits as
    well: listed for a person; with another mother's name: never proposed."""
    box = {"report_id": "box", "given_name": "محمد عمار", "father_name": "حسين",
           "grandfather_name": "صلاح", "family_name": "شحادة", "mother_name": "منى سليمان",
           "sex": "M", "birth_year": 1977, "disappearance_date": "2013-07-16"}  # fmt: skip
    text = {"report_id": "text", "full_name": "Muhammad Amar Hussein Shahada",
            "mother_name": "Mona Suleiman", "sex": "M", "disappearance_date": "2013-07-16"}  # fmt: skip
    assert ("box", "text") in decide([box, text]).proposed
    d = decide([box, {**text, "mother_name": None}])
    assert not d.proposed and ("box", "text") in d.undecided
    assert not decide([box, {**text, "mother_name": "Fatima"}]).proposed


def test_compound_or_son_with_a_second_doubt_needs_a_person():
    """ "محمد خالد أحمد الأسد" (Mohammad Khaled son of Ahmad, or Mohammad son of Khaled
    son of Ahmad) and Khaled ("Khalem") son of Mazen al-Asad, mothers both Aisha: one
    man only with a father's name skipped too, and a cousin whose mother bears that
    common name fits as well (our benchmark, 6,000 persons, seed 9): never proposed."""
    text = {"report_id": "text", "full_name": "محمد خالد أحمد الأسد",
            "mother_name": "عائشة المنبجي", "sex": "M"}  # fmt: skip
    box = {"report_id": "box", "given_name": "Khalem Mazen", "family_name": "al-Asad",
           "mother_name": "Aicha", "sex": "M", "disappearance_date": "2019-12-28"}  # fmt: skip
    assert not decide([text, box]).proposed


def test_generations_rule():
    """A father and his son: birth years at most two apart settle it; with a birth year
    unstated, only the same mother's name, and never where a brother fits as well."""
    kw = dict(names_one=True, generations=True, reading_conflicts=False, years=False,
              kunya_of_father=False, cousin_fits=False, event=True)  # fmt: skip
    assert own_facts_settle(**kw, brothers=False, gap=2, apart=False)
    assert not own_facts_settle(**kw, brothers=False, gap=3, apart=False)
    assert not own_facts_settle(**kw, brothers=False, gap=None, apart=False)
    assert own_facts_settle(**kw, brothers=False, gap=None, apart=False, same_mother=True)
    assert not own_facts_settle(**kw, brothers=True, gap=None, apart=False, same_mother=True)
    assert not own_facts_settle(**kw, brothers=False, gap=None, apart=True, same_mother=True)
