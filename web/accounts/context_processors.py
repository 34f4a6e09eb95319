from .roles import capabilities_of, roles_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    caps = capabilities_of(user)
    return {"user_roles": sorted(roles_of(user)), "can": {c.replace(".", "_"): True for c in caps}}
