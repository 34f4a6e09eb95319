"""Y-STR and mtDNA evidence of a match candidate (issue 20, docs/lineage.md).

The matching (:mod:`identification.compiled`) gets each pair's Y-STR and mtDNA log10 LR
factors from the engine's search (:mod:`nasab.search.lineage`, the store keeping them right
for incremental changes). :func:`candidate_fields` records them on the candidate beside the
autosomal log10 LR, with the evidence lines ``nasab lr`` states for the pair (statement,
database, model: :func:`nasab.search.lineage.pair_evidence`, the same function) and the
independence assumption. :func:`evidence_rows` turns the record into the lines the review
page and the PDF report show, in English or Arabic.
"""

from __future__ import annotations

import math

from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

SYSTEMS = ("Y", "mtDNA")


def _jsonable(x):
    """Non-finite floats as text (a JSON column refuses them)."""
    if isinstance(x, float):
        return x if math.isfinite(x) else str(x)
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if hasattr(x, "item"):  # numpy scalars
        return _jsonable(x.item())
    return x


def reason(ev) -> str:
    """Why a system gave (or did not give) evidence, as a code the pages translate."""
    text = ev.statement
    if ev.used:
        return "excluded" if ev.log10_lr == -math.inf else "used"
    if "has no Y-STR haplotype" in text or "has no mtDNA sequence" in text:
        return "no_remains_data"
    if "is female" in text:
        return "female"
    if "no typed man on" in text:
        return "not_on_paternal_line"
    if "no typed person on" in text:
        return "not_on_maternal_line"
    if "inconclusive" in text or "no overlap" in text:
        return "inconclusive"
    return "no_evidence"


def candidate_fields(hit, programme) -> dict:
    """The new candidate's autosomal, Y and mtDNA log10 LRs and evidence lines (nothing
    when the settings have no lineage database)."""
    if hit.parts is None or not programme.uses_lineage:
        return {}
    from nasab.engine.genotypes import Profile
    from nasab.engine.lineage import INDEPENDENCE
    from nasab.search.lineage import pair_evidence

    from .compiled import lineage_of, lineage_systems
    from .programme import lineage_options

    auto, y, mt = hit.parts
    systems = lineage_systems(programme)
    if hit.sources is not None:  # the remains' data, from whichever profile gave them
        hap, seq = hit.sources.hap, hit.sources.seq
    else:
        hap, seq = lineage_of(hit.profile, systems, f"remains {hit.unit.code}")
    poi = Profile(hit.profile.sample.barcode, {}, ystr=hap, mtdna=seq)
    family = hit.family.data.family
    evidence: dict = {}
    for ev in pair_evidence(family, hit.node, poi, lineage_options(programme)):
        evidence[ev.kind] = _jsonable(
            {
                "used": ev.used,
                "log10_lr": ev.log10_lr if ev.used else 0.0,
                "reason": reason(ev),
                "statement": ev.statement,
                "database": ev.database,
                "model": ev.model,
                "warnings": ev.warnings,
            }
        )
        if ev.kind in evidence:
            on = ev.details.get("paternal_line" if ev.kind == "Y" else "maternal_line")
            evidence[ev.kind]["samples"] = samples_of(hit, ev.kind, on)
    left_out = dict(hit.family.left_out)
    if hit.sources is not None:
        left_out.update(hit.sources.conflicts)
    for kind, problem in left_out.items():  # two samples of one person disagree: said so
        if kind in systems:
            disputed = hit.family.disputed_samples(kind)
            if hit.sources is not None:
                disputed += [p.sample.barcode for p in hit.sources.disputed.get(kind, [])]
            evidence[kind] = {
                "used": False,
                "log10_lr": 0.0,
                "reason": "disputed",
                "statement": problem,
                "samples": {"remains": None, "references": [], "disputed": disputed},
            }
    for kind in SYSTEMS:
        if kind not in systems:
            evidence[kind] = {"used": False, "log10_lr": 0.0, "reason": "no_database"}
        elif kind not in evidence:
            evidence[kind] = {"used": False, "log10_lr": 0.0, "reason": "no_data"}
    evidence["combination"] = INDEPENDENCE
    evidence["databases"] = programme.describe_lineage()
    evidence["autosomal_samples"] = samples_of(hit, "STR", None)
    return {
        "log10_lr_autosomal": float(auto),
        "log10_lr_y": float(y),
        "log10_lr_mtdna": float(mt),
        "lineage_evidence": evidence,
    }


def samples_of(hit, system: str, on_line) -> dict:
    """The samples (barcodes) whose data a system's line used: the remains' and the
    references' (``on_line``: the pedigree nodes on the missing person's line that the
    evidence used; None: every donor typed for the system)."""
    src = hit.sources
    by_system = {"STR": hit.profile} if src is None else {"Y": src.y, "mtDNA": src.mt}
    remains = hit.profile if system == "STR" else by_system.get(system, hit.profile)
    return {
        "remains": remains.sample.barcode if remains is not None else None,
        "references": hit.family.donor_samples(system, on_line),
    }


def reason_labels() -> dict[str, str]:
    """The reasons in the active language."""
    return {
        "used": _("used"),
        "excluded": _("excluded by this system"),
        "no_remains_data": _("no evidence: the remains are not typed for this system"),
        "female": _("no Y evidence: the missing person is female"),
        "not_on_paternal_line": _("no Y evidence: no reference on the paternal line"),
        "not_on_maternal_line": _("no mtDNA evidence: no reference on the maternal line"),
        "inconclusive": _("no mtDNA evidence: the comparison is inconclusive"),
        "no_evidence": _("no evidence from this system"),
        "no_database": _("not used: no database in the programme settings"),
        "no_data": _("no evidence: neither the references nor the remains are typed"),
        "disputed": _(
            "not used: two samples of the same person disagree (see the matching run's problems)"
        ),
    }


def _fmt(x) -> str:
    if isinstance(x, str):
        return "−∞" if x.startswith("-") else x
    return f"{x:.4f}"


def evidence_rows(candidate, language: str | None = None) -> dict | None:
    """What the review page and the report show: one line per system (autosomal, Y-STR,
    mtDNA, combined), the databases (name, N, method) and the independence assumption, in
    ``language`` (the active one when None). None for a candidate computed without lineage
    databases."""
    ev = candidate.lineage_evidence or {}
    if not ev or candidate.log10_lr_autosomal is None:
        return None
    if language is not None:
        with override(language):
            return evidence_rows(candidate, None)
    labels = reason_labels()
    english = not (get_language() or "en").startswith("ar")
    dbs = ev.get("databases") or {}
    rows = [
        {
            "system": _("Autosomal STR"),
            "log10_lr": _fmt(candidate.log10_lr_autosomal),
            "detail": "",
            **_samples_row(ev.get("autosomal_samples")),
        }
    ]
    for kind, value, name in (
        ("Y", candidate.log10_lr_y, _("Y-STR")),
        ("mtDNA", candidate.log10_lr_mtdna, _("mtDNA")),
    ):
        line = ev.get(kind) or {}
        code = line.get("reason", "no_evidence")
        if code == "excluded":
            value = "-inf"
        rows.append(
            {
                "system": name,
                "log10_lr": _fmt(value),
                "reason": labels.get(code, code),
                "code": code,
                # the engine's own words (English data) beside the translated reason
                "detail": line.get("statement", "") if english else "",
                **_samples_row(line.get("samples")),
            }
        )
    rows.append(
        {
            "system": _("Combined (autosomal × Y-STR × mtDNA)"),
            "log10_lr": _fmt(candidate.log10_lr),
            "detail": "",
            "combined": True,
        }
    )
    databases = []
    for kind, name in (("Y", _("Y-STR")), ("mtDNA", _("mtDNA"))):
        d = dbs.get(kind)
        if d:
            databases.append(
                {
                    "system": name,
                    "name": d["name"],
                    "size": d["size"],
                    "method": method_label(d.get("method", "counting")),
                    "sha256": d["sha256"],
                }
            )
    return {
        "rows": rows,
        "databases": databases,
        "confidence": dbs.get("confidence"),
        "independence": _(
            "Autosomal, Y-STR and mtDNA likelihood ratios are multiplied: the three marker "
            "systems are assumed independent given the pedigree."
        ),
    }


def _samples_row(samples: dict | None) -> dict:
    """The samples a system's data came from, as the pages show them (nothing for a
    candidate recorded before they were stored: its report keeps its content hash)."""
    if not samples:
        return {}
    out = []
    if samples.get("remains"):
        out.append({"label": _("remains sample"), "barcodes": [samples["remains"]]})
    if samples.get("references"):
        out.append({"label": _("reference samples"), "barcodes": list(samples["references"])})
    if samples.get("disputed"):
        out.append({"label": _("samples that disagree"), "barcodes": list(samples["disputed"])})
    return {"samples": out} if out else {}


def method_label(method: str) -> str:
    return {
        "counting": _("counting with a confidence bound"),
        "augmented": _("augmented counting, (x+1)/(N+1)"),
        "dlaplace": _("discrete Laplace mixture"),
    }.get(method, method)
