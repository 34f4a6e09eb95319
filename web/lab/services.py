"""Importing profiles from a lab's TSV file, and exporting the usable ones."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from django.db import transaction

from audit.models import AuditAction
from audit.services import record as audit
from fieldwork.models import Sample

from .markers import canonical_marker, parse_genotype
from .models import DNAProfile, QualityStatus
from .selectors import usable_profiles

BARCODE_COLUMNS = ("sample", "barcode", "sample_barcode", "sample barcode")


class ProfileImportError(Exception):
    """The file was refused; ``problems`` lists every reason, each naming its line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ParsedRow:
    line: int
    barcode: str
    markers: dict[str, list[str]]


def parse_profiles_tsv(text: str) -> list[ParsedRow]:
    """Parse a profile TSV: first column the sample barcode, one column per marker ('a/b').

    Empty cells, ``-`` and ``NA`` mean the marker was not typed. Raises
    :class:`ProfileImportError` listing every problem found, each with its line number.
    """
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ProfileImportError(["the file is empty"])
    header = [cell.strip() for cell in rows[0]]
    problems: list[str] = []
    if not header or header[0].lower() not in BARCODE_COLUMNS:
        problems.append(f"line 1: the first column must be the sample barcode "
                        f"(headed 'barcode'), not {header[0] if header else ''!r}")
    markers: list[str] = []
    for column, name in enumerate(header[1:], start=2):
        marker = canonical_marker(name)
        if marker is None:
            problems.append(f"line 1: unknown marker {name!r} in column {column}")
        elif marker in markers:
            problems.append(f"line 1: marker {marker} appears twice")
        markers.append(marker or name)
    if problems:
        raise ProfileImportError(problems)
    parsed: list[ParsedRow] = []
    first_line: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"line {line}: {len(cells)} columns, the header has {len(header)}")
            continue
        barcode = cells[0].strip()
        if not barcode:
            problems.append(f"line {line}: no sample barcode")
            continue
        if barcode in first_line:
            problems.append(f"line {line}: sample {barcode} already appears on line {first_line[barcode]}")
            continue
        first_line[barcode] = line
        genotype: dict[str, list[str]] = {}
        problems_before = len(problems)
        for marker, cell in zip(markers, cells[1:], strict=True):
            if cell.strip() in ("", "-", "NA"):
                continue
            try:
                genotype[marker] = parse_genotype(marker, cell)
            except ValueError as exc:
                problems.append(f"line {line}: {exc}")
        if not genotype and len(problems) == problems_before:
            problems.append(f"line {line}: sample {barcode} has no typed marker")
        parsed.append(ParsedRow(line, barcode, genotype))
    if not parsed and not problems:
        problems.append("the file has a header but no profiles")
    if problems:
        raise ProfileImportError(problems)
    return parsed


def import_profiles(*, user, file_name: str, content: bytes, kit: str, lab: str,
                    quality_status: str = QualityStatus.PENDING) -> list[DNAProfile]:
    """Import every profile of the file, or none (all problems are reported together)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileImportError([f"the file is not UTF-8 text (byte {exc.start})"]) from exc
    rows = parse_profiles_tsv(text)
    digest = hashlib.sha256(content).hexdigest()
    problems = []
    previous = DNAProfile.objects.filter(source_sha256=digest).first()
    if previous is not None:
        problems.append(f"this file was already imported on {previous.imported_at:%Y-%m-%d} "
                        f"as {previous.source_file_name!r}")
    samples = Sample.objects.in_bulk([row.barcode for row in rows], field_name="barcode")
    for row in rows:
        if row.barcode not in samples:
            problems.append(f"line {row.line}: no sample with barcode {row.barcode!r} is registered")
    if problems:
        raise ProfileImportError(problems)
    with transaction.atomic():
        created = [DNAProfile.objects.create(
            sample=samples[row.barcode], markers=row.markers, kit=kit, lab=lab,
            quality_status=quality_status, source_file_name=file_name, source_sha256=digest,
            source_line=row.line, imported_by=user) for row in rows]
        audit(user, AuditAction.IMPORT_PROFILES, object_type="profile file", object_id=digest[:16],
              file_name=file_name, profiles=len(created))
    return created


def export_profiles_tsv(user, *, purpose: str = "identification", recipient: str | None = None) -> str:
    """The usable profiles as TSV (the import format); the export is audited."""
    profiles = list(usable_profiles(purpose, recipient).order_by("sample__barcode", "pk"))
    markers = sorted({m for p in profiles for m in p.markers})
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["barcode", *markers])
    for profile in profiles:
        writer.writerow([profile.sample.barcode,
                         *("/".join(profile.markers[m]) if m in profile.markers else "" for m in markers)])
    audit(user, AuditAction.EXPORT_PROFILES, object_type="profiles", object_id="",
          purpose=purpose, recipient=recipient or "", profiles=len(profiles),
          barcodes=[p.sample.barcode for p in profiles])
    return out.getvalue()
