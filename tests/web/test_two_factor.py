"""Two-factor login in the browser: enrolment, password then code, the gate on pages, the lock-out."""

import re
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ArticleFactory, AssignmentFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def two_factor_for_reviewers(settings):
    settings.OTP_REQUIRED_ROLES = ["reviewer", "manager", "staff"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay after a wrong code is tested in its suite


def code_for(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def log_in(client, user):
    return client.post("/login/", {"username": user.username, "password": PASSWORD})


@pytest.mark.django_db
def test_reviewer_without_authenticator_is_sent_to_enrolment_before_the_review_queue(
    client, project, reviewer, two_factor_for_reviewers
):
    log_in(client, reviewer)

    response = client.get(f"/projects/{project.id}/review/")

    assert response.status_code == 302
    assert response["Location"] == f"/account/two-factor/?next={quote(f'/projects/{project.id}/review/', safe='')}"


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_and_the_secret_and_a_code_from_it_turns_two_factor_on(
    client, project, reviewer, two_factor_for_reviewers
):
    log_in(client, reviewer)
    page = client.get(f"/account/two-factor/?next=/projects/{project.id}/review/")
    html = page.content.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post("/account/two-factor/", {"code": code_for(device), "next": f"/projects/{project.id}/review/"})

    assert 'src="data:image/svg+xml' in html and "<script" not in html
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert secret and device.config_url.count(f"secret={secret}") == 1
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.id}/review/"
    assert TOTPDevice.objects.get(user=reviewer).confirmed
    assert client.get(f"/projects/{project.id}/review/").status_code == 200


@pytest.mark.django_db
def test_enrolment_with_a_wrong_code_turns_nothing_on(client, reviewer, two_factor_for_reviewers):
    log_in(client, reviewer)
    client.get("/account/two-factor/")

    response = client.post("/account/two-factor/", {"code": "000000"})

    assert response.status_code == 200
    assert "That code is wrong" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_password_then_code_logs_the_reviewer_in(client, project, reviewer, two_factor_for_reviewers):
    device = enrolled(reviewer)
    review_url = f"/projects/{project.id}/review/"
    password_step = client.post(f"/login/?next={review_url}", {"username": "r1", "password": PASSWORD,
                                                               "next": review_url})
    gate = client.get(review_url)
    session_before = client.cookies["sessionid"].value

    response = client.post("/account/two-factor/verify/", {"code": code_for(device), "next": review_url})

    assert password_step["Location"] == review_url
    assert gate.status_code == 302 and gate["Location"].startswith("/account/two-factor/verify/?next=")
    assert response.status_code == 302 and response["Location"] == review_url
    assert client.cookies["sessionid"].value != session_before
    assert client.get(review_url).status_code == 200


@pytest.mark.django_db
def test_password_without_a_valid_code_reaches_no_page_nor_the_session_api(
    client, project, reviewer, two_factor_for_reviewers
):
    enrolled(reviewer)
    log_in(client, reviewer)

    wrong = client.post("/account/two-factor/verify/", {"code": "123456"})

    assert wrong.status_code == 200 and "That code is wrong" in wrong.content.decode()
    assert client.get("/").status_code == 302
    assert client.get(f"/projects/{project.id}/agreement/").status_code == 302
    api = client.get("/api/v1/users/me/")
    assert (api.status_code, api.json()["code"]) == (403, "two_factor_required")


@pytest.mark.django_db
def test_a_code_is_accepted_once_and_refused_when_replayed(client, reviewer, two_factor_for_reviewers):
    device = enrolled(reviewer)
    code = code_for(device)
    log_in(client, reviewer)
    client.post("/account/two-factor/verify/", {"code": code})
    client.post("/logout/")
    log_in(client, reviewer)

    replay = client.post("/account/two-factor/verify/", {"code": code})

    assert replay.status_code == 200 and "used already" in replay.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock_out_and_then_even_the_password_is_refused(
    client, reviewer, two_factor_for_reviewers, settings
):
    # Security case T23 for the second step: codes share the limit of failed logins with passwords.
    settings.AXES_FAILURE_LIMIT = 3
    device = enrolled(reviewer)
    log_in(client, reviewer)
    statuses = [client.post("/account/two-factor/verify/", {"code": "000000"}).status_code for _ in range(3)]
    failures = AccessAttempt.objects.get(username="r1").failures_since_start

    after = client.post("/account/two-factor/verify/", {"code": code_for(device)})
    password = log_in(client, reviewer)

    assert statuses == [200, 200, 429]
    assert failures == 3
    assert after.status_code == 302 and after["Location"].startswith("/login/")  # logged out at the lock-out
    assert password.status_code == 429


@pytest.mark.django_db
def test_a_correct_password_does_not_clear_the_wrong_codes_before_it(client, reviewer, two_factor_for_reviewers,
                                                                     settings):
    settings.AXES_FAILURE_LIMIT = 3
    enrolled(reviewer)
    for _ in range(2):
        log_in(client, reviewer)
        client.post("/account/two-factor/verify/", {"code": "000000"})
        client.post("/logout/")
    log_in(client, reviewer)

    response = client.post("/account/two-factor/verify/", {"code": "000000"})

    assert response.status_code == 429


@pytest.mark.django_db
def test_analyst_logs_in_with_a_password_alone_and_reaches_their_pages(
    client, project, analyst, two_factor_for_reviewers
):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)

    login = log_in(client, analyst)

    assert login.status_code == 302 and login["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get(f"/assignments/{assignment.id}/annotate/").status_code == 200
    assert client.get("/api/v1/users/me/").status_code == 200


@pytest.mark.django_db
def test_analyst_who_enrolled_an_authenticator_gives_a_code_too(client, analyst, two_factor_for_reviewers):
    enrolled(analyst)
    log_in(client, analyst)

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/verify/")


@pytest.mark.django_db
def test_staff_without_authenticator_is_sent_to_enrolment_before_the_admin(client, two_factor_for_reviewers):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})

    response = client.get("/admin/annotator/span/")

    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/?next=")


@pytest.mark.django_db
def test_a_password_alone_never_shows_or_adds_an_authenticator(client, reviewer, two_factor_for_reviewers):
    device = enrolled(reviewer)
    log_in(client, reviewer)

    page = client.get("/account/two-factor/")
    post = client.post("/account/two-factor/", {"code": code_for(device)})

    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/verify/")
    assert post.status_code == 302 and post["Location"].startswith("/account/two-factor/verify/")
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


@pytest.mark.django_db
def test_without_required_roles_a_reviewer_logs_in_with_a_password(client, project, reviewer, settings):
    settings.OTP_REQUIRED_ROLES = []
    log_in(client, reviewer)

    assert client.get(f"/projects/{project.id}/review/").status_code == 200
