"""The two-stage programme: an STR candidate of the registry confirmed with a SNP panel
(identification.snp_confirm), against the engine's SNP LR on the same pedigree."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.management import call_command

from identification.models import MatchCandidate

pytest.importorskip("nasab.search.run")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    from nasab.sim.simulate import simulate

    out = tmp_path_factory.mktemp("sim")
    simulate(8, 10, 3, out, formats=("tsv",))
    return out


def _panel():
    from nasab.engine.snp import X_CHROMOSOME, SNPPanel

    rng = np.random.default_rng(5)
    chrom = np.array([1] * 60 + [2] * 60 + [X_CHROMOSOME] * 20)
    cm = np.concatenate([np.arange(60) * 2.0, np.arange(60) * 2.0, np.arange(20) * 3.0])
    n = len(chrom)
    return SNPPanel(
        tuple(f"rs{i}" for i in range(n)),
        chrom,
        np.arange(n) * 100_000 + 1,
        cm,
        cm * 1.5,
        ("A",) * n,
        ("G",) * n,
        rng.uniform(0.2, 0.8, n),
    )


def test_snp_confirmation_of_a_candidate(db, sim):
    from identification import compiled, snp_confirm
    from identification.programme import active_settings, engine_table
    from nasab.engine.snp import missing_person_snp_lr
    from nasab.sim.snp import drop_snps

    call_command("import_simulation", str(sim), stdout=io.StringIO())
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    c = MatchCandidate.objects.order_by("-log10_lr").first()
    assert c is not None
    panel = _panel()
    ef = compiled.collect_families(engine_table(active_settings().frequency_table), [c.person])[0][
        0
    ]
    node = next(n for n, p in ef.persons.items() if p.pk == c.person.pk)
    ped = ef.data.family.pedigree
    g = drop_snps(ped, panel, np.random.default_rng(2))
    calls = {prof.sample.barcode: g[pid] for pid, (_, prof) in ef.donors.items()}
    calls[c.remains.code] = g[node]  # the remains are the missing person
    got = snp_confirm.snp_confirmation(c, panel, calls, error_reference=0.001, error_poi=0.01)
    assert "error" not in got, got
    refs = {pid: g[pid] for pid in ef.donors}
    want = missing_person_snp_lr(
        ped, refs, node, g[node], panel, error_references=0.001, error_poi=0.01
    )
    assert got["snp"]["SNP"]["log10LR"] == pytest.approx(want.log10_lr_autosomal, abs=1e-9)
    assert got["snp"]["X-SNP"]["log10LR"] == pytest.approx(want.log10_lr_x, abs=1e-9)
    assert got["combined_log10_lr"] == pytest.approx(c.log10_lr + want.log10_lr, abs=1e-9)
    assert want.log10_lr > 3 and got["posterior"] >= c.posterior
    assert "no STR map given" in got["combination"] and not got["donors_without_snp_calls"]
    # unrelated remains: the SNPs speak against the candidate
    calls[c.remains.code] = drop_snps(ped, panel, np.random.default_rng(9))[node]
    other = snp_confirm.snp_confirmation(c, panel, calls)
    assert other["snp"]["SNP"]["log10LR"] < 0
    # no SNP data for the remains, or for any donor: said, not guessed
    del calls[c.remains.code]
    assert "no SNP calls for the remains" in snp_confirm.snp_confirmation(c, panel, calls)["error"]
    only_remains = {c.remains.code: g[node]}
    assert "no donor" in snp_confirm.snp_confirmation(c, panel, only_remains)["error"]
