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
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") \
            else "/" + settings.STATIC_URL
        if not request.path.startswith(static):
            cache = response.get("Cache-Control", "")
            if "no-store" not in cache:
                response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
