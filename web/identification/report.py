"""The identification report as PDF, in English or Arabic (WeasyPrint: HTML + CSS to PDF).

:func:`content` gathers every figure the report states (LR, prior and why, posterior,
per-marker log10 LR, the reference pedigree, engine and frequency table, the custody of
the samples compared). Its canonical JSON is hashed with SHA-256; that hash is printed on
the report and stored with the PDF (:class:`IdentificationReport`, with the PDF file's
own SHA-256). Asking again for the same content and language returns the stored PDF, so a
report once issued is the same file every time. Allele calls are not in the report: the
identification board, who reads it, sees likelihood ratios, not genotypes.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from html import escape

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record as audit
from custody import services as custody
from nasab.custody import chain
from registry.models import Relationship

from . import pedigree
from .models import Identification, IdentificationReport, IdentificationStatus, ReportLanguage


class ReportUnavailable(Exception):
    """No report can be made (not confirmed, or the PDF library is missing)."""


LABELS = {
    "en": {
        "title": "DNA identification report",
        "case": "Missing person",
        "remains": "Remains",
        "site": "Grave site",
        "status": "Status",
        "confirmed_by": "Confirmed by",
        "analyst": "Proposed by (analyst)",
        "confirmed_at": "Confirmed on",
        "summary": "Result",
        "lr": "Likelihood ratio (LR)",
        "log10lr": "log10 LR",
        "prior": "Prior probability",
        "prior_why": "Justification of the prior",
        "posterior": "Posterior probability",
        "hypotheses": "H1: the remains are the missing person; H2: the remains are of an unrelated person.",
        "markers": "Per-marker results",
        "marker": "Marker",
        "marker_lr": "LR",
        "not_recorded": "not recorded by the search that produced this candidate",
        "pedigree": "Reference pedigree",
        "legend": "Square: male; circle: female; double outline: the missing person; grey: DNA profile used.",
        "id": "Member",
        "relationship": "Relationship",
        "typed": "Profile used",
        "yes": "yes",
        "no": "no",
        "method": "Engine and data",
        "engine": "Engine version",
        "table": "Allele frequency table",
        "table_version": "Frequency table version",
        "computed_at": "Computed at",
        "custody": "Chain of custody of the samples compared",
        "sample": "Sample",
        "entries": "Entries",
        "first": "First entry",
        "last": "Last entry",
        "holder": "Held by",
        "chain": "Chain",
        "intact": "intact",
        "broken": "BROKEN",
        "none": "no custody entries",
        "decisions": "Decisions",
        "reason": "Reason",
        "hash": "SHA-256 of this report's content",
        "generated": "Generated",
        "hash_note": "The hash is of the canonical JSON of every figure above; the registry "
        "stores it with this PDF. Synthetic demonstration data only.",
        "notes": "Notes on the pedigree",
        "alternatives": "Alternative explanations and joint context",
        "alternative": "Alternative",
        "alternatives_note": "How much more strongly the evidence supports 'the remains are the "
        "missing person' than each alternative (computed by the engine).",
        "snp": "Stage 2: SNP confirmation",
        "snp_auto": "Autosomal SNPs, linked",
        "snp_x": "X-chromosome SNPs, linked",
        "snp_part": "{snps} SNPs, {meioses} meioses; unlinked product {unlinked}",
        "snp_total": "SNP log10 LR in all",
        "str_stage1": "STR log10 LR (stage 1)",
        "combined": "Combined log10 LR (STR × SNP)",
        "snp_posterior": "Posterior with the same prior",
        "remains_typed": "Remains typed",
        "donors_typed": "Donors typed with the panel",
        "donors_untyped": "Donors not typed with the panel",
        "combination": "How the figures are combined",
        "panel": "SNP panel",
        "snp_computed": "Computed",
        "snp_stale": "The SNP calls or the STR figures changed after this confirmation was computed.",
        "lineage": "Evidence by marker system",
        "system": "Marker system",
        "says": "What it says",
        "database": "database",
        "confidence": "Confidence of the counting bound",
    },
    "ar": {
        "title": "تقرير التعرّف على الهوية بالحمض النووي",
        "case": "الشخص المفقود",
        "remains": "الرفات",
        "site": "موقع المقبرة",
        "status": "الحالة",
        "confirmed_by": "أكّده",
        "analyst": "اقترحه (المحلّل)",
        "confirmed_at": "تاريخ التأكيد",
        "summary": "النتيجة",
        "lr": "نسبة الأرجحية",
        "log10lr": "لوغاريتم نسبة الأرجحية",
        "prior": "الاحتمال المسبق",
        "prior_why": "تبرير الاحتمال المسبق",
        "posterior": "الاحتمال اللاحق",
        "hypotheses": "الفرضية الأولى: الرفات للشخص المفقود؛ الفرضية الثانية: الرفات لشخص لا قرابة له.",
        "markers": "النتائج لكل واسم جيني",
        "marker": "الواسم",
        "marker_lr": "نسبة الأرجحية",
        "not_recorded": "لم يسجّلها البحث الذي أنتج هذا الترشيح",
        "pedigree": "شجرة العائلة المرجعية",
        "legend": "مربع: ذكر؛ دائرة: أنثى؛ إطار مزدوج: الشخص المفقود؛ رمادي: استُخدم ملفه الجيني.",
        "id": "الفرد",
        "relationship": "صلة القرابة",
        "typed": "الملف الجيني",
        "yes": "نعم",
        "no": "لا",
        "method": "المحرّك والبيانات",
        "engine": "إصدار المحرّك",
        "table": "جدول تكرارات الأليلات",
        "table_version": "إصدار جدول التكرارات",
        "computed_at": "تاريخ الحساب",
        "custody": "سلسلة الحيازة للعينات المقارنة",
        "sample": "العينة",
        "entries": "القيود",
        "first": "أول قيد",
        "last": "آخر قيد",
        "holder": "الحائز",
        "chain": "السلسلة",
        "intact": "سليمة",
        "broken": "مكسورة",
        "none": "لا قيود حيازة",
        "decisions": "القرارات",
        "reason": "السبب",
        "hash": "بصمة SHA-256 لمحتوى هذا التقرير",
        "generated": "تاريخ الإصدار",
        "hash_note": "البصمة محسوبة على صيغة JSON القانونية لكل الأرقام أعلاه، ويحفظها السجل مع "
        "هذا الملف. بيانات اصطناعية للعرض فقط.",
        "notes": "ملاحظات على شجرة العائلة",
        "alternatives": "التفسيرات البديلة والسياق المشترك",
        "alternative": "الفرضية البديلة",
        "alternatives_note": "كم مرة تدعم الأدلة فرضية أن الرفات للشخص المفقود أكثر من كل فرضية "
        "بديلة (حسبها المحرّك).",
        "snp": "المرحلة الثانية: التأكيد بالواسمات أحادية النوكليوتيد (SNP)",
        "snp_auto": "واسمات SNP الجسمية، مع الارتباط",
        "snp_x": "واسمات SNP على الصبغي X، مع الارتباط",
        "snp_part": "{snps} واسماً، {meioses} انقساماً منصفاً؛ الجداء دون ارتباط {unlinked}",
        "snp_total": "لوغاريتم نسبة الأرجحية لواسمات SNP مجتمعة",
        "str_stage1": "لوغاريتم نسبة الأرجحية لواسمات STR (المرحلة الأولى)",
        "combined": "لوغاريتم نسبة الأرجحية المجمّعة (STR × SNP)",
        "snp_posterior": "الاحتمال اللاحق بالاحتمال المسبق نفسه",
        "remains_typed": "عينة الرفات المنمّطة",
        "donors_typed": "المتبرعون المنمّطون باللوحة",
        "donors_untyped": "المتبرعون غير المنمّطين باللوحة",
        "combination": "كيف جُمعت الأرقام",
        "panel": "لوحة SNP",
        "snp_computed": "تاريخ الحساب",
        "snp_stale": "تغيّرت نداءات SNP أو أرقام STR بعد حساب هذا التأكيد.",
        "lineage": "الأدلة بحسب نظام الواسمات",
        "system": "نظام الواسمات",
        "says": "ما يعنيه",
        "database": "قاعدة البيانات",
        "confidence": "مستوى الثقة لحد العدّ",
    },
}

RELATIONSHIP_AR = {
    Relationship.FATHER: "الأب",
    Relationship.MOTHER: "الأم",
    Relationship.FULL_SIBLING: "أخ/أخت شقيق",
    Relationship.HALF_SIBLING_PATERNAL: "أخ/أخت من الأب",
    Relationship.HALF_SIBLING_MATERNAL: "أخ/أخت من الأم",
    Relationship.CHILD: "ابن/ابنة",
    Relationship.SPOUSE: "الزوج/الزوجة",
    Relationship.GRANDPARENT: "الجد/الجدة",
    Relationship.UNCLE_AUNT: "عم/عمة/خال/خالة",
    Relationship.COUSIN: "ابن/ابنة العم أو الخال",
    Relationship.OTHER: "أخرى",
}
STATUS_AR = {
    "confirmed": "مؤكَّد",
    "preliminary": "أولي",
    "excluded": "مستبعَد",
    "candidate": "مرشّح",
    "to_exclude": "اقتُرح استبعاده",
}
STATUS_EN = {
    "confirmed": "Confirmed",
    "preliminary": "Preliminary",
    "excluded": "Excluded",
    "candidate": "Candidate",
    "to_exclude": "Exclusion proposed",
}
ACTION_AR = {
    "collected": "جُمعت",
    "sealed": "خُتمت",
    "transferred": "نُقلت",
    "received": "استُلمت",
    "opened": "فُتحت",
    "subsampled": "أُخذت منها عينة فرعية",
    "consumed": "استُهلكت",
    "destroyed": "أُتلفت",
}
PLACEHOLDER = {
    "en": {"father": "unrecorded father", "mother": "unrecorded mother"},
    "ar": {"father": "أب غير مسجّل", "mother": "أم غير مسجّلة"},
}


NOTE_AR = [
    (re.compile(r"^(.*): second father ignored$"), r"\1: تُجوهل أب ثانٍ"),
    (re.compile(r"^(.*): second mother ignored$"), r"\1: تُجوهلت أم ثانية"),
    (
        re.compile(r"^children left out: the missing person's sex is not recorded$"),
        "استُبعد الأبناء: جنس الشخص المفقود غير مسجّل",
    ),
    (re.compile(r"^(.*): left out, sex not recorded$"), r"\1: استُبعد، الجنس غير مسجّل"),
    (
        re.compile(r"^(.*): not linked to the pedigree \(record father/mother links to use it\)$"),
        r"\1: غير مرتبط بشجرة العائلة (سجّل روابط الأب والأم لاستخدامه)",
    ),
]


def note_label(note: str, language: str) -> str:
    """A pedigree note (identification.pedigree writes them in English) in the report's language."""
    if language != "ar":
        return note
    for pattern, arabic in NOTE_AR:
        if pattern.match(note):
            return pattern.sub(arabic, note)
    return note


def status_label(status: str, language: str) -> str:
    return (STATUS_AR if language == "ar" else STATUS_EN).get(status, status)


def action_label(action: str, language: str) -> str:
    return ACTION_AR.get(action, action) if language == "ar" else action


def prior_justification(text: str, language: str) -> str:
    """The matching job's justification (written in English) in the report's language."""
    if language != "ar":
        return text
    uniform = re.fullmatch(
        r"Uniform over the (\d+) missing persons registered when the search ran: 1/\d+\.", text
    )
    if uniform:
        n = uniform.group(1)
        return f"احتمال متساوٍ لكل واحد من {n} شخصًا مفقودًا مسجّلين وقت البحث: 1/{n}."
    operator = re.fullmatch(r"Set by the operator for this search: (\S+)\.", text)
    if operator:
        return f"حدّده المشغّل لهذا البحث: {operator.group(1)}."
    return text


def fmt(x: float, digits: int = 4) -> str:
    if isinstance(x, str):
        return x
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.{digits}g}"


def _lr_from_log(log10_lr) -> str:
    if isinstance(log10_lr, str) or math.isinf(log10_lr):
        return "0" if str(log10_lr).startswith("-") else "∞"
    return fmt(10**log10_lr, 4) if log10_lr < 300 else f"10^{log10_lr:.2f}"


def _custody_summary(barcodes: list[str], language: str = "en") -> list[dict]:
    out = []
    for barcode in barcodes:
        entries = custody.history(barcode)
        if not entries:
            out.append({"sample": barcode, "entries": 0})
            continue
        verdict = chain.verify_chain(e.as_chain_entry() for e in entries)
        state = chain.holder_of(e.as_chain_entry() for e in entries)
        first, last = entries[0], entries[-1]
        out.append(
            {
                "sample": barcode,
                "entries": len(entries),
                "first": f"{action_label(first.action, language)} {first.recorded_at:%Y-%m-%d} {first.actor}",
                "last": f"{action_label(last.action, language)} {last.recorded_at:%Y-%m-%d} {last.actor}",
                "holder": state.holder or "",
                "intact": verdict.ok,
                "head": entries[-1].entry_hash,
            }
        )
    return out


def content(identification: Identification, language: str = "en") -> dict:
    """Every figure the report states, as JSON-able data (what the report's hash covers)."""
    candidate = identification.candidate
    person, remains = candidate.person, candidate.remains
    reference = pedigree.build(person)
    typed_ids = {
        reference.relative_ids[r.pk]
        for r in person.relatives.all()
        if r.pk in reference.relative_ids
        and any(s.barcode in candidate.samples_used for s in r.samples.all())
    }
    names = {
        reference.relative_ids[r.pk]: r
        for r in person.relatives.all()
        if r.pk in reference.relative_ids
    }

    def relationship(pid: str) -> str:
        if pid == pedigree.MP:
            return LABELS[language]["case"]
        relative = names.get(pid)
        if relative is None:
            return PLACEHOLDER[language]["father" if pid.endswith("father") else "mother"]
        if language == "ar":
            return RELATIONSHIP_AR.get(relative.claimed_relationship, relative.claimed_relationship)
        return relative.get_claimed_relationship_display()

    def name(pid: str) -> str:
        if pid == pedigree.MP:
            return person.name_ar if language == "ar" else (person.name_latin or person.name_ar)
        relative = names.get(pid)
        if relative is None:
            return ""
        return (
            (relative.name_ar or relative.name_latin)
            if language == "ar"
            else (relative.name_latin or relative.name_ar)
        )

    markers = [
        {"marker": m, "log10_lr": v if isinstance(v, str) else round(v, 6), "lr": _lr_from_log(v)}
        for m, v in sorted(candidate.marker_log10_lrs.items())
    ]
    from .workbench import joint_and_alternatives

    extras = joint_and_alternatives(candidate)
    log10_lr = math.log10(candidate.likelihood_ratio) if candidate.likelihood_ratio > 0 else "-inf"
    status = identification.status
    data = {
        "language": language,
        "identification": identification.pk,
        "case_number": person.case_number,
        "name_ar": person.name_ar,
        "name_latin": person.name_latin,
        "remains": remains.code,
        "site": remains.site.code,
        "status": status_label(status, language),
        "analyst": getattr(identification.analyst, "username", ""),
        "confirmed_by": getattr(identification.confirmed_by, "username", ""),
        "confirmed_at": identification.confirmed_at.isoformat(timespec="seconds")
        if identification.confirmed_at
        else "",
        "likelihood_ratio": fmt(candidate.likelihood_ratio, 6),
        "log10_lr": fmt(log10_lr, 6) if isinstance(log10_lr, float) else log10_lr,
        "prior": fmt(candidate.prior, 6),
        "prior_justification": prior_justification(candidate.prior_justification, language),
        "posterior": f"{candidate.posterior:.8f}",
        "markers": markers,
        "pedigree": [
            [pid, f, m, sex, relationship(pid), pid in typed_ids, name(pid)]
            for pid, f, m, sex in reference.records
        ],
        "pedigree_notes": [note_label(n, language) for n in reference.notes],
        "engine_version": candidate.engine_version,
        "frequency_table": candidate.frequency_table,
        "frequency_table_version": candidate.frequency_table_version,
        "computed_at": candidate.computed_at.isoformat(timespec="seconds"),
        "samples_used": list(candidate.samples_used),
        "custody": _custody_summary(list(candidate.samples_used), language),
        "decisions": [
            {
                "from": status_label(d.from_status, language),
                "to": status_label(d.to_status, language),
                "by": d.decided_by.username,
                "at": d.decided_at.isoformat(timespec="seconds"),
                "reason": d.reason,
            }
            for d in identification.decisions.select_related("decided_by")
        ],
    }
    # Only when the matching run stored them (so earlier reports keep their content hash).
    if extras.get("alternatives"):
        data["alternatives"] = [
            {"relation": str(a["relation"]), "log10_lr": a["log10_lr"], "lr": a["lr"]}
            for a in extras["alternatives"]
        ]
    if extras.get("joint"):
        data["joint"] = extras["joint"]
    from .lineage import evidence_rows

    lineage = evidence_rows(candidate, language)
    if lineage:  # only with lineage databases (earlier reports keep their content hash)
        data["lineage"] = lineage
    stage2 = _snp_stage2(candidate, language)
    if stage2:  # only when one was computed (earlier reports keep their content hash)
        data["snp_confirmation"] = stage2
    return data


def _snp_stage2(candidate, language: str) -> dict | None:
    """The newest stored SNP confirmation that gave figures (never recomputed here)."""
    from .snp_confirm import stored_inputs, summary

    confirmation = (
        candidate.snp_confirmations.filter(error="").order_by("-computed_at", "-pk").first()
    )
    if confirmation is None:
        return None
    s = summary(confirmation)
    words = LABELS[language]
    s["parts"] = [
        {
            "label": words["snp_x" if p["kind"] == "X-SNP" else "snp_auto"],
            "log10_lr": p["log10_lr"],
            "detail": words["snp_part"].format(
                snps=p["snps"], meioses=p["meioses"], unlinked=p["unlinked"]
            ),
        }
        for p in s["parts"]
    ]
    s["inputs_changed"] = stored_inputs(candidate)[2] != confirmation.inputs_sha256
    return s


def content_sha256(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _short(text: str, words: int = 2, chars: int = 18) -> str:
    text = " ".join(str(text or "").split()[:words])
    return text if len(text) <= chars else text[: chars - 1] + "…"


SVG_SIZE, SVG_GAP_X, SVG_GAP_Y, SVG_MARGIN = 26, 112, 96, 44  # symbol, spacing, margin (px)


def pedigree_svg(records: list, *, labels: bool = True, html_labels: list | None = None) -> str:
    """A small pedigree drawing: generations as rows, squares male, circles female, each
    member named under its symbol. ``records``: [id, father, mother, sex, relationship,
    typed] or with the member's name appended (then the name is shown above the
    relationship). ``html_labels``: the names collected there as (x, y, lines) instead of
    drawn (see :func:`pedigree_html`)."""
    parents = {rec[0]: (rec[1], rec[2]) for rec in records}
    generation = _generations(parents)
    x, width, height = _layout(records, parents, generation)
    pos = {pid: (x[pid], SVG_MARGIN + generation[pid] * SVG_GAP_Y) for pid in x}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="10" '
        f'role="img" class="pedigree-drawing">'
    ]
    parts += _parent_lines(parents, pos)
    for rec in {rec[0]: rec for rec in records}.values():  # one symbol a member
        name = rec[6] if len(rec) > 6 else ""
        parts += _member(rec[0], rec[3], rec[5], rec[4], name, pos[rec[0]], labels, html_labels)
    parts.append("</svg>")
    return "".join(parts)


def _generations(parents: dict) -> dict[str, int]:
    """Each member's generation: one below the lower of their parents (founders 0)."""
    generation: dict[str, int] = {}

    def gen(pid):
        if pid not in generation:
            f, m = parents.get(pid, (None, None))
            generation[pid] = 1 + max(gen(f) if f else -1, gen(m) if m else -1)
        return generation[pid]

    for pid in parents:
        gen(pid)
    return generation


def _layout(records: list, parents: dict, generation: dict) -> tuple[dict, int, int]:
    """(x of each member, width, height): a row per generation, children ordered under
    their parents."""
    rows: dict[int, list[str]] = {}
    for rec in records:
        rows.setdefault(generation[rec[0]], []).append(rec[0])
    x: dict[str, float] = {}
    for level in sorted(rows):
        members = rows[level]
        # children under their parents: order by the parents' mean position
        members.sort(key=lambda p: sum(x.get(q, 0) for q in parents[p] if q) or 0)
        for i, pid in enumerate(members):
            x[pid] = SVG_MARGIN + i * SVG_GAP_X
    width = SVG_MARGIN * 2 + max(len(r) for r in rows.values()) * SVG_GAP_X
    height = SVG_MARGIN * 2 + (max(rows) + 1) * SVG_GAP_Y
    return x, width, height


def _parent_lines(parents: dict, pos: dict) -> list[str]:
    """The line between two parents and the line down to their child."""
    size = SVG_SIZE
    parts = []
    for pid, (f, m) in parents.items():
        if not (f or m):
            continue
        ps = [p for p in (f, m) if p]
        mid_x = sum(pos[p][0] for p in ps) / len(ps) + size / 2
        top = max(pos[p][1] for p in ps) + size / 2
        if len(ps) == 2:
            parts.append(
                f'<line x1="{pos[f][0] + size}" y1="{top}" x2="{pos[m][0]}" y2="{top}" '
                f'stroke="black"/>'
            )
        cx, cy = pos[pid]
        parts.append(
            f'<polyline points="{mid_x},{top} {mid_x},{cy - 14} {cx + size / 2},'
            f'{cy - 14} {cx + size / 2},{cy}" fill="none" stroke="black"/>'
        )
    return parts


def _symbols(sex, typed, cx: float, cy: float) -> tuple[str, str]:
    """(the member's symbol, the double outline marking the missing person): a circle for
    a woman, a square otherwise, grey when typed."""
    size = SVG_SIZE
    fill = "#bbbbbb" if typed else "white"
    if sex == pedigree.FEMALE:
        c, r = f'cx="{cx + size / 2}" cy="{cy + size / 2}"', size / 2
        return (
            f'<circle {c} r="{r}" fill="{fill}" stroke="black"/>',
            f'<circle {c} r="{r + 4}" fill="none" stroke="black"/>',
        )
    return (
        f'<rect x="{cx}" y="{cy}" width="{size}" height="{size}" fill="{fill}" stroke="black"/>',
        f'<rect x="{cx - 4}" y="{cy - 4}" width="{size + 8}" height="{size + 8}" '
        f'fill="none" stroke="black"/>',
    )


def _member(pid, sex, typed, relation, name, at, labels, html_labels) -> list[str]:
    """One member: symbol, tooltip, the missing person's outline, the name lines."""
    cx, cy = at
    shape, outline = _symbols(sex, typed, cx, cy)
    parts = [f"<g><title>{escape(str(name or relation))} · {escape(str(relation))}</title>{shape}"]
    if pid == pedigree.MP:
        parts.append(outline)
    lines = [_short(name), _short(relation, 3, 20)] if name else [_short(relation, 3, 20)]
    if html_labels is not None:
        html_labels.append((cx + SVG_SIZE / 2, cy + SVG_SIZE + 3, lines))
    elif labels:
        for i, line in enumerate(lines):
            parts.append(
                f'<text x="{cx + SVG_SIZE / 2}" y="{cy + SVG_SIZE + 14 + 12 * i}" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
    parts.append("</g>")
    return parts


def pedigree_html(records: list) -> str:
    """The drawing for the PDF: the symbols and lines in SVG, the names as HTML laid over
    it (the PDF renderer shapes Arabic in HTML text, not in SVG text)."""
    labels: list = []
    svg = pedigree_svg(records, html_labels=labels)
    width = re.search(r'width="([0-9.]+)"', svg).group(1)
    height = re.search(r'height="([0-9.]+)"', svg).group(1)
    parts = [
        f'<div class="ped" style="position: relative; width: {width}px; height: {height}px;">',
        svg,
    ]
    for x, y, lines in labels:
        text = "<br>".join(escape(line) for line in lines)
        parts.append(
            f'<div class="ped-label" style="position: absolute; left: {x - 55:.1f}px; top: {y:.1f}px; '
            f'width: 110px;">{text}</div>'
        )
    parts.append("</div>")
    return "".join(parts)


def render_html(data: dict, digest: str, generated_at) -> str:
    return render_to_string(
        "identification/report_pdf.html",
        {
            "d": data,
            "L": LABELS[data["language"]],
            "rtl": data["language"] == "ar",
            "svg": pedigree_html(data["pedigree"]),
            "sha256": digest,
            "generated_at": generated_at,
        },
    )


def render_pdf(data: dict, digest: str, generated_at) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the library is there but pango is not
        raise ReportUnavailable(
            f"PDF reports need WeasyPrint and pango (make setup): {exc}"
        ) from exc
    return HTML(string=render_html(data, digest, generated_at)).write_pdf()


def issue(identification: Identification, language: str, user) -> IdentificationReport:
    """The report of a confirmed identification in ``language``: the stored one if its content
    is unchanged, a new PDF otherwise. Every call is audited (an export of the report)."""
    if language not in ReportLanguage.values:
        raise ReportUnavailable(f"Reports are in English (en) or Arabic (ar), not {language!r}.")
    if identification.status != IdentificationStatus.CONFIRMED:
        raise ReportUnavailable("A report is issued only for a confirmed identification.")
    data = content(identification, language)
    digest = content_sha256(data)
    report = IdentificationReport.objects.filter(
        identification=identification, language=language, content_sha256=digest
    ).first()
    if report is None:
        pdf = render_pdf(data, digest, timezone.now())
        try:
            with transaction.atomic():
                report = IdentificationReport.objects.create(
                    identification=identification,
                    language=language,
                    content_sha256=digest,
                    pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                    pdf=pdf,
                    created_by=user,
                )
        except IntegrityError:  # someone issued the same report a moment ago
            report = IdentificationReport.objects.get(
                identification=identification, language=language, content_sha256=digest
            )
    audit(
        user,
        AuditAction.EXPORT_REPORT,
        identification,
        language=language,
        content_sha256=digest,
        pdf_sha256=report.pdf_sha256,
    )
    return report
