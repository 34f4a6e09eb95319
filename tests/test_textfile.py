"""The tab-separated reader splits lines without searching each one for stray whitespace
when none follows the header: the same header, rows and errors as the line-by-line reading
(cells stripped of whitespace other than tabs; comments and blank lines skipped; a row of
another width named by its line, a short last line as a likely truncation)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nasab.engine.errors import InputError
from nasab.engine.textfile import tab_table

_SPACE = re.compile(r"[^\S\t]")


def _line_by_line(text: str, path: str):
    """Each line searched and split on its own: what tab_table must give."""
    header, rows = None, []
    lines = text.splitlines()
    truncated = bool(text) and not text.endswith(("\n", "\r"))
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if _SPACE.search(raw):
            cells = [c.strip() for c in cells]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            cut = " (the file looks truncated)" if truncated and lineno == len(lines) else ""
            raise InputError(
                f"expected {len(header)} tab-separated columns as in the header, found "
                f"{len(cells)}{cut}",
                file=path,
                line=lineno,
            )
        rows.append((lineno, cells))
    if header is None:
        raise InputError("the file is empty", file=path)
    return header, rows


CELL = st.text(alphabet="ab1/-. \u00a0\x0b\x0c\x1c\x85\u2028", max_size=5)
LINE = st.one_of(
    st.lists(CELL, min_size=1, max_size=4).map("\t".join),
    st.sampled_from(["", "  ", "\t", "# a\tcomment", "#"]),
)
BREAK = st.sampled_from(["\n", "\r\n", "\r"])


def _outcome(f, text):
    try:
        return f(text, "t.tsv")
    except InputError as e:
        return ("error", str(e))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(LINE, BREAK), max_size=8), st.booleans())
def test_tab_table_equals_the_line_by_line_reading(lines, last_break):
    text = "".join(line + br for line, br in lines)
    if not last_break and lines:
        text = text[: -len(lines[-1][1])]
    assert _outcome(tab_table, text) == _outcome(_line_by_line, text)


@pytest.mark.parametrize(
    "text",
    [
        "id\tPenta D\nA\t1/2\nB\t 3/4 \n",  # a space in a cell, stripped
        "id\tPenta D\nA\t1/2\nB\t3/4\n",  # spaces in the header only
        "# x y\nid\tM\n\nA\t1/2\n",  # a comment with spaces before the header
        "id\tM\nA\t1/2\nB\n",  # a row of another width
        "id\tM\nA\t1/2\nB",  # a short last line, no end of line: truncated
        "# only comments\n\n",
    ],
)
def test_tab_table_cases(text):
    assert _outcome(tab_table, text) == _outcome(_line_by_line, text)
