"""`nasab lr` with a SNP panel: STR x SNP (x X SNP) LR, each stated, the STR-SNP linkage
assumption in the report and the JSON, SNPs near STR loci left out with an STR map."""

from __future__ import annotations

import json

import pytest

from nasab.cli import main

PED = (
    "id\tfid\tmid\tsex\tD3S1358\tvWA\n"
    "F\t0\t0\t1\t15/16\t14/17\n"
    "M\t0\t0\t2\t-/-\t-/-\n"
    "D\tF\tM\t2\t-/-\t-/-\n"
    "S\tF\tM\t1\t-/-\t-/-\n"
)
POI = "id\tD3S1358\tvWA\nR1\t15/18\t14/16\n"
PANEL = (
    "marker\tchromosome\tposition_bp\tcM_male\tcM_female\tcM_sexavg\tallele\tfrequency\n"
    + "".join(
        f"{m}\t{c}\t{pos}\t{cm}\t{cm}\t{cm}\t{a}\t{p}\n{m}\t{c}\t{pos}\t{cm}\t{cm}\t{cm}\t{b}\t{q}\n"
        for m, c, pos, cm, a, b, p, q in [
            ("rs1", 3, 44_000_000, 60.0, "A", "G", 0.3, 0.7),
            ("rs2", 3, 120_000_000, 130.0, "C", "T", 0.6, 0.4),
            ("rs3", 5, 1_000_000, 2.0, "A", "C", 0.5, 0.5),
        ]
    )
)
XPANEL = (
    "marker\tchromosome\tposition_bp\tcM_male\tcM_female\tcM_sexavg\tallele\tfrequency\n"
    "rx1\tX\t3000000\t\t0.5\t\tT\t0.6\nrx1\tX\t3000000\t\t0.5\t\tC\t0.4\n"
    "rx2\tX\t9000000\t\t12.0\t\tG\t0.3\nrx2\tX\t9000000\t\t12.0\t\tA\t0.7\n"
)
SNP_REFS = "id\trs1\trs2\trs3\trx1\trx2\nF\tA/G\tC/C\tA/C\tT\tA\n"
SNP_POI = "id\trs1\trs2\trs3\trx1\trx2\nR1\tA/A\tC/T\tA/A\tT/C\tA/A\n"
# the test's own STR positions (not a reference map): D3S1358 near rs1 only
STR_MAP = "marker\tchromosome\tposition_bp\nD3S1358\t3\t45000000\nvWA\t12\t5900000\n"


@pytest.fixture
def case(tmp_path):
    files = {
        "ped.tsv": PED,
        "poi.tsv": POI,
        "panel.tsv": PANEL,
        "x.tsv": XPANEL,
        "snp_refs.tsv": SNP_REFS,
        "snp_poi.tsv": SNP_POI,
        "str_map.tsv": STR_MAP,
    }
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
        "D",
        "--snp-panel",
        str(d / "panel.tsv"),
        str(d / "x.tsv"),
        "--snp-references",
        str(d / "snp_refs.tsv"),
        "--snp-poi",
        str(d / "snp_poi.tsv"),
        *extra,
    ]


def _snp_lr(d, capsys, panel=None):
    args = ["snp", "lr", "--ped", str(d / "ped.tsv"), "--missing", "D", "--references"]
    args += [str(d / "snp_refs.tsv"), "--poi", str(d / "snp_poi.tsv"), "--json", "--panel"]
    args += panel or [str(d / "panel.tsv"), str(d / "x.tsv")]
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_str_times_snp_stated(case, capsys) -> None:
    assert main(_args(case, "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    ev = out["evidence"]
    snp = _snp_lr(case, capsys)
    assert ev["SNP"]["log10LR"] == pytest.approx(snp["autosomal"]["log10LR"], abs=1e-12)
    assert ev["X-SNP"]["log10LR"] == pytest.approx(snp["X"]["log10LR"], abs=1e-12)
    total = ev["autosomal"]["log10LR"] + ev["SNP"]["log10LR"] + ev["X-SNP"]["log10LR"]
    assert out["log10LR"] == pytest.approx(total, abs=1e-12)
    assert "autosomal STR" in ev["combination"] and "SNP" in ev["combination"]
    assert "no STR map given" in ev["combination"] and "ignored" in ev["SNP"]["str_linkage"]
    assert ev["SNP"]["snps_used"] == 3 and ev["X-SNP"]["snps_used"] == 2
    assert ev["SNP"]["panel"][0]["file"] == "panel.tsv" and "Lander-Green" in ev["SNP"]["model"]
    assert main(_args(case)) == 0
    text = capsys.readouterr().out
    for needle in ("Autosomal", "SNP", "X-SNP", "Combined", "independent given the pedigree"):
        assert needle in text


def test_str_map_leaves_out_snps_near_str_loci(case, capsys) -> None:
    assert main(_args(case, "--json", "--str-map", str(case / "str_map.tsv"))) == 0
    ev = json.loads(capsys.readouterr().out)["evidence"]
    assert ev["SNP"]["snps_left_out_near_str"] == 1 and ev["SNP"]["snps_used"] == 2
    assert "1 SNPs within 10 Mb" in ev["combination"]
    # the same as the SNP LR on the panel without rs1
    (case / "panel2.tsv").write_text(
        "".join(ln + "\n" for ln in PANEL.splitlines() if not ln.startswith("rs1")), "utf-8"
    )
    (case / "snp_refs.tsv").write_text(SNP_REFS.replace("\trs1", "").replace("\tA/G", ""))
    (case / "snp_poi.tsv").write_text(SNP_POI.replace("\trs1", "").replace("\tA/A\tC/T", "\tC/T"))
    snp = _snp_lr(case, capsys, [str(case / "panel2.tsv"), str(case / "x.tsv")])
    assert ev["SNP"]["log10LR"] == pytest.approx(snp["autosomal"]["log10LR"], abs=1e-12)
    assert main(_args(case, "--json", "--str-map", str(case / "str_map.tsv"))) == 0
    capsys.readouterr()
    # distance 0: nothing left out
    assert (
        main(
            _args(case, "--json", "--str-map", str(case / "str_map.tsv"), "--snp-str-distance", "0")
        )
        == 0
    )  # noqa: E501
    assert json.loads(capsys.readouterr().out)["evidence"]["SNP"]["snps_left_out_near_str"] == 0


@pytest.mark.parametrize(
    "mutate, extra, needle",
    [
        (lambda d: None, ["--snp-poi-id", "R9"], "no person 'R9'"),
        (
            lambda d: (d / "snp_refs.tsv").write_text(SNP_REFS.replace("\nF\t", "\nZ\t")),
            [],
            "not in the pedigree",
        ),
        (
            lambda d: (d / "str_map.tsv").write_text(STR_MAP.replace("vWA", "TH01")),
            ["--str-map", "STR"],
            "not on the STR map: vWA",
        ),
        (lambda d: None, ["--snp-error-poi", "1.5"], "--snp-error-poi"),
    ],
)
def test_bad_snp_input_one_line(case, capsys, mutate, extra, needle) -> None:
    mutate(case)
    extra = [str(case / "str_map.tsv") if x == "STR" else x for x in extra]
    assert main(_args(case, *extra)) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("nasab: error:")]
    assert len(err) == 1 and needle in err[0]


def test_snp_options_go_together(case, capsys) -> None:
    args = ["lr", "--ped", str(case / "ped.tsv"), "--poi", str(case / "poi.tsv")]
    assert main([*args, "--missing", "D", "--snp-panel", str(case / "panel.tsv")]) == 2
    assert "--snp-references is needed" in capsys.readouterr().err


@pytest.mark.parametrize("opt", ["--str-map", "--snp-poi-id"])
def test_snp_only_options_without_snp_data_refused(case, capsys, opt) -> None:
    """An SNP-only option with no SNP data is refused, not silently ignored."""
    args = ["lr", "--ped", str(case / "ped.tsv"), "--poi", str(case / "poi.tsv")]
    assert main([*args, "--missing", "D", opt, str(case / "panel.tsv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("nasab: error:") and opt in err[0]
