"""Read-only admin: candidates come from the engine, decisions and notifications from their
services, reports are issued documents; none is added, changed or deleted here."""

from django.contrib import admin

from nasab_site.append_only import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    FamilyNotification,
    Identification,
    IdentificationDecision,
    IdentificationReport,
    MatchCandidate,
)


@admin.register(MatchCandidate)
class MatchCandidateAdmin(ReadOnlyAdmin):
    list_display = ["remains", "person", "likelihood_ratio", "posterior", "engine_version"]


class DecisionInline(ReadOnlyInline):
    model = IdentificationDecision


class ReportInline(ReadOnlyInline):
    model = IdentificationReport
    exclude = ["pdf"]


@admin.register(Identification)
class IdentificationAdmin(ReadOnlyAdmin):
    list_display = [
        "candidate",
        "status",
        "analyst",
        "confirmed_by",
        "confirmed_at",
        "inputs_changed_at",
    ]
    list_filter = ["status"]
    inlines = [DecisionInline, ReportInline]


@admin.register(FamilyNotification)
class FamilyNotificationAdmin(ReadOnlyAdmin):
    list_display = ["identification", "relative", "notified_on", "method"]
