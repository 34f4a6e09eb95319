"""Compiled families on disk, for incremental search.

A store is a directory:

``meta.json``     markers, allele lists (the extended table), mutation models, table version,
                  the remains' observation classes and theta, number of rows
``rows.tsv``      one line per compiled missing person: family, person, active (0 when the
                  family was replaced or removed)
``exact.f64``     (rows, width) float64 log10 LR tables (numpy memmap)
``bound.i16``     (rows, width) int16 upper bounds used by the kernel (numpy memmap)
``remains.i32``   (R, markers) int32 table codes of the remains searched so far, with
``remains.tsv``   their ids
``lineage.json``  with Y-STR / mtDNA databases: the databases, the families' typed lines and
                  the remains' haplotypes (:mod:`nasab.search.lineage_store`)

A new store is built in a temporary folder beside its place (``.NAME.partial-HOST-PID-*``)
and moved into place whole once complete (:meth:`Store.publish`), replacing an older store
there; an interrupted run leaves no folder under the store's name, and the next run on the
same machine removes what a killed one left.

A new remain is scored against every compiled row with one gather; a new or changed family
is compiled alone (the model is the stored one), appended, its old rows deactivated, and
scored against the stored remains with the kernel. Nothing already compiled is recompiled.
With lineage data, both get the Y-STR / mtDNA factors of the full search (the same screen
and factors, :func:`nasab.search.lineage.screen`): a pair excluded by lineage leaves, a pair
lifted over the threshold joins (its autosomal LR read from the compiled table).
An allele outside the stored model cannot be scored exactly without recompiling: it is
reported as an error.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from nasab.engine.errors import InputError
from nasab.engine.frequencies import marker_key
from nasab.engine.genotypes import Profile
from nasab.engine.likelihood import MarkerModel
from nasab.engine.mutation import MutationSpec
from nasab.engine.observation import DropModel, observed_alleles
from nasab.engine.output import OutputError
from nasab.formats.io import write_text_atomic
from nasab.search.data import FamilyData
from nasab.search.engine import Layout, compile_families, score
from nasab.search.kernel import exact_scores, quantize_up
from nasab.search.lineage import LineageOptions, apply_factors
from nasab.search.lineage_store import StoreLineage

FORMAT = "nasab-compiled-1"


class Found(NamedTuple):
    """A pair at or above the threshold: the combined log10 LR and its parts (Y and mtDNA
    0 where the system gave no evidence)."""

    family: str
    person: str
    log10_lr: float
    autosomal: float
    y: float = 0.0
    mtdna: float = 0.0


class FoundRemain(NamedTuple):
    """A pair found by :meth:`Store.update_family`: the stored remain's id, then as Found."""

    remain: str
    family: str
    person: str
    log10_lr: float
    autosomal: float
    y: float = 0.0
    mtdna: float = 0.0


def _write_json(path: Path, obj) -> None:
    write_text_atomic(path, json.dumps(obj, indent=1))


def is_store(path: Path) -> bool:
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT


def check_store_target(path: str | Path) -> None:
    """Before any work: ``--store`` names a new folder, an empty one or a compiled store
    (replaced whole); any other folder is refused rather than replaced."""
    path = Path(path)
    if path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise OutputError(path, "a folder that is neither empty nor a compiled store")


def _partial_prefix(final: Path, pid: int) -> str:
    return f".{final.name}.partial-{socket.gethostname()}-{pid}-"


def _remove_abandoned(final: Path) -> None:
    """Folders that runs killed on this machine left while building ``final`` (their
    process is gone): removed, so that they do not pile up."""
    mine = f".{final.name}.partial-{socket.gethostname()}-"
    for d in final.parent.glob(f"{glob.escape(mine)}*"):
        pid = d.name[len(mine) :].split("-", 1)[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        shutil.rmtree(d, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@dataclass
class Store:
    path: Path
    meta: dict
    rows: list[tuple[str, str, int]]
    final: Path | None = None  # while being built: where :meth:`publish` moves it

    # --- creation -------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | Path,
        layout: Layout,
        models: list[MarkerModel],
        specs: dict[str, MutationSpec],
        table_version: str,
        lineage: LineageOptions | None = None,
    ) -> Store:
        final = Path(path)
        final.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(final)
        path = Path(tempfile.mkdtemp(dir=final.parent, prefix=_partial_prefix(final, os.getpid())))
        meta = {
            "format": FORMAT,
            "markers": layout.markers,
            "alleles": layout.alleles,
            "dropout": layout.dropout,
            "observation": layout.describe(),  # remains' dropout / drop-in classes, theta
            "freqs": [list(map(float, m.freqs)) for m in models],
            "mutation": {m: specs[m].__dict__ if m in specs else None for m in layout.markers},
            "table": table_version,
            "width": layout.width,
            "n_rows": 0,
        }
        for name in ("exact.f64", "bound.i16", "remains.i32"):
            (path / name).write_bytes(b"")
        (path / "rows.tsv").write_text("family\tperson\tactive\n", encoding="utf-8")
        (path / "remains.tsv").write_text("id\n", encoding="utf-8")
        _write_json(path / "meta.json", meta)
        out = cls(path, meta, [], final)
        out._lineage = StoreLineage.create(path, lineage)
        return out

    def publish(self) -> None:
        """Move a store built by :meth:`create` into its place, whole: an older store there
        is set aside, replaced, then removed (put back if the move fails)."""
        final = self.final
        if final is None:
            return
        for f in self.path.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        old = None
        if final.is_dir() and not any(final.iterdir()):
            final.rmdir()
        elif final.exists():
            old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.old-"))
            os.replace(final, old)  # onto the empty folder just made
        try:
            os.replace(self.path, final)
        except OSError as e:
            if old is not None:
                os.replace(old, final)
            raise OutputError(final, e.strerror or str(e)) from None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        self.path, self.final = final, None
        if getattr(self, "_lineage", None) is not None:
            self._lineage.path = final / self._lineage.path.name

    def discard(self) -> None:
        """Remove a store still being built (after an error): nothing is left behind."""
        if self.final is not None:
            shutil.rmtree(self.path, ignore_errors=True)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        mp = path / "meta.json"
        if not mp.exists():
            raise InputError("not a compiled store (no meta.json)", file=str(path))
        meta = json.loads(mp.read_text(encoding="utf-8"))
        rows = []
        lines = (path / "rows.tsv").read_text(encoding="utf-8").splitlines()[1:]
        for ln in lines[: meta["n_rows"]]:
            f, p, a = ln.split("\t")
            rows.append((f, p, int(a)))
        return cls(path, meta, rows)

    @property
    def lineage(self) -> StoreLineage | None:
        """The store's Y-STR / mtDNA part (None: built without lineage databases)."""
        if not hasattr(self, "_lineage"):
            self._lineage = StoreLineage.load(self.path)
        return self._lineage

    @property
    def layout(self) -> Layout:
        obs = self.meta.get("observation")
        if obs is None:  # a store written before observation classes
            return Layout(self.meta["markers"], self.meta["alleles"], self.meta.get("dropout", 0.0))
        classes = tuple(
            DropModel(c["dropout"], c["dropout_hom"], c["dropin"]) for c in obs["classes"]
        )
        return Layout(
            self.meta["markers"],
            self.meta["alleles"],
            obs["default"]["dropout"],
            obs["default"]["dropin"],
            classes,
            obs["theta"],
        )

    def models(self) -> list[MarkerModel]:
        out = []
        for m, al, fr in zip(
            self.meta["markers"], self.meta["alleles"], self.meta["freqs"], strict=True
        ):
            d = self.meta["mutation"].get(m)
            spec = MutationSpec(**d) if d else MutationSpec()
            f = np.asarray(fr)
            fem, male = spec.matrices(al, f)
            out.append(MarkerModel(m, tuple(al), f, fem, male, not spec.is_trivial))
        return out

    # --- rows -----------------------------------------------------------------------------
    def append(self, rows: list[tuple[str, str]], exact: np.ndarray) -> None:
        """Append compiled rows (float64 tables) and their int16 bounds."""
        exact = np.ascontiguousarray(exact, dtype=np.float64)
        with open(self.path / "exact.f64", "ab") as fh:
            fh.write(exact.tobytes())
        with open(self.path / "bound.i16", "ab") as fh:
            fh.write(quantize_up(exact).tobytes())
        with open(self.path / "rows.tsv", "a", encoding="utf-8") as fh:
            for f, p in rows:
                fh.write(f"{f}\t{p}\t1\n")
        self.rows.extend((f, p, 1) for f, p in rows)
        self.meta["n_rows"] = len(self.rows)
        _write_json(self.path / "meta.json", self.meta)

    def deactivate(self, family: str) -> int:
        n = 0
        for i, (f, p, a) in enumerate(self.rows):
            if f == family and a:
                self.rows[i] = (f, p, 0)
                n += 1
        self._active = None
        if self.lineage is not None:
            self.lineage.drop_family(family)
        if n:
            text = "family\tperson\tactive\n" + "".join(f"{f}\t{p}\t{a}\n" for f, p, a in self.rows)
            fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".rows.")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path / "rows.tsv")
        return n

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        n, w = len(self.rows), self.meta["width"]
        if n == 0:
            return np.empty((0, w)), np.empty((0, w), np.int16)
        exact = np.memmap(self.path / "exact.f64", np.float64, "r", shape=(n, w))
        bound = np.memmap(self.path / "bound.i16", np.int16, "r", shape=(n, w))
        return exact, bound

    def build_index(self, step: int = 8192) -> None:
        """Write ``index.i16``: the bounds entry-major (width, rows), so that one remain reads
        24 contiguous vectors instead of 24 scattered values per row."""
        n, w = len(self.rows), self.meta["width"]
        _, bound = self.arrays()
        tmp = self.path / ".index.i16.tmp"
        idx = np.memmap(tmp, np.int16, "w+", shape=(w, max(n, 1)))
        for s in range(0, n, step):
            idx[:, s : s + step] = np.asarray(bound[s : s + step]).T
        idx.flush()
        del idx
        os.replace(tmp, self.path / "index.i16")
        self.meta["n_indexed"] = n
        _write_json(self.path / "meta.json", self.meta)

    def _bound_sums(self, codes: np.ndarray) -> np.ndarray:
        n, w = len(self.rows), self.meta["width"]
        k = min(self.meta.get("n_indexed", 0), n)
        out = np.empty(n, np.int32)
        if k:
            idx = np.memmap(self.path / "index.i16", np.int16, "r", shape=(w, k))
            out[:k] = idx[np.sort(codes)].sum(axis=0, dtype=np.int32)
        if k < n:
            _, bound = self.arrays()
            out[k:] = np.asarray(bound[k:][:, codes], np.int32).sum(axis=1)
        return out

    def active(self) -> np.ndarray:
        cached = getattr(self, "_active", None)
        if cached is None or len(cached) != len(self.rows):
            cached = np.array([a == 1 for _, _, a in self.rows], bool)
            self._active = cached
        return cached

    # --- remains --------------------------------------------------------------------------
    def add_remains(self, ids: list[str], codes: np.ndarray, profiles=None) -> None:
        """Record searched remains (``profiles``: theirs, for their lineage data)."""
        if profiles is not None and self.lineage is not None:
            self.lineage.add_remains(profiles)
        with open(self.path / "remains.i32", "ab") as fh:
            fh.write(np.ascontiguousarray(codes, np.int32).tobytes())
        with open(self.path / "remains.tsv", "a", encoding="utf-8") as fh:
            fh.writelines(f"{r}\n" for r in ids)

    def remains(self) -> tuple[list[str], np.ndarray]:
        ids = (self.path / "remains.tsv").read_text(encoding="utf-8").splitlines()[1:]
        m = len(self.meta["markers"])
        if not ids:
            return [], np.empty((0, m), np.int32)
        codes = np.fromfile(self.path / "remains.i32", np.int32).reshape(-1, m)[: len(ids)]
        return ids, codes

    # --- incremental search ---------------------------------------------------------------
    def check_alleles(self, profile: Profile, what: str) -> None:
        for m, al in zip(self.meta["markers"], self.meta["alleles"], strict=True):
            g = profile.genotypes.get(marker_key(m))
            if g is None:
                continue
            for a in observed_alleles(g):  # not the dropout mark F of a/F
                if a not in al:
                    raise InputError(
                        f"{what}: allele {a} of marker {m} is outside the "
                        "compiled model; recompile the store with this data"
                    )

    def search_remain(self, profile: Profile, log10_t: float) -> list[Found]:
        """One remain against every active compiled missing person."""
        self.check_alleles(profile, f"remain {profile.id}")
        codes = self.layout.codes([profile])[0]
        exact, bound = self.arrays()
        if len(self.rows) == 0:
            return []
        b = self._bound_sums(codes)
        cand = np.flatnonzero((b >= int(np.floor(log10_t * 256 - 1e-9))) & self.active())
        s = exact_scores(exact, codes[None, :], cand, np.zeros(len(cand), np.int64))
        keep = s >= log10_t
        f, r = cand[keep], np.zeros(int(keep.sum()), np.int64)
        factors = {}
        if self.lineage is not None:
            live = {fam for fam, _, a in self.rows if a}
            factors = self.lineage.remain_factors(profile, live)
        if not factors:
            return [
                Found(*self.rows[i][:2], float(v), float(v))
                for i, v in zip(f, s[keep], strict=True)
            ]
        # inactive rows (replaced families) never take a lineage factor
        rows = [(fam, p) if a else ("", "") for fam, p, a in self.rows]
        out = apply_factors(rows, exact, codes[None, :], f, r, s[keep], factors, log10_t)
        return [
            Found(*self.rows[i][:2], float(v), float(a), float(y), float(m))
            for i, v, a, y, m in zip(
                out["f"], out["s"], out["auto"], out["y"], out["mt"], strict=True
            )
        ]

    def update_family(self, fd: FamilyData, log10_t: float) -> list[FoundRemain]:
        """Compile a new or changed family with the stored model, replace its rows and
        search it against every stored remain."""
        for pid, g in fd.family.genotypes.items():
            self.check_alleles(Profile(pid, g), f"family {fd.family.name}, {pid}")
        factors = {}
        ids, codes = self.remains()
        if self.lineage is not None:
            factors = self.lineage.family_factors(fd, ids)  # a bad line: refused before any change
        layout = self.layout
        rows, exact_new, _ = compile_families([fd], layout, self.models(), "stop")
        self.deactivate(fd.family.name)
        self.append(rows, exact_new)
        if self.lineage is not None:
            self.lineage.set_families([fd])
        if not ids:
            return []
        bound = quantize_up(exact_new)
        f, r, s = score(exact_new, bound, codes, layout.offsets, log10_t)
        out = apply_factors(rows, exact_new, codes, f, r, s, factors, log10_t)
        return [
            FoundRemain(ids[j], *rows[i], float(v), float(a), float(y), float(m))
            for i, j, v, a, y, m in zip(
                out["f"], out["r"], out["s"], out["auto"], out["y"], out["mt"], strict=True
            )
        ]
