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
_SPACE_OR_BREAK = re.compile(r"[^\S\t\n\r]")  # the same in a whole text, but \n and \r


def tab_table(text: str, path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of tab-separated text; every row must have the
    header's number of columns (a short last line is named as a likely truncation)."""
    lines = text.splitlines()
    kept = [(n, raw) for n, raw in enumerate(lines, start=1) if raw.strip() and raw[0] != "#"]
    if not kept:
        raise InputError("the file is empty", file=str(path))
    header = _cells(kept[0][1])
    # whitespace other than tabs in a cell is rare: when none follows the header, the
    # lines are split without being searched for it
    after = text.find(kept[0][1]) + len(kept[0][1])
    if _SPACE_OR_BREAK.search(text, after) is None:
        rows = [(n, raw.split("\t")) for n, raw in kept[1:]]
    else:
        rows = [(n, _cells(raw)) for n, raw in kept[1:]]
    width = len(header)
    for lineno, cells in rows:
        if len(cells) != width:
            truncated = not text.endswith(("\n", "\r")) and lineno == len(lines)
            cut = " (the file looks truncated)" if truncated else ""
            raise InputError(
                f"expected {width} tab-separated columns as in the header, found {len(cells)}{cut}",
                file=str(path),
                line=lineno,
            )
    return header, rows


def _cells(raw: str) -> list[str]:
    """The cells of a line, each stripped of whitespace other than tabs."""
    cells = raw.split("\t")
    if _SPACE.search(raw):  # rare: strip each cell
        cells = [c.strip() for c in cells]
    return cells
