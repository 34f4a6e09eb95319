"""Normalisation of personal names written in Arabic script or in Latin transliteration.

Three levels of normal form, each a pure function of one string:

``normalise_arabic(s)``
    Arabic script only: removes harakat (diacritics) and tatweel, unifies the alef forms
    (أ إ آ ٱ → ا), alef maqsura (ى → ي), ta marbuta (ة → ه), hamza seats (ؤ → و, ئ → ي),
    converts Arabic-Indic and Persian digits to ASCII, and joins ``عبد ال…`` compounds.

``normalise_latin(s)``
    Latin script only: case-folds, strips accents (é → e), removes apostrophes and the
    ayn/hamza signs (ʿ ʾ ' ` ’), joins ``Abd al-…`` / ``Abdul …`` / ``Abdel …`` compounds
    into one token ``abd…`` and turns hyphens into spaces.  The vowels are kept, so two
    Latin spellings remain distinguishable (Hasan vs Husain).

``phonetic_key(s)``
    Script-independent consonant skeleton.  Arabic letters map one to one to key letters
    (ث → s, خ → k, ق → k, ش → x, ...; ayn and hamza carry no letter); Latin is reduced
    with digraph rules (kh→k, q/c/ck→k, ph/v→f, sh/ch/sch→x, gh→g, g/dj/dzh→j, th→s, dh→d,
    p→b; Arabizi 7→h, 5→k).  Then vowels are dropped, non-initial ``w``/``y`` dropped
    (they are long vowels as often as consonants: Yousef/يوسف, Hussein/حسين), doubled
    letters collapsed, and a final ``h`` after a vowel (ta marbuta: Fatimah/Fatima/فاطمة;
    Arabic final ه/ح) dropped.  ``محمد``, ``Mohammad``, ``Muhammad`` and ``Mohamed`` all
    give ``mhmd``.

``vowel_groups(s)`` and ``vowels_compatible(...)``
    The key alone merges names that differ only in vowels (Mohammad/Mahmoud both
    ``mhmd``, Hasan/Hussein both ``hsn``).  ``vowel_groups`` keeps the vowels between the
    key's consonants and ``vowels_compatible`` tells whether two spellings with the same
    key can be one name: Arabic writes only long vowels, Latin writes short and long
    ones, so an Arabic long vowel must show in the Latin spelling and a Latin long vowel
    (oo, ee, ei, ai, ...) must show in the Arabic.

``arabic_to_latin(s)``
    Letter-by-letter transliteration of Arabic script for display (``خالد`` → ``khald``).

The leading article (``ال``, ``al-``, ``el-``, ``Al ``, and before sun letters ``an-``,
``as-``, ``ash-`` ...) is removed by :func:`strip_article`; for family names also when
written joined (``Alhamwi``, ``Assaleh``).  ``normalise_name`` picks the script
automatically; ``name_forms`` returns all the forms used by the linkage model.

Known limits: ``ch`` is read as ``sh`` (French: Chadi), so German-style Chaled (خالد)
gets another key; ث is read as ``s`` (Osman/Othman), so a Latin ``th`` for ت + ه (Fathi)
is keyed wrongly; Latin ``g`` is read as ج (Egyptian Gamal), not as Gulf ق.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "NAME_PARTS",
    "NameForms",
    "arabic_to_latin",
    "detect_script",
    "latin_letters",
    "name_forms",
    "normalise_arabic",
    "normalise_latin",
    "normalise_name",
    "phonetic_key",
    "stated_sex",
    "strip_article",
    "vowel_groups",
    "vowels_compatible",
]

#: The name parts a report may carry, in the order of an Arabic nasab (chain of names).
NAME_PARTS = ("given_name", "father_name", "grandfather_name", "family_name", "mother_name")

_ARABIC_RANGE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks.
_HARAKAT = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]")
_TATWEEL = "\u0640"
_ARABIC_CHAR_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",  # Persian kaf
        "ی": "ي",  # Persian yeh
        "ۀ": "ه",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "،": " ",
        "-": " ",
        "_": " ",
    }
)
_ABD_AR = re.compile(r"(^|\s)عبد\s*ال\s*")


def detect_script(s: str | None) -> str:
    """Return ``"ar"`` if ``s`` contains Arabic letters, ``"lat"`` if Latin letters, else ``""``."""
    if not s:
        return ""
    if _ARABIC_RANGE.search(s):
        return "ar"
    if _LATIN_LETTER.search(s):
        return "lat"
    return ""


def _squash_spaces(s: str) -> str:
    return " ".join(s.split())


def normalise_arabic(s: str | None) -> str:
    """Normalise Arabic-script text (see module docstring).  Idempotent."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s)
    s = _HARAKAT.sub("", s).replace(_TATWEEL, "")
    s = s.translate(_ARABIC_CHAR_MAP)
    s = _squash_spaces(s)
    # عبد ال رحمن / عبد الرحمن / عبدالرحمن -> عبدالرحمن  (one token)
    s = _ABD_AR.sub(lambda m: m.group(1) + "عبدال", s)
    return s


_LATIN_DROP = re.compile(r"['`\u2018\u2019\u02BB\u02BC\u02BE\u02BF\u00B4]")
# "Abd al-Rahman", "Abdul Rahman", "Abdel-Rahman", "Abd-ur-Rahman", "Abdulrahman",
# "Abdallah" -> "abd" + rest.  The vowel-article part is optional; a following name of
# at least three letters must exist so that "Abdo"/"Abdi" are left alone.
_ABD_LAT = re.compile(r"\babd\s*(?:[aeiou][lrnstdz]?)?\s*(?=[a-z]{3})")


def latin_letters(s: str | None) -> str:
    """A Latin transliteration's letters as written: accents, apostrophes and case
    removed, punctuation as spaces; no spelling rule applied (``Ab al-Karim`` stays
    ``ab al karim``: a slip of ``Abd al-Karim`` is compared letter by letter)."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold()
    s = _LATIN_DROP.sub("", s)
    s = re.sub(r"[^a-z0-9\s]", " ", s)
    return _squash_spaces(s)


def normalise_latin(s: str | None) -> str:
    """Normalise a Latin transliteration (see module docstring).  Idempotent."""
    if not s:
        return ""
    return _ABD_LAT.sub("abd", latin_letters(s))


def normalise_name(s: str | None) -> str:
    """Normalise in the script the string is written in. Text whose only Arabic-range
    characters are marks that normalisation removes (a lone haraka or tatweel beside
    punctuation) is Latin afterwards, and is finished as Latin so that normalising twice
    changes nothing."""
    if detect_script(s) != "ar":
        return normalise_latin(s)
    out = normalise_arabic(s)
    return out if detect_script(out) == "ar" else normalise_latin(out)


_ARTICLE_AR = re.compile(r"^ال(?=\S{2})")
# al-, el-, and the assimilated forms before sun letters: an-Najjar, as-Saleh, ash-Shami
# (also with the l typed twice: "all-Adeli", "ell Hamada")
_ARTICLE_LAT_SEP = re.compile(r"^(?:all?|ell?|il|ul)\s+(?=\S)|^[aeu](sh|th|dh|[tdszrn])\s+(?=\1)")
_ARTICLE_LAT_JOINED = re.compile(r"^(?:al|el)(?=[a-z]{3})|^[ae](sh|th|dh|[tdszrn])(?=\1[a-z]{2})")


def strip_article(norm: str, *, joined: bool = False) -> str:
    """Remove a leading definite article from an already normalised name.

    ``joined=True`` also removes an article written together with the name (``Alhamwi``,
    ``الحموي``); use it for family names only, where no given name starts with ``al``.
    Arabic ``ال`` is always written joined, so for Arabic it applies whenever ``joined``.
    """
    if not norm:
        return norm
    if detect_script(norm) == "ar":
        return _ARTICLE_AR.sub("", norm) if joined else norm
    out = norm
    while True:  # "al-Al Hamawi" has two
        prev = out
        out = _ARTICLE_LAT_SEP.sub("", out)
        if joined:
            out = _ARTICLE_LAT_JOINED.sub("", out)
        if out == prev:
            return out


# --- Arabic -> Latin ------------------------------------------------------------------

_AR2LAT = {
    "ا": "a",
    "ء": "'",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "'",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "و": "w",
    "ي": "y",
    " ": " ",
    "0": "0",
    "1": "1",
    "2": "2",
    "3": "3",
    "4": "4",
    "5": "5",
    "6": "6",
    "7": "7",
    "8": "8",
    "9": "9",
}


def arabic_to_latin(s: str | None) -> str:
    """Letter-by-letter transliteration of (normalised) Arabic script to a Latin string.

    The result is a consonantal spelling (``محمد`` → ``mhmd``, ``يوسف`` → ``ywsf``); it is
    meant for comparison keys and for showing an Arabic name to a Latin-only reader, not
    as a publication transliteration.  Non-Arabic characters are passed through
    (after Latin normalisation).
    """
    if not s:
        return ""
    s = normalise_arabic(s)
    out = []
    for ch in s:
        if ch in _AR2LAT:
            out.append(_AR2LAT[ch])
        elif _ARABIC_RANGE.match(ch):
            continue
        else:
            out.append(normalise_latin(ch))
    return _squash_spaces("".join(out))


# --- phonetic key ----------------------------------------------------------------------

# Arabic letters straight to key letters (one character each, so that no two letters
# read as a digraph: ط ح is not ث).  Long vowels and consonantal w/y are a, w, y;
# ayn and hamza are ' (they occupy a position but carry no key letter).
_AR2KEY = {
    **_AR2LAT,
    "ث": "s",
    "خ": "k",
    "ذ": "d",
    "ش": "x",
    "غ": "g",
    "ق": "k",
    "ج": "j",
}

# Consonant digraphs, longer patterns first.  Applied to a normalised Latin string.
_DIGRAPHS = [
    ("dzh", "j"),  # ج as Russian-style transliterations write it (Dzhebawi: Jabawi)
    ("sch", "x"),
    ("tch", "x"),
    ("dj", "j"),
    ("kh", "k"),
    ("sh", "x"),
    ("ch", "x"),
    ("ph", "f"),
    ("th", "s"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("v", "f"),
    ("p", "b"),
    ("gh", "G"),
    ("g", "j"),
    ("G", "g"),
    # Arabizi digits: 7 = ح, 5 = خ, 3 = ع, 2 = ء
    ("7", "h"),
    ("5", "k"),
    ("3", "'"),
    ("2", "'"),
]
_VOWELS = set("aeiou")


def _word_structure(w: str, arabic: bool = False) -> tuple[str, list[str]]:
    """Split one Latin(ised) word into its consonant skeleton and the vowel groups.

    Returns ``(key, groups)`` where ``groups[i]`` is the vowel material (vowels and
    non-initial w/y) between consonant ``i`` and ``i + 1`` of ``key``; material before
    the first and after the last consonant is not kept (initial alef/ayn and final
    alef maqsura are spelled every way).
    """
    # final ta marbuta / -ah / -eh: drop final h after a vowel (Fatimah ~ Fatima ~ فاطمه)
    if not arabic:
        if len(w) > 2 and w.endswith("h") and w[-2] in _VOWELS:
            w = w[:-1]
        for a, b in _DIGRAPHS:
            w = w.replace(a, b)
    key: list[str] = []
    groups: list[str] = []
    cur = ""
    for i, ch in enumerate(w):
        if ch == "'":
            cur += ch  # ayn/hamza: a vowel-like sound spelled every way in Latin
            continue
        if not ch.isalnum():
            continue
        if ch in _VOWELS or (ch in "wy" and i > 0):
            cur += ch
            continue
        if key and key[-1] == ch and not cur:
            continue  # doubled consonant (shadda)
        if key:
            groups.append(cur)
        key.append(ch)
        cur = ""
    return "".join(key), groups


def _latinised_words(s: str, family: bool) -> tuple[list[str], bool]:
    """Words of a name in key letters (Arabic) or normalised Latin; and whether Arabic."""
    if detect_script(s) == "ar":
        norm = strip_article(normalise_arabic(s), joined=True) if family else normalise_arabic(s)
        # Arabic article inside an 'abd al' compound carries no information
        norm = norm.replace("عبدال", "عبد")
        # Arabic final ه (from ة or -ah) and ح are dropped like the Latin final -ah/-eh
        words = [w[:-1] if len(w) > 2 and w[-1] in "هح" else w for w in norm.split()]
        return ["".join(_AR2KEY.get(c, "") for c in w) for w in words], True
    norm = normalise_latin(s)
    lat = strip_article(norm, joined=family) if family else strip_article(norm)
    return lat.split(), False


def phonetic_key(s: str | None, *, family: bool = False) -> str:
    """Script-independent key of a name (see module docstring).

    Multi-word names give space-separated keys per word.  ``family=True`` strips a
    leading article, joined or not.
    """
    if not s:
        return ""
    words, arabic = _latinised_words(s, family)
    words = [_word_structure(w, arabic)[0] for w in words]
    return " ".join(w for w in words if w)


def family_key(s: str | None) -> str:
    """One word's key across scripts and articles, spaces removed (الحموي, Al-Hamawi,
    Hamawi: one key): the identity token of a family name
    (:attr:`nasab.linkage.chain.Part.tok`), for any word compared with one."""
    return phonetic_key(s, family=True).replace(" ", "")


def squeezed_key(key: str | None) -> str:
    """A phonetic key with no letter twice in a row and no spaces: a doubled consonant
    is a shadda in Latin (Babellawi, ``bbl``) but in Arabic script, where a shadda is not
    written, two letters (ببيلاوي, ``bl`` after the key's doubled-letter rule, which
    is there for typing slips); "Abu Jassim" written as one word or two."""
    return re.sub(r"(.)\1+", r"\1", (key or "").replace(" ", ""))


def vowel_groups(s: str | None, *, family: bool = False) -> str:
    """The vowels between the consonants of :func:`phonetic_key`, as one string.

    Groups are separated by ``,`` and words by ``|``: ``Mohammad`` → ``o,a,a``,
    ``محمود`` → ``,,w``.  Compared with :func:`vowels_compatible`.
    """
    if not s:
        return ""
    parts = []
    words, arabic = _latinised_words(s, family)
    for w in words:
        key, groups = _word_structure(w, arabic)
        if key:
            parts.append(",".join(groups))
    return "|".join(parts)


# "ou" is not here: French transliteration writes ou for a short u (Moustafa).
_LONG_LATIN = ("oo", "ee", "ei", "ey", "ie", "ai", "ay", "aa", "uu", "ii", "w", "y")


def _classes(g: str, arabic: bool) -> set[str]:
    if arabic:
        return {{"a": "a", "w": "u", "y": "i"}[c] for c in g if c in "awy"}
    if g == "e":
        return {"a", "i", "u"}  # a lone e stands for any short vowel (Ahmed, Yousef)
    m = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"}
    return {m[c] for c in g if c in m}


def _is_long_latin(g: str) -> bool:
    return any(x in g for x in _LONG_LATIN)


def _groups_ok(a: str, b: str, ar_a: bool, ar_b: bool) -> bool:
    if ar_a and ar_b:
        return a == b
    if ar_b and not ar_a:
        a, b, ar_a, ar_b = b, a, ar_b, ar_a
    if ar_a:  # a Arabic (long vowels only), b Latin (short and long vowels)
        if "'" in a:
            # an ayn or hamza (سعد: Saad, Sa'd, Sad): any Latin vowels, but no y where
            # the Arabic has no ya (السعد is not al-Sayed)
            return "y" not in b or "y" in a
        if not a:
            return not _is_long_latin(b)
        return bool(b) and bool(_classes(a, True) & _classes(b, False))
    if not a or not b:
        return not _is_long_latin(a or b)
    return bool(_classes(a, False) & _classes(b, False))


@lru_cache(maxsize=1 << 16)
def vowels_compatible(va: str | None, vb: str | None, sa: str | None, sb: str | None) -> bool:
    """Whether two names with the same :func:`phonetic_key` can be the same name.

    ``va``/``vb`` come from :func:`vowel_groups`, ``sa``/``sb`` are the scripts ("ar" or
    "lat").  Arabic writes only long vowels, Latin writes short and long ones: an Arabic
    long vowel must appear in the Latin spelling (حسين is not Hasan), and a Latin long
    vowel (ou, ee, ei, ...) must appear in the Arabic (Mahmoud is not محمد).  Two Latin
    spellings must have compatible vowels in every gap (Mohamed ~ Muhammad, but not
    Mahmoud; Hussein ~ Husain, but not Hassan).
    """
    va, vb = va or "", vb or ""
    wa, wb = va.split("|"), vb.split("|")
    if len(wa) != len(wb):
        return False
    ar_a, ar_b = sa == "ar", sb == "ar"
    for x, y in zip(wa, wb, strict=True):
        ga, gb = x.split(","), y.split(",")
        if len(ga) != len(gb):
            return False
        if not all(_groups_ok(p, q, ar_a, ar_b) for p, q in zip(ga, gb, strict=True)):
            return False
    return True


@dataclass(frozen=True)
class NameForms:
    """All forms of one name part used for comparison."""

    raw: str
    script: str  # "ar", "lat" or ""
    norm: str  # normalised in its own script (article stripped for family names)
    latin: str  # Latin rendering: normalised Latin, or transliterated Arabic
    key: str  # script-independent phonetic key
    vowels: str  # vowel groups between the key's consonants (see vowel_groups)


@lru_cache(maxsize=1 << 16)
def name_forms(s: str | None, *, family: bool = False) -> NameForms:
    """Compute :class:`NameForms` for one name part."""
    raw = (s or "").strip()
    script = detect_script(raw)
    norm = normalise_name(raw)
    norm = strip_article(norm, joined=family)
    latin = arabic_to_latin(norm) if script == "ar" else norm
    return NameForms(
        raw=raw,
        script=script,
        norm=norm,
        latin=latin,
        key=phonetic_key(raw, family=family),
        vowels=vowel_groups(raw, family=family),
    )


# --- the other facts of a report as written ----------------------------------------------

_SEX_WORDS = {
    "M": ("m", "male", "man", "ذكر", "رجل"),
    "F": ("f", "female", "woman", "انثى", "أنثى", "امرأة"),
}
_SEX = {normalise_name(w): sex for sex, words in _SEX_WORDS.items() for w in words}
#: a sex field that states none: X (ISO 5218 and ICAO's "unspecified"), unknown
SEX_UNSTATED = frozenset({"", "x", "u", "unknown"})


def stated_sex(v: object) -> str | None:
    """``M`` or ``F`` for a report's sex as written (M, male, ذكر; F, female, أنثى), ``""``
    for none stated (empty, X, unknown), None for a text that is no sex."""
    s = "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
    n = normalise_name(s) if s else ""
    if n in _SEX:
        return _SEX[n]
    return "" if n in SEX_UNSTATED else None
