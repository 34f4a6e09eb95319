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
from dataclasses import dataclass, field
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
    _spaces: dict = field(default_factory=dict, repr=False, compare=False)

    def allele_index(self) -> dict[str, int]:
        idx = self._spaces.get("index")
        if idx is None:
            idx = self._spaces["index"] = {a: i for i, a in enumerate(self.alleles)}
        return idx


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
    _factors: dict = field(default_factory=dict, repr=False)

    def transmission(self, male: bool, dp: np.ndarray, dm: np.ndarray,
                     dc: np.ndarray) -> np.ndarray:
        """T[p, m, c] = (M[p, c] + M[m, c]) / 2 over the given domains (cached: the same
        factors recur across persons, markers and candidate remains)."""
        key = (male, dp.tobytes(), dm.tobytes(), dc.tobytes())
        t = self._factors.get(key)
        if t is None:
            mat = self.male if male else self.female
            cols = mat[:, dc]
            t = 0.5 * (cols[dp][:, None, :] + cols[dm][None, :, :])
            if len(self._factors) < 4096:
                self._factors[key] = t
        return t


def allele_space(model: MarkerModel, genos: Mapping[str, Genotype],
                 extra: Sequence[str] = ()) -> _Space:
    index = model.allele_index()
    observed = _observed_alleles(genos, index)
    for a in extra:
        if index[a] not in observed:
            observed.append(index[a])
    observed.sort()
    key = tuple(observed)
    space = model._spaces.get(key)
    if space is None:
        space = model._spaces[key] = _make_space(model, observed, index)
    return space


def _make_space(model: MarkerModel, observed: list[int], index: dict[str, int]) -> _Space:
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
    space = model._spaces.get("full")
    if space is None:
        space = model._spaces["full"] = _Space(model.freqs, model.female, model.male,
                                               model.allele_index(), list(model.alleles))
    operands = _network(ped, genos, space, open_person=person)
    i = ped.index(person)
    out = _contract(operands, (2 * i, 2 * i + 1))
    return np.asarray(out).reshape(n, n)


def person_joint(ped: Pedigree, genos: Mapping[str, Genotype], model: MarkerModel,
                 person: str, alleles: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Like :func:`genotype_joint`, on the smallest exact allele space that still tells
    apart the given ``alleles``: returns the matrix and the index of each allele in it.
    Summing the matrix gives the likelihood of the data without ``person``."""
    space = allele_space(model, genos, extra=alleles)
    operands = _network(ped, genos, space, open_person=person)
    i = ped.index(person)
    k = len(space.freqs)
    out = _contract(operands, (2 * i, 2 * i + 1)) if operands else np.outer(space.freqs,
                                                                           space.freqs)
    return np.asarray(out).reshape(k, k), space.code


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
        for parent, male, var in ((p.father, True, 2 * i), (p.mother, False, 2 * i + 1)):
            j = ped.index(parent)  # type: ignore[arg-type]
            t = space.transmission(male, dom[2 * j], dom[2 * j + 1], dom[var])
            ops.append((t, (2 * j, 2 * j + 1, var)))
    return ops + evidence


@lru_cache(maxsize=8192)
def _expression(signature: tuple, output: tuple[int, ...]):
    """A compiled contraction for operands of these index lists and shapes (cached: every
    marker of a family with the same typing pattern reuses it)."""
    symbols: dict[int, str] = {}

    def sym(v: int) -> str:
        if v not in symbols:
            symbols[v] = oe.get_symbol(len(symbols))
        return symbols[v]

    terms = ["".join(sym(v) for v in idx) for idx, _ in signature]
    eq = ",".join(terms) + "->" + "".join(sym(v) for v in output)
    shapes = [shape for _, shape in signature]
    return oe.contract_expression(eq, *shapes, optimize="auto")


def _contract(operands: list[tuple[np.ndarray, tuple[int, ...]]], output: tuple[int, ...]):
    signature = tuple((idx, t.shape) for t, idx in operands)
    return _expression(signature, output)(*(t for t, _ in operands))
