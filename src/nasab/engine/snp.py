"""Linked biallelic SNPs: exact pedigree likelihoods along each chromosome (Lander-Green).

Dense SNP panels (the FORCE panel: about 3,900 autosomal SNPs) are not independent: SNPs
close on a chromosome are inherited together. The likelihood of a pedigree's SNP data is a
hidden Markov model along each chromosome whose hidden state is the *inheritance vector*:
one bit per meiosis (each non-founder's paternal and maternal allele comes from the
parent's paternal or maternal allele). Between adjacent SNPs each bit flips independently
with the recombination fraction of that interval (Haldane's map function on the
sex-specific genetic map: the male map for a father's meiosis, the female map for a
mother's). Given the inheritance vector, every person's two alleles are copies of founder
alleles; founder alleles are independent draws from the SNP's allele frequencies, and each
typed person's call is read through a genotyping-error model. The emission therefore sums
over the founder alleles that typed persons carry, component by component of the graph in
which a typed person joins the two founder alleles they carry.

Exact for any pedigree whose inheritance space fits (2^B vectors for B meioses of the
persons that matter; the bound is :data:`MAX_MEIOSES`): the sum over all inheritance
patterns and recombinations is done by the forward algorithm, with the transition applied
bit by bit (O(B 2^B) per interval). The unlinked product (every SNP on its own, which
Familias and single-marker tools report) is the same model with recombination fraction 1/2
between every pair of SNPs, and is reported beside it.

The X chromosome (chromosome 23, the XFORCE panel) is inherited differently: a male carries
one X, from his mother; a father passes his whole X, unrecombined, to each daughter and
nothing to his sons; a mother's meiosis recombines along the female map. On X the hidden
state therefore has one bit per *maternal* meiosis only, of the persons whose X matters
(the typed persons, the mothers of males and both parents of females, upwards); a male's
genotype is read as the homozygous dosage of his one allele (a heterozygous call in a male
can only be a genotyping error). The X likelihood is reported apart from the autosomal one
and multiplies it (chromosomes are inherited independently).

Not modelled: linkage disequilibrium between SNPs (the panel was chosen to keep it low), the
pseudo-autosomal regions (no PAR SNPs in XFORCE). Mutation is negligible for SNPs and is
not modelled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nasab.engine.errors import ModelError
from nasab.engine.pedigree import MALE, UNKNOWN_SEX, Pedigree
from nasab.engine.snp_inheritance import (
    MAX_MEIOSES,
    EmissionPlan,
    Inheritance,
    emission_plan,
    emissions,
    inheritance,
    x_inheritance,
    x_persons,
)

MISSING = -1
X_CHROMOSOME = 23  # chromosome X in panels (read as "X", "chrX" or "23")
MODEL_WORDS = (
    "Lander-Green hidden Markov model over inheritance vectors along each chromosome; "
    "Haldane map function on the sex-specific map of the panel file; founder alleles "
    "from the panel's frequencies (linkage equilibrium); genotyping error: the true "
    "call with probability 1 - e, each other genotype e/2; chromosome X apart: males "
    "hemizygous, a father's X passed whole to his daughters, recombination in mothers "
    "only (female map); no mutation"
)


@dataclass(frozen=True)
class SNPPanel:
    """Biallelic markers in map order: chromosome, position, sex-specific map (cM), the
    two alleles (A1 counted in dosages) and the frequency of A1."""

    markers: tuple[str, ...]
    chromosome: np.ndarray  # int
    position: np.ndarray  # bp
    cm_male: np.ndarray
    cm_female: np.ndarray
    allele1: tuple[str, ...]
    allele2: tuple[str, ...]
    freq1: np.ndarray
    source: str = ""

    def __len__(self) -> int:
        return len(self.markers)

    def index(self) -> dict[str, int]:
        return {m: i for i, m in enumerate(self.markers)}

    def chromosomes(self, *, x: bool | None = None) -> list[np.ndarray]:
        """Marker indices of each chromosome, in map order; ``x=True`` only chromosome X,
        ``x=False`` only the autosomes, ``None`` all."""
        out = []
        for c in dict.fromkeys(self.chromosome.tolist()):
            if x is not None and (c == X_CHROMOSOME) != x:
                continue
            idx = np.flatnonzero(self.chromosome == c)
            out.append(idx[np.argsort(self.position[idx], kind="stable")])
        return out


def haldane(cm: np.ndarray) -> np.ndarray:
    """Recombination fraction of map distances in cM (Haldane: r = (1 - e^{-2d}) / 2)."""
    return 0.5 * (1.0 - np.exp(-2.0 * np.asarray(cm, float) / 100.0))


def error_matrix(eps: float) -> np.ndarray:
    """P(called dosage | true dosage), 3 x 3: the true call with probability 1 - eps, each
    of the two other genotypes with eps / 2."""
    if not 0 <= eps < 1:
        raise ModelError(f"genotyping error rate must be in [0, 1), not {eps}")
    m = np.full((3, 3), eps / 2.0)
    np.fill_diagonal(m, 1.0 - eps)
    return m


# --- the forward algorithm ----------------------------------------------------------------


def _transition(alpha: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Apply independent bit flips with probabilities ``r`` (one per bit) to a distribution
    over inheritance vectors."""
    n = alpha.shape[0]
    for b, rb in enumerate(r):
        if rb == 0.0:
            continue
        a = alpha.reshape(n >> (b + 1), 2, 1 << b)
        alpha = ((1.0 - rb) * a + rb * a[:, ::-1, :]).reshape(n)
    return alpha


def chromosome_loglik(
    inh: Inheritance,
    emis: np.ndarray,
    cm_male: np.ndarray,
    cm_female: np.ndarray,
    *,
    unlinked: bool = False,
    reference: bool = False,
) -> float:
    """Natural log of the likelihood of one chromosome's markers (in map order), by the
    forward algorithm with scaling. The compiled kernel is used when numba is installed;
    ``reference`` runs the plain numpy version (kept to check the kernel)."""
    m = emis.shape[1]
    if m == 0:
        return 0.0
    r_male = haldane(np.diff(cm_male)) if not unlinked else np.full(m - 1, 0.5)
    r_female = haldane(np.diff(cm_female)) if not unlinked else np.full(m - 1, 0.5)
    kernel = None if reference else _kernel()
    if kernel is not None:
        return float(
            kernel(np.ascontiguousarray(emis), r_male, r_female, inh.male_bit.astype(np.int64))
        )
    alpha = np.full(inh.states, 1.0 / inh.states)
    total = 0.0
    for j in range(m):
        if j:
            r = np.where(inh.male_bit, r_male[j - 1], r_female[j - 1])
            alpha = _transition(alpha, r)
        alpha = alpha * emis[:, j]
        s = float(alpha.sum())
        if s <= 0.0:
            return -math.inf
        total += math.log(s)
        alpha /= s
    return total


@lru_cache(maxsize=1)
def _kernel():
    try:
        import numba
    except ImportError:  # the numpy path is exact too, only slower
        return None

    @numba.njit(cache=True)
    def forward(emis, r_male, r_female, male_bit):  # pragma: no cover - compiled
        n, m = emis.shape
        alpha = np.full(n, 1.0 / n)
        total = 0.0
        for j in range(m):
            if j > 0:
                for b in range(male_bit.shape[0]):
                    r = r_male[j - 1] if male_bit[b] else r_female[j - 1]
                    if r == 0.0:
                        continue
                    step = 1 << b
                    for v in range(n):
                        if v & step == 0:
                            x, y = alpha[v], alpha[v | step]
                            alpha[v] = (1.0 - r) * x + r * y
                            alpha[v | step] = (1.0 - r) * y + r * x
            s = 0.0
            for v in range(n):
                alpha[v] *= emis[v, j]
                s += alpha[v]
            if s <= 0.0:
                return -np.inf
            total += np.log(s)
            for v in range(n):
                alpha[v] /= s
        return total

    return forward


# --- the analyst's quantities -------------------------------------------------------------


@dataclass(frozen=True)
class SNPLikelihood:
    """log10 likelihoods of the autosomes and of chromosome X, each linked (the model) and
    unlinked (every SNP on its own); the totals multiply them (add the logs)."""

    log10_autosomal: float
    log10_autosomal_unlinked: float
    markers_used: int  # autosomal SNPs with a call in a typed person
    meioses: int  # autosomal inheritance bits
    log10_x: float = 0.0
    log10_x_unlinked: float = 0.0
    x_markers_used: int = 0
    x_meioses: int = 0

    @property
    def log10_linked(self) -> float:
        return self.log10_autosomal + self.log10_x

    @property
    def log10_unlinked(self) -> float:
        return self.log10_autosomal_unlinked + self.log10_x_unlinked


def _call_table(dosage: np.ndarray, eps: float) -> np.ndarray:
    """(3, M): P(observed call | true dosage 0/1/2) for one person's calls (-1: no call)."""
    err = error_matrix(eps)
    out = np.ones((3, len(dosage)))
    seen = dosage >= 0
    out[:, seen] = err[:, dosage[seen]]
    return out


def _chain_loglik(
    inh: Inheritance,
    typed_ids: Sequence[str],
    genotypes: Mapping[str, np.ndarray],
    panel: SNPPanel,
    eps: Mapping[str, float],
    chromosomes: list[np.ndarray],
) -> tuple[float, float, int]:
    """Natural-log linked and unlinked likelihoods over ``chromosomes`` for one
    inheritance space, and the number of SNPs with a call."""
    pos = {p: i for i, p in enumerate(inh.persons)}
    plan = _cached_plan(inh, tuple(pos[p] for p in typed_ids))
    linked = unlinked = 0.0
    used = 0
    for idx in chromosomes:
        dos = np.stack([np.asarray(genotypes[p])[idx] for p in typed_ids])
        keep = np.flatnonzero((dos >= 0).any(axis=0))
        if len(keep) == 0:
            continue
        idx, dos = idx[keep], dos[:, keep]
        calls = np.stack([_call_table(dos[k], eps[p]) for k, p in enumerate(typed_ids)])
        emis = emissions(plan, calls, panel.freq1[idx])
        linked += chromosome_loglik(inh, emis, panel.cm_male[idx], panel.cm_female[idx])
        with np.errstate(divide="ignore"):
            unlinked += float(np.sum(np.log(emis.mean(axis=0))))
        used += len(idx)
    return linked, unlinked, used


@lru_cache(maxsize=8)
def _cached_inheritance(ped: Pedigree, persons: tuple[str, ...], x: bool) -> Inheritance:
    """Inheritance spaces reused across calls on one pedigree (power and simulation score
    many genotype sets on the same family); at most 8 kept (2^16 vectors: ~15 MB each)."""
    return x_inheritance(ped, persons) if x else inheritance(ped, persons)


_PLANS: dict[tuple[int, tuple[int, ...]], tuple[Inheritance, EmissionPlan]] = {}


def _cached_plan(inh: Inheritance, typed: tuple[int, ...]) -> EmissionPlan:
    """The emission plan of an inheritance space and typed set, reused with the space
    (keyed by the space's identity; the space itself is kept in the entry, so an id is
    never reused for another space while its entry lives)."""
    key = (id(inh), typed)
    hit = _PLANS.get(key)
    if hit is None or hit[0] is not inh:
        if len(_PLANS) >= 8:  # each keeps its space alive (up to ~15 MB at 16 meioses)
            _PLANS.clear()
        hit = _PLANS[key] = (inh, emission_plan(inh, list(typed)))
    return hit[1]


def pedigree_likelihood(
    ped: Pedigree,
    genotypes: Mapping[str, np.ndarray],
    panel: SNPPanel,
    *,
    error: Mapping[str, float] | float = 0.0,
) -> SNPLikelihood:
    """Likelihood of the typed persons' SNP calls (dosages of A1, -1 missing), linked and
    unlinked, as log10, the autosomes and chromosome X apart. ``error``: genotyping-error
    rate, one for all or per person."""
    typed_ids = [p for p, g in genotypes.items() if p in ped and np.any(np.asarray(g) >= 0)]
    eps = {p: (error.get(p, 0.0) if isinstance(error, Mapping) else error) for p in typed_ids}
    ln10 = math.log(10.0)
    auto = (0.0, 0.0, 0)
    meioses = x_meioses = 0
    chroms = panel.chromosomes(x=False)
    typed_auto = [p for p in typed_ids if _has_calls(genotypes[p], chroms)]
    if typed_auto:
        inh = _cached_inheritance(ped, tuple(ped.ancestors(typed_auto, inclusive=True)), False)
        auto = _chain_loglik(inh, typed_auto, genotypes, panel, eps, chroms)
        meioses = len(inh.bits)
    xl = (0.0, 0.0, 0)
    xchroms = panel.chromosomes(x=True)
    typed_x = [p for p in typed_ids if _has_calls(genotypes[p], xchroms)]
    if typed_x:
        inh = _cached_inheritance(ped, tuple(x_persons(ped, typed_x)), True)
        xl = _chain_loglik(inh, typed_x, genotypes, panel, eps, xchroms)
        x_meioses = len(inh.bits)
    return SNPLikelihood(
        auto[0] / ln10,
        auto[1] / ln10,
        auto[2],
        meioses,
        xl[0] / ln10,
        xl[1] / ln10,
        xl[2],
        x_meioses,
    )


def _has_calls(dosage: np.ndarray, chromosomes: list[np.ndarray]) -> bool:
    d = np.asarray(dosage)
    return any(bool(np.any(d[idx] >= 0)) for idx in chromosomes)


@dataclass(frozen=True)
class SNPLR:
    """LR = P(data | the POI is the missing person) / P(data | the POI is unrelated), for
    the autosomal SNPs and the X SNPs apart; ``log10_lr`` is their product (chromosomes
    are inherited independently)."""

    log10_lr_autosomal: float  # linked (the exact model)
    log10_lr_autosomal_unlinked: float  # every SNP independent (single-marker tools)
    markers_used: int  # autosomal SNPs typed in the POI
    meioses: int
    log10_lr_x: float = 0.0
    log10_lr_x_unlinked: float = 0.0
    x_markers_used: int = 0  # X SNPs typed in the POI
    x_meioses: int = 0

    @property
    def log10_lr(self) -> float:
        return self.log10_lr_autosomal + self.log10_lr_x

    @property
    def log10_lr_unlinked(self) -> float:
        return self.log10_lr_autosomal_unlinked + self.log10_lr_x_unlinked


def missing_person_snp_lr(
    ped: Pedigree,
    references: Mapping[str, np.ndarray],
    missing: str,
    poi: np.ndarray,
    panel: SNPPanel,
    *,
    error_references: float = 0.0,
    error_poi: float = 0.0,
) -> SNPLR:
    """The SNP LR of a person of interest against a family's missing person, with linkage.
    Under H2 the POI is unrelated: its calls are independent of the family and, for one
    person, of each other (linkage equilibrium), so H2 needs no HMM. On X the POI is taken
    to have the missing person's sex under both hypotheses."""
    if missing not in ped:
        raise ModelError(f"missing person {missing!r} is not in the pedigree")
    if missing in references and np.any(np.asarray(references[missing]) >= 0):
        raise ModelError(f"the missing person {missing!r} must be untyped")
    poi = np.asarray(poi)
    is_x = panel.chromosome == X_CHROMOSOME
    if np.any(poi[is_x] >= 0) and ped[missing].sex == UNKNOWN_SEX:
        raise ModelError(
            f"X-chromosome SNPs need the sex of the missing person {missing!r}, recorded "
            "as unknown in the pedigree"
        )
    errors = {p: error_references for p in references}
    h1 = pedigree_likelihood(
        ped, {**references, missing: poi}, panel, error={**errors, missing: error_poi}
    )
    h2 = pedigree_likelihood(ped, references, panel, error=errors)
    single = _single_person_log10(poi, panel, error_poi, male=ped[missing].sex == MALE)
    return SNPLR(
        h1.log10_autosomal - h2.log10_autosomal - single[0],
        h1.log10_autosomal_unlinked - h2.log10_autosomal_unlinked - single[0],
        int(np.sum(poi[~is_x] >= 0)),
        h1.meioses,
        h1.log10_x - h2.log10_x - single[1],
        h1.log10_x_unlinked - h2.log10_x_unlinked - single[1],
        int(np.sum(poi[is_x] >= 0)),
        h1.x_meioses,
    )


def _single_person_log10(
    dosage: np.ndarray, panel: SNPPanel, eps: float, *, male: bool = False
) -> tuple[float, float]:
    """log10 P(one unrelated person's calls): (autosomes, X). Hardy-Weinberg genotypes; on
    X a male's one allele (dosage 0 or 2)."""
    p = panel.freq1
    is_x = panel.chromosome == X_CHROMOSOME
    hw = np.stack([(1 - p) ** 2, 2 * p * (1 - p), p**2])  # P(true dosage)
    if male:
        hw[:, is_x] = np.stack([1 - p, np.zeros_like(p), p])[:, is_x]
    calls = _call_table(np.asarray(dosage), eps)
    seen = np.asarray(dosage) >= 0
    with np.errstate(divide="ignore"):
        per = np.log10((hw * calls).sum(axis=0))
    return float(np.sum(per[seen & ~is_x])), float(np.sum(per[seen & is_x]))


def posterior_states(
    inh: Inheritance, emis: np.ndarray, cm_male: np.ndarray, cm_female: np.ndarray
) -> np.ndarray:
    """(2^B, M) posterior probability of each inheritance vector at each marker of one
    chromosome (forward-backward with scaling)."""
    n, m = emis.shape
    r_male, r_female = haldane(np.diff(cm_male)), haldane(np.diff(cm_female))
    rates = np.where(inh.male_bit[None, :], r_male[:, None], r_female[:, None])  # (m-1, B)
    kernels = _fb_kernels()
    step = kernels[0] if kernels else _transition
    fwd = np.empty((n, m))
    alpha = np.full(n, 1.0 / n)
    for j in range(m):
        if j:
            alpha = step(alpha, rates[j - 1])
        alpha = alpha * emis[:, j]
        alpha /= alpha.sum()
        fwd[:, j] = alpha
    post = np.empty((n, m))
    beta = np.ones(n)
    for j in range(m - 1, -1, -1):
        p = fwd[:, j] * beta
        post[:, j] = p / p.sum()
        if j:
            # the transition is symmetric: the backward step is the forward step
            beta = step(beta * emis[:, j], rates[j - 1])
            beta /= beta.sum()
    return post


@lru_cache(maxsize=1)
def _fb_kernels():
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(cache=True)
    def flip(alpha, r):  # pragma: no cover - compiled; equals _transition
        out = alpha.copy()
        n = out.shape[0]
        for b in range(r.shape[0]):
            rb = r[b]
            if rb == 0.0:
                continue
            step = 1 << b
            for v in range(n):
                if v & step == 0:
                    x, y = out[v], out[v | step]
                    out[v] = (1.0 - rb) * x + rb * y
                    out[v | step] = (1.0 - rb) * y + rb * x
        return out

    return (flip,)


def ibd_count(inh: Inheritance, a: int, b: int) -> np.ndarray:
    """For each inheritance vector, how many alleles persons ``a`` and ``b`` (positions in
    ``inh.persons``) share identical by descent: 0, 1 or 2."""
    ca, cb = inh.carried[:, a, :], inh.carried[:, b, :]
    straight = (ca[:, 0] == cb[:, 0]).astype(int) + (ca[:, 1] == cb[:, 1])
    crossed = (ca[:, 0] == cb[:, 1]).astype(int) + (ca[:, 1] == cb[:, 0])
    return np.maximum(straight, crossed)


__all__ = [
    "EmissionPlan",
    "Inheritance",
    "MAX_MEIOSES",
    "MISSING",
    "MODEL_WORDS",
    "SNPLR",
    "SNPLikelihood",
    "SNPPanel",
    "X_CHROMOSOME",
    "chromosome_loglik",
    "emission_plan",
    "emissions",
    "error_matrix",
    "haldane",
    "ibd_count",
    "inheritance",
    "missing_person_snp_lr",
    "pedigree_likelihood",
    "posterior_states",
    "x_inheritance",
    "x_persons",
]
