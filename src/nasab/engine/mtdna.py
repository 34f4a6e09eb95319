"""mtDNA sequences as differences from the rCRS: comparison, interpretation and the LR.

A profile is the range(s) sequenced and the variants there (EMPOP / ISFG nomenclature,
Parson et al. 2014): ``73G`` a substitution, ``16093Y`` a point heteroplasmy (IUPAC code:
Y = C/T), ``315.1C`` an insertion (first inserted base after 315), ``523DEL`` (or ``523d``,
``523-``) a deletion. Every position not listed within the range equals the rCRS.

Comparison is over the positions both profiles cover. Length variants in the C-stretches
(insertions and deletions at 16184-16193, 303-315 and 568-573) are ignored, as the SWGDAM
(2019) and ISFG guidelines say for length heteroplasmy. A position is a difference only if
the two states share no base (16093Y against 16093C is not a difference: heteroplasmy).
Interpretation (SWGDAM 2019): 0 differences: cannot exclude; 1: inconclusive; 2 or more:
exclusion.

LR: the mtDNA is passed unchanged mother -> child along the maternal line (every person
whose top maternal ancestor is the missing person's shares it). With a reference on that
line and 'cannot exclude', LR = 1/f, f the one-sided upper Clopper-Pearson bound of the
database count x/N of sequences that cannot be excluded from the POI's over the compared
range; 'exclusion' gives LR 0; 'inconclusive' gives no evidence (factor 1, stated).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from nasab.engine.errors import InputError
from nasab.engine.lineage import LineageEvidence, clopper_pearson_upper, read_tsv
from nasab.engine.pedigree import Pedigree

GENOME = 16569
IUPAC = {
    "A": "A",
    "C": "C",
    "G": "G",
    "T": "T",
    "R": "AG",
    "Y": "CT",
    "S": "CG",
    "W": "AT",
    "K": "GT",
    "M": "AC",
    "B": "CGT",
    "D": "AGT",
    "H": "ACT",
    "V": "ACG",
    "N": "ACGT",
}
C_STRETCHES = ((16184, 16193), (303, 315), (568, 573))
_VARIANT = re.compile(r"(\d{1,5})(?:\.(\d{1,2}))?([A-Za-z]+|-)")
Key = tuple[int, int]  # (position, insertion index; 0 = the rCRS position itself)


_RCRS: str | None = None


def rcrs() -> str:
    """The rCRS (NC_012920.1) as one string; rcrs()[p - 1] is position p."""
    global _RCRS
    if _RCRS is None:
        from importlib import resources

        text = resources.files("nasab").joinpath("data/rCRS.fasta").read_text(encoding="utf-8")
        _RCRS = "".join(
            r.strip() for r in text.splitlines() if r and not r.startswith(("#", ">"))
        ).upper()
    return _RCRS


@dataclass(frozen=True)
class MtProfile:
    ranges: tuple[tuple[int, int], ...]  # inclusive; start > end wraps through 16569/1
    variants: tuple[tuple[Key, str], ...]  # sorted; value: IUPAC letters or "DEL"

    def covers(self, pos: int) -> bool:
        return any((a <= pos <= b) if a <= b else (pos >= a or pos <= b) for a, b in self.ranges)

    @property
    def variant_map(self) -> dict[Key, str]:
        return dict(self.variants)

    def describe(self) -> str:
        rng = ";".join(f"{a}-{b}" for a, b in self.ranges)
        return f"{rng}: " + " ".join(_name(k, v) for k, v in self.variants)

    def positions(self) -> set[int]:
        out: set[int] = set()
        for a, b in self.ranges:
            out.update(range(a, b + 1) if a <= b else [*range(a, GENOME + 1), *range(1, b + 1)])
        return out


def _name(k: Key, v: str) -> str:
    return f"{k[0]}" + (f".{k[1]}" if k[1] else "") + v


def parse_mtdna(
    text: str, *, file: str | None = None, line: int | None = None, field_name: str | None = None
) -> MtProfile | None:
    """``RANGES: VARIANTS``, e.g. ``16024-16365;73-340: 16093Y 16129A 73G 315.1C``; ranges
    separated by ``;`` (a range may wrap: ``16024-576``). Empty or ``-``: untyped (None)."""
    s = text.strip()
    if s in ("", "-", "NA"):
        return None

    def bad(msg: str) -> InputError:
        return InputError(msg, file=file, line=line, field=field_name)

    head, colon, tail = s.partition(":")
    if not colon:
        raise bad(
            f"mtDNA {s!r} must be written RANGES: VARIANTS (e.g. '16024-16365: "
            "16093Y 16129A'); the range sequenced is needed"
        )
    ranges = tuple(_range(part, bad) for part in head.split(";"))
    prof = MtProfile(ranges, ())
    seen: dict[Key, str] = {}
    for tok in tail.split():
        key, base = _variant(tok, prof, head.strip(), bad)
        if key in seen:
            raise bad(f"mtDNA variant at {_name(key, '')} given twice")
        seen[key] = base
    return MtProfile(ranges, tuple(sorted(seen.items())))


def _range(part: str, bad) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", part)
    if not m:
        raise bad(f"mtDNA range {part.strip()!r} is not START-END")
    a, b = int(m.group(1)), int(m.group(2))
    if not (1 <= a <= GENOME and 1 <= b <= GENOME):
        raise bad(f"mtDNA range {a}-{b} lies outside 1-{GENOME}")
    return a, b


def _variant(tok: str, prof: MtProfile, ranges: str, bad) -> tuple[Key, str]:
    """One variant token as ((position, insertion index), base), checked against the
    stated range and the rCRS."""
    m = _VARIANT.fullmatch(tok)
    if not m:
        raise bad(f"mtDNA variant {tok!r} is not in EMPOP/ISFG form (73G, 16093Y, 315.1C, 523DEL)")
    pos, ins, base = int(m.group(1)), int(m.group(2) or 0), m.group(3).upper()
    if not 1 <= pos <= GENOME:
        raise bad(f"mtDNA variant {tok!r}: position outside 1-{GENOME}")
    if not prof.covers(pos):
        raise bad(f"mtDNA variant {tok!r} is outside the stated range {ranges}")
    ref = rcrs()
    if base in ("DEL", "D", "-"):
        if ins:
            raise bad(f"mtDNA variant {tok!r}: an insertion cannot be a deletion")
        base = "DEL"
    elif base not in IUPAC:
        raise bad(f"mtDNA variant {tok!r}: {base!r} is not a base or IUPAC code")
    elif not ins and ref[pos - 1] != "N" and base == ref[pos - 1]:
        raise bad(f"mtDNA variant {tok!r} is the rCRS base at {pos}: not a difference")
    return (pos, ins), base


def _ignored(k: Key, v: str) -> bool:
    """A length variant in a C-stretch (ignored for comparison)."""
    return (k[1] > 0 or v == "DEL") and any(a <= k[0] <= b for a, b in C_STRETCHES)


def _bases(k: Key, v: str | None) -> set[str]:
    if v is None:  # the rCRS state
        return {"-"} if k[1] else {rcrs()[k[0] - 1]}
    return {"DEL"} if v == "DEL" else set(IUPAC[v])


@dataclass
class MtComparison:
    differences: list[str]
    heteroplasmic: list[str]  # positions where a shared base is not a difference
    ignored: list[str]
    overlap: int  # positions compared

    @property
    def conclusion(self) -> str:
        if self.overlap == 0:
            return "no overlap"
        n = len(self.differences)
        return "cannot exclude" if n == 0 else "inconclusive" if n == 1 else "exclusion"


def compare(a: MtProfile, b: MtProfile) -> MtComparison:
    """Compare over the positions both cover (SWGDAM 2019 / ISFG interpretation)."""
    both = a.positions() & b.positions()
    va, vb = a.variant_map, b.variant_map
    diff, het, ign = [], [], []
    for k in sorted(set(va) | set(vb)):
        if k[0] not in both:
            continue
        x, y = va.get(k), vb.get(k)
        if (x and _ignored(k, x)) or (y and _ignored(k, y)):
            ign.append(_name(k, x or y or ""))
            continue
        bx, by = _bases(k, x), _bases(k, y)
        if not bx & by:
            diff.append(f"{_name(k, x or '(rCRS)')}/{_name(k, y or '(rCRS)')}")
        elif bx != by:
            het.append(_name(k, x if x and len(bx) > 1 else y or ""))
    return MtComparison(diff, het, ign, len(both))


def excluded(a: MtProfile, b: MtProfile) -> bool:
    """``compare(a, b).conclusion == "exclusion"`` (two or more differences), computed from
    the variants alone with an early stop: the screen of a blind search (millions of pairs)."""
    va, vb = a.variant_map, b.variant_map
    n = 0
    for k in va.keys() | vb.keys():
        if not (a.covers(k[0]) and b.covers(k[0])):
            continue
        x, y = va.get(k), vb.get(k)
        if (x and _ignored(k, x)) or (y and _ignored(k, y)):
            continue
        if not _bases(k, x) & _bases(k, y):
            n += 1
            if n >= 2:
                return True
    return False


def restricted(p: MtProfile, positions: set[int]) -> MtProfile:
    return MtProfile(p.ranges, tuple((k, v) for k, v in p.variants if k[0] in positions))


@dataclass
class MtDatabase:
    rows: list[MtProfile]
    source: str = ""
    sha256: str = ""

    def describe(self) -> str:
        return f"{Path(self.source).name} ({len(self.rows)} sequences, sha256 {self.sha256[:12]})"

    def count(self, poi: MtProfile, region: set[int]) -> tuple[int, int]:
        """(x, N): sequences covering ``region`` that cannot be excluded from the POI's there
        (no difference; heteroplasmy and C-stretch length variants as in :func:`compare`)."""
        want = frozenset(region)
        covered: dict[tuple, bool] = {}

        def kept(p: MtProfile) -> dict[Key, str]:
            return {k: v for k, v in p.variants if k[0] in want and not _ignored(k, v)}

        target = kept(poi)
        x = n = 0
        for r in self.rows:
            ok = covered.get(r.ranges)
            if ok is None:
                ok = covered[r.ranges] = want <= r.positions()
            if not ok:
                continue
            n += 1
            other = kept(r)
            x += all(
                _bases(k, target.get(k)) & _bases(k, other.get(k))
                for k in target.keys() | other.keys()
            )
        return x, n


def _as_ranges(positions: set[int]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for p in sorted(positions):
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return tuple(out)


def read_mtdna_database(path: str | Path) -> MtDatabase:
    """A table with ``range`` and ``variants`` columns (as ``../shared/data/mtdna/``) or one
    ``mtDNA`` column in the ``RANGES: VARIANTS`` syntax."""
    path = Path(path)
    src = str(path)
    header, rows, digest = read_tsv(path)
    low = [h.lower() for h in header]
    out = []
    for lineno, cells in rows:
        if "mtdna" in low:
            text = cells[low.index("mtdna")]
        elif "range" in low and "variants" in low:
            rng = cells[low.index("range")].replace(",", ";")
            text = f"{rng}: {cells[low.index('variants')]}"
        else:
            raise InputError(
                "an mtDNA database needs 'range' and 'variants' columns or one 'mtDNA' column",
                file=src,
                line=1,
            )
        p = parse_mtdna(text, file=src, line=lineno, field_name="variants")
        if p is not None:
            out.append(p)
    if not out:
        raise InputError("no sequences in the mtDNA database", file=src)
    return MtDatabase(out, src, digest)


def maternal_root(ped: Pedigree, pid: str) -> str:
    return ped.maternal_line(pid)[-1]


def mtdna_lr(
    ped: Pedigree,
    missing: str,
    refs: dict[str, MtProfile],
    poi: MtProfile | None,
    database: MtDatabase | None,
    *,
    confidence: float = 0.95,
) -> LineageEvidence:
    """The mtDNA factor of the LR that the POI is ``missing`` (see the module text)."""
    ev = LineageEvidence(
        "mtDNA",
        model="mtDNA passed unchanged along the maternal line; "
        "SWGDAM 2019 interpretation (heteroplasmy-aware, C-stretch length "
        "variants ignored)",
    )
    if poi is None:
        ev.statement = "the POI has no mtDNA sequence: no mtDNA evidence"
        return ev
    root = maternal_root(ped, missing)
    on = ev.references_on_line(
        refs,
        missing,
        lambda q: maternal_root(ped, q) == root,
        line="maternal",
        root=root,
        who="typed person",
    )
    if on is None:
        return ev
    cmps = {q: compare(poi, p) for q, p in on.items()}
    per = {
        q: {
            "conclusion": c.conclusion,
            "differences": c.differences,
            "heteroplasmic": c.heteroplasmic,
            "ignored_length_variants": c.ignored,
            "positions_compared": c.overlap,
        }
        for q, c in cmps.items()
    }
    ev.details.update({"maternal_line": sorted(on), "top_ancestor": root, "comparisons": per})
    best = min(
        cmps, key=lambda q: (len(cmps[q].differences) if cmps[q].overlap else 99, -cmps[q].overlap)
    )
    c = cmps[best]
    if len({len(x.differences) for x in cmps.values()}) > 1:
        ev.warnings.append(
            "the maternal-line references differ among themselves; the "
            f"comparison with {best} (fewest differences) is used"
        )
    if c.conclusion in ("no overlap", "inconclusive"):
        ev.statement = (
            f"{c.conclusion} against {best}"
            + (f" ({c.differences[0]})" if c.differences else "")
            + ": no mtDNA evidence used"
        )
        return ev
    ev.used = True
    if c.conclusion == "exclusion":
        ev.log10_lr = -math.inf
        ev.statement = (
            f"exclusion: {len(c.differences)} differences with {best} ({', '.join(c.differences)})"
        )
        return ev
    if database is None:
        raise InputError(
            "mtDNA sequences are given for the POI and the maternal line: name "
            "a database with --mtdna-db",
            field="--mtdna-db",
        )
    region = poi.positions() & on[best].positions()
    x, n = database.count(poi, region)
    if n == 0:
        raise InputError(
            f"no sequence of the mtDNA database covers the compared range "
            f"({len(region)} positions)",
            file=database.source,
        )
    f = clopper_pearson_upper(x, n, confidence)
    ev.log10_lr = -math.log10(f)
    ev.database = database.describe()
    ev.details["population_probability"] = {
        "method": "counting",
        "matches": x,
        "database_size": n,
        "confidence": confidence,
        "frequency": f,
        "positions": len(region),
    }
    ev.statement = (
        f"cannot exclude (against {best}, {len(region)} positions); {x} of {n} "
        f"database sequences cannot be excluded; f = one-sided {confidence:.0%} "
        "upper Clopper-Pearson bound of x/N"
    )
    return ev
