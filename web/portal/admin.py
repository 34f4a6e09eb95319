from django.contrib import admin

from .models import AccessAttempt, DuplicateDecision, PortalCase


@admin.register(PortalCase)
class PortalCaseAdmin(admin.ModelAdmin):
    # The state a family sees is overridden only on the staff cases page (reason, audit).
    list_display = ("code", "status_override", "created_at", "language")
    list_filter = ("status_override",)
    search_fields = ("code",)
    exclude = ("secret_hash", "submission_token")
    readonly_fields = ("code", "report", "antemortem", "created_at", "updated_at",
                       "share_partners", "share_other_reporters", "court_consent", "language",
                       "status_override", "override_reason", "override_by", "override_at")


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    list_display = ("at", "ip", "code", "success", "limited")
    list_filter = ("success", "limited")


@admin.register(DuplicateDecision)
class DuplicateDecisionAdmin(admin.ModelAdmin):
    list_display = ("decided_at", "decision", "person_kept", "person_other", "decided_by")
