"""SNP panel calls (FORCE, XFORCE; docs/snp.md): import from the lab's files, and the panel
and dosages of stored calls for the engine.

Files are read only by the engine's readers (:func:`nasab.formats.snp.read_panels`,
:func:`~nasab.formats.snp.read_snp_table`, which reads a VCF with vcfpy); the uploaded
bytes are written to a private temporary folder under their own names for that. The panel
files are kept whole (:class:`~lab.models.SNPPanelFile`) so that a likelihood can be
recomputed from the same files; each sample's calls are one character per SNP.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import numpy as np
from django.db import transaction

from audit.models import AuditAction
from audit.services import record as audit
from nasab_site.identifiers import normalise as normalise_identifier
from nasab_site.identifiers import problem as identifier_problem

from .models import SNPCalls, SNPPanelFile
from .services import samples_by_barcode

NO_CALL = "."
_PANELS: OrderedDict[str, object] = OrderedDict()  # panel_sha256 -> SNPPanel (a few)
_PANELS_KEPT = 4


class SNPImportError(Exception):
    """The file was refused; ``problems`` lists every reason, each naming file, line, column."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class SNPImportResult:
    created: list[SNPCalls]
    unchanged: list[str]
    superseded: list[str]
    already_imported: bool = False


def _where(exc, names: dict[str, str]) -> str:
    """An engine InputError as the import page says it: file, line, column, what is wrong."""
    parts = []
    if exc.file:
        parts.append(names.get(Path(exc.file).name, Path(exc.file).name))
    if exc.line is not None:
        parts.append(f"line {exc.line}")
    if exc.field:
        parts.append(f"column {exc.field}")
    return (", ".join(parts) + ": " if parts else "") + exc.message


def _safe_name(name: str, index: int) -> str:
    base = PurePath(name.replace("\\", "/")).name or f"file{index}"
    return f"{index}-{base}"


def _read(panel_files: list[tuple[str, bytes]], calls_file: tuple[str, bytes] | None):
    """(panel, dosages by id) through the engine's readers; InputError -> SNPImportError."""
    from nasab.engine.errors import InputError
    from nasab.formats.snp import read_panels, read_snp_table

    with tempfile.TemporaryDirectory(prefix="nasab-snp-") as folder:
        names, paths = {}, []
        for i, (name, content) in enumerate(panel_files):
            path = Path(folder) / _safe_name(name, i)
            path.write_bytes(content)
            names[path.name] = name
            paths.append(path)
        try:
            panel = read_panels(paths)
            if calls_file is None:
                return panel, {}
            path = Path(folder) / _safe_name(calls_file[0], len(paths))
            path.write_bytes(calls_file[1])
            names[path.name] = calls_file[0]
            return panel, read_snp_table(path, panel)
        except InputError as exc:
            raise SNPImportError([_where(exc, names)]) from None
        except (OSError, ValueError) as exc:  # vcfpy's own complaints about a broken file
            raise SNPImportError([f"{calls_file[0] if calls_file else ''}: {exc}"]) from None


def panel_identity(panel_files: list[tuple[str, bytes]]) -> tuple[list[dict], str]:
    files = [{"file": name, "sha256": hashlib.sha256(c).hexdigest()} for name, c in panel_files]
    key = hashlib.sha256("\n".join(f["sha256"] for f in files).encode()).hexdigest()
    return files, key


def encode_calls(dosages: np.ndarray) -> str:
    return "".join(NO_CALL if d < 0 else str(int(d)) for d in dosages)


def decode_calls(text: str) -> np.ndarray:
    from nasab.engine.snp import MISSING

    return np.array([MISSING if c == NO_CALL else int(c) for c in text], dtype=np.int64)


def panel_of(record: SNPCalls):
    """The engine's panel of stored calls, read again from the stored panel files."""
    cached = _PANELS.get(record.panel_sha256)
    if cached is not None:
        _PANELS.move_to_end(record.panel_sha256)
        return cached
    stored = SNPPanelFile.objects.in_bulk([f["sha256"] for f in record.panel], field_name="sha256")
    files = [(f["file"], stored[f["sha256"]].text.encode("utf-8")) for f in record.panel]
    panel, _ = _read(files, None)
    _PANELS[record.panel_sha256] = panel
    while len(_PANELS) > _PANELS_KEPT:
        _PANELS.popitem(last=False)
    return panel


def _line_numbers(text: str) -> dict[str, int]:
    """Line number of each sample id (first column) of a calls table, read once."""
    lines: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        lines.setdefault(line.split("\t", 1)[0], n)
    return lines


def _sample_place(calls_name: str, barcode: str, lines: dict[str, int] | None) -> str:
    if lines is None:  # a VCF: the engine names no line
        return f"{calls_name}, sample column {barcode!r}"
    n = lines.get(barcode)
    return f"{calls_name}, " + (f"line {n}" if n else f"sample {barcode!r}")


@dataclass
class _Plan:
    """What an import will write (checked before anything is written)."""

    rows: list[tuple] = field(default_factory=list)  # (sample, calls, called, earlier, line)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _plan(rows: dict, *, calls_name: str, lines, key: str, reason: str) -> _Plan:
    """Check every sample of the file in file order: registered, called, and new or a
    stated supersession; the problems all together."""
    plan = _Plan()
    if not rows:
        plan.problems.append(f"{calls_name}: no sample in the file")
    samples = samples_by_barcode(list(rows))
    current = {
        c.sample_id: c
        for c in SNPCalls.objects.filter(
            sample__in=samples.values(), superseded_by__isnull=True
        ).order_by("imported_at", "pk")
    }
    for barcode, d in rows.items():
        where = _sample_place(calls_name, barcode, lines)
        sample = samples.get(barcode)
        if sample is None:
            why = identifier_problem(barcode)
            plan.problems.append(
                f"{where}: " + (why or f"no sample with barcode {barcode!r} is registered")
            )
            continue
        called = int((d >= 0).sum())
        if not called:
            plan.problems.append(f"{where}: sample {barcode} has no SNP called")
            continue
        encoded = encode_calls(d)
        earlier = current.get(sample.pk)
        if earlier is not None and earlier.panel_sha256 == key and earlier.calls == encoded:
            plan.unchanged.append(barcode)
            continue
        if earlier is not None and not reason:
            plan.problems.append(
                f"{where}: sample {barcode} already has different SNP calls (imported "
                f"{earlier.imported_at:%Y-%m-%d} from {earlier.source_file_name!r}); to "
                f"replace them, import again and give the reason for the supersession"
            )
            continue
        line = lines.get(barcode) if lines is not None else None
        plan.rows.append((sample, encoded, called, earlier, line))
    return plan


def import_snp_calls(
    *,
    user,
    panel_files: list[tuple[str, bytes]],
    calls_name: str,
    calls_content: bytes,
    lab: str,
    supersede_reason: str = "",
) -> SNPImportResult:
    """Import every sample's SNP calls of the file (table: ``id`` = sample barcode, one
    column per SNP; or VCF: one sample column per barcode), or none.

    Idempotent like profiles: the same file with the same panel again adds nothing; a
    sample whose current calls (same panel) are the same is left alone; different calls
    for a sample that has some need ``supersede_reason`` (the old row is kept, not used).
    """
    if not panel_files:
        raise SNPImportError(["give the SNP panel file(s) the calls were made against"])
    for name, content in [*panel_files, (calls_name, calls_content)]:
        if not content.strip():
            raise SNPImportError([f"{name}: the file is empty"])
    panel, dosages = _read(panel_files, (calls_name, calls_content))
    files, key = panel_identity(panel_files)
    digest = hashlib.sha256(calls_content).hexdigest()
    rows = {normalise_identifier(k): v for k, v in dosages.items()}
    if SNPCalls.objects.filter(source_sha256=digest, panel_sha256=key).exists():
        return SNPImportResult([], sorted(rows), [], already_imported=True)
    is_vcf = PurePath(calls_name).suffix.lower() in (".vcf", ".gz", ".bcf")
    lines = None if is_vcf else _line_numbers(calls_content.decode("utf-8", "replace"))
    reason = supersede_reason.strip()
    plan = _plan(rows, calls_name=calls_name, lines=lines, key=key, reason=reason)
    if plan.problems:
        raise SNPImportError(plan.problems)
    unchanged = plan.unchanged
    with transaction.atomic():
        for (name, content), f in zip(panel_files, files, strict=True):
            if not SNPPanelFile.objects.filter(sha256=f["sha256"]).exists():
                SNPPanelFile.objects.create(
                    file_name=name,
                    sha256=f["sha256"],
                    text=content.decode("utf-8"),
                    uploaded_by=user,
                )
        created = [
            SNPCalls.objects.create(
                sample=sample,
                panel=files,
                panel_sha256=key,
                calls=encoded,
                called=called,
                lab=lab,
                source_file_name=calls_name,
                source_sha256=digest,
                source_line=line,
                imported_by=user,
                supersedes=earlier,
                supersession_reason=reason if earlier else "",
            )
            for sample, encoded, called, earlier, line in plan.rows
        ]
        superseded = [c.sample.barcode for c in created if c.supersedes_id]
        audit(
            user,
            AuditAction.IMPORT_SNP_CALLS,
            object_type="SNP call file",
            object_id=digest[:16],
            file_name=calls_name,
            panel=files,
            samples=len(created),
            snps=len(panel),
            unchanged=unchanged,
            superseded=superseded,
            supersession_reason=reason if superseded else "",
        )
    return SNPImportResult(created, unchanged, superseded)
