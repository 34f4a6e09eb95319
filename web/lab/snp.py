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
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np
from django.db import transaction
from django.db.models.functions import Upper

from audit.models import AuditAction
from audit.services import record as audit
from fieldwork.models import Sample
from nasab_site.identifiers import normalise as normalise_identifier
from nasab_site.identifiers import problem as identifier_problem

from .models import SNPCalls, SNPPanelFile

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


def _line_of(text: str, key: str, is_vcf: bool) -> str:
    if is_vcf:
        return f"sample column {key!r}"
    for n, line in enumerate(text.splitlines(), 1):
        if line.split("\t", 1)[0] == key:
            return f"line {n}"
    return f"sample {key!r}"


def _samples(barcodes: list[str]) -> dict[str, Sample]:
    samples = Sample.objects.in_bulk(barcodes, field_name="barcode")
    missing = [b for b in barcodes if b not in samples]
    if missing:  # a label written in other letter case is the same label
        by_upper = {
            s.barcode.upper(): s
            for s in Sample.objects.annotate(upper=Upper("barcode")).filter(
                upper__in=[b.upper() for b in missing]
            )
        }
        samples.update({b: by_upper[b.upper()] for b in missing if b.upper() in by_upper})
    return samples


def import_snp_calls(  # noqa: C901 - checks in file order, then one transaction; to split
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
    text = "" if is_vcf else calls_content.decode("utf-8", "replace")
    problems: list[str] = []
    if not rows:
        problems.append(f"{calls_name}: no sample in the file")
    samples = _samples(list(rows))
    current = {
        c.sample_id: c
        for c in SNPCalls.objects.filter(
            sample__in=samples.values(), superseded_by__isnull=True
        ).order_by("imported_at", "pk")
    }
    reason = supersede_reason.strip()
    plan = []
    unchanged = []
    for barcode, d in rows.items():
        where = f"{calls_name}, {_line_of(text, barcode, is_vcf)}"
        sample = samples.get(barcode)
        if sample is None:
            why = identifier_problem(barcode)
            problems.append(
                f"{where}: " + (why or f"no sample with barcode {barcode!r} is registered")
            )
            continue
        called = int((d >= 0).sum())
        if not called:
            problems.append(f"{where}: sample {barcode} has no SNP called")
            continue
        encoded = encode_calls(d)
        earlier = current.get(sample.pk)
        if earlier is not None and earlier.panel_sha256 == key and earlier.calls == encoded:
            unchanged.append(barcode)
            continue
        if earlier is not None and not reason:
            problems.append(
                f"{where}: sample {barcode} already has different SNP calls (imported "
                f"{earlier.imported_at:%Y-%m-%d} from {earlier.source_file_name!r}); to "
                f"replace them, import again and give the reason for the supersession"
            )
            continue
        line = _line_of(text, barcode, is_vcf)
        plan.append(
            (sample, encoded, called, earlier, int(line[5:]) if line[:5] == "line " else None)
        )
    if problems:
        raise SNPImportError(problems)
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
            for sample, encoded, called, earlier, line in plan
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
