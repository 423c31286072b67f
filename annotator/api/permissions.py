"""Role checks shared by the API views; fetching by id goes through selectors.access (404 for outsiders)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from rest_framework.exceptions import PermissionDenied

from annotator.models import Project, Role
from annotator.selectors import access


def require_role(project: Project, user: AbstractBaseUser | AnonymousUser, *roles: Role) -> str:
    """Return the user's role, or 403 if they are a member without one of ``roles``.

    Callers fetch the project through selectors.access first, so non-members have had their 404.
    """
    role = access.role_in(project, user)
    if role not in roles:
        raise PermissionDenied(f"This needs the role {' or '.join(r.value for r in roles)} in the project.")
    return role
