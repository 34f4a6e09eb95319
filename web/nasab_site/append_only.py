"""Append-only storage for records that must never change once written.

Custody entries and audit events use these: the model refuses ``save()`` of an existing row
and ``delete()``, the queryset refuses bulk ``update()``/``delete()``, the admin shows them
read-only, and database triggers (custody migration 0002) refuse UPDATE and DELETE.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only; add a new record")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only and cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only; add a new record")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only and cannot be deleted")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin pages that list and show records but can neither add, change nor delete them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
