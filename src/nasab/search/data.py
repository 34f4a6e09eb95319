"""Reading the families and remains tables of a blind search (TSV or Parquet).

Families table: ``family_id id fid mid sex missing`` then one genotype column per marker
(``a/b``; ``-/-`` untyped). Remains table: ``remain_id`` [``site``] [``sex``] [``dropout``]
[``dropin``] then marker columns. (``family`` and ``id`` are accepted for the first column
of each, as written by earlier versions.)
Lineage columns (Y-STR loci, one ``mtDNA`` column; docs/lineage.md) may follow in either
table, as in ``nasab lr``'s tables: they fill ``Family.ystr`` / ``Family.mtdna`` and
``Profile.ystr`` / ``Profile.mtdna`` and are not autosomal markers.
Each problem is an :class:`InputError` naming the file, the line (TSV line number, or the
row number + 1 for Parquet, the header being line 1) and the family or remain id. The
remains' ``dropout`` and ``dropin`` are the sample's own probabilities, in [0, 1) (an empty
cell: the default given to :func:`read_remains`); they set ``Profile.drop``. With
``on_error="skip"`` the family (or remain) is left out and the problem is kept in
``problems``; with ``"stop"`` the first problem is raised.
"""

from __future__ import annotations

import itertools
import math
import operator
from dataclasses import dataclass, field
from pathlib import Path

from nasab.engine.collector import loading
from nasab.engine.errors import InputError, NasabError
from nasab.engine.frequencies import marker_key
from nasab.engine.genotypes import Family, Genotype, Profile, parse_genotype, parse_sex
from nasab.engine.observation import DropModel
from nasab.engine.pedigree import Pedigree, Person
from nasab.engine.textfile import body_spaces, plain_lines, tab_table
from nasab.engine.ystr import is_ystr_locus
from nasab.formats.io import (
    is_mtdna_column,
    lineage_cells,
    lineage_columns,
    read_table,
    read_text,
)

FAMILY_COLUMNS = ["family_id", "id", "fid", "mid", "sex", "missing"]
FAMILY_ID_NAMES = ("family_id", "family")
REMAIN_ID_NAMES = ("remain_id", "id")
REMAIN_OPTIONAL = ("site", "sex", "dropout", "dropin")  # in any order after the id


@dataclass
class Problem:
    file: str
    line: int | None
    ident: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        return f"{where} [{self.ident}]: {self.message}"


@dataclass
class FamilyData:
    family: Family
    missing: list[str]
    line: int


@dataclass
class Remains:
    ids: list[str]
    sites: list[str]
    profiles: list[Profile]
    lines: list[int]
    ystr_loci: list[str] = field(default_factory=list)  # Y-STR columns (docs/lineage.md)
    mtdna: bool = False  # an mtDNA column

    @property
    def has_lineage(self) -> bool:
        return any(p.ystr or p.mtdna is not None for p in self.profiles)


@dataclass
class Loaded:
    markers: list[str]
    families: list[FamilyData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ystr_loci: list[str] = field(default_factory=list)  # Y-STR columns (docs/lineage.md)
    mtdna: bool = False  # an mtDNA column

    @property
    def has_lineage(self) -> bool:
        return any(fd.family.ystr or fd.family.mtdna for fd in self.families)


@dataclass(frozen=True)
class _LineageCols:
    """The lineage columns of a table: the header, the Y-STR columns, the mtDNA column."""

    header: list[str]
    ystr: list[str]
    mt: str | None

    @property
    def skip(self) -> set[str]:
        return set(self.ystr) | ({self.mt} if self.mt else set())

    def read(self, cells, sex: int, pid: str, src: str, line: int) -> tuple[dict, object]:
        if not self.ystr and self.mt is None:
            return {}, None
        return lineage_cells(cells, self.header, self.ystr, self.mt, sex, pid, src, line)


def _lineage_cols(header: list[str], first: int, src: str) -> _LineageCols:
    _, ystr, mt = lineage_columns([h for h in header[first:] if h], src)
    return _LineageCols(list(header), ystr, mt)


def read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) rows of a TSV or Parquet table."""
    path = Path(path)
    src = str(path)
    if not path.exists():
        raise InputError("no such file", file=src)
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq

            tbl = pq.read_table(path)
        except Exception as e:  # pyarrow raises many kinds for broken files
            raise InputError(
                f"cannot read Parquet (truncated or not Parquet?): {e}", file=src
            ) from None
        header = list(tbl.column_names)
        cols = [_strings(tbl.column(h)) for h in header]
        # rows as tuples, built in C by zip: a million rows x 30 columns in seconds
        return header, list(zip(range(2, tbl.num_rows + 2), zip(*cols, strict=True), strict=True))
    return read_table(path)  # tab-separated text: the engine's reader (located errors)


def _family_rows(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """:func:`read_rows` of a families table, but for a row untyped at every marker (``-/-``
    in each cell after the sixth: most rows of a national table) in a plain TSV
    (:func:`nasab.engine.textfile.plain_lines`) without lineage columns: its first six
    cells and the untyped rest as one seventh cell, instead of one cell a marker (read as
    the same untyped person by :func:`_family`)."""
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq") or not path.exists():
        return read_rows(path)
    text = read_text(path)
    got = plain_lines(text)
    if got is None:
        return tab_table(text, path)
    lines, spaces = got
    header = tab_table(lines[0], path)[0]
    spaces = body_spaces(text, lines, spaces)
    n = len(header)
    if n <= 7 or _has_lineage(header[6:]):
        return tab_table(text, path)
    rest = "\t".join(["-/-"] * (n - 6))
    suffix = "\t" + rest
    rows: list[tuple[int, list[str]]] = []
    append = rows.append
    for lineno, raw in enumerate(itertools.islice(lines, 1, None), 2):
        if spaces and any(c in raw for c in spaces):  # rare: its cells stripped
            cells = [c.strip() for c in raw.split("\t")]
            if len(cells) != n:
                return tab_table(text, path)
            append((lineno, cells))
            continue
        if raw.endswith(suffix):
            cells = raw.split("\t", 6)
            if len(cells) == 7 and cells[6] == rest:
                cells[6] = rest  # one string for every such row
                append((lineno, cells))
                continue
        cells = raw.split("\t")
        if len(cells) != n:
            return tab_table(text, path)  # its located error
        append((lineno, cells))
    return header, rows


def _has_lineage(columns: list[str]) -> bool:
    return any(is_ystr_locus(h) or is_mtdna_column(h) for h in columns)


def _strings(column) -> list[str]:
    """A Parquet column as Python strings ("" for nulls), cast by Arrow, not in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, "").to_pylist()


class _GenotypeColumns:
    """The marker columns of a table, read row by row. A table holds millions of cells but
    a few thousand distinct ones: each distinct cell is parsed once (an error names its
    line and column) and a row's cells are looked up together."""

    def __init__(self, src: str, cols: list[tuple[int, str]]):
        self.src = src
        self.cols = cols
        self.keys = [marker_key(m) for _, m in cols]
        self.cache: dict[str, Genotype] = {}
        self.absent: list[Genotype] = []  # the distinct cached genotypes that are untyped
        where = [j for j, _ in cols]
        if len(where) > 1:
            self._pick = operator.itemgetter(*where)
        else:  # itemgetter of one index gives the cell, not a tuple
            self._pick = lambda cells: tuple(cells[j] for j in where)

    def row(self, cells, lineno: int) -> dict[str, Genotype]:
        """The typed markers of one row: marker key -> genotype."""
        texts = self._pick(cells)
        gts = list(map(self.cache.get, texts))
        if None in gts:  # cells not seen before, parsed in column order
            for n, text in enumerate(texts):
                if gts[n] is None:
                    gts[n] = self._parse(text, lineno, self.cols[n][1])
        for g in self.absent:
            if g in gts:  # some marker untyped: those left out
                return {k: g for k, g in zip(self.keys, gts, strict=True) if g[0] is not None}
        return dict(zip(self.keys, gts, strict=True))  # typed at every marker (most rows)

    def _parse(self, text: str, line: int, field_name: str) -> Genotype:
        g = self.cache[text] = parse_genotype(text, file=self.src, line=line, field_name=field_name)
        if g[0] is None and g not in self.absent:
            self.absent.append(g)
        return g


def _check_markers(
    header: list[str],
    first: int,
    src: str,
    known: set[str] | None,
    on_error: str,
    problems: list[Problem],
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[tuple[int, str]]:
    cols = []
    seen: set[str] = set()
    for j, m in enumerate(header[first:], start=first):
        if not m:
            raise InputError("empty column name in the header", file=src, line=1)
        if m in skip:  # a lineage column (Y-STR locus, mtDNA)
            continue
        k = marker_key(m)
        if k in seen:
            raise InputError(f"marker {m} appears twice in the header", file=src, line=1)
        seen.add(k)
        if known is not None and k not in known:
            err = InputError(
                f"unknown marker {m}: not in the frequency table (check the "
                "spelling; --ignore-unknown-markers to leave the column out)",
                file=src,
                line=1,
                field=m,
            )
            if on_error == "stop":
                raise err
            problems.append(Problem(src, 1, m, "unknown marker, column ignored"))
            continue
        cols.append((j, m))
    return cols


@loading()  # millions of cells read, no garbage cycles: no collections (engine.collector)
def read_families(
    path: str | Path,
    known_markers: set[str] | None = None,
    on_error: str = "stop",
    ignore_unknown: bool = False,
) -> Loaded:
    src = str(path)
    header, rows = _family_rows(path)
    low = [h.strip().lower() for h in header[:6]]
    if low[:1] and low[0] in FAMILY_ID_NAMES:
        low[0] = FAMILY_COLUMNS[0]
    if low != FAMILY_COLUMNS:
        raise InputError(
            f"the header must start with {' '.join(FAMILY_COLUMNS)}; found {' '.join(header[:6])}",
            file=src,
            line=1,
        )
    out = Loaded([])
    lin = _lineage_cols(header, 6, src)
    cols = _check_markers(
        header,
        6,
        src,
        known_markers,
        "skip" if ignore_unknown else on_error,
        out.problems,
        lin.skip,
    )
    out.markers = [m for _, m in cols]
    out.ystr_loci, out.mtdna = lin.ystr, lin.mt is not None
    table = _FamilyTable(src, _GenotypeColumns(src, cols), out.markers, lin, len(header))
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for lineno, cells in rows:
        if not cells[0]:
            raise InputError("empty family id", file=src, line=lineno, field="family_id")
        groups.setdefault(cells[0], []).append((lineno, cells))
    for name, members in groups.items():
        try:
            out.families.append(_family(name, members, table))
        except NasabError as e:
            line = getattr(e, "line", None) or members[0][0]
            msg = getattr(e, "message", str(e))
            if on_error == "stop":
                raise InputError(f"family {name}: {msg}", file=src, line=line) from None
            out.problems.append(Problem(src, line, name, msg))
    return out


@dataclass
class _FamilyTable:
    """What every family of a families table is read with."""

    src: str
    genotypes: _GenotypeColumns
    markers: list[str]
    lin: _LineageCols
    width: int

    def __post_init__(self) -> None:
        # most members are untyped: one tuple comparison in C instead of a loop
        self.untyped = ("-/-",) * (self.width - 6)
        self.has_lineage = bool(self.lin.ystr) or self.lin.mt is not None


_SEXES = {"0": 0, "1": 1, "2": 2}
_NO_PARENT = ("0", "")


def _person(cells, lineno: int, src: str) -> Person:
    """The pedigree columns of one row, checked."""
    pid, fid, mid, sex, miss = cells[1:6]
    if pid and sex in _SEXES and miss in ("0", "1"):  # most rows: no check fails
        return Person(
            pid,
            None if fid in _NO_PARENT else fid,
            None if mid in _NO_PARENT else mid,
            _SEXES[sex],
            lineno,
        )
    if not pid:
        raise InputError("empty id", file=src, line=lineno, field="id")
    if sex not in ("0", "1", "2"):
        raise InputError(
            f"sex of {pid!r} must be 1, 2 or 0, not {sex!r}", file=src, line=lineno, field="sex"
        )
    if miss not in ("0", "1"):
        raise InputError(
            f"missing flag of {pid!r} must be 0 or 1, not {miss!r}",
            file=src,
            line=lineno,
            field="missing",
        )
    return Person(
        pid,
        None if fid in ("0", "") else fid,
        None if mid in ("0", "") else mid,
        int(sex),
        lineno,
    )


def _family(name: str, members: list[tuple[int, list[str]]], table: _FamilyTable) -> FamilyData:
    src, lin = table.src, table.lin
    persons = []
    genos: dict[str, dict[str, Genotype]] = {}
    haps: dict[str, dict] = {}
    mts: dict[str, object] = {}
    missing: list[str] = []
    width, untyped, has_lineage = table.width, table.untyped, table.has_lineage
    for lineno, cells in members:
        person = _person(cells, lineno, src)
        persons.append(person)
        pid = person.id
        # untyped: a row of _family_rows shorter than the header, or "-/-" in every cell
        if len(cells) < width or tuple(cells[6:]) == untyped:
            g = {}
        else:
            g = table.genotypes.row(cells, lineno)
        hap, mt = lin.read(cells, person.sex, pid, src, lineno) if has_lineage else ({}, None)
        if cells[5] == "1":
            if g or hap or mt is not None:
                raise InputError(
                    f"missing person {pid!r} is typed; a missing person must be "
                    "untyped in the reference family",
                    file=src,
                    line=lineno,
                )
            missing.append(pid)
            continue
        if g:
            genos[pid] = g
        if hap:
            haps[pid] = hap
        if mt is not None:
            mts[pid] = mt
    if not missing:
        raise InputError(
            "no missing person (missing = 1) in the family", file=src, line=members[0][0]
        )
    ped = Pedigree(tuple(persons), source=src)
    return FamilyData(
        Family(ped, table.markers, genos, name, ystr=haps, mtdna=mts), missing, members[0][0]
    )


def _optional_columns(header: list[str]) -> tuple[dict[str, int], int]:
    """Positions of the optional columns right after the remain id, and the first marker
    column."""
    found: dict[str, int] = {}
    first = 1
    while len(header) > first:
        name = header[first].strip().lower()
        if name not in REMAIN_OPTIONAL or name in found:
            break
        found[name] = first
        first += 1
    return found, first


def _probability(cell: str, column: str, rid: str, src: str, line: int) -> float | None:
    """A dropout or drop-in probability cell: empty means the search's default."""
    text = cell.strip()
    if text == "":
        return None
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not 0.0 <= v < 1.0:  # NaN fails too
        raise InputError(
            f"remain {rid!r}: {column} must be a probability in [0, 1), not {text!r}",
            file=src,
            line=line,
            field=column,
        )
    return v


def _drop_model(
    cells: list[str], cols: dict[str, int], rid: str, src: str, line: int, default: DropModel | None
) -> DropModel | None:
    """The remain's observation model: its own columns, else the default."""
    base = default or DropModel()
    d = c = None
    if "dropout" in cols:
        d = _probability(cells[cols["dropout"]], "dropout", rid, src, line)
    if "dropin" in cols:
        c = _probability(cells[cols["dropin"]], "dropin", rid, src, line)
    if d is None and c is None:
        return default
    return DropModel(
        base.dropout if d is None else d, base.dropout_hom, base.dropin if c is None else c
    )


@loading()  # as read_families
def read_remains(
    path: str | Path,
    known_markers: set[str] | None = None,
    on_error: str = "stop",
    default_drop: DropModel | None = None,
    ignore_unknown: bool = False,
) -> tuple[Remains, list[str], list[Problem]]:
    """The remains table; each profile's ``drop`` is its observation model (its ``dropout``
    / ``dropin`` cells, else ``default_drop``; None for neither)."""
    src = str(path)
    header, rows = read_rows(path)
    if not header or header[0].strip().lower() not in REMAIN_ID_NAMES:
        raise InputError(
            f"the header must start with 'remain_id', found {header[:1]}", file=src, line=1
        )
    optional, first = _optional_columns(header)
    site_col, sex_col = optional.get("site"), optional.get("sex")
    problems: list[Problem] = []
    lin = _lineage_cols(header, first, src)
    cols = _check_markers(
        header,
        first,
        src,
        known_markers,
        "skip" if ignore_unknown else on_error,
        problems,
        lin.skip,
    )
    genotypes = _GenotypeColumns(src, cols)
    rem = Remains([], [], [], [], lin.ystr, lin.mt is not None)
    seen: dict[str, int] = {}
    markers = [m for _, m in cols]
    for lineno, cells in rows:
        rid = cells[0]
        try:
            if not rid:
                raise InputError("empty remain id", file=src, line=lineno, field="remain_id")
            if rid in seen:
                raise InputError(
                    f"duplicated remain id {rid!r} (first on line {seen[rid]})",
                    file=src,
                    line=lineno,
                    field="remain_id",
                )
            g = genotypes.row(cells, lineno)
            sex = 0 if sex_col is None else parse_sex(cells[sex_col], file=src, line=lineno)
            drop = _drop_model(cells, optional, rid, src, lineno, default_drop)
            hap, mt = lin.read(cells, sex, rid, src, lineno)
        except InputError as e:
            if on_error == "stop":
                raise
            problems.append(Problem(src, lineno, rid, e.message))
            continue
        seen[rid] = lineno
        rem.ids.append(rid)
        rem.sites.append(cells[site_col] if site_col is not None else "")
        rem.profiles.append(Profile(rid, g, sex, markers, drop=drop, ystr=hap, mtdna=mt))
        rem.lines.append(lineno)
    if not rem.ids:
        raise InputError("no remains in the file", file=src)
    return rem, markers, problems
