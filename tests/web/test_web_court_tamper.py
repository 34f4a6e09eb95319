"""Tampering directly in the database, caught by the custody and audit chains and the signed
anchor log kept outside the database (issue 17, items 2 and 3)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from audit import anchoring
from audit.models import AuditAction, AuditEvent
from audit.services import record as audit
from custody import services
from custody.models import CustodyEntry
from nasab.custody import anchor as anchor_log
from nasab.custody import chain


def walk_to_lab(sample, users):
    for action, actor, extra in [
        ("transferred", "field", {"seal_id": "SEAL-T1", "recipient": "lab"}),
        ("received", "lab", {"seal_id": "SEAL-T1"}),
        ("opened", "lab", {"seal_id": "SEAL-T1", "note": "seal intact, bag dry"}),
    ]:
        services.record(
            object_id=sample.barcode, action=action, actor=users[actor], place="Lab", **extra
        )


@pytest.fixture
def anchored(sample, users, django_capture_on_commit_callbacks):
    """A sample walked to the lab, every change anchored as it is committed."""
    with django_capture_on_commit_callbacks(execute=True):
        walk_to_lab(sample, users)
    anchoring.flush()  # what the fixtures recorded before this one (their transactions never commit in tests)
    assert services.verify_registry().ok, services.verify_registry().describe()
    return sample


def broken(kind):
    verdict = services.verify_registry()
    assert not verdict.ok and verdict.kind == kind, verdict.describe()
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_custody", stderr=err)
    assert exit_info.value.code == 1 and kind in err.getvalue()
    return verdict


def rewrite_chain(raw_sql, barcode, **changes):
    """Edit the first entry and recompute every hash after it: a forger who knows the format."""
    rows = list(CustodyEntry.objects.for_object(barcode))
    previous = None
    for position, row in enumerate(rows):
        entry = row.as_chain_entry()
        fields = {
            **entry.as_dict(),
            **(changes if position == 0 else {}),
            "prev_hash": previous.entry_hash if previous else chain.GENESIS_HASH,
        }
        entry = chain.CustodyEntry(**fields).sealed()
        raw_sql(
            "UPDATE custody_entry SET place = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.place, entry.prev_hash, entry.entry_hash, row.id],
        )
        previous = entry


def test_each_change_is_anchored_when_committed(sample, users, django_capture_on_commit_callbacks):
    log = anchoring.anchor_dir() / anchor_log.ANCHOR_LOG
    with django_capture_on_commit_callbacks(execute=True):
        services.record(
            object_id=sample.barcode,
            action="transferred",
            actor=users["field"],
            place="Trench",
            seal_id="SEAL-T1",
            recipient="lab",
        )
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    head = CustodyEntry.objects.for_object(sample.barcode).last()
    assert lines[-1]["custody"][sample.barcode] == {
        "sequence": head.sequence,
        "entry_hash": head.entry_hash,
    }
    last_event = AuditEvent.objects.order_by("-sequence").first()
    assert lines[-1]["audit"] == {
        "sequence": last_event.sequence,
        "entry_hash": last_event.entry_hash,
    }
    assert last_event.action == AuditAction.RECORD_CUSTODY
    state = anchor_log.read_anchor_log(log, anchoring.public_key())
    assert not state.problem and state.lines == len(lines)
    # The key lives outside the database, in its own file, created on first use.
    assert anchoring.signing_key()  # readable
    from pathlib import Path

    from django.conf import settings

    assert Path(settings.NASAB_SIGNING_KEY).stat().st_mode & 0o077 == 0


def test_rewritten_chain_with_recomputed_hashes(anchored, raw_sql):
    rewrite_chain(raw_sql, anchored.barcode, place="Somewhere else")
    assert services.verify_database().ok  # the hashes alone cannot tell
    verdict = broken("anchor-mismatch")
    assert anchored.barcode in verdict.describe() and "rewritten" in verdict.describe()


def test_truncated_chain(anchored, raw_sql):
    last = CustodyEntry.objects.for_object(anchored.barcode).last()
    raw_sql("DELETE FROM custody_entry WHERE id = %s", [last.id])
    assert services.verify_database().ok
    verdict = broken("truncated")
    assert f"object {anchored.barcode}, sequence {last.sequence}" in verdict.describe()


def test_database_replaced_by_an_older_copy(
    anchored, users, raw_sql, django_capture_on_commit_callbacks
):
    """An older copy: the database as it was at an earlier anchor, everything after it gone."""
    keep_custody = CustodyEntry.objects.order_by("-id").first().id
    keep_audit = AuditEvent.objects.order_by("-sequence").first().sequence
    with django_capture_on_commit_callbacks(execute=True):
        services.record(
            object_id=anchored.barcode, action="subsampled", actor=users["lab"], place="Lab"
        )
        audit(users["lab"], AuditAction.VIEW_PROFILE, object_type="profile", object_id="1")
    raw_sql("DELETE FROM custody_entry WHERE id > %s", [keep_custody])
    raw_sql("DELETE FROM audit_event WHERE sequence > %s", [keep_audit])
    verdict = broken("replaced-database")
    assert "older copy" in verdict.describe()


def test_edited_note(anchored, raw_sql):
    row = CustodyEntry.objects.for_object(anchored.barcode).last()
    assert row.note == "seal intact, bag dry"
    raw_sql("UPDATE custody_entry SET note = 'seal broken' WHERE id = %s", [row.id])
    verdict = broken("edited")
    assert f"sequence {row.sequence}" in verdict.describe()


def test_edited_audit_event(anchored, raw_sql):
    event = (
        AuditEvent.objects.filter(action=AuditAction.RECORD_CUSTODY).order_by("sequence").first()
    )
    raw_sql("UPDATE audit_event SET username = 'someone' WHERE id = %s", [event.id])
    verdict = broken("audit-edited")
    assert f"audit event {event.sequence}" in verdict.describe()


def test_deleted_audit_event(anchored, raw_sql):
    event = AuditEvent.objects.order_by("sequence")[1]
    raw_sql("DELETE FROM audit_event WHERE id = %s", [event.id])
    broken("audit-gap")


def test_rewritten_audit_log(anchored, raw_sql):
    """Edit an audit event and recompute every hash after it: the anchored head no longer matches."""
    events = list(AuditEvent.objects.order_by("sequence"))
    previous = None
    for position, event in enumerate(events):
        record = event.as_chain_record()
        fields = {**record.__dict__, "username": "someone" if position == 1 else record.username}
        fields.pop("entry_hash")
        fields["prev_hash"] = previous.entry_hash if previous else anchor_log.GENESIS_HASH
        rebuilt = anchor_log.AuditRecord(**fields)
        rebuilt = anchor_log.AuditRecord(
            **{**rebuilt.__dict__, "entry_hash": rebuilt.computed_hash()}
        )
        raw_sql(
            "UPDATE audit_event SET username = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",
            [rebuilt.username, rebuilt.prev_hash, rebuilt.entry_hash, event.id],
        )
        previous = rebuilt
    assert anchor_log.verify_audit_chain([e.as_chain_record() for e in AuditEvent.objects.all()]).ok
    broken("audit-rewritten")


def test_forged_anchor_log(anchored):
    log = anchoring.anchor_dir() / anchor_log.ANCHOR_LOG
    lines = log.read_text().splitlines()
    last = json.loads(lines[-1])
    last["audit"]["sequence"] = 1
    log.write_text("\n".join([*lines[:-1], json.dumps(last)]) + "\n")
    broken("anchor-forged")


def test_verify_page_uses_the_anchor(client, anchored, users, raw_sql):
    last = CustodyEntry.objects.for_object(anchored.barcode).last()
    raw_sql("DELETE FROM custody_entry WHERE id = %s", [last.id])
    client.force_login(users["reviewer"])
    response = client.post(reverse("custody:verify"))
    text = response.content.decode()
    assert "BROKEN: truncated" in text and str(anchoring.anchor_dir()) in text


def test_receiving_under_a_seal_never_applied_is_refused(remains, users):
    from fieldwork import services as fieldwork
    from fieldwork.models import Sample

    unsealed = fieldwork.register_sample(
        Sample(barcode="GS-T01-R001-S9", kind="bone", skeletal_element="femur", remains=remains),
        user=users["field"],
        place="Trench 1",
    )
    with pytest.raises(services.CustodyRefused, match="not sealed"):
        services.record(
            object_id=unsealed.barcode,
            action="transferred",
            actor=users["field"],
            place="Trench",
            recipient="lab",
            seal_id="SEAL-NEVER",
        )
    services.record(
        object_id=unsealed.barcode,
        action="transferred",
        actor=users["field"],
        place="Trench",
        recipient="lab",
    )
    with pytest.raises(services.CustodyRefused, match="no seal was applied"):
        services.record(
            object_id=unsealed.barcode,
            action="received",
            actor=users["lab"],
            place="Lab",
            seal_id="SEAL-NEVER",
        )
    services.record(object_id=unsealed.barcode, action="received", actor=users["lab"], place="Lab")


def test_cli_checks_both_chains_and_the_anchor(tmp_path, anchored, raw_sql):
    """``nasab custody verify --anchor`` (no Django) on a copy of the test database."""
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database to a file")
    import sqlite3

    from nasab.custody import cli as cli_custody

    target = tmp_path / "copy.sqlite3"
    copy = sqlite3.connect(target)
    with connection.cursor() as cursor:
        for table in ("custody_entry", "audit_event"):
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table]
            )
            copy.execute(cursor.fetchone()[0])
            cursor.execute(f"SELECT * FROM {table}")
            rows = cursor.fetchall()
            copy.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    copy.commit()
    copy.close()
    args = [
        "custody",
        "verify",
        "--database",
        f"sqlite:///{target}",
        "--anchor",
        str(anchoring.anchor_dir()),
    ]

    def run():
        out, err = io.StringIO(), io.StringIO()
        parser = __import__("argparse").ArgumentParser()
        cli_custody.add_parser(parser.add_subparsers(dest="command"))
        code = cli_custody.run(parser.parse_args(args), out, err)
        return code, out.getvalue() + err.getvalue()

    code, text = run()
    assert code == 0 and "audit log intact" in text, text
    copy = sqlite3.connect(target)
    copy.execute("DELETE FROM custody_entry WHERE id = (SELECT MAX(id) FROM custody_entry)")
    copy.commit()
    copy.close()
    code, text = run()
    assert code == 1 and "truncated" in text


def test_deleted_anchor_log(anchored):
    import shutil

    shutil.rmtree(anchoring.anchor_dir())
    broken("anchor-missing")


def test_rewrite_then_re_anchor_is_still_caught(anchored, raw_sql):
    """A forger who rewrites a chain and then appends a fresh full anchor line (with the key)
    still contradicts the heads anchored before."""
    first = CustodyEntry.objects.for_object(anchored.barcode).first()
    rewrite_chain(raw_sql, anchored.barcode, place="Somewhere else")
    anchoring.anchor_everything("change")
    verdict = broken("anchor-mismatch")
    assert anchored.barcode in verdict.describe() and first is not None


def test_start_anchor_for_an_older_registry(sample, settings, tmp_path):
    settings.NASAB_ANCHOR_DIR = str(tmp_path / "fresh-anchors")
    assert services.verify_registry().kind == "anchor-missing"
    out = io.StringIO()
    call_command("verify_custody", "--start-anchor", stdout=out)
    assert "anchor log started" in out.getvalue()
    assert services.verify_registry().ok
    with pytest.raises(SystemExit):
        call_command("verify_custody", "--start-anchor", stderr=io.StringIO())


def test_lowered_hash_version_is_caught(anchored, raw_sql):
    """Re-marking an entry as recorded before notes were hashed would let its note change unseen."""
    row = CustodyEntry.objects.for_object(anchored.barcode).first()
    raw_sql(
        "UPDATE custody_entry SET hash_version = 1, note = 'added later' WHERE id = %s", [row.id]
    )
    assert services.verify_database().ok  # the note of a version-1 entry is outside its hash
    broken("edited")
