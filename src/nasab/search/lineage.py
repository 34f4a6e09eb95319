"""Y-STR and mtDNA in the blind search: screening and LR factors (docs/lineage.md).

For every missing person whose family has typed members on his (her) paternal or maternal
line, and every remain with a Y-STR haplotype or an mtDNA sequence, the pair's lineage
factor is the one ``nasab lr`` computes (:func:`nasab.engine.lr.lineage_factors`, the same
function, so a pair's combined LR agrees with ``nasab lr`` for it). Most pairs are settled
by a screen first: a remain whose Y haplotype needs more single-step mutations than there
are transmissions between it and a typed man of the line (:func:`nasab.engine.ystr.
line_excludes`), or whose mtDNA has two or more differences from every typed person of the
maternal line (:func:`nasab.engine.mtdna.excluded`), is excluded (factor 0) without the
exact computation; the screen only ever answers "excluded" where the exact factor is 0.

The search keeps a pair when autosomal LR x Y factor x mtDNA factor >= the threshold (the
three systems independent given the pedigree: :data:`nasab.engine.lineage.INDEPENDENCE`).
Pairs whose autosomal LR alone is below the threshold but whose lineage factor lifts them
above it are found too: their autosomal LR is read from the compiled tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError, NasabError
from nasab.engine.pedigree import FEMALE
from nasab.search.data import FamilyData, Loaded, Problem, Remains
from nasab.search.kernel import exact_scores


@dataclass
class LineageOptions:
    """The databases and the estimator (as ``nasab lr --ystr-db --ystr-method --mtdna-db
    --lineage-confidence``)."""

    ystr_db: Path | None = None
    ystr_method: str = "counting"
    mtdna_db: Path | None = None
    confidence: float = 0.95


@dataclass
class PairFactors:
    """The lineage factors of one missing person against the remains (indices into the
    remains): pairs with a finite factor, and the excluded pairs (factor 0)."""

    remains: np.ndarray  # int64, remains with a finite factor
    log10_y: np.ndarray  # float64, 0 where Y gave no evidence
    log10_mt: np.ndarray
    excluded: np.ndarray  # int64, remains excluded by Y or mtDNA


@dataclass
class LineageScreen:
    """Per (family, missing person): the factors; what the model file states."""

    factors: dict[tuple[str, str], PairFactors] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _Databases:
    """The two databases, read once, with the population counts cached per haplotype."""

    def __init__(self, opts: LineageOptions):
        self.y = self.mt = None
        if opts.ystr_db is not None:
            from nasab.engine.ystr import read_ystr_database

            self.y = read_ystr_database(opts.ystr_db)
            counts: dict = {}
            count = self.y.count

            def cached_y(hap, loci):
                key = (tuple(sorted((k, hap[k]) for k in loci)), tuple(loci))
                if key not in counts:
                    counts[key] = count(hap, loci)
                return counts[key]

            self.y.count = cached_y  # type: ignore[method-assign]
        if opts.mtdna_db is not None:
            from nasab.engine.mtdna import read_mtdna_database

            self.mt = read_mtdna_database(opts.mtdna_db)
            mcounts: dict = {}
            mcount = self.mt.count

            def cached_mt(poi, region):
                key = (poi, hash(frozenset(region)), len(region))
                if key not in mcounts:
                    mcounts[key] = mcount(poi, region)
                return mcounts[key]

            self.mt.count = cached_mt  # type: ignore[method-assign]


_CACHE: dict[tuple, _Databases] = {}


def databases(opts: LineageOptions) -> _Databases:
    """The databases of ``opts``, read once per process while their files stay the same
    (a registry's web process and worker score many changes against them; a discrete
    Laplace fit is kept with its database)."""
    key = []
    for p in (opts.ystr_db, opts.mtdna_db):
        if p is None:
            key.append(None)
            continue
        try:
            st = Path(p).stat()
        except OSError:
            return _Databases(opts)  # the reader says what is wrong with the path
        key.append((str(Path(p).resolve()), st.st_mtime_ns, st.st_size))
    got = _CACHE.get(tuple(key))
    if got is None:
        got = _CACHE[tuple(key)] = _Databases(opts)
    return got


@dataclass
class _Line:
    """One missing person's typed line members (the screen's view)."""

    y_dist: dict[str, int]
    mt_refs: list


def _lines(fd: FamilyData, mp: str) -> _Line:
    from nasab.engine.mtdna import maternal_root
    from nasab.engine.ystr import line_distances, line_members, paternal_root

    fam, ped = fd.family, fd.family.pedigree
    y_dist: dict[str, int] = {}
    if fam.ystr and ped[mp].sex != FEMALE:
        members = set(line_members(ped, paternal_root(ped, mp)))
        on = [q for q, h in fam.ystr.items() if h and q in members]
        y_dist = line_distances(ped, mp, on)
    mt_refs = []
    if fam.mtdna:
        root = maternal_root(ped, mp)
        mt_refs = [p for q, p in fam.mtdna.items() if maternal_root(ped, q) == root]
    return _Line(y_dist, mt_refs)


def check_lines(fd: FamilyData) -> None:
    """The typed men of each paternal line can share it (single-step mutation, no
    copy-number change): else the family's references are wrong (as ``nasab lr`` says)."""
    from nasab.engine.ystr import line_likelihood, line_members, paternal_root, ystr_rates

    fam, ped = fd.family, fd.family.pedigree
    rates = ystr_rates()
    roots = {paternal_root(ped, q) for q in fam.ystr}
    for root in sorted(roots):
        members = line_members(ped, root)
        on = {q: h for q, h in fam.ystr.items() if q in members}
        if len(on) < 2:
            continue
        for k in sorted({k for h in on.values() for k in h}):
            obs = {q: h[k] for q, h in on.items() if k in h}
            if len(obs) > 1 and line_likelihood(ped, members, obs, rates.rate(k) or 0.0) == 0:
                raise InputError(
                    f"family {fam.name}: the typed men of the paternal line "
                    f"({', '.join(sorted(obs))}) cannot share a line at {k} under "
                    "single-step mutation (copy number or more than one step per "
                    "transmission)",
                    file=ped.source,
                    line=fd.line,
                    field=k,
                )


def screen(
    loaded: Loaded,
    remains: Remains,
    opts: LineageOptions,
    on_error: str = "stop",
    *,
    checked: bool = False,
) -> LineageScreen:
    """The lineage factors of every (missing person, remain) pair they apply to.
    ``checked``: the families' lines were checked already (:func:`check_families`; a
    store's families, checked when it kept them)."""
    out = LineageScreen()
    if not (loaded.has_lineage and remains.has_lineage):
        return out
    dbs = databases(opts)
    y_keys = set(dbs.y.keys) if dbs.y is not None else set()
    counts = {"pairs": 0, "screened_y": 0, "screened_mtdna": 0, "exact": 0, "excluded": 0}
    y_rem = [j for j, p in enumerate(remains.profiles) if p.ystr]
    mt_rem = [j for j, p in enumerate(remains.profiles) if p.mtdna is not None]
    if not checked:
        out.problems = check_families(loaded, on_error)
    for fd in loaded.families:
        for mp in fd.missing:
            pf = _missing_factors(fd, mp, remains, dbs, y_keys, y_rem, mt_rem, opts, counts)
            if pf is not None:
                out.factors[(fd.family.name, mp)] = pf
    out.meta = _metadata(opts, dbs, counts)
    return out


def check_families(loaded: Loaded, on_error: str = "stop") -> list[Problem]:
    """:func:`check_lines` for every family: with ``on_error`` "skip" the families whose
    typed men cannot share their line are left out of ``loaded`` (listed as problems)."""
    keep: list[FamilyData] = []
    problems: list[Problem] = []
    for fd in loaded.families:
        try:
            check_lines(fd)
        except NasabError as e:
            if on_error == "stop":
                raise
            problems.append(
                Problem(fd.family.pedigree.source or "", fd.line, fd.family.name, str(e))
            )
            continue
        keep.append(fd)
    if len(keep) != len(loaded.families):
        loaded.families = keep
    return problems


def _need_db(kind: str, option: str) -> InputError:
    return InputError(
        f"{kind} are given for remains and for the families' lines: name a database with {option}",
        field=option,
    )


def _screened(line: _Line, fam, poi, y_keys: set[str]) -> str | None:
    """Which screen excludes the pair ("screened_y", "screened_mtdna"), or None."""
    from nasab.engine.mtdna import excluded
    from nasab.engine.ystr import line_excludes

    if line.y_dist and poi.ystr and line_excludes(line.y_dist, fam.ystr, poi.ystr, y_keys):
        return "screened_y"
    mt = poi.mtdna
    if line.mt_refs and mt is not None and all(excluded(mt, r) for r in line.mt_refs):
        return "screened_mtdna"
    return None


def pair_evidence(family, mp: str, poi, opts: LineageOptions) -> list:
    """``nasab lr``'s lineage evidence lines (:class:`nasab.engine.lineage.LineageEvidence`:
    factor, statement, database, model) of one pair, with the databases of ``opts`` read
    once per process: what a report shows beside the search's factors."""
    from nasab.engine.lr import lineage_factors

    dbs = databases(opts)
    return lineage_factors(
        family,
        mp,
        poi,
        ystr_db=dbs.y,
        ystr_method=opts.ystr_method,
        mtdna_db=dbs.mt,
        confidence=opts.confidence,
    )


def _exact(fam, mp: str, poi, rid: str, dbs: _Databases, opts: LineageOptions):
    """(log10 Y, log10 mtDNA, any used) by nasab lr's function, errors naming the pair."""
    from nasab.engine.lr import lineage_factors

    try:
        evs = lineage_factors(
            fam,
            mp,
            poi,
            ystr_db=dbs.y,
            ystr_method=opts.ystr_method,
            mtdna_db=dbs.mt,
            confidence=opts.confidence,
        )
    except InputError as e:
        raise InputError(
            f"family {fam.name}, missing {mp}, remain {rid}: {e.message}",
            file=e.file,
            line=e.line,
            field=e.field,
        ) from None
    y = sum(e.log10_lr for e in evs if e.kind == "Y" and e.used)
    m = sum(e.log10_lr for e in evs if e.kind == "mtDNA" and e.used)
    return y, m, any(e.used for e in evs)


def _candidates(line: _Line, dbs: _Databases, y_rem: list[int], mt_rem: list[int]) -> set:
    """The remains whose lineage data meet a typed line of the missing person."""
    cand = set()
    if line.y_dist and y_rem:
        if dbs.y is None:
            raise _need_db("Y-STR haplotypes", "--ystr-db")
        cand.update(y_rem)
    if line.mt_refs and mt_rem:
        if dbs.mt is None:
            raise _need_db("mtDNA sequences", "--mtdna-db")
        cand.update(mt_rem)
    return cand


def _missing_factors(fd, mp, remains, dbs, y_keys, y_rem, mt_rem, opts, counts):
    line = _lines(fd, mp)
    cand = _candidates(line, dbs, y_rem, mt_rem)
    if not cand:
        return None
    fam = fd.family
    rem, ly, lm, excl = [], [], [], []
    for j in sorted(cand):
        poi = remains.profiles[j]
        counts["pairs"] += 1
        why = _screened(line, fam, poi, y_keys)
        if why is not None:
            counts[why] += 1
            excl.append(j)
            continue
        counts["exact"] += 1
        y, m, used = _exact(fam, mp, poi, remains.ids[j], dbs, opts)
        if y == -math.inf or m == -math.inf:
            excl.append(j)
        elif used:
            rem.append(j)
            ly.append(y)
            lm.append(m)
    counts["excluded"] += len(excl)
    return PairFactors(
        np.asarray(rem, np.int64),
        np.asarray(ly, float),
        np.asarray(lm, float),
        np.asarray(excl, np.int64),
    )


def _metadata(opts: LineageOptions, dbs: _Databases, counts: dict) -> dict:
    from nasab.engine.lineage import INDEPENDENCE

    y = None
    if dbs.y is not None:
        y = {
            "database": dbs.y.describe(),
            "file": str(opts.ystr_db),
            "sha256": dbs.y.sha256,
            "men": len(dbs.y.rows),
            "method": opts.ystr_method,
            "model": "single-step stepwise mutation at YHRD per-locus rates along the "
            "paternal line; flat founder prior per locus (as nasab lr)",
        }
    mt = None
    if dbs.mt is not None:
        mt = {
            "database": dbs.mt.describe(),
            "file": str(opts.mtdna_db),
            "sha256": dbs.mt.sha256,
            "sequences": len(dbs.mt.rows),
            "method": "counting",
            "model": "mtDNA passed unchanged along the maternal line; SWGDAM 2019 "
            "interpretation (as nasab lr)",
        }
    return {
        "Y": y,
        "mtDNA": mt,
        "confidence": opts.confidence,
        "combination": INDEPENDENCE,
        "screen": (
            "a remain excluded by the Y screen (more single-step mutations than "
            "transmissions to a typed man of the line, or a copy-number / null change) or "
            "the mtDNA screen (two or more differences from every typed person of the "
            "maternal line) gets factor 0 without the exact computation; the screen "
            "excludes only pairs the exact factor excludes"
        ),
        "pairs_with_lineage_data": counts["pairs"],
        "excluded_by_y_screen": counts["screened_y"],
        "excluded_by_mtdna_screen": counts["screened_mtdna"],
        "exact_factors": counts["exact"],
        "excluded_by_lineage": counts["excluded"],
    }


def apply_factors(
    rows: list[tuple[str, str]],
    exact: np.ndarray,
    codes: np.ndarray,
    f: np.ndarray,
    r: np.ndarray,
    s: np.ndarray,
    factors: dict,
    log10_t: float,
) -> dict:
    """The kernel's pairs (autosomal log10 LR ``s`` >= log10_t) combined with the lineage
    factors of the chunk (``{(family, missing): nasab.search.lineage.PairFactors}``):
    excluded pairs leave, pairs lifted over the threshold join (their autosomal LR read
    from the compiled table ``exact``). Returns f, r, s (combined), auto, y, mt and the
    number of kernel pairs the lineage excluded."""
    zero = np.zeros(len(f))
    base = {"f": f, "r": r, "s": s, "auto": s, "y": zero, "mt": zero, "lineage_removed": 0}
    if not factors:
        return base
    index = {(fam, mp): i for i, (fam, mp) in enumerate(rows)}
    ef, er, ey, em, xf, xr = [], [], [], [], [], []
    for key, pf in factors.items():
        i = index.get(key)
        if i is None:
            continue
        ef.append(np.full(len(pf.remains), i, np.int64))
        er.append(pf.remains)
        ey.append(pf.log10_y)
        em.append(pf.log10_mt)
        xf.append(np.full(len(pf.excluded), i, np.int64))
        xr.append(pf.excluded)
    if not ef:
        return base
    ef_a, er_a = np.concatenate(ef), np.concatenate(er)
    ey_a, em_a = np.concatenate(ey), np.concatenate(em)
    xf_a, xr_a = np.concatenate(xf), np.concatenate(xr)
    width = max(codes.shape[0], 1)
    touched = np.concatenate([ef_a * width + er_a, xf_a * width + xr_a])
    in_lineage = np.isin(f.astype(np.int64) * width + r, touched)
    removed = int(np.isin(f.astype(np.int64) * width + r, xf_a * width + xr_a).sum())
    auto = exact_scores(exact, codes, ef_a, er_a)
    comb = auto + ey_a + em_a
    ok = comb >= log10_t
    keep = ~in_lineage
    return {
        "f": np.concatenate([f[keep], ef_a[ok]]),
        "r": np.concatenate([r[keep], er_a[ok]]),
        "s": np.concatenate([s[keep], comb[ok]]),
        "auto": np.concatenate([s[keep], auto[ok]]),
        "y": np.concatenate([zero[keep], ey_a[ok]]),
        "mt": np.concatenate([zero[keep], em_a[ok]]),
        "lineage_removed": removed,
    }
