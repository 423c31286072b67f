"""Structured logs: one line per request with its id, user, method, path, status and duration."""

import io
import json
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"request_id", "user_id", "method", "path", "status", "duration_ms"}


@pytest.fixture
def json_log(settings):
    """The request loggers' records (ours and Django's), formatted by the configured JSON formatter, in a string buffer."""
    stream = io.StringIO()
    logging.config.dictConfig({
        **settings.LOGGING,
        "handlers": {"capture": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"],
                                 "stream": stream}},
        "root": {"handlers": [], "level": "WARNING"},
        "loggers": {name: {"handlers": ["capture"], "level": "INFO", "propagate": False}
                    for name in ("annotator.request", "django.request")},
    })
    yield stream
    django_request = logging.getLogger("django.request")
    django_request.handlers, django_request.propagate = [], True  # as Django leaves it
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_an_api_request_writes_one_json_line_with_who_what_and_how_long(client, analyst, json_log):
    token = Token.objects.create(user=analyst).key

    response = client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}", HTTP_X_REQUEST_ID="req-42")

    lines = json_log.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert FIELDS <= entry.keys()
    assert (entry["request_id"], entry["user_id"], entry["method"], entry["path"], entry["status"]) == (
        "req-42", analyst.pk, "GET", "/api/v1/projects/", 200)
    assert entry["duration_ms"] >= 0 and entry["level"] == "INFO" and entry["logger"] == "annotator.request"
    assert response["X-Request-ID"] == "req-42"


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced_and_anonymous_users_have_no_id(client, json_log):
    response = client.get("/login/", HTTP_X_REQUEST_ID="x\nfake log line")

    entry = json.loads(json_log.getvalue())
    assert entry["request_id"] == response["X-Request-ID"] and len(entry["request_id"]) == 32
    assert entry["user_id"] is None and entry["status"] == 200


def _request_in_a_fresh_process(**env: str) -> subprocess.CompletedProcess[str]:
    script = "from django.test import Client; Client().get('/healthz')"
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "ALLOWED_HOSTS": "testserver", **env})


def test_log_format_json_makes_every_line_of_the_process_a_json_object():
    result = _request_in_a_fresh_process(LOG_FORMAT="json")

    entries = [json.loads(line) for line in result.stderr.splitlines()]  # fails on any line that is not JSON
    assert result.returncode == 0
    assert [(e["method"], e["path"], e["status"]) for e in entries if e["logger"] == "annotator.request"] == [
        ("GET", "/healthz", 200)]


def test_an_unknown_log_format_stops_start_up():
    result = _request_in_a_fresh_process(LOG_FORMAT="xml")

    assert result.returncode != 0 and "LOG_FORMAT must be json or text" in result.stderr


@pytest.mark.django_db
def test_djangos_own_line_about_a_refused_request_carries_the_same_request_id(client, json_log):
    client.get("/api/v1/projects/", HTTP_X_REQUEST_ID="req-7")

    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert {(e["logger"], e["request_id"]) for e in entries} == {("annotator.request", "req-7"),
                                                                 ("django.request", "req-7")}
