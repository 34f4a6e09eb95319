"""STR markers the registry accepts, and how allele calls are written."""

from __future__ import annotations

import re

AUTOSOMAL_STRS = (
    "CSF1PO", "D1S1656", "D2S441", "D2S1338", "D3S1358", "D5S818", "D6S1043", "D7S820",
    "D8S1179", "D10S1248", "D12S391", "D13S317", "D16S539", "D18S51", "D19S433", "D21S11",
    "D22S1045", "FGA", "Penta D", "Penta E", "SE33", "TH01", "TPOX", "vWA",
)
SEX_MARKERS = ("AMEL",)
KNOWN_MARKERS = AUTOSOMAL_STRS + SEX_MARKERS
_CANONICAL = {name.upper().replace(" ", ""): name for name in KNOWN_MARKERS}
_CANONICAL["AMELOGENIN"] = "AMEL"
_STR_ALLELE = re.compile(r"^\d{1,2}(\.[1-3])?$")


def canonical_marker(name: str) -> str | None:
    """The registry's spelling of a marker name (case and spaces ignored), or ``None``."""
    return _CANONICAL.get(name.strip().upper().replace(" ", ""))


def parse_genotype(marker: str, text: str) -> list[str]:
    """``"15/16"`` → ``["15", "16"]`` (sorted); raises ``ValueError`` with a readable reason."""
    parts = [p.strip() for p in text.split("/")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"{marker}: {text!r} is not two alleles 'a/b' (write homozygotes as 15/15)")
    if marker in SEX_MARKERS:
        if any(p.upper() not in ("X", "Y") for p in parts):
            raise ValueError(f"{marker}: alleles must be X or Y, not {text!r}")
        return sorted(p.upper() for p in parts)
    for part in parts:
        if not _STR_ALLELE.match(part):
            raise ValueError(f"{marker}: {part!r} is not an STR allele (e.g. 9, 9.3, 31.2)")
    return sorted(parts, key=float)
