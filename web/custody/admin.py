from django.contrib import admin

from .models import CustodyEntry


@admin.register(CustodyEntry)
class CustodyEntryAdmin(admin.ModelAdmin):
    """Read-only: custody is recorded through the custody pages, never edited."""

    list_display = ["object_id", "sequence", "action", "actor", "recipient", "recorded_at", "seal_id"]
    search_fields = ["object_id", "actor", "seal_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
