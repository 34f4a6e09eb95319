"""Synthetic reports as families and intake staff write them (issue 18), with known ground
truth: ``generate_intake_reports`` draws the persons of :func:`nasab.linkage.synth.generate_persons`
and writes their reports with the variants of real intake (full name in one box, nicknames,
kunyas, abbreviations, Latin spellings, place spellings) at the rates of ``VARIANT_RATES``."""

from __future__ import annotations

import datetime as _dt
import random

from nasab.linkage.family_names import family_pool, wikidata_spellings
from nasab.linkage.names import FEMALE, GOVERNORATES, MALE, PLACES, Name
from nasab.linkage.synth import (
    _W_FEMALE,
    _W_MALE,
    RELATIONS,
    REPORT_FIELDS,
    Person,
    _latin_variant,
    _pick,
    _typo,
    _zipf_weights,
    generate_persons,
)

# --- reports as families and intake staff write them (issue 18) --------------------------
#
# Independence from the matcher: the names and spellings below come from the generator's
# own lists (:mod:`nasab.linkage.names`; family names: :mod:`nasab.linkage.family_names`,
# built by rule from the gazetteer and the name files), from the Latin spellings that
# Wikidata person labels give each Arabic name
# (shared/data/names/wikidata_merhav2018_ar_latin_tokens.tsv, read only by the generator)
# and from the variant rules of this section (nicknames, kunyas, abbreviations, place
# spellings).  The matcher never reads those files' names, nor this section:
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

_NAME_FORMS: dict[str, str] = {}


def _latin_of(rng: random.Random, arabic: str, name: Name | None, wd) -> str:
    words = arabic.split()
    cands = wd.get(arabic.replace(" ", "")) or (wd.get(arabic) if len(words) == 1 else None)
    if cands and rng.random() < 0.7:
        return rng.choices([c for c, _ in cands], [n for _, n in cands])[0]
    if name is not None:
        return rng.choices(name.latin, _zipf_weights(len(name.latin), 1.0))[0]
    return arabic


def generate_intake_reports(
    n_persons: int = 3000,
    seed: int = 0,
    names_path: str | None = None,
    *,
    siblings: str = "spread",
) -> list[dict]:
    """Reports written as families and intake staff write them, with ground truth.

    Persons as :func:`generate_persons` (families, brothers, cousins named after their
    grandfather), plus compound names and missing sons (a father and his son: names one
    generation apart).  Each report carries ``variants``: the kinds of variant it holds
    (keys of :data:`VARIANT_RATES`), ``unit`` (brothers share it) and ``parent_person``
    (the missing father of a missing son).  ``siblings``: how brothers' birth years
    are spread (:data:`nasab.linkage.synth.SIBLING_SPACINGS`).  Deterministic for a
    seed.
    """
    global _NAME_FORMS
    rng = random.Random(seed + 7)
    wd = wikidata_spellings(names_path)
    if not _NAME_FORMS:
        _NAME_FORMS = _name_forms()
    base = generate_persons(n_persons, seed, siblings=siblings)
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


def _name_forms() -> dict[str, str]:
    """Every written form of the generator's names (Arabic, its own Latin spellings and
    the trusted Wikidata ones), case-folded without spaces -> the name's Arabic form."""
    out: dict[str, str] = {}
    for n in (*MALE, *FEMALE):
        key = n.arabic.replace(" ", "")
        for form in (n.arabic, *n.latin):
            out.setdefault(form.replace(" ", "").casefold(), key)
    for ar, spellings in wikidata_spellings(None).items():
        if ar.replace(" ", "") in {n.arabic.replace(" ", "") for n in (*MALE, *FEMALE)}:
            for lat, _ in spellings:
                out.setdefault(lat.casefold(), ar.replace(" ", ""))
    return out


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
            s = self._slip(s, arabic_name)
        return s

    def _slip(self, s: str, arabic_name: str) -> str:
        """``s`` with one letter slipped, never into another name of the generator's
        tables (حسين -> حسن, محمود -> محمد, Samir -> Samer): such a slip writes a
        different name, which no reader can tell from a relative's, so it is not a typo
        variant the benchmark can score.  Up to five tries, else written without a slip."""
        for _ in range(5):
            t = _typo(self.rng, s, self.arabic)
            other = _NAME_FORMS.get(t.replace(" ", "").casefold())
            if other is None or other == arabic_name.replace(" ", ""):
                self.variants.append("typo")
                return t
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
        fam2 = rng.choice(family_pool())[0]
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


__all__ = ["INTAKE_FIELDS", "VARIANT_RATES", "generate_intake_reports"]
