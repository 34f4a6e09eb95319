"""Read-only admin: sites, remains and samples change through the fieldwork pages and services
(stage changes, custody), and corrections through :func:`audit.corrections.correct`."""

from django.contrib import admin

from nasab_site.append_only import ReadOnlyAdmin, ReadOnlyInline

from .models import GraveSite, RemainsUnit, Sample, SiteAccess, SiteStageChange


class SiteAccessInline(ReadOnlyInline):
    model = SiteAccess


class StageChangeInline(ReadOnlyInline):
    model = SiteStageChange


@admin.register(GraveSite)
class GraveSiteAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "governorate", "stage", "protection"]
    list_filter = ["stage", "protection", "governorate"]
    inlines = [StageChangeInline, SiteAccessInline]


@admin.register(RemainsUnit)
class RemainsUnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "site", "label_at_discovery", "completeness"]
    search_fields = ["code", "label_at_discovery"]


@admin.register(Sample)
class SampleAdmin(ReadOnlyAdmin):
    list_display = ["barcode", "kind", "skeletal_element", "remains", "donor", "consumed"]
    search_fields = ["barcode"]
