from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path | None:
    env = os.environ.get("NASAB_SHARED")
    for cand in (*([Path(env)] if env else []), ROOT / ".." / "shared", ROOT / "shared"):
        if (cand / "oracle" / "dvi").is_dir():
            return cand.resolve()
    return None


@pytest.fixture(scope="session")
def dvi_root() -> Path:
    s = shared_dir()
    if s is None:
        pytest.skip("shared/oracle/dvi not found beside the repository")
    return s / "oracle" / "dvi"
