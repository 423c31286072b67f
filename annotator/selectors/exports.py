"""The records an export writes, read layer by layer a batch of articles at a time (memory stays flat)."""

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, cast

from django.db.models import Exists, OuterRef, QuerySet

from annotator.agreement.consensus import majority_layer, median_score
from annotator.agreement.records import AnnotatedSpan
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, span_of
from annotator.models import (
    Article,
    ArticleReview,
    Assignment,
    AssignmentStatus,
    GoldSpan,
    Label,
    Project,
    ReviewStatus,
    Source,
    Span,
)
from annotator.selectors import claims as claim_reads
from annotator.selectors.streaming import among, group_rows, iter_batches


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
    labels = _Names(Label.objects.filter(project=project), "key")
    sources = _Names(Source.objects.filter(project=project), "name")
    for batch in iter_batches(article_rows):
        ids = [row[0] for row in batch]
        if layer == Layer.GOLD:
            layers = _gold(ids, labels, sources)
        else:
            layers = _analysts(ids, labels, sources, layer, min_agreement)
        for article_id, external_id, title, text, outlet, url, published in batch:
            found, assessments = layers(article_id, text)
            found = claim_reads.with_claims(article_id, found, claims)
            yield ExportArticle(external_id=external_id, title=title, text=text, outlet=outlet, url=url,
                                published=published.isoformat() if published else None, spans=found,
                                assessments=assessments)


class _Names(dict[int | None, str | None]):
    """Label keys or source names by id, read once per export (None for no source), so that the span
    queries join nothing; a row outside the project, which validation does not let in, is read when met."""

    def __init__(self, rows: QuerySet[Any], column: str) -> None:
        super().__init__(rows.values_list("id", column))
        self[None] = None
        self.rows, self.column = rows.model.objects.all(), column

    def __missing__(self, pk: int) -> str | None:
        value = self[pk] = self.rows.filter(pk=pk).values_list(self.column, flat=True).first()
        return value


# A layer's reader for one batch of articles: (article id, text) -> (spans, assessments).
Layers = Callable[[int, str], tuple[tuple[ExportSpan, ...], tuple[ExportAssessment, ...]]]


def _gold(ids: list[int], labels: _Names, sources: _Names) -> Layers:
    """The gold spans and verdicts of a batch of articles."""
    spans = group_rows(
        GoldSpan.objects.filter(among("article_id", ids)).order_by("article_id", "start", "end", "id")
        .values_list("article_id", "start", "end", "quote", "label_id", "source_id", "credibility", "note",
                     "supporters"))
    verdicts = group_rows(ArticleReview.objects.filter(among("article_id", ids)).order_by("article_id")
                          .values_list("article_id", "credibility", "comment"))

    def layers(article_id: int, text: str) -> tuple[tuple[ExportSpan, ...], tuple[ExportAssessment, ...]]:
        return (tuple([span_of((s, e, q, labels[label], sources[source], score, note, None,
                                          len(supporters or []), ()))
                       for _, s, e, q, label, source, score, note, supporters in spans.get(article_id, ())]),
                tuple([ExportAssessment(score, comment or "") for _, score, comment in verdicts.get(article_id, ())]))
    return layers


def _analysts(ids: list[int], labels: _Names, sources: _Names, layer: Layer, min_agreement: int) -> Layers:
    """Every analyst's submitted spans and scores of a batch of articles (analyst layer), or their
    consensus (majority layer). Spans are read by assignment, joining nothing: their assignment's row
    names the analyst."""
    work = group_rows(
        Assignment.objects.filter(among("article_id", ids), status=AssignmentStatus.SUBMITTED)
        .order_by("article_id", "analyst__username")
        .values_list("article_id", "id", "analyst__username", "assessment__credibility", "assessment__comment"))
    assignment_ids = [row[1] for rows in work.values() for row in rows]
    spans = group_rows(
        Span.objects.filter(among("assignment_id", assignment_ids))
        .order_by("assignment_id", "start", "end", "id")
        .values_list("assignment_id", "start", "end", "quote", "label_id", "source_id", "credibility", "note")
        if assignment_ids else [])

    def layers(article_id: int, text: str) -> tuple[tuple[ExportSpan, ...], tuple[ExportAssessment, ...]]:
        found: list[ExportSpan] = []
        assessments = []
        for _, assignment_id, analyst, score, comment in work.get(article_id, ()):
            found += [span_of((s, e, q, labels[label], sources[source], credibility, note, analyst, None,
                                         ()))
                      for _, s, e, q, label, source, credibility, note in spans.get(assignment_id, ())]
            assessments.append(ExportAssessment(score, comment or "", analyst))
        if layer == Layer.ANALYST:
            return tuple(found), tuple(assessments)
        records = [AnnotatedSpan(cast(str, s.analyst), s.start, s.end, s.label, s.source, s.credibility)  # named above
                   for s in found]
        consensus = tuple(ExportSpan(c.start, c.end, text[c.start:c.end], c.label, c.source, c.credibility,
                                     support=c.support)
                          for c in majority_layer(records, min_agreeing=min_agreement))
        scores = [a.credibility for a in assessments if a.credibility is not None]
        return consensus, (ExportAssessment(median_score(scores), "median of the analysts' scores"),)
    return layers
