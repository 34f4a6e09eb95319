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
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}

    def find(x: str) -> str:
        if x not in parent:
            parent[x] = x
            members[x] = [x]
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def kept_apart(x: str, y: str) -> bool:
        if (min(x, y), max(x, y)) in held:
            return True
        return x in by_id and y in by_id and cannot_be_same(by_id[x], by_id[y])

    for rid in (*map(str, report_ids), *by_id):
        find(rid)
    for p in sorted(pairs, key=lambda p: (-p.score, p.report_a, p.report_b)):
        ra, rb = find(p.report_a), find(p.report_b)
        if ra == rb:
            continue
        if (by_id or held) and any(kept_apart(x, y) for x in members[ra] for y in members[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep].extend(members.pop(gone))
    groups = [sorted(m) for m in members.values()]
    return sorted(groups, key=lambda g: (-len(g), g[0]))
