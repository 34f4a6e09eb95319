"""`nasab search` with Y-STR and mtDNA: screening, LR factors, agreement with `nasab lr`.

Data (tests/lineage/data, synthetic): family F1 has a paternal uncle typed for three
autosomal markers and three Y-STR loci; family F2 a maternal aunt typed for mtDNA. Remains:
R1 one Y step from the uncle, R2 autosomally the uncle's twin but four Y steps away at DYS19
(three transmissions: excluded), R3 the aunt's mtDNA, R4 no lineage data, R5 the uncle's Y
and an mtDNA sequence two differences from the aunt's.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from nasab.cli import main
from nasab.engine.errors import InputError
from nasab.engine.mtdna import compare, excluded, parse_mtdna
from nasab.engine.pedigree import Pedigree
from nasab.engine.ystr import (
    YDatabase,
    line_distances,
    line_excludes,
    line_members,
    paternal_root,
    ystr_lr,
)

DATA = Path(__file__).parent / "data"


def _rows(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, ln.split("\t"), strict=True)) for ln in lines[1:]]


@pytest.fixture
def case(tmp_path):
    for name in ("families", "remains", "ystr_db", "mtdna_db"):
        shutil.copy(DATA / f"search_{name}.tsv", tmp_path / f"{name}.tsv")
    return tmp_path


def _search(d: Path, threshold: str, *extra: str) -> int:
    return main(
        [
            "search",
            "--families",
            str(d / "families.tsv"),
            "--remains",
            str(d / "remains.tsv"),
            "--out",
            str(d / "m.tsv"),
            "--threshold",
            threshold,
            "--quiet",
            *extra,
        ]
    )


DBS = ("--ystr-db", "ystr_db.tsv", "--mtdna-db", "mtdna_db.tsv")


def _dbs(d: Path) -> list[str]:
    return [str(d / x) if x.endswith(".tsv") else x for x in DBS]


def test_search_agrees_with_lr_for_every_pair(case, capsys) -> None:
    assert _search(case, "1e-3", *_dbs(case), "--chunk", "1") == 0  # one family per chunk
    rows = _rows(case / "m.tsv")
    assert {"log10_lr_autosomal", "log10_lr_Y", "log10_lr_mtDNA"} <= set(rows[0])
    assert len(rows) >= 6
    capsys.readouterr()
    for r in rows:
        assert (
            main(
                [
                    "lr",
                    "--families",
                    str(case / "families.tsv"),
                    "--family-id",
                    r["family_id"],
                    "--missing",
                    r["missing_id"],
                    "--poi",
                    str(case / "remains.tsv"),
                    "--poi-id",
                    r["remain_id"],
                    *_dbs(case),
                    "--json",
                ]
            )
            == 0
        )
        out = json.loads(capsys.readouterr().out)
        assert float(r["log10_lr"]) == pytest.approx(out["log10LR"], abs=1e-9)
        ev = out.get("evidence", {})
        for kind, col in (("Y", "log10_lr_Y"), ("mtDNA", "log10_lr_mtDNA")):
            want = ev[kind]["log10LR"] if kind in ev and ev[kind]["used"] else 0.0
            assert float(r[col]) == pytest.approx(want, abs=1e-12), (r, kind)
        auto = ev["autosomal"]["log10LR"] if ev else out["log10LR"]
        assert float(r["log10_lr_autosomal"]) == pytest.approx(auto, abs=1e-9)
    kept = {(r["remain_id"], r["missing_id"]) for r in rows}
    assert ("R2", "MP") not in kept  # Y excluded
    assert ("R5", "MP2") not in kept  # R5's mtDNA: two differences from the aunt's
    meta = json.loads((case / "m.tsv.model.json").read_text())["lineage"]
    assert meta["Y"]["men"] == 60 and meta["mtDNA"]["sequences"] == 83
    assert meta["Y"]["method"] == "counting" and "independent" in meta["combination"]
    assert meta["excluded_by_lineage"] == 2  # R2 by Y, R5 by mtDNA
    assert meta["excluded_by_y_screen"] == 1 and meta["excluded_by_mtdna_screen"] == 1


def test_lineage_changes_the_kept_pairs(case) -> None:
    assert _search(case, str(10**1.5), *_dbs(case)) == 0
    rows = {(r["remain_id"], r["missing_id"]): r for r in _rows(case / "m.tsv")}
    # R3 / MP2: autosomal 10^0.72 below the threshold, lifted by the mtDNA factor
    assert ("R3", "MP2") in rows
    r = rows[("R3", "MP2")]
    assert float(r["log10_lr_autosomal"]) < 1.5 <= float(r["log10_lr"])
    # 3 of the 83 sequences share it: f = the 95% upper Clopper-Pearson bound
    f = stats.beta.ppf(0.95, 4, 80)
    assert float(r["log10_lr_mtDNA"]) == pytest.approx(-math.log10(f), rel=1e-9)
    assert _search(case, str(10**0.6), *_dbs(case)) == 0
    kept = {(r["remain_id"], r["missing_id"]) for r in _rows(case / "m.tsv")}
    assert ("R4", "MP") in kept and ("R2", "MP") not in kept  # R2 excluded by its Y
    assert ("R5", "MP2") not in kept  # the aunt's genotypes, excluded by the mtDNA
    meta = json.loads((case / "m.tsv.model.json").read_text())["lineage"]
    assert meta["pairs_over_threshold_by_autosomal_alone_excluded_by_lineage"] == 2


def test_without_lineage_columns_the_output_is_unchanged(case) -> None:
    fam = (case / "families.tsv").read_text().splitlines()
    rem = (case / "remains.tsv").read_text().splitlines()
    cut = [ln.split("\t") for ln in fam]
    (case / "families.tsv").write_text("\n".join("\t".join(c[:9]) for c in cut) + "\n")
    cut = [ln.split("\t") for ln in rem]
    (case / "remains.tsv").write_text("\n".join("\t".join(c[:5]) for c in cut) + "\n")
    assert _search(case, "1e-3", *_dbs(case)) == 0
    head = (case / "m.tsv").read_text().splitlines()[0].split("\t")
    assert "log10_lr_Y" not in head
    assert "lineage" not in json.loads((case / "m.tsv.model.json").read_text())


@pytest.mark.parametrize(
    ("edit", "extra", "message"),
    [
        (None, ("--mtdna-db", "mtdna_db.tsv"), "--ystr-db"),
        (None, ("--ystr-db", "ystr_db.tsv"), "--mtdna-db"),
        ("female", DBS, "recorded as female but has a Y-STR haplotype"),
        (None, (*DBS, "--lineage-confidence", "1.5"), "--lineage-confidence"),
        ("uncle", DBS, "cannot share a line at DYS19"),
    ],
)
def test_bad_input(case, capsys, edit, extra, message) -> None:
    if edit == "female":
        p = case / "remains.tsv"
        p.write_text(p.read_text().replace("R1\t1\t", "R1\t2\t"))
    if edit == "uncle":  # a second typed man of the line, 3 steps from the uncle at DYS19
        p = case / "families.tsv"
        p.write_text(
            p.read_text().replace(
                "F1\tMO\t0\t0\t2\t0",
                "F1\tCO\tUN\tMO\t1\t0\t-/-\t-/-\t-/-\t17\t23\t11,14\t\nF1\tMO\t0\t0\t2\t0",
            )
        )
    args = [str(case / x) if x.endswith(".tsv") or x == "store" else x for x in extra]
    assert _search(case, "10", *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and message in err and "Traceback" not in err
    assert not (case / "m.tsv").exists()


def test_store_keeps_lineage_for_incremental_search(case) -> None:
    """A store built with lineage data gives a new remain and a changed family the
    factors of the full search (excluded pairs stay out, lifted pairs join)."""
    from nasab.search.data import FamilyData, read_families, read_remains
    from nasab.search.store import Store

    t = 10**-0.5
    assert _search(case, str(t), *_dbs(case), "--store", str(case / "store")) == 0
    batch = {
        (r["remain_id"], r["missing_id"]): (
            float(r["log10_lr"]),
            float(r["log10_lr_autosomal"]),
            float(r["log10_lr_Y"]),
            float(r["log10_lr_mtDNA"]),
        )
        for r in _rows(case / "m.tsv")
    }
    assert ("R2", "MP") not in batch and ("R3", "MP2") in batch  # excluded / lifted
    assert batch[("R5", "MP")][1] < math.log10(t) <= batch[("R5", "MP")][0]  # lifted by Y
    store = Store.open(case / "store")
    assert store.lineage is not None
    rem, _, _ = read_remains(case / "remains.tsv")
    inc = {}
    for prof in rem.profiles:
        prof.id = prof.id + "-again"  # a new remain with the same data
        for found in store.search_remain(prof, math.log10(t)):
            inc[(prof.id[:2], found.person)] = tuple(found[2:])
    assert inc.keys() == batch.keys()
    for k, v in inc.items():
        assert v == pytest.approx(batch[k], abs=1e-9)
    fams = read_families(case / "families.tsv").families
    for fd in fams:
        got = store.update_family(FamilyData(fd.family, fd.missing, fd.line), math.log10(t))
        for f in got:
            assert tuple(f[3:]) == pytest.approx(batch[(f.remain, f.person)], abs=1e-9)
        assert {(f.remain, f.person) for f in got} == {k for k in batch if k[1] in fd.missing}
    # the store keeps what it needs and refuses a database changed since
    again = Store.open(case / "store")
    assert set(again.lineage.data["families"]) == {"F1", "F2"}
    p = case / "ystr_db.tsv"
    p.write_text(p.read_text() + "m999\t15\t22\t12,13\n")
    with pytest.raises(InputError, match="changed since the store was compiled"):
        again.search_remain(rem.profiles[0], math.log10(t))


# --- the screens never exclude what the exact factor keeps ----------------------------------
PED = Pedigree.from_records(
    [
        ("GF", None, None, 1),
        ("GM", None, None, 2),
        ("FA", "GF", "GM", 1),
        ("UN", "GF", "GM", 1),
        ("MO", None, None, 2),
        ("MP", "FA", "MO", 1),
        ("AU", None, None, 2),
        ("CO", "UN", "AU", 1),
        ("BR", "FA", "MO", 1),
    ]
)
ALLELE = st.sampled_from(["12", "13", "14", "15", "16", "14.2", "15.2", "null"])
STATE = st.one_of(
    ALLELE.map(lambda a: (a,)),
    st.lists(st.sampled_from(["11", "12", "13", "14", "15"]), min_size=2, max_size=2).map(
        lambda x: tuple(sorted(x, key=float))
    ),
)
HAP = st.fixed_dictionaries({"DYS19": STATE, "DYS390": STATE})


@settings(max_examples=150, deadline=None)
@given(
    refs=st.dictionaries(st.sampled_from(["UN", "CO", "BR", "GF"]), HAP, min_size=1, max_size=2),
    poi=HAP,
)
def test_y_screen_is_never_wrong(refs, poi) -> None:
    from nasab.engine.ystr import line_likelihood, ystr_rates

    members = line_members(PED, paternal_root(PED, "MP"))
    for k in ("DYS19", "DYS390"):  # the references must be able to share the line
        obs = {q: h[k] for q, h in refs.items()}
        if line_likelihood(PED, members, obs, ystr_rates().rate(k) or 0) == 0:
            return
    db = YDatabase(["DYS19", "DYS390"], [dict(poi)], "t", "0")
    dist = line_distances(PED, "MP", list(refs))
    if line_excludes(dist, refs, poi, {"DYS19", "DYS390"}):
        assert ystr_lr(PED, "MP", refs, poi, db).log10_lr == -math.inf


VARIANT = st.sampled_from(["16129A", "16223T", "16311C", "16093Y", "16189C", "16183C", "73G"])


@settings(max_examples=200, deadline=None)
@given(
    a=st.lists(VARIANT, unique=True, max_size=4),
    b=st.lists(VARIANT, unique=True, max_size=4),
    ra=st.sampled_from(["16024-16365", "16024-16200", "16024-576", "16150-16365"]),
    rb=st.sampled_from(["16024-16365", "16024-16200", "16024-576", "16150-16365"]),
)
def test_mtdna_screen_equals_the_comparison(a, b, ra, rb) -> None:
    def prof(vs, rng):
        lo, hi = (int(x) for x in rng.split("-"))
        keep = [
            v
            for v in vs
            if (lo <= int(v[:-1]) <= hi if lo <= hi else (int(v[:-1]) >= lo or int(v[:-1]) <= hi))
        ]
        if "16093Y" in keep and "16093" in " ".join(x for x in keep if x != "16093Y"):
            keep.remove("16093Y")
        return parse_mtdna(f"{rng}: {' '.join(keep)}")

    pa, pb = prof(a, ra), prof(b, rb)
    assert excluded(pa, pb) == (compare(pa, pb).conclusion == "exclusion")


def test_direct_says_it_does_not_use_lineage_columns(case, capsys) -> None:
    out = case / "direct"
    args = ["direct", "--remains", str(case / "remains.tsv"), "--out", str(out)]
    assert main([*args, "--min-shared", "2"]) == 0
    cap = capsys.readouterr()
    summary = json.loads(cap.out)
    assert summary["lineage_columns_not_used"] == ["DYS19", "DYS390", "DYS385", "mtDNA"]
    assert "not used" in cap.err


def test_dask_gives_the_same_lineage_matches(case) -> None:
    from nasab.search.lineage import LineageOptions
    from nasab.search.run import SearchConfig, run_search

    opts = LineageOptions(case / "ystr_db.tsv", "counting", case / "mtdna_db.tsv")
    res = []
    for name, workers in (("a", 1), ("b", 2)):
        cfg = SearchConfig(case / "families.tsv", case / "remains.tsv", case / f"{name}.tsv")
        cfg.threshold, cfg.chunk, cfg.workers, cfg.lineage = 1e-3, 1, workers, opts
        res.append(run_search(cfg).matches)
    a, b = res
    for k in ("remain_id", "family_id", "missing_id", "log10_lr_Y", "log10_lr_mtDNA"):
        assert a[k] == b[k]
    for x, y in zip(a["log10_lr"], b["log10_lr"], strict=True):
        assert abs(x - y) <= 1e-9


def test_inconsistent_line_is_skipped_with_on_error_skip(case, capsys) -> None:
    p = case / "families.tsv"
    p.write_text(
        p.read_text().replace(
            "F1\tMO\t0\t0\t2\t0",
            "F1\tCO\tUN\tMO\t1\t0\t-/-\t-/-\t-/-\t17\t23\t11,14\t\nF1\tMO\t0\t0\t2\t0",
        )
    )
    assert _search(case, "1e-3", *_dbs(case), "--on-error", "skip") == 0
    # the problems table may wrap at the terminal's width: compare words
    assert "cannot share a line at DYS19" in " ".join(capsys.readouterr().err.split())
    rows = _rows(case / "m.tsv")
    assert rows and all(r["family_id"] == "F2" for r in rows)


def test_typed_missing_person_is_an_error(case, capsys) -> None:
    p = case / "families.tsv"
    p.write_text(
        p.read_text().replace(
            "F1\tMP\tFA\tMO\t1\t1\t-/-\t-/-\t-/-\t", "F1\tMP\tFA\tMO\t1\t1\t-/-\t-/-\t-/-\t14"
        )
    )
    assert _search(case, "10", *_dbs(case)) == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error:") and "missing person 'MP' is typed" in err
