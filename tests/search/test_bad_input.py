"""Bad input: clear message naming file, line and id; exit 2; no output file."""

from __future__ import annotations

import shutil

from nasab.search.cli import main


def _copy(small_sim, tmp_path):
    folder, _ = small_sim
    for n in ("families.tsv", "remains.tsv"):
        shutil.copy(folder / n, tmp_path / n)
    return tmp_path / "families.tsv", tmp_path / "remains.tsv"


def _search(fam, rem, out, *extra):
    return main(
        [
            "search",
            "--families",
            str(fam),
            "--remains",
            str(rem),
            "--out",
            str(out),
            "--quiet",
            "--no-inconsistent",
            *extra,
        ]
    )


def test_broken_pedigree_stop_and_skip(small_sim, tmp_path, capsys):
    fam, rem = _copy(small_sim, tmp_path)
    lines = fam.read_text().splitlines()
    lineno, name = None, None
    for k, ln in enumerate(lines):
        cells = ln.split("\t")
        if not ln.startswith("#") and cells[0] != "family_id" and cells[2] != "0":
            cells[2] = "NOBODY"
            lines[k] = "\t".join(cells)
            lineno, name = k + 1, cells[0]
            break
    fam.write_text("\n".join(lines) + "\n")
    out = tmp_path / "m.tsv"
    assert _search(fam, rem, out) == 2
    err = capsys.readouterr().err
    assert "families.tsv" in err and f"line {lineno}" in err and name in err
    assert "Traceback" not in err and not out.exists()
    assert _search(fam, rem, out, "--on-error", "skip") == 0
    err = capsys.readouterr().err
    assert name in err and out.exists()
    assert name not in out.read_text()


def test_unknown_marker(small_sim, tmp_path, capsys):
    fam, rem = _copy(small_sim, tmp_path)
    text = fam.read_text().replace("\tD6S1043", "\tD99S999", 1)
    fam.write_text(text)
    out = tmp_path / "m.tsv"
    assert _search(fam, rem, out) == 2
    err = capsys.readouterr().err
    assert "D99S999" in err and "line 1" in err and not out.exists()
    assert _search(fam, rem, out, "--on-error", "skip") == 0


def test_duplicated_remain(small_sim, tmp_path, capsys):
    fam, rem = _copy(small_sim, tmp_path)
    lines = rem.read_text().splitlines()
    data = [k for k, ln in enumerate(lines) if ln.startswith("R")]
    lines.append(lines[data[0]])
    rem.write_text("\n".join(lines) + "\n")
    out = tmp_path / "m.tsv"
    assert _search(fam, rem, out) == 2
    err = capsys.readouterr().err
    rid = lines[data[0]].split("\t")[0]
    assert f"line {len(lines)}" in err and rid in err and "duplicated" in err
    assert not out.exists()
    assert _search(fam, rem, out, "--on-error", "skip") == 0


def test_truncated_file(small_sim, tmp_path, capsys):
    fam, rem = _copy(small_sim, tmp_path)
    data = fam.read_bytes()
    fam.write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "m.tsv"
    assert _search(fam, rem, out) == 2
    err = capsys.readouterr().err
    assert "truncated" in err and "families.tsv" in err and not out.exists()
    pq = tmp_path / "families.parquet"
    folder, _ = small_sim
    raw = (folder / "families.parquet").read_bytes()
    pq.write_bytes(raw[: len(raw) // 2])
    assert _search(pq, rem, out) == 2
    assert "families.parquet" in capsys.readouterr().err


def test_typed_missing_person(small_sim, tmp_path, capsys):
    fam, rem = _copy(small_sim, tmp_path)
    lines = fam.read_text().splitlines()
    for k, ln in enumerate(lines):
        cells = ln.split("\t")
        if len(cells) > 6 and cells[5] == "1":
            cells[6] = "12/13"
            lines[k] = "\t".join(cells)
            break
    fam.write_text("\n".join(lines) + "\n")
    assert _search(fam, rem, tmp_path / "m.tsv") == 2
    assert f"line {k + 1}" in capsys.readouterr().err
