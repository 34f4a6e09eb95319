"""Identification stages and the two-person rule."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.roles import Role
from identification import services
from identification.models import (
    FamilyNotification,
    Identification,
    IdentificationStatus,
    MatchCandidate,
)


@pytest.fixture
def candidate(sample, family):
    return MatchCandidate.objects.create(
        remains=sample.remains,
        person=family["person"],
        likelihood_ratio=2.5e8,
        prior=0.02,
        posterior=0.99999,
        engine_version="0.1.0",
        frequency_table="synthetic",
        frequency_table_version="1",
    )


@pytest.fixture
def identification(candidate):
    return services.identification_for(candidate)


def test_propose_then_confirm_by_second_person(identification, users):
    services.decide(identification, "preliminary", users["lab"], "LR above threshold")
    done = services.decide(identification, "confirmed", users["reviewer"], "Reviewed the pedigree")
    assert (done.status, done.analyst, done.confirmed_by) == (
        "confirmed",
        users["lab"],
        users["reviewer"],
    )
    assert [(d.from_status, d.to_status, d.decided_by.username) for d in done.decisions.all()] == [
        ("candidate", "preliminary", "lab"),
        ("preliminary", "confirmed", "reviewer"),
    ]


def test_analyst_cannot_confirm_own_identification(identification, users):
    both = users["lab2"]
    from django.contrib.auth.models import Group

    both.groups.add(Group.objects.get(name=Role.REVIEWER.value))
    services.decide(identification, "preliminary", both, "LR above threshold")
    with pytest.raises(services.DecisionRefused, match="needs a second person"):
        services.decide(identification, "confirmed", both, "I checked it myself")
    identification.refresh_from_db()
    assert identification.status == "preliminary"


def test_database_refuses_self_confirmation(identification, users):
    with pytest.raises(IntegrityError), transaction.atomic():
        Identification.objects.filter(pk=identification.pk).update(
            status=IdentificationStatus.CONFIRMED, analyst=users["lab"], confirmed_by=users["lab"]
        )


@pytest.mark.parametrize(
    "steps, user, target, message",
    [
        ([], "lab", "confirmed", "A candidate identification cannot become confirmed"),
        ([], "reviewer", "preliminary", "Your role may not mark an identification preliminary"),
        (
            [("preliminary", "lab")],
            "lab",
            "confirmed",
            "Your role may not mark an identification confirmed",
        ),
        (
            [("to_exclude", "lab"), ("excluded", "board")],
            "lab",
            "preliminary",
            "A excluded identification cannot become",
        ),
        (
            [("to_exclude", "lab")],
            "lab",
            "excluded",
            "Your role may not mark an identification excluded",
        ),
        (
            [("to_exclude", "reviewer")],
            "reviewer",
            "excluded",
            "An exclusion needs a second person",
        ),
        ([], "lab", "identified", "Unknown status"),
    ],
)
def test_refused_decisions(identification, users, steps, user, target, message):
    for status, who in steps:
        services.decide(identification, status, users[who], "because")
    with pytest.raises(services.DecisionRefused, match=message):
        services.decide(identification, target, users[user], "because")


def test_reason_required(identification, users):
    with pytest.raises(services.DecisionRefused, match="Give the reason"):
        services.decide(identification, "to_exclude", users["board"], "   ")


def test_review_page_flow(client, candidate, users):
    url = reverse("identification:candidate_detail", args=[candidate.pk])
    decide = reverse("identification:decide", args=[candidate.pk])
    client.force_login(users["lab"])
    page = client.get(url).content.decode()
    assert "2.5e+08" in page and "Preliminary" in page and "Confirmed</option>" not in page
    assert client.post(decide, {"to_status": "preliminary", "reason": "LR"}).status_code == 302
    client.force_login(users["board"])
    refused = client.post(decide, {"to_status": "confirmed", "reason": ""})
    assert refused.status_code == 400
    assert (
        client.post(decide, {"to_status": "confirmed", "reason": "Board session 3"}).status_code
        == 302
    )
    page = re.sub(r"<[^>]+>", "", client.get(url).content.decode())
    assert "proposed by lab" in page and "confirmed by board" in page


def test_family_notified_only_of_confirmed(identification, family, users):
    from django.core.exceptions import ValidationError

    note = FamilyNotification(
        identification=identification,
        relative=family["mother"],
        method="in_person",
        notified_by=users["board"],
    )
    with pytest.raises(ValidationError, match="only of confirmed"):
        note.full_clean()
    services.decide(identification, "preliminary", users["lab"], "LR")
    services.decide(identification, "confirmed", users["board"], "OK")
    note.identification.refresh_from_db()
    note.full_clean()
    note.save()
    assert identification.notifications.count() == 1


def test_candidate_constraints(sample, family):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchCandidate.objects.create(
            remains=sample.remains,
            person=family["person"],
            likelihood_ratio=10,
            prior=0,
            posterior=0.5,
            engine_version="x",
            frequency_table="t",
            frequency_table_version="1",
        )


def test_notification_pages(client, identification, family, users):
    client.force_login(users["intake"])
    url = reverse("identification:notify", args=[identification.pk])
    assert client.get(url).status_code == 404  # not confirmed yet
    services.decide(identification, "preliminary", users["lab"], "LR")
    services.decide(identification, "confirmed", users["board"], "OK")
    listing = client.get(reverse("identification:notification_list")).content.decode()
    assert "not yet" in listing and family["person"].case_number in listing
    response = client.post(
        url,
        {
            "relative": family["mother"].pk,
            "notified_on": "2026-02-01",
            "method": "in_person",
            "support_offered": "Psychosocial support",
        },
    )
    assert response.status_code == 302
    note = FamilyNotification.objects.get()
    assert (note.relative, note.notified_by) == (family["mother"], users["intake"])
    assert "not yet" not in client.get(reverse("identification:notification_list")).content.decode()
