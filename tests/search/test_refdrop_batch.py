"""References under a dropout model are compiled in the shape batches (issue 19, item 3):
families of one shape with dropout at different persons and markers (dropout only, drop-in,
homozygote dropout other than d^2, one observed allele), mixed with families without, each get
the tables they get alone and the LRs of ``nasab lr`` (``missing_person_lr``), under the
stepwise model (full allele list) and the proportional one (lumped space); and a brute-force
sum over every genotype on a small pedigree."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from tests.helpers import table_of
from tests.search.helpers import compiled_setup

from nasab.engine.frequencies import marker_key
from nasab.engine.genotypes import Family, Profile
from nasab.engine.lr import missing_person_lr
from nasab.engine.observation import DropModel
from nasab.engine.pedigree import Pedigree, Person
from nasab.search import engine as E
from nasab.search import refdrop
from nasab.search.compile import FULL
from nasab.search.data import FamilyData


def _variants(fd: FamilyData, markers: list[str]) -> list[FamilyData]:
    """The family with: no dropout; dropout at every reference; dropout with drop-in at one
    reference and one marker only; homozygote dropout other than d^2 at the first reference;
    one allele of a heterozygous reference lost (a/F) under dropout."""
    fam = fd.family
    refs = sorted(fam.genotypes)
    first = refs[0]
    out = [fd]

    def add(tag: str, **changes) -> None:
        f2 = dataclasses.replace(fam, name=f"{fam.name}_{tag}", **changes)
        out.append(FamilyData(f2, list(fd.missing), fd.line))

    add("all", drops=dict.fromkeys(refs, DropModel(0.1)))
    add(
        "in",
        drops={},
        marker_drops={marker_key(markers[1]): {refs[-1]: DropModel(0.05, None, 0.02)}},
    )
    add("hom", drops={first: DropModel(0.2, 0.01)})
    lost = dict(fam.genotypes)
    g = dict(lost[first])
    het = next(k for k, v in g.items() if v[0] is not None and v[1] not in (None, v[0]))
    g[het] = (g[het][0], "F")
    lost[first] = g
    add("lost", genotypes=lost, drops={first: DropModel(0.15)})
    return out


@pytest.mark.parametrize("model", ["stepwise", "proportional"])
def test_dropout_families_in_shape_batches(small_sim, model):
    folder, _ = small_sim
    fam, rem, specs, _, _, _ = compiled_setup(folder, model)
    from nasab.search.run import load_table

    markers = list(fam.markers)
    families = [v for fd in fam.families[:3] for v in _variants(fd, markers)]
    tabx = E.extended_table(load_table(None), markers, families, rem)
    models = E.build_models(tabx, markers, specs)
    layout = E.Layout(markers, [list(m.alleles) for m in models])
    # the variants of one family are one pedigree; dropout splits their shapes
    rows, exact, problems = E.compile_families(families, layout, models, on_error="skip")
    assert not problems
    where = {r: i for i, r in enumerate(rows)}
    for fd in families:  # each alone: the same table
        alone_rows, alone, _ = E.compile_families([fd], layout, models, on_error="skip")
        for k, r in enumerate(alone_rows):
            np.testing.assert_allclose(exact[where[r]], alone[k], rtol=0, atol=1e-9)
    fams = {fd.family.name: fd.family for fd in families}
    profiles = rem.profiles[:4]
    codes = layout.codes(profiles)
    changed = 0
    for (f, p), i in where.items():
        base = where[(f.split("_")[0], p)]
        changed += not np.array_equal(exact[i], exact[base])
        for j, prof in enumerate(profiles):
            ref = missing_person_lr(fams[f], p, prof, tabx, specs, markers).log10_lr
            with np.errstate(invalid="ignore"):
                got = float(exact[i][codes[j]].sum())
            if math.isinf(ref):
                assert math.isinf(got) and got < 0, (f, p, prof.id)
            else:
                assert abs(got - ref) <= 1e-9 * max(1.0, abs(ref)), (f, p, prof.id, got, ref)
    assert changed >= 3 * 4  # every dropout variant changes its tables


def test_dropped_states():
    drop = DropModel(0.1)
    assert refdrop.state_for(drop, 2) == FULL  # both seen, no drop-in: a typed person
    one = refdrop.state_for(drop, 1)
    assert refdrop.is_dropped(one) and refdrop.drop_of(one) == drop
    assert refdrop.state_for(drop, 1) == one
    assert refdrop.is_dropped(refdrop.state_for(DropModel(0.1, None, 0.01), 2))  # drop-in
    assert refdrop.state_for(DropModel(0.3), 1) != one


def _pw(obs: set[str], g: tuple[str, str], d: float) -> float:
    """Oracle: P(observed set | genotype), dropout d, homozygote d^2, no drop-in."""
    out = 1.0
    for a in set(g) | obs:
        n = g.count(a)
        dropped = 1.0 if n == 0 else (d if n == 1 else d * d)
        out *= (1 - dropped) if a in obs else dropped
    return out


def test_brute_force_trio_with_dropout():
    """Father (12 seen, dropout 0.3) and mother (13/14, dropout 0.1) of the missing child,
    four alleles, no mutation: the compiled table equals the sum over every genotype."""
    alleles, freqs = ["12", "13", "14", "15"], [0.1, 0.2, 0.3, 0.4]
    table = table_of({"M1": dict(zip(alleles, freqs, strict=True))})
    key = marker_key("M1")
    ped = Pedigree(
        (Person("F", None, None, 1), Person("M", None, None, 2), Person("C", "F", "M", 1))
    )
    drops = {"F": DropModel(0.3), "M": DropModel(0.1)}
    genos = {"F": {key: ("12", "12")}, "M": {key: ("13", "14")}}
    fam = Family(ped, ["M1"], genos, "t", drops)
    fds = [FamilyData(fam, ["C"], 1)]
    models = E.build_models(table, ["M1"], {})
    layout = E.Layout(["M1"], [alleles])
    _, exact, _ = E.compile_families(fds, layout, models)
    p = dict(zip(alleles, freqs, strict=True))
    joint = {}
    for gf in itertools.product(alleles, repeat=2):
        for gm in itertools.product(alleles, repeat=2):
            w = p[gf[0]] * p[gf[1]] * p[gm[0]] * p[gm[1]]
            w *= _pw({"12"}, gf, 0.3) * _pw({"13", "14"}, gm, 0.1)
            for a in gf:
                for b in gm:
                    pair = tuple(sorted((a, b)))
                    joint[pair] = joint.get(pair, 0.0) + 0.25 * w
    total = sum(joint.values())
    codes = layout.codes([Profile(f"r{a}{b}", {key: (a, b)}, 1, ["M1"]) for a, b in sorted(joint)])
    for (a, b), c in zip(sorted(joint), codes[:, 0], strict=True):
        hw = p[a] ** 2 if a == b else 2 * p[a] * p[b]
        want = joint[a, b] / total / hw
        got = exact[0, c]
        if want == 0:
            assert np.isneginf(got)
        else:
            assert abs(got - math.log10(want)) < 1e-12, (a, b)


def test_beyond_the_batched_memory_one_family_at_a_time(small_sim, monkeypatch):
    """A shape whose batched network is refused (memory) is computed family by family by
    the engine, with the same tables; refused there too, its families are reported."""
    from nasab.engine import likelihood
    from nasab.engine.errors import InputError, ModelError

    folder, _ = small_sim
    fam, _, _, _, models, layout = compiled_setup(folder, "stepwise")
    families = _variants(fam.families[0], list(fam.markers))[:2]
    models, layout = models[:4], E.Layout(fam.markers[:4], layout.alleles[:4])
    rows, want, _ = E.compile_families(families, layout, models)

    def refuse(*args, **kw):
        raise ModelError("too large here")

    monkeypatch.setattr(E, "joint_and_likelihood", refuse)
    got_rows, got, problems = E.compile_families(families, layout, models)
    assert got_rows == rows and not problems
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    monkeypatch.setattr(likelihood, "genotype_joint", refuse)
    with pytest.raises(InputError, match=f"family {families[0].family.name}: .*too large"):
        E.compile_families(families, layout, models)
    got_rows, got, problems = E.compile_families(families, layout, models, on_error="skip")
    assert got_rows == [] and {p.ident for p in problems} == {f.family.name for f in families}
