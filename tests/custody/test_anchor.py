"""The audit chain and the signed anchor log, without Django (nasab.custody.anchor)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from nasab.custody import anchor
from nasab.custody import chain as custody


def events(n):
    made = []
    for i in range(n):
        made.append(
            anchor.next_audit_record(
                made[-1] if made else None,
                at=f"2026-01-01T00:00:0{i}Z",
                username="u",
                action="a",
                detail={"x": 1.0, "i": i},
            )
        )
    return made


def entries():
    made = []
    for action, extra in [
        ("collected", {}),
        ("sealed", {"seal_id": "S1"}),
        ("transferred", {"recipient": "lab", "seal_id": "S1"}),
    ]:
        made.append(
            custody.next_entry(
                made[-1] if made else None,
                object_id="X-1",
                action=action,
                actor="f",
                place="p",
                timestamp=f"2026-01-0{len(made) + 1}T00:00:00Z",
                note="bag" if action == "sealed" else "",
                **extra,
            )
        )
    return made


def test_audit_chain_kinds():
    chain = events(4)
    assert anchor.verify_audit_chain(chain).ok
    edited = [*chain[:2], dataclasses.replace(chain[2], username="x"), chain[3]]
    assert anchor.verify_audit_chain(edited).kind == "audit-edited"
    assert anchor.verify_audit_chain([*chain[:2], chain[3]]).kind == "audit-gap"
    # integral floats hash as integers (PostgreSQL's jsonb hands 1.0 back as 1)
    assert (
        dataclasses.replace(chain[0], detail={"x": 1, "i": 0}).computed_hash()
        == chain[0].entry_hash
    )


def test_anchor_log_names_each_tampering(tmp_path):
    key = anchor.load_or_create_key(tmp_path / "key.pem")
    log_dir = tmp_path / "anchors"
    chain, audit = entries(), events(3)
    anchor.append_anchor(
        log_dir,
        key,
        audit_head={"sequence": 2, "entry_hash": audit[1].entry_hash},
        custody_heads={"X-1": {"sequence": 2, "entry_hash": chain[1].entry_hash}},
    )
    anchor.append_anchor(
        log_dir,
        key,
        audit_head={"sequence": 3, "entry_hash": audit[2].entry_hash},
        custody_heads={"X-1": {"sequence": 3, "entry_hash": chain[2].entry_hash}},
    )
    state = anchor.read_anchor_log(log_dir)
    assert anchor.verify_registry(chain, audit, state).ok
    assert anchor.verify_registry(chain[:2], audit, state).kind == "truncated"
    assert anchor.verify_registry(chain[:2], audit[:2], state).kind == "replaced-database"
    assert (
        anchor.verify_registry(chain, audit[:1], state).kind == "audit-truncated"
    )  # before any anchor
    noted = dataclasses.replace(chain[1], note="bag torn")
    assert anchor.verify_registry([chain[0], noted, chain[2]], audit, state).kind == "edited"
    forged = [chain[0]]
    for entry in chain[1:]:
        forged.append(
            custody.next_entry(
                forged[-1],
                object_id=entry.object_id,
                action=entry.action,
                actor=entry.actor,
                place="elsewhere",
                timestamp=entry.timestamp,
                seal_id=entry.seal_id,
                recipient=entry.recipient,
                note=entry.note,
            )
        )
    assert custody.verify_chain(forged).ok
    assert anchor.verify_registry(forged, audit, state).kind == "anchor-mismatch"
    # The log itself: an edited line breaks the links; another key breaks the signature.
    path = log_dir / anchor.ANCHOR_LOG
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    first["audit"]["sequence"] = 1
    path.write_text(json.dumps(first) + "\n" + lines[1] + "\n")
    assert anchor.read_anchor_log(log_dir).problem
    path.write_text("\n".join(lines) + "\n")
    other = anchor.load_or_create_key(tmp_path / "other.pem")
    assert "signature" in anchor.read_anchor_log(log_dir, other.public_key()).problem
    with pytest.raises(custody.CustodyInputError):
        anchor.read_anchor_log(tmp_path / "nowhere")
