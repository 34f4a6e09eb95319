"""Failed and locked-out staff logins go to the audit log (django-axes counts them too;
successful logins are audited with the other state changes, issue 17 item 2)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from audit.services import record as audit
from nasab_site.client_address import client_address


def _record(request, action: str, username: str) -> None:
    audit(
        request,
        action,
        object_type="user",
        object_id=(username or "")[:60],
        client=client_address(request) if request is not None else None,
    )


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    _record(request, "login_failed", credentials.get("username", ""))


@receiver(user_locked_out)
def locked_out(sender, request=None, username=None, **kwargs):
    _record(request, "login_locked_out", username or "")
