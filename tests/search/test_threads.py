"""A one-process search compiles chunks in two threads and scores in a third: the matches
are bit-identical to one chunk at a time, chunks finish in order, and a bad family is
reported as a one-at-a-time run reports it."""

from __future__ import annotations

import sys
import threading

import pytest

from nasab.engine import contraction as CT
from nasab.engine.errors import InputError
from nasab.search import run as R
from nasab.search.run import SearchConfig, run_search


def _config(folder, out, **kw) -> SearchConfig:
    """A search of the simulated folder in chunks of 7 missing persons."""
    return SearchConfig(
        folder / "families.tsv", folder / "remains.tsv", out, threshold=1.0, chunk=7, **kw
    )


def _search(folder, out, monkeypatch, threads, **kw):
    monkeypatch.setenv("NASAB_COMPILE_THREADS", str(threads))
    return run_search(_config(folder, out, **kw))


@pytest.mark.parametrize("mutation", ["stepwise", "proportional"])
def test_threads_give_the_same_bits(medium_sim, tmp_path, monkeypatch, mutation):
    folder, _ = medium_sim
    CT._PLANS.clear()
    CT._PATH_CACHE.clear()
    one = _search(folder, tmp_path / "one.tsv", monkeypatch, 1, mutation=mutation)
    CT._PLANS.clear()
    CT._PATH_CACHE.clear()
    _search(folder, tmp_path / "two.tsv", monkeypatch, 2, mutation=mutation)
    assert len(one.matches["remain_id"]) > 20
    assert (tmp_path / "one.tsv").read_bytes() == (tmp_path / "two.tsv").read_bytes()


def test_chunks_finish_in_order(medium_sim, tmp_path, monkeypatch):
    folder, _ = medium_sim
    seen = []
    real = R.score_chunk

    def slow_first(compiled, *a, **k):
        got = real(compiled, *a, **k)
        seen.append(compiled["rows"][0])
        return got

    monkeypatch.setattr(R, "score_chunk", slow_first)
    monkeypatch.setenv("NASAB_COMPILE_THREADS", "2")
    progress = []
    res = run_search(_config(folder, tmp_path / "m.tsv"), report=progress.append)
    assert len(seen) > 3
    assert progress == [f"chunk {k + 1}/{len(seen)} done" for k in range(len(seen))]
    assert len(res.matches["remain_id"]) > 0


def test_the_first_bad_chunk_is_reported(medium_sim, tmp_path, monkeypatch):
    """Two chunks fail at once: the error is the earlier chunk's, as one at a time."""
    folder, _ = medium_sim
    calls = []
    real = R.compile_chunk

    def failing(ch, *a, **k):
        calls.append(ch[0].family.name)
        if len(calls) in (2, 3):
            raise InputError(f"bad chunk {ch[0].family.name}")
        return real(ch, *a, **k)

    monkeypatch.setattr(R, "compile_chunk", failing)
    for threads in ("1", "2"):
        calls.clear()
        monkeypatch.setenv("NASAB_COMPILE_THREADS", threads)
        with pytest.raises(InputError) as err:
            run_search(_config(folder, tmp_path / f"m{threads}.tsv"))
        assert "bad chunk" in str(err.value)
        first = calls[1]
        assert first in str(err.value)
        assert not (tmp_path / f"m{threads}.tsv").exists()


def test_path_searches_in_threads_find_the_paths_found_alone():
    """The randomized path search seeds the random module's generator: two threads
    searching at once must still find what each finds alone."""
    import numpy as np

    def network(n):
        rng = np.random.default_rng(n)
        ops = []
        for _ in range(9):
            a, b, c = rng.choice(12, 3, replace=False)
            ops.append(((6, 6, 6), (int(a), int(b), int(c))))
        return ops

    nets = [network(n) for n in range(32)]
    CT._PATH_CACHE.clear()
    alone = [CT.find_path(ops, (), random_above=0) for ops in nets]
    CT._PATH_CACHE.clear()
    got: dict[int, tuple] = {}

    def work(ids):
        for i in ids:
            got[i] = CT.find_path(nets[i], (), random_above=0)

    ts = [threading.Thread(target=work, args=(range(k, 32, 2),)) for k in (0, 1)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads take turns often: searches overlap
    try:
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert [got[i] for i in range(32)] == alone


@pytest.mark.parametrize("value", ["0", "two", "-1", "2.5", "65"])
def test_a_bad_thread_setting_is_refused_before_the_reading(value, tmp_path, monkeypatch):
    """Never silently the default: the setting named, before any file is read (the files
    here do not exist) and nothing written."""
    monkeypatch.setenv("NASAB_COMPILE_THREADS", value)
    with pytest.raises(InputError, match="NASAB_COMPILE_THREADS") as e:
        run_search(_config(tmp_path / "absent", tmp_path / "m.tsv"))
    assert value in str(e.value) and not list(tmp_path.iterdir())
