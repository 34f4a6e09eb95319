import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from audit.services import record as audit
from identification import workbench

from . import second_factor
from .roles import can


class TokenForm(forms.Form):
    token = forms.CharField(label="Six-digit code", max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "numeric", "autofocus": True}))

    def clean_token(self):
        return self.cleaned_data["token"].translate(second_factor.LATIN_DIGITS).replace(" ", "")


@login_required
def dashboard(request):
    """The user's work queues, one per task their roles hold."""
    return render(request, "accounts/dashboard.html", {"queues": workbench.queues(request.user)})
