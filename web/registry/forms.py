from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nasab_site.forms import BoundedText
from nasab_site.labels import TranslatedForm

from . import services
from .models import Consent, DisappearanceEvent, MissingPerson, Relative, Report

DATE = forms.DateInput(attrs={"type": "date"})
ARABIC = forms.TextInput(attrs={"dir": "rtl", "lang": "ar"})


class MissingPersonForm(TranslatedForm, BoundedText, forms.ModelForm):
    class Meta:
        model = MissingPerson
        fields = [
            "name_ar",
            "name_latin",
            "given_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "mother_name",
            "sex",
            "birth_date",
            "birth_year",
            "governorate",
            "district",
            "civil_registry_place",
            "civil_registry_number",
        ]
        widgets = {"birth_date": DATE, "name_ar": ARABIC}


class DisappearanceForm(TranslatedForm, BoundedText, forms.ModelForm):
    class Meta:
        model = DisappearanceEvent
        fields = ["date_from", "date_to", "place", "governorate", "circumstances", "narrative"]
        widgets = {"date_from": DATE, "date_to": DATE}

    def clean(self):
        data = super().clean()
        if data.get("date_to") and data.get("date_from") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The latest date cannot be before the earliest.")
        return data


class ReportForm(TranslatedForm, BoundedText, forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reporter_name", "reporter_contact", "relationship", "reported_on", "notes"]
        widgets = {"reported_on": DATE}


class RelativeForm(TranslatedForm, BoundedText, forms.ModelForm):
    class Meta:
        model = Relative
        fields = [
            "name_ar",
            "name_latin",
            "sex",
            "claimed_relationship",
            "relationship_validated",
            "validation_note",
            "father",
            "mother",
            "deceased",
        ]
        widgets = {"name_ar": ARABIC}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        family = Relative.objects.filter(person_id=self.instance.person_id)
        self.fields["father"].queryset = family.filter(sex="M")
        self.fields["mother"].queryset = family.filter(sex="F")

    def clean(self):
        data = super().clean()
        # The person who ticks "validated" is the one who validated it.
        self.instance.validated_by = self.user if data.get("relationship_validated") else None
        return data


class ConsentForm(TranslatedForm, BoundedText, forms.ModelForm):
    share_with = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Named recipients the donor allows sharing with, one per line.",
    )

    class Meta:
        model = Consent
        fields = ["for_identification", "for_court", "text_version", "language", "signed_on"]
        widgets = {"signed_on": DATE}

    def clean_share_with(self):
        names = [
            line.strip() for line in self.cleaned_data["share_with"].splitlines() if line.strip()
        ]
        if len(set(names)) != len(names):
            raise forms.ValidationError("A recipient is named twice.")
        return names


class WithdrawForm(TranslatedForm, BoundedText, forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MissingPlaceForm(TranslatedForm, BoundedText, forms.Form):
    """Which missing person this member of the pedigree is (a family that reports several
    missing): a case number, or empty to say he is not missing; a recorded correction."""

    missing_person = forms.CharField(required=False, max_length=40)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, relative: Relative, **kwargs):
        super().__init__(*args, **kwargs)
        self.relative = relative
        if not self.is_bound and relative.missing_person_id:
            self.initial["missing_person"] = relative.missing_person.case_number

    def clean_missing_person(self):
        code = self.cleaned_data["missing_person"].strip()
        if not code:
            return None
        person = MissingPerson.objects.filter(case_number__iexact=code).first()
        if person is None:
            raise ValidationError(
                _("No missing person has the case number %(case)s.") % {"case": code}
            )
        services.check_missing_place(self.relative, person)
        return person

    def clean(self):
        data = super().clean()
        if "missing_person" in data and data["missing_person"] == self.relative.missing_person:
            raise ValidationError(_("This is what is recorded already."))
        return data
