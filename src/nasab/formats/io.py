"""Reading pedigree and profile tables, and case folders in the oracle format.

``ped`` files are tab-separated with a header ``id fid mid sex`` then one column per
marker holding genotypes ``a/b`` (``-/-`` untyped). A person-of-interest (POI) or remains
table has the header ``id`` (optionally ``sex``) then the same marker columns.
Lineage markers sit in the same tables (docs/lineage.md): Y-STR columns are recognised by
the locus name (``DYS...``, ``DYF...``, ``Y_GATA_H4``) or a ``Y:`` prefix and hold
``14``, ``14.2``, ``null`` or an unordered set ``11,14``; one ``mtDNA`` column holds
``RANGES: VARIANTS`` (``16024-16365;73-340: 16093Y 73G 315.1C``).
Every problem is reported with the file, line and column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, marker_key, read_frequencies
from nasab.engine.genotypes import Family, Genotype, Profile, is_typed, parse_genotype, parse_sex
from nasab.engine.mutation import MutationSpec
from nasab.engine.output import write_bytes_atomic, write_text_atomic  # noqa: F401 (re-exported)
from nasab.engine.pedigree import FEMALE, Pedigree, Person
from nasab.engine.textfile import read_utf8, tab_table
from nasab.engine.ystr import (
    check_copy_columns,
    check_loci,
    is_ystr_locus,
    merge_copies,
    parse_ystr,
    ystr_key,
)
from nasab.formats.case_dropout import apply_case_dropout


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of a tab-separated UTF-8 file."""
    return tab_table(read_text(path), path)


def read_text(path: str | Path) -> str:
    """The text of a tab-separated UTF-8 file (binary content refused)."""
    text, _ = read_utf8(path)
    if "\x00" in text:
        raise InputError(
            "binary content (NUL bytes): not a tab-separated text file", file=str(path)
        )
    return text


def _marker_columns(header: list[str], first: int, path: str) -> list[str]:
    markers = header[first:]
    seen: dict[str, str] = {}
    for m in markers:
        if not m:
            raise InputError("empty marker name in the header", file=path, line=1)
        if marker_key(m) in seen:
            raise InputError(f"marker {m} appears twice in the header", file=path, line=1)
        seen[marker_key(m)] = m
    return markers


MTDNA_COLUMNS = ("MTDNA", "MT")


def is_mtdna_column(name: str) -> bool:
    return marker_key(name) in MTDNA_COLUMNS


def lineage_columns(markers: list[str], path: str) -> tuple[list[str], list[str], str | None]:
    """Split marker columns into (autosomal, Y-STR, the mtDNA column or None)."""
    ystr = [m for m in markers if is_ystr_locus(m)]
    mt = [m for m in markers if is_mtdna_column(m)]
    if len(mt) > 1:
        raise InputError("more than one mtDNA column in the header", file=path, line=1)
    check_loci(ystr, file=path)
    check_copy_columns(ystr, file=path)
    keys = [ystr_key(m) for m in ystr]
    if len(set(keys)) < len(keys):
        raise InputError("a Y-STR locus appears twice in the header", file=path, line=1)
    auto = [m for m in markers if m not in ystr and m not in mt]
    return auto, ystr, (mt[0] if mt else None)


def _genotypes(
    cells: list[str], markers: list[str], first: int, path: str, lineno: int
) -> dict[str, Genotype]:
    out: dict[str, Genotype] = {}
    for m, cell in zip(markers, cells[first:], strict=True):
        if is_ystr_locus(m) or is_mtdna_column(m):
            continue
        g = parse_genotype(cell, file=path, line=lineno, field_name=m)
        if is_typed(g):
            out[marker_key(m)] = g
    return out


def lineage_cells(
    cells: list[str],
    header: list[str],
    ystr: list[str],
    mt: str | None,
    sex: int,
    pid: str,
    path: str,
    lineno: int,
) -> tuple[dict, object]:
    hap = {}
    for m in ystr:
        st = parse_ystr(cells[header.index(m)], file=path, line=lineno, field_name=m)
        if st is not None:
            hap[ystr_key(m)] = st
    if hap and sex == FEMALE:
        raise InputError(
            f"{pid!r} is recorded as female but has a Y-STR haplotype",
            file=path,
            line=lineno,
            field=next(iter(m for m in ystr if ystr_key(m) in hap)),
        )
    hap = merge_copies(hap, file=path, line=lineno)  # DYS385a/b -> the set DYS385
    prof = None
    if mt is not None:
        from nasab.engine.mtdna import parse_mtdna  # only for an mtDNA column

        prof = parse_mtdna(cells[header.index(mt)], file=path, line=lineno, field_name=mt)
    return hap, prof


def read_ped(path: str | Path, name: str = "") -> Family:
    """Read a family from a ``ped`` file."""
    path = Path(path)
    src = str(path)
    header, rows = read_table(path)
    want = ["id", "fid", "mid", "sex"]
    if [h.lower() for h in header[:4]] != want:
        raise InputError(
            f"the header must start with id, fid, mid, sex; found {header[:4]}", file=src, line=1
        )
    columns = _marker_columns(header, 4, src)
    markers, ystr, mt = lineage_columns(columns, src)
    if not rows:
        raise InputError("no individuals in the pedigree file", file=src)
    persons = []
    genos: dict[str, dict[str, Genotype]] = {}
    haps: dict[str, dict] = {}
    mts: dict[str, object] = {}
    for lineno, cells in rows:
        pid, fid, mid, sex = cells[:4]
        if not pid:
            raise InputError("empty id", file=src, line=lineno, field="id")
        try:
            sexv = int(sex)
        except ValueError:
            raise InputError(
                f"sex must be 1 (male), 2 (female) or 0, not {sex!r}",
                file=src,
                line=lineno,
                field="sex",
            ) from None
        persons.append(
            Person(
                pid,
                None if fid in ("0", "") else fid,
                None if mid in ("0", "") else mid,
                sexv,
                lineno,
            )
        )
        g = _genotypes(cells, columns, 4, src, lineno)
        if g:
            genos[pid] = g
        hap, prof = lineage_cells(cells, header, ystr, mt, sexv, pid, src, lineno)
        if hap:
            haps[pid] = hap
        if prof is not None:
            mts[pid] = prof
    ped = Pedigree(tuple(persons), source=src)
    return Family(ped, markers, genos, name or path.stem, ystr=haps, mtdna=mts)


def read_profiles(path: str | Path) -> list[Profile]:
    """Read a POI / remains table: ``id`` (or ``remain_id``) [``site``] [``sex``] then marker
    columns (so the remains table of ``nasab search`` reads as it is)."""
    path = Path(path)
    src = str(path)
    header, rows = read_table(path)
    if not header or header[0].strip().lower() not in ("id", "remain_id"):
        raise InputError(
            f"the header must start with 'id' or 'remain_id', found {header[:1]}", file=src, line=1
        )
    first = 1
    if len(header) > first and header[first].strip().lower() == "site":
        first += 1
    sex_col = first if len(header) > first and header[first].strip().lower() == "sex" else None
    if sex_col is not None:
        first += 1
    columns = _marker_columns(header, first, src)
    markers, ystr, mt = lineage_columns(columns, src)
    out = []
    seen: dict[str, int] = {}
    for lineno, cells in rows:
        pid = cells[0]
        if not pid:
            raise InputError("empty id", file=src, line=lineno, field="id")
        if pid in seen:
            raise InputError(
                f"duplicate id {pid!r} (first on line {seen[pid]})",
                file=src,
                line=lineno,
                field="id",
            )
        seen[pid] = lineno
        sex = 0 if sex_col is None else parse_sex(cells[sex_col], file=src, line=lineno)
        prof = Profile(pid, _genotypes(cells, columns, first, src, lineno), sex, markers)
        prof.ystr, prof.mtdna = lineage_cells(cells, header, ystr, mt, sex, pid, src, lineno)
        out.append(prof)
    if not out:
        raise InputError("no profiles in the file", file=src)
    return out


@dataclass
class Case:
    """A case folder: reference family, POI, frequencies, mutation models, expectations."""

    family: Family
    missing: str
    poi: Profile
    table: FrequencyTable
    mutations: dict[str, MutationSpec]
    markers: list[str]
    theta: float = 0.0
    expected: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


def read_json(path: Path) -> dict:
    """A JSON settings file, with errors naming the file and line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=str(path)) from None
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text (byte {e.start})", file=str(path)) from None
    except json.JSONDecodeError as e:
        raise InputError(f"invalid JSON: {e.msg}", file=str(path), line=e.lineno) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object", file=str(path))
    return data


def read_case(folder: str | Path) -> Case:
    """A case folder; ``case.json`` is checked field by field
    (:mod:`nasab.formats.json_fields`): each marker needs its mutation model."""
    from nasab.formats.json_fields import check_case_meta, mutation_models

    folder = Path(folder)
    cj = folder / "case.json"
    if not folder.is_dir():
        raise InputError("not a case folder", file=str(folder))
    meta = read_json(cj)
    check_case_meta(meta, str(cj))
    family = read_ped(folder / "pedigree.ped")
    missing = meta.get("missing", "MP")
    if missing not in family.pedigree:  # the case file's value (an export would drop it)
        where = {"file": str(cj), "field": "missing"} if "missing" in meta else {}
        raise InputError(f"missing person {missing!r} is not in {folder / 'pedigree.ped'}", **where)
    pois = read_profiles(folder / "poi.tsv")
    poi_id = meta.get("poi_id", pois[0].id)
    poi = next((p for p in pois if p.id == poi_id), None)
    if poi is None:
        raise InputError(
            f"POI {poi_id!r} not found in {folder / 'poi.tsv'}", file=str(cj), field="poi_id"
        )
    poi.sex = int(meta.get("poi_sex", poi.sex))
    table = read_frequencies(folder / "freqs.txt")
    markers = meta.get("marker_order") or family.markers
    mutations = mutation_models(meta, markers, str(cj))
    theta = float(meta.get("theta", 0.0))
    apply_case_dropout(meta, poi, family, markers, str(cj))
    return Case(
        family,
        missing,
        poi,
        table,
        mutations,
        markers,
        theta,
        meta.get("expected", {}),
        meta,
    )
