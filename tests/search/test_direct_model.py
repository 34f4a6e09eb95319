"""Direct matching with dropout, drop-in and theta: hand-derived cases, brute force, and the
options' errors (synthetic data only)."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from nasab.engine.frequencies import marker_key
from nasab.engine.genotypes import Profile
from nasab.engine.observation import DropModel, observation_weights
from nasab.search.cli import main
from nasab.search.data import read_remains
from nasab.search.direct import (
    DirectModel,
    _Marker,
    compatible_pairs,
    direct_match,
    encode,
    pair_marker_lr,
    score_pairs,
    single_person,
    two_persons,
)
from nasab.search.engine import extended_table
from nasab.search.run import load_table

ALLELES = ["11", "12", "13"]
P3 = np.array([0.2, 0.3, 0.5])


def test_direct_homozygote_vs_single_allele_with_dropout() -> None:
    # 12/12 (no dropout) vs 12/F (dropout d, homozygote dropout d^2), theta 0, no drop-in:
    #   H1: P(12,12) P({12} | 12/12) = p^2 (1 - d^2)
    #   H2: P(12/12) * P({12}) = p^2 * [p^2 (1 - d^2) + 2 p (1 - p) d (1 - d)]
    #   LR = (1 - d^2) / (p^2 (1 - d^2) + 2 p (1 - p) d (1 - d))
    p = 0.3
    for d in (0.0, 0.1, 0.4):
        want = (1 - d * d) / (p * p * (1 - d * d) + 2 * p * (1 - p) * d * (1 - d))
        got = pair_marker_lr(
            ("12", "12"), None, ("12", "F"), DropModel(d) if d else None, ALLELES, P3
        )
        assert got == pytest.approx(want, rel=1e-12)
    assert want < 1 / p**2  # dropout weakens the match


def test_direct_theta_identical_genotypes_nrc2_410() -> None:
    # Identical genotypes under theta (NRC II 4.10): 1/LR =
    #   aa: (2t + (1-t)p)(3t + (1-t)p) / ((1+t)(1+2t))
    #   ab: 2 (t + (1-t)p)(t + (1-t)q) / ((1+t)(1+2t))
    for t in (0.0, 0.01, 0.03, 0.2):
        p, q = P3[1], P3[2]
        hom = (1 + t) * (1 + 2 * t) / ((2 * t + (1 - t) * p) * (3 * t + (1 - t) * p))
        het = (1 + t) * (1 + 2 * t) / (2 * (t + (1 - t) * p) * (t + (1 - t) * q))
        assert pair_marker_lr(
            ("12", "12"), None, ("12", "12"), None, ALLELES, P3, t
        ) == pytest.approx(hom, rel=1e-12)
        assert pair_marker_lr(
            ("12", "13"), None, ("13", "12"), None, ALLELES, P3, t
        ) == pytest.approx(het, rel=1e-12)


def test_direct_theta_lowers_rare_match() -> None:
    alleles = ["9", "10", "11"]
    freqs = np.array([0.01, 0.49, 0.5])
    lrs = [
        pair_marker_lr(("9", "9"), None, ("9", "9"), None, alleles, freqs, t)
        for t in (0.0, 0.01, 0.03)
    ]
    assert lrs[0] == pytest.approx(1e4) and lrs[0] > lrs[1] > lrs[2]
    het = [
        pair_marker_lr(("9", "10"), None, ("9", "10"), None, alleles, freqs, t)
        for t in (0.0, 0.01, 0.03)
    ]
    assert het[0] > het[1] > het[2]


def _sequential(seq: tuple[int, ...], p: np.ndarray, t: float) -> float:
    """Balding-Nichols sampling formula, draw by draw: the n-th allele is A with probability
    (m_A t + (1 - t) p_A) / (1 + (n - 2) t), m_A = A's count among the draws before."""
    prob = 1.0
    counts = np.zeros(len(p))
    for n, a in enumerate(seq, start=1):
        prob *= (counts[a] * t + (1 - t) * p[a]) / (1 + (n - 2) * t)
        counts[a] += 1
    return prob


@pytest.mark.parametrize("t", [0.0, 0.02, 0.1, 0.3])
def test_direct_theta_h2_brute_force(t) -> None:
    rng = np.random.default_rng(7)
    k = 3
    p = rng.dirichlet(np.ones(k))
    # one person: the two-draw formula
    sp = single_person(p, t)
    for x, y in itertools.product(range(k), repeat=2):
        assert sp[x, y] == pytest.approx(_sequential((x, y), p, t), rel=1e-12)
    assert sp.sum() == pytest.approx(1.0)
    # two persons: all 81 sequences of four alleles, arbitrary symmetric weights
    cases = []
    for _ in range(3):
        a = rng.random((k, k))
        b = rng.random((k, k))
        cases.append((a + a.T, b + b.T))
    labels = [str(i) for i in range(k)]
    cases.append(
        (
            observation_weights(("0", "0"), labels, p, DropModel(0.2, None, 0.05)),
            observation_weights(("0", "1"), labels, p, DropModel(0.3)),
        )
    )
    cases.append((np.ones((k, k)), np.ones((k, k))))
    for w1, w2 in cases:
        want = sum(
            w1[s[0], s[1]] * w2[s[2], s[3]] * _sequential(s, p, t)
            for s in itertools.product(range(k), repeat=4)
        )
        assert two_persons(w1, w2, p, t) == pytest.approx(want, rel=1e-12)
    assert two_persons(np.ones((k, k)), np.ones((k, k)), p, t) == pytest.approx(1.0)


def _old_direct(profiles, markers, table, min_shared):
    """The rule before dropout: identical full genotypes, partial/single skipped; LR 1/RMP."""
    keys = [marker_key(m) for m in markers]
    out = {}
    for x in range(len(profiles)):
        for y in range(x + 1, len(profiles)):
            logs, ok = [], True
            for mk, m in zip(keys, markers, strict=True):
                g, h = profiles[x].genotypes.get(mk), profiles[y].genotypes.get(mk)
                if g is None or h is None or None in g or None in h:
                    continue
                if sorted(g) != sorted(h):
                    ok = False
                    break
                mf = table[m]
                a, b = sorted((mf.alleles.index(g[0]), mf.alleles.index(g[1])))
                pa, pb = mf.freqs[a], mf.freqs[b]
                logs.append(math.log10(pa * pa if a == b else 2 * pa * pb))
            if ok and len(logs) >= min_shared:
                out[(profiles[x].id, profiles[y].id)] = -np.array(logs).sum()
    return out


def test_direct_no_dropout_theta0_is_one_over_rmp(small_sim) -> None:
    folder, _ = small_sim
    table = load_table(None)
    rem, markers, _ = read_remains(folder / "remains.tsv", set(table.markers))
    # a few exact duplicates so that matches exist whatever the simulation drew
    profiles = rem.profiles + [
        Profile(f"DUP{i}", dict(p.genotypes), p.sex, p.markers)
        for i, p in enumerate(rem.profiles[:4])
    ]
    ids = [p.id for p in profiles]
    tab = extended_table(table, markers, [], rem)
    res = direct_match(ids, [""] * len(ids), profiles, markers, tab, 1e6, 8)
    want = _old_direct(profiles, markers, tab, 8)
    got = dict(
        zip(zip(res.pairs["a"], res.pairs["b"], strict=True), res.pairs["log10_lr"], strict=True)
    )
    assert len(want) >= 4 and set(got) == set(want)
    for k, v in want.items():
        assert got[k] == v  # bit for bit: -sum(log10 P_HW) over the shared markers
    assert res.pairs["log10_rmp"] == [-v for v in res.pairs["log10_lr"]]


def _write(path, header, rows):
    path.write_text("\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows))


MK = ["D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "TH01", "FGA"]
PERSON = ["15/16", "17/18", "11/12", "10/12", "8/11", "13/14", "29/30", "14/17", "6/9.3", "21/24"]


def test_direct_dropout_columns_and_options(tmp_path, capsys) -> None:
    degraded = list(PERSON)
    degraded[0] = "15/F"
    degraded[3] = "12/-"
    path = tmp_path / "r.tsv"
    _write(
        path,
        ["remain_id", "site", "dropout", *MK],
        [["A", "S1", "", *PERSON], ["B", "S1", "0.2", *degraded]],
    )
    # B's own dropout explains 15/F; the partial 12/- counts as 'carries 12'
    out = tmp_path / "o"
    assert main(["direct", "--remains", str(path), "--out", str(out), "--threshold", "1e6"]) == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert s["pairs"] == 1 and s["individuals"] == 1
    row = (out / "direct_pairs.tsv").read_text().splitlines()[1].split("\t")
    assert row[:4] == ["A", "B", "remain", "10"]
    # the pair's LR is the product of the per-marker LRs of the model
    table = load_table(None)
    got = 0.0
    for m, g1, g2 in zip(MK, PERSON, degraded, strict=True):
        mf = table[m]
        a = tuple(g1.split("/"))
        b = tuple(None if x == "-" else x for x in g2.split("/"))
        got += math.log10(pair_marker_lr(a, None, b, DropModel(0.2), mf.alleles, mf.freqs))
    assert float(row[5]) == pytest.approx(got, rel=1e-12)
    # without the column, 15/F is the homozygote 15/15: excluded at theta 0 and no dropout
    _write(path, ["remain_id", "site", *MK], [["A", "S1", *PERSON], ["B", "S1", *degraded]])
    assert main(["direct", "--remains", str(path), "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pairs"] == 0
    # ... and the global --dropout brings it back
    assert main(["direct", "--remains", str(path), "--out", str(out), "--dropout", "0.2"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pairs"] == 1


def test_direct_dropin_budget(tmp_path, capsys) -> None:
    extra = list(PERSON)
    extra[1] = "17/19"  # 19 drops in, 18 drops out
    path = tmp_path / "r.tsv"
    _write(path, ["remain_id", *MK], [["A", *PERSON], ["B", *extra]])
    out = tmp_path / "o"
    base = ["direct", "--remains", str(path), "--out", str(out), "--threshold", "1e3"]
    assert main(base + ["--dropout", "0.1"]) == 0  # no drop-in: 19 is impossible
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pairs"] == 0
    assert main(base + ["--dropout", "0.1", "--dropin", "0.05"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pairs"] == 1
    row = (out / "direct_pairs.tsv").read_text().splitlines()[1].split("\t")
    assert row[7] == "1"  # one marker needs a drop-in
    assert main(base + ["--dropout", "0.1", "--dropin", "0.05", "--max-mismatches", "0"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pairs"] == 0


@pytest.mark.parametrize(
    "opts,word",
    [
        (["--dropout", "1"], "--dropout"),
        (["--dropout", "-0.1"], "--dropout"),
        (["--dropin", "1.5"], "--dropin"),
        (["--theta", "0.5"], "--theta"),
        (["--theta", "-0.01"], "--theta"),
        (["--theta", "nan"], "--theta"),
        (["--max-mismatches", "-1"], "--max-mismatches"),
        (["--threshold", "0"], "--threshold"),
    ],
)
def test_direct_bad_options_exit_2(tmp_path, capsys, opts, word) -> None:
    path = tmp_path / "r.tsv"
    _write(path, ["remain_id", *MK], [["A", *PERSON]])
    out = tmp_path / "o"
    assert main(["direct", "--remains", str(path), "--out", str(out), *opts]) == 2
    err = capsys.readouterr().err
    assert word in err and "Traceback" not in err
    assert not out.exists()


def test_direct_bad_dropout_column_exit_2(tmp_path, capsys) -> None:
    path = tmp_path / "r.tsv"
    _write(
        path,
        ["remain_id", "dropout", "dropin", *MK],
        [["A", "0.1", "0", *PERSON], ["B", "1.2", "", *PERSON]],
    )
    assert main(["direct", "--remains", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "dropout" in err and "[0, 1)" in err
    # the blind search reads the same columns (one missing person: the default prior is 1/2)
    fam = tmp_path / "f.tsv"
    _write(
        fam,
        ["family_id", "id", "fid", "mid", "sex", "missing", *MK],
        [
            ["F1", "D", "0", "0", "1", "0", *(["-/-"] * len(MK))],
            ["F1", "M", "0", "0", "2", "0", *PERSON],
            ["F1", "C", "D", "M", "1", "1", *(["-/-"] * len(MK))],
        ],
    )
    _write(path, ["remain_id", "dropout", *MK], [["A", "0.1", *PERSON]])
    assert (
        main(
            [
                "search",
                "--families",
                str(fam),
                "--remains",
                str(path),
                "--quiet",
                "--threshold",
                "1",
                "--out",
                str(tmp_path / "m.tsv"),
            ]
        )
        == 0
    )
    assert (tmp_path / "m.tsv").exists()


def test_direct_kernel_is_conservative() -> None:
    """Random observations (plain, partial, single, per-sample dropout / drop-in): every pair
    the exact rule keeps is among the kernel's pairs."""
    rng = np.random.default_rng(3)
    alleles = [str(a) for a in range(8, 13)]
    k = len(alleles)
    freqs = rng.dirichlet(np.ones(k))
    markers = [f"M{i}" for i in range(4)]
    profiles = []
    for r in range(120):
        g = {}
        for m in markers:
            u = rng.random()
            a, b = (alleles[x] for x in rng.integers(0, k, 2))
            if u < 0.15:
                continue
            g[marker_key(m)] = (a, None) if u < 0.3 else (a, "F") if u < 0.45 else (a, b)
        drop = [None, DropModel(0.2), DropModel(0.0, None, 0.05), DropModel(0.1, None, 0.1)][r % 4]
        profiles.append(Profile(f"R{r}", g, drop=drop))
    for theta, budget in ((0.0, 0), (0.02, 1)):
        cms = [_Marker(alleles, freqs, theta) for _ in markers]
        enc = encode(profiles, markers, cms, None)
        i, j, _ = compatible_pairs(enc, None, 1, budget)
        kernel = set(zip(i.tolist(), j.tolist(), strict=True))
        ai, aj = np.triu_indices(len(profiles), 1)
        shared = ((enc.codes[ai] >= 0) & (enc.codes[aj] >= 0)).sum(axis=1)
        ai, aj = ai[shared >= 1], aj[shared >= 1]
        lg, _, keep = score_pairs(enc, enc, ai, aj, cms, budget)
        exact = set(zip(ai[keep].tolist(), aj[keep].tolist(), strict=True))
        assert exact <= kernel and len(exact) > 50
        assert np.all(np.isfinite(lg[keep]))
        # the kernel's extra pairs are exactly those the scoring removes
        lg2, _, keep2 = score_pairs(enc, enc, i, j, cms, budget)
        assert set(zip(i[keep2].tolist(), j[keep2].tolist(), strict=True)) == exact


def test_direct_model_validation() -> None:
    assert DirectModel().drop is None
    assert DirectModel(0.1).drop == DropModel(0.1)
    with pytest.raises(Exception, match="theta"):
        DirectModel(theta=0.6)


def test_direct_reference_with_own_dropout(tmp_path, capsys) -> None:
    rem = tmp_path / "r.tsv"
    _write(
        rem,
        ["remain_id", "site", *MK],
        [["A", "S1", *PERSON], ["B", "S2", *PERSON[:5], *(["-/-"] * 5)]],
    )
    tb = list(PERSON)
    tb[2], tb[6] = "11/F", "30/F"
    ref = tmp_path / "ref.tsv"
    _write(ref, ["remain_id", "dropout", "dropin", *MK], [["TOOTHBRUSH", "0.3", "0.02", *tb]])
    out = tmp_path / "o"
    assert (
        main(
            [
                "direct",
                "--remains",
                str(rem),
                "--references",
                str(ref),
                "--out",
                str(out),
                "--min-shared",
                "5",
            ]
        )
        == 0
    )
    rows = [r.split("\t") for r in (out / "direct_pairs.tsv").read_text().splitlines()[1:]]
    kinds = {(r[0], r[1]): r for r in rows}
    assert kinds[("A", "B")][2] == "remain" and kinds[("A", "TOOTHBRUSH")][2] == "reference"
    assert kinds[("A", "TOOTHBRUSH")][6] == "True"
    assert kinds[("B", "TOOTHBRUSH")][3] == "5"
