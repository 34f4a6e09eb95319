"""Reports turned into the table the model compares: names read as chains (kunyas
resolved against the family's sons), governorates and places by the gazetteer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from nasab.linkage import gazetteer
from nasab.linkage.chain import (
    Chain,
    _clean,
    _family_part,
    father_uncertain,
    name_sequence,
    read_chain,
    two_part_name,
)
from nasab.linkage.comparisons import _CHAIN_ATTR, _ID_PARTS
from nasab.linkage.compounds import son_reading
from nasab.linkage.dates import stated_date, stated_year
from nasab.linkage.family_words import article_family, looks_family
from nasab.linkage.grandfather_names import prefix_then_name, resolve_grandfather_compounds
from nasab.linkage.kunya_sons import resolve_kunyas
from nasab.linkage.lexicon import name_ids, slip_ids
from nasab.linkage.name_groups import chain_groups
from nasab.linkage.names import GOVERNORATES, PLACES
from nasab.linkage.normalise import (
    NAME_PARTS,
    family_key,
    normalise_name,
    phonetic_key,
    squeezed_key,
    stated_sex,
)
from nasab.linkage.tokens import leading_title, parse_name

# --- input preparation ---------------------------------------------------------------

_GOV_BY_PCODE = {
    "SY01": "Damascus",
    "SY02": "Aleppo",
    "SY03": "Rif Dimashq",
    "SY04": "Homs",
    "SY05": "Hama",
    "SY06": "Latakia",
    "SY07": "Idlib",
    "SY08": "Al-Hasakah",
    "SY09": "Deir ez-Zor",
    "SY10": "Tartus",
    "SY11": "Raqqa",
    "SY12": "Daraa",
    "SY13": "As-Suwayda",
    "SY14": "Quneitra",
}
_GOV_AR = {en: ar for en, ar in GOVERNORATES}
_PLACE_KINDS: dict[str, str] = {}
for _en, _ar in PLACES:
    _PLACE_KINDS[normalise_name(_ar)] = _en
    _PLACE_KINDS[_en] = _en


def _governorate(v: Any) -> str | None:
    """Governorate (English name) of a governorate field as written, by the gazetteer;
    an unknown one is kept as written (case-folded) so that equal texts still agree."""
    s = _clean(v)
    if not s:
        return None
    g = gazetteer.governorate(s)
    return _GOV_BY_PCODE.get(g, g) if g else s.casefold()


def _place(v: Any, gov: str | None) -> tuple[str | None, str | None, Any]:
    """(place key, governorate named in it, gazetteer unit) of a place of disappearance:
    the kind of place (checkpoint, home ...) and the most specific gazetteer unit below
    a governorate; an unknown place name by its phonetic key."""
    s = _clean(v)
    if not s:
        return None, None, None
    n = normalise_name(s)
    kind = ""
    for k in sorted(_PLACE_KINDS, key=len, reverse=True):
        if k in n:
            kind = _PLACE_KINDS[k]
            n = n.replace(k, " ")
            break
    hint = next((p for p, e in _GOV_BY_PCODE.items() if e == gov), None)
    unit, rest = gazetteer.resolve(n, hint)
    where = ""
    if unit is not None and unit.level >= 2:
        # a town and the district or sub-district named after it are one place here
        # (Daraya, داريا); two places of one name in different governorates are not
        where = f"{unit.gov}:{gazetteer.place_key(unit.name)}"
    elif unit is None and rest:
        where = phonetic_key(rest).replace(" ", "")
    key = f"{kind}@{where}" if (kind or where) else None
    g = _GOV_BY_PCODE.get(unit.gov) if unit is not None else None
    return key, g, unit


def _birth_year(v: Any, rid: str) -> int | None:
    try:
        return stated_year(v)
    except ValueError as e:
        raise ValueError(f"report {rid}: birth_year {e}") from None


def _date(v: Any, rid: str) -> Any:
    try:
        return stated_date(v)
    except ValueError as e:
        raise ValueError(f"report {rid}: disappearance_date {e}") from None


def _records(reports: Iterable[dict] | pd.DataFrame) -> list[dict]:
    if isinstance(reports, pd.DataFrame):
        return reports.to_dict("records")
    return list(reports)


def _report_governorate(r: dict) -> str | None:
    """A report's governorate as written, else the one its place of disappearance is in."""
    return _governorate(r.get("governorate")) or _place(r.get("disappearance_place"), None)[1]


def _two_readings(c: Chain) -> str | None:
    """The prefix of a name that reads two ways, "Mohammad Anas" with no father's name
    in its own box: the compound Mohammad Anas, or Mohammad son of Anas (a full name,
    a given-name box holding the father's name).  None for any other name."""
    if c.given is None or c.family is None or len(c.given.ids) < 2:
        return None
    for note in c.notes:
        kind, _, text = note.partition("|")
        if kind == "compound" and len(text.split()) >= 2:
            prefix = text.split()[0]
            if name_ids(prefix) and name_ids(prefix) <= c.given.ids:
                return prefix
    return None


def _resolve_compounds(chains: dict[str, Chain], raw: dict[str, dict]) -> None:
    """Names that read two ways (:func:`_two_readings`) read by the register: as
    Mohammad son (or grandson) of Anas when reports of a Mohammad son of Anas of this
    family and governorate exist and none of an Anas (or a compound Mohammad Anas); as
    the compound when only those exist; else both readings are kept (the given name
    matches either)."""
    sons: set[tuple] = set()
    names: set[tuple] = set()
    for rid, c in chains.items():
        if c.given is None or c.family is None or _two_readings(c):
            continue
        gov = _governorate(raw[rid].get("governorate"))
        for g in (gov, None):
            names.add((c.given.tok, c.family.tok, g))
            for up in (c.father, c.grandfather):  # grandfather: a father's name skipped
                if up is not None:
                    sons.add((c.given.tok, up.tok, c.family.tok, g))
    for rid, c in list(chains.items()):
        prefix = _two_readings(c)
        if prefix is None:
            continue
        second = _name_part(c.given.raw)
        head = _name_part(prefix)
        if second is None or head is None:
            continue
        gov = _governorate(raw[rid].get("governorate"))
        as_son = (head.tok, second.tok, c.family.tok, gov) in sons
        # the compound reading: Mohammad Anas son of the next name, where there is one
        as_compound = (
            (second.tok, c.father.tok, c.family.tok, gov) in sons
            if c.father is not None
            else (second.tok, c.family.tok, gov) in names
        )
        if as_son and not as_compound:
            olds = [p for p in (c.father, c.grandfather, *c.extra) if p is not None]
            chains[rid] = replace(
                c,
                given=head,
                father=second,
                grandfather=olds[0] if olds else None,
                extra=tuple(olds[1:]),
                notes=(*c.notes, f"name and father|{prefix} {c.given.raw}"),
            )
        elif as_compound and not as_son:
            chains[rid] = replace(c, given=second)


def _name_part(text: str):
    return read_chain({"given_name": text}).given if text else None


def _family_as_grandfather(c: Chain) -> str | None:
    """The token of a full name's last word read as the family name where it may be
    the grandfather's name: a full name of three names whose last is a man's name with
    no article (Ahmad Wael Nabeel: Ahmad son of Wael son of Nabeel, the family name
    left out, as often in a full name); None otherwise.  Not in a longer full name
    (Ahmad Wael Nabeel Hamada): its grandfather is named, and a last name that is also
    a man's name is a family's (Hamada, Ramadan, Saleh)."""
    if c.family is None or c.given is None and c.kunya is None or not father_uncertain(c):
        return None
    toks = parse_name(c.family.raw)
    if len(toks) != 1 or toks[0].kind != "name" or looks_family(toks[0]):
        return None
    part = _name_part(c.family.raw)
    return part.tok if part is not None and part.ids else None


#: how many times likelier a free-text name's first word is a family name and its last a
#: man's name than the other way round, by the register's boxes
#: (:func:`_resolve_family_first`), before the name is read family name first where
#: no man of the register's boxes bears the name in that order
FAMILY_FIRST_ODDS = 20.0

#: the same odds where a man of the register's boxes bears the name in a name's order
#: (the second and third words his first two names, the first his family name) and
#: none bears it as written
FAMILY_FIRST_ODDS_BY_MAN = 3.0

#: where no man of the boxes bears the name in that order, its first word must be a
#: family's word: written in family-name boxes this many times at least, and this many
#: times as often as in men's boxes (Shehadeh, Darwish, Qaddour; not Hassan or Othman,
#: which families and men share)
FAMILY_WORD_BOXES = 10
FAMILY_WORD_RATIO = 10


@dataclass
class BoxWords:
    """What a register's boxes say of its words (:func:`box_words`)."""

    #: how often each word (:func:`family_key`) is written in a family-name box
    family: Counter = field(default_factory=Counter)
    #: how often each word is written in a given, father's or grandfather's box
    man: Counter = field(default_factory=Counter)
    #: the men of the boxes by their first two names (:func:`name_sequence`): the words
    #: of their family-name and grandfather's boxes
    men: dict[str, set[str]] = field(default_factory=dict)

    def bears(self, full_name: str, key: str) -> bool:
        """Whether a man of the boxes bears a free-text name: its first two names his,
        ``key`` (:func:`family_key`) his family or grandfather's name."""
        return key in self.men.get(name_sequence({"full_name": full_name}) or "", ())


def box_words(records: Iterable[dict]) -> BoxWords:
    """The words of a register's boxes (reports with boxes, not a free-text name alone)."""
    out = BoxWords()
    for r in records:
        toks = parse_name(_clean(r.get("family_name")))
        if toks:
            out.family[family_key(toks[-1].text)] += 1
        for box in ("given_name", "father_name", "grandfather_name"):
            words = parse_name(_clean(r.get(box)))
            out.man.update(family_key(t.text) for t in words if t.kind == "name")
        seq = name_sequence(r) if _clean(r.get("given_name")) else None
        if seq:
            after = (_clean(r.get("family_name")), _clean(r.get("grandfather_name")))
            out.men.setdefault(seq, set()).update(family_key(w) for w in after if w)
    return out


def _resolve_family_first(chains: dict[str, Chain], raw: dict[str, dict], words: BoxWords) -> None:
    """Free-text names written family name first with no article to tell it ("خليفة
    فادي هشام هيثم", "Darweesh Mohammed Saad"), read in a name's order where the
    register says so, both ways.  No man of its boxes bears the name as written (the
    first two words his first two names, the last his family or grandfather's name);
    by the words of its boxes, the first word is a family name (written in family-name
    boxes twice at least) and the last a man's name, :data:`FAMILY_FIRST_ODDS` times
    likelier than the other way round.  Where a man of the boxes bears the name in that
    order (the second and third words his first two names, the first word his family
    name), :data:`FAMILY_FIRST_ODDS_BY_MAN` times suffice for a first word written in
    family-name boxes at least as often as in men's (its key of three letters or
    more).  Where none does (the man's other reports are free text too, or
    write him otherwise), the first word must be a family's word as well
    (:func:`_family_word`).  Most family names are men's names
    too (Hassan, Suleiman, al-Omar), so a name is otherwise read as written; so is one
    whose last word has the article (المحمود), one written with connectors ("Hassan bin
    Ahmad Othman") or one that holds a kunya (the family name Abu Saleh).  A first word
    read as a title (الشيخ) is the family name where the register says so
    (:func:`_title_as_family`).  Noted ``family name first by register`` with the name
    in that order."""
    for rid, c in chains.items():
        if c.note("full name") is None or c.note("family name first") is not None:
            continue
        text = _clean(raw[rid].get("full_name"))
        in_order = _title_as_family(text, words)
        if in_order is not None:
            chains[rid] = _read_in_order(raw[rid], in_order)
            continue
        toks = list(parse_name(text))
        if len(toks) < 3 or any(t.kind != "name" for t in (toks[0], toks[-1])):
            continue
        if any(t.kind == "kunya" for t in toks) or article_family(toks[-1]):
            continue
        if len(chain_groups(text)) > 1:
            continue  # "Hassan bin Ahmad Othman": a chain in a name's order
        first, last = family_key(toks[0].text), family_key(toks[-1].text)
        fam, man = words.family, words.man
        odds = (fam[first] + 0.5) * (man[last] + 0.5) / ((man[first] + 0.5) * (fam[last] + 0.5))
        if fam[first] < 2 or not man[last] or odds <= FAMILY_FIRST_ODDS_BY_MAN:
            continue
        if words.bears(text, last):
            continue  # the name as written is a man of the register's boxes
        in_order = " ".join(t.text for t in (*toks[1:], toks[0]))
        if words.bears(in_order, first):
            # a man of the boxes bears it so: a word written more as a family's than as
            # a man's suffices (not Samer in "Samer Nabil Mohammad" beside a Nabil son
            # of Mohammad of the Samer: Mohammad makes the odds, Samer is a man's name)
            if odds <= FAMILY_FIRST_ODDS and (fam[first] < man[first] or len(first) < 3):
                continue
        elif odds <= FAMILY_FIRST_ODDS or not _family_word(toks[0].text, words):
            continue
        chains[rid] = _read_in_order(raw[rid], in_order)


def _read_in_order(report: dict, in_order: str) -> Chain:
    """A report read again, its free-text name in a name's order (noted so)."""
    again = read_chain({**report, "full_name": in_order})
    return replace(again, notes=(*again.notes, f"family name first by register|{in_order}"))


def _title_as_family(text: str, words: BoxWords) -> str | None:
    """A free-text name whose first word is read as a title ("الشيخ بلال عبد الوهاب",
    "el-Shaikh Mohamed Said Aiman") that a man of the register's boxes bears as his
    family name after the rest (Bilal son of Abd al-Wahhab of the Sheikh), the title
    written in family-name boxes :data:`FAMILY_BOXES` times at least: the name in that
    order, else None (a title, dropped as before)."""
    split = leading_title(text)
    if split is None:
        return None
    title, rest = split
    key = family_key(title)
    if words.family[key] < FAMILY_BOXES:
        return None
    in_order = f"{rest} {title}"
    return in_order if words.bears(in_order, key) else None


def _family_word(word: str, words: BoxWords) -> bool:
    """Whether the register's boxes write a word as a family's: by its key
    (:func:`family_key`), :data:`FAMILY_WORD_BOXES` times at least in family-name boxes
    and :data:`FAMILY_WORD_RATIO` times as often as in men's boxes; and it is no listed
    name typed with a slip (أحم for Ahmad, whose key is a family's too), nor a word whose
    key has fewer than three letters (Abdo's, ``bd``, is also Obeid's and Abboud's)."""
    key = family_key(word)
    if len(key) < 3 or slip_ids(word):
        return False
    n = words.family[key]
    return n >= FAMILY_WORD_BOXES and n >= FAMILY_WORD_RATIO * words.man[key]


#: how often the register writes a word in family-name boxes before a two-word full
#: name's last word, read as the father's, is noted as a family's name too
#: (:func:`_note_family_second`)
FAMILY_BOXES = 2


def _note_family_second(chains: dict[str, Chain], words: BoxWords) -> None:
    """A free-text name of two names ("عبد الله سليمان") is read as a name and his
    father's; where the register writes its second name in family-name boxes
    (:data:`FAMILY_BOXES` times at least), it is noted ``second name a family's``: it
    may be the family name, the father's left out.  Against a report with no family
    name of its own whose father bears that name, the pair then fits a cousin
    (:func:`nasab.linkage.father_names.second_name_is_family`)."""
    for rid, c in chains.items():
        if two_part_name(c) and words.family[family_key(c.father.raw)] >= FAMILY_BOXES:
            chains[rid] = replace(c, notes=(*c.notes, f"second name a family's|{c.father.raw}"))


def _resolve_family_in_grandfather(
    chains: dict[str, Chain], raw: dict[str, dict], words: BoxWords
) -> None:
    """A family name with no article typed into the grandfather's box, the family's box
    left empty ("Salloum", مقداد: our third simulator; with the article the reader
    finds it, :func:`nasab.linkage.chain.read_chain`): read as the family name where
    the register writes the word as a family's (:func:`_family_word`), noted
    ``family name in grandfather box``."""
    for rid, c in chains.items():
        r = raw[rid]
        gf = _clean(r.get("grandfather_name"))
        if c.family is not None or c.grandfather is None or _clean(r.get("full_name")):
            continue
        if len(parse_name(gf)) != 1 or not _family_word(gf, words):
            continue
        chains[rid] = replace(
            c,
            grandfather=None,
            family=_family_part(gf),
            notes=(*c.notes, f"family name in grandfather box|{gf}"),
        )


def _resolve_father_boxes(chains: dict[str, Chain]) -> None:
    """A father's box "محمد عثمان" with no grandfather's box, read as the father Mohammad
    and the grandfather Othman (noted ``father box holds two names``), read as the
    compound Mohammad Othman instead where the register says so: other reports of a
    man of that given and family name give the compound in the father's box with the
    grandfather in his own (noted ``father compound``), and none gives a Mohammad son of
    Othman in the two boxes.  Before, the two readings of one box parted the same man
    (his father Mohammad in one report, Othman in the other).  So too a full name or a
    given-name box whose father's place holds the prefix and the next a name
    (:func:`~nasab.linkage.grandfather_names.prefix_then_name`), its names after the
    compound then the grandfather's.  Noted ``father compound`` and ``father compound
    by register``."""
    compound: set[tuple] = set()
    split: set[tuple] = set()
    # the names that read two ways, as written: none of them splits a father by itself
    two_ways = {
        rid: c.note("father box holds two names") or prefix_then_name(c)
        for rid, c in chains.items()
    }
    for rid, c in chains.items():
        if c.given is None or c.father is None:
            continue
        fam = c.family.tok if c.family else None
        if c.note("father compound") is not None:
            compound.add((c.given.tok, fam, c.father.tok))
        elif c.grandfather is not None and two_ways[rid] is None:
            split.add((c.given.tok, fam, c.father.tok, c.grandfather.tok))
    for rid, c in chains.items():
        boxed = c.note("father box holds two names")
        text = two_ways[rid]
        if text is None or c.given is None or c.father is None or c.grandfather is None:
            continue
        given, fam = c.given.tok, c.family.tok if c.family else None
        father, second = c.father.tok, c.grandfather.tok
        if (given, fam, second) not in compound or (given, fam, father, second) in split:
            continue
        notes = tuple(n for n in c.notes if not n.startswith("father box holds two names|"))
        # a full name's names after the compound: the grandfather's, and his father's
        olds = () if boxed else c.extra
        chains[rid] = replace(
            c,
            father=c.grandfather,
            grandfather=olds[0] if olds else None,
            extra=olds[1:] if olds else c.extra,
            notes=(*notes, f"father compound|{text}", f"father compound by register|{text}"),
        )


def _chains(
    records: list[dict],
    words: BoxWords | None = None,
    register: tuple[dict[str, Chain], dict[str, dict]] | None = None,
) -> dict[str, Chain]:
    """Each report's chain, read against the register: ``words`` are its box words
    (:func:`box_words`; by default those of ``records``), ``register`` its chains as
    read and its reports (for reports scored against a register read before: a new
    report is read against the father's compounds, compounds and sons the register
    gives, as the register's own reports were)."""
    raw = {_clean(r.get("report_id")): r for r in records}
    chains = {rid: read_chain(r) for rid, r in raw.items()}
    words = words or box_words(records)
    _resolve_family_first(chains, raw, words)
    _note_family_second(chains, words)
    _resolve_family_in_grandfather(chains, raw, words)
    known, known_raw = register or ({}, {})
    # the register's men these reports may be read against: of their given or family name
    givens = {c.given.tok for c in chains.values() if c.given}
    families = {c.family.tok for c in chains.values() if c.family}
    known = {
        rid: c
        for rid, c in known.items()
        if (c.given and c.given.tok in givens) or (c.family and c.family.tok in families)
    }
    every, every_raw = {**known, **chains}, {**{k: known_raw[k] for k in known}, **raw}
    _resolve_father_boxes(every)
    resolve_grandfather_compounds(every)
    _resolve_compounds(every, every_raw)
    kunyas = resolve_kunyas(every, every_raw, where=_report_governorate)
    for rid in chains:
        c = chains[rid] = every[rid]
        if rid in kunyas:
            g = read_chain({"given_name": kunyas[rid]}).given
            chains[rid] = replace(c, given=g, notes=(*c.notes, f"kunya resolved|{kunyas[rid]}"))
    return chains


def prepare(
    reports: Iterable[dict] | pd.DataFrame, chains: dict[str, Chain] | None = None
) -> pd.DataFrame:
    """Turn reports into the table the model compares (one row per report).

    Each report needs ``report_id`` (unique); every other field is optional.  Raises
    ``ValueError`` naming the report and field for duplicate ids, bad years or dates.
    Names are read by :func:`nasab.linkage.chain.read_chain` (any box, or ``full_name``).
    """
    rows = []
    seen: set[str] = set()
    records = _records(reports)
    for i, rep in enumerate(records):
        rid = _clean(rep.get("report_id"))
        if not rid:
            raise ValueError(f"report #{i + 1}: report_id is missing")
        if rid in seen:
            raise ValueError(f"report {rid}: report_id is not unique")
        seen.add(rid)
    if chains is None:
        chains = _chains(records)
    for rep in records:
        rid = _clean(rep.get("report_id"))
        ch = chains[rid]
        row: dict[str, Any] = {"report_id": rid}
        for p in NAME_PARTS:
            part = getattr(ch, _CHAIN_ATTR[p])
            f = part.forms if part else None
            row[f"{p}_norm"] = (f.norm or None) if f else None
            row[f"{p}_key"] = (f.key or None) if f else None
            row[f"{p}_sq"] = (squeezed_key(f.key) or None) if f else None
            row[f"{p}_scr"] = (f.script or None) if f else None
            row[f"{p}_vow"] = f.vowels if f and f.key else None
            row[f"{p}_tok"] = part.tok if part else None
            if p in _ID_PARTS:
                row[f"{p}_ids"] = "|".join(sorted(part.ids)) if part and part.ids else None
                row[f"{p}_near"] = "|".join(sorted(part.near)) if part and part.near else None
        row["chain"] = "|".join(ch.tokens_after_given()) or None
        row["family_gf_tok"] = _family_as_grandfather(ch)
        row["name_seq"] = name_sequence(rep)
        # a two-part full name's second name as the family name it may be (Maher As'ad)
        row["second_family_tok"] = family_key(ch.father.raw) if two_part_name(ch) else None
        row["father_unc"] = father_uncertain(ch)
        # "Mohammad Ali" with no father's box read as Mohammad son of Ali
        son = son_reading(ch)
        row["son_given_tok"] = son[0].tok if son else None
        row["son_father_tok"] = son[1].tok if son else None
        # a given name of several identities (a nickname, a compound that reads two
        # ways) blocks by its other end too: its token is the first identity
        g = ch.given
        row["given_alt_tok"] = max(g.ids) if g is not None and len(g.ids) > 1 else None
        row["sex"] = stated_sex(rep.get("sex")) or None
        row["birth_year"] = _birth_year(rep.get("birth_year"), rid)
        gov = _governorate(rep.get("governorate"))
        place_key, place_gov, _ = _place(rep.get("disappearance_place"), gov)
        row["governorate"] = gov or place_gov
        # the governorate of the place of disappearance where it is another: a family
        # states where it lives, the place where he was taken (or the field is a slip)
        row["place_gov"] = place_gov if gov and place_gov and place_gov != gov else None
        row["disappearance_date"] = _date(rep.get("disappearance_date"), rid)
        row["place_key"] = place_key
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["birth_year"] = df["birth_year"].astype("Int64")
    df["disappearance_date"] = pd.to_datetime(df["disappearance_date"]).dt.date
    return df


def _check_ids(records: list[dict]) -> None:
    seen: set[str] = set()
    for i, rep in enumerate(records):
        rid = _clean(rep.get("report_id"))
        if not rid:
            raise ValueError(f"report #{i + 1}: report_id is missing")
        if rid in seen:
            raise ValueError(f"report {rid}: report_id is not unique")
        seen.add(rid)


def _new_report_id(report: dict, taken: dict) -> str:
    """The id of a new report scored against a register: its own, or ``__new__``; an id
    the register already holds is an error."""
    nid = _clean(report.get("report_id")) or "__new__"
    if nid in taken:
        raise ValueError(f"report {nid}: report_id is already in the register")
    return nid
