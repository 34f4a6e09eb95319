"""The two-stage programme's second stage: confirm an STR candidate with a SNP panel.

Stage 1 is the registry's STR matching (the candidate and its STR LR). When the remains and
some donors of the family have been typed with a dense SNP panel (FORCE, XFORCE), stage 2
computes the linked SNP LR for the same pedigree and the same missing person
(:func:`nasab.snp.evidence.snp_factors`: the engine's Lander-Green likelihood, autosomes and
X apart) and the combined LR, STR x SNP, each stated with the assumption that joins them.
Nothing is stored here: the figures are returned for the candidate's page or report (the
candidate's recorded STR figures stay as they are).

SNP calls come from the lab's files (``nasab.formats.snp.read_snp_table``), keyed by the
barcode of the donor's sample whose STR profile the candidate used, and by the remains
unit's code (or the barcode of one of its samples or their extracts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .models import MatchCandidate


def snp_confirmation(
    candidate: MatchCandidate,
    panel,
    calls: Mapping[str, object],
    *,
    panel_files: Sequence[dict] = (),
    error_reference: float = 0.001,
    error_poi: float = 0.01,
    str_map: Mapping[str, tuple[int, int]] | None = None,
    distance_bp: int | None = None,
) -> dict:
    """Stage 2 for one candidate: the SNP LR (autosomal, X) of the candidate's remains
    against its missing person, and the combined STR x SNP LR with its posterior (the
    candidate's prior). ``calls``: dosage arrays over ``panel`` keyed by barcode / code.
    A problem (no SNP data, a pedigree the SNP engine refuses) is returned as ``error``."""
    from nasab.engine.errors import NasabError
    from nasab.engine.lineage import combination_statement
    from nasab.engine.lr import posterior
    from nasab.snp.evidence import DEFAULT_STR_DISTANCE_BP, near_str_loci, snp_factors

    from . import compiled
    from .programme import active_settings, engine_table

    programme = candidate.programme_settings or active_settings()
    table = engine_table(programme.frequency_table)
    person = candidate.person
    place = getattr(person, "pedigree_place", None)
    owner = place.person if place is not None else person
    families, problems = compiled.collect_families(table, [owner])
    if not families:
        return {"error": "; ".join(problems) or "no usable donor profile left in the family"}
    ef = families[0]
    node = next(n for n, p in ef.persons.items() if p.pk == person.pk)
    refs, donors_without = {}, []
    used = {}
    for pid, (_relative, profile) in ef.donors.items():
        codes = (profile.sample.barcode, compiled._origin(profile.sample, "barcode"))
        hit = next((c for c in codes if c in calls), None)
        if hit is None:
            donors_without.append(codes[0])
        else:
            refs[pid], used[pid] = calls[hit], hit
    remains_samples = candidate.remains.samples.all()
    remains_keys = [candidate.remains.code, *(s.barcode for s in remains_samples)]
    remains_keys += [
        s.barcode for r in remains_samples for s in r.subsamples.all()
    ]  # an extract of a remains sample
    poi_key = next((k for k in remains_keys if k in calls), None)
    if poi_key is None:
        return {"error": f"no SNP calls for the remains {candidate.remains.code}"}
    if not refs:
        return {"error": "no donor of this family has SNP calls"}
    stage1 = candidate.log10_lr
    markers = list(candidate.marker_log10_lrs)
    try:
        linkage = near_str_loci(
            panel,
            markers,
            str_map,
            distance_bp=DEFAULT_STR_DISTANCE_BP if distance_bp is None else distance_bp,
        )
        evidence, r = snp_factors(
            ef.data.family.pedigree,
            refs,
            node,
            calls[poi_key],
            panel,
            linkage=linkage,
            panel_files=panel_files,
            error_references=error_reference,
            error_poi=error_poi,
        )
    except NasabError as exc:
        return {"error": str(exc)}
    combined = stage1 + r.log10_lr
    return {
        "stage": "SNP confirmation of an STR candidate",
        "candidate": candidate.pk,
        "remains": candidate.remains.code,
        "remains_snp_calls": poi_key,
        "str": {"log10_lr": stage1, "markers": len(markers)},
        "snp": {e.kind: e.to_json() for e in evidence},
        "combined_log10_lr": combined,
        "prior": candidate.prior,
        "posterior": posterior(combined, candidate.prior),
        "combination": combination_statement(evidence),
        "donors_with_snp_calls": sorted(used.values()),
        "donors_without_snp_calls": sorted(donors_without),
        "threshold": programme.threshold,
    }


def _family_owner(candidate: MatchCandidate):
    place = getattr(candidate.person, "pedigree_place", None)
    return place.person if place is not None else candidate.person


def stored_inputs(candidate: MatchCandidate) -> tuple[list, list[dict], str]:
    """The usable (current, consented) SNP call records for this candidate: those of its
    remains and of its family's donors typed with the same panel as the remains (their
    newest calls). Returns (records, their description, SHA-256 of that description and of
    the candidate's STR figures); empty lists when the remains have no SNP calls."""
    import hashlib
    import json

    from django.db.models import Q

    from lab.selectors import usable_snp_calls

    remains, owner = candidate.remains, _family_owner(candidate)
    on_remains = Q(sample__remains=remains) | Q(sample__parent_sample__remains=remains)
    from_family = Q(sample__donor__person=owner) | Q(sample__parent_sample__donor__person=owner)
    found = list(
        usable_snp_calls("identification")
        .filter(on_remains | from_family)
        .order_by("-imported_at", "-pk")
    )
    remains_calls = [c for c in found if c.sample.remains_id or _parent_remains(c.sample, remains)]
    if not remains_calls:
        return [], [], ""
    key = remains_calls[0].panel_sha256
    records = [c for c in found if c.panel_sha256 == key]
    described = [
        {
            "sample": c.sample.barcode,
            "snp_calls": c.pk,
            "source_file": c.source_file_name,
            "source_sha256": c.source_sha256,
            "calls_sha256": hashlib.sha256(c.calls.encode()).hexdigest(),
        }
        for c in sorted(records, key=lambda c: (c.sample.barcode, c.pk))
    ]
    basis = {
        "candidate": candidate.pk,
        "str_log10_lr": candidate.log10_lr,
        "prior": candidate.prior,
        "panel": key,
        "calls": described,
    }
    digest = hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
    return records, described, digest


def _parent_remains(sample, remains) -> bool:
    parent = sample.parent_sample
    return parent is not None and parent.remains_id == remains.pk


def record_snp_confirmation(candidate: MatchCandidate, *, user=None):
    """Compute stage 2 from the stored SNP calls and append it as a
    :class:`~identification.models.SNPConfirmation` (audited). ``user`` None: the
    background worker. A problem (no SNP calls for the remains or for any donor, a pedigree
    the SNP engine refuses) is recorded too, as the record's ``error``."""
    from django.db import transaction

    import nasab
    from audit.models import AuditAction
    from audit.services import record as audit
    from lab.snp import decode_calls, panel_of
    from nasab.engine.strict_json import json_safe

    from .models import SNPConfirmation

    records, described, digest = stored_inputs(candidate)
    if candidate.log10_lr is None:
        result = {"error": "the candidate has no exact STR log10 LR recorded to combine with"}
        panel_files: list = []
    elif not records:
        result = {"error": f"no SNP calls for the remains {candidate.remains.code}"}
        panel_files = []
    else:
        panel = panel_of(records[0])
        panel_files = records[0].panel
        calls = {}
        for c in records:  # newest first: a sample's newest current calls win
            calls.setdefault(c.sample.barcode, decode_calls(c.calls))
        result = json_safe(snp_confirmation(candidate, panel, calls, panel_files=panel_files))
        result["panel"] = panel_files
    ok = "error" not in result
    with transaction.atomic():
        confirmation = SNPConfirmation.objects.create(
            candidate=candidate,
            panel=panel_files,
            inputs=described,
            inputs_sha256=digest,
            result=result,
            error=result.get("error", ""),
            snp_log10_lr=_snp_total(result) if ok else None,
            combined_log10_lr=_number(result.get("combined_log10_lr")),
            posterior=_number(result.get("posterior")),
            engine_version=nasab.__version__,
            computed_by=user,
        )
        audit(
            user,
            AuditAction.SNP_CONFIRMATION,
            confirmation,
            candidate=candidate.pk,
            inputs_sha256=digest,
            combined_log10_lr=result.get("combined_log10_lr"),
            error=result.get("error", ""),
        )
    return confirmation


def _snp_total(result: dict):
    parts = [_number(e.get("log10LR")) for e in result.get("snp", {}).values()]
    return None if not parts or None in parts else sum(parts)


def _number(x):
    """A finite float, or None (strict JSON writes infinities as strings)."""
    if isinstance(x, int | float) and x == x and abs(x) != float("inf"):
        return float(x)
    return None


def latest(candidate: MatchCandidate):
    """The newest stored SNP confirmation of the candidate, and whether its inputs are
    still the current ones (no computation here)."""
    confirmation = candidate.snp_confirmations.order_by("-computed_at", "-pk").first()
    if confirmation is None:
        return None, False
    _records, _described, digest = stored_inputs(candidate)
    return confirmation, digest != confirmation.inputs_sha256


def _fmt(x, digits: int = 4) -> str:
    return f"{x:.{digits}f}" if isinstance(x, int | float) else str(x)


def summary(confirmation) -> dict:
    """The stored figures of a SNP confirmation as the page and the report state them (read
    from the record, never recomputed)."""
    r = confirmation.result
    out = {
        "computed_at": confirmation.computed_at.isoformat(timespec="seconds"),
        "computed_by": getattr(confirmation.computed_by, "username", "") or "(worker)",
        "engine_version": confirmation.engine_version,
        "inputs_sha256": confirmation.inputs_sha256,
        "panel": [f"{f['file']} (sha256 {f['sha256'][:16]})" for f in confirmation.panel],
        "error": confirmation.error,
    }
    if confirmation.error:
        return out
    parts = []
    for kind in ("SNP", "X-SNP"):
        e = r.get("snp", {}).get(kind)
        if e is None:
            continue
        parts.append(
            {
                "kind": kind,
                "log10_lr": _fmt(e["log10LR"]),
                "unlinked": _fmt(e.get("log10LR_unlinked")),
                "snps": e.get("snps_used"),
                "meioses": e.get("meioses"),
                "statement": e.get("statement", ""),
            }
        )
    combined = r.get("combined_log10_lr")
    out.update(
        {
            "parts": parts,
            "str_log10_lr": _fmt(r["str"]["log10_lr"]),
            "str_markers": r["str"]["markers"],
            "snp_log10_lr": _fmt(confirmation.snp_log10_lr)
            if confirmation.snp_log10_lr is not None
            else "",
            "combined_log10_lr": _fmt(combined),
            "prior": f"{r['prior']:.6g}" if isinstance(r.get("prior"), float) else r.get("prior"),
            "posterior": f"{r['posterior']:.8f}"
            if isinstance(r.get("posterior"), float)
            else r.get("posterior"),
            "combination": r.get("combination", ""),
            "remains_snp_calls": r.get("remains_snp_calls", ""),
            "donors_with": list(r.get("donors_with_snp_calls", [])),
            "donors_without": list(r.get("donors_without_snp_calls", [])),
        }
    )
    return out
