"""A report's names read as one chain (nasab), whatever boxes they were typed in.

Families and forms give names in different shapes: five boxes (given, father's,
grandfather's, family, mother's name), a given-name box that also holds the father's
name (``Ahmad Khaled``), a compound given name with the Mohammad- prefix written in
full, abbreviated or left out (``Mohammad Sami``, ``Mhd. Sami``, ``Sami``), a kunya
instead of the given name (``Abu Ali``), or only a full name (PFIF ``full_name``:
``Ali Ahmad Mohammad al-Hamwi``, sometimes with the father's name skipped).
:func:`read_chain` reads any of these into the same parts, each with its lexicon
identities (:mod:`nasab.linkage.lexicon`) and its string forms
(:func:`nasab.linkage.normalise.name_forms`), and notes how it read them (for the
reasons shown to a reviewer).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from nasab.linkage.family_words import (
    article_family,
    article_slip,
    family_first,
    family_in_grandfather_box,
    looks_family,
)
from nasab.linkage.lexicon import (
    entry,
    key_ids_of_sex,
    name_ids,
    nickname_of,
    read_ids,
    slip_ids,
    typo_ids,
)
from nasab.linkage.name_groups import chain_groups
from nasab.linkage.normalise import (
    NameForms,
    name_forms,
    normalise_name,
    stated_sex,
)
from nasab.linkage.tokens import (
    Token,
    is_prefix,
    name_words,
    parse_name,
    reads_one_abd_name,
)

__all__ = ["Chain", "Part", "full_name_parts", "name_sequence", "read_chain"]


@dataclass(frozen=True)
class Part:
    raw: str  # as written
    ids: frozenset[str]  # lexicon identities (empty: name unknown to the lexicon)
    forms: NameForms
    #: for a name unknown to the lexicon: the names it is one typing slip from
    near: frozenset[str] = frozenset()

    @property
    def tok(self) -> str | None:
        """Identity token for blocking and chains: the lexicon identity, else the key."""
        if self.ids:
            return min(self.ids)
        return self.forms.key.replace(" ", "") or None


@dataclass(frozen=True)
class Chain:
    given: Part | None = None
    father: Part | None = None
    grandfather: Part | None = None
    family: Part | None = None
    mother: Part | None = None
    kunya: Part | None = None  # Abu X: X
    extra: tuple[Part, ...] = ()  # further names of a full name (great-grandfather ...)
    notes: tuple[str, ...] = field(default=())  # how the names were read

    def note(self, kind: str) -> str | None:
        """The text of the first note of ``kind`` ("full name", "compound", "father
        compound" ...), None where the names were not so read."""
        head = kind + "|"
        return next((n[len(head) :] for n in self.notes if n.startswith(head)), None)

    def tokens_after_given(self) -> list[str]:
        return [
            p.tok for p in (self.father, self.grandfather, *self.extra) if p is not None and p.tok
        ]


def _part(text: str, *, family: bool = False, ids: frozenset[str] | None = None) -> Part | None:
    text = text.strip()
    if not text:
        return None
    forms = name_forms(text, family=family)
    if family:
        return Part(text, frozenset(), forms) if forms.key else None
    if ids is None:
        ids = read_ids(text)
    if ids:
        return Part(text, ids, forms)  # with no consonant key too: آية, Aya
    if not forms.key:
        # no consonant to compare by and no listed name: a name only as a slip of a
        # listed one (عي, Ali with a letter dropped)
        near = slip_ids(text)
        return Part(text, ids, forms, near) if near else None
    # Mhd typed wrong alone in its box (second simulator, seed 1: "Tamer son of Qhd")
    mhd = {"mohammad"} if " " not in text and len(forms.norm) == 3 and is_prefix(text) else set()
    return Part(text, ids, forms, slip_ids(text) | mhd)


def _run_parts(toks: list[Token], *, free_text: bool = False) -> list[Part]:
    """The parts of a run of names after the given name.  In a free-text full name a
    word with no consonant key that the lexicon knows only as a slip (أو: Abu with a
    letter dropped, or "or") holds no name: it is dropped, and the names after it keep
    their places.  In a name box it is a name typed wrong ("رائد عي": Raed son of Ali)."""
    parts = (_part(t.text) for t in toks)
    return [p for p in parts if p is not None and (p.ids or p.forms.key or not free_text)]


def _family_part(text: str) -> Part | None:
    """A family name's part, read with its article's alef mended (:func:`article_slip`:
    "قلحسن" as الحسن) and shown to a reviewer as written."""
    text = text.strip()
    part = _part(article_slip(text), family=True)
    return replace(part, raw=text) if part is not None else None


def _full_name_family(toks: list[Token], boxed: str) -> tuple[Part | None, list[Token]]:
    """A free-text name's family name and the names before it: the last of three or more,
    or of two that looks a family's; the family box's where filled (its last, if so)."""
    if boxed:
        family = _family_part(boxed)
        last = _family_part(toks[-1].text) if len(toks) >= 2 else None
        same = family is not None and last is not None and last.tok == family.tok
        return family, (toks[:-1] if same else toks)
    if len(toks) >= 2 and (len(toks) >= 3 or looks_family(toks[-1])):
        return _family_part(toks[-1].text), toks[:-1]
    return None, toks


def _clean(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def _another_name(prefix: str, second: str) -> bool:
    """Whether the name after a Mohammad- prefix is another name than the prefix, so
    that the two make a compound: Mohammad Mohammad is Mohammad son of Mohammad (so is
    محمد مححمد, the second typed with a doubled letter).  A nickname of several names
    (حمادة: Mohammad, Ahmad or Mahmoud) is another name: "محمد حمادة" with the father in
    his own box is the compound, not Mohammad with Hamada lost (the second simulator,
    seed 3: "محمد حمادة" son of "محمد خليل" and his brother Mohammad)."""
    if len(nickname_of(second)) > 1:
        return True
    return not (read_ids(second) & name_ids(prefix))


def _father_box(
    ftoks: list[Token], box: dict[str, str], notes: list[str]
) -> tuple[Part | None, Part | None]:
    """The father (and a grandfather after him) of a father's box.  "محمد حسام" (a
    Mohammad- prefix and a name) with the grandfather in his own box is the father's
    compound name, read by its second name as a given compound is (:func:`_given`),
    not the father "Mohammad" with "Hussam" lost: noted ``father compound``
    (:func:`nasab.linkage.relatives.father_prefix_alone`: against a father written by
    the prefix alone, the same father or his brother).  With no grandfather's box it is
    that compound as much as the father and the grandfather: read as the two, noted
    ``father box holds two names`` (no grandfather in his own place)."""
    compound = bool(box["grandfather_name"]) and len(ftoks) >= 2
    if compound and (
        (ftoks[0].kind == "prefix" and _another_name(ftoks[0].text, ftoks[1].text))
        # "محمدد علي": the prefix typed with a slip (the second simulator, seed 3: read
        # as the father محمدد against the father Ali of the compound)
        or (_slipped_prefix_word(ftoks[0]) and ftoks[1].kind == "name")
    ):
        notes.append(f"father compound|{ftoks[0].text} {ftoks[1].text}")
        ftoks = ftoks[1:]
    grandfather = None
    if len(ftoks) > 1 and not box["grandfather_name"]:
        grandfather = _part(ftoks[1].text)
        if ftoks[0].kind == "prefix":
            notes.append(f"father box holds two names|{box['father_name']}")
    return _part(ftoks[0].text), grandfather


def _family_in_given(
    gtoks: list[Token], box: dict[str, str], notes: list[str]
) -> tuple[list[Token], dict[str, str]]:
    """The whole name typed in the given-name box, the family box empty: its last name
    is the family name where written with the article (Mohammad Ahmad al-Hassan), or as
    Abu and a name that is no kunya ("Ali Abu Zeid", Omar: :func:`_abu_kunya`)."""
    if box["family_name"] or len(gtoks) < 2:
        return gtoks, box
    abu = _abu_name(gtoks[-1])
    if not article_family(gtoks[-1]) and (abu is None or _abu_kunya(abu, box)):
        return gtoks, box
    notes.append(f"family name in given box|{box['given_name']}")
    return gtoks[:-1], {**box, "family_name": gtoks[-1].text}


def _slipped_prefix(toks: list[Token], father: str | None) -> bool:
    """The first of several names in a given-name box is the Mohammad- prefix with a
    typing slip that also reads as another name (محممد, محمدد: one slip from محمد and
    from محمود), where the father's box holds another name than the second: the box
    then holds a compound, and Mohammad is the only prefix among those readings."""
    if len(toks) < 2 or father is None or toks[0].kind != "name" or toks[1].kind != "name":
        return False
    second = toks[1].text
    ids = name_ids(second)
    if not _slipped_prefix_word(toks[0]) or not ids:
        return False
    return not (ids & name_ids(father)) and normalise_name(second) != normalise_name(father)


def _slipped_prefix_word(tok: Token) -> bool:
    """A word no listed name that is one typing slip from the Mohammad- prefix (محمدد,
    محممد)."""
    return tok.kind == "name" and not name_ids(tok.text) and "mohammad" in slip_ids(tok.text)


def _overflows(gtoks: list[Token], box: dict[str, str]) -> bool:
    """More names in the given-name box than there are places left for them: the
    given name, and the father's and grandfather's where their boxes are empty."""
    return len(gtoks) > 1 + (not box["father_name"]) + (not box["grandfather_name"])


def _father_hint(gtoks: list[Token], ftoks: list[Token], box: dict[str, str]) -> str | None:
    """The father's name as :func:`_given` needs it: the father's box; else, where the
    given-name box holds more names than places, its last name (a Mohammad- compound
    in such a box is a compound, the name after it the father's, as where the father's
    box is filled); else None (the name after a prefix may be the compound's or the
    father's)."""
    if ftoks:
        return ftoks[0].text
    return gtoks[-1].text if _overflows(gtoks, box) else None


def _abd_joined(toks: list[Token], *, closed: bool) -> list[Token]:
    """A box with more names than there are places left for them (``closed``) holds a
    compound: where its first two names read together as one listed Abd-name, they are
    that name ("Abde Karim Umar" in the given-name box, no father's box, the grandfather
    in his own: Abd al-Karim son of Umar; "Abde Karim" in the grandfather's box, or in
    the father's beside a grandfather's: Abd al-Karim, not Obada and a Karim with no
    place; our benchmark, 6,000 persons, seed 9).  Alone the first name may be another
    name (Abde, Abda: Obada), and is read so where the names have room (a full name
    "Abda Karim Issa Hamdan" is Obada son of Karim son of Issa)."""
    if not closed or len(toks) < 2 or any(t.kind != "name" for t in toks[:2]):
        return toks
    joined = f"{toks[0].text} {toks[1].text}"
    return [Token(joined, "name"), *toks[2:]] if reads_one_abd_name(joined) else toks


def _son_compound(kunya: Part, rest: list[Token], notes: list[str]):
    """A given-name box "أبو محمد خالد" beside a father's box: the kunya's Mohammad- prefix
    and the listed name after it are the son's compound (Abu Mohammad Khaled, as a box
    reads محمد خالد; "Abu Mohammed Achraf"), not the kunya Abu Mohammad and a
    grandfather Khaled (the father has his own box).  Returns the kunya and the tokens
    left."""
    if not rest or not is_prefix(kunya.raw) or rest[0].kind != "name":
        return kunya, rest
    if not name_ids(rest[0].text) or is_prefix(rest[0].text):
        return kunya, rest
    text = f"{kunya.raw} {rest[0].text}"
    at = max(i for i, n in enumerate(notes) if n.startswith("kunya|"))
    notes[at] = f"kunya|{text}"
    return _part(text), rest[1:]


def _box_kunya(kunya: Part | None, rest: list[Token], fathered: bool, box: dict, notes: list):
    """The kunya of a given-name box and the tokens left: the son's compound after it
    (:func:`_son_compound`), or a kunya after the given name ("ساري ابو حسين", "Nizar Abu
    Khattab": read before as a father or grandfather Abu Hussein; :func:`_abu_kunya`)."""
    if kunya is not None:
        return _son_compound(kunya, rest, notes) if fathered else (kunya, rest)
    son = _abu_name(rest[-1]) if rest else None
    if son is None or not _abu_kunya(son, box):
        return None, rest
    notes.append(f"kunya after given name|{son}")
    return _part(son), rest[:-1]


def _abu_name(tok: Token) -> str | None:
    """The son's name of a name token that is Abu and a name ("أبو حسين"), else None."""
    toks = parse_name(tok.text) if tok.kind == "name" else ()
    return toks[0].text if len(toks) == 1 and toks[0].kind == "kunya" else None


def _abu_kunya(son: str, box: dict[str, str]) -> bool:
    """Abu and a name after the given name in its box: the kunya where the family box is
    filled or the name is the father's ("سعيد أبو محمود", محمود), else the family name."""
    return bool(box["family_name"]) or _same_name(son, box["father_name"])


def _given(toks: list[Token], notes: list[str], father: str | None = None):
    """Given name (and kunya) from the first tokens; returns (given, kunya, rest).
    ``father``: the father's box as written, where there is one (None: none, or a full
    name, whose words after the given name may be the father's)."""
    kunya = None
    if _slipped_prefix(toks, father):
        toks = [Token(toks[0].text, "prefix"), *toks[1:]]
    if toks and toks[0].kind == "kunya":
        kunya = _part(toks[0].text)
        notes.append(f"kunya|{toks[0].text}")
        # what follows a kunya is the father's name (Abu Ali, son of Ahmad)
        return None, kunya, toks[1:]
    if not toks:
        return None, kunya, []
    if toks[0].kind == "prefix" and len(toks) >= 2 and _another_name(toks[0].text, toks[1].text):
        second = toks[1]
        if father is not None and _same_name(second.text, father):
            # "Mhd. Masoud" with Masoud in the father's box: Mohammad son of Masoud, the
            # father written twice (a son is not named after his father; the second
            # simulator, seed 2, read the compound and lost the man's Mohammad)
            return _part(toks[0].text), kunya, toks[1:]
        ids = read_ids(second.text)  # Mohd Adbullah: Mohammad Abdullah
        if father is None:
            # "Mohammad Ahmad" may also be Mohammad son of Ahmad: both readings (the
            # prefix with a typing slip, Moiammed, is Mohammad as much as when spelt
            # right: a reading by its slip keeps the son's reading open)
            ids = ids | name_ids(toks[0].text) | typo_ids(toks[0].text)
        notes.append(f"compound|{toks[0].text} {second.text}")
        return _part(second.text, ids=ids), kunya, toks[2:]
    return _part(toks[0].text), kunya, toks[1:]


def _written_twice(a: Part, b: Part) -> bool:
    """One name in two boxes (the father's in the given-name box and his own): the same
    name, or one a typing slip of the other only ("حسين انس" with ناس in the father's
    box, the second simulator's seed 5: not Hussein son of a Nas son of Anas)."""
    slip = (not a.ids and b.ids and b.ids <= a.near) or (not b.ids and a.ids and a.ids <= b.near)
    return a.tok == b.tok or bool(slip)


def _same_name(a: str, b: str) -> bool:
    """Whether two written names are one name: the same identity token (as the father's
    name repeated in the given-name box is found in :func:`read_chain`)."""
    pa, pb = _part(a), _part(b)
    return pa is not None and pb is not None and pa.tok == pb.tok


def _given_group(
    toks: list[Token], groups: tuple[tuple[Token, ...], ...]
) -> tuple[list[Token], str | None]:
    """The tokens of a full name and the father's name as :func:`_given` needs it, where
    the name is written with connectors (:func:`nasab.linkage.name_groups.chain_groups`):
    the first group is the given name, so "Mohammad bin Ahmad" is Mohammad alone (not
    the compound Mohammad Ahmad) and "Mohammad Sami bin Khaled" the compound alone (not
    Mohammad son of Sami).  Without connectors, the tokens as they are and no father."""
    if len(groups) < 2:
        return toks, None
    if len(groups[0]) == 1 and toks and toks[0].kind == "prefix":
        toks = [Token(toks[0].text, "name"), *toks[1:]]
    return toks, groups[1][0].text


def _grandfather_box(toks: list[Token], notes: list[str]) -> Part | None:
    """The grandfather of a grandfather's box: its first name (an Abd-name typed with a
    slip in two words as one: :func:`_abd_joined`).  A Mohammad- compound
    ("Mohamed Wissam") is read by its prefix as before, and noted ``grandfather
    compound`` so that its second name still tells two grandfathers apart
    (:mod:`nasab.linkage.grandfather_names`)."""
    toks = _abd_joined(list(toks), closed=True)
    if not toks:
        return None
    pair = len(toks) == 2 and toks[0].kind == "prefix" and toks[1].kind == "name"
    if pair and _another_name(toks[0].text, toks[1].text):
        notes.append(f"grandfather compound|{toks[0].text} {toks[1].text}")
    return _part(toks[0].text)


def _kunya_then_given(kunya: Part, rest: list[Token], groups) -> bool:
    """A free-text name that begins with a kunya and goes on with the given name, not
    the father's ("أبو باسل عمر باسل النجار": Omar son of Basil, Abu Basil by his son
    named after his grandfather; "Abu Hassan Abdulrazzaq bin Hassan": the connector
    after the first name; our third simulator): where a connector follows the first
    name, or the kunya's name is the second's (read as father and grandfather, the man
    would be named by a son named after his great-grandfather), or three names follow
    ("ABU JASIM FIRAS SAID MOHAMMAD AL-QASSAB": else a great-grandfather's name too),
    none Mohammad's prefix but the last ("أبو أحمد فادي محمد سعيد": a compound)."""
    if len(rest) < 2 or rest[0].kind != "name" or is_prefix(kunya.raw):
        return False  # "أبو محمد أكرم": the son's compound Mohammad Akram as much
    four = len(rest) >= 3 and not any(is_prefix(t.text) for t in rest[:-1])
    if (len(groups) > 1 and len(groups[0]) == 2) or four:
        return True
    second = _part(rest[1].text)
    return second is not None and (
        _written_twice(kunya, second) or bool(kunya.ids & (second.ids | second.near))
    )


def _given_box_more(
    rest: list[Part], father: Part | None, grandfather: Part | None, *, shift, box, notes
) -> tuple[Part | None, Part | None, list[Part]]:
    """Names after the given name in its box, the father's filled: his written twice
    ("Ahmad Khaled", Khaled), or ``shift``, each a box on ("مصطفى عمر", حسن: Omar's son)."""
    if not rest or father is None:
        return father, grandfather, rest
    if _written_twice(rest[0], father):
        return (father if father.ids else rest[0]), grandfather, rest[1:]
    if shift and grandfather is None and rest[0].ids:
        notes.append(f"names a box on|{box['given_name']} {box['father_name']}")
        return rest[0], father, rest[1:]
    return father, grandfather, rest


def _compound_father(rest: list[Token], notes: list[str], *, closed: bool) -> list[Token]:
    """The names after the given name, the father's first: where they are known to hold
    the father's name in two words (``closed``: between two connectors, "bin Mohammed
    Kassem bin", or in a given-name box with the grandfather in his own), a Mohammad-
    compound there is the father's compound name, read by its second name and noted
    ``father compound`` as in the father's box (:func:`_father_box`)."""
    if not closed or len(rest) < 2 or rest[1].kind != "name" or not is_prefix(rest[0].text):
        return rest
    if not _another_name(rest[0].text, rest[1].text):
        return rest
    notes.append(f"father compound|{rest[0].text} {rest[1].text}")
    return rest[1:]


def read_chain(report: dict) -> Chain:
    """Read the names of a report (see module docstring)."""
    box = {
        k: _clean(report.get(k))
        for k in (
            "given_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "mother_name",
            "full_name",
        )
    }
    notes: list[str] = []
    given = father = grandfather = family = mother = kunya = None
    extra: list[Part] = []
    # a full name beside the family box alone is read (was a family name and no name)
    structured = box["given_name"] or box["father_name"]
    structured = structured or (box["family_name"] and not box["full_name"])
    if not structured and box["full_name"]:
        notes.append("full name|" + box["full_name"])
        toks = family_first(list(parse_name(box["full_name"])), notes)
        reordered = any(n.startswith("family name first|") for n in notes)
        groups = () if reordered else chain_groups(box["full_name"])
        family, toks = _full_name_family(toks, box["family_name"])
        toks, hint = _given_group(toks, groups)
        given, kunya, rest = _given(toks, notes, father=hint)
        if kunya is not None and _kunya_then_given(kunya, rest, groups):
            given, rest = _part(rest[0].text), rest[1:]
            notes[notes.index(f"kunya|{kunya.raw}")] = f"kunya and given name|{kunya.raw}"
        rest = _compound_father(rest, notes, closed=len(groups) > 2 and len(groups[1]) == 2)
        rest_parts = _run_parts(rest, free_text=True)
        if rest_parts:
            father = rest_parts[0]
        if len(rest_parts) > 1:
            grandfather = rest_parts[1]
        extra = rest_parts[2:]
    else:
        gtoks, box = _family_in_given(list(parse_name(box["given_name"])), box, notes)
        gtoks = _abd_joined(gtoks, closed=_overflows(gtoks, box))
        ftoks = list(parse_name(box["father_name"]))
        ftoks = _abd_joined(ftoks, closed=bool(box["grandfather_name"]))
        given, kunya, rest = _given(gtoks, notes, father=_father_hint(gtoks, ftoks, box))
        kunya, rest = _box_kunya(kunya, rest, bool(ftoks), box, notes)
        rest_parts = _run_parts(rest)
        if ftoks:
            father, grandfather = _father_box(ftoks, box, notes)
            shift = kunya is None and not box["grandfather_name"]
            father, grandfather, rest_parts = _given_box_more(
                rest_parts, father, grandfather, shift=shift, box=box, notes=notes
            )
        elif rest_parts:
            # "أيمن محمد مروان", the grandfather in his own box: the father's compound
            overflow = len(rest) == 2 and bool(box["grandfather_name"])
            rest = _compound_father(rest, notes, closed=overflow)
            rest_parts = _run_parts(rest)
            father = rest_parts.pop(0) if rest_parts else None
            notes.append(f"father in given box|{box['given_name']}")
        gf_toks = parse_name(box["grandfather_name"])
        if family_in_grandfather_box(gf_toks, box):
            box = {**box, "family_name": box["grandfather_name"], "grandfather_name": ""}
            notes.append(f"family name in grandfather box|{box['family_name']}")
        if box["grandfather_name"]:
            grandfather = _grandfather_box(gf_toks, notes)
        elif rest_parts and grandfather is None:
            grandfather = rest_parts.pop(0)
        extra = rest_parts
        family = _family_part(box["family_name"])
        if family is None and box["full_name"]:
            ft = parse_name(box["full_name"])
            if len(ft) >= 2:
                family = _family_part(ft[-1].text)
    mtoks = parse_name(box["mother_name"])
    if mtoks:
        mother = _part(mtoks[0].text)
        if len(mtoks) > 1:
            notes.append(f"mother with family name|{box['mother_name']}")
    return Chain(
        _of_sex(given, stated_sex(report.get("sex")) or ""),
        _of_sex(father, "M"),
        _of_sex(grandfather, "M"),
        family,
        _of_sex(mother, "F"),
        _of_sex(kunya, "M"),  # a kunya names a man by his son
        tuple(_of_sex(p, "M") for p in extra),
        tuple(notes),
    )


def _of_sex(part: Part | None, sex: str) -> Part | None:
    """The part without lexicon readings of the other sex: a father's, grandfather's or
    son's name is a man's, a mother's a woman's, a given name of the report's stated sex
    (``Ennas``, read alone as إيناس, is no woman's name for a man: for him it is the
    man's name its consonants read as, أنس, where exactly one fits, else a name the
    lexicon does not know, compared by its letters)."""
    if part is None or not sex or not (part.ids or part.near):
        return part

    def fits(ids: frozenset[str]) -> frozenset[str]:
        return frozenset(i for i in ids if (e := entry(i)) is None or e.of_sex(sex))

    ids, near = fits(part.ids), fits(part.near)
    if ids == part.ids and near == part.near:
        return part
    if not ids:  # its readings are the other sex's: by its consonants among this sex's
        ids = key_ids_of_sex(part.raw, sex)
    if part.ids and not ids:  # its only reading is the other sex's
        near = fits(slip_ids(part.raw, known=True))
    return replace(part, ids=ids, near=frozenset() if ids else near)


def name_sequence(report: dict, n: int = 2) -> str | None:
    """The report's first ``n`` names in the order they were written, whatever boxes
    they are in and however the chain reads them (``Mohammad`` / ``Imad`` in two boxes,
    ``Mohammed Imad Muhammed Hegazi`` as a full name, ``Mhd. Imad`` as a compound: all
    ``mohammad|imad``): each name by its lexicon identity, else its consonant key; a
    Mohammad- prefix as Mohammad.  None when there are fewer names or the first is a
    kunya.  For blocking: a full name read as a compound and the same man's boxes read
    as given and father's name agree here."""
    box = {k: _clean(report.get(k)) for k in ("given_name", "father_name", "grandfather_name")}
    if any(box.values()):
        toks = [t for k in box for t in parse_name(box[k])]
    else:
        toks = list(parse_name(_clean(report.get("full_name"))))
    out = []
    for t in toks[:n]:
        if t.kind == "kunya":
            return None
        part = None if t.kind == "prefix" else _part(t.text)
        key = "mohammad" if t.kind == "prefix" else part and part.tok
        if not key:
            return None
        out.append(key)
    return "|".join(out) if len(out) == n else None


def full_name_parts(full_name: str) -> dict[str, str]:
    """The name boxes of a free-text full name as :func:`read_chain` reads it, as written:
    ``given_name`` (with a compound's Mohammad- prefix, or the kunya "Abu Ali" when the
    name starts with one), ``father_name``, ``grandfather_name``, ``family_name`` (empty
    strings for parts the name does not have).  For a registry that needs boxes; the
    matcher itself reads ``full_name`` directly."""
    c = read_chain({"full_name": full_name})
    given = c.given.raw if c.given else ""
    in_order = full_name  # the name in its usual order (a family name first moved last)
    for note in c.notes:
        kind, _, text = note.partition("|")
        if kind == "family name first":
            in_order = text
        elif kind == "compound" and text:
            given = text
        elif kind == "kunya" and text:  # "Abu Ali" as written: Abu and the son's name
            given = " ".join(name_words(in_order)[: 1 + len(text.split())])
    return {
        "given_name": given,
        "father_name": c.father.raw if c.father else "",
        "grandfather_name": c.grandfather.raw if c.grandfather else "",
        "family_name": c.family.raw if c.family else "",
    }


def two_part_name(c: Chain) -> bool:
    """A full name of two names ("عبد الله سليمان"), read as a name and his father's:
    its second name may be his family's as much."""
    return (
        c.note("full name") is not None
        and c.father is not None
        and c.grandfather is None
        and c.family is None
        and not c.extra
    )


def father_uncertain(c: Chain) -> bool:
    """A full name of three parts: its middle name may be the father's or, with the
    father's name skipped, the grandfather's."""
    return c.father is not None and c.grandfather is None and c.note("full name") is not None
