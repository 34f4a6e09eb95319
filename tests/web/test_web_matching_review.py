"""Issue 15, what the registry's matching still lacked: reference-swab dropout as a programme
setting that reaches the engine; the review analyses (joint identification, alternative
explanations, fragments) as scheduled jobs that run under steady load; the registry's joint
analysis equal to ``nasab joint`` on the exported DVI folder; the form that records which
missing person a member of a pedigree is."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditAction, AuditEvent, Correction
from identification import compiled, jobs, joint, matching
from identification.models import (
    JobStatus,
    JointAnalysis,
    MatchCandidate,
    MatchingJob,
    ScoringRequest,
)
from identification.programme import active_settings, engine_table
from registry.models import MissingPerson, Relative

pytest.importorskip("nasab.search.run")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    from nasab.sim.simulate import simulate

    out = tmp_path_factory.mktemp("sim15")
    simulate(30, 40, 1, out, formats=("tsv",))
    return out


@pytest.fixture(scope="module")
def sim_two_missing(tmp_path_factory):
    """FAM03 has two missing persons whose remains both lie in the graves (seed 22)."""
    from nasab.sim.simulate import simulate

    out = tmp_path_factory.mktemp("sim15two")
    simulate(10, 12, 22, out, formats=("tsv",))
    return out


def load(folder) -> None:
    call_command("import_simulation", str(folder), stdout=io.StringIO())
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())


def settings_data(current, **changes) -> dict:
    data = {
        "frequency_table": current.frequency_table.pk,
        "mutation_model": current.mutation_model,
        "default_mutation_rate": str(current.default_mutation_rate),
        "theta": "0",
        "dropout_bone": "0",
        "dropin_bone": "0",
        "dropout_tooth": "0",
        "dropin_tooth": "0",
        "dropout_reference": "0",
        "threshold": str(current.threshold),
        "prior_rule": current.prior_rule,
        "prior_value": "",
        "note": "reference swabs degrade",
    }
    data.update(changes)
    return data


# --- reference-swab dropout ------------------------------------------------------------------
def test_reference_dropout_is_an_audited_setting_that_reaches_the_engine(db, sim, users, client):
    """The settings page records the references' dropout (validated, audited, in the
    fingerprint); the full run's LRs are then the engine's ``missing_person_lr`` with the
    family's references under that dropout model, and the alternatives use it too."""
    from identification import alternatives
    from nasab.engine.lr import missing_person_lr
    from nasab.engine.mutation import mutation_specs
    from nasab.engine.observation import DropModel

    load(sim)
    before = {
        (c.remains_id, c.person_id): c.log10_lr for c in MatchCandidate.objects.filter(current=True)
    }
    client.force_login(users["lab"])
    url = reverse("identification:programme_settings")
    assert "dropout_reference" in client.get(url).content.decode()
    current = active_settings()
    for bad in ("1", "-0.1", "x"):
        response = client.post(url, settings_data(current, dropout_reference=bad))
        assert response.status_code == 400, bad
    assert active_settings().pk == current.pk
    assert client.post(url, settings_data(current, dropout_reference="0.05")).status_code == 302
    new = active_settings()
    assert new.dropout_reference == 0.05 and new.fingerprint != current.fingerprint
    event = (
        AuditEvent.objects.filter(action=AuditAction.CHANGE_SETTINGS).order_by("sequence").last()
    )
    assert event.detail["changed"] == {"dropout_reference": "0.05"}
    assert MatchingJob.objects.filter(status="queued", kind="full").exists()
    report = matching.run()
    assert report.pairs > 0 and not report.problems
    table = engine_table(new.frequency_table)
    families = {ef.name: ef for ef in compiled.collect_families(table)[0]}
    store, _meta = compiled._open_store(new)
    tab = compiled._store_table(store, table)
    cands = list(
        MatchCandidate.objects.filter(current=True, programme_settings=new)
        .select_related("person__pedigree_place__person", "remains")
        .order_by("-log10_lr")[:6]
    )
    assert cands
    changed = 0
    for c in cands:
        owner = c.person.pedigree_place.person if hasattr(c.person, "pedigree_place") else c.person
        ef = families[owner.case_number]
        fam = ef.data.family
        assert fam.drops and all(d == DropModel(0.05) for d in fam.drops.values())
        assert set(fam.drops) == set(fam.genotypes)
        node = next(n for n, p in ef.persons.items() if p.pk == c.person_id)
        poi = compiled.remains_profiles(table, new, [c.remains])[0][2]
        specs = mutation_specs(
            fam.markers, new.mutation_model, default_rate=new.default_mutation_rate
        )
        ref = missing_person_lr(fam, node, poi, tab, specs, fam.markers).log10_lr
        assert abs(ref - c.log10_lr) <= 1e-9, (c.pk, ref, c.log10_lr)
        old = before.get((c.remains_id, c.person_id))
        changed += old is not None and abs(old - c.log10_lr) > 1e-6
    assert changed >= 1  # the references' dropout changed the LRs
    got = alternatives.alternative_explanations(cands[0])
    assert got["model"]["reference_dropout"] == [0.05, 0.0]
    assert abs(got["log10_lr_missing_vs_unrelated"] - cands[0].log10_lr) < 1e-9


# --- the review analyses as scheduled jobs ----------------------------------------------------
def _review_jobs():
    return MatchingJob.objects.exclude(kind="full")


def test_review_jobs_run_under_steady_load(db, sim):
    """A full run schedules the review analyses as jobs. With full runs queued all the
    time (a steady load) the worker still takes the review jobs first, by priority, until
    they are done; then the full runs."""
    load(sim)
    assert {j.kind for j in _review_jobs().filter(status=JobStatus.QUEUED)} == {
        "joint",
        "alternatives",
        "fragments",
    }
    ran = []
    for _ in range(12):
        # the steady load: another full run asked for before every claim
        MatchingJob.objects.create(kind="full", parameters={"reason": "steady load"})
        job = jobs.claim_next("steady-worker")
        if job.kind == "full":
            break
        ran.append(jobs.execute(job))
    kinds = [j.kind for j in ran]
    assert {"joint", "alternatives", "fragments"} <= set(kinds), kinds
    assert kinds.index("alternatives") < kinds.index("joint") < kinds.index("fragments")
    assert all(j.status == JobStatus.DONE for j in ran), [(j.kind, j.error) for j in ran]
    assert not _review_jobs().filter(status=JobStatus.QUEUED).exists()
    # what the review jobs did: every current candidate has its alternatives; the joint
    # analyses and the fragments were looked at
    assert not MatchCandidate.objects.filter(current=True, alternatives={}).exists()
    results = {j.kind: j.result for j in ran}
    assert results["joint"].startswith("joint identification:")
    assert results["fragments"].startswith("fragments:")
    assert "alternative explanations of" in ran[0].result


def test_a_job_waiting_too_long_goes_first(db, settings):
    """No job waits forever behind higher priorities: one queued longer than
    NASAB_JOB_MAX_WAIT goes before any younger one."""
    from identification import followups

    settings.NASAB_JOB_MAX_WAIT = 600
    full = MatchingJob.objects.create(kind="full")
    followups.schedule("test")
    assert jobs.claim_next("w").kind == "alternatives"  # priority
    MatchingJob.objects.filter(pk=full.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert jobs.claim_next("w").pk == full.pk  # waited too long: before the joint job
    assert jobs.claim_next("w").kind == "joint"
    followups.schedule("again")  # one waiting job per kind at most (two are running)
    followups.schedule("again")
    waiting = [j.kind for j in _review_jobs().filter(status=JobStatus.QUEUED)]
    assert sorted(waiting) == ["alternatives", "fragments", "joint"]


def test_scored_changes_schedule_review_jobs(db, sim, users, django_capture_on_commit_callbacks):
    load(sim)
    _review_jobs().delete()
    unit = MatchCandidate.objects.filter(current=True).first().remains
    with django_capture_on_commit_callbacks(execute=True):
        compiled.remains_profile_changed(unit, "test")
        compiled.process_pending()
    assert not ScoringRequest.objects.filter(done_at__isnull=True).exists()
    assert {j.kind for j in _review_jobs()} == {"joint", "alternatives", "fragments"}


# --- joint identification = nasab joint on the exported folder ------------------------------
def _log10(x):
    if x is None:
        return None
    if isinstance(x, str):
        return float(x)
    return -math.inf if x == 0 else math.log10(x)


def _close(a, b, tol=1e-9) -> bool:
    a, b = float(a), float(b)
    return a == b or abs(a - b) <= tol


def test_joint_analysis_equals_nasab_joint_on_the_exported_folder(db, sim_two_missing, tmp_path):
    """export_dvi writes a family with two missing persons (its donors, its candidates'
    remains, the extended table, the mutation model) as a DVI folder; ``nasab joint`` on it
    gives the pairwise LRs, the best assignments with their posteriors and the conclusions
    the registry stored."""
    load(sim_two_missing)
    assert joint.run_all()["family"] >= 1
    owner = MissingPerson.objects.get(external_family_id="FAM03", external_id="MP1")
    analysis = JointAnalysis.objects.get(kind="family", key=owner.case_number)
    assert not analysis.error
    folder = tmp_path / "dvi"
    out = io.StringIO()
    call_command("export_dvi", owner.case_number, str(folder), stdout=out)
    assert f"joint analysis {analysis.pk}" in out.getvalue()
    meta = json.loads((folder / "dvi.json").read_text())
    assert len(meta["missing_persons"]) == 2 and set(meta["victims"]) == set(
        analysis.result["victims"]
    )
    reg = meta["registry"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "web")])}
    proc = subprocess.run(
        [sys.executable, "-m", "nasab.cli", "joint", "--dvi", str(folder), "--json"]
        + ["--threshold", str(reg["threshold"]), "--threshold2", str(reg["threshold2"])]
        + ["--top", str(reg["top"])],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(proc.stdout)
    stored = analysis.result
    # pairwise LRs
    for v, row in stored["pairwise_log10_lr"].items():
        for m, x in row.items():
            y = _log10(cli["pairwise"][v][m])
            assert (x is None) == (y is None), (v, m)
            if x is not None:
                assert _close(x, y), (v, m, x, y)
    # the best assignments and their posteriors
    assert len(stored["assignments"]) == len(cli["assignments"]) >= 2
    for a, b in zip(stored["assignments"], cli["assignments"], strict=True):
        assert a["assignment"] == b["assignment"]
        assert _close(a["log10_lr"], b["log10LR"]) and _close(a["posterior"], b["posterior"])
    # the conclusions (dviSolve's AM and PM tables, the symmetric statements)
    got = {"AM": [], "PM": []}
    for row in cli["conclusions"]:
        row = dict(row)
        got[row.pop("table")].append(row)
    for table in ("AM", "PM"):
        ours = [{k: v for k, v in r.items()} for r in stored["conclusions"][table]]
        assert len(ours) == len(got[table])
        for a, b in zip(ours, got[table], strict=True):
            assert a.keys() == b.keys()
            for k in a:
                if isinstance(b[k], float) or isinstance(a[k], float):
                    assert _close(a[k], b[k], 1e-6 * max(1.0, abs(float(b[k])))), (table, k)
                else:
                    assert a[k] == b[k], (table, k, a[k], b[k])
    assert stored["conclusions"]["symmetric"] == cli["symmetric"]


def test_export_dvi_refuses_what_it_cannot_write(db, sim_two_missing, tmp_path, capsys):
    load(sim_two_missing)
    single = MissingPerson.objects.get(external_family_id="FAM01", external_id="MP1")
    with pytest.raises(SystemExit) as exit_:
        call_command("export_dvi", single.case_number, str(tmp_path / "x"), stdout=io.StringIO())
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("nasab: error: ") and "several missing" in err
    assert not (tmp_path / "x").exists()


# --- which missing person a member of a pedigree is -----------------------------------------
def test_missing_place_form(db, sim, users, client, django_capture_on_commit_callbacks):
    """The form records that an untyped member of a pedigree is another registered missing
    person: validated (not the pedigree's own missing person, not a donor, not placed twice,
    not someone with a pedigree of his own, same sex), a recorded correction with its audit
    event, and matching then searches him in that pedigree; clearing it takes him out."""
    from registry.services import register_person

    load(sim)
    owner = MissingPerson.objects.get(external_family_id="FAM02", external_id="MP1")
    rel = owner.relatives.filter(samples__isnull=True, missing_person__isnull=True).first()
    donor = owner.relatives.filter(samples__isnull=False).first()
    assert rel is not None and donor is not None
    other = register_person(
        MissingPerson(name_ar="مفقود ثان", name_latin="Second missing", sex=rel.sex),
        users["intake"],
    )
    client.force_login(users["intake"])
    url = reverse("registry:relative_missing", args=[rel.pk])
    page = client.get(url).content.decode()
    assert "Is the missing person (case number)" in page and 'name="reason"' in page
    detail = client.get(reverse("registry:person_detail", args=[owner.case_number]))
    assert url in detail.content.decode()

    def post(pk, case, reason="the family's account of 2013"):
        return client.post(
            reverse("registry:relative_missing", args=[pk]),
            {"missing_person": case, "reason": reason},
        )

    assert "is the missing person this pedigree" in post(rel.pk, owner.case_number).content.decode()
    assert "No missing person has the case number" in post(rel.pk, "MP-999999").content.decode()
    assert "reference sample" in post(donor.pk, other.case_number).content.decode()
    assert post(rel.pk, other.case_number, reason="").status_code == 200  # a reason is needed
    placed = MissingPerson.objects.exclude(pedigree_place=None).first()  # the sim's second MP
    assert "already has a place" in post(rel.pk, placed.case_number).content.decode()
    third = MissingPerson.objects.get(external_family_id="FAM05", external_id="MP1")
    assert "relatives of their own" in post(rel.pk, third.case_number).content.decode()
    assert Relative.objects.get(pk=rel.pk).missing_person is None
    with django_capture_on_commit_callbacks(execute=True):
        response = post(rel.pk, other.case_number.lower())
    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.missing_person == other
    fix = Correction.objects.get(object_type="registry.Relative", object_pk=str(rel.pk))
    assert fix.changes == {"missing_person": {"before": None, "after": other.pk}}
    assert fix.username == users["intake"].username
    assert AuditEvent.objects.filter(
        action=AuditAction.CORRECT_RECORD, sequence=fix.audit_sequence
    ).exists()
    # matching recompiled the family: the new missing person is searched in it
    assert ScoringRequest.objects.filter(kind="family", key=owner.case_number).exists()
    table = engine_table(active_settings().frequency_table)
    ef = compiled.collect_families(table, [owner])[0][0]
    assert other in ef.persons.values()
    # the same missing person cannot take a second place; the page shows the place
    rel2 = owner.relatives.filter(samples__isnull=True).exclude(pk=rel.pk).first()
    if rel2 is not None and rel2.sex == other.sex:
        assert "already has a place" in post(rel2.pk, other.case_number).content.decode()
    detail = client.get(reverse("registry:person_detail", args=[owner.case_number]))
    assert other.case_number in detail.content.decode()
    # Arabic labels from the one labels table
    with translation.override("ar"):
        from registry.forms import MissingPlaceForm

        form = MissingPlaceForm(relative=rel)
        assert str(form.fields["missing_person"].label) == "هو المفقود (رقم الملف)"
    # cleared: no longer missing, his candidates from this pedigree stop being current
    with django_capture_on_commit_callbacks(execute=True):
        assert post(rel.pk, "", reason="it was his cousin").status_code == 302
    rel.refresh_from_db()
    assert rel.missing_person is None
    assert not MatchCandidate.objects.filter(person=other, current=True).exists()


# --- where a full run compiles ------------------------------------------------------------------
def test_full_run_workers_from_settings_and_options(db, users, settings, monkeypatch):
    """The full run compiles where the site says (NASAB_MATCHING_WORKERS / _DASK) unless
    run_matching or matching_worker say otherwise; a bad count is refused in one line."""
    from nasab.engine.errors import InputError

    settings.NASAB_MATCHING_WORKERS, settings.NASAB_MATCHING_DASK = 3, None
    assert compiled.compute_where() == (3, None)
    assert compiled.compute_where(2, "tcp://10.0.0.5:8786") == (2, "tcp://10.0.0.5:8786")
    with pytest.raises(InputError, match="1 or more"):
        compiled.compute_where(0)
    seen = []

    def fake_run(**kwargs):
        seen.append((kwargs["workers"], kwargs["dask"]))
        return compiled.RunReport(where="test")

    monkeypatch.setattr(matching, "run", fake_run)
    call_command("run_matching", "--quiet", "--workers", "2", stdout=io.StringIO())
    jobs.enqueue(users["lab"])
    call_command(
        "matching_worker",
        "--once",
        "--dask",
        "tcp://s:8786",
        "--workers",
        "4",
        stdout=io.StringIO(),
    )
    assert seen == [(2, None), (4, "tcp://s:8786")]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 or more"):
        call_command("run_matching", "--workers", "0", stdout=io.StringIO())
