import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from audit.services import record as audit
from fieldwork.models import GraveSite, RemainsUnit, Sample
from identification.models import Identification, IdentificationStatus, MatchCandidate
from registry.models import MissingPerson

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
    user = request.user
    counts = {}
    if can(user, "registry.view"):
        counts["Missing persons"] = MissingPerson.objects.count()
    if can(user, "sites.view"):
        counts["Grave sites"] = GraveSite.objects.count()
        counts["Remains units"] = RemainsUnit.objects.count()
        counts["Samples"] = Sample.objects.count()
    if can(user, "matches.view"):
        counts["Match candidates"] = MatchCandidate.objects.count()
        counts["Awaiting confirmation"] = Identification.objects.filter(
            status=IdentificationStatus.PRELIMINARY).count()
        counts["Confirmed identifications"] = Identification.objects.filter(
            status=IdentificationStatus.CONFIRMED).count()
    return render(request, "accounts/dashboard.html", {"counts": counts})


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
        form.add_error("token", wait or "That code is not right. Codes change every 30 seconds: "
                                        "type the one shown now.")
    context = {"form": form, "enrolling": enrolling, "next": nxt}
    if enrolling:
        uri = device.config_url
        context.update(secret=second_factor.secret_base32(device),
                       qr=segno.make(uri, error="m").svg_data_uri(scale=4))
    return render(request, "accounts/second_factor.html", context)
