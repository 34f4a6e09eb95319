"""Headers every response carries: a Content-Security-Policy without inline script or
style, and ``Cache-Control: no-store`` on everything the application itself answers
(pages and files with personal or genetic data must not stay in a browser's or a proxy's
cache; static files, served by the web server, are not concerned)."""

from __future__ import annotations

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "NASAB_CSP", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        static = (
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        )
        if not request.path.startswith(static):
            cache = response.get("Cache-Control", "")
            if "no-store" not in cache:
                response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


def constraint_message(exc: Exception) -> str | None:
    """The readable message of the model constraint named in a database error, if any."""
    from django.apps import apps

    text = str(exc)
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name in text:
                custom = constraint.violation_error_message
                if custom and custom != constraint.default_violation_error_message:
                    return str(custom)
    return None


class ReadableDatabaseErrorsMiddleware:
    """A database constraint that fires despite the forms' checks (two people saving at
    once) answers with a readable page, not a raw constraint name or a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import IntegrityError
        from django.shortcuts import render

        if not isinstance(exception, IntegrityError):
            return None
        message = constraint_message(exception) or (
            "It conflicts with a record already in the registry (for example the same code twice)."
        )
        return render(request, "conflict.html", {"message": message}, status=409)
