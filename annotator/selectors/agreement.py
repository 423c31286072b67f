"""Reads for agreement: submitted work of a project as plain records, and the project's report."""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models.functions import Length

from annotator.agreement.records import AnnotatedSpan
from annotator.agreement.report import ArticleAnnotations, build_report
from annotator.models import Article, Assignment, AssignmentStatus, Project, Span
from annotator.selectors.streaming import GroupCursor


def iter_article_annotations(project: Project, *, article_ids: list[int] | None = None) -> Iterator[ArticleAnnotations]:
    """Every article of the project with the spans and scores of its submitted assignments, in id order.

    Three queries whatever the project size, read in chunks so memory stays flat.
    """
    assignments = Assignment.objects.filter(article__project=project, status=AssignmentStatus.SUBMITTED)
    spans = Span.objects.filter(assignment__in=assignments)
    articles = Article.objects.filter(project=project)
    if article_ids is not None:
        assignments = assignments.filter(article_id__in=article_ids)
        spans = spans.filter(assignment__article_id__in=article_ids)
        articles = articles.filter(pk__in=article_ids)
    score_rows = (
        assignments.order_by("article_id", "analyst__username")
        .values_list("article_id", "analyst__username", "assessment__credibility")
        .iterator(chunk_size=5000)
    )
    span_rows = (
        spans.order_by("assignment__article_id", "assignment__analyst__username", "start", "end", "id")
        .values_list("assignment__article_id", "assignment__analyst__username", "start", "end", "label__key",
                     "source__name", "credibility")
        .iterator(chunk_size=5000)
    )
    article_rows = (
        articles.order_by("id").annotate(length=Length("text")).values_list("id", "title", "length")
        .iterator(chunk_size=5000)
    )
    scores = GroupCursor(score_rows)
    span_groups = GroupCursor(span_rows)
    for article_id, title, length in article_rows:
        article_scores = {analyst: credibility for _, analyst, credibility in scores.take(article_id)}
        article_spans = [AnnotatedSpan(analyst, start, end, label, source, credibility)
                         for _, analyst, start, end, label, source, credibility in span_groups.take(article_id)]
        yield ArticleAnnotations(article_id, length, article_spans, article_scores, title=title)


def get_project_report(project: Project, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The agreement report of the project over submitted assignments (see agreement.report)."""
    records = iter_article_annotations(project)
    if progress is not None:
        records = _counting(records, progress)
    report = build_report(records, scale=(project.scale_min, project.scale_max),
                          labels=list(project.labels.values_list("key", flat=True)))
    report["project"] = {"id": project.pk, "name": project.name, "slug": project.slug}
    return report


def _counting(records: Iterator[ArticleAnnotations], progress: Callable[[int], None]) -> Iterator[ArticleAnnotations]:
    for record in records:
        progress(1)
        yield record
