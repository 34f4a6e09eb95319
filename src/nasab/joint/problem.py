"""A DVI problem (:class:`DVIProblem`: families, victims, missing persons, the marker
models), how it is read from a case folder (:func:`read_dvi`), its lineage evidence
(:func:`lineage_terms`), and the small vocabulary the joint analysis shares (``NULL``,
``NEG_INF``, ``lr_from_log10``, ``marker_spec``, ``sex_compatible``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, read_frequencies
from nasab.engine.genotypes import Family, Profile, is_typed
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel
from nasab.formats.io import read_json, read_ped, read_profiles

NULL = "*"
NEG_INF = -math.inf
LN10 = math.log(10.0)


def _log10(x: float) -> float:
    return math.log10(x) if x > 0 else NEG_INF


def lr_from_log10(x: float) -> float:
    """10**x for an LR given as its log10: 0 for -inf, inf beyond the floating-point range
    (the log10 value stays exact beside it)."""
    if x == NEG_INF:
        return 0.0
    return 10.0**x if x < 308.0 else math.inf


@dataclass
class DVIProblem:
    """Reference families with missing persons, victims, frequencies and mutation models."""

    families: dict[str, Family]
    missing: dict[str, str]  # MP id -> family name (MP ids unique over the problem)
    victims: list[Profile]
    table: FrequencyTable
    mutations: dict[str, MutationSpec] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)
    source: str = ""
    theta: float = 0.0  # Balding-Nichols theta within each family (see the module docstring)
    # Y-STR / mtDNA: log10 factor per (missing person, victim) pair that has one (see
    # lineage_terms); multiplied into every family term containing the pair
    lineage: dict[tuple[str, str], float] = field(default_factory=dict)
    lineage_meta: dict = field(default_factory=dict)

    def mp_sex(self, m: str) -> int:
        return self.families[self.missing[m]].pedigree[m].sex

    def family_missing(self, f: str) -> list[str]:
        return [m for m, ff in self.missing.items() if ff == f]

    def victim(self, vid: str) -> Profile:
        for v in self.victims:
            if v.id == vid:
                return v
        raise KeyError(vid)

    def subset(
        self,
        victims: Iterable[str] | None = None,
        missing: Iterable[str] | None = None,
        families: Mapping[str, Family] | None = None,
    ) -> DVIProblem:
        vs = set(victims) if victims is not None else {v.id for v in self.victims}
        ms = set(missing) if missing is not None else set(self.missing)
        fams = dict(families) if families is not None else self.families
        miss = {m: f for m, f in self.missing.items() if m in ms}
        used = set(miss.values())
        return DVIProblem(
            {f: fam for f, fam in fams.items() if f in used},
            miss,
            [v for v in self.victims if v.id in vs],
            self.table,
            self.mutations,
            self.markers,
            self.source,
            self.theta,
            {k: x for k, x in self.lineage.items() if k[0] in miss and k[1] in vs},
            self.lineage_meta,
        )


def sex_compatible(a: int, b: int) -> bool:
    return a == 0 or b == 0 or a == b


def read_dvi(folder: str | Path) -> DVIProblem:
    """Read a DVI folder in the oracle format: ``dvi.json``, ``families/*.ped``,
    ``victims.tsv``, ``freqs.txt``."""
    from nasab.formats.json_fields import check_dvi_meta, mutation_models

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            "not a DVI folder (expected dvi.json, families/, victims.tsv, freqs.txt)",
            file=str(folder),
        )
    dj = folder / "dvi.json"
    meta = read_json(dj)
    check_dvi_meta(meta, str(dj))  # every field's type, named with the file
    families: dict[str, Family] = {}
    missing: dict[str, str] = {}
    for fname, fd in meta["families"].items():
        if not isinstance(fd, dict) or "missing" not in fd:
            raise InputError(
                f"family {fname!r} needs 'missing' (a list of ids)",
                file=str(dj),
                field=f"families.{fname}",
            )
        fam = read_ped(folder / fd.get("file", f"families/{fname}.ped"), name=fname)
        ids = fd["missing"] if isinstance(fd["missing"], list) else [fd["missing"]]
        for m in ids:
            if m not in fam.pedigree:
                raise InputError(
                    f"missing person {m!r} of family {fname!r} is not in the "
                    f"pedigree {fam.pedigree.source}",
                    file=str(dj),
                    field=f"families.{fname}.missing",
                )
            if any(is_typed(g) for g in fam.genotypes.get(m, {}).values()):
                raise InputError(
                    f"missing person {m!r} is typed; missing persons must be untyped",
                    file=str(fam.pedigree.source),
                    field=m,
                )
            if m in missing:
                raise InputError(
                    f"missing person id {m!r} appears in two families "
                    f"({missing[m]}, {fname}); ids must be unique",
                    file=str(dj),
                    field="families",
                )
            missing[m] = fname
        families[fname] = fam
    victims = read_profiles(folder / "victims.tsv")
    vmeta = meta.get("victims", {})
    for v in victims:
        if v.id in vmeta and isinstance(vmeta[v.id], dict) and "sex" in vmeta[v.id]:
            v.sex = int(vmeta[v.id]["sex"])
    table = read_frequencies(folder / "freqs.txt")
    markers = meta.get("marker_order") or victims[0].markers
    mutations = mutation_models(meta, markers, str(dj))
    for m in markers:
        if m not in table:
            raise InputError(
                f"marker {m} has no allele frequencies", file=str(folder / "freqs.txt")
            )
    _victim_dropout(meta, victims, str(dj))
    theta = meta.get("theta", 0) or 0
    if not isinstance(theta, (int, float)) or isinstance(theta, bool) or not 0 <= theta < 0.5:
        raise InputError(
            f"theta must be a number in [0, 0.5), not {theta!r}", file=str(dj), field="theta"
        )
    return DVIProblem(
        families, missing, victims, table, mutations, list(markers), str(folder), float(theta)
    )


LINEAGE_JOINT = (
    "a Y-STR / mtDNA factor per (missing person, victim) pair, as nasab lr computes it, "
    "multiplied into every family term with that pair; two victims placed on one line "
    "(e.g. two missing brothers) are each compared with the line's typed references, "
    "their factors multiplied as if independent given the references"
)


def lineage_terms(
    problem: DVIProblem,
    *,
    ystr_db=None,
    ystr_method: str = "counting",
    mtdna_db=None,
    confidence: float = 0.95,
) -> None:
    """Fill ``problem.lineage``: the Y-STR and mtDNA factor of every (missing person, victim)
    pair of compatible sex for which the data give one (:func:`nasab.engine.lr.
    lineage_factors`, the function of ``nasab lr``), and ``problem.lineage_meta``."""
    from nasab.engine.lineage import INDEPENDENCE
    from nasab.engine.lr import lineage_factors

    per: dict[str, dict[str, dict]] = {}
    for m, f in problem.missing.items():
        fam = problem.families[f]
        if not (fam.ystr or fam.mtdna):
            continue
        for v in problem.victims:
            if not (v.ystr or v.mtdna is not None):
                continue
            if not sex_compatible(problem.mp_sex(m), v.sex):
                continue
            try:
                evs = lineage_factors(
                    fam,
                    m,
                    v,
                    ystr_db=ystr_db,
                    ystr_method=ystr_method,
                    mtdna_db=mtdna_db,
                    confidence=confidence,
                )
            except InputError as e:
                e.message = f"family {f}, missing {m}, victim {v.id}: {e.message}"
                e.args = (str(e),)
                raise
            used = [e for e in evs if e.used]
            if used:
                problem.lineage[(m, v.id)] = float(sum(e.log10_lr for e in used))
                per.setdefault(v.id, {})[m] = {e.kind: e.log10_lr for e in used}
    if problem.lineage:
        dbs = {}
        if ystr_db is not None:
            dbs["Y"] = {"database": ystr_db.describe(), "method": ystr_method}
        if mtdna_db is not None:
            dbs["mtDNA"] = {"database": mtdna_db.describe(), "method": "counting"}
        problem.lineage_meta = {
            "log10_factors": per,
            "databases": dbs,
            "confidence": confidence,
            "combination": f"{INDEPENDENCE}; {LINEAGE_JOINT}",
        }


def _victim_dropout(meta: dict, victims: list[Profile], source: str) -> None:
    """Optional degraded-remains settings in dvi.json: ``dropout`` (one number for every
    victim, or ``{victim: d}``), ``dropout_hom``, ``dropin``."""
    from nasab.engine.errors import ModelError

    raw = meta.get("dropout")
    if raw is None and not meta.get("dropin"):
        return
    for v in victims:
        d = raw.get(v.id, 0.0) if isinstance(raw, dict) else (raw or 0.0)
        try:
            drop = DropModel(float(d), meta.get("dropout_hom"), float(meta.get("dropin", 0.0)))
        except (ModelError, TypeError, ValueError) as e:
            raise InputError(f"victim {v.id}: {e}", file=source, field="dropout") from None
        if not drop.trivial:
            v.drop = drop


def marker_spec(mutations: Mapping[str, MutationSpec], marker: str) -> MutationSpec | None:
    from nasab.engine.frequencies import marker_key

    for name, spec in mutations.items():
        if marker_key(name) == marker_key(marker):
            return spec
    return None
