"""Roles and what each may do: the one place access is decided.

Roles are Django groups of the same name. Views ask :func:`can` (or use the
``requires`` decorator in :mod:`accounts.access`) for a *capability*; the map below
says which roles hold it. Genetic data (allele calls) is a capability of the lab roles only.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INTAKE = "intake officer"
    FIELD = "field team"
    LAB = "lab analyst"
    REVIEWER = "reviewer"
    BOARD = "identification board"
    ADMIN = "administrator"


ALL_ROLES = frozenset(Role)
LAB_ROLES = frozenset({Role.LAB, Role.REVIEWER})

CAPABILITIES: dict[str, frozenset[Role]] = {
    # Missing persons and families
    "registry.view": frozenset({Role.INTAKE, Role.REVIEWER, Role.BOARD, Role.ADMIN}),
    "registry.edit": frozenset({Role.INTAKE, Role.ADMIN}),
    # Grave sites, remains, samples
    "sites.view": frozenset({Role.FIELD, Role.LAB, Role.REVIEWER, Role.BOARD, Role.ADMIN}),
    "sites.edit": frozenset({Role.FIELD, Role.ADMIN}),
    "samples.edit": frozenset({Role.FIELD, Role.LAB}),
    # Chain of custody
    "custody.view": frozenset({Role.FIELD, Role.LAB, Role.REVIEWER, Role.BOARD, Role.ADMIN}),
    "custody.record": frozenset({Role.FIELD, Role.LAB}),
    "custody.verify": frozenset({Role.FIELD, Role.LAB, Role.REVIEWER, Role.BOARD, Role.ADMIN}),
    "custody.export": frozenset({Role.REVIEWER, Role.BOARD, Role.ADMIN}),
    # Genetic data
    "genetic.view": LAB_ROLES,
    "genetic.import": frozenset({Role.LAB}),
    "genetic.export": LAB_ROLES,
    # Matches and identifications (likelihood ratios, not genotypes)
    "matches.view": frozenset({Role.LAB, Role.REVIEWER, Role.BOARD}),
    "matching.run": frozenset({Role.LAB, Role.REVIEWER}),
    "identification.propose": frozenset({Role.LAB}),
    "identification.confirm": frozenset({Role.REVIEWER, Role.BOARD}),
    "identification.report": frozenset({Role.REVIEWER, Role.BOARD}),
    "family.notify": frozenset({Role.INTAKE, Role.BOARD}),
    "audit.view": frozenset({Role.ADMIN}),
}


def roles_of(user) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_nasab_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._nasab_roles = cached
    return cached


def can(user, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return bool(roles_of(user) & CAPABILITIES[capability])


def capabilities_of(user) -> frozenset[str]:
    roles = roles_of(user)
    return frozenset(name for name, allowed in CAPABILITIES.items() if roles & allowed)


def ensure_groups():
    """Create one Django group per role (idempotent); returns them by role."""
    from django.contrib.auth.models import Group

    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
