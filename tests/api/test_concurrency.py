"""Concurrent writes over real HTTP: identical saves land once, never with a server error."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from annotator.models import Span
from annotator.services import spans
from tests.factories import ArticleFactory, AssignmentFactory

needs_parallel_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the in-memory SQLite test database is one connection shared by the live "
    "server's threads, so it cannot serve parallel writes; PostgreSQL runs it")


def _send(url: str, token: str, body: dict, key: str | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = f'"{key}"'
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _post(url: str, token: str, body: dict) -> int:
    return _send(url, token, body)[0]


@pytest.fixture
def span_endpoint(live_server, project, analyst):
    """An analyst's assignment, their API token, and the live URL of its spans."""
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    return assignment, Token.objects.create(user=analyst).key, f"{live_server.url}/api/v1/assignments/{assignment.id}/spans/"


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_identical_spans_make_exactly_one_row(live_server, project, analyst):
    # Security case T32.
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    token = Token.objects.create(user=analyst).key
    url = f"{live_server.url}/api/v1/assignments/{assignment.id}/spans/"

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda _: _post(url, token, {"start": 0, "end": 14, "label": "claim"}), range(20)))

    assert Span.objects.filter(assignment=assignment).count() == 1
    assert sorted(set(statuses)) == [201, 409]
    assert statuses.count(201) == 1


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_posts_with_one_idempotency_key_write_once_and_replay(span_endpoint):
    # Security case T35, concurrently: whoever loses the race gets 409 (in flight) or the replayed 201.
    assignment, token, url = span_endpoint
    body = {"start": 0, "end": 14, "label": "claim"}

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: _send(url, token, body, "one-key"), range(20)))

    assert Span.objects.filter(assignment=assignment).count() == 1
    assert {status for status, _ in answers} <= {201, 409}
    created = {answer["id"] for status, answer in answers if status == 201}
    assert created == {Span.objects.get(assignment=assignment).id}
    assert all(answer["code"] == "idempotency_key_in_flight" for status, answer in answers if status == 409)


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_first_request_is_held_gets_409_then_the_replay(span_endpoint, monkeypatch):
    # The first request is held inside the span service until the retry has been answered.
    assignment, token, url = span_endpoint
    body = {"start": 0, "end": 14, "label": "claim"}
    entered, release = threading.Event(), threading.Event()
    create_span = spans.create_span

    def held_create_span(**kwargs):
        entered.set()
        release.wait(timeout=30)
        return create_span(**kwargs)

    monkeypatch.setattr(spans, "create_span", held_create_span)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(_send, url, token, body, "held-key")
        assert entered.wait(timeout=30)
        during = _send(url, token, body, "held-key")
        release.set()
        first_answer = first.result()

    after = _send(url, token, body, "held-key")

    assert (during[0], during[1]["code"]) == (409, "idempotency_key_in_flight")
    assert first_answer[0] == 201 and after == first_answer
    assert Span.objects.filter(assignment=assignment).count() == 1


@pytest.mark.django_db
def test_request_with_a_foreign_host_header_is_refused(client):
    # Security case T25: links built from the Host header can never point elsewhere.
    response = client.get("/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
