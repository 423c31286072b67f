"""The representations built without a serializer (the most frequent reads) answer the bytes their serializer's
would: span outputs keep their times as datetimes, which the renderer writes as DRF's fields do."""

import datetime

import pytest
from rest_framework.renderers import JSONRenderer as DRFRenderer

from annotator.api.articles import ArticleDetailOutput, article_detail_output
from annotator.api.renderers import JSONRenderer
from annotator.api.spans import SpanOutput, span_output, span_rows_output
from annotator.selectors import access
from annotator.selectors.assignments import span_rows
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

pytestmark = pytest.mark.django_db


def _sent(data: object) -> bytes:
    """The body the API sends for ``data``."""
    return JSONRenderer().render(data)


def _drf(data: object) -> bytes:
    """The body DRF's own renderer writes for a serializer's ``data``."""
    return DRFRenderer().render(data)


@pytest.fixture
def spans(analyst):
    assignment = AssignmentFactory(analyst=analyst)
    source = SourceFactory(project=assignment.article.project, name="Kremlin")
    denial = assignment.article.project.labels.get(key="denial")
    return [
        SpanFactory(assignment=assignment, start=0, end=6, source=source, credibility=2, note="said so"),
        SpanFactory(assignment=assignment, start=7, end=14, label=denial),
    ]


def test_a_time_in_the_hour_a_zone_skips_shows_as_drf_shows_it(spans, settings):
    settings.TIME_ZONE = "Europe/London"  # 01:30 UTC on 31 March 2024 is 02:30 BST: 01:30 local never happened
    moment = datetime.datetime(2024, 3, 31, 1, 30, tzinfo=datetime.UTC)
    type(spans[0]).objects.filter(pk=spans[0].pk).update(created_at=moment)

    rows = span_rows(spans[0].assignment_id)

    for span in spans:
        span.refresh_from_db()
    assert _sent(span_rows_output(rows)) == _drf([SpanOutput(span).data for span in spans])
    assert b'"created_at":"2024-03-31T02:30:00+01:00"' in _sent(span_rows_output(rows))


def test_the_list_rows_in_utc_say_z_with_their_microseconds(spans):
    rows = span_rows(spans[0].assignment_id)
    created = rows[0][11]

    sent = _sent(span_rows_output(rows))

    assert _sent(span_rows_output(rows)) == _drf([SpanOutput(span).data for span in spans])
    assert created.isoformat().replace("+00:00", "Z").encode() in sent


def test_one_span_as_the_api_answers_it(spans, analyst):
    for span in spans:
        loaded = access.get_own_span(span.pk, analyst)

        assert _sent(span_output(loaded)) == _drf(SpanOutput(loaded).data)


def test_the_list_rows_as_the_api_answers_them(spans, settings):
    settings.TIME_ZONE = "Europe/Kyiv"  # not UTC: the timestamps carry the zone's offset, like DRF's

    rows = span_rows(spans[0].assignment_id)

    assert _sent(span_rows_output(rows)) == _drf([SpanOutput(span).data for span in spans])
    assert b"+02:00" in _sent(span_rows_output(rows)) or b"+03:00" in _sent(span_rows_output(rows))
    assert span_rows_output(rows)[0]["source_name"] == "Kremlin"
    assert span_rows_output(rows)[1]["source"] is None


def test_an_article_as_the_api_answers_it_with_and_without_its_metadata(reviewer, project):
    dated = ArticleFactory(project=project, outlet="Reuters", url="https://example.test/a",
                           published=datetime.date(2024, 10, 18))
    bare = ArticleFactory(project=project)

    for article in (dated, bare):
        loaded = access.get_visible_article(article.pk, reviewer)

        assert article_detail_output(loaded) == ArticleDetailOutput(loaded).data
    assert article_detail_output(dated)["published"] == "2024-10-18"
