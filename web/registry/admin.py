from django.contrib import admin

from .models import Consent, ConsentSharing, DisappearanceEvent, MissingPerson, Relative, Report


class DisappearanceInline(admin.TabularInline):
    model = DisappearanceEvent
    extra = 0


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0


@admin.register(MissingPerson)
class MissingPersonAdmin(admin.ModelAdmin):
    list_display = ["case_number", "name_ar", "name_latin", "sex", "birth_year", "governorate"]
    search_fields = ["case_number", "name_ar", "name_latin", "family_name"]
    list_filter = ["governorate", "sex"]
    inlines = [DisappearanceInline, ReportInline]


class ConsentSharingInline(admin.TabularInline):
    model = ConsentSharing
    extra = 0


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["relative", "text_version", "language", "signed_on", "withdrawn_at"]
    inlines = [ConsentSharingInline]


@admin.register(Relative)
class RelativeAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_latin", "person", "claimed_relationship", "relationship_validated"]
    search_fields = ["name_ar", "name_latin", "person__case_number"]
    raw_id_fields = ["person", "father", "mother"]
