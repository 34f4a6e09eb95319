"""What ``nasab dedup`` decides for a list of reports: the one helper of the linkage tests
that check a decision (proposed, left to a person, held as relatives)."""

from __future__ import annotations

from dataclasses import dataclass

from nasab.linkage.dedup import DedupModel, ProposedPair


@dataclass(frozen=True)
class Decisions:
    model: DedupModel
    pairs: list[ProposedPair]
    proposed: set[tuple[str, str]]  # (report_a, report_b) proposed as one person
    undecided: set[tuple[str, str]]  # left to a person
    held: set[tuple[str, str]]  # the relatives list


def decide(reports: list[dict]) -> Decisions:
    m = DedupModel(reports)
    pairs = m.predict()
    return Decisions(
        m,
        pairs,
        {(p.report_a, p.report_b) for p in pairs},
        {(a, b) for a, b, _ in m.undecided},
        {(a, b) for a, b, _ in m.possible_relatives},
    )
