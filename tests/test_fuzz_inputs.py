"""Issue 13: mutated valid files, through every reader and every command-line entry, never
give a traceback: exit 0 with a result (strict JSON where asked), or exit 2 with one line
``nasab: error: ...`` naming the file.

Mutations: truncation, a line deleted or duplicated, a column deleted, a cell replaced by a
value of another type or a huge one, another encoding (Latin-1, UTF-16), NUL bytes; for JSON
files a field replaced by a value of another type or removed. Example counts are modest so
that the suite stays fast.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nasab.cli import main
from nasab.engine.strict_json import parse_strict

FIXTURE = Path(__file__).parent / "familias" / "fixtures" / "missing_person_case"
ODD_VALUES = [
    "",
    "x",
    "-1",
    "1e309",
    "NaN",
    "999999999999",
    "0",
    "٣/٤",
    "a/b/c",
    "1/",
    "1.5/2",
    "\u202e12/13",
    "9" * 300,
    "-/-",
    "F/F",
    "2",
]
JSON_VALUES = [None, True, 1, -1, 1e308, "x", "", [], {}, [1, "a"], {"female": "x"}, "9" * 300]

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def text_mutation(draw, data: bytes) -> bytes:
    """One mutation of a tab-separated text file."""
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "del_line",
                "dup_line",
                "del_column",
                "cell",
                "latin1",
                "utf16",
                "nul",
                "del_header_cell",
            ]
        )
    )
    if kind == "truncate":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    if kind == "latin1":
        return (text + "é\n").encode("latin-1", "replace").replace(b"\n", b"\xe9\n", 1)
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "nul":
        k = draw(st.integers(0, len(data)))
        return data[:k] + b"\x00" + data[k:]
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "del_line":
        return "".join(lines[:i] + lines[i + 1 :]).encode()
    if kind == "dup_line":
        return "".join(lines[: i + 1] + lines[i:]).encode()
    rows = [ln.rstrip("\n").split("\t") for ln in lines]
    if kind in ("del_column", "del_header_cell"):
        j = draw(st.integers(0, max(len(rows[0]) - 1, 0)))
        targets = range(len(rows)) if kind == "del_column" else [0]
        for r in targets:
            if j < len(rows[r]):
                del rows[r][j]
    else:
        j = draw(st.integers(0, max(len(rows[i]) - 1, 0)))
        if rows[i]:
            rows[i][j] = draw(st.sampled_from(ODD_VALUES))
    return ("\n".join("\t".join(r) for r in rows) + "\n").encode()


@st.composite
def json_mutation(draw, data: bytes) -> bytes:
    """One field of a JSON object replaced by a value of another type, or removed, or the
    file truncated."""
    if draw(st.booleans()) and draw(st.booleans()):
        return data[: draw(st.integers(0, len(data) - 1))]
    obj = json.loads(data)
    paths: list[list] = []

    def walk(o, path):
        if isinstance(o, dict):
            for k, v in o.items():
                paths.append([*path, k])
                walk(v, [*path, k])
        elif isinstance(o, list):
            for k, v in enumerate(o):
                paths.append([*path, k])
                walk(v, [*path, k])

    walk(obj, [])
    path = draw(st.sampled_from(paths))
    parent = obj
    for k in path[:-1]:
        parent = parent[k]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(st.sampled_from(JSON_VALUES))
    return json.dumps(obj).encode()


def _check(rc: int, err: str, out: str, name: str, want_json: bool) -> None:
    assert "Traceback" not in err
    assert rc in (0, 2), (rc, err)
    if rc == 2:
        lines = [ln for ln in err.splitlines() if ln.startswith("nasab: error:")]
        assert len(lines) == 1, err
        assert name in lines[0], (name, err)
    elif want_json:
        parse_strict(out)


def _case_copy(root: Path) -> Path:
    dst = root / "case"
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(FIXTURE, dst)
    return dst


@pytest.mark.parametrize("name", ["pedigree.ped", "poi.tsv", "freqs.txt"])
@SETTINGS
@given(data=st.data())
def test_lr_case_files(tmp_path, capsys, name, data) -> None:
    folder = _case_copy(tmp_path)
    orig = (folder / name).read_bytes()
    (folder / name).write_bytes(data.draw(text_mutation(orig)))
    rc = main(["lr", "--case", str(folder), "--json"])
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, name, True)


@SETTINGS
@given(data=st.data())
def test_case_json_for_lr_and_power(tmp_path, capsys, data) -> None:
    folder = _case_copy(tmp_path)
    orig = (folder / "case.json").read_bytes()
    (folder / "case.json").write_bytes(data.draw(json_mutation(orig)))
    for argv in (
        ["lr", "--case", str(folder), "--json"],
        ["power", "--case", str(folder), "--json", "--nsim", "100", "--no-candidates"],
    ):
        rc = main(argv)
        cap = capsys.readouterr()
        _check(rc, cap.err, cap.out, "case.json", True)


@SETTINGS
@given(data=st.data())
def test_lr_ped_poi_freqs_options(tmp_path, capsys, data) -> None:
    folder = _case_copy(tmp_path)
    name = data.draw(st.sampled_from(["pedigree.ped", "poi.tsv", "freqs.txt"]))
    orig = (folder / name).read_bytes()
    (folder / name).write_bytes(data.draw(text_mutation(orig)))
    rc = main(
        [
            "lr",
            "--ped",
            str(folder / "pedigree.ped"),
            "--poi",
            str(folder / "poi.tsv"),
            "--poi-id",
            "POI",
            "--freqs",
            str(folder / "freqs.txt"),
            "--missing",
            "MP",
            "--json",
        ]
    )
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, name, True)


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzzsim")
    assert (
        main(
            [
                "simulate",
                "--families",
                "3",
                "--remains",
                "4",
                "--seed",
                "5",
                "--out",
                str(d),
                "--format",
                "tsv",
            ]
        )
        == 0
    )
    return d


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_search_and_direct_tables(sim, tmp_path, capsys, data) -> None:
    name = data.draw(st.sampled_from(["families.tsv", "remains.tsv", "freqs.txt"]))
    for f in ("families.tsv", "remains.tsv", "freqs.txt"):
        shutil.copy(sim / f, tmp_path / f)
    (tmp_path / name).write_bytes(data.draw(text_mutation((sim / name).read_bytes())))
    rc = main(
        [
            "search",
            "--families",
            str(tmp_path / "families.tsv"),
            "--remains",
            str(tmp_path / "remains.tsv"),
            "--freqs",
            str(tmp_path / "freqs.txt"),
            "--out",
            str(tmp_path / "m.tsv"),
            "--threshold",
            "1",
            "--quiet",
            "--mutation",
            "proportional",
            "--no-inconsistent",
        ]
    )
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, name, False)
    if rc == 0:
        parse_strict((tmp_path / "m.tsv.model.json").read_text())
    if name != "families.tsv":
        rc = main(
            [
                "direct",
                "--remains",
                str(tmp_path / "remains.tsv"),
                "--freqs",
                str(tmp_path / "freqs.txt"),
                "--out",
                str(tmp_path / "d"),
                "--min-shared",
                "2",
            ]
        )
        cap = capsys.readouterr()
        _check(rc, cap.err, cap.out, name, True)


@pytest.fixture(scope="module")
def dvi(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzzdvi")
    (d / "families").mkdir()
    (d / "families" / "F1.ped").write_text(
        "id\tfid\tmid\tsex\tM1\tM2\nFA\t0\t0\t1\t1/2\t3/3\nMO\t0\t0\t2\t2/2\t3/4\n"
        "MP\tFA\tMO\t1\t-/-\t-/-\n"
    )
    (d / "victims.tsv").write_text("id\tM1\tM2\nV1\t1/2\t3/4\nV2\t2/2\t4/4\n")
    (d / "freqs.txt").write_text("M1\n1\t0.5\n2\t0.5\n\nM2\n3\t0.4\n4\t0.6\n")
    (d / "dvi.json").write_text(
        json.dumps(
            {
                "families": {"F1": {"missing": ["MP"]}},
                "victims": {"V1": {"sex": 1}, "V2": {"sex": 2}},
                "markers": {
                    "M1": {"model": "none"},
                    "M2": {"model": "equal", "rate": {"female": 0.001, "male": 0.002}},
                },
                "marker_order": ["M1", "M2"],
            }
        )
    )
    return d


@SETTINGS
@given(data=st.data())
def test_joint_folder(dvi, tmp_path, capsys, data) -> None:
    folder = tmp_path / "dvi"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(dvi, folder)
    name = data.draw(st.sampled_from(["dvi.json", "families/F1.ped", "victims.tsv", "freqs.txt"]))
    orig = (folder / name).read_bytes()
    mutated = data.draw(json_mutation(orig) if name.endswith(".json") else text_mutation(orig))
    (folder / name).write_bytes(mutated)
    rc = main(["joint", "--dvi", str(folder), "--json"])
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, Path(name).name, True)


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_familias_import(tmp_path, capsys, data) -> None:
    src = Path(__file__).parent / "familias" / "fixtures" / "missing_person.fam"
    fam = tmp_path / "x.fam"
    raw = src.read_bytes()
    try:
        raw.decode("utf-8")
        mutated = data.draw(text_mutation(raw))
    except UnicodeDecodeError:  # a Familias file in its own encoding: cut it
        mutated = raw[: data.draw(st.integers(0, len(raw) - 1))]
    fam.write_bytes(mutated)
    rc = main(["familias", "import", str(fam), "--out", str(tmp_path / "out")])
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, "x.fam", False)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    pytest.importorskip("splink")
    from nasab.linkage.io import write_reports_csv
    from nasab.linkage.synth import generate_reports

    d = tmp_path_factory.mktemp("fuzzreports")
    write_reports_csv(generate_reports(40, seed=7), d / "reports.csv")
    assert main(["pfif", "export", str(d / "reports.csv"), "--out", str(d / "r.xml")]) == 0
    return d


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_pfif_import_and_export(reports, tmp_path, capsys, data) -> None:
    xml = tmp_path / "r.xml"
    xml.write_bytes(data.draw(text_mutation((reports / "r.xml").read_bytes())))
    rc = main(["pfif", "import", str(xml), "--out", str(tmp_path / "out.csv")])
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, "r.xml", False)
    csv_in = tmp_path / "reports.csv"
    raw = (reports / "reports.csv").read_bytes().replace(b",", b"\t")
    mutated = data.draw(text_mutation(raw)).replace(b"\t", b",")
    csv_in.write_bytes(mutated)
    rc = main(["pfif", "export", str(csv_in), "--out", str(tmp_path / "o.xml")])
    cap = capsys.readouterr()
    _check(rc, cap.err, cap.out, "reports.csv", False)
