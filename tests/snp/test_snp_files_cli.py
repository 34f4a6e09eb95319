"""SNP files (panel, tables, VCF) and `nasab snp` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nasab.cli import main
from nasab.engine.errors import InputError
from nasab.engine.pedigree import Pedigree
from nasab.formats.snp import read_panel, read_snp_table, read_vcf
from nasab.sim.snp import drop_snps, mask_calls

PANEL = """# test panel
marker\tchromosome\tposition_bp\tcM_male\tcM_female\tcM_sexavg\tallele\tfrequency
rs1\t1\t1000\t0\t0\t0\tA\t0.3
rs1\t1\t1000\t0\t0\t0\tG\t0.7
rs2\t1\t2000\t1.5\t2.5\t2\tC\t0.6
rs2\t1\t2000\t1.5\t2.5\t2\tT\t0.4
rs3\t2\t500\t0\t0\t0\tA\t0.5
rs3\t2\t500\t0\t0\t0\tC\t0.5
"""
ROWS = [("F", "0", "0", 1), ("M", "0", "0", 2), ("A", "F", "M", 1), ("B", "F", "M", 1)]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "panel.tsv").write_text(PANEL, encoding="utf-8")
    (tmp_path / "family.ped").write_text(
        "id\tfid\tmid\tsex\n" + "".join(f"{a}\t{b}\t{c}\t{d}\n" for a, b, c, d in ROWS),
        encoding="utf-8",
    )
    (tmp_path / "refs.tsv").write_text("id\trs1\trs2\trs3\nB\tA/G\tC/C\t-\n", "utf-8")
    (tmp_path / "poi.tsv").write_text("id\trs1\trs2\trs3\nR1\t1\t2\tA/C\n", "utf-8")
    vcf = [
        "##fileformat=VCFv4.2",
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tR1",
        "1\t1000\trs1\tG\tA\t.\tPASS\t.\tGT\t0/1",
        "1\t2000\t.\tC\tT\t.\tPASS\t.\tGT\t0|0",
        "2\t500\trs3\tA\tC\t.\tPASS\t.\tGT\t0/1",
    ]
    (tmp_path / "poi.vcf").write_text("\n".join(vcf) + "\n", encoding="utf-8")
    return {p.stem + p.suffix: p for p in tmp_path.iterdir()}


def test_table_and_vcf_give_the_same_calls(files) -> None:
    panel = read_panel(files["panel.tsv"])
    assert panel.cm_female[1] == 2.5 and panel.allele1 == ("A", "C", "A")
    tab = read_snp_table(files["poi.tsv"], panel)["R1"]
    vcf = read_vcf(files["poi.vcf"], panel)["R1"]
    assert tab.tolist() == vcf.tolist() == [1, 2, 1]


def test_cli_lr_json_and_report(files, capsys) -> None:
    args = [
        "snp",
        "lr",
        "--ped",
        str(files["family.ped"]),
        "--missing",
        "A",
        "--references",
        str(files["refs.tsv"]),
        "--panel",
        str(files["panel.tsv"]),
    ]
    assert main([*args, "--poi", str(files["poi.tsv"]), "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main([*args, "--poi", str(files["poi.vcf"]), "--json"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a["log10LR"] == pytest.approx(b["log10LR"], abs=1e-12)
    assert a["snps_used"] == 3 and "Haldane" in a["model"]
    assert main([*args, "--poi", str(files["poi.tsv"])]) == 0
    assert "unlinked" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda p: p["refs.tsv"].write_text("id\trs1\trs9\nB\tA/G\t-\n"), "not in the SNP panel"),
        (lambda p: p["refs.tsv"].write_text("id\trs1\nB\tA/T\n"), "not a genotype of A/G"),
        (lambda p: p["refs.tsv"].write_text("id\trs1\nZ\tA/G\n"), "not in the pedigree"),
        (lambda p: p["panel.tsv"].write_text(PANEL.replace("0.7", "0.8")), "sum to 1"),
        (
            lambda p: p["panel.tsv"].write_text(PANEL.replace("\tA\t0.5\n", "\tA\tx\n")),
            "frequency 'x' is not a number",
        ),
    ],
)
def test_bad_input_one_line_exit_2(files, capsys, mutate, needle) -> None:
    mutate(files)
    code = main(
        [
            "snp",
            "lr",
            "--ped",
            str(files["family.ped"]),
            "--missing",
            "A",
            "--references",
            str(files["refs.tsv"]),
            "--poi",
            str(files["poi.tsv"]),
            "--panel",
            str(files["panel.tsv"]),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and needle in err and err.startswith("nasab: error:")
    assert len(err.strip().splitlines()) == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_readers_never_crash_on_mutated_files(files, data) -> None:
    """Mutated panel and genotype files: a result or an InputError, never anything else."""
    for name, reader in (("panel.tsv", "panel"), ("refs.tsv", "table")):
        text = files[name].read_text()
        pos = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 10))
        junk = data.draw(st.text(alphabet="\t\n/-.0123456789ACGTx#é", max_size=6))
        files[name].write_text(text[:pos] + junk + text[pos + cut :], encoding="utf-8")
        try:
            panel = read_panel(files["panel.tsv"])
            if reader == "table":
                read_snp_table(files["refs.tsv"], panel)
        except InputError:
            pass
        files[name].write_text(text, encoding="utf-8")


def test_relate_finds_the_simulated_relationship(files, tmp_path, capsys) -> None:
    from nasab.snp.relate import RELATIONSHIPS, check_relationship

    rng = np.random.default_rng(4)
    n = 300
    pos = np.sort(rng.choice(np.arange(1, 10**8), n, replace=False))
    lines = ["marker\tchromosome\tposition_bp\tcM_male\tcM_female\tallele\tfrequency"]
    for k in range(n):
        c, cm = 1 + k // 100, (k % 100) * 1.5
        p = round(float(rng.uniform(0.2, 0.8)), 3)
        lines += [
            f"rs{k}\t{c}\t{pos[k]}\t{cm}\t{cm * 1.4}\tA\t{p}",
            f"rs{k}\t{c}\t{pos[k]}\t{cm}\t{cm * 1.4}\tG\t{round(1 - p, 3)}",
        ]
    (tmp_path / "big.tsv").write_text("\n".join(lines) + "\n")
    panel = read_panel(tmp_path / "big.tsv")
    g = drop_snps(RELATIONSHIPS["half siblings"], panel, rng)
    a, b = mask_calls(g["A"], 0.05, 0.0, rng), mask_calls(g["B"], 0.05, 0.0, rng)
    r = check_relationship(a, b, panel, claimed="unrelated")
    assert r.best != "unrelated" and r.log10_lr_claimed_vs_best < -3
    assert (
        r.log10_lr_vs_unrelated["parent-child"] == -np.inf
        or r.log10_lr_vs_unrelated["parent-child"] < r.log10_lr_vs_unrelated[r.best]
    )
    segs = check_relationship(a, b, panel, claimed="half siblings").segments
    assert segs and all(s.ibd in (1, 2) for s in segs)


def test_unrelated_expected_lr_one_by_simulation() -> None:
    """E[LR] = 1 for unrelated POIs (simulation with linkage, half-sib reference)."""
    from nasab.engine.snp import SNPPanel, missing_person_snp_lr

    n = 12
    panel = SNPPanel(
        tuple(f"rs{i}" for i in range(n)),
        np.ones(n, int),
        np.arange(n),
        np.arange(n) * 4.0,
        np.arange(n) * 6.0,
        ("A",) * n,
        ("B",) * n,
        np.full(n, 0.5),
    )
    ped = Pedigree.from_records(
        [
            ("F", None, None, 1),
            ("M1", None, None, 2),
            ("M2", None, None, 2),
            ("A", "F", "M1", 1),
            ("B", "F", "M2", 1),
        ]
    )
    rng = np.random.default_rng(11)
    refs = {"B": drop_snps(ped, panel, rng)["B"]}
    lrs = [
        10
        ** missing_person_snp_lr(
            ped,
            refs,
            "A",
            drop_snps(Pedigree.from_records([("X", None, None, 1)]), panel, rng)["X"],
            panel,
        ).log10_lr
        for _ in range(4000)
    ]
    assert np.mean(lrs) == pytest.approx(1.0, abs=5 * np.std(lrs) / np.sqrt(len(lrs)))


def test_cli_power(files, capsys) -> None:
    code = main(
        [
            "snp",
            "power",
            "--ped",
            str(files["family.ped"]),
            "--missing",
            "A",
            "--reference",
            "B",
            "--panel",
            str(files["panel.tsv"]),
            "--n",
            "5",
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["n"] == 5
    assert all(0 <= v <= 1 for v in out["p_true_at_least"].values())
    assert (
        main(
            [
                "snp",
                "power",
                "--ped",
                str(files["family.ped"]),
                "--missing",
                "Q",
                "--reference",
                "B",
                "--panel",
                str(files["panel.tsv"]),
            ]
        )
        == 2
    )


def test_relate_names_the_genotype_files(files, tmp_path, capsys) -> None:
    """A --pair id in no genotype file named no file; a person in two --genotypes files
    had the later file's calls silently replace the earlier's. Both: one line, exit 2."""
    geno = tmp_path / "geno.tsv"
    geno.write_text("id\trs1\trs2\trs3\nB\tA/G\tC/C\tA/A\nR1\tA/A\tC/T\tA/C\n", "utf-8")
    other = tmp_path / "other.tsv"
    other.write_text("id\trs1\trs2\trs3\nR1\tG/G\tT/T\tC/C\n", "utf-8")
    base = ["snp", "relate", "--panel", str(files["panel.tsv"]), "--pair", "B", "R1"]
    for genotypes, needle in (
        ([other], f"nasab: error: field '--pair': no person 'B' in {other}"),
        ([geno, other], f"nasab: error: {other}: R1 also in an earlier --genotypes file"),
    ):
        assert main([*base, "--genotypes", *map(str, genotypes)]) == 2
        assert capsys.readouterr().err.strip().splitlines() == [needle]
