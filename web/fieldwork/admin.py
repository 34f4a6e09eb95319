from django.contrib import admin

from .models import GraveSite, RemainsUnit, Sample, SiteAccess


class SiteAccessInline(admin.TabularInline):
    model = SiteAccess
    extra = 0


@admin.register(GraveSite)
class GraveSiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "governorate", "stage", "protection"]
    list_filter = ["stage", "protection", "governorate"]
    readonly_fields = ["stage"]  # stages move through fieldwork.services.advance_stage
    inlines = [SiteAccessInline]


@admin.register(RemainsUnit)
class RemainsUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "site", "label_at_discovery", "completeness"]
    search_fields = ["code", "label_at_discovery"]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ["barcode", "kind", "skeletal_element", "remains", "donor", "consumed"]
    search_fields = ["barcode"]
    raw_id_fields = ["remains", "donor", "parent_sample"]
    readonly_fields = ["consumed"]  # set by the custody entry 'consumed', never by hand
