"""Reasons, in English and Arabic, for (or against) two reports being one person."""

from __future__ import annotations

import pandas as pd

from nasab.linkage.chain import Chain, father_uncertain, read_chain
from nasab.linkage.comparisons import _CHAIN_ATTR, _LABELS, _LABELS_AR
from nasab.linkage.compounds import family_relation
from nasab.linkage.father_names import second_name_is_family
from nasab.linkage.lexicon import name_ids, nickname_of, typo_ids
from nasab.linkage.normalise import (
    NAME_PARTS,
)
from nasab.linkage.prepare import _GOV_AR, _clean, _governorate, _place
from nasab.linkage.relatives import part_relation

# --- reasons -------------------------------------------------------------------------


def _ids_text(ids) -> str:
    return "/".join(sorted(ids))


#: the Arabic words that agree with a name part's label, masculine and feminine (الكنية,
#: the family name, is feminine: "الكنية متطابقة")
_AGREE = {
    False: ("متطابق", "يختلف", "مختلف", "متشابه"),
    True: ("متطابقة", "تختلف", "مختلفة", "متشابهة"),
}
_FEMININE = frozenset({"family_name"})


def _name_reason(p: str, pa, pb) -> tuple[str, str] | None:
    if pa is None or pb is None:
        return None
    label, lab_ar = _LABELS[p], _LABELS_AR[p]
    same, differ, other, alike = _AGREE[p in _FEMININE]
    a, b = pa.raw, pb.raw
    rel = family_relation(pa, pb) if p == "family_name" else part_relation(pa, pb)
    if rel == "same":
        if a == b:
            return f"{label} identical: {a}", f"{lab_ar} {same}: {a}"
        if typo_ids(a) or typo_ids(b):
            return (
                f"{label} one letter apart (typing error?): {a} ~ {b}",
                f"{lab_ar} {differ} بحرف واحد (خطأ كتابة؟): {a} ~ {b}",
            )
        nick = nickname_of(a) or nickname_of(b)
        if nick and name_ids(a) != name_ids(b):
            return (
                f"{label}: {a} ~ {b} (nickname of {_ids_text(nick)})",
                f"{lab_ar}: {a} ~ {b} (اسم تحبب)",
            )
        if pa.forms.script != pb.forms.script:
            return (
                f"{label} matches across scripts: {a} ~ {b}",
                f"{lab_ar} {same} بين الخطين العربي واللاتيني: {a} ~ {b}",
            )
        return (
            f"{label} matches after normalisation: {a} ~ {b}",
            f"{lab_ar} {same} بعد توحيد الكتابة: {a} ~ {b}",
        )
    if rel == "distinct":
        return (
            f"{label} differs: {a} / {b} (different names)",
            f"{lab_ar} {other}: {a} / {b} (اسمان مختلفان)",
        )
    if rel == "phonetic":
        if pa.forms.script != pb.forms.script:
            return (
                f"{label} matches across scripts: {a} ~ {b}",
                f"{lab_ar} {same} بين الخطين العربي واللاتيني: {a} ~ {b}",
            )
        return f"{label} sounds alike: {a} ~ {b}", f"{lab_ar} {alike} في اللفظ: {a} ~ {b}"
    if rel == "key":
        return (
            f"{label} same consonants, different vowels: {a} ~ {b}",
            f"{lab_ar} الحروف نفسها بحركات مختلفة: {a} ~ {b}",
        )
    if rel == "slip":
        x, y = (a, b) if pa.near else (b, a)  # the word that is no known name first
        return (
            f"{label}: {x} is not a known name, one letter from {y} (typing error?)",
            f"{lab_ar}: {x} ليس اسماً معروفاً ويختلف بحرف واحد عن {y} (خطأ كتابة؟)",
        )
    if rel in ("similar", "near key", "one slip"):
        return (
            f"{label} similar (typing error?): {a} ~ {b}",
            f"{lab_ar} {alike} (خطأ كتابة؟): {a} ~ {b}",
        )
    return f"{label} differs: {a} / {b}", f"{lab_ar} {other}: {a} / {b}"


#: how a report's names were read (the chain reader's notes, by kind), in English and
#: Arabic; ``{}`` is the note's text
_NOTE_REASONS = {
    "full name": ("full name read into parts: {}", "الاسم الكامل قُسّم إلى أجزائه: {}"),
    "compound": ("compound name {}: compared by its second part", "اسم مركب {}: قورن بجزئه الثاني"),
    "kunya": ("kunya Abu {}: given name not stated", "كنية أبو {}: الاسم غير مذكور"),
    "kunya after given name": (
        "kunya Abu {} written after the given name",
        "الكنية أبو {} مكتوبة بعد الاسم",
    ),
    "kunya and given name": (
        "full name begins with the kunya Abu {}, then the given name",
        "الاسم الكامل يبدأ بالكنية أبو {} ثم الاسم",
    ),
    "kunya resolved": (
        "kunya matched to the reports of his son: given name {}",
        "الكنية طوبقت مع بلاغات ابنه: الاسم {}",
    ),
    "father in given box": (
        "given-name box also holds the father's name: {}",
        "خانة الاسم تحوي اسم الأب أيضاً: {}",
    ),
    "family name in given box": (
        "given-name box holds the whole name, the family name last: {}",
        "خانة الاسم تحوي الاسم كاملاً، والكنية آخره: {}",
    ),
    "names a box on": (
        "given-name box holds the given and father's names, the father's box the grandfather's: {}",
        "خانة الاسم تحوي الاسم واسم الأب، وخانة الأب اسم الجد: {}",
    ),
    "family name in grandfather box": (
        "grandfather's box holds the family name: {}",
        "خانة الجد تحوي الكنية (اسم العائلة): {}",
    ),
    "family name first": (
        "full name written family name first, read as {}",
        "الاسم الكامل مكتوب والكنية أوله، قُرئ: {}",
    ),
    "family name first by register": (
        "full name read family name first, as this register writes its first word as a "
        "family name and its last as a man's name: {}",
        "الاسم الكامل قُرئ والكنية أوله، إذ يكتب هذا السجل كلمته الأولى كنيةً والأخيرة اسمَ رجل: {}",
    ),
    "father compound": (
        "father's name a compound, compared by its second part: {}",
        "اسم الأب مركب، قورن بجزئه الثاني: {}",
    ),
    "father compound by register": (
        "father's box read as one compound name, as other reports of this man give it "
        "with the grandfather in his own box: {}",
        "خانة الأب قُرئت اسماً مركباً واحداً كما تذكره بلاغات أخرى عن الرجل نفسه مع الجد في خانته: {}",
    ),
    "grandfather compound": (
        "grandfather's name a compound, read by its first part: {}",
        "اسم الجد مركب، قُرئ بجزئه الأول: {}",
    ),
    "grandfather compound by register": (
        "full name read with the father's name skipped and the grandfather's compound "
        "after the given name, as other reports of this man give it in the grandfather's "
        "box: {}",
        "الاسم الكامل قُرئ بإسقاط اسم الأب وبعد الاسم اسم الجد المركب، كما تذكره بلاغات "
        "أخرى عن الرجل نفسه في خانة الجد: {}",
    ),
    "father box holds two names": (
        "father's box holds two names (a compound, or the father and grandfather): {}",
        "خانة الأب تحوي اسمين (اسم مركب، أو الأب والجد): {}",
    ),
    "mother with family name": (
        "mother's name with her family name: {}",
        "اسم الأم مع كنيتها: {}",
    ),
}


def _note_reasons(rid_chain: Chain) -> list[tuple[str, str]]:
    out = []
    for note in rid_chain.notes:
        kind, _, text = note.partition("|")
        if kind in _NOTE_REASONS:
            en, ar = _NOTE_REASONS[kind]
            out.append((en.format(text), ar.format(text)))
    return out


def _middle_is_grandfather(x: Chain, y: Chain) -> bool:
    """x is a three-part full name whose middle name is y's grandfather, not y's father:
    read with the father's name skipped."""
    return (
        father_uncertain(x)
        and y.grandfather is not None
        and part_relation(x.father, y.grandfather) == "same"
        and part_relation(x.father, y.father) not in ("same", "slip")
    )


def _second_as_family(x: Chain, y: Chain) -> bool:
    """x a two-part full name whose second name is y's family name and not y's father's:
    compared as the family name (the comparison level ``second name as family``)."""
    return (
        y.family is not None
        and second_name_is_family(x, y)
        and part_relation(x.father, y.father) not in ("same", "slip")
    )


def _chain_reasons(ca: Chain, cb: Chain) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    skipped = next((x for x, y in ((ca, cb), (cb, ca)) if _middle_is_grandfather(x, y)), None)
    second = next(((x, y) for x, y in ((ca, cb), (cb, ca)) if _second_as_family(x, y)), None)
    if second is not None:
        a, b = second[0].father.raw, second[1].family.raw
        out.append(
            (
                f"a two-part name's second name read as the family name: {a} ~ {b}",
                f"الاسم الثاني في اسم من جزأين قُرئ كنيةً: {a} ~ {b}",
            )
        )
    for p in NAME_PARTS:
        if second is not None and p in ("father_name", "family_name"):
            continue
        if p == "father_name" and skipped is not None:
            out.append(
                (
                    f"father's name skipped in a three-part name: {skipped.father.raw} is "
                    "the other report's grandfather",
                    f"اسم الأب محذوف في الاسم الثلاثي: {skipped.father.raw} هو اسم الجد في "
                    "البلاغ الآخر",
                )
            )
            continue
        r = _name_reason(p, getattr(ca, _CHAIN_ATTR[p]), getattr(cb, _CHAIN_ATTR[p]))
        if r:
            out.append(r)
    if ca.kunya and cb.kunya and part_relation(ca.kunya, cb.kunya) == "same":
        out.append(
            (
                f"same kunya: Abu {ca.kunya.raw} ~ Abu {cb.kunya.raw}",
                f"الكنية نفسها: أبو {ca.kunya.raw} ~ أبو {cb.kunya.raw}",
            )
        )
    if any(
        x.father
        and y.grandfather
        and not y.father
        and part_relation(x.father, y.grandfather) == "same"
        for x, y in ((ca, cb), (cb, ca))
    ):
        out.append(("father's name skipped in one report", "اسم الأب محذوف في أحد البلاغين"))
    for c in (ca, cb):
        for r in _note_reasons(c):
            if r not in out:
                out.append(r)
    return out


def _year_reason(a: dict, b: dict) -> tuple[str, str] | None:
    ya, yb = _clean(a.get("birth_year")), _clean(b.get("birth_year"))
    if not (ya and yb):
        return None
    try:
        y, d = int(float(ya)), abs(int(float(ya)) - int(float(yb)))
    except ValueError:
        return None
    if d == 0:
        return f"same birth year {y}", f"سنة الولادة نفسها {y}"
    return f"birth year differs by {d}", f"سنة الولادة تختلف بـ {d}"


def _governorate_reason(a: dict, b: dict, ga, gb) -> tuple[str, str] | None:
    if not (ga and gb):
        return None
    if ga != gb:
        return (
            f"governorates differ: {ga} / {gb}",
            f"المحافظتان مختلفتان: {_GOV_AR.get(ga, ga)} / {_GOV_AR.get(gb, gb)}",
        )
    wa, wb = _clean(a.get("governorate")), _clean(b.get("governorate"))
    tail = f" ({wa} ~ {wb})" if wa != wb else ""
    return f"same governorate {ga}{tail}", f"المحافظة نفسها {_GOV_AR.get(ga, ga)}{tail}"


def _date_reason(a: dict, b: dict) -> tuple[str, str] | None:
    da, db = _clean(a.get("disappearance_date")), _clean(b.get("disappearance_date"))
    if not (da and db):
        return None
    try:
        days = abs((pd.Timestamp(da) - pd.Timestamp(db)).days)
    except (ValueError, TypeError):
        return None
    if days == 0:
        return f"disappeared the same day {da}", f"فُقد في اليوم نفسه {da}"
    return f"disappearance dates {days} days apart", f"تاريخا الفقدان متباعدان {days} يوماً"


def _place_reason(a: dict, b: dict, ga, gb) -> tuple[str, str] | None:
    pa, _, ua = _place(a.get("disappearance_place"), ga)
    pb, _, _ = _place(b.get("disappearance_place"), gb)
    if not (pa and pb):
        return None
    if pa != pb:
        return "places of disappearance differ", "مكانا الفقدان مختلفان"
    where = f" ({ua.name})" if ua is not None and ua.level >= 2 else ""
    return f"same place of disappearance{where}", f"مكان الفقدان نفسه{where}"


def explain_pair(
    a: dict, b: dict, ca: Chain | None = None, cb: Chain | None = None
) -> tuple[list[str], list[str]]:
    """Reasons for (or against) two reports being the same person, in English and in
    Arabic (the same reasons, in the same order)."""
    out = _chain_reasons(ca or read_chain(a), cb or read_chain(b))
    ga, gb = _governorate(a.get("governorate")), _governorate(b.get("governorate"))
    for r in (
        _year_reason(a, b),
        _governorate_reason(a, b, ga, gb),
        _date_reason(a, b),
        _place_reason(a, b, ga, gb),
    ):
        if r:
            out.append(r)
    return [x for x, _ in out], [y for _, y in out]


def explain(a: dict, b: dict) -> list[str]:
    """Reasons (English) for (or against) two reports being the same person."""
    return explain_pair(a, b)[0]
