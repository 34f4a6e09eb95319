"""Reading and writing report CSV files, with errors that name file, line and field."""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nasab.linkage.dates import dates_agree, stated_date, stated_year
from nasab.linkage.normalise import stated_sex
from nasab.linkage.synth import REPORT_FIELDS

__all__ = [
    "CSV_FIELDS",
    "NAME_COLUMNS",
    "ReportFileError",
    "read_reports_csv",
    "unread_columns",
    "write_reports_csv",
]

#: Columns written by :func:`write_reports_csv` (in this order; unknown extra keys follow).
CSV_FIELDS = (
    *REPORT_FIELDS,
    "full_name",
    "alternate_names",
    "description",
    "home_city",
    "home_country",
    "author_name",
    "source_name",
    "source_date",
    "source_url",
    "notes",
)


#: the columns that hold a name: a file with none of them names no one
NAME_COLUMNS = ("given_name", "father_name", "grandfather_name", "family_name", "full_name")


def unread_columns(columns) -> list[str]:
    """The columns of a report file that no part of nasab reads (kept with each report)."""
    return sorted(c for c in columns if c and c not in CSV_FIELDS)


class ReportFileError(ValueError):
    """A report file that cannot be used; the message says file, line and field."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field = path, line, field
        where = path + (f":{line}" if line else "")
        what = f"field {field!r}: " if field else ""
        super().__init__(f"{where}: {what}{message}")


def _check_row(row: dict[str, str], path: str, line: int) -> None:
    try:
        year = stated_year(row.get("birth_year"))
    except ValueError as e:
        raise ReportFileError(path, line, "birth_year", str(e)) from None
    d = (row.get("disappearance_date") or "").strip()
    try:
        dates_agree(year, stated_date(d))
    except ValueError as e:
        raise ReportFileError(path, line, "disappearance_date", str(e)) from None
    sex = (row.get("sex") or "").strip()
    if stated_sex(sex) is None:
        raise ReportFileError(
            path, line, "sex", f"{sex!r} must be M, F or X (or male, female, ذكر, أنثى)"
        )
    notes = (row.get("notes") or "").strip()
    if notes:
        try:
            value = json.loads(notes)
        except json.JSONDecodeError as e:
            raise ReportFileError(path, line, "notes", f"not valid JSON ({e.msg})") from None
        if not isinstance(value, list) or not all(isinstance(n, dict) for n in value):
            raise ReportFileError(path, line, "notes", "must be a JSON list of objects")


def _column(header: str) -> str:
    """A header as the reader knows it, case and spacing aside: "Given Name" and
    "given-name" are ``given_name``."""
    return re.sub(r"[\s\-]+", "_", header.strip()).lower()


def _columns(header: list[str], path: str) -> list[str]:
    """The header's columns as the reader knows them; refuses a header with no
    ``report_id`` or no name column, one column twice, or a misspelt column (a
    "birthyear" left unread would silently lose every birth year)."""
    cols = [_column(h) for h in header]
    first: dict[str, str] = {}
    for h, c in zip(header, cols, strict=True):
        if c and c in first:
            raise ReportFileError(path, 1, h, f"the same column as {first[c]!r}")
        first[c] = h
    if "report_id" not in cols:
        sep = next((c for c in (";", "\t", "|") if len(header) == 1 and c in header[0]), None)
        hint = f" (its columns are separated by {sep!r}: nasab reads comma-separated CSV)"
        raise ReportFileError(
            path, 1, "report_id", "the header row has no report_id column" + (hint if sep else "")
        )
    for h, c in zip(header, cols, strict=True):
        near = difflib.get_close_matches(c, CSV_FIELDS, n=1, cutoff=0.8) if c else []
        if c not in CSV_FIELDS and near:
            raise ReportFileError(
                path, 1, h, f"is no column nasab reads: did you mean {near[0]!r}?"
            )
    if not set(cols) & set(NAME_COLUMNS):
        raise ReportFileError(
            path,
            1,
            None,
            "the header row has no name column: give "
            + ", ".join(NAME_COLUMNS[:-1])
            + f" or {NAME_COLUMNS[-1]} (a free-text name)",
        )
    return cols


def read_reports_csv(path: str | Path) -> list[dict[str, Any]]:
    """Read reports from a CSV file with a header row (``report_id`` and a name column
    required; headers read case and spacing aside, see :func:`_columns`).

    Checks each row (unique ``report_id``, year, date, sex, notes JSON) and raises
    :class:`ReportFileError` at the first problem.  ``notes`` is decoded from JSON.
    """
    p = str(path)
    try:
        f = open(p, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as e:
        raise ReportFileError(p, None, None, f"cannot open: {e.strerror}") from None
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    with f:
        try:
            reader = csv.DictReader(f)
            header = _columns(list(reader.fieldnames or []), p)
            reader.fieldnames = header
            for row in reader:
                line = reader.line_num
                if None in row:
                    raise ReportFileError(
                        p,
                        line,
                        None,
                        f"{len(header) + len(row[None])} values for {len(header)} columns",
                    )
                rid = (row.get("report_id") or "").strip()
                if not rid:
                    raise ReportFileError(p, line, "report_id", "is empty")
                if rid in seen:
                    raise ReportFileError(
                        p, line, "report_id", f"{rid!r} already used on line {seen[rid]}"
                    )
                seen[rid] = line
                _check_row(row, p, line)
                rec: dict[str, Any] = {k: (v or "").strip() for k, v in row.items()}
                rec["notes"] = json.loads(rec["notes"]) if rec.get("notes") else []
                out.append(rec)
        except UnicodeDecodeError as e:
            raise ReportFileError(p, None, None, f"not UTF-8 text ({e.reason})") from None
        except csv.Error as e:
            raise ReportFileError(p, None, None, f"not a valid CSV file ({e})") from None
    return out


def write_reports_csv(reports: Iterable[dict[str, Any]], path: str | Path) -> None:
    """Write reports to CSV (columns :data:`CSV_FIELDS`, then any other keys)."""
    reports = list(reports)
    extra = sorted({k for r in reports for k in r} - set(CSV_FIELDS))
    fields = [*CSV_FIELDS, *extra]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in reports:
            row = {}
            for k in fields:
                v = r.get(k)
                if k == "notes":
                    row[k] = json.dumps(v, ensure_ascii=False) if v else ""
                else:
                    row[k] = "" if v is None else v
            w.writerow(row)
