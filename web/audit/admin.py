from django.contrib import admin

from nasab_site.append_only import ReadOnlyAdmin

from .models import AuditEvent, Correction


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["username", "object_id"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "object_type", "object_pk", "reason"]
    search_fields = ["username", "object_pk", "reason"]
