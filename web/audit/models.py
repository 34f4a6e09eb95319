"""Who looked at or exported what: kept in its own table, apart from the data it describes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from nasab_site.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    VIEW_PROFILE = "view_profile", "Viewed a DNA profile"
    IMPORT_PROFILES = "import_profiles", "Imported DNA profiles"
    EXPORT_PROFILES = "export_profiles", "Exported DNA profiles"
    EXPORT_CUSTODY = "export_custody", "Exported a custody bundle"
    VERIFY_CUSTODY = "verify_custody", "Verified the chain of custody"
    CONFIRM_IDENTIFICATION = "decide_identification", "Decided on an identification"
    CHANGE_ROLES = "change_roles", "Changed a user's roles"
    RUN_MATCHING = "run_matching", "Compared profiles (matching job)"
    QUEUE_MATCHING = "queue_matching", "Queued a matching job"
    EXPORT_REPORT = "export_report", "Exported an identification report"
    PORTAL_STATUS = "portal_status", "Set the state a family sees"


class AuditEvent(AppendOnlyModel):
    """An append-only audit record. The user is stored by name so the log outlives accounts."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        db_table = "audit_event"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"
