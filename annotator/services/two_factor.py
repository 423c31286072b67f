"""Enrolling an authenticator app (TOTP, RFC 6238) and checking its codes."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from annotator.errors import AlreadyEnrolled

DEVICE_NAME = "authenticator"


@transaction.atomic
def start_enrolment(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, created with a fresh random secret if there is none.

    Reloading the enrolment page shows the same secret until it is confirmed. Raises AlreadyEnrolled when
    the user has a confirmed one: replacing it is an administrator's job (delete it in the admin).
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AlreadyEnrolled("two-factor login is already on for this account.")
    pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return pending


def _clean(code: str) -> str:
    return "".join(code.split())  # apps show "123 456"


@transaction.atomic
def confirm_enrolment(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a pending authenticator with a code it shows; False (nothing confirmed) for a wrong code."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(_clean(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    return True


@transaction.atomic
def verify_code(*, user: AbstractBaseUser, code: str) -> TOTPDevice | None:
    """The user's confirmed authenticator if ``code`` is valid now, else None.

    A code is accepted once: the device remembers the time step of the last accepted code (replays are
    refused), and after a wrong code the next try waits 1, 2, 4... seconds (django-otp's throttling).
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not device.verify_token(_clean(code)):
        return None
    return device
