"""Send a user who must confirm with a second factor, and has not yet in this session, to
the confirmation (or enrolment) page before any other page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor

OPEN_PREFIXES = ("/static/", "/i18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and second_factor.required_for(user) and not user.is_verified():
            allowed = {reverse("second_factor"), reverse("logout"), reverse("login")}
            if request.path not in allowed and not request.path.startswith(OPEN_PREFIXES):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('second_factor')}?{query}")
        return self.get_response(request)
