from django.contrib import admin

from .models import AccessAttempt, DuplicateDecision, PortalCase


@admin.register(PortalCase)
class PortalCaseAdmin(admin.ModelAdmin):
    list_display = ("code", "status", "created_at", "language")
    list_editable = ("status",)
    list_filter = ("status",)
    search_fields = ("code",)
    exclude = ("secret_hash", "submission_token")
    readonly_fields = ("code", "report", "antemortem", "created_at", "updated_at",
                       "share_partners", "share_other_reporters", "court_consent", "language")


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    list_display = ("at", "ip", "code", "success", "limited")
    list_filter = ("success", "limited")


@admin.register(DuplicateDecision)
class DuplicateDecisionAdmin(admin.ModelAdmin):
    list_display = ("decided_at", "decision", "person_kept", "person_other", "decided_by")
