"""Brute force against the token endpoint is locked out like the login page (django-axes)."""

import pytest
from axes.models import AccessAttempt


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
