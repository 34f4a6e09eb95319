"""Role changes, logins and logouts are audited wherever they happen (pages, admin, shell);
failed and locked-out logins in :mod:`accounts.signals`."""

import contextlib
import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import AuditAction
from .services import record

User = get_user_model()
_suspended = threading.local()


@contextlib.contextmanager
def suspended():
    """No signal-driven audit events (while a backup is loaded: its own events come with it)."""
    _suspended.on = True
    try:
        yield
    finally:
        _suspended.on = False


def _off() -> bool:
    return getattr(_suspended, "on", False)


@receiver(m2m_changed, sender=User.groups.through)
def audit_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse or _off():
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    # The signal does not know who made the change (the admin's own log does).
    record(
        None,
        AuditAction.CHANGE_ROLES,
        instance,
        user=instance.username,
        change=action.removeprefix("post_"),
        roles=names,
        now=sorted(instance.groups.values_list("name", flat=True)),
    )


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record(
        request if request is not None else user, AuditAction.LOGIN, user, object_id=user.username
    )


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(
            request if request is not None else user,
            AuditAction.LOGOUT,
            user,
            object_id=user.username,
        )
