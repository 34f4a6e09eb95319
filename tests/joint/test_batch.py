"""``nasab joint --dvi DIR DIR ...``: several DVI folders in one process (the warm path for
many small cases), the same answers as one call per folder; ``--out`` all or nothing."""

from __future__ import annotations

import json

from nasab.joint.cli import main as joint_main

SMALL = ("example1", "example2", "KETPchap481")


def test_several_folders_same_as_one_by_one(dvi_root, capsys):
    folders = [str(dvi_root / n) for n in SMALL]
    one = {}
    for f in folders:
        assert joint_main(["--dvi", f, "--answer", "conclusions", "--json"]) == 0
        one[f] = json.loads(capsys.readouterr().out)
    assert joint_main(["--dvi", *folders, "--answer", "conclusions", "--json"]) == 0
    many = json.loads(capsys.readouterr().out)
    assert list(many) == folders
    for f in folders:
        a, b = dict(one[f]), dict(many[f])
        a.pop("seconds"), b.pop("seconds")
        assert a == b


def test_out_writes_one_json_per_case(dvi_root, tmp_path, capsys):
    folders = [str(dvi_root / n) for n in SMALL]
    out = tmp_path / "results"
    assert joint_main(["--dvi", *folders, "--answer", "conclusions", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SMALL) and all(line.startswith(str(dvi_root)) for line in lines)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.json" for n in SMALL)
    doc = json.loads((out / "KETPchap481.json").read_text())
    assert {r["Conclusion"] for r in doc["conclusions"]} and doc["answer"] == "conclusions"


def test_a_bad_folder_writes_nothing(dvi_root, tmp_path, capsys):
    out = tmp_path / "results"
    bad = tmp_path / "not-a-case"
    code = joint_main(["--dvi", str(dvi_root / "example1"), str(bad), "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and "not-a-case" in err
    assert not out.exists() or not any(out.iterdir())


def test_two_folders_of_one_name_refused(dvi_root, tmp_path, capsys):
    other = tmp_path / "example1"
    other.mkdir()
    code = joint_main(
        ["--dvi", str(dvi_root / "example1"), str(other), "--out", str(tmp_path / "o")]
    )
    assert code == 2
    assert "example1.json" in capsys.readouterr().err
