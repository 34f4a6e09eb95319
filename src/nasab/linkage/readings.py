"""Other readings of a report in the register: whether the register holds another
person that a report with a doubt (:func:`nasab.linkage.relatives.undecided`) may be
(a brother, a cousin), and whether the pair's own facts single one person out."""

from __future__ import annotations

from nasab.linkage.chain import father_uncertain
from nasab.linkage.compounds import son_reading
from nasab.linkage.doubts import Doubt
from nasab.linkage.father_names import same_father_compound
from nasab.linkage.lines_differ import _fathers_differ, _middle_fits_neither, _read_off
from nasab.linkage.own_facts import (
    CORROBORATING_YEARS,
    SAME_EVENT_DAYS,
    events_apart,
    same_event,
)
from nasab.linkage.relatives import (
    _DIFFERENT,
    _as_son,
    _cannot,
    _Facts,
    _names_one,
    families_unlike,
    part_relation,
)


def rival(
    fx: _Facts,
    fy: _Facts,
    fz: _Facts,
    *,
    fitting_age: bool = False,
    same_event: bool = False,
    age_gap: int = 2,
) -> bool:
    """Whether report z, a candidate of x that may be the same person as x (the
    blocking's candidates include x's brothers and sisters: one plainly another person,
    :func:`_plainly_another`, is no other reading of x), cannot be the same person as y: a brother (different given name) or a cousin
    (different father's name, both stated and read for sure).  ``fitting_age``: z must also be of x's age (birth years within
    ``age_gap`` years, two unless the caller says, or one of them unknown).  A z whose family name is plainly another than
    x's (:func:`~nasab.linkage.relatives.families_unlike`) is no brother or cousin of x.  ``same_event``: z must also have disappeared
    when x did (dates at most :data:`SAME_EVENT_DAYS` apart, or z's date unknown)."""
    if fitting_age and fx.year and fz.year and abs(fx.year - fz.year) > age_gap:
        return False
    if same_event and fx.date and fz.date and abs((fx.date - fz.date).days) > SAME_EVENT_DAYS:
        return False
    if families_unlike(fz, fx):
        # z of another family (names that share no letters beyond a slip): not a
        # brother or cousin of x, whose fathers' line carries the family name
        return False
    if _plainly_another(fz, fx):
        # z is a candidate of x by blocking only (a sister, a brother of another known
        # name): it is no other reading of x
        return False
    if _cannot(fz, fy):
        return True
    cz, cy = fz.chain, fy.chain
    return (
        cz.father is not None
        and cy.father is not None
        and part_relation(cz.father, cy.father) in ("distinct", "else")
        and not same_father_compound(cz, cy)
        and not father_uncertain(cz)
        and not father_uncertain(cy)
        and not (cz.given is not None and len(cz.given.ids) > 1)
        and not (cy.given is not None and len(cy.given.ids) > 1)
    )


def brothers_fit_both(
    facts: dict[str, _Facts], cands: dict[str, set[str]], a: str, b: str, *, age_gap: int = 2
) -> bool:
    """Whether, for two reports neither of which names one man (two kunyas: "Abu Raed
    son of Raed"), the register holds two reports that fit both (a given name, of a
    fitting age: birth years at most ``age_gap`` apart, from the same disappearance) and
    cannot be one person: two brothers, and either report may be either of them."""
    fa, fb = facts[a], facts[b]
    if _names_one(fa.chain) or _names_one(fb.chain):
        return False
    fits = [
        fz
        for z in sorted((cands.get(a, set()) | cands.get(b, set())) - {a, b})
        if (fz := facts[z]).chain.given is not None
        and not (fa.year and fz.year and abs(fa.year - fz.year) > age_gap)
        and not (fa.date and fz.date and abs((fa.date - fz.date).days) > SAME_EVENT_DAYS)
        and may_be(fz, fa)
        and may_be(fz, fb)
    ]
    return any(_cannot(x, y) for i, x in enumerate(fits) for y in fits[i + 1 :])


def may_be(fz: _Facts, fx: _Facts) -> bool:
    """Whether a report ``fz`` naming a man may be the man of report ``fx`` by what the
    two say of him: nothing that cannot be one man (:func:`_cannot`), fathers' and
    family names that do not differ."""
    return (
        not _cannot(fz, fx)
        and not _fathers_differ(fz.chain, fx.chain)
        and not families_unlike(fz, fx)
    )


def _may_be(fz: _Facts, fx: _Facts) -> bool:
    """Whether z's names and birth year fit x: no different given name, father's name
    or generation, birth years at most :data:`MAX_BIRTH_YEAR_GAP` apart."""
    return (
        not _cannot(fz, fx)
        and not _fathers_differ(fz.chain, fx.chain)
        and not _middle_fits_neither(fz.chain, fx.chain)
    )


def other_reading(fx: _Facts, fy: _Facts, fz: _Facts) -> bool:
    """Whether report z is another person that x may be, who cannot be y: a rival
    (:func:`rival`) whose names and birth year fit x (:func:`_may_be`)."""
    return rival(fx, fy, fz) and _may_be(fz, fx)


def _fit(fx: _Facts, fy: _Facts) -> tuple[int, int, int]:
    """How well y's facts fit x's, by birth year, disappearance and mother's name: each
    1 (agree: years at most :data:`CORROBORATING_YEARS` apart, the same event, the same
    mother), -1 (disagree: years more than two apart, dates more than
    :data:`~nasab.linkage.own_facts.EVENTS_APART_DAYS` apart, another mother), 0 (not
    stated in both, or dates between a month and three months apart).  Not the
    governorate: a brother reported with another governorate (where he lived, or a
    slip) would count as plainly another man (tried: it proposed brothers at 38,000
    persons, seed 6, of the intake benchmark)."""
    year = 0
    if fx.year and fy.year:
        gap = abs(fx.year - fy.year)
        year = 1 if gap <= CORROBORATING_YEARS else (-1 if gap > 2 else 0)
    event = 0
    if fx.date and fy.date:
        event = 1 if same_event(fx, fy) else (-1 if events_apart(fx, fy) else 0)
    mother = part_relation(fx.chain.mother, fy.chain.mother)
    mo = 1 if mother in ("same", "slip") else (-1 if mother in _DIFFERENT else 0)
    return year, event, mo


def better_fit(fx: _Facts, fy: _Facts, fz: _Facts) -> bool:
    """Whether y fits x plainly better than z does: better on a fact that both state
    (birth years that agree where z's do not, the same disappearance where z's dates
    are months apart, the same mother where z's is another) and worse on none."""
    fit_y, fit_z = _fit(fx, fy), _fit(fx, fz)
    better = any(y == 1 and z == -1 for y, z in zip(fit_y, fit_z, strict=True))
    worse = any(y < z for y, z in zip(fit_y, fit_z, strict=True))
    return better and not worse


def names_him_better(fx: _Facts, fy: _Facts, fz: _Facts) -> bool:
    """Whether z names no one (a kunya, no given name) or gives no father's name where x
    and y do, and y, which names x's man, fits x at least as well on every fact
    (:func:`_fit`) and better on one: z is x's man only if x bears that kunya and z's
    father is x's, or if z's unstated father is x's, while y names him ("Abu Ali" son
    of Majid al-Hourani, born 1976, against Samer al-Hourani, no father's name, born
    1975, and Samer son of Abdullah al-Hourani, born 1976, of Samer's mother, taken the
    same day; Adnan al-Khalil, no father's name, against "Abu Salem" son of Faisal
    al-Khalil and Mohammad Moussa son of Faisal of the same mother, all born 1977)."""
    cx, cy, cz = fx.chain, fy.chain, fz.chain
    vaguer = cz.given is None or (
        cz.father is None and cx.father is not None and cy.father is not None
    )
    if not vaguer or cy.given is None:
        return False
    return fits_no_worse(fx, fy, fz) and _fit(fx, fy) != _fit(fx, fz)


def fits_no_worse(fx: _Facts, fy: _Facts, fz: _Facts) -> bool:
    """Whether y fits x at least as well as z on every fact of :func:`_fit`."""
    return all(b <= a for a, b in zip(_fit(fx, fy), _fit(fx, fz), strict=True))


def _very_names(fy: _Facts, fz: _Facts) -> bool:
    """Whether z gives y's very names: the same given and father's name, of a family
    not plainly another (:func:`~nasab.linkage.relatives.families_unlike`)."""
    cy, cz = fy.chain, fz.chain
    return (
        part_relation(cy.given, cz.given) == "same"
        and part_relation(cy.father, cz.father) == "same"
        and not families_unlike(fy, fz)
    )


def contradicts(fx: _Facts, fy: _Facts, fz: _Facts) -> bool:
    """Whether z, a report of y's very names (given and father's name the same), states a
    birth year far from x's where y's agrees with it: y's year may be a slip.  Not a
    report of another family (family names both stated and unlike): "Saleh son of
    Mohammad Othman" al-Zoubi says nothing of the year of "Mohammad Saleh son of Othman"
    al-Halabi."""
    cy, cz = fy.chain, fz.chain
    if cy.given is None or cy.father is None or not _very_names(fy, fz):
        return False
    if len(cy.given.ids) > 1 and not cy.given.ids <= cz.given.ids:
        # y's given name is of several names (a nickname: Hamoudeh), z's one of them
        # (Mahmoud): z is as likely a brother as y's very names
        return False
    return _fit(fx, fy)[0] == 1 and _fit(fx, fz)[0] == -1


def born_otherwise(facts: dict[str, _Facts], cands: dict[str, set[str]], a: str, b: str) -> bool:
    """Whether, for a pair one of whose reports (x) gives no father's name, the man the
    other (y) names is reported born more than two years from x's birth year, and
    nothing ties him to x: y and every report among the pair's candidates of y's very
    names (given and father's name the same, the family not plainly another) that
    states a year states one so far off, at least one does, and none gives x's mother's
    name nor x's disappearance (:func:`same_event`).  A cousin of that name, whose
    only report is x, fits better (6,000 seed 7: Ali grandson of Haitham al-Zakkar, no
    father's name, born 1957, mother Fatimah, against Ali son of Samer, no birth year,
    whose other reports say 1963 and 1964 and mother Aisha)."""
    for x, y in ((a, b), (b, a)):
        fx, fy = facts[x], facts[y]
        if fx.chain.father is not None or not fx.year or fy.chain.father is None:
            continue
        his = [fy] + [
            facts[z]
            for z in cands.get(x, set()) | cands.get(y, set())
            if z not in (x, y) and _very_names(fy, facts[z])
        ]
        years = [f.year for f in his if f.year]
        if not years or any(abs(fx.year - v) <= 2 for v in years):
            continue
        if not any(1 in _fit(fx, f)[1:] for f in his):  # the same event or mother
            return True
    return False


def compound_rival(facts: dict[str, _Facts], cands: dict[str, set[str]], a: str, b: str) -> bool:
    """For a pair whose given name reads two ways, read as a name and the father's
    (:data:`~nasab.linkage.doubts.SON_READ`: "Mohammad Ebrahim" grandson of Ziyad, no
    father's box, against Mohammad son of Ebrahim): whether a candidate of that report
    is a man of its compound reading, written by the compound's second name (Ebrahim
    son of Hasan son of Ziyad: the given name the compound's second name, the
    grandfather's name the report's, the family not plainly another) who cannot be the
    other report's man, and whom the other report does not fit plainly better
    (:func:`better_fit`)."""
    for x, y in ((a, b), (b, a)):
        cx = facts[x].chain
        son = son_reading(cx)
        if son is None or cx.father is not None or cx.grandfather is None:
            continue
        second = son[1]
        for z in cands.get(x, ()):
            fz = facts[z]
            cz = fz.chain
            if z == y or cz.given is None or cz.grandfather is None:
                continue
            if (
                part_relation(cz.given, second) == "same"
                and part_relation(cz.grandfather, cx.grandfather) in ("same", "slip")
                and not families_unlike(fz, facts[x])
                and _cannot(fz, facts[y])
                and not better_fit(facts[x], facts[y], fz)
            ):
                return True
    return False


def _plainly_another(fz: _Facts, fx: _Facts) -> bool:
    """z is plainly another person than x, whatever way x's names are read: the other
    sex, or given names both known to the lexicon, with no identity in common, neither
    of them possibly read one place off (a compound, a full name, a father's name in the
    given-name box: "محمدد فادي" may be the compound Mohammad Fadi, and then Fadi fits)."""
    if fz.sex and fx.sex and fz.sex != fx.sex:
        return True
    gz, gx = fz.chain.given, fx.chain.given
    return bool(
        gz is not None
        and gx is not None
        and gz.ids
        and gx.ids
        and not gz.ids & gx.ids
        and not _read_off(fz.chain)
        and not _read_off(fx.chain)
    )


def register_rival(
    facts: dict[str, _Facts],
    cands: dict[str, set[str]],
    a: str,
    b: str,
    *,
    fitting_age: bool = False,
    same_event: bool = False,
    age_gap: int = 2,
) -> bool:
    """Whether the register holds another report that fits ``a`` (or ``b``) as well but
    cannot be the same person as ``b`` (or ``a``): a brother or a cousin (:func:`rival`,
    over each report's candidates ``cands``) that ``a`` may be (:func:`_may_be`: a
    brother Ghassan is no other reading of "Mamoud", a slip of Mahmoud or Mamoun, nor a
    cousin son of Khaled of a report son of "Jomal", a slip of Jamal or Jumaa)."""
    f = facts
    return any(
        rival(f[x], f[y], f[z], fitting_age=fitting_age, same_event=same_event, age_gap=age_gap)
        and _may_be(f[z], f[x])
        for x, y in ((a, b), (b, a))
        for z in cands.get(x, ())
        if z != y
    )


def singled_out(
    facts: dict[str, _Facts], cands: dict[str, set[str]], a: str, b: str, better=None
) -> bool:
    """Whether the register singles out one person for the pair: no report among the
    candidates of ``a`` (or ``b``) is another person that it may be (:func:`other_reading`)
    unless the other report fits it plainly better (``better``, by default
    :func:`better_fit`) or names him where that report is vaguer
    (:func:`names_him_better`), and no report of the other's very names states a birth
    year that contradicts the pair's (:func:`contradicts`)."""
    better = better or better_fit
    f = facts
    return not any(
        (
            z in cands.get(x, ())
            and other_reading(f[x], f[y], f[z])
            and not better(f[x], f[y], f[z])
            and not names_him_better(f[x], f[y], f[z])
        )
        or (z in cands.get(y, ()) and contradicts(f[x], f[y], f[z]))
        for x, y in ((a, b), (b, a))
        for z in cands.get(x, ()) | cands.get(y, ())
        if z not in (x, y)
    )


#: why a pair of :func:`grandson_rival` is left to a person
GRANDSON = Doubt(
    "a three-part full name whose middle name is the other's father: read with the "
    "father's name skipped, it fits a grandson of that man whom the register holds too",
    "اسم ثلاثي اسمه الأوسط اسم الأب في البلاغ الآخر: إن قُرئ بإسقاط اسم الأب يصلح لحفيد "
    "ذلك الرجل، وفي السجل بلاغ عنه",
)


def grandson_rival(facts: dict[str, _Facts], cands: dict[str, set[str]], a: str, b: str) -> bool:
    """Whether a pair whose names raise no doubt has a three-part full name whose
    middle name is the other's father ("Mohammed Ali Qusai" against Mohammad son of Ali
    Qusai) and the register holds a man it fits with the father's name skipped: of its
    given name and family, whose grandfather is that middle name and whose father is
    another (Mohammad son of Omar son of Ali Qusai, a cousin), unless the other report
    fits it plainly better (:func:`better_fit`)."""
    fa, fb = facts[a], facts[b]
    ca, cb, _ = _as_son(fa.chain, fb.chain)
    for x, cx, y, cy in ((a, ca, b, cb), (b, cb, a, ca)):
        if not father_uncertain(cx) or father_uncertain(cy):
            continue
        if part_relation(cx.father, cy.father) not in ("same", "slip"):
            continue
        for z in cands.get(x, ()):
            fz = facts[z]
            cz = fz.chain
            if (
                z != y
                and part_relation(cz.grandfather, cx.father) in ("same", "slip")
                and part_relation(cz.father, cx.father) in _DIFFERENT
                and part_relation(cz.given, cx.given) in ("same", "slip")
                and not _cannot(fz, facts[x])
                and not families_unlike(fz, facts[x])
                and not better_fit(facts[x], facts[y], fz)
            ):
                return True
    return False


def settled_by_proposals(
    proposed: list[tuple[str, str]], open_pairs: list[tuple[str, str]], cannot
) -> dict[tuple[str, str], list[str]]:
    """Pairs left open for a doubt that the proposals already settle: both reports are
    proposed as one person with the same others (a path of proposed pairs joins them)
    and no report on that path cannot be either of them (``cannot(x, y)``: another sex,
    another given name with the same father ...).  A brother or cousin could only be
    joined so through a wrong proposal, which a reviewer sees on its own.  Returns each
    settled pair with the path of reports between its two (the reviewer's reason)."""
    graph = proposal_graph(proposed)
    part = _components(graph)
    settled: dict[tuple[str, str], list[str]] = {}
    for a, b in open_pairs:
        if a not in part or part[a] != part.get(b):
            continue
        path = _path(graph, a, b)
        if path and not any(cannot(z, x) for z in path[1:-1] for x in (a, b)):
            settled[(a, b)] = path[1:-1]
    return settled


def proposal_graph(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each report's neighbours in the graph of ``pairs`` (proposed pairs), sorted so
    that a path named through it is the same in every run."""
    graph: dict[str, list[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, []).append(a)
    for near in graph.values():
        near.sort()
    return graph


def _components(graph: dict[str, list[str]]) -> dict[str, int]:
    """Each report's connected component (a number) in the graph of proposed pairs."""
    part: dict[str, int] = {}
    for start in graph:
        if start in part:
            continue
        part[start] = label = len(part)
        stack = [start]
        while stack:
            for y in graph[stack.pop()]:
                if y not in part:
                    part[y] = label
                    stack.append(y)
    return part


def _path(graph: dict[str, list[str]], a: str, b: str) -> list[str] | None:
    """The shortest path from ``a`` to ``b`` (both included), breadth first; neighbours
    (sorted) visited in order, so the path named is the same in every run."""
    if a not in graph or b not in graph:
        return None
    back = {a: a}
    frontier = [a]
    while frontier:
        nxt = []
        for x in frontier:
            for y in graph[x]:
                if y in back:
                    continue
                back[y] = x
                if y == b:
                    path = [b]
                    while path[-1] != a:
                        path.append(back[path[-1]])
                    return path[::-1]
                nxt.append(y)
        frontier = nxt
    return None
