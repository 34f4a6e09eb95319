from django.contrib import admin

from nasab_site.append_only import ReadOnlyAdmin

from .models import CustodyEntry


@admin.register(CustodyEntry)
class CustodyEntryAdmin(ReadOnlyAdmin):
    """Read-only: custody is recorded through the custody pages, never edited."""

    list_display = [
        "object_id",
        "sequence",
        "action",
        "actor",
        "recipient",
        "recorded_at",
        "seal_id",
    ]
    search_fields = ["object_id", "actor", "seal_id"]
