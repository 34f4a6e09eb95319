"""Third, independent simulator of duplicate missing-person reports, and a check of `nasab dedup`.

Written without reading the matcher: it draws Syrian clans, picks who goes missing, lets reporters
with habits write 1-5 reports each, runs `nasab dedup` as a user would and scores it on the truth.
Only synthetic people; every rate is our judgement (p = probability).

Clans: family name from a hand list of common Syrian names plus the AKhateeb Arabic list (weight
1/rank^0.7: unrelated clans share the common names); home town from GeoNames (weight
sqrt(population)); founders born 1918-35. A man marries with p .92, a wife of his family name p .35;
5-9 children (father born <1950), 4-7 (<1970) or 2-5, the first at his age 22-32, then 1 (30%), 2
(40%), 3 (20%) or 4-5 (10%) years apart, none after 2003; 52% sons. Eldest son named after the
paternal grandfather p .6 (founders too), a later son after a paternal uncle p .15, eldest daughter
after the paternal grandmother p .3, others from hand lists ('Mohammad' ~13% of boys) or the
AKhateeb tail (~5%); brothers share no name word. So 'Ahmad Mohammad Ahmad' has a son 'Mohammad
Ahmad Mohammad', and cousins 'Mohammad X Mohammad' of one family name abound.
Missing: clan heat h ~ U(.05, .5); a married man's household is hit with p h, 1 event (2 with p .3):
a raid with p .3 if >= 2 sons are 15-60 (2-4 sons one day at home, the father too p .3 if <= 70),
else one son (p .55 overall), else the father (18-70); each daughter 16-60 of a hit household goes
missing alone p .12 (~85% men). Year weights 2011-19: 1 3 3 2 1 1 .5 .5 .3, day uniform. Single
events: at home 50%, a checkpoint in one of the 6 towns nearest home 30%, one of the 8 largest
cities 20%. Kunya: father of sons 'Abu <eldest son>' p .8, others 'Abu <own father>' p .6, else an
'Abu Shaker'-type nickname; mother 'Umm <her eldest son>'. Nicknames (NICK): Hamoudeh, Abboud...
Reports: 1-5 per person (p .22 .32 .24 .14 .08, mean 2.54), each by a reporter the household used
already (p .55: brothers' reports share habits) or a new one. HABITS, Arabic/Latin reporter: Latin
script p .3 (English 70%, French 22%, Turkish-like 8%); all caps 0/15%, full name only 22/35%,
family name first with a comma 5/20%, hamza dropped 35/0%, Abd-names run together 40/0%,
Arabic-Indic digits 10/0%; vague 12%, gives the kunya 12%, a nickname 8%. Full name: 3 parts 50%,
4 parts 38%, 2 parts 12%; connector bin/ibn/son of/بن/ابن 20% (women bint/بنت 45%); commas or
hyphens 6%; family first also 2% of others. Compound names whole 55%, second part 20%, first 7%,
joined/hyphenated/'Mhd X' 18%. Latin: a Wikidata variant by count 70% (English) else our spelling,
French or Turkish rules; wobble 12% (family 25%); article Al-/Al /al-/Al/El-/El /none
35/20/10/10/10/5/10. Arabic article dropped 10%, 'آل X' 4%. Boxes: grandfather blank 35%, mother
blank 45%, father or family blank 7%; given box holds given+father 7%, father box father+
grandfather 5%, family name in grandfather box 4%; kunya alone in the given box 40% of its uses,
else added; mother with her family name 30%, 'Umm X' 10%. Per name field: keyboard slip 5%
(adjacent key on the Arabic or QWERTY layout, doubled, dropped or swapped letter), space dropped or
added 3%; ة/ه ى/ي swapped in 12% of Arabic reports. Birth year blank 10% (vague 25%), round decade
3% (vague 35%), off by 1 17%, by 2 7%. Date blank 22% (vague 37%), off 1-10 days 20%, month only
(the 1st) 15% (vague 60%), as 2013-04-03 70% or 2013/4/3. Sex blank 20%. Place blank 18%;
checkpoint events 'حاجز X'/'X checkpoint' 42%; home events a neighbourhood 12%; district 10%;
towns in Arabic or a close GeoNames Latin name (4% of Arabic reports). Governorate blank 12%, in
Arabic, English or French. Reports are tagged with their variants (truth.tsv).
"""

import argparse
import csv
import datetime as dt
import difflib
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
from types import SimpleNamespace

MALE = """محمد=Mohammad=30; أحمد=Ahmad=14; محمود=Mahmoud=8; علي=Ali=7; خالد=Khaled=6; عمر=Omar=6; حسن=Hassan=5; حسين=Hussein=5; مصطفى=Mustafa=5; إبراهيم=Ibrahim=5; يوسف=Yousef=4; عبد الله=Allah=5; عبد الرحمن=Rahman=3;
عبد الكريم=Karim=2; عبد القادر=Qader=2; عبد الرزاق=Razzaq=1; عبد الحميد=Hamid=1; عبد العزيز=Aziz=1; محمد خير=Khair=2; محمد علي=Ali=1; محمد نور=Nour=1; محمد سعيد=Saeed=1; سعيد=Saeed=2; ياسر=Yaser=2; فراس=Firas=1; باسل=Basel=1;
شادي=Shadi=1; غسان=Ghassan=1; أسامة=Usama=2; وائل=Wael=1; عماد=Imad=1; سامر=Samer=1; فادي=Fadi=1; رامي=Rami=1; جمال=Jamal=1; حسام=Hussam=1; أنس=Anas=1; معاذ=Muaz=1; بلال=Bilal=1;
زكريا=Zakaria=1; عدنان=Adnan=1; نضال=Nidal=1; جهاد=Jihad=1; صالح=Saleh=2; سليمان=Suleiman=1; إسماعيل=Ismail=1; ياسين=Yassin=1; طارق=Tareq=1; منير=Munir=1; زياد=Ziad=1; مازن=Mazen=1; حمزة=Hamza=1;
عثمان=Othman=1; موسى=Mousa=1; عيسى=Issa=1; قاسم=Qasem=1; جاسم=Jassem=2; حمد=Hamad=1; فيصل=Faisal=1; نزار=Nizar=1; كمال=Kamal=1; هيثم=Haitham=1; مهند=Muhannad=1; أيمن=Ayman=1"""
FEMALE = """فاطمة=Fatima=8; عائشة=Aisha=3; خديجة=Khadija=4; مريم=Maryam=4; زينب=Zainab=3; آمنة=Amina=3; رنا=Rana=2; هبة=Hiba=2; ريم=Reem=2; سعاد=Souad=2; نور=Nour=3; رهف=Rahaf=1; ياسمين=Yasmin=1; سمر=Samar=2;
لينا=Lina=1; دعاء=Duaa=1; أسماء=Asmaa=2; هدى=Huda=2; منى=Mona=2; سلمى=Salma=1; رغد=Raghad=1; بشرى=Bushra=1; حنان=Hanan=2; وفاء=Wafaa=2; إيمان=Iman=2; أمل=Amal=2; سميرة=Samira=2; رقية=Ruqayya=1"""
FAMILY = """الأحمد=Al-Ahmad; العلي=Al-Ali; الحسن=Al-Hassan; الحسين=Al-Hussein; المحمد=Al-Mohammad; العمر=Al-Omar; الخطيب=Al-Khatib; الحموي=Al-Hamwi; الحلبي=Al-Halabi; المصري=Al-Masri; الشامي=Al-Shami; الحمصي=Al-Homsi; الزعبي=Al-Zoubi; المقداد=Al-Meqdad;
الرفاعي=Al-Rifai; الصالح=Al-Saleh; الجاسم=Al-Jassem; الخلف=Al-Khalaf; العبدالله=Al-Abdullah; الدرويش=Al-Darwish; الموسى=Al-Mousa; العيسى=Al-Issa; الحمادة=Al-Hamada; الشيخ=Al-Sheikh; النجار=Al-Najjar; الحداد=Al-Haddad; القصاب=Al-Qassab; حوراني=Hourani;
عثمان=Othman; دياب=Diab; قاسم=Qasem; سلوم=Salloum; ديب=Dib; خليل=Khalil; حمود=Hammoud; الأسعد=Al-Asaad; البكور=Al-Bakour; الطويل=Al-Tawil; السيد=Al-Sayed; المحاميد=Al-Mahamid; العبيد=Al-Obeid; الكردي=Al-Kurdi;
البيطار=Al-Bitar; الدباغ=Al-Dabbagh; الجندي=Al-Jundi; النعسان=Al-Nassan; الفارس=Al-Fares; الحاج=Al-Hajj; الإدلبي=Al-Idlibi; الديري=Al-Deiri; الشهابي=Al-Shihabi; العثمان=Al-Othman; الرحال=Al-Rahhal; الزين=Al-Zein"""
KUNYA_NICK = "شاكر=Shaker; صطيف=Stayf; النور=Al-Nour; العز=Al-Ezz; الخير=Al-Khair; جاسم=Jassem"
NICK = """محمد=حمودة/Hamoudeh,حمودي/Hamoudi,/Mhd; عبد الله=عبود/Abboud; عبد الرحمن=عبود/Abboud; إبراهيم=برهوم/Barhoum;
علي=علوش/Alloush; حسن=حسون/Hassoun; حسين=حسون/Hassoun; خالد=خلودي/Khaloudi"""
GOV_FR = "Damas;Alep;Rif Dimachq;Homs;Hama;Lattaquié;Idleb;Hassaké;Deir ez-Zor;Tartous;Raqqa;Deraa;Soueïda;Qouneitra"
NEIGH = """حي المحطة/Mahatta quarter; الحي الشرقي/eastern quarter; حي البساتين/Basateen quarter;
حي الجامع الكبير/Great Mosque quarter; الحي الغربي/western neighbourhood; حي السوق/market quarter"""
ABD = {"en": "Abdul {R}|Abdul{r}|Abd al-{R}|Abd-Al{r}|Abdel {R}", "tr": "Abdul{r}"}
ABD.update(fr="Abdel{r}|Abdel {F}|Abd El {R}", allah_en="Abdullah|Abdallah|Abd Allah|Abdulla")
ABD.update(allah_fr="Abdallah|Abdellah", articles="Al-|Al |al-|Al|El-|El |")
COLUMNS = "report_id given_name father_name grandfather_name family_name mother_name full_name sex"
COLUMNS = (COLUMNS + " birth_year governorate disappearance_date disappearance_place").split()
KEYROWS = ["ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظ", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEXT_KEYS = {c: r[max(0, i - 1) : i] + r[i + 1 : i + 2] for r in KEYROWS for i, c in enumerate(r)}
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FR = "sh>ch ^j|(?<=[aeiou])j>dj (?<!o)u>ou oo>ou ^moh>mouh (?<=[aeiou])s(?=[aeiou])>ss an$>ane w>ou ee>i q>k"
TR = "kh>h sh>s ou>u oo>u ^moh>muh j>c w>v th>s dh>z q>k ee>i ei>ey ad$>et d$>t"
WOBBLE = r"ou>u u>ou o>u i>e e>i ee>i aa>a q>k k>q dh>z th>s y$>i ss>s mm>m a>e h$> (?<=[aeiou])([lmnrs])(?=[aeiou])>\1\1"
HABITS = "caps 0 .15; full .22 .35; fam_first .05 .2; hamza .35 0; abd_join .4 0; indic .1 0; vague .12 .12; kunya .12 .12; nick .08 .08"
HABITS = {k: (float(a), float(b)) for k, a, b in (x.split() for x in HABITS.split(";"))}
MEMBER = "id clan sex given fname gfname family father gfather born"
TRUTH = "report_id person_id member_id father_id grandfather_id clan sex born true_name tags"


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def parse_list(text: str) -> list[list[str]]:
    return [[x.strip() for x in item.split("=")] for item in text.split(";") if item.strip()]


def apply_rules(s: str, rules: str) -> str:
    for pat, rep in (x.split(">") for x in rules.split()):
        s = re.sub(pat, rep, s.lower())
    return s[:1].upper() + s[1:]


def wobble(s: str, rng: random.Random) -> str:
    rules = [x.split(">") for x in WOBBLE.split()]
    hits = [(m, rep) for pat, rep in rules for m in re.finditer(pat, s) if m.start() > 0]
    m, rep = rng.choice(hits) if hits else (None, "")
    return s[: m.start()] + m.expand(rep) + s[m.end() :] if m else s


def typo(s: str, rng: random.Random) -> str:
    """A keyboard slip: adjacent key, doubled, dropped or swapped letter (never the first)."""
    idx = [i for i, c in enumerate(s) if c.isalpha()][1:]
    if len(idx) < 2:
        return s
    i = rng.choice(idx[:-1])
    c, kind = s[i], rng.choice(["adjacent", "double", "drop", "swap"])
    k = rng.choice(NEXT_KEYS.get(c.lower(), c))
    slips = dict(adjacent=k.upper() if c.isupper() else k, double=c + c, drop="")
    return s[:i] + slips[kind] + s[i + 1 :] if kind in slips else s[:i] + s[i + 1] + c + s[i + 2 :]


def space_slip(s: str, rng: random.Random) -> str:
    if " " in s and rng.random() < 0.6:
        i = rng.choice([i for i, c in enumerate(s) if c == " "])
        return s[:i] + s[i + 1 :]
    m = re.search(r"(?:^| )(ال|Al|al)(?=\w\w)", s)
    return s[: m.end()] + " " + s[m.end() :] if m else s[:3] + " " + s[3:]


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def close(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.6


def rec(fields: str, *vals, **extra) -> SimpleNamespace:
    return SimpleNamespace(**dict(zip(fields.split(), vals, strict=True)), **extra)


class World:
    """Name pools, Latin spellings and places, from the shared data and the hand lists."""

    def load_names(self, data: Path) -> None:
        self.lat = {ar: base for ar, base in parse_list(KUNYA_NICK)}
        self.nick = {k: [tuple(x.split("/")) for x in v.split(",")] for k, v in parse_list(NICK)}
        pools = {"given_male": [], "given_female": [], "family": []}
        for text, kind in ((MALE, "given_male"), (FEMALE, "given_female"), (FAMILY, "family")):
            for i, (ar, base, *weight) in enumerate(parse_list(text)):
                pools[kind].append((ar, float(weight[0]) if weight else 1 / (i + 1) ** 0.7))
                self.lat[ar if kind == "family" else ar.split(" ")[-1]] = base
        self.lat["محمد"], best = "Mohammad", defaultdict(list)
        for r in read_tsv(data / "names/wikidata_merhav2018_ar_latin_tokens.tsv"):
            latin = fold(r["latin"])
            if int(r["count"]) >= 3 and float(r["share"]) >= 0.03 and latin.isalpha():
                best[r["arabic"]].append((latin.capitalize(), int(r["count"])))
        self.variants = {t: [x for x in best[t] if close(x[0], b)] for t, b in self.lat.items()}
        for r in read_tsv(data / "names/akhateeb_arabic_name_lists.tsv"):
            ar, kind = r["arabic"].strip(), r["kind"]
            core = ar[2:] if ar.startswith("ال") and kind == "family" else ar
            if kind not in pools or not ar or ar in self.lat or " " in ar or not best.get(core):
                continue
            pools[kind].append((ar, 0.05 if kind == "family" else 0.1))
            self.lat[ar] = ("Al-" if core != ar else "") + best[core][0][0]
            self.variants[ar] = best[core] if core == ar else []
        self.male, self.female, self.family = ([*zip(*v, strict=True)] for v in pools.values())

    def load_places(self, data: Path) -> None:
        split = lambda s: [x.strip() for x in s.split("|") if x.strip()]  # noqa: E731
        self.gov, self.district, self.towns, districts = {}, {}, [], []
        for r in read_tsv(data / "gazetteer/syria_admin.tsv"):
            ar = [r["name_ar"]] + split(r["aliases_ar"])
            en = [r["name_en"]] + [e for e in split(r["aliases_en"]) if "Nahiyat" not in e]
            if r["level"] == "1":
                self.gov[r["pcode"]] = (ar, en, [GOV_FR.split(";")[int(r["pcode"][2:]) - 1]])
            districts += [(r, ar, en)] if r["level"] == "2" else []
        for r in read_tsv(data / "gazetteer/syria_places_geonames.tsv"):
            ars = [a for a in split(r["names_ar"]) if re.fullmatch("[\u0621-\u064a ]+", a)]
            if not ars or not r["gov_pcode"]:
                continue
            main, xy = fold(r["name"]), (float(r["lat"]), float(r["lon"]))
            lats = [x for x in map(fold, split(r["names_latin"])) if close(x, main)]
            lats = [main] + [x for x in lats if re.fullmatch(r"[A-Z][A-Za-z' -]+", x)]
            own = [d for d in districts if d[0]["parent_pcode"] == r["gov_pcode"]] or districts
            d = min(own, key=lambda d: math.dist(xy, (float(d[0]["lat"]), float(d[0]["lon"]))))
            self.district[len(self.towns)] = (d[1], d[2])
            pop = int(r["population"] or 0)
            self.towns.append(dict(ar=ars[0], lat=lats, gov=r["gov_pcode"], pop=pop, xy=xy))
        n, towns = range(len(self.towns)), self.towns
        self.near = [sorted(n, key=lambda j: math.dist(t["xy"], towns[j]["xy"]))[:6] for t in towns]
        self.cities = sorted(n, key=lambda j: -towns[j]["pop"])[:8]


class Clans:
    """Draws clans over three to four generations and who of them goes missing."""

    def __init__(self, rng: random.Random, w: World):
        self.rng, self.w, self.members = rng, w, []

    def pick(self, pool: list, avoid=()) -> str:
        """A name not in avoid, sharing no word with it (one Mohammad-name among brothers)."""
        draws = iter(lambda: self.rng.choices(*pool)[0], None)
        return next(s for s in draws if s not in avoid and not set(s.split()) & set(avoid))

    def children(self, m) -> list:
        """Man m's children, named after the grandfather, an uncle, a grandmother or freely."""
        rng, members = self.rng, self.members
        if m.born + 22 > 2003 or rng.random() > 0.92:
            return []
        wife = self.pick(self.w.female)
        fam = m.family if rng.random() < 0.35 else self.pick(self.w.family)
        father = members[m.father] if m.father is not None else None
        uncles = [members[k].given for k in father.kids if members[k].sex == "M"] if father else []
        lo, hi = (5, 9) if m.born < 1950 else (4, 7) if m.born < 1970 else (2, 5)
        n, used, year, out = rng.randint(lo, hi), {m.given}, m.born + rng.randint(22, 32), []
        while len(out) < n and year <= 2003:
            sex, r = "M" if rng.random() < 0.52 else "F", rng.random()
            first, spare = not any(c.sex == sex for c in out), [u for u in uncles if u not in used]
            name = self.pick(self.w.male if sex == "M" else self.w.female, used)
            if sex == "M" and first and m.fname not in used and r < 0.6:
                name = m.fname
            elif sex == "M" and not first and spare and r < 0.15:
                name = rng.choice(spare)
            elif sex == "F" and first and father and r < 0.3:
                name = father.mother
            used.update([name] + (name.split() if name.startswith("محمد ") else []))
            vals = (len(members), m.clan, sex, name, m.given, m.fname, m.family, m.id, m.father)
            out.append(rec(MEMBER, *vals, year, mother=wife, mfam=fam, kids=[]))
            members.append(out[-1])
            m.kids.append(out[-1].id)
            year += rng.choices([1, 2, 3, 4, 5], [30, 40, 20, 6, 4])[0]
        return out

    def event_date(self) -> dt.date:
        year = self.rng.choices(range(2011, 2020), [1, 3, 3, 2, 1, 1, 0.5, 0.5, 0.3])[0]
        start = dt.date(2011, 3, 15) if year == 2011 else dt.date(year, 1, 1)
        return start + dt.timedelta(self.rng.randrange((dt.date(year, 12, 31) - start).days + 1))

    def household_events(self, m, taken: dict, home: int) -> None:
        rng, members, w = self.rng, self.members, self.w
        for _ in range(1 + (rng.random() < 0.3)):
            date = self.event_date()
            sons = [members[k] for k in m.kids if members[k].sex == "M" and k not in taken]
            sons = [s for s in sons if 15 <= date.year - s.born <= 60]
            r, r2 = rng.random(), rng.random()
            if r < 0.3 and len(sons) >= 2:
                group = rng.sample(sons, rng.randint(2, min(4, len(sons))))
                if m.id not in taken and date.year - m.born <= 70 and rng.random() < 0.3:
                    group.append(m)
                taken.update({p.id: (date, home, "home") for p in group})
                continue
            kind = "home" if r2 < 0.5 else "checkpoint" if r2 < 0.8 else "city"
            towns = [home] if kind == "home" else w.near[home] if kind == "checkpoint" else w.cities
            if sons and r < 0.85:
                taken[rng.choice(sons).id] = (date, rng.choice(towns), kind)
            elif m.id not in taken and 18 <= date.year - m.born <= 70:
                taken[m.id] = (date, rng.choice(towns), kind)
        for d in (members[k] for k in m.kids if members[k].sex == "F"):
            date = self.event_date()
            if rng.random() < 0.12 and 16 <= date.year - d.born <= 60 and d.id not in taken:
                taken[d.id] = (date, home, "home")

    def population(self, n: int) -> list:
        """Clans until n persons are missing; returns the missing persons."""
        rng, w, members, persons = self.rng, self.w, self.members, []
        homes = [math.sqrt(t["pop"] + 500) for t in w.towns]
        while len(persons) < n:
            home, gf = rng.choices(range(len(w.towns)), homes)[0], self.pick(w.male)
            f = self.pick(w.male, {gf})
            given = gf if rng.random() < 0.6 else self.pick(w.male, {f})
            vals = (len(members), len(members), "M", given, f, gf, self.pick(w.family), None, None)
            members.append(rec(MEMBER, *vals, rng.randint(1918, 1935), kids=[]))
            members[-1].mother, stack, men, taken = self.pick(w.female), [members[-1]], [], {}
            while stack:
                men.append(stack.pop())
                stack.extend(k for k in self.children(men[-1]) if k.sex == "M")
            heat = rng.uniform(0.05, 0.5)
            for man in sorted(men, key=lambda x: x.id):
                if man.kids and rng.random() < heat:
                    self.household_events(man, taken, home)
            for m in (members[k] for k in sorted(taken)):
                sons = [members[k].given for k in m.kids if members[k].sex == "M"] + [m.fname]
                kunya = rng.choice([k for k, _ in parse_list(KUNYA_NICK)])
                kunya = sons[0] if rng.random() < (0.8 if len(sons) > 1 else 0.6) else kunya
                bro = [members[k].given for k in members[m.father].kids if members[k].sex == "M"]
                p = rec("pid m date town kind home", len(persons), m, *taken[m.id], home)
                p.kunya, p.mother_kunya = kunya * (m.sex == "M"), (bro + [""])[0]
                p.neigh = m.father % 6
                p.nick = rng.choice(w.nick[m.given]) if m.given in w.nick and m.sex == "M" else None
                persons.append(p)
        return persons[:n]


class Pen:
    """One report being written: reporter's habits, the person, random stream, variant tags."""

    def __init__(self, rng: random.Random, w: World, hab: dict, p: SimpleNamespace):
        self.rng, self.w, self.h, self.p, self.tags, self.lat = rng, w, hab, p, set(), hab["lat"]

    def t(self, tag: str, value):
        self.tags.add(tag)
        return value

    def token(self, tok: str) -> str:
        base, rng, system = self.w.lat.get(tok, tok), self.rng, self.h["system"]
        vs = self.w.variants.get(tok) if system == "en" and rng.random() < 0.7 else None
        s = rng.choices([v for v, _ in vs], [c for _, c in vs])[0] if vs else base
        s = apply_rules(base, FR if system == "fr" else TR) if system in ("fr", "tr") else s
        return wobble(s, rng) if rng.random() < 0.12 else s

    def name(self, ar: str) -> str:
        if ar.startswith("عبد "):
            return self.abd(ar[4:])
        if ar.startswith("محمد "):
            return self.compound(*ar.split(" ", 1))
        return self.token(ar) if self.lat and ar else ar

    def abd(self, root: str) -> str:
        if not self.lat:
            return self.t("abd_form", "عبد" + root) if self.h["abd_join"] else "عبد " + root
        r, system = self.t("abd_form", self.w.lat[root]), self.h["system"]
        forms = ABD.get(("allah_" if root == "الله" else "") + system, "Abdullah").split("|")
        forms += ["Abd a{s}-{R}"] if system == "en" and r[0] in "TDRZSN" and root != "الله" else []
        return self.rng.choice(forms).format(R=r, r=r.lower(), s=r[0].lower(), F=apply_rules(r, FR))

    def compound(self, first: str, second: str) -> str:
        f, s = (self.token(first), self.token(second)) if self.lat else (first, second)
        r = self.rng.random()
        if r < 0.55:
            return f"{f} {s}"
        if r < 0.82 or not self.lat:
            return self.t("compound", s if r < 0.75 else f if r < 0.82 else f + s)
        return self.t("compound", self.rng.choice([f"{f}-{s}", f + s.lower(), f"Mhd {s}"]))

    def family(self, ar: str) -> str:
        rng, system, r = self.rng, self.h["system"], self.rng.random()
        core = ar[2:] if ar.startswith("ال") else ar
        if not self.lat and (r < 0.1 and core != ar or r > 0.96):
            return self.t("family_article", core if r < 0.1 else "آل " + core)
        if not self.lat:
            return ar
        base = self.w.lat[ar]
        core = base[3:] if base.startswith("Al-") else base
        core = apply_rules(core, FR if system == "fr" else TR) if system != "en" else core
        core = wobble(core, rng) if rng.random() < 0.25 else core
        art = rng.choices(ABD["articles"].split("|"), [35, 20, 10, 10, 10, 5, 10])[0]
        if not base.startswith("Al-") or not art:
            return core if not base.startswith("Al-") else self.t("family_article", core)
        return art + (core.lower() if art == "Al" else core)

    def kunya(self, noun: str, female: bool = False) -> str:
        prefix = {"ar": "أبو", "en": "Abu", "fr": "Abou", "tr": "Ebu"}[self.h["system"]]
        return (("Umm" if self.lat else "أم") if female else prefix) + " " + self.name(noun)

    def given(self) -> str:
        nick = self.p.nick if self.h["nick"] and self.p.nick else None
        nick = nick[self.lat] if nick else ""
        return self.t("nickname", nick) if nick else self.name(self.p.m.given)

    def boxes(self) -> dict:
        rng, m, t, p = self.rng, self.p.m, self.t, self.p
        g, f, gf, fam = self.given(), self.name(m.fname), self.name(m.gfname), self.family(m.family)
        r, mother, gf = rng.random(), "", "" if rng.random() < 0.35 else gf
        if rng.random() >= 0.45:
            mother = self.name(m.mother) + (" " + self.family(m.mfam) if r < 0.4 else "")
            mother = self.kunya(p.mother_kunya, True) if r < 0.1 and p.mother_kunya else mother
            mother = t("mother_form", mother) if r < 0.4 else mother
        if rng.random() < 0.07:
            f, fam = t("box_blank", ("", fam) if rng.random() < 0.57 else (f, ""))
        r = rng.random()
        if r < 0.07 and f:
            g, f, gf = t("box_shift", (f"{g} {f}", gf, ""))
        elif r < 0.12 and gf and f:
            f, gf = t("box_merge", (f"{f} {gf}", ""))
        elif r < 0.16 and fam:
            gf, fam = t("family_in_gf", (fam, ""))
        self.tags.update([] if gf else ["gf_blank"])
        if self.h["kunya"] and p.kunya:
            k, added = self.kunya(p.kunya), rng.choice(["{} ({})", "{} {}"])
            g = t("kunya_alone", k) if rng.random() < 0.4 else t("kunya_added", added.format(g, k))
        return dict(zip(COLUMNS[1:6], (g, f, gf, fam, mother), strict=True))

    def full_name(self) -> str:
        rng, m, t = self.rng, self.p.m, self.t
        r, g, fam = rng.random(), self.given(), self.family(m.family)
        chain = [g] if r >= 0.88 else [g, self.name(m.fname)]
        chain += [self.name(m.gfname)] if 0.5 <= r < 0.88 else []
        links = [["بن", "ابن"], ["بنت"], ["bin", "ibn", "son of", "Bin"], ["bint", "daughter of"]]
        links = links[2 * self.lat + (m.sex == "F")]
        if len(chain) > 1 and rng.random() < (0.45 if m.sex == "F" else 0.2):
            chain.insert(1, t("connector", rng.choice(links)))
            if len(chain) == 4 and rng.random() < 0.5 and m.sex == "M":
                chain.insert(3, rng.choice(links))
        if self.h["fam_first"] or rng.random() < 0.02:
            text = t("family_first", f"{fam}{',' if self.lat else '،'} {' '.join(chain)}")
        elif rng.random() < 0.06:
            text = t("separators", rng.choice([", ", " - ", "-"]).join(chain + [fam]))
        else:
            text = " ".join(chain + [fam])
        if self.h["kunya"] and self.p.kunya:
            k = self.kunya(self.p.kunya)
            text = t("kunya_full", f"{text} ({k})" if rng.random() < 0.5 else f"{k} {text}")
        return t("full_name", text)

    def year_and_date(self) -> tuple[str, str]:
        rng, t, vague, y, d = self.rng, self.t, self.h["vague"], self.p.m.born, self.p.date
        r = rng.random()
        if rng.random() < (0.25 if vague else 0.1):
            y = t("year_blank", "")
        elif r < (0.35 if vague else 0.03) and y % 10:
            y = t("year_decade", y // 10 * 10)
        elif r > 0.76:
            y = t("year_off", y + rng.choice([-1, 1]) * (2 if r > 0.93 else 1))
        r = rng.random()
        if rng.random() < (0.37 if vague else 0.22):
            return str(y), t("date_blank", "")
        if r < 0.2:
            d = t("date_off", d + dt.timedelta(days=rng.choice([-1, 1]) * rng.randint(1, 10)))
        elif r < (0.8 if vague else 0.35):
            d = t("date_month", d.replace(day=1))
        return str(y), d.isoformat() if rng.random() < 0.7 else f"{d.year}/{d.month}/{d.day}"

    def place(self) -> tuple[str, str]:
        rng, w, t, p = self.rng, self.w, self.t, self.p
        ar, en, fr = w.gov[w.towns[p.town]["gov"]]
        forms = fr + en[:1] if self.h["system"] == "fr" else en if self.lat else ar[:1] * 4 + ar[1:]
        gov, r = "" if rng.random() < 0.12 else rng.choice(forms), rng.random()
        if r < 0.18:
            return gov, t("place_blank", "")
        if p.kind == "home" and r > 0.88:
            return gov, t("place_neigh", NEIGH.split(";")[p.neigh].split("/")[self.lat].strip())
        if r > 0.78:
            return gov, t("place_district", rng.choice(w.district[p.town][self.lat]))
        town = w.towns[p.town]["ar"]
        if self.lat or rng.random() < 0.04:
            town = t("place_latin", rng.choice(w.towns[p.town]["lat"]))
        if p.kind == "checkpoint" and r < 0.6:
            forms = [f"{town} checkpoint", f"checkpoint at the entrance of {town}"]
            forms = forms if self.lat else [f"حاجز {town}", f"حاجز على مدخل {town}"]
            return gov, t("place_checkpoint", rng.choice(forms))
        return gov, town

    def write(self, rid: str) -> tuple[dict, set, SimpleNamespace]:
        rng, t, row = self.rng, self.t, dict.fromkeys(COLUMNS, "")
        row.update(self.boxes() if not self.h["full"] else {"full_name": self.full_name()})
        taa = not self.lat and rng.random() < 0.12
        for col in (c for c in COLUMNS[1:7] if row[c]):
            s = t("caps", row[col].upper()) if self.h["caps"] else row[col]
            if self.h["hamza"] and re.search("[أإآ]", s):
                s = t("hamza", re.sub("[أإآ]", "ا", s))
            if taa and re.search(r"[ةى]\b", s):
                s = t("letter_norm", re.sub(r"ى\b", "ي", re.sub(r"ة\b", "ه", s)))
            s = t("typo", typo(s, rng)) if rng.random() < 0.05 else s
            row[col] = t("space", space_slip(s, rng)) if rng.random() < 0.03 else s
        sex = rng.choice([("M", "F"), ("male", "female") if self.lat else ("ذكر", "أنثى")])
        row["report_id"], row["sex"] = rid, sex[self.p.m.sex == "F"]
        row["sex"] = t("sex_blank", "") if rng.random() < 0.2 else row["sex"]
        row["birth_year"], row["disappearance_date"] = self.year_and_date()
        row["governorate"], row["disappearance_place"] = self.place()
        if self.h["indic"] and (row["birth_year"] or row["disappearance_date"]):
            for col in ("birth_year", "disappearance_date"):
                row[col] = t("indic_digits", row[col].translate(INDIC))
        self.tags.add("latin_" + self.h["system"] if self.lat else "arabic")
        return row, self.tags, self.p


def write_reports(rng: random.Random, w: World, persons: list) -> list[tuple]:
    """1-5 reports per person, by reporters of the household (shared habits) or new ones."""
    pool, out = defaultdict(list), []
    for p in persons:
        for _ in range(rng.choices([1, 2, 3, 4, 5], [22, 32, 24, 14, 8])[0]):
            habits = pool[p.m.father]
            if not habits or rng.random() >= 0.55:
                lat = rng.random() < 0.3
                h = {k: rng.random() < v[lat] for k, v in HABITS.items()}
                system = rng.choices(["en", "fr", "tr"], [70, 22, 8])[0] if lat else "ar"
                habits.append(dict(h, lat=lat, system=system))
            out.append((rng.choice(habits), p))
    rng.shuffle(out)
    return [Pen(rng, w, hab, p).write(f"R{i + 1:05d}") for i, (hab, p) in enumerate(out)]


def relation(a, b) -> str:
    """How two clan members are related, for classifying a false pair."""
    men, fa, fb = a.sex == b.sex == "M", a.father, b.father
    if fa == b.id or fb == a.id:
        return "father-son" if men else "father-daughter"
    if fa is not None and fa == fb:
        return "brothers" if men else "siblings"
    if fa is not None and fa == b.gfather or fb is not None and fb == a.gfather:
        return "uncle-nephew" if men else "uncle/aunt-niece/nephew"
    if a.gfather is not None and a.gfather == b.gfather:
        return "cousins"
    if a.clan == b.clan:
        return "same clan, more distant"
    return "unrelated, same family name" if a.family == b.family else "unrelated"


def evaluate(rows: list, out: dict, persons: list) -> None:
    person, tags, by_person, clans = {}, {}, defaultdict(list), defaultdict(list)
    for row, ts, p in rows:
        person[row["report_id"]], tags[row["report_id"]] = p, ts
        by_person[p.pid].append(row["report_id"])
    for p in persons:
        clans[p.m.clan].append(p.m)
    true = {(a, b) for ids in by_person.values() for a in ids for b in ids if a < b}
    pop = Counter(relation(a, b) for g in clans.values() for i, a in enumerate(g) for b in g[:i])
    prop, und, rel = out["pairs"], out["undecided"], out["relatives"]
    found, tp = prop | und, len(prop & true)
    false = Counter(relation(person[a].m, person[b].m) for a, b in prop - true)
    men = sum(p.m.sex == "M" for p in persons) / len(persons)
    show = lambda c: ", ".join(f"{k} {v}" for k, v in c.most_common()) or "none"  # noqa: E731
    print(f"reports {len(rows)} ({len(rows) / len(persons):.2f} per person), persons", end=" ")
    print(f"{len(persons)} (men {men:.1%}), true pairs {len(true)}")
    print(f"missing relatives (person pairs): {show(pop)}")
    print(f"proposed pairs {len(prop)}: precision {tp / max(len(prop), 1):.4f}", end=", ")
    print(f"recall {tp / len(true):.4f}; counting undecided {len(found & true) / len(true):.4f}")
    print(f"undecided {len(und)} (true {len(und & true)}), relatives list {len(rel)}", end=" ")
    print(f"(true duplicates on it: {len(rel & true)})")
    print(f"false proposed pairs by relation: {show(false)}")
    count, kinds = Counter(t for ts in tags.values() for t in ts), defaultdict(Counter)
    for a, b in true:
        for k in tags[a] | tags[b]:
            kinds[k].update(n=1, found=(a, b) in prop, undecided=(a, b) in found)
    print(f"{'variant kind':<18}{'reports':>9}{'true pairs':>11}{'recall':>8}{'+undecided':>11}")
    for k, c in sorted(kinds.items()):
        n, share = c["n"], count[k] / len(rows)
        print(f"{k:<18}{share:>9.1%}{n:>11}{c['found'] / n:>8.3f}{c['undecided'] / n:>11.3f}")


def run_nasab(args, workdir: Path, rows: list) -> dict:
    """Write reports.csv and truth.tsv, run nasab dedup, read back the pairs."""
    with open(workdir / "reports.csv", "w", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, COLUMNS).writeheader()
        csv.DictWriter(fh, COLUMNS).writerows(row for row, _, _ in rows)
    with open(workdir / "truth.tsv", "w", encoding="utf-8", newline="") as fh:
        wr = csv.writer(fh, delimiter="\t", lineterminator="\n")
        wr.writerow(TRUTH.split())
        for row, tags, p in rows:
            m, name = p.m, f"{p.m.given} {p.m.fname} {p.m.gfname} {p.m.family}"
            ids = [row["report_id"], p.pid, m.id, m.father, m.gfather, m.clan, m.sex, m.born]
            wr.writerow(ids + [name, ",".join(sorted(tags))])
    out = {k: workdir / f"{k}.tsv" for k in ("pairs", "clusters", "relatives", "undecided")}
    cmd = [args.nasab, "dedup", "--reports", str(workdir / "reports.csv")]
    cmd += [x for k in out for x in ("--out" if k == "pairs" else f"--{k}", str(out[k]))]
    cmd += ["--threshold", str(args.threshold)] if args.threshold is not None else []
    res = subprocess.run(cmd, capture_output=True, text=True)
    sys.stdout.write(res.stdout)
    if res.returncode:
        raise SystemExit(res.stderr[-4000:] + f"nasab dedup exited {res.returncode}; see {workdir}")
    for k in ("pairs", "relatives", "undecided"):
        text = out[k].read_text(encoding="utf-8") if out[k].exists() else ""
        rows = list(csv.reader(text.splitlines(), delimiter="\t"))[1:]
        out[k] = {tuple(sorted(r[:2])) for r in rows if len(r) > 1}
    return out


def main(argv=None) -> None:
    here = Path(__file__).resolve().parents[1]
    data = os.environ.get("NASAB_SHARED_DATA") or str(here.parent / "shared" / "data")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = ap.add_argument
    add("--persons", type=int, default=3000, help="missing persons to simulate (default 3000)")
    add("--seed", type=int, default=1, help="random seed (default 1); output is reproducible")
    add("--workdir", help="output folder (default: a temporary one, removed afterwards)")
    add("--keep", action="store_true", help="keep the output folder and print its path")
    add("--threshold", type=float, help="passed to nasab dedup --threshold (default: nasab's)")
    add("--data", default=data, help="shared data ($NASAB_SHARED_DATA or ../shared/data)")
    add("--nasab", default=str(here / ".venv/bin/nasab"), help="nasab (.venv/bin/nasab)")
    args = ap.parse_args(argv)
    if args.persons < 1:
        ap.error(f"--persons {args.persons}: give 1 or more")
    if not (os.path.isfile(args.nasab) and os.access(args.nasab, os.X_OK)):
        ap.error(f"--nasab {args.nasab}: no such command (run make setup, or give --nasab)")
    rng, w = random.Random(args.seed), World()
    try:  # bad input: one line naming the path, no traceback, nothing written
        w.load_names(Path(args.data))
        w.load_places(Path(args.data))
        workdir = Path(args.workdir or tempfile.mkdtemp(prefix="nasab_dedup3_"))
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        ap.error(f"{e.filename}: {e.strerror}")
    persons = Clans(rng, w).population(args.persons)
    rows = write_reports(rng, w, persons)
    out = run_nasab(args, workdir, rows)  # on a refusal it exits and keeps the input
    print(f"third simulator, seed {args.seed}, {args.persons} persons")
    evaluate(rows, out, persons)
    if args.keep or args.workdir:
        print(f"workdir: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
