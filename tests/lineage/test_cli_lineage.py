"""`nasab lr` with Y-STR and mtDNA columns: evidence lines, JSON, bad input."""

from __future__ import annotations

import json
import math

import pytest
from scipy import stats

from nasab.cli import main

PED = (
    "id\tfid\tmid\tsex\tD3S1358\tDYS19\tDYS385\tmtDNA\n"
    "GF\t0\t0\t1\t-/-\t\t\t\n"
    "GM\t0\t0\t2\t-/-\t\t\t\n"
    "FA\tGF\tGM\t1\t-/-\t\t\t\n"
    "MO\t0\t0\t2\t-/-\t\t\t\n"
    "UN\tGF\tGM\t1\t15/16\t14\t11,14\t\n"
    "MP\tFA\tMO\t1\t-/-\t\t\t\n"
    "SIS\tFA\tMO\t2\t-/-\t\t\t16024-16365: 16129A\n"
)
POI = "id\tsex\tD3S1358\tDYS19\tDYS385\tmtDNA\nR1\t1\t15/18\t14\t14,11\t16024-16365: 16129A\n"
YDB = "# test database\nid\tDYS19\tDYS385\n" + "".join(
    f"m{i}\t{14 if i < 4 else 15}\t11,14\n" for i in range(40)
)
MTDB = "id\trange\tvariants\n" + "".join(
    f"s{i}\t16024-16365\t{'16129A' if i < 2 else '16311C'}\n" for i in range(50)
)


@pytest.fixture
def case(tmp_path):
    files = {"ped.tsv": PED, "poi.tsv": POI, "y.tsv": YDB, "mt.tsv": MTDB}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _args(d, *extra):
    return [
        "lr",
        "--ped",
        str(d / "ped.tsv"),
        "--poi",
        str(d / "poi.tsv"),
        "--missing",
        "MP",
        "--ystr-db",
        str(d / "y.tsv"),
        "--mtdna-db",
        str(d / "mt.tsv"),
        *extra,
    ]


def test_evidence_lines_multiply(case, capsys) -> None:
    assert main(_args(case, "--json", "--ystr-method", "augmented")) == 0
    out = json.loads(capsys.readouterr().out)
    ev = out["evidence"]
    mu19, mu385 = 0.00223741, 0.00122273
    # MP <- FA <- GF -> UN: three transmissions, identical haplotypes
    keep = (1 - mu19) ** 3 + 3 * (1 - mu19) * (mu19 / 2) ** 2 * 2
    keep385 = (1 - mu385) ** 3 + 3 * (1 - mu385) * (mu385 / 2) ** 2 * 2
    assert ev["Y"]["LR"] == pytest.approx(keep * keep385**2 / (5 / 41), rel=1e-9)
    assert ev["mtDNA"]["LR"] == pytest.approx(1 / stats.beta.ppf(0.95, 3, 48), rel=1e-9)
    total = ev["autosomal"]["log10LR"] + ev["Y"]["log10LR"] + ev["mtDNA"]["log10LR"]
    assert out["log10LR"] == pytest.approx(total)
    assert "independent" in ev["combination"]
    assert main(_args(case)) == 0
    text = capsys.readouterr().out
    for line in ("Autosomal", "Y (Y-STR)", "mtDNA", "Combined", "Clopper-Pearson"):
        assert line in text


def test_no_lineage_data_keeps_the_autosomal_result(tmp_path, capsys) -> None:
    (tmp_path / "ped.tsv").write_text(
        "id\tfid\tmid\tsex\tD3S1358\nF\t0\t0\t1\t15/16\nM\t0\t0\t2\t-/-\nS\tF\tM\t1\t-/-\n"
    )
    (tmp_path / "poi.tsv").write_text("id\tD3S1358\nR\t15/17\n")
    assert (
        main(
            [
                "lr",
                "--ped",
                str(tmp_path / "ped.tsv"),
                "--poi",
                str(tmp_path / "poi.tsv"),
                "--missing",
                "S",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert "evidence" not in out  # the JSON of autosomal-only cases is unchanged


@pytest.mark.parametrize(
    "where, old, new, message",
    [
        (
            "ped.tsv",
            "SIS\tFA\tMO\t2\t-/-\t\t\t",
            "SIS\tFA\tMO\t2\t-/-\t14\t\t",
            "ped.tsv, line 8, field 'DYS19': 'SIS' is recorded as female but has a Y-STR haplotype",
        ),
        (
            "ped.tsv",
            "16024-16365: 16129A",
            "16024-16365: 73G",
            "ped.tsv, line 8, field 'mtDNA': mtDNA variant '73G' is outside the stated range",
        ),
        (
            "poi.tsv",
            "DYS385\tmtDNA",
            "DYS999\tmtDNA",
            "poi.tsv, line 1, field 'DYS999': unknown Y-STR locus",
        ),
        ("ped.tsv", "15/16\t14\t", "15/16\t14.x\t", "ped.tsv, line 6, field 'DYS19': Y-STR allele"),
        ("y.tsv", "m3\t14\t", "m3\tOL\t", "y.tsv, line 6, field 'DYS19': off-ladder allele"),
    ],
)
def test_bad_input_names_file_line_field(case, capsys, where, old, new, message) -> None:
    path = case / where
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    assert main(_args(case)) == 2
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last.startswith("nasab: error: ") and message in last, err
    assert "Traceback" not in err


def test_missing_database_is_an_error_and_off_line_reference_is_stated(case, capsys) -> None:
    args = _args(case)
    i = args.index("--ystr-db")
    del args[i : i + 2]
    assert main(args) == 2
    assert "--ystr-db" in capsys.readouterr().err
    with (case / "ped.tsv").open("a") as fh:
        fh.write("DAU\tFA\tMO\t2\t-/-\t\t\t\n")
    assert main(_args(case, "--missing", "DAU", "--json")) == 0  # a female missing person
    ev = json.loads(capsys.readouterr().out)["evidence"]
    assert ev["Y"]["used"] is False and "female" in ev["Y"]["statement"]
    assert ev["Y"]["LR"] == 1 and not math.isnan(ev["mtDNA"]["log10LR"])


def test_paternal_line_that_cannot_be_one_line_names_the_pedigree(case, capsys) -> None:
    """Two typed men of the paternal line more than one step apart at a locus: the error
    named only the locus; now the pedigree file and the locus."""
    ped = case / "ped.tsv"
    ped.write_text(PED.replace("GF\t0\t0\t1\t-/-\t\t", "GF\t0\t0\t1\t-/-\t9\t"))
    assert main(_args(case)) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]
    assert len(err) == 1 and err[0].startswith(f"nasab: error: {ped}, field 'DYS19': "), err
    assert "(GF, UN) cannot share a line at DYS19" in err[0]
