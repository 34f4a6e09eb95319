"""Pairs of reports of one man that were lost entirely (neither proposed, nor undecided,
nor held back as relatives): each with the expected decision."""

from __future__ import annotations

from tests.linkage.decisions import decide

from nasab.linkage.chain import read_chain
from nasab.linkage.compounds import read_as_son
from nasab.linkage.dedup import DedupModel


def test_compound_that_reads_as_name_and_father_is_read_so():
    c = read_as_son(read_chain({"full_name": "Mohamed Aly Mohamed al-Turkmani", "sex": "M"}))
    assert c is not None
    assert (c.given.tok, c.father.tok, c.grandfather.tok) == ("mohammad", "ali", "mohammad")
    # a compound with its own father's box reads one way only
    assert read_as_son(read_chain({"given_name": "Mohammad Ali", "father_name": "Hasan"})) is None


def test_full_name_mohammad_son_of_ali_meets_the_boxes():
    """ "Mohamed Aly Mohamed al-Turkmani" is Mohammad son of Ali son of Mohammad, not
    only the compound Mohammad Ali son of Mohammad."""
    reports = [
        {
            "report_id": "a",
            "full_name": "Mohamed Aly Mohamed al-Turkmani",
            "mother_name": "Maryam",
            "sex": "M",
            "birth_year": 2002,
            "governorate": "Hassakeh",
        },
        {
            "report_id": "b",
            "given_name": "محمد",
            "father_name": "علي",
            "grandfather_name": "محمد",
            "family_name": "التركماني",
            "mother_name": "مريم",
            "sex": "M",
            "birth_year": 2002,
            "governorate": "الحسكة",
        },
    ]
    d = decide(reports)
    proposed, undecided, held = d.proposed, d.undecided, d.held
    assert ("a", "b") in proposed | undecided
    assert not held


def test_compound_with_another_father_is_not_read_as_his_son():
    """ "Mohammad Ali" (no father's box) against Mohammad son of Hasan: the son reading
    does not fit (Ali is not Hasan), so nothing is proposed."""
    reports = [
        {
            "report_id": "a",
            "given_name": "Mohammad Ali",
            "family_name": "al-Turki",
            "sex": "M",
            "birth_year": 1990,
            "governorate": "Hama",
        },
        {
            "report_id": "b",
            "given_name": "Mohammad",
            "father_name": "Hasan",
            "family_name": "al-Turki",
            "sex": "M",
            "birth_year": 1990,
            "governorate": "Hama",
        },
    ]
    proposed = decide(reports).proposed
    assert not proposed


def test_abd_with_a_doubled_letter_is_still_an_abd_name():
    """ "Abdd al-Karim" (a doubled d) is Abd al-Karim, not Obada son of Karim."""
    c = read_chain({"full_name": "Abdd al-Karim Issa Ibrahim Abou Ama", "sex": "M"})
    assert c.given is not None and c.given.ids == {"abdulkarim"}
    assert (c.father.raw, c.grandfather.raw) == ("Issa", "Ibrahim")
    c = read_chain({"full_name": "عبدد الكريم عيسى إبراهيم أبو عمار", "sex": "M"})
    assert c.given is not None and c.given.ids == {"abdulkarim"}
    reports = [
        {
            "report_id": "a",
            "full_name": "Abdd al-Karim Issa Ibrahim Abou Ama",
            "mother_name": "Monna",
            "sex": "M",
            "birth_year": 1993,
            "governorate": "Tartus",
        },
        {
            "report_id": "b",
            "given_name": "Abd al-Karim",
            "father_name": "Issa",
            "grandfather_name": "Ibrahim",
            "family_name": "Abou Amar",
            "mother_name": "Mona",
            "sex": "M",
            "birth_year": 1993,
            "governorate": "Tartous",
        },
    ]
    proposed = decide(reports).proposed
    assert proposed == {("a", "b")}


def test_abd_with_the_articles_vowel_and_a_lone_l_is_still_an_abd_name():
    """ "Abda l-Karim" (the article split after its vowel: a lone l) is Abd al-Karim, not
    Obada; "Abda Karim" (no article) stays Obada son of Karim."""
    c = read_chain({"full_name": "Abda l-Karim Issa Ibrahim Hamdan", "sex": "M"})
    assert c.given is not None and c.given.ids == {"abdulkarim"}
    assert (c.father.raw, c.grandfather.raw) == ("Issa", "Ibrahim")
    c = read_chain({"full_name": "Abda Karim Issa Hamdan", "sex": "M"})
    assert c.given is not None and c.given.ids == {"obada"}
    assert c.father.raw == "Karim"


def test_abu_with_a_doubled_letter_starts_a_family_name():
    """ "محمود علي أبوو غسان": the family name Abu Ghassan typed with a doubled waw, not
    a grandfather أبوو and a family غسان."""
    c = read_chain({"full_name": "محمود علي أبوو غسان", "sex": "M"})
    assert (c.given.tok, c.father.tok, c.grandfather) == ("mahmoud", "ali", None)
    assert c.family.forms.key == read_chain({"family_name": "أبو غسان"}).family.forms.key
    assert read_chain({"given_name": "Abuu Ali", "father_name": "Hasan"}).kunya.tok == "ali"


def _compared(reports) -> set[tuple[str, str]]:
    """The pairs the blocking rules compare at all (whatever their score)."""
    m = DedupModel(reports)
    df = m.linker.inference.predict(threshold_match_probability=0.0).as_pandas_dataframe()
    pairs = zip(df.report_id_l, df.report_id_r, strict=True)
    return {tuple(sorted((str(a), str(b)))) for a, b in pairs}


def test_kunya_in_another_governorate_is_compared():
    """ "Abu Khaled" son of Khaled son of Mohammad al-Turkmani, given in another
    governorate and with no birth year: compared by father, grandfather and family."""
    reports = [
        {
            "report_id": "a",
            "given_name": "أبو خالد",
            "father_name": "خالد",
            "grandfather_name": "محمد",
            "family_name": "التركماني",
            "sex": "M",
            "governorate": "القنيطرة",
        },
        {
            "report_id": "b",
            "given_name": "سمير",
            "father_name": "خالد",
            "grandfather_name": "محمد",
            "family_name": "التركماني",
            "sex": "M",
            "birth_year": 1973,
            "governorate": "ريف دمشق",
        },
    ]
    assert ("a", "b") in _compared(reports)


def test_nickname_is_compared_by_its_other_names():
    """Hammoudi (Ahmad, Mahmoud or Mohammad) against Mohammad son of Wael of the same
    family in another governorate: compared (the nickname's token is Ahmad)."""
    reports = [
        {
            "report_id": "a",
            "given_name": "Hammoudi",
            "father_name": "Wael",
            "family_name": "al-Moazen",
            "sex": "M",
            "governorate": "Deir ez-Zor",
        },
        {
            "report_id": "b",
            "given_name": "Mohammad",
            "father_name": "Wael",
            "family_name": "Al Moazen",
            "sex": "M",
            "governorate": "Aleppo",
        },
    ]
    assert ("a", "b") in _compared(reports)


def test_compound_in_the_given_box_alone_meets_mohammad_son_of_its_second_name():
    reports = [
        {"report_id": "a", "given_name": "Mohammad Shadi", "sex": "M", "governorate": "Homs"},
        {
            "report_id": "b",
            "given_name": "Mohamad",
            "father_name": "Shadi",
            "family_name": "al-Saleh",
            "sex": "M",
            "governorate": "Hama",
        },
    ]
    assert ("a", "b") in _compared(reports)


def test_a_report_of_another_family_is_no_rival():
    """Hamoudeh son of Samer al-Saleh against Ahmad son of Samer al-Saleh: a Mohammad of
    another family (al-Hamwi) is no other reading of the nickname; a Mohammad al-Saleh
    with no father's name is."""
    from nasab.linkage.readings import rival
    from nasab.linkage.relatives import _facts

    def facts(r):
        return _facts(read_chain(r), r)

    x = {"full_name": "حمودة سامر الصالح", "sex": "M", "birth_year": 1956}
    y = {"given_name": "أحمد", "father_name": "سامر", "family_name": "الصالح", "sex": "M"}
    z = {"given_name": "محمد", "grandfather_name": "رامي", "family_name": "الحموي", "sex": "M"}
    assert not rival(facts(x), facts(y), facts(z))
    z2 = {**z, "family_name": "الصالح"}
    assert rival(facts(x), facts(y), facts(z2))


def test_doubled_consonant_in_latin_is_two_letters_in_arabic():
    """ببيلاوي / al-Babellawi, ممدوح / Mamdouh: a Latin shadda written twice against
    the Arabic letters; "all-Adeli" is al-Adeli."""
    from nasab.linkage.chain import _part
    from nasab.linkage.similarity import name_level

    def fam(s):
        return _part(s, family=True).forms

    assert name_level(fam("الببيلاوي"), fam("al-Babellawi")) == "key"
    assert name_level(fam("ممدوح"), fam("Mamdouh")) == "key"
    assert name_level(fam("AboJassim"), fam("Abou Jassem")) == "key"
    assert fam("all-Adeli").key == fam("El-Adeli").key
    reports = [
        {
            "report_id": "a",
            "given_name": "حسن",
            "father_name": "علي",
            "grandfather_name": "حسن",
            "family_name": "الببيلاوي",
            "sex": "M",
            "birth_year": 1980,
            "governorate": "حمص",
        },
        {
            "report_id": "b",
            "given_name": "Hassan",
            "father_name": "Ali",
            "grandfather_name": "Hasan",
            "family_name": "al-Babellawi",
            "sex": "M",
            "birth_year": 1980,
            "governorate": "Homs",
        },
    ]
    proposed = decide(reports).proposed
    assert proposed == {("a", "b")}


def test_three_part_name_against_a_report_without_grandfather_needs_a_person():
    """ "Bassel Samir al-Haddad" may be Bassel son of X son of Samir (the father's name
    skipped); against Basel son of Emad, who gives no grandfather, that is a doubt for
    a person, not two men: listed as undecided, never proposed."""
    reports = [
        {
            "report_id": "a",
            "full_name": "Bassel Samir al-Haddad",
            "sex": "M",
            "birth_year": 1986,
            "governorate": "Raqqa",
        },
        {
            "report_id": "b",
            "given_name": "Basel",
            "father_name": "Emad",
            "family_name": "El-Haddad",
            "sex": "M",
            "birth_year": 1986,
            "governorate": "Raqqa",
            "disappearance_date": "2014-02-21",
        },
    ]
    d = decide(reports)
    proposed, undecided = d.proposed, d.undecided
    assert not proposed
    assert ("a", "b") in undecided
