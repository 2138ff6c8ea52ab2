from django.contrib.auth.models import AnonymousUser

from .selectors import role_labels, roles_of


def portal(request):
    """Role-aware navigation: what the header needs, computed once per request. An error page
    rendered before authentication ran (a bad Host header's 400) has no user: anonymous."""
    user = getattr(request, "user", None) or AnonymousUser()
    roles = roles_of(user)
    names = {r for (_c, r, _u) in roles.grants}
    return {
        "nav_roles": role_labels(user),
        "nav_is_unit": bool(names & {"unit_staff", "unit_head"}),
        "nav_is_secretariat": "secretariat" in names,
        "nav_is_judge": "judge" in names,
        "nav_is_organizer": "organizer" in names,
    }
