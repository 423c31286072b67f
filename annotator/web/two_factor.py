"""Two-factor login: the password step, enrolling an authenticator app, the code step, and the gate.

A user with a confirmed authenticator gives a code after every password login. A user whose roles are in
OTP_REQUIRED_ROLES (reviewers, managers and staff by default) must enrol one first. Until then the session
reaches only these pages and logout: TwoFactorMiddleware sends pages to the missing step and answers the
session API with 403 "two_factor_required". Wrong codes count towards django-axes' lock-out like wrong
passwords.
"""

from abc import ABC, abstractmethod
from base64 import b32encode
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from annotator.selectors import two_factor as two_factor_reads
from annotator.services import lockout, two_factor

STEP_VIEWS = {"enrol": "two-factor", "verify": "two-factor-verify"}
# Views a logged-in user reaches before the second factor: the steps themselves, logout, probes, and the
# token endpoint (which asks for its own password and code).
OPEN_VIEWS = {"login", "logout", "two-factor", "two-factor-verify", "healthz", "readyz", "api-token"}


def _is_verified(user: Any) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


class TwoFactorMiddleware:
    """Keeps a logged-in user whose second factor is missing on the enrolment or code page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or _is_verified(user):
            return None
        if request.resolver_match is not None and request.resolver_match.view_name in OPEN_VIEWS:
            return None
        step = two_factor_reads.get_missing_step(user)
        if step is None:
            return None
        if request.path.startswith("/api/"):
            message = ("This session has not given its authenticator code yet: finish the login in the browser, "
                       "or use an API token.")
            return JsonResponse({"code": "two_factor_required", "message": message, "field": None, "errors": {}},
                                status=403)
        target = reverse(STEP_VIEWS[step])
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class LoginView(auth_views.LoginView):
    """The password step. For a user without an authenticator it is the whole login, so it clears the failures."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if not two_factor_reads.has_confirmed_device(user):
            lockout.clear_failures(self.request, user.get_username())
        return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app", max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@method_decorator(never_cache, name="dispatch")
class CodeStepView(LoginRequiredMixin, auth_views.RedirectURLMixin, FormView, ABC):
    """A page that takes a code: a wrong one counts as a failed login; a locked-out user is logged out."""

    form_class = CodeForm
    next_page = settings.LOGIN_REDIRECT_URL

    @abstractmethod
    def accept_code(self, code: str) -> TOTPDevice | None:
        """The device the code belongs to, or None for a wrong or used code."""

    def form_valid(self, form: CodeForm) -> HttpResponse:
        request = self.request
        username = request.user.get_username()
        if lockout.is_locked_out(request, username):
            return self._locked_out()
        device = self.accept_code(form.cleaned_data["code"])
        if device is None:
            if lockout.record_failure(request, username):
                return self._locked_out()
            form.add_error("code", "That code is wrong or was used already. Enter the code your app shows now.")
            return self.form_invalid(form)
        otp_login(request, device)
        request.session.cycle_key()  # a new session id for the session that now has both factors
        lockout.clear_failures(request, username)
        return redirect(self.get_success_url())

    def _locked_out(self) -> HttpResponse:
        logout(self.request)
        self.request.axes_locked_out = True  # type: ignore[attr-defined]  # AxesMiddleware answers with its 429
        return HttpResponse(status=429)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = self.get_redirect_url()
        return context


class TwoFactorVerifyView(CodeStepView):
    """The code step after the password, for a user with an authenticator."""

    template_name = "annotator/two_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            if _is_verified(request.user):
                return redirect(self.get_success_url())
            if not two_factor_reads.has_confirmed_device(request.user):
                return redirect(f"{reverse('two-factor')}?{urlencode({'next': self.get_redirect_url()})}")
        return super().dispatch(request, *args, **kwargs)

    def accept_code(self, code: str) -> TOTPDevice | None:
        return two_factor.verify_code(user=self.request.user, code=code)


class TwoFactorEnrolView(CodeStepView):
    """Enrol an authenticator app: a QR code and the secret, then a code from the app to confirm it.

    Once enrolled, the page says so. A user who has one but has not given a code this session goes to the
    code step: a password alone never adds or shows an authenticator.
    """

    template_name = "annotator/two_factor_enrol.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.device = two_factor_reads.get_confirmed_device(request.user)
            if self.device is not None and not _is_verified(request.user):
                return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': self.get_redirect_url()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enrolled"] = self.device
        context["required"] = two_factor_reads.is_two_factor_required(self.request.user)
        if self.device is None:
            pending = two_factor.start_enrolment(user=self.request.user)
            secret = b32encode(pending.bin_key).decode()
            context["secret"] = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
            context["qr_code"] = segno.make(pending.config_url, error="m").svg_data_uri(scale=4, border=2)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.device is not None:
            return redirect(reverse("two-factor"))
        return super().post(request, *args, **kwargs)

    def accept_code(self, code: str) -> TOTPDevice | None:
        pending = two_factor.start_enrolment(user=self.request.user)
        return pending if two_factor.confirm_enrolment(device=pending, code=code) else None
