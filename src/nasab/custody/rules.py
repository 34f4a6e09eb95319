"""The custody rules: who holds an object and what the next entry may do (``ObjectState``,
``apply_entry``, ``next_state_problem``): only the holder may transfer, seal, open, subsample,
consume or destroy; a transfer is received by its named recipient; a seal is used once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nasab.custody.entry import ACTIONS, TERMINAL_ACTIONS, CustodyEntry


@dataclass
class ObjectState:
    """What the chain says about one object after some entries."""

    last: CustodyEntry | None = None
    holder: str = ""
    in_transit_to: str | None = None  # recipient of a transfer not yet received
    seal: str = ""  # seal currently on the object ("" = unsealed)
    ended: str = ""  # terminal action, if any
    sequences_seen: set[int] = field(default_factory=set)


class CustodyRuleError(Exception):
    """A custody rule an entry breaks; carries the failure kind."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def next_state_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    """Why ``entry`` may not follow ``state`` (``None`` if it may).

    ``used_seals`` maps every seal id applied so far (any object) to the object it sealed.
    """
    action, actor = entry.action, entry.actor
    if action not in ACTIONS:
        return CustodyRuleError("unknown-action", f"unknown action {action!r}")
    if state.last is None:
        if action != "collected":
            return CustodyRuleError(
                "bad-start", f"a chain must start with 'collected', not {action!r}"
            )
        return None
    if state.ended:
        return CustodyRuleError("after-end", f"{action!r} after the object was {state.ended}")
    if action == "collected":
        return CustodyRuleError("bad-start", "'collected' may only be the first entry")
    if action == "received":
        return _received_problem(state, entry)
    if state.in_transit_to is not None:
        return CustodyRuleError(
            "not-holder",
            f"{actor} recorded {action!r} while the object is in transit to "
            f"{state.in_transit_to or 'an unnamed recipient'}",
        )
    if actor != state.holder:
        return CustodyRuleError(
            "not-holder", f"{actor} recorded {action!r} but the object is held by {state.holder}"
        )
    rule = _HOLDER_RULES.get(action)
    return rule(state, entry, used_seals) if rule else None


def _received_problem(state: ObjectState, entry: CustodyEntry) -> CustodyRuleError | None:
    actor = entry.actor
    if state.in_transit_to is None:
        return CustodyRuleError(
            "not-in-transit", f"{actor} received an object that was not transferred"
        )
    if state.in_transit_to and state.in_transit_to != actor:
        return CustodyRuleError(
            "wrong-recipient", f"{actor} received an object transferred to {state.in_transit_to}"
        )
    if state.seal and entry.seal_id != state.seal:
        return CustodyRuleError(
            "seal-mismatch",
            f"received with seal {entry.seal_id or '(none)'} but it was sent under seal {state.seal}",
        )
    if entry.seal_id and not state.seal:
        return CustodyRuleError(
            "seal-not-applied",
            f"received under seal {entry.seal_id}, but no seal was applied before the transfer",
        )
    return None


def _sealed_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if not entry.seal_id:
        return CustodyRuleError("seal-missing", "sealed without a seal id")
    if state.seal:
        return CustodyRuleError("seal-mismatch", f"sealed again while seal {state.seal} is intact")
    if entry.seal_id in used_seals:
        return CustodyRuleError(
            "replayed-seal", f"seal {entry.seal_id} was already used on {used_seals[entry.seal_id]}"
        )
    return None


def _opened_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if not state.seal:
        if entry.seal_id in used_seals:
            return CustodyRuleError("replayed-seal", f"seal {entry.seal_id} was already opened")
        return CustodyRuleError("seal-mismatch", "opened but the object is not sealed")
    if entry.seal_id != state.seal:
        return CustodyRuleError(
            "seal-mismatch",
            f"opened seal {entry.seal_id or '(none)'} but the seal on it is {state.seal}",
        )
    return None


def _transferred_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if not entry.recipient:
        return CustodyRuleError("recipient-missing", "transferred without naming the recipient")
    if entry.seal_id and not state.seal:
        return CustodyRuleError(
            "seal-not-applied",
            f"transferred under seal {entry.seal_id}, but the object is not sealed",
        )
    if state.seal and entry.seal_id and entry.seal_id != state.seal:
        return CustodyRuleError(
            "seal-mismatch",
            f"transferred under seal {entry.seal_id} but the seal on it is {state.seal}",
        )
    return None


def _while_sealed_problem(
    state: ObjectState, entry: CustodyEntry, used_seals: Mapping[str, str]
) -> CustodyRuleError | None:
    if state.seal:
        return CustodyRuleError(
            "sealed", f"{entry.action!r} while seal {state.seal} is intact; open it first"
        )
    return None


_HOLDER_RULES = {
    "sealed": _sealed_problem,
    "opened": _opened_problem,
    "transferred": _transferred_problem,
    "subsampled": _while_sealed_problem,
    "consumed": _while_sealed_problem,
}


def apply_entry(state: ObjectState, entry: CustodyEntry, used_seals: dict[str, str]) -> None:
    """Advance ``state`` by an entry already checked by :func:`next_state_problem`."""
    if entry.action == "collected":
        state.holder = entry.actor
    elif entry.action == "sealed":
        state.seal = entry.seal_id
        used_seals[entry.seal_id] = entry.object_id
    elif entry.action == "opened":
        state.seal = ""
    elif entry.action == "transferred":
        state.in_transit_to = entry.recipient
        state.holder = ""
    elif entry.action == "received":
        state.holder = entry.actor
        state.in_transit_to = None
    elif entry.action in TERMINAL_ACTIONS:
        state.ended = entry.action
    state.last = entry
    state.sequences_seen.add(entry.sequence)
