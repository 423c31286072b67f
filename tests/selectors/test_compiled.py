"""Compiled queries answer exactly what the ORM answers for the same queryset, on both databases."""

import pytest
from django.db import DatabaseError, connection
from django.db.models import Count

from annotator.models import Article, Source, Span
from annotator.selectors import access
from annotator.selectors.compiled import CompiledQuery, columns, instances
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

pytestmark = pytest.mark.django_db

SPAN_VALUES = ("id", "start", "end", "label__key", "source__name", "source__aliases", "created_at", "updated_at")


def test_rows_equal_the_orm_rows_with_converted_values_and_joins():
    assignment = AssignmentFactory()
    label = assignment.article.project.labels.get(key="claim")
    source = SourceFactory(project=assignment.article.project, aliases=["Kremlin spokesman", "Peskov"])
    SpanFactory(assignment=assignment, label=label, source=source, start=0, end=6)
    SpanFactory(assignment=assignment, label=label, start=7, end=14)
    compiled = CompiledQuery(
        lambda assignment_id: Span.objects.filter(assignment_id=assignment_id).order_by("start")
        .values_list(*SPAN_VALUES),
        assignment_id=int,
    )

    expected = list(Span.objects.filter(assignment=assignment).order_by("start").values_list(*SPAN_VALUES))

    assert compiled.rows(assignment_id=assignment.pk) == expected
    assert compiled.rows(assignment_id=assignment.pk)[0][5] == ["Kremlin spokesman", "Peskov"]  # JSON decoded
    assert compiled.rows(assignment_id=assignment.pk + 1000) == []


def test_each_call_binds_its_own_values_and_keeps_the_querysets_constants():
    article = ArticleFactory()
    other = ArticleFactory(project=article.project)
    compiled = CompiledQuery(
        lambda article_id, external_id: Article.objects.filter(pk=article_id, external_id=external_id,
                                                               title__isnull=False)
        .values_list("title")[:1],
        article_id=int, external_id=str,
    )

    assert compiled.first(article_id=article.pk, external_id=article.external_id) == (article.title,)
    assert compiled.first(article_id=other.pk, external_id=other.external_id) == (other.title,)
    assert compiled.first(article_id=article.pk, external_id=other.external_id) is None


def test_an_id_beyond_64_bits_matches_nothing_as_in_the_orm():
    compiled = CompiledQuery(lambda article_id: Article.objects.filter(pk=article_id).values_list("id"),
                             article_id=int)

    assert compiled.rows(article_id=2**70) == []
    assert not Article.objects.filter(pk=2**70).exists()


def test_values_of_the_wrong_type_or_name_are_refused_before_any_query(django_assert_num_queries):
    compiled = CompiledQuery(lambda article_id: Article.objects.filter(pk=article_id).values_list("id"),
                             article_id=int)

    with django_assert_num_queries(0):
        with pytest.raises(TypeError, match="article_id must be int"):
            compiled.rows(article_id="1")
        with pytest.raises(TypeError, match="article_id must be int"):
            compiled.rows(article_id=True)
        with pytest.raises(TypeError, match="expected the values"):
            compiled.rows(pk=1)


def test_a_lookup_that_rewrites_its_value_is_refused_when_compiled():
    compiled = CompiledQuery(lambda name: Source.objects.filter(name__icontains=name).values_list("id"), name=str)

    with pytest.raises(ValueError, match="rewrites"):
        compiled.rows(name="kremlin")


def test_a_value_the_queryset_does_not_use_is_refused_when_compiled():
    compiled = CompiledQuery(lambda article_id: Article.objects.values_list("id"), article_id=int)

    with pytest.raises(ValueError, match="does not use"):
        compiled.rows(article_id=1)


def test_aggregates_and_instances_come_back_like_the_orms():
    span = SpanFactory()
    compiled = CompiledQuery(
        lambda article_id: Article.objects.filter(pk=article_id).annotate(n=Count("assignments__spans"))
        .values_list(*columns(Article), "n"),
        article_id=int,
    )

    (row,) = compiled.rows(article_id=span.assignment.article_id)
    (article,) = instances(row, Article)

    assert row[-1] == 1
    assert article == span.assignment.article
    assert [getattr(article, name) for name in columns(Article)] == [
        getattr(span.assignment.article, name) for name in columns(Article)]
    assert not article._state.adding


def test_fetches_for_a_user_come_with_their_relations_loaded(analyst, django_assert_num_queries):
    assignment = AssignmentFactory(analyst=analyst)
    span = SpanFactory(assignment=assignment)

    own = access.get_own_span(span.pk, analyst)

    with django_assert_num_queries(0):
        assert own.assignment.article.project == assignment.article.project
        assert own.label.key == span.label.key
        assert own.source is None
        assert own.assignment.analyst == analyst


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")


def _plans_of(marker: str) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                       [f"%{marker}%"])
        return cursor.fetchall()


@postgresql_only
def test_on_postgresql_a_compiled_query_is_prepared_once_and_then_planned_no_more(django_assert_num_queries):
    articles = ArticleFactory.create_batch(3)
    compiled = CompiledQuery(
        lambda article_id: Article.objects.filter(pk=article_id).values_list("title", "created_at")
        .annotate(prepared_marker=Count("pk")),
        article_id=int,
    )

    with django_assert_num_queries(12):  # each run is a query like any other: logged and counted
        answers = [compiled.rows(article_id=article.pk) for article in articles * 4]

    assert [row[0][0] for row in answers] == [article.title for article in articles * 4]
    assert [row[0][1] for row in answers] == [article.created_at for article in articles * 4]
    ((generic, custom),) = _plans_of("prepared_marker")
    assert generic + custom == 12
    assert generic >= 6  # after five custom plans PostgreSQL keeps one generic plan for the statement


@postgresql_only
def test_without_a_prepare_threshold_compiled_queries_run_unprepared(monkeypatch):
    article = ArticleFactory()
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)  # DB_PREPARED_STATEMENTS=0
    compiled = CompiledQuery(
        lambda article_id: Article.objects.filter(pk=article_id).values_list("title")
        .annotate(unprepared_marker=Count("pk")),
        article_id=int,
    )

    assert compiled.rows(article_id=article.pk) == [(article.title, 1)]
    assert _plans_of("unprepared_marker") == []


@postgresql_only
def test_a_database_error_comes_as_djangos_error_class():
    compiled = CompiledQuery(lambda title: Article.objects.filter(title=title).values_list("id"), title=str)

    with pytest.raises(DatabaseError):  # PostgreSQL refuses a NUL byte in text
        compiled.rows(title="a\x00b")
