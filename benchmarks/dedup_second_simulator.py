"""An independent simulator of duplicate missing-person reports, and a check of `nasab dedup` on it.

Written without reading nasab's own generators nor its matcher (by a helper told not to open
them), so that the matcher is tried on reports it was not written for. Names: hand lists of common
Arabic names below, plus a tail from ../shared/data/names (AKhateeb lists, Latin forms from the
Wikidata token table); places from ../shared/data/gazetteer. Persons are random combinations of
common names. It runs `nasab dedup` as a user would, through the command line; from nasab it
imports only the function that says where the published data lie.

Population. A clan has one family name, home governorate (GOV_WEIGHT) and town (weight
sqrt(population)); 1 grandfather (70%) or 2 (30%), each with 2-5 sons (fathers), the first named
after the grandfather's own father 40%. A household has 1-6 sons (weights .10 .25 .25 .20 .12 .08)
and 0-3 daughters (.30 .35 .25 .10), the first born 20-35 years after the father, then 1-6 years
apart; the eldest son is named after the paternal grandfather 50%; the mother is of the husband's
family 20%. 45% of households lose sons: 1 (60%), 2 (25%), 3 (10%), 4 (3%) or 5 (2%) of those born
<= 1998; then also the father 8%, the mother 3%, each daughter 6%. Disappearance date: the
household's event day 35%, 1-60 days from it 25%, else its own (2011-03-15..2019, YEAR_WEIGHT);
place: home town 60%, the governorate's largest town 25%, Damascus 15%. Names: tail 15% of draws
(male and female); a drawn single male name other than Mohammad becomes "Mohammad X" 10%; a son's
last name token differs from his father's and brothers' (and a father's from the grandfather's). A
missing man born <= 1990 has an eldest son 65%, named after the man's father 45%; a missing father's
eldest son is his real first son. Kunya = Abu + eldest son's name. Nicknames: Hamoudeh (Mohammad,
Mahmoud, Ahmad), Abboud (Abd-names), Barhoum (Ibrahim), Alloush (Ali), Hassoun (Hassan).

Reports: 1-5 per person (weights .17 .30 .27 .16 .10, mean 2.72), each by a different reporter.
Kind: draw weight, P(Arabic script), P(free-text full name only), P(kunya, for a man with an eldest
son), P(nickname, where one exists):
    mother .24 .85 .15 .03 .15 | father .07 .75 .12 .02 .05 | spouse .12 .75 .15 .08 .05
    brother .15 .55 .12 .05 .05 | cousin .07 .55 .15 .10 .06 | neighbour .05 .70 .25 .20 .10
    ngo_a .12 .10 .05 .02 .01 | ngo_b .12 .90 .05 .02 .01 | ngo_c .06 .50 .70 .03 .02
A family reporter is one person per household (cousin: per grandfather; spouse: per man) who keeps
script, spellings and full-name habit for everyone they report; NGO forms draw afresh per report.
Reporter habits: grandfather box blank 35% (NGO 15%); Abd-names joined (عبدالكريم) 30%; Latin
spelling of a name: its commonest form 55%, else another (Mohammad/Mohammed/Muhammad/Mohamad/
Mohamed/Mhd/Mhd.); Latin family article: al- 30%, none 25%, Al- 15%, "Al " 12%, el- 10%, Alx 8%;
Arabic spelling variant of a name (ة/ه, ى/ي, hamza dropped or added) 12%; family ال dropped 15%.
Per report: full-name form: father skipped 20% (grandfather in his place in 25% of those), "X bin
Y" 12% (Latin ibn 20%), family name first 12%, else plain; grandfather included 40%. Box reports:
given box = "given father" 5% (father box then blank 50%), father box blank 3%, family box blank
3%. Compound names written short (X only) 30%. One-letter typing slip in one name 6%; tatweel 1%;
diacritics 2%. Birth year blank 20%, off by 1 12%, off by 2-5 3%. Date blank 25%, off 1-10 days
12%, off 2-8 weeks 5%. Governorate blank 6%, common form 50% else another spelling or محافظة X;
place blank 12%, common form 60%; either in the other script 8%. Mother blank 30%, with her family
name in 50% of the rest. Sex blank 10%.

Usage: python benchmarks/dedup_second_simulator.py --persons 3000 --seed 1 [--workdir D] [--keep]
"""

import argparse
import csv
import datetime as dt
import difflib
import itertools
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace as NS

from nasab.engine.frequencies import shared_data_dir

MALE = """
محمد|Mohammad,Mohammed,Muhammad,Mohamad,Mohamed,Mhd,Mhd.|40 أحمد|Ahmad,Ahmed|18
محمود|Mahmoud,Mahmood,Mahmud|10 خالد|Khaled,Khalid|8 عمر|Omar,Umar|7 علي|Ali,Aly|8
حسين|Hussein,Husain,Hussain,Husein|6 حسن|Hassan,Hasan|6 مصطفى|Mustafa,Moustafa,Mostafa|6
إبراهيم|Ibrahim,Ebrahim|6 يوسف|Yousef,Yusuf,Youssef,Yousif|6
عبد_الله|Abdullah,Abdallah,Abdulla,Abd_Allah|8 ياسر|Yaser,Yasser,Yasir|4 سامر|Samer|3
بسام|Bassam,Basam|3 وليد|Walid,Waleed|4 فادي|Fadi,Fady|3 رامي|Rami,Ramy|3 عمار|Ammar,Amar|4
ماهر|Maher,Mahir|3 مازن|Mazen,Mazin|3 هشام|Hisham,Hesham|3 جمال|Jamal,Gamal|3 أيمن|Ayman,Aiman|3
طارق|Tareq,Tarek,Tariq|3 أنس|Anas|3 بلال|Bilal,Belal|3 حمزة|Hamza,Hamzeh,Hamzah|4
عبيدة|Obaida,Ubaida,Obaydah|3 مهند|Mohannad,Muhannad|3 معاذ|Moaz,Muaz,Muath|3 فراس|Firas,Feras|3
غسان|Ghassan,Ghasan|2 عدنان|Adnan|3 مروان|Marwan|3 رضوان|Radwan,Ridwan|2 صالح|Saleh,Salih|3
سليمان|Suleiman,Sulaiman,Sleiman,Soliman|3 عيسى|Issa,Eisa,Isa|2 موسى|Mousa,Musa,Moussa|3
عادل|Adel,Adil|2 فيصل|Faisal,Feisal,Faysal|2 ناصر|Nasser,Naser,Nasir|2 عماد|Imad,Emad|2
وائل|Wael,Wa'el|2 إياد|Iyad,Eyad,Ayad|2 سعيد|Saeed,Said,Saed|3 ماجد|Majed,Majid|2
شادي|Shadi,Shady|2 خليل|Khalil,Khaleel|3 جهاد|Jihad,Jehad|2 يونس|Younes,Yunus,Younis|2
قاسم|Qasem,Kassem,Qassim|2 جمعة|Jumaa,Jumah,Jomaa|2 رمضان|Ramadan,Ramadhan|2 صبحي|Subhi,Sobhi|2
حامد|Hamed,Hamid|2 عثمان|Othman,Osman,Uthman|2 أسامة|Osama,Usama,Ousama|3 هيثم|Haitham,Haytham|2
نبيل|Nabil,Nabeel|2 حسام|Hussam,Husam,Hosam|3 علاء|Alaa,Ala'a|3 زياد|Ziad,Ziyad|2
رياض|Riad,Riyad,Riyadh|2 نزار|Nizar,Nezar|2 فواز|Fawaz,Fawwaz|2 سامي|Sami,Samy|2
"""
FEMALE = """
فاطمة|Fatima,Fatma,Fatmeh|8 مريم|Mariam,Maryam,Mariyam|5 عائشة|Aisha,Aysha,Aicha|4
خديجة|Khadija,Khadijeh,Khadeejah|4 زينب|Zainab,Zeinab,Zaynab|3 نور|Nour,Noor|3 هدى|Huda,Hoda|3
سميرة|Samira,Sameera|3 أمينة|Amina,Amineh|3 ريم|Reem,Rim|2 سعاد|Suad,Souad|2
ليلى|Laila,Layla,Leila|3 منى|Mona,Muna|3 رشا|Rasha|2 سلمى|Salma,Selma|2 نادية|Nadia,Nadya|2
وفاء|Wafaa,Wafa|2 حليمة|Halima,Halimeh|2 أسماء|Asmaa,Asma|3 إيمان|Iman,Eman|3 آمنة|Amna,Amneh|2
غادة|Ghada|2 بشرى|Bushra,Boushra|2 سهام|Siham,Seham|2
"""
FAMILY = """
الحسن|Hassan,Hasan|3 الأحمد|Ahmad,Ahmed|3 العلي|Ali|3 الخطيب|Khatib,Khateeb|2 المصري|Masri,Masry|2
الحلبي|Halabi|2 الشامي|Shami|2 الحموي|Hamwi,Hamawi|2 الكردي|Kurdi|2 الحمصي|Homsi,Hemsi|2
الحوراني|Hourani,Horani|2 الزعبي|Zoubi,Zu'bi,Zoabi|2 المحمد|Mohammad,Mohammed,Muhammad|3
العمر|Omar|2 الخليل|Khalil|2 الصالح|Saleh|2 الحسين|Hussein,Hussain|2 الجاسم|Jassem,Jasim|2
العبدالله|Abdullah,Abdallah|2 النجار|Najjar,Najar|2 الشيخ|Sheikh,Shaikh|2 الرفاعي|Rifai,Refai|2
الأسعد|Asaad,As'ad|2 العبيد|Obeid,Ubaid|2 حداد|Haddad|2 درويش|Darwish,Darweesh|2
منصور|Mansour,Mansur|2 حمدان|Hamdan|2 خليفة|Khalifa,Khalifeh|2 سليمان|Suleiman,Sleiman|2
قدور|Kaddour,Qaddour|1 عثمان|Othman,Osman|2 حجازي|Hijazi,Hegazi|1 شحادة|Shehadeh,Shahada|2
عبود|Abboud,Aboud|1 بركات|Barakat|2 مراد|Murad,Mourad|1
"""
ABD = """رحمن:Rahman:6 كريم:Karim:4 قادر:Qader:4 رزاق:Razzaq:2 سلام:Salam:2 لطيف:Latif:2
مجيد:Majid:2 ناصر:Nasser:2 وهاب:Wahab:2 حميد:Hamid:2 عزيز:Aziz:2 غني:Ghani:2 رحيم:Rahim:1
جليل:Jalil:1 فتاح:Fattah:1"""
# given name (عبد = every Abd-name) : nickname : its Latin spellings
NICK = """محمد:حمودة:Hamoudeh,Hammoudeh,Hamoudi محمود:حمودة:Hamoudeh,Hammoudeh,Hamoudi
أحمد:حمودة:Hamoudeh,Hammoudeh,Hamoudi عبد:عبود:Abboud,Abbud إبراهيم:برهوم:Barhoum,Barhom
علي:علوش:Alloush,Aloush حسن:حسون:Hassoun,Hasoun"""
NICK = {k: (ar, lat.split(",")) for k, ar, lat in (x.split(":") for x in NICK.split())}
GOV_WEIGHT = {"SY01": 12, "SY02": 16, "SY03": 20, "SY04": 12, "SY05": 8, "SY06": 3, "SY07": 8}
GOV_WEIGHT |= {"SY08": 3, "SY09": 6, "SY10": 2, "SY11": 3, "SY12": 6, "SY13": 1, "SY14": 1}
GOV_EXTRA = """SY01=Dimashq,Damas,Al-Sham|الشام; SY02=Halab,Alep,Haleb|; SY04=Hims|; SY10=Tartous|
SY03=Damascus countryside,Rif Damascus,Reef Dimashq,Rural Damascus|ريف الشام; SY07=Idleb,Edlib|ادلب
SY05=Hamah,Hamat|حماه; SY06=Lattakia,Ladhiqiyah|اللاذقيه; SY08=Hasakeh,Hassakeh,Hasaka|الحسكه
SY09=Deir al-Zour,Deir Ezzor,Dayr al-Zawr,Deir ez Zor|ديرالزور; SY11=Raqqa,Al-Raqqa,Rakka|الرقه
SY12=Deraa,Dara'a|; SY13=Sweida,Suwayda|; SY14=Quneitra,Qunaitra|"""
GOV_EXTRA = dict(x.strip().split("=") for x in GOV_EXTRA.replace("\n", ";").split(";"))
YEAR_WEIGHT = {2011: 8, 2012: 25, 2013: 25, 2014: 15, 2015: 10, 2016: 7, 2017: 5, 2018: 3, 2019: 2}
# kind: weight, P(arabic), P(full name only), P(kunya), P(nickname), sticky (same reporter & habits)
KINDS = """mother .24 .85 .15 .03 .15 1; father .07 .75 .12 .02 .05 1; spouse .12 .75 .15 .08 .05 1
brother .15 .55 .12 .05 .05 1; cousin .07 .55 .15 .10 .06 1; neighbour .05 .70 .25 .20 .10 1
ngo_a .12 .10 .05 .02 .01 0; ngo_b .12 .90 .05 .02 .01 0; ngo_c .06 .50 .70 .03 .02 0"""
KINDS = [x.split() for x in KINDS.replace("\n", ";").split(";")]
KINDS = {k: (*map(float, v[:5]), v[5] == "1") for k, *v in KINDS}
N_REPORTS = {1: 0.17, 2: 0.30, 3: 0.27, 4: 0.16, 5: 0.10}
ART_STYLE = {"al-": 0.30, "": 0.25, "Al-": 0.15, "Al ": 0.12, "el-": 0.10, "Al": 0.08}
YEAR_ERR = ((0.20, "year_missing"), (0.32, "year_off1"), (0.35, "year_off_far"))
FULL_FORM = ((0.20, "full_no_father"), (0.32, "full_bin"), (0.44, "full_family_first"))
DATE_ERR = ((0.25, "date_missing"), (0.37, "date_off_days"), (0.42, "date_off_weeks"))
COLUMNS = "report_id given_name father_name grandfather_name family_name mother_name sex birth_year"
COLUMNS = (COLUMNS + " governorate disappearance_date disappearance_place full_name").split()
TRUTH = "report_id person_id family_id father_person_id sibling_group grandfather_group variants"
TRUTH = TRUTH.split()
# mother = (given tuple, family or ""); sib: children of one couple; ggroup: grandchildren of one
# paternal grandfather. Also father_pid, eldest (eldest son's name, for the kunya), married.
PERSON = "pid given father grand family mother sex birth gov town date place clan sib ggroup"
PERSON = PERSON.split()
NAMEBOX = ["given_name", "father_name", "grandfather_name", "family_name", "full_name"]
AR_NEAR = dict(zip("حخجسشصضدذرزتثعغفقهة", "خجحشسضصذدزرثتغعقفةه", strict=True))
KEYS = ("qwertyuiopasdfghjklzxcvbnm", "ضصثقفغعهخحجدشسيبلاتنمكطذرزوة")
AR_SWAPS = [("ة$", "ه"), ("ه$", "ة"), ("ى$", "ي"), ("ي$", "ى"), ("[أإآ]", "ا"), ("^ا(?!ل)", "أ")]
AR_LETTERS = re.compile(r"^[\u0621-\u064A]{2,}(?: [\u0621-\u064A]{2,})*$")
TAIL_SKIP = {"أبي", "إيناس", "بادي", "تي", "حمودة", "رجاء"}  # not names, wrong sex, a nickname


def wchoice(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def pm(rng: random.Random) -> int:
    return rng.choice((-1, 1))


def bucket(u: float, table: tuple) -> str:
    return next((tag for upper, tag in table if u < upper), "")


def read_tsv(path: Path) -> list[dict]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_tail(lex: NS, names: Path) -> None:
    """Rarer given names: AKhateeb Arabic lists, Latin forms from the Wikidata token table."""
    wd = defaultdict(list)
    for r in read_tsv(names / "wikidata_merhav2018_ar_latin_tokens.tsv"):
        lat = r["latin"]
        if int(r["count"]) >= 5 and float(r["share"]) >= 0.15 and lat.isascii() and lat.isalpha():
            wd[r["arabic"]].append(lat.capitalize())
    for r in read_tsv(names / "akhateeb_arabic_name_lists.tsv"):
        ar, kind = r["arabic"], r["kind"]
        ok = kind in ("given_male", "given_female") and ar not in lex.lat and wd.get(ar)
        if ok and not ar.startswith(("ال", "عبد", "أبو")) and " " not in ar and ar not in TAIL_SKIP:
            lex.lat[ar] = wd[ar][:4]
            (lex.male if kind == "given_male" else lex.female)[("tail", ar)] = 1.0


def load_places(lex: NS, gaz: Path) -> None:
    for r in read_tsv(gaz / "syria_admin.tsv"):
        if r["level"] == "1":
            lat_x, ar_x = GOV_EXTRA[r["pcode"]].split("|")
            ar = [r["name_ar"], "محافظة " + r["name_ar"]] + [a for a in ar_x.split(",") if a]
            lat = [r["name_en"], *lat_x.split(","), *r["aliases_en"].split(" | ")]
            lex.gov[r["pcode"]] = (ar, list(dict.fromkeys(x for x in lat if x)))
    for r in read_tsv(gaz / "syria_places_geonames.tsv"):
        ars = [a for a in r["names_ar"].split(" | ") if AR_LETTERS.match(a)]
        if int(r["population"]) < 3000 or not ars or r["gov_pcode"] not in GOV_WEIGHT:
            continue
        main = unicodedata.normalize("NFKD", r["name"]).replace("‘", "'").replace("’", "'")
        main = "".join(c for c in main if not unicodedata.combining(c))
        alts = [a for a in r["names_latin"].split(" | ") if a.isascii() and a[:1].isupper()]
        low = main.lower()
        alts = [a for a in alts if difflib.SequenceMatcher(None, a.lower(), low).ratio() > 0.7]
        pid = int(r["geonameid"])
        lex.place[pid] = (ars, list(dict.fromkeys([main] + alts[:4])))
        lex.towns[r["gov_pcode"]][pid] = math.sqrt(int(r["population"]))
        lex.capital.setdefault(r["gov_pcode"], pid)  # rows are sorted by population


def build_lexicon(data: Path) -> NS:
    # lat: Arabic token -> Latin spellings, commonest first; male/female/family: token tuple ->
    # weight; gov/place: id -> (Arabic forms, Latin forms); towns: pcode -> {place: weight}
    lex = NS(lat={}, male={}, female={}, family={}, gov={}, towns=defaultdict(dict), place={})
    lex.capital = {}  # pcode -> largest place
    for text, into in ((MALE, lex.male), (FEMALE, lex.female), (FAMILY, lex.family)):
        for ar, lat, w in (item.replace("_", " ").split("|") for item in text.split()):
            lex.lat[ar], into[(ar,)] = lat.split(","), float(w)
    for item in ABD.split():
        root, rl, w = item.split(":")
        r, tok = rl.lower(), "عبد ال" + root
        lex.lat[tok] = [f"Abdul {rl}", f"Abdul{r}", f"Abd al-{rl}", f"Abdel{r}", f"Abd {rl}"]
        lex.male[(tok,)] = float(w)
    load_tail(lex, data / "names")
    load_places(lex, data / "gazetteer")
    for names in (lex.male, lex.female):  # the tail gets 15% of the draws in all
        tail = sum(w for k, w in names.items() if k[0] == "tail")
        head = sum(names.values()) - tail
        for k in names:
            names[k] *= (0.15 / tail) if k[0] == "tail" else (0.85 / head)
    return lex


class World:
    def __init__(self, lex: NS, rng: random.Random):
        self.lex, self.rng, self.ids = lex, rng, itertools.count(1)

    def male(self, avoid=()) -> tuple:
        while True:
            name = wchoice(self.rng, self.lex.male)
            name = name[1:] if name[0] == "tail" else name
            if self.rng.random() < 0.10 and name != ("محمد",) and " " not in name[0]:
                name = ("محمد", *name)
            if name[-1] not in {n[-1] for n in avoid}:  # brothers: not "Sami" and "Mohammad Sami"
                return name

    def female(self) -> tuple:
        name = wchoice(self.rng, self.lex.female)
        return name[1:] if name[0] == "tail" else name

    def date(self, after: int) -> dt.date:
        year = min(max(wchoice(self.rng, YEAR_WEIGHT), after), 2019)
        start = dt.date(year, 3, 15) if year == 2011 else dt.date(year, 1, 1)
        return start + dt.timedelta(days=self.rng.randrange((dt.date(year, 12, 31) - start).days))

    def place(self, town: int, gov: str) -> int:
        u = self.rng.random()
        return town if u < 0.60 else self.lex.capital[gov] if u < 0.85 else self.lex.capital["SY01"]

    def children(self, clan: dict, father: tuple, fbirth: int) -> list[tuple]:
        rng, kids = self.rng, []
        roles = ["M"] * rng.choices(range(1, 7), [0.10, 0.25, 0.25, 0.20, 0.12, 0.08])[0]
        roles += ["F"] * rng.choices(range(4), [0.30, 0.35, 0.25, 0.10])[0]
        rng.shuffle(roles)
        b = fbirth + rng.randint(20, 35)
        for sex in roles:
            first = all(k[1] == "F" for k in kids)
            name = self.male([father, *(k[0] for k in kids)]) if sex == "M" else self.female()
            named_g = sex == "M" and first and rng.random() < 0.5
            kids.append((clan["g"] if named_g else name, sex, b))
            b += rng.randint(1, 6)
        return kids

    def household(self, clan: dict, father: tuple, fbirth: int, ggroup: int, fsib: int):
        """One father's household; returns its missing persons."""
        rng, hid, fams = self.rng, next(self.ids), self.lex.family
        mother = (self.female(), clan["family"] if rng.random() < 0.2 else wchoice(rng, fams)[0])
        kids = self.children(clan, father, fbirth)
        if rng.random() >= 0.45:
            return []
        event, g = self.date(0), clan["g"]

        def mk(given, fa, gr, sex, birth, mom, sib, gg, family=clan["family"]) -> NS:
            d, u = self.date(birth + 14), rng.random()
            if event.year >= birth + 14 and u < 0.60:
                d = event if u < 0.35 else event + dt.timedelta(days=pm(rng) * rng.randint(1, 60))
            place = self.place(clan["town"], clan["gov"])
            vals = (given, fa, gr, family, mom, sex, birth, clan["gov"], clan["town"], d, place)
            p = NS(**dict(zip(PERSON, (next(self.ids), *vals, clan["id"], sib, gg), strict=True)))
            p.father_pid, p.eldest, p.married, p.missing_parents = None, None, False, set()
            return p

        sons = [k for k in kids if k[1] == "M" and k[2] <= 1998]
        n = min(len(sons), rng.choices(range(1, 6), [0.60, 0.25, 0.10, 0.03, 0.02])[0])
        out = [mk(nm, father, g, "M", b, mother, hid, ggroup) for nm, _, b in rng.sample(sons, n)]
        for p in out:
            if p.birth <= 1990 and rng.random() < 0.65:
                p.married, p.eldest = True, father if rng.random() < 0.45 else self.male((p.given,))
        daughters = [k for k in kids if k[1] == "F" and k[2] <= 1998 and rng.random() < 0.06]
        out += [mk(name, father, g, "F", b, mother, hid, ggroup) for name, _, b in daughters]
        if out and rng.random() < 0.08:
            fam = mk(father, g, clan["gg"], "M", fbirth, clan["gmother"], fsib, clan["ggroup"])
            fam.married, fam.eldest = True, next(k[0] for k in kids if k[1] == "M")
            for p in out:
                p.father_pid = fam.pid
                p.missing_parents.add("father")
            out.append(fam)
        if out and rng.random() < 0.03:
            mb, parents = fbirth + rng.randint(-2, 10), (self.male(), self.male())
            mom = mk(mother[0], *parents, "F", mb, (self.female(), ""), -hid, -hid, mother[1])
            for p in (q for q in out if q.sib == hid):
                p.missing_parents.add("mother")
            out.append(mom)
        return out

    def clan_persons(self) -> list[NS]:
        rng, gov = self.rng, wchoice(self.rng, GOV_WEIGHT)
        clan = dict(id=next(self.ids), family=wchoice(rng, self.lex.family)[0], gov=gov)
        clan["town"] = wchoice(rng, self.lex.towns[gov])
        out = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            g, gbirth = self.male(), rng.randint(1915, 1945)
            gg = self.male([g])
            clan |= dict(g=g, gg=gg, gmother=(self.female(), ""), ggroup=next(self.ids))
            sib, ggroup = next(self.ids), next(self.ids)
            fathers = [gg] if rng.random() < 0.4 else []
            for _ in range(rng.randint(2, 5) - len(fathers)):
                fathers.append(self.male([*fathers, g]))
            fb = gbirth + rng.randint(20, 30)
            for f in fathers:
                out += self.household(clan, f, fb, ggroup, sib)
                fb += rng.randint(1, 5)
        return out

    def persons(self, n: int) -> list[NS]:
        persons = []
        while len(persons) < n:
            persons += self.clan_persons()
        return persons[:n]

    def reporter(self, kind: str) -> NS:
        rng, (_, p_ar, p_full, _, _, _) = self.rng, KINDS[kind]
        p_gf = 0.15 if kind.startswith("ngo") else 0.35
        rep = NS(kind=kind, art=wchoice(rng, ART_STYLE), cache={})
        flags = (rng.random() < x for x in (p_ar, p_full, p_gf, 0.3))
        rep.arabic, rep.full, rep.skip_gf, rep.abd_join = flags
        return rep


def typo(s: str, rng: random.Random) -> str:
    i = rng.randrange(len(s))
    c, op = s[i], rng.randrange(4)
    if op == 0 and c.isalpha():
        near = AR_NEAR.get(c) or rng.choice(KEYS[not c.isascii()])
        return s[:i] + (near if c.islower() or not c.isascii() else near.upper()) + s[i + 1 :]
    if op == 1 and len(s) > 3:
        return s[:i] + s[i + 1 :]
    return s[:i] + c + s[i:] if op == 2 else s[:i] + s[i + 1 : i + 2] + c + s[i + 2 :]


class Render:
    """One report of person p by reporter rep; self.var collects the variants used."""

    def __init__(self, w: World, p: NS, rep: NS):
        self.rng, self.lex, self.p, self.rep = w.rng, w.lex, p, rep
        self.var = ["arabic" if rep.arabic else "latin", "by_" + rep.kind]

    def spell(self, s: str) -> str:
        ops = [(pat, new) for pat, new in AR_SWAPS if re.search(pat, s)]
        return re.sub(*self.rng.choice(ops), s) if ops and self.rng.random() < 0.12 else s

    def token(self, tok: str, var: list) -> str:
        rep, lat = self.rep, self.lex.lat[tok]
        if tok not in rep.cache and rep.arabic:
            rep.cache[tok] = self.spell(tok.replace("عبد ال", "عبدال") if rep.abd_join else tok)
        elif tok not in rep.cache:
            u = self.rng.random()
            rep.cache[tok] = lat[0] if len(lat) == 1 or u < 0.55 else self.rng.choice(lat[1:])
        if rep.cache[tok].replace("عبدال", "عبد ال") != (tok if rep.arabic else lat[0]):
            var.append("ar_spelling" if rep.arabic else "lat_spelling")
        return rep.cache[tok]

    def names(self, toks: tuple, var: list | None = None) -> str:
        return " ".join(self.token(t, self.var if var is None else var) for t in toks)

    def family(self, fam: str, var: list) -> str:
        rep, key, article = self.rep, "family:" + fam, fam.startswith("ال")
        if key not in rep.cache and rep.arabic:
            form = self.spell(fam)
            rep.cache[key] = form[2:] if article and self.rng.random() < 0.15 else form
        elif key not in rep.cache:
            root, art = self.token(fam, []), rep.art if article else ""
            rep.cache[key] = art + (root.lower() if art == "Al" else root)
        if rep.cache[key] not in (fam, ("al-" if article else "") + self.lex.lat[fam][0]):
            var.append("family_spelling")
        return rep.cache[key]

    def given(self) -> str:
        rng, p, rep, var = self.rng, self.p, self.rep, self.var
        _, _, _, p_kunya, p_nick, _ = KINDS[rep.kind]
        nick = NICK.get(p.given[-1]) or (NICK["عبد"] if p.given[-1].startswith("عبد") else None)
        if p.eldest and rng.random() < p_kunya:
            var.append("kunya")
            abu = "أبو " if rep.arabic else rng.choice(["Abu ", "Abu ", "Abou "])
            return abu + self.names(p.eldest)
        if nick and rng.random() < p_nick:
            var.append("nickname")
            return nick[0] if rep.arabic else rng.choice(nick[1])
        short = len(p.given) > 1 and rng.random() < 0.30
        var += ["compound_short" if short else "compound"] if len(p.given) > 1 else []
        return self.names(p.given[1:] if short else p.given)

    def full(self, g: str, f: str, gf: str, fam: str) -> str:
        rng, var = self.rng, self.var
        u, gfs = rng.random(), [gf] if rng.random() < 0.40 else []
        var.append(bucket(u, FULL_FORM) or "full_name")
        if u < 0.20:
            seq = [g, gf, fam] if rng.random() < 0.25 else [g, fam]
        elif u < 0.32:
            b = "بن" if self.rep.arabic else ("ibn" if rng.random() < 0.2 else "bin")
            seq = [g, b, f] + ([b, gf] if gfs else []) + [fam]
        else:
            seq = [fam, g, f, *gfs] if u < 0.44 else [g, f, *gfs, fam]
        return " ".join(s for s in seq if s)

    def name_fields(self) -> dict:
        rng, p, var = self.rng, self.p, self.var
        g, f, gf = self.given(), self.names(p.father), self.names(p.grand)
        fam = self.family(p.family, var)
        if self.rep.full:
            var.append("full_name")
            return {"full_name": self.full(g, f, gf, fam)}
        row = dict(given_name=g, father_name=f, grandfather_name=gf, family_name=fam)
        if self.rep.skip_gf:
            row["grandfather_name"] = ""
            var.append("no_grandfather")
        if rng.random() < 0.05:
            var.append("given_plus_father")
            row["given_name"] += " " + f
            row["father_name"] = "" if rng.random() < 0.5 else f
        for box, tag in (("father_name", "no_father_box"), ("family_name", "no_family_box")):
            if row[box] and rng.random() < 0.03:
                row[box] = ""
                var.append(tag)
        return row

    def place(self, forms: tuple, p_blank: float, p_main: float, tag: str) -> str:
        if self.rng.random() < p_blank:
            return ""
        other = self.rng.random() < 0.08
        use = forms[0] if self.rep.arabic != other else forms[1]
        form = use[0] if len(use) == 1 or self.rng.random() < p_main else self.rng.choice(use[1:])
        self.var += [tag] if other or form != use[0] else []
        return form

    def meta_fields(self) -> dict:
        rng, p, var, lex = self.rng, self.p, self.var, self.lex
        ytag, dtag = bucket(rng.random(), YEAR_ERR), bucket(rng.random(), DATE_ERR)
        var += [t for t in (ytag, dtag) if t]
        shift = {"year_off1": pm(rng), "year_off_far": pm(rng) * rng.randint(2, 5)}.get(ytag, 0)
        days = {"date_off_days": rng.randint(1, 10), "date_off_weeks": 7 * rng.randint(2, 8)}
        when = p.date + dt.timedelta(days=pm(rng) * days.get(dtag, 0))
        row = {"birth_year": "" if ytag == "year_missing" else str(p.birth + shift),
               "disappearance_date": "" if dtag == "date_missing" else when.isoformat(),
               "governorate": self.place(lex.gov[p.gov], 0.06, 0.5, "gov_variant"),
               "disappearance_place": self.place(lex.place[p.place], 0.12, 0.6, "place_variant"),
               "sex": "" if rng.random() < 0.10 else p.sex}  # fmt: skip
        if rng.random() >= 0.30:
            row["mother_name"] = self.names(p.mother[0], [])
            if p.mother[1] and rng.random() < 0.5:
                row["mother_name"] += " " + self.family(p.mother[1], [])
                var.append("mother_family")
        return row

    def row(self) -> dict:
        rng, var = self.rng, self.var
        row = dict.fromkeys(COLUMNS, "") | self.name_fields() | self.meta_fields()
        blank = ("sex", "mother_name", "governorate", "disappearance_place")
        var += [f"no_{c}" for c in blank if not row[c]]
        filled = [b for b in NAMEBOX if row[b]]
        arabic = [b for b in filled if re.search("[\u0621-\u064a]", row[b])]
        tatweel = ("([بتثجحخسشصضطظعغفقكلمنهي])(?=[\u0621-\u064a])", lambda m: m[1] + "ـ", 1)
        harakat = ("([\u0628-\u064a])", lambda m: m[1] + rng.choice("َُِّ"), 2)
        decor = [("typo", 0.06, filled, None), ("tatweel", 0.01, arabic, tatweel),
                 ("diacritics", 0.02, arabic, harakat)]  # fmt: skip
        for tag, pr, boxes, sub in decor:
            if boxes and rng.random() < pr:
                b = rng.choice(boxes)
                row[b] = (
                    typo(row[b], rng) if sub is None else re.sub(*sub[:2], row[b], count=sub[2])
                )
                var.append(tag)
        return row


def make_reports(w: World, persons: list[NS]) -> tuple[list[dict], list[dict]]:
    rng, reporters, rows = w.rng, {}, []
    for p in persons:
        ok = {kd: v[0] for kd, v in KINDS.items() if kd not in p.missing_parents}
        ok.pop("spouse") if not p.married else None
        for _ in range(min(wchoice(rng, N_REPORTS), len(ok))):
            kind = wchoice(rng, ok)
            ok.pop(kind)
            key = (kind, {"spouse": p.pid, "cousin": p.ggroup}.get(kind, p.sib))
            rep = w.reporter(kind)
            r = Render(w, p, reporters.setdefault(key, rep) if KINDS[kind][5] else rep)
            rows.append((r.row(), p, r.var))
    rng.shuffle(rows)
    truth, kept = [], {p.pid for p in persons}
    for i, (row, p, var) in enumerate(rows):
        row["report_id"] = f"R{i + 1:06d}"
        fp = p.father_pid if p.father_pid in kept else ""
        vals = (row["report_id"], p.pid, p.clan, fp, p.sib, p.ggroup, ";".join(dict.fromkeys(var)))
        truth.append(dict(zip(TRUTH, vals, strict=True)))
    return [r for r, _, _ in rows], truth


def read_pairs(path: Path) -> set:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {tuple(sorted((r["report_a"], r["report_b"]))) for r in rows}


def relation(a: dict, b: dict) -> str:
    fs = a["person_id"] == b["father_person_id"] or b["person_id"] == a["father_person_id"]
    tests = [("same person", "person_id"), ("brothers", "sibling_group"), ("father-son", None),
             ("cousins", "grandfather_group"), ("other relative", "family_id")]  # fmt: skip
    return next((n for n, k in tests if (a[k] == b[k] if k else fs)), "unrelated")


def show(rows: dict, truth: dict, pair: tuple) -> None:
    print(f"  -- {pair[0]} / {pair[1]}: {relation(truth[pair[0]], truth[pair[1]])}")
    for rid, r in ((x, rows[x]) for x in pair):
        names = " | ".join(r[c] for c in NAMEBOX[:4])
        full = f" full='{r['full_name']}'" if r["full_name"] else ""
        print(f"     {rid}: [{names}]{full} mother='{r['mother_name']}' sex={r['sex'] or '-'} "
              f"born={r['birth_year'] or '-'} date={r['disappearance_date'] or '-'} "
              f"gov={r['governorate'] or '-'} place={r['disappearance_place'] or '-'}")  # fmt: skip
        print(f"       person {truth[rid]['person_id']} variants: {truth[rid]['variants']}")


def report(rows: list[dict], truth: list[dict], found: dict) -> None:
    T, R = {t["report_id"]: t for t in truth}, {r["report_id"]: r for r in rows}
    by_person = defaultdict(list)
    for t in truth:
        by_person[t["person_id"]].append(t["report_id"])
    true = {pair for ids in by_person.values() for pair in itertools.combinations(sorted(ids), 2)}
    prop, rel, und = found["pairs"], found["relatives"], found["undecided"]
    tp, rate = prop & true, lambda x, n: f"{x / max(n, 1):.4f}"
    print(f"reports {len(rows)}  persons {len(by_person)}  true pairs {len(true)}")
    print(f"proposed {len(prop)}  correct {len(tp)}  precision {rate(len(tp), len(prop))}  "
          f"recall {rate(len(tp), len(true))}")  # fmt: skip
    k = Counter(relation(T[a], T[b]) for a, b in prop - true)
    other = k["other relative"] + k["unrelated"]
    print(f"false proposed pairs {len(prop - true)}: brothers {k['brothers']}  cousins "
          f"{k['cousins']}  father-son {k['father-son']}  other-false {other} (same family "
          f"{k['other relative']}, unrelated {k['unrelated']})")  # fmt: skip
    rk = Counter(relation(T[a], T[b]) for a, b in rel - true)
    print(f"relatives list {len(rel)}: true duplicates on it {len(rel & true)}; others {dict(rk)}")
    print(f"undecided list {len(und)}: true duplicates on it {len(und & true)}; recall counting "
          f"undecided {rate(len((prop | und) & true), len(true))}")  # fmt: skip
    tot, hit = Counter(), Counter()
    for a, b in true:
        for v in set(T[a]["variants"].split(";")) | set(T[b]["variants"].split(";")):
            tot[v], hit[v] = tot[v] + 1, hit[v] + ((a, b) in prop)
    print("recall per variant kind (a true pair counts if either report carries it):")
    for v, n in sorted(tot.items(), key=lambda x: hit[x[0]] / x[1]):
        print(f"  {v:20s} {hit[v] / n:.3f}  ({hit[v]}/{n})")
    relatives = sorted(p for p in prop - true if relation(T[p[0]], T[p[1]]) != "unrelated")
    sections = [("(a) missed true pairs on the relatives list", sorted((true - prop) & rel)),
                ("(b) missed true pairs on no list", sorted(true - prop - rel - und)),
                ("(c) proposed pairs that are relatives", relatives)]  # fmt: skip
    for title, pairs in sections:
        print(f"\n{title}: {len(pairs)}")
        for pair in random.Random(0).sample(pairs, min(15, len(pairs))):
            show(R, T, pair)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=3000, help="missing persons to generate")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    ap.add_argument(
        "--workdir",
        type=Path,
        help="where to write the reports, truth and outputs (default: a "
        "temporary directory, removed afterwards)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument(
        "--data",
        type=Path,
        default=shared_data_dir(),
        help="the published data folder (default: $NASAB_SHARED_DATA, $NASAB_SHARED/data or "
        "../shared/data beside the checkout)",
    )
    ap.add_argument(
        "--nasab",
        default=str(Path(__file__).resolve().parents[1] / ".venv/bin/nasab"),
        help="the nasab command to run (default: the checkout's .venv)",
    )
    args = ap.parse_args()
    if args.data is None:
        ap.error("no published data: give --data, or put ../shared/data beside the checkout")
    if args.persons < 1:
        ap.error(f"--persons {args.persons}: give 1 or more")
    if not (os.path.isfile(args.nasab) and os.access(args.nasab, os.X_OK)):
        ap.error(f"--nasab {args.nasab}: no such command (run make setup, or give --nasab)")
    try:  # bad input: one line naming the path, no traceback, nothing written
        lexicon = build_lexicon(args.data)
        work = args.workdir or Path(tempfile.mkdtemp(prefix="dedup_sim2_"))
        work.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        ap.error(f"{e.filename}: {e.strerror}")
    w = World(lexicon, random.Random(args.seed))
    rows, truth = make_reports(w, w.persons(args.persons))
    for name, data, cols in (("reports.csv", rows, COLUMNS), ("truth.csv", truth, TRUTH)):
        with (work / name).open("w", encoding="utf-8", newline="") as fh:
            wr = csv.DictWriter(fh, fieldnames=cols)
            wr.writeheader()
            wr.writerows(data)
    out = {k: work / f"{k}.tsv" for k in ("pairs", "relatives", "undecided")}
    cmd = [args.nasab, "dedup", "--reports", str(work / "reports.csv"), "--out", str(out["pairs"])]
    cmd += ["--relatives", str(out["relatives"]), "--undecided", str(out["undecided"])]
    subprocess.run(cmd, check=True)
    report(rows, truth, {k: read_pairs(v) for k, v in out.items()})
    print(f"\nfiles in {work}" if args.keep or args.workdir else "")
    if not (args.keep or args.workdir):
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
