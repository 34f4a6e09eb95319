"""The registry's matching with Y-STR and mtDNA (issue 20): databases in the programme
settings, lineage factors equal to ``nasab search`` / ``nasab lr --families``, exclusion and
lifting by lineage, incremental changes, the review page and the PDF report in both
languages.

Data: tests/lineage/data (synthetic): F1 has a paternal uncle typed for three STRs and
three Y-STR loci; F2 a maternal aunt typed for mtDNA. At the threshold 10^-0.5, R2 is kept
for F1's missing man by its autosomal LR alone but excluded by its Y haplotype (four steps
at DYS19, three transmissions); R5 is lifted over the threshold by its Y factor, R3 by its
mtDNA factor.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from fieldwork.models import RemainsUnit, Sample
from identification import compiled
from identification.models import MatchCandidate, ScoringRequest
from identification.programme import active_settings, change_settings, register_lineage_database
from lab.models import DNAProfile, QualityStatus
from registry.models import Consent

pytest.importorskip("nasab.search.run")
DATA = Path(__file__).resolve().parents[1] / "lineage" / "data"
THRESHOLD = 10**-0.5


@pytest.fixture
def folder(tmp_path):
    return make_folder(tmp_path)


def make_folder(tmp_path):
    """The test data as ``nasab search`` reads them (also test_web_matching_lineage_samples)."""
    from nasab.engine.frequencies import package_data

    out = tmp_path / "sim"
    out.mkdir()
    for name in ("families", "remains", "ystr_db", "mtdna_db"):
        shutil.copy(DATA / f"search_{name}.tsv", out / f"{name}.tsv")
    shutil.copy(package_data("NIST1036_All.tsv"), out / "freqs.txt")
    # R3 typed for Y too: for F2's missing man, whose family has no man of his paternal line
    # typed, it gives no Y evidence (said, not an error)
    path = out / "remains.tsv"
    r3 = "R3\t1\t14/18\t15/19\t20/21\t\t\t\t"
    assert r3 in path.read_text()
    path.write_text(path.read_text().replace(r3, r3[:-3] + "15\t22\t12,14\t"))
    return out


def _cli(*args: str) -> tuple[int, str]:
    from nasab.cli import main

    buf = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(buf):
        rc = main(list(args))
    return rc, buf.getvalue()


def _search(folder: Path) -> dict:
    rc, _ = _cli(
        "search",
        "--families",
        str(folder / "families.tsv"),
        "--remains",
        str(folder / "remains.tsv"),
        "--freqs",
        str(folder / "freqs.txt"),
        "--out",
        str(folder / "m.tsv"),
        "--threshold",
        str(THRESHOLD),
        "--ystr-db",
        str(folder / "ystr_db.tsv"),
        "--mtdna-db",
        str(folder / "mtdna_db.tsv"),
        "--quiet",
    )
    assert rc == 0
    with open(folder / "m.tsv", encoding="utf-8") as fh:
        return {(r["remain_id"], r["missing_id"]): r for r in csv.DictReader(fh, delimiter="\t")}


def _load(folder: Path, users) -> None:
    active_settings()  # the bundled tables first (freqs.txt is NIST 1036 itself)
    call_command("import_simulation", str(folder), stdout=io.StringIO())
    y = register_lineage_database(
        "Y", "ystr_db.tsv", (folder / "ystr_db.tsv").read_bytes(), user=users["lab"]
    )
    mt = register_lineage_database(
        "mtDNA", "mtdna_db.tsv", (folder / "mtdna_db.tsv").read_bytes(), user=users["lab"]
    )
    assert (y.size, mt.size) == (60, 83)
    change_settings(
        user=users["lab"],
        note="lineage databases",
        ystr_database=y,
        mtdna_database=mt,
        threshold=THRESHOLD,
    )
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())


def _ours() -> dict:
    return {
        (c.remains.code, c.person.external_id): c
        for c in MatchCandidate.objects.filter(current=True).select_related("remains", "person")
    }


def test_registry_matching_uses_lineage_as_nasab_search_and_lr(db, folder, users):
    theirs = _search(folder)
    _load(folder, users)
    ours = _ours()
    assert set(ours) == set(theirs) and len(ours) >= 3
    for key, row in theirs.items():
        c = ours[key]
        assert c.log10_lr == pytest.approx(float(row["log10_lr"]), abs=1e-9)
        assert c.log10_lr_autosomal == pytest.approx(float(row["log10_lr_autosomal"]), abs=1e-9)
        assert c.log10_lr_y == pytest.approx(float(row["log10_lr_Y"]), abs=1e-9)
        assert c.log10_lr_mtdna == pytest.approx(float(row["log10_lr_mtDNA"]), abs=1e-9)
    # export_candidates writes the same evidence columns as nasab search
    call_command("export_candidates", str(folder / "cands.tsv"), stdout=io.StringIO())
    with open(folder / "cands.tsv", encoding="utf-8") as fh:
        exported = {
            (r["remain_id"], r["missing_id"]): r for r in csv.DictReader(fh, delimiter="\t")
        }
    assert exported.keys() == theirs.keys()
    for key, row in theirs.items():
        for col in ("log10_lr_autosomal", "log10_lr_Y", "log10_lr_mtDNA"):
            assert float(exported[key][col]) == pytest.approx(float(row[col]), abs=1e-9)
    # excluded by Y although kept by their autosomal LR (R2: 10^0.65, R3: 10^-0.47)
    auto = {k: float(r["log10_lr_autosomal"]) for k, r in theirs.items()}
    assert ("R2", "MP") not in ours and ("R3", "MP") not in ours
    assert ("R4", "MP") in ours and auto[("R4", "MP")] > 0.6  # R2's STRs, no lineage data
    r5 = ours[("R5", "MP")]
    assert r5.log10_lr_autosomal < math.log10(THRESHOLD) <= r5.log10_lr and r5.log10_lr_y > 0
    r3 = ours[("R3", "MP2")]
    assert r3.log10_lr_mtdna > 1
    assert r3.lineage_evidence["mtDNA"]["reason"] == "used"
    assert r3.lineage_evidence["Y"]["reason"] == "not_on_paternal_line"
    assert ours[("R4", "MP")].lineage_evidence["Y"]["reason"] == "no_remains_data"
    assert r5.lineage_evidence["databases"]["Y"]["size"] == 60
    assert r5.lineage_evidence["databases"]["Y"]["method"] == "counting"
    assert "independent" in r5.lineage_evidence["combination"]
    # each stored factor is nasab lr --families's, to 1e-9
    for (rid, mp), c in ours.items():
        fam = c.person.external_family_id
        rc, out = _cli(
            "lr",
            "--families",
            str(folder / "families.tsv"),
            "--family-id",
            fam,
            "--missing",
            mp,
            "--poi",
            str(folder / "remains.tsv"),
            "--poi-id",
            rid,
            "--freqs",
            str(folder / "freqs.txt"),
            "--ystr-db",
            str(folder / "ystr_db.tsv"),
            "--mtdna-db",
            str(folder / "mtdna_db.tsv"),
            "--json",
        )
        assert rc == 0
        got = json.loads(out)
        assert c.log10_lr == pytest.approx(got["log10LR"], abs=1e-9)
        ev = got.get("evidence", {})
        for kind, value in (("Y", c.log10_lr_y), ("mtDNA", c.log10_lr_mtdna)):
            want = ev[kind]["log10LR"] if kind in ev and ev[kind]["used"] else 0.0
            assert value == pytest.approx(want, abs=1e-9), (rid, mp, kind)
            if kind in ev:  # the same statement (the registry names its pedigree nodes)
                assert c.lineage_evidence[kind]["used"] == ev[kind]["used"]
                assert c.lineage_evidence[kind]["statement"][:12] == ev[kind]["statement"][:12]


def _new_remains(code: str, like: str, users) -> RemainsUnit:
    source = DNAProfile.objects.get(sample__remains__code=like)
    unit = RemainsUnit.objects.create(
        code=code, site=source.sample.remains.site, label_at_discovery=code, completeness="partial"
    )
    sample = Sample.objects.create(
        barcode=f"{code}-S1", kind="tooth", skeletal_element="molar", remains=unit
    )
    DNAProfile.objects.create(
        sample=sample,
        markers=source.markers,
        lineage=source.lineage,
        kit="k",
        lab="l",
        quality_status=QualityStatus.ACCEPTED,
        source_file_name="f",
        source_sha256=code.ljust(64, "0"),
        source_line=2,
        imported_by=users["lab"],
    )
    return unit


def test_incremental_changes_keep_the_lineage_right(
    db, folder, users, django_capture_on_commit_callbacks
):
    _load(folder, users)
    ours = _ours()
    # new remains with R5's and R2's data: R5's pair lifted by Y, R2's excluded, at once
    with django_capture_on_commit_callbacks(execute=True):
        new5 = _new_remains("NEW-5", "R5", users)
        new2 = _new_remains("NEW-2", "R2", users)
    assert not ScoringRequest.objects.filter(done_at__isnull=True).exists()
    c = MatchCandidate.objects.get(remains=new5, person=ours[("R5", "MP")].person)
    for f in ("log10_lr", "log10_lr_autosomal", "log10_lr_y", "log10_lr_mtdna"):
        assert getattr(c, f) == pytest.approx(getattr(ours[("R5", "MP")], f), abs=1e-9)
    assert not MatchCandidate.objects.filter(
        remains=new2, person=ours[("R5", "MP")].person
    ).exists()
    # the family changes: the uncle's father typed with the uncle's Y (one more man on the
    # line); recompiled alone, its pairs are those of nasab search on the same change
    owner = ours[("R5", "MP")].person
    path = folder / "families.tsv"
    before = "F1\tGF\t0\t0\t1\t0\t-/-\t-/-\t-/-\t\t\t"
    assert before in path.read_text()
    path.write_text(path.read_text().replace(before, before[:-3] + "\t14\t23\t11,14"))
    theirs = _search(folder)
    grandfather = owner.relatives.get(name_latin__startswith="GF ")
    with django_capture_on_commit_callbacks(execute=True):
        Consent.objects.create(relative=grandfather, text_version="simulation", language="en")
        DNAProfile.objects.create(
            sample=Sample.objects.create(barcode="F1-GF", kind="buccal_swab", donor=grandfather),
            markers={},
            lineage={"Y": {"DYS19": "14", "DYS390": "23", "DYS385": "11,14"}},
            kit="k",
            lab="l",
            quality_status=QualityStatus.ACCEPTED,
            source_file_name="f",
            source_sha256="9" * 64,
            source_line=2,
            imported_by=users["lab"],
        )
        compiled.process_pending()
    now = {k: c for k, c in _ours().items() if k[0] in ("R1", "R2", "R3", "R4", "R5")}
    for key, row in theirs.items():
        if key[1] != "MP":
            continue
        assert now[key].log10_lr == pytest.approx(float(row["log10_lr"]), abs=1e-9), key
        assert now[key].log10_lr_y == pytest.approx(float(row["log10_lr_Y"]), abs=1e-9), key
    assert {k for k in now if k[1] == "MP"} == {k for k in theirs if k[1] == "MP"}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_review_page_and_report_show_the_factors_in_both_languages(
    db, folder, users, client, language
):
    from tests.web.test_web_workbench import LATIN_WORD, arabic_text_of

    from identification import report, services

    _load(folder, users)
    c = _ours()[("R5", "MP")]  # lifted by its Y factor
    client.force_login(users["reviewer"])
    client.cookies["django_language"] = language
    response = client.get(reverse("identification:candidate_detail", args=[c.pk]))
    html = response.content.decode()
    assert 'id="lineage"' in html
    assert f"{c.log10_lr_autosomal:.4f}" in html and f"{c.log10_lr_y:.4f}" in html
    assert f"{c.log10_lr:.4f}" in html and "ystr_db.tsv" in html and "N = <bdi>60" in html
    if language == "en":
        for words in (
            "Autosomal STR",
            "Combined (autosomal × Y-STR × mtDNA)",
            "assumed independent given the pedigree",
            "counting with a confidence bound",
            "no mtDNA evidence: no reference on the maternal line",
        ):
            assert words in html, words
    else:
        assert "الأدلة بحسب نظام الواسمات" in html and "مستقلة بمعلومية شجرة العائلة" in html
        assert "لا دليل من الحمض الميتوكوندري: لا مرجع على خط الأم" in html
        section = re.search(r'<section id="lineage".*?</section>', html, re.S).group(0)
        main = type("R", (), {"content": f"<main>{section}</main>".encode()})
        words = set(LATIN_WORD.findall(arabic_text_of(main)))
        words -= {"STR", "log"}  # Y-STR, log10 LR (as on the per-marker table)
        assert not words, words
    # R3 against F2's missing man: his family has nobody typed on his paternal line
    r3 = _ours()[("R3", "MP2")]
    html = client.get(reverse("identification:candidate_detail", args=[r3.pk])).content.decode()
    no_y = {
        "en": "no Y evidence: no reference on the paternal line",
        "ar": "لا دليل من Y: لا مرجع على خط الأب",
    }
    assert no_y[language] in html
    # the PDF report: the same lines in the report's language
    ident = services.identification_for(c)
    services.decide(ident, "preliminary", users["lab"], "lifted by the Y factor")
    ident = services.decide(ident, "confirmed", users["board"], "board")
    data = report.content(ident, language)
    rows = {r["system"]: r for r in data["lineage"]["rows"]}
    assert len(rows) == 4 and data["lineage"]["databases"][0]["size"] == 60
    page = report.render_html(data, report.content_sha256(data), None)
    assert f"{c.log10_lr_y:.4f}" in page and data["lineage"]["independence"] in page
    from tests.web.test_web_report import HAVE_PDF

    if HAVE_PDF:
        issued = report.issue(ident, language, users["board"])
        assert issued.pdf[:5] == b"%PDF-"


def test_settings_page_registers_and_chooses_databases(db, client, users, folder):
    from identification.models import LineageDatabaseFile, MatchingJob
    from identification.programme import shared_lineage_files

    current = active_settings()
    client.force_login(users["lab"])
    url = reverse("identification:programme_settings")
    page = client.get(url).content.decode()
    assert 'id="lineage-form"' in page
    # an upload the engine refuses: said, nothing registered
    bad = io.BytesIO(b"id\tDYS999\nm1\t14\n")
    bad.name = "bad.tsv"
    response = client.post(url, {"lineage_kind": "Y", "lineage_file": bad})
    assert response.status_code == 400 and "DYS999" in response.content.decode()
    assert not LineageDatabaseFile.objects.exists()
    with open(folder / "mtdna_db.tsv", "rb") as fh:
        assert client.post(url, {"lineage_kind": "mtDNA", "lineage_file": fh}).status_code == 302
    mt = LineageDatabaseFile.objects.get(kind="mtDNA")
    assert mt.size == 83 and mt.name == "mtdna_db.tsv"
    shared = shared_lineage_files()["Y"]
    if not any(p.name == "Purps2014_Iraq_haplotypes.tsv" for p in shared):
        pytest.skip("no shared data folder (../shared/data/ystr)")
    data = {"lineage_kind": "Y", "shared": "Y:Purps2014_Iraq_haplotypes.tsv"}
    assert client.post(url, data).status_code == 302
    y = LineageDatabaseFile.objects.get(kind="Y")
    assert y.size == 124 and "Purps2014_Iraq" in client.get(url).content.decode()
    form = {
        "frequency_table": current.frequency_table.pk,
        "mutation_model": current.mutation_model,
        "default_mutation_rate": "0.001",
        "theta": "0",
        "dropout_bone": "0",
        "dropin_bone": "0",
        "dropout_tooth": "0",
        "dropin_tooth": "0",
        "dropout_reference": "0",
        "threshold": "10000",
        "prior_rule": "per_missing",
        "prior_value": "",
        "ystr_database": y.pk,
        "ystr_method": "augmented",
        "mtdna_database": mt.pk,
        "lineage_confidence": "0.99",
        "note": "lineage markers",
    }
    assert client.post(url, {**form, "mtdna_database": y.pk}).status_code == 400  # a Y table
    assert client.post(url, {**form, "lineage_confidence": "1"}).status_code == 400
    assert client.post(url, form).status_code == 302
    new = active_settings()
    assert new.pk != current.pk and new.describe()["lineage"] == {
        "Y": {"name": y.name, "sha256": y.sha256, "size": 124, "method": "augmented"},
        "mtDNA": {"name": mt.name, "sha256": mt.sha256, "size": 83, "method": "counting"},
        "confidence": 0.99,
    }
    assert "lineage" not in current.describe()  # settings without a database: as before
    assert MatchingJob.objects.filter(status="queued", kind="full").exists()
    history = client.get(url).content.decode()
    assert "Augmented counting" in history


def test_one_database_and_a_bad_relative(db, folder, users):
    """Settings with a Y-STR database only: mtDNA is said to be unused, not silently 1; a
    Y haplotype on a relative recorded female is that family's problem, the rest goes on."""
    from identification.programme import engine_table

    _load(folder, users)
    change_settings(user=users["lab"], note="Y only", mtdna_database=None)
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    r3 = _ours()[("R3", "MP2")]
    assert r3.lineage_evidence["mtDNA"] == {"used": False, "log10_lr": 0.0, "reason": "no_database"}
    assert r3.log10_lr_mtdna == 0.0 and r3.lineage_evidence["databases"]["mtDNA"] is None
    owner = r3.person
    grandmother = owner.relatives.get(name_latin__startswith="MGM ")
    assert grandmother.sex == "F"
    Consent.objects.create(relative=grandmother, text_version="simulation", language="en")
    DNAProfile.objects.create(
        sample=Sample.objects.create(barcode="F2-MGM", kind="buccal_swab", donor=grandmother),
        markers={},
        lineage={"Y": {"DYS19": "14"}},
        kit="k",
        lab="l",
        quality_status=QualityStatus.ACCEPTED,
        source_file_name="f",
        source_sha256="8" * 64,
        source_line=2,
        imported_by=users["lab"],
    )
    programme = active_settings()
    families, problems = compiled.collect_families(
        engine_table(programme.frequency_table), lineage=True
    )
    assert [ef.name for ef in families] == [_ours()[("R5", "MP")].person.case_number]
    assert len(problems) == 1 and "recorded as female" in problems[0]
    assert owner.case_number in problems[0]
