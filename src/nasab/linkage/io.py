"""Reading and writing report CSV files, with errors that name file, line and field."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nasab.linkage.normalise import stated_date, stated_sex, stated_year
from nasab.linkage.synth import REPORT_FIELDS

__all__ = ["CSV_FIELDS", "ReportFileError", "read_reports_csv", "write_reports_csv"]

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


class ReportFileError(ValueError):
    """A report file that cannot be used; the message says file, line and field."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field = path, line, field
        where = path + (f":{line}" if line else "")
        what = f"field {field!r}: " if field else ""
        super().__init__(f"{where}: {what}{message}")


def _check_row(row: dict[str, str], path: str, line: int) -> None:
    try:
        stated_year(row.get("birth_year"))
    except ValueError as e:
        raise ReportFileError(path, line, "birth_year", str(e)) from None
    d = (row.get("disappearance_date") or "").strip()
    try:
        stated_date(d)
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


def read_reports_csv(path: str | Path) -> list[dict[str, Any]]:
    """Read reports from a CSV file with a header row (``report_id`` required).

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
            header = reader.fieldnames or []
            if "report_id" not in header:
                raise ReportFileError(p, 1, "report_id", "the header row has no report_id column")
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
