"""Contraction paths kept between runs (nasab.engine.path_cache): the same paths, hence the
same numbers bit for bit; a broken, foreign or unwritable cache never changes a result nor
stops a run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nasab.engine import contraction as CT
from nasab.engine import path_cache

# a looped network (first cousins' child): the randomized search runs on it
_OPS = [
    ((48, 48), (0, 1)),
    ((48, 48, 48), (0, 2, 3)),
    ((48, 48, 48), (1, 2, 4)),
    ((48, 48, 48), (3, 4, 5)),
    ((48, 48, 48), (3, 5, 6)),
    ((48, 48, 48), (4, 6, 7)),
    ((48, 48), (5, 7)),
]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(path_cache.ENV, str(folder))
    monkeypatch.setattr(path_cache, "_KEPT", {})
    monkeypatch.setattr(path_cache, "_NEW", {})
    monkeypatch.setattr(CT, "_PATH_CACHE", {})
    return folder


def test_valid_path():
    assert path_cache.valid_path([[0, 1], [0, 1]], 3)
    assert path_cache.valid_path([[0], [0, 1]], 2)
    assert not path_cache.valid_path([[0, 1]], 3)  # two tensors left
    assert not path_cache.valid_path([[0, 3], [0, 1]], 3)  # no tensor 3
    assert not path_cache.valid_path([[1, 1], [0, 1]], 3)
    assert not path_cache.valid_path([[0, True]], 2)
    assert not path_cache.valid_path("[[0, 1]]", 2)


@given(st.lists(st.lists(st.integers(-2, 6), max_size=3), max_size=6), st.integers(1, 6))
def test_valid_path_never_raises(path, n):
    path_cache.valid_path(path, n)


def test_a_kept_path_is_the_path_found(cache_dir):
    found = CT.find_path(_OPS, (0,), random_above=0)
    CT.save_paths()
    files = list(cache_dir.iterdir())
    assert len(files) == 1
    # a fresh process reads it instead of searching, and gets the same path and cost
    path_cache._KEPT.clear()
    CT._PATH_CACHE.clear()
    key = repr((tuple(_OPS), (0,), True, 0))
    assert key in path_cache.kept(f"t{CT.RANDOM_PATH_TRIALS}")
    assert CT.find_path(_OPS, (0,), random_above=0) == found
    assert not path_cache._NEW


def test_the_same_path_without_the_cache(cache_dir, monkeypatch):
    found = CT.find_path(_OPS, (0,), random_above=0)
    CT.save_paths()
    monkeypatch.setenv(path_cache.ENV, "off")
    path_cache._KEPT.clear()
    CT._PATH_CACHE.clear()
    assert CT.find_path(_OPS, (0,), random_above=0) == found


def test_a_broken_or_forged_file_is_ignored(cache_dir):
    found = CT.find_path(_OPS, (0,), random_above=0)
    CT.save_paths()
    file = next(cache_dir.iterdir())
    key = repr((tuple(_OPS), (0,), True, 0))
    for text in (
        "{not json",
        "[1, 2]",
        json.dumps({key: [7, [[0, 9]], [1.0, 2.0]]}),  # not a path of 7 tensors
        json.dumps({key: [7, [[0, 1]], [1.0, 2.0]]}),  # leaves 6 tensors
        json.dumps({key: "x"}),
        "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    ):
        file.write_text(text, encoding="latin-1")
        path_cache._KEPT.clear()
        CT._PATH_CACHE.clear()
        assert CT.find_path(_OPS, (0,), random_above=0) == found


def test_an_unwritable_cache_stops_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(path_cache.ENV, str(blocker / "cache"))
    monkeypatch.setattr(path_cache, "_KEPT", {})
    monkeypatch.setattr(path_cache, "_NEW", {})
    monkeypatch.setattr(CT, "_PATH_CACHE", {})
    CT.find_path(_OPS, (0,), random_above=0)
    CT.save_paths()  # no error


def test_a_search_with_the_cache_is_bit_identical(small_sim, tmp_path):
    """Three processes: without the cache, filling it, reading it: the same bytes."""
    folder, _ = small_sim
    out = {}
    for name, cache in (
        ("off", "off"),
        ("fill", str(tmp_path / "c")),
        ("read", str(tmp_path / "c")),
    ):
        env = {**os.environ, path_cache.ENV: cache, "PYTHONPATH": os.pathsep.join(sys.path)}
        dest = tmp_path / f"{name}.tsv"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from nasab.cli import main; sys.exit(main())",
                "search",
                "--families",
                str(folder / "families.tsv"),
                "--remains",
                str(folder / "remains.tsv"),
                "--threshold",
                "10",
                "--out",
                str(dest),
                "--quiet",
            ],
            check=True,
            env=env,
        )
        out[name] = dest.read_bytes()
        if name == "fill":
            assert list((tmp_path / "c").iterdir())
    assert out["off"] == out["fill"] == out["read"]


def test_no_home_folder_means_no_cache(monkeypatch):
    """No HOME and no passwd entry (a service account, a container): nothing is kept, and
    the search goes on (Path.home raises there)."""
    monkeypatch.delenv(path_cache.ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(path_cache.Path, "home", staticmethod(no_home))
    assert path_cache.cache_file("t16") is None
    assert path_cache.load(None) == {}
