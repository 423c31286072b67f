"""Reads for agreement: submitted work of a project as plain records, and the project's report."""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models.functions import Length

from annotator.agreement.records import AnnotatedSpan
from annotator.agreement.report import ArticleAnnotations, build_report
from annotator.models import Article, Assignment, AssignmentStatus, Project, Span
from annotator.selectors.streaming import group_rows, iter_batches


def iter_article_annotations(project: Project, *, article_ids: list[int] | None = None) -> Iterator[ArticleAnnotations]:
    """Every article of the project with the spans and scores of its submitted assignments, in id order.

    Read a batch of articles at a time (three short queries a batch), so memory stays flat.
    """
    articles = Article.objects.filter(project=project)
    if article_ids is not None:
        articles = articles.filter(pk__in=article_ids)
    article_rows = articles.annotate(length=Length("text")).values_list("id", "title", "length")
    for batch in iter_batches(article_rows):
        ids = [row[0] for row in batch]
        assignments = Assignment.objects.filter(article_id__in=ids, status=AssignmentStatus.SUBMITTED)
        scores = group_rows(assignments.order_by("article_id", "analyst__username")
                            .values_list("article_id", "analyst__username", "assessment__credibility"))
        spans = group_rows(
            Span.objects.filter(assignment__in=assignments)
            .order_by("assignment__article_id", "assignment__analyst__username", "start", "end", "id")
            .values_list("assignment__article_id", "assignment__analyst__username", "start", "end", "label__key",
                         "source__name", "credibility"))
        for article_id, title, length in batch:
            article_scores = {analyst: credibility for _, analyst, credibility in scores.get(article_id, ())}
            article_spans = [AnnotatedSpan(analyst, start, end, label, source, credibility)
                             for _, analyst, start, end, label, source, credibility in spans.get(article_id, ())]
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
