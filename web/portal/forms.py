"""Portal forms. Messages are translated; numbers may be typed in Arabic-Indic digits."""

from __future__ import annotations

import calendar
import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from nasab_site.validators import latest_today

from .labels import GOVERNORATES, RELATIONSHIPS, SEXES
from .models import CaseStatus
from .services import ARABIC_DIGITS

TEXT = {"dir": "auto", "autocomplete": "off"}


def _text(label, required=False, max_length=80, **kw):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=TEXT),
        **kw,
    )


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


class ApproximateDateField(forms.CharField):
    """A date as families know it: day, month and year; month and year; or the year alone.

    Cleans to ``(earliest, latest)``: ``2013`` is 1 January to 31 December 2013, ``2013-05``
    the whole of May 2013; a full date is that day. ``05/2013`` and ``21/05/2013`` are read
    too. Bounds in the future are cut at today; a date wholly in the future is refused.
    """

    default_error_messages = {
        "invalid": _(
            "Write the date as year-month-day (2013-05-21), year-month (2013-05) "
            "or just the year (2013)."
        ),
        "future": _("The date last seen cannot be in the future."),
        "early": _("Please check the date last seen."),
    }
    FORMATS = (
        (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
        (re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"), ("d", "m", "y")),
        (re.compile(r"(\d{4})-(\d{1,2})"), ("y", "m")),
        (re.compile(r"(\d{1,2})[/.](\d{4})"), ("m", "y")),
        (re.compile(r"(\d{4})"), ("y",)),
    )

    def __init__(self, *, earliest=datetime.date(1970, 1, 1), **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.earliest = earliest

    def to_python(self, value):
        text = super().to_python(value).strip()
        if text in self.empty_values:
            return None
        for pattern, parts in self.FORMATS:
            match = pattern.fullmatch(text)
            if match:
                found = dict(zip(parts, (int(g) for g in match.groups()), strict=True))
                break
        else:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = found["y"], found.get("m"), found.get("d")
        try:
            if month is None:
                first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            elif day is None:
                first = datetime.date(year, month, 1)
                last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            else:
                first = last = datetime.date(year, month, day)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        today = latest_today()
        if first > today:
            raise forms.ValidationError(self.error_messages["future"], code="future")
        if last < self.earliest:
            raise forms.ValidationError(self.error_messages["early"], code="early")
        return first, min(last, today)


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
        label=_("Year of birth"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "dir": "ltr"}),
        error_messages={"invalid": _("Write the year of birth as a number, for example 1990.")},
    )
    last_seen_date = ApproximateDateField(
        label=_("Date last seen"),
        help_text=_(
            "An approximate date is fine: the month and year (2013-05) or just the year (2013)."
        ),
        widget=forms.TextInput(
            attrs={
                "dir": "ltr",
                "inputmode": "numeric",
                "placeholder": "2013-05-21 / 2013-05 / 2013",
                "autocomplete": "off",
            }
        ),
        error_messages={"required": _("Give the date last seen; an approximate date is fine.")},
    )
    last_seen_place = _text(
        _("Place last seen"),
        required=True,
        max_length=200,
        error_messages={"required": _("Say where they were last seen.")},
    )
    governorate = forms.ChoiceField(label=_("Governorate"), choices=GOVERNORATES, required=False)
    last_seen_details = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    reporter_name = _text(
        _("Your name"),
        required=True,
        max_length=200,
        error_messages={"required": _("Please give your name.")},
    )
    reporter_contact = _text(_("Phone or e-mail to reach you"), max_length=200)
    relationship = forms.ChoiceField(label=_("You are the missing person's"), choices=RELATIONSHIPS)
    share_partners = forms.BooleanField(
        label=_(
            "The identification team may share what I report with partner humanitarian "
            "organisations who search for the missing."
        ),
        required=False,
    )
    share_other_reporters = forms.BooleanField(
        label=_(
            "If other relatives report the same person, the team may tell them that I reported too."
        ),
        required=False,
    )
    court_consent = forms.BooleanField(
        label=_(
            "Separately: what I report and any sample from my family may be used as "
            "evidence in court."
        ),
        required=False,
    )
    notify = forms.BooleanField(
        label=_("Send me the case code by SMS or e-mail (never the secret)."), required=False
    )

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is None:
            return None
        this_year = latest_today().year
        if year > this_year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        if year < this_year - 110:
            raise forms.ValidationError(
                _("That would make the person older than 110 years; please check the year.")
            )
        return year

    def clean(self):
        data = super().clean()
        if not (data.get("given_name") or data.get("given_name_latin")):
            raise forms.ValidationError(
                _("Give the missing person's given name, in Arabic script or in Latin letters.")
            )
        year, seen = data.get("birth_year"), data.get("last_seen_date")
        if year and seen and year > seen[1].year:
            self.add_error(
                "birth_year", _("The year of birth is after the date last seen; please check.")
            )
        return data


class AccessForm(forms.Form):
    code = _text(_("Case code"), required=True, max_length=40)
    secret = forms.CharField(
        label=_("Secret"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class RelativeForm(forms.Form):
    name_ar = _text(_("Name (Arabic script)"), max_length=200)
    name_latin = _text(_("Name (Latin letters)"), max_length=200)
    relationship = forms.ChoiceField(
        label=_("Relationship to the missing person"), choices=RELATIONSHIPS
    )
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
    clothing = forms.CharField(
        label=_("Clothing when last seen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    marks = forms.CharField(
        label=_("Scars, tattoos, birthmarks, other distinguishing marks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    medical = forms.CharField(
        label=_("Medical history (fractures, operations, implants)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    dental = forms.CharField(
        label=_("Dental history (missing teeth, fillings, crowns)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class DigitsForm(forms.Form):
    digits = forms.ChoiceField(choices=[("arab", "٠١٢"), ("latn", "012")])


class DecisionForm(forms.Form):
    person_a = forms.IntegerField(widget=forms.HiddenInput)
    person_b = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.FloatField(required=False, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("merge", _("Merge")), ("reject", _("Not the same person"))]
    )
    reason = forms.CharField(label=_("Why"), max_length=1000)


class CaseStatusForm(forms.Form):
    case = forms.IntegerField()
    status = forms.ChoiceField(
        choices=[("", "Follow the case (no override)")] + list(CaseStatus.choices), required=False
    )
    reason = forms.CharField(max_length=1000)


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=1000)


class PFIFForm(forms.Form):
    file = forms.FileField(label=_("PFIF 1.4 file (XML)"))


class SecretResetForm(forms.Form):
    identity_checked = forms.CharField(
        label="How the identity was checked",
        max_length=500,
        help_text="e.g. national ID card seen at the family centre; the reporter named in the "
        "report answered the case's questions by phone.",
    )
    reason = forms.CharField(
        label="Why the secret is reset", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
