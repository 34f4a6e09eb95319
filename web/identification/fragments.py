"""Fragments of one person: remains-against-remains matching (the engine's ``nasab
direct``, :func:`nasab.search.direct.direct_match`) over the usable remains profiles, with
the programme's frequency table (extended once by the alleles seen), θ and the dropout /
drop-in of each sample type. Remains linked at LR >= the threshold (default 10^6, as
``nasab direct``) are grouped as ``nasab direct`` groups them (connected components); each
group of two or more is proposed as a :class:`FragmentGroup` (once per member set and
settings), then confirmed or rejected by two different people (:func:`decide`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from accounts.roles import can

from . import compiled
from .models import FragmentGroup, FragmentStatus
from .programme import active_settings, engine_table

DEFAULT_THRESHOLD = 1e6
MIN_SHARED = 8


class FragmentDecisionRefused(Exception):
    """A decision that may not be made; the message says why."""


def members_key(codes) -> str:
    return hashlib.sha256("\n".join(sorted(codes)).encode()).hexdigest()


_LAST: dict = {}


def group_if_changed() -> dict | None:
    """:func:`group_fragments` when the usable remains profiles changed since the last call
    in this process (the worker calls it when idle)."""
    from lab.selectors import usable_profiles

    state = (
        active_settings().pk,
        tuple(
            usable_profiles("identification")
            .filter(sample__donor__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    )
    key = hashlib.sha256(repr(state).encode()).hexdigest()
    if _LAST.get("key") == key:
        return None
    got = group_fragments()
    _LAST["key"] = key
    return got


def group_fragments(threshold: float = DEFAULT_THRESHOLD, min_shared: int = MIN_SHARED) -> dict:
    """Run remains-against-remains matching and propose the new groups."""
    from nasab.search.data import Remains
    from nasab.search.direct import DirectModel, direct_match
    from nasab.search.engine import extended_table

    programme = active_settings()
    table = engine_table(programme.frequency_table)
    rem = compiled.remains_profiles(table, programme)
    units = {e.unit.code: e.unit for e in rem}
    profiles = [e.engine for e in rem]
    ids = [e.unit.code for e in rem]
    keys = {k for p in profiles for k in p.genotypes}
    markers = [m.name for k, m in table.markers.items() if k in keys]
    out = {"remains": len(ids), "groups": 0, "new": 0, "pairs": 0}
    if len(ids) < 2 or not markers:
        return out
    tab = extended_table(table, markers, [], Remains(ids, [], profiles, []))
    res = direct_match(
        ids,
        [e.unit.site.code for e in rem],
        profiles,
        markers,
        tab,
        threshold,
        min_shared,
        None,
        DirectModel(theta=programme.theta),
    )
    members = defaultdict(list)
    for code, ind in zip(res.individuals["remain_id"], res.individuals["individual"], strict=True):
        members[ind].append(code)
    links = defaultdict(list)
    p = res.pairs
    for i in range(len(p["a"])):
        if p["linked"][i]:
            links[p["a"][i]].append(
                {
                    "a": p["a"][i],
                    "b": p["b"][i],
                    "log10_lr": p["log10_lr"][i],
                    "shared_markers": p["shared_markers"][i],
                }
            )
    out["pairs"] = sum(len(v) for v in links.values())
    with transaction.atomic():
        for codes in members.values():
            if len(codes) < 2:
                continue
            out["groups"] += 1
            key = members_key(codes)
            if FragmentGroup.objects.filter(members_key=key, programme_settings=programme).exists():
                continue
            ls = [x for c in codes for x in links.get(c, [])]
            group = FragmentGroup.objects.create(
                members_key=key,
                programme_settings=programme,
                links=ls,
                threshold=threshold,
                min_log10_lr=min(x["log10_lr"] for x in ls),
            )
            group.members.set([units[c] for c in codes])
            out["new"] += 1
    return out


@transaction.atomic
def decide(group: FragmentGroup, to_status: str, user, reason: str) -> FragmentGroup:
    """Propose (the analyst of record), confirm (someone else) or reject a group."""
    group = FragmentGroup.objects.select_for_update().get(pk=group.pk)
    if not reason.strip():
        raise FragmentDecisionRefused("Give the reason for this decision.")
    if to_status == FragmentStatus.CONFIRMED:
        if not can(user, "identification.confirm"):
            raise FragmentDecisionRefused("Your role may not confirm a fragment group.")
        if group.analyst_id is None:
            raise FragmentDecisionRefused(
                "An analyst must first take the group up (propose it) before it is confirmed."
            )
        if group.analyst_id == user.pk:
            raise FragmentDecisionRefused("Confirmation needs a second person.")
        group.decided_by, group.decided_at = user, timezone.now()
    elif to_status == FragmentStatus.PROPOSED:
        if not can(user, "identification.propose"):
            raise FragmentDecisionRefused("Your role may not propose a fragment group.")
        group.analyst = user
    elif to_status == FragmentStatus.REJECTED:
        group.decided_by, group.decided_at = user, timezone.now()
    else:
        raise FragmentDecisionRefused(f"Unknown status {to_status!r}.")
    if group.status in (FragmentStatus.CONFIRMED, FragmentStatus.REJECTED):
        raise FragmentDecisionRefused("This group was already decided.")
    group.status = to_status
    group.reason = reason.strip()
    group.save()
    return group
