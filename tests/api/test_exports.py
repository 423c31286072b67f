"""Exports and imports through the API and the commands: layers, streaming, cards, all-or-nothing imports."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from annotator.models import Article, GoldSpan, Span
from annotator.services import demo, gold
from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def demo_project(db):
    return demo.seed_demo().project


def _user(project, username):
    return project.memberships.get(user__username=username).user


def _lines(response):
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.mark.django_db
def test_analyst_layer_streams_every_submitted_span_with_its_analyst(api_client, demo_project):
    api_client.force_authenticate(_user(demo_project, "admin"))

    response = api_client.get(f"/api/v1/projects/{demo_project.id}/export/", {"format": "jsonl", "layer": "analyst"})

    rows = [json.loads(line) for line in _lines(response)]
    assert response.streaming and response["Content-Disposition"].startswith("attachment;")
    assert len(rows) == 5
    assert sum(len(r["spans"]) for r in rows) == Span.objects.count()
    assert {s["analyst"] for r in rows for s in r["spans"]} == {"analyst1", "analyst2", "analyst3"}
    assert all(r["text"][s["start"]:s["end"]] == s["quote"] for r in rows for s in r["spans"])


@pytest.mark.django_db
def test_gold_layer_holds_adjudicated_articles_only(api_client, demo_project):
    reviewer = _user(demo_project, "reviewer")
    article = demo_project.articles.order_by("id").first()
    gold.accept_majority(article=article, reviewer=reviewer, min_agreeing=2)
    gold.save_article_review(article=article, reviewer=reviewer, credibility=3, comment="verdict")
    gold.adjudicate_article(article=article, reviewer=reviewer)
    api_client.force_authenticate(reviewer)

    rows = [json.loads(line) for line in _lines(api_client.get(f"/api/v1/projects/{demo_project.id}/export/",
                                                               {"layer": "gold"}))]

    assert [r["id"] for r in rows] == [article.external_id]
    assert len(rows[0]["spans"]) == GoldSpan.objects.filter(article=article).count()
    assert rows[0]["assessments"] == [{"analyst": None, "credibility": 3, "comment": "verdict"}]


@pytest.mark.django_db
def test_majority_layer_needs_k_agreeing_analysts(api_client, demo_project):
    api_client.force_authenticate(_user(demo_project, "reviewer"))
    url = f"/api/v1/projects/{demo_project.id}/export/"

    two = [json.loads(x) for x in _lines(api_client.get(url, {"layer": "majority", "min_agreement": 2}))]
    three = [json.loads(x) for x in _lines(api_client.get(url, {"layer": "majority", "min_agreement": 3}))]

    count = lambda rows: sum(len(r["spans"]) for r in rows)  # noqa: E731
    assert 0 < count(three) < count(two)
    assert all(s["support"] >= 3 for r in three for s in r["spans"])


@pytest.mark.django_db
def test_export_of_another_project_is_404_and_analysts_get_403(api_client, demo_project):
    # Security case T09.
    outsider = UserFactory(username="r-elsewhere")
    api_client.force_authenticate(outsider)
    assert api_client.get(f"/api/v1/projects/{demo_project.id}/export/").status_code == 404
    api_client.force_authenticate(_user(demo_project, "analyst1"))
    assert api_client.get(f"/api/v1/projects/{demo_project.id}/export/").status_code == 403


@pytest.mark.django_db
def test_unknown_format_is_refused_with_the_field(api_client, demo_project):
    api_client.force_authenticate(_user(demo_project, "admin"))

    response = api_client.get(f"/api/v1/projects/{demo_project.id}/export/", {"format": "xlsx"})

    assert (response.status_code, response.json()["field"]) == (400, "format")


@pytest.mark.django_db
def test_dataset_card_counts_labels_and_quotes_agreement(api_client, demo_project):
    api_client.force_authenticate(_user(demo_project, "admin"))

    card = api_client.get(f"/api/v1/projects/{demo_project.id}/export/card/", {"layer": "analyst"}).json()
    markdown = api_client.get(f"/api/v1/projects/{demo_project.id}/export/card/", {"layer": "analyst", "as": "md"})

    assert card["spans"] == Span.objects.count() and card["articles"] == 5
    assert sum(card["label_counts"].values()) == card["spans"]
    assert card["schema_version"] == "1.0" and card["layer"] == "analyst"
    assert card["agreement"]["span F1 (overlap)"] is not None
    assert markdown.content.decode().startswith("---\npretty_name:")


@pytest.mark.django_db
def test_export_then_import_into_an_empty_project_gives_identical_work(api_client, demo_project, tmp_path):
    path = tmp_path / "analyst.jsonl"
    call_command("export", project=demo_project.slug, format="jsonl", layer="analyst", output=path)
    target = ProjectFactory(slug="copy")
    manager = UserFactory(username="importer")
    from annotator.services.projects import add_member

    add_member(project=target, user=manager, role="manager")
    api_client.force_authenticate(manager)

    with open(path, "rb") as upload:
        response = api_client.post(f"/api/v1/projects/{target.id}/imports/", {"file": upload, "format": "jsonl"},
                                   format="multipart")

    assert response.status_code == 201, response.json()

    def work(project):
        return sorted(Span.objects.filter(assignment__article__project=project).values_list(
            "assignment__article__external_id", "assignment__analyst__username", "start", "end", "quote",
            "label__key", "source__name", "credibility"))

    assert work(target) == work(demo_project)
    assert (path.with_name("analyst.jsonl.card.md")).exists()


@pytest.mark.django_db
def test_import_with_a_bad_record_731_of_1000_names_it_and_writes_nothing(api_client, project, manager):
    # Security case T33.
    lines = [json.dumps({"id": f"doc{i}", "title": "t", "text": f"Peskov said {i}",
                         "spans": [{"start": 0, "end": 6, "label": "claim"}]}) for i in range(1, 1001)]
    lines[730] = json.dumps({"id": "doc731", "text": "short", "spans": [{"start": 2, "end": 60, "label": "claim"}]})
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/imports/",
                               {"file": SimpleUploadedFile("data.jsonl", "\n".join(lines).encode()), "format": "jsonl"}, format="multipart")

    assert response.status_code == 400, response.json()
    assert response.json()["errors"]["records"][0]["line"] == 731
    assert Article.objects.filter(project=project).count() == 0


@pytest.mark.django_db
def test_import_lists_every_unknown_label_and_a_dry_run_writes_nothing(api_client, project, manager):
    lines = [json.dumps({"text": "Kremlin denies", "spans": [{"start": 0, "end": 7, "label": "rumour"}]}),
             json.dumps({"text": "Seoul confirms", "spans": [{"start": 0, "end": 5, "label": "gossip"}]})]
    good = json.dumps({"text": "Kremlin denies", "spans": [{"start": 0, "end": 7, "label": "claim"}]})
    api_client.force_authenticate(manager)
    url = f"/api/v1/projects/{project.id}/imports/"

    refused = api_client.post(url, {"file": SimpleUploadedFile("data.jsonl", "\n".join(lines).encode()), "format": "jsonl"},
                              format="multipart")
    dry = api_client.post(url, {"file": SimpleUploadedFile("good.jsonl", good.encode()), "format": "jsonl", "dry_run": "true"},
                          format="multipart")

    assert [r["line"] for r in refused.json()["errors"]["records"]] == [1, 2]
    assert (dry.status_code, dry.json()["dry_run"], dry.json()["spans"]) == (200, True, 1)
    assert not Article.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_uploading_an_html_or_svg_file_as_articles_is_refused(api_client, project, manager):
    # Security case T14: only .txt, .jsonl and .csv are article files.
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/articles/upload/",
                               {"file": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml")}, format="multipart")

    assert response.status_code == 400
    assert not Article.objects.filter(project=project).exists()
