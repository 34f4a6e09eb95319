"""A nickname of several names settled by the register's own men of the father's line
(issue 18): "Hamoudeh" (Mohammad, Ahmad, Mahmoud) son of Hussein against Ahmad son of
Hussein, where the register holds no other man of that father's line whom the nickname
may be (:func:`only_man_of_the_line`).

The doubt of such a name is a brother who bears another of its names (Mohammad son of
Hussein). A brother who is missing too is reported by his family by his own name (a
nickname is how one relative writes him, rarely how every one does): the register then
holds a report of a man of that father and family line, found by the father's name
(:func:`sons_index`), not only among the blocking candidates. Where it holds none at
all, not even one the pair's facts fit worse, the brother left is one who bears another
of the nickname's names and whose every report is the nickname. A candidate of the
nickname's report that names no one (a kunya: "Abu Hussein" son of Hussein) may be that
brother, and leaves the pair open (:func:`unnamed_near`). Otherwise the pair is proposed
unless its own facts speak against one man (dates of disappearance months apart,
mothers' names that differ, fathers' names that differ) or the birth years do not tie
the two: both stated and the same.  Neither the same disappearance (brothers are taken
together: at 38,000 seed 6 of the intake benchmark two pairs of brothers, one of each
reported only by the nickname, were so joined), the same mother (a brother shares her)
nor birth years a year apart (with siblings born one to four years apart,
``dedup_intake.py --siblings close``, such a brother is common) ties them.  Measured: a
year apart settles 17 more true pairs of the second simulator's seed 1, and 24 of the
intake benchmark's 1,500 persons, seed 1, with close siblings, none of them brothers;
at 38,000 persons, seed 6, with close siblings it also joins "Hamouda" son of Abdallah,
born 1969 and reported once, to his brother Mohammad, born 1970.  Where the nickname's
report states a birth year and the other none, the same disappearance ties them if the
register bears the year out (:func:`_year_borne_out`): no other report of the line
bears the nickname as its given name, and the other report's man's other reports state
that year where they state one ("حمودة" son of Mohannad, born 1994, is not his brother
Mohammad, whose other reports say 1991 and 1992: 38,000 persons, seed 6, close
siblings).  Not where the nickname's report states none: a brother taken with him
whose only report is the nickname fits as well ("حمودة" son of Samir, no year, taken
the day and from the hospital his brother Mahmoud was: 38,000 persons, seed 6; a rule
that took such pairs too joined that pair of brothers, and three more pairs with close
siblings, for 206 more true pairs of the second simulator's seeds 1 to 6, where this
one gains 33).

Not for a kunya ("Abu Rami" son of Rami): it fits every son of the father, and a
brother born a year apart whose only report is the kunya is common (3,000 seed 8 of the
intake benchmark: four pairs of brothers so joined with a rule that took kunyas too);
kunyas keep the stricter rules of :mod:`nasab.linkage.register_ties`.  Never for two
nicknames (any two brothers), a nickname against a name it does not stand for, nor a
pair with a second doubt (no father's name, a father's name skipped, a compound).

The register's men by their father's name and family line (:func:`sons_index`) and
whether a man is of a pair's family line (:func:`_same_line`) are here too; the kunya's
rules of :mod:`nasab.linkage.register_ties` look them up as well."""

from __future__ import annotations

from nasab.linkage.chain import father_uncertain
from nasab.linkage.compounds import _DIFFERENT, family_relation, part_relation, read_as_son
from nasab.linkage.doubts import Doubt
from nasab.linkage.lexicon import nickname_of
from nasab.linkage.own_facts import events_apart, same_event
from nasab.linkage.readings import may_be, singled_out
from nasab.linkage.relatives import _cannot, _Facts, _names_one, _same, families_unlike


def sons_index(facts: dict[str, _Facts]) -> dict[tuple[str, str, str], set[str]]:
    """The register's men by their father's name and their family line: each report
    with a given name under every identity (or token) of its father's name with its
    family name's and with its grandfather's; a name that reads two ways ("Mohammad
    Basel", no father's box) also under its second name read as the father's.  Who else
    a kunya "Abu Basel" son of Basel may be is looked up here, not only among its
    blocking candidates: a brother "Mohammad son of Basel" who shares no blocking key
    with the kunya's report is another man it may be all the same."""
    out: dict[tuple[str, str, str], set[str]] = {}
    for rid, f in facts.items():
        c = f.chain
        for ch in (c, read_as_son(c)):
            if ch is None or ch.given is None or ch.father is None:
                continue
            for key in _line_keys(ch.father, ch):
                out.setdefault(key, set()).add(rid)
    return out


def _line_keys(father, chain, lookup: bool = False):
    """The keys of :func:`sons_index` of a man of ``father``'s name whose family line is
    ``chain``'s: every identity or token of the father's name with the family name's and
    with the grandfather's.  ``lookup``: also with the middle name of a three-part full
    name as the grandfather's (read with the father's name skipped, as the pair may
    read it: "Abu Mamoun Emad al-Homsi" is a grandson of Emad)."""
    lines = [("family", chain.family), ("grandfather", chain.grandfather)]
    if lookup and father_uncertain(chain):
        lines.append(("grandfather", chain.father))
    for k in {*father.ids, *father.near, father.tok} - {""}:
        for line, p in lines:
            if p is not None and p.tok:
                yield (k, line, p.tok)


def _of_the_line(sons, fx: _Facts, fy: _Facts) -> set[str]:
    """The reports of :func:`sons_index` of x's father's name, and of y's (under the
    pair's reading x is y's man, so y's father is x's: his other sons are men x may be,
    whatever x's father is read as or where x gives none: "Abu Mamoun Emad al-Homsi",
    Emad read as the father with the father's name skipped, against Bashar son of
    Mamoun, whose brother Abdulrahman son of Mamoun the kunya fits as well), of the
    family or grandfather of x or y."""
    out: set[str] = set()
    if sons is None:
        return out
    for father in (fx.chain.father, fy.chain.father):
        for f in (fx, fy) if father is not None else ():
            for key in _line_keys(father, f.chain, lookup=True):
                out |= sons.get(key, set())
    return out


def _same_line(fz: _Facts, fx: _Facts, fy: _Facts) -> bool:
    """Whether z, a man of x's father's name, is of the pair's family line: his family
    name or his grandfather's agrees with x's or y's (y is x under the pair's reading,
    and a brother of y shares his grandfather and family)."""
    cz = fz.chain
    return any(
        family_relation(cz.family, f.chain.family) not in _UNLIKE
        or part_relation(cz.grandfather, f.chain.grandfather) not in _UNLIKE
        for f in (fx, fy)
    )


#: relations of two name parts that tie nothing: different, or one not stated
_UNLIKE = (*_DIFFERENT, "null")


def several_names(fx: _Facts) -> bool:
    """A report whose given name is a nickname that stands for several names
    (Hamoudeh: Mohammad, Ahmad, Mahmoud)."""
    g = fx.chain.given
    return g is not None and len(g.ids) > 1 and len(nickname_of(g.raw)) > 1


def other_men(
    facts: dict[str, _Facts],
    cands: dict[str, set[str]],
    x: str,
    y: str,
    sons: dict[tuple[str, str, str], set[str]] | None = None,
    better=None,
) -> bool:
    """Whether ``x``, a report that names no one for sure (a kunya, no given name, a
    nickname of several names), fits a reported man other than ``y``: a candidate or a
    report of a man of x's father's name (``sons``: :func:`sons_index`) with a given
    name, whose names (given, father's, family: for a nickname, a name it stands for)
    and birth year fit ``x`` (:func:`nasab.linkage.readings.may_be`) and who cannot be
    ``y``.  A report found only through x's father's name must be of the pair's family
    line (:func:`_same_line`).  A man whom y fits plainly better (``better(fx, fy, fz)``;
    by default none) is no other man x may be; nor one taken months from x
    (:func:`~nasab.linkage.own_facts.events_apart`: two events, which rule out one man
    for the pair too, :func:`facts_differ`; "Abu Amin" taken in January 2016 is no
    other reading of his brother Said, taken in July 2013)."""
    better = better or no_better_fit
    fx, fy = facts[x], facts[y]
    near = cands.get(x, set())
    return any(
        (fz := facts[z]).chain.given is not None
        and may_be(fz, fx)
        and not events_apart(fz, fx)
        and _cannot(fz, fy)
        and (z in near or _same_line(fz, fx, fy))
        and not better(fx, fy, fz)
        for z in near | _of_the_line(sons, fx, fy)
        if z not in (x, y)
    )


def unnamed_near(facts: dict[str, _Facts], cands: dict[str, set[str]], x: str, y: str) -> bool:
    """Whether a candidate of ``x`` other than ``y`` names no one (a kunya, no given
    name) and may be x's man: a brother whom the nickname may stand for, reported by
    his kunya, is such a report (6,000 seed 6 of the intake benchmark: "Hamouda" son of
    Samir, whose other report is "Abu Samir", taken the day his brother Mohammad was)."""
    fx = facts[x]
    return any(
        (fz := facts[z]).chain.given is None and not _cannot(fz, fx)
        for z in cands.get(x, set())
        if z not in (x, y)
    )


def _facts_agree(fx: _Facts, fy: _Facts, *, unstated_ok: bool = False) -> bool:
    """Nothing in the pair's own facts speaks against one man (dates months apart,
    mothers' names that differ, fathers' names that differ, what cannot be one man) and
    the birth years tie them: both stated and the same (not a year apart, the same
    disappearance or the same mother's name: a brother is born a year apart, taken with
    him and has her too); where one is not stated, ``unstated_ok``
    (:func:`_year_borne_out`)."""
    if _cannot(fx, fy) or facts_differ(fx, fy):
        return False
    if part_relation(fx.chain.father, fy.chain.father) in _DIFFERENT:
        return False
    if not (fx.year and fy.year):
        return unstated_ok  # the same disappearance borne out by the register only
    # a brother born a year apart whose only report is the nickname fits a year off
    # as well as he does (siblings born one to four years apart: dedup_intake.py
    # --siblings close): only the same birth year ties them
    return fx.year == fy.year


def facts_differ(fa: _Facts, fb: _Facts, *, father_unknown: bool = False) -> bool:
    """The pair's own facts speak against one man: dates of disappearance both stated
    and months apart (two events), or mothers' names both stated and different; where
    who the father is is in doubt (``father_unknown``), also family names both stated
    and unlike (:func:`nasab.linkage.relatives.families_unlike`)."""
    if events_apart(fa, fb):
        return True
    if father_unknown and families_unlike(fa, fb):
        return True
    return part_relation(fa.chain.mother, fb.chain.mother) in _DIFFERENT


def only_man_of_the_line(
    facts: dict[str, _Facts],
    cands: dict[str, set[str]],
    a: str,
    b: str,
    doubt: Doubt,
    sons: dict[tuple[str, str, str], set[str]],
) -> bool:
    """Whether a pair of a nickname of several names (``x``) and a report naming one of
    them, of that father (``y``), is settled by the register (see the module doc): its
    one doubt is of that name, both fathers' names are stated and do not differ, the
    pair's facts agree (:func:`_facts_agree`), the register holds no other man of x's
    father's line whom x may be (:func:`other_men`) and no candidate of x that names no
    one (:func:`unnamed_near`), and it singles out one person
    (:func:`nasab.linkage.readings.singled_out`)."""
    if not doubt.of_the_name_only:
        return False
    for x, y in ((a, b), (b, a)):
        fx, fy = facts[x], facts[y]
        if not several_names(fx) or not _names_one(fy.chain):
            continue
        if fx.chain.father is None or fy.chain.father is None:
            continue
        if part_relation(fx.chain.given, fy.chain.given) != "same":
            continue  # a nickname against a name it does not stand for
        if not _facts_agree(fx, fy, unstated_ok=_year_borne_out(facts, cands, sons, x, y)):
            continue
        if other_men(facts, cands, x, y, sons) or unnamed_near(facts, cands, x, y):
            continue
        return singled_out(facts, cands, a, b)
    return False


def _year_borne_out(facts, cands, sons, x: str, y: str) -> bool:
    """Whether a nickname's report ``x`` that states a birth year is tied to ``y``, which
    states none, by the same disappearance (:func:`~nasab.linkage.own_facts.same_event`)
    and the register: no other report of x's father's line bears x's nickname as its
    given name (a man so named, or so called by every reporter), and y's candidates
    that give all y's names (his other reports) state x's year where they state one."""
    fx, fy = facts[x], facts[y]
    if not fx.year or fy.year or not same_event(fx, fy):
        return False
    g = fx.chain.given
    if any(
        z != x and (c := facts[z].chain).given is not None and c.given.ids == g.ids
        for z in _of_the_line(sons, fx, fy)
    ):
        return False
    return all(
        facts[z].year in (None, fx.year)
        for z in cands.get(y, set())
        if z != x and _all_his_names(facts[z].chain, fy.chain)
    )


def _all_his_names(cz, cy) -> bool:
    """Given and father's names the same, family names not unlike."""
    return (
        _same(cz.given, cy.given)
        and _same(cz.father, cy.father)
        and family_relation(cz.family, cy.family) not in _UNLIKE
    )


def no_better_fit(*_: _Facts) -> bool:
    """The ``better`` of :func:`other_men` and of
    :func:`nasab.linkage.readings.singled_out` that excuses no other man: every man the
    report may be counts, however much better the pair's other report fits."""
    return False
