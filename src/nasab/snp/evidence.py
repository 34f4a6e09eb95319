"""SNP evidence beside the STRs: the linked SNP LR of one pedigree as factors of
``nasab lr``'s combined report (``LRResult.lineage``: one factor for the autosomal SNPs,
one for the X SNPs when the panel has them).

The STR LR and the SNP LR are multiplied, which assumes the two are independent given the
pedigree. For the X SNPs (no autosomal STR on X) this holds under the model. For the
autosomal SNPs it holds only for SNPs unlinked to every STR locus: with a map of the STR
loci (:func:`nasab.formats.snp.read_str_map`) the SNPs within a stated distance of any STR
locus compared are left out (and counted); without one, the report says that the linkage
between STR loci and SNPs is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import marker_key
from nasab.engine.lineage import LineageEvidence
from nasab.engine.pedigree import Pedigree
from nasab.engine.snp import (
    MISSING,
    MODEL_WORDS,
    SNPLR,
    X_CHROMOSOME,
    SNPPanel,
    missing_person_snp_lr,
)

DEFAULT_STR_DISTANCE_BP = 10_000_000  # 10 Mb: about 10 cM, recombination fraction ~0.09


@dataclass(frozen=True)
class STRLinkage:
    """What was done about linkage between the STR loci and the autosomal SNPs."""

    statement: str
    dropped: tuple[str, ...] = ()  # SNPs left out, near an STR locus
    near: dict[str, list[str]] = field(default_factory=dict)  # STR locus -> SNPs dropped


def near_str_loci(
    panel: SNPPanel,
    str_markers: Sequence[str],
    str_map: Mapping[str, tuple[int, int]] | None,
    *,
    distance_bp: int = DEFAULT_STR_DISTANCE_BP,
    map_file: str = "",
) -> STRLinkage:
    """The autosomal SNPs within ``distance_bp`` of an STR locus compared (same chromosome),
    by the STR map; every compared STR locus must be on the map."""
    if str_map is None:
        return STRLinkage(
            "no STR map given: SNPs near the STR loci were not left out, and the linkage "
            "between STR loci and SNPs on the same chromosome is ignored (give --str-map)"
        )
    unplaced = [m for m in str_markers if marker_key(m) not in str_map]
    if unplaced:
        raise InputError(
            f"STR marker(s) not on the STR map: {', '.join(unplaced[:6])}"
            + (" ..." if len(unplaced) > 6 else ""),
            file=map_file or None,
        )
    near: dict[str, list[str]] = {}
    drop = np.zeros(len(panel), bool)
    for m in str_markers:
        chrom, pos = str_map[marker_key(m)]
        hit = (panel.chromosome == chrom) & (np.abs(panel.position - pos) <= distance_bp)
        if np.any(hit):
            near[m] = [panel.markers[k] for k in np.flatnonzero(hit)]
        drop |= hit
    dropped = tuple(panel.markers[k] for k in np.flatnonzero(drop))
    mb = distance_bp / 1e6
    return STRLinkage(
        f"{len(dropped)} SNPs within {mb:g} Mb of the {len(str_markers)} STR loci "
        f"compared were left out (STR map {map_file or 'given'}); SNPs farther away are "
        "taken as unlinked to the STRs",
        dropped,
        near,
    )


def snp_factors(
    ped: Pedigree,
    references: Mapping[str, np.ndarray],
    missing: str,
    poi: np.ndarray,
    panel: SNPPanel,
    *,
    linkage: STRLinkage,
    panel_files: Sequence[dict],
    error_references: float,
    error_poi: float,
) -> tuple[list[LineageEvidence], SNPLR]:
    """The SNP factors of a combined LR: the linked SNP LR with the SNPs of ``linkage``
    left out, as evidence lines (autosomal SNPs; X SNPs when the panel has them)."""
    keep = np.ones(len(panel), bool)
    if linkage.dropped:
        index = panel.index()
        keep[[index[m] for m in linkage.dropped]] = False

    def masked(d: np.ndarray) -> np.ndarray:
        return np.where(keep, np.asarray(d), MISSING)

    r = missing_person_snp_lr(
        ped,
        {p: masked(d) for p, d in references.items()},
        missing,
        masked(poi),
        panel,
        error_references=error_references,
        error_poi=error_poi,
    )
    database = ", ".join(f"{f['file']} (sha256 {f['sha256'][:12]})" for f in panel_files)
    common = {
        "references": sorted(references),
        "error_rates": {"reference": error_references, "poi": error_poi},
        "panel": list(panel_files),
    }
    auto = LineageEvidence(
        "SNP",
        r.log10_lr_autosomal,
        used=r.markers_used > 0,
        statement=(
            f"{r.markers_used} autosomal SNPs typed in the POI, {r.meioses} meioses; "
            f"unlinked product log10 LR {r.log10_lr_autosomal_unlinked:.4f} (for comparison)"
            if r.markers_used
            else "no autosomal SNP typed in the POI"
        ),
        model=MODEL_WORDS,
        database=database,
        details={
            **common,
            "log10LR_unlinked": float(r.log10_lr_autosomal_unlinked),
            "snps_used": r.markers_used,
            "meioses": r.meioses,
            "snps_left_out_near_str": len(linkage.dropped),
            "str_linkage": linkage.statement,
        },
    )
    out = [auto]
    if np.any(panel.chromosome == X_CHROMOSOME):
        out.append(
            LineageEvidence(
                "X-SNP",
                r.log10_lr_x,
                used=r.x_markers_used > 0,
                statement=(
                    f"{r.x_markers_used} X SNPs typed in the POI, {r.x_meioses} maternal "
                    f"meioses; unlinked product log10 LR {r.log10_lr_x_unlinked:.4f}"
                    if r.x_markers_used
                    else "no X SNP typed in the POI"
                ),
                model=MODEL_WORDS,
                database=database,
                details={
                    **common,
                    "log10LR_unlinked": float(r.log10_lr_x_unlinked),
                    "snps_used": r.x_markers_used,
                    "meioses": r.x_meioses,
                },
            )
        )
    return out, r
