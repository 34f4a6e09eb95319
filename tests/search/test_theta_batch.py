"""Under theta > 0 the compile runs each distinct computation once per marker (issue 19, item
3): missing persons of one shape with the same genotypes share the engine's exact theta
joints, and every row still equals ``nasab lr --theta`` (``missing_person_lr``); a family the
engine refuses is reported first in file order, whatever the marker."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from tests.search.helpers import compiled_setup
from tests.search.test_shapes import _padded

from nasab.engine.errors import InputError
from nasab.engine.lr import missing_person_lr
from nasab.search import engine as E
from nasab.search import theta as T
from nasab.search.data import FamilyData


def _copy(fd: FamilyData, name: str) -> FamilyData:
    return FamilyData(dataclasses.replace(fd.family, name=name), list(fd.missing), fd.line)


def test_theta_shares_equal_computations(small_sim, monkeypatch):
    folder, _ = small_sim
    fam, rem, specs, tabx, models, layout = compiled_setup(folder, "proportional")
    markers = fam.markers[:6]
    models = models[:6]
    layout = E.Layout(markers, layout.alleles[:6], theta=0.02)
    base = list(fam.families[:4])
    families = base + [_copy(fd, fd.family.name + "_copy") for fd in base]
    families += [_padded(fd) for fd in base]
    calls = []
    real = T.marker_joints_batch

    def counted(items, *args, **kw):
        calls.extend(items)
        return real(items, *args, **kw)

    monkeypatch.setattr(T, "marker_joints_batch", counted)
    rows, exact, problems = E.compile_families(families, layout, models)
    assert not problems
    n_base = sum(len(fd.missing) for fd in base)
    assert len(calls) <= n_base * len(markers) < len(rows) * len(markers)
    where = {r: i for i, r in enumerate(rows)}
    for fd in base:
        for mp in fd.missing:
            i = where[(fd.family.name, mp)]
            for tag in ("_copy", "_pad"):
                np.testing.assert_array_equal(exact[where[(fd.family.name + tag, mp)]], exact[i])
    monkeypatch.setattr(T, "marker_joints_batch", real)
    alone_rows, alone, _ = E.compile_families(base[:1], layout, models)
    np.testing.assert_allclose(exact[where[alone_rows[0]]], alone[0], rtol=0, atol=1e-12)
    fams = {fd.family.name: fd.family for fd in families}
    codes = layout.codes(rem.profiles[:3])
    for (f, p), i in list(where.items())[::3]:
        for j, prof in enumerate(rem.profiles[:3]):
            ref = missing_person_lr(fams[f], p, prof, tabx, specs, markers, theta=0.02).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0
            else:
                assert abs(got - ref) <= 1e-9 * max(1.0, abs(ref)), (f, p, prof.id, got, ref)


def test_theta_first_refused_family_in_file_order(small_sim, monkeypatch):
    """Families refused at different markers: "stop" names the first in file order (not the
    first marker's), "skip" leaves out exactly the refused families."""
    folder, _ = small_sim
    fam, _, _, _, models, layout = compiled_setup(folder, "proportional")
    layout = E.Layout(fam.markers[:3], layout.alleles[:3], theta=0.02)
    models = models[:3]
    a, b, c = fam.families[:3]
    real = T.marker_joints_batch

    def refuse(items, model, marker, theta):
        bad = {a.family.name: fam.markers[2], b.family.name: fam.markers[0]}
        got = real(items, model, marker, theta)
        return [
            InputError(f"marker {model.name}: refused here")
            if bad.get(fd.family.name) == marker
            else g
            for (fd, _), g in zip(items, got, strict=True)
        ]

    monkeypatch.setattr(T, "marker_joints_batch", refuse)
    with pytest.raises(InputError) as err:
        E.compile_families([a, b, c], layout, models, on_error="stop")
    assert f"family {a.family.name}:" in str(err.value)
    assert models[2].name in str(err.value)
    rows, exact, problems = E.compile_families([a, b, c], layout, models, on_error="skip")
    assert {f for f, _ in rows} == {c.family.name}
    assert [p.ident for p in problems] == [a.family.name, b.family.name]
    assert exact.shape == (len(rows), layout.width)


def _one_by_one(items, model, marker, theta):
    """The reference of ``marker_joints_batch``: the engine's single-family path, family by
    family."""
    out = []
    for fd, person in items:
        try:
            out.append(T._marker_joints(fd, person, model, marker, theta))
        except InputError as e:
            out.append(e)
    return out


@pytest.mark.parametrize(
    "mutation,n_markers,n_families", [("proportional", 6, 8), ("stepwise", 1, 5)]
)
@pytest.mark.parametrize("limits", [False, True], ids=["fits", "refused"])
def test_theta_batched_compile_equals_family_by_family(
    small_sim, monkeypatch, mutation, n_markers, n_families, limits
):
    """The batched compile (every family of a shape together) gives the tables of the
    engine's single-family path, and refuses the same families with the same messages
    (``limits``: bounds that leave some families no exact scheme). The entries of two
    alleles no one in the family carries come from the lumped computations through a 3 x 3
    solve (module docstring of :mod:`nasab.search.theta`) that turns the schemes' rounding
    (1e-15 to 1e-12 relative, the order of the sums differs) into up to a few 1e-9 in
    log10 on some of them: 1e-8 here; the pairs against ``nasab lr --theta`` to 1e-9 in
    :func:`test_theta_shares_equal_computations`."""
    import nasab.engine.theta_schemes as S

    folder, _ = small_sim
    fam, _, _, _, models, layout = compiled_setup(folder, mutation)
    order = sorted(range(len(models)), key=lambda m: len(models[m].alleles))[:n_markers]
    markers = [fam.markers[m] for m in order]
    models = [models[m] for m in order]
    layout = E.Layout(markers, [layout.alleles[m] for m in order], theta=0.02)
    if limits:
        monkeypatch.setattr(S, "MAX_DENSE", 2000)
        monkeypatch.setattr(S, "MAX_PARTITIONS", 5)
        monkeypatch.setattr(S, "MAX_QUADRATURE_WORK", 5000)
    # the stepwise model works on the full allele list: the smallest families only
    families = sorted(fam.families, key=lambda fd: len(fd.family.pedigree))[:n_families]
    rows, batched, problems = E.compile_families(families, layout, models, on_error="skip")
    monkeypatch.setattr(T, "marker_joints_batch", _one_by_one)
    rows1, single, problems1 = E.compile_families(families, layout, models, on_error="skip")
    assert rows == rows1
    assert [(p.ident, p.message) for p in problems] == [(p.ident, p.message) for p in problems1]
    assert bool(problems) == limits
    assert rows
    np.testing.assert_array_equal(np.isfinite(batched), np.isfinite(single))
    fin = np.isfinite(single)
    np.testing.assert_allclose(batched[fin], single[fin], rtol=0, atol=1e-8)
