"""Span offsets against the article text (security case T36): bad offsets refused, annotated text fixed.

The analysts' span endpoints are covered in test_spans.py; here the gold spans and the article text.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.models import Article, GoldSpan, Span
from tests.factories import ArticleFactory, AssignmentFactory, SpanFactory

TEXT = "Peskov 🇷🇺 called it “fake news”; e\u0301lite units deny it."


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, text=TEXT, external_id="peskov-1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start": 9, "end": 3}, "end"),
        ({"start": 0, "end": len(TEXT) + 1}, "end"),
        ({"start": 0, "end": 6, "quote": "peskov"}, "quote"),
    ],
)
def test_gold_span_with_bad_offsets_or_quote_is_refused_naming_the_field(api_client, reviewer, article, payload,
                                                                         field):
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/articles/{article.id}/gold/", {"label": "claim", **payload}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not GoldSpan.objects.exists()


@pytest.mark.django_db
def test_a_quote_holding_half_of_a_utf16_pair_is_refused(api_client, reviewer, article):
    # A client counting UTF-16 units would cut the flag in half: the escaped lone surrogate never matches.
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/articles/{article.id}/gold/",
                               data='{"start": 0, "end": 8, "label": "claim", "quote": "Peskov \\ud83c"}',
                               content_type="application/json")

    assert (response.status_code, response.json()["field"]) == (400, "quote")
    assert not GoldSpan.objects.exists()


@pytest.mark.django_db
def test_gold_span_offsets_are_code_points_past_a_flag_emoji(api_client, reviewer, article):
    api_client.force_authenticate(reviewer)
    start = TEXT.index("“fake news”")

    response = api_client.post(f"/api/v1/articles/{article.id}/gold/",
                               {"start": start, "end": start + 11, "label": "claim", "quote": "“fake news”"},
                               format="json")

    assert response.status_code == 201
    # "Peskov " 7 + the flag 2 (two regional indicators) + " called it " 11 = 20 code points (22 UTF-16 units)
    assert (response.json()["start"], response.json()["quote"]) == (20, "“fake news”")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_api_never_changes_or_deletes_an_article(api_client, manager, article, method):
    span = SpanFactory(assignment=AssignmentFactory(article=article), start=0, end=6)
    api_client.force_authenticate(manager)

    response = getattr(api_client, method)(f"/api/v1/articles/{article.id}/", {"text": "Peskov denied."},
                                           format="json")

    assert response.status_code == 405
    article.refresh_from_db()
    assert article.text == TEXT and Span.objects.get(pk=span.pk).quote == TEXT[0:6]


@pytest.mark.django_db
def test_uploading_a_corrected_text_under_an_annotated_articles_id_is_refused(api_client, manager, project,
                                                                              article):
    # DECISIONS.md: an article's text never changes once a span exists; a corrected text is a new article.
    SpanFactory(assignment=AssignmentFactory(article=article), start=0, end=6)
    api_client.force_authenticate(manager)
    corrected = '{"id": "peskov-1", "text": "Peskov 🇷🇺 called it fake news."}\n'.encode()

    response = api_client.post(f"/api/v1/projects/{project.id}/articles/upload/",
                               {"file": SimpleUploadedFile("fix.jsonl", corrected)}, format="multipart")

    assert (response.status_code, response.json()["field"]) == (400, "id")
    assert list(Article.objects.filter(project=project).values_list("text", flat=True)) == [TEXT]
