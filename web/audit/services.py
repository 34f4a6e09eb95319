"""Recording audit events. Call :func:`record` wherever genetic data is shown or leaves."""

from __future__ import annotations

from .models import AuditAction, AuditEvent


def record(
    request_or_user,
    action: AuditAction,
    obj=None,
    *,
    object_type: str = "",
    object_id: str = "",
    **detail,
) -> AuditEvent:
    """Record who (a request's user, a user, or ``None`` when no one is known) did ``action``.

    The event is appended to the hash-chained audit log; once the transaction commits, the
    chain's new head is signed and anchored outside the database (:mod:`audit.anchoring`)."""
    request = request_or_user if hasattr(request_or_user, "META") else None
    user = getattr(request_or_user, "user", None) if request is not None else request_or_user
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        username=getattr(user, "username", "") or ("(system)" if user is None else "(anonymous)"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        remote_addr=request.META.get("REMOTE_ADDR") if request else None,
    )
