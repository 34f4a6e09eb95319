from django.contrib import admin

from .models import FamilyNotification, MatchCandidate


@admin.register(MatchCandidate)
class MatchCandidateAdmin(admin.ModelAdmin):
    list_display = ["remains", "person", "likelihood_ratio", "posterior", "engine_version"]


@admin.register(FamilyNotification)
class FamilyNotificationAdmin(admin.ModelAdmin):
    list_display = ["identification", "relative", "notified_on", "method"]
