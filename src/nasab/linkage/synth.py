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
share father, grandfather, family and mother.  A clan's family name is drawn from the
synthetic pool of :mod:`nasab.linkage.family_names` (nisbas of the gazetteer's towns,
Al- + a given name, trades ...; about 900 names) by a heavy-tailed rank-size law, clans
of one name often in one governorate (law, parameters and rationale in that module).  Given names come from :mod:`nasab.linkage.names`
(generic common names); no real person is described.

Every report keeps the ground truth in ``person_id``.  Output is deterministic for a seed.
"""

from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass

from nasab.linkage.family_names import ClanNames
from nasab.linkage.names import FEMALE, GOVERNORATES, MALE, PLACES, Name

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
_W_GOVERNORATE = [6, 5, 6, 5, 4, 4, 2, 1, 3, 1, 1, 2, 1, 1]


def _pick(rng: random.Random, names, weights, exclude=()) -> Name:
    while True:
        n = rng.choices(names, weights)[0]
        if n not in exclude:
            return n


#: how the children of one father are spread over the years: ``spread``, each born in
#: any year from 1955 to 2003 (no two the same year); ``close``, the first in any year
#: from 1955 to 1998 and each next one to four years after the one before (birth
#: intervals as families have them: a stress test for rules that tell brothers apart
#: by birth years)
SIBLING_SPACINGS = ("spread", "close")


def generate_persons(
    n_persons: int = 4000, seed: int = 0, *, siblings: str = "spread"
) -> list[Person]:
    """Generate ``n_persons`` missing persons in family structures (see module doc);
    ``siblings``: one of :data:`SIBLING_SPACINGS`."""
    if siblings not in SIBLING_SPACINGS:
        raise ValueError(f"siblings: {siblings!r} is none of {', '.join(SIBLING_SPACINGS)}")
    rng = random.Random(seed)
    persons: list[Person] = []
    span = (_DATE1 - _DATE0).days
    clan = 0
    clan_names = ClanNames()
    while len(persons) < n_persons:
        family, gov = clan_names.draw(rng)
        if gov is None:
            gov = rng.choices(range(len(GOVERNORATES)), _W_GOVERNORATE)[0]
        clan_names.settle(family, gov)
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
                    y = _birth_year(rng, years, siblings)
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


def _birth_year(rng: random.Random, years: list[int], siblings: str) -> int:
    """The birth year of a father's next child, after those born in ``years``."""
    if siblings == "close":
        return max(years) + rng.randint(1, 4) if years else rng.randint(1955, 1998)
    while True:
        y = rng.randint(1955, 2003)
        if all(abs(y - o) >= 1 for o in years):
            return y


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
    if family and not v.lower().startswith(("abu ", "abou ", "abo ")) and rng.random() < 0.15:
        # article conventions vary per writer (an "Abu X" family name takes none)
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
