"""Two-factor login in Chromium: a reviewer enrols with the QR page (under the CSP) and then logs in with a code."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_enrols_an_authenticator_and_reaches_the_review_queue(browser, live_server, project, reviewer,
                                                                       settings):
    settings.OTP_REQUIRED_ROLES = ["reviewer", "manager", "staff"]
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/login/?next=/projects/{project.id}/review/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/account/two-factor/\?next="))
    qr_width = page.eval_on_selector("img.qr-code", "img => img.complete && img.naturalWidth")
    secret = page.text_content("#totp-secret").replace(" ", "")
    device = TOTPDevice.objects.get(user=reviewer)

    page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
    page.click("main button[type=submit]")

    page.wait_for_url(f"{live_server.url}/projects/{project.id}/review/")
    assert qr_width > 0  # the SVG data URI loads under the page's Content-Security-Policy
    assert f"secret={secret}" in device.config_url
    assert errors == []
    page.close()
