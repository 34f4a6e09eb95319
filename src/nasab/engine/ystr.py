"""Y-STR haplotypes: transmission father -> son along a pedigree, and their LR.

A haplotype maps a locus key (:func:`nasab.engine.frequencies.marker_key`) to the locus
state: a sorted tuple of allele labels, one for a single-copy locus (``("14",)``), several
for a multi-copy locus read as an unordered set (DYS385 ``("11", "14")``). Labels are
repeat numbers (``14``), intermediate alleles (``14.2``) or ``null`` (a null allele).

Mutation (per locus, per father -> son transmission, independent across loci and copies):
single-step symmetric stepwise at the locus's YHRD rate mu: an allele stays with 1 - mu and
moves one repeat up or down with mu/2 each; intermediate alleles step within their own
fraction (14.2 -> 15.2); a null allele and copy-number changes are not modelled (they
transmit unchanged). The paternal line of the missing man is a tree of men (his top
paternal ancestor and every man descending from him through sons); references not on it,
and a female missing person, give no Y evidence (stated, not an error).

LR = prod_l P(POI_l | typed line members, H1) / f(POI over the compared loci), where the
numerator is exact (a sum over the untyped men's alleles, by peeling the line tree per
locus) under a flat founder prior at each locus (the line's top man is equally likely to
carry any allele: the typed references, not the population, tell where the line is), and
f is the population probability of the POI's haplotype by the method the user names
(:class:`YDatabase`): ``counting`` (upper Clopper-Pearson bound of x/N), ``augmented``
((x+1)/(N+1)) or ``dlaplace`` (the discrete Laplace mixture, :mod:`nasab.engine.dlaplace`).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import marker_key
from nasab.engine.lineage import LineageEvidence, clopper_pearson_upper, read_tsv
from nasab.engine.pedigree import FEMALE, Pedigree
from nasab.engine.ystr_alleles import (
    _COPY,
    NULL,
    Y_PREFIXES,
    Haplotype,
    State,
    _allele_order,
    _step,
    check_copy_columns,
    format_state,
    is_ystr_locus,
    merge_copies,
    parse_ystr,
    ystr_key,
)

METHODS = ("counting", "augmented", "dlaplace")


# --- mutation rates ---------------------------------------------------------------------------
@dataclass(frozen=True)
class YRates:
    """Per-locus father -> son mutation rates (keyed by locus key) and their source."""

    rates: dict[str, float]
    source: str

    def rate(self, locus: str) -> float | None:
        """The locus's rate; a multi-copy locus takes its copies' rate (DYS385 <- DYS385a)."""
        k = ystr_key(locus)
        return self.rates.get(k, self.rates.get(k + "A"))


_RATES: YRates | None = None


def ystr_rates() -> YRates:
    """The bundled YHRD per-locus rates (mutations / meioses, via malan's ``ystr_markers``)."""
    global _RATES
    if _RATES is None:
        from importlib import resources

        text = (
            resources.files("nasab")
            .joinpath("data/ystr_mutation_rates.tsv")
            .read_text(encoding="utf-8")
        )
        rows = [r.split("\t") for r in text.splitlines() if r and not r.startswith("#")]
        head = rows[0]
        i_locus, i_rate = head.index("locus"), head.index("rate")
        _RATES = YRates(
            {marker_key(r[i_locus]): float(r[i_rate]) for r in rows[1:]},
            "YHRD father-son counts (malan ystr_markers), bundled",
        )
    return _RATES


# --- the paternal line ----------------------------------------------------------------------
def paternal_root(ped: Pedigree, pid: str) -> str:
    return ped.paternal_line(pid)[-1]


def line_members(ped: Pedigree, root: str) -> list[str]:
    """The men (and persons of unknown sex) whose top paternal ancestor is ``root``."""
    return [q for q in ped.ids if ped[q].sex != FEMALE and paternal_root(ped, q) == root]


def line_distances(ped: Pedigree, missing: str, men: list[str]) -> dict[str, int]:
    """Father-son transmissions between ``missing`` and each man of ``men`` on his paternal
    line (the path through their closest common paternal ancestor)."""
    up = {q: i for i, q in enumerate(ped.paternal_line(missing))}
    out = {}
    for q in men:
        for j, a in enumerate(ped.paternal_line(q)):
            if a in up:
                out[q] = j + up[a]
                break
    return out


def _within(a: State, b: State, d: int) -> bool:
    """False only when ``a`` and ``b`` cannot be d single-step transmissions apart (copy
    number, null allele, intermediate fraction, or more than d repeats); True otherwise."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    plain = all(x != NULL and "." not in x for x in a + b)
    if len(a) > 1 and not plain:
        return True  # unordered sets with odd alleles: left to the exact likelihood
    for x, y in zip(a, b, strict=True):  # both sorted: the pairing with the smallest spread
        if x == NULL or y == NULL:
            return False
        if x.partition(".")[2] != y.partition(".")[2] or abs(float(x) - float(y)) > d:
            return False
    return True


def line_excludes(
    distances: dict[str, int], refs: dict[str, Haplotype], poi: Haplotype, loci: set[str]
) -> bool:
    """A quick necessary test of exclusion: True only if :func:`ystr_lr` gives LR 0 (some
    compared locus needs more single-step mutations between the POI and a typed man of the
    line than there are transmissions between them, or a copy-number / null-allele change).
    ``distances``: :func:`line_distances` of the typed men; ``loci``: the database's."""
    for q, d in distances.items():
        h = refs[q]
        for k, s in poi.items():
            t = h.get(k)
            if t is not None and k in loci and not _within(s, t, d):
                return True
    return False


def _line_tree(
    ped: Pedigree, members: list[str], typed: set[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """The line pruned to the typed men and their paternal ancestors (order, sons)."""
    keep: set[str] = set()
    for q in typed:
        keep.update(ped.paternal_line(q))
    order = [q for q in members if q in keep]
    sons: dict[str, list[str]] = {q: [] for q in order}
    for q in order:
        f = ped[q].father
        if f is not None and f in sons:
            sons[f].append(q)
    return order, sons


def line_likelihood(ped: Pedigree, members: list[str], obs: dict[str, State], rate: float) -> float:
    """P(the observed states at one locus) on the line tree, summed over the untyped men's
    states, with a flat prior on the top man's state (unnormalised: ratios only).

    Exact: in a configuration of non-zero probability every man's allele is within
    (his distance to a typed man) <= M steps of an observed allele, M the number of
    transmissions in the pruned tree; the state space is every allele within M steps."""
    order, sons = _line_tree(ped, members, set(obs))
    counts = {len(s) for s in obs.values()}
    if len(counts) > 1:
        return 0.0  # copy-number changes are not modelled
    k = counts.pop()
    m = max(len(order) - 1, 0)
    values: set[str] = set()
    for s in obs.values():
        for a in s:
            values.add(a)
            for d in range(1, m + 1):
                for v in (_step(a, d), _step(a, -d)):
                    if v is not None:
                        values.add(v)
    vals = sorted(values, key=_allele_order)
    states = list(itertools.combinations_with_replacement(vals, k))
    index = {s: i for i, s in enumerate(states)}
    t = _transition_for(tuple(vals), k, rate)
    vec: dict[str, np.ndarray] = {}
    for q in reversed(order):
        v = np.ones(len(states))
        if q in obs:
            v = np.zeros(len(states))
            v[index[obs[q]]] = 1.0
        for c in sons[q]:
            v = v * (t @ vec.pop(c))
        vec[q] = v
    return float(vec[order[0]].sum())


def missing_distribution(
    ped: Pedigree, members: list[str], obs: dict[str, State], rate: float, missing: str
) -> list[tuple[State, float]]:
    """P(the missing man's state at one locus | the typed men of the line), the numerator of
    :func:`ystr_lr` for every state it can take (flat founder prior; sums to 1): the draws
    of ``nasab power`` when the POI is the missing man."""
    without = line_likelihood(ped, members, obs, rate)
    if without == 0:
        return []
    k = len(next(iter(obs.values())))
    m = len(ped.paternal_line(missing)) + max(len(ped.paternal_line(q)) for q in obs)
    values: set[str] = set()
    for s in obs.values():
        for a in s:
            values.add(a)
            for d in range(1, m + 1):
                values.update(v for v in (_step(a, d), _step(a, -d)) if v is not None)
    vals = sorted(values, key=_allele_order)
    out = []
    for st in itertools.combinations_with_replacement(vals, k):
        p = line_likelihood(ped, members, {**obs, missing: st}, rate) / without
        if p > 0:
            out.append((st, p))
    return out


@functools.lru_cache(maxsize=4096)
def _transition_for(vals: tuple[str, ...], k: int, mu: float) -> np.ndarray:
    """:func:`_transition` over every unordered k-state of ``vals``, cached: a search asks
    for the same few matrices for thousands of remains (read-only: never modified)."""
    states = list(itertools.combinations_with_replacement(vals, k))
    t = _transition(list(vals), states, k, mu)
    t.setflags(write=False)
    return t


def _transition(vals: list[str], states: list[State], k: int, mu: float) -> np.ndarray:
    """P(son's unordered state | father's unordered state): each copy mutates on its own;
    the sum over the distinct orderings of the son's copies."""
    n = len(vals)
    pos = {a: i for i, a in enumerate(vals)}
    t1 = np.zeros((n, n))
    for a, i in pos.items():
        t1[i, i] = 1.0 if a == NULL else 1.0 - mu
        for d in (-1, 1):
            j = pos.get(_step(a, d) or "")
            if j is not None:
                t1[i, j] = mu / 2
    idx = np.array([[pos[a] for a in s] for s in states])
    total = np.zeros((len(states), len(states)))
    for perm in itertools.permutations(range(k)):
        term = np.ones_like(total)
        for i in range(k):
            term *= t1[np.ix_(idx[:, i], idx[:, perm[i]])]
        total += term
    stab = np.array([math.prod(math.factorial(c) for c in _multiplicities(s)) for s in states])
    return total / stab[None, :]


def _multiplicities(s: State) -> list[int]:
    return [len(list(g)) for _, g in itertools.groupby(s)]


# --- the database ---------------------------------------------------------------------------
@dataclass
class YDatabase:
    """Haplotypes of unrelated men, one per row (a plain table: ``id`` [other columns] then
    Y-STR locus columns, as in ``../shared/data/ystr/``)."""

    loci: list[str]  # column names
    rows: list[Haplotype]
    source: str = ""
    sha256: str = ""
    _fits: dict = field(default_factory=dict, repr=False)

    @property
    def keys(self) -> list[str]:
        """The loci's keys; DYS385a/b columns are the one locus DYS385 (merge_copies)."""
        out: list[str] = []
        for n in self.loci:
            k = ystr_key(n)
            m = _COPY.match(k)
            k = m[1] if m else k
            if k not in out:
                out.append(k)
        return out

    def describe(self) -> str:
        return f"{Path(self.source).name} ({len(self.rows)} men, sha256 {self.sha256[:12]})"

    def count(self, hap: Haplotype, loci: list[str]) -> tuple[int, int]:
        """(x, N): men matching ``hap`` at every locus of ``loci``, men typed at all of them."""
        typed = [r for r in self.rows if all(k in r for k in loci)]
        return sum(all(r[k] == hap[k] for k in loci) for r in typed), len(typed)

    def probability(
        self, hap: Haplotype, loci: list[str], method: str, confidence: float = 0.95
    ) -> tuple[float, dict]:
        """The population probability of ``hap`` over ``loci`` and how it was obtained."""
        x, n = self.count(hap, loci)
        info: dict = {"method": method, "matches": x, "database_size": n}
        if n == 0:
            raise InputError(
                f"no man in the Y-STR database is typed at all compared loci ({', '.join(loci)})",
                file=self.source,
            )
        if method == "counting":
            f = clopper_pearson_upper(x, n, confidence)
            info["confidence"] = confidence
            info["description"] = (
                f"counting: {x} of {n} men in the database share the "
                f"haplotype; f = one-sided {confidence:.0%} upper "
                "Clopper-Pearson bound of x/N"
            )
        elif method == "augmented":
            f = (x + 1) / (n + 1)
            info["description"] = (
                f"augmented counting: (x+1)/(N+1) with x = {x}, N = {n} "
                "(the POI's haplotype added to the database)"
            )
        elif method == "dlaplace":
            from nasab.engine.dlaplace import fit_for

            fit = fit_for(self, loci)
            f = fit.probability(hap)
            info.update(fit.summary())
            info["description"] = (
                f"discrete Laplace mixture ({fit.clusters} clusters "
                f"chosen by BIC, fitted by EM to {fit.n} men; "
                f"{x} of {n} men in the database share the haplotype)"
            )
        else:
            raise InputError(
                f"unknown Y-STR method {method!r}; choose one of {', '.join(METHODS)}",
                field="--ystr-method",
            )
        info["frequency"] = f
        return f, info


def read_ystr_database(path: str | Path) -> YDatabase:
    """Read a haplotype table (tab-separated, ``#`` comments, first column ``id``)."""
    path = Path(path)
    src = str(path)
    header, rows, digest = read_tsv(path)
    cols = [(i, h) for i, h in enumerate(header) if is_ystr_locus(h)]
    if not cols:
        raise InputError(
            "no Y-STR locus columns (DYS..., DYF..., Y_GATA_H4) in the header", file=src, line=1
        )
    check_copy_columns([h for _, h in cols], file=src)
    check_loci([h for _, h in cols], file=src)
    out = []
    for lineno, cells in rows:
        hap = {}
        for i, h in cols:
            s = parse_ystr(cells[i], file=src, line=lineno, field_name=h)
            if s is not None:
                hap[ystr_key(h)] = s
        out.append(merge_copies(hap, file=src, line=lineno))
    if not out:
        raise InputError("no haplotypes in the database", file=src)
    return YDatabase([h for _, h in cols], out, src, digest)


def check_loci(names: list[str], *, file: str) -> None:
    """Every Y-STR column must be a locus with a known mutation rate."""
    if not names:
        return
    rates = ystr_rates()
    for h in names:
        if rates.rate(h) is None:
            raise InputError(
                f"unknown Y-STR locus {h!r} (no father-son mutation rate in "
                "the bundled YHRD table)",
                file=file,
                line=1,
                field=h,
            )


# --- the LR ---------------------------------------------------------------------------------
def ystr_lr(
    ped: Pedigree,
    missing: str,
    refs: dict[str, Haplotype],
    poi: Haplotype | None,
    database: YDatabase | None,
    method: str = "counting",
    *,
    confidence: float = 0.95,
    rates: YRates | None = None,
) -> LineageEvidence:
    """The Y-STR factor of the LR that the POI is ``missing`` (see the module text)."""
    rates = rates or ystr_rates()
    ev = LineageEvidence(
        "Y",
        model="single-step stepwise mutation at YHRD per-locus rates "
        "along the paternal line; flat founder prior per locus",
    )
    if not poi:
        ev.statement = "the POI has no Y-STR haplotype: no Y evidence"
        return ev
    if ped[missing].sex == FEMALE:
        ev.statement = "the missing person is female: no Y evidence"
        return ev
    root = paternal_root(ped, missing)
    members = line_members(ped, root)
    on = ev.references_on_line(
        refs, missing, members.__contains__, line="paternal", root=root, who="typed man"
    )
    if on is None:
        return ev
    if database is None:
        raise InputError(
            "Y-STR haplotypes are given for the POI and the paternal line: "
            "name a haplotype database with --ystr-db",
            field="--ystr-db",
        )
    seen = set().union(*(h.keys() for h in on.values()))
    db_keys = set(database.keys)
    loci = [k for k in poi if k in seen and k in db_keys]
    skipped = sorted(k for k in poi if k in seen and k not in db_keys)
    if skipped:
        ev.warnings.append(f"Y-STR loci not in the database, not compared: {', '.join(skipped)}")
    f_loci = loci
    if method == "dlaplace":
        from nasab.engine.dlaplace import modal_copies

        odd = [k for k in loci if NULL in poi[k] or len(poi[k]) != modal_copies(database, k)]
        if odd:
            ev.warnings.append(
                "left out of the discrete Laplace probability (a null allele or an unusual "
                f"copy number in the POI; population probability 1 there, conservative): "
                f"{', '.join(odd)}"
            )
            f_loci = [k for k in loci if k not in odd]
    if not loci:
        ev.statement = (
            "no Y-STR locus typed in the POI and on the paternal line and present in the "
            "database: no Y evidence"
        )
        return ev
    per_locus = {}
    log_num = 0.0
    for k in loci:
        obs = {q: h[k] for q, h in on.items() if k in h}
        mu = rates.rate(k)
        assert mu is not None
        without = line_likelihood(ped, members, obs, mu)
        if without == 0:
            raise InputError(
                f"the typed men of the paternal line ({', '.join(sorted(obs))}) "
                f"cannot share a line at {k} under single-step mutation "
                "(copy number or more than one step per transmission)",
                file=ped.source or None,  # the references' haplotypes are the pedigree file's
                field=k,
            )
        with_poi = line_likelihood(ped, members, {**obs, missing: poi[k]}, mu)
        p = with_poi / without
        per_locus[k] = {"poi": format_state(poi[k]), "probability_given_line": p, "rate": mu}
        log_num += math.log10(p) if p > 0 else -math.inf
    if f_loci:
        f, info = database.probability(poi, f_loci, method, confidence)
    else:
        f, info = (
            1.0,
            {
                "method": method,
                "frequency": 1.0,
                "description": "no locus the discrete Laplace model can evaluate",
            },
        )
    ev.used = True
    ev.log10_lr = -math.inf if log_num == -math.inf else log_num - math.log10(f)
    ev.database = database.describe()
    ev.details.update(
        {
            "paternal_line": sorted(on),
            "top_ancestor": root,
            "loci": loci,
            "per_locus": per_locus,
            "population_probability": info,
        }
    )
    excl = [k for k in loci if per_locus[k]["probability_given_line"] == 0]
    ev.statement = (
        f"excluded at {', '.join(excl)}: the POI's alleles cannot descend from the "
        "line under single-step mutation"
        if excl
        else f"{len(loci)} loci compared with {', '.join(sorted(on))}; {info['description']}"
    )
    return ev


__all__ = [
    "Haplotype",
    "METHODS",
    "NULL",
    "State",
    "YDatabase",
    "YRates",
    "Y_PREFIXES",
    "check_copy_columns",
    "check_loci",
    "format_state",
    "is_ystr_locus",
    "line_distances",
    "line_excludes",
    "line_likelihood",
    "line_members",
    "merge_copies",
    "missing_distribution",
    "parse_ystr",
    "paternal_root",
    "read_ystr_database",
    "ystr_key",
    "ystr_lr",
    "ystr_rates",
]
