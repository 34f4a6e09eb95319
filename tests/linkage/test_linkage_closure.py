"""Undecided pairs settled by the proposals: two reports each proposed as one person
with the same others are proposed together (saying through which reports), unless a
report on the way cannot be either of them."""

from __future__ import annotations

from nasab.linkage.dedup import DedupModel
from nasab.linkage.readings import settled_by_proposals
from nasab.linkage.synth_intake import generate_intake_reports


def test_settled_by_a_path_of_proposals():
    proposed = [("a", "b"), ("b", "c"), ("c", "d"), ("x", "y")]
    never = lambda u, v: False  # noqa: E731
    assert settled_by_proposals(proposed, [("a", "d"), ("a", "x"), ("q", "a")], never) == {
        ("a", "d"): ["b", "c"]
    }


def test_not_settled_through_a_report_that_cannot_be_either():
    proposed = [("a", "b"), ("b", "c")]
    assert settled_by_proposals(proposed, [("a", "c")], lambda u, v: {u, v} == {"b", "c"}) == {}
    assert settled_by_proposals(proposed, [("a", "c")], lambda u, v: False) == {("a", "c"): ["b"]}


def test_shortest_path_named_and_the_same_in_every_run():
    proposed = [("a", "z"), ("z", "d"), ("a", "b"), ("b", "c"), ("c", "d"), ("a", "m"), ("m", "d")]
    for _ in range(3):
        assert settled_by_proposals(proposed, [("a", "d")], lambda u, v: False) == {
            ("a", "d"): ["m"]
        }


def test_no_undecided_pair_within_one_proposed_person():
    """On generated intake reports: no pair left undecided joins two reports that the
    proposals already make one person, and the pairs so settled say why in both
    languages."""
    reports = generate_intake_reports(400, seed=3)
    m = DedupModel(reports).train(seed=3)
    pairs = m.predict()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[find(p.report_a)] = find(p.report_b)
    assert not [
        (a, b) for a, b, _ in m.undecided if a in parent and b in parent and find(a) == find(b)
    ]
    settled = [p for p in pairs if any("both proposed as one person with" in r for r in p.reasons)]
    assert settled
    for p in settled:
        assert len(p.reasons) == len(p.reasons_ar) and "مقترَح شخصاً واحداً" in p.reasons_ar[-1]
        assert (p.report_a, p.report_b) not in m.undecided_reasons
