"""Compound given names (Mohammad Khaled, Abd al-Karim) and how two name parts compare:
the readings of a compound (the compound itself, its second name alone, or a name and
the father's) that the relatives rules (:mod:`nasab.linkage.relatives`) weigh."""

from __future__ import annotations

from dataclasses import replace

from nasab.linkage.chain import Chain, Part, _part, read_chain
from nasab.linkage.lexicon import name_ids
from nasab.linkage.similarity import family_slip, name_level

#: the relations of two name parts that make them different names
_DIFFERENT = ("distinct", "else")


def part_relation(pa, pb) -> str:
    """How two name parts (:class:`nasab.linkage.chain.Part`) compare: ``same``
    (a shared lexicon identity, or equal after normalisation), ``distinct`` (both known
    to the lexicon as different names), else the string level of :func:`name_level`."""
    if pa is None or pb is None:
        return "null"
    if pa.forms.norm == pb.forms.norm or (pa.ids & pb.ids):
        return "same"
    if (pa.near & pb.ids) or (pb.near & pa.ids):
        return "slip"  # an unknown name one typing slip from the other's
    if _slips_of_one(pa, pb):
        return "slip"
    if (pa.ids or pa.near) and (pb.ids or pb.near) and (pa.ids or pb.ids):
        # both known as different names, or a known name against a slip of others
        return "distinct"
    return name_level(pa.forms, pb.forms)


def _slips_of_one(pa, pb) -> bool:
    """Two names the lexicon does not know, each one typing slip from a name they share,
    one of them from that name only (حن: Hassan with a letter dropped; حسسن: Hassan
    with one doubled, or Hussein, or Hassoun): the same name typed wrong twice, not two
    names (a slip close to several names remains a doubt of its own)."""
    if pa is None or pb is None or pa.ids or pb.ids:
        return False
    shared = pa.near & pb.near
    return len(shared) == 1 and shared in (pa.near, pb.near)


def family_relation(pa, pb) -> str:
    """:func:`part_relation` of two family names, with the model's level of their own for
    names one typing slip apart anywhere in their consonants (``one slip``:
    :func:`nasab.linkage.similarity.family_slip`, اطحان and al-Thhan, both Tahhan)."""
    rel = part_relation(pa, pb)
    if rel == "else" and family_slip(pa.forms, pb.forms):
        return "one slip"
    return rel


def _compound(c: Chain) -> tuple[str, str] | None:
    """(prefix, second name) of a compound given name as written, or None."""
    for n in c.notes:
        kind, _, text = n.partition("|")
        if kind == "compound" and len(text.split()) >= 2:
            words = text.split()
            return words[0], " ".join(words[1:])
    return None


def _compounds_differ(ca: Chain, cb: Chain) -> bool:
    """Two compound names (Mohammad Tareq, Mohammad Khaled) whose second names differ:
    they share only the prefix, which brothers and cousins share too."""
    xa, xb = _compound(ca), _compound(cb)
    if xa is None or xb is None:
        return False
    pa, pb = _name_part(xa[1]), _name_part(xb[1])
    return part_relation(pa, pb) in _DIFFERENT


def _name_part(text: str):
    return read_chain({"given_name": text}).given if text else None


def _second_only(x: Chain, y: Chain) -> bool:
    """x's given name reads two ways ("Mohammad Khaled" with no father's box: the
    compound, or Mohammad son of Khaled) and y gives the second name alone, with a
    father: under the second reading y is x's father."""
    comp = _compound(x)
    if comp is None or x.given is None or y.given is None or y.father is None:
        return False
    prefix = name_ids(comp[0])
    if not prefix or not y.given.ids or y.given.ids & prefix:
        return False
    if not prefix <= x.given.ids and not _shifted_full_name(x, y):
        return False
    return part_relation(_name_part(comp[1]), y.given) in ("same", "slip")


def _shifted_full_name(x: Chain, y: Chain) -> bool:
    """x is a full name "Mohammad Bashar Yusuf ..." read as the compound Mohammad Bashar
    son of Yusuf (its given name read by the second part alone, as the register holds
    it) and y is "Bashar son of Yusuf": read one generation down, y is x's father."""
    return (
        x.note("full name") is not None
        and x.father is not None
        and part_relation(x.father, y.father) in ("same", "slip")
    )


def _prefix_only(x: Chain, y: Chain) -> bool:
    """x's given name reads two ways ("Mohammad Anas" with no father's box: the
    compound, or Mohammad son of Anas) and y gives only the prefix ("Mohammad", or an
    unknown name one slip from it, محد, however close to other names too) with a
    father who is not Anas.  A slip of the prefix is read as the prefix, not as a slip
    of the compound's reading as Mohammad son of Anas: son of Anas, he is a cousin."""
    comp = _compound(x)
    if comp is None or x.given is None or y.given is None:
        return False
    prefix = name_ids(comp[0])
    if not prefix:
        near = _name_part(comp[0]).near  # a slip in the prefix: "Mohhammad Munir"
        prefix = near if len(near) == 1 else frozenset()
    elif not prefix <= x.given.ids:
        return False
    if not prefix or not _names_the_prefix(y.given, prefix):
        return False
    return y.father is None or part_relation(_name_part(comp[1]), y.father) not in (
        "same",
        "slip",
    )


def prefix_only_fathered(x: Chain, y: Chain) -> bool:
    """Of x and y that :func:`_prefix_only` holds for (the caller has asked it): y
    names his father (not the compound's second name) and no reading of x but the
    compound makes the two one man: x is no full name that
    may have skipped the father's name (Mohammad grandson of Anas), or y names a
    grandfather who is not Anas.  Then only the compound written by its prefix alone
    makes one man of them, and a brother of the compound's fits however the years
    agree (close 3,000 seed 19 of the intake benchmark: "Mohammad Muhannad", no
    father's box, and his brother Mohammad son of Ali, born the same year)."""
    if y.father is None:
        return False
    if x.note("full name") is None:
        return True
    second = _name_part(_compound(x)[1])
    return y.grandfather is not None and part_relation(second, y.grandfather) in _DIFFERENT


def _names_the_prefix(p, prefix: frozenset[str]) -> bool:
    """Whether name part ``p`` is the prefix (its identities among the prefix's) or an
    unknown name one typing slip from it (محد: one letter from محمد, and from مجد)."""
    if p.ids:
        return p.ids <= prefix
    return bool(p.near & prefix)


def names_one(p) -> bool:
    """A name part that names one name: one lexicon identity at most, and an unknown
    name one typing slip from one listed name at most (not a nickname of several names,
    nor a slip close to several)."""
    return p is not None and len(p.ids) <= 1 and len(p.near) <= 1


def _one_name(p) -> frozenset[str]:
    """The identities of a name part, or of the one name it is a slip of."""
    if p is None:
        return frozenset()
    return p.ids or (p.near if len(p.near) == 1 else frozenset())


def prefix_alone(x: Chain, y: Chain) -> bool:
    """x's given name is a compound ("Mohammad Jamal", no father's box) read by the
    register as its second name alone (Jamal), and y gives the compound's prefix alone
    ("Mohammad", a slip or a nickname of it) as his name: the compound written by its
    prefix, or Mohammad son of Jamal, or a brother of another Mohammad- compound.  The
    names differ only as the register chose to read them: no firm sign of two men."""
    comp = _compound(x)
    if comp is None or x.given is None or y.given is None:
        return False
    if _compound(y) is not None and y.note("name and father") is None:
        return False  # two compounds: :func:`_compounds_differ` compares them
    head = _one_name(_name_part(comp[0]))
    return bool(head) and not (head & x.given.ids) and bool(head & _one_name(y.given))


def second_by_the_register(x: Chain, y: Chain) -> bool:
    """x's name reads two ways with no father's name ("Mohammad Ahmad al-Hassan", a full
    name: the compound Mohammad Ahmad, or Mohammad son of Ahmad, or grandson with the
    father's name skipped) and the register read it as the compound by its second name
    alone (it holds an Ahmad al-Hassan and no Mohammad son of Ahmad), which y gives as
    his name.  Read the other way x is a Mohammad of Ahmad's line: y's brother where y
    is named after his grandfather Ahmad (seed 7 of the intake benchmark with siblings
    born close together: two brothers so joined), a cousin, or his son."""
    comp = _compound(x)
    if comp is None or x.given is None or y.given is None or x.father is not None:
        return False
    head = _one_name(_name_part(comp[0]))
    if not head or head & x.given.ids:
        return False  # not read by the second name alone
    return part_relation(x.given, y.given) == "same" and not (head & _one_name(y.given))


def son_reading(c: Chain) -> tuple[Part, Part] | None:
    """(given, father) of a given name that reads two ways, "Mohammad Ali" with no
    father's name in its own box: read as Mohammad son of Ali.  None for a name that
    reads one way (a compound with a father's box, a plain name, a kunya, a Mohammad-
    compound of a nickname of several names)."""
    if c.given is None or len(c.given.ids) < 2:
        return None
    for note in c.notes:
        kind, _, text = note.partition("|")
        words = text.split()
        if kind != "compound" or len(words) < 2:
            continue
        prefix = _part(words[0])
        second = _part(" ".join(words[1:]))
        # not where the second name alone holds the prefix's identity (a nickname of
        # several names, "محمد حمادة": Hamada is Mohammad, Ahmad or Mahmoud)
        if prefix and second and prefix.ids and prefix.ids <= c.given.ids - second.ids:
            return prefix, second
    return None


def read_as_son(c: Chain) -> Chain | None:
    """The chain of a given name that reads two ways (:func:`son_reading`) read as a
    name and the father's: "Mohammad Ali Hasan" as Mohammad son of Ali son of Hasan.
    None for a name that reads one way."""
    son = son_reading(c)
    if son is None:
        return None
    olds = [p for p in (c.father, c.grandfather, *c.extra) if p is not None]
    notes = tuple(n for n in c.notes if not n.startswith("compound|"))
    return replace(
        c,
        given=son[0],
        father=son[1],
        grandfather=olds[0] if olds else None,
        extra=tuple(olds[1:]),
        notes=(*notes, f"name and father|{son[0].raw} {son[1].raw}"),
    )
