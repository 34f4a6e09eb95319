"""Importing profiles from a lab's TSV file, and exporting the usable ones."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Upper

from audit.models import AuditAction
from audit.services import record as audit
from fieldwork.models import Sample
from nasab_site.identifiers import normalise as normalise_identifier
from nasab_site.identifiers import problem as identifier_problem

from .markers import allele_call, canonical_marker
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
    lineage: dict = field(default_factory=dict)  # {"Y": {locus: "11,14"}, "mtDNA": "..."}


@dataclass(frozen=True)
class _LineageColumns:
    """The Y-STR and mtDNA columns of a lab file (the engine's grammar, docs/lineage.md)."""

    ystr: list[tuple[int, str]]  # (cell index, header)
    mtdna: int | None

    def read(self, cells: list[str], line: int, problems: list[str]) -> dict:
        from nasab.engine.errors import InputError
        from nasab.engine.mtdna import parse_mtdna
        from nasab.engine.ystr import format_state, merge_copies, parse_ystr, ystr_key

        out: dict = {}
        try:
            hap = {}
            for i, name in self.ystr:
                state = parse_ystr(cells[i], field_name=name)
                if state is not None:
                    hap[ystr_key(name)] = state
            hap = merge_copies(hap)
            if hap:
                out["Y"] = {k: format_state(v) for k, v in sorted(hap.items())}
            if self.mtdna is not None:
                mt = parse_mtdna(cells[self.mtdna], field_name="mtDNA")
                if mt is not None:
                    out["mtDNA"] = mt.describe()
        except InputError as exc:
            where = f"{exc.field}: " if exc.field else ""
            problems.append(f"line {line}: {where}{exc.message}")
        return out


def _lineage_header(header: list[str], problems: list[str]) -> tuple[_LineageColumns, set[int]]:
    """The lineage columns (Y-STR loci by name, one mtDNA column) and their positions."""
    from nasab.engine.errors import InputError
    from nasab.engine.ystr import check_copy_columns, check_loci, is_ystr_locus
    from nasab.formats.io import is_mtdna_column

    ystr = [(i - 1, h) for i, h in enumerate(header) if i > 0 and is_ystr_locus(h)]
    mt = [i - 1 for i, h in enumerate(header) if i > 0 and is_mtdna_column(h)]
    try:
        check_loci([h for _, h in ystr], file="")
        check_copy_columns([h for _, h in ystr], file="")
    except InputError as exc:
        problems.append(f"line 1: {exc.field}: {exc.message}")
    if len(mt) > 1:
        problems.append("line 1: more than one mtDNA column")
    cols = _LineageColumns(ystr, mt[0] if mt else None)
    return cols, {i for i, _ in ystr} | set(mt)


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
    columns = _Columns.of([cell.strip() for cell in rows[0]])
    problems: list[str] = []
    parsed: list[ParsedRow] = []
    first_line: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = columns.row(line, cells, first_line, problems)
        if row is not None:
            parsed.append(row)
    if not parsed and not problems:
        problems.append("the file has a header but no profiles")
    if problems:
        raise ProfileImportError(problems)
    return parsed


@dataclass(frozen=True)
class _Columns:
    """A profile file's header: the marker of each column after the barcode, and the
    lineage columns among them."""

    header: list[str]
    markers: list[str]
    lineage: _LineageColumns
    lineage_cells: set[int]

    @classmethod
    def of(cls, header: list[str]) -> _Columns:
        """Every header problem refused at once."""
        problems: list[str] = []
        if not header or header[0].lower() not in BARCODE_COLUMNS:
            problems.append(
                f"line 1: the first column must be the sample barcode "
                f"(headed 'barcode'), not {header[0] if header else ''!r}"
            )
        markers: list[str] = []
        lineage, lineage_cells = _lineage_header(header, problems)
        for column, name in enumerate(header[1:], start=2):
            if column - 2 in lineage_cells:
                markers.append(name)
                continue
            marker = canonical_marker(name)
            if marker is None:
                problems.append(f"line 1: unknown marker {name!r} in column {column}")
            elif marker in markers:
                problems.append(f"line 1: marker {marker} appears twice")
            markers.append(marker or name)
        if problems:
            raise ProfileImportError(problems)
        return cls(header, markers, lineage, lineage_cells)

    def row(
        self, line: int, cells: list[str], first_line: dict[str, int], problems: list[str]
    ) -> ParsedRow | None:
        """One profile line; its problems are added to ``problems`` (None: the line is not
        kept, having a problem that makes its calls meaningless)."""
        if len(cells) != len(self.header):
            problems.append(f"line {line}: {len(cells)} columns, the header has {len(self.header)}")
            return None
        barcode = normalise_identifier(cells[0])
        if not barcode:
            problems.append(f"line {line}: no sample barcode")
            return None
        if barcode in first_line:
            problems.append(
                f"line {line}: sample {barcode} already appears on line {first_line[barcode]}"
            )
            return None
        first_line[barcode] = line
        genotype: dict[str, list[str]] = {}
        problems_before = len(problems)
        for i, (marker, cell) in enumerate(zip(self.markers, cells[1:], strict=True)):
            if i in self.lineage_cells or cell.strip() in ("", "-", "NA"):
                continue
            try:
                genotype[marker] = allele_call(marker, cell)
            except ValueError as exc:
                problems.append(f"line {line}: {exc}")
        lin = self.lineage.read(cells[1:], line, problems)
        if not genotype and not lin and len(problems) == problems_before:
            problems.append(f"line {line}: sample {barcode} has no typed marker")
        return ParsedRow(line, barcode, genotype, lin)


@dataclass
class ImportResult:
    """What an import did: new profiles, rows already present (same sample, same calls),
    and profiles that superseded an earlier one."""

    created: list[DNAProfile]
    unchanged: list[str]
    superseded: list[str]
    already_imported: bool = False

    def __len__(self) -> int:
        return len(self.created)

    def __iter__(self):
        return iter(self.created)

    def __getitem__(self, index):
        return self.created[index]


def samples_by_barcode(barcodes: list[str]) -> dict[str, Sample]:
    """The registered samples of these barcodes, keyed as written in the file; a label
    written in other letter case is the same label. Barcodes with no sample are absent."""
    samples = Sample.objects.in_bulk(barcodes, field_name="barcode")
    missing = [b for b in barcodes if b not in samples]
    if missing:
        by_upper = {
            s.barcode.upper(): s
            for s in Sample.objects.annotate(upper=Upper("barcode")).filter(
                upper__in=[b.upper() for b in missing]
            )
        }
        samples.update({b: by_upper[b.upper()] for b in missing if b.upper() in by_upper})
    return samples


def import_profiles(
    *,
    user,
    file_name: str,
    content: bytes,
    kit: str,
    lab: str,
    quality_status: str = QualityStatus.PENDING,
    supersede_reason: str = "",
) -> ImportResult:
    """Import every profile of the file, or none (all problems are reported together).

    Idempotent: the same file again, or a row whose sample already has a current profile
    with the same calls, adds nothing. A row giving *different* calls for a sample that
    already has a profile is refused, unless ``supersede_reason`` says why the new typing
    replaces the old one: then the new profile supersedes it (the old one is kept, no
    longer used), and the supersession is audited.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileImportError([f"the file is not UTF-8 text (byte {exc.start})"]) from exc
    rows = parse_profiles_tsv(text)
    digest = hashlib.sha256(content).hexdigest()
    if DNAProfile.objects.filter(source_sha256=digest).exists():
        return ImportResult([], [row.barcode for row in rows], [], already_imported=True)
    problems = []
    samples = samples_by_barcode([row.barcode for row in rows])
    current = {
        p.sample_id: p
        for p in DNAProfile.objects.filter(
            sample__in=samples.values(), superseded_by__isnull=True
        ).order_by("imported_at", "pk")
    }
    supersede_reason = supersede_reason.strip()
    plan: list[tuple[ParsedRow, DNAProfile | None]] = []
    unchanged: list[str] = []
    for row in rows:
        sample = samples.get(row.barcode)
        if sample is None:
            reason = identifier_problem(row.barcode)
            problems.append(
                f"line {row.line}: "
                + (reason if reason else f"no sample with barcode {row.barcode!r} is registered")
            )
            continue
        earlier = current.get(sample.pk)
        if (
            earlier is not None
            and earlier.markers == row.markers
            and (earlier.lineage or {}) == row.lineage
        ):
            unchanged.append(row.barcode)
            continue
        if earlier is not None and not supersede_reason:
            problems.append(
                f"line {row.line}: sample {row.barcode} already has a different "
                f"profile (imported {earlier.imported_at:%Y-%m-%d} from "
                f"{earlier.source_file_name!r}); to replace it, import again "
                f"and give the reason for the supersession"
            )
            continue
        plan.append((row, earlier))
    if problems:
        raise ProfileImportError(problems)
    with transaction.atomic():
        created = [
            DNAProfile.objects.create(
                sample=samples[row.barcode],
                markers=row.markers,
                lineage=row.lineage,
                kit=kit,
                lab=lab,
                quality_status=quality_status,
                source_file_name=file_name,
                source_sha256=digest,
                source_line=row.line,
                imported_by=user,
                supersedes=earlier,
                supersession_reason=supersede_reason if earlier else "",
            )
            for row, earlier in plan
        ]
        superseded = [p.sample.barcode for p in created if p.supersedes_id]
        audit(
            user,
            AuditAction.IMPORT_PROFILES,
            object_type="profile file",
            object_id=digest[:16],
            file_name=file_name,
            profiles=len(created),
            unchanged=unchanged,
            superseded=superseded,
            supersession_reason=supersede_reason if superseded else "",
        )
    return ImportResult(created, unchanged, superseded)


def export_profiles_tsv(
    user, *, purpose: str = "identification", recipient: str | None = None
) -> str:
    """The usable profiles as TSV (the import format); the export is audited."""
    profiles = list(usable_profiles(purpose, recipient).order_by("sample__barcode", "pk"))
    markers = sorted({m for p in profiles for m in p.markers})
    y_loci = sorted({k for p in profiles for k in (p.lineage or {}).get("Y", {})})
    mt = any("mtDNA" in (p.lineage or {}) for p in profiles)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["barcode", *markers, *y_loci, *(["mtDNA"] if mt else [])])
    for profile in profiles:
        lin = profile.lineage or {}
        writer.writerow(
            [
                profile.sample.barcode,
                *("/".join(profile.markers[m]) if m in profile.markers else "" for m in markers),
                *(lin.get("Y", {}).get(k, "") for k in y_loci),
                *([lin.get("mtDNA", "")] if mt else []),
            ]
        )
    audit(
        user,
        AuditAction.EXPORT_PROFILES,
        object_type="profiles",
        object_id="",
        purpose=purpose,
        recipient=recipient or "",
        profiles=len(profiles),
        barcodes=[p.sample.barcode for p in profiles],
    )
    return out.getvalue()
