"""Chain of custody in the registry: recording, append-only storage, tampering, bundles."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from custody import services
from custody.models import AppendOnlyError, CustodyEntry
from fieldwork.models import Sample
from nasab.custody import chain

REPO = Path(__file__).resolve().parents[2]


def walk_to_lab(sample, users):
    """field → lab under seal SEAL-T1, then opened in the lab."""
    for action, actor, extra in [
        ("transferred", "field", {"seal_id": "SEAL-T1", "recipient": "lab"}),
        ("received", "lab", {"seal_id": "SEAL-T1"}),
        ("opened", "lab", {"seal_id": "SEAL-T1"}),
    ]:
        services.record(
            object_id=sample.barcode, action=action, actor=users[actor], place="Lab", **extra
        )


def test_registering_records_collection_and_seal(sample, users):
    entries = services.history(sample.barcode)
    assert [(e.sequence, e.action, e.actor) for e in entries] == [
        (1, "collected", "field"),
        (2, "sealed", "field"),
    ]
    assert entries[1].prev_hash == entries[0].entry_hash
    state = services.state_of(sample.barcode)
    assert (state.holder, state.seal) == ("field", "SEAL-T1")


def test_full_walk_verifies(sample, users):
    walk_to_lab(sample, users)
    services.record(object_id=sample.barcode, action="consumed", actor=users["lab"], place="Lab")
    assert services.verify_database().ok
    sample.refresh_from_db()
    assert sample.consumed


@pytest.mark.parametrize(
    "actor, extra, message",
    [
        (
            "field2",
            {"recipient": "lab", "seal_id": "SEAL-T1"},
            "You do not hold GS-T01-R001-S1: it is held by field",
        ),
        ("field", {"recipient": "nobody-here"}, "Unknown recipient 'nobody-here'"),
        ("field", {"recipient": "intake"}, "intake may not hold evidence"),
    ],
)
def test_transfer_refused_and_nothing_saved(sample, users, actor, extra, message):
    before = CustodyEntry.objects.count()
    with pytest.raises(services.CustodyRefused, match=message):
        services.record(
            object_id=sample.barcode,
            action="transferred",
            actor=users[actor],
            place="Field station",
            **extra,
        )
    assert CustodyEntry.objects.count() == before


def test_other_refusals(sample, users):
    services.record(
        object_id=sample.barcode,
        action="transferred",
        actor=users["field"],
        place="Field",
        seal_id="SEAL-T1",
        recipient="lab",
    )
    with pytest.raises(services.CustodyRefused, match="in transit to lab"):
        services.record(
            object_id=sample.barcode, action="subsampled", actor=users["field"], place="x"
        )
    with pytest.raises(services.CustodyRefused, match="transferred to lab"):
        services.record(
            object_id=sample.barcode,
            action="received",
            actor=users["lab2"],
            place="Lab",
            seal_id="SEAL-T1",
        )
    with pytest.raises(services.CustodyRefused, match="No sample or remains unit"):
        services.record(object_id="NOPE", action="sealed", actor=users["field"], place="x")
    with pytest.raises(services.CustodyRefused, match="role may not record"):
        services.record(
            object_id=sample.barcode, action="received", actor=users["board"], place="x"
        )


def test_replayed_seal_refused_by_service(sample, users):
    walk_to_lab(sample, users)
    with pytest.raises(services.CustodyRefused, match="seal SEAL-T1 was already used"):
        services.record(
            object_id=sample.barcode,
            action="sealed",
            actor=users["lab"],
            place="Lab",
            seal_id="SEAL-T1",
        )


def test_consumed_parent_cannot_be_subsampled(sample, users):
    from fieldwork import services as fieldwork

    walk_to_lab(sample, users)
    services.record(object_id=sample.barcode, action="consumed", actor=users["lab"], place="Lab")
    sample.refresh_from_db()
    with pytest.raises(fieldwork.FieldworkRefused, match="is consumed"):
        fieldwork.register_sample(
            Sample(barcode="X-1", kind="dna_extract", parent_sample=sample),
            user=users["lab"],
            place="Lab",
        )


# ------------------------------------------------------------------ append-only storage


def test_orm_refuses_changes(sample):
    entry = CustodyEntry.objects.first()
    entry.actor = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        CustodyEntry.objects.filter(pk=entry.pk).update(actor="x")
    with pytest.raises(AppendOnlyError):
        CustodyEntry.objects.all().delete()
    event = AuditEvent.objects.create(username="u", action=AuditAction.VERIFY_CUSTODY)
    for attempt in (event.save, event.delete, AuditEvent.objects.all().delete):
        with pytest.raises(AppendOnlyError, match="audit events are append-only"):
            attempt()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE custody_entry SET actor = 'x'",
        "DELETE FROM custody_entry",
        "UPDATE audit_event SET username = 'x'",
    ],
)
def test_database_triggers_refuse_changes(sample, users, sql):
    AuditEvent.objects.create(username="u", action=AuditAction.VERIFY_CUSTODY)
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert CustodyEntry.objects.filter(actor="x").count() == 0


# ------------------------------------------------------------------ tampering, caught


def ids(barcode):
    return list(CustodyEntry.objects.for_object(barcode).values_list("id", flat=True))


def assert_broken_at(kind, barcode, sequence):
    verdict = services.verify_database()
    assert not verdict.ok
    assert (verdict.kind, verdict.entry.object_id, verdict.entry.sequence) == (
        kind,
        barcode,
        sequence,
    ), verdict.describe()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_custody", stderr=io.StringIO())
    assert exit_info.value.code == 1


def test_tamper_edit(sample, users, raw_sql):
    walk_to_lab(sample, users)
    raw_sql("UPDATE custody_entry SET actor = 'lab2' WHERE id = %s", [ids(sample.barcode)[3]])
    assert_broken_at("edited", sample.barcode, 4)


def test_tamper_delete(sample, users, raw_sql):
    walk_to_lab(sample, users)
    raw_sql("DELETE FROM custody_entry WHERE id = %s", [ids(sample.barcode)[2]])
    assert_broken_at("gap", sample.barcode, 4)


def test_tamper_reorder(sample, users, raw_sql):
    walk_to_lab(sample, users)
    a, b = ids(sample.barcode)[1:3]
    raw_sql("UPDATE custody_entry SET id = 999999 WHERE id = %s", [a])
    raw_sql("UPDATE custody_entry SET id = %s WHERE id = %s", [a, b])
    raw_sql("UPDATE custody_entry SET id = %s WHERE id = 999999", [b])
    assert_broken_at("reordered", sample.barcode, 3)


def test_tamper_replayed_seal(sample, users, raw_sql):
    """A forger appends a well-hashed entry re-using the opened seal: the chain rules catch it."""
    walk_to_lab(sample, users)
    last = CustodyEntry.objects.for_object(sample.barcode).last().as_chain_entry()
    forged = chain.next_entry(
        last,
        object_id=sample.barcode,
        action="sealed",
        actor="lab",
        place="Lab",
        timestamp="2099-01-01T00:00:00Z",
        seal_id="SEAL-T1",
    )
    raw_sql(
        "INSERT INTO custody_entry (object_id, sequence, action, actor, place, recorded_at,"
        " seal_id, recipient, content_hash, prev_hash, entry_hash, note)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, '', '', %s, %s, '')",
        [
            forged.object_id,
            forged.sequence,
            forged.action,
            forged.actor,
            forged.place,
            "2099-01-01 00:00:00+00:00"
            if connection.vendor == "postgresql"
            else "2099-01-01 00:00:00",
            forged.seal_id,
            forged.prev_hash,
            forged.entry_hash,
        ],
    )
    assert_broken_at("replayed-seal", sample.barcode, 6)


def test_tamper_transfer_by_non_holder(sample, users, raw_sql):
    """Rewriting who transferred (and recomputing that hash) still breaks the link to the next entry."""
    walk_to_lab(sample, users)
    row = CustodyEntry.objects.for_object(sample.barcode)[2]
    forged = chain.CustodyEntry(**{**row.as_chain_entry().as_dict(), "actor": "field2"}).sealed()
    raw_sql(
        "UPDATE custody_entry SET actor = %s, entry_hash = %s WHERE id = %s",
        [forged.actor, forged.entry_hash, row.id],
    )
    assert_broken_at("not-holder", sample.barcode, 3)


def test_raw_reader_matches_orm(sample, users):
    walk_to_lab(sample, users)
    connection.ensure_connection()
    raw = chain.read_entries(connection.connection)
    assert raw == [row.as_chain_entry() for row in CustodyEntry.objects.order_by("id")]


def test_cli_reads_a_database_django_created(tmp_path):
    """The Django schema is what ``nasab custody verify`` reads without Django."""
    db = tmp_path / "registry.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run(
        [sys.executable, str(REPO / "web" / "manage.py"), "migrate", "custody", "-v0"],
        env=env,
        check=True,
    )
    entries = []
    for action, actor, extra in [("collected", "f", {}), ("sealed", "f", {"seal_id": "S1"})]:
        entries.append(
            chain.next_entry(
                entries[-1] if entries else None,
                object_id="X-1",
                action=action,
                actor=actor,
                place="p",
                timestamp=f"2026-01-0{len(entries) + 1}T00:00:00Z",
                **extra,
            )
        )
    with sqlite3.connect(db) as conn:
        for e in entries:
            conn.execute(
                "INSERT INTO custody_entry (object_id, sequence, action, actor, place,"
                " recorded_at, seal_id, recipient, content_hash, prev_hash, entry_hash, note)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,'')",
                (
                    e.object_id,
                    e.sequence,
                    e.action,
                    e.actor,
                    e.place,
                    e.timestamp[:-1],
                    e.seal_id,
                    e.recipient,
                    e.content_hash,
                    e.prev_hash,
                    e.entry_hash,
                ),
            )
    command = [
        sys.executable,
        "-m",
        "nasab.custody.cli",
        "custody",
        "verify",
        "--database",
        f"sqlite:///{db}",
    ]
    ok = subprocess.run(command, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER custody_entry_no_update")
        conn.execute("UPDATE custody_entry SET seal_id = 'S2' WHERE sequence = 2")
    broken = subprocess.run(command, capture_output=True, text=True)
    assert broken.returncode == 1 and "object X-1, sequence 2" in broken.stderr


# ------------------------------------------------------------------ bundles


def test_export_bundle_verifies_and_is_audited(sample, users, tmp_path):
    walk_to_lab(sample, users)
    path = services.export_bundle(users["reviewer"], tmp_path / "bundle")
    verdict = chain.verify_bundle(path)
    assert verdict.ok, verdict.describe()
    assert {"custody.jsonl", "objects.json", "README.txt", "MANIFEST.sha256"} <= {
        p.name for p in path.iterdir()
    }
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_CUSTODY)
    assert event.username == "reviewer" and event.detail["entries"] == 7  # remains 2 + sample 5


def test_export_command(sample, users, tmp_path):
    out = io.StringIO()
    call_command(
        "export_custody_bundle", str(tmp_path / "b"), "--user", "board", "--zip", stdout=out
    )
    assert chain.verify_bundle(tmp_path / "b.zip").ok
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="may not export"):
        call_command("export_custody_bundle", str(tmp_path / "c"), "--user", "field")


# ------------------------------------------------------------------ pages


def test_record_transfer_page(client, sample, users):
    client.force_login(users["field2"])
    url = reverse("custody:record", args=[sample.barcode])
    data = {"action": "transferred", "place": "Field", "seal_id": "SEAL-T1", "recipient": "lab"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "You do not hold GS-T01-R001-S1: it is held by field." in response.content.decode()
    assert len(services.history(sample.barcode)) == 2
    client.force_login(users["field"])
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("custody:log", args=[sample.barcode])).content.decode()
    assert "Chain intact (3 entries)" in page and "In transit to lab" in page


def test_record_form_validation(client, sample, users):
    client.force_login(users["field"])
    response = client.post(
        reverse("custody:record", args=[sample.barcode]),
        {"action": "transferred", "place": "Field"},
    )
    assert response.status_code == 400
    assert "A transfer names who receives the object." in response.content.decode()


def test_verify_page_names_broken_entry(client, sample, users, raw_sql):
    client.force_login(users["board"])
    assert (
        "intact: 4 entries on 2 objects" in client.post(reverse("custody:verify")).content.decode()
    )
    raw_sql(
        "UPDATE custody_entry SET place = 'elsewhere' WHERE object_id = %s AND sequence = 2",
        [sample.barcode],
    )
    page = client.post(reverse("custody:verify")).content.decode()
    assert "BROKEN" in page and "object GS-T01-R001-S1, sequence 2" in page
    assert AuditEvent.objects.filter(action=AuditAction.VERIFY_CUSTODY).count() == 2


def test_export_page_returns_verifiable_zip(client, sample, users, tmp_path):
    client.force_login(users["reviewer"])
    response = client.post(reverse("custody:export"), {"objects": sample.barcode})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"".join(response.streaming_content))
    assert zipfile.is_zipfile(archive)
    assert chain.verify_bundle(archive).ok


def test_export_of_unknown_object_refused(client, sample, users, tmp_path):
    client.force_login(users["board"])
    response = client.post(reverse("custody:export"), {"objects": f"{sample.barcode} S-NOPE"})
    assert response.status_code == 400
    assert (
        "No sample or remains unit is registered as &#x27;S-NOPE&#x27;" in response.content.decode()
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="S-NOPE"):
        call_command(
            "export_custody_bundle", str(tmp_path / "x"), "--user", "board", "--object", "S-NOPE"
        )
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_CUSTODY).exists()


def test_unknown_object_is_404(client, users):
    client.force_login(users["field"])
    assert client.get(reverse("custody:log", args=["NOPE"])).status_code == 404


def test_verify_command_anchor_and_bundle(sample, users, raw_sql, tmp_path):
    walk_to_lab(sample, users)
    out = io.StringIO()
    call_command("verify_custody", "--print-anchor", stdout=out)
    (tmp_path / "anchor.json").write_text(out.getvalue())
    call_command("verify_custody", "--anchor", str(tmp_path / "anchor.json"), stdout=io.StringIO())
    bundle = services.export_bundle(users["admin"], tmp_path / "bundle")
    call_command("verify_custody", "--bundle", str(bundle), stdout=io.StringIO())
    raw_sql("DELETE FROM custody_entry WHERE object_id = %s AND sequence = 5", [sample.barcode])
    assert services.verify_database().ok
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_custody", "--anchor", str(tmp_path / "anchor.json"), stderr=err)
    assert exit_info.value.code == 1 and "sequence 5: truncated" in err.getvalue()
    (bundle / "objects.json").write_text("{}")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_custody", "--bundle", str(bundle), stderr=io.StringIO())
    assert exit_info.value.code == 1
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_custody", "--bundle", str(tmp_path / "nothing"), stderr=io.StringIO())
    assert exit_info.value.code == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs when DATABASE_URL is PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_cli_reads_postgresql(sample, users):
    """``nasab custody verify`` reads the committed table with psycopg, no Django."""
    walk_to_lab(sample, users)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    command = [sys.executable, "-m", "nasab.custody.cli", "custody", "verify", "--database", url]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    ok = subprocess.run(command, capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "intact: 7 entries on 2 objects" in ok.stdout, ok.stderr
    with connection.cursor() as cursor:  # committed: re-enable the trigger afterwards
        cursor.execute("ALTER TABLE custody_entry DISABLE TRIGGER custody_entry_append_only")
        try:
            cursor.execute(
                "UPDATE custody_entry SET recipient = 'lab2' WHERE object_id = %s AND sequence = 3",
                [sample.barcode],
            )
        finally:
            cursor.execute("ALTER TABLE custody_entry ENABLE TRIGGER custody_entry_append_only")
    broken = subprocess.run(command, capture_output=True, text=True, env=env)
    assert broken.returncode == 1 and f"object {sample.barcode}, sequence 3" in broken.stderr


def test_concurrent_append_is_refused_cleanly(sample, users, monkeypatch):
    """Two people recording at once: the second one read the chain before the first wrote
    entry 3; the unique (object, sequence) refuses it with a message, not a duplicate."""
    from custody.models import CustodyEntryQuerySet

    services.record(
        object_id=sample.barcode,
        action="opened",
        actor=users["field"],
        place="x",
        seal_id="SEAL-T1",
    )
    monkeypatch.setattr(
        CustodyEntryQuerySet,
        "for_object",
        lambda self, object_id: self.filter(object_id=object_id, sequence__lte=2).order_by(
            "sequence"
        ),
    )  # the stale read
    monkeypatch.setattr(services, "used_seals", dict)
    with pytest.raises(services.CustodyRefused, match="recorded at the same time"):
        services.record(
            object_id=sample.barcode,
            action="opened",
            actor=users["field"],
            place="x",
            seal_id="SEAL-T1",
        )
    monkeypatch.undo()
    assert [e.sequence for e in services.history(sample.barcode)] == [1, 2, 3]


def test_verify_verdict_explained_in_the_readers_language(client, sample, users, raw_sql):
    """The verdict kind is explained in Arabic on an Arabic page, from the one labels table;
    the engine's report stays as it is, marked as data."""
    from nasab_site.labels import CHOICE_LABELS

    client.force_login(users["board"])
    raw_sql(
        "UPDATE custody_entry SET place = 'elsewhere' WHERE object_id = %s AND sequence = 2",
        [sample.barcode],
    )
    page = client.post(reverse("custody:verify")).content.decode()
    assert "its stored hash no longer matches its contents" in page
    client.cookies["django_language"] = "ar"
    page = client.post(reverse("custody:verify")).content.decode()
    meaning = page.split('id="verdict-meaning">', 1)[1].split("</span>", 1)[0]
    assert meaning == "عُدّل قيد حيازة بعد تسجيله: بصمته المحفوظة لم تعد تطابق محتواه."
    assert '<code translate="no" dir="ltr">edited</code>' in page
    assert "object GS-T01-R001-S1, sequence 2" in page  # the engine's text, as data
    log = client.get(reverse("custody:log", args=[sample.barcode])).content.decode()
    assert "عُدّل قيد حيازة بعد تسجيله" in log
    # every kind the engine and the registry name has its explanation, in Arabic too
    kinds = {
        "edited", "gap", "audit-edited", "audit-gap", "anchor-mismatch", "truncated",
        "audit-rewritten", "audit-truncated", "replaced-database", "anchor-forged",
        "anchor-missing", "duplicate", "reordered", "broken-link", "audit-broken-link",
    }  # fmt: skip
    from django.utils import translation

    labels = CHOICE_LABELS["custody_verdict"]
    assert kinds <= set(labels)
    with translation.override("ar"):
        for kind, label in labels.items():
            assert re.search("[\u0600-\u06ff]", str(label)), kind


def test_every_custody_rule_kind_is_explained():
    """The kinds of the custody rules (nasab.custody.rules, nasab.custody.chain) all have
    their explanation."""
    from nasab.custody import rules

    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (chain, rules))
    from nasab_site.labels import CHOICE_LABELS

    kinds = set(re.findall(r'CustodyRuleError\(\s*"([a-z-]+)"', source))
    assert kinds and kinds <= set(CHOICE_LABELS["custody_verdict"]), kinds
