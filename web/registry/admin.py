"""Read-only admin: the missing, their families and consents change through the registry's
pages and services (consent withdrawal, corrections), never by editing rows here."""

from django.contrib import admin

from nasab_site.append_only import ReadOnlyAdmin, ReadOnlyInline

from .models import Consent, ConsentSharing, DisappearanceEvent, MissingPerson, Relative, Report


class DisappearanceInline(ReadOnlyInline):
    model = DisappearanceEvent


class ReportInline(ReadOnlyInline):
    model = Report


@admin.register(MissingPerson)
class MissingPersonAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "name_ar", "name_latin", "sex", "birth_year", "governorate"]
    search_fields = ["case_number", "name_ar", "name_latin", "family_name"]
    list_filter = ["governorate", "sex"]
    inlines = [DisappearanceInline, ReportInline]


class ConsentSharingInline(ReadOnlyInline):
    model = ConsentSharing


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["relative", "text_version", "language", "signed_on", "withdrawn_at"]
    inlines = [ConsentSharingInline]


@admin.register(Relative)
class RelativeAdmin(ReadOnlyAdmin):
    list_display = [
        "name_ar",
        "name_latin",
        "person",
        "claimed_relationship",
        "relationship_validated",
    ]
    search_fields = ["name_ar", "name_latin", "person__case_number"]
