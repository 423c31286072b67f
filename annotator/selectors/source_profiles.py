"""Credibility by source: per-source aggregates of the analysts' submitted spans, a source's statements
across articles, and an article's credibility profile (its sources next to its article-level scores).

Aggregates count submitted spans only, as agreement does. Scores are summarised on the project's declared
scale; the mean and median carry a seeded bootstrap interval (agreement.bootstrap) and the analysts'
agreement on the source's scores is the agreement report's per-source alpha (agreement.report).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from annotator.agreement import bootstrap
from annotator.agreement.records import ConfidenceInterval
from annotator.agreement.report import Figure, source_score_alphas
from annotator.models import (
    Article,
    ArticleAssessment,
    ArticleReview,
    AssignmentStatus,
    GoldSpan,
    Project,
    ReviewStatus,
    Source,
    Span,
)
from annotator.selectors import access
from annotator.selectors.agreement import iter_article_annotations

BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 0
CONFIDENCE = 0.95
NOT_ON_SHARED_ARTICLES = "no article with two or more analysts has a span attributed to this source"


class SourceOrder(StrEnum):
    MEAN = "mean"      # highest mean score first
    SPANS = "spans"    # most spans first
    ALPHA = "alpha"    # best agreement first
    NAME = "name"


@dataclass(frozen=True, slots=True)
class SourceStats:
    """What the analysts' submitted spans say about one source.

    ``histogram`` has every level of the project's scale, used or not. ``alpha`` (ordinal) and
    ``interval_alpha`` are the analysts' agreement on the scores of the source's aligned spans. ``gold``
    counts the adjudicated gold spans attributed to the source, per label.
    """

    source: Source
    spans: int
    scored: int
    articles: int
    analysts: int
    statements: dict[str, int]
    histogram: dict[int, int]
    mean: float | None
    median: float | None
    mean_interval: ConfidenceInterval
    median_interval: ConfidenceInterval
    alpha: Figure
    interval_alpha: Figure
    gold: dict[str, int] = field(default_factory=dict)
    gold_mean: float | None = None

    @property
    def gold_spans(self) -> int:
        return sum(self.gold.values())


def _undefined(reason: str) -> Figure:
    return {"value": None, "reason": reason, "reading": "undefined"}


def _order_key(order: SourceOrder) -> Callable[[SourceStats], tuple[object, ...]]:
    def missing_last(value: float | None) -> tuple[bool, float]:
        return (value is None, -(value or 0.0))

    keys = {
        SourceOrder.MEAN: lambda row: (*missing_last(row.mean), -row.spans, row.source.name.lower()),
        SourceOrder.SPANS: lambda row: (-row.spans, row.source.name.lower()),
        SourceOrder.ALPHA: lambda row: (*missing_last(row.alpha["value"]), -row.spans, row.source.name.lower()),
        SourceOrder.NAME: lambda row: (row.source.name.lower(),),
    }
    return keys[order]


def _stats(project: Project, sources: QuerySet[Source], *,
           article_ids: list[int] | None = None) -> list[SourceStats]:
    """Aggregates of each of the project's ``sources``, in their order. Eight queries, whatever their number
    (the sources go into the other queries as a subquery)."""
    submitted = Span.objects.filter(assignment__article__project=project,
                                    assignment__status=AssignmentStatus.SUBMITTED, source__in=sources)
    cells: dict[int, dict[tuple[str, int | None], int]] = defaultdict(dict)
    for source_id, label, credibility, number in (
        submitted.order_by().values_list("source_id", "label__key", "credibility").annotate(n=Count("id"))
    ):
        cells[source_id][(label, credibility)] = number
    reach = {
        source_id: (articles, analysts)
        for source_id, articles, analysts in submitted.order_by().values("source_id").annotate(
            articles=Count("assignment__article_id", distinct=True),
            analysts=Count("assignment__analyst_id", distinct=True),
        ).values_list("source_id", "articles", "analysts")
    }
    gold_cells: dict[int, dict[tuple[str, int | None], int]] = defaultdict(dict)
    for source_id, label, credibility, number in (
        GoldSpan.objects.filter(article__project=project, article__review__status=ReviewStatus.ADJUDICATED,
                                source__in=sources)
        .order_by().values_list("source_id", "label__key", "credibility").annotate(n=Count("id"))
    ):
        gold_cells[source_id][(label, credibility)] = number
    alphas = source_score_alphas(iter_article_annotations(project, article_ids=article_ids),
                                 scale=(project.scale_min, project.scale_max),
                                 labels=list(project.labels.values_list("key", flat=True)))
    levels = list(project.scale)
    rows = []
    for source in sources:  # evaluated here, once
        counts = cells.get(source.pk, {})
        histogram = _histogram(counts, levels)
        mean_interval, median_interval = bootstrap.bootstrap_mean_median(
            list(histogram.values()), levels, samples=BOOTSTRAP_SAMPLES, confidence=CONFIDENCE, seed=BOOTSTRAP_SEED)
        figures = alphas.get(source.name)
        articles, analysts = reach.get(source.pk, (0, 0))
        gold = gold_cells.get(source.pk, {})
        rows.append(SourceStats(
            source=source, spans=sum(counts.values()), scored=sum(histogram.values()), articles=articles,
            analysts=analysts, statements=_per_label(counts), histogram=histogram,
            mean=bootstrap.mean_of_counts(list(histogram.values()), levels),
            median=bootstrap.median_of_counts(list(histogram.values()), levels),
            mean_interval=mean_interval, median_interval=median_interval,
            alpha=figures["ordinal"] if figures else _undefined(NOT_ON_SHARED_ARTICLES),
            interval_alpha=figures["interval"] if figures else _undefined(NOT_ON_SHARED_ARTICLES),
            gold=_per_label(gold),
            gold_mean=bootstrap.mean_of_counts(list(_histogram(gold, levels).values()), levels),
        ))
    return rows


def _histogram(counts: dict[tuple[str, int | None], int], levels: Sequence[int]) -> dict[int, int]:
    histogram = dict.fromkeys(levels, 0)
    for (_, credibility), number in counts.items():
        if credibility is not None:
            histogram[credibility] = histogram.get(credibility, 0) + number
    return histogram


def _per_label(counts: dict[tuple[str, int | None], int]) -> dict[str, int]:
    labels: dict[str, int] = {}
    for (label, _), number in sorted(counts.items(), key=lambda item: item[0][0]):
        labels[label] = labels.get(label, 0) + number
    return labels


def list_source_stats(project: Project, *, kind: str = "", country: str = "", min_spans: int = 0,
                      order: SourceOrder | str = SourceOrder.MEAN) -> list[SourceStats]:
    """Every source of the project (of ``kind``, from ``country`` in any case) with at least ``min_spans``
    submitted spans, with its aggregates, ranked by ``order``. A constant number of queries."""
    sources = Source.objects.filter(project=project)
    if kind:
        sources = sources.filter(kind=kind)
    if country.strip():
        sources = sources.filter(country__iexact=country.strip())
    rows = [row for row in _stats(project, sources) if row.spans >= min_spans]
    return sorted(rows, key=_order_key(SourceOrder(order)))


def list_countries(project: Project) -> list[str]:
    """The countries named in the project's source registry, for filters."""
    return sorted(set(Source.objects.filter(project=project).exclude(country="")
                      .values_list("country", flat=True)), key=str.lower)


def get_source_stats(source: Source) -> SourceStats:
    """The aggregates of one source, reading only the articles where it was named."""
    article_ids = list(
        Span.objects.filter(source=source, assignment__status=AssignmentStatus.SUBMITTED)
        .order_by().values_list("assignment__article_id", flat=True).distinct()
    )
    return _stats(source.project, Source.objects.filter(pk=source.pk), article_ids=article_ids)[0]


@dataclass(frozen=True, slots=True)
class Statement:
    """One analyst's span attributed to a source, with where it was said."""

    span_id: int
    article_id: int
    article_title: str
    outlet: str
    published: date | None
    analyst: str
    label: str  # its key
    label_name: str
    credibility: int | None
    quote: str
    start: int
    end: int
    is_submitted: bool


def _statement(span: Span) -> Statement:
    article = span.assignment.article
    return Statement(span.pk, article.pk, article.title, article.outlet, article.published,
                     span.assignment.analyst.get_username(), span.label.key, span.label.name, span.credibility,
                     span.quote,
                     span.start, span.end, span.assignment.status == AssignmentStatus.SUBMITTED)


def list_statements(source: Source, user: AbstractBaseUser | AnonymousUser) -> list[Statement]:
    """The source's spans across articles that the user may see (access.visible_statement_spans), by
    article date, article and position. Two queries."""
    spans = (
        access.visible_statement_spans(source.project, user, role=access.role_in(source.project, user))
        .filter(source=source)
        .select_related("assignment__article", "assignment__analyst", "label")
        .defer("assignment__article__text")
        .order_by("assignment__article__published", "assignment__article__external_id", "start", "end",
                  "assignment__analyst__username", "id")
    )
    return [_statement(span) for span in spans]


@dataclass(frozen=True, slots=True)
class ArticleScore:
    analyst: str
    credibility: int | None
    is_submitted: bool


@dataclass(frozen=True, slots=True)
class ArticleSource:
    """A source as one article shows it: its spans there, their scores, and (for reviewers) its mean over
    the whole project and the gold scores of its adjudicated spans in this article."""

    source: Source | None  # None: spans attributed to no source
    statements: list[Statement]
    mean: float | None
    project_mean: float | None = None
    gold_scores: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ArticleCredibility:
    article: Article
    assessments: list[ArticleScore]
    assessment_mean: float | None
    assessment_median: float | None
    review: ArticleReview | None
    sources: list[ArticleSource]
    sees_all_work: bool


def _scale_counts(values: Iterable[int | None], levels: Sequence[int]) -> list[int]:
    given = [value for value in values if value is not None]
    return [given.count(level) for level in levels]


def get_article_credibility(article: Article, user: AbstractBaseUser | AnonymousUser) -> ArticleCredibility:
    """An article's credibility profile for the user: the analysts' article-level scores, the gold verdict,
    and each source named in the article with its span scores.

    Reviewers and managers see every submitted analysis, the gold layer and each source's mean over the
    project; analysts see what access.visible_statement_spans lets them (their own work only in a blind
    project) and no project-wide figure. A constant number of queries.
    """
    project = article.project
    role = access.role_in(project, user)
    reviews = role in access.REVIEW_ROLES
    spans = list(
        access.visible_statement_spans(project, user, role=role).filter(assignment__article=article)
        .select_related("assignment__article", "assignment__analyst", "label", "source")
        .defer("assignment__article__text")
        .order_by("start", "end", "assignment__analyst__username", "id")
    )
    assessments = [
        ArticleScore(a.assignment.analyst.get_username(), a.credibility, a.assignment.is_submitted)
        for a in ArticleAssessment.objects.filter(
            assignment__in=access.visible_work(project, user, role=role), assignment__article=article)
        .select_related("assignment__analyst").order_by("assignment__analyst__username")
    ]
    by_source: dict[int | None, list[Span]] = defaultdict(list)
    for span in spans:
        by_source[span.source_id].append(span)
    named = [source_id for source_id in by_source if source_id is not None]
    project_means = _project_means(project, named) if reviews else {}
    gold_scores: dict[int, list[int]] = defaultdict(list)
    if reviews:
        gold = GoldSpan.objects.filter(article=article, source__isnull=False, credibility__isnull=False)
        for source_id, credibility in gold.values_list("source_id", "credibility"):
            if credibility is not None:  # filtered above; this tells the type checker
                gold_scores[source_id].append(credibility)
    levels = list(project.scale)
    sources = [
        ArticleSource(source=members[0].source, statements=[_statement(span) for span in members],
                      mean=bootstrap.mean_of_counts(_scale_counts((s.credibility for s in members), levels), levels),
                      project_mean=project_means.get(source_id) if source_id is not None else None,
                      gold_scores=sorted(gold_scores[source_id]) if source_id is not None else [])
        for source_id, members in by_source.items()
    ]
    sources.sort(key=lambda row: (row.source is None, row.source.name.lower() if row.source else ""))
    article_counts = _scale_counts((score.credibility for score in assessments), levels)
    return ArticleCredibility(
        article=article, assessments=assessments,
        assessment_mean=bootstrap.mean_of_counts(article_counts, levels),
        assessment_median=bootstrap.median_of_counts(article_counts, levels),
        review=ArticleReview.objects.filter(article=article).first() if reviews else None,
        sources=sources, sees_all_work=access.sees_all_work(project, role),
    )


def _project_means(project: Project, source_ids: list[int]) -> dict[int, float | None]:
    """Each source's mean span score over the project's submitted work."""
    sums: dict[int, int] = defaultdict(int)
    numbers: dict[int, int] = defaultdict(int)
    scored = Span.objects.filter(
        assignment__article__project=project, assignment__status=AssignmentStatus.SUBMITTED,
        source_id__in=source_ids, credibility__isnull=False)
    for source_id, credibility, number in (
        scored.order_by().values_list("source_id", "credibility").annotate(n=Count("id"))
    ):
        sums[source_id] += credibility * number
        numbers[source_id] += number
    return {source_id: sums[source_id] / numbers[source_id] for source_id in numbers}
