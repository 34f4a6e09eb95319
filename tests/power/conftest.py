from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def public_root() -> Path:
    env = os.environ.get("NASAB_SHARED")
    for cand in (*([Path(env)] if env else []), ROOT / ".." / "shared", ROOT / "shared"):
        if (cand / "oracle" / "public").is_dir():
            return (cand / "oracle" / "public").resolve()
    pytest.skip("shared/oracle/public not found beside the repository")
