"""Per-sample dropout / drop-in of remains and theta in the blind search: every pair equals
nasab.engine.lr.missing_person_lr with the remain's observation model (and theta), one lookup per
marker; bad values are refused with file, line, remain id and column."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest

from nasab.engine.errors import InputError
from nasab.engine.lr import missing_person_lr
from nasab.engine.mutation import mutation_specs
from nasab.engine.observation import DropModel, observation_weights
from nasab.search import engine as E
from nasab.search.cli import main
from nasab.search.data import read_families, read_remains
from nasab.search.run import SearchConfig, load_table, run_search
from nasab.search.tables import MAX_CLASSES, JointSums, pair_sums
from nasab.sim.simulate import degrade_remains

# (dropout, dropin) cells of the remains, in turn; empty: the default (0.05, 0)
CELLS = [("", ""), ("0", "0"), ("0.2", "0.05"), ("0.1", ""), ("", "0.03")]
DEFAULT = DropModel(0.05, None, 0.0)


def degraded_remains(src, dst, seed=3) -> None:
    """The remains with dropout / dropin columns and degraded genotypes: single alleles a/F,
    partial a/-, homozygotes and failed markers (synthetic)."""
    degrade_remains(src, dst, CELLS, seed, single=0.25, partial=0.1, failed=0.05, het_only=False)


def _compiled(folder, remains_path, model, theta=0.0, keep=None):
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    if keep is not None:
        fam.families = [fd for fd in fam.families if keep(fd)]
    rem, _, _ = read_remains(remains_path, default_drop=DEFAULT)
    specs = mutation_specs(fam.markers, model)
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    classes = E.observation_classes((p.drop for p in rem.profiles), DEFAULT)
    layout = E.Layout(
        fam.markers,
        [list(m.alleles) for m in models],
        DEFAULT.dropout,
        DEFAULT.dropin,
        classes,
        theta,
    )
    rows, exact, problems = E.compile_families(fam.families, layout, models)
    return fam, rem, specs, tabx, layout, rows, exact, problems


def _check_every_pair(fam, rem, specs, tabx, layout, rows, exact, theta=0.0) -> int:
    fams = {fd.family.name: fd.family for fd in fam.families}
    codes = layout.codes(rem.profiles)
    checked = 0
    for i, (f, person) in enumerate(rows):
        for j, prof in enumerate(rem.profiles):
            ref = missing_person_lr(
                fams[f], person, prof, tabx, specs, fam.markers, theta=theta
            ).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0, (f, person, prof.id, got)
            else:
                assert abs(got - ref) <= 1e-6, (f, person, prof.id, prof.drop, got, ref)
            checked += 1
    return checked


def test_table_sums_are_the_observation_model() -> None:
    """The O(1) sums of a table entry equal sum_G W(o | G) J(G) with W from nasab's
    observation model, up to the factor common to every G (alleles seen in neither)."""
    rng = np.random.default_rng(1)
    k = 6
    labels = [str(i) for i in range(k)]
    p = rng.dirichlet(np.ones(k))
    joint = rng.random((3, k, k))
    sums = JointSums.of(joint)
    iu, ju = np.triu_indices(k)
    for drop in (
        DropModel(0.1, None, 0.05),
        DropModel(0.3),
        DropModel(0.2, 0.1, 0.07),
        DropModel(0.0, None, 0.1),
    ):
        got = pair_sums(sums, drop, p)
        for n, (a, b) in enumerate(zip(iu, ju, strict=True)):
            g = (labels[a], "F") if a == b else (labels[a], labels[b])
            w = observation_weights(g, labels, p, drop, p)
            common = np.prod([1 - drop.dropin * p[i] for i in range(k) if i not in (a, b)])
            np.testing.assert_allclose(
                got[:, n] * common, np.einsum("bij,ij->b", joint, w), rtol=1e-12
            )


def test_per_sample_dropout_and_dropin_every_pair(small_sim, tmp_path) -> None:
    folder, _ = small_sim
    path = tmp_path / "remains.tsv"
    degraded_remains(folder / "remains.tsv", path)
    fam, rem, specs, tabx, layout, rows, exact, _ = _compiled(folder, path, "stepwise")
    models = {p.drop for p in rem.profiles}
    assert {
        DropModel(0.2, None, 0.05),
        DropModel(0.1),
        DropModel(0.05, None, 0.03),
        DEFAULT,
        DropModel(),
    } <= models
    assert len(layout.classes) == 4  # the trivial model has no block of its own
    assert _check_every_pair(fam, rem, specs, tabx, layout, rows, exact) >= 60


def test_theta_every_pair(small_sim, tmp_path) -> None:
    """theta = 0.02 with degraded remains in every class, four small families (two
    founders: nasab lr --theta is quick there), proportional mutation."""
    folder, _ = small_sim
    path = tmp_path / "remains.tsv"
    degraded_remains(folder / "remains.tsv", path)

    def small(fd) -> bool:
        return sum(p.father is None for p in fd.family.pedigree.persons) <= 2

    fam, rem, specs, tabx, layout, rows, exact, problems = _compiled(
        folder, path, "proportional", theta=0.02, keep=small
    )
    assert not problems and len(rows) >= 4
    fam.families = fam.families[:4]
    rows = rows[:4]
    assert _check_every_pair(fam, rem, specs, tabx, layout, rows, exact, theta=0.02) >= 40


def test_theta_every_genotype_of_a_marker(small_sim) -> None:
    """Every observation of two markers (all genotypes, singles, partials) under theta,
    with a drop-in class: the alleles no family member carries are filled in exactly."""
    from nasab.engine.genotypes import Profile

    folder, _ = small_sim
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    fd = next(
        fd for fd in fam.families if sum(p.father is None for p in fd.family.pedigree.persons) <= 2
    )
    rem, _, _ = read_remains(folder / "remains.tsv")
    drop = DropModel(0.15, None, 0.04)
    for model, marker in (("equal", "TH01"), ("none", "D22S1045")):
        specs = mutation_specs(fam.markers, model)
        tabx = E.extended_table(table, fam.markers, fam.families, rem)
        models = E.build_models(tabx, [marker], specs)
        layout = E.Layout([marker], [list(models[0].alleles)], 0.0, 0.0, (drop,), 0.02)
        rows, exact, _ = E.compile_families([fd], layout, models)
        al = layout.alleles[0]
        for a in range(len(al)):
            for b in range(a, len(al)):
                for g, d in (((al[a], al[b]), None), ((al[a], al[b]), drop), ((al[a], None), None)):
                    prof = Profile("x", {E.marker_key(marker): g}, drop=d)
                    ref = missing_person_lr(
                        fd.family, rows[0][1], prof, tabx, specs, [marker], theta=0.02
                    ).log10_lr
                    got = exact[0][layout.codes([prof])[0][0]]
                    assert (math.isinf(ref) and math.isinf(got)) or abs(got - ref) <= 1e-6, (
                        model,
                        g,
                        d,
                        got,
                        ref,
                    )


def test_theta_stepwise_equals_nasab_lr(small_sim) -> None:
    """Stepwise (no lumping) under theta: the full-list joints of a family with untyped
    founders (the dense and partition schemes of nasab.engine.theta) give nasab lr's LR for every
    remain."""
    folder, _ = small_sim
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    fd = next(f for f in fam.families if f.family.name == "FAM5")
    markers = fam.markers[:8]
    specs = mutation_specs(fam.markers, "stepwise")
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, markers, specs)
    layout = E.Layout(markers, [list(m.alleles) for m in models], theta=0.02)
    rows, exact, problems = E.compile_families([fd], layout, models)
    assert not problems and len(rows) == 1
    codes = layout.codes(rem.profiles)
    for j, prof in enumerate(rem.profiles[:4]):
        ref = missing_person_lr(
            fd.family, rows[0][1], prof, tabx, specs, markers, theta=0.02
        ).log10_lr
        got = exact[0][codes[j]].sum()
        assert (math.isinf(ref) and math.isinf(got)) or abs(got - ref) <= 1e-8, (j, got, ref)


def test_theta_beyond_exact_is_reported(small_sim, monkeypatch) -> None:
    """A family beyond every exact theta scheme is reported (stop: an error naming it; skip:
    listed), never approximated."""
    import nasab.engine.theta_schemes as T  # where choose_method reads its limits

    folder, _ = small_sim
    table = load_table(None)
    fam = read_families(folder / "families.tsv")
    rem, _, _ = read_remains(folder / "remains.tsv")
    specs = mutation_specs(fam.markers, "stepwise")
    tabx = E.extended_table(table, fam.markers, fam.families, rem)
    models = E.build_models(tabx, fam.markers, specs)
    layout = E.Layout(fam.markers, [list(m.alleles) for m in models], theta=0.02)
    first = next(f for f in fam.families if f.family.name == "FAM5")
    for name in ("MAX_DENSE", "MAX_PARTITIONS", "MAX_QUADRATURE_WORK"):
        monkeypatch.setattr(T, name, 0)
    with pytest.raises(InputError) as err:
        E.compile_families([first], layout, models, on_error="stop")
    assert first.family.name in str(err.value) and "exactly" in str(err.value)
    rows, exact, problems = E.compile_families([first], layout, models, on_error="skip")
    assert rows == [] and exact.shape == (0, layout.width)
    assert problems[0].ident == first.family.name


def _search(fam, rem, out, *extra):
    return main(
        [
            "search",
            "--families",
            str(fam),
            "--remains",
            str(rem),
            "--out",
            str(out),
            "--quiet",
            "--no-inconsistent",
            *extra,
        ]
    )


def test_run_search_writes_the_model(small_sim, tmp_path) -> None:
    folder, _ = small_sim
    path = tmp_path / "remains.tsv"
    degraded_remains(folder / "remains.tsv", path)
    out = tmp_path / "m.tsv"
    res = run_search(
        SearchConfig(
            folder / "families.tsv",
            path,
            out,
            threshold=1e-30,
            mutation="proportional",
            dropout=0.05,
            inconsistent=False,
        )
    )
    meta = json.loads((tmp_path / "m.tsv.model.json").read_text())
    assert meta["theta"] == 0 and meta["dropout"] == 0.05 and meta["dropin"] == 0
    classes = {
        (c["dropout"], c["dropin"]): c["remains"] for c in meta["observation_model"]["classes"]
    }
    assert classes == {(0.05, 0.0): 3, (0.05, 0.03): 2, (0.1, 0.0): 2, (0.2, 0.05): 2}
    assert "Hardy-Weinberg" in meta["hypotheses"]["H2"]
    # the pipeline's LRs are those of the tables (and so of nasab lr, tested above)
    fam, rem, specs, tabx, layout, rows, exact, _ = _compiled(folder, path, "proportional")
    codes = layout.codes(rem.profiles)
    where = {r: i for i, r in enumerate(rows)}
    ids = {r: j for j, r in enumerate(rem.ids)}
    for r, f, p, s in zip(
        res.matches["remain_id"],
        res.matches["family_id"],
        res.matches["missing_id"],
        res.matches["log10_lr"],
        strict=True,
    ):
        assert abs(exact[where[f, p]][codes[ids[r]]].sum() - s) <= 1e-9


def test_bad_probabilities_are_refused(small_sim, tmp_path, capsys) -> None:
    folder, _ = small_sim
    fam = tmp_path / "families.tsv"
    shutil.copy(folder / "families.tsv", fam)
    rem = tmp_path / "remains.tsv"
    degraded_remains(folder / "remains.tsv", rem)
    good = rem.read_text().splitlines()
    out = tmp_path / "m.tsv"
    for col, value in (
        ("dropout", "1.2"),
        ("dropin", "-0.1"),
        ("dropout", "x"),
        ("dropin", "1"),
        ("dropout", "nan"),
    ):
        lines = list(good)
        cells = lines[4].split("\t")
        cells[2 if col == "dropout" else 3] = value
        lines[4] = "\t".join(cells)
        rem.write_text("\n".join(lines) + "\n")
        assert _search(fam, rem, out) == 2
        err = capsys.readouterr().err
        assert "remains.tsv" in err and "line 5" in err and cells[0] in err and col in err, err
        assert "Traceback" not in err and not out.exists()
    assert _search(fam, rem, out, "--on-error", "skip") == 0
    err = capsys.readouterr().err
    assert cells[0] in err and cells[0] not in out.read_text()
    for flag, value in (("--dropin", "1.5"), ("--theta", "0.5"), ("--dropout", "-1")):
        rem.write_text("\n".join(good) + "\n")
        assert _search(fam, rem, out.with_name("x.tsv"), flag, value) == 2
        assert flag in capsys.readouterr().err


def test_too_many_classes_refused(small_sim, tmp_path, capsys) -> None:
    folder, _ = small_sim
    lines = (folder / "remains.tsv").read_text().splitlines()
    head = lines[0].split("\t")
    out = ["\t".join([head[0], "dropout", *head[1:]])]
    for n, line in enumerate(lines[1:]):
        cells = line.split("\t")
        out.append("\t".join([cells[0], f"{0.01 * (n + 1):.2f}", *cells[1:]]))
    for n in range(MAX_CLASSES + 1 - (len(lines) - 1)):  # more remains, more classes
        cells = lines[1].split("\t")
        out.append("\t".join([f"X{n}", f"{0.5 + 0.01 * n:.2f}", *cells[1:]]))
    rem = tmp_path / "remains.tsv"
    rem.write_text("\n".join(out) + "\n")
    assert _search(folder / "families.tsv", rem, tmp_path / "m.tsv") == 2
    err = capsys.readouterr().err
    assert f"more than {MAX_CLASSES}" in err and "round" in err


@pytest.mark.parametrize(
    "freqs",
    [
        [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1],  # the new alleles share one frequency
        [0.25, 0.15, 0.1, 0.1, 0.1, 0.15, 0.15],  # two frequencies
        [0.3, 0.2, 0.02, 0.08, 0.1, 0.12, 0.18],  # all distinct: the polynomial fill
    ],
)
def test_theta_new_alleles_filled_exactly(freqs) -> None:
    """The joints of genotypes with alleles no family member carries equal the engine's
    own value for that genotype (computed on a space naming its alleles)."""
    from nasab.engine.likelihood import MarkerModel
    from nasab.engine.mutation import MutationSpec
    from nasab.engine.pedigree import Pedigree
    from nasab.search.theta import space_joints, theta_joints

    ped = Pedigree.from_records(
        [
            ("FA", None, None, 1),
            ("MO", None, None, 2),
            ("MP", "FA", "MO", 1),
            ("SIS", "FA", "MO", 2),
            ("UNC", None, None, 1),
        ]
    )
    alleles = tuple(str(i) for i in range(len(freqs)))
    p = np.asarray(freqs)
    fem, male = MutationSpec("proportional", 0.002, 0.003).matrices(list(alleles), p)
    model = MarkerModel("M", alleles, p, fem, male, True)
    genos = {"SIS": ("0", "1"), "MO": ("1", None)}
    j1, j2 = theta_joints(ped, genos, model, "MP", 0.03)
    k = len(alleles)
    for u in range(2, k):
        for v in range(u, k):
            s = space_joints(ped, genos, model, "MP", sorted({u, v}), 0.03)
            pos = {int(f): n for n, f in enumerate(s.full) if f >= 0}
            for x, y in ((u, v), (0, u), (1, v), (u, u)):
                np.testing.assert_allclose(j1[x, y], s.h1[pos[x], pos[y]], rtol=1e-9)
                np.testing.assert_allclose(j2[x, y], s.h2[pos[x], pos[y]], rtol=1e-9)


def test_store_keeps_the_observation_classes(small_sim, tmp_path) -> None:
    """A store compiled with dropout classes scores a new degraded remain as the batch did."""
    from nasab.search.store import Store

    folder, _ = small_sim
    path = tmp_path / "remains.tsv"
    degraded_remains(folder / "remains.tsv", path)
    t = 1e-3
    res = run_search(
        SearchConfig(
            folder / "families.tsv",
            path,
            tmp_path / "m.tsv",
            threshold=t,
            mutation="proportional",
            dropout=0.05,
            inconsistent=False,
            store=tmp_path / "store",
        )
    )
    store = Store.open(tmp_path / "store")
    assert len(store.layout.classes) == 4 and store.layout.dropout == 0.05
    rem, _, _ = read_remains(path, default_drop=DEFAULT)
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
    for prof in rem.profiles[:5]:
        for f, p, v, *_ in store.search_remain(prof, math.log10(t)):
            assert abs(v - batch[prof.id, f, p]) < 1e-9
    prof = rem.profiles[0]
    prof.drop = DropModel(0.37)  # not compiled: an error, not a wrong LR
    with pytest.raises(InputError, match="not among the compiled classes"):
        store.search_remain(prof, math.log10(t))
