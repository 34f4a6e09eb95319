"""The registry's matching: the engine's compiled blind search (``nasab.search``), kept up to date.

* **Full run** (:func:`full_run`, a background job): every pedigree with a usable donor
  profile against every remains profile, with the programme's settings, by
  :func:`nasab.search.run.search_data` (the function behind ``nasab search``: the same model,
  pairs and log10 LRs). It writes a new *generation* of the compiled store under
  ``settings.NASAB_SEARCH_STORE`` and switches to it only when complete (``CURRENT``), so a
  failed run leaves the previous store in force.
* **A new or changed remains profile** is scored at once against every compiled family
  (:meth:`nasab.search.store.Store.search_remain`, milliseconds) and added to the store.
* **A family whose references change** (new donor profile, withdrawn consent) is recompiled
  alone and scored against every stored remains (:meth:`~nasab.search.store.Store.update_family`).
  Candidates that used a donor who withdrew are flagged for review.
* An allele outside the compiled model (never seen in the data or the table), or settings
  that changed since the store was compiled: the change waits, and a full run is queued
  (it extends the table once, as ``nasab search`` does); nothing is refused.

Changes are recorded as :class:`ScoringRequest` rows, processed where they happen (the web
request that imported a profile or withdrew a consent) and otherwise by the worker, so no
change is lost when the store is busy or absent. Store writes hold a file lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from fieldwork.models import RemainsUnit, SampleKind
from lab.selectors import usable_profiles
from registry.models import MissingPerson, Relative

from . import pedigree
from .models import (
    JobStatus,
    MatchCandidate,
    MatchingJob,
    PriorRule,
    ProgrammeSettings,
    ScoringRequest,
)
from .programme import active_settings, engine_table, lineage_options

POINTER = "CURRENT"
REGISTRY_META = "registry.json"


class StoreUnavailable(Exception):
    """No compiled store for the settings in force: a full run is needed (and queued)."""


# --- where the store lives -----------------------------------------------------------------
def store_root() -> Path:
    return Path(django_settings.NASAB_SEARCH_STORE)


@contextlib.contextmanager
def store_lock(timeout: float | None = None):
    """Exclusive lock on the store (one writer: the web process or the worker). With a
    ``timeout`` raises TimeoutError when the store stays busy."""
    root = store_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as fh:
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (fcntl.LOCK_NB if timeout is not None else 0))
                break
            except BlockingIOError:
                if time.monotonic() - start > timeout:
                    raise TimeoutError("the compiled store is busy") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_generation() -> Path | None:
    pointer = store_root() / POINTER
    if not pointer.exists():
        return None
    gen = store_root() / pointer.read_text(encoding="utf-8").strip()
    return gen if (gen / REGISTRY_META).exists() else None


def store_state() -> dict | None:
    """What the store in force was compiled with (settings fingerprint, prior, counts)."""
    gen = current_generation()
    if gen is None:
        return None
    return json.loads((gen / REGISTRY_META).read_text(encoding="utf-8"))


def _open_store(programme: ProgrammeSettings):
    from nasab.search.store import Store

    gen = current_generation()
    if gen is None:
        raise StoreUnavailable("no compiled store yet: a full matching run builds it")
    meta = json.loads((gen / REGISTRY_META).read_text(encoding="utf-8"))
    if meta["settings_fingerprint"] != programme.fingerprint:
        raise StoreUnavailable("the programme settings changed since the store was compiled")
    lineage_options(programme)  # the databases' files, written again if they went missing
    return Store.open(gen / "store"), meta


# --- the registry's data as the engine takes it --------------------------------------------
def genotypes_of(markers: dict, table) -> dict:
    """A registry profile's markers as the engine's genotypes (the engine's grammar);
    markers outside the frequency table are left out."""
    from nasab.engine.frequencies import marker_key
    from nasab.engine.genotypes import parse_genotype

    out = {}
    for name, alleles in markers.items():
        if name not in table:
            continue
        g = parse_genotype("/".join(str(a) for a in alleles))
        if g[0] is not None:
            out[marker_key(name)] = g
    return out


def lineage_systems(programme: ProgrammeSettings) -> frozenset:
    """The lineage systems the matching uses: those with a database in the settings."""
    return frozenset(
        k
        for k, db in (("Y", programme.ystr_database_id), ("mtDNA", programme.mtdna_database_id))
        if db is not None
    )


def lineage_of(profile, systems: frozenset, who: str = "") -> tuple[dict, object]:
    """A profile's Y-STR haplotype and mtDNA sequence (``DNAProfile.lineage``) in the
    engine's form, for the ``systems`` in use ({} / None otherwise)."""
    from nasab.engine.errors import InputError
    from nasab.search.lineage_store import haplotype_of, sequence_of

    data = profile.lineage or {}
    try:
        hap = haplotype_of(data.get("Y", {})) if "Y" in systems else {}
        mt = sequence_of(data.get("mtDNA")) if "mtDNA" in systems else None
    except InputError as exc:
        raise InputError(f"{who or profile.sample.barcode}: {exc.message}") from None
    return hap, mt


def _grouped(profiles, owner) -> dict:
    """The profiles of each owner (donor or remains unit), newest last."""
    out: dict = defaultdict(list)
    for profile in profiles:
        key = owner(profile.sample)
        if key is not None:
            out[key].append(profile)
    return out


@dataclass
class DataSources:
    """Which of one donor's or remains unit's usable profiles give which data: the STR
    genotypes from the profile with the most markers (``primary``), the Y-STR haplotype from
    the one with the most loci, the mtDNA sequence from the one with the widest range (ties:
    the newest). Two profiles that disagree (a locus typed in both with other alleles,
    variants that differ within the range both cover) give that system nothing: said in
    ``conflicts``, their profiles kept in ``disputed`` (they decided it)."""

    primary: object  # DNAProfile
    y: object | None = None
    mt: object | None = None
    hap: dict = field(default_factory=dict)
    seq: object = None
    conflicts: dict[str, str] = field(default_factory=dict)  # system -> why left out
    disputed: dict[str, list] = field(default_factory=dict)  # system -> its profiles

    def profiles(self, with_primary: bool = True, disputed: bool = True) -> list:
        """The profiles that fed the data (the primary first; with ``disputed``, those whose
        disagreement left a system out), each once."""
        out = [self.primary] if with_primary else []
        others = [p for ps in self.disputed.values() for p in ps] if disputed else []
        for p in (self.y, self.mt, *others):
            if p is not None and all(p.pk != q.pk for q in out) and p.pk != self.primary.pk:
                out.append(p)
        return out

    def engine_id(self, code: str) -> str:
        """The remains' id in the store: its code and the profiles its data come from (a new
        profile giving the Y or mtDNA data makes a new id)."""
        out = f"{code}|{self.primary.pk}"
        for tag, p in (("Y", self.y), ("mt", self.mt)):
            if p is not None and p.pk != self.primary.pk:
                out += f"|{tag}{p.pk}"
        return out


def _newest(profile) -> tuple:
    return (profile.imported_at, profile.pk)


def data_sources(profiles: list, systems: frozenset, who: str) -> DataSources:
    """The :class:`DataSources` of one owner's usable ``profiles`` for the lineage
    ``systems`` in use (``who`` names the owner in messages)."""
    src = DataSources(max(profiles, key=lambda p: (p.marker_count, p.pk)))
    if not systems:
        return src
    ys, mts = [], []
    for p in sorted(profiles, key=_newest):  # (messages name the older sample first)
        hap, seq = lineage_of(p, systems, who)
        if hap:
            ys.append((p, hap))
        if seq is not None:
            mts.append((p, seq))
    why = _y_conflict(ys)
    if why:
        src.conflicts["Y"] = f"{who}: {why}: Y-STR left out"
        src.disputed["Y"] = [p for p, _ in ys]
    elif ys:
        src.y, src.hap = max(ys, key=lambda t: (len(t[1]), *_newest(t[0])))
    why = _mt_conflict(mts)
    if why:
        src.conflicts["mtDNA"] = f"{who}: {why}: mtDNA left out"
        src.disputed["mtDNA"] = [p for p, _ in mts]
    elif mts:
        src.mt, src.seq = max(mts, key=lambda t: (len(t[1].positions()), *_newest(t[0])))
    return src


def _y_conflict(ys: list) -> str:
    from nasab.engine.ystr import format_state

    for i, (a, ha) in enumerate(ys):
        for b, hb in ys[i + 1 :]:
            diff = [k for k in sorted(ha.keys() & hb.keys()) if ha[k] != hb[k]]
            if diff:
                at = ", ".join(f"{k} ({format_state(ha[k])} / {format_state(hb[k])})" for k in diff)
                return (
                    f"the Y-STR haplotypes of samples {a.sample.barcode} and "
                    f"{b.sample.barcode} differ at {at}"
                )
    return ""


def _mt_conflict(mts: list) -> str:
    from nasab.engine.mtdna import compare

    for i, (a, sa) in enumerate(mts):
        for b, sb in mts[i + 1 :]:
            diff = compare(sa, sb).differences
            if diff:
                return (
                    f"the mtDNA sequences of samples {a.sample.barcode} and "
                    f"{b.sample.barcode} differ within the range both cover "
                    f"({', '.join(diff)})"
                )
    return ""


def _origin_kind(sample) -> str:
    while sample.parent_sample_id:
        sample = sample.parent_sample
    return sample.kind


def drop_model(programme: ProgrammeSettings, kind: str):
    """The observation model of a sample type under the settings (None: complete profile)."""
    from nasab.engine.observation import DropModel

    d, c = {
        SampleKind.BONE: (programme.dropout_bone, programme.dropin_bone),
        SampleKind.TOOTH: (programme.dropout_tooth, programme.dropin_tooth),
    }.get(kind, (programme.dropout_reference, programme.dropin_reference))
    return DropModel(d, None, c) if (d or c) else None


def drop_classes(programme: ProgrammeSettings) -> tuple:
    """Every observation class the settings may give a remains sample (compiled ahead, so
    that a later bone or tooth profile can be scored without recompiling)."""
    return tuple(
        m
        for m in (drop_model(programme, SampleKind.BONE), drop_model(programme, SampleKind.TOOTH))
        if m is not None
    )


@dataclass
class EngineFamily:
    owner: MissingPerson
    data: object  # nasab.search.data.FamilyData
    persons: dict[str, MissingPerson]  # pedigree node -> missing person
    donors: dict[str, tuple[Relative, object]]  # node -> (relative, DNAProfile with the STRs)
    records: list
    notes: list[str] = field(default_factory=list)
    # node -> which profiles gave the donor's STR, Y-STR and mtDNA data
    sources: dict[str, DataSources] = field(default_factory=dict)
    # data problems that left a lineage system out (two profiles of a donor disagree)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.owner.case_number

    def donor_profile_pks(self) -> list[int]:
        """Every donor profile the family's data came from (STR, Y-STR, mtDNA, and those
        whose disagreement left a system out): a new one changes the family."""
        pks = {p.pk for _, p in self.donors.values()}
        pks.update(p.pk for s in self.sources.values() for p in s.profiles(False))
        return sorted(pks)

    @property
    def left_out(self) -> dict[str, str]:
        """The lineage systems left out for the family (two profiles of a donor disagree)."""
        return {k: m for s in self.sources.values() for k, m in s.conflicts.items()}

    def disputed_samples(self, system: str) -> list[str]:
        """The barcodes of the donors' samples that disagree on ``system``."""
        return sorted(
            {p.sample.barcode for s in self.sources.values() for p in s.disputed.get(system, [])}
        )

    def donor_samples(self, system: str | None = None, nodes=None) -> list[str]:
        """The barcodes of the donors' samples whose data the family uses (``system``: "STR",
        "Y" or "mtDNA"; None: all three), of the pedigree ``nodes`` (None: every donor)."""
        fam = self.data.family
        typed = {"STR": fam.genotypes, "Y": fam.ystr, "mtDNA": fam.mtdna}
        out = set()
        for node, (_, p) in self.donors.items():
            if nodes is not None and node not in nodes:
                continue
            src = self.sources.get(node)
            for kind in [system] if system else typed:
                if node in typed[kind]:
                    q = p if kind == "STR" or src is None else (src.y if kind == "Y" else src.mt)
                    out.add((q or p).sample.barcode)
        return sorted(out)


def _usable(select=()):
    return usable_profiles("identification").select_related(
        "sample", "sample__parent_sample", "sample__parent_sample__parent_sample", *select
    )


def build_family(
    owner: MissingPerson,
    relatives: list[Relative],
    donor_profiles: dict,
    table,
    persons_by_pk: dict[int, MissingPerson],
    reference_drop=None,
    lineage: frozenset = frozenset(),
) -> EngineFamily | None:
    """The engine family of one pedigree owner: its relatives' pedigree, with every relative
    who is himself missing (``Relative.missing_person``) searched as a missing person of it.
    ``donor_profiles``: relative pk -> his usable profiles (:func:`data_sources` picks
    which gives what). ``reference_drop``: the references' dropout model (the settings'
    reference swabs), on every typed donor. ``lineage``: the systems ("Y", "mtDNA") whose
    data the donors' profiles give the family (those with a database in the settings). None
    when no donor profile with STR markers is usable; two profiles of a donor that disagree
    on a lineage system leave that system out for the family (``EngineFamily.problems``)."""
    from nasab.engine.genotypes import Family
    from nasab.engine.pedigree import Pedigree
    from nasab.search.data import FamilyData

    ref = pedigree.build(owner, relatives)
    genos, donors, lines, sources, problems = _donor_data(
        owner, relatives, ref, donor_profiles, table, lineage
    )
    if not genos:
        return None
    persons = {pedigree.MP: owner}
    for rel in relatives:
        node = ref.relative_ids.get(rel.pk)
        if node is not None and rel.missing_person_id and node not in donors:
            persons[node] = persons_by_pk.get(rel.missing_person_id) or rel.missing_person
    keys = {k for g in genos.values() for k in g}
    markers = [m.name for k, m in table.markers.items() if k in keys]
    ped = Pedigree.from_records(ref.records, source=owner.case_number)
    fam = Family(ped, markers, genos, name=owner.case_number)
    for node, (hap, mt) in lines.items():
        if hap:
            fam.ystr[node] = hap
        if mt is not None:
            fam.mtdna[node] = mt
    if reference_drop is not None:
        fam.drops = {node: reference_drop for node in genos}
    return EngineFamily(
        owner,
        FamilyData(fam, list(persons), 0),
        persons,
        donors,
        ref.records,
        ref.notes,
        sources,
        problems,
    )


def _donor_data(owner, relatives, ref, donor_profiles: dict, table, lineage: frozenset):
    """The donors' STR genotypes, lineage data, profiles and sources by pedigree node, and
    the problems that left a lineage system out (see :func:`build_family`)."""
    from nasab.engine.errors import InputError

    found = {}
    for rel in relatives:
        node = ref.relative_ids.get(rel.pk)
        if node is not None and donor_profiles.get(rel.pk):
            who = f"relative {rel.pk} ({owner.case_number})"
            src = data_sources(donor_profiles[rel.pk], lineage, who)
            if rel.sex == "F" and (src.hap or "Y" in src.conflicts):
                raise InputError(
                    f"relative {rel.pk} is recorded as female but her profile has a Y-STR haplotype"
                )
            found[node] = (rel, src)
    problems = [m for _, src in found.values() for m in src.conflicts.values()]
    # a system on which two profiles of one donor disagree is left out for the family
    left_out = {k for _, src in found.values() for k in src.conflicts}
    genos, donors, lines, sources = {}, {}, {}, {}
    for node, (rel, src) in found.items():
        g = genotypes_of(src.primary.markers, table)
        hap = {} if "Y" in left_out else src.hap
        mt = None if "mtDNA" in left_out else src.seq
        if g:
            genos[node] = g
        if hap or mt is not None:
            lines[node] = (hap, mt)
        if g or node in lines:
            donors[node] = (rel, src.primary)
        if g or node in lines or src.disputed:
            sources[node] = src
    return genos, donors, lines, sources, problems


def collect_families(
    table, owners=None, programme=None, *, lineage: bool = False
) -> tuple[list[EngineFamily], list[str]]:
    """Every pedigree owner's engine family (or those of ``owners``), with the references'
    dropout of the settings in force (or ``programme``); problems (a contradictory
    pedigree, ...) are listed, the family left out. ``lineage``: with the donors' Y-STR /
    mtDNA data for the systems the settings have a database for (the matching)."""
    from nasab.engine.errors import NasabError

    programme = programme or active_settings()
    reference_drop = drop_model(programme, "reference")
    systems = lineage_systems(programme) if lineage else frozenset()

    qs = _usable(("sample__donor",)).filter(sample__remains__isnull=True)
    if owners is not None:  # only these pedigrees' donors (a few rows, not the programme's)
        pks = [o.pk for o in owners]
        qs = qs.filter(
            Q(sample__donor__person__in=pks) | Q(sample__parent_sample__donor__person__in=pks)
        )
    donor_profiles = {rel.pk: ps for rel, ps in _grouped(qs, lambda s: _origin(s, "donor")).items()}
    owners = (
        list(owners)
        if owners is not None
        else list(
            MissingPerson.objects.filter(pedigree_place__isnull=True, relatives__isnull=False)
            .distinct()
            .order_by("pk")
        )
    )
    rels = defaultdict(list)
    for rel in Relative.objects.filter(person__in=[o.pk for o in owners]).order_by("pk"):
        rels[rel.person_id].append(rel)
    missing_pks = [r.missing_person_id for rs in rels.values() for r in rs if r.missing_person_id]
    persons_by_pk = MissingPerson.objects.in_bulk(missing_pks)
    out, problems = [], []
    for owner in owners:
        try:
            ef = build_family(
                owner,
                rels.get(owner.pk, []),
                donor_profiles,
                table,
                persons_by_pk,
                reference_drop,
                systems,
            )
        except NasabError as exc:
            problems.append(f"{owner.case_number}: {exc}")
            continue
        if ef is not None:
            out.append(ef)
            problems += [f"{owner.case_number}: {p}" for p in ef.problems]
    return out, problems


def _origin(sample, what: str):
    while sample.parent_sample_id:
        sample = sample.parent_sample
    return getattr(sample, what)


class RemainsEntry(NamedTuple):
    unit: RemainsUnit
    profile: object  # the DNAProfile with the STRs (DataSources.primary)
    engine: object  # nasab.engine.genotypes.Profile
    sources: DataSources


def remains_profiles(
    table, programme: ProgrammeSettings, units=None, *, lineage: bool = False, problems=None
) -> list[RemainsEntry]:
    """(remains unit, DNAProfile, engine Profile, sources) for each remains unit (or each of
    ``units``) with a usable profile: the STRs of its profile with the most markers (the
    DNAProfile); the engine id is ``code|profile pk`` (with ``|Y<pk>`` / ``|mt<pk>`` when
    another profile gives the Y-STR / mtDNA data). ``lineage``: with the unit's Y-STR /
    mtDNA data for the systems the settings have a database for (:func:`data_sources`: from
    any of its usable profiles; a system on which two disagree is left out, said in
    ``problems`` when given)."""
    from nasab.engine.genotypes import Profile

    qs = _usable(("sample__remains", "sample__parent_sample__remains")).filter(
        sample__donor__isnull=True
    )
    if units is not None:
        codes = [u.code for u in units]
        qs = qs.filter(
            Q(sample__remains__code__in=codes)
            | Q(sample__parent_sample__remains__code__in=codes)
            | Q(sample__parent_sample__parent_sample__remains__code__in=codes)
        )
    grouped = _grouped(qs, lambda s: _origin(s, "remains"))
    systems = lineage_systems(programme) if lineage else frozenset()
    out = []
    for unit, profiles in sorted(grouped.items(), key=lambda kv: kv[0].code):
        src = data_sources(profiles, systems, f"remains {unit.code}")
        if problems is not None:
            problems += list(src.conflicts.values())
        profile = src.primary
        g = genotypes_of(profile.markers, table)
        drop = drop_model(programme, _origin_kind(profile.sample))
        p = Profile(src.engine_id(unit.code), g, drop=drop, ystr=src.hap, mtdna=src.seq)
        out.append(RemainsEntry(unit, profile, p, src))
    return out


def _prior(programme: ProgrammeSettings, n_missing: int) -> tuple[float, str]:
    if programme.prior_rule == PriorRule.FIXED:
        return programme.prior_value, f"Fixed by the programme settings: {programme.prior_value:g}."
    return (
        1.0 / max(n_missing, 2),
        f"Uniform over the {n_missing} missing persons searched: 1/{max(n_missing, 2)}.",
    )


# --- candidates ------------------------------------------------------------------------------
@dataclass
class Hit:
    family: EngineFamily
    node: str
    unit: RemainsUnit
    profile: object  # the remains' DNAProfile
    log10_lr: float
    marker_log10: dict[str, float]
    n_markers: int
    n_inconsistent: int | None
    kind: str
    # the parts of log10_lr with lineage databases (autosomal, Y, mtDNA; None without)
    parts: tuple[float, float, float] | None = None
    # which of the remains' profiles gave the STR, Y-STR and mtDNA data (None: ``profile``)
    sources: DataSources | None = None

    def remains_samples(self) -> list[str]:
        """The barcodes of the remains' samples whose data the pair used (the STR one first)."""
        profiles = self.sources.profiles(disputed=False) if self.sources else [self.profile]
        return list(dict.fromkeys(p.sample.barcode for p in profiles))


def _basis(programme: ProgrammeSettings, ef: EngineFamily, node: str, profile, sources=None) -> str:
    """What a candidate was computed from: a new profile giving any of the data (STR, Y-STR,
    mtDNA) of the family or the remains makes a new candidate."""
    basis = {
        "settings": programme.fingerprint,
        "remains_profile": profile.pk,
        "donor_profiles": ef.donor_profile_pks(),
        "missing": node,
        "pedigree": [list(r) for r in ef.records],
    }
    others = sorted(p.pk for p in sources.profiles(False)) if sources is not None else []
    if others:  # (absent when one profile gave everything: the bases of before)
        basis["remains_lineage_profiles"] = others
    text = json.dumps(basis, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _json_float(x: float) -> float | str:
    return float(x) if math.isfinite(x) else str(x)


def store_hits(
    hits: list[Hit], programme: ProgrammeSettings, prior: float, justification: str
) -> list[MatchCandidate]:
    """Record the hits as candidates (once per pair and basis); returns the new ones."""
    import numpy as np

    from nasab import __version__
    from nasab.engine.lr import posterior

    if not hits:
        return []
    from . import lineage

    table = programme.frequency_table
    wanted = {}
    for h in hits:
        person = h.family.persons[h.node]
        basis = _basis(programme, h.family, h.node, h.profile, h.sources)
        wanted[(h.unit.pk, person.pk, basis)] = h
    existing = set(
        MatchCandidate.objects.filter(basis__in=[k[2] for k in wanted]).values_list(
            "remains_id", "person_id", "basis"
        )
    )
    new = []
    for key, h in wanted.items():
        if key in existing:
            continue
        lr = 10.0**h.log10_lr if h.log10_lr < 308 else math.inf
        post = float(posterior(np.array([h.log10_lr]), prior)[0])
        used = h.remains_samples() + h.family.donor_samples()
        new.append(
            (
                h,
                MatchCandidate(
                    remains_id=key[0],
                    person_id=key[1],
                    basis=key[2],
                    programme_settings=programme,
                    likelihood_ratio=lr if math.isfinite(lr) else 1e308,
                    log10_lr=h.log10_lr,
                    prior=prior,
                    posterior=min(max(post, 0.0), 1.0),
                    engine_version=f"nasab {__version__}",
                    frequency_table=table.name[:120],
                    frequency_table_version=f"sha256:{table.sha256[:32]}",
                    prior_justification=justification,
                    n_markers=h.n_markers,
                    n_inconsistent=h.n_inconsistent,
                    family_kind=h.kind,
                    marker_log10_lrs={m: _json_float(v) for m, v in h.marker_log10.items()},
                    samples_used=used,
                    **lineage.candidate_fields(h, programme),
                ),
            )
        )
    # two runs at once (two workers) may record the same pair and basis: the second one's
    # rows are skipped by the unique constraint, and both read back the same rows
    MatchCandidate.objects.bulk_create([c for _, c in new], ignore_conflicts=True)
    by_basis = {
        c.basis: c for c in MatchCandidate.objects.filter(basis__in=[c.basis for _, c in new])
    }
    made = [by_basis[c.basis] for _, c in new]
    through = MatchCandidate.donors.through
    links = []
    for h, c in new:
        cand = by_basis[c.basis]
        links += [
            through(matchcandidate_id=cand.pk, relative_id=rel.pk)
            for rel, _ in h.family.donors.values()
        ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    # the same pair computed before from other data is no longer the current figure
    fresh = {(c.remains_id, c.person_id): c.pk for c in made}
    remains_ids = sorted({k[0] for k in fresh})
    stale = []
    for i in range(0, len(remains_ids), 500):
        stale += [
            pk
            for pk, r, p in MatchCandidate.objects.filter(
                current=True, remains_id__in=remains_ids[i : i + 500]
            ).values_list("pk", "remains_id", "person_id")
            if fresh.get((r, p), pk) != pk
        ]
    for i in range(0, len(stale), 500):
        MatchCandidate.objects.filter(pk__in=stale[i : i + 500]).set_state(current=False)
    return made


def _marker_values(store, row: int, codes) -> dict[str, float]:
    """Per-marker log10 LRs of one compiled row at a remains' codes (the store's arrays are
    mapped once per store object)."""
    exact = getattr(store, "_exact_map", None)
    if exact is None or exact.shape[0] != len(store.rows):
        exact, _ = store.arrays()
        store._exact_map = exact
    vals = exact[row][codes]
    return {m: float(v) for m, v in zip(store.meta["markers"], vals, strict=True)}


def _row_index(store) -> dict[tuple[str, str], int]:
    return {(f, p): i for i, (f, p, a) in enumerate(store.rows) if a}


# --- the full run ----------------------------------------------------------------------------
@dataclass
class RunReport:
    families: int = 0
    missing: int = 0
    remains: int = 0
    pairs: int = 0
    created: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    joint: str = ""
    where: str = ""  # where it compiled: "N process(es)" or the Dask scheduler

    def describe(self) -> str:
        lines = [
            f"{self.families} families ({self.missing} missing persons) x {self.remains} "
            f"remains: {self.pairs} pairs at or above the threshold, {self.created} new "
            "match candidates"
        ]
        if self.joint:
            lines.append(f"joint identification: {self.joint}")
        lines += [f"problem: {p}" for p in self.problems]
        if self.where:
            lines.append(f"compiled on {self.where}")
        if self.seconds:
            lines.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()))
        return "\n".join(lines)


def compute_where(workers: int | None = None, dask: str | None = None) -> tuple[int, str | None]:
    """Where a full run compiles: ``workers`` processes (a local Dask cluster when above 1)
    or the Dask scheduler at ``dask``; unset, the site's ``NASAB_MATCHING_WORKERS`` and
    ``NASAB_MATCHING_DASK``. The results are the same (the chunks do not depend on it)."""
    from nasab.engine.errors import InputError

    if workers is None:
        workers = getattr(django_settings, "NASAB_MATCHING_WORKERS", 1)
    if dask is None:
        dask = getattr(django_settings, "NASAB_MATCHING_DASK", None)
    if not isinstance(workers, int) or workers < 1:
        raise InputError(f"the number of matching workers must be 1 or more, not {workers!r}")
    return workers, dask or None


def full_run(progress=None, *, workers: int | None = None, dask: str | None = None) -> RunReport:
    """Compile every family and score every remains with the settings in force; switch the
    store to the new generation; record the candidates; then apply what changed meanwhile.
    ``workers`` / ``dask``: see :func:`compute_where`."""
    from nasab.search.data import Loaded, Problem, Remains
    from nasab.search.run import SearchConfig, search_data
    from nasab.search.store import Store

    workers, dask = compute_where(workers, dask)
    t0 = time.perf_counter()
    started = timezone.now()
    programme = active_settings()
    table = engine_table(programme.frequency_table)
    cutoff = ScoringRequest.objects.aggregate(m=Max("id"))["m"] or 0
    families, problems = collect_families(table, lineage=True)
    rem_problems: list[str] = []
    rem = remains_profiles(table, programme, lineage=True, problems=rem_problems)
    problems = problems + rem_problems
    report = RunReport(
        families=len(families),
        remains=len(rem),
        problems=list(problems),
        where=f"Dask scheduler {dask}" if dask else f"{workers} process(es)",
    )
    keys = {k for ef in families for g in ef.data.family.genotypes.values() for k in g}
    markers = [m.name for k, m in table.markers.items() if k in keys]
    if not families:
        report.problems.append("no family has a usable donor profile")
    loaded = Loaded(
        markers, [ef.data for ef in families], [Problem("registry", None, "", p) for p in problems]
    )
    remains = Remains(
        [e.engine.id for e in rem], ["" for _ in rem], [e.engine for e in rem], [0] * len(rem)
    )
    n_missing = sum(len(ef.persons) for ef in families)
    prior, justification = _prior(programme, n_missing)
    root = store_root()
    root.mkdir(parents=True, exist_ok=True)
    gen = root / f"gen-{timezone.now():%Y%m%dT%H%M%S}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    report.seconds["collect"] = time.perf_counter() - t0
    if not families or not markers:
        return report
    gen.mkdir()
    (gen / ".building").touch()
    cfg = SearchConfig(
        families="registry",
        remains="registry",
        out=None,
        threshold=programme.threshold,
        mutation=programme.mutation_model,
        default_rate=programme.default_mutation_rate,
        prior=prior,
        on_error="skip",
        store=gen / "store",
        theta=programme.theta,
        chunk=500,
        workers=workers,
        dask=dask,
        lineage=lineage_options(programme),
    )
    try:
        result = search_data(
            cfg, table, loaded, remains, extra_classes=drop_classes(programme), progress=progress
        )
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    report.seconds.update({k: round(v, 3) for k, v in result.timings.items()})
    report.missing = result.n_missing
    report.problems += [str(p) for p in result.problems if p.file != "registry"]
    meta = {
        "settings_id": programme.pk,
        "settings_fingerprint": programme.fingerprint,
        "prior": prior,
        "prior_justification": justification,
        "markers": markers,
        "table": result.table,
        "created_at": timezone.now().isoformat(),
        "n_missing": result.n_missing,
        "n_remains": result.n_remains,
        "search": result.metadata,
    }
    from nasab.formats.io import write_text_atomic

    write_text_atomic(gen / REGISTRY_META, json.dumps(meta, indent=1))
    (gen / ".building").unlink()
    t1 = time.perf_counter()
    store = Store.open(gen / "store")
    rows = _row_index(store)
    ids, codes = store.remains()
    code_of = {r: codes[j] for j, r in enumerate(ids)}
    by_name = {ef.name: ef for ef in families}
    by_id = {e.engine.id: e for e in rem}
    m = result.matches
    hits = []
    for i in range(len(m["remain_id"])):
        ef = by_name[m["family_id"][i]]
        unit, prof, _, sources = by_id[m["remain_id"][i]]
        node = m["missing_id"][i]
        hits.append(
            Hit(
                ef,
                node,
                unit,
                prof,
                m["log10_lr"][i],
                _marker_values(store, rows[(ef.name, node)], code_of[m["remain_id"][i]]),
                m["n_markers"][i],
                m["n_inconsistent"][i],
                m["kind"][i],
                _parts(m, i, programme),
                sources,
            )
        )
    # a consent withdrawn while the run compiled: that family's pairs are not recorded from
    # this run (its own scoring request recompiles it without the donor, after the switch)
    still = set(_usable().filter(sample__remains__isnull=True).values_list("pk", flat=True))
    stale = {h.family.name for h in hits if not set(h.family.donor_profile_pks()) <= still}
    if stale:
        hits = [h for h in hits if h.family.name not in stale]
        report.problems += [
            f"{name}: a donor's consent was withdrawn during the run; the "
            "family is recompiled without the donor"
            for name in sorted(stale)
        ]
    report.pairs = len(hits)
    with store_lock():
        (root / f".{POINTER}.tmp").write_text(gen.name, encoding="utf-8")
        os.replace(root / f".{POINTER}.tmp", root / POINTER)
        with transaction.atomic():
            made = store_hits(hits, programme, prior, justification)
            report.created = len(made)
            kept = {
                (c.remains_id, c.person_id)
                for c in MatchCandidate.objects.filter(
                    basis__in=[
                        _basis(programme, h.family, h.node, h.profile, h.sources) for h in hits
                    ]
                )
            }
            _supersede_missing_pairs(
                kept,
                f"not found again by the full run of {meta['created_at'][:19]}"
                f" (settings {programme.pk})",
            )
            ScoringRequest.objects.filter(id__lte=cutoff, done_at__isnull=True).update(
                done_at=timezone.now()
            )
        for old in root.glob("gen-*"):
            building = old / ".building"
            if (
                old == gen
                or not old.is_dir()
                or (building.exists() and time.time() - building.stat().st_mtime < 86400)
            ):
                continue  # another run still compiling there
            shutil.rmtree(old, ignore_errors=True)
    report.seconds["record"] = round(time.perf_counter() - t1, 3)
    # full runs queued (by changes that needed one) before this run started are done by it
    MatchingJob.objects.filter(
        status=JobStatus.QUEUED, kind="full", created_at__lt=started, requested_by__isnull=True
    ).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        result=f"Done by the full run of {meta['created_at'][:19]}.",
    )
    from . import followups

    followups.schedule(f"full run of {meta['created_at'][:19]}")
    process_pending()
    return report


def _parts(m: dict, i: int, programme: ProgrammeSettings):
    """A match's autosomal, Y and mtDNA log10 LRs (the search's columns; without lineage
    columns in the matches, all autosomal) when the settings have a lineage database."""
    if not programme.uses_lineage:
        return None
    if "log10_lr_autosomal" not in m:
        return (m["log10_lr"][i], 0.0, 0.0)
    return (m["log10_lr_autosomal"][i], m["log10_lr_Y"][i], m["log10_lr_mtDNA"][i])


def _supersede_missing_pairs(kept: set, reason: str, among=None) -> None:
    """Current candidates (of ``among``, a queryset; all by default) whose pair the new
    computation did not find any more stop being current; those already under decision are
    flagged for review."""
    among = MatchCandidate.objects.all() if among is None else among
    stale = [
        c
        for c in among.filter(current=True).only("pk", "remains_id", "person_id")
        if (c.remains_id, c.person_id) not in kept
    ]
    if not stale:
        return
    pks = [c.pk for c in stale]
    MatchCandidate.objects.filter(pk__in=pks).set_state(current=False)
    MatchCandidate.objects.filter(pk__in=pks, identification__isnull=False).exclude(
        identification__status="excluded"
    ).set_state(needs_review=True, review_reason=reason)


# --- incremental changes ---------------------------------------------------------------------
def request(kind: str, key: str, reason: str = "") -> ScoringRequest:
    return ScoringRequest.objects.create(kind=kind, key=key, reason=reason[:255])


def queue_full_run(reason: str) -> MatchingJob:
    """A full run job, unless one is already queued (then that one)."""
    job = MatchingJob.objects.filter(status=JobStatus.QUEUED, kind="full").first()
    if job is None:
        job = MatchingJob.objects.create(kind="full", parameters={"reason": reason})
    return job


def process_pending(limit: int | None = None, lock_timeout: float | None = 10.0) -> dict:
    """Apply pending scoring requests in order (remains first for a batch of imports).
    Requests that need a full run stay pending and a full run is queued."""
    out = {"done": 0, "waiting": 0, "errors": 0}
    pending = list(ScoringRequest.objects.filter(done_at__isnull=True).order_by("id")[:limit])
    if not pending:
        return out
    programme = active_settings()
    try:
        with store_lock(lock_timeout):
            try:
                store, meta = _open_store(programme)
            except StoreUnavailable as exc:
                queue_full_run(str(exc))
                out["waiting"] = len(pending)
                return out
            table = engine_table(programme.frequency_table)
            remains_keys = sorted({r.key for r in pending if r.kind == ScoringRequest.REMAINS})
            family_keys = sorted({r.key for r in pending if r.kind == ScoringRequest.FAMILY})
            blocked: dict[str, str] = {}
            if family_keys:
                blocked.update(_update_families(store, meta, programme, table, family_keys))
            if remains_keys:
                blocked.update(_score_remains(store, meta, programme, table, remains_keys))
            if store.meta.get("n_indexed", 0) < 0.8 * len(store.rows):
                store.build_index()
    except TimeoutError:
        out["waiting"] = len(pending)
        return out
    now = timezone.now()
    needs_run = []
    for r in pending:
        why = blocked.get(f"{r.kind}:{r.key}")
        if why is None:
            ScoringRequest.objects.filter(pk=r.pk).update(done_at=now)
            out["done"] += 1
        elif why[1]:  # outside the compiled model: waits for the full run that extends it
            ScoringRequest.objects.filter(pk=r.pk).update(error=why[0][:2000])
            needs_run.append(why[0])
            out["waiting"] += 1
        else:  # bad data (a contradictory pedigree...): said on the request, not retried
            ScoringRequest.objects.filter(pk=r.pk).update(done_at=now, error=why[0][:2000])
            out["errors"] += 1
    if needs_run:
        queue_full_run("; ".join(sorted(set(needs_run)))[:500])
    if out["done"]:
        from . import followups

        followups.schedule(f"{out['done']} change(s) scored")
    return out


OUTSIDE_MODEL = "outside the compiled model"


def _why(message: str) -> tuple[str, bool]:
    return message, OUTSIDE_MODEL in message


def _hit(store, layout, table, ef: EngineFamily, node: str, found: tuple, code, row: int) -> Hit:
    """A stored pair as a hit: ``found`` is (remains unit, its profile, the store's
    :class:`~nasab.search.store.Found`); the per-marker values, markers compared and
    inconsistent from the store and the engine."""
    from nasab.search.engine import compare_markers

    unit, prof, f, sources = found
    return Hit(
        ef,
        node,
        unit,
        prof,
        f.log10_lr,
        _marker_values(store, row, code),
        int(compare_markers(layout, code[None, :])[0]),
        _inconsistent(store, table, ef, node, code),
        _kind(ef, node),
        (f.autosomal, f.y, f.mtdna) if store.lineage is not None else None,
        sources,
    )


def _score_remains(store, meta, programme, table, codes: list[str]) -> dict[str, str]:
    from nasab.engine.errors import InputError

    units = list(RemainsUnit.objects.filter(code__in=codes))
    problems: list[str] = []
    rem = remains_profiles(table, programme, units, lineage=True, problems=problems)
    log10_t = math.log10(programme.threshold)
    layout = store.layout
    rows = _row_index(store)
    blocked = {}
    hits_by_unit = []
    for unit, prof, p, sources in rem:
        try:
            found = store.search_remain(p, log10_t)
            c = layout.codes([p])
        except InputError as exc:
            blocked[f"remains:{unit.code}"] = _why(f"remains {unit.code}: {exc}")
            continue
        store.add_remains([p.id], c, [p])
        hits_by_unit.append((unit, prof, sources, c[0], found))
    owners = {f.family for *_, found in hits_by_unit for f in found}
    families = {
        ef.name: ef
        for ef in collect_families(
            table, MissingPerson.objects.filter(case_number__in=owners), lineage=True
        )[0]
    }
    hits, waiting = [], set()
    for unit, prof, sources, code, found in hits_by_unit:
        for f in found:
            ef = families.get(f.family)
            if ef is None or f.person not in ef.persons:
                waiting.add(unit.pk)
                continue  # the family changed since; its own request rescoring follows
            row = rows[(f.family, f.person)]
            pair = (unit, prof, f, sources)
            hits.append(_hit(store, layout, table, ef, f.person, pair, code, row))
    with transaction.atomic():
        store_hits(hits, programme, meta["prior"], meta["prior_justification"])
        # pairs of the rescored remains that their data no longer keep (a new mtDNA extract
        # that excludes the line): not current any more (those under decision flagged)
        scored = [u.pk for u, *_ in hits_by_unit if u.pk not in waiting]
        kept = {(h.unit.pk, h.family.persons[h.node].pk) for h in hits}
        _supersede_missing_pairs(
            kept,
            "not found again when the remains' data changed",
            MatchCandidate.objects.filter(remains__in=scored),
        )
    for unit in units:  # scored without the system its profiles disagree on: said
        for p in problems:
            if p.startswith(f"remains {unit.code}: "):
                blocked.setdefault(f"remains:{unit.code}", _why(p))
    return blocked


def _update_families(store, meta, programme, table, case_numbers: list[str]) -> dict[str, str]:
    from nasab.engine.errors import NasabError

    owners = list(MissingPerson.objects.filter(case_number__in=case_numbers))
    families, problems = collect_families(table, owners, lineage=True)
    by_name = {ef.name: ef for ef in families}
    blocked = {}
    log10_t = math.log10(programme.threshold)
    ids, codes = store.remains()
    live = _live_remains_ids()
    for owner in owners:
        ef = by_name.get(owner.case_number)
        if ef is None:
            store.deactivate(owner.case_number)  # no usable donor left
            found = []
        else:
            try:
                found = store.update_family(ef.data, log10_t)
            except NasabError as exc:
                blocked[f"family:{owner.case_number}"] = _why(f"family {owner.case_number}: {exc}")
                continue
        rows = _row_index(store)
        code_of = {r: codes[j] for j, r in enumerate(ids)}
        layout = store.layout
        hits = []
        for f in found:
            if f.remain not in live:
                continue  # a remains profile replaced or rejected since it was stored
            unit, prof, _, sources = live[f.remain]
            row = rows[(f.family, f.person)]
            code = code_of[f.remain]
            pair = (unit, prof, f, sources)
            hits.append(_hit(store, layout, table, ef, f.person, pair, code, row))
        with transaction.atomic():
            made = store_hits(hits, programme, meta["prior"], meta["prior_justification"])
            persons = [p.pk for p in (ef.persons.values() if ef else [owner])]
            kept = {(c.remains_id, c.person_id) for c in made} | {
                (h.unit.pk, h.family.persons[h.node].pk) for h in hits
            }
            # also the candidates of a person who is no longer missing in this pedigree
            # (computed with its donors)
            stale = (
                MatchCandidate.objects.filter(
                    Q(person_id__in=persons) | Q(donors__person=owner), current=True
                )
                .exclude(pk__in=[c.pk for c in made])
                .distinct()
            )
            for c in stale:
                if (c.remains_id, c.person_id) not in kept:
                    MatchCandidate.objects.filter(pk=c.pk).set_state(current=False)
    for p in problems:  # (a family updated without a lineage system keeps a waiting block)
        blocked.setdefault(f"family:{p.split(':', 1)[0]}", _why(p))
    return blocked


def _live_remains_ids() -> dict[str, RemainsEntry]:
    """Engine id -> the remains entry of the remains profiles in use now (the ids name the
    profiles giving the lineage data too, as the store's do)."""
    programme = active_settings()
    table = engine_table(programme.frequency_table)
    return {e.engine.id: e for e in remains_profiles(table, programme, lineage=True)}


def _kind(ef: EngineFamily, node: str) -> str:
    from nasab.search.engine import family_kind

    return family_kind(ef.data.family, node)


def _inconsistent(store, table, ef: EngineFamily, node: str, code) -> int | None:
    """Markers where the remains are impossible for the missing person without mutation
    (the engine's count, on the store's allele lists)."""
    from nasab.search.data import FamilyData
    from nasab.search.engine import inconsistent_counts

    tab = _store_table(store, table)
    fd = FamilyData(ef.data.family, [node], 0)
    return inconsistent_counts({ef.name: fd}, store.layout, tab, [(ef.name, node, code)])[0]


def _store_table(store, table):
    """The frequency table with the store's allele lists (the table extended as compiled)."""
    import copy

    import numpy as np

    from nasab.engine.frequencies import MarkerFrequencies, marker_key

    tab = copy.copy(table)
    tab.markers = dict(table.markers)
    tab.model_cache = {}
    for m, al, fr in zip(
        store.meta["markers"], store.meta["alleles"], store.meta["freqs"], strict=True
    ):
        tab.markers[marker_key(m)] = MarkerFrequencies(m, list(al), np.asarray(fr))
    return tab


# --- hooks: what changes the store -----------------------------------------------------------
def remains_profile_changed(unit: RemainsUnit, reason: str = "") -> None:
    request(ScoringRequest.REMAINS, unit.code, reason)


def family_changed(person: MissingPerson, reason: str = "") -> None:
    owner = person
    place = Relative.objects.filter(missing_person=person).select_related("person").first()
    if place is not None:
        owner = place.person
    request(ScoringRequest.FAMILY, owner.case_number, reason)


@transaction.atomic
def donor_withdrew(relative: Relative, reason: str = "") -> int:
    """Flag every current candidate whose LR used this donor, and recompile the family
    without the donor's profile. Returns the number flagged."""
    when = timezone.now()
    text = (
        f"Donor {relative.name_latin or relative.name_ar} (relative {relative.pk}, "
        f"{relative.get_claimed_relationship_display()}) withdrew consent on "
        f"{when:%Y-%m-%d %H:%M}; this likelihood ratio used their profile. "
        "Recomputed without it (see the current candidate for this pair, if any)."
    )
    flagged = MatchCandidate.objects.filter(donors=relative, needs_review=False)
    n = flagged.set_state(needs_review=True, review_reason=text)
    family_changed(relative.person, reason or f"consent withdrawn by relative {relative.pk}")
    return n
