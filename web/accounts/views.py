import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from audit.services import record as audit
from identification import workbench

from . import second_factor


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].translate(second_factor.LATIN_DIGITS).replace(" ", "")


@login_required
def dashboard(request):
    """The user's work queues, one per task their roles hold."""
    return render(
        request,
        "accounts/dashboard.html",
        {"queues": workbench.queues(request.user)},
    )


@login_required
def second_factor_page(request):
    """Confirm this login with a TOTP code; enrol an authenticator app the first time."""
    user = request.user
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        nxt = ""
    if not second_factor.required_for(user) or user.is_verified():
        return redirect(nxt or "dashboard")
    device = second_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = second_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, wait = second_factor.check(device, form.cleaned_data["token"])
        if ok:
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit(request, "enrol_second_factor", object_type="user", object_id=user.username)
            otp_login(request, device)
            return redirect(nxt or "dashboard")
        audit(request, "second_factor_failed", object_type="user", object_id=user.username)
        form.add_error(
            "token",
            wait
            or gettext(
                "That code is not right. Codes change every 30 seconds: type the one shown now."
            ),
        )
    context = {"form": form, "enrolling": enrolling, "next": nxt}
    if enrolling:
        uri = device.config_url
        context.update(
            secret=second_factor.secret_base32(device),
            qr=segno.make(uri, error="m").svg_data_uri(scale=4),
        )
    return render(request, "accounts/second_factor.html", context)
