"""The matches file of a search: its columns, the TSV text (floats by repr: exact round
trip) or Parquet, and the model sidecar beside it, written together or not at all."""

from __future__ import annotations

from pathlib import Path

from nasab.engine.output import AtomicGroup, sha256_file
from nasab.engine.strict_json import dumps_strict

MATCH_COLUMNS = [
    "remain_id",
    "family_id",
    "missing_id",
    "log10_lr",
    "lr",
    "n_markers",
    "n_inconsistent",
    "posterior",
    "prior",
    "kind",
]
# the evidence by marker system, with Y-STR / mtDNA databases (as nasab lr's "evidence")
LINEAGE_COLUMNS = ["log10_lr_autosomal", "log10_lr_Y", "log10_lr_mtDNA"]


def metadata_path(out: Path) -> Path:
    """The sidecar that states the model of a matches file: ``matches.tsv`` ->
    ``matches.tsv.model.json``."""
    out = Path(out)
    return out.with_name(out.name + ".model.json")


def matches_tsv(matches: dict[str, list]) -> str:
    """A table of columns as TSV text (floats by repr: exact round trip)."""
    cols = list(matches)
    lines = ["\t".join(cols)]
    for i in range(len(matches[cols[0]]) if cols else 0):
        vals = []
        for c in cols:
            v = matches[c][i]
            vals.append(repr(v) if isinstance(v, float) else str(v))
        lines.append("\t".join(vals))
    return "\n".join(lines) + "\n"


def _parquet(path: Path) -> bool:
    return Path(path).suffix.lower() in (".parquet", ".pq")


def matches_text(path: Path, matches: dict[str, list]) -> str | None:
    """The TSV text of the matches (None for a Parquet file, written from the columns)."""
    return None if _parquet(path) else matches_tsv(matches)


def write_matches(
    path: Path, matches: dict[str, list], meta: dict | None = None, *, text: str | None = None
) -> None:
    """TSV or Parquet (by suffix), with ``meta`` in the sidecar :func:`metadata_path`; both
    are replaced together or not at all (:class:`nasab.engine.output.AtomicGroup`), and the
    sidecar records the SHA-256 of the matches file it describes. ``text``: the TSV already
    formatted (:func:`matches_text`)."""
    path = Path(path)
    with AtomicGroup() as group:
        tmp = group.path(path)
        if _parquet(path):
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table(matches), tmp)
        else:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text if text is not None else matches_tsv(matches))
        if meta is not None:
            meta = {**meta, "matches_file": path.name, "matches_sha256": sha256_file(tmp)}
            group.text(metadata_path(path), dumps_strict(meta, indent=2) + "\n")
