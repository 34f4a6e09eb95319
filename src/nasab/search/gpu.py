"""The search compile on a CUDA GPU (``--gpu``): CuPy arrays through the same contraction
plans, float64; only the summation order differs from the CPU."""

from __future__ import annotations

import os
from contextlib import contextmanager

from nasab.engine.errors import ModelError

__all__ = ["GPU_ENV", "gpu_module", "on_gpu"]

GPU_ENV = "NASAB_GPU"  # "1": contractions run on the GPU with CuPy (set by --gpu)


@contextmanager
def on_gpu():
    """Within the block, contractions run on the GPU (CuPy). Set in the environment so that
    Dask workers started within it see it too; restored afterwards. Fails at once, clearly,
    without CuPy."""
    before = os.environ.get(GPU_ENV)
    os.environ[GPU_ENV] = "1"
    try:
        gpu_module()
        yield
    finally:
        if before is None:
            os.environ.pop(GPU_ENV, None)
        else:
            os.environ[GPU_ENV] = before


def gpu_module():
    """CuPy when the GPU is asked for (environment, so that Dask workers see it too), else
    None. The numbers are the same model in float64; only the summation order differs."""
    if os.environ.get(GPU_ENV) != "1":
        return None
    try:
        import cupy
    except ImportError:
        raise ModelError(
            f"{GPU_ENV}=1 (--gpu) needs CuPy and a CUDA GPU; CuPy is not installed"
        ) from None
    return cupy
