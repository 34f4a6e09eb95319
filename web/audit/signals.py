"""Role changes are audited wherever they happen (pages, admin, shell)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import AuditAction
from .services import record

User = get_user_model()


@receiver(m2m_changed, sender=User.groups.through)
def audit_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    # The signal does not know who made the change (the admin's own log does).
    record(None, AuditAction.CHANGE_ROLES, instance, user=instance.username, change=action.removeprefix("post_"),
           roles=names, now=sorted(instance.groups.values_list("name", flat=True)))
