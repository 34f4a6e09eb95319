"""Deployment checks of our own (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxy_header(app_configs, **kwargs):
    """Behind the HTTPS reverse proxy every request connects from the proxy: without the
    header that carries the client's address, the portal's per-address lock-out would
    lock out every family at once."""
    if getattr(settings, "HTTPS", False) and not settings.NASAB_TRUSTED_PROXY_HEADER:
        return [
            Warning(
                "NASAB_HTTPS=1 but NASAB_TRUSTED_PROXY_HEADER is not set: behind a reverse proxy "
                "all clients share the proxy's address, and one stranger's failures lock out "
                "every family.",
                hint="Set NASAB_TRUSTED_PROXY_HEADER=X-Forwarded-For (the proxy must set it).",
                id="nasab.W001",
            )
        ]
    return []
