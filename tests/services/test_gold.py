"""Adjudication into the gold layer: accept, edit, merge, reject, verdict, lock, audit trail."""

import pytest

from annotator.errors import DuplicateSpan, InvalidSpan, ReviewLocked, StaleVersion, WrongProject
from annotator.models import ArticleReview, GoldSpan, ReviewStatus
from annotator.services import assignments, gold, spans
from tests.factories import ARTICLE_TEXT, ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

# ARTICLE_TEXT = "Kyrylo Budanov said 10,000 North Korean troops will fight. The Kremlin called ..."


@pytest.fixture
def article(project):
    return ArticleFactory(project=project, text=ARTICLE_TEXT)


def _span(article, analyst=None, **fields):
    assignment = AssignmentFactory(article=article, **({"analyst": analyst} if analyst else {}))
    return SpanFactory(assignment=assignment, **fields)


@pytest.mark.django_db
def test_accept_copies_the_analysts_span_and_records_every_identical_span_as_support(article, reviewer):
    first = _span(article, start=20, end=26, credibility=4)
    second = _span(article, start=20, end=26, credibility=2)
    _span(article, start=20, end=30)  # other boundaries: not support

    result = gold.accept_span(span=first, reviewer=reviewer)

    assert (result.start, result.end, result.quote, result.credibility) == (20, 26, "10,000", 4)
    assert set(result.supporting_spans.all()) == {first, second}
    assert result.supporters == sorted([first.assignment.analyst.username, second.assignment.analyst.username])
    assert result.decided_by == reviewer


@pytest.mark.django_db
def test_merge_takes_majority_extent_label_source_and_median_score(article, reviewer, project):
    kremlin = SourceFactory(project=project, name="Kremlin")
    denial = project.labels.get(key="denial")
    versions = [
        _span(article, start=59, end=70, label=denial, source=kremlin, credibility=2),
        _span(article, start=59, end=70, label=denial, source=None, credibility=3),
        _span(article, start=55, end=70, credibility=5),  # wider, labelled claim
    ]

    result = gold.merge_spans(spans=versions, reviewer=reviewer)

    assert (result.start, result.end, result.quote) == (59, 70, ARTICLE_TEXT[59:70])
    assert (result.label, result.source, result.credibility) == (denial, kremlin, 3)  # median of 2, 3, 5
    assert result.supporting_spans.count() == 3


@pytest.mark.django_db
def test_edit_gold_boundaries_keeps_quote_exact_and_raises_the_version(article, reviewer):
    accepted = gold.accept_span(span=_span(article, start=20, end=26), reviewer=reviewer)

    edited = gold.update_gold_span(gold=accepted, version=1, reviewer=reviewer, start=20, end=46)

    assert (edited.quote, edited.version) == ("10,000 North Korean troops", 2)
    assert ARTICLE_TEXT[edited.start:edited.end] == edited.quote


@pytest.mark.django_db
def test_stale_gold_edit_is_refused_and_changes_nothing(article, reviewer):
    accepted = gold.accept_span(span=_span(article, start=20, end=26), reviewer=reviewer)
    gold.update_gold_span(gold=accepted, version=1, reviewer=reviewer, credibility=5)

    with pytest.raises(StaleVersion):
        gold.update_gold_span(gold=accepted, version=1, reviewer=reviewer, credibility=1)

    accepted.refresh_from_db()
    assert (accepted.credibility, accepted.version) == (5, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "field"), [(5, 2, "end"), (0, 10_000, "end")])
def test_gold_span_outside_the_text_is_refused(article, reviewer, project, start, end, field):
    with pytest.raises(InvalidSpan) as error:
        gold.create_gold_span(article=article, reviewer=reviewer, start=start, end=end,
                              label=project.labels.get(key="claim"))

    assert error.value.field == field
    assert not GoldSpan.objects.exists()


@pytest.mark.django_db
def test_gold_span_with_another_projects_label_is_refused(article, reviewer, other_project):
    with pytest.raises(WrongProject):
        gold.create_gold_span(article=article, reviewer=reviewer, start=0, end=6,
                              label=other_project.labels.get(key="claim"))


@pytest.mark.django_db
def test_duplicate_gold_span_is_refused(article, reviewer):
    span = _span(article, start=20, end=26)
    gold.accept_span(span=span, reviewer=reviewer)

    with pytest.raises(DuplicateSpan):
        gold.accept_span(span=span, reviewer=reviewer)

    assert GoldSpan.objects.count() == 1


@pytest.mark.django_db
def test_adjudicated_article_locks_gold_and_the_analysts_work_until_reopened(article, reviewer, analyst):
    span = _span(article, analyst=analyst, start=20, end=26)
    assignments.submit_assignment(assignment=span.assignment)
    gold.accept_span(span=span, reviewer=reviewer)
    gold.adjudicate_article(article=article, reviewer=reviewer)

    with pytest.raises(ReviewLocked):
        gold.create_gold_span(article=article, reviewer=reviewer, start=0, end=6, label=span.label)
    with pytest.raises(ReviewLocked):
        assignments.reopen_assignment(assignment=span.assignment, comment="fix")
    gold.reopen_review(article=article, reviewer=reviewer)
    assignments.reopen_assignment(assignment=span.assignment, comment="fix")

    assert ArticleReview.objects.get(article=article).status == ReviewStatus.OPEN
    spans.update_span(span=span, version=1, credibility=3)


@pytest.mark.django_db
def test_article_review_score_is_checked_against_the_scale_and_versioned(article, reviewer):
    from annotator.errors import ScoreOutOfScale

    review = gold.save_article_review(article=article, reviewer=reviewer, credibility=2, comment="Unverified")

    with pytest.raises(ScoreOutOfScale):
        gold.save_article_review(article=article, reviewer=reviewer, credibility=9, version=review.version)
    with pytest.raises(StaleVersion):
        gold.save_article_review(article=article, reviewer=reviewer, credibility=3, version=review.version - 1)

    review.refresh_from_db()
    assert (review.credibility, review.comment) == (2, "Unverified")


@pytest.mark.django_db
def test_every_gold_change_leaves_an_audit_entry_with_before_and_after(article, reviewer):
    accepted = gold.accept_span(span=_span(article, start=20, end=26, credibility=4), reviewer=reviewer)
    gold.update_gold_span(gold=accepted, version=1, reviewer=reviewer, credibility=2)
    gold.delete_gold_span(gold=accepted, version=2)

    entries = list(GoldSpan.history.filter(id=accepted.id).order_by("history_date"))

    # created, supporting spans recorded, score changed, rejected
    assert [entry.history_type for entry in entries] == ["+", "~", "~", "-"]
    assert [entry.credibility for entry in entries] == [4, 4, 2, 2]
