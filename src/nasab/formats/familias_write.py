"""Writing Familias ``.fam`` files (CRLF line ends, UTF-8) that Familias 3 opens."""

from __future__ import annotations

from pathlib import Path

from nasab.engine.errors import InputError
from nasab.engine.frequencies import MarkerFrequencies, marker_key
from nasab.engine.genotypes import Profile, is_typed
from nasab.engine.pedigree import FEMALE, MALE
from nasab.formats.familias_model import (
    FALSE,
    GENDER_NAME,
    SILENT,
    TRUE,
    DVIData,
    FamiliasProject,
    FamPerson,
    LocusInfo,
)


# Writing
# ---------------------------------------------------------------------------------------
def _num(x: float) -> str:
    v = float(x)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _q(s: str) -> str:
    if '"' in s or "\n" in s or "\r" in s:
        raise InputError(
            f"name {s!r} contains a quote or a line break, which .fam files cannot hold"
        )
    return f'"{s}"'


def write_fam(project: FamiliasProject, path: str | Path, blame: str | None = None) -> None:
    """Write a ``.fam`` file that Familias 3 opens (CRLF line ends, UTF-8). A project that
    cannot be written names ``blame`` (the input it came from), else ``path``."""
    try:
        text = _render(project)
    except InputError as e:
        if e.file:
            raise
        raise InputError(e.message, file=blame or str(path), field=e.field) from None
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
    allele_index = {
        k: _allele_indices(project.table.markers[k].alleles, project.loci[k]) for k in keys
    }
    out.append(str(len(project.persons)))
    for p in project.persons:
        if p.sex not in (MALE, FEMALE):
            raise InputError(
                f"person {p.id!r} has unknown sex; Familias' persons section needs male or female"
            )
        out += [
            _q(p.id),
            TRUE if p.flags[0] else FALSE,
            p.birth + (" (Consider dropouts)" if p.consider_dropout else ""),
            TRUE if p.flags[1] else FALSE,
            TRUE if p.sex == MALE else FALSE,
        ]
        typed = [(k, g) for k, g in p.genotypes.items() if is_typed(g)]
        typed.sort(key=lambda kg: index.get(kg[0], -1))
        out.append(str(len(typed)))
        for k, g in typed:
            if k not in index:
                raise InputError(f"{p.id!r} is typed for marker {k}, which is not in the database")
            _check_alleles(p.id, g, project.markers[index[k]], allele_index[k], project)
            out += [
                str(allele_index[k][g[0]]) if g[0] is not None else "-1",
                str(allele_index[k][g[1]]) if g[1] is not None else "-1",
                str(index[k]),
            ]
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
            out += ["", *_write_dvi(project.dvi, project.markers, allele_index, project)]
        else:
            out += [f"[{name}]", *lines]
    if project.dvi is not None and not any(n == "DVI" for n, _ in project.sections):
        out += ["", *_write_dvi(project.dvi, project.markers, allele_index, project)]
    return "\r\n".join(out) + "\r\n"


def _check_alleles(pid: str, g, marker: str, known: dict, project: FamiliasProject) -> None:
    """Refuse a typed allele the locus database does not list (Familias would not find it)."""
    for a in g:
        if a is not None and a not in known:
            raise InputError(
                f"allele {a} of {pid!r} (marker {marker}) is not in the frequency table "
                f"{project.table.source}; Familias needs every typed allele there"
            )


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
    out = [
        _q(info.name),
        _num(rf),
        _num(rm),
        str(info.codes[0]),
        str(info.codes[1]),
        str(info.n_alleles_field),
        _num(gf),
        _num(gm),
        _num(r2f),
        _num(r2m),
        TRUE if info.silent else FALSE,
        _num(info.silent_frequency),
    ]
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


def _dvi_person_lines(
    p: FamPerson | Profile, num: int, depth: int, markers: list[str], known=None, project=None
) -> list[str]:
    title = f"Person {num}" + (" " if depth == 3 else "")
    genos = [
        (m, p.genotypes[marker_key(m)])
        for m in markers
        if is_typed(p.genotypes.get(marker_key(m), (None, None)))
    ]
    extra = set(p.genotypes) - {marker_key(m) for m in markers}
    if extra:
        raise InputError(f"{p.id!r} is typed for markers not in the database: {sorted(extra)}")
    out = [
        "[" * depth + title + "]" * depth,
        f"Name= {p.id}",
        f"Gender= {GENDER_NAME[p.sex]}",
        "[" * (depth + 1) + "DNA data" + "]" * (depth + 1),
        f"nSystems= {len(genos)}",
    ]
    for m, g in genos:
        if known is not None:
            _check_alleles(p.id, g, m, known[marker_key(m)], project)
        out += [f"SystemName= {m}", f"Allele1= {g[0] or ''}", f"Allele2= {g[1] or ''}"]
    return out


def _write_dvi(dvi: DVIData, markers: list[str], known: dict, project) -> list[str]:
    out = ["[DVI]", "[[Unidentified persons]]", f"nPersons= {len(dvi.unidentified)}"]
    for i, u in enumerate(dvi.unidentified, start=1):
        out += _dvi_person_lines(u, i, 3, markers, known, project)
    notes = list(dvi.notes) + [""] * (len(dvi.families) - len(dvi.notes))
    out += ["[[Notes]]", f"nFamilies= {len(dvi.families)}", *notes]
    out += ["[[Reference Families]]", f"nFamilies= {len(dvi.families)}"]
    for i, (name, fam) in enumerate(dvi.families.items(), start=1):
        out += [
            f"[[[Family {i} ]]]",
            f"Name= {name}",
            "[[[[Persons]]]]",
            f"nPersons= {len(fam.persons)}",
        ]
        for j, p in enumerate(fam.persons, start=1):
            out += _dvi_person_lines(p, j, 5, markers, known, project)
        out += ["[[[[Pedigrees]]]]", f"nPedigrees= {len(fam.pedigrees)}"]
        for j, ped in enumerate(fam.pedigrees, start=1):
            out += [
                f"[[[[[Pedigree {j}]]]]]",
                f"Name= {ped.name}",
                f"nRelations= {len(ped.relations)}",
            ]
            for par, child in ped.relations:
                out += [f"Parent= {par}", f"Child= {child}"]
    return out
