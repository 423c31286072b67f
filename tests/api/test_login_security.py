"""The token endpoint: brute force is locked out like the login page (django-axes); two-factor codes."""

import pytest
from axes.models import AccessAttempt
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token


@pytest.mark.django_db
def test_after_repeated_failures_even_the_right_password_is_refused_with_429(api_client, analyst, settings):
    # Security case T23: 5 failures (AXES_FAILURE_LIMIT) lock the account from this address.
    settings.AXES_FAILURE_LIMIT = 5
    failures = [api_client.post("/api/v1/auth/token/", {"username": "a1", "password": "guess"}).status_code
                for _ in range(6)]

    response = api_client.post("/api/v1/auth/token/", {"username": "a1", "password": "correct-horse-battery"})

    assert failures == [400, 400, 400, 400, 429, 429]  # the 5th failure reaches the limit
    assert (response.status_code, response.json()["code"]) == (429, "locked_out")
    assert AccessAttempt.objects.get(username="a1").failures_since_start >= 5


@pytest.mark.django_db
def test_login_page_locks_out_after_repeated_failures(client, analyst, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        client.post("/login/", {"username": "a1", "password": "guess"})

    response = client.post("/login/", {"username": "a1", "password": "correct-horse-battery"})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_spoofed_forwarded_for_does_not_reset_the_lock_out(client, analyst, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for index in range(3):
        client.post("/login/", {"username": "a1", "password": "guess"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{index}")

    response = client.post("/login/", {"username": "a1", "password": "correct-horse-battery"},
                           HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


@pytest.fixture
def two_factor_for_reviewers(settings):
    settings.OTP_REQUIRED_ROLES = ["reviewer", "manager", "staff"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.mark.django_db
def test_token_of_a_user_with_an_authenticator_needs_a_valid_code(api_client, reviewer, two_factor_for_reviewers):
    device = TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    credentials = {"username": "r1", "password": "correct-horse-battery"}
    missing = api_client.post("/api/v1/auth/token/", credentials)
    wrong = api_client.post("/api/v1/auth/token/", {**credentials, "otp": "000000"})

    response = api_client.post("/api/v1/auth/token/", {**credentials, "otp": _code(device)})

    assert (missing.status_code, missing.json()["field"]) == (400, "otp")
    assert (wrong.status_code, wrong.json()["field"]) == (400, "otp")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=reviewer).key
    assert not AccessAttempt.objects.filter(username="r1").exists()  # the complete login cleared the failure


@pytest.mark.django_db
def test_reviewer_who_must_enrol_gets_no_token_until_enrolled(api_client, reviewer, two_factor_for_reviewers):
    response = api_client.post("/api/v1/auth/token/", {"username": "r1", "password": "correct-horse-battery"})

    assert (response.status_code, response.json()["code"]) == (403, "two_factor_enrolment_required")
    assert not Token.objects.filter(user=reviewer).exists()


@pytest.mark.django_db
def test_analyst_gets_a_token_with_a_password_when_reviewers_need_two_factor(api_client, analyst,
                                                                             two_factor_for_reviewers):
    response = api_client.post("/api/v1/auth/token/", {"username": "a1", "password": "correct-horse-battery"})

    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.django_db
def test_wrong_codes_on_the_token_endpoint_lock_the_account_out(api_client, reviewer, two_factor_for_reviewers,
                                                                settings):
    settings.AXES_FAILURE_LIMIT = 3
    device = TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    credentials = {"username": "r1", "password": "correct-horse-battery"}
    statuses = [api_client.post("/api/v1/auth/token/", {**credentials, "otp": "000000"}).status_code
                for _ in range(3)]

    response = api_client.post("/api/v1/auth/token/", {**credentials, "otp": _code(device)})

    assert statuses == [400, 400, 429]
    assert (response.status_code, response.json()["code"]) == (429, "locked_out")
    assert not Token.objects.filter(user=reviewer).exists()
