"""The rules that keep relatives apart (brothers, cousins, father and son): why a scored
pair is held back, and what cannot be one person (name levels: :mod:`.similarity`)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, replace

from nasab.linkage.chain import Chain, Part, father_uncertain, read_chain
from nasab.linkage.comparisons import _GIVEN_DIFFERENT, MAX_BIRTH_YEAR_GAP
from nasab.linkage.compounds import (
    _DIFFERENT,
    _compounds_differ,
    _second_only,
    _slips_of_one,
    family_relation,
    names_one,
    part_relation,
    prefix_alone,
    read_as_son,
)
from nasab.linkage.dates import stated_date, stated_year
from nasab.linkage.doubts import SON_READ, Doubt, _given_doubts
from nasab.linkage.father_names import (
    FATHER_PREFIX_ALONE,
    MIDDLES_DIFFER,
    NEITHER_FATHER,
    NO_FATHER,
    SECOND_NAME_FAMILY,
    father_prefix_alone,
    same_father_compound,
    second_name_is_family,
)
from nasab.linkage.lines_differ import (
    _fathers_differ,
    _grandfathers_differ,
    _middle_fits_neither,
    _read_off,
)
from nasab.linkage.normalise import stated_sex
from nasab.linkage.own_facts import (
    CORROBORATING_YEARS,
    events_apart,
    own_facts_settle,
    same_event,
    two_events,
)

# --- rules on the reports' facts (Python; the same name rules as the SQL levels) -------


@dataclass(frozen=True)
class _Facts:
    chain: Chain
    sex: str
    year: int | None
    date: _dt.date | None = None  # of disappearance


def _facts(chain: Chain, rep: dict) -> _Facts:
    try:
        y = stated_year(rep.get("birth_year"))
    except ValueError:
        y = None
    try:
        d = stated_date(rep.get("disappearance_date"))
    except ValueError:
        d = None
    return _Facts(chain, stated_sex(rep.get("sex")) or "", y, d)


def _one_generation_apart(a: Chain, b: Chain) -> bool:
    """b's given name is a's father's and b's father a's grandfather (or the other way),
    or one is "Abu X" and X is the other's given name with the kunya's father as his
    grandfather: a father and his son."""
    if any(c.given is not None and len(c.given.ids) > 1 for c in (a, b)):
        return False  # "Mohammad Wael": compound or Mohammad son of Wael, cannot tell
    if same_father_compound(a, b):
        return False  # the father's compound "محمد يوسف" read two ways
    if _same(a.given, b.given) and _same(a.father, b.father):
        # the names agree in place too (Mohammad son of Hamada son of Mohammad against
        # itself): a shift is no likelier than one man (the second simulator, seed 3)
        return False
    for x, y in ((a, b), (b, a)):
        if _shifted(x.father, y.given) and _shifted(x.grandfather, y.father):
            return True
        if _shifted(x.kunya, y.given) and _shifted(x.father, y.grandfather):
            return True
    return False


def _same(p: Part | None, q: Part | None) -> bool:
    return p is not None and q is not None and part_relation(p, q) == "same"


def _shifted(p: Part | None, q: Part | None) -> bool:
    """Two names one place apart that are one name, each naming one name
    (:func:`~nasab.linkage.compounds.names_one`): not a nickname of several names
    (حمادة, a father's name as well, is Mohammad, Ahmad or Mahmoud: "أبو حمادة" son of
    حمادة is no father of a Mohammad son of Hamada)."""
    return _same(p, q) and names_one(p) and names_one(q)


def _as_son(ca: Chain, cb: Chain) -> tuple[Chain, Chain, bool]:
    """The chains with a given name that reads two ways ("Mohammad Ali", no father's
    box) read as a name and the father's where the other report gives that name and
    that father (Mohammad, son of Ali); and whether one was so read."""
    for x, y in ((ca, cb), (cb, ca)):
        xs = read_as_son(x)
        if (
            xs is not None
            and read_as_son(y) is None
            and part_relation(xs.given, y.given) == "same"
            and part_relation(xs.father, y.father) in ("same", "slip")
        ):
            return (xs, cb, True) if x is ca else (ca, xs, True)
    return ca, cb, False


def _son_read(c: Chain) -> Chain | None:
    """The chain of a compound read as a name and the father's: by
    :func:`read_as_son` where it reads two ways, or as the register read it (a note
    ``name and father``: the compound's note is kept, as the register may be wrong)."""
    if c.note("name and father") is not None:
        return c
    return read_as_son(c)


def _sons_one_skipped(ca: Chain, cb: Chain) -> bool:
    """Two full names that both start "Mohammad X" (no boxes: the compound, or
    Mohammad son of X) whose second names differ only as the compounds are read: read as
    a name and the father's, one is a three-part name whose middle name is the other's
    grandfather ("Mohammad Ahmad al-Talbisi" and "محمد علي أحمد التلبيسي": Mohammad son
    of Ali son of Ahmad, written once with the father's name skipped; the second may
    have been so read by the register already), or whose grandfather is not stated
    ("محمد عمر" in the given-name box and "Mohammed Ibrahim El-Masri": Mohammad son of
    Omar son of Ibrahim).  Not two men for sure: a doubt of :func:`undecided` (who the
    father is), not different compounds."""
    xs, ys = _son_read(ca), _son_read(cb)
    if xs is None or ys is None or part_relation(xs.given, ys.given) != "same":
        return False
    return any(
        father_uncertain(x)
        and (y.grandfather is None or part_relation(x.father, y.grandfather) in ("same", "slip"))
        for x, y in ((xs, ys), (ys, xs))
    )


def _held_back(row: dict, fa: _Facts, fb: _Facts) -> tuple[str, str] | None:
    """Why a scored pair is two relatives rather than one person, or None."""
    # a compound against its prefix or its second name alone (Mohammad Munir against
    # Mohammad, or against Munir): names that differ only as the compound is read, a
    # doubt of :func:`undecided` rather than two men
    # two names the lexicon does not know, slips of one name (عيل, Alm: Ali), are that
    # name typed wrong twice (the model's levels see a slip against a known name only)
    if (
        row.get("gamma_given_name") in _GIVEN_DIFFERENT
        and not _slips_of_one(fa.chain.given, fb.chain.given)
        and not any(
            prefix_alone(x, y) or _second_only(x, y)
            for x, y in ((fa.chain, fb.chain), (fb.chain, fa.chain))
        )
    ):
        return (
            "different given names (brothers, sisters or cousins?)",
            "الاسمان مختلفان (أخوان أو أبناء عم؟)",
        )
    if fa.sex and fb.sex and fa.sex != fb.sex:
        # a kunya or a nickname of several names against a sister's report, taken with
        # him and of his birth year: nothing else tells them apart
        return ("stated sexes differ (brother and sister?)", "الجنسان مختلفان (أخ وأخت؟)")
    if fa.year and fb.year and abs(fa.year - fb.year) > MAX_BIRTH_YEAR_GAP:
        d = abs(fa.year - fb.year)
        return (
            f"birth years {d} years apart (father and son?)",
            f"سنتا الولادة متباعدتان {d} سنة (أب وابن؟)",
        )
    if _one_generation_apart(fa.chain, fb.chain):
        return (
            "names one generation apart (father and son?)",
            "الأسماء متزاحة بجيل واحد (أب وابن؟)",
        )
    ca, cb, _ = _as_son(fa.chain, fb.chain)
    if _fathers_differ(ca, cb):
        return ("fathers' names differ (cousins?)", "اسما الأبوين مختلفان (أبناء عم؟)")
    if _grandfathers_differ(ca, cb):
        return (
            "grandfathers' names differ (cousins?)",
            "اسما الجدين مختلفان (أبناء عم؟)",
        )
    if part_relation(fa.chain.mother, fb.chain.mother) == "distinct":
        # two names the lexicon knows (Aysha, Hind): one man's reports give his
        # mother's name alike (none of the two simulators' true pairs differ so)
        return (
            "mothers' names differ (half-brothers or cousins?)",
            "اسما الأمين مختلفان (أخوان لأب أو أبناء عم؟)",
        )
    if _middle_fits_neither(ca, cb):
        return (
            "the middle name of a three-part name is neither the other's father nor "
            "grandfather (cousins?)",
            "الاسم الأوسط في الاسم الثلاثي ليس اسم الأب ولا اسم الجد في البلاغ الآخر (أبناء عم؟)",
        )
    if _compounds_differ(ca, cb) and not _sons_one_skipped(ca, cb):
        return (
            "different compound names (brothers or cousins?)",
            "اسمان مركبان مختلفان (أخوان أو أبناء عم؟)",
        )
    # A kunya or no given name against a given name, birth years a few years apart
    # (at most MAX_BIRTH_YEAR_GAP): a brother fits, and so does the man with a birth
    # year given wrong; no firm sign of two persons, so not held back: the kunya's doubt
    # (:func:`undecided`) leaves it to a person.
    return None


def _given_among(ca: Chain, cb: Chain, names) -> bool:
    """The pair's given name (the first report's, else the second's) is one of
    ``names`` (same or a slip; None entries ignored)."""
    given = ca.given if ca.given is not None else cb.given
    return any(part_relation(given, n) in ("same", "slip") for n in names if n is not None)


def _named_after_grandfather(x: Chain, y: Chain) -> bool:
    """The pair's given name is the grandfather's that x (Ahmad, no father's name,
    grandson of Ahmad) or y (Abdullah son of Mohammad son of Abdullah, against a full
    name "Abdullah Suleiman" with no father: the second simulator's cousins) gives: a
    first son is named after his father's father, so each son of that grandfather may
    have a son of this very name, and a cousin of the same name and grandfather is as
    likely as one man even where the register holds no report of him.  :func:`undecided` leaves such a pair to a person unless its own facts tie
    the two (the same mother's name, or the same disappearance with birth years at most
    a year apart): cousins Ahmad son of Ali son of Ahmad, no birth year, and Ahmad, no
    father's name, grandson of Ahmad, no date, were proposed at 6,000 seed 6 of the
    intake benchmark."""
    return _given_among(x, y, (x.grandfather, y.grandfather))


def _given_is_a_grandfathers(ca: Chain, cb: Chain) -> bool:
    """The pair's given name is a grandfather's name either report gives (in his own
    box, or as a three-part full name's middle name, which with the father's name
    skipped is the grandfather's): the name a first son is given after his father's
    father, which cousins often share."""
    middles = [c.father for c in (ca, cb) if father_uncertain(c)]
    return _given_among(ca, cb, (ca.grandfather, cb.grandfather, *middles))


def _ambiguities(ca: Chain, cb: Chain) -> list[Doubt]:
    """Every reason why the names of two reports fit one man as well as two brothers or
    cousins (empty: the names settle it)."""
    out = _given_doubts(ca, cb)
    if father_prefix_alone(ca, cb):
        out.append(FATHER_PREFIX_ALONE)
    for x, y in ((ca, cb), (cb, ca)):
        no_father = x.father is None or second_name_is_family(x, y)
        # a kunya beside the given name tells no father (محمود أبو شاكر, no father's
        # box, against his cousin Mahmoud son of Ahmad: the third simulator's seed 2),
        # unless the other gives it too; a kunya alone is doubted as a kunya
        kunya = x.kunya is not None and (x.given is None or _same(x.kunya, y.kunya))
        if no_father and not kunya and (x.given is not None or y.given):
            if y.father is None or father_uncertain(y):
                out.append(NEITHER_FATHER)
            out.append(
                Doubt(
                    *(NO_FATHER if x.father is None else SECOND_NAME_FAMILY),
                    # with the grandfather's name: only a cousin of the same name is left
                    always=x.grandfather is None,
                    named_after=_named_after_grandfather(x, y),
                    # a cousin of the same name fits: birth years corroborate only with
                    # the same mother's name
                    father_unknown=True,
                )
            )
            break
    for x, y in ((ca, cb), (cb, ca)):
        if (
            x.father is not None
            and y.father is not None
            and not x.father.ids
            and len(x.father.near) > 1
            and part_relation(x.father, y.father) == "slip"
        ):
            # حين: one slip from Hassan and from Hussein, two brothers' names: the
            # sons of each fit (cousins), as a rival in the register would show
            out.append(
                Doubt(
                    f"the father's name {x.father.raw} is no known name and one letter "
                    f"from several ({', '.join(sorted(x.father.near))}): it fits cousins",
                    f"اسم الأب {x.father.raw} ليس اسماً معروفاً ويختلف بحرف واحد عن أكثر "
                    "من اسم: يصلح لابني عم",
                    always=False,
                    father_unknown=True,
                )
            )
            break
    for x, y in ((ca, cb), (cb, ca)):
        if (
            part_relation(x.father, y.father) in _DIFFERENT
            and _read_off(x)
            and not (father_uncertain(x) or father_uncertain(y))
            and y.father.tok in x.tokens_after_given()[1:]
            and not same_father_compound(x, y)
        ):
            # "محم عيىس باسل" against Mohammad son of Basel: fathers that differ as read,
            # agree with the first two names read as a compound (Mohammad Issa, son of
            # Basel), which is another name than a plain Mohammad: a brother fits
            out.append(
                Doubt(
                    "the fathers' names agree only with the names read one place off (the "
                    "first two a compound name): it fits a brother or cousin",
                    "اسما الأبوين لا يتفقان إلا بقراءة الأسماء مزاحة بمكان (الاسمان الأولان "
                    "اسم مركب): يصلح لأخ أو ابن عم",
                    father_unknown=True,
                    brothers=True,
                    other_father=True,
                )
            )
            break
    if (
        ca.father is not None
        and cb.father is not None
        and father_uncertain(ca)
        and father_uncertain(cb)
        and not any(n.startswith("kunya") for c in (ca, cb) for n in c.notes)
    ):
        # two three-part names: two grandsons of one man fit; with other middle names
        # they are one man only if exactly one skipped his father's name, and two
        # cousins taken the same day fit better (the same event settles only with the
        # same birth year)
        differ = part_relation(ca.father, cb.father) in _DIFFERENT
        out.append(MIDDLES_DIFFER if differ else NEITHER_FATHER)
    for x, y in ((ca, cb), (cb, ca)):
        if (
            father_uncertain(x)
            and y.grandfather is None
            and y.father is not None
            and not father_uncertain(y)
            and part_relation(x.father, y.father) in _DIFFERENT
        ):
            out.append(
                Doubt(
                    "a three-part full name whose middle name is not the other's father: "
                    "read with the father's name skipped, it fits any grandson of that man",
                    "اسم ثلاثي اسمه الأوسط ليس اسم الأب في البلاغ الآخر: إن قُرئ بإسقاط اسم "
                    "الأب يصلح لأي حفيد لذلك الجد",
                    father_unknown=True,
                    other_father=True,
                )
            )
    for x, y in ((ca, cb), (cb, ca)):
        if (
            father_uncertain(x)
            and y.grandfather is not None
            and part_relation(x.father, y.grandfather) == "same"
            and part_relation(x.father, y.father) not in ("same", "slip")
        ):
            out.append(
                Doubt(
                    "a three-part full name read with the father's name skipped: it fits "
                    "any grandson of this grandfather",
                    "اسم ثلاثي قُرئ بإسقاط اسم الأب: يصلح لأي حفيد لهذا الجد",
                    father_unknown=True,
                    other_father=True,
                    skipped=True,
                )
            )
    return out


def _ambiguity(ca: Chain, cb: Chain) -> Doubt | None:
    """The first reason of :func:`_ambiguities` (with how many there are), or None.
    A given name that reads two ways is read as a name and the father's where that
    fits the other report (:func:`_as_son`): the son reading that agrees raises no
    doubt of the names (the compound that fits a cousin leaves his father unknown,
    which the doubts of the name so read already cover); where the names raise none
    else, it is the register's doubt :data:`SON_READ` (a man of the compound
    reported)."""
    ca, cb, son_read = _as_son(ca, cb)
    doubts = _ambiguities(ca, cb) or ([SON_READ] if son_read else [])
    if not doubts:
        return None
    first = doubts[0]
    return replace(
        first,
        always=any(d.always for d in doubts),
        count=len(doubts),
        father_unknown=any(d.father_unknown for d in doubts),
        years_settle=all(d.years_settle for d in doubts),
        brothers=any(d.brothers for d in doubts),
        generations=any(d.generations for d in doubts),
        other_father=any(d.other_father for d in doubts),
        settles=all(d.settles for d in doubts),
        named_after=any(d.named_after for d in doubts),
        # the other father comes only from a skipped father's name (not for a pair
        # with no such doubt: a kunya is no reading of another father)
        skipped=any(d.other_father for d in doubts)
        and all(d.skipped for d in doubts if d.other_father),
    )


def undecided(fa: _Facts, fb: _Facts) -> Doubt | None:
    """Why a pair that scored above the threshold may need a person to decide: its names
    fit one man as well as two brothers or cousins (a kunya, no father's name, a
    three-part name with the father's name skipped, a nickname of several names, a
    compound that may be a name and the father's).  ``corroborated``: both birth years
    stated and at most :data:`CORROBORATING_YEARS` apart, which settles a single doubt
    unless the register holds a rival of a fitting age (see
    :meth:`nasab.linkage.dedup.DedupModel`).  Names that raise no doubt with dates of
    disappearance years apart are two events (:func:`.own_facts.two_events`).  None: no doubt."""
    why = _ambiguity(fa.chain, fb.chain)
    # names that raise no doubt (or only the register's, SON_READ), dates years apart
    apart = two_events(fa.date, fb.date) if why is None or why.son_read else None
    if apart:
        return Doubt(*apart, settles=False)
    if why is None:
        return None
    years = bool(fa.year and fb.year and abs(fa.year - fb.year) <= CORROBORATING_YEARS)
    # the pair's own facts, each found once
    one_event = same_event(fa, fb)
    mother = part_relation(fa.chain.mother, fb.chain.mother)
    same_mother = mother in ("same", "slip")
    # mothers' names both stated and different: the cousin (or half-brother) that the
    # names fit has another mother, so the doubt is open whatever the register holds;
    # so too, where who the father is is in doubt, family names both stated and unlike
    mothers = mother in _DIFFERENT or (why.father_unknown and families_unlike(fa, fb))
    gap = abs(fa.year - fb.year) if fa.year and fb.year else None
    kunya_of_father = _kunya_of_a_father(fa.chain, fb.chain)
    # a three-part name read with the father's name skipped whose given name is the
    # grandfather's: a cousin named after him fits the pair
    skipped_cousin = why.other_father and _given_is_a_grandfathers(fa.chain, fb.chain)
    event = (
        why.settles
        and one_event
        and years
        and (not why.brothers or fa.year == fb.year)
        and not mothers
        # a three-part name read with the father's name skipped whose given name is the
        # grandfather's fits a cousin named after him, now and then taken in the same
        # raid: only with the same birth year or mother's name (38,000 seed 6 with
        # close siblings: "Youssef Youssef al-Kafrlahawi" and a cousin Youssef grandson
        # of Youssef, born a year apart, taken two days apart)
        and (gap == 0 or same_mother or not skipped_cousin)
    )
    if why.father_unknown:
        years = years and same_mother
    # dates of disappearance months apart: two events, as likely a relative's as his
    apart = events_apart(fa, fb)
    own = own_facts_settle(
        names_one=_names_one(fa.chain) or _names_one(fb.chain),
        generations=why.generations,
        brothers=why.brothers,
        cousin_fits=why.father_unknown and not same_mother,
        kunya_of_father=kunya_of_father,
        # read plainly, a three-part name whose middle name is the other's grandfather
        # gives the other's uncle of the same name, whom the same birth year rules out;
        # a cousin of this name fits as well where it is the grandfather's name
        reading_conflicts=why.other_father
        and not same_mother
        and (not why.skipped or skipped_cousin),
        gap=gap,
        event=one_event,
        apart=apart,
        years=years,
        same_mother=same_mother and why.count == 1,
    )
    # a cousin named after the same grandfather, of his generation, is often born within a year
    # or two of him (the register's other reports may give the year): only the same mother's
    # name (a cousin has another) or the same disappearance, years at most one apart, ties them
    untied = why.named_after and not (
        same_mother or (one_event and gap is not None and gap <= CORROBORATING_YEARS)
    )
    return replace(
        why,
        corroborated=years
        and why.years_settle
        and not apart
        and not mothers
        # a name that fits a brother (a nickname, a slip close to several names): a
        # brother born a year apart whose only report is this one fits as well, so
        # only the same birth year corroborates (siblings born one to four years
        # apart: dedup_intake.py --siblings close, seed 9 at 1,500 persons)
        and (gap == 0 or not why.brothers),
        event=event,
        # a slip close to several names (Samerr: Samer or Samir) is open only where the
        # register holds a brother it fits, unless the birth years differ: a brother
        # a few years apart whose only report is the slip fits as well
        always=why.always or apart or mothers or untied or (why.brothers and bool(gap)),
        alone=own and not mothers and why.settles and not untied,
        kunya_of_father=kunya_of_father,
        skipped_cousin=skipped_cousin,
    )


def families_unlike(fa: _Facts, fb: _Facts) -> bool:
    """Family names both stated and unlike (no level of :func:`part_relation` above
    ``else``, nor one typing slip apart).  Where who the father is is in doubt, the
    reading that makes the two one man (a father's name skipped, a name and the
    father's in one box) leaves another family to explain, and a cousin fits better:
    6,000 seed 7, cousins "يوسف رامي" al-Homsi and the full name "Yosef Bashar Yousef",
    whose last word is his grandfather's name."""
    return family_relation(fa.chain.family, fb.chain.family) == "else"


def _kunya_of_a_father(ca: Chain, cb: Chain) -> bool:
    """A kunya of either report that is the father's name of either report."""
    return any(
        x.kunya is not None and part_relation(x.kunya, y.father) in ("same", "slip")
        for x in (ca, cb)
        for y in (ca, cb)
    )


def _names_one(c: Chain) -> bool:
    """A given name that names one man: not a kunya, a nickname of several names or an
    unknown name one letter from several."""
    g = c.given
    return g is not None and len(g.ids) <= 1 and (bool(g.ids) or len(g.near) <= 1)


def _cannot(fa: _Facts, fb: _Facts) -> bool:
    if part_relation(fa.chain.given, fb.chain.given) in _DIFFERENT:
        return True
    if _compounds_differ(fa.chain, fb.chain):
        return True
    if fa.sex and fb.sex and fa.sex != fb.sex:
        return True
    if fa.year and fb.year and abs(fa.year - fb.year) > MAX_BIRTH_YEAR_GAP:
        return True
    if _grandfathers_differ(fa.chain, fb.chain):
        return True
    return _one_generation_apart(fa.chain, fb.chain)


def cannot_be_same(a: dict, b: dict) -> bool:
    """Hard constraints for clustering: reports that describe different persons
    (different given names by the lexicon or by spelling, different sex, birth years
    more than :data:`MAX_BIRTH_YEAR_GAP` apart, names one generation apart)."""
    return _cannot(_facts(read_chain(a), a), _facts(read_chain(b), b))
