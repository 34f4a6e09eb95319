from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import QualityStatus


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Tab-separated: 'barcode', then one column per marker, "
            "cells 'a/b' (e.g. 15/16); empty or '-' if not typed."
        ),
    )
    kit = forms.CharField(label=_("Kit"), max_length=80)
    lab = forms.CharField(label=_("Laboratory"), max_length=120)
    quality_status = forms.ChoiceField(
        label=_("Quality status"), choices=QualityStatus.choices, initial=QualityStatus.PENDING
    )
    supersede_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason for superseding earlier profiles"),
        help_text=_(
            "Only when this file re-types samples that already have a different profile "
            "(e.g. re-extraction after contamination): the new profile replaces the old "
            "one, which is kept but no longer used. Leave empty otherwise."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.NASAB_PROFILE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the import limit."))
        return upload


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("identification", _("Identification")), ("court", _("Court"))],
    )
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=200,
        required=False,
        help_text=_("Named recipient; only donors who allowed sharing with them are included."),
    )
