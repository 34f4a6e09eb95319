"""Name normalisation: examples and property tests."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nasab.linkage.names import FAMILY, FEMALE, MALE
from nasab.linkage.normalise import (
    arabic_to_latin,
    detect_script,
    name_forms,
    normalise_arabic,
    normalise_latin,
    normalise_name,
    phonetic_key,
    strip_article,
    vowels_compatible,
)


def same_name(a: str, b: str, family: bool = False) -> bool:
    fa, fb = name_forms(a, family=family), name_forms(b, family=family)
    return fa.key == fb.key and vowels_compatible(fa.vowels, fb.vowels, fa.script, fb.script)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("مصطفى", "مصطفي"),
        ("فاطمة", "فاطمه"),
        ("محـــمد", "محمد"),  # tatweel
        ("مُحَمَّدٌ", "محمد"),  # harakat, shadda, tanwin
        ("١٩٨٥", "1985"),
        ("عبد الرحمن", "عبدالرحمن"),
        ("عبد  ال رحمن", "عبدالرحمن"),
        ("رائد", "رايد"),
    ],
)
def test_normalise_arabic(raw, expected):
    assert normalise_arabic(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("MOHAMMAD", "mohammad"),
        ("Muḥammad", "muhammad"),
        ("Wa'el", "wael"),
        ("ʿAbd al-Raḥmān", "abdrahman"),
        ("Abdul Rahman", "abdrahman"),
        ("Abdel-Rahman", "abdrahman"),
        ("Abdurrahman", "abdrahman"),
        ("Abdo", "abdo"),
        ("al-Hamwi", "al hamwi"),
    ],
)
def test_normalise_latin(raw, expected):
    assert normalise_latin(raw) == expected


def test_detect_script():
    assert detect_script("محمد") == "ar"
    assert detect_script("Mohammad") == "lat"
    assert detect_script("1985") == ""
    assert detect_script(None) == ""


@pytest.mark.parametrize(
    "family, variants",
    [
        (False, ["محمد", "Mohammad", "Muhammad", "Mohamed", "Mohammed", "Mohamad"]),
        (False, ["يوسف", "Yousef", "Youssef", "Yusuf"]),
        (False, ["حسين", "Hussein", "Husain", "Hussain", "Husayn"]),
        (False, ["عبد الرحمن", "Abd al-Rahman", "Abdulrahman", "Abdel Rahman", "Abdur Rahman"]),
        (False, ["عبدالله", "Abdullah", "Abdallah", "Abd Allah"]),
        (False, ["فاطمة", "Fatima", "Fatimah", "Fatma"]),
        (False, ["خالد", "Khaled", "Khalid", "KHALED"]),
        (False, ["قاسم", "Qasim", "Kassem"]),
        (False, ["عيسى", "Issa", "Eissa"]),
        (False, ["جمال", "Jamal", "Gamal", "Djamal"]),
        (False, ["عثمان", "Othman", "Osman"]),
        (True, ["الحموي", "al-Hamwi", "Al Hamawi", "El-Hamwi", "Alhamwi", "Hamwi"]),
        (True, ["النجار", "al-Najjar", "an-Najjar", "En-Najjar", "Najjar"]),
        (True, ["الصالح", "al-Saleh", "as-Saleh", "Assaleh"]),
        (True, ["الشامي", "al-Shami", "Al Chami", "ash-Shami"]),
        (True, ["طحان", "Tahhan", "Tahan"]),
    ],
)
def test_variants_are_one_name(family, variants):
    for v in variants[1:]:
        assert same_name(variants[0], v, family), (variants[0], v)
        assert same_name(v, variants[0], family), (v, variants[0])


@pytest.mark.parametrize(
    "a, b",
    [
        ("محمد", "محمود"),
        ("Mohammad", "Mahmoud"),
        ("محمود", "Mohammad"),
        ("Muhammad", "Mahmood"),
        ("Hasan", "Hussein"),
        ("Hassan", "Husain"),
        ("حسين", "Hasan"),
        ("حسن", "Hussein"),
        ("Ahmad", "Mohammad"),
        ("Sameer", "سامر"),
    ],
)
def test_different_names_stay_apart(a, b):
    assert not same_name(a, b)


def test_arabic_to_latin():
    assert arabic_to_latin("محمد") == "mhmd"
    assert arabic_to_latin("خالد") == "khald"
    assert arabic_to_latin("") == ""


def test_strip_article():
    assert strip_article("al hamwi") == "hamwi"
    assert strip_article("alhamwi") == "alhamwi"
    assert strip_article("alhamwi", joined=True) == "hamwi"
    assert strip_article("ali", joined=True) == "ali"
    assert strip_article("الحموي", joined=True) == "حموي"
    assert strip_article("al al hamawi") == "hamawi"


# --- properties --------------------------------------------------------------------------

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيـًٌٍَُِّْ ٠١٢٣٤٥٦٧٨٩"
arabic_text = st.text(alphabet=ARABIC_LETTERS, max_size=20)
latin_text = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéāḥ'- ")),
    max_size=20,
)
any_text = st.one_of(arabic_text, latin_text, st.text(max_size=20))
ALL_NAMES = [(n, False) for n in (*MALE, *FEMALE)] + [(n, True) for n in FAMILY]


@settings(max_examples=200, deadline=None)
@given(arabic_text)
def test_normalise_arabic_idempotent(s):
    once = normalise_arabic(s)
    assert normalise_arabic(once) == once


@settings(max_examples=200, deadline=None)
@given(latin_text)
def test_normalise_latin_idempotent(s):
    once = normalise_latin(s)
    assert normalise_latin(once) == once


@settings(max_examples=200, deadline=None)
@given(any_text)
@example("\u064b:")  # a lone haraka beside punctuation: Arabic before, Latin after
@example("\u0640:")
def test_normalise_name_idempotent_and_total(s):
    once = normalise_name(s)
    assert normalise_name(once) == once
    phonetic_key(s)  # never raises
    phonetic_key(s, family=True)


@settings(max_examples=200, deadline=None)
@given(latin_text)
def test_key_ignores_case_and_accents(s):
    assert phonetic_key(s) == phonetic_key(s.upper()) == phonetic_key(s.lower())


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(ALL_NAMES),
    st.data(),
)
def test_arabic_decorations_do_not_change_key(entry, data):
    name, family = entry
    s = name.arabic
    # insert harakat and tatweel after random letters, write hamza on the first alef
    out = []
    for ch in s:
        out.append(ch)
        if ch != " " and data.draw(st.booleans()):
            out.append(data.draw(st.sampled_from(["\u064e", "\u064f", "\u0650", "\u0651", "ـ"])))
    decorated = "".join(out)
    if data.draw(st.booleans()):
        decorated = decorated.replace("ا", "أ", 1)
    assert phonetic_key(decorated, family=family) == phonetic_key(s, family=family)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ALL_NAMES), st.data())
def test_latin_spelling_styles_map_to_one_key(entry, data):
    name, family = entry
    v = data.draw(st.sampled_from(name.latin))
    style = data.draw(st.sampled_from(["upper", "lower", "title", "same"]))
    styled = {"upper": v.upper(), "lower": v.lower(), "title": v.title(), "same": v}[style]
    if family:
        bare = strip_article(normalise_latin(v), joined=True)
        styled = data.draw(st.sampled_from([f"al-{bare}", f"Al {bare}", f"El-{bare}", bare]))
    assert phonetic_key(styled, family=family) == phonetic_key(v, family=family)


def test_every_listed_spelling_has_the_arabic_key():
    """The generator's name list: every Latin spelling has the key of the Arabic name,
    except Turkish 'Ahmet' (final t), which the model's near-key level catches."""
    exceptions = {"Ahmet"}
    for name, family in ALL_NAMES:
        k = phonetic_key(name.arabic, family=family)
        for v in name.latin:
            if v not in exceptions:
                assert phonetic_key(v, family=family) == k, (name.arabic, v)
