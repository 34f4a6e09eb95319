"""Synthetic missing-person reports with known ground truth, for tests and benchmarks.

``generate_reports(n_persons=4000, seed=0)`` builds families (clans sharing a family name
in one governorate; grandfathers; their sons; their missing children) and then, for each
missing person, 1 to 5 reports (2.6 on average), each by a different relative.  Every
report varies as real ones do (rates per report):

* Arabic script (40 %) or one of several Latin transliterations, chosen per name, now and
  then in capitals; family names with or without the article (al-Hamwi, Al Hamawi,
  Hamwi, الحموي); 5 % of Latin reports give the family name in Arabic;
* typing errors, 6 % per name (deleted, doubled, swapped or replaced letter);
* missing fields: grandfather 35 %, mother's name 40 %, birth year 15 %, father 3 %,
  family name 2 %, date of disappearance 20 %, place 25 %;
* birth year off by one (20 %) or two (3 %); wrong governorate (4 %);
* date of disappearance off by up to a month (25 %) or up to 400 days (5 %); place of
  another kind (10 %), written in the report's script.

Many distinct persons share common names: cousins are often named after their common
grandfather (two cousins "Mohammad al-Hamwi" from Hama, with different fathers), brothers
share father, grandfather, family and mother, and clans of the same family name live in
the same governorate.  All names come from :mod:`nasab.linkage.names` (generic common
names); no real person is described.

Every report keeps the ground truth in ``person_id``.  Output is deterministic for a seed.
"""

from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass

from nasab.linkage.names import FAMILY, FEMALE, GOVERNORATES, MALE, PLACES, Name

__all__ = ["REPORT_FIELDS", "Person", "generate_persons", "generate_reports"]

#: Columns of a report, in CSV order.
REPORT_FIELDS = (
    "report_id",
    "person_id",
    "reporter_relation",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "sex",
    "birth_year",
    "governorate",
    "disappearance_date",
    "disappearance_place",
)

RELATIONS = (
    "mother",
    "father",
    "brother",
    "sister",
    "wife",
    "son",
    "daughter",
    "uncle",
    "cousin",
    "aunt",
)

_AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_LAT_LETTERS = "abdefghiklmnorstuyz"
_DATE0 = _dt.date(2011, 3, 15)
_DATE1 = _dt.date(2020, 12, 31)


@dataclass(frozen=True)
class Person:
    person_id: str
    sex: str
    given: Name
    father: Name
    grandfather: Name
    family: Name
    mother: Name
    birth_year: int
    governorate: int  # index into GOVERNORATES
    disappearance_date: _dt.date
    place: int  # index into PLACES
    unit: str = ""  # clan.grandfather.father: brothers share it, cousins its first two parts


def _zipf_weights(n: int, s: float = 0.9) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


_W_MALE = _zipf_weights(len(MALE))
_W_FEMALE = _zipf_weights(len(FEMALE))
_W_FAMILY = _zipf_weights(len(FAMILY), 0.6)


def _pick(rng: random.Random, names, weights, exclude=()) -> Name:
    while True:
        n = rng.choices(names, weights)[0]
        if n not in exclude:
            return n


def generate_persons(n_persons: int = 4000, seed: int = 0) -> list[Person]:
    """Generate ``n_persons`` missing persons in family structures (see module doc)."""
    rng = random.Random(seed)
    persons: list[Person] = []
    span = (_DATE1 - _DATE0).days
    clan = 0
    while len(persons) < n_persons:
        family = _pick(rng, FAMILY, _W_FAMILY)
        gov = rng.choices(range(len(GOVERNORATES)), [6, 5, 6, 5, 4, 4, 2, 1, 3, 1, 1, 2, 1, 1])[0]
        clan += 1
        for gi in range(rng.choice((1, 1, 2, 3))):  # grandfathers in this clan
            grandfather = _pick(rng, MALE, _W_MALE)
            sons: list[Name] = []
            for si in range(rng.choice((1, 2, 2, 3, 4))):
                father = _pick(rng, MALE, _W_MALE, exclude=(*sons, grandfather))
                sons.append(father)
                mother = _pick(rng, FEMALE, _W_FEMALE)
                kids: list[Name] = []
                years: list[int] = []
                together = rng.random() < 0.3
                base_day = rng.randrange(span)
                base_place = rng.randrange(len(PLACES))
                for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                    sex = "F" if rng.random() < 0.12 else "M"
                    if sex == "M" and grandfather not in kids and rng.random() < 0.35:
                        given = grandfather  # named after the grandfather, like his cousins
                    elif sex == "M":
                        given = _pick(rng, MALE, _W_MALE, exclude=(*kids, father))
                    else:
                        given = _pick(rng, FEMALE, _W_FEMALE, exclude=(*kids, mother))
                    kids.append(given)
                    while True:
                        y = rng.randint(1955, 2003)
                        if all(abs(y - o) >= 1 for o in years):
                            break
                    years.append(y)
                    day = base_day if together else rng.randrange(span)
                    place = base_place if together else rng.randrange(len(PLACES))
                    persons.append(
                        Person(
                            person_id=f"P{len(persons) + 1:06d}",
                            sex=sex,
                            given=given,
                            father=father,
                            grandfather=grandfather,
                            family=family,
                            mother=mother,
                            birth_year=y,
                            governorate=gov,
                            disappearance_date=_DATE0 + _dt.timedelta(days=day),
                            place=place,
                            unit=f"{clan}.{gi}.{si}",
                        )
                    )
                    if len(persons) >= n_persons:
                        return persons
    return persons


def _typo(rng: random.Random, s: str, arabic: bool) -> str:
    if len(s) < 3:
        return s
    letters = _AR_LETTERS if arabic else _LAT_LETTERS
    i = rng.randrange(1, len(s))  # first letter is rarely mistyped
    op = rng.randrange(4)
    if op == 0:
        return s[:i] + s[i + 1 :]
    if op == 1:
        return s[:i] + s[i] + s[i:]
    if op == 2 and i < len(s) - 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    return s[:i] + rng.choice(letters) + s[i + 1 :]


def _latin_variant(rng: random.Random, name: Name, family: bool) -> str:
    v = rng.choices(name.latin, _zipf_weights(len(name.latin), 1.0))[0]
    if family and rng.random() < 0.15:
        # article conventions vary per writer
        bare = v
        for art in ("al-", "el-", "en-", "al ", "el "):
            if bare.lower().startswith(art):
                bare = bare[len(art) :]
        v = rng.choice((f"Al {bare}", f"al-{bare}", f"El-{bare}", bare))
    if rng.random() < 0.1:
        v = v.upper() if rng.random() < 0.5 else v.lower()
    return v


def _render(rng: random.Random, name: Name, arabic: bool, family: bool, p_typo: float) -> str:
    if arabic:
        s = name.arabic
        if family and s.startswith("ال") and rng.random() < 0.1:
            s = s[2:]
        if rng.random() < 0.1:
            s = s.replace("ا", "أ", 1) if s.startswith("ا") else s  # hamza written or not
        if rng.random() < 0.05:
            s = s.replace("ه", "ة") if s.endswith("ه") else s
    else:
        s = _latin_variant(rng, name, family)
    if rng.random() < p_typo:
        s = _typo(rng, s, arabic)
    return s


def _report(rng: random.Random, p: Person, relation: str, n: int) -> dict:
    arabic = rng.random() < 0.4
    # A report in Latin sometimes gives one name (often the family name) in Arabic.
    mixed = not arabic and rng.random() < 0.05

    def name(nm: Name, family: bool = False, p_missing: float = 0.0) -> str | None:
        if rng.random() < p_missing:
            return None
        ar = arabic or (mixed and family)
        return _render(rng, nm, ar, family, p_typo=0.06)

    by = p.birth_year
    r = rng.random()
    if r < 0.2:
        by += rng.choice((-1, 1))
    elif r < 0.23:
        by += rng.choice((-2, 2))
    birth_year = None if rng.random() < 0.15 else by

    gov = p.governorate
    if rng.random() < 0.04:
        gov = rng.randrange(len(GOVERNORATES))

    date: str | None
    r = rng.random()
    if r < 0.2:
        date = None
    else:
        d = p.disappearance_date
        if r < 0.45:
            d = d + _dt.timedelta(days=rng.randint(-30, 30))
        elif r < 0.5:
            d = d + _dt.timedelta(days=rng.randint(-400, 400))
        date = d.isoformat()

    place: str | None
    if rng.random() < 0.25:
        place = None
    else:
        pl = p.place if rng.random() > 0.1 else rng.randrange(len(PLACES))
        en, ar = PLACES[pl]
        g_en, g_ar = GOVERNORATES[gov]
        place = f"{ar} {g_ar}" if arabic else f"{en}, {g_en}"

    return {
        "report_id": f"R{n:07d}",
        "person_id": p.person_id,
        "reporter_relation": relation,
        "given_name": name(p.given),
        "father_name": name(p.father, p_missing=0.03),
        "grandfather_name": name(p.grandfather, p_missing=0.35),
        "family_name": name(p.family, family=True, p_missing=0.02),
        "mother_name": name(p.mother, p_missing=0.4),
        "sex": p.sex,
        "birth_year": birth_year,
        "governorate": GOVERNORATES[gov][0],
        "disappearance_date": date,
        "disappearance_place": place,
    }


def generate_reports(n_persons: int = 4000, seed: int = 0) -> list[dict]:
    """Generate reports of ``n_persons`` persons (1 to 5 each, about 2.6 on average).

    The default gives about 10,000 reports of 4,000 persons.  The list is shuffled
    (reports of one person are not adjacent).  Deterministic for a given ``seed``.
    """
    rng = random.Random(seed + 1)
    persons = generate_persons(n_persons, seed)
    counts = (1, 2, 3, 4, 5)
    w = [0.18, 0.3, 0.3, 0.16, 0.06]  # mean 2.62
    reports: list[dict] = []
    for p in persons:
        k = rng.choices(counts, w)[0]
        for rel in rng.sample(RELATIONS, k):
            reports.append(_report(rng, p, rel, len(reports) + 1))
    rng.shuffle(reports)
    return reports


# --- reports as families and intake staff write them (issue 18) --------------------------
#
# Independence from the matcher: the names and spellings below come from the generator's
# own lists (:mod:`nasab.linkage.names`), from the Latin spellings that Wikidata person
# labels give each Arabic name (shared/data/names/wikidata_merhav2018_ar_latin_tokens.tsv,
# read only here) and from the variant rules of this section (nicknames, kunyas,
# abbreviations, place spellings).  The matcher never reads that file, nor this section:
# it knows names by its hand-written lexicon (:mod:`nasab.linkage.lexicon`) and the
# generic phonetic rules of :mod:`nasab.linkage.normalise`.  Places are drawn from the
# generator's own spellings below and from GeoNames alternate names, which the matcher's
# gazetteer also uses (partly shared: stated in the benchmark's notes).

INTAKE_FIELDS = (*REPORT_FIELDS, "full_name", "variants", "unit", "parent_person")

#: rates of each kind of variant, per report (or per person, where said)
VARIANT_RATES = {
    "full-name-only": 0.12,  # only a free-text full name (PFIF, many forms)
    "father-skipped": 0.25,  # of full names with four parts: the father's name left out
    "given-box-father": 0.04,  # given-name box also holds the father's name
    "kunya": 0.06,  # of reports of men born before 1986: "Abu X" instead of the given name
    "nickname": 0.06,  # of reports whose given name has a nickname in the table below
    "compound": 0.10,  # of men (per person): a compound name Mohammad X
    "mother-family": 0.25,  # mother's name with her family name
    "typo": 0.04,  # per name: one letter slipped
    "year-off": 0.04,  # birth year 3 to 6 years off
    "place-variant": 0.5,  # governorate or town in another script or spelling
    "son-missing": 0.04,  # of men born before 1975 (per person): a missing son too
}

# Nicknames as the generator writes them (Arabic, Latin spellings), by Arabic name.
_GEN_NICKNAMES = {
    "محمد": (("حمودة", "Hamoudeh"), ("حمودي", "Hammoudi"), ("حمادة", "Hamada")),
    "أحمد": (("حمودة", "Hamouda"),),
    "محمود": (("حمودي", "Hamoudi"),),
    "عبد الله": (("عبود", "Abboud"), ("عبودي", "Aboudi")),
    "عبد الرحمن": (("عبود", "Abboud"), ("عبدو", "Abdo")),
    "عبد الكريم": (("عبدو", "Abdou"),),
    "فاطمة": (("فطوم", "Fattoum"),),
    "خديجة": (("خدوج", "Khaddouj"),),
}
_MHD_FORMS = ("Mhd", "Mhd.", "Moh.", "Mohd", "M.")

# Places as people write them: (governorate index, spellings) and towns per governorate.
_GOV_SPELLINGS = {
    0: ("دمشق", "محافظة دمشق", "الشام", "Damascus", "Damas", "Dimashq", "Sham"),
    1: ("ريف دمشق", "ريف الشام", "Rif Dimashq", "rif damascus", "Rural Damascus", "Reef Dimashq"),
    2: ("حلب", "محافظة حلب", "Aleppo", "Alep", "Halab", "Haleb"),
    3: ("حمص", "محافظة حمص", "Homs", "Hims"),
    4: ("حماة", "حماه", "محافظة حماة", "Hama", "Hamah", "Hamat"),
    5: ("إدلب", "ادلب", "Idlib", "Idleb", "Edlib"),
    6: ("اللاذقية", "Latakia", "Lattakia"),
    7: ("طرطوس", "Tartus", "Tartous"),
    8: ("درعا", "Daraa", "Deraa", "Dar'a"),
    9: ("السويداء", "As-Suwayda", "Sweida"),
    10: ("القنيطرة", "Quneitra", "Qunaitra"),
    11: ("دير الزور", "ديرالزور", "Deir ez-Zor", "Deir Ezzor", "Dayr az-Zawr"),
    12: ("الرقة", "Raqqa", "Ar-Raqqah", "Rakka"),
    13: ("الحسكة", "Al-Hasakah", "Hasakeh", "Hassakeh"),
}
_TOWNS = {
    3: (
        ("الوعر", "Al-Waer", "Waer"),
        ("تلبيسة", "Talbiseh", "Talbisa"),
        ("الرستن", "Rastan", "Al-Rastan"),
    ),
    1: (("دوما", "Douma", "Duma"), ("داريا", "Darayya", "Daraya"), ("الزبداني", "Zabadani")),
    2: (("منبج", "Manbij", "Menbij"), ("الباب", "Al-Bab", "al Bab")),
    5: (
        ("جسر الشغور", "Jisr al-Shughur", "Jisr ash-Shughur"),
        ("معرة النعمان", "Maarat al-Numan", "Ma'arrat an-Nu'man"),
    ),
    4: (("السلمية", "Salamiyah", "Salamieh"),),
    8: (("بصرى الشام", "Busra al-Sham", "Bosra"), ("نوى", "Nawa")),
}

_WD_CACHE: dict[str, dict[str, list[tuple[str, int]]]] = {}


def _wikidata_spellings(path: str | None) -> dict[str, list[tuple[str, int]]]:
    """Arabic token -> [(Latin spelling, count)] from the Wikidata pairs (count >= 3 and
    share >= 3 %, which drops the noisy alignments)."""
    import csv
    import os

    path = path or os.environ.get(
        "NASAB_NAMES_WIKIDATA", "/work/shared/data/names/wikidata_merhav2018_ar_latin_tokens.tsv"
    )
    if path in _WD_CACHE:
        return _WD_CACHE[path]
    out: dict[str, list[tuple[str, int]]] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            rows = csv.DictReader((x for x in f if not x.startswith("#")), delimiter="\t")
            for r in rows:
                try:
                    c, sh = int(r["count"]), float(r["share"])
                except (TypeError, ValueError):
                    continue
                if c >= 3 and sh >= 0.03 and r["latin"].isalpha() and r["latin"].isascii():
                    out.setdefault(r["arabic"], []).append((r["latin"].capitalize(), c))
    _WD_CACHE[path] = out
    return out


def _latin_of(rng: random.Random, arabic: str, name: Name | None, wd) -> str:
    words = arabic.split()
    cands = wd.get(arabic.replace(" ", "")) or (wd.get(arabic) if len(words) == 1 else None)
    if cands and rng.random() < 0.7:
        return rng.choices([c for c, _ in cands], [n for _, n in cands])[0]
    if name is not None:
        return rng.choices(name.latin, _zipf_weights(len(name.latin), 1.0))[0]
    return arabic


def generate_intake_reports(
    n_persons: int = 3000, seed: int = 0, names_path: str | None = None
) -> list[dict]:
    """Reports written as families and intake staff write them, with ground truth.

    Persons as :func:`generate_persons` (families, brothers, cousins named after their
    grandfather), plus compound names and missing sons (a father and his son: names one
    generation apart).  Each report carries ``variants``: the kinds of variant it holds
    (keys of :data:`VARIANT_RATES`), ``unit`` (brothers share it) and ``parent_person``
    (the missing father of a missing son).  Deterministic for a seed.
    """
    rng = random.Random(seed + 7)
    wd = _wikidata_spellings(names_path)
    base = generate_persons(n_persons, seed)
    persons: list[tuple[Person, str, str]] = []  # person, compound second part, parent
    by_name = {n.arabic: n for n in (*MALE, *FEMALE)}
    sons_of: dict[str, Name] = {}
    for p in base:
        second = ""
        if p.sex == "M" and rng.random() < VARIANT_RATES["compound"] and p.given.arabic != "محمد":
            second = p.given.arabic
            p = Person(**{**p.__dict__, "given": by_name["محمد"]})
        persons.append((p, second, ""))
        if p.sex == "M" and p.birth_year < 1975 and rng.random() < VARIANT_RATES["son-missing"]:
            son_name = _pick(rng, MALE, _W_MALE, exclude=(p.given, p.father))
            son = Person(
                person_id=p.person_id + "S",
                sex="M",
                given=son_name,
                father=p.given,
                grandfather=p.father,
                family=p.family,
                mother=_pick(rng, FEMALE, _W_FEMALE),
                birth_year=p.birth_year + rng.randint(22, 34),
                governorate=p.governorate,
                disappearance_date=p.disappearance_date,
                place=p.place,
                unit=p.unit + ".son",
            )
            sons_of[p.person_id] = son_name
            persons.append((son, "", p.person_id))
    reports: list[dict] = []
    for p, second, parent in persons:
        k = rng.choices((1, 2, 3, 4, 5), [0.18, 0.3, 0.3, 0.16, 0.06])[0]
        for rel in rng.sample(RELATIONS, k):
            reports.append(
                _intake_report(
                    rng, p, second, parent, sons_of.get(p.person_id), rel, len(reports) + 1, wd
                )
            )
    rng.shuffle(reports)
    return reports


class _Renderer:
    """Names of one report as its writer writes them (one script, slips noted)."""

    def __init__(self, rng, arabic: bool, wd):
        self.rng, self.arabic, self.wd = rng, arabic, wd
        self.variants: list[str] = []

    def __call__(self, arabic_name: str, name: Name | None, family: bool = False) -> str:
        rng = self.rng
        if self.arabic:
            s = arabic_name
            if family and s.startswith("ال") and rng.random() < 0.1:
                s = s[2:]
        elif family and name is not None:
            s = _latin_variant(rng, name, True)
        else:
            s = _latin_of(rng, arabic_name, name, self.wd)
        if rng.random() < VARIANT_RATES["typo"]:
            s = _typo(rng, s, self.arabic)
            self.variants.append("typo")
        return s


def _given_text(render: _Renderer, p: Person, second: str, son: Name | None) -> str:
    rng, arabic, variants = render.rng, render.arabic, render.variants
    by_name = {x.arabic: x for x in (*MALE, *FEMALE)}
    if second:
        variants.append("compound")
        r = rng.random()
        sec = render(second, by_name.get(second))
        if r < 0.45:
            given = f"{render('محمد', by_name['محمد'])} {sec}"
        elif r < 0.7:
            given = f"{'م.' if arabic else rng.choice(_MHD_FORMS)} {sec}"
        else:
            given = sec
    else:
        nick = _GEN_NICKNAMES.get(p.given.arabic)
        if nick and rng.random() < VARIANT_RATES["nickname"]:
            ar, lat = rng.choice(nick)
            given = ar if arabic else lat
            variants.append("nickname")
        else:
            given = render(p.given.arabic, p.given)
    if p.sex == "M" and p.birth_year < 1986 and rng.random() < VARIANT_RATES["kunya"]:
        son_name = son or p.father  # the eldest son is often named after his grandfather
        abu = "أبو" if arabic else rng.choice(("Abu", "Abou", "Abo"))
        given = f"{abu} {son_name.arabic if arabic else _latin_of(rng, son_name.arabic, son_name, render.wd)}"
        variants.append("kunya")
    return given


def _mother_text(render: _Renderer, p: Person) -> str | None:
    rng = render.rng
    if rng.random() <= 0.4:
        return None
    mother = render(p.mother.arabic, p.mother)
    if rng.random() < VARIANT_RATES["mother-family"]:
        fam2 = rng.choice(FAMILY)
        mother = f"{mother} {render(fam2.arabic, fam2, family=True)}"
        render.variants.append("mother-family")
    return mother


def _birth_year_text(rng, p: Person, variants: list[str]) -> int | None:
    by = p.birth_year
    r = rng.random()
    if r < 0.2:
        by += rng.choice((-1, 1))
    elif r < 0.23:
        by += rng.choice((-2, 2))
    elif r < 0.23 + VARIANT_RATES["year-off"]:
        by += rng.choice((-1, 1)) * rng.randint(3, 6)
        variants.append("year-off")
    return None if rng.random() < 0.15 else by


def _governorate_text(rng, p: Person, arabic: bool, variants: list[str]) -> str:
    gov = p.governorate
    if rng.random() < 0.04:
        gov = rng.randrange(len(GOVERNORATES))
    if rng.random() < VARIANT_RATES["place-variant"]:
        opts = _GOV_SPELLINGS[gov]
        ar_opts = [o for o in opts if "\u0600" <= o[0] <= "\u06ff"]
        la_opts = [o for o in opts if o not in ar_opts]
        variants.append("place-variant")
        return rng.choice(ar_opts if arabic else la_opts)
    return GOVERNORATES[gov][1] if arabic else GOVERNORATES[gov][0]


def _date_text(rng, p: Person) -> str | None:
    r = rng.random()
    if r < 0.2:
        return None
    d = p.disappearance_date
    if r < 0.45:
        d = d + _dt.timedelta(days=rng.randint(-30, 30))
    elif r < 0.5:
        d = d + _dt.timedelta(days=rng.randint(-400, 400))
    return d.isoformat()


def _place_text(rng, p: Person, arabic: bool, gov_text: str) -> str | None:
    if rng.random() <= 0.25:
        return None
    pl = p.place if rng.random() > 0.1 else rng.randrange(len(PLACES))
    en, ar = PLACES[pl]
    towns = _TOWNS.get(p.governorate)
    if towns:
        t = towns[int(p.person_id[1:7]) % len(towns)]
        ttxt = t[0] if arabic else rng.choice(t[1:])
    else:
        ttxt = gov_text
    return f"{ar} {ttxt}" if arabic else f"{en}, {ttxt}"


def _shape(rng, rep: dict, names: tuple, variants: list[str]) -> None:
    """The form's shape: a full name only (father skipped or not), the father's name
    in the given-name box, or the five boxes."""
    given, father, grandfather, family = names
    r = rng.random()
    if r < VARIANT_RATES["full-name-only"]:
        parts = [given, father, grandfather, family]
        if father and grandfather and rng.random() < VARIANT_RATES["father-skipped"]:
            parts = [given, grandfather, family]
            variants.append("father-skipped")
        rep["full_name"] = " ".join(x for x in parts if x)
        for k in ("given_name", "father_name", "grandfather_name", "family_name"):
            rep[k] = None
        variants.append("full-name-only")
    elif father and r < VARIANT_RATES["full-name-only"] + VARIANT_RATES["given-box-father"]:
        rep["given_name"] = f"{given} {father}"
        rep["father_name"] = None
        variants.append("given-box-father")


def _intake_report(
    rng, p: Person, second: str, parent: str, son: Name | None, relation: str, n: int, wd
) -> dict:
    arabic = rng.random() < 0.4
    render = _Renderer(rng, arabic, wd)
    variants = render.variants
    given = _given_text(render, p, second, son)
    father = render(p.father.arabic, p.father) if rng.random() > 0.03 else None
    grandfather = render(p.grandfather.arabic, p.grandfather) if rng.random() > 0.35 else None
    family = render(p.family.arabic, p.family, family=True) if rng.random() > 0.02 else None
    mother = _mother_text(render, p)
    birth_year = _birth_year_text(rng, p, variants)
    gov_text = _governorate_text(rng, p, arabic, variants)
    date = _date_text(rng, p)
    place = _place_text(rng, p, arabic, gov_text)
    rep = {
        "report_id": f"R{n:07d}", "person_id": p.person_id, "reporter_relation": relation,
        "given_name": given, "father_name": father, "grandfather_name": grandfather,
        "family_name": family, "mother_name": mother, "sex": p.sex, "birth_year": birth_year,
        "governorate": gov_text, "disappearance_date": date, "disappearance_place": place,
        "full_name": None, "unit": p.unit, "parent_person": parent,
    }  # fmt: skip
    _shape(rng, rep, (given, father, grandfather, family), variants)
    rep["variants"] = ";".join(dict.fromkeys(variants))
    return rep
