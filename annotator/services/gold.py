"""Adjudication: reviewers turn analysts' spans into the gold layer and give each article a verdict."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator import text
from annotator.agreement.alignment import Match, align_spans
from annotator.agreement.consensus import consensus
from annotator.agreement.records import AnnotatedSpan
from annotator.errors import DomainError, DuplicateSpan, InvalidSpan, ReviewLocked, WrongProject, check_version
from annotator.models import Article, ArticleReview, AssignmentStatus, GoldSpan, Label, ReviewStatus, Source, Span
from annotator.services.spans import check_credibility

_UNSET = object()


def get_or_create_review(article: Article) -> ArticleReview:
    review, _ = ArticleReview.objects.get_or_create(article=article)
    return review


def _ensure_open(article: Article) -> None:
    review = ArticleReview.objects.select_for_update().filter(article=article).first()
    if review is not None and review.is_adjudicated:
        raise ReviewLocked("the article is adjudicated; reopen its review before changing the gold layer.")


def _checked(article: Article, start: int, end: int, label: Label, source: Source | None,
             credibility: int | None, quote: str | None) -> str:
    if label.project_id != article.project_id:
        raise WrongProject("the label belongs to another project.", field="label")
    if source is not None and source.project_id != article.project_id:
        raise WrongProject("the source belongs to another project.", field="source")
    check_credibility(article.project, credibility)
    try:
        return text.extract_quote(article.text, start, end, expected=quote)
    except text.OffsetError as error:
        raise InvalidSpan(str(error), field=error.field) from None


def _supporters(spans: Sequence[Span]) -> list[str]:
    return sorted({span.assignment.analyst.get_username() for span in spans})


def _check_supporting(article: Article, spans: Sequence[Span]) -> None:
    if any(span.assignment.article_id != article.pk for span in spans):
        raise WrongProject("a supporting span belongs to another article.", field="spans")


@transaction.atomic
def create_gold_span(
    *,
    article: Article,
    reviewer: AbstractBaseUser,
    start: int,
    end: int,
    label: Label,
    source: Source | None = None,
    credibility: int | None = None,
    note: str = "",
    quote: str | None = None,
    supporting_spans: Sequence[Span] = (),
) -> GoldSpan:
    """Add a span to the article's gold layer, with the analysts' spans it rests on.

    Raises InvalidSpan, WrongProject, ScoreOutOfScale, DuplicateSpan, or ReviewLocked once adjudicated.
    """
    _ensure_open(article)
    checked_quote = _checked(article, start, end, label, source, credibility, quote)
    _check_supporting(article, supporting_spans)
    if GoldSpan.objects.filter(article=article, start=start, end=end, label=label).exists():
        raise DuplicateSpan(f"the gold layer has a {label.key} span at [{start}, {end}) already.", field="start")
    try:
        with transaction.atomic():
            gold = GoldSpan.objects.create(
                article=article, start=start, end=end, quote=checked_quote, label=label, source=source,
                credibility=credibility, note=note, decided_by=reviewer, supporters=_supporters(supporting_spans),
            )
    except IntegrityError:
        raise DuplicateSpan(f"the gold layer has a {label.key} span at [{start}, {end}) already.",
                            field="start") from None
    gold.supporting_spans.set(supporting_spans)
    get_or_create_review(article)
    return gold


@transaction.atomic
def accept_span(*, span: Span, reviewer: AbstractBaseUser) -> GoldSpan:
    """Take one analyst's span into gold as it is; identical spans of other analysts support it too."""
    article = span.assignment.article
    identical = list(
        Span.objects.filter(assignment__article=article, start=span.start, end=span.end, label=span.label)
        .select_related("assignment__analyst")
    )
    return create_gold_span(
        article=article, reviewer=reviewer, start=span.start, end=span.end, label=span.label, source=span.source,
        credibility=span.credibility, note=span.note, supporting_spans=identical,
    )


@transaction.atomic
def merge_spans(*, spans: Sequence[Span], reviewer: AbstractBaseUser) -> GoldSpan:
    """One gold span from several analysts' versions of a unit (agreement.consensus decides): the most
    frequent label; among the spans with it, the extent most chose (ties: the widest), the most frequent
    source and the median score. All the given spans are recorded as its support.
    """
    if not spans:
        raise DomainError("choose at least one span to merge.", field="spans", code="required")
    article = spans[0].assignment.article
    _check_supporting(article, spans)
    labels = {span.label.key: span.label for span in spans}
    sources = {span.source.name: span.source for span in spans if span.source is not None}
    agreed = consensus([_record(span) for span in spans])
    return create_gold_span(
        article=article, reviewer=reviewer, start=agreed.start, end=agreed.end, label=labels[agreed.label],
        source=sources.get(agreed.source) if agreed.source else None, credibility=agreed.credibility,
        supporting_spans=spans,
    )


def _record(span: Span) -> AnnotatedSpan:
    return AnnotatedSpan(span.assignment.analyst.get_username(), span.start, span.end, span.label.key,
                         span.source.name if span.source else None, span.credibility)


@transaction.atomic
def update_gold_span(
    *,
    gold: GoldSpan,
    version: int,
    reviewer: AbstractBaseUser,
    start: int | None = None,
    end: int | None = None,
    label: Label | None = None,
    source: Source | None | object = _UNSET,
    credibility: int | None | object = _UNSET,
    note: str | None = None,
    quote: str | None = None,
) -> GoldSpan:
    """Edit a gold span the reviewer saw at ``version``; raises StaleVersion if someone saved in between."""
    current = GoldSpan.objects.select_for_update().select_related("article__project").get(pk=gold.pk)
    _ensure_open(current.article)
    check_version("gold span", version, current.version)
    new_start = current.start if start is None else start
    new_end = current.end if end is None else end
    new_label = current.label if label is None else label
    new_source = current.source if source is _UNSET else source
    new_credibility = current.credibility if credibility is _UNSET else credibility
    current.quote = _checked(current.article, new_start, new_end, new_label, new_source,  # type: ignore[arg-type]
                             new_credibility, quote)  # type: ignore[arg-type]  # _UNSET resolved above
    clash = GoldSpan.objects.filter(article=current.article, start=new_start, end=new_end, label=new_label)
    if clash.exclude(pk=current.pk).exists():
        raise DuplicateSpan(f"the gold layer has a {new_label.key} span at [{new_start}, {new_end}) already.",
                            field="start")
    current.start, current.end, current.label = new_start, new_end, new_label
    current.source, current.credibility = new_source, new_credibility  # type: ignore[assignment]
    if note is not None:
        current.note = note
    current.decided_by = reviewer  # type: ignore[assignment]  # a user model instance
    current.version += 1
    current.save()
    return current


@transaction.atomic
def delete_gold_span(*, gold: GoldSpan, version: int | None = None) -> None:
    """Reject a gold span (take it out of the gold layer)."""
    current = GoldSpan.objects.select_for_update().get(pk=gold.pk)
    _ensure_open(current.article)
    check_version("gold span", version, current.version)
    current.delete()


@transaction.atomic
def save_article_review(
    *, article: Article, reviewer: AbstractBaseUser, credibility: int | None, comment: str = "",
    version: int | None = None,
) -> ArticleReview:
    """Set the gold article-level credibility score and comment."""
    get_or_create_review(article)
    review = ArticleReview.objects.select_for_update().get(article=article)
    if review.is_adjudicated:
        raise ReviewLocked("the article is adjudicated; reopen its review first.")
    check_version("review", version, review.version)
    check_credibility(article.project, credibility)
    review.credibility, review.comment, review.decided_by = credibility, comment, reviewer
    review.version += 1
    review.save()
    return review


@transaction.atomic
def adjudicate_article(*, article: Article, reviewer: AbstractBaseUser) -> ArticleReview:
    """Mark the article's gold layer final (exports of the gold layer include it from now on)."""
    get_or_create_review(article)
    review = ArticleReview.objects.select_for_update().get(article=article)
    if review.is_adjudicated:
        raise ReviewLocked("the article is adjudicated already.")
    review.status = ReviewStatus.ADJUDICATED
    review.adjudicated_at = timezone.now()
    review.decided_by = reviewer  # type: ignore[assignment]  # a user model instance
    review.version += 1
    review.save()
    return review


@transaction.atomic
def reopen_review(*, article: Article, reviewer: AbstractBaseUser) -> ArticleReview:
    """Make an adjudicated article's gold layer editable again."""
    review = ArticleReview.objects.select_for_update().filter(article=article).first()
    if review is None or not review.is_adjudicated:
        raise DomainError("the article is not adjudicated.", field="status", code="not_adjudicated")
    review.status = ReviewStatus.OPEN
    review.adjudicated_at = None
    review.decided_by = reviewer  # type: ignore[assignment]  # a user model instance
    review.version += 1
    review.save()
    return review


@transaction.atomic
def accept_majority(*, article: Article, reviewer: AbstractBaseUser, min_agreeing: int) -> list[GoldSpan]:
    """Gold spans for every unit where at least ``min_agreeing`` analysts marked overlapping spans with the
    same label (submitted work only); each is merged as merge_spans does. Units that already have a gold
    span overlapping them with that label are left alone, so running it twice adds nothing.
    """
    if min_agreeing < 1:
        raise DomainError("K must be 1 or more.", field="min_agreeing", code="invalid")
    submitted = list(
        Span.objects.filter(assignment__article=article, assignment__status=AssignmentStatus.SUBMITTED)
        .select_related("assignment__analyst", "label", "source")
    )
    by_record = {
        AnnotatedSpan(span.assignment.analyst.get_username(), span.start, span.end, span.label.key): span
        for span in submitted
    }
    existing = list(GoldSpan.objects.filter(article=article).select_related("label"))
    created: list[GoldSpan] = []
    for unit in align_spans(list(by_record), match=Match.OVERLAP, same_label=False):
        label = unit.majority_label()
        agreeing = [by_record[record] for record in unit.spans.values() if record.label == label]
        if len(agreeing) < min_agreeing:
            continue
        if any(g.label.key == label and g.start < unit.end and unit.start < g.end for g in existing + created):
            continue
        created.append(merge_spans(spans=agreeing, reviewer=reviewer))
    return created
