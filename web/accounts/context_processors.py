from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from .roles import Role, capabilities_of, roles_of

ROLE_LABELS = {
    Role.INTAKE: _("intake officer"),
    Role.FIELD: _("field team"),
    Role.LAB: _("lab analyst"),
    Role.REVIEWER: _("reviewer"),
    Role.BOARD: _("identification board"),
    Role.ADMIN: _("administrator"),
}


def roles(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    caps = capabilities_of(user)
    held = sorted(roles_of(user))
    separator = "، " if get_language_bidi() else ", "
    return {
        "user_roles": held,
        "user_role_text": separator.join(str(ROLE_LABELS[r]) for r in held),
        "can": {c.replace(".", "_"): True for c in caps},
    }
