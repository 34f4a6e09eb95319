"""Plain-word, translated labels for the registry's codes, as families read them."""

from django.utils.translation import gettext_lazy as _

RELATIONSHIPS = [
    ("mother", _("Mother")),
    ("father", _("Father")),
    ("full_sibling", _("Brother or sister")),
    ("child", _("Son or daughter")),
    ("spouse", _("Wife or husband")),
    ("half_sibling_paternal", _("Half-brother or half-sister (same father)")),
    ("half_sibling_maternal", _("Half-brother or half-sister (same mother)")),
    ("grandparent", _("Grandparent")),
    ("uncle_aunt", _("Uncle or aunt")),
    ("cousin", _("First cousin")),
    ("other", _("Other")),
]
RELATIONSHIP = dict(RELATIONSHIPS)
SEXES = [("M", _("Male")), ("F", _("Female")), ("U", _("Not known"))]
GOVERNORATES = [
    ("", _("Not known")),
    ("damascus", _("Damascus")),
    ("rif_dimashq", _("Rif Dimashq")),
    ("aleppo", _("Aleppo")),
    ("homs", _("Homs")),
    ("hama", _("Hama")),
    ("latakia", _("Latakia")),
    ("tartus", _("Tartus")),
    ("idlib", _("Idlib")),
    ("raqqa", _("Raqqa")),
    ("deir_ez_zor", _("Deir ez-Zor")),
    ("hasakah", _("Al-Hasakah")),
    ("daraa", _("Daraa")),
    ("suwayda", _("As-Suwayda")),
    ("quneitra", _("Quneitra")),
]
