"""The records an export writes, read layer by layer in streamed, id-ordered queries (memory stays flat)."""

from collections.abc import Iterator
from enum import StrEnum
from typing import Any

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
from annotator.selectors.streaming import GroupCursor

CHUNK = 2000


class Layer(StrEnum):
    ANALYST = "analyst"      # every analyst's submitted spans, named
    GOLD = "gold"            # adjudicated articles' gold spans and verdicts
    MAJORITY = "majority"    # the consensus of units enough analysts agree on


def _articles(project: Project, layer: Layer, article_ids: list[int] | None) -> Any:
    articles = Article.objects.filter(project=project)
    if article_ids is not None:
        articles = articles.filter(pk__in=article_ids)
    if layer == Layer.GOLD:
        return articles.filter(review__status=ReviewStatus.ADJUDICATED)
    return articles.filter(assignments__status=AssignmentStatus.SUBMITTED).distinct()


def count_export_articles(project: Project, layer: Layer | str) -> int:
    """How many articles an export of ``layer`` writes (one record each), for progress reports."""
    return _articles(project, Layer(layer), None).count()


def iter_export_articles(project: Project, layer: Layer | str, *, min_agreement: int = 2,
                         article_ids: list[int] | None = None) -> Iterator[ExportArticle]:
    """Articles of ``project`` with the spans and assessments of ``layer``, in id order.

    The gold layer holds adjudicated articles only; the analyst and majority layers hold articles with at
    least one submitted assignment.
    """
    layer = Layer(layer)
    articles = _articles(project, layer, article_ids)
    article_rows = articles.order_by("id").values_list(
        "id", "external_id", "title", "text", "outlet", "url", "published").iterator(chunk_size=CHUNK)
    if layer == Layer.GOLD:
        spans = GroupCursor(
            GoldSpan.objects.filter(article__in=articles).order_by("article_id", "start", "end", "id")
            .values_list("article_id", "start", "end", "quote", "label__key", "source__name", "credibility", "note",
                         "supporters")
            .iterator(chunk_size=CHUNK))
        verdicts = GroupCursor(
            ArticleReview.objects.filter(article__in=articles).order_by("article_id")
            .values_list("article_id", "credibility", "comment").iterator(chunk_size=CHUNK))
    else:
        submitted = Assignment.objects.filter(article__in=articles, status=AssignmentStatus.SUBMITTED)
        spans = GroupCursor(
            Span.objects.filter(assignment__in=submitted)
            .order_by("assignment__article_id", "assignment__analyst__username", "start", "end", "id")
            .values_list("assignment__article_id", "start", "end", "quote", "label__key", "source__name",
                         "credibility", "note", "assignment__analyst__username")
            .iterator(chunk_size=CHUNK))
        verdicts = GroupCursor(
            submitted.order_by("article_id", "analyst__username")
            .values_list("article_id", "assessment__credibility", "assessment__comment", "analyst__username")
            .iterator(chunk_size=CHUNK))
    claims = claim_reads.claims_by_span(project, layer)
    for article_id, external_id, title, text, outlet, url, published in article_rows:
        span_rows = spans.take(article_id)
        verdict_rows = verdicts.take(article_id)
        if layer == Layer.GOLD:
            found = tuple(ExportSpan(s, e, q, label, source, score, note, None, len(supporters or []))
                          for _, s, e, q, label, source, score, note, supporters in span_rows)
            assessments = tuple(ExportAssessment(score, comment or "") for _, score, comment in verdict_rows)
        elif layer == Layer.ANALYST:
            found = tuple(ExportSpan(s, e, q, label, source, score, note, analyst)
                          for _, s, e, q, label, source, score, note, analyst in span_rows)
            assessments = tuple(ExportAssessment(score, comment or "", analyst)
                                for _, score, comment, analyst in verdict_rows)
        else:
            records = [AnnotatedSpan(analyst, s, e, label, source, score)
                       for _, s, e, q, label, source, score, note, analyst in span_rows]
            found = tuple(ExportSpan(c.start, c.end, text[c.start:c.end], c.label, c.source, c.credibility,
                                     support=c.support)
                          for c in majority_layer(records, min_agreeing=min_agreement))
            scores = [score for _, score, _, _ in verdict_rows if score is not None]
            assessments = (ExportAssessment(median_score(scores), "median of the analysts' scores"),)
        found = claim_reads.with_claims(article_id, found, claims)
        yield ExportArticle(external_id=external_id, title=title, text=text, outlet=outlet, url=url,
                            published=published.isoformat() if published else None, spans=found,
                            assessments=assessments)
