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
their spelling.  A Latin spelling that is not listed is first read with its ending as a ta
marbuta is written (Halimeh, Halimah: Halima, for names written with ة), then through
the script-independent rules of :mod:`nasab.linkage.normalise`: it must have the consonant
key of the Arabic form, compatible vowels (:func:`~nasab.linkage.normalise.vowels_compatible`),
and agree on whether the name starts with a vowel (أ / ع) or a consonant (so that a
typing slip like "Ahead" is not read as هادي).  A nickname typed with one slip (عبوود,
خسون for حسون) reads as the nickname where it is one slip from no listed name.  A
spelling that fits no entry or more than one has no identity, and the linkage model
compares it by string similarity.

:func:`nasab.linkage.tokens.parse_name` splits the text of any name box (or a whole
free-text name) into the tokens whose identities this module gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nasab.linkage.lexicon_data import ABD as _ABD
from nasab.linkage.lexicon_data import FEMALE as _FEMALE
from nasab.linkage.lexicon_data import MALE as _MALE
from nasab.linkage.lexicon_data import MOHAMMAD_PREFIXES, UNISEX
from nasab.linkage.lexicon_data import NICKNAMES as _NICKNAMES
from nasab.linkage.normalise import (
    detect_script,
    latin_letters,
    normalise_arabic,
    normalise_name,
    phonetic_key,
    strip_article,
    vowel_groups,
    vowels_compatible,
)

__all__ = [
    "MOHAMMAD_PREFIXES",
    "entry",
    "is_known",
    "name_ids",
    "nickname_of",
    "read_ids",
    "slip_ids",
]


@dataclass(frozen=True)
class Entry:
    id: str
    sex: str  # "M", "F", or "" for a name given to men and women alike (Nour)
    arabic: tuple[str, ...]
    latin: tuple[str, ...]

    def of_sex(self, sex: str) -> bool:
        """Whether a person of ``sex`` (``""``: not stated) may bear this name."""
        return not sex or not self.sex or self.sex == sex


def _parse(block: str, sex: str) -> dict[str, Entry]:
    out = {}
    for line in block.strip().splitlines():
        i, ar, lat = (x.strip() for x in line.split("|"))
        out[i] = Entry(
            i,
            "" if i in UNISEX else sex,
            tuple(a.strip() for a in ar.split("/")),
            tuple(x.strip() for x in lat.split(",") if x.strip()),
        )
    return out


_ENTRIES: dict[str, Entry] = {**_parse(_MALE, "M"), **_parse(_FEMALE, "F")}


def entry(name_id: str) -> Entry | None:
    """The lexicon entry of an identity (``"mohammad"``), or None."""
    return _ENTRIES.get(name_id)


def _token_norm(s: str) -> str:
    """Normal form of one token for exact look-up: own-script normalisation, spaces
    and hyphens removed (``Abd al-Karim`` = ``Abdulkarim``, ``عبد الله`` = ``عبدالله``, and
    with the space typed one letter off, ``عبدا لله``)."""
    n = normalise_name(s).replace(" ", "")
    if detect_script(n) == "ar":
        n = n.replace("عبدال", "عبد")
    return n


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


def _by_tail(index: dict[str, set[str]]) -> dict[str, set[str]]:
    """An index of spellings (spelling -> values) by all but their first letter: of
    four letters or more in Latin script, three in Arabic (no short vowels written:
    علي, حسن)."""
    out: dict[str, set[str]] = {}
    for n, values in index.items():
        if len(n) >= (3 if detect_script(n) == "ar" else 4):
            out.setdefault(n[1:], set()).update(values)
    return out


#: the listed spellings' identities by all but their first letter
_TAILS = _by_tail(_EXACT)


def _final_ta(t: str) -> str:
    """A Latin spelling with its last letters as a ta marbuta reads (ة written -a, -ah,
    -eh, -e; -iya, -iyeh, -ya as -ia): Halimeh, Halimah and Halima all ``halima``,
    Samiyeh and Samia ``samia``."""
    t = re.sub(r"(?<=[ae])h$", "", t)
    t = re.sub(r"e$", "a", t)
    return re.sub(r"(?:iy+|(?<=[^aeiou])y)a$", "ia", t)


#: the Latin spellings of names written with a ta marbuta (حليمة), by :func:`_final_ta`
_FINAL_TA: dict[str, set[str]] = {}
for _e in _ENTRIES.values():
    if any(a.endswith("ة") for a in _e.arabic):
        for _f in _e.latin:
            _FINAL_TA.setdefault(_final_ta(_token_norm(_f)), set()).add(_e.id)


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
    if nick := _nick_slip(t):
        return nick
    ta = _FINAL_TA.get(_final_ta(t), ()) if detect_script(t) == "lat" else ()
    if len(ta) == 1:  # Halimeh: Halima with the ta marbuta written -eh
        return frozenset(ta)
    return _key_ids(token, t)


def _key_ids(token: str, t: str, sex: str = "", *, turkish: bool = True) -> frozenset[str]:
    """The one identity a Latin spelling the lexicon does not list reads as by its
    consonant key and compatible vowels (empty: none, several, or one typing slip from
    a listed spelling of another name); with ``sex``, among names of that sex only.
    With ``turkish``, a spelling that reads as no name so is read as Turkish spelling
    writes Arabic names (:func:`_turkish_ids`)."""
    script = detect_script(token)
    if script != "lat":
        return frozenset()  # Arabic spelling not listed: unknown
    ids = _by_key(token, t, sex)
    return ids if ids or not turkish else _turkish_ids(token, t, sex)


def _by_key(token: str, t: str, sex: str) -> frozenset[str]:
    """:func:`_key_ids` as the spelling reads in English or French transliteration."""
    k = phonetic_key(token).replace(" ", "")
    v = vowel_groups(token).replace("|", ",")
    init = _vowel_initial(token)

    def fits(ident: str) -> bool:
        return _ENTRIES[ident].of_sex(sex)

    # Latin spellings of the lexicon first (Latin vowels tell more), then Arabic forms
    for script in ("lat", "ar"):
        hits = {
            ident
            for ident, ev, es, einit in _BY_KEY.get(k, ())
            if es == script and einit == init and vowels_compatible(v, ev, "lat", es)
            if fits(ident)
        }
        if hits:
            slips = (
                _slips_of(t) | _raw_slips(token) | _TAILS.get(t, set()) | _TAILS.get(t[1:], set())
            )
            slips = {i for i in slips if i in _ENTRIES and fits(i)}
            if len(hits) > 1 or slips - hits:
                # several names, or one typing slip from a listed spelling of another
                # name (Ahme: Ahmad, not Ayham by its consonants; ohammed, its first
                # letter dropped, and Eohammed, typed wrong: Mohammed, not Ahmad): not
                # known
                return frozenset()
            return frozenset(hits)
    return frozenset()


#: Turkish spelling of Arabic names (as Turkish records write Syrians' names): a letter
#: as Turkish writes it, and the letters of the spellings the lexicon lists.  ``c`` is
#: ج (Cemil, Cuma), ``v`` و (Velid), a final ``t`` د and ``p`` ب, the final consonant
#: unvoiced (Ahmet, Mahmut, Recep): letters English and French do not so write, which
#: mark the spelling as Turkish (:data:`_TURKISH_MARKS`); with a mark, or a letter of
#: Turkish's own (ş, ç, ğ, ı), also ``h`` for خ (Halit), ``s`` for ش (Eşref), ``z`` for
#: ض (Ramazan), which unmarked are as often the letter or a slip (Hemsi is Homsi)
_TURKISH_MARKS = (("c", "j"), ("v", "w"))
_TURKISH_MORE = (("h", "kh"), ("s", "sh"), ("z", "dh"))
_TURKISH_FINAL = {"t": "d", "p": "b"}
_TURKISH_LETTERS = frozenset("şçğıŞÇĞİ")
_DIGRAPH_H = ("ch", "sh", "kh", "gh", "th", "dh")


def _turkish_forms(token: str, t: str) -> set[str]:
    """The spellings a Latin name ``t`` (normal form of ``token``) stands for if written
    as Turkish spells Arabic names: each letter of :data:`_TURKISH_MARKS` (and, the
    spelling so marked, of :data:`_TURKISH_MORE`) as written or as read, the final
    consonant voiced or not; none unmarked, and none with more than six such letters."""
    alt = dict(_TURKISH_MARKS)
    # a letter of a digraph (the c and h of "ch", the s and h of "sh", the h of "kh") is
    # the digraph's, not a Turkish letter
    free = [
        t[i : i + 2] not in ("ch", "sh") and t[i - 1 : i + 1] not in _DIGRAPH_H
        for i in range(len(t))
    ]
    letters = [(c, alt.get(c, "") if free[i] else "") for i, c in enumerate(t)]
    if t[-1:] in _TURKISH_FINAL:
        letters[-1] = (t[-1], _TURKISH_FINAL[t[-1]])
    if not any(a for _, a in letters) and not _TURKISH_LETTERS & set(token):
        return set()
    more = dict(_TURKISH_MORE)
    letters = [(c, a or (more.get(c, "") if free[i] else "")) for i, (c, a) in enumerate(letters)]
    at = [i for i, (_, a) in enumerate(letters) if a]
    if len(at) > 6:
        return set()
    out = set()
    for mask in range(1, 1 << len(at)):
        chars = [c for c, _ in letters]
        for j, i in enumerate(at):
            if mask >> j & 1:
                chars[i] = letters[i][1]
        out.add("".join(chars))
    return out


def _turkish_ids(token: str, t: str, sex: str) -> frozenset[str]:
    """The one identity a Latin spelling reads as in Turkish spelling (Halit: Khalid,
    Muhammet: Mohammad, Cihad: Jihad), where it reads as no name otherwise: every
    spelling of :func:`_turkish_forms` that the lexicon lists or reads by its
    consonants names that one name, and the name as written is no typing slip of
    another name's (Oamzah, Hamzah with its first letter typed wrong, is no Turkish
    Imad).  Empty otherwise."""
    if " " in t:
        return frozenset()
    ids: set[str] = set()
    for form in _turkish_forms(token, t):
        ids |= _EXACT.get(form, set()) or _key_ids(form, form, sex, turkish=False)
    ids = {i for i in ids if _ENTRIES[i].of_sex(sex)}
    if len(ids) != 1 or (_slips_of(t) | _first_slips(t)) - ids:
        return frozenset()
    return frozenset(ids)


@lru_cache(maxsize=1 << 14)
def written_forms(ids: frozenset[str], script: str) -> tuple[str, ...]:
    """The listed forms of names in one script (``"ar"`` or ``"lat"``), normalised."""
    if script not in ("ar", "lat"):
        return ()
    out: list[str] = []
    for i in sorted(ids):
        if (e := _ENTRIES.get(i)) is not None:
            out.extend(normalise_name(f) for f in (e.arabic if script == "ar" else e.latin))
    return tuple(out)


def key_ids_of_sex(token: str, sex: str) -> frozenset[str]:
    """The one name of ``sex`` a Latin spelling the lexicon does not list reads as by its
    consonants (:func:`name_ids` among names of that sex only): for a name whose readings
    are all of the other sex (``Ennas`` for a man: its consonants are those of إيناس and
    of أنس, and it is one letter from Enas; a man's name, it is Anas)."""
    t = _token_norm(token)
    if not t or t in _EXACT or t in _NICK:
        return frozenset()
    return _key_ids(token, t, sex)


def nickname_of(token: str) -> frozenset[str]:
    """The names a nickname stands for, also where it is typed with one slip
    (:func:`_nick_slip`); empty when ``token`` is no known nickname."""
    t = _token_norm(token)
    return _NICK.get(t) or _nick_slip(t)


@lru_cache(maxsize=1 << 14)
def _nick_slip(t: str) -> frozenset[str]:
    """The names of the one nickname that the normal form ``t``, no listed name nor one
    typing slip from one, is a typing slip of (the same first letter, or the first
    letter dropped or typed wrong: عبوود and عضود for عبود, خسون for حسون, مودة for
    حمودة); empty for none, for several nicknames of different names, or for a word
    under four letters."""
    if not t or t in _EXACT or t in _NICK:
        return frozenset()
    if len(t) < 4:
        return frozenset()  # عود: a word too (and a family name, العود)
    squeezed = re.sub(r"(.)\1+", r"\1", t)
    if (
        _abd_written(t)
        or _abd_written(squeezed)
        or any(_osa1(squeezed, abu) for abu in ("abu", "abou", "abo", "ابو"))
    ):
        return frozenset()  # Abd- and Abu as typed (Abdu Rahman, Abbou, عبو): no nickname
    near = _one_slip(t, _NICK_DELETES) | _NICK_TAILS.get(t, set()) | _NICK_TAILS.get(t[1:], set())
    targets = {_NICK[c] for c in near}
    if len(targets) != 1 or _slips_of(t) or _first_slips(t) or _raw_slips(t):
        return frozenset()
    return next(iter(targets))


def is_known(token: str) -> bool:
    return bool(name_ids(token))


def is_listed(word: str) -> bool:
    """A word that is a listed spelling or nickname of the lexicon (not one read by its
    consonants alone)."""
    t = _token_norm(word)
    return t in _EXACT or t in _NICK


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


def _deletes_index(spellings) -> dict[str, set[str]]:
    """Each spelling and every string one letter shorter -> the spellings (the index of
    a symmetric-delete search for strings one typing slip apart)."""
    out: dict[str, set[str]] = {}
    for sp in spellings:
        for i in range(len(sp)):
            out.setdefault(sp[:i] + sp[i + 1 :], set()).add(sp)
        out.setdefault(sp, set()).add(sp)
    return out


def _one_slip(t: str, deletes: dict[str, set[str]]) -> set[str]:
    """The spellings of an index (:func:`_deletes_index`) at most one typing slip from
    ``t`` with the same first letter (``t`` itself included when listed)."""
    cands = set()
    for k in (t, *(t[:i] + t[i + 1 :] for i in range(len(t)))):
        cands |= deletes.get(k, set())
    return {c for c in cands if c[:1] == t[:1] and _osa1(c, t)}


_DELETES = _deletes_index(_EXACT)

#: the nicknames' spellings by all but one letter (:func:`_deletes_index`), and by all
#: but their first letter (:func:`_by_tail`), for :func:`_nick_slip`
_NICK_DELETES = _deletes_index(_NICK)
_NICK_TAILS = _by_tail({n: {n} for n in _NICK})


def _raw_form(token: str) -> str:
    """A name's letters as written, spaces removed, with no spelling rule: the Abd-
    rule of :func:`_token_norm` needs ``Abd`` written right, so a slip in it or in its
    article (``Ab al-Karim``, ``Abd l-Rahman``, ``Adullah``, ``عبل الكريم``) is compared
    with the listed spellings letter by letter (:func:`_raw_slips`)."""
    if detect_script(token) == "ar":
        return normalise_arabic(token).replace(" ", "")
    return latin_letters(token).replace(" ", "")


def _abd_spellings(canonical: str) -> set[str]:
    """The Latin ways of writing an Abd-name whose normal form is ``canonical``
    (``abdkarim``): Abd + nothing, a vowel, or a vowel and the article's consonant (l, or
    assimilated to the name's first letter) + the name."""
    rest = canonical[3:]
    return {
        "abd" + v + c + rest
        for v in ("", "a", "u", "e")
        for c in ("", "l", rest[:1])
        if not (c and not v)
    }


_RAW: dict[str, set[str]] = {}
for _e in _ENTRIES.values():
    for _f in (*_e.arabic, *_e.latin):
        _RAW.setdefault(_raw_form(_f), set()).add(_e.id)
        _n = _token_norm(_f)
        if detect_script(_f) == "lat" and _n.startswith("abd") and len(_n) > 5:
            for _v in _abd_spellings(_n):
                _RAW.setdefault(_v, set()).add(_e.id)
_RAW_DELETES = _deletes_index(_RAW)


def _abd_written(token: str) -> bool:
    """Whether a name is written as an Abd-name (عبد, Abd ... as its first letters)."""
    return _raw_form(token).startswith(("abd", "عبد"))


@lru_cache(maxsize=1 << 16)
def _raw_slips(token: str) -> frozenset[str]:
    """Identities of the listed spellings equal to ``token`` letter by letter
    (:func:`_raw_form`) or one typing slip from it, same first letter (``بعد الرزاق``
    read as ``عبد الرزاق``: the one slip that moves the first letter); nothing for
    names under four letters."""
    r = _raw_form(token)
    if len(r) < 4:
        return frozenset()
    if r.startswith("بعد"):
        r = "عبد" + r[3:]  # عبد with its first two letters typed the other way round
        if r in _RAW:
            return frozenset(_RAW[r])  # the slip is spent: بعد الله is عبد الله alone
    elif r[1:3] in ("بد", "bd") and r[0] not in "عa":
        # Abd with its first letter typed wrong (غبد السلام, Cbdul Aziz, ابدالله): the
        # slip is spent, the rest an Abd-name's as listed; else a slip as any other
        abd = ("عبد" if r[1] == "ب" else "abd") + r[3:]
        if abd in _RAW:
            return frozenset(_RAW[abd])
    return frozenset(i for c in _one_slip(r, _RAW_DELETES) for i in _RAW[c])


def _slips_of(t: str) -> set[str]:
    """Identities of the listed spellings one typing slip from the normal form ``t``
    (same first letter; ``t`` itself excluded)."""
    return {i for c in _one_slip(t, _DELETES) if c != t for i in _EXACT[c]}


@lru_cache(maxsize=1 << 16)
def typo_ids(token: str) -> frozenset[str]:
    """The identity of a name the lexicon does not know but that is one typing slip
    from exactly one of its names in the same script (``Khadjia``, ``Ahmd``); empty
    when it is known, short (under four letters) or near several names."""
    t = _token_norm(token)
    if len(t) < 4 or name_ids(token):
        return frozenset()
    raw = _raw_slips(token)
    if len(raw) == 1 and _abd_written(token):
        # an Abd-name as written: its letters decide (a slip in its article, عبد افله,
        # is one letter from عبد الله as written; its normal form drops the article of
        # الله but not the slipped افله, and is then one letter from عبد الاله's)
        return raw
    if len(raw) > 1 and _abd_written(token):
        # one slip from two Abd-names as written (عبد لاله: عبد الله with two letters
        # swapped, or عبد الاله with one dropped): not known (:func:`slip_ids` gives both)
        return frozenset()
    ids = {i for c in _one_slip(t, _DELETES) for i in _EXACT[c]}
    if not ids:
        ids = set(raw)  # a slip in the Abd- part itself (Ab al-Karim)
    if ids and _first_slips(t, replaced=False) - ids:
        # mUar: one slip from Muaz, and from Umar with its first two letters swapped (a
        # first letter replaced is no such doubt: Nabie is Nabil, not Rabie, as a slip
        # of any letter is as likely in the other letters as in the first)
        return frozenset()
    if not ids:
        return _doubled_ids(t)
    return frozenset(ids) if len(ids) == 1 else frozenset()


def _doubled_ids(t: str) -> frozenset[str]:
    """The one identity a name reads as with a letter typed twice written once, where
    the name so read is known by its consonants and not as listed ("Acchraf": Achraf,
    Ashraf; the second simulator's seed 2 read "Bilal Mohammad Acchraf Hijazi" as a
    cousin of his own reports whose father is Mohammad Ashraf); empty where no such
    reading or several.  A consonant only: a vowel written twice is a spelling
    (Kareem, Khaleel), not a slip."""
    ids: set[str] = set()
    for i in range(1, len(t) - 1):
        if t[i] == t[i + 1] and t[i] not in "aeiouyاويى":
            ids |= name_ids(t[:i] + t[i + 1 :])
    return frozenset(ids) if len(ids) == 1 else frozenset()


def read_ids(token: str) -> frozenset[str]:
    """The identities a written name reads as: a listed name's (:func:`name_ids`), else
    those of the one name it is a typing slip of (:func:`typo_ids`: ``Adbullah``)."""
    return name_ids(token) or typo_ids(token)


@lru_cache(maxsize=1 << 16)
def slip_ids(token: str, known: bool = False) -> frozenset[str]:
    """Every identity one typing slip from a name the lexicon does not know, in the same
    script: with the same first letter (``أحد``: أحمد, أسد ...; ``Abi``: Ali ...), or a
    slip in its first letters (:func:`_first_slips`: ``Oamzah``, ``aleed``, ``aWlid``);
    empty for a known name (unless ``known``: a name read where its sex does not fit,
    سمر for a father, a slip of سامر or سمير) or one under three letters (two in Arabic
    script).  Unlike :func:`typo_ids` the
    answer may hold several names: it says which names this slip could be of, to compare
    it with the name of another report, not what name it is."""
    t = _token_norm(token)
    # two Arabic letters are no name but a short one with a letter dropped (عم: عمر);
    # two Latin letters are as often an article or an initial
    shortest = 2 if detect_script(t) == "ar" else 3
    if len(t) < shortest or (name_ids(token) and not known):
        return frozenset()
    # an Abd-name compared letter by letter as written (عبد لاله: عبد الله and عبد الاله),
    # not the name's own identity where it is known (``known``)
    abd = _raw_slips(token) - name_ids(token) if _abd_written(token) else set()
    return frozenset(_slips_of(t) | _first_slips(t) | abd)


def _first_slips(t: str, *, replaced: bool = True) -> set[str]:
    """Identities of the listed spellings one typing slip from the normal form ``t`` in
    its first letters, which :func:`_one_slip` leaves out: the first letter dropped
    (aleed: Waleed; مزة: حمزة) or, with ``replaced``, typed wrong (Oamzah: Hamzah; غلي:
    علي), a slip the rest of its letters tell (:data:`_TAILS`); or the first two letters
    swapped (aWlid: Walid)."""
    out = _TAILS.get(t, set()) | _EXACT.get(t[1::-1] + t[2:], set())
    return out | _TAILS.get(t[1:], set()) if replaced and len(t) > 2 else out
