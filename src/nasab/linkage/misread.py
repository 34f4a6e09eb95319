"""One man's reports that a rule for relatives would hold apart: a name typed with one
slip that turns it into another name, a name written family name first, a kunya read
one name short, or a birth year misstated by a decade.

The relatives rules (:func:`nasab.linkage.relatives._held_back`) hold a pair apart as
brothers or cousins where a given, father's or grandfather's name differs, and as a
father and son where birth years are more than
:data:`~nasab.linkage.comparisons.MAX_BIRTH_YEAR_GAP` apart.  Four cases fit one man as
well, and the relatives list must not hold him:

* **A slip that makes another name.**  One letter typed wrong turns أيمن into أمين,
  صالح into صلاح, Samir into Samer, the compound Mohammad Ali into Mohammad Ala.  Where
  every other name of the chain agrees, the mothers' names do not differ and both
  reports give the same birth year, the pair is a typing slip as much as two brothers
  or cousins (twins, cousins born the same year).  Born a year or more apart, or with a
  year not stated, they stay relatives: brothers are given names a letter apart (محمد
  and محمود, حسن and حسين, Amar and Omar), and a year apart is a brother's as much as one
  man's noise.  Where only the grandfather's name differs, given and father's names
  the same, birth years at most :data:`GRANDFATHER_SLIP_YEARS` apart or not stated
  suffice; so too where the slip drops a name's first letter (:func:`head_dropped`:
  حمد for محمد or أحمد, the commonest slip to make another name, and a pair of names no
  family gives two brothers).
* **A name written family name first.**  A free-text name that, read with its first
  word last, gives the other report's given, father's and family names ("Sleiman
  Sleiman Saeed" against Sleiman son of Saeed of the Sleiman): the register reads a
  name so only where its words are more often families' than men's
  (:func:`nasab.linkage.prepare._resolve_family_first`), and most family names are
  men's names too (:func:`read_family_first`); birth years not as far apart as a
  father's and his son's.
* **A kunya of a son with a compound name.**  "أبو محمد خالد محمد سعيد ..." names a man
  by his son Mohammad Khaled as often as it names Khaled's son by a son Mohammad; read
  the first way, its father's and family names are the other report's
  (:func:`read_kunya_compound`); as written, a cousin.
* **A year misstated.**  Given and father's names the same, the grandfather's not
  different, and birth years a decade apart: a father and son never share both names
  (the son's father is the father), so the pair is one man with a year wrong in one
  report (lists give the age at a guess) or a namesake; at most :data:`MISSTATED_YEARS`.

Such a pair goes to the undecided list, with its reason, for a person to decide,
whatever its score from the relatives list's floor up (the model weighs the slipped name
as another name) (:meth:`nasab.linkage.dedup.DedupModel._pairs`); these rules never
propose it.  Given names, grandfathers' names or years that part the two keep them
apart when reports are joined into persons
(:func:`nasab.linkage.relatives.cannot_be_same`); fathers' names a slip apart do not, so
a pair whose two reports are both proposed with the same others is proposed
(:func:`nasab.linkage.readings.settled_by_proposals`)."""

from __future__ import annotations

from functools import lru_cache

from nasab.linkage.chain import read_chain
from nasab.linkage.comparisons import MAX_BIRTH_YEAR_GAP
from nasab.linkage.compounds import (
    _DIFFERENT,
    _compound,
    _compounds_differ,
    _name_part,
    family_relation,
    names_one,
    part_relation,
)
from nasab.linkage.father_names import same_father_compound
from nasab.linkage.lexicon import _osa1, name_ids, written_forms
from nasab.linkage.tokens import is_prefix, name_words, parse_name

__all__ = [
    "GRANDFATHER_SLIP_YEARS",
    "MISSTATED_YEARS",
    "misread",
    "read_family_first",
    "typed_one_apart",
]

#: birth years at most this far apart where all names agree: a misstated year
MISSTATED_YEARS = 15

#: birth years at most this far apart (or not stated) where only the grandfather's
#: name differs by a slip, given and father's names the same: two men of one name and
#: father's name whose grandfathers differ are rare (second cousins named after one
#: great-grandfather), a slip is not; brothers and cousins named after the grandfather
#: differ in the given or the father's name, so those need the same birth year
GRANDFATHER_SLIP_YEARS = 2

_SAME = ("same", "slip")
#: the names that must agree, each naming one man, where a part differs by a slip
_ANCHORS = {"given": ("father",), "father": ("given",), "grandfather": ("given", "father")}
_PARTS = ("given", "father", "grandfather")
_SLIP_REASONS = {
    "given": (
        "given names one letter apart ({a}, {b}): a typing slip, or brothers or cousins?",
        "الاسمان يختلفان بحرف واحد ({a}، {b}): خطأ في الكتابة أم أخوان أو أبناء عم؟",
    ),
    "father": (
        "fathers' names one letter apart ({a}, {b}): a typing slip, or cousins?",
        "اسما الأبوين يختلفان بحرف واحد ({a}، {b}): خطأ في الكتابة أم أبناء عم؟",
    ),
    "grandfather": (
        "grandfathers' names one letter apart ({a}, {b}): a typing slip, or cousins?",
        "اسما الجدين يختلفان بحرف واحد ({a}، {b}): خطأ في الكتابة أم أبناء عم؟",
    ),
}


def typed_one_apart(pa, pb) -> bool:
    """Two name parts (:class:`nasab.linkage.chain.Part`) written one typing slip apart:
    in the script either is written in, the other as written or one of its names'
    listed forms in that script (صلاح against Saleh, whose Arabic form is صالح)."""
    if pa is None or pb is None:
        return False
    return any(w != wx and _osa1(wx, w) for wx, others in _written_against(pa, pb) for w in others)


def _written_against(pa, pb):
    """Each part as written against the other's forms in its script (the other as
    written, where in that script, and its names' listed forms): (written, forms), both
    ways."""
    for x, y in ((pa, pb), (pb, pa)):
        others = set(written_forms(y.ids, x.forms.script))
        if y.forms.script == x.forms.script:
            others.add(y.forms.norm)
        yield x.forms.norm, others


def head_dropped(pa, pb) -> bool:
    """Two name parts one of which is the other without its first letter, in the
    script either is written in (حمد: محمد or أحمد with its first letter lost): a slip,
    seldom two brothers' or two cousins' fathers' names."""
    return any(
        len(w) >= 3 and w[1:] == wx for wx, others in _written_against(pa, pb) for w in others
    )


@lru_cache(maxsize=1 << 14)
def _family_first_reading(text: str):
    """A free-text name of three names or more read with its first word moved last, or
    None for a shorter one or one that holds a kunya, a prefix or a family name."""
    toks = parse_name(text)
    if len(toks) < 3 or any(t.kind != "name" for t in toks):
        return None
    return read_chain({"full_name": " ".join(t.text for t in (*toks[1:], toks[0]))})


def read_family_first(cx, cy) -> tuple[str, str] | None:
    """Why a free-text name of chain ``cx``, read as written, may be ``cy``'s man written
    family name first (English, Arabic), or None: read with its first word moved last it
    gives cy's given, father's and family names, each naming one man, and no
    grandfather's that differs ("Sleiman Sleiman Saeed" against Sleiman son of Saeed of
    the family Sleiman, the second simulator's seed 5: as written, Sleiman son of
    Sleiman, a cousin).  A family name first with no article is told from a name's
    order only by the register (:func:`nasab.linkage.prepare._resolve_family_first`),
    which reads a name so where its words are more often families' than men's; most
    family names are men's names too, so a pair that agrees only so read is left to a
    person."""
    text = cx.note("full name")
    if text is None or any(n.startswith("family name first") for n in cx.notes):
        return None
    again = _family_first_reading(text)
    if again is None:
        return None
    agree = all(
        part_relation(p, q) in _SAME and names_one(p) and names_one(q)
        for p, q in ((again.given, cy.given), (again.father, cy.father))
    )
    if not agree or family_relation(again.family, cy.family) in (*_DIFFERENT, "null"):
        return None
    if part_relation(again.grandfather, cy.grandfather) in _DIFFERENT:
        return None
    return (
        f"the free-text name {text} read family name first gives the other's names: one "
        "man, or relatives?",
        f"الاسم الكامل {text} إذا قُرئ والكنية أوله يعطي أسماء البلاغ الآخر: الشخص نفسه أم أقارب؟",
    )


@lru_cache(maxsize=1 << 14)
def _kunya_compound_reading(text: str, boxes: tuple[str, str] | None = None):
    """A name that opens with Abu Mohammad and a listed name ("أبو محمد خالد محمد سعيد
    خميس الحسن") read with that name as the second of the son's compound (Abu Mohammad
    Khaled, the father Mohammad Saeed), or None: the son's compound as written and the
    chain of the text without its second name.  ``boxes``: for a
    given-name box that holds it (the father's box blank), the grandfather's and family
    names of the report's own boxes."""
    words = name_words(text)
    toks = parse_name(text)
    shortest = 3 if boxes is not None else 5  # a box holds no family name
    if len(words) < shortest or len(toks) < 2 or toks[0].kind != "kunya":
        return None
    if not is_prefix(words[1]) or toks[1].kind != "name" or toks[1].text != words[2]:
        return None
    second = name_ids(words[2])
    if not second or "mohammad" in second:
        return None  # no name, or Mohammad again ("Abu Mohammed Mohammad": the father)
    son = " ".join(words[1:3])
    rest = " ".join((*words[:2], *words[3:]))
    if boxes is None:
        return son, read_chain({"full_name": rest})
    boxed = {"given_name": rest, "grandfather_name": boxes[0], "family_name": boxes[1]}
    return son, read_chain(boxed)


def read_kunya_compound(cx, cy) -> tuple[str, str] | None:
    """Why a name of chain ``cx`` that opens with Abu Mohammad and a name may be ``cy``'s
    man called by a son named Mohammad and that name (English, Arabic), or None: so
    read, its father's name is cy's (or cy's compound written as two names), its family
    name cy's, and no grandfather's name differs; or, where the name fills the given
    box and so read leaves no father's name ("أبو محمد موسى", the father's box blank),
    its grandfather's and family names are cy's.  As written, the name after Abu
    Mohammad is the father's and the father's compound the grandfather's: a cousin (the
    second simulator: "أبو محمد خالد محمد سعيد خميس الحسن" against Qasem son of Mohammad
    Saeed son of Khamis al-Hassan, seed 5; "أبو محمد موسى" grandson of Mohammad al-Asaad
    against Mohammad son of Abd al-Qader son of Mohammad al-Asaad, seed 6).  Both
    readings are common, so the pair is left to a person."""
    if cx.kunya is None or cy.kunya is not None:
        return None
    text, boxes = cx.note("full name"), None
    if text is None and (text := cx.note("father in given box")) is not None:
        boxes = tuple(p.raw if p else "" for p in (cx.grandfather, cx.family))
    reading = _kunya_compound_reading(text, boxes) if text is not None else None
    if reading is None:
        return None
    son, again = reading
    if family_relation(again.family, cy.family) in (*_DIFFERENT, "null"):
        return None
    if again.father is None:
        agree = part_relation(again.grandfather, cy.grandfather) in _SAME
    else:
        compound = same_father_compound(again, cy)
        one = part_relation(again.father, cy.father) in _SAME and names_one(cy.father)
        agree = compound or (
            one and part_relation(again.grandfather, cy.grandfather) not in _DIFFERENT
        )
    if not agree:
        return None
    return (
        f"the kunya may be of a son named {son}: so read, the names are the other's: one "
        "man, or relatives?",
        f"قد تكون الكنية لابن اسمه {son}: وبهذه القراءة الأسماء أسماء البلاغ الآخر: الشخص "
        "نفسه أم أقارب؟",
    )


def misread(fa, fb) -> tuple[str, str] | None:
    """Why a pair held apart as relatives may be one man misread (English, Arabic), or
    None.  ``fa``, ``fb``: the facts of two reports
    (:class:`nasab.linkage.relatives._Facts`)."""
    ca, cb = fa.chain, fb.chain
    if fa.sex and fb.sex and fa.sex != fb.sex:
        return None
    if part_relation(ca.mother, cb.mother) in _DIFFERENT:
        return None
    near = not (fa.year and fb.year) or abs(fa.year - fb.year) <= MAX_BIRTH_YEAR_GAP
    if near and (son := read_kunya_compound(ca, cb) or read_kunya_compound(cb, ca)):
        return son
    if ca.kunya or cb.kunya:
        return None
    if near and (first := read_family_first(ca, cb) or read_family_first(cb, ca)):
        return first
    if family_relation(ca.family, cb.family) in _DIFFERENT:
        return None
    parts = {k: (getattr(ca, k), getattr(cb, k)) for k in _PARTS}
    if _compounds_differ(ca, cb):  # Mohammad Ali, Mohammad Ala: the second names
        parts["given"] = (_name_part(_compound(ca)[1]), _name_part(_compound(cb)[1]))
    rel = {k: part_relation(*parts[k]) for k in _PARTS}
    # names that agree must name one man: not a nickname or a compound that reads as
    # several names (Hamada: Ahmad, or his brother Mohammad), not a kunya
    one = {k: rel[k] in _SAME and all(names_one(p) for p in parts[k]) for k in _PARTS}
    if (_compound(ca) or _compound(cb)) and not _compounds_differ(ca, cb):
        one["given"] = False
    different = [k for k in _PARTS if rel[k] in _DIFFERENT]
    gap = abs(fa.year - fb.year) if fa.year and fb.year else None
    if not different:
        if (
            gap is not None
            and MAX_BIRTH_YEAR_GAP < gap <= MISSTATED_YEARS
            and one["given"]
            and one["father"]
        ):
            return (
                f"the same names, birth years {gap} years apart: one man with a year "
                "misstated, or a namesake?",
                f"الأسماء نفسها وسنتا الولادة متباعدتان {gap} سنة: الشخص نفسه بسنة "
                "خاطئة أم شخص بالاسم نفسه؟",
            )
        return None
    if len(different) > 1:
        return None
    (k,) = different
    pa, pb = parts[k]
    if not all(one[n] for n in _ANCHORS[k]) or not typed_one_apart(pa, pb):
        return None
    near_years = gap is None or gap <= GRANDFATHER_SLIP_YEARS
    if gap != 0 and not ((k == "grandfather" or head_dropped(pa, pb)) and near_years):
        return None
    en, ar = _SLIP_REASONS[k]
    return en.format(a=pa.raw, b=pb.raw), ar.format(a=pa.raw, b=pb.raw)
