from django import forms

from nasab_site.forms import BoundedText
from nasab_site.identifiers import normalise
from nasab_site.labels import TranslatedForm

from .models import GraveSite, RemainsUnit, Sample, SampleKind, SiteAccess


class IdentifierFields:
    """Brings the identifier fields (``identifier_fields``) to the one format before the
    model's validator checks them: Arabic-Indic digits to Latin, spaces around dropped."""

    identifier_fields: tuple[str, ...] = ()

    def full_clean(self):
        if self.is_bound:
            self.data = self.data.copy()
            for name in self.identifier_fields:
                key = self.add_prefix(name)
                if key in self.data:
                    self.data[key] = normalise(self.data[key])
        super().full_clean()


class GraveSiteForm(TranslatedForm, BoundedText, IdentifierFields, forms.ModelForm):
    identifier_fields = ("code",)

    class Meta:
        model = GraveSite
        fields = [
            "code",
            "name",
            "governorate",
            "district",
            "latitude",
            "longitude",
            "location_description",
            "protection",
            "reported_on",
            "estimated_individuals",
        ]
        widgets = {"reported_on": forms.DateInput(attrs={"type": "date"})}


class StageForm(TranslatedForm, BoundedText, forms.Form):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RemainsForm(TranslatedForm, BoundedText, IdentifierFields, forms.ModelForm):
    identifier_fields = ("code",)
    place = forms.CharField(help_text="Where the remains were collected (for the custody log).")

    class Meta:
        model = RemainsUnit
        fields = [
            "code",
            "label_at_discovery",
            "position",
            "east_m",
            "north_m",
            "depth_cm",
            "completeness",
            "recovered_on",
            "notes",
        ]
        widgets = {"recovered_on": forms.DateInput(attrs={"type": "date"})}


class SampleForm(TranslatedForm, BoundedText, IdentifierFields, forms.ModelForm):
    identifier_fields = ("barcode",)
    place = forms.CharField(help_text="Where the sample was taken (for the custody log).")
    seal_id = forms.CharField(
        required=False,
        label="Seal id",
        help_text="If the sample is sealed at once, the seal's number.",
    )

    class Meta:
        model = Sample
        fields = ["barcode", "kind", "skeletal_element", "storage_location", "collected_on"]
        widgets = {"collected_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k, label)
            for k, label in SampleKind.choices
            if k in (SampleKind.BONE, SampleKind.TOOTH)
        ]


class ReferenceSampleForm(TranslatedForm, BoundedText, IdentifierFields, forms.ModelForm):
    identifier_fields = ("barcode",)
    place = forms.CharField(help_text="Where the swab was taken (for the custody log).")
    seal_id = forms.CharField(required=False, label="Seal id")

    class Meta:
        model = Sample
        fields = ["barcode", "kind", "storage_location", "collected_on"]
        widgets = {"collected_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k, label)
            for k, label in SampleKind.choices
            if k in (SampleKind.BUCCAL_SWAB, SampleKind.BLOOD_CARD)
        ]


class SiteAccessForm(TranslatedForm, BoundedText, forms.ModelForm):
    class Meta:
        model = SiteAccess
        fields = ["person_name", "organisation", "purpose", "entered_at", "left_at"]
        widgets = {
            "entered_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "left_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("left_at") and data.get("entered_at") and data["left_at"] < data["entered_at"]:
            self.add_error("left_at", "Leaving cannot be before entering.")
        return data
