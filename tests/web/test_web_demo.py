"""The synthetic demonstration programme builds a consistent, verifiable registry."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from custody import services as custody
from identification.models import MatchCandidate
from lab.models import DNAProfile
from lab.selectors import usable_profiles
from nasab_site import demo
from registry import synthetic
from registry.models import MissingPerson


@pytest.fixture
def programme(db):
    out = io.StringIO()
    call_command("demo_programme", stdout=out)
    return out.getvalue()


def test_demo_programme(programme):
    assert "Demonstration programme created" in programme
    for username, role in demo.DEMO_USERS:
        assert f"{username:10s} {username}-" in programme and role.value in programme
    assert "http://127.0.0.1:8000/login/" in programme
    verdict = custody.verify_database()
    assert verdict.ok, verdict.describe()
    assert MissingPerson.objects.count() == 6
    # One donor withdrew: that profile exists but is not usable.
    assert usable_profiles().count() == DNAProfile.objects.count() - 1
    # Every family whose parents were typed has its own remains as the best candidate.
    best = MatchCandidate.objects.order_by("-likelihood_ratio").first()
    assert best.likelihood_ratio > 1e6 and best.identification.status == "preliminary"
    with pytest.raises(CommandError, match="already holds"):
        call_command("demo_programme", stdout=io.StringIO())


def test_every_page_renders_for_every_demo_user(programme, client, settings):
    """A crawl of the demonstration programme: no server error, no missing template variable."""
    from django.contrib.auth.models import User

    from fieldwork.models import GraveSite, RemainsUnit, Sample
    from registry.models import Relative

    settings.TEMPLATES = [
        dict(t, OPTIONS={**t["OPTIONS"], "string_if_invalid": "INVALID{%s}"})
        for t in settings.TEMPLATES
    ]
    person = MissingPerson.objects.first()
    relative = Relative.objects.first()
    urls = [
        "/",
        "/registry/",
        "/field/sites/",
        "/custody/verify/",
        "/custody/export/",
        "/lab/profiles/",
        "/lab/profiles/import/",
        "/lab/profiles/export/",
        "/matches/",
        "/matches/search/",
        "/matches/settings/",
        "/matches/notifications/",
        "/audit/",
        "/field/references/",
        "/registry/new/",
        "/field/new-site/",
        f"/registry/{person.case_number}/",
        f"/registry/{person.case_number}/add/relative/",
        f"/registry/relatives/{relative.pk}/consent/",
        f"/field/references/{relative.pk}/samples/new/",
        f"/lab/profiles/{DNAProfile.objects.first().pk}/",
        *(f"/field/sites/{site.code}/" for site in GraveSite.objects.all()),
        f"/field/remains/{RemainsUnit.objects.first().code}/",
        f"/field/remains/{RemainsUnit.objects.first().code}/samples/new/",
        *(f"/custody/object/{sample.barcode}/" for sample in Sample.objects.all()[:3]),
        *(f"/matches/{candidate.pk}/" for candidate in MatchCandidate.objects.all()),
    ]
    problems = []
    for user in User.objects.all():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code not in (200, 403):
                problems.append(f"{user}: {url} -> {response.status_code}")
            elif b"INVALID{" in response.content:
                problems.append(f"{user}: {url} refers to a missing template variable")
    assert not problems


def test_synthetic_names_are_generated_not_listed():
    rng = random.Random(1)
    families = [synthetic.family(rng) for _ in range(50)]
    full = {f.full(f.missing).latin for f in families}
    assert len(full) > 40
    for f in families:
        assert f.full(f.missing).ar.split()[1] == f.father.ar


def test_trio_lr():
    rng = random.Random(3)
    father, mother = demo.random_genotype(rng), demo.random_genotype(rng)
    child = demo.child_of(rng, father, mother)
    assert demo.trio_lr(child, father, mother) > 1
    stranger = {m: ["99", "99"] for m in demo.DEMO_MARKERS}
    assert demo.trio_lr(stranger, father, mother) == 0
    assert demo.posterior(0) == 0 and 0 < demo.posterior(1) < 1
