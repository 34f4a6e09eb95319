"""The file interface of issue 3, through the command line: what simulate writes, what search
reads and writes, and that `nasab lr` on a kept pair gives the search's LR."""

from __future__ import annotations

import json

import pytest

from nasab.cli import main
from nasab.engine.frequencies import read_frequencies


def _rows(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return header, [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:]]


def _simulated(folder, families: int, remains: int, seed: int):
    """``nasab simulate`` into ``folder`` (TSV only)."""
    argv = ["simulate", "--families", str(families), "--remains", str(remains)]
    assert main([*argv, "--seed", str(seed), "--out", str(folder), "--format", "tsv"]) == 0
    return folder


def _search_args(folder) -> list[str]:
    """``nasab search``'s input options for the tables of a simulation folder."""
    tables = ["--families", str(folder / "families.tsv"), "--remains", str(folder / "remains.tsv")]
    return ["search", *tables, "--freqs", str(folder / "freqs.txt")]


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    d = tmp_path_factory.mktemp("iface")
    assert (
        main(["simulate", "--families", "12", "--remains", "16", "--seed", "4", "--out", str(d)])
        == 0
    )
    out = d / "matches.tsv"
    assert main([*_search_args(d), "--out", str(out), "--threshold", "10", "--quiet"]) == 0
    return d, out


def test_simulate_columns(searched):
    d, _ = searched
    header, fams = _rows(d / "families.tsv")
    assert header[:6] == ["family_id", "id", "fid", "mid", "sex", "missing"]
    assert len(header) == 6 + 24
    assert all("/" in r[header[6]] for r in fams)
    header, rem = _rows(d / "remains.tsv")
    assert header[0] == "remain_id"
    header, truth = _rows(d / "truth.tsv")
    assert header[:3] == ["remain_id", "family_id", "missing_id"]
    assert {t["remain_id"] for t in truth} == {r["remain_id"] for r in rem}
    members = {(f["family_id"], f["id"]) for f in fams if f["missing"] == "1"}
    for t in truth:
        assert (t["family_id"] == "") == (t["missing_id"] == "")
        if t["family_id"]:
            assert (t["family_id"], t["missing_id"]) in members
    table = read_frequencies(d / "freqs.txt")  # Familias format, the 24 markers used
    assert len(table.markers) == 24 and "SE33" in table


def test_search_columns_and_model_sidecar(searched):
    _, out = searched
    header, rows = _rows(out)
    assert header[:3] == ["remain_id", "family_id", "missing_id"]
    for col in ("log10_lr", "n_markers", "n_inconsistent", "posterior"):
        assert col in header
    assert rows and all(float(r["log10_lr"]) >= 1 for r in rows)
    meta = json.loads((out.parent / (out.name + ".model.json")).read_text())
    assert meta["mutation_model_name"] == "stepwise"
    assert meta["mutation_model"].startswith("stepwise at the published per-marker rates")
    assert meta["frequency_table"].startswith("freqs.txt")
    assert meta["pairs_kept"] == len(rows)


def test_lr_command_agrees_on_kept_pairs(searched, capsys):
    d, out = searched
    _, rows = _rows(out)
    for r in rows[:6]:
        capsys.readouterr()
        assert (
            main(
                [
                    "lr",
                    "--families",
                    str(d / "families.tsv"),
                    "--family-id",
                    r["family_id"],
                    "--missing",
                    r["missing_id"],
                    "--poi",
                    str(d / "remains.tsv"),
                    "--poi-id",
                    r["remain_id"],
                    "--freqs",
                    str(d / "freqs.txt"),
                    "--mutation",
                    "stepwise",
                    "--json",
                ]
            )
            == 0
        )
        got = json.loads(capsys.readouterr().out)
        assert abs(got["log10LR"] - float(r["log10_lr"])) <= 1e-6
        assert got["markers_compared"] == int(r["n_markers"])


def test_gpu_without_cupy_is_a_clear_error(searched, tmp_path, capsys, monkeypatch):
    pytest.importorskip("numpy")
    try:
        import cupy  # noqa: F401

        pytest.skip("CuPy is installed here")
    except ImportError:
        pass
    d, _ = searched
    monkeypatch.delenv("NASAB_GPU", raising=False)
    rc = main(
        [
            "search",
            "--families",
            str(d / "families.tsv"),
            "--remains",
            str(d / "remains.tsv"),
            "--out",
            str(tmp_path / "m.tsv"),
            "--gpu",
            "--quiet",
        ]
    )
    assert rc == 2
    assert "CuPy" in capsys.readouterr().err
    assert not (tmp_path / "m.tsv").exists()
    assert "NASAB_GPU" not in __import__("os").environ


def test_default_options_agree_between_search_and_lr(tmp_path_factory, capsys):
    """Issue 12: one vocabulary, one default model. A pair kept by `nasab search` with its
    default options, recomputed by `nasab lr` with its default options (no --mutation, no
    --freqs), gives the same log10 LR to 1e-9."""
    d = _simulated(tmp_path_factory.mktemp("defaults"), 6, 10, 7)
    out = d / "m.tsv"
    assert (
        main(
            [
                "search",
                "--families",
                str(d / "families.tsv"),
                "--remains",
                str(d / "remains.tsv"),
                "--out",
                str(out),
                "--threshold",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    _, rows = _rows(out)
    meta = json.loads((out.parent / (out.name + ".model.json")).read_text())
    assert rows
    for r in rows[:4]:
        capsys.readouterr()
        assert (
            main(
                [
                    "lr",
                    "--families",
                    str(d / "families.tsv"),
                    "--family-id",
                    r["family_id"],
                    "--missing",
                    r["missing_id"],
                    "--poi",
                    str(d / "remains.tsv"),
                    "--poi-id",
                    r["remain_id"],
                    "--json",
                ]
            )
            == 0
        )
        got = json.loads(capsys.readouterr().out)
        assert abs(got["log10LR"] - float(r["log10_lr"])) <= 1e-9
        assert got["mutation_model"] == meta["mutation_model"]  # the same words


def test_bench_runs_end_to_end_on_a_tiny_programme(tmp_path):
    """`nasab bench` (and benchmarks/blind_search.py) runs every part — search, kernel at
    scale, the incremental store, quality — on a tiny programme (its store part once failed
    unseen: the store is built aside and must be published before it is reopened)."""
    import json

    from nasab.cli import main

    out = tmp_path / "bench"
    args = ["bench", "--families", "30", "--remains", "30", "--kernel-families", "200"]
    assert main([*args, "--kernel-remains", "150", "--out", str(out)]) == 0
    report = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert report["incremental"]["store_rows"] == 200
    assert report["incremental"]["remain_vs_all_ms_median"] > 0


def test_what_cannot_be_weighed_is_said(tmp_path, capsys):
    """A remain typed at no marker and a family with no typed relative give LR 1 against
    everything: the run says so (a warning line each, and the model file's
    "uninformative"), instead of passing them over in silence."""
    sim = _simulated(tmp_path / "sim", 6, 6, 3)
    lines = (sim / "families.tsv").read_text().splitlines()
    first = lines[1].split("\t")[0]
    lines = [lines[0]] + [
        "\t".join(c[:6] + ["-/-"] * (len(c) - 6)) if c[0] == first else ln
        for ln in lines[1:]
        for c in [ln.split("\t")]
    ]
    (sim / "families.tsv").write_text("\n".join(lines) + "\n")
    rows = (sim / "remains.tsv").read_text().splitlines()
    cells = rows[1].split("\t")
    rows[1] = "\t".join(cells[:2] + ["-/-"] * (len(cells) - 2))
    (sim / "remains.tsv").write_text("\n".join(rows) + "\n")
    capsys.readouterr()
    out = tmp_path / "m.tsv"
    assert main([*_search_args(sim), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"1 remains typed at no compared marker (never matched): {cells[0]}" in err
    assert f"without a typed relative (no remain can match them): {first}/" in err
    meta = json.loads((tmp_path / "m.tsv.model.json").read_text())["uninformative"]
    assert meta["remains_typed_at_no_marker"] == {"count": 1, "ids": [cells[0]]}
    assert meta["missing_persons_without_typed_relatives"]["count"] >= 1
