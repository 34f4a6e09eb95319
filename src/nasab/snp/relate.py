"""Is the claimed relationship right? The likelihood of a pair's SNP data under each
candidate relationship (with linkage), and the segments they share identical by descent.

Each relationship is a small pedigree with the two persons typed; its likelihood is the
exact linked likelihood of :mod:`nasab.engine.snp`. IBD segments come from the posterior
of the inheritance vectors under the claimed (or best) relationship: runs of markers where
the pair most probably shares one or two alleles by descent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nasab.engine.pedigree import FEMALE, MALE, Pedigree
from nasab.engine.snp import (
    MISSING,
    X_CHROMOSOME,
    SNPPanel,
    _call_table,
    emission_plan,
    emissions,
    ibd_count,
    inheritance,
    pedigree_likelihood,
    posterior_states,
)

U = None


def _ped(rows) -> Pedigree:
    return Pedigree.from_records(rows)


# Each relationship: a pedigree with persons "A" and "B".
RELATIONSHIPS: dict[str, Pedigree] = {
    "parent-child": _ped([("A", U, U, MALE), ("W", U, U, FEMALE), ("B", "A", "W", MALE)]),
    "full siblings": _ped(
        [("F", U, U, MALE), ("M", U, U, FEMALE), ("A", "F", "M", MALE), ("B", "F", "M", MALE)]
    ),
    "half siblings": _ped(
        [
            ("F", U, U, MALE),
            ("M1", U, U, FEMALE),
            ("M2", U, U, FEMALE),
            ("A", "F", "M1", MALE),
            ("B", "F", "M2", MALE),
        ]
    ),
    "grandparent-grandchild": _ped(
        [
            ("A", U, U, MALE),
            ("W", U, U, FEMALE),
            ("P", "A", "W", MALE),
            ("Q", U, U, FEMALE),
            ("B", "P", "Q", MALE),
        ]
    ),
    "avuncular": _ped(
        [
            ("F", U, U, MALE),
            ("M", U, U, FEMALE),
            ("A", "F", "M", MALE),
            ("S", "F", "M", MALE),
            ("W", U, U, FEMALE),
            ("B", "S", "W", MALE),
        ]
    ),
    "first cousins": _ped(
        [
            ("F", U, U, MALE),
            ("M", U, U, FEMALE),
            ("S1", "F", "M", MALE),
            ("S2", "F", "M", MALE),
            ("W1", U, U, FEMALE),
            ("W2", U, U, FEMALE),
            ("A", "S1", "W1", MALE),
            ("B", "S2", "W2", MALE),
        ]
    ),
    "unrelated": _ped([("A", U, U, MALE), ("B", U, U, MALE)]),
}


@dataclass(frozen=True)
class Segment:
    chromosome: int
    start_bp: int
    end_bp: int
    start_cm: float
    end_cm: float
    ibd: int  # 1 or 2 alleles shared
    markers: int


@dataclass(frozen=True)
class RelationshipCheck:
    log10_likelihood: dict[str, float]  # linked, per relationship
    log10_lr_vs_unrelated: dict[str, float]
    best: str
    claimed: str | None
    log10_lr_claimed_vs_best: float | None
    segments: list[Segment]
    markers_used: int


def check_relationship(
    a: np.ndarray, b: np.ndarray, panel: SNPPanel, *, claimed: str | None = None, error: float = 0.0
) -> RelationshipCheck:
    """Likelihood of each relationship in :data:`RELATIONSHIPS` for a pair's calls, and the
    IBD segments under the claimed relationship (the best one if none is claimed)."""
    if claimed is not None and claimed not in RELATIONSHIPS:
        raise ValueError(f"unknown relationship {claimed!r}")
    # autosomes only: the X chromosome depends on the sexes and the line (paternal or
    # maternal) of each relationship, which these pedigrees do not state
    a, b = _autosomal(a, panel), _autosomal(b, panel)
    ll = {
        name: pedigree_likelihood(ped, {"A": a, "B": b}, panel, error=error).log10_linked
        for name, ped in RELATIONSHIPS.items()
    }
    best = max(ll, key=ll.__getitem__)
    under = claimed or best
    used = int(np.sum((np.asarray(a) >= 0) & (np.asarray(b) >= 0)))
    return RelationshipCheck(
        ll,
        {k: v - ll["unrelated"] for k, v in ll.items()},
        best,
        claimed,
        None if claimed is None else ll[claimed] - ll[best],
        ibd_segments(a, b, panel, RELATIONSHIPS[under], error=error),
        used,
    )


def _autosomal(calls: np.ndarray, panel: SNPPanel) -> np.ndarray:
    return np.where(panel.chromosome == X_CHROMOSOME, MISSING, np.asarray(calls))


def ibd_segments(
    a: np.ndarray,
    b: np.ndarray,
    panel: SNPPanel,
    ped: Pedigree,
    *,
    error: float = 0.0,
    min_markers: int = 3,
) -> list[Segment]:
    """Runs of markers whose most probable IBD count (posterior under ``ped``) is 1 or 2."""
    if ped is RELATIONSHIPS["unrelated"]:
        return []
    persons = ped.ancestors(["A", "B"], inclusive=True)
    inh = inheritance(ped, persons)
    ia, ib = persons.index("A"), persons.index("B")
    plan = emission_plan(inh, [ia, ib])
    k = ibd_count(inh, ia, ib)
    out: list[Segment] = []
    for idx in panel.chromosomes(x=False):
        keep = idx[(np.asarray(a)[idx] >= 0) | (np.asarray(b)[idx] >= 0)]
        if len(keep) == 0:
            continue
        calls = np.stack(
            [_call_table(np.asarray(a)[keep], error), _call_table(np.asarray(b)[keep], error)]
        )
        emis = emissions(plan, calls, panel.freq1[keep])
        post = posterior_states(inh, emis, panel.cm_male[keep], panel.cm_female[keep])
        pk = np.stack([post[k == c].sum(axis=0) for c in (0, 1, 2)])
        state = pk.argmax(axis=0)
        out.extend(_runs(state, keep, panel, min_markers))
    return out


def _runs(state: np.ndarray, idx: np.ndarray, panel: SNPPanel, min_markers: int) -> list[Segment]:
    out = []
    start = 0
    for j in range(1, len(state) + 1):
        if j == len(state) or state[j] != state[start]:
            if state[start] > 0 and j - start >= min_markers:
                s, e = idx[start], idx[j - 1]
                cm = (panel.cm_male + panel.cm_female) / 2
                out.append(
                    Segment(
                        int(panel.chromosome[s]),
                        int(panel.position[s]),
                        int(panel.position[e]),
                        float(cm[s]),
                        float(cm[e]),
                        int(state[start]),
                        j - start,
                    )
                )
            start = j
    return out
