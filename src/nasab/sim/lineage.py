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


def _format_y(hap: dict, loci: list[str]) -> list[str]:
    from nasab.engine.ystr import format_state

    return [format_state(hap.get(k)) if hap else "" for k in loci]


def programme_lineage(
    fam_rows: list[list[str]],
    samples: list[tuple],
    ystr_db: YDatabase | None,
    mtdna_db: MtDatabase | None,
    seed: int,
) -> tuple[list[str], list[list[str]], list[list[str]], dict]:
    """Lineage columns for a simulated programme (``nasab simulate --ystr-db/--mtdna-db``).

    ``fam_rows``: the families table's rows (family_id id fid mid sex missing ...);
    ``samples``: the remains as (individual, family, missing id, kind, genotypes, site).
    Every man of a family gets a Y haplotype dropped from a database founder along his
    paternal line, everyone an mtDNA sequence from the maternal founder's; typed references
    carry theirs (a man his Y, everyone the mtDNA), a remain of a missing person that
    person's (the Y if he is a man), an unrelated remain a database man's Y with
    probability 1/2 (a man) and a database sequence. The draws use their own random stream
    (``[seed, 30]``): the autosomal tables are those of the same seed without lineage.
    Returns (header, family cells per row, remain cells per sample, description)."""
    rng = np.random.default_rng([seed, 30])
    y_loci = list(ystr_db.keys) if ystr_db is not None else []  # DYS385a/b: one DYS385
    header = [*y_loci, *(["mtDNA"] if mtdna_db is not None else [])]
    groups: dict[str, list[list[str]]] = {}
    for r in fam_rows:
        groups.setdefault(r[0], []).append(r)
    haps: dict[tuple[str, str], dict] = {}
    seqs: dict[tuple[str, str], MtProfile] = {}
    sex: dict[tuple[str, str], int] = {}
    for name, rows in groups.items():
        ped = Pedigree.from_records([(r[1], r[2], r[3], int(r[4])) for r in rows])
        y = drop_ystr(ped, ystr_db, rng) if ystr_db is not None else {}
        m = drop_mtdna(ped, mtdna_db, rng) if mtdna_db is not None else {}
        for r in rows:
            haps[(name, r[1])] = y.get(r[1], {})
            if r[1] in m:
                seqs[(name, r[1])] = m[r[1]]
            sex[(name, r[1])] = int(r[4])

    def cells(hap: dict, seq: MtProfile | None) -> list[str]:
        out = _format_y(hap, y_loci) if ystr_db is not None else []
        if mtdna_db is not None:
            out.append(seq.describe() if seq is not None else "")
        return out

    fam_cells = []
    for r in fam_rows:
        key = (r[0], r[1])
        typed = r[5] == "0" and any(g != "-/-" for g in r[6:])
        fam_cells.append(cells(haps[key], seqs.get(key)) if typed else [""] * len(header))
    rem_cells = []
    for _indiv, fname, pid, _kind, _g, _site in samples:
        if fname:
            key = (fname, pid)
            rem_cells.append(cells(haps[key], seqs.get(key)))
            continue
        hap: dict = {}
        if ystr_db is not None and rng.random() < 0.5:
            row = ystr_db.rows[int(rng.integers(len(ystr_db.rows)))]
            hap = {k: row[k] for k in ystr_db.keys if k in row}
        seq = None
        if mtdna_db is not None:
            seq = mtdna_db.rows[int(rng.integers(len(mtdna_db.rows)))]
        rem_cells.append(cells(hap, seq))
    info = {
        "Y": ystr_db.describe() if ystr_db is not None else None,
        "mtDNA": mtdna_db.describe() if mtdna_db is not None else None,
        "model": "Y: founders drawn from the database, single-step mutation at the YHRD "
        "rates father to son; mtDNA: maternal founders drawn from the database, passed "
        "unchanged; unrelated remains: a database man's Y with probability 1/2 and a "
        "database sequence; lineage columns are not degraded",
    }
    return header, fam_cells, rem_cells, info
