"""Small fixtures shared by the suite: users in roles, API clients. Data comes from tests/factories.py."""

import signal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from annotator.models import Role
from annotator.services import demo, gold
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher takes ~0.3 s a password by design; tests only need a correct one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    # Reviewers and managers log in with a password only, except in the tests of two-factor login
    # (tests/web/test_two_factor.py...), which set OTP_REQUIRED_ROLES themselves.
    settings.OTP_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    # Uploads waiting for an import job go to the test's own folder, never to var/ (the API fuzzer uploads too).
    settings.IMPORTS_DIR = tmp_path / "imports"
    return settings.IMPORTS_DIR


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def other_project(db):
    return ProjectFactory()


def _member(project, role, username):
    user = UserFactory(username=username)
    MembershipFactory(project=project, user=user, role=role)
    return user


@pytest.fixture
def analyst(project):
    return _member(project, Role.ANALYST, "a1")


@pytest.fixture
def other_analyst(project):
    return _member(project, Role.ANALYST, "a2")


@pytest.fixture
def reviewer(project):
    return _member(project, Role.REVIEWER, "r1")


@pytest.fixture
def manager(project):
    return _member(project, Role.MANAGER, "adm")


@pytest.fixture
def outsider(other_project):
    """An analyst of another project only (user X of the security cases)."""
    return _member(other_project, Role.ANALYST, "x")


@pytest.fixture
def run_task_worker():
    """run_task_worker() runs the background task worker as deployed (`manage.py db_worker`) until the queue
    is empty. Needs committed rows: use it in ``django_db(transaction=True)`` tests."""
    def run() -> None:
        handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
        finally:
            for number, handler in handlers.items():  # the worker installs its own shutdown handlers
                signal.signal(number, handler)

    return run


@pytest.fixture
def seeded(db):
    """The demo project (five articles, three analysts' submitted spans) with its first article adjudicated."""
    project = demo.seed_demo().project
    reviewer = project.memberships.get(user__username="reviewer").user
    article = project.articles.order_by("id").first()
    gold.accept_majority(article=article, reviewer=reviewer, min_agreeing=2)
    gold.adjudicate_article(article=article, reviewer=reviewer)
    return project
