"""Genotypes as labs write them, and the typed data of a family.

A genotype is a pair of allele labels; ``None`` stands for an allele that is not known.
``12/14`` is typed, ``-/-`` untyped, ``12/-`` partially typed (one allele known).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nasab.engine.errors import InputError, shorten
from nasab.engine.frequencies import canonical_allele, marker_key, refuse_hidden
from nasab.engine.observation import DROPOUT_MARK, DropModel
from nasab.engine.pedigree import Pedigree

Genotype = tuple[str | None, str | None]
UNTYPED: Genotype = (None, None)
MISSING_ALLELE = {"-", "?", "0", "NA", ""}
# Arabic-Indic and Persian (Eastern Arabic-Indic) digits, and the Arabic decimal separator,
# as typed on Arabic keyboards: read as the Latin digits and point they stand for.
LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


MAX_ALLELE_LENGTH = 24  # "10.3", "Q", "rs1234:A": an allele name is short


def parse_genotype(
    text: str, *, file: str | None = None, line: int | None = None, field_name: str | None = None
) -> Genotype:
    """Parse ``a/b``; ``-`` (or ``?``, ``0``, ``NA``) is an unknown allele. Arabic-Indic
    and Persian digits are read as Latin digits (``١٠/١١`` is ``10/11``)."""
    s = text.strip().translate(LATIN_DIGITS)
    if s in ("", "-", "NA", "-/-", "?/?", "0/0", "NA/NA"):
        return UNTYPED
    parts = s.split("/")
    if len(parts) != 2:
        raise InputError(
            f"genotype {s!r} must have exactly two alleles written a/b (found {len(parts)})",
            file=file,
            line=line,
            field=field_name,
        )
    out: list[str | None] = []
    for p in parts:
        p = p.strip()
        if p == "" and s.count("/") == 1 and parts.count("") == 1:
            raise InputError(
                f"genotype {s!r} has an empty allele", file=file, line=line, field=field_name
            )
        if p in MISSING_ALLELE:
            out.append(None)
            continue
        if p.upper() == DROPOUT_MARK:  # 12/F: a single allele, the other may have dropped out
            out.append(DROPOUT_MARK)
            continue
        if any(c.isspace() for c in p):
            raise InputError(
                f"allele {p!r} in genotype {s!r} contains spaces",
                file=file,
                line=line,
                field=field_name,
            )
        refuse_hidden(p, "allele", file=file, line=line, field=field_name)
        if len(p) > MAX_ALLELE_LENGTH:
            raise InputError(
                f"allele {shorten(p, 30)} is not an allele name (more than "
                f"{MAX_ALLELE_LENGTH} characters)",
                file=file,
                line=line,
                field=field_name,
            )
        out.append(canonical_allele(p))
    if (out[0] is None and out[1] is not None) or out[0] == DROPOUT_MARK:
        out.reverse()
    if out[0] == DROPOUT_MARK or (out[0] is None and out[1] == DROPOUT_MARK):
        raise InputError(
            f"genotype {s!r} has no observed allele beside F",
            file=file,
            line=line,
            field=field_name,
        )
    return (out[0], out[1])


def format_genotype(g: Genotype) -> str:
    return f"{g[0] or '-'}/{g[1] or '-'}"


def is_typed(g: Genotype) -> bool:
    return g[0] is not None or g[1] is not None


@dataclass
class Family:
    """A reference pedigree with the genotypes of its typed members.

    ``genotypes[person][marker_key]`` is a :data:`Genotype`; absent entries are untyped.
    ``markers`` keeps the marker names in file order.
    """

    pedigree: Pedigree
    markers: list[str]
    genotypes: dict[str, dict[str, Genotype]] = field(default_factory=dict)
    name: str = ""
    drops: dict[str, DropModel] = field(default_factory=dict)  # references with dropout
    # per-marker dropout of references: marker_key -> {person: model}, over ``drops``
    marker_drops: dict[str, dict[str, DropModel]] = field(default_factory=dict)
    # lineage markers: person -> Y-STR haplotype (nasab.engine.ystr), person -> mtDNA profile
    ystr: dict[str, dict] = field(default_factory=dict)
    mtdna: dict[str, object] = field(default_factory=dict)

    def drops_for(self, marker: str) -> dict[str, DropModel]:
        """The references' dropout models at one marker."""
        here = self.marker_drops.get(marker_key(marker))
        return {**self.drops, **here} if here else self.drops

    def genotype(self, person: str, marker: str) -> Genotype:
        return self.genotypes.get(person, {}).get(marker_key(marker), UNTYPED)

    def typed_persons(self, marker: str | None = None) -> list[str]:
        out = []
        for pid in self.pedigree.ids:
            g = self.genotypes.get(pid, {})
            if marker is None:
                if any(is_typed(x) for x in g.values()):
                    out.append(pid)
            elif is_typed(g.get(marker_key(marker), UNTYPED)):
                out.append(pid)
        return out

    def marker_genotypes(self, marker: str) -> dict[str, Genotype]:
        k = marker_key(marker)
        return {pid: g[k] for pid, g in self.genotypes.items() if is_typed(g.get(k, UNTYPED))}

    def with_genotypes(self, person: str, genos: dict[str, Genotype]) -> Family:
        new = {pid: dict(g) for pid, g in self.genotypes.items()}
        new[person] = dict(genos)
        return Family(
            self.pedigree,
            self.markers,
            new,
            self.name,
            dict(self.drops),
            {k: dict(v) for k, v in self.marker_drops.items()},
            dict(self.ystr),
            dict(self.mtdna),
        )


@dataclass
class Profile:
    """One person's (or one remain's) typed markers, keyed by marker_key."""

    id: str
    genotypes: dict[str, Genotype]
    sex: int = 0
    markers: list[str] = field(default_factory=list)
    drop: DropModel | None = None  # the sample's dropout / drop-in model
    marker_drops: dict[str, DropModel] = field(default_factory=dict)  # per-marker overrides
    ystr: dict = field(default_factory=dict)  # Y-STR haplotype (nasab.engine.ystr)
    mtdna: object | None = None  # mtDNA profile (nasab.engine.mtdna.MtProfile)

    def genotype(self, marker: str) -> Genotype:
        return self.genotypes.get(marker_key(marker), UNTYPED)

    def drop_for(self, marker: str) -> DropModel | None:
        return self.marker_drops.get(marker_key(marker), self.drop)


def parse_sex(cell: str, *, file: str | None = None, line: int | None = None) -> int:
    """A table's sex cell: 1 male, 2 female, 0 unknown."""
    if cell not in ("0", "1", "2"):
        raise InputError(f"sex must be 1, 2 or 0, not {cell!r}", file=file, line=line, field="sex")
    return int(cell)
