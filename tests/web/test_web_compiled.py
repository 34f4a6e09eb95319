"""The registry's matching is the engine's compiled search: agreement with ``nasab search``,
incremental scoring of new remains and changed families, withdrawn donors, unseen alleles,
programme settings."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from fieldwork.models import RemainsUnit, Sample
from identification import compiled, matching, simulation
from identification.models import MatchCandidate, MatchingJob, ProgrammeSettings, ScoringRequest
from identification.programme import active_settings
from lab.models import DNAProfile, QualityStatus
from registry.models import MissingPerson, Relative
from registry.services import withdraw_consent

pytest.importorskip("nasab.search.run")
MANAGE = Path(__file__).resolve().parents[2] / "web" / "manage.py"


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    """``nasab simulate --families 30 --remains 40 --seed 1`` and ``nasab search`` on it."""
    from nasab.search.run import SearchConfig, run_search
    from nasab.sim.simulate import simulate

    out = tmp_path_factory.mktemp("sim")
    simulate(30, 40, 1, out, formats=("tsv",))
    run_search(
        SearchConfig(
            out / "families.tsv", out / "remains.tsv", out / "search.tsv", freqs=out / "freqs.txt"
        )
    )
    return out


def read(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return {
            (r["remain_id"], r["family_id"], r["missing_id"]): r
            for r in csv.DictReader(fh, delimiter="\t")
        }


def load(sim) -> None:
    call_command("import_simulation", str(sim), stdout=io.StringIO())
    call_command("run_matching", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())


def test_registry_agrees_with_nasab_search(db, sim, tmp_path):
    """import_simulation + run_matching + export_candidates = nasab search: the same pairs
    above the threshold, log10 LRs to 1e-9, the same counts, prior and posterior."""
    load(sim)
    families = MissingPerson.objects.exclude(external_family_id="")
    assert families.filter(external_id="MP1").count() == 30 and families.count() == 31
    second = families.get(pedigree_place__isnull=False)  # the family with two missing
    assert second.pedigree_place.person.external_family_id == second.external_family_id
    assert RemainsUnit.objects.filter(code="R01").exists()
    settings = active_settings()
    assert settings.frequency_table.name == "freqs.txt"
    call_command("export_candidates", str(tmp_path / "cands.tsv"), stdout=io.StringIO())
    ours, theirs = read(tmp_path / "cands.tsv"), read(sim / "search.tsv")
    assert set(ours) == set(theirs) and len(ours) > 10
    for key, row in theirs.items():
        assert abs(float(ours[key]["log10_lr"]) - float(row["log10_lr"])) <= 1e-9
        for col in ("n_markers", "n_inconsistent", "kind"):
            assert ours[key][col] == row[col], (key, col)
        assert math.isclose(float(ours[key]["prior"]), float(row["prior"]), rel_tol=1e-12)
        assert math.isclose(float(ours[key]["posterior"]), float(row["posterior"]), rel_tol=1e-9)
    assert (tmp_path / "cands.tsv.model.json").exists()
    # every candidate names its settings and the donors it used
    c = MatchCandidate.objects.first()
    assert c.programme_settings == settings and c.donors.exists() and c.basis
    # a second run finds the same candidates and adds none
    out = io.StringIO()
    call_command("run_matching", "--quiet", stdout=out, stderr=io.StringIO())
    assert "0 new match candidates" in out.getvalue()


def test_new_remains_profile_is_scored_on_import(
    db, sim, users, django_capture_on_commit_callbacks
):
    """A remains profile accepted after the full run is scored at once against the compiled
    families (no worker), giving the candidates the full search gives it."""
    load(sim)
    best = MatchCandidate.objects.select_related("remains").order_by("-log10_lr").first()
    source = DNAProfile.objects.filter(sample__remains=best.remains).get()
    unit = RemainsUnit.objects.create(
        code="NEW-1", site=best.remains.site, label_at_discovery="NEW-1", completeness="partial"
    )
    sample = Sample.objects.create(
        barcode="NEW-1-S1", kind="tooth", skeletal_element="molar", remains=unit
    )
    with django_capture_on_commit_callbacks(execute=True):
        DNAProfile.objects.create(
            sample=sample,
            markers=source.markers,
            kit="k",
            lab="l",
            quality_status=QualityStatus.ACCEPTED,
            source_file_name="f",
            source_sha256="1" * 64,
            source_line=2,
            imported_by=users["lab"],
        )
    new = MatchCandidate.objects.get(remains=unit, person=best.person)
    assert abs(new.log10_lr - best.log10_lr) < 1e-9 and new.n_markers == best.n_markers
    assert new.n_inconsistent == best.n_inconsistent and new.family_kind == best.family_kind
    assert not ScoringRequest.objects.filter(done_at__isnull=True).exists()


def test_unseen_allele_waits_for_a_full_run(db, sim, users, django_capture_on_commit_callbacks):
    load(sim)
    best = MatchCandidate.objects.select_related("remains").order_by("-log10_lr").first()
    markers = dict(DNAProfile.objects.get(sample__remains=best.remains).markers)
    markers["TH01"] = ["6", "13.3"]  # 13.3: in no table and nowhere in the data
    unit = RemainsUnit.objects.create(
        code="NEW-2", site=best.remains.site, label_at_discovery="NEW-2", completeness="partial"
    )
    sample = Sample.objects.create(
        barcode="NEW-2-S1", kind="bone", skeletal_element="femur", remains=unit
    )
    with django_capture_on_commit_callbacks(execute=True):
        DNAProfile.objects.create(
            sample=sample,
            markers=markers,
            kit="k",
            lab="l",
            quality_status=QualityStatus.ACCEPTED,
            source_file_name="f",
            source_sha256="2" * 64,
            source_line=2,
            imported_by=users["lab"],
        )
    waiting = ScoringRequest.objects.get(key="NEW-2")
    assert waiting.done_at is None and "outside the compiled model" in waiting.error
    job = MatchingJob.objects.get(status="queued", kind="full")
    assert job.kind == "full" and "NEW-2" in job.parameters["reason"]
    call_command("matching_worker", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "done", job.error
    waiting.refresh_from_db()
    assert waiting.done_at is not None
    assert MatchCandidate.objects.filter(remains=unit, person=best.person).exists()


def test_withdrawn_consent_flags_and_recompiles(db, sim, django_capture_on_commit_callbacks):
    load(sim)
    c = MatchCandidate.objects.filter(donors__isnull=False).order_by("-log10_lr").first()
    donor = c.donors.order_by("pk").first()
    used = set(MatchCandidate.objects.filter(donors=donor).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(donor, "asked to withdraw")
    flagged = MatchCandidate.objects.filter(needs_review=True)
    assert set(flagged.values_list("pk", flat=True)) == used
    assert all("withdrew consent" in x.review_reason for x in flagged)
    assert not MatchCandidate.objects.filter(current=True, donors=donor).exists()
    redone = MatchCandidate.objects.filter(remains=c.remains, person=c.person, current=True).first()
    if redone is not None:  # still above the threshold without the donor
        assert donor not in redone.donors.all() and redone.log10_lr != c.log10_lr


def test_settings_change_needs_a_full_run(
    db, sim, users, client, django_capture_on_commit_callbacks
):
    load(sim)
    client.force_login(users["lab"])
    url = reverse("identification:programme_settings")
    page = client.get(url).content.decode()
    assert "NIST1036_All.tsv" in page and "freqs.txt" in page  # bundled and registered tables
    current = active_settings()
    data = {
        "frequency_table": current.frequency_table.pk,
        "mutation_model": "proportional",
        "default_mutation_rate": "0.001",
        "theta": "0",
        "dropout_bone": "0.1",
        "dropin_bone": "0",
        "dropout_tooth": "0",
        "dropin_tooth": "0",
        "dropout_reference": "0",
        "threshold": "10000",
        "prior_rule": "per_missing",
        "prior_value": "",
        "note": "faster model",
    }
    assert client.post(url, {**data, "theta": "0.7"}).status_code == 400
    assert client.post(url, data).status_code == 302
    new = active_settings()
    assert new.pk != current.pk and new.mutation_model == "proportional"
    assert MatchingJob.objects.filter(status="queued", kind="full").exists()
    # the store was compiled under the old settings: a new remains waits for the run
    unit = RemainsUnit.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        compiled.remains_profile_changed(unit)
        compiled.process_pending()
    assert ScoringRequest.objects.filter(key=unit.code, done_at__isnull=True).exists()
    report = matching.run()
    assert report.pairs > 0
    assert (
        MatchCandidate.objects.filter(current=True, programme_settings=new).count() == report.pairs
    )
    assert not MatchCandidate.objects.filter(current=True).exclude(programme_settings=new).exists()
    assert "Settings in force" in client.get(reverse("identification:search")).content.decode()


def test_contradictory_pedigree_is_reported_and_the_rest_goes_on(db, sim):
    call_command("import_simulation", str(sim), stdout=io.StringIO())
    owner = MissingPerson.objects.get(external_family_id="FAM01", external_id="MP1")
    father = owner.relatives.get(claimed_relationship="father")
    son = Relative.objects.filter(person=owner, father=father).exclude(pk=father.pk).first()
    Relative.objects.filter(pk=father.pk).update(father=son)  # a cycle: father's father is his son
    report = matching.run()
    assert any(p.startswith(owner.case_number) for p in report.problems), report.problems
    assert report.families == 29 and report.pairs > 0


def test_import_simulation_refuses_bad_input(db, tmp_path, sim, capsys):
    def run(folder):
        with pytest.raises(SystemExit) as exit_:
            call_command("import_simulation", str(folder), stdout=io.StringIO())
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("nasab: error: ") and "Traceback" not in err
        return err

    bad = tmp_path / "bad"
    bad.mkdir()
    assert "freqs.txt" in run(bad)
    (bad / "freqs.txt").write_bytes((sim / "freqs.txt").read_bytes())
    (bad / "remains.tsv").write_bytes((sim / "remains.tsv").read_bytes())
    lines = (sim / "families.tsv").read_text().splitlines()
    cells = lines[4].split("\t")
    cells[7] = "15/16/17"
    lines[4] = "\t".join(cells)
    (bad / "families.tsv").write_text("\n".join(lines) + "\n")
    err = run(bad)
    assert "families.tsv" in err and "line 5" in err
    assert not MissingPerson.objects.exists() and not ProgrammeSettings.objects.exists()
    load(sim)
    err = run(sim)  # twice: refused, nothing added
    assert "already registered" in err
    assert MissingPerson.objects.count() == 31


def test_simulation_relationships(db, sim):
    from nasab.search.data import read_families

    fd = read_families(sim / "families.tsv").families[0]
    ped = fd.family.pedigree
    mp = fd.missing[0]
    kinds = {p.id: simulation.relationship(ped, p.id, mp) for p in ped.persons if p.id != mp}
    father = ped[mp].father
    if father:
        assert kinds[father] == "father"
    assert ProgrammeSettings.objects.count() == 0


def test_alternative_explanations(db, sim):
    """MP against his full brother, father, son and the other missing member, by the
    engine's likelihood on the extended pedigree; stored on the candidate."""
    from identification import alternatives

    load(sim)
    c = MatchCandidate.objects.filter(family_kind="both_parents").order_by("-log10_lr").first()
    got = alternatives.alternative_explanations(c)
    assert abs(got["log10_lr_missing_vs_unrelated"] - c.log10_lr) < 1e-9
    by = {a["relation"]: a for a in got["alternatives"]}
    # both parents typed: a full brother explains the remains exactly as well (LR 1)
    assert abs(by["full_brother"]["log10_lr"]) < 1e-9
    assert "typed donor" in by["father"]["note"]
    assert by["son"]["log10_lr"] > 0
    c.refresh_from_db()
    assert c.alternatives == got and c.alternatives_computed_at
    # the family with two missing: each is the other's alternative
    two = MissingPerson.objects.get(pedigree_place__isnull=False)
    cand = (
        MatchCandidate.objects.filter(person=two).first()
        or MatchCandidate.objects.filter(person=two.pedigree_place.person).first()
    )
    if cand is not None:
        got = alternatives.alternative_explanations(cand)
        assert any(a["relation"] == "other_missing" for a in got["alternatives"])
    assert alternatives.fill_pending(limit=3) == 3


def test_joint_identification_of_two_missing_brothers(db, tmp_path):
    """A family with two missing persons whose remains both lie in the graves: the joint
    analysis (nasab.dvi) is stored and each candidate carries its joint context; the
    worker runs it when idle, once per set of candidates."""
    from identification import joint
    from identification.models import JointAnalysis
    from nasab.sim.simulate import simulate

    simulate(10, 12, 22, tmp_path, formats=("tsv",))  # FAM03: MP1 and MP2 both among the remains
    load(tmp_path)
    done = joint.run_all()
    assert done["family"] >= 1, done
    owner = MissingPerson.objects.get(external_family_id="FAM03", external_id="MP1")
    analysis = JointAnalysis.objects.get(kind="family", key=owner.case_number)
    assert not analysis.error and analysis.result["assignments"]
    top = analysis.result["assignments"][0]
    assert abs(sum(a["posterior"] for a in analysis.result["assignments"]) - 1) < 0.05
    assert sum(1 for m in top["assignment"].values() if m != "*") >= 1
    c = MatchCandidate.objects.filter(person__external_family_id="FAM03").exclude(joint_context={})
    assert c.exists() and all("family" in x.joint_context for x in c)
    # pairwise LRs of the joint analysis are the candidates' (same model; table extended by
    # this family's and these remains' alleles only, as nasab joint does)
    for x in c:
        m = next(
            k
            for k, v in analysis.result["missing"].items()
            if v["case_number"] == x.person.case_number
        )
        assert abs(analysis.result["pairwise_log10_lr"][x.remains.code][m] - x.log10_lr) < 1e-3
    assert joint.run_all()["family"] == 0  # nothing changed: not analysed again


def test_fragments_grouped_as_nasab_direct_groups_them(db, sim, users):
    """Remains against remains: the registry's groups are nasab direct's individuals (same
    files, same table, threshold 10^6); a group is confirmed by a second person."""
    from identification import fragments
    from identification.models import FragmentGroup
    from nasab.engine.frequencies import read_frequencies
    from nasab.search.data import read_remains
    from nasab.search.direct import direct_match
    from nasab.search.engine import extended_table

    load(sim)
    table = read_frequencies(sim / "freqs.txt")
    rem, markers, _ = read_remains(sim / "remains.tsv", set(table.markers))
    tab = extended_table(table, markers, [], rem)
    res = direct_match(rem.ids, rem.sites, rem.profiles, markers, tab, 1e6, 8)
    groups = defaultdict(set)
    for r, ind in zip(res.individuals["remain_id"], res.individuals["individual"], strict=True):
        groups[ind].add(r)
    expected = {frozenset(g) for g in groups.values() if len(g) > 1}
    got = fragments.group_fragments()
    assert got["new"] == len(expected) > 0
    ours = {
        frozenset(g.members.values_list("code", flat=True)) for g in FragmentGroup.objects.all()
    }
    assert ours == expected
    assert fragments.group_fragments()["new"] == 0  # proposed once
    group = FragmentGroup.objects.first()
    with pytest.raises(fragments.FragmentDecisionRefused):
        fragments.decide(group, "confirmed", users["reviewer"], "same person")  # nobody proposed
    fragments.decide(group, "proposed", users["lab"], "all markers identical")
    with pytest.raises(fragments.FragmentDecisionRefused):
        fragments.decide(group, "confirmed", users["lab"], "myself")
    group = fragments.decide(group, "confirmed", users["reviewer"], "second review")
    assert group.status == "confirmed" and group.decided_by == users["reviewer"]


def test_consent_withdrawn_during_a_run(db, sim):
    """The family whose donor withdrew while the run compiled is not recorded from that run;
    its scoring request recompiles it without the donor; the rest of the run is recorded."""
    call_command("import_simulation", str(sim), stdout=io.StringIO())
    owner = MissingPerson.objects.get(external_family_id="FAM01", external_id="MP1")
    donor = owner.relatives.filter(samples__isnull=False).order_by("pk").first()
    fired = []

    def progress(done, total):
        if not fired:
            withdraw_consent(donor, "during the run")
            fired.append(True)

    report = matching.run(progress=progress)
    assert fired and any("withdrawn during the run" in p for p in report.problems)
    assert report.pairs > 0
    assert not MatchCandidate.objects.filter(current=True, donors=donor).exists()
    assert not ScoringRequest.objects.filter(done_at__isnull=True).exists()


def test_settings_changes_and_new_tables_are_audited(db, users):
    """A change of the programme's matching settings and a registered table are audit
    events (issue 17: settings audited)."""
    from audit.models import AuditAction, AuditEvent
    from identification.programme import active_settings, change_settings

    active_settings()
    before = AuditEvent.objects.filter(action=AuditAction.CHANGE_SETTINGS).count()
    change_settings(user=users["admin"], note="bone dropout", theta=0.01)
    ev = AuditEvent.objects.filter(action=AuditAction.CHANGE_SETTINGS).last()
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_SETTINGS).count() == before + 1
    assert ev.detail["changed"] == {"theta": "0.01"} and ev.detail["note"] == "bone dropout"
