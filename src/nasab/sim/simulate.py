"""Synthetic blind-search data drawn from real published STR data.

``nasab simulate --families N --remains M --seed S --out DIR`` writes three tables (TSV and
Parquet): ``families`` (every family's members: family, id, fid, mid, sex, missing flag, one
genotype column per marker, ``-/-`` for untyped members), ``remains`` (id, site, markers) and
``truth`` (which remain is which person; kept in its own file, never read by ``search``).

Everything is synthetic; only the population data are real:

* founders carry real genotypes of the NIST 1036 data set (public domain): each marker's
  genotype is that of a random NIST individual, drawn independently per marker so that no
  two founders share a whole profile (a NIST individual's missing marker is drawn from the
  frequencies); or founders are drawn from a frequency table when ``--freqs`` is given;
* 24 markers of a GlobalFiler-type kit: the 21 autosomal STRs of GlobalFiler (D3S1358 vWA
  D16S539 CSF1PO TPOX D8S1179 D21S11 D18S51 D2S441 D19S433 TH01 FGA D22S1045 D5S818
  D13S317 D7S820 SE33 D10S1248 D1S1656 D12S391 D2S1338) plus Penta D, Penta E and D6S1043
  (the PowerPlex Fusion loci typed in NIST 1036), to reach 24;
* transmission with stepwise (+-1 repeat) mutations at the per-locus paternal/maternal rates
  of ``mutation_rates.tsv`` (AABB 2003); loci without a published rate use
  ``DEFAULT_RATE`` = 1e-3 per meiosis (flagged in the run's ``simulation.json``);
* families as identification programmes report them: reference kinds ``both_parents``,
  ``one_parent``, ``siblings``, ``spouse_children`` and ``distant`` (half sibling,
  grandparent, uncle/aunt; some families with a single distant relative), about 2.8 donors per
  missing person, ~35% of parental couples first cousins (a pedigree loop), ~15% of families
  with 2-3 missing brothers;
* remains: ~70% of samples belong to missing persons of the data (~1.8 samples per identified
  person), ~30% to people with no family in the data; half of the samples are degraded and
  lose 0-40% of their markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import (
    FrequencyTable,
    canonical_allele,
    default_frequency_path,
    familias_text,
    marker_key,
    read_frequencies,
    shared_data_dir,
)
from nasab.engine.mutation import DEFAULT_RATE, read_mutation_rates
from nasab.engine.output import AtomicGroup, check_writable, refuse_inputs, write_text_atomic
from nasab.engine.strict_json import dumps_strict

KIT_24 = [
    "D3S1358",
    "vWA",
    "D16S539",
    "CSF1PO",
    "TPOX",
    "D8S1179",
    "D21S11",
    "D18S51",
    "D2S441",
    "D19S433",
    "TH01",
    "FGA",
    "D22S1045",
    "D5S818",
    "D13S317",
    "D7S820",
    "SE33",
    "D10S1248",
    "D1S1656",
    "D12S391",
    "D2S1338",
    "Penta D",
    "Penta E",
    "D6S1043",
]
KINDS = ("both_parents", "one_parent", "siblings", "spouse_children", "distant")
KIND_WEIGHTS = (0.22, 0.2, 0.2, 0.16, 0.22)
COUSIN_FRACTION = 0.35


@dataclass
class _Person:
    id: str
    fid: str | None
    mid: str | None
    sex: int
    typed: bool = False
    missing: bool = False


@dataclass
class _Family:
    name: str
    kind: str
    cousins: bool
    persons: list[_Person] = field(default_factory=list)

    def add(self, pid: str, fid: str | None, mid: str | None, sex: int, **kw) -> str:
        self.persons.append(_Person(pid, fid, mid, sex, **kw))
        return pid


@dataclass
class _Plan:
    """Which relatives a family has and who among them gave a reference sample."""

    typed: set[str] = field(default_factory=set)
    sibs: int = 0
    half: bool = False
    grand: bool = False
    uncle: bool = False
    spouse_kids: int = 0
    spouse_typed: bool = False


def _plan(kind: str, rng: np.random.Generator) -> _Plan:
    """The relatives decided by the kind of references (draws in a fixed order)."""
    plan = _Plan()
    if kind == "both_parents":
        plan.typed |= {"F", "M"}
        plan.sibs = int(rng.choice([0, 1, 2, 3], p=[0.15, 0.4, 0.3, 0.15]))
    elif kind == "one_parent":
        plan.typed.add("F" if rng.random() < 0.5 else "M")
        plan.sibs = int(rng.choice([1, 2, 3, 4], p=[0.2, 0.35, 0.3, 0.15]))
    elif kind == "siblings":
        plan.sibs = int(rng.choice([1, 2, 3, 4, 5], p=[0.1, 0.25, 0.3, 0.2, 0.15]))
    elif kind == "spouse_children":
        plan.spouse_kids = int(rng.choice([1, 2, 3, 4], p=[0.2, 0.35, 0.3, 0.15]))
        plan.spouse_typed = rng.random() < 0.8
    else:  # distant
        choice = rng.choice(3, size=int(rng.choice([1, 2, 3], p=[0.35, 0.4, 0.25])), replace=False)
        plan.half, plan.grand, plan.uncle = (0 in choice), (1 in choice), (2 in choice)
        plan.sibs = int(rng.random() < 0.2)
    return plan


def _add_ancestors(fam: _Family, cousins: bool, need_pgp: bool) -> None:
    """Grandparents (great-grandparents when the parents are first cousins) and parents."""
    if cousins:
        fam.add("GGF", None, None, 1)
        fam.add("GGM", None, None, 2)
        fam.add("GF", "GGF", "GGM", 1)  # paternal grandfather and maternal grandmother
        fam.add("GM", None, None, 2)  # are siblings: the parents are first cousins
        fam.add("MGF", None, None, 1)
        fam.add("MGM", "GGF", "GGM", 2)
    elif need_pgp:
        fam.add("GF", None, None, 1)
        fam.add("GM", None, None, 2)
    fam.add("F", "GF" if need_pgp else None, "GM" if need_pgp else None, 1)
    fam.add("M", "MGF" if cousins else None, "MGM" if cousins else None, 2)


def _make_family(name: str, rng: np.random.Generator) -> _Family:
    kind = KINDS[rng.choice(len(KINDS), p=KIND_WEIGHTS)]
    cousins = bool(rng.random() < COUSIN_FRACTION)
    fam = _Family(name, kind, cousins)
    n_mp = int(rng.choice([1, 2, 3], p=[0.9, 0.07, 0.03]))
    plan = _plan(kind, rng)
    typed = plan.typed
    _add_ancestors(fam, cousins, cousins or plan.grand or plan.uncle)
    if plan.grand:
        typed.add("GF" if rng.random() < 0.5 else "GM")
    if plan.uncle:
        typed.add(fam.add("U1", "GF", "GM", int(rng.integers(1, 3))))
    for k in range(n_mp):
        fam.add(f"MP{k + 1}", "F", "M", 1, missing=True)
    for k in range(plan.sibs):
        typed.add(fam.add(f"S{k + 1}", "F", "M", int(rng.integers(1, 3))))
    if plan.half:
        fam.add("W2", None, None, 2)
        typed.add(fam.add("HS1", "F", "W2", int(rng.integers(1, 3))))
    if plan.spouse_kids:
        fam.add("SP", None, None, 2)
        if plan.spouse_typed:
            typed.add("SP")
        for k in range(plan.spouse_kids):
            typed.add(fam.add(f"C{k + 1}", "MP1", "SP", int(rng.integers(1, 3))))
    for p in fam.persons:
        p.typed = p.id in typed
    return fam


class _Genetics:
    """Founder genotypes and transmission with stepwise mutations, as allele indices."""

    def __init__(
        self,
        table: FrequencyTable,
        markers: list[str],
        rng: np.random.Generator,
        founders: np.ndarray | None,
        rates: dict[str, tuple[float, float]],
    ):
        self.rng = rng
        self.markers = markers
        self.alleles = [list(table[m].alleles) for m in markers]
        self.freqs = [
            np.asarray(table[m].freqs, float) / float(np.sum(table[m].freqs)) for m in markers
        ]
        self.founders = founders  # (n, M, 2) allele indices, -1 missing
        self.rate_pat = np.array(
            [rates.get(marker_key(m), (DEFAULT_RATE,) * 2)[0] for m in markers]
        )
        self.rate_mat = np.array(
            [rates.get(marker_key(m), (DEFAULT_RATE,) * 2)[1] for m in markers]
        )
        nm = len(markers)
        kmax = max(len(a) for a in self.alleles)
        self.up = np.full((nm, kmax), -1, np.int64)
        self.down = np.full((nm, kmax), -1, np.int64)
        for m, al in enumerate(self.alleles):
            pos = {canonical_allele(a): i for i, a in enumerate(al)}
            for i, a in enumerate(al):
                try:
                    x = float(a)
                except ValueError:
                    continue
                for step, arr in ((1, self.up), (-1, self.down)):
                    y = canonical_allele(f"{x + step:.1f}")
                    if y in pos:
                        arr[m, i] = pos[y]
        self.cum = [np.cumsum(f) for f in self.freqs]

    def draw_alleles(self, m: int, n: int) -> np.ndarray:
        idx = np.searchsorted(self.cum[m], self.rng.random(n) * self.cum[m][-1], side="right")
        return np.minimum(idx, len(self.freqs[m]) - 1)

    def founder(self) -> np.ndarray:
        nm = len(self.markers)
        if self.founders is not None:
            # each marker from a different random NIST individual: real genotypes, but no
            # founder is a copy of another (1036 whole profiles would repeat across families)
            who = self.rng.integers(len(self.founders), size=nm)
            g = self.founders[who, np.arange(nm)].copy()
        else:
            g = np.full((nm, 2), -1, np.int64)
        for m in np.flatnonzero((g < 0).any(axis=1)):
            g[m] = self.draw_alleles(m, 2)
        return g

    def child(self, father: np.ndarray, mother: np.ndarray) -> np.ndarray:
        nm = len(self.markers)
        ar = np.arange(nm)
        pat = father[ar, self.rng.integers(0, 2, nm)]
        mat = mother[ar, self.rng.integers(0, 2, nm)]
        for allele, rate in ((pat, self.rate_pat), (mat, self.rate_mat)):
            for m in np.flatnonzero(self.rng.random(nm) < rate):
                opts = [x for x in (self.up[m, allele[m]], self.down[m, allele[m]]) if x >= 0]
                if opts:
                    allele[m] = opts[int(self.rng.integers(len(opts)))]
        return np.stack([pat, mat], axis=1)


def read_nist_founders(path: Path, table: FrequencyTable, markers: list[str]) -> np.ndarray:
    """NIST 1036 genotypes as (individual, marker, 2) allele indices into ``table``."""
    index = {
        marker_key(m): (k, {a: i for i, a in enumerate(table[m].alleles)})
        for k, m in enumerate(markers)
    }
    rows: dict[str, np.ndarray] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or raw.startswith("sample\t") or not raw.strip():
            continue
        parts = raw.split("\t")
        if len(parts) < 5:
            continue
        mk = marker_key(parts[2])
        if mk not in index:
            continue
        k, amap = index[mk]
        a1, a2 = canonical_allele(parts[3]), canonical_allele(parts[4])
        if not a1 or not a2 or a1 not in amap or a2 not in amap:
            continue
        g = rows.setdefault(parts[0], np.full((len(markers), 2), -1, np.int64))
        g[k] = (amap[a1], amap[a2])
    return np.stack(list(rows.values()))


def _fmt(alleles: list[str], g: np.ndarray) -> str:
    a, b = alleles[g[0]], alleles[g[1]]
    if float(a) > float(b) if _num(a) and _num(b) else a > b:
        a, b = b, a
    return f"{a}/{b}"


def _num(a: str) -> bool:
    try:
        float(a)
    except ValueError:
        return False
    return True


def simulate(
    n_families: int,
    n_remains: int,
    seed: int,
    out: str | Path,
    freqs: str | Path | None = None,
    markers: list[str] | None = None,
    formats: tuple[str, ...] = ("tsv", "parquet"),
    unrelated_fraction: float = 0.3,
    degraded_fraction: float = 0.5,
    ystr_db: str | Path | None = None,
    mtdna_db: str | Path | None = None,
) -> dict:
    """Write families/remains/truth tables under ``out``; returns the run's description.
    ``ystr_db`` / ``mtdna_db``: add Y-STR / mtDNA columns drawn from these databases
    (:func:`nasab.sim.lineage.programme_lineage`)."""
    check_writable(out, directory=True)
    names = ("families", "remains", "truth", "family_kinds")
    refuse_inputs(
        [Path(out) / f"{n}.{x}" for n in names for x in ("tsv", "parquet")]
        + [Path(out) / "freqs.txt", Path(out) / "simulation.json"],
        [freqs, ystr_db, mtdna_db],
    )
    lineage_dbs = _lineage_databases(ystr_db, mtdna_db)
    rng = np.random.default_rng(seed)
    markers = list(markers or KIT_24)
    table, table_path, founders, founder_source, rates, rate_source = _genetics_setup(
        freqs, markers
    )
    gen = _Genetics(table, markers, rng, founders, rates)
    fams = _simulate_families(n_families, gen, rng)
    samples, n_ident, n_unrel, n_sites = _draw_remains(
        fams.mps, n_remains, unrelated_fraction, gen, rng
    )
    lin_header: list[str] = []
    lin_info = None
    if lineage_dbs is not None:
        from nasab.sim.lineage import programme_lineage

        lin_header, fam_cells, rem_cells, lin_info = programme_lineage(
            fams.fam_rows, samples, *lineage_dbs, seed
        )
        fams.fam_rows = [r + c for r, c in zip(fams.fam_rows, fam_cells, strict=True)]
        samples = [(*s, c) for s, c in zip(samples, rem_cells, strict=True)]
    rem_rows, truth_rows = _remains_rows(samples, gen, degraded_fraction, rng)
    info = {
        "seed": seed,
        "families": n_families,
        "missing_persons": len(fams.mps),
        "reference_donors": fams.donors,
        "donors_per_missing": fams.donors / max(len(fams.mps), 1),
        "cousin_parents_fraction": fams.n_cousins / max(n_families, 1),
        "remains": len(samples),
        "identified_persons": int(n_ident),
        "unrelated_remains": n_unrel,
        "sites": n_sites,
        "markers": markers,
        "frequencies": f"{table_path.name} sha256:{table.sha256[:12]}",
        "founders": founder_source,
        "mutation": f"stepwise +-1; {rate_source}",
        "markers_with_default_rate": [m for m in markers if marker_key(m) not in rates],
        "synthetic": True,
        **({"lineage": lin_info, "lineage_columns": lin_header} if lin_info else {}),
    }
    _write_tables(
        Path(out),
        formats,
        (markers, lin_header),
        table,
        info,
        fams.fam_rows,
        rem_rows,
        truth_rows,
        fams.kind_rows,
    )
    return info


def _lineage_databases(ystr_db, mtdna_db):
    """The Y-STR and mtDNA databases to draw from (None when neither is given)."""
    if ystr_db is None and mtdna_db is None:
        return None
    from nasab.engine.mtdna import read_mtdna_database
    from nasab.engine.ystr import read_ystr_database

    return (
        read_ystr_database(ystr_db) if ystr_db is not None else None,
        read_mtdna_database(mtdna_db) if mtdna_db is not None else None,
    )


def _genetics_setup(freqs, markers: list[str]):
    """The frequency table, founders (NIST 1036 genotypes when the shared data are there and
    no table was given) and mutation rates, with their provenance."""
    shared = shared_data_dir()
    table_path = Path(freqs) if freqs else default_frequency_path()
    table = read_frequencies(table_path)
    for m in markers:
        if m not in table:
            raise InputError(f"marker {m} is not in the frequency table", file=str(table_path))
    founders = None
    founder_source = f"drawn from {table_path.name}"
    nist = (shared / "strgenotypes" / "NIST1036_genotypes.tsv") if shared else None
    if freqs is None and nist is not None and nist.exists():
        founders = read_nist_founders(nist, table, markers)
        founder_source = f"NIST 1036 genotypes ({len(founders)} individuals), {nist.name}"
    rates, rate_source = read_mutation_rates(shared / "mutation_rates.tsv" if shared else None)
    return table, table_path, founders, founder_source, rates, rate_source


@dataclass
class _Families:
    fam_rows: list[list[str]] = field(default_factory=list)
    mps: list[tuple[str, str, str, np.ndarray]] = field(default_factory=list)
    kind_rows: list[list[str]] = field(default_factory=list)
    donors: int = 0
    n_cousins: int = 0


def _simulate_families(n_families: int, gen: _Genetics, rng: np.random.Generator) -> _Families:
    out = _Families()
    width = len(str(max(n_families, 1)))
    nm = len(gen.alleles)
    for f in range(n_families):
        name = f"FAM{f + 1:0{width}d}"
        fam = _make_family(name, rng)
        out.n_cousins += fam.cousins
        out.kind_rows.append([name, fam.kind, "1" if fam.cousins else "0"])
        genos: dict[str, np.ndarray] = {}
        for p in fam.persons:
            genos[p.id] = gen.founder() if p.fid is None else gen.child(genos[p.fid], genos[p.mid])
        for p in fam.persons:
            if p.typed:
                out.donors += 1
                gt = [_fmt(gen.alleles[m], genos[p.id][m]) for m in range(nm)]
            else:
                gt = ["-/-"] * nm
            out.fam_rows.append(
                [name, p.id, p.fid or "0", p.mid or "0", str(p.sex), "1" if p.missing else "0", *gt]
            )
            if p.missing:
                out.mps.append((name, p.id, fam.kind, genos[p.id]))
    return out


def _draw_remains(
    mps, n_remains: int, unrelated_fraction: float, gen: _Genetics, rng: np.random.Generator
):
    """Which missing persons are found (some in several pieces), unrelated remains, sites."""
    n_unrel = int(round(unrelated_fraction * n_remains)) if mps else n_remains
    n_from_mp = n_remains - n_unrel
    n_ident = min(len(mps), max(1 if n_from_mp else 0, int(round(n_from_mp / 1.8))))
    chosen = rng.choice(len(mps), size=n_ident, replace=False) if n_ident else np.array([], int)
    counts = np.ones(n_ident, np.int64)
    extra = n_from_mp - n_ident
    if extra > 0 and n_ident:
        np.add.at(counts, rng.integers(0, n_ident, extra), 1)
    elif extra < 0:
        n_unrel += -extra
    n_sites = max(1, n_remains // 40)
    samples: list[tuple[str, str, str, str, np.ndarray, int]] = []
    for j, c in zip(chosen, counts, strict=True):
        fname, pid, kind, g = mps[j]
        site = int(rng.integers(n_sites))
        for _ in range(int(c)):
            s = site if rng.random() < 0.85 else int(rng.integers(n_sites))
            samples.append((f"{fname}:{pid}", fname, pid, kind, g, s))
    for u in range(n_unrel):
        samples.append(
            (f"UNREL{u + 1}", "", "", "no_family", gen.founder(), int(rng.integers(n_sites)))
        )
    return samples, n_ident, n_unrel, n_sites


def _remains_rows(
    samples, gen: _Genetics, degraded_fraction: float, rng: np.random.Generator
) -> tuple[list[list[str]], list[list[str]]]:
    """The remains and truth rows in a random order, some remains degraded."""
    order = rng.permutation(len(samples))
    rwidth = len(str(max(len(samples), 1)))
    rem_rows, truth_rows = [], []
    nm = len(gen.alleles)
    for k, i in enumerate(order):
        indiv, fname, pid, kind, g, site, *lineage = samples[i]
        rid = f"R{k + 1:0{rwidth}d}"
        gt = [_fmt(gen.alleles[m], g[m]) for m in range(nm)]
        lost = 0
        if rng.random() < degraded_fraction:
            lost = int(rng.uniform(0, 0.4) * nm)
            for m in rng.choice(nm, size=lost, replace=False):
                gt[m] = "-/-"
        rem_rows.append([rid, f"SITE{site + 1:03d}", *gt, *(lineage[0] if lineage else [])])
        truth_rows.append([rid, fname, pid, indiv, kind, str(lost)])
    return rem_rows, truth_rows


def _write_tables(
    out: Path, formats, markers, table, info, fam_rows, rem_rows, truth_rows, kind_rows
) -> None:
    """The tables belong together: all of them replaced, or none. ``markers``: (the
    autosomal markers, the lineage columns)."""
    markers, lineage = markers
    fam_header = ["family_id", "id", "fid", "mid", "sex", "missing", *markers, *lineage]
    rem_header = ["remain_id", "site", *markers, *lineage]
    truth_header = ["remain_id", "family_id", "missing_id", "individual", "kind", "markers_lost"]
    with AtomicGroup() as group:
        for stem, header, rows in (
            ("families", fam_header, fam_rows),
            ("remains", rem_header, rem_rows),
            ("truth", truth_header, truth_rows),
            ("family_kinds", ["family_id", "kind", "cousin_parents"], kind_rows),
        ):
            if "tsv" in formats:
                group.text(
                    out / f"{stem}.tsv", "".join("\t".join(r) + "\n" for r in [header, *rows])
                )
            if "parquet" in formats:
                _write_parquet(group.path(out / f"{stem}.parquet"), header, rows)
        # the frequencies used, in Familias' format, so a search or an LR can be run on
        # exactly them
        used = FrequencyTable(
            {marker_key(m): table[m] for m in markers},
            table.source,
            table.n_individuals,
            table.sha256,
        )
        group.text(out / "freqs.txt", familias_text(used))
        info["frequencies_file"] = "freqs.txt"
        group.text(out / "simulation.json", dumps_strict(info, indent=2) + "\n")


def _write_parquet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in header]
    tbl = pa.table({h: pa.array(list(c), pa.string()) for h, c in zip(header, cols, strict=True)})
    pq.write_table(tbl, path)


def degrade_remains(
    src: str | Path,
    dst: str | Path,
    classes: list[tuple[str, str]],
    seed: int,
    single: float = 0.3,
    partial: float = 0.1,
    failed: float = 0.1,
    het_only: bool = True,
) -> None:
    """A degraded copy of a simulated remains TSV (synthetic): ``dropout`` and ``dropin``
    columns cycling through ``classes``; per marker, with these probabilities, a single
    allele written ``a/F`` (the other may have dropped out), a partial ``b/-``, or a failed
    marker ``-/-`` (``het_only``: only heterozygotes lose an allele)."""
    rng = np.random.default_rng(seed)
    lines = Path(src).read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    out = ["\t".join([head[0], head[1], "dropout", "dropin", *head[2:]])]
    for n, line in enumerate(lines[1:]):
        cells = line.split("\t")
        genos = []
        for g in cells[2:]:
            a, b = g.split("/")
            u = rng.random()
            eligible = a != "-" and (a != b or not het_only)
            if eligible and u < single:
                g = f"{a}/F"
            elif eligible and u < single + partial:
                g = f"{b}/-"
            elif u >= 1.0 - failed:
                g = "-/-"
            genos.append(g)
        out.append("\t".join([cells[0], cells[1], *classes[n % len(classes)], *genos]))
    write_text_atomic(dst, "\n".join(out) + "\n")
