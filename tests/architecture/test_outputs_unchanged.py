"""Refactoring changes no number: every LR-like output recorded before the engine-core move
(commit 3aec9b3, by ``tests/architecture/outputs.py``) is recomputed and compared."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from .outputs import ORACLE, record

BEFORE = Path(__file__).with_name("outputs_before.json")


@pytest.fixture(scope="module")
def now() -> dict[str, dict[str, float]]:
    if not ORACLE.is_dir():
        pytest.skip("../shared/oracle not present")
    return record()


def test_same_outputs_as_before_the_move(now) -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert sorted(now) == sorted(before)
    bad = []
    for group, values in before.items():
        assert sorted(now[group]) == sorted(values), group
        for key, old in values.items():
            new = now[group][key]
            old = float(old)
            same = (
                (old == new)
                if math.isinf(old)
                else abs(new - old) <= 1e-12 * max(1.0, abs(old))
                or (("log10" not in key.lower()) and math.isclose(new, old, rel_tol=1e-12))
            )
            if not same:
                bad.append((group, key, old, new))
    assert not bad, bad[:20]
