"""API tokens ("Authorization: Token <key>"), looked up by a compiled query: every API request pays for it."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from annotator.selectors import access


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, same answers, without building the token's query on every request."""

    def authenticate_credentials(self, key: str) -> tuple[AbstractBaseUser, Token]:
        # A NUL makes PostgreSQL refuse the query; no key has one.
        token = access.get_token(key) if "\x00" not in key else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
