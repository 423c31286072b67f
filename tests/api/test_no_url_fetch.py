"""Credence never fetches a URL it is given (security case T16, server-side request forgery).

There is no URL import: an article's `url` is metadata, stored (when it is an http(s) address) and never
requested. Every way in that takes an article's URL runs here with the network closed: opening a socket,
resolving a name or calling urllib fails the test.
"""

import json
import socket
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.models import Article
from annotator.services import articles

STORED = ["http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
          "http://0x7f000001/", "http://localhost./"]
REFUSED = ["file:///etc/passwd", "gopher://127.0.0.1:6379/_FLUSHALL"]


@pytest.fixture
def network_closed(monkeypatch):
    """Any attempt to reach the network raises, so a test that passes made none."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def _jsonl(urls):
    return "\n".join(json.dumps({"id": f"a{index}", "title": "T", "text": f"Peskov said {index}.", "url": url})
                     for index, url in enumerate(urls)).encode()


@pytest.mark.django_db
def test_article_upload_stores_internal_addresses_as_text_and_fetches_nothing(api_client, project, manager,
                                                                              network_closed):
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/articles/upload/",
                               {"file": SimpleUploadedFile("urls.jsonl", _jsonl(STORED))}, format="multipart")

    assert response.status_code == 201, response.json()
    assert sorted(Article.objects.values_list("url", flat=True)) == sorted(STORED)
    assert network_closed == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", REFUSED)
def test_article_upload_refuses_other_schemes_naming_the_url_and_writes_nothing(api_client, project, manager,
                                                                                network_closed, url):
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/articles/upload/",
                               {"file": SimpleUploadedFile("urls.jsonl", _jsonl([url]))}, format="multipart")

    assert (response.status_code, response.json()["field"]) == (400, "url")
    assert not Article.objects.exists() and network_closed == []


@pytest.mark.django_db
def test_annotation_import_keeps_the_url_as_metadata_and_fetches_nothing(api_client, project, manager,
                                                                         network_closed):
    lines = [json.dumps({"id": f"a{index}", "title": "T", "text": f"Peskov said {index}.", "meta": {"url": url},
                         "spans": []}) for index, url in enumerate(STORED)]
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/imports/",
                               {"file": SimpleUploadedFile("data.jsonl", "\n".join(lines).encode()), "format": "jsonl"},
                               format="multipart")

    assert response.status_code == 201, response.json()
    assert sorted(Article.objects.values_list("url", flat=True)) == sorted(STORED)
    assert network_closed == []


@pytest.mark.django_db
def test_load_articles_from_files_fetches_nothing(project, tmp_path, network_closed):
    (tmp_path / "urls.jsonl").write_bytes(_jsonl(STORED))

    result = articles.load_articles(project=project, paths=[tmp_path / "urls.jsonl"])

    assert len(result.created) == len(STORED)
    assert network_closed == []
