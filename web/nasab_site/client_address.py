"""The client's address, as the one trusted reverse proxy reports it.

Behind a reverse proxy every request *connects* from the proxy, so lock-outs keyed on the
connecting address would lock out everyone at once. ``NASAB_TRUSTED_PROXY_HEADER`` names
the header that proxy sets (``X-Forwarded-For`` or ``X-Real-IP``); nothing else a client
sends is believed. Unset, the connecting address (``REMOTE_ADDR``) is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    header = getattr(settings, "NASAB_TRUSTED_PROXY_HEADER", "")
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(key, "")
        if value:
            # X-Forwarded-For: "client, proxy1, proxy2"; each of our proxies appends the
            # address it saw, so the client is that many places from the right.
            parts = [p for p in value.split(",") if p.strip()]
            count = max(1, int(getattr(settings, "NASAB_TRUSTED_PROXY_COUNT", 1)))
            if parts:
                address = _valid(parts[-count] if len(parts) >= count else parts[0])
                if address:
                    return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "")


def axes_client_ip(request) -> str | None:
    """django-axes' hook (``AXES_CLIENT_IP_CALLABLE``)."""
    return client_address(request)
