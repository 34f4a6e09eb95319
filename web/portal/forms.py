"""Portal forms. Messages are translated; numbers may be typed in Arabic-Indic digits."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .labels import GOVERNORATES, RELATIONSHIPS, SEXES
from .models import CaseStatus
from .services import ARABIC_DIGITS

TEXT = {"dir": "auto", "autocomplete": "off"}


def _text(label, required=False, max_length=80, **kw):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=TEXT), **kw)


class LatinDigitsMixin:
    """Accept ٠١٢٣ as well as 0123 in every field."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data", args[0] if args else None)
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                values = [v.translate(ARABIC_DIGITS) if isinstance(v, str) else v for v in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, values)
                else:
                    data[key] = values[0]
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)


class ReportForm(LatinDigitsMixin, forms.Form):
    given_name = _text(_("Given name (Arabic script)"))
    father_name = _text(_("Father's name (Arabic script)"))
    grandfather_name = _text(_("Grandfather's name (Arabic script)"))
    family_name = _text(_("Family name (Arabic script)"))
    given_name_latin = _text(_("Given name (Latin letters)"))
    father_name_latin = _text(_("Father's name (Latin letters)"))
    grandfather_name_latin = _text(_("Grandfather's name (Latin letters)"))
    family_name_latin = _text(_("Family name (Latin letters)"))
    mother_name = _text(_("Mother's name"), max_length=160)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEXES, initial="U")
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "dir": "ltr"}),
        error_messages={"invalid": _("Write the year of birth as a number, for example 1990.")})
    last_seen_date = forms.DateField(
        label=_("Date last seen"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}),
        error_messages={"invalid": _("Write the date as year-month-day, for example 2013-05-21."),
                        "required": _("Give the date last seen; an approximate date is fine.")})
    last_seen_place = _text(_("Place last seen"), required=True, max_length=200,
                            error_messages={"required": _("Say where they were last seen.")})
    governorate = forms.ChoiceField(label=_("Governorate"), choices=GOVERNORATES, required=False)
    last_seen_details = forms.CharField(
        label=_("What happened (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    reporter_name = _text(_("Your name"), required=True, max_length=200,
                          error_messages={"required": _("Please give your name.")})
    reporter_contact = _text(_("Phone or e-mail to reach you"), max_length=200)
    relationship = forms.ChoiceField(label=_("You are the missing person's"),
                                     choices=RELATIONSHIPS)
    share_partners = forms.BooleanField(
        label=_("The identification team may share what I report with partner humanitarian "
                "organisations who search for the missing."), required=False)
    share_other_reporters = forms.BooleanField(
        label=_("If other relatives report the same person, the team may tell them that I "
                "reported too."), required=False)
    court_consent = forms.BooleanField(
        label=_("Separately: what I report and any sample from my family may be used as "
                "evidence in court."), required=False)
    notify = forms.BooleanField(
        label=_("Send me the case code by SMS or e-mail (never the secret)."), required=False)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is None:
            return None
        this_year = timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        if year < this_year - 110:
            raise forms.ValidationError(
                _("That would make the person older than 110 years; please check the year."))
        return year

    def clean_last_seen_date(self):
        day = self.cleaned_data["last_seen_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date last seen cannot be in the future."))
        if day < datetime.date(1970, 1, 1):
            raise forms.ValidationError(_("Please check the date last seen."))
        return day

    def clean(self):
        data = super().clean()
        if not (data.get("given_name") or data.get("given_name_latin")):
            raise forms.ValidationError(
                _("Give the missing person's given name, in Arabic script or in Latin letters."))
        year, day = data.get("birth_year"), data.get("last_seen_date")
        if year and day and year > day.year:
            self.add_error("birth_year",
                           _("The year of birth is after the date last seen; please check."))
        return data


class AccessForm(forms.Form):
    code = _text(_("Case code"), required=True, max_length=40)
    secret = forms.CharField(label=_("Secret"), max_length=64,
                             widget=forms.PasswordInput(attrs={"autocomplete": "off", "dir": "ltr"}))


class RelativeForm(forms.Form):
    name_ar = _text(_("Name (Arabic script)"), max_length=200)
    name_latin = _text(_("Name (Latin letters)"), max_length=200)
    relationship = forms.ChoiceField(label=_("Relationship to the missing person"),
                                     choices=RELATIONSHIPS)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEXES, initial="U")
    deceased = forms.BooleanField(label=_("Has died (cannot give a sample)"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("name_ar") or data.get("name_latin")):
            raise forms.ValidationError(_("Give the relative's name."))
        return data


class AntemortemForm(forms.Form):
    height = _text(_("Height"), max_length=40)
    build = _text(_("Build"), max_length=80)
    hair = _text(_("Hair (colour, length)"), max_length=120)
    eyes = _text(_("Eye colour"), max_length=40)
    clothing = forms.CharField(label=_("Clothing when last seen"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
    marks = forms.CharField(label=_("Scars, tattoos, birthmarks, other distinguishing marks"),
                            required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
    medical = forms.CharField(label=_("Medical history (fractures, operations, implants)"),
                              required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
    dental = forms.CharField(label=_("Dental history (missing teeth, fillings, crowns)"),
                             required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))


class DigitsForm(forms.Form):
    digits = forms.ChoiceField(choices=[("arab", "٠١٢"), ("latn", "012")])


class DecisionForm(forms.Form):
    person_a = forms.IntegerField(widget=forms.HiddenInput)
    person_b = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.FloatField(required=False, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("merge", "Merge"), ("reject", "Not the same person")])
    reason = forms.CharField(label="Why", max_length=1000)


class CaseStatusForm(forms.Form):
    case = forms.IntegerField()
    status = forms.ChoiceField(choices=CaseStatus.choices)


class UndoForm(forms.Form):
    reason = forms.CharField(label="Why", max_length=1000)


class PFIFForm(forms.Form):
    file = forms.FileField(label="PFIF 1.4 file (XML)")
