"""Why a pair's names fit one man as well as two brothers or cousins: the
:class:`Doubt` a pair's names raise, and the doubts about the given names (a kunya or
none, a nickname of several names, a slip close to several names, a compound that may
be a name and the father's).  The doubts of the fathers' names and how the pair's facts
and the register weigh them: :mod:`nasab.linkage.relatives`."""

from __future__ import annotations

from dataclasses import dataclass

from nasab.linkage.chain import Chain
from nasab.linkage.compounds import (
    _DIFFERENT,
    _prefix_only,
    _second_only,
    part_relation,
    prefix_alone,
    prefix_only_fathered,
    second_by_the_register,
)
from nasab.linkage.lexicon import nickname_of


@dataclass(frozen=True)
class Doubt:
    """Why a pair's names fit one man as well as two brothers or cousins."""

    en: str
    ar: str
    #: True: the names identify too little whatever else the register holds (a kunya,
    #: no father's name, a skipped father's name, a compound that may be a name and the
    #: father's); False: only when the register holds a report of a brother or cousin
    #: that the other reading fits (a nickname, a slip close to several names)
    always: bool = True
    #: both birth years stated and at most :data:`CORROBORATING_YEARS` apart (the same
    #: year where the names fit a brother): proposed unless a second doubt or a rival of
    #: a fitting age leaves it open
    corroborated: bool = False
    #: how many of the doubts below the pair carries (two readings stacked: a kunya and a
    #: skipped father's name, a compound in a three-part name ...)
    count: int = 1
    #: the doubt is who the father is (no father's name, a skipped one, a compound that
    #: may hold it): a cousin named after the same grandfather fits, and cousins are
    #: often born within a year, so birth years corroborate only with the same mother's
    #: name (a cousin has another mother)
    father_unknown: bool = False
    #: False: birth years cannot settle it (a kunya: any son of this father who has a
    #: son of that name, and brothers are often born a year apart)
    years_settle: bool = True
    #: the same disappearance (:func:`same_event`), birth years at most
    #: :data:`CORROBORATING_YEARS` apart (the same year where the names fit a
    #: brother) and mothers' names that do not differ: proposed, even with several
    #: doubts, unless the register holds a rival of a fitting age who disappeared in
    #: the same event too (a brother taken with him)
    event: bool = False
    #: the names fit two brothers (a kunya, no given name, a nickname or a slip close to
    #: several names, a compound against its prefix): brothers are often taken together
    #: and born a year apart, so the same disappearance settles it only with the same
    #: birth year
    brothers: bool = False
    #: the names fit a father and his son (a compound, or a name and the father's): the
    #: two are often taken together, so only birth years tell (or, with a year unstated,
    #: the same mother's name: :func:`~nasab.linkage.own_facts.own_facts_settle`), never
    #: the same disappearance
    generations: bool = False
    #: the pair's own facts leave no room for a relative the register does not hold:
    #: one of the two reports names one man (not a kunya, nor a nickname or slip of
    #: several names); the same birth year where the names fit a brother; else the same
    #: birth year, or birth years at most :data:`CORROBORATING_YEARS` apart (with the
    #: same mother's name where the father is in doubt: a cousin has another mother), or
    #: the same disappearance with years at most two apart; dates of disappearance not
    #: months apart and mothers' names not different.  Never where the father is in
    #: doubt without the same mother's name (a cousin named after the same grandfather,
    #: born the same year, need not be in the register), nor for a kunya of the father's
    #: name (Abu Ayman, son of Ayman: any of Ayman's sons).  Proposed when the register
    #: singles out one person (:func:`nasab.linkage.readings.singled_out`)
    alone: bool = False
    #: False: neither the pair's own facts nor the same disappearance settle it (a
    #: compound read by its second name against its prefix alone: which man of the
    #: family the prefix stands for no birth year tells)
    settles: bool = True
    #: the names as plainly read give another father (a compound read as a name and
    #: the father's, a middle name that is not the other's father): a cousin fits
    #: better than one man, and only the same mother's name rules him out
    other_father: bool = False
    #: no father's name, and the given name is the grandfather's (Ahmad grandson of
    #: Ahmad): by custom each son of the grandfather may name a son after him, so a
    #: cousin of this name fits even where the register holds none; left to a person
    #: unless the pair's own facts tie the two (:func:`nasab.linkage.relatives.undecided`)
    named_after: bool = False
    #: the other father comes only from reading a three-part full name plainly (Ahmad
    #: Khaled al-Homsi as Ahmad son of Khaled, against Ahmad son of Omar son of
    #: Khaled): so read he is the other's uncle of the same name, a generation older,
    #: and with the father's name skipped the other himself or a cousin; where the
    #: given name is not the grandfather's, a cousin of this name is one by chance
    #: only, and the same birth year rules out the uncle and makes the cousin unlikely
    #: (:func:`nasab.linkage.relatives.undecided`)
    skipped: bool = False
    #: a kunya of the father's name ("Abu Ayman" son of Ayman): every son of Ayman may
    #: bear it, so no birth year of the pair's and no register settles it
    #: (:func:`nasab.linkage.register_ties.ties`); set by
    #: :func:`nasab.linkage.relatives.undecided`
    kunya_of_father: bool = False
    #: a three-part name read with the father's name skipped whose given name is the
    #: grandfather's: a cousin named after him fits, and the same disappearance ties
    #: the two only with the same birth year or mother's name; set by
    #: :func:`nasab.linkage.relatives.undecided`
    skipped_cousin: bool = False
    #: a given name that reads two ways read as a name and the father's
    #: (:data:`SON_READ`): open only where the register holds a man of the compound's
    #: reading (:func:`nasab.linkage.readings.compound_rival`)
    son_read: bool = False

    @property
    def of_the_name_only(self) -> bool:
        """One doubt, of the name itself (a kunya, a nickname): not two stacked, not of
        generations nor of who the father is, and one the pair's facts may settle."""
        return self.count == 1 and not self.generations and not self.father_unknown and self.settles


#: a given name that reads two ways ("Mohammad Ebrahim", no father's box: the compound,
#: or Mohammad son of Ebrahim) read as a name and the father's, as the other report
#: gives them (:func:`nasab.linkage.relatives._as_son`), the pair's names raising no
#: other doubt: as the compound it fits another man of the family written by its second
#: name, of its grandfather (Ebrahim son of Hasan son of Ziyad), so the pair is open
#: where the register holds such a man (the second simulator, seed 2: "Mohammad
#: Ebrahim" grandson of Ziyad al-Khateeb, of Ebrahim's mother, against his cousin
#: Mohammad son of Ibrahim)
SON_READ = Doubt(
    "a compound or a name and the father's in one box, read as the latter: as the "
    "compound it fits another man of the family, written by its second name",
    "اسم مركب أو اسم واسم أب في خانة واحدة، قُرئ على الثاني: وعلى أنه مركب يصلح لرجل "
    "آخر من العائلة كُتب باسمه الثاني",
    always=False,
    son_read=True,
)

#: :data:`SON_READ` where the pair's own facts speak against one man (dates of
#: disappearance months apart, mothers' names that differ): then only the reading as a
#: name and the father's makes the two one man, and a namesake fits as well (38,000
#: persons of the intake benchmark with close siblings, seed 6: of the pairs so read
#: and proposed, 66 were one man and 63 two, among them "Mohammed Ahmad", no father's
#: box, against his cousin Muhammad son of Ahmad, taken 339 days apart).  Always open.
SON_READ_APART = Doubt(
    "a compound or a name and the father's in one box, read as the latter, and the "
    "reports' own facts speak against one man (dates of disappearance months apart, or "
    "mothers' names that differ): as the compound it may be another man of the family",
    "اسم مركب أو اسم واسم أب في خانة واحدة، قُرئ على الثاني، ووقائع البلاغين تخالف كونهما "
    "رجلاً واحداً (تاريخا فقدان متباعدان أشهراً أو اسما أم مختلفان): وعلى أنه مركب قد "
    "يكون رجلاً آخر من العائلة",
    settles=False,
)


def _given_doubts(ca: Chain, cb: Chain) -> list[Doubt]:
    """Doubts about the given names: a kunya or none, a nickname of several names, a
    slip close to several names, a compound that may be a name and the father's."""
    out = []
    resolved = [c.note("kunya resolved") is not None for c in (ca, cb)]
    if (
        (ca.given is None or resolved[0])
        and (cb.given is None or resolved[1])
        and (ca.kunya and cb.kunya)
    ):
        return [
            Doubt(
                f"both reports give a kunya (Abu {ca.kunya.raw}): it fits any two sons of "
                "this father",
                "البلاغان يذكران كنية: تصلح لأي ابنين لهذا الأب",
                years_settle=False,
                brothers=True,
            )
        ]
    if ca.given is None and cb.given is None:
        # a kunya against a report with no given name (or one the reader could not
        # read: "عي"), or two with none: any two sons of this father (6,000 seed 8)
        return [
            Doubt(
                "neither report gives a given name (a kunya, or none): it fits any two "
                "sons of this father",
                "لا يذكر أي من البلاغين الاسم (كنية أو لا شيء): يصلح لأي ابنين لهذا الأب",
                years_settle=False,
                brothers=True,
            )
        ]
    for x, y in ((ca, cb), (cb, ca)):
        if x.given is None and y.given is not None:
            what = f"a kunya (Abu {x.kunya.raw})" if x.kunya else "no given name"
            out.append(
                Doubt(
                    f"one report gives {what}: it fits any son of this father",
                    "أحد البلاغين يذكر كنية أو لا يذكر الاسم: يصلح لأي ابن لهذا الأب",
                    years_settle=False,
                    brothers=True,
                )
            )
    for x, y in ((ca, cb), (cb, ca)):
        if x.given is None or y.given is None:
            continue
        if len(x.given.near) > 1 and not x.given.ids:
            out.append(
                Doubt(
                    f"{x.given.raw} is no known name and one letter from several "
                    f"({', '.join(sorted(x.given.near))}): it fits brothers",
                    f"{x.given.raw} ليس اسماً معروفاً ويختلف بحرف واحد عن أكثر من اسم: يصلح لأخوين",
                    always=False,
                    brothers=True,
                )
            )
        nick = nickname_of(x.given.raw)
        if len(nick) > 1 and len(nickname_of(y.given.raw)) != 1:
            out.append(
                Doubt(
                    f"the nickname {x.given.raw} stands for several names (brothers?)",
                    f"اسم التحبب {x.given.raw} يطلق على أكثر من اسم (أخوان؟)",
                    brothers=True,
                )
            )
        if prefix_alone(x, y):
            out.append(
                Doubt(
                    f"a compound name read as {x.given.raw} against its prefix alone "
                    f"({y.given.raw}): the same man, or a brother or cousin",
                    f"اسم مركب قُرئ {x.given.raw} مقابل جزئه الأول وحده ({y.given.raw}): "
                    "الشخص نفسه أو أخ أو ابن عم",
                    father_unknown=True,
                    brothers=True,
                    other_father=True,
                    years_settle=False,
                    settles=False,
                )
            )
        if _second_only(x, y):
            # "Mohammad Khaled Ahmad" against "Khaled Ahmad": the compound Mohammad
            # Khaled son of Ahmad, or Mohammad son of Khaled son of Ahmad (his son).
            # Given names that differ as the register reads them: never settled
            read = part_relation(x.given, y.given) not in _DIFFERENT
            out.append(
                Doubt(
                    "a compound name or a name and the father's: it fits a father and his son",
                    "اسم مركب أو اسم واسم أب: يصلح لأب وابنه",
                    generations=True,
                    years_settle=read,
                    settles=read,
                )
            )
        by_register = second_by_the_register(x, y)
        if by_register or _prefix_only(x, y):
            # "Mohammad Anas" against a plain "Mohammad" whose father is not Anas: the
            # compound written by its prefix alone, or Mohammad son of Anas (a cousin)
            fathered = not by_register and prefix_only_fathered(x, y)
            out.append(
                Doubt(
                    "a compound name or a name and the father's: it fits two brothers or cousins",
                    "اسم مركب أو اسم واسم أب: يصلح لأخوين أو لابني عم",
                    father_unknown=True,
                    brothers=True,
                    other_father=True,
                    years_settle=not fathered,
                    settles=not fathered,
                )
            )
    return out
