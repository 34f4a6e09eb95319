"""Name knowledge for linkage: which spellings are one given name, and which are not.

Written by hand for nasab (no third-party list copied): common Arabic given names of
Syria with their Arabic script forms and usual Latin spellings, the Levantine nicknames
(حمودة / Hamoudeh for Mohammad, Mahmoud or Ahmad; عبود / Abboud for Abdullah and the
other Abd-names), the abbreviations of the Mohammad- prefix of compound names (Mhd.,
Moh., Mohd.), and the kunya (أبو علي / Abu Ali: "father of Ali", a man named by his
son).

Identity first, similarity second: :func:`name_ids` returns the lexicon identities of a
name token.  Two tokens with identities are the same name exactly when an identity is
shared, so names that share consonants but are different names (Mohammad / Mahmoud,
Hassan / Hussein, Amar / Omar, Abd al-Karim / Abd al-Qader) stay distinct whatever
their spelling.  A Latin spelling that is not listed is resolved through the
script-independent rules of :mod:`nasab.linkage.normalise`: it must have the consonant
key of the Arabic form, compatible vowels (:func:`~nasab.linkage.normalise.vowels_compatible`),
and agree on whether the name starts with a vowel (أ / ع) or a consonant (so that a
typing slip like "Ahead" is not read as هادي).  A spelling that fits no entry or more
than one has no identity, and the linkage model compares it by string similarity.

:func:`parse_name` splits the text of any name box (or a whole free-text name) into
tokens: ``عبد الـ`` / ``Abd al-`` compounds, ``X al-Din`` compounds and kunyas are one
token each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nasab.linkage.normalise import (
    detect_script,
    normalise_arabic,
    normalise_name,
    phonetic_key,
    strip_article,
    vowel_groups,
    vowels_compatible,
)

__all__ = [
    "MOHAMMAD_PREFIXES",
    "Token",
    "entry",
    "is_known",
    "name_ids",
    "nickname_of",
    "parse_name",
    "slip_ids",
]

# id | Arabic forms (/) | Latin spellings (,) -- the id is the first Latin spelling.
_MALE = """
mohammad | محمد | Mohammad, Muhammad, Mohammed, Mohamed, Mohamad, Muhammed, Mouhammad, Mhd, Mohd, Moh
ahmad | أحمد | Ahmad, Ahmed
mahmoud | محمود | Mahmoud, Mahmud, Mahmood, Mahmod
mustafa | مصطفى | Mustafa, Moustafa, Mostafa, Mustapha
ali | علي | Ali, Aly
omar | عمر | Omar, Umar, Omer
ammar | عمار | Ammar, Amar, Ammaar
amer | عامر | Amer, Aamer
hassan | حسن | Hassan, Hasan, Hasen
hussein | حسين | Hussein, Husein, Hussain, Husain, Hossein, Husayn
hassoun | حسون | Hassoun, Hasoun
khaled | خالد | Khaled, Khalid, Khaleed, Chaled
ibrahim | إبراهيم / ابراهيم | Ibrahim, Ebrahim, Brahim, Ibraheem
yousef | يوسف | Yousef, Youssef, Yusuf, Yosef, Yousif, Yusef
abdullah | عبد الله / عبدالله | Abdullah, Abdallah, Abd Allah, Abdulla, Abdellah
abdulrahman | عبد الرحمن | Abd al-Rahman, Abdulrahman, Abdel Rahman, Abdurrahman
abdulkarim | عبد الكريم | Abd al-Karim, Abdulkarim, Abdel Karim, Abdul Kareem
abdulqader | عبد القادر | Abd al-Qader, Abdulkader, Abdelkader, Abdul Qadir
abdulaziz | عبد العزيز | Abd al-Aziz, Abdulaziz, Abdelaziz
abdulhamid | عبد الحميد | Abd al-Hamid, Abdulhamid, Abdelhamid
abdulrazzaq | عبد الرزاق | Abd al-Razzaq, Abdulrazzak, Abdel Razzak
abdulsalam | عبد السلام | Abd al-Salam, Abdulsalam, Abdessalam
abdulnasser | عبد الناصر | Abd al-Nasser, Abdulnaser, Abdel Nasser
abdulhadi | عبد الهادي | Abd al-Hadi, Abdulhadi
abdulghani | عبد الغني | Abd al-Ghani, Abdulghani
abdullatif | عبد اللطيف | Abd al-Latif, Abdullatif, Abdellatif
abdulmajid | عبد المجيد | Abd al-Majid, Abdulmajeed, Abdelmajid
abdulhalim | عبد الحليم | Abd al-Halim, Abdulhalim
abdulwahab | عبد الوهاب | Abd al-Wahab, Abdulwahab
abdulbasit | عبد الباسط | Abd al-Basit, Abdulbaset
abdulilah | عبد الإله / عبد الاله | Abd al-Ilah, Abdulilah
abdulmuin | عبد المعين | Abd al-Muin, Abdulmoein
abdulraouf | عبد الرؤوف | Abd al-Raouf, Abdulraouf
abdulrahim | عبد الرحيم | Abd al-Rahim, Abdulrahim
abdulfattah | عبد الفتاح | Abd al-Fattah, Abdulfattah
abdulmalik | عبد الملك | Abd al-Malik, Abdulmalek
abdulwahid | عبد الواحد | Abd al-Wahid, Abdulwahed
abdulkafi | عبد الكافي | Abd al-Kafi, Abdulkafi
abdulmunim | عبد المنعم | Abd al-Munim, Abdulmonem
samer | سامر | Samer, Saamer
sami | سامي | Sami, Samy, Sammy
samir | سمير | Samir, Sameer, Semir
fadi | فادي | Fadi, Fady
rami | رامي | Rami, Ramy
basel | باسل | Basel, Basil, Bassel
bassam | بسام | Bassam, Basam
imad | عماد | Imad, Emad
ayman | أيمن | Ayman, Aiman, Eyman
wael | وائل | Wael, Wail
maher | ماهر | Maher, Mahir
bashar | بشار | Bashar, Bachar, Bashshar
yaser | ياسر | Yaser, Yasser, Yassir, Yasir
raed | رائد | Raed, Raid
mazen | مازن | Mazen, Mazin
haitham | هيثم | Haitham, Haytham, Heitham
tareq | طارق | Tareq, Tariq, Tarek, Tarik
ziad | زياد | Ziad, Ziyad, Zyad
nabil | نبيل | Nabil, Nabeel
jamal | جمال | Jamal, Gamal, Djamal
kamal | كمال | Kamal, Kemal
munir | منير | Munir, Mounir, Moneer
suleiman | سليمان | Suleiman, Sulaiman, Soliman, Sleiman, Sulayman
othman | عثمان | Othman, Osman, Uthman
saleh | صالح | Saleh, Salih
qasem | قاسم | Qasem, Qasim, Kassem, Qassem, Kasem
ghassan | غسان | Ghassan, Ghasan
shadi | شادي | Shadi, Chadi, Shady
issa | عيسى | Issa, Eissa, Isa, Essa
musa | موسى | Musa, Moussa, Mousa, Moosa
iyad | إياد | Iyad, Eyad, Iyyad, Eyyad
mamoun | مأمون | Mamoun, Mamun, Maamoun
anas | أنس | Anas
bilal | بلال | Bilal, Belal
hamza | حمزة | Hamza, Hamzah, Hamzeh
jihad | جهاد | Jihad, Jehad
nidal | نضال | Nidal, Nedal
muhannad | مهند | Muhannad, Mohanad, Mouhanad, Mohannad
firas | فراس | Firas, Feras
hisham | هشام | Hisham, Hesham
walid | وليد | Walid, Waleed
khalil | خليل | Khalil, Khaleel
adel | عادل | Adel, Adil
adnan | عدنان | Adnan
anwar | أنور | Anwar, Anouar
ashraf | أشرف | Ashraf
akram | أكرم | Akram
amin | أمين | Amin, Ameen
ayham | أيهم | Ayham, Aiham
aws | أوس | Aws, Aous
bakr | بكر | Bakr, Bakir
badr | بدر | Badr, Bader
burhan | برهان | Burhan, Borhan
fahd | فهد | Fahd, Fahed
faisal | فيصل | Faisal, Faysal, Feisal
farouk | فاروق | Farouk, Faruq, Farouq
fawaz | فواز | Fawaz, Fawwaz
ghazi | غازي | Ghazi
ghiath | غياث | Ghiath, Ghiyath, Ghayath
habib | حبيب | Habib
hadi | هادي | Hadi, Hady
hani | هاني | Hani, Hany
hazem | حازم | Hazem, Hazim
hatem | حاتم | Hatem, Hatim
husam | حسام | Husam, Hussam, Hosam
haidar | حيدر | Haidar, Haydar, Hayder
jaber | جابر | Jaber, Jabir
jalal | جلال | Jalal
jawad | جواد | Jawad
jasem | جاسم | Jasem, Jassem, Jasim
kinan | كنان | Kinan, Kenan
louay | لؤي | Louay, Luay, Loay
laith | ليث | Laith, Layth, Leith
majd | مجد | Majd
majed | ماجد | Majed, Majid
malek | مالك | Malek, Malik
mansour | منصور | Mansour, Mansur
marwan | مروان | Marwan
moatasem | معتصم | Moatasem, Mutasim, Motasem
muadh | معاذ | Muadh, Moaz, Muaz
mohsen | محسن | Mohsen, Muhsin
mundhir | منذر | Mundhir, Monzer, Munzer
nader | نادر | Nader, Nadir
naji | ناجي | Naji, Nagi
nasser | ناصر | Nasser, Naser, Nasir
nizar | نزار | Nizar, Nezar
obada | عبادة | Obada, Ubada, Obadah
osama | أسامة | Osama, Usama, Ousama
qusai | قصي | Qusai, Qussay, Kusay
rabie | ربيع | Rabie, Rabih, Rabi
radwan | رضوان | Radwan, Ridwan
rafiq | رفيق | Rafiq, Rafik
riad | رياض | Riad, Riyad, Riyadh
saad | سعد | Saad, Saed
saeed | سعيد | Saeed, Said, Saied
safwan | صفوان | Safwan
salah | صلاح | Salah
salem | سالم | Salem, Salim
salim | سليم | Selim, Saleem
suhail | سهيل | Suhail, Suhayl, Sohail
talal | طلال | Talal
tamer | تامر | Tamer, Tamir
tawfiq | توفيق | Tawfiq, Tawfik, Toufic
wassim | وسيم | Wassim, Wasim, Waseem
yahya | يحيى | Yahya, Yehia
yamen | يامن | Yamen, Yamin
yasin | ياسين | Yasin, Yassin, Yaseen
zaher | زاهر | Zaher, Zahir
zakaria | زكريا | Zakaria, Zakariya, Zakariyya
zuhair | زهير | Zuhair, Zouheir, Zuhayr
hamad | حمد | Hamad
hamid | حامد | Hamid, Hamed
hamdi | حمدي | Hamdi, Hamdy
humam | همام | Humam, Hammam
taha | طه | Taha
ismail | إسماعيل / اسماعيل | Ismail, Ismael, Esmail
yaqub | يعقوب | Yaqub, Yacoub, Yaakoub
dawud | داود / داوود | Dawud, Daoud, Dawood
idris | إدريس | Idris, Edris
shukri | شكري | Shukri, Choukri
sobhi | صبحي | Sobhi, Subhi
fayez | فايز | Fayez, Faiz
fares | فارس | Fares, Faris
fuad | فؤاد | Fuad, Fouad
jumaa | جمعة | Jumaa, Jomaa, Jumah
ramadan | رمضان | Ramadan, Ramadhan
khairallah | خير الله | Khairallah, Khairullah
nour | نور | Nour, Noor, Nur
nouraldin | نور الدين | Nour al-Din, Nureddin, Noureddine
alaa | علاء | Alaa, Ala
alaaaldin | علاء الدين | Alaa al-Din, Alaeddin, Aladdin
izzaldin | عز الدين | Izz al-Din, Ezzeddine, Izzeddin
kheiraldin | خير الدين | Kheir al-Din, Khaireddine
salahaldin | صلاح الدين | Salah al-Din, Salaheddin
shamsaldin | شمس الدين | Shams al-Din, Shamseddine
"""

_FEMALE = """
fatima | فاطمة / فاطمه | Fatima, Fatimah, Fatma, Fatme
maryam | مريم | Maryam, Mariam, Meryem, Miriam
aisha | عائشة / عايشة | Aisha, Aysha, Aicha, Ayesha
khadija | خديجة | Khadija, Khadijah, Khadeeja
zainab | زينب | Zainab, Zeinab, Zaynab
rana | رنا | Rana
huda | هدى | Huda, Houda, Hoda
suad | سعاد | Suad, Souad, Soad
layla | ليلى | Layla, Leila, Laila, Leyla
salma | سلمى | Salma, Selma
amal | أمل | Amal, Amel
mona | منى | Mona, Muna, Mouna
hala | هالة | Hala, Halah
rasha | رشا | Rasha, Racha
sanaa | سناء | Sanaa, Sana
najah | نجاح | Najah
wafaa | وفاء | Wafaa, Wafa
samira | سميرة | Samira, Sameera, Samirah
reem | ريم | Reem, Rim
samar | سمر | Samar
sahar | سحر | Sahar
hanan | حنان | Hanan
hind | هند | Hind, Hend
iman | إيمان | Iman, Eman, Imane
inas | إيناس | Inas, Enas
lina | لينا | Lina, Leena
lama | لمى | Lama
maha | مها | Maha
nada | ندى | Nada
nadia | نادية | Nadia, Nadiya
nawal | نوال | Nawal
rima | ريما | Rima, Reema
rola | رولا | Rola, Rula
sawsan | سوسن | Sawsan, Sausan
suha | سهى | Suha, Soha
ghada | غادة | Ghada
ola | علا | Ola, Ula
asmaa | أسماء | Asmaa, Asma
amina | آمنة / أمينة | Amina, Amena, Aminah
aya | آية | Aya, Ayah
dalal | دلال | Dalal
fadwa | فدوى | Fadwa, Fadoua
hayat | حياة | Hayat
jamila | جميلة | Jamila, Jameela
kawthar | كوثر | Kawthar, Kawsar
lubna | لبنى | Lubna, Loubna
manal | منال | Manal
nisreen | نسرين | Nisreen, Nesrine
rania | رانيا / رانية | Rania, Ranya
rawan | روان | Rawan
ruqaya | رقية | Ruqaya, Roukaya
sabah | صباح | Sabah
safaa | صفاء | Safaa, Safa
sara | سارة / ساره | Sara, Sarah
widad | وداد | Widad
yusra | يسرى | Yusra, Yousra
hiba | هبة | Hiba, Heba
abeer | عبير | Abeer, Abir
afaf | عفاف | Afaf
bushra | بشرى | Bushra, Boushra
ibtisam | ابتسام | Ibtisam, Ebtisam
intisar | انتصار | Intisar, Entisar
ilham | إلهام | Ilham, Elham
mayada | ميادة | Mayada, Mayyada
maysoon | ميسون | Maysoon, Maysun
naima | نعيمة | Naima, Naeema
najwa | نجوى | Najwa
raghad | رغد | Raghad
rahaf | رهف | Rahaf
randa | رندة | Randa
ruba | ربى | Ruba, Roba
samah | سماح | Samah
zahra | زهرة / زهراء | Zahra, Zahraa
"""

# Nicknames (Levantine diminutives): Arabic forms / Latin spellings -> the names they
# stand for.  A nickname is evidence for any of its names, never for another.
_ABD = "abd*"  # every Abd-compound of the lexicon
_NICKNAMES = """
حمودة / حمودي / حمود / حمادة | Hamoudeh, Hammoudeh, Hamouda, Hamoudi, Hammoudi, Hamoud, Hamada | mohammad, mahmoud, ahmad
عبود / عبودي / عبدو | Abboud, Aboud, Abbud, Abboudi, Aboudi, Abdo, Abdou | abd*
فطوم / فطومة | Fattoum, Fatoum, Fattoumeh | fatima
خدوج / خدوجة | Khaddouj, Khadouj | khadija
زوزو | Zouzou | zainab
"""

#: Abbreviations and forms of the Mohammad- prefix of compound names (Mohammad Sami).
MOHAMMAD_PREFIXES = frozenset(
    {
        "mhd",
        "moh",
        "mohd",
        "mhmd",
        "muh",
        "mohamad",
        "mohammad",
        "mohammed",
        "mohamed",
        "muhammad",
        "muhammed",
        "mouhammad",
        "m",
        "محمد",
        "مح",
        "م",
    }
)


@dataclass(frozen=True)
class Entry:
    id: str
    sex: str
    arabic: tuple[str, ...]
    latin: tuple[str, ...]


def _parse(block: str, sex: str) -> dict[str, Entry]:
    out = {}
    for line in block.strip().splitlines():
        i, ar, lat = (x.strip() for x in line.split("|"))
        out[i] = Entry(
            i,
            sex,
            tuple(a.strip() for a in ar.split("/")),
            tuple(x.strip() for x in lat.split(",")),
        )
    return out


_ENTRIES: dict[str, Entry] = {**_parse(_MALE, "M"), **_parse(_FEMALE, "F")}


def entry(name_id: str) -> Entry | None:
    """The lexicon entry of an identity (``"mohammad"``), or None."""
    return _ENTRIES.get(name_id)


def _token_norm(s: str) -> str:
    """Normal form of one token for exact look-up: own-script normalisation, spaces
    and hyphens removed (``Abd al-Karim`` = ``Abdulkarim``, ``عبد الله`` = ``عبدالله``)."""
    n = normalise_name(s)
    if detect_script(n) == "ar":
        n = n.replace("عبدال", "عبد")
    return n.replace(" ", "")


_EXACT: dict[str, set[str]] = {}
_NICK: dict[str, frozenset[str]] = {}
_BY_KEY: dict[
    str, list[tuple[str, str, str, bool]]
] = {}  # key -> (id, vowels, script, vowel-initial)


def _vowel_initial(raw: str) -> bool:
    n = normalise_name(raw)
    if detect_script(n) == "ar":
        return n[:1] in ("ا", "ع", "ء")
    return n[:1] in "aeiou"


def _add_key(tok: str, ident: str) -> None:
    k = phonetic_key(tok).replace(" ", "")
    if not k:
        return
    script = detect_script(tok)
    v = vowel_groups(tok).replace("|", ",") if script else ""
    _BY_KEY.setdefault(k, []).append((ident, v, script, _vowel_initial(tok)))


for _e in _ENTRIES.values():
    for _f in (*_e.arabic, *_e.latin):
        _EXACT.setdefault(_token_norm(_f), set()).add(_e.id)
        _add_key(_f, _e.id)
_ABD_IDS = frozenset(i for i in _ENTRIES if i.startswith("abd"))
for _line in _NICKNAMES.strip().splitlines():
    _ar, _lat, _ids = (x.strip() for x in _line.split("|"))
    _targets = frozenset(_ABD_IDS if _ids.strip() == _ABD else (x.strip() for x in _ids.split(",")))
    for _f in (*_ar.split("/"), *_lat.split(",")):
        _NICK[_token_norm(_f.strip())] = _targets


@lru_cache(maxsize=1 << 16)
def name_ids(token: str) -> frozenset[str]:
    """Lexicon identities of one name token (a given name, or a compound such as
    ``Abd al-Karim``): one identity for a known spelling, the identities a nickname
    stands for, and empty when the lexicon does not know the name (or cannot tell
    between several names)."""
    t = _token_norm(token)
    if not t:
        return frozenset()
    if t in _EXACT:
        return frozenset(_EXACT[t])
    if t in _NICK:
        return _NICK[t]
    script = detect_script(token)
    if script != "lat":
        return frozenset()  # Arabic spelling not listed: unknown
    k = phonetic_key(token).replace(" ", "")
    v = vowel_groups(token).replace("|", ",")
    init = _vowel_initial(token)
    # Latin spellings of the lexicon first (Latin vowels tell more), then Arabic forms
    for script in ("lat", "ar"):
        hits = {
            ident
            for ident, ev, es, einit in _BY_KEY.get(k, ())
            if es == script and einit == init and vowels_compatible(v, ev, "lat", es)
        }
        if hits:
            if len(hits) > 1 or _slips_of(t) - hits:
                # several names, or one typing slip from a listed spelling of another
                # name (Ahme: Ahmad, not Ayham by its consonants): not known
                return frozenset()
            return frozenset(hits)
    return frozenset()


def nickname_of(token: str) -> frozenset[str]:
    """The names a nickname stands for (empty when ``token`` is not a known nickname)."""
    return _NICK.get(_token_norm(token), frozenset())


def is_known(token: str) -> bool:
    return bool(name_ids(token))


# --- parsing a name box or a free-text name ----------------------------------------------

_KUNYA_AR = re.compile(r"^(?:ابو|أبو|ابو|ام|أم)$")
_KUNYA_LAT = re.compile(r"^(?:abu|abou|abo|aboo|um|umm|oum|om)$")
_DIN = {"din", "deen", "dine", "eddin", "eddine", "uddin", "eddeen", "aldin", "eldin", "الدين"}
_ABD_SOLO = {"عبد", "abd", "abdul", "abdel", "abdal", "abdil"}
_ARTICLE = {
    "al",
    "el",
    "ال",
    "ad",
    "ed",
    "ud",
    "ar",
    "er",
    "as",
    "es",
    "an",
    "en",
    "ash",
    "esh",
    "at",
    "et",
    "az",
    "ez",
}


@dataclass(frozen=True)
class Token:
    text: str  # as written (joined compounds with a space)
    kind: str  # "name", "kunya" (Abu X: text is X), "prefix" (Mohammad- prefix), "family"


def split_words(s: str) -> list[str]:
    """The words of a name as :func:`parse_name` splits them (dots, hyphens, commas)."""
    s = re.sub(r"[.,;/()\[\]]", " ", s)
    s = s.replace("-", " ").replace("_", " ")
    return s.split()


def _is_prefix(word: str, low: str) -> bool:
    """The Mohammad- prefix of a compound name, also with a typing slip (Muhbmmad)."""
    if low in MOHAMMAD_PREFIXES:
        return True
    long_enough = 4 if detect_script(low) == "ar" else 6
    return len(low) >= long_enough and typo_ids(word) == {"mohammad"}


def _is_abd(low: str) -> bool:
    """A word that starts a compound Abd-name (عبد, Abd, Abdul; عبدال written joined)."""
    return low in _ABD_SOLO or (low.startswith("عبدال") and len(low) == 5)


@lru_cache(maxsize=1 << 15)
def parse_name(text: str) -> tuple[Token, ...]:
    """Tokens of a name as written: compounds joined (``عبد الله``, ``Abd al-Karim``,
    ``Nour al-Din``), a kunya (``Abu Ali``) one token of kind ``kunya`` holding the son's
    name, an article kept with the name it belongs to (``al-Hamwi``)."""
    words = split_words(text or "")
    out: list[Token] = []
    i = 0
    while i < len(words):
        w = words[i]
        low = normalise_name(w)
        nxt = words[i + 1] if i + 1 < len(words) else None
        # Abd + (article) + name
        if _is_abd(low) and nxt:
            j = i + 1
            if normalise_name(words[j]) in _ARTICLE and j + 1 < len(words):
                j += 1
            out.append(Token(" ".join(words[i : j + 1]), "name"))
            i = j + 1
            continue
        # kunya: Abu / أبو + name
        if (
            _KUNYA_AR.match(normalise_arabic(w) if detect_script(w) == "ar" else "")
            or _KUNYA_LAT.match(low)
        ) and nxt:
            j = i + 1
            if _is_abd(normalise_name(words[j])) and j + 1 < len(words):
                j += 1  # Abu Abd al-Rahman: the son's name is the whole compound
            if normalise_name(words[j]) in _ARTICLE and j + 1 < len(words):
                j += 1
            out.append(Token(" ".join(words[i + 1 : j + 1]), "kunya"))
            i = j + 1
            continue
        # X al-Din / X ad-Din / Xeddin
        if (
            out
            and out[-1].kind in ("name", "prefix")
            and (low in _DIN or (low in _ARTICLE and nxt and normalise_name(nxt) in _DIN))
        ):
            j = i + (1 if low in _DIN else 2)
            out[-1] = Token(out[-1].text + " " + " ".join(words[i:j]), "name")
            i = j
            continue
        # article + name (family names: al-Hamwi, Al Hamawi)
        if low in _ARTICLE and nxt:
            out.append(Token(f"{w} {nxt}", "name"))
            i += 2
            continue
        if not out and nxt and _is_prefix(w, low):
            out.append(Token(w, "prefix"))
        else:
            out.append(Token(w, "name"))
        i += 1
    return tuple(out)


def family_form(s: str) -> str:
    """A family name without its article, for keys (``al-Hamwi`` -> ``hamwi``)."""
    return strip_article(normalise_name(s), joined=True)


def _osa1(s: str, t: str) -> bool:
    """Whether two strings are at most one typing slip apart (one letter added,
    dropped, replaced, or two neighbours swapped)."""
    if s == t:
        return True
    if abs(len(s) - len(t)) > 1:
        return False
    if len(s) == len(t):
        diff = [i for i, (x, y) in enumerate(zip(s, t, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and s[diff[0]] == t[diff[1]]
            and s[diff[1]] == t[diff[0]]
        )
    short, long_ = (s, t) if len(s) < len(t) else (t, s)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


_DELETES: dict[str, set[str]] = {}
for _sp in _EXACT:
    for _i in range(len(_sp)):
        _DELETES.setdefault(_sp[:_i] + _sp[_i + 1 :], set()).add(_sp)
    _DELETES.setdefault(_sp, set()).add(_sp)


def _slips_of(t: str) -> set[str]:
    """Identities of the listed spellings one typing slip from the normal form ``t``
    (same first letter; ``t`` itself excluded)."""
    cands = set()
    for k in (t, *(t[:i] + t[i + 1 :] for i in range(len(t)))):
        cands |= _DELETES.get(k, set())
    return {i for c in cands if c != t and c[:1] == t[:1] and _osa1(c, t) for i in _EXACT[c]}


@lru_cache(maxsize=1 << 16)
def typo_ids(token: str) -> frozenset[str]:
    """The identity of a name the lexicon does not know but that is one typing slip
    from exactly one of its names in the same script (``Khadjia``, ``Ahmd``); empty
    when it is known, short (under four letters) or near several names."""
    t = _token_norm(token)
    if len(t) < 4 or name_ids(token):
        return frozenset()
    cands = set()
    for k in (t, *(t[:i] + t[i + 1 :] for i in range(len(t)))):
        cands |= _DELETES.get(k, set())
    ids = {i for c in cands if c[:1] == t[:1] and _osa1(c, t) for i in _EXACT[c]}
    return frozenset(ids) if len(ids) == 1 else frozenset()


@lru_cache(maxsize=1 << 16)
def slip_ids(token: str) -> frozenset[str]:
    """Every identity one typing slip from a name the lexicon does not know, in the same
    script and with the same first letter (``أحد``: أحمد, أسد ...; ``Abi``: Ali ...);
    empty for a known name or one under three letters.  Unlike :func:`typo_ids` the
    answer may hold several names: it says which names this slip could be of, to compare
    it with the name of another report, not what name it is."""
    t = _token_norm(token)
    if len(t) < 3 or name_ids(token):
        return frozenset()
    return frozenset(_slips_of(t))
