"""Changes a user makes to their own account."""

from django.contrib.auth.models import AbstractUser
from django.db import transaction


@transaction.atomic
def update_profile(*, user: AbstractUser, first_name: str | None = None, last_name: str | None = None) -> AbstractUser:
    """Change the user's display name; nothing else about an account changes here."""
    if first_name is not None:
        user.first_name = first_name
    if last_name is not None:
        user.last_name = last_name
    user.save(update_fields=["first_name", "last_name"])
    return user
