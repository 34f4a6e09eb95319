"""The hidden states of the linked-SNP likelihood (:mod:`nasab.engine.snp`): inheritance
vectors of the autosomes (``inheritance``) and of the X chromosome (``x_inheritance``,
``x_persons``), bounded by :data:`MAX_MEIOSES`, and the emissions of the typed persons'
calls given an inheritance vector (``emission_plan``, ``emissions``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nasab.engine.errors import ModelError
from nasab.engine.pedigree import FEMALE, UNKNOWN_SEX, Pedigree

MAX_MEIOSES = 16  # 65,536 inheritance vectors: the refusal bound (memory: 2^B x SNPs/chrom)


# --- inheritance vectors ------------------------------------------------------------------


@dataclass(frozen=True)
class Inheritance:
    """The meioses of a pedigree and, for every inheritance vector, the founder alleles each
    person carries. Founder allele 2f and 2f+1 are founder f's paternal and maternal."""

    persons: tuple[str, ...]
    bits: tuple[tuple[str, bool], ...]  # (child, paternal?) per bit
    male_bit: np.ndarray  # bool per bit: a father's meiosis (male map)
    carried: np.ndarray  # (2^B, n_persons, 2) founder-allele indices

    @property
    def states(self) -> int:
        return self.carried.shape[0]


def _check_bound(bits: Sequence, what: str = "SNP likelihood") -> None:
    if len(bits) > MAX_MEIOSES:
        raise ModelError(
            f"the {what} of this pedigree has {len(bits)} meioses "
            f"(2^{len(bits)} inheritance vectors); at most {MAX_MEIOSES} are "
            "computed exactly: leave out untyped branches or split the family"
        )


def inheritance(ped: Pedigree, persons: Sequence[str]) -> Inheritance:
    """Inheritance space of ``persons`` (who must be closed under parents)."""
    persons = tuple(persons)
    pos = {p: i for i, p in enumerate(persons)}
    founders = [p for p in persons if ped[p].father is None]
    bits = tuple((p, pat) for p in persons if ped[p].father is not None for pat in (True, False))
    _check_bound(bits)
    n_states = 1 << len(bits)
    v = np.arange(n_states)
    carried = np.zeros((n_states, len(persons), 2), np.int64)
    fidx = {f: k for k, f in enumerate(founders)}
    bit_of = {key: b for b, key in enumerate(bits)}
    for p in persons:  # pedigree order: parents first
        i = pos[p]
        if p in fidx:
            carried[:, i, 0] = 2 * fidx[p]
            carried[:, i, 1] = 2 * fidx[p] + 1
            continue
        for slot, (parent, paternal) in enumerate(((ped[p].father, True), (ped[p].mother, False))):
            choice = (v >> bit_of[(p, paternal)]) & 1  # 0: parent's paternal allele
            carried[:, i, slot] = carried[v, pos[parent], choice]
    male = np.array([pat for _, pat in bits], bool)
    return Inheritance(persons, bits, male, carried)


def x_persons(ped: Pedigree, typed: Sequence[str]) -> list[str]:
    """The persons whose X chromosome matters for ``typed``, in pedigree order: the typed,
    then upwards the mother of every male and both parents of every female. Every one of
    them must have a recorded sex."""
    found: set[str] = set()
    stack = [p for p in typed if p in ped]
    while stack:
        q = stack.pop()
        if q in found:
            continue
        found.add(q)
        person = ped[q]
        if person.sex == UNKNOWN_SEX:
            raise ModelError(
                f"X-chromosome SNPs need the sex of {q!r}, recorded as unknown in the "
                "pedigree (a male carries one X, a female two)"
            )
        if person.father is not None:
            stack.append(person.mother)  # type: ignore[arg-type]
            if person.sex == FEMALE:
                stack.append(person.father)
    return [q for q in ped.ids if q in found]


def x_inheritance(ped: Pedigree, persons: Sequence[str]) -> Inheritance:
    """Inheritance space of the X chromosome of ``persons`` (from :func:`x_persons`).

    One bit per maternal meiosis (which of the mother's two X alleles the child got); a
    father's X goes whole to a daughter, so a daughter's paternal slot is a copy of it with
    no bit; a male carries his one X allele in both slots (his dosage is 0 or 2).
    Founder allele 2f is founder f's (paternal) X, 2f+1 a female founder's maternal X."""
    persons = tuple(persons)
    pos = {p: i for i, p in enumerate(persons)}
    founders = [p for p in persons if ped[p].father is None]
    bits = tuple((p, False) for p in persons if ped[p].father is not None)
    _check_bound(bits, "X-chromosome SNP likelihood")
    n_states = 1 << len(bits)
    v = np.arange(n_states)
    carried = np.zeros((n_states, len(persons), 2), np.int64)
    fidx = {f: k for k, f in enumerate(founders)}
    bit_of = {key: b for b, key in enumerate(bits)}
    for p in persons:  # pedigree order: parents first
        i, person = pos[p], ped[p]
        if p in fidx:
            carried[:, i, 0] = 2 * fidx[p]
            carried[:, i, 1] = 2 * fidx[p] + (person.sex == FEMALE)
            continue
        choice = (v >> bit_of[(p, False)]) & 1  # 0: the mother's paternal X
        maternal = carried[v, pos[person.mother], choice]  # type: ignore[index]
        carried[:, i, 1] = maternal
        if person.sex == FEMALE:
            carried[:, i, 0] = carried[:, pos[person.father], 0]  # type: ignore[index]
        else:
            carried[:, i, 0] = maternal
    return Inheritance(persons, bits, np.zeros(len(bits), bool), carried)


# --- emissions ----------------------------------------------------------------------------


def _components(pairs: tuple[tuple[int, int], ...]) -> list[tuple[tuple[int, int], ...]]:
    """Split the typed persons' founder-allele pairs into connected components, each
    relabelled canonically (founder alleles numbered by first appearance); each entry
    keeps the typed persons' positions so that their calls can be attached."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for t, (a, _) in enumerate(pairs):
        groups.setdefault(find(a), []).append(t)
    return [tuple(ts) for ts in groups.values()]  # type: ignore[misc]


@lru_cache(maxsize=4096)
def _assignments(c: int) -> np.ndarray:
    """All 2^c allele assignments (1 = allele A1) of c founder alleles, (2^c, c)."""
    return ((np.arange(1 << c)[:, None] >> np.arange(c)) & 1).astype(np.int64)


def _component_emission(
    shape: tuple[tuple[int, int], ...], calls: np.ndarray, p1: np.ndarray
) -> np.ndarray:
    """Sum over the founder alleles of one component: ``shape`` gives each typed person's
    two (canonical) founder alleles, ``calls`` (n_typed, 3, M) P(call | true dosage)."""
    c = 1 + max(max(a, b) for a, b in shape)
    assign = _assignments(c)  # (A, c)
    n1 = assign.sum(axis=1)
    logp = np.log(np.clip(p1, 1e-300, None))
    logq = np.log(np.clip(1.0 - p1, 1e-300, None))
    weight = np.exp(n1[:, None] * logp[None, :] + (c - n1)[:, None] * logq[None, :])  # (A, M)
    for t, (a, b) in enumerate(shape):
        dosage = assign[:, a] + assign[:, b]
        weight *= calls[t][dosage]  # (A, M)
    return weight.sum(axis=0)


@dataclass(frozen=True)
class EmissionPlan:
    """Which founder-allele components each inheritance vector's typed persons form:
    ``keys[k] = (shape, typed positions)``; ``table[v]`` the key ids of vector ``v``
    (padded with -1). Computed once per pedigree and typed set, used on every chromosome."""

    keys: tuple[tuple, ...]
    table: np.ndarray  # (2^B, max components) int


def emission_plan(inh: Inheritance, typed: Sequence[int]) -> EmissionPlan:
    ids: dict[tuple, int] = {}
    rows: list[list[int]] = []
    seen: dict[tuple, list[int]] = {}
    for v in range(inh.states):
        pairs = tuple((int(inh.carried[v, i, 0]), int(inh.carried[v, i, 1])) for i in typed)
        row = seen.get(pairs)
        if row is None:
            row = []
            for comp in _components(pairs):
                label: dict[int, int] = {}
                shape = tuple(
                    (
                        label.setdefault(pairs[t][0], len(label)),
                        label.setdefault(pairs[t][1], len(label)),
                    )
                    for t in comp
                )
                row.append(ids.setdefault((shape, comp), len(ids)))
            seen[pairs] = row
        rows.append(row)
    width = max(len(r) for r in rows)
    table = np.full((inh.states, width), -1, np.int64)
    for v, r in enumerate(rows):
        table[v, : len(r)] = r
    return EmissionPlan(tuple(ids), table)


def emissions(plan: EmissionPlan, calls: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """(2^B, M) P(calls at each SNP | inheritance vector); ``calls``: (n_typed, 3, M)
    P(call | true dosage) of the typed persons."""
    per_key = np.stack(
        [_component_emission(shape, calls[list(comp)], p1) for shape, comp in plan.keys]
        + [np.ones(calls.shape[2])]
    )
    out = per_key[plan.table[:, 0]]  # -1 picks the row of ones
    for k in range(1, plan.table.shape[1]):  # column by column: no (2^B, width, M) array
        out *= per_key[plan.table[:, k]]
    return out
