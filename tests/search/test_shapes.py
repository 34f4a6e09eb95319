"""The compile batches missing persons by shape (the persons that matter, their parents,
typing and the missing person), whatever the rest of their pedigrees: families merged into one
batch get the tables each would get alone, and the LRs of ``nasab lr``
(:func:`nasab.engine.lr.missing_person_lr`) with the same model, under every mutation model
and observation model."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from tests.search.helpers import compiled_setup

from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.observation import DropModel
from nasab.search import engine as E
from nasab.search.data import FamilyData
from nasab.search.run import SearchConfig, metadata_path, run_search


def _padded(fd: FamilyData) -> FamilyData:
    """The same family with persons that change nothing: an untyped founder first (every
    index moves) and an untyped child of the missing person."""
    ped = fd.family.pedigree
    mp = fd.missing[0]
    extra = ped.add_singleton("XTRA", 2)
    persons = (extra.persons[-1], *extra.persons)[: len(extra.persons)]
    from nasab.engine.pedigree import Pedigree

    ped2 = Pedigree(persons, source=ped.source)
    if ped[mp].sex == 1:
        ped2 = ped2.add_child("XKID", mp, "XTRA", 1)
    fam = Family(ped2, fd.family.markers, dict(fd.family.genotypes), f"{fd.family.name}_pad")
    return FamilyData(fam, list(fd.missing), fd.line)


@pytest.mark.parametrize(
    "model,drop",
    [("stepwise", None), ("proportional", None), ("stepwise", DropModel(0.2, None, 0.05))],
)
def test_merged_shapes_give_the_tables_of_each_family_alone(small_sim, model, drop):
    folder, _ = small_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, model)
    if drop is not None:
        layout = E.Layout(layout.markers, layout.alleles, classes=(drop,))
    families = list(fam.families)
    padded = [_padded(fd) for fd in families]
    # the padded pedigrees differ from the originals, their shapes do not
    for a, b in zip(families, padded, strict=True):
        assert a.family.pedigree.parent_indices() != b.family.pedigree.parent_indices()
        assert [s.key for s in E.family_shapes(a)] == [s.key for s in E.family_shapes(b)]
    rows, exact, _ = E.compile_families(families + padded, layout, models, on_error="skip")
    where = {r: i for i, r in enumerate(rows)}
    for fd in families:
        alone_rows, alone, _ = E.compile_families([fd], layout, models, on_error="skip")
        for k, (f, p) in enumerate(alone_rows):
            np.testing.assert_allclose(exact[where[(f, p)]], alone[k], rtol=0, atol=1e-9)
            np.testing.assert_allclose(exact[where[(f + "_pad", p)]], alone[k], rtol=0, atol=1e-9)
    # and the LRs of nasab lr with the same model, on the batched rows
    fams = {fd.family.name: fd.family for fd in families + padded}
    profiles = rem.profiles[:6]
    if drop is not None:
        profiles = [
            Profile(p.id, p.genotypes, p.sex, p.markers, drop=drop) for p in rem.profiles[:6]
        ]
    _assert_nasab_lr(exact, where, fams, profiles, layout, tabx, specs, fam.markers)


def _assert_nasab_lr(exact, where, fams, profiles, layout, tabx, specs, markers) -> None:
    """Each compiled row ``where[(family, person)]`` scores every profile as ``nasab lr``
    does with the same model (1e-9 in log10; exclusions both -inf)."""
    codes = layout.codes(profiles)
    for (f, p), i in where.items():
        for j, prof in enumerate(profiles):
            ref = missing_person_lr(fams[f], p, prof, tabx, specs, markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0, (f, p, prof.id)
            else:
                assert abs(got - ref) <= 1e-9 * max(1.0, abs(ref)), (f, p, prof.id, got, ref)


def test_shape_order_and_chunks_do_not_change_the_search(medium_sim, tmp_path):
    folder, _ = medium_sim
    outs = []
    for chunk in (7, 2000):
        out = tmp_path / f"m{chunk}.tsv"
        cfg = SearchConfig(
            folder / "families.tsv", folder / "remains.tsv", out, threshold=10.0, chunk=chunk
        )
        outs.append((run_search(cfg), out))
    (a, _), (b, out) = outs
    assert a.matches["remain_id"] == b.matches["remain_id"]
    assert a.matches["family_id"] == b.matches["family_id"]
    np.testing.assert_allclose(a.matches["log10_lr"], b.matches["log10_lr"], rtol=0, atol=1e-9)
    meta = json.loads(metadata_path(out).read_text())
    assert set(meta["timings_s"]) >= {
        "read",
        "prepare",
        "compile",
        "score",
        "inconsistent",
        "write",
        "total",
    }
    shapes = meta["shapes"]
    assert shapes["count"] == len(shapes["found"]) > 1
    assert sum(s["missing_persons"] for s in shapes["found"]) == b.n_missing
    counts = [s["missing_persons"] for s in shapes["found"]]
    assert counts == sorted(counts, reverse=True)
    assert all("MP" in s["shape"] for s in shapes["found"])


def test_store_rows_stay_in_file_order(small_sim, tmp_path):
    folder, _ = small_sim
    cfg = SearchConfig(
        folder / "families.tsv",
        folder / "remains.tsv",
        tmp_path / "m.tsv",
        threshold=10.0,
        store=tmp_path / "store",
        chunk=3,
    )
    res = run_search(cfg)
    from nasab.search.data import read_families
    from nasab.search.store import Store

    want = [
        (fd.family.name, mp) for fd in read_families(cfg.families).families for mp in fd.missing
    ]
    got = [(f, p) for f, p, _ in Store.open(cfg.store).rows]
    assert got == want
    assert res.n_missing == len(want)


def test_shape_of_ignores_persons_that_do_not_matter(small_sim):
    folder, _ = small_sim
    fam, *_ = compiled_setup(folder, "stepwise")
    fd = fam.families[0]
    s = E.family_shapes(fd)[0]
    ped = s.pedigree()
    assert len(ped) == len(s.key) <= len(fd.family.pedigree)
    assert ped.ids[s.mp] == f"p{s.mp}"
    # every kept person's parents are kept: the shape is a pedigree of its own
    for p in ped.persons:
        assert (p.father is None) == (p.mother is None)
    assert dataclasses.is_dataclass(s)


class _ArrayModule:
    """numpy standing in for CuPy: the GPU path of the compile (arrays moved to the device,
    the one contraction with ``xp``, moved back) run on the CPU."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def asnumpy(a):
        return np.asarray(a)


def test_gpu_path_gives_the_cpu_tables(small_sim, monkeypatch):
    from nasab.search import compile as C

    folder, _ = small_sim
    fam, _rem, _specs, _tabx, models, layout = compiled_setup(folder, "stepwise")
    rows, cpu, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    monkeypatch.setattr(C, "gpu_module", lambda: _ArrayModule())
    rows2, gpu, _ = E.compile_families(fam.families, layout, models, on_error="skip")
    assert rows2 == rows
    np.testing.assert_array_equal(gpu, cpu)


@pytest.mark.parametrize("split", [True, False])
def test_phase_variables_give_nasab_lr_on_both_paths(small_sim, split, monkeypatch):
    """A typed person's pair enters the batched network as one phase variable (the maternal
    allele variable merged into the paternal one, its domain reversed): with typed parents,
    grandparents and children, homozygous and heterozygous, the tables equal ``nasab lr``
    whether the missing person's parents are summed directly or by the split contraction."""
    from nasab.search import compile as C

    folder, _ = small_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, "stepwise")
    families = list(fam.families)
    kinds = {E.family_kind(fd.family, fd.missing[0]) for fd in families}
    assert {"both_parents", "siblings"} <= kinds, kinds
    C._CHOICE.clear()
    monkeypatch.setattr(C, "_split_is_cheaper", lambda *a, **k: split)
    rows, exact, _ = E.compile_families(families, layout, models, on_error="skip")
    C._CHOICE.clear()
    fams = {fd.family.name: fd.family for fd in families}
    where = {r: i for i, r in enumerate(rows)}
    _assert_nasab_lr(exact, where, fams, rem.profiles[:4], layout, tabx, specs, fam.markers)
    homs = sum(
        g[0] == g[1] for fd in families for gs in fd.family.genotypes.values() for g in gs.values()
    )
    assert homs > 0  # homozygous typed persons were among them


def _symmetry_against_full(folder, model, monkeypatch, split: bool, name: str, full, check):
    """Compile ``folder``'s families with the symmetry helper ``name`` of the compile (its
    answers passed to ``check``) and with ``full`` in its place (no symmetry used), split or
    direct contraction forced: the same tables to 1e-12, and ``nasab lr``'s LRs."""
    from nasab.search import compile as C

    fam, rem, specs, tabx, models, layout = compiled_setup(folder, model)
    families = list(fam.families)
    C._CHOICE.clear()
    monkeypatch.setattr(C, "_split_is_cheaper", lambda *a, **k: split)
    seen, real = [], getattr(C, name)
    monkeypatch.setattr(C, name, lambda *a: seen.append(real(*a)) or seen[-1])
    rows, used, _ = E.compile_families(families, layout, models, on_error="skip")
    check(seen)
    monkeypatch.setattr(C, name, full)
    rows2, plain, _ = E.compile_families(families, layout, models, on_error="skip")
    C._CHOICE.clear()
    assert rows == rows2
    np.testing.assert_allclose(used, plain, rtol=0, atol=1e-12)
    fams = {fd.family.name: fd.family for fd in families}
    where = {r: i for i, r in enumerate(rows)}
    _assert_nasab_lr(used, where, fams, rem.profiles[:4], layout, tabx, specs, fam.markers)


def test_an_untyped_founder_parent_is_tried_once_in_the_split(small_sim, monkeypatch):
    """The split contraction counts the term of an untyped founder parent's paternal allele
    twice instead of contracting its maternal one (the two are exchangeable): the tables
    equal those made with all four terms contracted, and ``nasab lr``."""

    def check(seen):
        assert (0, 0) in seen  # some parent was an untyped founder

    _symmetry_against_full(
        small_sim[0], "stepwise", monkeypatch, True, "_passed_on", lambda *a: (0, 1), check
    )


@pytest.mark.parametrize("model", ["stepwise", "proportional"])
def test_the_missing_persons_phase_fixed_at_untyped_founder_parents(small_sim, model, monkeypatch):
    """In the direct contraction (and the lumped one, under the proportional model) one
    child of each untyped founder, the MP where it is one, takes its allele from the
    founder's paternal allele alone (the founder's two alleles are exchangeable): the
    tables equal those of the full transmissions, and ``nasab lr``."""

    def check(seen):
        assert any(len(f) >= 2 for f in seen)  # both parents untyped founders somewhere

    _symmetry_against_full(
        small_sim[0], model, monkeypatch, False, "_fixed_phase", lambda *a: (), check
    )


_SCRIPT = """
import hashlib, sys
from pathlib import Path
from tests.search.helpers import compiled_setup
from nasab.engine import contraction as CT
from nasab.search import engine as E
fam, rem, specs, tabx, models, layout = compiled_setup(Path(sys.argv[1]), "stepwise")
rows, exact, _ = E.compile_families(list(fam.families), layout, models, on_error="skip")
paths = sorted(repr((k[0], v.path)) for k, v in CT._PLANS.items())
print(hashlib.sha256(exact.tobytes()).hexdigest(), hashlib.sha256(repr(paths).encode()).hexdigest())
"""


def test_the_same_numbers_whatever_the_hash_seed(medium_sim):
    """Python's string hashing changes from one process to the next; the contraction
    paths (and so the last bits of every LR) must not: compiled in three processes with
    different hash seeds, the tables and the paths are identical bit for bit."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    folder, _ = medium_sim
    root = Path(__file__).resolve().parents[2]
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
        got = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(folder)],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=True,
        )
        outs.add(got.stdout.strip())
    assert len(outs) == 1, outs


def test_family_kind_is_found_by_structure_and_typing():
    """The kind is cached by structure, typed persons and missing person: families with
    other ids but the same structure share it; another typing is another kind."""
    from nasab.engine.pedigree import Pedigree

    def family(prefix: str, typed: list[str]) -> Family:
        ped = Pedigree.from_records(
            [
                (f"{prefix}F", None, None, 1),
                (f"{prefix}M", None, None, 2),
                (f"{prefix}MP", f"{prefix}F", f"{prefix}M", 1),
                (f"{prefix}S", f"{prefix}F", f"{prefix}M", 1),
            ]
        )
        return Family(ped, ["TH01"], {f"{prefix}{t}": {"th01": (6, 7)} for t in typed})

    for prefix in ("a-", "b-"):
        assert E.family_kind(family(prefix, ["F", "M"]), f"{prefix}MP") == "both_parents"
        assert E.family_kind(family(prefix, ["M", "S"]), f"{prefix}MP") == "one_parent"
        assert E.family_kind(family(prefix, ["S"]), f"{prefix}MP") == "siblings"
        assert E.family_kind(family(prefix, []), f"{prefix}MP") == "distant"
