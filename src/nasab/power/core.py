"""How informative is a family's reference set? ("at least three relatives", as a number)

For a family with one missing person (MP) and its typed references, marker by marker:

* the exact conditional distribution of the MP's genotype given the references,
  ``P(MP = g | data)``, from one exact pedigree contraction with the MP left open (the
  same model as ``nasab lr``: loops and the marker's mutation model);
* the LR a profile ``g`` would get, ``LR(g) = P(MP = g | data) / HW(g)``; so the LR of
  any simulated profile is a table look-up, and simulation is vectorised;
* the **exclusion probability** of an unrelated person, exactly and without mutation:
  ``1 - prod_markers sum_g HW(g) [LR(g) > 0]`` (forrel's ``exclusionPower`` for this
  hypothesis pair);
* the **expected log10 LR** when the MP is the person tested, exactly:
  ``sum_markers sum_g P(g | data) log10 LR(g)``;
* ``P(LR >= 10^4, 10^6, 10^8)`` when the MP is tested (profiles drawn from the
  conditional distribution) and when an unrelated person is (Hardy-Weinberg draws), by
  Monte Carlo with standard errors;
* **whom to sample next**: for each relative who could still give a sample (untyped
  members of the pedigree and hypothetical parents, full and half siblings, children,
  uncles/aunts), the same quantities with that person typed. Their genotype is unknown,
  so the joint distribution of (MP, new reference) given the data is computed exactly
  (both left open in one contraction) and averaged over.

A family where the MP is linked to no typed person gets ``informative = False`` and the
message "no information": every LR is 1 whatever the profile.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import opt_einsum as oe

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, marker_key
from nasab.engine.genotypes import Family, Genotype, is_typed
from nasab.engine.likelihood import MarkerModel, allele_space
from nasab.engine.lr import build_marker_model
from nasab.engine.mutation import MutationSpec
from nasab.engine.pedigree import Pedigree, Person

THRESHOLDS = (1e4, 1e6, 1e8)
NO_INFORMATION = ("no information: the missing person is not connected to any typed "
                  "relative, so every profile gets LR 1; sample a relative first")


# -- exact tables ---------------------------------------------------------------------------
def lumped_model(model: MarkerModel, genos: Mapping[str, Genotype]) -> MarkerModel:
    """The marker's model with the alleles nobody in the family carries lumped into one
    (when the mutation model allows it, as :func:`nasab.engine.likelihood.allele_space` decides).
    Exact for everything here: a profile's LR depends on an unobserved allele only
    through the lumped one, and its probability under either hypothesis adds up."""
    space = allele_space(model, genos)
    if len(space.labels) == len(model.alleles):
        return model
    labels = tuple(lab if lab is not None else "_other" for lab in space.labels)
    return MarkerModel(model.name, labels, space.freqs, space.female, space.male,
                       model.mutation)


def _lumped_pair(m1: MarkerModel, m0: MarkerModel, genos: Mapping[str, Genotype]
                 ) -> tuple[MarkerModel, MarkerModel]:
    """The model and its no-mutation twin on the same (lumped if possible) allele space."""
    l1 = lumped_model(m1, genos)
    if m0 is m1:
        return l1, l1
    if l1 is m1:
        return m1, m0
    return l1, lumped_model(m0, genos)


def _network(ped: Pedigree, genos: Mapping[str, Genotype], model: MarkerModel,
             open_ids: Sequence[str]) -> tuple[list, tuple[int, ...]]:
    """Operands of the exact pedigree network (the model of :mod:`nasab.engine.likelihood`:
    founders HW, transmissions through the mutation matrices, a typed person's alleles
    restricted to their genotype), with the ordered genotypes of ``open_ids`` left open
    over all alleles."""
    k = len(model.alleles)
    idx = model.allele_index()
    full = np.arange(k)
    typed = {p for p, g in genos.items() if is_typed(g) and p in ped}
    persons = ped.ancestors(typed | set(open_ids), inclusive=True)
    dom: dict[int, np.ndarray] = {}
    ops: list = []
    for pid in persons:
        i = ped.index(pid)
        g = genos.get(pid)
        if pid not in typed or g is None:
            dom[2 * i] = dom[2 * i + 1] = full
            continue
        a = idx[g[0]]  # type: ignore[index]
        if g[1] is None:
            dom[2 * i] = dom[2 * i + 1] = full
            e = np.zeros((k, k))
            e[a, :] = 1.0
            e[:, a] = 1.0
            ops += [e, (2 * i, 2 * i + 1)]
            continue
        b = idx[g[1]]
        if a == b:
            dom[2 * i] = dom[2 * i + 1] = np.array([a])
        else:
            dom[2 * i] = dom[2 * i + 1] = np.array(sorted((a, b)))
            ops += [np.array([[0.0, 1.0], [1.0, 0.0]]), (2 * i, 2 * i + 1)]
    for pid in persons:
        i = ped.index(pid)
        p = ped[pid]
        if p.father is None:
            ops += [model.freqs[dom[2 * i]], (2 * i,), model.freqs[dom[2 * i + 1]], (2 * i + 1,)]
            continue
        for parent, mat, var in ((p.father, model.male, 2 * i),
                                 (p.mother, model.female, 2 * i + 1)):
            j = ped.index(parent)  # type: ignore[arg-type]
            dp, dm, dc = dom[2 * j], dom[2 * j + 1], dom[var]
            t = 0.5 * (mat[np.ix_(dp, dc)][:, None, :] + mat[np.ix_(dm, dc)][None, :, :])
            ops += [t, (2 * j, 2 * j + 1, var)]
    out = tuple(v for pid in open_ids for v in (2 * ped.index(pid), 2 * ped.index(pid) + 1))
    return ops, out


def open_joint(ped: Pedigree, genos: Mapping[str, Genotype], model: MarkerModel,
               open_ids: Sequence[str]) -> np.ndarray:
    """P(data, ordered genotypes of ``open_ids``): a K x K (x K x K) array."""
    ops, out = _network(ped, genos, model, open_ids)
    return np.asarray(oe.contract(*ops, out, optimize="auto"))


def unordered(k: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(k)


def _fold(mat: np.ndarray, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
    """Ordered K x K (leading axes) -> unordered genotypes (i <= j)."""
    u = mat[ii, jj] + mat[jj, ii]
    diag = ii == jj
    u[diag] = mat[ii[diag], jj[diag]]
    return u


def hw_table(freqs: np.ndarray) -> np.ndarray:
    ii, jj = unordered(len(freqs))
    return np.where(ii == jj, freqs[ii] ** 2, 2 * freqs[ii] * freqs[jj])


@dataclass
class MarkerTable:
    marker: str
    p_rel: np.ndarray  # P(MP = g | data), unordered genotypes
    hw: np.ndarray  # HW(g)
    lr: np.ndarray  # LR(g) with the marker's mutation model
    p_not_excluded: float  # sum_g HW(g) [LR_no_mutation(g) > 0]
    alleles: tuple[str, ...]


def marker_table(ped: Pedigree, genos: Mapping[str, Genotype], mp: str, model: MarkerModel,
                 model0: MarkerModel) -> MarkerTable:
    k = len(model.alleles)
    ii, jj = unordered(k)
    hw = hw_table(model.freqs)
    j1 = _fold(open_joint(ped, genos, model, [mp]), ii, jj)
    total = j1.sum()
    if total <= 0:
        raise InputError(f"marker {model.name}: the references' genotypes are impossible "
                         "under the model (Mendelian inconsistency)", file=ped.source)
    p_rel = j1 / total
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.where(hw > 0, p_rel / hw, 0.0)
    if model0 is model:
        pos = p_rel > 0
    else:
        j0 = _fold(open_joint(ped, genos, model0, [mp]), ii, jj)
        # references inconsistent without mutation: no exclusion can be computed here
        pos = j0 > 0 if j0.sum() > 0 else np.ones_like(j0, dtype=bool)
    return MarkerTable(model.name, p_rel, hw, lr, float(hw[pos].sum()), model.alleles)


# -- results ---------------------------------------------------------------------------------
@dataclass
class Power:
    """Informativeness of one reference set for one missing person."""

    family: str
    missing: str
    informative: bool
    message: str
    exclusion_probability: float
    expected_log10_lr: float
    p_exceed: dict[float, float]  # threshold -> P(LR >= t | MP tested), Monte Carlo
    p_exceed_se: dict[float, float]
    p_exceed_unrelated: dict[float, float]
    log10_lr_quantiles: dict[str, float]
    n_sim: int
    seed: int
    markers: list[str]
    per_marker_expected: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "family": self.family, "missing": self.missing, "informative": self.informative,
            "message": self.message, "exclusion_probability": self.exclusion_probability,
            "expected_log10LR": self.expected_log10_lr,
            "P_LR_at_least": {f"1e{int(math.log10(t))}": p for t, p in self.p_exceed.items()},
            "P_LR_at_least_se": {f"1e{int(math.log10(t))}": p
                                 for t, p in self.p_exceed_se.items()},
            "P_LR_at_least_unrelated": {f"1e{int(math.log10(t))}": p
                                        for t, p in self.p_exceed_unrelated.items()},
            "log10LR_quantiles_if_MP": self.log10_lr_quantiles,
            "n_sim": self.n_sim, "seed": self.seed, "markers": self.markers,
            "expected_log10LR_per_marker": self.per_marker_expected,
        }


@dataclass
class Candidate:
    label: str
    relation: str
    expected_log10_lr: float
    gain: float  # expected log10 LR gained
    p_exceed: dict[float, float]
    exclusion_probability: float

    def to_json(self) -> dict:
        return {"candidate": self.label, "relation": self.relation,
                "expected_log10LR": self.expected_log10_lr, "gain_log10LR": self.gain,
                "P_LR_at_least": {f"1e{int(math.log10(t))}": p
                                  for t, p in self.p_exceed.items()},
                "exclusion_probability": self.exclusion_probability}


# -- the analysis ------------------------------------------------------------------------------
class PowerAnalysis:
    def __init__(self, family: Family, missing: str, table: FrequencyTable,
                 mutations: Mapping[str, MutationSpec] | None = None,
                 markers: list[str] | None = None):
        ped = family.pedigree
        if missing not in ped:
            raise InputError(f"missing person {missing!r} is not in the pedigree",
                             file=ped.source, field="missing")
        if any(is_typed(g) for g in family.genotypes.get(missing, {}).values()):
            raise InputError(f"missing person {missing!r} is typed; it must be untyped",
                             file=ped.source, field=missing)
        self.family = family
        self.missing = missing
        self.table = table
        self.mutations = dict(mutations or {})
        self.markers = list(markers or family.markers)
        self.models: dict[str, tuple[MarkerModel, MarkerModel]] = {}
        for mk in self.markers:
            seen = {a for g in family.marker_genotypes(mk).values() for a in g if a is not None}
            spec = None
            for name, s in self.mutations.items():
                if marker_key(name) == marker_key(mk):
                    spec = s
            m1 = build_marker_model(table, mk, spec, seen)
            m0 = m1 if not m1.mutation else build_marker_model(table, mk, None, seen)
            self.models[mk] = (m1, m0)

    def connected(self, family: Family | None = None) -> bool:
        fam = family or self.family
        ped = fam.pedigree
        typed = set(fam.typed_persons())
        nbr: dict[str, set[str]] = {p: set() for p in ped.ids}
        for p in ped.persons:
            for par in (p.father, p.mother):
                if par is not None:
                    nbr[p.id].add(par)
                    nbr[par].add(p.id)
        seen, stack = {self.missing}, [self.missing]
        while stack:
            x = stack.pop()
            for y in nbr[x]:
                if y in typed:
                    return True
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        return False

    def tables(self, family: Family | None = None) -> list[MarkerTable]:
        fam = family or self.family
        out = []
        for mk in self.markers:
            m1, m0 = self.models[mk]
            genos = fam.marker_genotypes(mk)
            l1, l0 = _lumped_pair(m1, m0, genos)
            out.append(marker_table(fam.pedigree, genos, self.missing, l1, l0))
        return out

    def power(self, n_sim: int = 10_000, seed: int = 1, family: Family | None = None) -> Power:
        fam = family or self.family
        name = fam.name
        if not self.connected(fam):
            return Power(name, self.missing, False, NO_INFORMATION, 0.0, 0.0,
                         dict.fromkeys(THRESHOLDS, 0.0), dict.fromkeys(THRESHOLDS, 0.0),
                         dict.fromkeys(THRESHOLDS, 0.0), {}, 0, seed, self.markers)
        tabs = self.tables(fam)
        return summarise(name, self.missing, tabs, n_sim, seed)

    # -- whom to sample next ----------------------------------------------------------
    def candidates(self) -> list[tuple[str, str, Family]]:
        """(label, relation, family with the candidate added as person ``_NEW``)."""
        return candidate_families(self.family, self.missing)

    def whom_next(self, n_sim: int = 10_000, seed: int = 1,
                  base: Power | None = None) -> list[Candidate]:
        base = base or self.power(n_sim, seed)
        out = []
        for label, rel, fam in self.candidates():
            tabs = self.tables_with(fam, "_NEW")
            p = summarise(fam.name, self.missing, tabs, n_sim, seed)
            out.append(Candidate(label, rel, p.expected_log10_lr,
                                 p.expected_log10_lr - base.expected_log10_lr,
                                 p.p_exceed, p.exclusion_probability))
        out.sort(key=lambda c: -c.expected_log10_lr)
        return out

    def tables_with(self, fam: Family, new: str) -> list[MarkerTable]:
        """Tables averaged over the unknown genotype of ``new``: for each of its genotypes
        h, the MP tables given the data and h, weighted by P(h | data)."""
        out = []
        ped = fam.pedigree
        for mk in self.markers:
            m1, m0 = self.models[mk]
            genos = fam.marker_genotypes(mk)
            m1, m0 = _lumped_pair(m1, m0, genos)
            k = len(m1.alleles)
            ii, jj = unordered(k)
            hw = hw_table(m1.freqs)
            t = open_joint(ped, genos, m1, [self.missing, new])  # K,K,K,K
            # unordered MP x unordered new
            a = _fold(t, ii, jj)  # (G, K, K)
            a = _fold(np.moveaxis(a, 0, -1), ii, jj).T  # (G_mp, G_new)
            total = a.sum()
            joint = a / total  # P(g, h | data)
            ph = joint.sum(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                cond = np.where(ph > 0, joint / ph, 0.0)  # P(g | data, h)
                lr = np.where(hw[:, None] > 0, cond / hw[:, None], 0.0)
            if m0 is m1:
                pos = cond > 0
            else:
                t0 = open_joint(ped, genos, m0, [self.missing, new])
                b = _fold(np.moveaxis(_fold(t0, ii, jj), 0, -1), ii, jj).T
                pos = b > 0
            pne = float((ph * (hw[:, None] * pos).sum(axis=0)).sum())
            out.append(_MixTable(mk, joint, lr, hw, pne, m1.alleles))
        return out


@dataclass
class _MixTable:
    """A marker with a new reference of unknown genotype h: joint P(g, h | data)."""

    marker: str
    joint: np.ndarray  # (G_mp, G_new)
    lr: np.ndarray  # LR(g | h)
    hw: np.ndarray
    p_not_excluded: float
    alleles: tuple[str, ...]


def _expected(t) -> float:
    if isinstance(t, _MixTable):
        w = t.joint
        lr = t.lr
    else:
        w = t.p_rel
        lr = t.lr
    pos = w > 0
    return float((w[pos] * np.log10(lr[pos])).sum())


def _sample_related(t, rng: np.random.Generator, n: int) -> np.ndarray:
    if isinstance(t, _MixTable):
        flat = t.joint.ravel()
        idx = rng.choice(flat.size, size=n, p=flat / flat.sum())
        return np.log10(t.lr.ravel()[idx])
    idx = rng.choice(t.p_rel.size, size=n, p=t.p_rel / t.p_rel.sum())
    return np.log10(t.lr[idx])


def _sample_unrelated(t, rng: np.random.Generator, n: int) -> np.ndarray:
    hw = t.hw / t.hw.sum()
    if isinstance(t, _MixTable):
        ph = t.joint.sum(axis=0)
        h = rng.choice(ph.size, size=n, p=ph / ph.sum())
        g = rng.choice(hw.size, size=n, p=hw)
        with np.errstate(divide="ignore"):
            return np.log10(t.lr[g, h])
    g = rng.choice(hw.size, size=n, p=hw)
    with np.errstate(divide="ignore"):
        return np.log10(t.lr[g])


def summarise(family: str, missing: str, tabs: list, n_sim: int, seed: int) -> Power:
    rng = np.random.default_rng(seed)
    per = {t.marker: _expected(t) for t in tabs}
    excl = 1.0 - float(np.prod([t.p_not_excluded for t in tabs]))
    informative = any(abs(v) > 1e-12 for v in per.values())
    rel = np.zeros(n_sim)
    unrel = np.zeros(n_sim)
    for t in tabs:
        rel += _sample_related(t, rng, n_sim)
        unrel += _sample_unrelated(t, rng, n_sim)
    pe, se, pu = {}, {}, {}
    for thr in THRESHOLDS:
        lt = math.log10(thr) - 1e-9
        p = float((rel >= lt).mean())
        pe[thr] = p
        se[thr] = math.sqrt(p * (1 - p) / n_sim)
        pu[thr] = float((unrel >= lt).mean())
    q = {f"{int(x * 100)}%": float(np.quantile(rel, x)) for x in (0.05, 0.5, 0.95)}
    msg = "ok" if informative else NO_INFORMATION
    return Power(family, missing, informative, msg, excl, float(sum(per.values())), pe, se,
                 pu, q, n_sim, seed, [t.marker for t in tabs], per)


# -- hypothetical relatives -------------------------------------------------------------------
def _rebuild(ped: Pedigree, persons: list[Person]) -> Pedigree:
    return Pedigree(tuple(persons), source=ped.source)


def candidate_families(fam: Family, mp: str) -> list[tuple[str, str, Family]]:
    ped = fam.pedigree
    typed = set(fam.typed_persons())
    persons = list(ped.persons)
    p = ped[mp]
    out: list[tuple[str, str, Family]] = []

    def fam_with(newped: Pedigree, rename: dict[str, str] | None = None) -> Family:
        genos = fam.genotypes
        if rename:
            newped = newped.relabel(rename)
        return Family(newped, fam.markers, genos, fam.name)

    # existing untyped members (not the MP): type them
    for q in ped.persons:
        if q.id == mp or q.id in typed:
            continue
        rel = relation_to(ped, mp, q.id)
        if rel == "unrelated":
            continue
        out.append((f"{q.id} (in the pedigree, untyped)", rel,
                    fam_with(ped, {q.id: "_NEW"})))
    # parents of a founder MP
    if p.father is None:
        fa = Person("_NEW", None, None, 1)
        mo = Person("_MO", None, None, 2)
        ps = [fa, mo] + [Person(x.id, "_NEW", "_MO", x.sex) if x.id == mp else x
                         for x in persons]
        out.append(("a parent (father) of " + mp, "parent", fam_with(_rebuild(ped, ps))))
        # with parents added, also a full sibling
        sib = Person("_NEW", "_FA", "_MO", 1)
        ps = [Person("_FA", None, None, 1), Person("_MO", None, None, 2)] + [
            Person(x.id, "_FA", "_MO", x.sex) if x.id == mp else x for x in persons] + [sib]
        out.append(("a full sibling of " + mp, "full sibling", fam_with(_rebuild(ped, ps))))
    else:
        sib = Person("_NEW", p.father, p.mother, 1)
        out.append(("a new full sibling of " + mp, "full sibling",
                    fam_with(_rebuild(ped, persons + [sib]))))
        half = [Person("_OTHER", None, None, 2), Person("_NEW", p.father, "_OTHER", 1)]
        out.append(("a new paternal half sibling of " + mp, "half sibling",
                    fam_with(_rebuild(ped, persons + half))))
        fa = ped[p.father]  # type: ignore[index]
        if fa.father is None:
            gp = [Person("_GF", None, None, 1), Person("_GM", None, None, 2)]
            ps = gp + [Person(x.id, "_GF", "_GM", x.sex) if x.id == fa.id else x
                       for x in persons] + [Person("_NEW", "_GF", "_GM", 1)]
        else:
            ps = persons + [Person("_NEW", fa.father, fa.mother, 1)]
        out.append(("a new paternal uncle of " + mp, "uncle", fam_with(_rebuild(ped, ps))))
    if p.sex in (1, 2):
        sp = Person("_SP", None, None, 3 - p.sex)
        ch = Person("_NEW", mp if p.sex == 1 else "_SP", "_SP" if p.sex == 1 else mp, 1)
        out.append(("a new child of " + mp, "child", fam_with(_rebuild(ped, persons + [sp, ch]))))
    return out


def relation_to(ped: Pedigree, a: str, b: str) -> str:
    pa, pb = ped[a], ped[b]
    if b in (pa.father, pa.mother):
        return "parent"
    if a in (pb.father, pb.mother):
        return "child"
    if pa.father is not None and pb.father is not None:
        if (pa.father, pa.mother) == (pb.father, pb.mother):
            return "full sibling"
        if pa.father == pb.father or pa.mother == pb.mother:
            return "half sibling"
    for par in (pa.father, pa.mother):
        if par is not None:
            pp = ped[par]
            if b in (pp.father, pp.mother):
                return "grandparent"
            if pp.father is not None and pb.father is not None and \
                    (pp.father, pp.mother) == (pb.father, pb.mother) and b != par:
                return "uncle/aunt"
    anc_a = _ancestors(ped, a) | {a}
    anc_b = _ancestors(ped, b) | {b}
    if anc_a & anc_b:
        return "relative"
    # spouses and in-laws: linked through children
    return "linked" if _linked(ped, a, b) else "unrelated"


def _ancestors(ped: Pedigree, a: str) -> set[str]:
    out: set[str] = set()
    stack = [a]
    while stack:
        p = ped[stack.pop()]
        for par in (p.father, p.mother):
            if par is not None and par not in out:
                out.add(par)
                stack.append(par)
    return out


def _linked(ped: Pedigree, a: str, b: str) -> bool:
    nbr: dict[str, set[str]] = {p: set() for p in ped.ids}
    for p in ped.persons:
        for par in (p.father, p.mother):
            if par is not None:
                nbr[p.id].add(par)
                nbr[par].add(p.id)
    seen, stack = {a}, [a]
    while stack:
        x = stack.pop()
        if x == b:
            return True
        for y in nbr[x] - seen:
            seen.add(y)
            stack.append(y)
    return False


# -- brute force (for tests) ------------------------------------------------------------------
def exclusion_probability_brute(family: Family, missing: str, table: FrequencyTable,
                                markers: list[str]) -> float:
    """1 - prod_markers sum over every genotype g of HW(g) [L(data, MP = g) > 0], by
    calling the engine's likelihood once per genotype (no mutation)."""
    from nasab.engine.likelihood import marker_likelihood

    keep = 1.0
    for mk in markers:
        fam = family.marker_genotypes(mk)
        seen = {a for g in fam.values() for a in g if a is not None}
        model = build_marker_model(table, mk, None, seen)
        s = 0.0
        for i, a in enumerate(model.alleles):
            for j in range(i, len(model.alleles)):
                b = model.alleles[j]
                h1 = dict(fam)
                h1[missing] = (a, b)
                if marker_likelihood(family.pedigree, h1, model) > 0:
                    pa, pb = model.freqs[i], model.freqs[j]
                    s += pa * pa if i == j else 2 * pa * pb
        keep *= s
    return 1.0 - keep


# -- programme view (vectorised over families) ---------------------------------------------
@dataclass
class ProgrammeRow:
    family: str
    missing: str
    informative: bool
    expected_log10_lr: float
    p4: float
    p6: float
    exclusion_probability: float
    best_donor: str | None
    best_donor_expected: float | None
    best_donor_p4: float | None


def _structure_key(fam: Family, mp: str) -> tuple:
    ped = fam.pedigree
    return (tuple((p.id, p.father, p.mother, p.sex) for p in ped.persons), mp,
            tuple(sorted(fam.typed_persons())))


_BATCH_EXPR: dict[tuple, object] = {}


def _batch_joint(ped: Pedigree, typed: list[str], open_ids: list[str],
                 genos: list[dict[str, Genotype]], freqs: np.ndarray, alleles: list[str],
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For B families sharing ``ped`` and its typed persons, at one marker (no mutation):
    P(data_b, ordered genotypes of ``open_ids``) in each family's own lumped allele space
    (its observed alleles, then one allele for all others), padded to a common size L.
    Returns (joint (B, L, L[, L, L]), lumped frequencies (B, L), n observed per family)."""
    index = {a: i for i, a in enumerate(alleles)}
    nb = len(genos)
    obs = [sorted({index[a] for pid in typed for a in g.get(pid, (None, None)) if a is not None})
           for g in genos]
    nobs = np.array([len(o) for o in obs])
    L = int(nobs.max()) + 1
    fr = np.zeros((nb, L))
    total = float(freqs.sum())
    code = []
    for b, o in enumerate(obs):
        fr[b, :len(o)] = freqs[o]
        fr[b, len(o)] = total - freqs[o].sum()
        code.append({alleles[i]: k for k, i in enumerate(o)})
    persons = ped.ancestors(set(typed) | set(open_ids), inclusive=True)
    eye = np.eye(L)
    trans = 0.5 * (eye[:, None, :] + eye[None, :, :])
    ops: list = []
    idx_list: list = []
    B = 10_000  # batch index label
    for pid in persons:
        i = ped.index(pid)
        p = ped[pid]
        if p.father is None:
            ops += [fr, fr]
            idx_list += [(B, 2 * i), (B, 2 * i + 1)]
        else:
            f, m = ped.index(p.father), ped.index(p.mother)  # type: ignore[arg-type]
            ops += [trans, trans]
            idx_list += [(2 * f, 2 * f + 1, 2 * i), (2 * m, 2 * m + 1, 2 * i + 1)]
        if pid in typed:
            e = np.zeros((nb, L, L))
            for b, g in enumerate(genos):
                gg = g.get(pid)
                if gg is None or gg[0] is None:
                    e[b] = 1.0
                    continue
                x = code[b][gg[0]]
                if gg[1] is None:
                    e[b, x, :] = 1.0
                    e[b, :, x] = 1.0
                else:
                    y = code[b][gg[1]]
                    e[b, x, y] = e[b, y, x] = 1.0
            ops.append(e)
            idx_list.append((B, 2 * i, 2 * i + 1))
    out = (B,) + tuple(v for pid in open_ids for v in (2 * ped.index(pid), 2 * ped.index(pid) + 1))
    key = (tuple(idx_list), out)  # the order found for the first shapes serves all
    expr = _BATCH_EXPR.get(key)
    if expr is None:
        args: list = []
        for t, ix in zip(ops, idx_list, strict=True):
            args += [t.shape, list(ix)]
        args.append(list(out))
        # 'dp' finds far better orders than 'auto' when two persons are left open
        expr = oe.contract_expression(*args, optimize="dp" if len(open_ids) > 1 else "auto")
        if len(_BATCH_EXPR) > 500:
            _BATCH_EXPR.clear()
        _BATCH_EXPR[key] = expr
    return np.asarray(expr(*ops)), fr, nobs  # type: ignore[operator]


def _fold_batch(j: np.ndarray, L: int) -> np.ndarray:
    ii, jj = np.triu_indices(L)
    u = j[:, ii, jj] + j[:, jj, ii]
    d = ii == jj
    u[:, d] = j[:, ii[d], jj[d]]
    return u


def _hw_batch(fr: np.ndarray) -> np.ndarray:
    ii, jj = np.triu_indices(fr.shape[1])
    return np.where(ii == jj, fr[:, ii] ** 2, 2 * fr[:, ii] * fr[:, jj])


def _sample_rows(p: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws from each row's categorical distribution, vectorised (one searchsorted)."""
    nb, g = p.shape
    cdf = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    flat = (cdf + np.arange(nb)[:, None]).ravel()
    u = rng.random((nb, n)) + np.arange(nb)[:, None]
    pos = np.searchsorted(flat, u.ravel(), side="right").reshape(nb, n)
    return np.minimum(pos - (np.arange(nb) * g)[:, None], g - 1)


def _group_power(ped, mp, typed, genos_by_marker, table, markers, n_sim, rng, new=None):
    """Expected log10 LR (exact), exclusion probability (exact) and P(LR >= 1e4, 1e6) (Monte
    Carlo) for a batch of families, optionally with a new reference ``new`` of unknown
    genotype (averaged over exactly in the expectation, sampled in the simulation)."""
    nb = len(genos_by_marker[0])
    exp = np.zeros(nb)
    keep = np.ones(nb)
    sims = np.zeros((nb, n_sim))
    open_ids = [mp] if new is None else [mp, new]
    for mk, genos in zip(markers, genos_by_marker, strict=True):
        mf = table[mk]
        joint, fr, _ = _batch_joint(ped, typed, open_ids, genos, np.asarray(mf.freqs),
                                    list(mf.alleles))
        L = fr.shape[1]
        hw = _hw_batch(fr)  # (B, G)
        if new is None:
            u = _fold_batch(joint, L)  # (B, G)
            tot = u.sum(axis=1, keepdims=True)
            bad = tot[:, 0] <= 0  # references inconsistent without mutation: no information
            u[bad] = hw[bad]
            tot[bad] = hw[bad].sum(axis=1, keepdims=True)
            prel = u / tot
            with np.errstate(divide="ignore", invalid="ignore"):
                lr = np.where(hw > 0, prel / hw, 0.0)
                lg = np.where(prel > 0, np.log10(np.where(lr > 0, lr, 1.0)), 0.0)
            exp += (prel * lg).sum(axis=1)
            keep *= (hw * (prel > 0)).sum(axis=1)
            draw = _sample_rows(prel, n_sim, rng)
            sims += np.take_along_axis(lg, draw, axis=1)
        else:
            G = L * (L + 1) // 2
            j4 = joint.reshape(nb, L, L, L * L)
            a = _fold_batch(j4, L)  # (B, G, L*L)
            a = a.reshape(nb, G, L, L).transpose(0, 2, 3, 1)  # (B, L, L, G)
            a = _fold_batch(a.reshape(nb, L, L, G), L)  # (B, G_new, G_mp)
            tot = a.sum(axis=(1, 2), keepdims=True)
            bad = tot[:, 0, 0] <= 0
            a[bad] = hw[bad][:, :, None] * hw[bad][:, None, :]  # LR 1: no information
            tot[bad] = a[bad].sum(axis=(1, 2), keepdims=True)
            pj = a / tot  # P(h, g | data)
            ph = pj.sum(axis=2, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                cond = np.where(ph > 0, pj / ph, 0.0)
                lr = np.where(hw[:, None, :] > 0, cond / hw[:, None, :], 0.0)
                lg = np.where(pj > 0, np.log10(np.where(lr > 0, lr, 1.0)), 0.0)
            exp += (pj * lg).sum(axis=(1, 2))
            keep *= (ph[:, :, 0] * (hw[:, None, :] * (cond > 0)).sum(axis=2)).sum(axis=1)
            flat = pj.reshape(nb, -1)
            draw = _sample_rows(flat, n_sim, rng)
            sims += np.take_along_axis(lg.reshape(nb, -1), draw, axis=1)
    p4 = (sims >= 4 - 1e-9).mean(axis=1)
    p6 = (sims >= 6 - 1e-9).mean(axis=1)
    return exp, 1.0 - keep, p4, p6


def programme_view(families: Sequence[tuple[Family, str]], table: FrequencyTable,
                   mutations: Mapping[str, MutationSpec] | None = None,
                   markers: list[str] | None = None, n_sim: int = 400, seed: int = 1,
                   donors: bool = True, chunk: int = 512,
                   donors_below: float = 0.99) -> list[ProgrammeRow]:
    """Every family's informativeness and the single extra donor that would help most.

    Vectorised: families with the same pedigree structure and the same typed persons are
    computed together, one tensor contraction per marker for the whole batch, each
    family in its own lumped allele space (exact). The model here is without mutation
    (screening; ``nasab power`` on one family uses the mutation models). Expected log10
    LR and exclusion probability are exact; P(LR >= 1e4, 1e6) by Monte Carlo with
    ``n_sim`` draws per family (standard error at most 0.5/sqrt(n_sim)). Donors are ranked
    by the exact expected log10 LR after adding them, for the families that need help:
    those with P(LR >= 1e6) below ``donors_below`` (the others get no donor)."""
    rng = np.random.default_rng(seed)
    groups: dict[tuple, list[int]] = {}
    for k, (fam, mp) in enumerate(families):
        groups.setdefault(_structure_key(fam, mp), []).append(k)
    rows: list[ProgrammeRow | None] = [None] * len(families)
    for _key, members in groups.items():
        fam0, mp = families[members[0]]
        mks = list(markers or fam0.markers)
        for mk in mks:
            seen = {a for k in members for g in families[k][0].marker_genotypes(mk).values()
                    for a in g if a is not None}
            table.ensure_alleles(mk, sorted(a for a in seen if a not in table[mk].alleles))
        typed = fam0.typed_persons()
        pa = PowerAnalysis.__new__(PowerAnalysis)
        pa.missing = mp
        informative = pa.connected(fam0)
        cands = candidate_families(fam0, mp) if donors and informative else []
        for start in range(0, len(members), chunk):
            part = members[start:start + chunk]
            gbm = [[families[k][0].marker_genotypes(mk) for k in part] for mk in mks]
            if not informative:
                for k in part:
                    rows[k] = ProgrammeRow(families[k][0].name, mp, False, 0.0, 0.0, 0.0,
                                           0.0, None, None, None)
                continue
            exp, excl, p4, p6 = _group_power(fam0.pedigree, mp, typed, gbm, table, mks,
                                             n_sim, rng)
            best_lab: list[str | None] = [None] * len(part)
            best_exp = np.full(len(part), -np.inf)
            best_p4 = np.zeros(len(part))
            need = np.nonzero(p6 < donors_below)[0]
            sub = [[col[i] for i in need] for col in gbm]
            for label, _rel, cf in cands if len(need) else []:
                e2, _, q4, _ = _group_power(cf.pedigree, mp, typed, sub, table, mks,
                                            max(100, n_sim // 4), rng, new="_NEW")
                better = e2 > best_exp[need]
                best_exp[need] = np.where(better, e2, best_exp[need])
                best_p4[need] = np.where(better, q4, best_p4[need])
                for i in need[np.nonzero(better)[0]]:
                    best_lab[i] = label
            for i, k in enumerate(part):
                rows[k] = ProgrammeRow(
                    families[k][0].name, mp, True, float(exp[i]), float(p4[i]), float(p6[i]),
                    float(excl[i]), best_lab[i],
                    float(best_exp[i]) if best_lab[i] else None,
                    float(best_p4[i]) if best_lab[i] else None)
    return [r for r in rows if r is not None]


def programme_summary(rows: Sequence[ProgrammeRow]) -> dict:
    n = len(rows)
    p4 = np.array([r.p4 for r in rows])
    p6 = np.array([r.p6 for r in rows])
    donors: dict[str, int] = {}
    for r in rows:
        if r.best_donor:
            rel = r.best_donor.split(" of ")[0]
            donors[rel] = donors.get(rel, 0) + 1
    return {"families": n,
            "informative": int(sum(r.informative for r in rows)),
            "expected_reaching_1e4": float(p4.sum()),
            "expected_reaching_1e6": float(p6.sum()),
            "families_likely_1e4": int((p4 >= 0.5).sum()),
            "families_likely_1e6": int((p6 >= 0.5).sum()),
            "best_extra_donor_counts": donors}


def programme_chart(rows: Sequence[ProgrammeRow], path: str) -> None:
    """PNG: distribution of P(LR >= 1e4) over families, now and with the best extra donor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    now = np.array([r.p4 for r in rows])
    after = np.array([r.best_donor_p4 if r.best_donor_p4 is not None else r.p4 for r in rows])
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(0, 1, 21)
    ax.hist([now, after], bins=bins, label=["current references", "with best extra donor"])
    ax.set_xlabel("P(LR >= 10^4) if the missing person is found")
    ax.set_ylabel("families")
    ax.set_title(f"Reference informativeness over {len(rows)} families")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -- synthetic data ---------------------------------------------------------------------------
def gene_drop(ped: Pedigree, table: FrequencyTable, markers: Sequence[str],
              rng: np.random.Generator) -> dict[str, dict[str, Genotype]]:
    """Simulated genotypes for everyone in ``ped`` (founders Hardy-Weinberg, Mendelian
    transmission, no mutation): synthetic test and benchmark data only."""
    out: dict[str, dict[str, Genotype]] = {p.id: {} for p in ped.persons}
    for mk in markers:
        mf = table[mk]
        p = np.asarray(mf.freqs, dtype=float)
        p = p / p.sum()
        alle: dict[str, tuple[str, str]] = {}
        for person in ped.persons:  # parents before children
            if person.father is None:
                a, b = rng.choice(len(p), size=2, p=p)
                pair = (mf.alleles[a], mf.alleles[b])
            else:
                fa, mo = alle[person.father], alle[person.mother]  # type: ignore[index]
                pair = (fa[rng.integers(2)], mo[rng.integers(2)])
            alle[person.id] = pair
            out[person.id][marker_key(mk)] = pair
    return out
