"""Compiled store: a new remain, and a new or changed family, without recompiling."""

from __future__ import annotations

import math

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
        for f, p, v in store.search_remain(prof, math.log10(t)):
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
    assert {(r, p): v for r, f, p, v in got}.keys() == old.keys()
    store2 = Store.open(store_dir)
    assert sum(a for _, _, a in store2.rows) == res.n_missing + len(fam.missing)
    # replacing it again deactivates the previous rows
    store2.update_family(FamilyData(fam.family, fam.missing, fam.line), math.log10(t))
    assert sum(a for _, _, a in Store.open(store_dir).rows) == res.n_missing + len(fam.missing)
