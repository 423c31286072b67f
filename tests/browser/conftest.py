"""Playwright driving Debian's Chromium against pytest-django's live server (real HTTP, real browser)."""

import os

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from annotator.models import Role
from annotator.services import demo
from tests.factories import MembershipFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(user) -> a Page logged in as ``user`` through the login form, with errors collected."""
    contexts = []

    def open_as(user) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]  # JavaScript errors seen by this page
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def analyst_b(project):
    user = UserFactory(username="b2")
    MembershipFactory(project=project, user=user, role=Role.ANALYST)
    return user


@pytest.fixture
def demo_project():
    """The demo project (seed articles, three analysts' submitted work), users with the test password."""
    project = demo.seed_demo().project
    # Demo users carry the production password hash; give the browser users a fast test password.
    for user in [m.user for m in project.memberships.all()]:
        user.set_password(PASSWORD)
        user.save()
    return project
