"""Are the references a family has named likely to be enough? Whom to ask next?

The family's pedigree *shape* (which relatives, how related, who could give a sample) is
built as an engine :class:`~nasab.engine.pedigree.Pedigree`; reference genotypes are
simulated by gene dropping (:func:`nasab.sim.synth.drop_genes`) from the bundled NIST 1036
table, and for each simulated reference set :class:`nasab.power.analysis.PowerAnalysis`
gives the exact distribution of the true missing person's profile with the LR ``nasab lr``
would give each profile (the default mutation model: stepwise at the published rates).
The *power* of the set of references is P(LR >= 10^4) averaged over the reference sets.
The same is done for the set plus each candidate extra relative (parents, full siblings,
children first). Results are cached per shape and the random seed is fixed, so a page
shows the same numbers every time.

No Django here: the portal passes a list of relationship names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from nasab.sim.simulate import KIT_24

THRESHOLD_LOG10 = 4.0
REFERENCE_SETS = 4  # simulated reference genotypes per shape
DRAWS = 2000  # profiles of the missing person per reference set
SEED = 20260
GOOD_POWER = 0.9
# Fifteen markers of the simulation's kit keep a page quick; enough to rank the sets.
MARKERS = KIT_24[:15]

# Relationships that carry genetic information in the estimate, in the order to ask.
GENETIC = (
    "father",
    "mother",
    "full_sibling",
    "child",
    "half_sibling_paternal",
    "half_sibling_maternal",
    "grandparent",
    "uncle_aunt",
    "cousin",
)
# Candidates suggested next (parents, children, full siblings first).
SUGGEST = ("father", "mother", "full_sibling", "child")
MAX_PER_KIND = {"father": 1, "mother": 1, "grandparent": 2}


@dataclass(frozen=True)
class Suggestion:
    relationship: str
    power: float


@dataclass(frozen=True)
class Assessment:
    donors: int
    power: float | None  # None: nobody named who carries information
    enough: bool
    suggestions: tuple[Suggestion, ...]
    available: bool = True
    error: str = ""


def shape_of(relationships) -> tuple[tuple[str, int], ...]:
    """A hashable description of the named references: counts per relationship."""
    counts = Counter(r for r in relationships if r in GENETIC)
    return tuple(sorted((k, min(v, MAX_PER_KIND.get(k, 4))) for k, v in counts.items()))


def _records(shape: tuple[tuple[str, int], ...], mp_male: bool):
    """(records, typed ids) of a pedigree with the missing person ``MP``."""
    from nasab.engine.pedigree import FEMALE, MALE

    counts = dict(shape)
    recs = [
        ("PGF", None, None, MALE),
        ("PGM", None, None, FEMALE),
        ("FA", "PGF", "PGM", MALE),
        ("MO", None, None, FEMALE),
        ("MP", "FA", "MO", MALE if mp_male else FEMALE),
    ]
    typed: list[str] = []
    if counts.get("father"):
        typed.append("FA")
    if counts.get("mother"):
        typed.append("MO")
    for i in range(counts.get("full_sibling", 0)):
        recs.append((f"SIB{i}", "FA", "MO", MALE if i % 2 else FEMALE))
        typed.append(f"SIB{i}")
    if counts.get("child"):
        recs.append(("SP", None, None, FEMALE if mp_male else MALE))
        for i in range(counts["child"]):
            fa, mo = ("MP", "SP") if mp_male else ("SP", "MP")
            recs.append((f"CH{i}", fa, mo, MALE if i % 2 else FEMALE))
            typed.append(f"CH{i}")
    for i in range(counts.get("half_sibling_paternal", 0)):
        if not any(r[0] == "SM" for r in recs):
            recs.append(("SM", None, None, FEMALE))
        recs.append((f"HP{i}", "FA", "SM", MALE))
        typed.append(f"HP{i}")
    for i in range(counts.get("half_sibling_maternal", 0)):
        if not any(r[0] == "SF" for r in recs):
            recs.append(("SF", None, None, MALE))
        recs.append((f"HM{i}", "SF", "MO", MALE))
        typed.append(f"HM{i}")
    # Which side is not asked on the short form: the estimate assumes the father's side.
    typed += ["PGF", "PGM"][: counts.get("grandparent", 0)]
    for i in range(counts.get("uncle_aunt", 0)):
        recs.append((f"UN{i}", "PGF", "PGM", MALE))
        typed.append(f"UN{i}")
    if counts.get("cousin"):
        recs.append(("UX", "PGF", "PGM", MALE))
        recs.append(("UW", None, None, FEMALE))
        for i in range(counts["cousin"]):
            recs.append((f"CO{i}", "UX", "UW", MALE))
            typed.append(f"CO{i}")
    return recs, typed


@lru_cache(maxsize=512)
def power(shape: tuple[tuple[str, int], ...], mp_male: bool = True) -> float | None:
    """P(LR >= 10^4) for the true missing person, averaged over simulated reference sets."""
    import numpy as np

    from nasab.engine.genotypes import Family
    from nasab.engine.mutation import mutation_specs
    from nasab.engine.pedigree import Pedigree
    from nasab.power.analysis import PowerAnalysis
    from nasab.sim.synth import drop_genes

    recs, typed = _records(shape, mp_male)
    if not typed:
        return None
    ped = Pedigree.from_records(recs, source="portal estimate")
    table = _table()
    mutations = mutation_specs(MARKERS)
    rng = np.random.default_rng(SEED)
    total = 0.0
    for k in range(REFERENCE_SETS):
        genos = drop_genes(ped, table, MARKERS, rng, mutations=mutations)
        family = Family(ped, list(MARKERS), {pid: genos[pid] for pid in typed})
        pa = PowerAnalysis(family, "MP", table, mutations, list(MARKERS))
        total += pa.power(DRAWS, SEED + k).p_exceed[10.0**THRESHOLD_LOG10]
    return min(max(total / REFERENCE_SETS, 0.0), 1.0)


@lru_cache(maxsize=1)
def _table():
    from nasab.engine.frequencies import default_table

    return default_table()


def _with(shape, extra: str):
    counts = dict(shape)
    counts[extra] = counts.get(extra, 0) + 1
    return tuple(sorted(counts.items()))


def assess(relationships, mp_male: bool = True) -> Assessment:
    """The estimate for the named relationships, and the best next relatives to ask."""
    relationships = list(relationships)
    donors = sum(1 for r in relationships if r in GENETIC)
    try:
        shape = shape_of(relationships)
        p = power(shape, mp_male)
        suggestions = []
        counts = dict(shape)
        for kind in SUGGEST:
            if counts.get(kind, 0) >= MAX_PER_KIND.get(kind, 4):
                continue
            suggestions.append(Suggestion(kind, power(_with(shape, kind), mp_male) or 0.0))
        suggestions.sort(key=lambda s: (-s.power, SUGGEST.index(s.relationship)))
    except ImportError as exc:  # the engine is not installed beside the registry
        return Assessment(donors, None, False, (), available=False, error=str(exc))
    enough = p is not None and p >= GOOD_POWER and donors >= 3
    return Assessment(donors, p, enough, tuple(suggestions[:3]))
