"""Exact pedigree likelihood for one autosomal marker.

The pedigree is turned into a sum-product network over allele variables: each person has a
paternal and a maternal allele; founders' alleles are drawn from the population
frequencies (Hardy-Weinberg), and a child's paternal allele is one of the father's two
alleles, each with probability 1/2, passed through the father's (male) mutation matrix;
likewise for the maternal allele. Typed genotypes are evidence on the unordered pair.
Summing over every variable gives the exact likelihood for any pedigree, loops from
consanguineous marriages included; the contraction order is chosen by opt_einsum.

Exact reductions, none of which changes the value:
  * untyped individuals without typed descendants (and isolated untyped founders) sum out
    to 1 and are removed;
  * when the mutation model allows it (no mutation, ``equal``, ``proportional``), alleles
    nobody carries are lumped into one allele whose frequency is their sum;
  * a typed person's alleles range over their two observed alleles only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opt_einsum as oe

from .genotypes import Genotype
from .mutation import lump
from .pedigree import Pedigree


@dataclass(frozen=True)
class MarkerModel:
    """Everything about one marker that the likelihood needs."""

    name: str
    alleles: tuple[str, ...]
    freqs: np.ndarray
    female: np.ndarray  # mutation matrix for mother -> child
    male: np.ndarray  # mutation matrix for father -> child
    mutation: bool

    def allele_index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.alleles)}


def relevant_persons(ped: Pedigree, typed: set[str]) -> list[str]:
    """Persons that matter for the likelihood: the typed ones and their ancestors, plus
    anyone linking them (spouses are ancestors of typed children). Others sum out to 1."""
    keep: set[str] = set()
    stack = [p for p in typed if p in ped]
    while stack:
        pid = stack.pop()
        if pid in keep:
            continue
        keep.add(pid)
        p = ped[pid]
        if p.father is not None:
            stack.extend((p.father, p.mother))  # type: ignore[arg-type]
    return [pid for pid in ped.ids if pid in keep]


def _observed_alleles(genos: Mapping[str, Genotype], index: dict[str, int]) -> list[int]:
    seen: set[int] = set()
    for g in genos.values():
        for a in g:
            if a is not None:
                seen.add(index[a])
    return sorted(seen)


@dataclass
class _Space:
    """The (possibly lumped) allele space for one computation."""

    freqs: np.ndarray
    female: np.ndarray
    male: np.ndarray
    code: dict[str, int]  # allele label -> index in this space
    labels: list[str | None]  # None for the lumped allele


def allele_space(model: MarkerModel, genos: Mapping[str, Genotype],
                 extra: Sequence[str] = ()) -> _Space:
    index = model.allele_index()
    observed = _observed_alleles(genos, index)
    for a in extra:
        if index[a] not in observed:
            observed.append(index[a])
    observed.sort()
    n = len(model.alleles)
    if n - len(observed) >= 2:
        if model.mutation:
            lf = lump(model.female, observed)
            lm = lf if model.male is model.female else lump(model.male, observed)
        else:
            lf = lm = np.eye(len(observed) + 1)
        if lf is not None and lm is not None:
            rest = np.setdiff1d(np.arange(n), observed)
            freqs = np.append(model.freqs[observed], model.freqs[rest].sum())
            code = {model.alleles[i]: k for k, i in enumerate(observed)}
            labels: list[str | None] = [model.alleles[i] for i in observed] + [None]
            return _Space(freqs, lf, lm, code, labels)
    return _Space(model.freqs, model.female, model.male, index, list(model.alleles))


def marker_likelihood(ped: Pedigree, genos: Mapping[str, Genotype], model: MarkerModel) -> float:
    """P(genotypes of the typed persons | pedigree) at one marker, exactly."""
    space = allele_space(model, genos)
    operands = _network(ped, genos, space, open_person=None)
    if not operands:
        return 1.0
    return float(_contract(operands, ()))


def genotype_joint(ped: Pedigree, genos: Mapping[str, Genotype], model: MarkerModel,
                   person: str) -> np.ndarray:
    """Joint probability of the data and each ordered genotype (paternal, maternal) of
    ``person`` (who must be untyped): a K x K matrix over the marker's full allele list."""
    n = len(model.alleles)
    space = _Space(model.freqs, model.female, model.male, model.allele_index(),
                   list(model.alleles))
    operands = _network(ped, genos, space, open_person=person)
    i = ped.index(person)
    out = _contract(operands, (2 * i, 2 * i + 1))
    return np.asarray(out).reshape(n, n)


def _network(ped: Pedigree, genos: Mapping[str, Genotype], space: _Space,
             open_person: str | None) -> list[tuple[np.ndarray, tuple[int, ...]]]:
    typed = {p for p, g in genos.items() if g[0] is not None or g[1] is not None}
    wanted = set(typed)
    if open_person is not None:
        wanted.add(open_person)
    persons = relevant_persons(ped, wanted)
    k = len(space.freqs)
    full = np.arange(k)
    dom: dict[int, np.ndarray] = {}
    evidence: list[tuple[np.ndarray, tuple[int, ...]]] = []
    for pid in persons:
        i = ped.index(pid)
        g = genos.get(pid)
        if g is None or (g[0] is None and g[1] is None):
            dom[2 * i] = dom[2 * i + 1] = full
            continue
        a = space.code[g[0]]  # type: ignore[index]
        if g[1] is None:  # one allele known: either of the two alleles is a
            dom[2 * i] = dom[2 * i + 1] = full
            e = np.zeros((k, k))
            e[a, :] = 1.0
            e[:, a] = 1.0
            evidence.append((e, (2 * i, 2 * i + 1)))
            continue
        b = space.code[g[1]]
        if a == b:
            dom[2 * i] = dom[2 * i + 1] = np.array([a])
        else:
            pair = np.array(sorted((a, b)))
            dom[2 * i] = dom[2 * i + 1] = pair
            evidence.append((np.array([[0.0, 1.0], [1.0, 0.0]]), (2 * i, 2 * i + 1)))
    ops: list[tuple[np.ndarray, tuple[int, ...]]] = []
    for pid in persons:
        i = ped.index(pid)
        p = ped[pid]
        if p.father is None:
            ops.append((space.freqs[dom[2 * i]], (2 * i,)))
            ops.append((space.freqs[dom[2 * i + 1]], (2 * i + 1,)))
            continue
        for parent, mat, var in ((p.father, space.male, 2 * i), (p.mother, space.female, 2 * i + 1)):
            j = ped.index(parent)  # type: ignore[arg-type]
            dp, dm, dc = dom[2 * j], dom[2 * j + 1], dom[var]
            t = 0.5 * (mat[np.ix_(dp, dc)][:, None, :] + mat[np.ix_(dm, dc)][None, :, :])
            ops.append((t, (2 * j, 2 * j + 1, var)))
    return ops + evidence


@lru_cache(maxsize=4096)
def _path(signature: tuple, output: tuple[int, ...]) -> list:
    dims: dict[int, int] = {}
    for idx, shape in signature:
        for v, s in zip(idx, shape, strict=True):
            dims[v] = s
    views = [np.empty(shape) for _, shape in signature]
    args: list = []
    for (idx, _), v in zip(signature, views, strict=True):
        args.extend((v, list(idx)))
    path, _ = oe.contract_path(*args, list(output), optimize="auto")
    return path


def _contract(operands: list[tuple[np.ndarray, tuple[int, ...]]], output: tuple[int, ...]):
    signature = tuple((idx, t.shape) for t, idx in operands)
    path = _path(signature, output)
    args: list = []
    for t, idx in operands:
        args.extend((t, list(idx)))
    args.append(list(output))
    return oe.contract(*args, optimize=path)
