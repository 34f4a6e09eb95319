"""The registry's SNP data (issue 21): panel calls imported through the engine's readers,
kept append-only with their panel's files and hashes, consent-filtered, and the stage-2
SNP confirmation of a candidate computed on request, stored, audited and shown."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from lab import snp
from lab.models import SNPCalls, SNPPanelFile
from lab.selectors import usable_snp_calls
from registry.services import withdraw_consent

HEADER = "marker\tchromosome\tposition_bp\tcM_male\tcM_female\tallele\tfrequency\n"


def small_panel_text() -> str:
    rows = [HEADER]
    for k in range(6):
        rows.append(f"rs{k}\t1\t{1000 + k * 100000}\t{k * 1.0}\t{k * 1.5}\tA\t0.3\n")
        rows.append(f"rs{k}\t1\t{1000 + k * 100000}\t{k * 1.0}\t{k * 1.5}\tG\t0.7\n")
    return "".join(rows)


CALLS = "id\trs0\trs1\trs2\trs3\nGS-T01-R001-S1\tA/G\t0\t-\t2\nD-father\tA/A\t1\tG/G\t\n"


def do_import(users, calls=CALLS, *, name="calls.tsv", panel=None, **kw):
    return snp.import_snp_calls(
        user=users["lab"],
        panel_files=[("panel.tsv", (panel or small_panel_text()).encode())],
        calls_name=name,
        calls_content=calls.encode(),
        lab="Test lab",
        **kw,
    )


def test_import_stores_calls_compactly_with_the_panel(sample, family, users):
    result = do_import(users)
    got = {c.sample.barcode: c for c in result.created}
    assert got["GS-T01-R001-S1"].calls == "10.2.."  # dosage of A1 = A; '.' no call
    assert got["D-father"].calls == "210..."
    assert got["D-father"].called == 3 and got["D-father"].source_line == 3
    panel_file = SNPPanelFile.objects.get()
    assert got["D-father"].panel == [{"file": "panel.tsv", "sha256": panel_file.sha256}]
    assert panel_file.text == small_panel_text()
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_SNP_CALLS)
    assert event.detail["samples"] == 2 and event.detail["snps"] == 6
    # the stored calls read back as the engine's dosages, over the stored panel
    assert snp.decode_calls(got["D-father"].calls).tolist() == [2, 1, 0, -1, -1, -1]
    assert snp.panel_of(got["D-father"]).markers[:2] == ("rs0", "rs1")


@pytest.mark.parametrize(
    "calls, message",
    [
        (
            "id\trs0\trs1\nD-father\tA/G\tC/T\n",
            "calls.tsv, line 2, column rs1: SNP rs1: call 'C/T' is not a genotype of A/G",
        ),
        (
            "id\trs0\trs99\nD-father\tA/G\t0\n",
            "calls.tsv, line 1: column(s) not in the SNP panel: rs99",
        ),
        ("barcode\trs0\nD-father\tA/G\n", "calls.tsv, line 1: the first column must be 'id'"),
        ("id\trs0\nNOBODY-1\tA/G\n", "calls.tsv, line 2: no sample with barcode 'NOBODY-1'"),
        ("id\trs0\nD-father\t-\n", "calls.tsv, line 2: sample D-father has no SNP called"),
    ],
)
def test_refusals_name_file_line_and_column(sample, family, users, calls, message):
    with pytest.raises(snp.SNPImportError) as err:
        do_import(users, calls)
    assert any(p.startswith(message) for p in err.value.problems), err.value.problems
    assert not SNPCalls.objects.exists() and not SNPPanelFile.objects.exists()


def test_bad_panel_is_named(sample, family, users):
    bad = HEADER + "rs0\t1\t1000\t0\t0\tA\tzero\n"
    with pytest.raises(snp.SNPImportError) as err:
        do_import(users, panel=bad)
    assert err.value.problems[0].startswith("panel.tsv, line 2")


def test_same_file_twice_and_reasoned_supersession(sample, family, users):
    do_import(users)
    assert do_import(users).already_imported
    assert do_import(users, CALLS + "\n", name="again.tsv").unchanged == [
        "GS-T01-R001-S1",
        "D-father",
    ]
    changed = "id\trs0\nD-father\tG/G\n"
    with pytest.raises(snp.SNPImportError, match="already has different SNP calls"):
        do_import(users, changed, name="retyped.tsv")
    result = do_import(users, changed, name="retyped.tsv", supersede_reason="re-extracted")
    new = result.created[0]
    assert result.superseded == ["D-father"] and new.supersedes.calls == "210..."
    assert new.supersession_reason == "re-extracted"
    assert sorted(c.calls for c in usable_snp_calls()) == ["0.....", "10.2.."]
    with pytest.raises(Exception, match="never changed in place"):
        new.save()


VCF = (
    "##fileformat=VCFv4.2\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tD-father\tGS-T01-R001-S1\n"
    "1\t1000\trs0\tA\tG\t.\tPASS\t.\tGT\t0/0\t0/1\n"
    "1\t101000\t.\tA\tG\t.\tPASS\t.\tGT\t1/1\t./.\n"
    "1\t555\trs_other\tA\tG\t.\tPASS\t.\tGT\t1/1\t./.\n"
)


def test_vcf_through_the_engine_reader(sample, family, users):
    created = do_import(users, VCF, name="run.vcf").created
    assert {c.sample.barcode: c.calls for c in created} == {
        "D-father": "20....",  # rs1 matched by position; rs_other is not in the panel
        "GS-T01-R001-S1": "1.....",
    }
    assert all(c.source_line is None for c in created)
    with pytest.raises(snp.SNPImportError) as err:
        do_import(
            users,
            VCF.replace("A\tG\t.\tPASS\t.\tGT\t0/0", "C\tG\t.\tPASS\t.\tGT\t0/0"),
            name="bad.vcf",
        )
    assert err.value.problems[0].startswith("bad.vcf, column rs0: SNP rs0: call 'C/C'")


def test_usable_snp_calls_follow_consent(sample, family, users):
    do_import(users)
    assert sorted(c.sample.barcode for c in usable_snp_calls()) == ["D-father", "GS-T01-R001-S1"]
    withdraw_consent(family["father"], reason="asked")
    assert [c.sample.barcode for c in usable_snp_calls()] == ["GS-T01-R001-S1"]


def test_import_page(client, sample, family, users):
    client.force_login(users["lab"])
    page = client.get(reverse("lab:profile_import")).content.decode()
    assert 'id="snp-import"' in page and 'id="id_snp_lab"' in page
    bad = {
        "panel": SimpleUploadedFile("FORCE.tsv", small_panel_text().encode()),
        "calls": SimpleUploadedFile("c.tsv", b"id\trs0\nD-father\tC/C\n"),
        "lab": "Test lab",
    }
    response = client.post(reverse("lab:snp_import"), bad)
    assert response.status_code == 400
    assert "c.tsv, line 2, column rs0" in response.content.decode()
    good = {
        "panel": SimpleUploadedFile("FORCE.tsv", small_panel_text().encode()),
        "calls": SimpleUploadedFile("c.tsv", CALLS.encode()),
        "lab": "Test lab",
    }
    response = client.post(reverse("lab:snp_import"), good)
    assert response.status_code == 302 and SNPCalls.objects.count() == 2
    client.force_login(users["norole"])
    assert client.post(reverse("lab:snp_import"), good).status_code in (302, 403)


# ------------------------------------------------------------- stage 2 in the registry


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    pytest.importorskip("nasab.search.run")
    from nasab.sim.simulate import simulate

    out = tmp_path_factory.mktemp("sim")
    simulate(8, 10, 3, out, formats=("tsv",))
    return out


def _engine_panel():
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
        np.round(rng.uniform(0.2, 0.8, n), 4),
    )


def _panel_file(panel) -> str:
    from nasab.engine.snp import X_CHROMOSOME

    rows = [HEADER]
    for k, m in enumerate(panel.markers):
        c = "X" if panel.chromosome[k] == X_CHROMOSOME else str(panel.chromosome[k])
        male = "" if c == "X" else repr(float(panel.cm_male[k]))
        where = f"{m}\t{c}\t{panel.position[k]}\t{male}\t{float(panel.cm_female[k])!r}"
        p = float(panel.freq1[k])
        rows.append(f"{where}\tA\t{p!r}\n{where}\tG\t{round(1 - p, 4)!r}\n")
    return "".join(rows)


def _calls_file(calls: dict) -> str:
    n = len(next(iter(calls.values())))
    out = ["id\t" + "\t".join(f"rs{i}" for i in range(n))]
    out += [
        k + "\t" + "\t".join(str(int(x)) if x >= 0 else "-" for x in d) for k, d in calls.items()
    ]
    return "\n".join(out) + "\n"


@pytest.fixture
def typed_candidate(db, sim, users):
    from identification import compiled
    from identification.models import MatchCandidate
    from identification.programme import active_settings, engine_table
    from nasab.sim.snp import drop_snps

    call_command("import_simulation", str(sim), stdout=io.StringIO())
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    c = MatchCandidate.objects.order_by("-log10_lr").first()
    panel = _engine_panel()
    table = engine_table(active_settings().frequency_table)
    ef = compiled.collect_families(table, [c.person])[0][0]
    node = next(n for n, p in ef.persons.items() if p.pk == c.person.pk)
    g = drop_snps(ef.data.family.pedigree, panel, np.random.default_rng(2))
    calls = {prof.sample.barcode: g[pid] for pid, (_, prof) in ef.donors.items()}
    remains_sample = c.remains.samples.order_by("pk").first()
    calls[remains_sample.barcode] = g[node]
    text = _panel_file(panel)
    snp.import_snp_calls(
        user=users["lab"],
        panel_files=[("panel.tsv", text.encode())],
        calls_name="calls.tsv",
        calls_content=_calls_file(calls).encode(),
        lab="Test lab",
    )
    return c, calls, remains_sample


def test_stage2_recorded_equals_the_service_and_is_audited(typed_candidate, users):
    from identification import snp_confirm
    from identification.models import SNPConfirmation

    c, calls, _ = typed_candidate
    stored = SNPCalls.objects.first()
    panel = snp.panel_of(stored)
    want = snp_confirm.snp_confirmation(c, panel, calls, panel_files=stored.panel)
    got = snp_confirm.record_snp_confirmation(c, user=users["reviewer"])
    assert not got.error, got.error
    assert got.combined_log10_lr == pytest.approx(want["combined_log10_lr"], abs=1e-9)
    assert got.snp_log10_lr == pytest.approx(
        want["snp"]["SNP"]["log10LR"] + want["snp"]["X-SNP"]["log10LR"], abs=1e-9
    )
    assert got.posterior == pytest.approx(want["posterior"])
    assert got.result["panel"] == stored.panel and len(got.inputs) == len(calls)
    assert {i["source_sha256"] for i in got.inputs} == {stored.source_sha256}
    assert AuditEvent.objects.filter(action=AuditAction.SNP_CONFIRMATION).count() == 1
    assert SNPConfirmation.objects.count() == 1
    with pytest.raises(Exception, match="never changed in place"):
        got.save()


def test_page_shows_stored_stage2_and_the_button_records_it(client, typed_candidate, users):
    from identification.models import SNPConfirmation

    c, _, _ = typed_candidate
    client.force_login(users["reviewer"])
    url = reverse("identification:candidate_detail", args=[c.pk])
    page = client.get(url).content.decode()
    assert "No SNP confirmation recorded" in page and not SNPConfirmation.objects.exists()
    response = client.post(reverse("identification:snp_confirmation", args=[c.pk]))
    assert response.status_code == 302
    confirmation = SNPConfirmation.objects.get()
    page = client.get(url).content.decode()
    assert f"{confirmation.combined_log10_lr:.4f}" in page and 'id="snp-stale"' not in page
    assert "panel.tsv" in page and "Autosomal SNPs, linked" in page
    assert SNPConfirmation.objects.count() == 1  # showing the page computes nothing
    # Arabic page: the new labels are translated
    client.cookies["django_language"] = "ar"
    page_ar = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Stage 2: SNP confirmation" not in page_ar


def test_new_calls_mark_the_stored_stage2_stale(typed_candidate, users):
    from identification import snp_confirm

    c, calls, remains_sample = typed_candidate
    snp_confirm.record_snp_confirmation(c, user=users["reviewer"])
    assert snp_confirm.latest(c)[1] is False
    d = calls[remains_sample.barcode].copy()
    d[0] = -1 if d[0] >= 0 else 0
    snp.import_snp_calls(
        user=users["lab"],
        panel_files=[("panel.tsv", SNPPanelFile.objects.get().text.encode())],
        calls_name="retyped.tsv",
        calls_content=_calls_file({remains_sample.barcode: d}).encode(),
        lab="Test lab",
        supersede_reason="re-sequenced",
    )
    assert snp_confirm.latest(c)[1] is True


def test_report_states_stage2_only_when_recorded(typed_candidate, users):
    from identification import report, services, snp_confirm

    c, _, _ = typed_candidate
    identification = services.identification_for(c)
    assert "snp_confirmation" not in report.content(identification, "en")
    snp_confirm.record_snp_confirmation(c, user=users["reviewer"])
    for language in ("en", "ar"):
        data = report.content(identification, language)
        s = data["snp_confirmation"]
        assert s["combined_log10_lr"] and s["donors_with"] and s["panel"][0].startswith("panel.tsv")
        html = report.render_html(data, report.content_sha256(data), "now")
        assert report.LABELS[language]["snp"] in html and s["combined_log10_lr"] in html


def test_profile_page_lists_the_sample_snp_calls(client, sample, family, users):
    from lab.services import import_profiles

    profile = import_profiles(
        user=users["lab"],
        file_name="p.tsv",
        content=b"barcode\tTH01\nD-father\t6/7\n",
        kit="k",
        lab="l",
        quality_status="accepted",
    )[0]
    do_import(users)
    do_import(users, "id\trs0\nD-father\tG/G\n", name="re.tsv", supersede_reason="re-run")
    client.force_login(users["lab"])
    page = client.get(reverse("lab:profile_detail", args=[profile.pk])).content.decode()
    assert 'id="snp-calls"' in page and "re.tsv" in page and "re-run" in page
    assert "3 / 6" in page and "1 / 6" in page


def test_candidate_without_snp_data_records_why(client, typed_candidate, users):
    from identification import snp_confirm
    from identification.models import MatchCandidate

    c, _, _ = typed_candidate
    other = MatchCandidate.objects.exclude(remains=c.remains).order_by("-log10_lr").first()
    if other is None:
        pytest.skip("one remains unit only")
    got = snp_confirm.record_snp_confirmation(other, user=users["reviewer"])
    assert got.error.startswith("no SNP calls for the remains") and got.combined_log10_lr is None
    client.force_login(users["reviewer"])
    page = client.get(reverse("identification:candidate_detail", args=[other.pk])).content.decode()
    assert 'id="snp-error"' in page
