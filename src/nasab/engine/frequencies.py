"""Allele frequency databases.

Two formats are read: Familias' text format (a marker name alone on a line, then
``allele<TAB>frequency`` lines, a blank line between markers) and the ``marker allele
frequency`` TSV of the shared data folder (``#`` header lines give source, N and licence).

Frequencies are used exactly as given unless the user asks to normalise; a marker whose
frequencies do not sum to 1 is reported. Alleles seen in data but absent from a table get a
minimum frequency (5/2N when N is known, NRC II 1996 recommendation 4.1; otherwise
``DEFAULT_MIN_FREQUENCY``) and a warning.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError, shorten
from nasab.engine.textfile import read_utf8

DEFAULT_MIN_FREQUENCY = 0.001
SUM_TOLERANCE = 1e-6


@functools.lru_cache(maxsize=4096)
def marker_key(name: str) -> str:
    """Canonical key for matching marker names across files (``Penta D`` = ``PENTA_D``)."""
    return re.sub(r"[\s_\-.]", "", name).upper()


# Unicode categories never part of an allele or marker name: control, format (the
# bidirectional overrides that make "21" display as "12"), private use, surrogates, line
# separators.
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def refuse_hidden(text: str, what: str, **where) -> None:
    """An allele or marker name holding an invisible or control character is refused
    (``where``: the InputError's file, line, field), naming the character: ``U+202E``."""
    c = next((c for c in text if unicodedata.category(c) in _HIDDEN), None)
    if c is not None:
        raise InputError(
            f"{what} {ascii(shorten(text, 30))} holds an invisible or control character "
            f"(U+{ord(c):04X})",
            **where,
        )


def canonical_allele(label: str) -> str:
    """Allele label as labs write it: ``9.3``, ``13.2``, ``>27``; ``10.0`` becomes ``10``."""
    s = label.strip()
    if re.fullmatch(r"\d+(\.\d+)?", s):
        whole, _, frac = s.partition(".")
        whole = whole.lstrip("0") or "0"
        frac = frac.rstrip("0")
        return f"{whole}.{frac}" if frac else whole
    return s


class FrequencyWarning(UserWarning):
    """An allele missing from a table, or frequencies that do not sum to 1."""


@dataclass
class MarkerFrequencies:
    name: str
    alleles: list[str]
    freqs: np.ndarray
    added: list[str] = field(default_factory=list)  # alleles given the minimum frequency

    def index(self, allele: str) -> int:
        return self.alleles.index(allele)

    @property
    def total(self) -> float:
        return float(np.sum(self.freqs))


@dataclass
class FrequencyTable:
    """Allele frequencies per marker, with provenance for reports."""

    markers: dict[str, MarkerFrequencies]  # keyed by marker_key
    source: str = ""
    n_individuals: int | None = None
    sha256: str = ""
    min_frequency: float | None = None
    model_cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __contains__(self, marker: str) -> bool:
        return marker_key(marker) in self.markers

    def __getitem__(self, marker: str) -> MarkerFrequencies:
        return self.markers[marker_key(marker)]

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.markers.values()]

    @property
    def floor(self) -> float:
        """The minimum frequency given to alleles absent from the table."""
        if self.min_frequency is not None:
            return self.min_frequency
        if self.n_individuals:
            return 5.0 / (2 * self.n_individuals)
        return DEFAULT_MIN_FREQUENCY

    def version(self) -> str:
        return f"{Path(self.source).name or 'table'} sha256:{self.sha256[:12]}"

    def unnormalised_markers(self) -> list[tuple[str, float]]:
        return [
            (m.name, m.total) for m in self.markers.values() if abs(m.total - 1) > SUM_TOLERANCE
        ]

    def normalised(self) -> FrequencyTable:
        return FrequencyTable(
            {
                k: MarkerFrequencies(
                    m.name, list(m.alleles), m.freqs / m.freqs.sum(), list(m.added)
                )
                for k, m in self.markers.items()
            },
            self.source,
            self.n_individuals,
            self.sha256,
            self.min_frequency,
        )

    def ensure_alleles(self, marker: str, alleles: Iterable[str], where: str = "") -> None:
        """Add alleles seen in data but missing from the table, at the minimum frequency."""
        mf = self[marker]
        for a in alleles:
            if a not in mf.alleles:
                mf.alleles.append(a)
                mf.freqs = np.append(mf.freqs, self.floor)
                mf.added.append(a)
                warnings.warn(
                    f"{where}allele {a} of marker {mf.name} is not in the frequency table "
                    f"{Path(self.source).name}; using the minimum frequency {self.floor:g}",
                    FrequencyWarning,
                    stacklevel=2,
                )


def _finish(
    markers: dict[str, MarkerFrequencies], source: str, data: bytes, n: int | None
) -> FrequencyTable:
    if not markers:
        raise InputError("no markers found in the frequency file", file=source)
    return FrequencyTable(markers, source, n, hashlib.sha256(data).hexdigest())


def _read_text(path: Path) -> tuple[str, bytes]:
    text, data = read_utf8(path)
    bad = next((c for c in text if ord(c) < 32 and c not in "\t\n\r"), None)
    if bad is not None:
        line = text[: text.index(bad)].count("\n") + 1
        raise InputError(
            f"control character {bad!r} (binary content?): not a text frequency table",
            file=str(path),
            line=line,
        )
    return text, data


def _parse_freq(value: str, source: str, lineno: int, marker: str, allele: str) -> float:
    try:
        f = float(value)
    except ValueError:
        raise InputError(
            f"frequency {value!r} of allele {allele} (marker {marker}) is not a number",
            file=source,
            line=lineno,
        ) from None
    if not (0.0 < f <= 1.0):
        raise InputError(
            f"frequency {f} of allele {allele} (marker {marker}) must be in (0, 1]",
            file=source,
            line=lineno,
        )
    return f


def _add(
    markers: dict[str, MarkerFrequencies],
    name: str,
    allele: str,
    f: float,
    source: str,
    lineno: int,
) -> None:
    refuse_hidden(name, "marker", file=source, line=lineno)
    refuse_hidden(allele, "allele", file=source, line=lineno)
    key = marker_key(name)
    mf = markers.setdefault(key, MarkerFrequencies(name, [], np.empty(0)))
    if allele in mf.alleles:
        raise InputError(f"allele {allele} of marker {name} listed twice", file=source, line=lineno)
    mf.alleles.append(allele)
    mf.freqs = np.append(mf.freqs, f)


def _split_familias_line(line: str) -> list[str]:
    if "\t" in line:
        return [p.strip() for p in line.split("\t") if p.strip()]
    parts = line.rsplit(None, 1)
    if len(parts) == 2:
        try:
            float(parts[1])
        except ValueError:
            return [line]
    return parts


def read_familias(path: str | Path) -> FrequencyTable:
    """Read Familias' text format."""
    path = Path(path)
    text, data = _read_text(path)
    src = str(path)
    markers: dict[str, MarkerFrequencies] = {}
    current: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        parts = _split_familias_line(line)
        if current is None:
            if len(parts) != 1:
                raise InputError(
                    f"expected a marker name alone on the line, found {line!r}",
                    file=src,
                    line=lineno,
                )
            current = line
            if marker_key(current) in markers:
                raise InputError(f"marker {current} appears twice", file=src, line=lineno)
            markers[marker_key(current)] = MarkerFrequencies(current, [], np.empty(0))
            continue
        if len(parts) != 2:
            raise InputError(
                f"expected 'allele<TAB>frequency' for marker {current}, found {line!r}",
                file=src,
                line=lineno,
            )
        allele = canonical_allele(parts[0])
        _add(
            markers,
            current,
            allele,
            _parse_freq(parts[1], src, lineno, current, allele),
            src,
            lineno,
        )
    empty = [m.name for m in markers.values() if not m.alleles]
    if empty:
        raise InputError(f"marker(s) with no alleles: {', '.join(empty)}", file=src)
    return _finish(markers, src, data, None)


def read_tsv(path: str | Path) -> FrequencyTable:
    """Read the ``marker allele frequency`` TSV (``#`` lines: source, N, licence)."""
    path = Path(path)
    text, data = _read_text(path)
    src = str(path)
    markers: dict[str, MarkerFrequencies] = {}
    n: int | None = None
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("#"):
            m = re.match(r"#\s*N:\s*(\d+)", raw)
            if m:
                n = int(m.group(1))
            continue
        if not raw.strip():
            continue
        parts = raw.rstrip("\r\n").split("\t")
        if not header_seen:
            if [p.strip().lower() for p in parts[:3]] != ["marker", "allele", "frequency"]:
                raise InputError(
                    "expected the header 'marker<TAB>allele<TAB>frequency'", file=src, line=lineno
                )
            header_seen = True
            continue
        if len(parts) != 3:
            raise InputError(
                f"expected 3 tab-separated columns, found {len(parts)}", file=src, line=lineno
            )
        name, allele = parts[0].strip(), canonical_allele(parts[1])
        _add(markers, name, allele, _parse_freq(parts[2], src, lineno, name, allele), src, lineno)
    return _finish(markers, src, data, n)


def read_frequencies(path: str | Path) -> FrequencyTable:
    """Read a frequency file, telling the format from its content."""
    path = Path(path)
    text, _ = _read_text(path)
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    if first.lower().startswith("marker\tallele"):
        return read_tsv(path)
    return read_familias(path)


def familias_text(table: FrequencyTable) -> str:
    """The table in Familias' text format (marker name, then ``allele<TAB>frequency`` lines,
    a blank line between markers); frequencies written with full precision."""
    lines = []
    for m in table.markers.values():
        lines.append(m.name)
        lines.extend(f"{a}\t{float(f)!r}" for a, f in zip(m.alleles, m.freqs, strict=True))
        lines.append("")
    return "\n".join(lines)


def write_familias(table: FrequencyTable, path: str | Path) -> None:
    from nasab.engine.output import write_text_atomic

    write_text_atomic(path, familias_text(table))


DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_TABLE_NAME = "NIST1036_All.tsv"


def package_data(name: str) -> Path:
    """A file bundled with nasab (``src/nasab/data``): frequency and mutation-rate tables."""
    return DATA_DIR / name


def shared_data_dir() -> Path | None:
    """The published data beside the checkout (``../shared/data``): ``NASAB_SHARED_DATA``
    (the data folder) or ``NASAB_SHARED`` (the folder holding it) when set, else the first
    ``shared/data`` found above this file; None when there is none. The one place that says
    where it lies (simulation, demo programme, name generator)."""
    import os

    for env, tail in (("NASAB_SHARED_DATA", ()), ("NASAB_SHARED", ("data",))):
        value = os.environ.get(env)
        if value and Path(value, *tail).is_dir():
            return Path(value, *tail)
    for parent in Path(__file__).resolve().parents:
        cand = parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return None


def default_frequency_path() -> Path:
    """The bundled default frequency table: NIST 1036, all groups pooled (public domain)."""
    return package_data(DEFAULT_TABLE_NAME)


@functools.cache
def _default_table() -> FrequencyTable:
    return read_tsv(default_frequency_path())


def default_table() -> FrequencyTable:
    """The bundled default table, read once per process (a copy: callers may extend it)."""
    import copy

    return copy.deepcopy(_default_table())
