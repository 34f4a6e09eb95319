"""The load test's synthetic fill (benchmarks/registry_load.py), small, in the test database."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fieldwork.models import RemainsUnit
from identification.models import MatchCandidate
from registry.models import MissingPerson

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "registry_load.py"


def test_fill_makes_the_programme(db, client):
    spec = importlib.util.spec_from_file_location("registry_load", SCRIPT)
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    ids = load.fill(40, 60, 4)
    assert MissingPerson.objects.count() == 40 and RemainsUnit.objects.count() == 60
    assert MatchCandidate.objects.filter(pk=ids["candidate"]).exists()
    assert client.login(username="load-reviewer", password=load.PASSWORD)
    for path in (
        "/registry/",
        f"/registry/{ids['person']}/",
        f"/field/sites/{ids['site']}/",
        f"/custody/object/{ids['remains']}/",
        "/matches/",
        "/lab/profiles/",
    ):
        assert client.get(path).status_code == 200, path
    assert load.percentile([float(i) for i in range(1, 101)], 95) == 95.0
