"""Blind search: every remain against every missing person of every family.

Model (the same as ``nasab lr``, i.e. :func:`nasab.engine.lr.missing_person_lr`): for each marker the
frequency table's alleles, extended once by every allele seen in the families or the remains
at the table's minimum frequency (5/2N), and the marker's mutation model. The LR of a pair is
the product over markers; a marker not typed in the remain is not compared (LR 1).
:func:`nasab.engine.lr.missing_person_lr` called with the same extended table and mutation models
gives the same LRs (checked exhaustively in ``tests/search``).
"""

from __future__ import annotations

import copy
import dataclasses
import operator
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nasab.engine.allocator import tune_allocator
from nasab.engine.errors import InputError, ModelError
from nasab.engine.frequencies import FrequencyTable, marker_key
from nasab.engine.genotypes import Family
from nasab.engine.likelihood import MarkerModel
from nasab.engine.lr import build_marker_model
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel, observed_alleles
from nasab.engine.pedigree import Pedigree
from nasab.search.codes import RemainEntries, reference_drops, reference_states
from nasab.search.compile import ModelArrays, lr_tables
from nasab.search.data import FamilyData, Problem, Remains
from nasab.search.kernel import (
    candidates,
    exact_scores,
    narrow_candidates,
    quantize_up,
    suffix_bounds,
    threshold_units,
    used_entries,
)
from nasab.search.lineage import apply_factors
from nasab.search.shapes import RowShapes, Shape, groups_at, missing_rows, shape_groups
from nasab.search.shapes import family_shapes as family_shapes  # re-exported
from nasab.search.shapes import order_by_shape as order_by_shape  # re-exported
from nasab.search.shapes import shape_census as shape_census  # re-exported
from nasab.search.stacked import joint_and_likelihood, stacked_shapes
from nasab.search.tables import JointSums, MarkerTable, canonical, observation_classes

DEFAULT_THRESHOLD = 1e4


def extended_table(
    table: FrequencyTable,
    markers: Sequence[str],
    families: Sequence[FamilyData],
    remains: Remains | None,
) -> FrequencyTable:
    """A copy of the table with every allele seen in the data added at the minimum frequency
    (what ``nasab lr`` does for the alleles of one case), once for the whole search."""
    import warnings

    tab = copy.deepcopy(table)
    seen: dict[str, set[str]] = {marker_key(m): set() for m in markers}
    # the distinct (marker, genotype) pairs first: millions of cells, a few thousand pairs
    pairs: set[tuple[str, tuple]] = set()
    for fd in families:
        for g in fd.family.genotypes.values():
            pairs.update(g.items())
    if remains is not None:
        for p in remains.profiles:
            pairs.update(p.genotypes.items())
    for k, gt in pairs:
        if k in seen:
            seen[k].update(observed_alleles(gt))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for m in markers:
            new = sorted(a for a in seen[marker_key(m)] if a not in tab[m].alleles)
            if new:
                tab.ensure_alleles(m, new)
    return tab


@dataclass
class Layout:
    """Where each marker's table lies in a compiled row, and the model the rows are compiled
    under beyond the marker models: the remains' observation classes and theta."""

    markers: list[str]
    alleles: list[list[str]]
    dropout: float = 0.0  # observation model of remains that state none (a/F singles)
    dropin: float = 0.0
    classes: tuple[DropModel, ...] | None = None  # None: the default model's class, if any
    theta: float = 0.0  # Balding-Nichols theta (0: Hardy-Weinberg)

    def __post_init__(self) -> None:
        if self.classes is None:
            self.classes = observation_classes((), self.default_drop)
        else:
            self.classes = observation_classes(self.classes)

    @property
    def default_drop(self) -> DropModel:
        return DropModel(self.dropout, None, self.dropin)

    @property
    def ks(self) -> list[int]:
        return [len(a) for a in self.alleles]

    def tables(self) -> list[MarkerTable]:
        return [MarkerTable(k, self.classes) for k in self.ks]

    @property
    def offsets(self) -> np.ndarray:
        sizes = [t.size for t in self.tables()]
        return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

    @property
    def width(self) -> int:
        return int(self.offsets[-1])

    def untyped_codes(self) -> np.ndarray:
        """(M,) global index of each marker's untyped entry."""
        return self.offsets[:-1] + np.array([t.untyped for t in self.tables()], np.int64)

    def class_of(self, drop: DropModel | None, who: str = "") -> int:
        """Index of an observation model among the classes; -1 for no dropout model."""
        drop = self.default_drop if drop is None else drop
        if drop.trivial:
            return -1
        try:
            return self.classes.index(canonical(drop))
        except ValueError:
            raise InputError(
                f"{who}: observation model (dropout {drop.dropout:g}, drop-in "
                f"{drop.dropin:g}) is not among the compiled classes "
                f"{[(m.dropout, m.dropin) for m in self.classes]}"
            ) from None

    def codes(self, profiles: Sequence) -> np.ndarray:
        """(R, M) int32 global table indices of each profile's observation at each marker
        (in the block of the profile's dropout / drop-in class at that marker)."""
        keys = [marker_key(m) for m in self.markers]
        out = np.empty((len(profiles), len(keys)), np.int32)
        untyped = self.untyped_codes().tolist()
        entry = RemainEntries(self)
        plains: dict = {}  # a profile's one model at every marker -> its codes by marker
        for r, p in enumerate(profiles):
            gts = list(map(p.genotypes.get, keys))
            if not p.marker_drops:  # most profiles: one model (most often the default)
                plain = plains.get(p.drop)
                if plain is None:
                    if all(g is None or g[0] is None for g in gts):  # untyped: no class asked
                        out[r] = untyped
                        continue
                    self.class_of(p.drop, f"remain {p.id}")  # compiled?
                    plain = plains[p.drop] = [
                        _PlainCodes(entry, m, untyped[m], p.drop) for m in range(len(keys))
                    ]
                out[r] = list(map(operator.getitem, plain, gts))
                continue
            # the profile's model at each marker (most profiles: one for all)
            drops = [p.drop_for(k) for k in keys] if p.marker_drops else [p.drop] * len(keys)
            out[r] = [
                untyped[m] if g is None or g[0] is None else entry(m, g, drop, p.id)
                for m, (g, drop) in enumerate(zip(gts, drops, strict=True))
            ]
        return out

    def describe(self) -> dict:
        """The observation model and theta, for the model sidecar and the store."""
        return {
            "theta": self.theta,
            "default": {"dropout": self.dropout, "dropin": self.dropin},
            "classes": [
                {
                    "dropout": m.dropout,
                    "dropin": m.dropin,
                    "dropout_hom": m.dropout_hom,
                }  # null: dropout^2
                for m in self.classes
            ],
        }


class _PlainCodes(dict):
    """Genotype -> table index at one marker for profiles under one observation model
    (its class checked before: :meth:`Layout.codes`); a remains table repeats a few
    thousand genotypes a hundred thousand times."""

    def __init__(self, entry: RemainEntries, m: int, untyped: int, drop: DropModel | None):
        super().__init__({None: untyped})
        self.entry, self.m, self.untyped, self.drop = entry, m, untyped, drop

    def __missing__(self, g: tuple) -> int:
        got = self.untyped if g[0] is None else self.entry(self.m, g, self.drop, "")
        self[g] = got
        return got


def build_models(
    table: FrequencyTable, markers: Sequence[str], specs: dict[str, MutationSpec]
) -> list[MarkerModel]:
    return [build_marker_model(table, m, specs.get(m)) for m in markers]


@dataclass
class Compiled:
    """Compiled missing persons: one row per (family, missing person)."""

    layout: Layout
    family: list[str] = field(default_factory=list)
    person: list[str] = field(default_factory=list)
    exact: np.ndarray | None = None  # (n, width) float64 log10 LR
    bound: np.ndarray | None = None  # (n, width) int16 upper bounds


def compile_families(
    families: Sequence[FamilyData],
    layout: Layout,
    models: Sequence[MarkerModel],
    on_error: str = "stop",
    progress: Callable[[int], None] | None = None,
    *,
    shapes: list | None = None,
) -> tuple[list[tuple[str, str]], np.ndarray, list[Problem]]:
    """Compile every missing person of ``families``: (rows [(family, person)], float64
    table (rows, width), problems). Families whose references are impossible under the
    model (P(data) = 0) are reported and left out. Under theta > 0 (``layout.theta``) the
    exact theta compile of :mod:`.theta` is used instead. ``shapes``: a list the rows'
    :class:`.shapes.RowShapes` is appended to (not under theta), for counting their
    inconsistent markers without the families (:mod:`.counting`).

    At each marker the missing persons are grouped by :class:`Shape` (the persons that
    matter, their parents, typing and the missing person), whatever the rest of their
    pedigrees: one batched contraction per shape and marker. References under a dropout
    model have their own typing states (:mod:`.refdrop`) and are batched alike.

    BLAS runs on one thread here: the products are small and many, and several BLAS threads
    on a busy machine cost up to 10x more CPU than one (measured on 2 cores); parallel
    work is split by families (``--workers``), not inside a product."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _compile_families(families, layout, models, on_error, progress, shapes)


def _compile_families(
    families: Sequence[FamilyData],
    layout: Layout,
    models: Sequence[MarkerModel],
    on_error: str,
    progress: Callable[[int], None] | None,
    shapes: list | None = None,
) -> tuple[list[tuple[str, str]], np.ndarray, list[Problem]]:
    if layout.theta > 0:
        from nasab.search.theta import compile_families_theta

        dropped = [reference_drops(fd) for fd in families]
        if any(dropped):
            fd = families[next(i for i, d in enumerate(dropped) if d)]
            raise ModelError(
                f"family {fd.family.name}: dropout of reference profiles under theta > 0 "
                "is not in the compiled search (set theta to 0 or the references' dropout to 0)"
            )
        return compile_families_theta(families, layout, models, on_error, progress)
    states = reference_states(families, layout)
    row_fam, mp_id = missing_rows(families)
    rows = [(families[fi].family.name, mp) for fi, mp in zip(row_fam, mp_id, strict=True)]
    nrow = len(rows)
    out = np.empty((nrow, layout.width))
    offs = layout.offsets
    bad = np.zeros(nrow, bool)
    problems: list[Problem] = []

    def report(idx: np.ndarray, msg: str) -> None:
        """Rows the model refuses: stop at the first, or leave them out and say why."""
        for r in idx:
            fd = families[row_fam[r]]
            if on_error == "stop":
                raise InputError(
                    f"family {fd.family.name}: {msg}", file=fd.family.pedigree.source, line=fd.line
                )
            bad[r] = True
            problems.append(Problem(fd.family.pedigree.source or "", fd.line, fd.family.name, msg))

    groups = shape_groups(families, states, row_fam, mp_id, len(models))
    mas = [ModelArrays(model) for model in models]
    # the lumped shapes at all their markers at once (stacked.py); the rest marker by marker
    stacked = stacked_shapes(groups, mas)
    for m, (model, ma) in enumerate(zip(models, mas, strict=True)):
        done: list[tuple[np.ndarray, JointSums, np.ndarray]] = []
        for shape, idx, alleles in groups_at(groups, m):
            got = stacked.pop((shape.key, m), None)
            if got is not None:
                joint, lik = got
            else:
                joint, lik, refused = _shape_joints(
                    shape, alleles, ma, families, row_fam, rows, idx
                )
                if refused:
                    report(idx, f"marker {model.name}: {refused}")
                    continue
            zero = lik <= 0
            if zero.any():
                report(
                    idx[zero],
                    f"marker {model.name}: the reference genotypes are impossible "
                    "under the model (Mendelian inconsistency); check the data or "
                    "allow mutation",
                )
            sums = joint if isinstance(joint, JointSums) else JointSums.of(joint)
            done.append((idx, sums, np.asarray(lik, float)))
        if done:  # the marker's tables of every shape at once (entry by entry the same)
            idx = np.concatenate([d[0] for d in done])
            sums = JointSums.concat([d[1] for d in done])
            lik = np.concatenate([d[2] for d in done])
            out[idx, offs[m] : offs[m + 1]] = lr_tables(sums, lik, model.freqs, layout.classes)
        if progress:
            progress(m + 1)
    if shapes is not None:
        shapes.append(RowShapes(groups, nrow, np.flatnonzero(~bad)))
    if bad.any():
        keep = ~bad
        rows = [r for r, k in zip(rows, keep, strict=True) if k]
        out = out[keep]
    return rows, out, problems


def _shape_joints(shape: Shape, alleles, ma: ModelArrays, families, row_fam, rows, idx):
    """(joint, likelihood, None) of the rows ``idx`` of one shape, batched (the joint as its
    :class:`.tables.JointSums`, all that :func:`.compile.lr_tables` reads); where the
    batched network is beyond the memory limit, family by family (:func:`_alone`)."""
    ped = shape.pedigree()
    try:
        joint, lik = joint_and_likelihood(
            ped, ped.ids[shape.mp], shape.state, np.asarray(alleles), ma, sums=True
        )
    except ModelError:
        return _alone(families, row_fam, rows, idx, ma.model)
    return joint, lik, None


def _alone(families, row_fam, rows, idx, model):
    """The joints of the rows ``idx`` one family at a time by the engine's single-family
    :func:`nasab.engine.likelihood.genotype_joint` (its contraction order may fit in
    memory where the shape's batched one does not): (joint, likelihood, None), or (None,
    None, the engine's message) when it refuses too."""
    from nasab.engine.likelihood import genotype_joint

    key = marker_key(model.name)
    joints = []
    for r in idx:
        fam = families[row_fam[r]].family
        genos = {p: g[key] for p, g in fam.genotypes.items() if g.get(key, (None,))[0] is not None}
        drops = {p: d for p, d in fam.drops_for(model.name).items() if p in genos}
        try:
            joints.append(genotype_joint(fam.pedigree, genos, model, rows[r][1], drops or None))
        except ModelError as e:
            return None, None, e.message
    joint = np.stack([np.asarray(j) for j in joints])
    return joint, joint.reshape(len(joint), -1).sum(axis=1), None


@dataclass
class Match:
    remain: str
    family: str
    person: str
    log10_lr: float
    compared: int
    inconsistent: int
    posterior: float


def score(
    exact: np.ndarray,
    bound: np.ndarray | None,
    codes: np.ndarray,
    offsets: np.ndarray,
    log10_t: float,
    split: int = 8,
    narrow: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs with exact log10 LR >= log10_t: (family rows, remain rows, log10 LR).
    The candidates come from the narrow int16 kernel where its limits hold (``narrow``
    False: the int32 kernel always); either is a superset, the exact scores decide.
    ``bound``: :func:`.kernel.quantize_up` of ``exact`` for the int32 kernel (None: made
    here when needed)."""
    split = min(split, codes.shape[1])
    got = None
    if narrow and not isinstance(exact, np.memmap):
        used = used_entries(codes, offsets)
        got = narrow_candidates(exact, codes, offsets, split, log10_t, used)
    if got is None:
        if bound is None:
            bound = quantize_up(exact)
        suffix = suffix_bounds(bound, offsets, split)
        got = candidates(bound, codes, suffix, split, threshold_units(log10_t))
    f, r = got
    s = exact_scores(exact, codes, f, r)
    keep = s >= log10_t
    return f[keep], r[keep], s[keep]


def compare_markers(layout: Layout, codes: np.ndarray) -> np.ndarray:
    """Per remain, the number of markers it is typed at (compared)."""
    return (codes != layout.untyped_codes()[None, :]).sum(axis=1)


def inconsistent_counts(
    families: dict[str, FamilyData],
    layout: Layout,
    table: FrequencyTable,
    pairs: list[tuple[str, str, np.ndarray]],
) -> list[int]:
    """For each (family, person, remain codes): markers where the remain's genotype is
    impossible for the missing person without mutation (exact, no-mutation model). The
    reference, by a full recompile: the search counts them by allele pattern
    (:func:`nasab.search.inconsistency.inconsistent_counts`, the same numbers)."""
    if not pairs:
        return []
    models = build_models(table, layout.markers, {})
    fams = sorted({(f, p) for f, p, _ in pairs})
    fds = []
    for f, p in fams:
        fd = families[f]
        fds.append(FamilyData(fd.family, [p], fd.line))
    # theta does not change which genotypes are possible: the theta = 0 tables suffice
    rows, tab, _ = compile_families(
        fds, dataclasses.replace(layout, theta=0.0), models, on_error="skip"
    )
    where = {r: i for i, r in enumerate(rows)}
    out = []
    for f, p, c in pairs:
        i = where.get((f, p))
        if i is None:  # references inconsistent without mutation: all markers count
            out.append(-1)
            continue
        out.append(int(np.isneginf(tab[i, c]).sum()))
    return out


def family_kind(fam: Family, missing: str) -> str:
    """Kind of reference family, for quality reports: found once per structure, typed
    persons and missing person (a national table has a few dozen)."""
    ped = fam.pedigree
    typed = {pid for pid in fam.genotypes if pid in ped}  # (no one else is kin)
    key = (ped.parent_indices(), frozenset(map(ped.index, typed)), ped.index(missing))
    got = _KINDS.get(key)
    if got is None:
        if len(_KINDS) > 100_000:
            _KINDS.clear()
        got = _KINDS[key] = _family_kind(ped, typed, missing)
    return got


_KINDS: dict[tuple, str] = {}


def _family_kind(ped: Pedigree, typed: set[str], missing: str) -> str:
    p = ped[missing]
    parents = {x for x in (p.father, p.mother) if x}
    n_par = len(parents & typed)
    if n_par == 2:
        return "both_parents"
    sibs = {
        q.id
        for q in ped.persons
        if q.id != missing and q.father and (q.father, q.mother) == (p.father, p.mother)
    }
    if n_par == 1:
        return "one_parent"
    if sibs & typed:
        return "siblings"
    kids = set(ped.children(missing))
    if kids & typed:
        return "spouse_children"
    return "distant"


def process_chunk(
    fams: list[FamilyData],
    layout: Layout,
    models: list[MarkerModel],
    codes: np.ndarray,
    log10_t: float,
    on_error: str,
    keep_tables: bool,
    lineage: dict | None = None,
):
    """Compile a chunk of families and score it against every remain; ``lineage``: the
    chunk's Y-STR / mtDNA factors (:func:`nasab.search.lineage.screen`), multiplied in."""
    compiled = compile_chunk(fams, layout, models, on_error)
    return score_chunk(compiled, layout, codes, log10_t, keep_tables, lineage)


def compile_chunk(
    fams: list[FamilyData],
    layout: Layout,
    models: list[MarkerModel],
    on_error: str,
    *,
    with_shapes: bool = False,
) -> dict:
    """The first half of :func:`process_chunk`: the chunk's rows, tables and problems (with
    ``with_shapes``, also its rows' :class:`.shapes.RowShapes` as ``shapes``, None under
    theta)."""
    tune_allocator()  # this process may be a Dask worker or the registry's
    t0 = time.perf_counter()
    found: list | None = [] if with_shapes else None
    rows, exact, problems = compile_families(fams, layout, models, on_error, shapes=found)
    out = {"rows": rows, "exact": exact, "problems": problems, "compile": time.perf_counter() - t0}
    if found is not None:
        out["shapes"] = found[0] if found else None
    return out


def score_chunk(
    compiled: dict,
    layout: Layout,
    codes: np.ndarray,
    log10_t: float,
    keep_tables: bool,
    lineage: dict | None = None,
) -> dict:
    """The second half of :func:`process_chunk`: the compiled chunk scored against every
    remain (numba's threads, without the GIL: it may run beside the next chunk's compile)."""
    t1 = time.perf_counter()
    rows, exact = compiled["rows"], compiled["exact"]
    f, r, s = score(exact, None, codes, layout.offsets, log10_t)  # bounds made if needed
    out = {"f": f, "r": r, "s": s}
    if lineage:
        out = apply_factors(rows, exact, codes, f, r, s, lineage, log10_t)
    return {
        "rows": rows,
        **out,
        "problems": compiled["problems"],
        "exact": exact if keep_tables else None,
        "shapes": compiled.get("shapes"),
        "compile": compiled["compile"],
        "score": time.perf_counter() - t1,
    }
