"""Reports grouped into persons from the proposed pairs (``nasab dedup --clusters``).

Pairs are taken best first and join their two groups (single linkage), except where the
join would put together two reports that must stay apart: two that cannot be one person
(:func:`nasab.linkage.relatives.cannot_be_same`: incompatible given names, another sex,
birth years more than three years apart) or two that the model held back as possible
relatives (``apart``: its relatives list, a decision for a person). One doubtful pair must
not chain two brothers together through their shared reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pandas as pd

from nasab.linkage.prepare import _clean, _records
from nasab.linkage.relatives import cannot_be_same

__all__ = ["cluster_pairs"]


class _Pair(Protocol):
    report_a: str
    report_b: str
    score: float


def cluster_pairs(
    pairs: Iterable[_Pair],
    report_ids: Iterable[str] = (),
    reports: Iterable[dict] | pd.DataFrame | None = None,
    *,
    apart: Iterable[tuple[str, str]] = (),
) -> list[list[str]]:
    """Group reports into persons from the proposed pairs (module docstring).

    With ``reports`` given, two groups are not joined when a report of one and a report of
    the other cannot be the same person; ``apart``: pairs of report ids never to be put in
    one group (the model's possible relatives). Reports in ``report_ids`` (or ``reports``)
    that appear in no pair come back as single-report persons. Clusters are sorted lists,
    largest first."""
    by_id: dict[str, dict] = {}
    if reports is not None:
        by_id = {_clean(r.get("report_id")): r for r in _records(reports)}
    held = {(min(a, b), max(a, b)) for a, b in apart}

    def kept_apart(x: str, y: str) -> bool:
        if (min(x, y), max(x, y)) in held:
            return True
        return x in by_id and y in by_id and cannot_be_same(by_id[x], by_id[y])

    ids = dict.fromkeys([*map(str, report_ids), *by_id])
    groups = Groups()
    for p in sorted(pairs, key=lambda p: (-p.score, p.report_a, p.report_b)):
        a, b = p.report_a, p.report_b
        ids.setdefault(a)
        ids.setdefault(b)
        if (by_id or held) and (kept_apart(a, b) or groups.apart(a, b, kept_apart)):
            continue
        groups.join(a, b)
    persons: dict[str, list[str]] = {}
    for rid in ids:
        persons.setdefault(groups.find(rid), []).append(rid)
    return sorted((sorted(m) for m in persons.values()), key=lambda g: (-len(g), g[0]))


class Groups:
    """Reports joined into persons pair by pair (a union-find with each group's
    members), and whether a pair would put together two reports that must stay apart
    (:meth:`apart`).  :func:`cluster_pairs` groups the proposed pairs with it, and
    :meth:`nasab.linkage.dedup.DedupModel` the pairs it proposes, so that none makes
    one person of two reports that cannot be one: "Mohammed Ali" (a given-name box
    holding a name and the father's, no birth year) fits Mohammad son of Ali born 2003
    and another Mohammad son of Ali with no birth year whose other reports say born 1977
    (6,000 persons, seed 9)."""

    def __init__(self) -> None:
        self._root: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}

    def find(self, x: str) -> str:
        root = x
        while (up := self._root.get(root, root)) != root:
            root = up
        while x != root:  # shorten the path
            self._root[x], x = root, self._root[x]
        return root

    def members(self, x: str) -> list[str]:
        return self._members.get(self.find(x), [x])

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ma, mb = self.members(ra), self.members(rb)
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        self._root[rb] = ra
        self._members[ra] = ma + mb
        self._members.pop(rb, None)

    def apart(self, a: str, b: str, cannot) -> tuple[str, str] | None:
        """Two reports, one of a's group and one of b's, that ``cannot`` be one person
        (a's and b's own pair aside: the caller weighed it); None if there are none."""
        if self.find(a) == self.find(b):
            return None
        for x in self.members(a):
            for y in self.members(b):
                if (x, y) != (a, b) and cannot(x, y):
                    return x, y
        return None
