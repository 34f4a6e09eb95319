"""Y-STR and mtDNA data kept in a compiled store (:mod:`nasab.search.store`), so that an
incremental search (a new remain, a new or changed family) gets the same lineage factors as
the full search (:func:`nasab.search.lineage.screen`, the same function).

``lineage.json`` in the store folder holds

* ``options``: the databases (file, SHA-256), the Y-STR method and the confidence of the
  run that built the store; an incremental search reads the same files and refuses one whose
  SHA-256 changed (the factors would no longer be those of the store);
* ``families``: per family with typed members on a line, its pedigree (id, father, mother,
  sex), its missing persons and the members' haplotypes / sequences in the files' grammar;
* ``remains``: per remain with lineage data, its haplotype / sequence.

Without databases (``LineageOptions`` with neither file) the store has no such file and an
incremental search ignores lineage data, as the full search does.
"""

from __future__ import annotations

import json
from pathlib import Path

from nasab.engine.errors import InputError
from nasab.engine.genotypes import Family, Profile
from nasab.engine.pedigree import Pedigree
from nasab.formats.io import write_text_atomic
from nasab.search.data import FamilyData, Loaded, Remains
from nasab.search.lineage import LineageOptions, check_families, databases, screen

FILE = "lineage.json"


def haplotype_text(hap: dict) -> dict[str, str]:
    from nasab.engine.ystr import format_state

    return {k: format_state(v) for k, v in sorted(hap.items())}


def haplotype_of(cells: dict[str, str]) -> dict:
    """A haplotype written as ``{locus: "11,14"}`` (lab files, the store) in the engine's
    form; multi-copy loci are already the unordered set (DYS385)."""
    from nasab.engine.ystr import parse_ystr, ystr_key

    out = {}
    for k, v in cells.items():
        st = parse_ystr(str(v), field_name=k)
        if st is not None:
            out[ystr_key(k)] = st
    return out


def sequence_of(text: str | None):
    from nasab.engine.mtdna import parse_mtdna

    return None if not text else parse_mtdna(text, field_name="mtDNA")


def family_record(fd: FamilyData) -> dict | None:
    fam = fd.family
    if not (fam.ystr or fam.mtdna):
        return None
    return {
        "missing": list(fd.missing),
        "line": fd.line,
        "source": fam.pedigree.source,
        "pedigree": [[p.id, p.father, p.mother, p.sex] for p in fam.pedigree.persons],
        "ystr": {q: haplotype_text(h) for q, h in fam.ystr.items() if h},
        "mtdna": {q: m.describe() for q, m in fam.mtdna.items() if m is not None},
    }


def family_from_record(name: str, rec: dict) -> FamilyData:
    ped = Pedigree.from_records([tuple(r) for r in rec["pedigree"]], source=rec.get("source"))
    fam = Family(
        ped,
        [],
        {},
        name,
        ystr={q: haplotype_of(h) for q, h in rec["ystr"].items()},
        mtdna={q: sequence_of(t) for q, t in rec["mtdna"].items()},
    )
    return FamilyData(fam, list(rec["missing"]), rec.get("line") or 0)


def profile_record(p: Profile) -> dict | None:
    out: dict = {}
    if p.ystr:
        out["Y"] = haplotype_text(p.ystr)
    if p.mtdna is not None:
        out["mtDNA"] = p.mtdna.describe()
    return out or None


def options_record(opts: LineageOptions) -> dict:
    dbs = databases(opts)
    return {
        "ystr_db": str(opts.ystr_db) if opts.ystr_db else None,
        "ystr_sha256": dbs.y.sha256 if dbs.y is not None else None,
        "ystr_method": opts.ystr_method,
        "mtdna_db": str(opts.mtdna_db) if opts.mtdna_db else None,
        "mtdna_sha256": dbs.mt.sha256 if dbs.mt is not None else None,
        "confidence": opts.confidence,
    }


class StoreLineage:
    """The lineage part of a store (see the module text)."""

    def __init__(self, path: Path, data: dict):
        self.path = path
        self.data = data
        self._families: dict[str, FamilyData] = {}

    @classmethod
    def create(cls, folder: Path, opts: LineageOptions | None) -> StoreLineage | None:
        if opts is None or (opts.ystr_db is None and opts.mtdna_db is None):
            return None
        out = cls(folder / FILE, {"options": options_record(opts), "families": {}, "remains": {}})
        out.save()
        return out

    @classmethod
    def load(cls, folder: Path) -> StoreLineage | None:
        path = folder / FILE
        if not path.exists():
            return None
        return cls(path, json.loads(path.read_text(encoding="utf-8")))

    def save(self) -> None:
        write_text_atomic(self.path, json.dumps(self.data, indent=0, sort_keys=True))

    def options(self) -> LineageOptions:
        """The store's options; a database whose file changed since is refused."""
        o = self.data["options"]
        opts = LineageOptions(
            Path(o["ystr_db"]) if o["ystr_db"] else None,
            o["ystr_method"],
            Path(o["mtdna_db"]) if o["mtdna_db"] else None,
            o["confidence"],
        )
        dbs = databases(opts)
        for kind, db, want in (
            ("Y-STR", dbs.y, o["ystr_sha256"]),
            ("mtDNA", dbs.mt, o["mtdna_sha256"]),
        ):
            if db is not None and db.sha256 != want:
                raise InputError(
                    f"the {kind} database changed since the store was compiled (sha256 "
                    f"{db.sha256[:12]}, the store's {str(want)[:12]}): recompile the store",
                    file=db.source,
                )
        return opts

    # --- what the store keeps -------------------------------------------------------------
    def set_families(self, families: list[FamilyData]) -> None:
        for fd in families:
            self.data["families"].pop(fd.family.name, None)
            self._families.pop(fd.family.name, None)
            rec = family_record(fd)
            if rec is not None:
                self.data["families"][fd.family.name] = rec
        self.save()

    def drop_family(self, name: str) -> None:
        if self.data["families"].pop(name, None) is not None:
            self._families.pop(name, None)
            self.save()

    def add_remains(self, profiles: list[Profile]) -> None:
        recs = {p.id: profile_record(p) for p in profiles}
        recs = {k: v for k, v in recs.items() if v}
        if recs:
            self.data["remains"].update(recs)
            self.save()

    def family(self, name: str) -> FamilyData:
        if name not in self._families:
            self._families[name] = family_from_record(name, self.data["families"][name])
        return self._families[name]

    def remain(self, rid: str) -> Profile:
        rec = self.data["remains"].get(rid) or {}
        return Profile(
            rid, {}, ystr=haplotype_of(rec.get("Y", {})), mtdna=sequence_of(rec.get("mtDNA"))
        )

    # --- factors --------------------------------------------------------------------------
    def remain_factors(self, profile: Profile, active: set[str]) -> dict:
        """``{(family, missing): PairFactors}`` of one remain against the stored families
        (``active``: the families whose rows are in force)."""
        if profile.ystr == {} and profile.mtdna is None:
            return {}
        fams = [self.family(n) for n in sorted(self.data["families"]) if n in active]
        loaded = Loaded([], fams)
        remains = Remains([profile.id], [""], [profile], [0])
        return screen(loaded, remains, self.options(), checked=True).factors

    def family_factors(self, fd: FamilyData, ids: list[str]) -> dict:
        """``{(family, missing): PairFactors}`` of a family against the stored remains
        ``ids`` (indices into ``ids``)."""
        if family_record(fd) is None:
            return {}
        check_families(Loaded([], [fd]))  # a line its typed men cannot share: refused
        if not self.data["remains"]:
            return {}
        profs = [self.remain(r) for r in ids]
        remains = Remains(list(ids), [""] * len(ids), profs, [0] * len(ids))
        return screen(Loaded([], [fd]), remains, self.options(), checked=True).factors
