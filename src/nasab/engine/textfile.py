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


# the characters _SPACE_IN_LINES matches, and the line boundaries of str.splitlines but "\n"
_SPACE_CHARS = tuple(chr(c) for c in range(0x3001) if _SPACE_IN_LINES.match(chr(c)))
_ASCII_SPACES = tuple(c for c in _SPACE_CHARS if c.isascii())
_OTHER_BOUNDS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def plain_lines(text: str) -> tuple[list[str], tuple[str, ...]] | None:
    """The lines of a text that :func:`tab_table` reads line for line as they are: every
    line ended by ``\n`` alone (or the last by the end), none blank, none a ``#`` comment,
    none starting with a tab or a space; and the whitespace characters other than tabs and
    newlines found in the text (the lines holding one are stripped cell by cell). None for
    any other text (:func:`tab_table` reads it line by line). A few scans of the whole text
    in C instead of a few tests a line."""
    if not text or any(c in text for c in _OTHER_BOUNDS):
        return None
    spaces = tuple(c for c in (_ASCII_SPACES if text.isascii() else _SPACE_CHARS) if c in text)
    first = text[0]
    if first in ("\n", "\t", "#") or first in spaces or "\n\n" in text or "\n#" in text:
        return None
    if "\n\t" in text or any("\n" + c in text for c in spaces):
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines, spaces


def body_spaces(text: str, lines: list[str], spaces: tuple[str, ...]) -> tuple[str, ...]:
    """Of the ``spaces`` of :func:`plain_lines`, those found after its first line (a header
    such as ``Penta D`` holds the only ones of many tables)."""
    start = len(lines[0]) + 1 if lines else 0
    return tuple(c for c in spaces if text.find(c, start) >= 0)


def _plain_table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """:func:`tab_table` of a text of :func:`plain_lines` whose every row has the header's
    number of columns; None for any other (read line by line, for its located error)."""
    got = plain_lines(text)
    if got is None:
        return None
    lines, spaces = got
    cells = [raw.split("\t") for raw in lines]
    if spaces:
        if _SPACE.search(lines[0]):
            cells[0] = [c.strip() for c in cells[0]]
        spaces = body_spaces(text, lines, spaces)
        for i in range(1, len(lines)) if spaces else ():
            if any(c in lines[i] for c in spaces):
                cells[i] = [c.strip() for c in cells[i]]
    if len(set(map(len, cells))) != 1:
        return None
    return cells[0], list(zip(range(2, len(cells) + 1), cells[1:], strict=True))


def tab_table(text: str, path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows of tab-separated text; every row must have the
    header's number of columns (a short last line is named as a likely truncation)."""
    plain = _plain_table(text)
    return plain if plain is not None else line_table(text, path)


def line_table(text: str, path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """:func:`tab_table` line by line (every text; the reference of its fast path)."""
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
