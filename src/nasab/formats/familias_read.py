"""Reading Familias ``.fam`` files: the header, persons, relations, pedigrees and the
frequency database with each locus' mutation model (the layout is in
``docs/familias-fam-format.md``). The trailing sections, ``[DVI]`` included, are read by
:mod:`nasab.formats.familias_dvi`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import FrequencyTable, MarkerFrequencies, canonical_allele, marker_key
from nasab.engine.genotypes import Family, is_typed
from nasab.engine.mutation import MutationSpec
from nasab.engine.pedigree import FEMALE, MALE
from nasab.formats.familias_dvi import SexChoices, read_sections
from nasab.formats.familias_model import (
    FALSE,
    FAMILIAS_MODELS,
    NASAB_MODEL,
    SILENT,
    SUPPORTED_MAJOR,
    TRUE,
    FamiliasProject,
    FamPedigree,
    FamPerson,
    Lines,
    LocusInfo,
    build_pedigree,
)


# Reading
# ---------------------------------------------------------------------------------------
def _decode(path: Path) -> tuple[list[str], str]:
    """The file's lines: UTF-8 (as pedFamilias writes), else Windows-1252 (Familias on
    Windows)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=str(path)) from None
    if b"\x00" in data:
        raise InputError(
            "binary content (NUL bytes): not a Familias .fam text file", file=str(path)
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).splitlines(), str(path)
        except UnicodeDecodeError:
            continue
    raise InputError("neither UTF-8 nor Windows-1252 text", file=str(path))


_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)*\s*(\(DVI\))?")


def _check_version(cur: Lines) -> tuple[str, bool]:
    s = cur.next("the Familias version")
    m = _VERSION.fullmatch(s)
    if not m:
        raise cur.error(
            f"unknown Familias version {s!r}: expected a version number like 3.3.1 on line 3",
            field="version",
        )
    if int(m.group(1)) != SUPPORTED_MAJOR:
        raise cur.error(
            f"Familias version {s} is not supported: nasab reads .fam files of "
            f"Familias {SUPPORTED_MAJOR}.x",
            field="version",
        )
    version = s[: m.start(4)].strip() if m.group(4) else s
    return version, bool(m.group(4))


def read_fam(path: str | Path, *, sexes: dict[str, int] | None = None) -> FamiliasProject:
    """Read a Familias ``.fam`` file (Familias 3.x, with or without a DVI section).

    ``sexes`` states what the file leaves open: the sex of a DVI family's person, keyed
    ``PERSON`` or ``FAMILY/PERSON`` (``--sex`` of ``nasab familias import``); a key that
    names no such person is refused."""
    lines, src = _decode(Path(path))
    cur = Lines(lines, src)
    h1 = cur.quoted("the header line 'Output from Familias, version ...'")
    if "familias" not in h1.lower():
        raise cur.error(f"not a Familias .fam file: line 1 is {h1!r}")
    h2 = cur.quoted("the second header line")
    version, dvi_flag = _check_version(cur)
    comment: str | None = None
    nxt = cur.peek()
    if nxt is not None and nxt.startswith('"'):
        comment = cur.quoted("the comment line")
    persons, raw_genos = _read_persons(cur)
    known_extras, known, ped_specs = _read_relations(cur, persons)
    theta = _read_database_line(cur)
    db_name, markers, loci, freqs = _read_loci(cur)
    table = FrequencyTable(freqs, src, None, _sha(lines))
    _assign_genotypes(cur, persons, raw_genos, markers, loci, freqs)
    genos = {p.id: p.genotypes for p in persons if p.genotypes}
    pedigrees = []
    for name, line, pids, psex, extras, rels in ped_specs:
        pedigree, added = build_pedigree(pids, psex, known + rels, src, line)
        family = Family(pedigree, list(markers), genos, name)
        pedigrees.append(FamPedigree(name, family, [(a, b) for a, b, _ in rels], extras, added))
    # --- trailing sections: [DVI], [Prior], [Advanced] ... ------------------------------
    choices = SexChoices(sexes)
    sections, dvi = read_sections(cur, markers, choices)
    choices.check_all_used(src)
    if dvi_flag and dvi is None:
        raise cur.error("the version line says (DVI) but the file has no [DVI] section", line=3)
    return FamiliasProject(
        version,
        persons,
        pedigrees,
        markers,
        table,
        loci,
        theta,
        db_name,
        [(a, b) for a, b, _ in known],
        known_extras,
        dvi,
        sections,
        (h1, h2),
        comment,
        src,
    )


def _read_persons(cur: Lines) -> tuple[list[FamPerson], list[list[tuple[int, int, int, int]]]]:
    """The persons section; genotypes as (allele index, allele index, marker index, line)
    until the database is read."""
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
            raise cur.error(
                f"expected the birth year of {name!r} (-1 if not given), "
                f"optionally followed by '(Consider dropouts)', found {birth!r}"
            )
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
        sex = MALE if male else FEMALE
        persons.append(FamPerson(name, sex, {}, m.group(1), bool(m.group(2)), (flag1, flag2), line))
    return persons, raw_genos


def _read_relations(cur: Lines, persons: list[FamPerson]) -> tuple[list, list, list]:
    """Known relations (extra persons, pairs) and the pedigrees as read (not yet built)."""
    s = cur.quoted('"Known relations"')
    if s != "Known relations":
        raise cur.error(f'expected "Known relations", found {s!r}')
    ids = [p.id for p in persons]
    person_sexes = [p.sex for p in persons]
    known_extras = _extras(cur, "extra", ids, person_sexes)
    known = _relations(cur, ids, person_sexes, "the known relations")
    n_peds = cur.integer("the number of pedigrees")
    ped_specs = []
    for k in range(n_peds):
        idx = cur.integer("the pedigree's index")
        if idx != k:
            raise cur.error(f"pedigrees must be numbered in order: expected {k}, found {idx}")
        name = cur.quoted("the pedigree's name")
        line = cur.lineno
        pids, psex = list(ids), list(person_sexes)
        extras = _extras(cur, f"ped{k + 1}_extra", pids, psex)
        rels = _relations(cur, pids, psex, f"pedigree {name!r}")
        ped_specs.append((name, line, pids, psex, extras, rels))
    return known_extras, known, ped_specs


def _read_database_line(cur: Lines) -> float:
    """θ from the database line (one database, no precomputed probabilities)."""
    s = cur.next("the database line '#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: 0 )'")
    if s.startswith(TRUE):
        raise cur.error(
            "the file holds precomputed pedigree probabilities (#TRUE# here); "
            "nasab does not read those: save the case in Familias without them"
        )
    if not s.startswith(FALSE):
        raise cur.error(f"expected the database line starting with {FALSE}, found {s!r}")
    mdb = re.search(r"#Databases:\s*(\d+)", s)
    if mdb and int(mdb.group(1)) != 1:
        raise cur.error(
            f"{mdb.group(1)} databases: nasab reads files with one frequency database only",
            field="#Databases",
        )
    mth = re.search(r"Theta/Kinship/Fst:\s*([^\s)]+)", s)
    theta = cur.parse_number(mth.group(1), "theta") if mth else 0.0
    if not 0 <= theta < 1:
        raise cur.error(f"theta must be in [0, 1), not {theta}", field="Theta/Kinship/Fst")
    return theta


def _read_loci(cur: Lines) -> tuple[str | None, list[str], dict[str, LocusInfo], dict]:
    """The database's name and its loci (names in order, settings, frequencies)."""
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
    return db_name, markers, loci, freqs


def _assign_genotypes(cur: Lines, persons, raw_genos, markers, loci, freqs) -> None:
    """The persons' genotypes from Familias' indices into the database."""
    for person, triples in zip(persons, raw_genos, strict=True):
        for a1, a2, mi, line in triples:
            if mi >= len(markers):
                raise cur.error(
                    f"marker index {mi} of {person.id!r} is beyond the "
                    f"{len(markers)} loci of the database",
                    line=line,
                )
            key = marker_key(markers[mi])
            if key in person.genotypes:
                raise cur.error(f"{person.id!r} is typed twice for {markers[mi]}", line=line)
            g = tuple(_allele(cur, loci[key], freqs[key], a, person.id, line) for a in (a1, a2))
            if g[0] is None and g[1] is not None:
                g = (g[1], None)
            if is_typed(g):  # type: ignore[arg-type]
                person.genotypes[key] = g  # type: ignore[assignment]


def _sha(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _extras(cur: Lines, prefix: str, ids: list[str], sexes: list[int]) -> list[tuple[str, int]]:
    n_f = cur.integer("the number of extra females")
    n_m = cur.integer("the number of extra males")
    out = []
    for sex, n, tag in ((FEMALE, n_f, "F"), (MALE, n_m, "M")):
        for i in range(1, n + 1):
            pid = f"{prefix}_{tag}{i}"
            if pid in ids:
                raise cur.error(
                    f"the name {pid!r} nasab gives to an extra person is taken by "
                    "a person of the file; rename that person"
                )
            ids.append(pid)
            sexes.append(sex)
            out.append((pid, sex))
    return out


def _relations(
    cur: Lines, ids: list[str], sexes: list[int], where: str
) -> list[tuple[str, str, int]]:
    n = cur.integer(f"the number of relations of {where}")
    out = []
    for _ in range(n):
        s = cur.next(f"a parent index in {where}")
        if "direct" in s.lower():
            raise cur.error(
                f"{where} holds a 'Direct' (twin/identity) relation: nasab does "
                "not support twins in pedigrees"
            )
        try:
            par = int(s)
        except ValueError:
            raise cur.error(f"expected a parent index in {where}, found {s!r}") from None
        line = cur.lineno
        child = cur.integer(f"a child index in {where}")
        for role, v in (("parent", par), ("child", child)):
            if not 0 <= v < len(ids):
                raise cur.error(
                    f"{role} index {v} in {where} is not one of the {len(ids)} persons", line=line
                )
        out.append((ids[par], ids[child], line))
    return out


_INFO = re.compile(
    r"DatabaseSize\s*=\s*([^\s,)]+)|Dropout probability\s*=\s*([^\s,)]+)"
    r"|Minor allele frequency\s*=\s*([^\s,)]+)"
)


def _read_locus(cur: Lines) -> tuple[LocusInfo, MarkerFrequencies, int]:
    name = cur.quoted("a locus name")
    line = cur.lineno
    if not name:
        raise cur.error("empty locus name")
    rate_f = cur.number(f"the female mutation rate of {name}")
    rate_m = cur.number(f"the male mutation rate of {name}")
    codes = [_model_code(cur, name, sex) for sex in ("female", "male")]
    n_field = cur.integer(f"the number of alleles of {name}")
    range_f = cur.number(f"the female mutation range of {name}")
    range_m = cur.number(f"the male mutation range of {name}")
    rate2_f = cur.number(f"the female rate2 of {name}")
    rate2_m = cur.number(f"the male rate2 of {name}")
    silent = cur.boolean(f"whether {name} has a silent allele")
    silent_freq = cur.number(f"the silent allele frequency of {name}")
    if not 0 <= silent_freq < 1:
        raise cur.error(f"silent allele frequency {silent_freq} of {name} must be in [0, 1)")
    n_alleles, db_size, dropout, maf = _count_and_info(cur, name, n_field, line)
    alleles, fr = _alleles(cur, name, n_alleles, silent)
    for what, v in (("rate", rate_f), ("rate", rate_m), ("rate2", rate2_f), ("rate2", rate2_m)):
        if not 0 <= v <= 1:
            raise cur.error(f"mutation {what} {v} of locus {name} must be in [0, 1]", line=line)
    spec = _spec(cur, name, codes, (rate_f, rate_m), (rate2_f, rate2_m), (range_f, range_m), line)
    mf = MarkerFrequencies(name, alleles, np.array(fr, dtype=float))
    try:
        spec.matrices(alleles, mf.freqs)
    except InputError as e:
        raise cur.error(
            f"locus {name}: {FAMILIAS_MODELS[codes[0]]}/"
            f"{FAMILIAS_MODELS[codes[1]]} mutation model not usable: {e.message}",
            line=line,
        ) from None
    info = LocusInfo(
        name,
        (codes[0], codes[1]),
        spec,
        n_field,
        (rate_f, rate_m, range_f, range_m, rate2_f, rate2_m),
        db_size,
        dropout,
        maf,
        silent,
        silent_freq,
    )
    return info, mf, line


def _model_code(cur: Lines, name: str, sex: str) -> int:
    s = cur.next(f"the {sex} mutation model code of {name}")
    try:
        c = int(s)
    except ValueError:
        raise cur.error(
            f"expected the {sex} mutation model code of {name} (0-4), found {s!r}"
        ) from None
    if c not in FAMILIAS_MODELS:
        raise cur.error(
            f"unsupported mutation model code {c} ({sex}) for locus {name}: "
            "nasab knows Familias' codes 0 Equal, 1 Proportional, 2 Stepwise "
            "(unstationary), 3 Stepwise (stationary), 4 Extended stepwise",
            field="mutation model",
        )
    return c


def _count_and_info(
    cur: Lines, name: str, n_field: int, line: int
) -> tuple[int, int | None, float | None, float | None]:
    """The allele count line: the count, and DatabaseSize, Dropout probability and Minor
    allele frequency when given."""
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
        raise cur.error(
            f"locus {name}: the allele counts {n_field} (line {line + 5}) and {n_alleles} disagree"
        )
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
    return n_alleles, db_size, dropout, maf


def _alleles(cur: Lines, name: str, n: int, silent: bool) -> tuple[list[str], list[float]]:
    alleles: list[str] = []
    fr: list[float] = []
    for _ in range(n):
        a = canonical_allele(cur.quoted(f"an allele name of {name}"))
        if not a:
            raise cur.error(f"empty allele name in locus {name}")
        if a in ("0", "-", "?", "NA"):
            raise cur.error(
                f"allele name {a!r} of locus {name}: nasab reads {a!r} as an "
                "unknown allele; rename it in Familias"
            )
        if a in alleles:
            raise cur.error(f"allele {a} of locus {name} listed twice")
        f = cur.number(f"the frequency of allele {a} of {name}")
        if not 0 < f <= 1:
            raise cur.error(f"frequency {f} of allele {a} (locus {name}) must be in (0, 1]")
        if silent and a == SILENT:
            raise cur.error(
                f"locus {name} has a silent allele and also an allele named "
                f"{SILENT!r}; rename that allele in Familias"
            )
        alleles.append(a)
        fr.append(f)
    return alleles, fr


def _spec(cur: Lines, name: str, codes: list[int], rate, rate2, range_, line) -> MutationSpec:
    """nasab's MutationSpec for Familias' female and male codes and parameters.

    A sex with rate 0 does not mutate, whatever its code and rate2 (pedFamilias reads it as
    the identity matrix, which is stationary: a stationary code at rate 0 is accepted)."""
    active = [r > 0 for r in rate]
    kinds = {NASAB_MODEL[c] for c, a in zip(codes, active, strict=True) if a}
    if len(kinds) > 1:
        raise cur.error(
            f"locus {name}: female model {FAMILIAS_MODELS[codes[0]]} and male "
            f"model {FAMILIAS_MODELS[codes[1]]} differ; nasab uses one model kind "
            "for both sexes (refusing rather than changing the model)",
            line=line,
            field="mutation model",
        )
    # Neither sex mutates: the identity, needing no stationary transformation.
    model, transform = kinds.pop() if kinds else (NASAB_MODEL[codes[0]][0], None)
    # A side without mutation gets zero rates (its Familias model is then irrelevant);
    # range and rate2 matter to the stepwise models only.
    r = [rate[i] if active[i] else 0.0 for i in (0, 1)]
    r2 = [rate2[i] if active[i] and model == "stepwise" else 0.0 for i in (0, 1)]
    rg = [range_[i] if active[i] and model == "stepwise" else 0.5 for i in (0, 1)]
    for i, sex in enumerate(("female", "male")):
        if model == "stepwise" and active[i] and not rg[i] > 0:
            raise cur.error(
                f"locus {name}: {sex} stepwise range must be positive, not {rg[i]}", line=line
            )
    return MutationSpec(model, r[0], r[1], r2[0], r2[1], rg[0], rg[1], transform)


def _allele(
    cur: Lines, info: LocusInfo, mf: MarkerFrequencies, idx: int, pid: str, line: int
) -> str | None:
    if idx == -1:
        return None
    if idx < len(mf.alleles):
        return mf.alleles[idx]
    if idx == len(mf.alleles) and info.silent:
        return SILENT
    raise cur.error(
        f"allele index {idx} of {pid!r} is beyond the {len(mf.alleles)} alleles "
        f"of locus {info.name}",
        line=line,
    )


# --- INI-like sections ------------------------------------------------------------------
