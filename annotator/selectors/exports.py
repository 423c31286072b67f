"""The records an export writes, read layer by layer a batch of articles at a time (memory stays flat)."""

from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef

from annotator.agreement.consensus import majority_layer, median_score
from annotator.agreement.records import AnnotatedSpan
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan
from annotator.models import (
    Article,
    ArticleReview,
    Assignment,
    AssignmentStatus,
    GoldSpan,
    Project,
    ReviewStatus,
    Span,
)
from annotator.selectors import claims as claim_reads
from annotator.selectors.streaming import group_rows, iter_batches


class Layer(StrEnum):
    ANALYST = "analyst"      # every analyst's submitted spans, named
    GOLD = "gold"            # adjudicated articles' gold spans and verdicts
    MAJORITY = "majority"    # the consensus of units enough analysts agree on


def _articles(project: Project, layer: Layer, article_ids: list[int] | None) -> Any:
    """The articles an export of ``layer`` writes: adjudicated ones for gold, else those with submitted work."""
    articles = Article.objects.filter(project=project)
    if article_ids is not None:
        articles = articles.filter(pk__in=article_ids)
    if layer == Layer.GOLD:
        return articles.filter(review__status=ReviewStatus.ADJUDICATED)
    return articles.filter(Exists(Assignment.objects.filter(article=OuterRef("pk"), status=AssignmentStatus.SUBMITTED)))


def count_export_articles(project: Project, layer: Layer | str) -> int:
    """How many articles an export of ``layer`` writes (one record each), for progress reports."""
    return _articles(project, Layer(layer), None).count()


def iter_export_articles(project: Project, layer: Layer | str, *, min_agreement: int = 2,
                         article_ids: list[int] | None = None) -> Iterator[ExportArticle]:
    """Articles of ``project`` with the spans and assessments of ``layer``, in id order.

    The gold layer holds adjudicated articles only; the analyst and majority layers hold articles with at
    least one submitted assignment. Read a batch of articles at a time, so memory stays flat.
    """
    layer = Layer(layer)
    article_rows = _articles(project, layer, article_ids).values_list(
        "id", "external_id", "title", "text", "outlet", "url", "published")
    claims = claim_reads.claims_by_span(project, layer)
    for batch in iter_batches(article_rows):
        ids = [row[0] for row in batch]
        if layer == Layer.GOLD:
            spans = group_rows(
                GoldSpan.objects.filter(article_id__in=ids).order_by("article_id", "start", "end", "id")
                .values_list("article_id", "start", "end", "quote", "label__key", "source__name", "credibility",
                             "note", "supporters"))
            verdicts = group_rows(
                ArticleReview.objects.filter(article_id__in=ids).order_by("article_id")
                .values_list("article_id", "credibility", "comment"))
        else:
            submitted = Assignment.objects.filter(article_id__in=ids, status=AssignmentStatus.SUBMITTED)
            spans = group_rows(
                Span.objects.filter(assignment__in=submitted)
                .order_by("assignment__article_id", "assignment__analyst__username", "start", "end", "id")
                .values_list("assignment__article_id", "start", "end", "quote", "label__key", "source__name",
                             "credibility", "note", "assignment__analyst__username"))
            verdicts = group_rows(
                submitted.order_by("article_id", "analyst__username")
                .values_list("article_id", "assessment__credibility", "assessment__comment", "analyst__username"))
        for article_id, external_id, title, text, outlet, url, published in batch:
            found, assessments = _layer(layer, text, spans.get(article_id, ()), verdicts.get(article_id, ()),
                                        min_agreement)
            found = claim_reads.with_claims(article_id, found, claims)
            yield ExportArticle(external_id=external_id, title=title, text=text, outlet=outlet, url=url,
                                published=published.isoformat() if published else None, spans=found,
                                assessments=assessments)


def _layer(layer: Layer, text: str, span_rows: Sequence[tuple[Any, ...]], verdict_rows: Sequence[tuple[Any, ...]],
           min_agreement: int) -> tuple[tuple[ExportSpan, ...], tuple[ExportAssessment, ...]]:
    """One article's spans and assessments in ``layer``, from its rows."""
    if layer == Layer.GOLD:
        return (tuple(ExportSpan(s, e, q, label, source, score, note, None, len(supporters or []))
                      for _, s, e, q, label, source, score, note, supporters in span_rows),
                tuple(ExportAssessment(score, comment or "") for _, score, comment in verdict_rows))
    if layer == Layer.ANALYST:
        return (tuple(ExportSpan(s, e, q, label, source, score, note, analyst)
                      for _, s, e, q, label, source, score, note, analyst in span_rows),
                tuple(ExportAssessment(score, comment or "", analyst) for _, score, comment, analyst in verdict_rows))
    records = [AnnotatedSpan(analyst, s, e, label, source, score)
               for _, s, e, q, label, source, score, note, analyst in span_rows]
    found = tuple(ExportSpan(c.start, c.end, text[c.start:c.end], c.label, c.source, c.credibility, support=c.support)
                  for c in majority_layer(records, min_agreeing=min_agreement))
    scores = [score for _, score, _, _ in verdict_rows if score is not None]
    return found, (ExportAssessment(median_score(scores), "median of the analysts' scores"),)
