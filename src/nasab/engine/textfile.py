"""Reading the text files every reader starts from: UTF-8 (a BOM allowed), errors naming the
file, and tab-separated tables with a header (``#`` lines and blank lines skipped)."""

from __future__ import annotations

import re
from pathlib import Path

from nasab.engine.errors import InputError


def read_utf8(path: str | Path) -> tuple[str, bytes]:
    """The file's text and its bytes (for a SHA-256), or one clear error."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"not UTF-8 text (byte {e.start}); save the file as UTF-8", file=str(path)
        ) from None
    return text, data


_SPACE = re.compile(r"[^\S\t]")  # what str.strip() would remove, tabs aside
# the same characters less the line boundaries of str.splitlines (never inside a line): none
# of them in the whole text, none in any line (one search instead of one a line)
_SPACE_IN_LINES = re.compile(r"[^\S\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def tab_table(text: str, path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of tab-separated text; every row must have the
    header's number of columns (a short last line is named as a likely truncation)."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    lines = text.splitlines()
    truncated = bool(text) and not text.endswith(("\n", "\r"))
    spaces = _SPACE_IN_LINES.search(text) is not None
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if spaces and _SPACE.search(raw):  # whitespace other than the tabs (rare): strip
            cells = [c.strip() for c in cells]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            cut = " (the file looks truncated)" if truncated and lineno == len(lines) else ""
            raise InputError(
                f"expected {len(header)} tab-separated columns as in the header, found "
                f"{len(cells)}{cut}",
                file=str(path),
                line=lineno,
            )
        rows.append((lineno, cells))
    if header is None:
        raise InputError("the file is empty", file=str(path))
    return header, rows
