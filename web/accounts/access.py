"""View decorator enforcing the capability map of :mod:`accounts.roles`."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import CAPABILITIES, can


def requires(capability: str):
    """Log-in required; then 403 unless one of the user's roles holds ``capability``."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied(f"This page needs the '{capability}' capability.")
            return view(request, *args, **kwargs)

        wrapped = login_required(guarded)
        wrapped.capability = capability
        return wrapped

    return decorator
