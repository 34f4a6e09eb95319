"""The one Y-STR allele grammar (:mod:`nasab.engine.ystr`): which columns are Y-STR loci
(``is_ystr_locus``, ``ystr_key``), a locus state as a sorted tuple of allele labels (repeat
numbers, intermediate alleles, ``null``: ``parse_ystr``, ``format_state``), the ordered lab
columns of a multi-copy locus (DYS385a/b, DYF387S1a/b: ``check_copy_columns``,
``merge_copies``), and one repeat step of an allele (``_step``)."""

from __future__ import annotations

import re

from nasab.engine.errors import InputError
from nasab.engine.frequencies import marker_key

State = tuple[str, ...]
Haplotype = dict[str, State]
NULL = "null"
Y_PREFIXES = ("DYS", "DYF", "YGATA")


_ALLELE = re.compile(r"\d{1,3}(\.\d)?")


def is_ystr_locus(name: str) -> bool:
    """A column is a Y-STR locus by its name (DYS..., DYF..., Y_GATA_H4) or a ``Y:`` prefix."""
    return name.strip().upper().startswith("Y:") or marker_key(name).startswith(Y_PREFIXES)


def ystr_key(name: str) -> str:
    n = name.strip()
    return marker_key(n[2:] if n.upper().startswith("Y:") else n)


# --- the one Y allele grammar ----------------------------------------------------------------
def parse_ystr(
    text: str, *, file: str | None = None, line: int | None = None, field_name: str | None = None
) -> State | None:
    """A Y-STR cell: ``14``, ``14.2``, ``null``, or ``11,14`` (a multi-copy locus, unordered;
    ``11/14`` is read the same); ``0`` is a null allele, as YHRD writes it. Empty, ``-`` or
    ``NA``: untyped (None)."""
    s = text.strip()
    if s in ("", "-", "NA", "?", "-/-"):
        return None
    out = []
    for part in re.split(r"[,/]", s):
        p = part.strip()
        if p.lower() == NULL or p == "0":  # YHRD and Purps et al. write a null allele 0
            out.append(NULL)
            continue
        if p.upper() == "OL":
            raise InputError(
                f"off-ladder allele {s!r}: give its designation (e.g. 14.2) or "
                "leave the locus untyped",
                file=file,
                line=line,
                field=field_name,
            )
        if not _ALLELE.fullmatch(p) or float(p) == 0:
            raise InputError(
                f"Y-STR allele {p!r} in {s!r} is not a repeat number "
                "(14, 14.2), 'null', or a comma-separated set (11,14)",
                file=file,
                line=line,
                field=field_name,
            )
        whole, _, frac = p.partition(".")
        out.append(str(int(whole)) + (f".{frac}" if frac and frac != "0" else ""))
    return tuple(sorted(out, key=_allele_order))


# --- ordered lab columns of a multi-copy locus (DYS385a/b, DYF387S1a/b) ---------------------
_COPY = re.compile(r"^(DYS385|DYF387S1)([AB])$")


def check_copy_columns(names: list[str], *, file: str) -> None:
    """DYS385a and DYS385b (DYF387S1a/b) come as a pair, and not beside a DYS385 column:
    the pair is read as the unordered set DYS385 (the copies' order is the lab's, by size,
    and carries no information about which copy is which)."""
    keys = {ystr_key(n): n for n in names}
    for k, n in keys.items():
        m = _COPY.match(k)
        if not m:
            continue
        other = m[1] + ("B" if m[2] == "A" else "A")
        if other not in keys:
            raise InputError(
                f"{n} without its other copy ({m[1]}{'b' if m[2] == 'A' else 'a'}): give both "
                f"ordered columns of the multi-copy locus {m[1]}, or one {m[1]} column (11,14)",
                file=file,
                line=1,
                field=n,
            )
        if m[1] in keys:
            raise InputError(
                f"{m[1]} appears twice: as {keys[m[1]]} and as {n}",
                file=file,
                line=1,
                field=n,
            )


def merge_copies(hap: Haplotype, *, file: str | None = None, line: int | None = None) -> Haplotype:
    """A haplotype with DYS385a/DYS385b (DYF387S1a/b) read as the unordered set DYS385
    (DYF387S1): ``{"DYS385A": ("11",), "DYS385B": ("14",)}`` -> ``{"DYS385": ("11", "14")}``.
    One copy typed without the other is an error (the copy number would be wrong)."""
    parts: dict[str, dict[str, State]] = {}
    out: Haplotype = {}
    for k, st in hap.items():
        m = _COPY.match(k)
        if m:
            parts.setdefault(m[1], {})[m[2]] = st
        else:
            out[k] = st
    for base, p in parts.items():
        if len(p) != 2:
            have = next(iter(p))
            raise InputError(
                f"{base}{have.lower()} is typed and {base}{'b' if have == 'A' else 'a'} is "
                f"not: give both copies of {base} or neither",
                file=file,
                line=line,
                field=f"{base}{have.lower()}",
            )
        out[base] = tuple(sorted(p["A"] + p["B"], key=_allele_order))
    return out


def format_state(s: State | None) -> str:
    return "-" if not s else ",".join(s)


def _allele_order(a: str) -> tuple[float, str]:
    return (-1.0, a) if a == NULL else (float(a), a)


def _step(a: str, d: int) -> str | None:
    if a == NULL:
        return None
    whole, _, frac = a.partition(".")
    w = int(whole) + d
    return None if w < 1 else str(w) + (f".{frac}" if frac else "")
