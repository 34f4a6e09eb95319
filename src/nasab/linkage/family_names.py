"""A synthetic pool of Syrian-style family names for the generator, and the law by which
clans take them (issue 18).  Used only by the synthetic generators
(:mod:`nasab.linkage.synth`, :mod:`nasab.linkage.synth_intake`); the matcher never reads
this module nor the name files it reads.

**The pool.**  Family names in Syria are, in the main, of a few productive kinds, and the
pool is built from each kind by rule, never from any real person:

* the hand-written names of :data:`nasab.linkage.names.FAMILY` (first, as the commonest);
* *Al- + a given name* and the given name alone (``الأحمد`` al-Ahmad, ``حسن`` Hassan): the
  generator's male names (:data:`~nasab.linkage.names.MALE`) and the Arabic male names of
  the AKhateeb lists (``shared/data/names/akhateeb_arabic_name_lists.tsv``) whose Latin
  spellings Wikidata labels give and a second source attests (the same filter as the
  intake generator's spellings, :func:`wikidata_spellings`);
* a *nisba* of a given name (``الحسني`` al-Hassani, ``الموسوي`` al-Musawi);
* a *nisba* of a town (``الحلبي`` al-Halabi, ``الدوماوي`` al-Doumawi): every one-word
  populated place and sub-district of the gazetteer (``shared/data/gazetteer``: GeoNames
  cities500 and OCHA COD-AB units), its Arabic name made a nisba by the usual endings
  (-ي, -اوي after a final alif; ة dropped) and its Latin name chosen among the place's
  Latin names as the one whose consonants agree with the Arabic (exonyms such as
  *Aleppo* are passed over), given the same ending;
* *Abu + a given name* (``أبو زيد`` Abu Zeid), common in the south;
* trades and descriptive by-names (:data:`TRADES`: al-Najjar, al-Haddad, al-Tawil ...).

Each name carries 3 to 5 Latin spellings with the article conventions writers use
(al-X, Al X, El-X, X, joined AlX), as the hand-written list does; the generator's own
article and spelling variants (:func:`nasab.linkage.synth._latin_variant`) apply on top.

**The law.**  Surname frequencies are heavy-tailed: the number of names held by n people
falls as a power of n, size against rank is a power law, and the number of distinct
names grows as a power of the population (Miyazima S, Lee Y, Nagamine T, Miyajima H
(2000) Power-law distribution of family names in Japanese societies, Physica A
278:282-288; Zanette DH, Manrubia SC (2001) Vertical transmission of culture and the
distribution of family names, Physica A 295:1-8); the rank-size curve is flatter than a
power law at its head and is fitted well by a q-exponential (Yamada HS, Iguchi K (2008)
q-exponential fitting for distributions of family names, Physica A 387:1628-1636), which
is the Zipf-Mandelbrot form used here: rank r (1 = commonest) has weight
``(r + RANK_OFFSET) ** -RANK_EXPONENT``.  No count of Syrian family names is published
that we could fit, so the parameters are our choice, with this rationale:
``RANK_EXPONENT = 1`` is Zipf's rank exponent, the tail of the size distributions above
(size exponent near 2); ``RANK_OFFSET = 8`` flattens the head so that the commonest
name is about 2.4 % of clans and the ten commonest about 17 %, where the former fixed
list of 40 names at Zipf 0.6 gave the commonest 11 % and made most men who share a
given, father's and family name strangers.  Each clan draws its name independently (so
the shares do not depend on the order clans are generated in); over the ~890 names of
the pool a 100,000-report benchmark (38,000 persons, about 5,400 clans) holds about 800
distinct family names, most of the pool (the pool, not the law, bounds that number).
The rank order, fixed for every seed, puts the hand-written list first (in its order:
al-Hamwi, al-Halabi, ...), then a weighted random order of the rest in which the
patronymic names and trades tend to come before the nisbas (:data:`KIND_WEIGHTS`).  A clan
lives in the home governorate of its family name (that of its first clan) with
probability :data:`SAME_GOVERNORATE`: family names are regional (a modelling
assumption).
"""

from __future__ import annotations

import csv
import itertools
import os
import random
import unicodedata

from nasab.engine.errors import NasabError
from nasab.engine.frequencies import shared_data_dir
from nasab.linkage.names import FAMILY, FEMALE, MALE, Name, _parse

__all__ = [
    "KIND_WEIGHTS",
    "RANK_EXPONENT",
    "RANK_OFFSET",
    "SAME_GOVERNORATE",
    "TRADES",
    "ClanNames",
    "family_pool",
    "wikidata_spellings",
]

#: rank-size law of family names: weight of rank r is (r + RANK_OFFSET) ** -RANK_EXPONENT
RANK_EXPONENT, RANK_OFFSET = 1.0, 8.0
#: chance that a clan lives in the home governorate of its family name
SAME_GOVERNORATE = 0.5
#: weight of each kind of name in the pool's rank order (higher: tends to rank higher)
KIND_WEIGHTS = {
    "listed": 1.0,
    "al-given": 3.0,
    "given": 2.0,
    "trade": 2.0,
    "nisba": 1.0,
    "abu": 1.0,
}

#: trades, offices and descriptive by-names, with their usual Latin spellings
TRADES = _parse(
    """
الخياط | al-Khayyat, Al Khayat, Khayyat, El-Khayat
الجزار | al-Jazzar, Al Jazar, Jazzar, El-Jazzar
القصاب | al-Qassab, Al Kassab, Kassab, Qassab
الحلاق | al-Hallaq, Al Hallak, Hallak, El-Hallaq
الدباغ | al-Dabbagh, Al Dabagh, Dabbagh, Debbagh
الصباغ | al-Sabbagh, Al Sabbag, Sabbagh, Assabbagh
النحاس | al-Nahhas, Al Nahas, Nahhas, Nahas
الفران | al-Farran, Al Faran, Farran
الصائغ | al-Sayegh, Al Sayegh, Sayegh, Sayigh
البيطار | al-Bitar, Al Baytar, Bitar, Baytar
الحكيم | al-Hakim, Al Hakeem, Hakim, El-Hakim
القاضي | al-Qadi, Al Kadi, Qadi, El-Kadi
الإمام | al-Imam, Al Emam, Imam, El-Imam
المفتي | al-Mufti, Al Mofti, Mufti, El-Mufti
الشيخ | al-Sheikh, Al Shaikh, Sheikh, El-Cheikh
الحاج | al-Hajj, Al Haj, Hajj, El-Hage
الزيات | al-Zayyat, Al Zayat, Zayyat, Zayat
السمان | al-Samman, Al Saman, Samman, Essamman
الحلواني | al-Halwani, Al Halawani, Halwani, Helwani
الفاخوري | al-Fakhouri, Al Fakhoury, Fakhoury, Fakhuri
السراج | al-Sarraj, Al Sarraj, Sarraj, Serrage
الكيال | al-Kayyal, Al Kayal, Kayyal, Kayal
الدهان | al-Dahhan, Al Dahan, Dahhan, Dahan
الشواء | al-Shawwa, Al Shawa, Shawwa, Chawa
الحمامي | al-Hammami, Al Hamami, Hammami, Hamami
القهوجي | al-Qahwaji, Al Kahwaji, Qahwaji, Kahwaji
الحريري | al-Hariri, Al Harir, Hariri, Hariry
السكري | al-Sukkari, Al Sukari, Sukkari, Soukkari
الخباز | al-Khabbaz, Al Khabaz, Khabbaz, Khabaz
البنا | al-Banna, Al Bana, Banna, El-Banna
الصيرفي | al-Sairafi, Al Sayrafi, Sairafi, Sayrafi
القطان | al-Qattan, Al Kattan, Kattan, Qattan
الزكار | al-Zakkar, Al Zakar, Zakkar, Zakar
الطحان | al-Tahhan, Al Tahan, Tahhan
الحجار | al-Hajjar, Al Hajar, Hajjar, Hajar
الفحام | al-Fahham, Al Faham, Fahham, Fahham
الصابوني | al-Sabouni, Al Sabuni, Sabouni, Saboni
الدقاق | al-Daqqaq, Al Dakkak, Dakkak, Daqqaq
البزاز | al-Bazzaz, Al Bazaz, Bazzaz, Bazaz
المؤذن | al-Muadhin, Al Moazen, Moazzen, Muazzin
الطويل | al-Tawil, Al Taweel, Tawil, El-Tawil
القصير | al-Qasir, Al Kassir, Kasir, Qusair
الأسمر | al-Asmar, Al Asmar, Asmar, El-Asmar
الأسود | al-Aswad, Al Aswad, Aswad
الأبيض | al-Abyad, Al Abiad, Abyad, Abiad
الأحمر | al-Ahmar, Al Ahmar, Ahmar
الأشقر | al-Ashqar, Al Ashkar, Ashkar, Ashqar
الصغير | al-Saghir, Al Sagheer, Saghir, Esseghir
الكبير | al-Kabir, Al Kabeer, Kabir, El-Kebir
الأعرج | al-Araj, Al Aaraj, Araj
الأطرش | al-Atrash, Al Atrach, Atrash
الأقرع | al-Aqra, Al Akraa, Akra
"""
)


def _shared_data() -> str:
    """The published data folder (:func:`nasab.engine.frequencies.shared_data_dir`); the
    generator's names are built from it, so without it there is no generator (a smaller
    pool would be another benchmark, silently)."""
    found = shared_data_dir()
    if found is None:
        raise NasabError(
            "the synthetic reports are generated from the published data in ../shared/data "
            "beside the checkout (or NASAB_SHARED / NASAB_SHARED_DATA): not found"
        )
    return str(found)


def _rows(path: str):
    with open(path, encoding="utf-8") as f:
        yield from csv.DictReader((x for x in f if not x.startswith("#")), delimiter="\t")


# --- Latin spellings of Arabic names: Wikidata labels attested by a second source ---------

#: Wikidata spellings kept (see :func:`wikidata_spellings`): at least this many labels and
#: this share of the Arabic form's labels, and attested by a second source
WD_MIN_COUNT, WD_MIN_SHARE = 3, 0.03
_WD_CACHE: dict[str, dict[str, list[tuple[str, int]]]] = {}


def names_dir(path: str | None = None) -> str:
    """The folder of the name files (that of ``path`` when given)."""
    if path:
        return os.path.dirname(path)
    return os.path.join(_shared_data(), "names")


def _second_attestations(folder: str) -> set[tuple[str, str]]:
    """(Arabic form without spaces, lower-case Latin spelling) pairs that a source other
    than Wikidata gives: the arabnamer dictionary (Latin key -> Arabic form) and Google's
    Wikipedia transliteration pairs.  Neither is read by the matcher."""
    out: set[tuple[str, str]] = set()
    for fname in ("arabnamer_dict.tsv", "google_ar2en_wikipedia.tsv"):
        path = os.path.join(folder, fname)
        if not os.path.exists(path):
            continue
        for r in _rows(path):
            ar, lat = (r.get("arabic") or "").replace(" ", ""), (r.get("latin") or "")
            if ar and lat:
                out.add((ar, lat.strip().lower()))
    return out


def wikidata_spellings(path: str | None = None) -> dict[str, list[tuple[str, int]]]:
    """Arabic token -> [(Latin spelling, count)]: the Latin spellings Wikidata person
    labels give an Arabic name that the generator can trust as the same name.

    Rule: at least :data:`WD_MIN_COUNT` labels and :data:`WD_MIN_SHARE` of that Arabic
    form's labels (drops the noisy alignments, e.g. محمد -> 'morocco'), **and** the same
    Latin spelling given for the same Arabic form by a second source (arabnamer's
    dictionary or Google's Wikipedia pairs), or listed by the generator's own name table
    (:mod:`nasab.linkage.names`).  The Wikidata alignment alone also pairs names with
    spellings of other names or other languages: عمر -> Amor (Maghrebi, read as عمار
    elsewhere), إياد -> Ayad (arabnamer: عياد), حسين -> Hassine/Hocine, جمال -> Cemal,
    زينب -> Zeynep, موسى -> Moses is kept (arabnamer has it).  A report written with
    such a spelling states another name, so a benchmark that counts it as the same name
    measures its own noise.  The matcher never reads any of these files."""
    path = path or os.environ.get(
        "NASAB_NAMES_WIKIDATA", os.path.join(names_dir(), "wikidata_merhav2018_ar_latin_tokens.tsv")
    )
    if path in _WD_CACHE:
        return _WD_CACHE[path]
    second = _second_attestations(names_dir(path))
    own = {
        n.arabic.replace(" ", ""): {v.lower() for v in n.latin} for n in (*MALE, *FEMALE, *FAMILY)
    }
    out: dict[str, list[tuple[str, int]]] = {}
    if os.path.exists(path):
        for r in _rows(path):
            try:
                c, sh = int(r["count"]), float(r["share"])
            except (TypeError, ValueError):
                continue
            lat, ar = r["latin"], r["arabic"].replace(" ", "")
            if not (c >= WD_MIN_COUNT and sh >= WD_MIN_SHARE and lat.isalpha() and lat.isascii()):
                continue
            if (ar, lat.lower()) in second or lat.lower() in own.get(ar, ()):
                out.setdefault(r["arabic"], []).append((lat.capitalize(), c))
    _WD_CACHE[path] = out
    return out


# --- consonant skeletons, to pick a place's Latin name that writes its Arabic name ---------

_AR_SKELETON = {
    "ب": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "j", "ح": "h", "ه": "h", "خ": "x",
    "د": "d", "ض": "d", "ذ": "d", "ر": "r", "ز": "z", "ظ": "z", "س": "s", "ص": "s",
    "ش": "c", "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n",
}  # fmt: skip
_LAT_DIGRAPHS = (
    ("dzh", "j"), ("dj", "j"), ("kh", "x"), ("gh", "g"), ("sh", "c"), ("ch", "c"),
    ("th", "t"), ("dh", "d"), ("ph", "f"),
)  # fmt: skip
_LAT_SKELETON = {"b": "b", "t": "t", "j": "j", "g": "j", "h": "h", "x": "x", "d": "d",
                 "r": "r", "z": "z", "s": "s", "c": "c", "f": "f", "k": "k", "q": "k",
                 "l": "l", "m": "m", "n": "n", "p": "b", "v": "f"}  # fmt: skip


def _squeeze(s: str) -> str:
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _ar_skeleton(s: str) -> str:
    return "".join(_AR_SKELETON.get(ch, "") for ch in s)


def _lat_skeleton(s: str) -> str:
    s = _squeeze(s.lower())  # a doubled letter is one consonant (shadda)
    for a, b in _LAT_DIGRAPHS:
        s = s.replace(a, b)
    if s.endswith("h") and len(s) > 2 and s[-2] in "aei":
        s = s[:-1]  # Hamah, Talbiseh: the written ta marbuta
    # a "gh" already became g, which stands for غ; a lone g is Egyptian for ج
    return "".join(_LAT_SKELETON.get(ch, "") for ch in s)


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("‘", "").replace("’", "").replace("`", "").replace("'", "")


_LAT_ARTICLES = ("al-", "el-", "as-", "ar-", "at-", "an-", "az-", "ad-", "ash-", "ad-",
                 "al ", "el ", "as ", "ar ", "at ", "an ", "az ", "ad ", "ash ", "es ", "er ",
                 "en ", "et ", "ez ", "ed ")  # fmt: skip


def _bare_latin(s: str) -> str | None:
    s = _ascii(s).strip()
    low = s.lower()
    for art in _LAT_ARTICLES:
        if low.startswith(art):
            s = s[len(art) :]
            break
    s = s.replace(" ", "").replace("-", "")
    if not s.isalpha() or not s.isascii() or len(s) < 3:
        return None
    if sum(ch in "aeiouAEIOU" for ch in s) < 0.3 * len(s):
        return None  # a consonant-only romanisation (GeoNames 'mhmbl'), not a spelling
    return s[0].upper() + s[1:].lower()


# --- nisbas --------------------------------------------------------------------------------

_AR_LETTERS = set("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي")


def _nisba_ar(word: str) -> str | None:
    """The nisba of an Arabic one-word name, with the article: حلب -> الحلبي."""
    w = word[2:] if word.startswith("ال") else word
    if len(w) < 2 or not set(w) <= _AR_LETTERS:
        return None
    if w.endswith("ية"):
        stem = w[:-2] + "ي"
    elif w.endswith(("ة", "ه")):
        stem = w[:-1] + "ي"
        if stem[-2:-1] == "ا":
            stem = stem[:-2] + "اوي"  # حماة -> حماوي
    elif w.endswith(("ا", "ى")):
        stem = w[:-1] + "اوي" if w.endswith("ا") else w[:-1] + "وي"
    elif w.endswith("اء"):
        stem = w[:-2] + "اوي"
    elif w.endswith("ي"):
        stem = w
    else:
        stem = w + "ي"
    return "ال" + stem


def _nisba_lat(word: str, arabic: str) -> str | None:
    """The Latin nisba of a Latin name, ending as :func:`_nisba_ar` ends: Hamah ->
    Hamawi, Talbiseh -> Talbisi, Homs -> Homsi."""
    w = word
    low = w.lower()
    for end in ("iyyah", "iyah", "iyeh", "iyya", "iya", "iye", "ieh", "ia", "ie", "yah", "ya"):
        if arabic.endswith("ية") and low.endswith(end) and len(low) > len(end) + 2:
            return w[: -len(end)] + "i"
    if arabic.endswith(("ة", "ه")) or arabic.endswith(("ا", "ى", "اء")):
        w = w[:-1] if low.endswith("h") else w
        low = w.lower()
        if arabic.endswith(("ا", "ى", "اء")) or arabic.endswith(("اة", "اه")):
            return w + "wi" if low.endswith(("a", "e")) else None
        return w.rstrip("aeAE") + "i" if low[-1:] in "ae" else w + "i"
    if arabic.endswith("ي"):
        return w[:-1] + "i" if low.endswith(("i", "y")) else None
    return w.rstrip("aeiouAEIOU") + "i" if low[-1:] in "aeiou" else w + "i"


def _article_forms(*spellings: str) -> tuple[str, ...]:
    """Latin spellings with the article conventions writers use: al-X, Al Y, El-X, X."""
    a, b = spellings[0], spellings[-1]
    forms = [f"al-{a}", f"Al {b}", f"El-{a}", a]
    if a[-1:] == "i":
        forms.insert(2, f"Al {a[:-1]}y")
    if len(spellings) > 1 and b != a:
        forms.append(b)
    return tuple(dict.fromkeys(forms))


#: first words of two-word place names whose nisba joins the two (تل كلخ -> التلكلخي)
_PLACE_HEADS = ("تل", "كفر", "عين", "دير", "بيت", "خان", "برج", "قصر", "رأس", "أم", "بير")


def _place_nisbas() -> list[Name]:
    """Nisbas of the gazetteer's one-word places (see the module doc)."""
    base = os.path.join(_shared_data(), "gazetteer")
    places: list[tuple[str, list[str]]] = []
    admin = os.path.join(base, "syria_admin.tsv")
    if os.path.exists(admin):
        for r in _rows(admin):
            ar = [r["name_ar"], *(a.strip() for a in r["aliases_ar"].split("|"))]
            lat = [r["name_en"], *(x.strip() for x in r["aliases_en"].split("|"))]
            places.extend((a, lat) for a in ar if a)
    geo = os.path.join(base, "syria_places_geonames.tsv")
    if os.path.exists(geo):
        for r in _rows(geo):
            ar = [a.strip() for a in r["names_ar"].split("|") if a.strip()]
            lat = [r["name"], *(x.strip() for x in r["names_latin"].split("|"))]
            places.extend((a, lat) for a in ar)
    out: dict[str, Name] = {}
    latin_seen: set[str] = set()
    for ar, lats in places:
        # a name of two words is made a nisba whole (تل كلخ -> التلكلخي, Tallkalakhi)
        words = ar.split()
        if len(words) > 2 or (
            len(words) == 2 and (words[0] not in _PLACE_HEADS or words[1].startswith("ال"))
        ):
            continue
        ar = "".join(words)
        nis = _nisba_ar(ar)
        if nis is None or nis in out:
            continue
        skel = _ar_skeleton(ar[2:] if ar.startswith("ال") else ar)
        if len(skel) < 2:
            continue
        good = []
        for lat in lats:
            bare = _bare_latin(lat)
            if bare and _lat_skeleton(bare) == skel:
                n = _nisba_lat(bare, ar)
                if n and n not in good:
                    good.append(n)
        if good and not latin_seen & {g.lower() for g in good}:
            latin_seen.update(g.lower() for g in good)
            out[nis] = Name(nis, _article_forms(*good[:2]))
    return list(out.values())


# --- names from given names ----------------------------------------------------------------


def _given_names() -> list[Name]:
    """The generator's male names, then the AKhateeb Arabic male names with attested
    Latin spellings (most labels first)."""
    out = {n.arabic: n for n in MALE}
    path = os.path.join(names_dir(), "akhateeb_arabic_name_lists.tsv")
    if os.path.exists(path):
        wd = wikidata_spellings()
        for r in _rows(path):
            ar = (r.get("arabic") or "").strip()
            if r.get("kind") != "given_male" or not ar or ar in out or " " in ar:
                continue
            sp = sorted(wd.get(ar, ()), key=lambda x: -x[1])
            if sp:
                out[ar] = Name(ar, tuple(dict.fromkeys(s for s, _ in sp[:4])))
    return list(out.values())


def _from_given(names: list[Name]) -> tuple[list[Name], ...]:
    """(Al- + given, given alone, nisba of the given name, Abu + given)."""
    al, bare, nisba, abu = [], [], [], []
    for n in names:
        ar = n.arabic.replace(" ", "")
        lat = [
            v.replace(" ", "").replace("-", "").capitalize() if v.lower().startswith("abd") else v
            for v in n.latin
        ]
        lat = [v for v in lat if v.replace("-", "").isalpha()]
        if not lat:
            continue
        if not ar.startswith("ال"):
            al.append(
                Name(
                    "ال" + ar,
                    (f"al-{lat[0]}", f"Al {lat[-1]}", f"Al{lat[0].lower()}", f"El-{lat[0]}"),
                )
            )
        bare.append(Name(n.arabic, tuple(lat[:3])))
        abu.append(Name(f"أبو {n.arabic}", (f"Abu {lat[0]}", f"Abou {lat[-1]}", f"Abo {lat[0]}")))
        if " " not in n.arabic and not ar.startswith("ال"):
            nis = _nisba_ar(ar)
            forms = [x for x in (_nisba_lat(v, ar) for v in lat[:2]) if x]
            if nis and forms and nis != "ال" + ar:
                nisba.append(Name(nis, _article_forms(*forms)))
    return al, bare, nisba, abu


_POOL: tuple[tuple[Name, str], ...] | None = None


def family_pool() -> tuple[tuple[Name, str], ...]:
    """Every family name of the pool with its kind (a key of :data:`KIND_WEIGHTS`), the
    hand-written names first; one entry per Arabic form.  Built once from the shared
    data files."""
    global _POOL
    if _POOL is None:
        al, bare, gnis, abu = _from_given(_given_names())
        seen: set[str] = set()
        out: list[tuple[Name, str]] = []
        for kind, names in (
            ("listed", FAMILY),
            ("al-given", al),
            ("trade", TRADES),
            ("given", bare),
            ("nisba", _place_nisbas()),
            ("nisba", gnis),
            ("abu", abu),
        ):
            for n in names:
                key = n.arabic.replace(" ", "")
                if key not in seen:
                    seen.add(key)
                    out.append((n, kind))
        _POOL = tuple(out)
    return _POOL


def _ranked_pool() -> tuple[list[Name], list[float]]:
    """The pool in rank order and the weight of each rank (see the module doc)."""
    pool = family_pool()
    rng = random.Random(0)  # one order for every seed: al-Ahmad is common in every sample
    # the hand-written list first, in its order; then a weighted random order of the rest
    # (Efraimidis and Spirakis: a key u ** (1 / w) per name)
    rest = [e for e in pool if e[1] != "listed"]
    keyed = sorted(rest, key=lambda e: -(rng.random() ** (1.0 / KIND_WEIGHTS[e[1]])))
    names = [n for n, k in pool if k == "listed"] + [n for n, _ in keyed]
    weights = [(r + RANK_OFFSET) ** -RANK_EXPONENT for r in range(1, len(names) + 1)]
    return names, weights


class ClanNames:
    """Family names of successive clans (see the module doc): ``draw(rng)`` returns
    ``(name, governorate or None)``: the home governorate of the name, for a clan that
    lives there, else ``None`` (the caller draws one and reports it by ``settle``)."""

    def __init__(self):
        self._names, w = _ranked_pool()
        self._cum = list(itertools.accumulate(w))
        self._home: dict[str, int] = {}

    def draw(self, rng: random.Random) -> tuple[Name, int | None]:
        name = rng.choices(self._names, cum_weights=self._cum)[0]
        home = self._home.get(name.arabic)
        return name, (home if home is not None and rng.random() < SAME_GOVERNORATE else None)

    def settle(self, name: Name, governorate: int) -> None:
        """Record a clan's governorate: the first clan of a name sets its home."""
        self._home.setdefault(name.arabic, governorate)
