"""Changes a user makes to their own account."""

from django.contrib.auth.models import AbstractBaseUser, AbstractUser
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def update_profile(*, user: AbstractUser, first_name: str | None = None, last_name: str | None = None) -> AbstractUser:
    """Change the user's display name; nothing else about an account changes here."""
    if first_name is not None:
        user.first_name = first_name
    if last_name is not None:
        user.last_name = last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def issue_api_token(*, user: AbstractBaseUser) -> Token:
    """The user's API token, created on first request; the same key until an administrator deletes it."""
    token, _ = Token.objects.get_or_create(user=user)
    return token
