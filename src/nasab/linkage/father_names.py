"""Fathers' names written as compounds (issue 18): "محمد حسام" in the father's box is
the father's compound name where the grandfather has his own box (the chain reader
notes ``father compound``), and "Mohammad Wissam" with no grandfather's box is that
compound as much as the father and the grandfather (noted ``father box holds two
names``).  How two such fathers compare: the same compound read two ways, or one
written by its prefix alone (the same father written short, or his brother: a doubt
of :func:`nasab.linkage.relatives.undecided`).  Also the doubts of who the father is
where neither report gives his name for sure, or two three-part full names give other
middle names."""

from __future__ import annotations

from nasab.linkage.chain import Chain, Part, two_part_name
from nasab.linkage.compounds import part_relation
from nasab.linkage.doubts import Doubt
from nasab.linkage.lexicon import name_ids
from nasab.linkage.normalise import family_key

__all__ = [
    "FATHER_PREFIX_ALONE",
    "MIDDLES_DIFFER",
    "NEITHER_FATHER",
    "NO_FATHER",
    "SECOND_NAME_FAMILY",
    "father_prefix_alone",
    "same_father_compound",
    "second_name_is_family",
]


def _father_compound(c: Chain) -> tuple[str, Part | None] | None:
    """(the compound as written, its second name's part) of a father's box that holds
    a Mohammad- compound, read either way; None for none."""
    if (text := c.note("father compound")) is not None:
        return text, c.father
    if (text := c.note("father box holds two names")) is not None:
        return text, c.grandfather
    return None


def father_prefix_alone(ca: Chain, cb: Chain) -> bool:
    """One father's name a compound ("محمد حسام" in the father's box: noted by the
    chain reader, with the grandfather's in his own box or not) and the other's a name
    its prefix may be ("محمد", or the nickname حمادة of Mohammad) where it is no
    reading of that compound (neither its second name as the father, nor the father
    and grandfather of a box that holds the two): the same father written short, or a
    brother of his (cousins).  A doubt of :func:`nasab.linkage.relatives.undecided`,
    not two fathers for sure."""
    if same_father_compound(ca, cb):
        return False  # the same compound, read two ways
    for x, y in ((ca, cb), (cb, ca)):
        comp = _father_compound(x)
        if comp is None or y.father is None or _father_compound(y) is not None:
            continue
        text, second = comp
        if part_relation(y.father, second) in ("same", "slip"):
            continue  # the compound written by its second name
        if second is x.grandfather and part_relation(y.grandfather, second) in ("same", "slip"):
            continue  # read as the father and the grandfather, as the other gives them
        if y.father.ids & name_ids(text.split()[0]):
            return True
    return False


def same_father_compound(ca: Chain, cb: Chain) -> bool:
    """One father's compound read by its second name ("محمد وسام", the grandfather in
    his own box) and the other's box "Mohammad Wissam" read as the father and the
    grandfather (no grandfather's box), or the other's full name giving it as two names
    (:func:`_compound_as_two_names`): one compound, the same father."""
    for x, y in ((ca, cb), (cb, ca)):
        if x.note("father compound") is None:
            continue
        if y.note("father box holds two names") is not None and part_relation(
            x.father, y.grandfather
        ) in ("same", "slip"):
            return True
        if _compound_as_two_names(x, y):
            return True
    return False


def _compound_as_two_names(x: Chain, y: Chain) -> bool:
    """y a full name (or a given-name box that holds the father's names) whose father
    and grandfather as read are x's father's compound ("Adil Mohamed Khaled Al-As'ad"
    against Adil son of "محمد خالد" son of Fadi): the prefix, then the compound's second
    name; the name after them, where both give one, is x's grandfather."""
    if y.note("full name") is None and y.note("father in given box") is None:
        return False
    prefix = x.note("father compound").split()[0]  # the caller's: x has one
    if y.father is None or not y.father.ids & name_ids(prefix):
        return False
    if part_relation(y.grandfather, x.father) not in ("same", "slip"):
        return False
    after = y.extra[0] if y.extra else None
    return (
        after is None
        or x.grandfather is None
        or part_relation(after, x.grandfather) in ("same", "slip")
    )


FATHER_PREFIX_ALONE = Doubt(
    "one father's name is a compound, the other its prefix alone: the same father "
    "written short, or his brother (cousins?)",
    "اسم أحد الأبوين مركب والآخر جزؤه الأول وحده: الأب نفسه مختصراً أو أخوه (أبناء عم؟)",
    father_unknown=True,
    other_father=True,
)


NEITHER_FATHER = Doubt(
    "neither report gives the father's name for sure",
    "لا يذكر أي من البلاغين اسم الأب بشكل مؤكد",
    father_unknown=True,
)


MIDDLES_DIFFER = Doubt(
    "two three-part names with different middle names: one man only if one of them "
    "skipped the father's name (cousins?)",
    "اسمان ثلاثيان يختلف اسمهما الأوسط: شخص واحد فقط إن أسقط أحدهما اسم الأب (أبناء عم؟)",
    father_unknown=True,
    brothers=True,
    other_father=True,
)


def second_name_is_family(x: Chain, y: Chain) -> bool:
    """x a full name of two names ("عبد الله سليمان"), read as a name and his father's,
    whose second name is y's family name: his family's name as much, and then x gives
    no father's name (the second simulator's cousins Abdullah Suleiman, no father, and
    Abdullah son of Mohammad Suleiman of the Suleiman were proposed as one man).  Where
    y gives no family name, the register's boxes tell: x's second name written in
    family-name boxes (noted ``second name a family's`` by
    :func:`nasab.linkage.prepare._note_family_second`; seed 1 again, against a report
    of that cousin with the family box left blank)."""
    if not two_part_name(x):
        return False
    if y.family is None:
        return x.note("second name a family's") is not None
    return family_key(x.father.raw) == y.family.tok


#: why a pair with a report that gives no father's name fits cousins (English, Arabic)
NO_FATHER = (
    "one report gives no father's name: it fits any man of this name and family",
    "أحد البلاغين لا يذكر اسم الأب: يصلح لأي رجل بهذا الاسم من هذه العائلة",
)
#: the same, where a two-part name's second name is the other's family name
SECOND_NAME_FAMILY = (
    "a two-part name whose second name is the other's family name: it may give no "
    "father's name, and fits any man of this name and family",
    "اسم من جزأين ثانيهما كنية البلاغ الآخر: قد لا يذكر اسم الأب، فيصلح لأي رجل بهذا "
    "الاسم من هذه العائلة",
)
