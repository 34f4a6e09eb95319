from django import forms

from .models import MissingPerson


class MissingPersonForm(forms.ModelForm):
    class Meta:
        model = MissingPerson
        fields = ["name_ar", "name_latin", "given_name", "father_name", "grandfather_name",
                  "family_name", "mother_name", "sex", "birth_date", "birth_year", "governorate",
                  "district", "civil_registry_place", "civil_registry_number"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}),
                   "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"})}
