"""STR markers the registry accepts, and which allele calls it stores.

The grammar of a call (``a/b``, unknown alleles, Arabic-Indic digits) is the engine's one
:func:`nasab.engine.genotypes.parse_genotype`; this module adds the registry's rules on top: both
alleles observed, STR alleles numeric and plausible for their marker, Amelogenin X or Y.
"""

from __future__ import annotations

import re

from nasab.engine.errors import InputError
from nasab.engine.genotypes import parse_genotype

AUTOSOMAL_STRS = (
    "CSF1PO",
    "D1S1656",
    "D2S441",
    "D2S1338",
    "D3S1358",
    "D5S818",
    "D6S1043",
    "D7S820",
    "D8S1179",
    "D10S1248",
    "D12S391",
    "D13S317",
    "D16S539",
    "D18S51",
    "D19S433",
    "D21S11",
    "D22S1045",
    "FGA",
    "Penta D",
    "Penta E",
    "SE33",
    "TH01",
    "TPOX",
    "vWA",
)
SEX_MARKERS = ("AMEL",)
KNOWN_MARKERS = AUTOSOMAL_STRS + SEX_MARKERS
_CANONICAL = {name.upper().replace(" ", ""): name for name in KNOWN_MARKERS}
_CANONICAL["AMELOGENIN"] = "AMEL"
_STR_ALLELE = re.compile(r"^\d{1,2}(\.[1-3])?$")

# Alleles reported for each marker (approximate ranges of the NIST STRBase allele tables),
# widened by a few repeats: a call outside is far more likely a typing slip than a new allele.
_REPORTED = {
    "CSF1PO": (5, 16),
    "D1S1656": (8, 20.3),
    "D2S441": (8, 17),
    "D2S1338": (10, 28),
    "D3S1358": (6, 26),
    "D5S818": (4, 20),
    "D6S1043": (7, 27),
    "D7S820": (5, 16),
    "D8S1179": (5, 20),
    "D10S1248": (7, 19),
    "D12S391": (13, 28),
    "D13S317": (4, 17),
    "D16S539": (4, 16),
    "D18S51": (5, 40),
    "D19S433": (5.2, 20),
    "D21S11": (12, 43.2),
    "D22S1045": (7, 20),
    "FGA": (12.2, 51.2),
    "Penta D": (1.1, 19),
    "Penta E": (5, 32),
    "SE33": (3, 49),
    "TH01": (3, 14),
    "TPOX": (4, 16),
    "vWA": (9, 25),
}
_MARGIN_BELOW, _MARGIN_ABOVE = 3, 6


def plausible_range(marker: str) -> tuple[float, float]:
    low, high = _REPORTED[marker]
    return max(1.0, low - _MARGIN_BELOW), high + _MARGIN_ABOVE


def canonical_marker(name: str) -> str | None:
    """The registry's spelling of a marker name (case and spaces ignored), or ``None``."""
    return _CANONICAL.get(name.strip().upper().replace(" ", ""))


def allele_call(marker: str, text: str) -> list[str]:
    """``"15/16"`` → ``["15", "16"]`` (sorted) for ``marker``; raises ``ValueError`` with a
    readable reason when the registry cannot store the call."""
    try:
        first, second = parse_genotype(text)
    except InputError as exc:
        raise ValueError(f"{marker}: {exc.message}") from exc
    if first is None or second is None or "F" in (first, second):
        raise ValueError(
            f"{marker}: {text.strip()!r} is not two observed alleles 'a/b' "
            f"(write homozygotes as 15/15; 0, - and ? are not alleles)"
        )
    if marker in SEX_MARKERS:
        if any(p.upper() not in ("X", "Y") for p in (first, second)):
            raise ValueError(f"{marker}: alleles must be X or Y, not {text.strip()!r}")
        return sorted(p.upper() for p in (first, second))
    low, high = plausible_range(marker)
    for allele in (first, second):
        if not _STR_ALLELE.match(allele):
            raise ValueError(f"{marker}: {allele!r} is not an STR allele (e.g. 9, 9.3, 31.2)")
        if not low <= float(allele) <= high:
            raise ValueError(
                f"{marker}: allele {allele} is implausible (this registry accepts "
                f"{low:g} to {high:g} for {marker}); check the call"
            )
    return sorted((first, second), key=float)
