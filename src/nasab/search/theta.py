"""Compiling missing persons under theta > 0 (Balding-Nichols), exactly as ``nasab lr --theta``.

With theta > 0 the founders' alleles are drawn jointly (q ~ Dirichlet(p (1 - theta) / theta),
then independently given q), in H1 and H2 alike; under H2 the remain is one more founder of
the same subpopulation, so the H2 term is not P(family) P_HW(g). For one family, missing
person (MP) and marker the engine (:func:`nasab.engine.likelihood.theta_person_joints`, on the exact
schemes of :mod:`nasab.engine.theta` that ``nasab lr --theta`` uses) gives, on an allele space,

    J1[x, y] = P(family data, MP has ordered genotype x y)
    J2[x, y] = P(family data, an unrelated extra founder has ordered genotype x y)

and :func:`.tables.fill_tables` makes the LR table of every observation (dropout / drop-in
classes included) from J1 and J2, as for theta = 0.

The table needs J1 and J2 over the marker's full allele list, but the exact sums grow fast
with the number of allele classes (K^u numbers for u unknown founder alleles, or quadrature
points exponential in K), so for the lumpable models they are computed on lumped spaces (the
family's alleles F, a few named alleles, one class for the rest). The
alleles nobody in the family carries ("new" alleles, N, n of them) are filled in exactly
from three lumped computations, each naming one new allele (one allele class fewer than a
``nasab lr --theta`` call for a remain with two new alleles), by this property of the
lumpable mutation models (none, equal, proportional: M = beta I + (1 - beta) 1 r^T, a copy or
a fresh draw from r = p or uniform):

  an MP allele u in N is a founder allele (given the rest, its label within N is a Polya
  draw with weights p_u: the Dirichlet's neutrality) or a fresh mutation draw (r_u); no
  typed person can carry it. So with the other MP allele x in F, J[x, u] is affine in p_u;
  J[u, u] is quadratic in p_u; for u != v both in N, the symmetrised J[u, v] is
  a + b (p_u + p_v) + c p_u p_v.

The computations name A, B, C (lowest, middle and highest frequency in N): their entries
with F and their homozygotes fix the affine and quadratic functions (Lagrange), and their
entries with the lumped rest, sum_{v in N, v != u} J[u, v] = (n - 1) a + b ((n - 2) p_u +
P_N) + c p_u (P_N - p_u), fix a, b, c (a 3 x 3 solve, non-singular for n >= 3). With fewer
than three distinct frequencies among N, alleles of equal frequency have equal entries, and
the computations name them in pairs. For a non-lumpable model (stepwise) the engine works on
the full allele list (the dense or the partition scheme); a family beyond both is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nasab.engine.errors import InputError, NasabError
from nasab.engine.genotypes import Genotype
from nasab.engine.likelihood import MarkerModel, allele_space, theta_person_joints
from nasab.engine.observation import observed_alleles
from nasab.engine.pedigree import Pedigree
from nasab.engine.theta_batch import JointRequest, person_joints_batch
from nasab.search.data import FamilyData, Problem
from nasab.search.tables import JointSums, fill_tables


@dataclass
class SpaceJoints:
    """J1 and J2 (symmetrised) on one allele space; ``full[i]`` is the marker allele index of
    space class i, -1 for the lumped class."""

    h1: np.ndarray
    h2: np.ndarray
    full: np.ndarray

    @property
    def lumped(self) -> bool:
        return bool((self.full < 0).any())


def space_joints(
    ped: Pedigree,
    genos: Mapping[str, Genotype],
    model: MarkerModel,
    person: str,
    named: Sequence[int],
    theta: float,
) -> SpaceJoints:
    """The engine's theta joints on the smallest exact space that names the alleles
    ``named`` (indices) besides the family's own."""
    alleles = [model.alleles[i] for i in named]
    h1, h2, space = theta_person_joints(ped, genos, model, person, alleles, theta)
    return _on_space(h1, h2, space, model)


def _on_space(h1: np.ndarray, h2: np.ndarray, space, model: MarkerModel) -> SpaceJoints:
    index = model.allele_index()
    full = np.array([-1 if lab is None else index[lab] for lab in space.labels])
    # observations are unordered (W is symmetric): only J + J^T matters
    return SpaceJoints((h1 + h1.T) / 2, (h2 + h2.T) / 2, full)


def new_alleles(model: MarkerModel, genos: Mapping[str, Genotype]) -> list[int]:
    """Indices of the marker's alleles that no one in the family carries (silent excluded:
    the engine always names it)."""
    index = model.allele_index()
    seen = {index[a] for g in genos.values() for a in observed_alleles(g)}
    if model.silent_index is not None:
        seen.add(model.silent_index)
    return [i for i in range(len(model.alleles)) if i not in seen]


def _by_frequency(new: list[int], freqs: np.ndarray) -> list[list[int]]:
    groups: dict[float, list[int]] = {}
    for i in new:
        groups.setdefault(float(freqs[i]), []).append(i)
    return [groups[f] for f in sorted(groups)]


def named_sets(new: list[int], freqs: np.ndarray) -> list[list[int]]:
    """The new alleles to name in each lumped computation (see the module docstring)."""
    groups = _by_frequency(new, freqs)
    if len(groups) >= 3:
        return [[groups[0][0]], [groups[len(groups) // 2][0]], [groups[-1][0]]]
    sets = [g[:2] for g in groups]
    if len(groups) == 2:
        sets.append([groups[0][0], groups[1][0]])
    sets = [s for s in sets if not any(set(s) < set(t) for t in sets)]
    return sets or [[]]


def _scatter(j: np.ndarray, h: np.ndarray, full: np.ndarray) -> None:
    keep = np.flatnonzero(full >= 0)
    ix = full[keep]
    j[np.ix_(ix, ix)] = h[np.ix_(keep, keep)]


def _lagrange(nodes: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(len(x), len(nodes)) Lagrange basis: row t gives the weights of the values at the
    nodes for the interpolating polynomial at x[t]."""
    out = np.ones((len(x), len(nodes)))
    for i, xi in enumerate(nodes):
        for j, xj in enumerate(nodes):
            if i != j:
                out[:, i] *= (x - xj) / (xi - xj)
    return out


def _extend_polynomial(
    j: np.ndarray,
    rest: np.ndarray,
    new: list[int],
    seen: list[int],
    reps: list[int],
    freqs: np.ndarray,
) -> None:
    """Fill the rows / columns of the new alleles from those of three named ones ``reps`` of
    distinct frequencies (``rest[i]``: rep i's entry with the lumped other new alleles):
    affine (with a family allele), quadratic (homozygote) and symmetric bilinear (two new
    alleles) in the frequencies."""
    p = np.asarray(freqs, float)
    pn = p[new]
    n, total = len(new), float(pn.sum())
    lag = _lagrange(p[reps], pn)  # exact for polynomials of degree <= 2
    cross = j[np.ix_(seen, reps)] @ lag.T  # (seen, new)
    homozygotes = lag @ j[reps, reps]
    pr = p[reps]
    design = np.stack([np.full(3, n - 1.0), (n - 2) * pr + total, pr * (total - pr)], axis=1)
    coef = np.linalg.solve(design, rest)
    j[np.ix_(seen, new)] = cross
    j[np.ix_(new, seen)] = cross.T
    j[np.ix_(new, new)] = (
        coef[0] + coef[1] * (pn[:, None] + pn[None, :]) + coef[2] * pn[:, None] * pn[None, :]
    )
    j[new, new] = homozygotes


def _extend_by_copies(j: np.ndarray, groups: list[list[int]], seen: list[int]) -> None:
    """Fewer than three distinct frequencies among the new alleles: alleles of one frequency
    have the entries of that frequency's named ones (``g[0]``, and ``g[1]`` for two new
    alleles of the same frequency)."""
    hom = {g[0]: j[g[0], g[0]] for g in groups}
    same = {g[0]: (j[g[0], g[1]] if len(g) > 1 else 0.0) for g in groups}
    across = {(g[0], h[0]): j[g[0], h[0]] for g in groups for h in groups if g is not h}
    for g in groups:
        r = g[0]
        j[np.ix_(seen, g)] = j[seen, r][:, None]
        j[np.ix_(g, seen)] = j[r, seen][None, :]
        j[np.ix_(g, g)] = same[r]
        j[g, g] = hom[r]
        for h in groups:
            if h is not g:
                j[np.ix_(g, h)] = across[r, h[0]]


def _with_rest(h: np.ndarray, full: np.ndarray, u: int) -> float:
    """Entry of allele u with the lumped class of a space."""
    iu = int(np.flatnonzero(full == u)[0])
    return float(h[iu, np.flatnonzero(full < 0)[0]])


def theta_joints(
    ped: Pedigree, genos: Mapping[str, Genotype], model: MarkerModel, person: str, theta: float
) -> tuple[np.ndarray, np.ndarray]:
    """(J1, J2), K x K over the marker's full allele list (symmetrised), exact under theta:
    one family at a time (the reference of :func:`marker_joints_batch`)."""
    new = new_alleles(model, genos)
    sets = named_sets(new, model.freqs)
    comps = [space_joints(ped, genos, model, person, sets[0], theta)]
    if comps[0].lumped:
        comps += [space_joints(ped, genos, model, person, s, theta) for s in sets[1:]]
    return combine_spaces(model, new, sets, comps)


def combine_spaces(
    model: MarkerModel, new: list[int], sets: list[list[int]], comps: list[SpaceJoints]
) -> tuple[np.ndarray, np.ndarray]:
    """(J1, J2) over the full allele list from the computations on the spaces naming
    ``sets`` (only the first where it is not lumped): see the module docstring."""
    k = len(model.alleles)
    if not comps[0].lumped:
        j1, j2 = np.zeros((k, k)), np.zeros((k, k))
        _scatter(j1, comps[0].h1, comps[0].full)
        _scatter(j2, comps[0].h2, comps[0].full)
        return j1, j2
    seen = [i for i in range(k) if i not in set(new)]
    out = []
    groups = _by_frequency(new, model.freqs)
    for which in ("h1", "h2"):
        j = np.full((k, k), np.nan)
        for c in comps:
            _scatter(j, getattr(c, which), c.full)
        if len(groups) >= 3:
            reps = [s[0] for s in sets]
            rest = np.array(
                [_with_rest(getattr(c, which), c.full, u) for c, u in zip(comps, reps, strict=True)]
            )
            _extend_polynomial(j, rest, new, seen, reps, model.freqs)
        else:
            _extend_by_copies(j, groups, seen)
        if np.isnan(j).any():  # a bug, never an approximation: stop loudly
            raise AssertionError(f"theta joints of marker {model.name} left incomplete")
        out.append(j)
    return out[0], out[1]


def _marker_joints(
    fd: FamilyData, person: str, model: MarkerModel, marker: str, theta: float
) -> tuple[np.ndarray, np.ndarray]:
    """(J1, J2) of one missing person at one marker, or an InputError saying why not: one
    family at a time (the reference of :func:`marker_joints_batch`)."""
    genos = fd.family.marker_genotypes(marker)
    try:
        j1, j2 = theta_joints(fd.family.pedigree, genos, model, person, theta)
    except NasabError as e:
        raise InputError(_refused(model, e)) from None
    return _checked(model, j1, j2)


def _refused(model: MarkerModel, e: NasabError) -> str:
    return f"marker {model.name}: {getattr(e, 'message', e)}"


def _checked(model: MarkerModel, j1: np.ndarray, j2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not j1.sum() > 0:
        raise InputError(
            f"marker {model.name}: the reference genotypes are impossible "
            "under the model (Mendelian inconsistency); check the data or "
            "allow mutation"
        )
    return j1, j2


def marker_joints_batch(
    items: Sequence[tuple[FamilyData, str]], model: MarkerModel, marker: str, theta: float
) -> list[tuple[np.ndarray, np.ndarray] | InputError]:
    """:func:`_marker_joints` of many (family, missing person) at one marker, each result
    (J1, J2) or the InputError that function raises. Every space computation of every item
    is one request to :func:`nasab.engine.theta_batch.person_joints_batch`, on the item's
    shape pedigree (:func:`.shapes.shape_of`: the persons of the network relabelled, so that
    items of one shape and typing share one network structure and run batched)."""
    plans, requests = [], []
    for fd, person in items:
        genos = fd.family.marker_genotypes(marker)
        shape, _ = _shape(fd, person, genos)
        ped = fd.family.pedigree
        sped = shape.pedigree()
        sgenos = {
            sped.ids[j]: genos[ped.ids[i]] for j, i in enumerate(shape.keep) if ped.ids[i] in genos
        }
        new = new_alleles(model, genos)
        sets = named_sets(new, model.freqs)
        spaces = [allele_space(model, genos, extra=[model.alleles[i] for i in sets[0]])]
        if None in spaces[0].labels:  # lumped: the other named sets too
            spaces += [allele_space(model, genos, [model.alleles[i] for i in s]) for s in sets[1:]]
        plans.append((new, sets, spaces, len(requests)))
        requests += [JointRequest(sped, sgenos, sp, sped.ids[shape.mp]) for sp in spaces]
    got = person_joints_batch(requests, theta)
    out: list[tuple[np.ndarray, np.ndarray] | InputError] = []
    for new, sets, spaces, start in plans:
        comps = []
        for sp, g in zip(spaces, got[start : start + len(spaces)], strict=True):
            if isinstance(g, NasabError):
                comps = InputError(_refused(model, g))
                break
            comps.append(_on_space(g[0], g[1], sp, model))
        if isinstance(comps, InputError):
            out.append(comps)
            continue
        try:
            out.append(_checked(model, *combine_spaces(model, new, sets, comps)))
        except InputError as e:
            out.append(e)
    return out


def _shape(fd: FamilyData, person: str, genos: Mapping[str, Genotype]):
    """The :class:`.shapes.Shape` of a missing person at a marker with these genotypes."""
    from nasab.search.compile import FULL, PARTIAL
    from nasab.search.shapes import shape_of

    ped = fd.family.pedigree
    state = np.zeros(len(ped), np.int16)
    for pid, g in genos.items():
        state[ped.index(pid)] = PARTIAL if g[1] is None else FULL
    return shape_of(ped, person, state), state


def computation_key(fd: FamilyData, person: str, marker: str) -> tuple:
    """What a missing person's theta joints at one marker depend on: its :class:`Shape`
    (the persons that matter, their parents, typing, the missing person) and the typed
    genotypes of the shape's persons, in the shape's order (those of exchangeable leaves
    sorted). Persons outside the shape are not in the engine's network either
    (``needed_persons``: the typed persons, the open one and their ancestors), so equal
    keys mean equal computations."""
    ped = fd.family.pedigree
    genos = fd.family.marker_genotypes(marker)
    shape, _ = _shape(fd, person, genos)
    typed = [genos.get(ped.ids[i]) for i in shape.keep]
    # leaves of one sibship with the same typing (childless in the shape, not the missing
    # person) are exchangeable: their genotypes in any order are the same computation
    parents = {x for fa, mo, _, _ in shape.key for x in (fa, mo)}
    leaves: dict[tuple, list[int]] = {}
    for j, (fa, mo, st, is_mp) in enumerate(shape.key):
        if j not in parents and not is_mp:
            leaves.setdefault((fa, mo, st), []).append(j)
    for js in leaves.values():
        for j, g in zip(js, sorted((typed[j] for j in js), key=repr), strict=True):
            typed[j] = g
    return shape.key, tuple(typed)


def compile_families_theta(
    families: Sequence[FamilyData],
    layout,
    models: Sequence[MarkerModel],
    on_error: str = "stop",
    progress: Callable[[int], None] | None = None,
) -> tuple[list[tuple[str, str]], np.ndarray, list[Problem]]:
    """As :func:`.engine.compile_families`, under theta > 0. At each marker the missing
    persons with the same computation (:func:`computation_key`) share it: the engine's
    exact theta joints are computed once per distinct key, for the first of them, those of
    one shape batched (:func:`marker_joints_batch`), and the tables of all distinct keys are
    filled in one batch. A family the engine cannot compute
    exactly (too many unknown founder alleles) or whose references are impossible under the
    model is reported (``on_error``: stop at the first such family in file order, or skip
    it), never approximated."""
    rows = [(fd.family.name, mp) for fd in families for mp in fd.missing]
    row_fd = [fd for fd in families for _ in fd.missing]
    out = np.empty((len(rows), layout.width))
    offs = layout.offsets
    failed: dict[int, str] = {}  # row -> its first problem (lowest marker)
    for m, (model, table) in enumerate(zip(models, layout.tables(), strict=True)):
        marker = layout.markers[m]
        groups: dict[tuple, list[int]] = {}
        for r, fd in enumerate(row_fd):
            if r not in failed:
                groups.setdefault(computation_key(fd, rows[r][1], marker), []).append(r)
        j1s, j2s, members = [], [], []
        reps = [(row_fd[rs[0]], rows[rs[0]][1]) for rs in groups.values()]
        got = marker_joints_batch(reps, model, marker, layout.theta)
        for rs, g in zip(groups.values(), got, strict=True):
            if isinstance(g, InputError):
                failed.update(dict.fromkeys(rs, g.message))
                continue
            j1, j2 = g
            j1s.append(j1)
            j2s.append(j2)
            members.append(rs)
        if members:
            tab = fill_tables(
                JointSums.of(np.stack(j1s)), JointSums.of(np.stack(j2s)), table, model.freqs
            )
            which = np.repeat(np.arange(len(members)), [len(rs) for rs in members])
            out[np.concatenate(members), offs[m] : offs[m + 1]] = tab[which]
        if progress:
            progress(m + 1)
    return _without_failed(families, rows, row_fd, out, failed, on_error)


def _without_failed(families, rows, row_fd, out, failed, on_error):
    """The rows of the families none of whose missing persons failed, and a problem for
    each family left out (``on_error`` "stop": the first such family's, raised)."""
    problems: list[Problem] = []
    if not failed:
        return rows, out, problems
    first_failed: dict[int, str] = {}
    for r in sorted(failed):
        first_failed.setdefault(id(row_fd[r]), failed[r])
    for fd in families:
        msg = first_failed.get(id(fd))
        if msg is None:
            continue
        name = fd.family.name
        if on_error == "stop":
            raise InputError(f"family {name}: {msg}", file=fd.family.pedigree.source, line=fd.line)
        problems.append(Problem(fd.family.pedigree.source or "", fd.line, name, msg))
    keep = [i for i, fd in enumerate(row_fd) if id(fd) not in first_failed]
    return [rows[i] for i in keep], out[keep], problems
