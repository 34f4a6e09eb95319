"""Read-only admin: a portal case's status changes on the staff pages (audited), decisions on
duplicates through their services."""

from django.contrib import admin

from nasab_site.append_only import ReadOnlyAdmin

from .models import AccessAttempt, DuplicateDecision, PortalCase


@admin.register(PortalCase)
class PortalCaseAdmin(ReadOnlyAdmin):
    # The state a family sees is overridden only on the staff cases page (reason, audit).
    list_display = ("code", "status_override", "created_at", "language")
    list_filter = ("status_override",)
    search_fields = ("code",)
    exclude = ("secret_hash", "submission_token")


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "ip", "code", "success", "limited")
    list_filter = ("success", "limited")


@admin.register(DuplicateDecision)
class DuplicateDecisionAdmin(ReadOnlyAdmin):
    list_display = ("decided_at", "decision", "person_kept", "person_other", "decided_by")
