"""Issue 13: nasab power with tiny accepted frequencies (1e-60, 1e-100, 1e-200) gives finite
numbers equal to their closed forms, through the one-family report and the programme view
(the engine's joints are rescaled, the unrelated person's probabilities summed in log10)."""

from __future__ import annotations

import json
import math
from itertools import combinations_with_replacement
from pathlib import Path

import pytest

from nasab.cli import main

TINY = [1e-60, 1e-100, 1e-200]


def _freqs(p: float) -> dict[str, float]:
    rest = (1.0 - p) / 3
    return {"1": p, "2": rest, "3": rest, "4": rest}


def _files(tmp: Path, p: float, father: str, mother: str) -> tuple[Path, Path]:
    ped = tmp / "prog" / "f.ped"
    ped.parent.mkdir()
    ped.write_text(
        f"id\tfid\tmid\tsex\tM1\nFA\t0\t0\t1\t{father}\nMO\t0\t0\t2\t{mother}\nMP\tFA\tMO\t1\t-/-\n"
    )
    fr = tmp / "fr.txt"
    fr.write_text("M1\n" + "".join(f"{a}\t{f!r}\n" for a, f in _freqs(p).items()))
    return ped, fr


def _closed_form(p: float, father: tuple[str, str]) -> tuple[float, float]:
    """Father typed, mother untyped, no mutation: the MP's ordered genotype (x, y) has
    probability T(x) f_y with T the father's transmission; each unordered profile's LR
    against an unrelated person (f_x f_y, twice for a heterozygote), in log10 so that
    nothing underflows. Returns (expected log10 LR, exclusion probability)."""
    f = _freqs(p)
    t = {a: father.count(a) / 2 for a in f}
    expected = 0.0
    for x, y in combinations_with_replacement(sorted(f), 2):
        rel = t[x] * f[y] + (t[y] * f[x] if x != y else 0.0)
        if rel == 0:
            continue
        log_unrel = math.log10(f[x]) + math.log10(f[y]) + (math.log10(2) if x != y else 0.0)
        expected += rel * (math.log10(rel) - log_unrel)
    outside = sum(v for a, v in f.items() if a not in father)
    return expected, outside**2


def _power(args: list[str], capsys) -> dict:
    assert main(["power", *args, "--mutation", "none", "--json", "--nsim", "200"]) == 0
    return json.loads(capsys.readouterr().out)  # strict: no Infinity/NaN


@pytest.mark.parametrize("p", TINY)
def test_power_tiny_frequency_parent_child(tmp_path, capsys, p) -> None:
    ped, fr = _files(tmp_path, p, "1/2", "-/-")
    expected, excluded = _closed_form(p, ("1", "2"))
    assert expected > 0.49 * -math.log10(4 * p)  # the rare allele carries half the mass
    one = _power(["--ped", str(ped), "--freqs", str(fr), "--missing", "MP"], capsys)["power"]
    assert one["expected_log10LR"] == pytest.approx(expected, rel=1e-9)
    assert one["exclusion_probability"] == pytest.approx(excluded, rel=1e-9)
    q = one["log10LR_quantiles_if_MP"]
    assert all(isinstance(v, float) and math.isfinite(v) for v in q.values())
    assert q["95%"] == pytest.approx(-math.log10(4 * p), rel=1e-9)  # a/c: 1 / (4 p_a)
    other = ped.parent / "g.ped"  # same pattern, common alleles: batched with it
    other.write_text(ped.read_text().replace("1/2", "2/3"))
    prog = _power(["--programme", str(ped.parent), "--freqs", str(fr), "--missing", "MP"], capsys)
    rows = {r["family"]: r for r in prog["families"]}
    assert rows["f"]["expected_log10_lr"] == pytest.approx(expected, rel=1e-9)
    assert rows["f"]["exclusion_probability"] == pytest.approx(excluded, rel=1e-9)
    assert math.isfinite(rows["f"]["best_donor_expected"])
    alone = _power(["--ped", str(other), "--freqs", str(fr), "--missing", "MP"], capsys)["power"]
    assert rows["g"]["expected_log10_lr"] == pytest.approx(alone["expected_log10LR"], rel=1e-12)
    best = max(alone_c["expected_log10LR"] for alone_c in alone_candidates(other, fr, capsys))
    assert rows["g"]["best_donor_expected"] == pytest.approx(best, rel=1e-9)


def alone_candidates(ped: Path, fr: Path, capsys) -> list[dict]:
    out = _power(["--ped", str(ped), "--freqs", str(fr), "--missing", "MP"], capsys)
    return out["whom_to_sample_next"]


@pytest.mark.parametrize("p", TINY)
def test_power_tiny_frequency_both_parents_rare_homozygotes(tmp_path, capsys, p) -> None:
    """Both parents 1/1 with p_1 = p: the joint is p**4 (below the floating-point range at
    1e-100), the MP is 1/1 for sure, LR = 1 / p**2, every other genotype excluded."""
    ped, fr = _files(tmp_path, p, "1/1", "1/1")
    one = _power(["--ped", str(ped), "--freqs", str(fr), "--missing", "MP"], capsys)["power"]
    assert one["expected_log10LR"] == pytest.approx(-2 * math.log10(p), rel=1e-12)
    assert one["exclusion_probability"] == pytest.approx(1.0, abs=1e-12)
    # the programme view batches it with a family of the same shape and common alleles
    # (rescaled family by family): each gets its own number
    other = ped.parent / "g.ped"
    other.write_text(ped.read_text().replace("1/1", "2/2"))  # same pattern
    prog = _power(["--programme", str(ped.parent), "--freqs", str(fr), "--missing", "MP"], capsys)
    rows = {r["family"]: r for r in prog["families"]}
    assert rows["f"]["expected_log10_lr"] == pytest.approx(-2 * math.log10(p), rel=1e-12)
    alone = _power(["--ped", str(other), "--freqs", str(fr), "--missing", "MP"], capsys)
    assert rows["g"]["expected_log10_lr"] == pytest.approx(
        alone["power"]["expected_log10LR"], rel=1e-12
    )


@pytest.mark.parametrize("chart", ["chart", "chart.txt"])
def test_programme_chart_without_an_image_suffix_is_refused_first(chart, tmp_path, capsys):
    """--chart out (no suffix) or out.txt: matplotlib's 'Format 'tmp' is not supported'
    traceback after the whole simulation; now one line, exit 2, before any work."""
    ped, fr = _files(tmp_path, 0.1, "1/2", "-/-")
    out = tmp_path / chart
    argv = ["power", "--programme", str(ped.parent), "--freqs", str(fr), "--chart", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("nasab: error: field '--chart': "), err
    assert "ending in .png" in err[0] and not out.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        (["--theta", "0.3"], "--theta"),
        (["--dropout", "0.5"], "--dropout"),
        (["--pedigree", "x"], "--pedigree"),
    ],
)
def test_programme_refuses_options_it_does_not_use(extra, field, tmp_path, capsys):
    """--programme with --theta, --dropout or --pedigree gave the same figures as without
    them (silently ignored); now one line, exit 2."""
    ped, fr = _files(tmp_path, 0.1, "1/2", "-/-")
    argv = ["power", "--programme", str(ped.parent), "--freqs", str(fr), *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"nasab: error: field {field!r}: not used with --programme: {field}"], err


def test_pedigree_without_fam_is_refused(capsys):
    case = Path(__file__).parents[1] / "familias" / "fixtures" / "missing_person_case"
    assert main(["power", "--case", str(case), "--pedigree", "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "nasab: error: field '--pedigree': --pedigree chooses a pedigree of --fam FILE.fam"
    ]


def test_programme_honours_the_mutation_options(tmp_path, capsys):
    """--programme --mutation/--rate gave the figures without mutation (ignored)."""
    ped, fr = _files(tmp_path, 0.1, "1/2", "-/-")
    base = ["--programme", str(ped.parent), "--freqs", str(fr), "--no-candidates"]
    a = _power(base, capsys)["families"][0]["expected_log10_lr"]
    argv = ["power", *base, "--mutation", "equal", "--rate", "0.2", "--json", "--nsim", "200"]
    assert main(argv) == 0
    b = json.loads(capsys.readouterr().out)["families"][0]["expected_log10_lr"]
    assert b < a


def test_programme_marker_absent_from_the_table_names_the_ped(tmp_path, capsys) -> None:
    """A .ped of the programme typed at a marker the frequency table lacks was refused only
    after the simulations of the families before it, naming the table; now at once, naming
    the .ped and the table."""
    ped, fr = _files(tmp_path, 0.1, "1/2", "-/-")
    bad = ped.parent / "g.ped"
    bad.write_text(
        "id\tfid\tmid\tsex\tM1\tM9\nFA\t0\t0\t1\t1/2\t3/4\n"
        "MO\t0\t0\t2\t-/-\t-/-\nMP\tFA\tMO\t1\t-/-\t-/-\n"
    )
    argv = ["power", "--programme", str(ped.parent), "--freqs", str(fr), "--missing", "MP"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"nasab: error: {bad}: marker M9 is not in the frequency table {fr}",
    ], err
