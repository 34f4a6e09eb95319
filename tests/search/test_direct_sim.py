"""Direct matching and the simulator."""

from __future__ import annotations

import json

from nasab.search.cli import main
from nasab.search.data import read_families, read_remains
from nasab.sim.simulate import KIT_24, simulate


def test_simulate_shapes(tmp_path):
    info = simulate(30, 40, 3, tmp_path / "a")
    simulate(30, 40, 3, tmp_path / "b")
    assert (tmp_path / "a" / "families.tsv").read_text() == (
        tmp_path / "b" / "families.tsv"
    ).read_text()
    assert info["remains"] == 40 and len(KIT_24) == 24
    fam = read_families(tmp_path / "a" / "families.tsv")
    assert len(fam.families) == 30 and fam.markers == KIT_24
    rem, markers, _ = read_remains(tmp_path / "a" / "remains.parquet")
    assert len(rem.ids) == 40 and rem.sites[0].startswith("SITE")
    truth = (tmp_path / "a" / "truth.tsv").read_text().splitlines()
    assert len([t for t in truth if t.startswith("R")]) == 40


def test_direct_groups_samples(small_sim, tmp_path, capsys):
    folder, _ = small_sim
    out = tmp_path / "d"
    assert (
        main(
            [
                "direct",
                "--remains",
                str(folder / "remains.tsv"),
                "--out",
                str(out),
                "--threshold",
                "1e6",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    truth = {}
    for ln in (folder / "truth.tsv").read_text().splitlines():
        c = ln.split("\t")
        if c[0].startswith("R"):
            truth[c[0]] = c[3]  # the individual
    ind = {}
    for ln in (out / "individuals.tsv").read_text().splitlines()[1:]:
        r, i, _ = ln.split("\t")
        ind[r] = i
    # same individual <=> same true person (samples lose at most 40% of markers)
    for a in ind:
        for b in ind:
            if truth[a] == truth[b]:
                assert ind[a] == ind[b]
    assert summary["individuals"] == len(set(truth.values()))
    sites = (out / "sites.tsv").read_text().splitlines()
    assert sites[0] == "site\tremains\tindividuals"
