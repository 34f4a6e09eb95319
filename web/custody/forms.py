from django import forms
from django.utils.translation import gettext_lazy as _

from nasab.custody.chain import ACTIONS
from nasab_site.labels import ACTION_LABELS, TranslatedForm


class RecordForm(TranslatedForm, forms.Form):
    action = forms.ChoiceField(choices=[(a, ACTION_LABELS[a]) for a in ACTIONS if a != "collected"])
    place = forms.CharField(max_length=200)
    seal_id = forms.CharField(
        max_length=60,
        required=False,
        label="Seal id",
        help_text="For sealing, opening, and transfers/receipts under seal.",
    )
    recipient = forms.CharField(
        max_length=150, required=False, help_text="Username of who receives it (transfers only)."
    )
    content_hash = forms.RegexField(
        regex=r"^([0-9a-f]{64})?$",
        required=False,
        label="Content SHA-256",
        help_text="SHA-256 of an attached document or photograph, if any.",
        error_messages={"invalid": "Give 64 lower-case hex digits."},
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == "transferred" and not data.get("recipient"):
            self.add_error("recipient", _("A transfer names who receives the object."))
        if data.get("action") in ("sealed", "opened") and not data.get("seal_id"):
            self.add_error("seal_id", _("Give the seal's number."))
        return data
