"""Concurrent writes over real HTTP: identical saves land once, never with a server error."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from annotator.models import Span
from tests.factories import ArticleFactory, AssignmentFactory


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory SQLite test database is one connection "
                    "shared by the live server's threads, so it cannot serve parallel writes; PostgreSQL runs it")
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


@pytest.mark.django_db
def test_request_with_a_foreign_host_header_is_refused(client):
    # Security case T25: links built from the Host header can never point elsewhere.
    response = client.get("/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
