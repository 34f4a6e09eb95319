"""The Dask-partitioned search gives identical results (small local cluster)."""

from __future__ import annotations

import pytest

from nasab.search.run import SearchConfig, run_search


def test_dask_identical(small_sim, tmp_path):
    folder, _ = small_sim
    a = run_search(
        SearchConfig(
            folder / "families.tsv",
            folder / "remains.tsv",
            tmp_path / "a.tsv",
            threshold=10.0,
            chunk=3,
        )
    )
    b = run_search(
        SearchConfig(
            folder / "families.tsv",
            folder / "remains.tsv",
            tmp_path / "b.tsv",
            threshold=10.0,
            chunk=3,
            workers=2,
        )
    )
    # same pairs in the same order; LRs equal up to floating-point summation order in the
    # worker processes (observed <= 4e-15 in log10)
    # the inconsistency counts, counted on the workers, are the one-process run's
    for k in ("remain_id", "family_id", "missing_id", "n_markers", "n_inconsistent", "kind"):
        assert a.matches[k] == b.matches[k]
    for x, y in zip(a.matches["log10_lr"], b.matches["log10_lr"], strict=True):
        assert abs(x - y) <= 1e-9


def test_a_failed_cluster_is_one_line_and_writes_nothing(small_sim, tmp_path, monkeypatch, capsys):
    """A cluster that fails mid-run (here: the scheduler connection lost, as seen under heavy
    load) ends `nasab search` with one `nasab: error:` line and exit code 1, no traceback
    and no output files."""
    from distributed.client import FutureCancelledError

    from nasab.cli import main
    from nasab.search import scale

    def lost(*args, **kwargs):
        raise FutureCancelledError("chunk-0", reason="scheduler-connection-lost")

    monkeypatch.setattr(scale, "_run_dask", lost)
    folder, _ = small_sim
    out = tmp_path / "m.tsv"
    args = ["search", "--families", str(folder / "families.tsv"), "--remains"]
    args += [str(folder / "remains.tsv"), "--out", str(out), "--workers", "2", "--quiet"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("nasab: error: the local Dask cluster failed") and err.count("\n") == 1
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


_PARENT: list[int] = []


def _dies_in_a_child(*args):
    """The counting process's task, except that the process dies as a killed one would
    (it is started fresh: this module is imported there by name)."""
    import os

    if os.getpid() not in _PARENT:
        os._exit(9)
    raise AssertionError("the main process never runs the counting process's task")


def test_a_dead_counting_process_changes_nothing(small_sim, tmp_path, monkeypatch):
    """The markers inconsistent without mutation are counted in a second process while the
    next chunk compiles; if that process dies (the kernel kills it for memory, say), the
    main process counts them itself: the same output, no BrokenProcessPool."""
    import os

    from nasab.search import counting
    from nasab.search import run as run_mod

    folder, _ = small_sim
    fams, rem = folder / "families.tsv", folder / "remains.tsv"
    a = run_search(SearchConfig(fams, rem, tmp_path / "a.tsv", threshold=10.0, chunk=3))
    _PARENT[:] = [os.getpid()]
    in_main = []
    counts = run_mod.inconsistent_counts
    monkeypatch.setattr(run_mod, "inconsistent_counts", lambda *a: in_main.append(1) or counts(*a))
    monkeypatch.setattr(counting, "_count", _dies_in_a_child)
    monkeypatch.setattr(counting, "_count_groups", _dies_in_a_child)
    monkeypatch.setattr(counting.os, "cpu_count", lambda: 2)
    b = run_search(SearchConfig(fams, rem, tmp_path / "b.tsv", threshold=10.0, chunk=3))
    _PARENT.clear()
    assert in_main  # counted in the main process after all
    assert a.matches == b.matches
    assert (tmp_path / "a.tsv").read_bytes() == (tmp_path / "b.tsv").read_bytes()


@pytest.mark.parametrize("prestart", [0, 1 << 40])
def test_the_counting_process_runs_nothing_of_an_unguarded_script(small_sim, tmp_path, prestart):
    """A script that calls the search at its top level, with no ``__main__`` guard: the
    counting process (started fresh, before the reading or after it) must not run it a
    second time (it would search again and write the same output files); the counts are
    those of the main process."""
    import os
    import subprocess
    import sys
    import textwrap

    folder, _ = small_sim
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(f"""
            import os
            from pathlib import Path
            from nasab.search import counting
            from nasab.search.config import SearchConfig
            from nasab.search.run import run_search
            with open({str(tmp_path / "runs.txt")!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")
            counting.os.cpu_count = lambda: 2
            counting.PRESTART_BYTES = {prestart}
            folder = Path({str(folder)!r})
            cfg = SearchConfig(folder / "families.tsv", folder / "remains.tsv",
                               Path({str(tmp_path / "out.tsv")!r}), threshold=10.0, chunk=3)
            run_search(cfg)
        """)
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, str(script)], check=True, env=env, cwd=tmp_path)
    assert len((tmp_path / "runs.txt").read_text().split()) == 1
    here = run_search(
        SearchConfig(
            folder / "families.tsv",
            folder / "remains.tsv",
            tmp_path / "here.tsv",
            threshold=10.0,
            chunk=3,
            inconsistent=True,
        )
    )
    assert (tmp_path / "out.tsv").read_bytes() == (tmp_path / "here.tsv").read_bytes()
    assert here.matches["n_inconsistent"]


def test_local_workers_start_with_nasabs_allocator_settings():
    """Dask's nanny would start them with MALLOC_TRIM_THRESHOLD_=65536 alone (the
    one-of-two setting that made page faults a third of the Syria-scale run)."""
    import os

    from nasab.engine.allocator import environment
    from nasab.search.scale import local_cluster

    cluster, client = local_cluster(1)
    try:
        got = client.run(lambda: {k: os.environ.get(k) for k in environment()})
    finally:
        client.close()
        cluster.close()
    assert list(got.values()) == [environment()]


def test_pairs_the_counting_process_leaves_are_counted_in_the_main_process(small_sim):
    """The counting process leaves to the main process the pairs its patterns do not decide
    (shapes beyond the memory limit, silent alleles): those are counted by the full
    recompile there, the others kept as the process counted them."""
    from concurrent.futures import Future

    import numpy as np

    from nasab.engine.mutation import mutation_specs
    from nasab.search import engine as E
    from nasab.search.counting import InconsistencyOverlap
    from nasab.search.data import read_families, read_remains
    from nasab.search.run import load_table

    folder, _ = small_sim
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    tabx = E.extended_table(load_table(None), fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, mutation_specs(fam.markers, "proportional"))
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models], 0.0)
    codes = layout.codes(rem.profiles)
    fams = {fd.family.name: fd for fd in fam.families}
    kept = [(fd.family.name, mp) for fd in fam.families for mp in fd.missing][:5]
    remains = np.arange(len(kept)) % len(codes)
    pairs = [(f, p, codes[j]) for (f, p), j in zip(kept, remains.tolist(), strict=True)]
    want = E.inconsistent_counts(fams, layout, tabx, pairs)
    overlap = InconsistencyOverlap.__new__(InconsistencyOverlap)
    overlap.fams, overlap.data = fams, (layout, tabx, codes)
    job: Future = Future()
    job.set_result((np.array([7, want[1], 7, want[3], 7]), np.array([0, 2, 4])))
    assert overlap._finished(job, kept, remains) == want
