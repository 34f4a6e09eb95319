"""The readers' shortcuts give what the plain per-line and per-cell rules give."""

from __future__ import annotations

import re

import numpy as np

from nasab.engine.textfile import tab_table
from nasab.search.data import _GenotypeColumns

_SPACE = re.compile(r"[^\S\t]")


def _reference_table(text: str):
    """tab_table's rule, line by line (the whitespace test on every line)."""
    header, rows = None, []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if _SPACE.search(raw):
            cells = [c.strip() for c in cells]
        if header is None:
            header = cells
            continue
        rows.append((lineno, cells))
    return header, rows


def test_tab_table_whitespace_shortcut():
    """One search of the whole text decides whether any line needs its cells stripped; the
    line boundaries of str.splitlines (vertical tab, form feed, \\x1c-\\x1e, \\x85, \\u2028,
    \\u2029) never do, every other whitespace does (no-break space, \\x1f, a plain space)."""
    base = "a\tb\tc\n1\t2\t3\n"
    for odd in ("", " ", "\xa0", "\x1f", "\u3000", "\x0b", "\x0c", "\x1c", "\x85", "\u2028"):
        for where in ("1\t2\t3" + odd, "1" + odd + "\t2\t3", odd + "4\t5\t6"):
            text = base + where + "\n7\t8\t9\n"
            try:
                want = _reference_table(text)
            except Exception:  # noqa: BLE001 - a malformed case: both must refuse it
                continue
            if any(len(c) != len(want[0]) for _, c in want[1]):
                continue
            assert tab_table(text, "t.tsv") == want, (odd, where)


def test_genotype_row_shortcut():
    """A row typed at every marker is one dict of every marker; a row with an untyped
    marker (any spelling) leaves those out, in marker order, as the cell-by-cell rule."""
    cols = [(j, f"M{j}") for j in range(2, 8)]
    reader = _GenotypeColumns("t.tsv", cols)
    rng = np.random.default_rng(5)
    spellings = ["12/13", "14/14", "9.3/10", "12/-", "-/-", "-", "NA", "0/0", "?/?", "15/F"]
    for lineno in range(2, 400):
        cells = ["F1", "P1"] + [spellings[i] for i in rng.integers(0, len(spellings), 6)]
        if lineno % 3 == 0:
            cells[2:] = [spellings[i] for i in rng.integers(0, 3, 6)]  # typed everywhere
        got = reader.row(cells, lineno)
        texts = cells[2:]
        want = {
            k: g
            for k, g in zip(reader.keys, (reader.cache[t] for t in texts), strict=True)
            if g[0] is not None
        }
        assert got == want and list(got) == list(want)
