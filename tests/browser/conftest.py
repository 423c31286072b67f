"""Playwright driving Debian's Chromium against pytest-django's live server (real HTTP, real browser)."""

import os
import threading

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


class _RequestsInFlight:
    """The live server's requests being answered. A closed browser leaves the last ones it sent running in the
    server's threads, and the test database must not be emptied under them: PostgreSQL's TRUNCATE of every table
    and a request's query, each holding the lock the other waits for, deadlock."""

    def __init__(self, server) -> None:
        self.count = 0
        self.changed = threading.Condition()
        accept, answer = server.process_request, server.process_request_thread

        def accepted(request, client_address) -> None:  # in the server's loop, before the request's thread starts
            with self.changed:
                self.count += 1
            accept(request, client_address)

        def answered(request, client_address) -> None:  # the request's thread
            try:
                answer(request, client_address)
            finally:
                with self.changed:
                    self.count -= 1
                    self.changed.notify_all()

        server.process_request, server.process_request_thread = accepted, answered

    def wait(self, timeout: float = 10.0) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout)


@pytest.fixture(scope="session")
def requests_in_flight(live_server) -> _RequestsInFlight:
    return _RequestsInFlight(live_server.thread.httpd)


@pytest.fixture
def open_page(browser, live_server, requests_in_flight):
    """open_page(user) -> a Page logged in as ``user`` through the login form, with errors collected. Once the
    test is over, the pages are closed and the server has answered what they sent before the database is
    emptied."""
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
    requests_in_flight.wait()


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
