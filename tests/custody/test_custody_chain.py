"""The pure chain-of-custody logic: hashes, and every way a chain can break."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest

from nasab.custody import chain as custody
from nasab.custody.chain import CustodyEntry, next_entry, verify_chain

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def chain(object_id: str, steps, start=T0, seals_prefix="") -> list[CustodyEntry]:
    entries: list[CustodyEntry] = []
    for i, (action, actor, extra) in enumerate(steps):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                object_id=object_id,
                action=action,
                actor=actor,
                place="Site A",
                timestamp=start + timedelta(minutes=i),
                **extra,
            )
        )
    return entries


def standard(object_id="S-0001", seal="SEAL-1") -> list[CustodyEntry]:
    return chain(
        object_id,
        [
            ("collected", "field1", {}),
            ("sealed", "field1", {"seal_id": seal}),
            ("transferred", "field1", {"seal_id": seal, "recipient": "lab1"}),
            ("received", "lab1", {"seal_id": seal}),
            ("opened", "lab1", {"seal_id": seal}),
            ("subsampled", "lab1", {"content_hash": "ab" * 32}),
            ("consumed", "lab1", {}),
        ],
    )


def resealed(entry: CustodyEntry, **changes) -> CustodyEntry:
    """An entry changed and re-hashed (a forger who recomputes that one hash)."""
    return dataclasses.replace(entry, **changes).sealed()


def test_canonical_json_is_stable_and_sorted():
    fields = standard()[0].hashed_fields()
    text = custody.canonical_json(fields).decode()
    assert list(json.loads(text)) == sorted(
        set(custody.HASHED_FIELDS) - {"note"}
    )  # empty note left out
    noted = custody.canonical_json({**fields, "note": "bag torn"}).decode()
    assert list(json.loads(noted)) == sorted(custody.HASHED_FIELDS)
    assert " " not in text.replace("Site A", "")
    assert custody.entry_hash(fields) == custody.entry_hash(dict(reversed(list(fields.items()))))


def test_timestamp_spellings_hash_alike():
    a = custody.canonical_timestamp("2026-03-01 08:00:00")
    b = custody.canonical_timestamp("2026-03-01T10:00:00+02:00")
    c = custody.canonical_timestamp(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    assert a == b == c == "2026-03-01T08:00:00.000000Z"
    with pytest.raises(custody.CustodyInputError):
        custody.canonical_timestamp("yesterday")


def test_non_ascii_values_hash_as_utf8():
    entry = chain("S-1", [("collected", "فريق", {})])[0]
    assert "فريق".encode() in custody.canonical_json(entry.hashed_fields())
    assert verify_chain([entry]).ok


def test_intact_chains_verify_including_interleaved_objects():
    a, b = standard("S-1", "SEAL-A"), standard("S-2", "SEAL-B")
    mixed = [x for pair in zip(a, b, strict=True) for x in pair]
    verdict = verify_chain(mixed)
    assert verdict.ok, verdict.describe()
    assert verdict.checked == 14 and verdict.objects == 2
    assert verify_chain([e.as_dict() for e in a]).ok


@pytest.mark.parametrize(
    "tamper, position, kind",
    [
        pytest.param(
            lambda es: es.__setitem__(3, dataclasses.replace(es[3], actor="lab2")),
            3,
            "edited",
            id="edited-row",
        ),
        pytest.param(lambda es: es.__delitem__(2), 2, "gap", id="deleted-entry"),
        pytest.param(lambda es: es.__delitem__(0), 0, "gap", id="deleted-first"),
        pytest.param(lambda es: es.insert(1, es.pop(2)), 1, "reordered", id="swapped"),
        pytest.param(lambda es: es.append(es[-1]), 7, "duplicate", id="duplicated"),
        pytest.param(
            lambda es: es.__setitem__(3, resealed(es[3], prev_hash="1" * 64)),
            3,
            "broken-link",
            id="relinked",
        ),
    ],
)
def test_storage_tampering_is_named(tamper, position, kind):
    entries = standard()
    tamper(entries)
    verdict = verify_chain(entries)
    assert not verdict.ok
    assert (verdict.position, verdict.kind) == (position, kind), verdict.describe()
    assert "object S-0001" in verdict.describe()


def test_deleting_middle_entry_names_missing_sequence():
    entries = standard()
    del entries[4]
    verdict = verify_chain(entries)
    assert verdict.kind == "gap" and "entry 5 of S-0001 is missing" in verdict.reason


def test_transfer_by_non_holder_is_refused():
    entries = chain(
        "S-9",
        [
            ("collected", "field1", {}),
            ("transferred", "field2", {"recipient": "lab1"}),
        ],
    )
    verdict = verify_chain(entries)
    assert (verdict.position, verdict.kind) == (1, "not-holder")
    assert "held by field1" in verdict.reason


def test_receipt_by_someone_else_than_the_recipient():
    entries = chain(
        "S-9",
        [
            ("collected", "field1", {}),
            ("transferred", "field1", {"recipient": "lab1"}),
            ("received", "lab2", {}),
        ],
    )
    assert verify_chain(entries).kind == "wrong-recipient"


def test_replayed_seal_on_same_object():
    entries = chain(
        "S-9",
        [
            ("collected", "field1", {}),
            ("sealed", "field1", {"seal_id": "SEAL-7"}),
            ("opened", "field1", {"seal_id": "SEAL-7"}),
            ("sealed", "field1", {"seal_id": "SEAL-7"}),
        ],
    )
    verdict = verify_chain(entries)
    assert (verdict.position, verdict.kind) == (3, "replayed-seal")


def test_replayed_seal_across_objects():
    first = chain("S-1", [("collected", "f", {}), ("sealed", "f", {"seal_id": "SEAL-7"})])
    second = chain(
        "S-2",
        [("collected", "f", {}), ("sealed", "f", {"seal_id": "SEAL-7"})],
        start=T0 + timedelta(hours=1),
    )
    verdict = verify_chain(first + second)
    assert (verdict.position, verdict.kind) == (3, "replayed-seal")
    assert "already used on S-1" in verdict.reason


@pytest.mark.parametrize(
    "steps, kind",
    [
        ([("sealed", "f", {"seal_id": "X"})], "bad-start"),
        ([("collected", "f", {}), ("collected", "f", {})], "bad-start"),
        (
            [("collected", "f", {}), ("destroyed", "f", {}), ("opened", "f", {"seal_id": "X"})],
            "after-end",
        ),
        (
            [("collected", "f", {}), ("sealed", "f", {"seal_id": "X"}), ("subsampled", "f", {})],
            "sealed",
        ),
        (
            [
                ("collected", "f", {}),
                ("sealed", "f", {"seal_id": "X"}),
                ("opened", "f", {"seal_id": "Y"}),
            ],
            "seal-mismatch",
        ),
        ([("collected", "f", {}), ("transferred", "f", {})], "recipient-missing"),
        ([("collected", "f", {}), ("received", "f", {})], "not-in-transit"),
        (
            [
                ("collected", "f", {}),
                ("sealed", "f", {"seal_id": "X"}),
                ("transferred", "f", {"seal_id": "X", "recipient": "l"}),
                ("received", "l", {}),
            ],
            "seal-mismatch",
        ),
        (
            [
                ("collected", "f", {}),
                ("transferred", "f", {"recipient": "l"}),
                ("subsampled", "f", {}),
            ],
            "not-holder",
        ),
        ([("collected", "f", {}), ("photographed", "f", {})], "unknown-action"),
    ],
)
def test_custody_rules(steps, kind):
    verdict = verify_chain(chain("S-5", steps))
    assert not verdict.ok and verdict.kind == kind, verdict.describe()
    assert verdict.position == len(steps) - 1


def test_timestamp_going_backwards_is_reordering():
    entries = chain("S-5", [("collected", "f", {}), ("sealed", "f", {"seal_id": "X"})])
    entries[1] = resealed(entries[1], timestamp="2026-02-01T00:00:00.000000Z")
    assert verify_chain(entries).kind == "reordered"


def test_holder_of_follows_transfers():
    state = custody.holder_of(standard()[:4])
    assert state.holder == "lab1" and state.seal == "SEAL-1"


def test_from_mapping_rejects_incomplete_rows():
    with pytest.raises(custody.CustodyInputError, match="lacks actor"):
        CustodyEntry.from_mapping(
            {"object_id": "S", "sequence": 1, "action": "collected", "timestamp": "2026-01-01"}
        )
    with pytest.raises(custody.CustodyInputError, match="whole number"):
        CustodyEntry.from_mapping(
            {
                "object_id": "S",
                "sequence": "one",
                "action": "collected",
                "actor": "a",
                "timestamp": "2026-01-01",
            }
        )


def test_anchor_catches_entries_cut_from_the_end():
    entries = standard()
    anchor = custody.anchor_of(entries)
    assert anchor == {"S-0001": {"sequence": 7, "entry_hash": entries[-1].entry_hash}}
    assert verify_chain(entries[:-2]).ok  # the chain alone cannot tell
    verdict = verify_chain(entries[:-2], anchor)
    assert (verdict.ok, verdict.kind, verdict.missing) == (False, "truncated", ("S-0001", 7))
    assert "BROKEN at object S-0001, sequence 7: truncated" in verdict.describe()
    assert verify_chain(entries, anchor).ok


def test_anchor_catches_a_consistently_rewritten_tail():
    entries = standard()
    anchor = custody.anchor_of(entries)
    rewritten = entries[:-1] + [
        next_entry(
            entries[-2],
            object_id="S-0001",
            action="destroyed",
            actor="lab1",
            place="Lab",
            timestamp=T0 + timedelta(hours=1),
        )
    ]
    verdict = verify_chain(rewritten, anchor)
    assert (verdict.kind, verdict.position) == ("anchor-mismatch", 6)


def test_bad_anchor_is_bad_input():
    with pytest.raises(custody.CustodyInputError, match="not {sequence, entry_hash}"):
        verify_chain(standard(), {"S-0001": {"seq": 1}})
