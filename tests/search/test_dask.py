"""The Dask-partitioned search gives identical results (small local cluster)."""

from __future__ import annotations

from nasab.search.run import SearchConfig, run_search


def test_dask_identical(small_sim, tmp_path):
    folder, _ = small_sim
    a = run_search(SearchConfig(folder / "families.tsv", folder / "remains.tsv",
                                tmp_path / "a.tsv", threshold=10.0, chunk=3))
    b = run_search(SearchConfig(folder / "families.tsv", folder / "remains.tsv",
                                tmp_path / "b.tsv", threshold=10.0, chunk=3, workers=2))
    assert a.matches == b.matches
    assert (tmp_path / "a.tsv").read_text() == (tmp_path / "b.tsv").read_text()
