"""Append-only storage for records that must never change once written.

Custody entries and audit events use these: the model refuses ``save()`` of an existing row
and ``delete()``, the queryset refuses bulk ``update()``/``delete()``, the admin shows them
read-only, and database triggers (custody migration 0002) refuse UPDATE and DELETE.
"""

from __future__ import annotations

import contextlib
import threading

from django.contrib import admin
from django.db import models
from django.utils import translation


def english_name(model, *, plural: bool = True) -> str:
    """A model's name in English, for the technical messages that quote it (its verbose
    names are translated for the admin)."""
    with translation.override("en"):
        return str(model._meta.verbose_name_plural if plural else model._meta.verbose_name)


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{english_name(self.model)} are append-only; add a new record")

    def delete(self):
        raise AppendOnlyError(f"{english_name(self.model)} are append-only and cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{english_name(self)} are append-only; add a new record")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{english_name(self)} are append-only and cannot be deleted")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin pages that list and show records but can neither add, change nor delete them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ----------------------------------------------------------------- evidence records
#
# Evidence and scientific records (candidates, decisions, reports, profiles, consents,
# relatives, samples, remains, sites, notifications, portal cases...) are never deleted, and
# the fully immutable ones are never changed in place either: a correction goes through
# :func:`audit.corrections.correct`, which opens :func:`correction_in_progress` for the
# one change it makes, and appends a correction record saying who, when, why, before and after.

_correcting = threading.local()


@contextlib.contextmanager
def correction_in_progress():
    depth = getattr(_correcting, "depth", 0)
    _correcting.depth = depth + 1
    try:
        yield
    finally:
        _correcting.depth = depth


def correcting() -> bool:
    return getattr(_correcting, "depth", 0) > 0


class EvidenceQuerySet(models.QuerySet):
    """Refuses bulk deletion; records leave the registry only with the database."""

    def delete(self):
        raise AppendOnlyError(f"{english_name(self.model)} are evidence and cannot be deleted")


class EvidenceModel(models.Model):
    """Never deleted; lifecycle fields change through their services (status, withdrawal, stage)."""

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            f"{english_name(self)} are evidence and cannot be deleted; record a correction instead"
        )


class ImmutableQuerySet(EvidenceQuerySet):
    def update(self, **kwargs):
        if not correcting():
            raise AppendOnlyError(
                f"{english_name(self.model)} are never changed in place; record a correction"
            )
        return super().update(**kwargs)


class ImmutableEvidenceModel(EvidenceModel):
    """Written once; changed only by a recorded correction, never deleted."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and not correcting():
            raise AppendOnlyError(
                f"{english_name(self)} are never changed in place; record a correction"
            )
        super().save(*args, **kwargs)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
