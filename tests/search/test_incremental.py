"""Compiled store: a new remain, and a new or changed family, without recompiling."""

from __future__ import annotations

import errno
import math
import os

import pytest

from nasab.cli import main
from nasab.engine.errors import InputError
from nasab.search.data import FamilyData, read_families, read_remains
from nasab.search.run import SearchConfig, run_search
from nasab.search.store import Store


def test_store_incremental(small_sim, tmp_path):
    folder, _ = small_sim
    store_dir = tmp_path / "store"
    t = 10.0
    res = run_search(
        SearchConfig(
            folder / "families.tsv",
            folder / "remains.tsv",
            tmp_path / "m.tsv",
            threshold=t,
            store=store_dir,
        )
    )
    batch = {
        (r, f, p): v
        for r, f, p, v in zip(
            res.matches["remain_id"],
            res.matches["family_id"],
            res.matches["missing_id"],
            res.matches["log10_lr"],
            strict=True,
        )
    }
    store = Store.open(store_dir)
    rem, _, _ = read_remains(folder / "remains.tsv")
    inc = {}
    for prof in rem.profiles:
        for f, p, v, *_ in store.search_remain(prof, math.log10(t)):
            inc[(prof.id, f, p)] = v
    assert inc.keys() == batch.keys()
    for k, v in inc.items():
        assert abs(v - batch[k]) < 1e-9
    # a changed family: same data under a new name replaces nothing, adds its rows
    fam = read_families(folder / "families.tsv").families[0]
    fam.family.name = "NEWFAM"
    got = store.update_family(FamilyData(fam.family, fam.missing, fam.line), math.log10(t))
    old = {
        (r, p): v
        for (r, f, p), v in batch.items()
        if f == read_families(folder / "families.tsv").families[0].family.name
    }
    assert {(r, p): v for r, f, p, v, *_ in got}.keys() == old.keys()
    store2 = Store.open(store_dir)
    assert sum(a for _, _, a in store2.rows) == res.n_missing + len(fam.missing)
    # replacing it again deactivates the previous rows
    store2.update_family(FamilyData(fam.family, fam.missing, fam.line), math.log10(t))
    assert sum(a for _, _, a in Store.open(store_dir).rows) == res.n_missing + len(fam.missing)


# -- issue 13: the store folder appears whole or not at all --------------------------------
def _search(folder, tmp_path, store_dir) -> list[str]:
    return [
        "search",
        "--families",
        str(folder / "families.tsv"),
        "--remains",
        str(folder / "remains.tsv"),
        "--out",
        str(tmp_path / "m.tsv"),
        "--threshold",
        "10",
        "--store",
        str(store_dir),
        "--quiet",
        "--no-inconsistent",
    ]


def _fail_on_index(monkeypatch) -> None:
    def full_disk(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Store, "build_index", full_disk)


def test_interrupted_store_leaves_no_store(small_sim, tmp_path, monkeypatch, capsys) -> None:
    """A failure after the rows were written (injected in the last step, the index): no
    folder under the store's name, no partial folder beside it, an error line, exit 2."""
    folder, _ = small_sim
    store_dir = tmp_path / "store"
    _fail_on_index(monkeypatch)
    assert main(_search(folder, tmp_path, store_dir)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nasab: error: cannot write {store_dir}: No space left")
    assert not store_dir.exists()
    assert [p.name for p in tmp_path.iterdir() if "store" in p.name] == []
    with pytest.raises(InputError, match="not a compiled store"):
        Store.open(store_dir)


def test_interrupted_store_keeps_the_old_store(small_sim, tmp_path, monkeypatch) -> None:
    """A store from an earlier run stays as it was when a new run over it fails; a run that
    succeeds replaces it whole."""
    folder, _ = small_sim
    store_dir = tmp_path / "store"
    assert main(_search(folder, tmp_path, store_dir)) == 0
    before = {p.name: p.read_bytes() for p in store_dir.iterdir()}
    with monkeypatch.context() as m:
        _fail_on_index(m)
        assert main(_search(folder, tmp_path, store_dir)) == 2
    assert {p.name: p.read_bytes() for p in store_dir.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if "store" in p.name) == ["store"]
    (store_dir / "meta.json").write_text(
        (store_dir / "meta.json").read_text().replace('"n_rows"', '"old": 1, "n_rows"')
    )
    assert main(_search(folder, tmp_path, store_dir)) == 0
    assert '"old"' not in (store_dir / "meta.json").read_text()
    assert Store.open(store_dir).rows


def test_store_over_another_folder_is_refused(small_sim, tmp_path, capsys) -> None:
    """A non-empty folder that is not a store is not replaced: refused before the work."""
    folder, _ = small_sim
    other = tmp_path / "photos"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    assert main(_search(folder, tmp_path, other)) == 2
    assert "neither empty nor a compiled store" in capsys.readouterr().err
    assert (other / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "m.tsv").exists()


def test_folders_of_killed_runs_are_removed(small_sim, tmp_path) -> None:
    """What a run killed while building the store left (its process gone) is removed by the
    next run on the machine; a folder of a run still going is left alone."""
    import socket
    import subprocess
    import sys

    folder, _ = small_sim
    store_dir = tmp_path / "store"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    host = socket.gethostname()
    dead = tmp_path / f".store.partial-{host}-{int(gone.stdout)}-abc"
    alive = tmp_path / f".store.partial-{host}-{os.getpid()}-def"
    for d in (dead, alive):
        d.mkdir()
        (d / "meta.json").write_text("{}")
    assert main(_search(folder, tmp_path, store_dir)) == 0
    assert not dead.exists() and alive.exists()
    assert Store.open(store_dir).rows
