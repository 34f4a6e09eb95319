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
