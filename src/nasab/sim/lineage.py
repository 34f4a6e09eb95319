"""Lineage-marker dropping: Y-STR haplotypes along paternal lines, mtDNA along maternal lines.

The top man of each paternal line carries the haplotype of a man drawn at random from a
real haplotype database (e.g. Purps et al. 2014, Lebanon); each son receives his father's
haplotype with per-locus, per-copy single-step mutation at the YHRD rates (the model of
:mod:`nasab.engine.ystr`). The top woman of each maternal line carries a sequence drawn from
an mtDNA database; it passes unchanged to her children. Only synthetic people: the drawn
haplotypes are reused as founders of invented families, never attached to anyone real.
"""

from __future__ import annotations

import numpy as np

from nasab.engine.mtdna import MtDatabase, MtProfile
from nasab.engine.pedigree import MALE, Pedigree
from nasab.engine.ystr import NULL, YDatabase, YRates, _step, ystr_rates


def _mutate(hap: dict, rates: YRates, rng: np.random.Generator) -> dict:
    out = {}
    for k, state in hap.items():
        mu = rates.rate(k) or 0.0
        new = []
        for a in state:
            u = rng.random()
            if a != NULL and u < mu:
                b = _step(a, 1 if u < mu / 2 else -1)
                new.append(b if b is not None else a)
            else:
                new.append(a)
        out[k] = tuple(sorted(new, key=lambda x: (-1.0, x) if x == NULL else (float(x), x)))
    return out


def drop_ystr(
    ped: Pedigree,
    database: YDatabase,
    rng: np.random.Generator,
    rates: YRates | None = None,
    loci: list[str] | None = None,
) -> dict[str, dict]:
    """A Y-STR haplotype for every man of ``ped`` (keyed by person id). Founders draw a man
    of the database typed at all ``loci`` (default: the database's loci)."""
    rates = rates or ystr_rates()
    loci = loci or database.keys
    pool = [r for r in database.rows if all(k in r for k in loci)]
    out: dict[str, dict] = {}
    for p in ped.persons:
        if p.sex != MALE:
            continue
        if p.father is None:
            row = pool[int(rng.integers(len(pool)))]
            out[p.id] = {k: row[k] for k in loci}
        else:
            out[p.id] = _mutate(out[p.father], rates, rng)
    return out


def drop_mtdna(
    ped: Pedigree, database: MtDatabase, rng: np.random.Generator
) -> dict[str, MtProfile]:
    """An mtDNA sequence for everyone in ``ped``: maternal founders draw one from the
    database, children carry their mother's."""
    out: dict[str, MtProfile] = {}
    for p in ped.persons:
        if p.mother is None:
            out[p.id] = database.rows[int(rng.integers(len(database.rows)))]
        else:
            out[p.id] = out[p.mother]
    return out
