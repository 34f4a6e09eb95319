from __future__ import annotations

import os
from pathlib import Path

import pytest

# the suite finds every contraction path itself (engine.path_cache has its own tests): no
# cache file shared with the user's runs or between test processes
os.environ.setdefault("NASAB_PATH_CACHE", "off")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NASAB_SHARED") or REPO.parent / "shared")
ORACLE = SHARED / "oracle"


def public_cases() -> list[Path]:
    folder = ORACLE / "public"
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED
