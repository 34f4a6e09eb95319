"""The Familias ``.fam`` model: what a file holds, in nasab's terms (persons, pedigrees,
loci, the DVI section), and the helpers that build pedigrees from Familias' parent/child
pairs. Reading is :mod:`nasab.formats.familias_read` (the DVI section
:mod:`nasab.formats.familias_dvi`), writing :mod:`nasab.formats.familias_write`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable
from nasab.engine.genotypes import Family, Genotype, Profile
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
NASAB_MODEL = {
    0: ("equal", None),
    1: ("proportional", None),
    2: ("stepwise", None),
    3: ("stepwise", "PM"),
    4: ("stepwise", None),
}
SILENT = SILENT_LABELS[0]  # a genotype's silent allele ("silent", as nasab's engine reads it)
REFERENCE_PEDIGREE = "Reference pedigree"
MISSING_PERSON = "Missing person"
GENDER = {"male": MALE, "female": FEMALE, "unknown": UNKNOWN_SEX}
GENDER_NAME = {MALE: "Male", FEMALE: "Female", UNKNOWN_SEX: "Unknown"}


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
    header: tuple[str, str] = ("Output from Familias, version {version}", "(written by nasab)")
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
            return {
                "persons": [(p.id, p.father, p.mother, p.sex) for p in f.pedigree.persons],
                "genotypes": _genos(f.genotypes),
            }

        def peds(ps: list[FamPedigree]) -> list:
            return [
                {
                    "name": p.name,
                    "family": fam(p.family),
                    "relations": p.relations,
                    "extras": p.extras,
                    "added": p.added,
                }
                for p in ps
            ]

        def persons(ps: list[FamPerson]) -> list:
            return [
                (
                    p.id,
                    p.sex,
                    dict(sorted(p.genotypes.items())),
                    p.birth,
                    p.consider_dropout,
                    p.flags,
                )
                for p in ps
            ]

        out = {
            "version": self.version,
            "persons": persons(self.persons),
            "pedigrees": peds(self.pedigrees),
            "markers": self.markers,
            "frequencies": {
                k: (m.name, list(m.alleles), [float(x) for x in m.freqs])
                for k, m in self.table.markers.items()
            },
            "loci": {
                k: (
                    v.name,
                    v.codes,
                    v.mutation,
                    v.params,
                    v.n_alleles_field,
                    v.database_size,
                    v.dropout,
                    v.maf,
                    v.silent,
                    v.silent_frequency,
                )
                for k, v in self.loci.items()
            },
            "theta": self.theta,
            "database_name": self.database_name,
            "known_relations": self.known_relations,
            "known_extras": self.known_extras,
            "sections": self.sections,
            "comment": self.comment,
        }
        if self.dvi is not None:
            out["dvi"] = {
                "unidentified": [
                    (u.id, u.sex, dict(sorted(u.genotypes.items()))) for u in self.dvi.unidentified
                ],
                "families": {
                    n: {
                        "persons": persons(f.persons),
                        "pedigrees": peds(f.pedigrees),
                        "missing": f.missing,
                    }
                    for n, f in self.dvi.families.items()
                },
                "notes": self.dvi.notes,
            }
        return out


def _genos(g: dict[str, dict[str, Genotype]]) -> dict:
    return {pid: dict(sorted(d.items())) for pid, d in sorted(g.items()) if d}


def _same_structure(a: Pedigree, b: Pedigree) -> bool:
    return {(p.id, p.father, p.mother, p.sex) for p in a.persons} == {
        (p.id, p.father, p.mother, p.sex) for p in b.persons
    }


# ---------------------------------------------------------------------------------------


def build_pedigree(
    ids: list[str], sexes: list[int], rels: list[tuple[str, str, int]], src: str, line: int | None
) -> tuple[Pedigree, list[str]]:
    """A nasab pedigree from Familias' parent/child pairs; a child with only one parent
    given gets an untyped founder for the other (Familias allows one known parent)."""
    sex = dict(zip(ids, sexes, strict=True))
    parents: dict[str, dict[int, str]] = {}
    where: dict[str, int] = {}
    for par, child, ln in rels:
        s = sex[par]
        if s not in (MALE, FEMALE):
            raise InputError(
                f"cannot tell whether parent {par!r} of {child!r} is the father "
                "or the mother (sex unknown)",
                file=src,
                line=ln,
            )
        got = parents.setdefault(child, {})
        if s in got and got[s] != par:
            role = "father" if s == MALE else "mother"
            raise InputError(
                f"{child!r} has two {role}s: {got[s]!r} and {par!r}", file=src, line=ln
            )
        got[s] = par
        where.setdefault(child, ln)
    persons = []
    added: list[str] = []
    extra: list[Person] = []
    taken = set(ids)
    for pid in ids:
        got = parents.get(pid, {})
        if len(got) == 1:
            ((s, _),) = got.items()
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
        persons.append(Person(pid, got.get(MALE), got.get(FEMALE), sex[pid], where.get(pid, line)))
    return Pedigree(tuple(persons + extra), source=src), added


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
        raise InputError(
            f"marker {name}: the onestep mutation model has no Familias "
            "equivalent; choose equal, proportional or stepwise"
        )
    if spec.transform and spec.model != "stepwise":
        raise InputError(
            f"marker {name}: Familias has a stationary form of the stepwise "
            f"model only, not of {spec.model}"
        )
    code = {"equal": 0, "proportional": 1}.get(spec.model, 3 if spec.transform else 4)
    params = (
        spec.rate_female,
        spec.rate_male,
        spec.range_female,
        spec.range_male,
        spec.rate2_female,
        spec.rate2_male,
    )
    if spec.model != "stepwise":  # as read back: range and rate2 only matter to stepwise
        spec = MutationSpec(spec.model, spec.rate_female, spec.rate_male)
    return LocusInfo(name, (code, code), spec, n_alleles, params, 1000, 0.0, 0.0)


class Lines:
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
            raise InputError(
                f"the file ends early (truncated?): expected {what}",
                file=self.source,
                line=len(self.lines) + 1,
            )
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
