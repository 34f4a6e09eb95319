"""The fast paths of reading a table give what the line-by-line reading gives."""

from __future__ import annotations

import pytest

from nasab.engine.errors import InputError
from nasab.engine.textfile import line_table, tab_table
from nasab.search import data

TEXTS = [
    "a\tb\n1\t2\n3\t4\n",
    "a\tb\n1\t2\n3\t4",  # no final newline
    "a\tPenta D\n1\t2\n",  # a space in the header only
    "a\tb\n 1\t2 \n3\t4\n",  # spaces around cells
    "a\tb\n1\t2\xa0\n",  # a non-ASCII space
    "a\tb\r\n1\t2\r\n",  # CRLF
    "a\tb\n\n1\t2\n",  # a blank line
    "a\tb\n\t\n1\t2\n",  # a line of a tab only
    "# comment\na\tb\n1\t2\n",
    "a\tb\n#x\n1\t2\n",
    "a\tb\n1\t2\x0b3\t4\n",  # a line boundary of splitlines
    "a\tb\n1\n",  # too few columns
    "a\tb\n1\t2\t3\n",
    "a\tb\n1\t2\n3",  # truncated
    "",
    "\n\n",
    "a\tb\n",
    "a\tb\n\x1f1\t2\n",
    "a\tb\n1\t2\n   \n",
]


def _read(fn, text):
    try:
        return fn(text, "t.tsv")
    except InputError as e:
        return str(e)


@pytest.mark.parametrize("text", TEXTS)
def test_tab_table_fast_path_is_the_line_reading(text):
    assert _read(tab_table, text) == _read(line_table, text)


def _families(tmp_path, text, monkeypatch, fast: bool):
    path = tmp_path / "f.tsv"
    path.write_text(text, encoding="utf-8")
    if not fast:
        monkeypatch.setattr(data, "_family_rows", data.read_rows)
    try:
        got = data.read_families(path, on_error="skip")
    except InputError as e:
        return str(e)
    finally:
        monkeypatch.undo()
    return (
        got.markers,
        [str(p) for p in got.problems],
        [
            (
                fd.family.name,
                fd.missing,
                fd.line,
                [(p.id, p.father, p.mother, p.sex, p.line) for p in fd.family.pedigree.persons],
                fd.family.genotypes,
            )
            for fd in got.families
        ],
    )


HEAD = "family_id\tid\tfid\tmid\tsex\tmissing\tD3S1358\tvWA\tPenta D\n"
FAMILIES = [
    HEAD
    + "F1\tfa\t0\t0\t1\t0\t-/-\t-/-\t-/-\n"
    + "F1\tmo\t0\t0\t2\t0\t14/15\t16/17\t-/-\n"
    + "F1\tmp\tfa\tmo\t1\t1\t-/-\t-/-\t-/-\n"
    + "F2\tx\t0\t0\t1\t1\t-/-\t-/-\t-/-\n",
    HEAD + "F1\tfa\t0\t0\t1\t1\t-/-\t-/-\t-/-\t-/-\n",  # one column too many
    HEAD + "F1\tfa\t0\t0\t1\t1\t-/-\t-/-\n",  # one too few
    HEAD + "F1\tfa\t0\t0\t1\t1\t-/-\t -/-\t-/-\n",  # a space
    HEAD + "F1\tfa\t0\t0\t1\t1\t-/-\t-/-\t-/-\nF1\tmp\t0\t0\t3\t1\t-/-\t-/-\t-/-\n",
    HEAD + "F1\tmp\t0\t0\t1\t1\t-/-\t-/-\t14/15\n",  # a typed missing person
    HEAD + "F1\tmp\t0\t0\t1\t1\t-/-\t-/-\t-/-\t\n",
    HEAD + "F1\tfa\t0\t0\t1\t0\t-/-\t-/-\t-/-\n",  # no missing person
    HEAD + "F1\tfa\t0\t0\t1\t1\tNA\t-/-\t0/0\n",  # untyped written otherwise
    HEAD.replace("Penta D", "DYS19") + "F1\tfa\t0\t0\t1\t1\t-/-\t-/-\t-\n",  # lineage column
]


@pytest.mark.parametrize("text", FAMILIES)
def test_family_rows_fast_path_is_the_line_reading(tmp_path, monkeypatch, text):
    assert _families(tmp_path, text, monkeypatch, True) == _families(
        tmp_path, text, monkeypatch, False
    )


def test_untyped_rows_are_read_short(tmp_path):
    path = tmp_path / "f.tsv"
    path.write_text(FAMILIES[0], encoding="utf-8")
    header, rows = data._family_rows(path)
    assert [len(cells) for _, cells in rows] == [7, 9, 7, 7]
    assert [line for line, _ in rows] == [2, 3, 4, 5]


def _shapes_one_by_one(fd):
    """The shapes of a family's missing persons found as before their cache: each typed
    reference tested at every genotype, one shape lookup a missing person."""
    import numpy as np

    from nasab.search.compile import FULL
    from nasab.search.shapes import shape_of

    ped = fd.family.pedigree
    state = np.zeros(len(ped), np.int16)
    for pid, g in fd.family.genotypes.items():
        if any(gt is not None and gt[0] is not None for gt in g.values()):
            state[ped.index(pid)] = FULL
    return [shape_of(ped, mp, state) for mp in fd.missing]


def test_family_shapes_are_found_as_one_by_one(medium_sim):
    from nasab.search.shapes import family_shapes

    folder, _ = medium_sim
    loaded = data.read_families(folder / "families.tsv")
    assert loaded.families
    for fd in loaded.families:
        assert family_shapes(fd) == _shapes_one_by_one(fd)
        assert family_shapes(fd) == _shapes_one_by_one(fd)  # from the cache
