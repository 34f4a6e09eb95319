"""SNP panels and SNP genotype files.

* Panel: a tab-separated table with two rows per SNP, as ``FORCE_freqs.tsv``: columns
  ``marker chromosome position_bp cM_male cM_female [cM_sexavg] allele frequency``
  (``#`` lines are provenance). The first row of a SNP names allele A1 (counted in
  dosages). A missing sex-specific map position falls back to ``cM_sexavg``. Chromosome X
  (``X``, ``chrX`` or ``23``) needs only ``cM_female``: a father's X is not recombined (the
  male column of X, empty in XFORCE_freqs.tsv, is never used).
* Genotypes, table: ``id`` then one column per SNP (rsID), calls as ``A/G`` (allele
  names), ``0``/``1``/``2`` (dosage of A1) or ``-``, ``./.``, empty for no call; on X a
  male's call may be written as his one allele (``A``), read as dosage 0 or 2.
* Genotypes, VCF: read with vcfpy; SNPs are matched by the ID column (rsID) or, failing
  that, by chromosome and position; haploid X calls (``GT`` ``0`` or ``1``, as callers write
  them for males) are read as the homozygous dosage; REF/ALT must be on the panel's strand (a call with an
  allele the panel does not name is an error; A/T and C/G SNPs are taken as written).

Bad input raises :class:`~nasab.engine.errors.InputError` naming the file, line and field.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.snp import MISSING, X_CHROMOSOME, SNPPanel

NO_CALL = {"", "-", "-/-", "./.", ".", "NA", "0/0"}
_CHROM = {str(i): i for i in range(1, 23)} | {"X": X_CHROMOSOME, "23": X_CHROMOSOME}


def read_panel(path: str | Path) -> SNPPanel:
    """Read a SNP panel (two rows per SNP)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            f"cannot read: {getattr(e, 'strerror', None) or e}", file=str(path)
        ) from None
    lines = [
        (n, ln)
        for n, ln in enumerate(text.splitlines(), 1)
        if ln.strip() and not ln.startswith("#")
    ]
    if not lines:
        raise InputError("no SNPs", file=str(path))
    header = lines[0][1].split("\t")
    need = ("marker", "chromosome", "position_bp", "allele", "frequency")
    missing = [c for c in need if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}", file=str(path), line=lines[0][0]
        )
    col = {c: header.index(c) for c in header}
    rows: dict[str, list] = {}
    order: list[str] = []
    for n, ln in lines[1:]:
        f = ln.split("\t")
        if len(f) != len(header):
            raise InputError(
                f"expected {len(header)} columns, got {len(f)}", file=str(path), line=n
            )
        name = f[col["marker"]]
        if name not in rows:
            rows[name] = [n, f, []]
            order.append(name)
        rows[name][2].append((f[col["allele"]], _float(f[col["frequency"]], path, n, "frequency")))
    return _panel(path, order, rows, col)


def read_panels(paths: Sequence[str | Path]) -> SNPPanel:
    """Read one or more panels (e.g. FORCE's autosomal SNPs and XFORCE's X SNPs) as one;
    a SNP in two files is refused."""
    panels = [read_panel(p) for p in paths]
    if len(panels) == 1:
        return panels[0]
    seen: dict[str, str] = {}
    for path, panel in zip(paths, panels, strict=True):
        for m in panel.markers:
            if m in seen:
                raise InputError(f"SNP {m} is also in {seen[m]}", file=str(path), field=m)
            seen[m] = Path(path).name

    def cat(field: str):
        parts = [getattr(p, field) for p in panels]
        return (
            tuple(x for t in parts for x in t)
            if isinstance(parts[0], tuple)
            else np.concatenate(parts)
        )

    return SNPPanel(
        cat("markers"),
        cat("chromosome"),
        cat("position"),
        cat("cm_male"),
        cat("cm_female"),
        cat("allele1"),
        cat("allele2"),
        cat("freq1"),
        source=" + ".join(p.source for p in panels),
    )


def _panel(path: Path, order: list[str], rows: dict, col: dict) -> SNPPanel:
    chrom, pos, cm_m, cm_f, a1, a2, p1 = [], [], [], [], [], [], []
    for name in order:
        n, f, alleles = rows[name]
        if len(alleles) != 2:
            raise InputError(
                f"SNP {name} has {len(alleles)} allele rows; a biallelic SNP has two",
                file=str(path),
                line=n,
            )
        (x, px), (y, py) = alleles
        if not (0 < px < 1) or abs(px + py - 1) > 1e-6:
            raise InputError(
                f"SNP {name}: frequencies {px} and {py} must be in (0, 1) and sum to 1",
                file=str(path),
                line=n,
            )
        c = _CHROM.get(f[col["chromosome"]].removeprefix("chr"))
        if c is None:
            raise InputError(
                f"SNP {name}: unknown chromosome {f[col['chromosome']]!r}", file=str(path), line=n
            )
        avg = f[col["cM_sexavg"]] if "cM_sexavg" in col else ""
        male = f[col["cM_male"]] if "cM_male" in col else ""
        female = f[col["cM_female"]] if "cM_female" in col else ""
        if c == X_CHROMOSOME and _in_par(f[col["position_bp"]]):
            raise InputError(
                f"SNP {name}: X position {f[col['position_bp']]} is in a pseudo-autosomal "
                "region (GRCh38 PAR1 to 2,781,479 bp, PAR2 from 155,701,383 bp), inherited "
                "like an autosome and not modelled; leave it out of the panel",
                file=str(path),
                line=n,
            )
        if c == X_CHROMOSOME and not (male or avg):
            male = female  # never used: no recombination in a father's X
        if not (male or avg) or not (female or avg):
            what = "female genetic map position" if c == X_CHROMOSOME else "genetic map position"
            raise InputError(f"SNP {name}: no {what}", file=str(path), line=n)
        chrom.append(c)
        pos.append(int(_float(f[col["position_bp"]], path, n, "position_bp")))
        cm_m.append(_float(male or avg, path, n, "cM_male"))
        cm_f.append(_float(female or avg, path, n, "cM_female"))
        a1.append(x)
        a2.append(y)
        p1.append(px)
    return SNPPanel(
        tuple(order),
        np.array(chrom),
        np.array(pos),
        np.array(cm_m),
        np.array(cm_f),
        tuple(a1),
        tuple(a2),
        np.array(p1),
        source=path.name,
    )


def read_str_map(path: str | Path) -> dict[str, tuple[int, int]]:
    """Where the STR loci lie, to keep SNPs near them out of a combined STR x SNP LR: a
    tab-separated table ``marker chromosome position_bp`` (``#`` lines are provenance;
    GRCh38, the build of the SNP panel). Keyed by the one marker-name key."""
    from nasab.engine.frequencies import marker_key
    from nasab.engine.textfile import read_utf8, tab_table

    path = Path(path)
    header, rows = tab_table(read_utf8(path)[0], path)
    missing = [c for c in ("marker", "chromosome", "position_bp") if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=str(path), line=1)
    col = {c: header.index(c) for c in header}
    out: dict[str, tuple[int, int]] = {}
    for n, f in rows:
        name = f[col["marker"]]
        c = _CHROM.get(f[col["chromosome"]].removeprefix("chr"))
        if c is None:
            raise InputError(
                f"{name}: unknown chromosome {f[col['chromosome']]!r}", file=str(path), line=n
            )
        if marker_key(name) in out:
            raise InputError(f"marker {name} listed twice", file=str(path), line=n)
        out[marker_key(name)] = (c, int(_float(f[col["position_bp"]], path, n, "position_bp")))
    return out


PAR1_END, PAR2_START = 2_781_479, 155_701_383  # GRCh38 pseudo-autosomal regions of X


def _in_par(text: str) -> bool:
    try:
        pos = float(text)
    except ValueError:
        return False  # the position's own check names it
    return pos <= PAR1_END or pos >= PAR2_START


def _float(text: str, path: Path, line: int, field: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise InputError(
            f"{field} {text[:40]!r} is not a number", file=str(path), line=line
        ) from None
    if not np.isfinite(v):
        raise InputError(f"{field} {text!r} is not finite", file=str(path), line=line)
    return v


def _dosage(call: str, k: int, panel: SNPPanel, where: dict) -> int:
    call = call.strip()
    if call in NO_CALL:
        return MISSING
    if call in ("0", "1", "2"):
        return int(call)
    parts = call.replace("|", "/").split("/")
    a1, a2 = panel.allele1[k], panel.allele2[k]
    x = int(panel.chromosome[k]) == X_CHROMOSOME
    if len(parts) == 1 and x and parts[0] in (a1, a2):
        return 2 * (parts[0] == a1)  # a male's one X allele
    if len(parts) != 2 or any(p not in (a1, a2) for p in parts):
        single = ", a single allele on X" if x else ""
        raise InputError(
            f"SNP {panel.markers[k]}: call {call[:20]!r} is not a genotype of "
            f"{a1}/{a2} (nor 0, 1, 2{single} or -)",
            **where,
        )
    return sum(p == a1 for p in parts)


def read_snp_table(path: str | Path, panel: SNPPanel) -> dict[str, np.ndarray]:
    """Dosages (of A1; -1: no call) per person id, over the panel's markers."""
    path = Path(path)
    if path.suffix.lower() in (".vcf", ".gz", ".bcf"):
        return read_vcf(path, panel)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            f"cannot read: {getattr(e, 'strerror', None) or e}", file=str(path)
        ) from None
    rows = [r for r in rows if r and not r[0].startswith("#")]
    if not rows or rows[0][0] != "id":
        raise InputError("the first column must be 'id'", file=str(path), line=1)
    header = rows[0]
    index = panel.index()
    unknown = [m for m in header[1:] if m not in index]
    if unknown:
        raise InputError(
            f"column(s) not in the SNP panel: {', '.join(unknown[:5])}"
            + (" ..." if len(unknown) > 5 else ""),
            file=str(path),
            line=1,
        )
    cols = [index[m] for m in header[1:]]
    out: dict[str, np.ndarray] = {}
    for n, r in enumerate(rows[1:], 2):
        if len(r) != len(header):
            raise InputError(
                f"expected {len(header)} columns, got {len(r)}", file=str(path), line=n
            )
        if r[0] in out:
            raise InputError(f"duplicate id {r[0]!r}", file=str(path), line=n)
        d = np.full(len(panel), MISSING, np.int64)
        for call, k, name in zip(r[1:], cols, header[1:], strict=True):
            d[k] = _dosage(call, k, panel, {"file": str(path), "line": n, "field": name})
        out[r[0]] = d
    return out


def read_vcf(
    path: str | Path, panel: SNPPanel, samples: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Dosages per sample from a VCF (vcfpy), matched to the panel by rsID or position."""
    import vcfpy

    path = Path(path)
    try:
        reader = vcfpy.Reader.from_path(str(path))
    except (OSError, ValueError, vcfpy.exceptions.VCFPyException) as e:
        raise InputError(f"cannot read VCF: {e}", file=str(path)) from None
    names = list(samples or reader.header.samples.names)
    out = {s: np.full(len(panel), MISSING, np.int64) for s in names}
    by_id = panel.index()
    by_pos = {
        (int(c), int(p)): k
        for k, (c, p) in enumerate(zip(panel.chromosome, panel.position, strict=True))
    }
    try:
        for rec in reader:
            k = next((by_id[i] for i in rec.ID if i in by_id), None)
            if k is None:
                k = by_pos.get((_CHROM.get(str(rec.CHROM).removeprefix("chr"), -1), rec.POS))
            if k is None:
                continue
            alts = [a.value for a in rec.ALT]
            alleles = [rec.REF, *alts]
            where = {"file": str(path), "field": panel.markers[k]}
            for s in names:
                gt = rec.call_for_sample[s].data.get("GT")
                if gt is None or "." in gt:
                    continue
                idx = gt.replace("|", "/").split("/")
                call = "/".join(alleles[int(i)] for i in idx)
                out[s][k] = _dosage(call, k, panel, where)
    except (ValueError, IndexError, KeyError) as e:
        raise InputError(f"malformed VCF record: {e}", file=str(path)) from None
    return out
