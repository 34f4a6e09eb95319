"""The trailing INI-like sections of a ``.fam`` file and its ``[DVI]`` section: unidentified
persons, notes and reference families (persons, pedigrees, missing persons)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nasab.engine.errors import InputError
from nasab.engine.frequencies import canonical_allele, marker_key
from nasab.engine.genotypes import Family, Genotype, Profile
from nasab.engine.pedigree import FEMALE, MALE, UNKNOWN_SEX
from nasab.formats.familias_model import (
    GENDER,
    GENDER_NAME,
    DVIData,
    DVIFamily,
    FamPedigree,
    FamPerson,
    Lines,
    build_pedigree,
)


@dataclass
class _Node:
    name: str
    depth: int
    line: int
    entries: list[tuple[str, str, int]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)


_HEADER = re.compile(r"(\[+)([^\[\]]*)(\]+)")


def read_sections(
    cur: Lines, markers: list[str], choices: SexChoices | None = None
) -> tuple[list[tuple[str, list[str]]], DVIData | None]:
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
            raise cur.error(
                f"unexpected line after the database: {s!r} (the database may "
                "list fewer alleles or loci than it says)"
            )
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
    dvi = _interpret_dvi(cur, dvi_root, markers, choices) if dvi_root is not None else None
    return sections, dvi


def _interpret_dvi(
    cur: Lines, root: _Node, markers: list[str], choices: SexChoices | None = None
) -> DVIData:
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
                fam = _dvi_family(cur, fam_node, markers, _note_sex(note), choices)
                if fam.name in out.families:
                    raise cur.error(
                        f"reference family {fam.name!r} appears twice", line=fam_node.line
                    )
                out.families[fam.name] = fam
        else:
            raise cur.error(
                f"unsupported DVI section [[{node.name}]]: nasab reads "
                "[[Unidentified persons]], [[Notes]] and [[Reference Families]]",
                line=node.line,
            )
    return out


def _count(cur: Lines, node: _Node, key: str, allowed: tuple[str, ...] = ()) -> int:
    got = None
    for k, v, ln in node.entries:
        if k == key:
            got = _int_value(cur, k, v, ln)
        elif k not in allowed:
            raise cur.error(f"unsupported key {k!r} in [{node.name}]", line=ln)
    if got is None or got < 0:
        raise cur.error(f"[{node.name}] lacks '{key}= <count>'", line=node.line)
    return got


def _int_value(cur: Lines, key: str, v: str, line: int) -> int:
    try:
        return int(v)
    except ValueError:
        raise cur.error(f"{key} must be an integer, not {v!r}", line=line) from None


def _kids(cur: Lines, node: _Node, prefix: str, n: int) -> list[_Node]:
    for c in node.children:
        if not c.name.startswith(prefix):
            raise cur.error(f"unexpected section [{c.name}] in [{node.name}]", line=c.line)
    if len(node.children) != n:
        raise cur.error(
            f"[{node.name}] says {n} but holds {len(node.children)} "
            f"{prefix.lower()} sections (truncated?)",
            line=node.line,
        )
    return node.children


def _unique(cur: Lines, names: list[tuple[str, int | None]], what: str) -> None:
    seen: dict[str, int | None] = {}
    for n, ln in names:
        if n in seen:
            raise cur.error(f"{what} {n!r} appears twice (first on line {seen[n]})", line=ln)
        seen[n] = ln


def _value(cur: Lines, node: _Node, key: str) -> tuple[str, int]:
    for k, v, ln in node.entries:
        if k == key:
            return v, ln
    raise cur.error(f"[{node.name}] lacks '{key}= ...'", line=node.line)


def _dvi_person(cur: Lines, node: _Node, markers: list[str]) -> FamPerson:
    known = {"Name", "Gender"}
    for k, _, ln in node.entries:
        if k not in known:
            raise cur.error(
                f"unsupported key {k!r} for a DVI person (nasab reads Name and Gender)", line=ln
            )
    name, line = _value(cur, node, "Name")
    if not name:
        raise cur.error("empty person name", line=line)
    gender, gl = _value(cur, node, "Gender")
    if gender.lower() not in GENDER:
        raise cur.error(
            f"Gender of {name!r} must be Male, Female or Unknown, not {gender!r}", line=gl
        )
    genos: dict[str, Genotype] = {}
    keys = {marker_key(m) for m in markers}
    for child in node.children:
        if child.name != "DNA data":
            raise cur.error(f"unexpected section [{child.name}] in a DVI person", line=child.line)
        _dna_data(cur, child, name, keys, genos)
    return FamPerson(name, GENDER[gender.lower()], genos, line=line)


def _dna_data(cur: Lines, child: _Node, name: str, keys: set[str], genos: dict) -> None:
    """A person's [DNA data]: SystemName=, Allele1=, Allele2= triples into ``genos``."""
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
            raise cur.error(f"unsupported key {k!r} in DNA data (expected SystemName=)", line=ln)
        if i + 2 >= len(ents) or ents[i + 1][0] != "Allele1" or ents[i + 2][0] != "Allele2":
            raise cur.error(f"SystemName= {v} must be followed by Allele1= and Allele2=", line=ln)
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
        raise cur.error(
            f"nSystems= {n} but {count} markers listed for {name!r} (truncated?)",
            line=child.line,
        )


NOTE = re.compile(r"nasab missing person id: (.+); sex: (male|female|unknown)")


def _note_sex(note: str) -> int | None:
    """The missing person's sex from a note nasab wrote (Familias' DVI files do not store
    the sex of the missing person)."""
    m = NOTE.fullmatch(note.strip())
    return GENDER[m.group(2)] if m else None


class SexChoices:
    """Sexes the user states for persons whose sex a file leaves open (``--sex``): keys
    ``PERSON`` (every family) or ``FAMILY/PERSON``; values nasab's sex codes."""

    def __init__(self, given: dict[str, int] | None = None) -> None:
        self.given = dict(given or {})
        self.used: set[str] = set()

    def get(self, family: str, pid: str) -> int | None:
        """The stated sex of ``pid`` in ``family`` (FAMILY/PERSON before PERSON)."""
        for key in (f"{family}/{pid}", pid):
            if key in self.given:
                self.used.add(key)
                return self.given[key]
        return None

    def qualified(self, family: str, pid: str) -> bool:
        """Whether the sex was stated for this family (FAMILY/PERSON): then a
        contradiction with the file is refused; a bare PERSON=SEX fills only what the
        file leaves open, in every family."""
        return f"{family}/{pid}" in self.given

    def check_all_used(self, source: str) -> None:
        unused = sorted(set(self.given) - self.used)
        if unused:
            raise InputError(
                f"--sex names {', '.join(repr(u) for u in unused)}: no person of that name "
                "whose sex the file leaves open (write FAMILY/PERSON=M or PERSON=F)",
                file=source,
                field="--sex",
            )


def _dvi_family(
    cur: Lines,
    node: _Node,
    markers: list[str],
    note_sex: int | None = None,
    choices: SexChoices | None = None,
) -> DVIFamily:
    choices = choices or SexChoices()
    for k, _, ln in node.entries:
        if k != "Name":
            raise cur.error(f"unsupported key {k!r} in a reference family", line=ln)
    name, fline = _value(cur, node, "Name")
    persons, ped_nodes = _family_parts(cur, node, name, markers)
    raw_peds = [_raw_pedigree(cur, pn, name) for pn in ped_nodes]
    if not raw_peds:
        raise cur.error(f"reference family {name!r} has no pedigree", line=fline)
    listed = [p.id for p in persons]
    # Names used in relations but not listed are missing persons (Familias writes
    # "Missing person"); their sex follows from their partners', else from --sex.
    missing: list[str] = []
    for _, _, rels in raw_peds:
        for par, child, _ in rels:
            for x in (par, child):
                if x not in listed and x not in missing:
                    missing.append(x)
    _stated_sexes(cur, persons, name, choices)
    sex = {p.id: p.sex for p in persons}
    for x in missing:
        sex[x] = _infer_sex(
            cur, x, raw_peds, sex, name, choices.get(name, x), choices.qualified(name, x)
        )
    if note_sex is not None and len(missing) == 1 and note_sex != UNKNOWN_SEX:
        if sex[missing[0]] not in (UNKNOWN_SEX, note_sex):
            raise cur.error(
                f"family {name!r}: the note gives the missing person's sex as "
                f"{GENDER_NAME[note_sex]}, the pedigree says otherwise",
                line=node.line,
            )
        sex[missing[0]] = note_sex
    ids = listed + missing
    sexes = [sex[i] for i in ids]
    genos = {p.id: p.genotypes for p in persons if p.genotypes}
    peds = []
    for pname, pline, rels in raw_peds:
        pedigree, added = build_pedigree(ids, sexes, rels, cur.source, pline)
        fam = Family(pedigree, list(markers), genos, name)
        peds.append(FamPedigree(pname, fam, [(a, b) for a, b, _ in rels], [], added))
    return DVIFamily(name, persons, peds, missing)


def _stated_sexes(cur: Lines, persons: list[FamPerson], family: str, choices: SexChoices) -> None:
    """--sex for listed persons: fills an Unknown gender; stated for this family
    (FAMILY/PERSON), a contradiction with the file is refused."""
    for p in persons:
        stated = choices.get(family, p.id)
        if stated is None or (p.sex != UNKNOWN_SEX and not choices.qualified(family, p.id)):
            continue  # nothing stated, or the file says it
        if p.sex != UNKNOWN_SEX and stated != p.sex:
            raise cur.error(
                f"--sex gives {p.id!r} of family {family!r} as {GENDER_NAME[stated]}, the "
                f"file as {GENDER_NAME[p.sex]}",
                line=p.line,
            )
        p.sex = stated


def _family_parts(
    cur: Lines, node: _Node, name: str, markers: list[str]
) -> tuple[list[FamPerson], list[_Node]]:
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
            raise cur.error(
                f"unexpected section [{child.name}] in family {name!r}", line=child.line
            )
    _unique(cur, [(p.id, p.line) for p in persons], f"person of family {name!r}")
    return persons, ped_nodes


def _raw_pedigree(cur: Lines, pn: _Node, family: str) -> tuple[str, int, list]:
    """(name, line, [(parent, child, line)]) of a pedigree section of a family."""
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
            raise cur.error(f"unsupported key {k!r} in a pedigree of family {family!r}", line=ln)
        i += 1
    if pname is None:
        raise cur.error(f"a pedigree of family {family!r} has no Name=", line=pn.line)
    if n_rel is None or n_rel != len(rels):
        raise cur.error(
            f"pedigree {pname!r} of family {family!r}: nRelations= {n_rel} but "
            f"{len(rels)} relations listed (truncated?)",
            line=pn.line,
        )
    return pname, pn.line, rels


def _infer_sex(
    cur: Lines,
    x: str,
    raw_peds,
    sex: dict[str, int],
    fam: str,
    stated: int | None = None,
    strict: bool = False,
) -> int:
    """The sex of a missing person the family does not list: from its partners, else as
    stated with ``--sex`` (``strict``: stated for this family, so a contradiction with the
    partners is refused; otherwise the partners decide)."""
    spouses: set[int] = set()
    for _, _, rels in raw_peds:
        kids = {c for p, c, _ in rels if p == x}
        for p, c, _ in rels:
            if c in kids and p != x:
                spouses.add(sex.get(p, UNKNOWN_SEX))
    inferred = {frozenset({MALE}): FEMALE, frozenset({FEMALE}): MALE}.get(frozenset(spouses))
    if stated is not None and inferred is not None and not strict:
        stated = None
    if stated is not None:
        if inferred is not None and inferred != stated:
            raise cur.error(
                f"--sex gives {x!r} of family {fam!r} as {GENDER_NAME[stated]}, but its "
                f"partners make it {GENDER_NAME[inferred]}"
            )
        return stated
    if inferred is not None:
        return inferred
    if spouses:
        raise cur.error(
            f"cannot tell the sex of {x!r} in family {fam!r} from the partners; state it "
            f"with --sex '{fam}/{x}=M' (or =F)"
        )
    if any(p == x for _, _, rels in raw_peds for p, _, _ in rels):
        raise cur.error(
            f"cannot tell the sex of {x!r} in family {fam!r}: a parent with no partner and "
            f"not listed as a person; state it with --sex '{fam}/{x}=M' (or =F)"
        )
    return UNKNOWN_SEX
