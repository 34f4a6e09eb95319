"""Familias ``.fam`` files: import into nasab's model and export back.

The layout is described in ``docs/familias-fam-format.md``. In short, a ``.fam`` file is a
line-oriented text file: a header (line 3 holds the Familias version), the persons with their
genotypes (allele and marker *indices*), the known relations and the alternative pedigrees
(parent/child index pairs), the frequency database with each locus' mutation model, and
then INI-like sections (``[DVI]``, ``[Prior]``, ``[Advanced]`` ...).

:func:`read_fam` returns a :class:`FamiliasProject`; :func:`write_fam` writes one back.
Whatever nasab cannot represent is refused with an :class:`~nasab.engine.errors.InputError` that
names the file, the line and what is unsupported; nothing is dropped silently. Settings
are kept as plain fields and written back unchanged: database sizes, minor allele
frequencies and the ``[Advanced]`` options (which nasab does not compute with), and each
locus' dropout probability and silent allele frequency and the persons flagged
"(Consider dropouts)", which :mod:`nasab.formats.familias_convert` turns into nasab's dropout
models and silent allele. A genotype index one past a locus' alleles is its silent allele,
read as the allele ``silent`` (:data:`SILENT`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, canonical_allele, marker_key
from nasab.engine.genotypes import Family, Genotype, Profile, is_typed
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import SILENT_LABELS
from nasab.engine.pedigree import FEMALE, MALE, UNKNOWN_SEX, Pedigree, Person

SUPPORTED_MAJOR = 3
TRUE, FALSE = "#TRUE#", "#FALSE#"

# Familias' integer codes of the mutation models (female and male are coded separately).
FAMILIAS_MODELS = {
    0: "Equal",
    1: "Proportional",
    2: "Stepwise (unstationary)",
    3: "Stepwise (stationary)",
    4: "Extended stepwise",
}
# nasab model and stationary transformation for each code (as pedFamilias' readFam).
_NASAB_MODEL = {0: ("equal", None), 1: ("proportional", None), 2: ("stepwise", None),
                3: ("stepwise", "PM"), 4: ("stepwise", None)}
SILENT = SILENT_LABELS[0]  # a genotype's silent allele ("silent", as nasab's engine reads it)
REFERENCE_PEDIGREE = "Reference pedigree"
MISSING_PERSON = "Missing person"
_GENDER = {"male": MALE, "female": FEMALE, "unknown": UNKNOWN_SEX}
_GENDER_NAME = {MALE: "Male", FEMALE: "Female", UNKNOWN_SEX: "Unknown"}


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------
@dataclass
class FamPerson:
    """A person of the persons section (or of a DVI family)."""

    id: str
    sex: int
    genotypes: dict[str, Genotype] = field(default_factory=dict)  # marker_key -> genotype
    birth: str = "-1"  # the birth-year field as written; -1 = not given
    consider_dropout: bool = False
    flags: tuple[bool, bool] = (False, False)  # two undocumented booleans, kept verbatim
    line: int | None = field(default=None, compare=False)


@dataclass
class FamPedigree:
    """One alternative pedigree (a hypothesis) of a case."""

    name: str
    family: Family  # all persons, the relations, the typed data
    relations: list[tuple[str, str]] = field(default_factory=list)  # (parent, child), own
    extras: list[tuple[str, int]] = field(default_factory=list)  # extra (id, sex) persons
    added: list[str] = field(default_factory=list)  # parents nasab added (one-parent child)


@dataclass
class LocusInfo:
    """Familias' settings of one locus of the database."""

    name: str
    codes: tuple[int, int]  # Familias model codes (female, male)
    mutation: MutationSpec  # what nasab computes with
    n_alleles_field: int  # the allele count written before the ranges (with the silent one)
    # The parameters as written: rate f/m, range f/m, rate2 f/m (Familias keeps range and
    # rate2 for every model; nasab's spec holds them only where the model uses them).
    params: tuple[float, float, float, float, float, float] = (0, 0, 0.5, 0.5, 0, 0)
    database_size: int | None = None
    dropout: float | None = None
    maf: float | None = None
    silent: bool = False
    silent_frequency: float = 0.0


@dataclass
class DVIFamily:
    """A reference family of the DVI module: its persons and alternative pedigrees."""

    name: str
    persons: list[FamPerson]
    pedigrees: list[FamPedigree]
    missing: list[str]  # names used in relations but not listed as persons

    @property
    def family(self) -> Family:
        """The family's pedigree: the first not called 'Reference pedigree' (Familias
        writes the reference pedigree, then the family's), else the first."""
        others = [p for p in self.pedigrees if p.name != REFERENCE_PEDIGREE]
        return (others or self.pedigrees)[0].family

    def distinct_pedigrees(self) -> list[FamPedigree]:
        """Pedigrees with different relations (Familias stores the reference pedigree and
        the family's pedigree as two identical copies)."""
        out: list[FamPedigree] = []
        for p in self.pedigrees:
            if not any(_same_structure(p.family.pedigree, q.family.pedigree) for q in out):
                out.append(p)
        return out


@dataclass
class DVIData:
    unidentified: list[Profile] = field(default_factory=list)
    families: dict[str, DVIFamily] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines of [[Notes]] after nFamilies


@dataclass
class FamiliasProject:
    """Everything a ``.fam`` file holds, in nasab's terms."""

    version: str
    persons: list[FamPerson]
    pedigrees: list[FamPedigree]
    markers: list[str]  # locus names in database order
    table: FrequencyTable
    loci: dict[str, LocusInfo]  # marker_key -> settings
    theta: float = 0.0
    database_name: str | None = "unknown"
    known_relations: list[tuple[str, str]] = field(default_factory=list)
    known_extras: list[tuple[str, int]] = field(default_factory=list)
    dvi: DVIData | None = None
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # [Advanced] ...
    header: tuple[str, str] = ("Output from Familias, version {version}",
                               "(written by nasab)")
    comment: str | None = ""  # the quoted line 4 ('""'); None when the file has none
    source: str = ""

    @property
    def mutations(self) -> dict[str, MutationSpec]:
        return {info.name: info.mutation for info in self.loci.values()}

    @property
    def is_dvi(self) -> bool:
        return self.dvi is not None

    @property
    def dropout(self) -> dict[str, float | None]:
        """Dropout probability per marker (Familias' database setting)."""
        return {info.name: info.dropout for info in self.loci.values()}

    @property
    def consider_dropout(self) -> list[str]:
        """Persons whose profiles Familias is told may have dropouts."""
        return [p.id for p in self.persons if p.consider_dropout]

    @property
    def silent_frequencies(self) -> dict[str, float]:
        """Silent allele frequency per marker that has a silent allele."""
        return {i.name: i.silent_frequency for i in self.loci.values() if i.silent}

    def person(self, pid: str) -> FamPerson:
        for p in self.persons:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def setting(self, section: str, key: str) -> str | None:
        """A value of the trailing INI sections, e.g. ``setting('Direct/Identity',
        'Dropout')``."""
        for name, lines in self.sections:
            current = name
            for ln in lines:
                m = re.fullmatch(r"(\[+)(.*?)(\]+)", ln.strip())
                if m:
                    current = m.group(2)
                    continue
                k, sep, v = ln.partition("=")
                if sep and current == section and k.strip() == key:
                    return v.strip()
        return None

    def to_dict(self) -> dict:
        """A plain, comparable description of the whole model (for round-trip checks)."""
        def fam(f: Family) -> dict:
            return {"persons": [(p.id, p.father, p.mother, p.sex) for p in f.pedigree.persons],
                    "genotypes": _genos(f.genotypes)}

        def peds(ps: list[FamPedigree]) -> list:
            return [{"name": p.name, "family": fam(p.family), "relations": p.relations,
                     "extras": p.extras, "added": p.added} for p in ps]

        def persons(ps: list[FamPerson]) -> list:
            return [(p.id, p.sex, dict(sorted(p.genotypes.items())), p.birth, p.consider_dropout,
                     p.flags) for p in ps]

        out = {
            "version": self.version, "persons": persons(self.persons),
            "pedigrees": peds(self.pedigrees), "markers": self.markers,
            "frequencies": {k: (m.name, list(m.alleles), [float(x) for x in m.freqs])
                            for k, m in self.table.markers.items()},
            "loci": {k: (v.name, v.codes, v.mutation, v.params, v.n_alleles_field,
                         v.database_size,
                         v.dropout, v.maf, v.silent, v.silent_frequency)
                     for k, v in self.loci.items()},
            "theta": self.theta, "database_name": self.database_name,
            "known_relations": self.known_relations, "known_extras": self.known_extras,
            "sections": self.sections, "comment": self.comment,
        }
        if self.dvi is not None:
            out["dvi"] = {
                "unidentified": [(u.id, u.sex, dict(sorted(u.genotypes.items())))
                                 for u in self.dvi.unidentified],
                "families": {n: {"persons": persons(f.persons), "pedigrees": peds(f.pedigrees),
                                 "missing": f.missing} for n, f in self.dvi.families.items()},
                "notes": self.dvi.notes,
            }
        return out


def _genos(g: dict[str, dict[str, Genotype]]) -> dict:
    return {pid: dict(sorted(d.items())) for pid, d in sorted(g.items()) if d}


def _same_structure(a: Pedigree, b: Pedigree) -> bool:
    return ({(p.id, p.father, p.mother, p.sex) for p in a.persons}
            == {(p.id, p.father, p.mother, p.sex) for p in b.persons})


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------
class _Lines:
    """A cursor over the file's lines that reports the line of every problem."""

    def __init__(self, lines: list[str], source: str) -> None:
        self.lines = lines
        self.source = source
        self.i = 0  # index of the next line

    @property
    def lineno(self) -> int:
        """Number (1-based) of the line last read."""
        return self.i

    def error(self, message: str, line: int | None = None, field: str | None = None) -> InputError:
        return InputError(message, file=self.source, line=line or self.lineno, field=field)

    def next(self, what: str) -> str:
        if self.i >= len(self.lines):
            raise InputError(f"the file ends early (truncated?): expected {what}",
                             file=self.source, line=len(self.lines) + 1)
        self.i += 1
        return self.lines[self.i - 1].strip()

    def peek(self) -> str | None:
        return self.lines[self.i].strip() if self.i < len(self.lines) else None

    def quoted(self, what: str) -> str:
        s = self.next(what)
        if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
            return s[1:-1]
        raise self.error(f"expected {what} in double quotes, found {s!r}")

    def integer(self, what: str, lo: int | None = 0, hi: int | None = None) -> int:
        s = self.next(what)
        try:
            v = int(s)
        except ValueError:
            raise self.error(f"expected {what} (an integer), found {s!r}") from None
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            rng = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
            raise self.error(f"{what} must be {rng}, not {v}")
        return v

    def number(self, what: str) -> float:
        return self.parse_number(self.next(what), what)

    def parse_number(self, s: str, what: str) -> float:
        t = s.replace(",", ".") if "," in s and "." not in s else s
        try:
            v = float(t)
        except ValueError:
            raise self.error(f"expected {what} (a number), found {s!r}") from None
        if not np.isfinite(v):
            raise self.error(f"{what} must be a finite number, not {s!r}")
        return v

    def boolean(self, what: str) -> bool:
        s = self.next(what)
        if s not in (TRUE, FALSE):
            raise self.error(f"expected {what} ({TRUE} or {FALSE}), found {s!r}")
        return s == TRUE


def _decode(path: Path) -> tuple[list[str], str]:
    """The file's lines: UTF-8 (as pedFamilias writes), else Windows-1252 (Familias on
    Windows)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=str(path)) from None
    if b"\x00" in data:
        raise InputError("binary content (NUL bytes): not a Familias .fam text file",
                         file=str(path))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).splitlines(), str(path)
        except UnicodeDecodeError:
            continue
    raise InputError("neither UTF-8 nor Windows-1252 text", file=str(path))


_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)*\s*(\(DVI\))?")


def _check_version(cur: _Lines) -> tuple[str, bool]:
    s = cur.next("the Familias version")
    m = _VERSION.fullmatch(s)
    if not m:
        raise cur.error(f"unknown Familias version {s!r}: expected a version number like "
                        "3.3.1 on line 3", field="version")
    if int(m.group(1)) != SUPPORTED_MAJOR:
        raise cur.error(f"Familias version {s} is not supported: nasab reads .fam files of "
                        f"Familias {SUPPORTED_MAJOR}.x", field="version")
    version = s[: m.start(4)].strip() if m.group(4) else s
    return version, bool(m.group(4))


def read_fam(path: str | Path) -> FamiliasProject:
    """Read a Familias ``.fam`` file (Familias 3.x, with or without a DVI section)."""
    path = Path(path)
    lines, src = _decode(path)
    cur = _Lines(lines, src)
    h1 = cur.quoted("the header line 'Output from Familias, version ...'")
    if "familias" not in h1.lower():
        raise cur.error(f"not a Familias .fam file: line 1 is {h1!r}")
    h2 = cur.quoted("the second header line")
    version, dvi_flag = _check_version(cur)
    comment: str | None = None
    nxt = cur.peek()
    if nxt is not None and nxt.startswith('"'):
        comment = cur.quoted("the comment line")

    # --- persons ------------------------------------------------------------------------
    n_persons = cur.integer("the number of persons")
    persons: list[FamPerson] = []
    raw_genos: list[list[tuple[int, int, int, int]]] = []
    seen: dict[str, int] = {}
    for _ in range(n_persons):
        name = cur.quoted("a person's name")
        line = cur.lineno
        if not name:
            raise cur.error("empty person name")
        if name in seen:
            raise cur.error(f"person {name!r} appears twice (first on line {seen[name]})")
        seen[name] = line
        flag1 = cur.boolean(f"the first flag of {name!r}")
        birth = cur.next(f"the birth year of {name!r}")
        m = re.fullmatch(r"(-?\d+)\s*(\(Consider dropouts\))?", birth)
        if not m:
            raise cur.error(f"expected the birth year of {name!r} (-1 if not given), "
                            f"optionally followed by '(Consider dropouts)', found {birth!r}")
        flag2 = cur.boolean(f"the second flag of {name!r}")
        male = cur.boolean(f"the sex of {name!r} ({TRUE} male, {FALSE} female)")
        k = cur.integer(f"the number of typed markers of {name!r}")
        triples = []
        for _ in range(k):
            a1 = cur.integer(f"an allele index of {name!r}", lo=-1)
            a2 = cur.integer(f"an allele index of {name!r}", lo=-1)
            mi = cur.integer(f"a marker index of {name!r}")
            triples.append((a1, a2, mi, cur.lineno))
        raw_genos.append(triples)
        persons.append(FamPerson(name, MALE if male else FEMALE, {}, m.group(1),
                                 bool(m.group(2)), (flag1, flag2), line))

    # --- known relations and pedigrees ------------------------------------------------
    s = cur.quoted('"Known relations"')
    if s != "Known relations":
        raise cur.error(f'expected "Known relations", found {s!r}')
    ids = [p.id for p in persons]
    sexes = [p.sex for p in persons]
    known_extras = _extras(cur, "extra", ids, sexes)
    known = _relations(cur, ids, sexes, "the known relations")
    n_peds = cur.integer("the number of pedigrees")
    ped_specs = []
    for k in range(n_peds):
        idx = cur.integer("the pedigree's index")
        if idx != k:
            raise cur.error(f"pedigrees must be numbered in order: expected {k}, found {idx}")
        name = cur.quoted("the pedigree's name")
        line = cur.lineno
        pids, psex = list(ids), list(sexes)
        extras = _extras(cur, f"ped{k + 1}_extra", pids, psex)
        rels = _relations(cur, pids, psex, f"pedigree {name!r}")
        ped_specs.append((name, line, pids, psex, extras, rels))

    # --- database -----------------------------------------------------------------------
    s = cur.next("the database line '#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: 0 )'")
    if s.startswith(TRUE):
        raise cur.error("the file holds precomputed pedigree probabilities (#TRUE# here); "
                        "nasab does not read those: save the case in Familias without them")
    if not s.startswith(FALSE):
        raise cur.error(f"expected the database line starting with {FALSE}, found {s!r}")
    mdb = re.search(r"#Databases:\s*(\d+)", s)
    if mdb and int(mdb.group(1)) != 1:
        raise cur.error(f"{mdb.group(1)} databases: nasab reads files with one frequency "
                        "database only", field="#Databases")
    mth = re.search(r"Theta/Kinship/Fst:\s*([^\s)]+)", s)
    theta = cur.parse_number(mth.group(1), "theta") if mth else 0.0
    if not 0 <= theta < 1:
        raise cur.error(f"theta must be in [0, 1), not {theta}", field="Theta/Kinship/Fst")
    n_loci = cur.integer("the number of loci")
    has_name = cur.boolean("whether the database has a name")
    db_name = cur.quoted("the database name") if has_name else None
    markers: list[str] = []
    loci: dict[str, LocusInfo] = {}
    freqs: dict[str, MarkerFrequencies] = {}
    for _ in range(n_loci):
        info, mf, line = _read_locus(cur)
        key = marker_key(info.name)
        if key in loci:
            raise cur.error(f"locus {info.name} appears twice", line=line)
        markers.append(info.name)
        loci[key] = info
        freqs[key] = mf
    table = FrequencyTable(freqs, src, None, _sha(lines))

    # --- genotypes (indices into the database) ----------------------------------------
    for person, triples in zip(persons, raw_genos, strict=True):
        for a1, a2, mi, line in triples:
            if mi >= len(markers):
                raise cur.error(f"marker index {mi} of {person.id!r} is beyond the "
                                f"{len(markers)} loci of the database", line=line)
            key = marker_key(markers[mi])
            if key in person.genotypes:
                raise cur.error(f"{person.id!r} is typed twice for {markers[mi]}", line=line)
            g = tuple(_allele(cur, loci[key], freqs[key], a, person.id, line) for a in (a1, a2))
            if g[0] is None and g[1] is not None:
                g = (g[1], None)
            if is_typed(g):  # type: ignore[arg-type]
                person.genotypes[key] = g  # type: ignore[assignment]

    # --- pedigrees as nasab families ------------------------------------------------------
    genos = {p.id: p.genotypes for p in persons if p.genotypes}
    pedigrees = []
    for name, line, pids, psex, extras, rels in ped_specs:
        pedigree, added = build_pedigree(pids, psex, known + rels, src, line)
        pedigrees.append(FamPedigree(name, Family(pedigree, list(markers), genos, name),
                                     [(a, b) for a, b, _ in rels], extras, added))

    # --- trailing sections: [DVI], [Prior], [Advanced] ... ------------------------------
    sections, dvi = _read_sections(cur, markers)
    if dvi_flag and dvi is None:
        raise cur.error("the version line says (DVI) but the file has no [DVI] section",
                        line=3)
    return FamiliasProject(
        version, persons, pedigrees, markers, table, loci, theta, db_name,
        [(a, b) for a, b, _ in known], known_extras, dvi, sections, (h1, h2), comment, src)


def _sha(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _extras(cur: _Lines, prefix: str, ids: list[str], sexes: list[int]) -> list[tuple[str, int]]:
    n_f = cur.integer("the number of extra females")
    n_m = cur.integer("the number of extra males")
    out = []
    for sex, n, tag in ((FEMALE, n_f, "F"), (MALE, n_m, "M")):
        for i in range(1, n + 1):
            pid = f"{prefix}_{tag}{i}"
            if pid in ids:
                raise cur.error(f"the name {pid!r} nasab gives to an extra person is taken by "
                                "a person of the file; rename that person")
            ids.append(pid)
            sexes.append(sex)
            out.append((pid, sex))
    return out


def _relations(cur: _Lines, ids: list[str], sexes: list[int],
               where: str) -> list[tuple[str, str, int]]:
    n = cur.integer(f"the number of relations of {where}")
    out = []
    for _ in range(n):
        s = cur.next(f"a parent index in {where}")
        if "direct" in s.lower():
            raise cur.error(f"{where} holds a 'Direct' (twin/identity) relation: nasab does "
                            "not support twins in pedigrees")
        try:
            par = int(s)
        except ValueError:
            raise cur.error(f"expected a parent index in {where}, found {s!r}") from None
        line = cur.lineno
        child = cur.integer(f"a child index in {where}")
        for role, v in (("parent", par), ("child", child)):
            if not 0 <= v < len(ids):
                raise cur.error(f"{role} index {v} in {where} is not one of the "
                                f"{len(ids)} persons", line=line)
        out.append((ids[par], ids[child], line))
    return out


def build_pedigree(ids: list[str], sexes: list[int], rels: list[tuple[str, str, int]],
                    src: str, line: int | None) -> tuple[Pedigree, list[str]]:
    """A nasab pedigree from Familias' parent/child pairs; a child with only one parent
    given gets an untyped founder for the other (Familias allows one known parent)."""
    sex = dict(zip(ids, sexes, strict=True))
    parents: dict[str, dict[int, str]] = {}
    where: dict[str, int] = {}
    for par, child, ln in rels:
        s = sex[par]
        if s not in (MALE, FEMALE):
            raise InputError(f"cannot tell whether parent {par!r} of {child!r} is the father "
                             "or the mother (sex unknown)", file=src, line=ln)
        got = parents.setdefault(child, {})
        if s in got and got[s] != par:
            role = "father" if s == MALE else "mother"
            raise InputError(f"{child!r} has two {role}s: {got[s]!r} and {par!r}",
                             file=src, line=ln)
        got[s] = par
        where.setdefault(child, ln)
    persons = []
    added: list[str] = []
    extra: list[Person] = []
    taken = set(ids)
    for pid in ids:
        got = parents.get(pid, {})
        if len(got) == 1:
            (s, _), = got.items()
            want = FEMALE if s == MALE else MALE
            base = f"added_{pid}_{'mother' if want == FEMALE else 'father'}"
            new, k = base, 1
            while new in taken:
                k += 1
                new = f"{base}{k}"
            taken.add(new)
            got = {**got, want: new}
            added.append(new)
            extra.append(Person(new, None, None, want, where[pid]))
        persons.append(Person(pid, got.get(MALE), got.get(FEMALE), sex[pid],
                              where.get(pid, line)))
    return Pedigree(tuple(persons + extra), source=src), added


_INFO = re.compile(r"DatabaseSize\s*=\s*([^\s,)]+)|Dropout probability\s*=\s*([^\s,)]+)"
                   r"|Minor allele frequency\s*=\s*([^\s,)]+)")


def _read_locus(cur: _Lines) -> tuple[LocusInfo, MarkerFrequencies, int]:
    name = cur.quoted("a locus name")
    line = cur.lineno
    if not name:
        raise cur.error("empty locus name")
    rate_f = cur.number(f"the female mutation rate of {name}")
    rate_m = cur.number(f"the male mutation rate of {name}")
    codes = []
    for sex in ("female", "male"):
        s = cur.next(f"the {sex} mutation model code of {name}")
        try:
            c = int(s)
        except ValueError:
            raise cur.error(f"expected the {sex} mutation model code of {name} (0-4), "
                            f"found {s!r}") from None
        if c not in FAMILIAS_MODELS:
            raise cur.error(f"unsupported mutation model code {c} ({sex}) for locus {name}: "
                            "nasab knows Familias' codes 0 Equal, 1 Proportional, 2 Stepwise "
                            "(unstationary), 3 Stepwise (stationary), 4 Extended stepwise",
                            field="mutation model")
        codes.append(c)
    n_field = cur.integer(f"the number of alleles of {name}")
    range_f = cur.number(f"the female mutation range of {name}")
    range_m = cur.number(f"the male mutation range of {name}")
    rate2_f = cur.number(f"the female rate2 of {name}")
    rate2_m = cur.number(f"the male rate2 of {name}")
    silent = cur.boolean(f"whether {name} has a silent allele")
    silent_freq = cur.number(f"the silent allele frequency of {name}")
    if not 0 <= silent_freq < 1:
        raise cur.error(f"silent allele frequency {silent_freq} of {name} must be in [0, 1)")
    s = cur.next(f"the allele count and database information of {name}")
    head, _, rest = s.partition("\t")
    if not rest and " " in s:
        head, _, rest = s.partition(" ")
    try:
        n_alleles = int(head)
    except ValueError:
        raise cur.error(f"expected the number of alleles of {name}, found {s!r}") from None
    if n_alleles < 1:
        raise cur.error(f"locus {name} has no alleles")
    if n_field not in (n_alleles, n_alleles + 1):
        raise cur.error(f"locus {name}: the allele counts {n_field} (line {line + 5}) and "
                        f"{n_alleles} disagree")
    vals: dict[int, str] = {}
    for m in _INFO.finditer(rest):
        for gi in (1, 2, 3):
            if m.group(gi) is not None:
                vals[gi] = m.group(gi)
    db_size = None
    if 1 in vals:
        try:
            db_size = int(float(vals[1]))
        except ValueError:
            raise cur.error(f"DatabaseSize {vals[1]!r} of {name} is not a number") from None
    dropout = cur.parse_number(vals[2], f"the dropout probability of {name}") if 2 in vals else None
    maf = cur.parse_number(vals[3], f"the minor allele frequency of {name}") if 3 in vals else None
    alleles: list[str] = []
    fr: list[float] = []
    for _ in range(n_alleles):
        a = canonical_allele(cur.quoted(f"an allele name of {name}"))
        if not a:
            raise cur.error(f"empty allele name in locus {name}")
        if a in ("0", "-", "?", "NA"):
            raise cur.error(f"allele name {a!r} of locus {name}: nasab reads {a!r} as an "
                            "unknown allele; rename it in Familias")
        if a in alleles:
            raise cur.error(f"allele {a} of locus {name} listed twice")
        f = cur.number(f"the frequency of allele {a} of {name}")
        if not 0 < f <= 1:
            raise cur.error(f"frequency {f} of allele {a} (locus {name}) must be in (0, 1]")
        if silent and a == SILENT:
            raise cur.error(f"locus {name} has a silent allele and also an allele named "
                            f"{SILENT!r}; rename that allele in Familias")
        alleles.append(a)
        fr.append(f)
    for what, v in (("rate", rate_f), ("rate", rate_m), ("rate2", rate2_f), ("rate2", rate2_m)):
        if not 0 <= v <= 1:
            raise cur.error(f"mutation {what} {v} of locus {name} must be in [0, 1]", line=line)
    spec = _spec(cur, name, codes, (rate_f, rate_m), (rate2_f, rate2_m), (range_f, range_m), line)
    mf = MarkerFrequencies(name, alleles, np.array(fr, dtype=float))
    try:
        spec.matrices(alleles, mf.freqs)
    except InputError as e:
        raise cur.error(f"locus {name}: {FAMILIAS_MODELS[codes[0]]}/"
                        f"{FAMILIAS_MODELS[codes[1]]} mutation model not usable: {e.message}",
                        line=line) from None
    info = LocusInfo(name, (codes[0], codes[1]), spec, n_field,
                     (rate_f, rate_m, range_f, range_m, rate2_f, rate2_m), db_size, dropout,
                     maf, silent, silent_freq)
    return info, mf, line


def _spec(cur: _Lines, name: str, codes: list[int], rate, rate2, range_, line) -> MutationSpec:
    """nasab's MutationSpec for Familias' female and male codes and parameters."""
    active = [r > 0 or (codes[i] >= 2 and rate2[i] > 0) for i, r in enumerate(rate)]
    kinds = {_NASAB_MODEL[c] for c, a in zip(codes, active, strict=True) if a}
    if len(kinds) > 1:
        raise cur.error(f"locus {name}: female model {FAMILIAS_MODELS[codes[0]]} and male "
                        f"model {FAMILIAS_MODELS[codes[1]]} differ; nasab uses one model kind "
                        "for both sexes (refusing rather than changing the model)", line=line,
                        field="mutation model")
    model, transform = kinds.pop() if kinds else _NASAB_MODEL[codes[0]]
    # A side without mutation gets zero rates (its Familias model is then irrelevant);
    # range and rate2 matter to the stepwise models only.
    r = [rate[i] if active[i] else 0.0 for i in (0, 1)]
    r2 = [rate2[i] if active[i] and model == "stepwise" else 0.0 for i in (0, 1)]
    rg = [range_[i] if active[i] and model == "stepwise" else 0.5 for i in (0, 1)]
    for i, sex in enumerate(("female", "male")):
        if model == "stepwise" and active[i] and not rg[i] > 0:
            raise cur.error(f"locus {name}: {sex} stepwise range must be positive, not "
                            f"{rg[i]}", line=line)
    return MutationSpec(model, r[0], r[1], r2[0], r2[1], rg[0], rg[1], transform)


def _allele(cur: _Lines, info: LocusInfo, mf: MarkerFrequencies, idx: int, pid: str,
            line: int) -> str | None:
    if idx == -1:
        return None
    if idx < len(mf.alleles):
        return mf.alleles[idx]
    if idx == len(mf.alleles) and info.silent:
        return SILENT
    raise cur.error(f"allele index {idx} of {pid!r} is beyond the {len(mf.alleles)} alleles "
                    f"of locus {info.name}", line=line)


# --- INI-like sections ------------------------------------------------------------------
@dataclass
class _Node:
    name: str
    depth: int
    line: int
    entries: list[tuple[str, str, int]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)


_HEADER = re.compile(r"(\[+)([^\[\]]*)(\]+)")


def _read_sections(cur: _Lines, markers: list[str]) -> tuple[list[tuple[str, list[str]]],
                                                             DVIData | None]:
    sections: list[tuple[str, list[str]]] = []
    dvi_root: _Node | None = None
    stack: list[_Node] = []
    while cur.peek() is not None:
        raw = cur.next("a section line")
        s = raw.strip()
        in_notes = bool(stack) and stack[-1].name == "Notes" and bool(stack[-1].entries)
        if not s and not in_notes:
            continue
        m = _HEADER.fullmatch(s)
        if m and len(m.group(1)) != len(m.group(3)):
            raise cur.error(f"unbalanced brackets in section header {s!r}")
        if m and len(m.group(1)) == 1:
            name = m.group(2).strip()
            if name == "DVI":
                if dvi_root is not None:
                    raise cur.error("a second [DVI] section")
                dvi_root = _Node("DVI", 1, cur.lineno)
                stack = [dvi_root]
                sections.append(("DVI", []))
            else:
                stack = []
                sections.append((name, []))
            continue
        if not sections:
            raise cur.error(f"unexpected line after the database: {s!r} (the database may "
                            "list fewer alleles or loci than it says)")
        if not stack:  # a plain settings section: keep the lines as they are
            if s:
                sections[-1][1].append(s)
            continue
        if m:
            depth = len(m.group(1))
            while stack and stack[-1].depth >= depth:
                stack.pop()
            if not stack or stack[-1].depth != depth - 1:
                raise cur.error(f"section {s!r} is nested {depth} deep without a parent")
            node = _Node(m.group(2).strip(), depth, cur.lineno)
            stack[-1].children.append(node)
            stack.append(node)
            continue
        if in_notes:
            stack[-1].raw.append(raw.rstrip("\r\n"))
            continue
        k, sep, v = s.partition("=")
        if not sep:
            raise cur.error(f"expected 'Key= value' in the DVI section, found {s!r}")
        stack[-1].entries.append((k.strip(), v.strip(), cur.lineno))
    dvi = _interpret_dvi(cur, dvi_root, markers) if dvi_root is not None else None
    return sections, dvi


def _interpret_dvi(cur: _Lines, root: _Node, markers: list[str]) -> DVIData:
    if root.entries:
        k, _, ln = root.entries[0]
        raise cur.error(f"unexpected key {k!r} directly under [DVI]", line=ln)
    out = DVIData()
    order = {"Notes": 0}  # notes first: they may carry the missing persons' sex
    for node in sorted(root.children, key=lambda n: order.get(n.name, 1)):
        if node.name == "Unidentified persons":
            n = _count(cur, node, "nPersons")
            people = [_dvi_person(cur, c, markers) for c in _kids(cur, node, "Person", n)]
            out.unidentified = [Profile(p.id, p.genotypes, p.sex, list(markers)) for p in people]
            _unique(cur, [(p.id, p.line) for p in people], "unidentified person")
        elif node.name == "Notes":
            _count(cur, node, "nFamilies")
            while node.raw and not node.raw[-1].strip():
                node.raw.pop()
            out.notes = node.raw
        elif node.name == "Reference Families":
            n = _count(cur, node, "nFamilies")
            for i, fam_node in enumerate(_kids(cur, node, "Family", n)):
                note = out.notes[i] if i < len(out.notes) else ""
                fam = _dvi_family(cur, fam_node, markers, _note_sex(note))
                if fam.name in out.families:
                    raise cur.error(f"reference family {fam.name!r} appears twice",
                                    line=fam_node.line)
                out.families[fam.name] = fam
        else:
            raise cur.error(f"unsupported DVI section [[{node.name}]]: nasab reads "
                            "[[Unidentified persons]], [[Notes]] and [[Reference Families]]",
                            line=node.line)
    return out


def _count(cur: _Lines, node: _Node, key: str, allowed: tuple[str, ...] = ()) -> int:
    got = None
    for k, v, ln in node.entries:
        if k == key:
            got = _int_value(cur, k, v, ln)
        elif k not in allowed:
            raise cur.error(f"unsupported key {k!r} in [{node.name}]", line=ln)
    if got is None or got < 0:
        raise cur.error(f"[{node.name}] lacks '{key}= <count>'", line=node.line)
    return got


def _int_value(cur: _Lines, key: str, v: str, line: int) -> int:
    try:
        return int(v)
    except ValueError:
        raise cur.error(f"{key} must be an integer, not {v!r}", line=line) from None


def _kids(cur: _Lines, node: _Node, prefix: str, n: int) -> list[_Node]:
    for c in node.children:
        if not c.name.startswith(prefix):
            raise cur.error(f"unexpected section [{c.name}] in [{node.name}]", line=c.line)
    if len(node.children) != n:
        raise cur.error(f"[{node.name}] says {n} but holds {len(node.children)} "
                        f"{prefix.lower()} sections (truncated?)", line=node.line)
    return node.children


def _unique(cur: _Lines, names: list[tuple[str, int | None]], what: str) -> None:
    seen: dict[str, int | None] = {}
    for n, ln in names:
        if n in seen:
            raise cur.error(f"{what} {n!r} appears twice (first on line {seen[n]})", line=ln)
        seen[n] = ln


def _value(cur: _Lines, node: _Node, key: str) -> tuple[str, int]:
    for k, v, ln in node.entries:
        if k == key:
            return v, ln
    raise cur.error(f"[{node.name}] lacks '{key}= ...'", line=node.line)


def _dvi_person(cur: _Lines, node: _Node, markers: list[str]) -> FamPerson:
    known = {"Name", "Gender"}
    for k, _, ln in node.entries:
        if k not in known:
            raise cur.error(f"unsupported key {k!r} for a DVI person (nasab reads Name and "
                            "Gender)", line=ln)
    name, line = _value(cur, node, "Name")
    if not name:
        raise cur.error("empty person name", line=line)
    gender, gl = _value(cur, node, "Gender")
    if gender.lower() not in _GENDER:
        raise cur.error(f"Gender of {name!r} must be Male, Female or Unknown, not {gender!r}",
                        line=gl)
    genos: dict[str, Genotype] = {}
    keys = {marker_key(m) for m in markers}
    for child in node.children:
        if child.name != "DNA data":
            raise cur.error(f"unexpected section [{child.name}] in a DVI person", line=child.line)
        n = None
        ents = child.entries
        i = 0
        while i < len(ents):
            k, v, ln = ents[i]
            if k == "nSystems":
                n = _int_value(cur, k, v, ln)
                i += 1
                continue
            if k != "SystemName":
                raise cur.error(f"unsupported key {k!r} in DNA data (expected SystemName=)",
                                line=ln)
            if i + 2 >= len(ents) or ents[i + 1][0] != "Allele1" or ents[i + 2][0] != "Allele2":
                raise cur.error(f"SystemName= {v} must be followed by Allele1= and Allele2=",
                                line=ln)
            if marker_key(v) not in keys:
                raise cur.error(f"marker {v!r} of {name!r} is not in the database", line=ln)
            if marker_key(v) in genos:
                raise cur.error(f"{name!r} is typed twice for {v}", line=ln)
            a1 = canonical_allele(ents[i + 1][1]) or None
            a2 = canonical_allele(ents[i + 2][1]) or None
            if a1 is None:
                a1, a2 = a2, None
            if a1 is not None:
                genos[marker_key(v)] = (a1, a2)
            i += 3
        count = sum(1 for k, _, _ in ents if k == "SystemName")
        if n is None or n != count:
            raise cur.error(f"nSystems= {n} but {count} markers listed for {name!r} "
                            "(truncated?)", line=child.line)
    return FamPerson(name, _GENDER[gender.lower()], genos, line=line)


NOTE = re.compile(r"nasab missing person id: (.+); sex: (male|female|unknown)")


def _note_sex(note: str) -> int | None:
    """The missing person's sex from a note nasab wrote (Familias' DVI files do not store
    the sex of the missing person)."""
    m = NOTE.fullmatch(note.strip())
    return _GENDER[m.group(2)] if m else None


def _dvi_family(cur: _Lines, node: _Node, markers: list[str],
                note_sex: int | None = None) -> DVIFamily:
    for k, _, ln in node.entries:
        if k != "Name":
            raise cur.error(f"unsupported key {k!r} in a reference family", line=ln)
    name, fline = _value(cur, node, "Name")
    persons: list[FamPerson] = []
    ped_nodes: list[_Node] = []
    for child in node.children:
        if child.name == "Persons":
            n = _count(cur, child, "nPersons")
            persons = [_dvi_person(cur, c, markers) for c in _kids(cur, child, "Person", n)]
        elif child.name == "Pedigrees":
            n = _count(cur, child, "nPedigrees")
            ped_nodes = _kids(cur, child, "Pedigree", n)
        else:
            raise cur.error(f"unexpected section [{child.name}] in family {name!r}",
                            line=child.line)
    _unique(cur, [(p.id, p.line) for p in persons], f"person of family {name!r}")
    listed = [p.id for p in persons]
    raw_peds = []
    for pn in ped_nodes:
        pname = None
        rels: list[tuple[str, str, int]] = []
        n_rel = None
        ents = pn.entries
        i = 0
        while i < len(ents):
            k, v, ln = ents[i]
            if k == "Name":
                pname = v
            elif k == "nRelations":
                n_rel = _int_value(cur, k, v, ln)
            elif k == "Parent":
                if i + 1 >= len(ents) or ents[i + 1][0] != "Child":
                    raise cur.error(f"Parent= {v} must be followed by Child=", line=ln)
                rels.append((v, ents[i + 1][1], ln))
                i += 1
            else:
                raise cur.error(f"unsupported key {k!r} in a pedigree of family {name!r}",
                                line=ln)
            i += 1
        if pname is None:
            raise cur.error(f"a pedigree of family {name!r} has no Name=", line=pn.line)
        if n_rel is None or n_rel != len(rels):
            raise cur.error(f"pedigree {pname!r} of family {name!r}: nRelations= {n_rel} but "
                            f"{len(rels)} relations listed (truncated?)", line=pn.line)
        raw_peds.append((pname, pn.line, rels))
    # Names used in relations but not listed are the missing person(s) (Familias writes
    # "Missing person"); their sex follows from their partners'.
    missing: list[str] = []
    for _, _, rels in raw_peds:
        for par, child, _ in rels:
            for x in (par, child):
                if x not in listed and x not in missing:
                    missing.append(x)
    sex = {p.id: p.sex for p in persons}
    for x in missing:
        sex[x] = _infer_sex(cur, x, raw_peds, sex, name)
    if note_sex is not None and len(missing) == 1 and note_sex != UNKNOWN_SEX:
        if sex[missing[0]] not in (UNKNOWN_SEX, note_sex):
            raise cur.error(f"family {name!r}: the note gives the missing person's sex as "
                            f"{_GENDER_NAME[note_sex]}, the pedigree says otherwise",
                            line=node.line)
        sex[missing[0]] = note_sex
    ids = listed + missing
    sexes = [sex[i] for i in ids]
    genos = {p.id: p.genotypes for p in persons if p.genotypes}
    peds = []
    for pname, pline, rels in raw_peds:
        pedigree, added = build_pedigree(ids, sexes, rels, cur.source, pline)
        fam = Family(pedigree, list(markers), genos, name)
        peds.append(FamPedigree(pname, fam, [(a, b) for a, b, _ in rels], [], added))
    if not peds:
        raise cur.error(f"reference family {name!r} has no pedigree", line=fline)
    return DVIFamily(name, persons, peds, missing)


def _infer_sex(cur: _Lines, x: str, raw_peds, sex: dict[str, int], fam: str) -> int:
    spouses: set[int] = set()
    for _, _, rels in raw_peds:
        kids = {c for p, c, _ in rels if p == x}
        for p, c, _ in rels:
            if c in kids and p != x:
                spouses.add(sex.get(p, UNKNOWN_SEX))
    if not spouses:
        for _, _, rels in raw_peds:
            if any(p == x for p, _, _ in rels):
                raise cur.error(f"cannot tell the sex of {x!r} in family {fam!r}: a parent "
                                "with no partner and not listed as a person")
        return UNKNOWN_SEX
    if spouses == {MALE}:
        return FEMALE
    if spouses == {FEMALE}:
        return MALE
    raise cur.error(f"cannot tell the sex of {x!r} in family {fam!r} from the partners")


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------
def _num(x: float) -> str:
    v = float(x)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _q(s: str) -> str:
    if '"' in s or "\n" in s or "\r" in s:
        raise InputError(f"name {s!r} contains a quote or a line break, which .fam files "
                         "cannot hold")
    return f'"{s}"'


def write_fam(project: FamiliasProject, path: str | Path) -> None:
    """Write a ``.fam`` file that Familias 3 opens (CRLF line ends, UTF-8)."""
    try:
        text = _render(project)
    except InputError as e:
        if e.file:
            raise
        raise InputError(e.message, file=str(path), field=e.field) from None
    Path(path).write_bytes(text.encode("utf-8"))


def _render(project: FamiliasProject) -> str:
    out = []
    version = project.version
    h1 = project.header[0].replace("{version}", version)
    out += [_q(h1), _q(project.header[1]), version + (" (DVI)" if project.dvi else "")]
    if project.comment is not None:
        out.append(_q(project.comment))
    keys = [marker_key(m) for m in project.markers]
    index = {k: i for i, k in enumerate(keys)}
    allele_index = {k: _allele_indices(project.table.markers[k].alleles, project.loci[k])
                    for k in keys}
    out.append(str(len(project.persons)))
    for p in project.persons:
        if p.sex not in (MALE, FEMALE):
            raise InputError(f"person {p.id!r} has unknown sex; Familias' persons section "
                             "needs male or female")
        out += [_q(p.id), TRUE if p.flags[0] else FALSE,
                p.birth + (" (Consider dropouts)" if p.consider_dropout else ""),
                TRUE if p.flags[1] else FALSE, TRUE if p.sex == MALE else FALSE]
        typed = [(k, g) for k, g in p.genotypes.items() if is_typed(g)]
        typed.sort(key=lambda kg: index.get(kg[0], -1))
        out.append(str(len(typed)))
        for k, g in typed:
            if k not in index:
                raise InputError(f"{p.id!r} is typed for marker {k}, which is not in the "
                                 "database")
            for a in g:
                if a is not None and a not in allele_index[k]:
                    raise InputError(f"allele {a} of {p.id!r} (marker "
                                     f"{project.markers[index[k]]}) is not in the database")
            out += [str(allele_index[k][g[0]]) if g[0] is not None else "-1",
                    str(allele_index[k][g[1]]) if g[1] is not None else "-1",
                    str(index[k])]
    ids = [p.id for p in project.persons]
    out.append(_q("Known relations"))
    out += _write_extras(project.known_extras, ids)
    out += _write_relations(project.known_relations, ids)
    out.append(str(len(project.pedigrees)))
    for i, ped in enumerate(project.pedigrees):
        pids = list(ids)
        out += [str(i), _q(ped.name)]
        out += _write_extras(ped.extras, pids)
        out += _write_relations(ped.relations, pids)
    out.append(f"{FALSE} (#Databases: 1 ;Theta/Kinship/Fst: {_num(project.theta)} )")
    out.append(str(len(project.markers)))
    if project.database_name is None:
        out.append(FALSE)
    else:
        out += [TRUE, _q(project.database_name)]
    for k in keys:
        out += _write_locus(project.loci[k], project.table.markers[k])
    for name, lines in project.sections:
        if name == "DVI":
            if project.dvi is None:
                continue
            out += ["", *_write_dvi(project.dvi, project.markers)]
        else:
            out += [f"[{name}]", *lines]
    if project.dvi is not None and not any(n == "DVI" for n, _ in project.sections):
        out += ["", *_write_dvi(project.dvi, project.markers)]
    return "\r\n".join(out) + "\r\n"


def _allele_indices(alleles: list[str], info: LocusInfo) -> dict[str, int]:
    """Familias' index of each allele name; the silent allele comes after the others."""
    out = {a: i for i, a in enumerate(alleles)}
    if info.silent:
        out[SILENT] = len(alleles)
    return out


def _write_extras(extras: list[tuple[str, int]], ids: list[str]) -> list[str]:
    fem = [e for e in extras if e[1] == FEMALE]
    mal = [e for e in extras if e[1] == MALE]
    if len(fem) + len(mal) != len(extras) or extras != fem + mal:
        raise InputError("extra persons must be listed females first, then males")
    ids.extend(e[0] for e in extras)
    return [str(len(fem)), str(len(mal))]


def _write_relations(rels: list[tuple[str, str]], ids: list[str]) -> list[str]:
    pos = {pid: i for i, pid in enumerate(ids)}
    out = [str(len(rels))]
    for par, child in rels:
        for x in (par, child):
            if x not in pos:
                raise InputError(f"relation {par!r} -> {child!r}: {x!r} is not a person")
        out += [str(pos[par]), str(pos[child])]
    return out


def _write_locus(info: LocusInfo, mf: MarkerFrequencies) -> list[str]:
    rf, rm, gf, gm, r2f, r2m = info.params
    out = [_q(info.name), _num(rf), _num(rm), str(info.codes[0]), str(info.codes[1]),
           str(info.n_alleles_field), _num(gf), _num(gm), _num(r2f), _num(r2m),
           TRUE if info.silent else FALSE, _num(info.silent_frequency)]
    parts = []
    if info.database_size is not None:
        parts.append(f"DatabaseSize = {info.database_size}")
    if info.dropout is not None:
        parts.append(f"Dropout probability = {_num(info.dropout)}")
    if info.maf is not None:
        parts.append(f"Minor allele frequency = {_num(info.maf)}")
    out.append(f"{len(mf.alleles)}\t({' , '.join(parts)} )" if parts else str(len(mf.alleles)))
    for a, f in zip(mf.alleles, mf.freqs, strict=True):
        out += [_q(a), repr(float(f))]
    return out


def _dvi_person_lines(p: FamPerson | Profile, num: int, depth: int, markers: list[str]) -> list[str]:
    title = f"Person {num}" + (" " if depth == 3 else "")
    genos = [(m, p.genotypes[marker_key(m)]) for m in markers
             if is_typed(p.genotypes.get(marker_key(m), (None, None)))]
    extra = set(p.genotypes) - {marker_key(m) for m in markers}
    if extra:
        raise InputError(f"{p.id!r} is typed for markers not in the database: {sorted(extra)}")
    out = ["[" * depth + title + "]" * depth, f"Name= {p.id}",
           f"Gender= {_GENDER_NAME[p.sex]}", "[" * (depth + 1) + "DNA data" + "]" * (depth + 1),
           f"nSystems= {len(genos)}"]
    for m, g in genos:
        out += [f"SystemName= {m}", f"Allele1= {g[0] or ''}", f"Allele2= {g[1] or ''}"]
    return out


def _write_dvi(dvi: DVIData, markers: list[str]) -> list[str]:
    out = ["[DVI]", "[[Unidentified persons]]", f"nPersons= {len(dvi.unidentified)}"]
    for i, u in enumerate(dvi.unidentified, start=1):
        out += _dvi_person_lines(u, i, 3, markers)
    notes = list(dvi.notes) + [""] * (len(dvi.families) - len(dvi.notes))
    out += ["[[Notes]]", f"nFamilies= {len(dvi.families)}", *notes]
    out += ["[[Reference Families]]", f"nFamilies= {len(dvi.families)}"]
    for i, (name, fam) in enumerate(dvi.families.items(), start=1):
        out += [f"[[[Family {i} ]]]", f"Name= {name}", "[[[[Persons]]]]",
                f"nPersons= {len(fam.persons)}"]
        for j, p in enumerate(fam.persons, start=1):
            out += _dvi_person_lines(p, j, 5, markers)
        out += ["[[[[Pedigrees]]]]", f"nPedigrees= {len(fam.pedigrees)}"]
        for j, ped in enumerate(fam.pedigrees, start=1):
            out += [f"[[[[[Pedigree {j}]]]]]", f"Name= {ped.name}",
                    f"nRelations= {len(ped.relations)}"]
            for par, child in ped.relations:
                out += [f"Parent= {par}", f"Child= {child}"]
    return out


# ---------------------------------------------------------------------------------------
# Building projects from nasab's objects (for export)
# ---------------------------------------------------------------------------------------
def relations_of(pedigree: Pedigree, skip: set[str] = frozenset()) -> list[tuple[str, str]]:
    """Familias' parent/child pairs of a pedigree (father first), without ``skip``."""
    out = []
    for p in pedigree.persons:
        if p.father is None or p.id in skip:
            continue
        for par in (p.father, p.mother):
            if par not in skip:
                out.append((par, p.id))
    return out


def default_locus(name: str, spec: MutationSpec | None, n_alleles: int) -> LocusInfo:
    """Familias settings for a marker exported from nasab (codes from the nasab model)."""
    spec = spec or MutationSpec("equal")
    if spec.model == "trivial":
        spec = MutationSpec("equal", 0, 0, 0, 0, spec.range_female, spec.range_male)
    if spec.model == "onestep":
        raise InputError(f"marker {name}: the onestep mutation model has no Familias "
                         "equivalent; choose equal, proportional or stepwise")
    if spec.transform and spec.model != "stepwise":
        raise InputError(f"marker {name}: Familias has a stationary form of the stepwise "
                         f"model only, not of {spec.model}")
    code = {"equal": 0, "proportional": 1}.get(spec.model, 3 if spec.transform else 4)
    params = (spec.rate_female, spec.rate_male, spec.range_female, spec.range_male,
              spec.rate2_female, spec.rate2_male)
    if spec.model != "stepwise":  # as read back: range and rate2 only matter to stepwise
        spec = MutationSpec(spec.model, spec.rate_female, spec.rate_male)
    return LocusInfo(name, (code, code), spec, n_alleles, params, 1000, 0.0, 0.0)
