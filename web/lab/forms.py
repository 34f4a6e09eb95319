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


class SNPImportForm(forms.Form):
    panel = forms.FileField(
        label=_("SNP panel file"),
        help_text=_(
            "The panel the calls were made against (e.g. FORCE_freqs.tsv): two rows per SNP, "
            "with chromosome, position, sex-specific map and allele frequencies."
        ),
    )
    panel_x = forms.FileField(
        label=_("Second panel file (X chromosome)"),
        required=False,
        help_text=_("Optional, e.g. XFORCE_freqs.tsv; read together with the first."),
    )
    calls = forms.FileField(
        label=_("SNP calls"),
        help_text=_(
            "A table (first column 'id' with the sample barcode, then one column per SNP; "
            "calls A/G, 0/1/2 or - for no call) or a VCF with one column per sample barcode."
        ),
    )
    lab = forms.CharField(label=_("Laboratory"), max_length=120)
    supersede_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason for superseding earlier SNP calls"),
        help_text=_(
            "Only when this file re-types samples that already have different SNP calls; "
            "the earlier calls are kept but no longer used. Leave empty otherwise."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_snp_%s")  # beside the profile form on one page
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        limit = settings.NASAB_SNP_IMPORT_MAX_BYTES
        for name in ("panel", "panel_x", "calls"):
            upload = data.get(name)
            if upload is not None and upload.size > limit:
                self.add_error(name, _("The file is larger than the import limit."))
        return data
