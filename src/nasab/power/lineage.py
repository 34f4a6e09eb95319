"""Y-STR and mtDNA in ``nasab power``: what the lineage references add (docs/lineage.md).

For a family whose missing person has typed members on his paternal line (Y-STR) or her /
his maternal line (mtDNA), each system's factor is scored with the function of ``nasab
lr`` (:func:`nasab.engine.ystr.ystr_lr`, :func:`nasab.engine.mtdna.mtdna_lr`):

* **if the POI is the missing person**: Y, the POI's haplotype drawn locus by locus from
  its exact distribution given the typed men of the line (the numerator of the Y factor,
  :func:`nasab.engine.ystr.missing_distribution`; loci independent under the flat founder
  prior); mtDNA, the sequence of the maternal line's reference (passed unchanged);
* **if the POI is unrelated**: a man (a sequence) of the database, each with equal
  weight: the exclusion probability of the system is the share of the database the
  line excludes (exact over the database, under the single-step mutation model for Y and
  the SWGDAM rule for mtDNA), and the unrelated draws pick database rows.

The systems are multiplied with the autosomal LR under the stated independence assumption
(:data:`nasab.engine.lineage.INDEPENDENCE`): a draw's log10 LR is the sum of the three.

For *whom to sample next*, a candidate on the missing person's paternal line (a man) or
maternal line, when that line has no typed member yet, is scored by simulation
(:mod:`nasab.sim.lineage`): founders' haplotypes drawn from the database, mutation along
the line, the candidate and the missing person compared as ``nasab lr`` would; the mean
log10 factor over ``n`` such families (not conditioned on anything observed) is the
candidate's expected lineage gain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nasab.engine.genotypes import Family
from nasab.engine.pedigree import FEMALE


@dataclass
class LineageOptions:
    ystr_db: object | None = None  # nasab.engine.ystr.YDatabase
    ystr_method: str = "counting"
    mtdna_db: object | None = None  # nasab.engine.mtdna.MtDatabase
    confidence: float = 0.95


@dataclass
class LineagePower:
    """One lineage system's contribution to the power of a reference set."""

    kind: str
    used: bool
    statement: str
    exclusion_probability: float = 0.0
    expected_log10_lr: float = 0.0
    rel: np.ndarray = field(default_factory=lambda: np.zeros(0))
    unrel: np.ndarray = field(default_factory=lambda: np.zeros(0))
    database: str = ""

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "used": self.used,
            "statement": self.statement,
            "exclusion_probability": self.exclusion_probability,
            "expected_log10LR": self.expected_log10_lr,
            "database": self.database,
        }


def _y_refs(family: Family, mp: str) -> tuple[list[str], dict]:
    from nasab.engine.ystr import line_members, paternal_root

    ped = family.pedigree
    if ped[mp].sex == FEMALE or not family.ystr:
        return [], {}
    members = line_members(ped, paternal_root(ped, mp))
    return members, {q: h for q, h in family.ystr.items() if h and q in members and q != mp}


def _mt_refs(family: Family, mp: str) -> dict:
    from nasab.engine.mtdna import maternal_root

    ped = family.pedigree
    root = maternal_root(ped, mp)
    return {
        q: p
        for q, p in family.mtdna.items()
        if p is not None and q != mp and maternal_root(ped, q) == root
    }


def y_power(
    family: Family, mp: str, opts: LineageOptions, n: int, rng: np.random.Generator
) -> LineagePower | None:
    """The Y-STR system's draws (n if the POI is the MP, n if unrelated); None: no Y data."""
    from nasab.engine.errors import InputError
    from nasab.engine.ystr import (
        line_distances,
        line_excludes,
        missing_distribution,
        ystr_lr,
        ystr_rates,
    )

    members, on = _y_refs(family, mp)
    if not on:
        return None
    db = opts.ystr_db
    if db is None:
        raise InputError(
            "the paternal line has typed Y-STR haplotypes: name a database with --ystr-db",
            field="--ystr-db",
        )
    ped, rates = family.pedigree, ystr_rates()
    loci = sorted({k for h in on.values() for k in h} & set(db.keys))
    memo: dict = {}
    steps = line_distances(ped, mp, list(on))
    db_loci = set(db.keys)

    def factor(hap: dict) -> float:
        key = tuple(sorted(hap.items()))
        if key not in memo and line_excludes(steps, on, hap, db_loci):
            memo[key] = -math.inf  # the screen of nasab search: exact zeros only
        if key not in memo:
            ev = ystr_lr(ped, mp, on, hap, db, opts.ystr_method, confidence=opts.confidence)
            memo[key] = ev.log10_lr if ev.used else 0.0
        return memo[key]

    dists = []
    for k in loci:
        obs = {q: h[k] for q, h in on.items() if k in h}
        dist = missing_distribution(ped, members, obs, rates.rate(k) or 0.0, mp)
        states, probs = zip(*dist, strict=True)
        p = np.asarray(probs)
        dists.append((k, list(states), p / p.sum()))
    picks = [rng.choice(len(st), size=n, p=p) for _, st, p in dists]
    rel = np.array(
        [
            factor({k: st[pick[i]] for (k, st, _), pick in zip(dists, picks, strict=True)})
            for i in range(n)
        ]
    )
    pool = [r for r in db.rows if all(k in r for k in loci)]
    row_lr = np.array([factor({k: r[k] for k in loci}) for r in pool])
    unrel = row_lr[rng.integers(len(pool), size=n)]
    excl = float(np.mean(row_lr == -math.inf))
    return LineagePower(
        "Y",
        True,
        f"{len(on)} typed man/men on the paternal line ({', '.join(sorted(on))}), "
        f"{len(loci)} loci; if unrelated: a man of the database ({len(pool)} men typed at "
        f"these loci; {excl:.1%} excluded by the line); {opts.ystr_method}",
        excl,
        float(rel.mean()),
        rel,
        unrel,
        db.describe(),
    )


def mt_power(
    family: Family, mp: str, opts: LineageOptions, n: int, rng: np.random.Generator
) -> LineagePower | None:
    """The mtDNA system's draws; None: no typed person on the maternal line."""
    from nasab.engine.errors import InputError
    from nasab.engine.mtdna import excluded, mtdna_lr

    on = _mt_refs(family, mp)
    if not on:
        return None
    db = opts.mtdna_db
    if db is None:
        raise InputError(
            "the maternal line has typed mtDNA sequences: name a database with --mtdna-db",
            field="--mtdna-db",
        )
    ped = family.pedigree

    def factor(seq) -> float:
        if all(excluded(seq, r) for r in on.values()):
            return -math.inf
        ev = mtdna_lr(ped, mp, on, seq, db, confidence=opts.confidence)
        return ev.log10_lr if ev.used else 0.0

    own = factor(on[sorted(on)[0]])  # the line's sequence, passed unchanged
    memo: dict = {}
    for r in db.rows:
        if r not in memo:
            memo[r] = factor(r)
    row_lr = np.array([memo[r] for r in db.rows])
    unrel = row_lr[rng.integers(len(db.rows), size=n)]
    excl = float(np.mean(row_lr == -math.inf))
    return LineagePower(
        "mtDNA",
        True,
        f"{len(on)} typed person(s) on the maternal line ({', '.join(sorted(on))}); if the "
        f"POI is the missing person, the line's sequence; if unrelated, a sequence of the "
        f"database ({len(db.rows)}; {excl:.1%} excluded by the line)",
        excl,
        own,
        np.full(n, own),
        unrel,
        db.describe(),
    )


def lineage_power(
    family: Family, mp: str, opts: LineageOptions | None, n: int, seed: int
) -> list[LineagePower]:
    """Both systems' contributions (those with data); the draws use their own stream of
    ``seed`` so that the autosomal draws are those of the analysis without lineage."""
    if opts is None or not (family.ystr or family.mtdna):
        return []
    rng = np.random.default_rng([seed, 20])
    out = [y_power(family, mp, opts, n, rng), mt_power(family, mp, opts, n, rng)]
    return [x for x in out if x is not None]


# --- whom to sample next --------------------------------------------------------------------
def candidate_gain(
    family: Family, mp: str, new: str, opts: LineageOptions | None, n: int, seed: int
) -> dict[str, float]:
    """Expected log10 Y / mtDNA factor if the candidate ``new`` (in ``family``) were typed
    for a lineage system whose line has no typed member yet (see the module text)."""
    from nasab.engine.mtdna import maternal_root, mtdna_lr
    from nasab.engine.ystr import line_members, paternal_root, ystr_lr
    from nasab.sim.lineage import drop_mtdna, drop_ystr

    if opts is None:
        return {}
    ped = family.pedigree
    rng = np.random.default_rng([seed, 21])
    out: dict[str, float] = {}
    if (
        opts.ystr_db is not None
        and ped[mp].sex != FEMALE
        and ped[new].sex != FEMALE
        and new in line_members(ped, paternal_root(ped, mp))
        and not _y_refs(family, mp)[1]
    ):
        vals = []
        for _ in range(n):
            haps = drop_ystr(ped, opts.ystr_db, rng)
            ev = ystr_lr(
                ped,
                mp,
                {new: haps[new]},
                haps[mp],
                opts.ystr_db,
                opts.ystr_method,
                confidence=opts.confidence,
            )
            vals.append(ev.log10_lr)
        out["Y"] = float(np.mean(vals))
    if (
        opts.mtdna_db is not None
        and maternal_root(ped, new) == maternal_root(ped, mp)
        and not _mt_refs(family, mp)
    ):
        vals = []
        for _ in range(max(1, n // 10)):
            seqs = drop_mtdna(ped, opts.mtdna_db, rng)
            ev = mtdna_lr(ped, mp, {new: seqs[new]}, seqs[mp], opts.mtdna_db)
            vals.append(ev.log10_lr)
        out["mtDNA"] = float(np.mean(vals))
    return out
