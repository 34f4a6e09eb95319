"""The command line: readable output, JSON, and one clear message for every bad input."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from nasab.cli import main

HEADER = "id\tfid\tmid\tsex\tTH01\tD3S1358"
GOOD_PED = f"""{HEADER}
FA\t0\t0\t1\t6/7\t15/16
MO\t0\t0\t2\t8/9.3\t14/15
MP\tFA\tMO\t1\t-/-\t-/-
"""
GOOD_POI = "id\tTH01\tD3S1358\nPOI\t6/9.3\t15/15\n"
FREQS = "TH01\n6\t0.2\n7\t0.2\n8\t0.2\n9.3\t0.4\n\nD3S1358\n14\t0.3\n15\t0.4\n16\t0.3\n"


def write(tmp: Path, ped: str = GOOD_PED, poi: str = GOOD_POI, freqs: str | bytes = FREQS):
    (tmp / "f.ped").write_text(ped, encoding="utf-8")
    (tmp / "poi.tsv").write_text(poi, encoding="utf-8")
    if isinstance(freqs, bytes):
        (tmp / "freqs.txt").write_bytes(freqs)
    else:
        (tmp / "freqs.txt").write_text(freqs, encoding="utf-8")
    return [
        "lr",
        "--ped",
        str(tmp / "f.ped"),
        "--poi",
        str(tmp / "poi.tsv"),
        "--freqs",
        str(tmp / "freqs.txt"),
        "--missing",
        "MP",
        "--mutation",
        "none",
    ]


def test_json_output(tmp_path, capsys) -> None:
    assert main([*write(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # TH01: 1/4 / (2 * 0.2 * 0.4); D3S1358: 1/4 / 0.4^2
    assert out["markers"]["TH01"] == pytest.approx(math.log10(0.25 / 0.16))
    assert out["markers"]["D3S1358"] == pytest.approx(math.log10(0.25 / 0.16))
    assert out["log10LR"] == pytest.approx(out["markers"]["TH01"] + out["markers"]["D3S1358"])
    assert out["markers_compared"] == 2


def test_readable_report(tmp_path, capsys) -> None:
    assert main([*write(tmp_path), "--prior", "0.001"]) == 0
    out = capsys.readouterr().out
    assert "TH01" in out and "Total" in out and "Posterior" in out


def test_mutation_options(tmp_path, capsys) -> None:
    args = write(tmp_path, poi="id\tTH01\tD3S1358\nPOI\t7/7\t15/15\n")
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["log10LR"] == "-Inf" and out["LR"] == 0.0  # strict JSON: no -Infinity
    assert main([*args, "--json", "--mutation", "stepwise", "--rate", "0.002"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert -8 < out["markers"]["TH01"] < -1


BAD_CASES = {
    "unknown parent": (
        GOOD_PED.replace("MP\tFA\tMO", "MP\tFX\tMO"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 4", "'FX'", "not in the pedigree"],
    ),
    "father female": (
        GOOD_PED.replace("FA\t0\t0\t1", "FA\t0\t0\t2"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 4", "recorded as female"],
    ),
    "own ancestor": (
        f"{HEADER}\nA\tB\tM\t1\t-/-\t-/-\nB\tA\tM\t1\t-/-\t-/-\n"
        "M\t0\t0\t2\t-/-\t-/-\nMP\tA\tM\t1\t-/-\t-/-\n",
        GOOD_POI,
        FREQS,
        ["f.ped", "own ancestor"],
    ),
    "duplicate id": (
        GOOD_PED + "MO\t0\t0\t2\t-/-\t-/-\n",
        GOOD_POI,
        FREQS,
        ["f.ped", "line 5", "duplicate id 'MO'", "line 3"],
    ),
    "three alleles": (
        GOOD_PED.replace("6/7", "6/7/8"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 2", "TH01", "exactly two alleles"],
    ),
    "empty allele": (
        GOOD_PED.replace("6/7", "6/"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 2", "TH01", "empty allele"],
    ),
    "marker not in table": (
        GOOD_PED,
        GOOD_POI,
        FREQS.split("\n\n")[0] + "\n",
        ["freqs.txt", "marker D3S1358 is not in the frequency table"],
    ),
    "missing person typed": (
        GOOD_PED.replace("MP\tFA\tMO\t1\t-/-", "MP\tFA\tMO\t1\t6/6"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 4", "'MP' is typed"],
    ),
    "empty pedigree": ("", GOOD_POI, FREQS, ["f.ped", "empty"]),
    "empty poi": (GOOD_PED, "", FREQS, ["poi.tsv", "empty"]),
    "wrong encoding": (
        GOOD_PED,
        GOOD_POI,
        "TH01\n6\t0.2\n\xe9\t0.8\n".encode("latin-1"),
        ["freqs.txt", "not UTF-8"],
    ),
    "bad sex": (
        GOOD_PED.replace("MO\t0\t0\t2", "MO\t0\t0\tF"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 3", "sex"],
    ),
    "column count": (
        GOOD_PED.replace("MO\t0\t0\t2\t8/9.3\t14/15", "MO\t0\t0\t2\t8/9.3"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 3", "columns"],
    ),
    "one parent": (
        GOOD_PED.replace("MP\tFA\tMO", "MP\tFA\t0"),
        GOOD_POI,
        FREQS,
        ["f.ped", "line 4", "only one parent"],
    ),
    "missing absent": (
        GOOD_PED.replace("MP\t", "XX\t"),
        GOOD_POI,
        FREQS,
        ["'MP' is not in the pedigree"],
    ),
}


@pytest.mark.parametrize("name", list(BAD_CASES))
def test_bad_input_clear_message(name, tmp_path, capsys) -> None:
    ped, poi, freqs, expected = BAD_CASES[name]
    code = main(write(tmp_path, ped, poi, freqs))
    err = capsys.readouterr().err.replace("\n", " ")
    assert code == 2
    for piece in expected:
        assert piece in err, (piece, err)
    assert "Traceback" not in err


def test_missing_file(tmp_path, capsys) -> None:
    args = write(tmp_path)
    args[2] = str(tmp_path / "nope.ped")
    assert main(args) == 2
    assert "nope.ped" in capsys.readouterr().err


def test_allele_missing_from_table_warns_and_uses_floor(tmp_path, capsys) -> None:
    args = write(
        tmp_path, ped=GOOD_PED.replace("8/9.3", "8/11"), poi="id\tTH01\tD3S1358\nPOI\t6/11\t15/15\n"
    )
    assert main([*args, "--json", "--min-freq", "0.01"]) == 0
    captured = capsys.readouterr()
    assert "allele 11 of marker TH01 is not in the frequency table" in captured.err
    out = json.loads(captured.out)
    assert out["markers"]["TH01"] == pytest.approx(math.log10(0.25 / (2 * 0.2 * 0.01)))


def test_unnormalised_marker_is_reported(tmp_path, capsys) -> None:
    args = write(tmp_path, freqs=FREQS.replace("9.3\t0.4", "9.3\t0.5"))
    assert main([*args, "--json"]) == 0
    assert "TH01 sum to 1.1" in capsys.readouterr().err


def test_subprocess_exit_code(tmp_path) -> None:
    args = write(tmp_path, ped=GOOD_PED.replace("6/7", "6/7/8"))
    proc = subprocess.run(
        [sys.executable, "-m", "nasab.cli", *args], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "exactly two alleles" in proc.stderr


def test_demo_runs(tmp_path, capsys) -> None:
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "R-0417" in out and "R-0852" in out


def test_every_subcommand_is_wired(tmp_path, capsys) -> None:
    """Each plugin's sub-commands reach its run() through the main nasab command."""
    from nasab.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert callable(p.get_default("func")), name
    out = tmp_path / "sim"
    assert (
        main(["simulate", "--families", "3", "--remains", "4", "--seed", "1", "--out", str(out)])
        == 0
    )
    assert (
        main(
            [
                "search",
                "--families",
                str(out / "families.tsv"),
                "--remains",
                str(out / "remains.tsv"),
                "--out",
                str(tmp_path / "m.tsv"),
                "--quiet",
            ]
        )
        == 0
    )
    assert (tmp_path / "m.tsv").exists()
