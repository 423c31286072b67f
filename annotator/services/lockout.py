"""Login brute-force accounting (django-axes) for the steps after the password: wrong codes count too.

The password step is counted by axes' authentication backend. A wrong authenticator code is reported to
axes as a failed login of the same username, so codes and passwords share one limit per username and
address; the failures are cleared only when the whole login succeeded.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from rest_framework.request import Request

# A DRF request keeps the axes attributes on itself, so the API answers its own 429 rather than axes' page.
AnyRequest = HttpRequest | Request


def _credentials(username: str) -> dict[str, str]:
    return {"username": username}


def is_locked_out(request: AnyRequest, username: str) -> bool:
    """True when ``username`` from this client has reached AXES_FAILURE_LIMIT (within the cool-off)."""
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.is_locked(request, _credentials(username))


def record_failure(request: AnyRequest, username: str) -> bool:
    """Count a wrong code as a failed login; True when this failure reached the lock-out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def clear_failures(request: AnyRequest, username: str) -> None:
    """Forget the failures of ``username`` from this client after a complete login."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(ip_address=getattr(request, "axes_ip_address", None), username=username)
