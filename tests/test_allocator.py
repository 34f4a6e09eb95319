"""The allocator's settings (nasab.engine.allocator): set together on glibc, never over
the user's own environment, and the same numbers either way."""

import os
import subprocess
import sys

import pytest

SNIPPET = "from nasab.engine.allocator import tune_allocator as t; print(t(), t())"


def _run(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_TUN"))}
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], env={**clean, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_set_once_on_glibc():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    assert _run() == "True True"


@pytest.mark.parametrize(
    "var", ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"]
)
def test_the_users_environment_is_left_alone(var):
    assert _run(**{var: "65536"}) == "False False"
