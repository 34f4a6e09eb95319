"""CLI functions: nasab dedup / nasab pfif import|export."""

from __future__ import annotations

import argparse
import csv

import pytest

from nasab.linkage import cli as cli_linkage
from nasab.linkage.io import read_reports_csv, write_reports_csv
from nasab.linkage.synth import generate_reports


@pytest.fixture()
def reports_csv(tmp_path):
    path = tmp_path / "reports.csv"
    write_reports_csv(generate_reports(80, seed=31), path)
    return path


def test_add_parser_and_run_with_a_main_parser(reports_csv, tmp_path):
    parser = argparse.ArgumentParser(prog="nasab")
    sub = parser.add_subparsers(dest="command")
    cli_linkage.add_parser(sub)
    out = tmp_path / "pairs.tsv"
    args = parser.parse_args(["dedup", "--reports", str(reports_csv), "--out", str(out)])
    assert args.func(args) == 0
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert rows and set(rows[0]) == {
        "report_a",
        "report_b",
        "score",
        "match_weight",
        "reasons",
        "reasons_ar",
    }
    assert all(float(r["score"]) >= 0.6 for r in rows)


def test_dedup_with_threshold_and_clusters(reports_csv, tmp_path, capsys):
    out, cl = tmp_path / "p.tsv", tmp_path / "c.tsv"
    rel = tmp_path / "rel.tsv"
    rc = cli_linkage.main(
        [
            "dedup",
            "--reports",
            str(reports_csv),
            "--threshold",
            "0.99",
            "--out",
            str(out),
            "--clusters",
            str(cl),
            "--relatives",
            str(rel),
        ]
    )
    assert rc == 0
    assert "proposed pairs at threshold 0.99" in capsys.readouterr().out
    with open(cl, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) == len(read_reports_csv(reports_csv))
    header = rel.read_text(encoding="utf-8").splitlines()[0]
    assert header == "report_a\treport_b\tscore\treasons\treasons_ar"


def test_dedup_writes_the_undecided_list(tmp_path, capsys):
    """A kunya report with no birth year, a man and his brother: the kunya pair goes to
    --undecided with why (English and Arabic), not to the proposed pairs."""
    base = {
        "father_name": "Ahmad",
        "grandfather_name": "Mohammad",
        "family_name": "al-Hamwi",
        "sex": "M",
        "governorate": "Hama",
        "disappearance_date": "2013-04-03",
    }
    reports = [
        {**base, "report_id": "omar", "given_name": "Omar", "birth_year": "1970"},
        {**base, "report_id": "rami", "given_name": "Rami", "birth_year": "1975"},
        {**base, "report_id": "abu", "given_name": "Abu Khaled"},
    ]
    src = tmp_path / "r.csv"
    write_reports_csv(reports, src)
    out, und = tmp_path / "p.tsv", tmp_path / "u.tsv"
    args = ["dedup", "--reports", str(src), "--threshold", "0.01", "--out", str(out)]
    assert cli_linkage.main([*args, "--undecided", str(und)]) == 0
    with open(und, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert rows and all("abu" in (r["report_a"], r["report_b"]) for r in rows)
    assert all("kunya" in r["reasons"] and "كنية" in r["reasons_ar"] for r in rows)
    assert "abu" not in out.read_text(encoding="utf-8")


def test_pfif_export_refuses_a_character_xml_cannot_carry(tmp_path, capsys):
    """A governorate holding U+FFFE (found by the round-trip property test): before, the
    export wrote a file that no reader, ours included, would accept.  Now one line, exit
    2, no file and an existing output kept."""
    rows = [{"report_id": "r1", "given_name": "Ali", "governorate": "Homs\ufffe"}]
    src, out = tmp_path / "reports.csv", tmp_path / "r.xml"
    write_reports_csv(rows, src)
    out.write_text("earlier", encoding="utf-8")
    assert cli_linkage.main(["pfif", "export", str(src), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nasab: error: ") and len(err.splitlines()) == 1
    assert "r1" in err and "home_state" in err and "U+FFFE" in err
    assert out.read_text(encoding="utf-8") == "earlier"


def test_pfif_export_then_import(reports_csv, tmp_path):
    xml, back = tmp_path / "r.xml", tmp_path / "back.csv"
    assert cli_linkage.main(["pfif", "export", str(reports_csv), "--out", str(xml)]) == 0
    assert cli_linkage.main(["pfif", "import", str(xml), "--out", str(back)]) == 0
    a, b = read_reports_csv(reports_csv), read_reports_csv(back)
    keys = (
        "report_id",
        "given_name",
        "father_name",
        "family_name",
        "birth_year",
        "disappearance_date",
    )
    assert [{k: r[k] for k in keys} for r in a] == [{k: r[k] for k in keys} for r in b]


def _bad(tmp_path, text):
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "report_id,given_name,birth_year\nr1,Ali,1980\nr2,Ali,19x0\n",
            "bad.csv:3: field 'birth_year'",
        ),
        ("report_id,given_name\nr1,Ali\nr1,Omar\n", "bad.csv:3: field 'report_id'"),
        ("given_name\nAli\n", "bad.csv:1: field 'report_id'"),
        (
            "report_id,given_name,disappearance_date\nr1,Ali,3/4/2013\n",
            "bad.csv:2: field 'disappearance_date'",
        ),
        ("report_id,given_name,sex\nr1,Ali,boy\n", "bad.csv:2: field 'sex'"),
        ("report_id,given_name,birth_year\nr1,Ali,1975.5\n", "bad.csv:2: field 'birth_year'"),
        ("report_id,given_name,birth_year\nr1,Ali,1790\n", "bad.csv:2: field 'birth_year'"),
        # a year or a date to come, a date before the birth year: a slip, refused
        (
            "report_id,given_name,birth_year\nr1,Ali,1980\nr2,Ali,2091\n",
            "bad.csv:3: field 'birth_year': 2091 is out of range (after this year",
        ),
        (
            "report_id,given_name,disappearance_date\nr1,Ali,2031-04-03\n",
            "bad.csv:2: field 'disappearance_date': '2031-04-03' is after today",
        ),
        (
            "report_id,given_name,disappearance_date\nr1,Ali,1013-04-03\n",
            "bad.csv:2: field 'disappearance_date': '1013-04-03' is before 1880",
        ),
        (
            "report_id,given_name,birth_year,disappearance_date\nr1,Ali,2015,2013-04-03\n",
            "bad.csv:2: field 'disappearance_date': 2013-04-03 is before the birth year 2015",
        ),
        (
            "report_id,given_name,disappearance_date\nr1,Ali,2013-04-03 10:00\n",
            "field 'disappearance_date'",
        ),
        ("report_id,given_name\nr1,Ali,extra\n", "bad.csv:2: 3 values for 2 columns"),
        # the header: no name column, a misspelt column, one column twice, another separator
        ("report_id;given_name\nr1;Ali\n", "separated by ';': nasab reads comma-separated CSV"),
        ("report_id,name,year\nr1,Ali Omar,1980\n", "bad.csv:1: the header row has no name column"),
        (
            "report_id,given_name,birthyear\nr1,Ali,1980\n",
            "field 'birthyear': is no column nasab reads: did you mean 'birth_year'?",
        ),
        (
            "report_id,given_name,Given Name\nr1,Ali,Omar\n",
            "field 'Given Name': the same column as 'given_name'",
        ),
    ],
)
def test_bad_csv_gives_exit_2_and_a_located_message(tmp_path, capsys, text, expected):
    path = _bad(tmp_path, text)
    rc = cli_linkage.main(["dedup", "--reports", str(path), "--out", str(tmp_path / "o.tsv")])
    err = capsys.readouterr().err
    assert rc == 2
    assert expected in err
    assert "Traceback" not in err


def test_headers_read_case_and_spacing_aside_and_unread_columns_named(tmp_path, capsys):
    """ "Given Name" is given_name; a column nothing reads ("gender") is named on stderr,
    never silently dropped."""
    path = _bad(
        tmp_path,
        "Report ID,Given Name,Father-Name,Birth Year,gender\n"
        "r1,Ahmad,Khalil,1980,m\nr2,Ahmad,Khalil,1980,m\n",
    )
    reports = read_reports_csv(path)
    assert reports[0]["given_name"] == "Ahmad" and reports[1]["birth_year"] == "1980"
    out = tmp_path / "o.tsv"
    assert cli_linkage.main(["dedup", "--reports", str(path), "--out", str(out)]) == 0
    assert "nasab: note: columns not read: gender" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option, target, field",
    [
        ("--clusters", "out.tsv", "--clusters"),  # the pairs would be lost
        ("--undecided", "./out.tsv", "--undecided"),
        ("--relatives", "reports.csv", "--relatives"),  # the input would be lost
    ],
)
def test_two_outputs_or_an_output_and_the_input_in_one_file_refused(
    reports_csv, tmp_path, capsys, monkeypatch, option, target, field
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.tsv").write_text("kept\n", encoding="utf-8")
    before = reports_csv.read_bytes()
    rc = cli_linkage.main(["dedup", "--reports", "reports.csv", "--out", "out.tsv", option, target])
    err = capsys.readouterr().err
    assert rc == 2 and f"field '{field}'" in err and "Traceback" not in err
    assert (tmp_path / "out.tsv").read_text(encoding="utf-8") == "kept\n"
    assert reports_csv.read_bytes() == before


def test_bad_pfif_and_missing_files(tmp_path, capsys):
    bad = tmp_path / "bad.xml"
    bad.write_text("<pfif:pfif xmlns:pfif='http://zesty.ca/pfif/1.4'>\n<oops>\n", "utf-8")
    assert cli_linkage.main(["pfif", "import", str(bad), "--out", str(tmp_path / "o.csv")]) == 2
    assert "bad.xml:3: not well-formed XML" in capsys.readouterr().err
    assert (
        cli_linkage.main(
            ["pfif", "export", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o.xml")]
        )
        == 2
    )
    assert "none.csv: cannot open" in capsys.readouterr().err
    assert (
        cli_linkage.main(
            ["pfif", "import", str(tmp_path / "none.xml"), "--out", str(tmp_path / "o.csv")]
        )
        == 2
    )


def test_threshold_out_of_range(reports_csv, tmp_path, capsys):
    rc = cli_linkage.main(
        [
            "dedup",
            "--reports",
            str(reports_csv),
            "--threshold",
            "7",
            "--out",
            str(tmp_path / "o.tsv"),
        ]
    )
    assert rc == 2
    assert "--threshold 7.0 must be between 0 and 1" in capsys.readouterr().err
