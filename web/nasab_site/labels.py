"""Form labels and help texts of the staff pages, in the reader's language.

Model fields keep their English verbose names (so migrations do not change); the staff
forms take their labels from here by field name (:class:`TranslatedForm`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "name_ar": _("Name in Arabic script"),
    "name_latin": _("Name in Latin letters"),
    "given_name": _("Given name"),
    "father_name": _("Father's name"),
    "grandfather_name": _("Grandfather's name"),
    "family_name": _("Family name"),
    "mother_name": _("Mother's name"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "birth_year": _("Year of birth"),
    "governorate": _("Governorate"),
    "district": _("District"),
    "civil_registry_place": _("Civil registry place"),
    "civil_registry_number": _("Civil registry number"),
    "date_from": _("Earliest date"),
    "date_to": _("Latest date"),
    "place": _("Place"),
    "circumstances": _("Circumstances"),
    "narrative": _("Account"),
    "reporter_name": _("Reporter's name"),
    "reporter_contact": _("Reporter's contact"),
    "relationship": _("Relationship to the missing person"),
    "reported_on": _("Reported on"),
    "notes": _("Notes"),
    "claimed_relationship": _("Claimed relationship"),
    "relationship_validated": _("Relationship validated"),
    "validation_note": _("Validation note"),
    "father": _("Father"),
    "mother": _("Mother"),
    "deceased": _("Deceased"),
    "for_identification": _("For identification"),
    "for_court": _("For court proceedings"),
    "text_version": _("Consent form version"),
    "language": _("Language"),
    "signed_on": _("Signed on"),
    "share_with": _("May be shared with"),
    "reason": _("Reason"),
    "code": _("Code"),
    "name": _("Name"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "location_description": _("Location description"),
    "protection": _("Protection"),
    "estimated_individuals": _("Estimated individuals"),
    "note": _("Note"),
    "label_at_discovery": _("Label at discovery"),
    "position": _("Position"),
    "east_m": _("Metres east of the datum"),
    "north_m": _("Metres north of the datum"),
    "depth_cm": _("Depth (cm)"),
    "completeness": _("Completeness"),
    "recovered_on": _("Recovered on"),
    "barcode": _("Barcode"),
    "kind": _("Kind"),
    "skeletal_element": _("Skeletal element"),
    "storage_location": _("Storage location"),
    "collected_on": _("Collected on"),
    "seal_id": _("Seal number"),
    "person_name": _("Name"),
    "organisation": _("Organisation"),
    "purpose": _("Purpose"),
    "entered_at": _("Entered"),
    "left_at": _("Left"),
    "action": _("Action"),
    "recipient": _("Recipient"),
    "content_hash": _("Content SHA-256"),
    "relative": _("Relative told"),
    "notified_on": _("Told on"),
    "method": _("How"),
    "support_offered": _("Support offered"),
}

HELP = {
    "birth_year": _("When only the year is known."),
    "civil_registry_place": _("Place of the family's civil registry entry (qayd)."),
    "validation_note": _("Documents seen, interviews."),
    "text_version": _("Version of the consent form."),
    "share_with": _("Named recipients the donor allows sharing with, one per line."),
    "position": _("Grid square, trench, layer."),
    "east_m": _("Metres east of the site's datum point, where recorded."),
    "north_m": _("Metres north of the site's datum point, where recorded."),
    "seal_id": _("The seal's number, for sealing, opening, and transfers or receipts under seal."),
    "recipient": _("Username of who receives it (transfers only)."),
    "content_hash": _("SHA-256 of an attached document or photograph, if any."),
    "support_offered": _("Psychosocial support, repatriation of remains."),
}
PLACE_HELP = _("Where it happened (for the custody log).")
# Help texts the models give, by their English text (several fields share a name).
HELP_BY_TEXT = {
    "e.g. GS-001: Latin letters, digits, - . _ between them.": _(
        "e.g. GS-001: Latin letters, digits, - . _ between them."
    ),
    "Registry code, e.g. GS-001-R0007.": _("Registry code, e.g. GS-001-R0007."),
    "As printed on the label: Latin letters, digits, - . _": _(
        "As printed on the label: Latin letters, digits, - . _"
    ),
    "Named organisation or laboratory.": _("Named organisation or laboratory."),
}


class TranslatedForm:
    """Mixin: labels and help texts by field name from :data:`LABELS` and :data:`HELP`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name]
            if name in HELP:
                field.help_text = HELP[name]
            elif name == "place":
                field.help_text = PLACE_HELP
            elif str(field.help_text) in HELP_BY_TEXT:
                field.help_text = HELP_BY_TEXT[str(field.help_text)]


# Custody actions as a reader says them (the chain stores the English verb).
ACTION_LABELS = {
    "collected": _("collected"),
    "sealed": _("sealed"),
    "transferred": _("transferred"),
    "received": _("received"),
    "opened": _("opened"),
    "subsampled": _("subsampled"),
    "consumed": _("consumed"),
    "destroyed": _("destroyed"),
}
