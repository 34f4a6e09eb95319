"""Shared fixtures: small synthetic data sets (synthetic people only)."""

from __future__ import annotations

import pytest

from nasab.sim.simulate import simulate


@pytest.fixture(scope="session")
def small_sim(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim_small")
    info = simulate(8, 12, 11, out)
    return out, info


@pytest.fixture(scope="session")
def medium_sim(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim_medium")
    info = simulate(60, 80, 5, out)
    return out, info
