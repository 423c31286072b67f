"""Reads about a user's two-factor login: their authenticator, and whether their roles require one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Value
from django_otp.plugins.otp_totp.models import TOTPDevice

from annotator.models import Membership

STAFF = "staff"  # in OTP_REQUIRED_ROLES: users who may enter the Django admin


def get_confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator (TOTP device), or None before enrolment."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_two_factor_required(user: AbstractBaseUser) -> bool:
    """True when a role of the user is in OTP_REQUIRED_ROLES: staff, or a project role (reviewer, manager...)."""
    required = set(settings.OTP_REQUIRED_ROLES)
    if not required:
        return False
    if STAFF in required and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)):
        return True
    return Membership.objects.filter(user=user, role__in=required - {STAFF}).exists()


def get_missing_step(user: AbstractBaseUser) -> str | None:
    """What a logged-in user whose session is not verified by a code must do first.

    "verify" when they have an authenticator (every login then asks for a code), "enrol" when their roles
    require one and they have none, None when they may go on with their password alone. One query: the gate
    asks on every request of such a session.
    """
    required = set(settings.OTP_REQUIRED_ROLES)
    project_roles = required - {STAFF}
    has_role = (Exists(Membership.objects.filter(user=OuterRef("pk"), role__in=project_roles)) if project_roles
                else Value(False))
    has_device, has_required_role = get_user_model().objects.filter(pk=user.pk).values_list(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)), has_role).get()
    if has_device:
        return "verify"
    staff = STAFF in required and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    return "enrol" if staff or has_required_role else None
