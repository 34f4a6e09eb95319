"""DYS385a/b (DYF387S1a/b) as ordered lab columns: read as the unordered set DYS385."""

from __future__ import annotations

import json

import pytest
from tests.lineage.test_cli_lineage import MTDB, PED, POI, YDB, _args

from nasab.cli import main
from nasab.engine.ystr import read_ystr_database


def _split(text: str) -> str:
    """The DYS385 column as two ordered columns DYS385a / DYS385b (a <= b, as labs write)."""
    lines = text.splitlines()
    head = lines[0].split("\t")
    i = head.index("DYS385")
    out = ["\t".join([*head[:i], "DYS385a", "DYS385b", *head[i + 1 :]])]
    for ln in lines[1:]:
        c = ln.split("\t")
        cell = c[i]
        a, b = sorted(cell.split(","), key=float) if cell else ("", "")
        out.append("\t".join([*c[:i], a, b, *c[i + 1 :]]))
    return "\n".join(out) + "\n"


@pytest.fixture
def case(tmp_path):
    for name, text in {"ped.tsv": PED, "poi.tsv": POI, "y.tsv": YDB, "mt.tsv": MTDB}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _y(case, capsys) -> float:
    assert main(_args(case, "--json")) == 0
    return json.loads(capsys.readouterr().out)["evidence"]["Y"]["log10LR"]


def test_ordered_columns_equal_the_set(case, capsys) -> None:
    want = _y(case, capsys)
    for name in ("ped.tsv", "poi.tsv"):
        p = case / name
        p.write_text(_split(p.read_text()))
    assert _y(case, capsys) == want
    db = case / "y.tsv"
    db.write_text("# test\n" + _split(db.read_text().split("\n", 1)[1]))
    assert read_ystr_database(db).keys == ["DYS19", "DYS385"]
    assert _y(case, capsys) == want


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("DYS385b", "DYS390"), "'DYS385a': DYS385a without its other copy"),
        (lambda t: t.replace("\t11\t14\t\n", "\t11\t\t\n"), "DYS385a is typed and DYS385b is not"),
        (lambda t: t.replace("DYS19", "DYS385"), "DYS385 appears twice"),
    ],
)
def test_bad_ordered_columns(case, capsys, edit, message) -> None:
    p = case / "ped.tsv"
    text = _split(p.read_text())
    changed = edit(text)
    assert changed != text
    p.write_text(changed)
    assert main(_args(case)) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and message in err and "Traceback" not in err
