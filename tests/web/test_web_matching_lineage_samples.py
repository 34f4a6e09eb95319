"""Lineage data typed on another sample of the same donor or remains (issue 20): the
matching takes each system's data from whichever usable profile gives it (STR: most
markers; Y-STR: most loci; mtDNA: widest range; ties: the newest), says when two profiles
disagree and leaves that system out, counts every profile that fed a family or a remains
for what changed, and names each system's samples on the candidate and the review page.

Data as in test_web_matching_lineage.py (tests/lineage/data, synthetic): F1's paternal
uncle UN typed for STRs and Y-STR; F2's maternal aunt for STRs and mtDNA; R3 and R5 typed
for STRs, Y-STR and mtDNA.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from tests.web.test_web_matching_lineage import _cli, _load, _ours, _search, make_folder

from fieldwork.models import Sample
from identification import compiled
from identification.models import MatchCandidate, ScoringRequest
from lab.models import DNAProfile, QualityStatus

pytest.importorskip("nasab.search.run")


@pytest.fixture
def folder(tmp_path):
    return make_folder(tmp_path)


def _profile(sample, users, markers=None, lineage=None, supersedes=None) -> DNAProfile:
    return DNAProfile.objects.create(
        sample=sample,
        markers=markers or {},
        lineage=lineage or {},
        kit="k",
        lab="l",
        quality_status=QualityStatus.ACCEPTED,
        source_file_name="f",
        source_sha256=f"{sample.barcode}-{DNAProfile.objects.count()}".ljust(64, "0"),
        source_line=2,
        imported_by=users["lab"],
        supersedes=supersedes,
        supersession_reason="typed again without the lineage markers" if supersedes else "",
    )


def _strip(barcode: str, system: str, users) -> tuple[DNAProfile, dict]:
    """The sample's profile replaced by one without ``system``; returns it and the data."""
    old = DNAProfile.objects.get(sample__barcode=barcode, superseded_by__isnull=True)
    lineage = dict(old.lineage)
    data = lineage.pop(system)
    return _profile(old.sample, users, old.markers, lineage, supersedes=old), {system: data}


def _uncle_sample(barcode: str):
    uncle = Sample.objects.get(barcode="F1-UN").donor
    return Sample.objects.create(barcode=barcode, kind="buccal_swab", donor=uncle)


def _extract(of: str, barcode: str):
    parent = Sample.objects.get(barcode=of)
    return Sample.objects.create(barcode=barcode, kind="dna_extract", parent_sample=parent)


def _lr(folder, c) -> dict:
    rc, out = _cli(
        "lr",
        "--families",
        str(folder / "families.tsv"),
        "--family-id",
        c.person.external_family_id,
        "--missing",
        c.person.external_id,
        "--poi",
        str(folder / "remains.tsv"),
        "--poi-id",
        c.remains.code,
        "--freqs",
        str(folder / "freqs.txt"),
        "--ystr-db",
        str(folder / "ystr_db.tsv"),
        "--mtdna-db",
        str(folder / "mtdna_db.tsv"),
        "--json",
    )
    assert rc == 0
    return json.loads(out)


def _same_as(theirs: dict, ours: dict, keys=None) -> None:
    for key in keys or theirs:
        row, c = theirs[key], ours[key]
        assert c.log10_lr == pytest.approx(float(row["log10_lr"]), abs=1e-9), key
        assert c.log10_lr_autosomal == pytest.approx(float(row["log10_lr_autosomal"]), abs=1e-9)
        assert c.log10_lr_y == pytest.approx(float(row["log10_lr_Y"]), abs=1e-9), key
        assert c.log10_lr_mtdna == pytest.approx(float(row["log10_lr_mtDNA"]), abs=1e-9), key


def test_lineage_typed_on_other_samples_is_used_and_named(db, folder, users, client):
    theirs = _search(folder)  # every person's data in one row: the combined data
    _load(folder, users)
    before = _ours()
    # the uncle's Y typed on a second swab; R3's mtDNA on a second extract of its bone
    _, y = _strip("F1-UN", "Y", users)
    _profile(_uncle_sample("F1-UN-Y"), users, lineage=y)
    _, mt = _strip("R3-S1", "mtDNA", users)
    _profile(_extract("R3-S1", "R3-S1-X2"), users, lineage=mt)
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    ours = _ours()
    assert set(ours) == set(theirs)
    _same_as(theirs, ours)
    r5, r3 = ours[("R5", "MP")], ours[("R3", "MP2")]
    for c, kind in ((r5, "Y"), (r3, "mtDNA")):  # nasab lr --families, to 1e-9
        got = _lr(folder, c)
        assert c.log10_lr == pytest.approx(got["log10LR"], abs=1e-9)
        value = c.log10_lr_y if kind == "Y" else c.log10_lr_mtdna
        assert got["evidence"][kind]["used"] and value > 0
        assert value == pytest.approx(got["evidence"][kind]["log10LR"], abs=1e-9)
    # new data, new candidates (the old ones no longer current)
    assert r5.basis != before[("R5", "MP")].basis and r3.basis != before[("R3", "MP2")].basis
    assert not MatchCandidate.objects.get(pk=before[("R5", "MP")].pk).current
    # which sample gave which system's data
    ev = r5.lineage_evidence
    assert ev["Y"]["samples"] == {"remains": "R5-S1", "references": ["F1-UN-Y"]}
    assert ev["autosomal_samples"] == {"remains": "R5-S1", "references": ["F1-UN"]}
    assert r5.samples_used == ["R5-S1", "F1-UN", "F1-UN-Y"]
    ev = r3.lineage_evidence
    assert ev["mtDNA"]["samples"] == {"remains": "R3-S1-X2", "references": ["F2-AU"]}
    assert ev["autosomal_samples"]["remains"] == "R3-S1"
    assert r3.samples_used == ["R3-S1", "R3-S1-X2", "F2-AU"]
    # the review page names them, in both languages (barcodes are data: translate="no")
    from tests.web.test_web_workbench import LATIN_WORD, arabic_text_of

    client.force_login(users["reviewer"])
    for language, label in (("en", "reference samples"), ("ar", "عينات المراجع")):
        client.cookies["django_language"] = language
        html = client.get(reverse("identification:candidate_detail", args=[r3.pk])).content
        html = html.decode()
        section = re.search(r'<section id="lineage".*?</section>', html, re.S).group(0)
        assert '<bdi translate="no">R3-S1-X2</bdi>' in section and label in section
        assert '<bdi translate="no">F2-AU</bdi>' in section
        if language == "ar":
            main = type("R", (), {"content": f"<main>{section}</main>".encode()})
            words = set(LATIN_WORD.findall(arabic_text_of(main))) - {"STR", "log"}
            assert not words, words


def test_disagreeing_profiles_are_said_and_their_system_left_out(db, folder, users, client):
    _load(folder, users)
    before = _ours()
    # the uncle's second swab says DYS19 15 (14 on the first); R5's second extract lacks
    # 16311C within the range both cover
    _profile(_uncle_sample("F1-UN-Y2"), users, lineage={"Y": {"DYS19": "15", "DYS390": "23"}})
    _profile(_extract("R5-S1", "R5-S1-X2"), users, lineage={"mtDNA": "16024-16365: 16129A 16224C"})
    report = compiled.full_run()
    owner = before[("R5", "MP")].person.case_number
    y = [p for p in report.problems if "Y-STR left out" in p]
    mt = [p for p in report.problems if "mtDNA left out" in p]
    assert len(y) == 1 and y[0].startswith(f"{owner}: ") and "F1-UN-Y2" in y[0]
    assert "DYS19 (14 / 15)" in y[0]
    assert len(mt) == 1 and mt[0].startswith("remains R5: ") and "16311C" in mt[0]
    ours = _ours()
    # F1 without Y: R2 (kept by its STRs, excluded by Y before) back, R5 (lifted by Y) gone
    assert ("R2", "MP") in ours and ("R2", "MP") not in before
    assert ("R5", "MP") not in ours
    for (rid, mp), c in ours.items():
        if mp == "MP":
            assert c.log10_lr_y == 0.0 and c.lineage_evidence["Y"]["reason"] == "disputed"
            assert c.log10_lr == pytest.approx(c.log10_lr_autosomal, abs=1e-12)
            assert c.lineage_evidence["Y"]["statement"] == y[0].split(": ", 1)[1]
            assert c.lineage_evidence["Y"]["samples"]["disputed"] == ["F1-UN", "F1-UN-Y2"]
            assert "F1-UN-Y2" not in c.samples_used  # its data were not used
        if rid == "R5":
            assert c.log10_lr_mtdna == 0.0
            ev = c.lineage_evidence["mtDNA"]
            assert ev["reason"] == "disputed" and ev["samples"]["disputed"] == [
                "R5-S1",
                "R5-S1-X2",
            ]
    # the review page says why, and names the samples (Arabic)
    client.force_login(users["reviewer"])
    client.cookies["django_language"] = "ar"
    c = ours[("R2", "MP")]
    html = client.get(reverse("identification:candidate_detail", args=[c.pk])).content.decode()
    assert "غير مستعمَل: عينتان للشخص نفسه متعارضتان" in html and "العينات المتعارضة" in html
    assert '<bdi translate="no">F1-UN-Y2</bdi>' in html
    # the incremental path says it too (on the request) and leaves the system out as well
    ScoringRequest.objects.all().delete()
    compiled.family_changed(before[("R5", "MP")].person, "test")
    compiled.remains_profile_changed(before[("R5", "MP")].remains, "test")
    assert compiled.process_pending()["errors"] == 2
    errors = sorted(ScoringRequest.objects.values_list("error", flat=True))
    assert "DYS19" in errors[0] and "16311C" in errors[1]
    assert ("R5", "MP") not in _ours()


def test_a_new_lineage_only_profile_updates_the_family_and_the_remains(
    db, folder, users, django_capture_on_commit_callbacks
):
    theirs = _search(folder)
    _load(folder, users)
    # the uncle's profile typed again without Y: his family loses its Y (R5 not lifted)
    with django_capture_on_commit_callbacks(execute=True):
        _, y = _strip("F1-UN", "Y", users)
    ours = _ours()
    assert ("R5", "MP") not in ours and ours[("R2", "MP")].log10_lr_y == 0.0
    # a Y-only swab of the uncle: the family is recompiled, the factors are nasab search's
    with django_capture_on_commit_callbacks(execute=True):
        _profile(_uncle_sample("F1-UN-Y"), users, lineage=y)
    assert not ScoringRequest.objects.filter(done_at__isnull=True).exists()
    ours = _ours()
    mine = {k for k in ours if k[1] == "MP"}
    assert mine == {k for k in theirs if k[1] == "MP"} and ("R2", "MP") not in mine
    _same_as(theirs, ours, mine)
    assert ours[("R5", "MP")].lineage_evidence["Y"]["samples"]["references"] == ["F1-UN-Y"]
    # R3's bone typed again without mtDNA: rescored at once, without the mtDNA factor...
    r3 = ours[("R3", "MP2")]
    assert r3.log10_lr_mtdna > 1
    with django_capture_on_commit_callbacks(execute=True):
        _, mt = _strip("R3-S1", "mtDNA", users)
    now = _ours()[("R3", "MP2")]
    assert now.log10_lr_mtdna == 0.0 and now.log10_lr == pytest.approx(now.log10_lr_autosomal)
    assert not MatchCandidate.objects.get(pk=r3.pk).current
    # ...and a second extract with the mtDNA brings it back with nasab search's factors
    with django_capture_on_commit_callbacks(execute=True):
        _profile(_extract("R3-S1", "R3-S1-X2"), users, lineage=mt)
    ours = _ours()
    _same_as(theirs, ours, [("R3", "MP2")])
    c = ours[("R3", "MP2")]
    assert c.pk != r3.pk and c.lineage_evidence["mtDNA"]["samples"]["remains"] == "R3-S1-X2"
    # a Y haplotype typed on a second extract of R4 (kept by its STRs) excludes F1's line:
    # the pair stops being current at once
    r4 = ours[("R4", "MP")]
    with django_capture_on_commit_callbacks(execute=True):
        y = {"Y": {"DYS19": "18", "DYS390": "23", "DYS385": "11,14"}}  # R2's: excluded
        _profile(_extract("R4-S1", "R4-S1-X2"), users, lineage=y)
    assert ("R4", "MP") not in _ours() and ("R2", "MP") not in theirs
    assert not MatchCandidate.objects.get(pk=r4.pk).current
