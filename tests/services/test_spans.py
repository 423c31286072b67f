"""Spans through the service: offsets equal Python slicing, every refusal writes nothing, versions lock."""

import pytest
from django.utils import timezone

from annotator.errors import (
    AssignmentLocked,
    DuplicateSpan,
    InvalidSpan,
    ReviewLocked,
    ScoreOutOfScale,
    StaleVersion,
    WrongProject,
)
from annotator.models import Span
from annotator.services import assignments, spans
from tests.factories import (
    ArticleFactory,
    ArticleReviewFactory,
    AssignmentFactory,
    LabelFactory,
    SourceFactory,
    SpanFactory,
)

# Curly quotes, an accent written as e + U+0301 (combining), a flag (two code points), a ZWJ sequence
# with a skin tone (four code points), a precomposed é and an em dash.
MIXED = "“Fake news”, said Peskov 🇷🇺. Zelenskyy’s café — e\u0301lite 👩🏽‍💻 units."


@pytest.fixture
def assignment(project, analyst):
    return AssignmentFactory(article=ArticleFactory(project=project, text=MIXED), analyst=analyst)


@pytest.fixture
def claim(project):
    return project.labels.get(key="claim")


def _state(span):
    span.refresh_from_db()
    return (span.start, span.end, span.quote, span.label_id, span.source_id, span.credibility, span.note,
            span.version)


# creating


@pytest.mark.django_db
@pytest.mark.parametrize("fragment", ["“Fake news”", "Peskov 🇷🇺", "e\u0301lite", "👩🏽‍💻", "café — e\u0301lite 👩🏽‍💻 units."])
def test_span_quote_is_python_slicing_of_the_text(assignment, claim, fragment):
    start = MIXED.index(fragment)
    end = start + len(fragment)

    span = spans.create_span(assignment=assignment, start=start, end=end, label=claim)

    span.refresh_from_db()
    assert (span.start, span.end, span.quote) == (start, end, MIXED[start:end])
    assert span.quote == fragment


@pytest.mark.django_db
def test_span_with_the_matching_quote_from_the_client_is_stored(assignment, claim):
    start, end = MIXED.index("Peskov"), MIXED.index(". Zel")

    span = spans.create_span(assignment=assignment, start=start, end=end, label=claim, quote="Peskov 🇷🇺")

    assert span.quote == "Peskov 🇷🇺"


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "field"), [
    (-1, 3, "start"), (5, 5, "end"), (6, 2, "end"), (0, len(MIXED) + 1, "end"), (0, 10_000, "end"),
])
def test_span_with_bad_offsets_is_refused_and_nothing_is_written(assignment, claim, start, end, field):
    with pytest.raises(InvalidSpan) as error:
        spans.create_span(assignment=assignment, start=start, end=end, label=claim)

    assert (error.value.code, error.value.field) == ("invalid_span", field)
    assert Span.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("quote", [
    "Fake news",  # straight where the text has curly quotes
    "“Fake news”,",  # one character too many
    "“fake news”",  # case differs
])
def test_span_whose_quote_differs_from_the_text_is_refused(assignment, claim, quote):
    with pytest.raises(InvalidSpan) as error:
        spans.create_span(assignment=assignment, start=0, end=len("“Fake news”"), label=claim, quote=quote)

    assert (error.value.code, error.value.field) == ("invalid_span", "quote")
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_span_quote_in_another_unicode_normalisation_is_refused(assignment, claim):
    start = MIXED.index("e\u0301lite")
    end = start + len("e\u0301lite")

    with pytest.raises(InvalidSpan) as error:
        spans.create_span(assignment=assignment, start=start, end=end, label=claim, quote="élite")

    assert error.value.field == "quote"
    assert Span.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("credibility", [0, 6, 100])
def test_span_score_outside_the_scale_is_refused(assignment, claim, credibility):
    with pytest.raises(ScoreOutOfScale) as error:
        spans.create_span(assignment=assignment, start=0, end=6, label=claim, credibility=credibility)

    assert (error.value.code, error.value.field) == ("score_out_of_scale", "credibility")
    assert Span.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("credibility", [1, 5, None])
def test_span_score_at_either_end_of_the_scale_or_none_is_stored(assignment, claim, credibility):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim, credibility=credibility)

    span.refresh_from_db()
    assert span.credibility == credibility


@pytest.mark.django_db
def test_span_with_a_label_of_another_project_is_refused(assignment, other_project):
    with pytest.raises(WrongProject) as error:
        spans.create_span(assignment=assignment, start=0, end=6, label=other_project.labels.get(key="claim"))

    assert (error.value.code, error.value.field) == ("wrong_project", "label")
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_span_with_a_source_of_another_project_is_refused(assignment, claim, other_project):
    with pytest.raises(WrongProject) as error:
        spans.create_span(assignment=assignment, start=0, end=6, label=claim,
                          source=SourceFactory(project=other_project))

    assert (error.value.code, error.value.field) == ("wrong_project", "source")
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_span_with_the_same_offsets_and_label_is_refused(assignment, claim):
    spans.create_span(assignment=assignment, start=0, end=6, label=claim)

    with pytest.raises(DuplicateSpan) as error:
        spans.create_span(assignment=assignment, start=0, end=6, label=claim)

    assert (error.value.code, error.value.field, error.value.status) == ("duplicate_span", "start", 409)
    assert Span.objects.count() == 1


@pytest.mark.django_db
def test_first_span_starts_the_assignment(assignment, claim):
    spans.create_span(assignment=assignment, start=0, end=6, label=claim)

    assignment.refresh_from_db()
    assert assignment.status == "in_progress"
    assert assignment.started_at is not None


@pytest.mark.django_db
def test_several_spans_are_created_all_or_nothing_naming_the_bad_item(assignment, claim):
    items = [{"start": 0, "end": 6, "label": claim}, {"start": 3, "end": 1_000, "label": claim}]

    with pytest.raises(InvalidSpan) as error:
        spans.create_spans(assignment=assignment, items=items)

    assert error.value.field == "spans[1].end"
    assert Span.objects.count() == 0


# updating and deleting


@pytest.mark.django_db
def test_update_moves_the_span_rechecks_the_quote_and_raises_the_version(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim)
    start = MIXED.index("👩🏽‍💻")

    updated = spans.update_span(span=span, version=1, start=start, end=start + 4, credibility=4, note="emoji")

    assert (updated.quote, updated.credibility, updated.note, updated.version) == ("👩🏽‍💻", 4, "emoji", 2)
    assert _state(span)[2:] == ("👩🏽‍💻", claim.pk, None, 4, "emoji", 2)


@pytest.mark.django_db
def test_update_with_a_stale_version_is_refused_and_changes_nothing(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim)
    spans.update_span(span=span, version=1, credibility=3)
    before = _state(span)

    with pytest.raises(StaleVersion) as error:
        spans.update_span(span=span, version=1, credibility=1, start=1)

    assert (error.value.code, error.value.field, error.value.status) == ("stale_version", "version", 412)
    assert _state(span) == before


@pytest.mark.django_db
def test_delete_with_a_stale_version_is_refused_and_keeps_the_span(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim)
    spans.update_span(span=span, version=1, credibility=3)
    before = _state(span)

    with pytest.raises(StaleVersion) as error:
        spans.delete_span(span=span, version=1)

    assert (error.value.code, error.value.field) == ("stale_version", "version")
    assert _state(span) == before


@pytest.mark.django_db
def test_delete_with_the_current_version_removes_the_span(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim)

    spans.delete_span(span=span, version=1)

    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_update_past_the_end_of_the_text_changes_nothing(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim)
    before = _state(span)

    with pytest.raises(InvalidSpan) as error:
        spans.update_span(span=span, version=1, end=len(MIXED) + 1)

    assert error.value.field == "end"
    assert _state(span) == before


@pytest.mark.django_db
def test_update_to_a_score_outside_the_scale_changes_nothing(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim, credibility=2)
    before = _state(span)

    with pytest.raises(ScoreOutOfScale) as error:
        spans.update_span(span=span, version=1, credibility=9)

    assert error.value.field == "credibility"
    assert _state(span) == before


@pytest.mark.django_db
def test_update_onto_another_span_with_the_same_label_is_refused(assignment, claim):
    spans.create_span(assignment=assignment, start=0, end=6, label=claim)
    span = spans.create_span(assignment=assignment, start=10, end=20, label=claim)
    before = _state(span)

    with pytest.raises(DuplicateSpan):
        spans.update_span(span=span, version=1, start=0, end=6)

    assert _state(span) == before


@pytest.mark.django_db
def test_update_with_source_none_clears_the_source(assignment, claim, project):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim,
                             source=SourceFactory(project=project))

    spans.update_span(span=span, version=1, source=None)

    assert _state(span)[4] is None


@pytest.mark.django_db
def test_update_to_a_label_of_another_project_is_refused(assignment, claim):
    span = spans.create_span(assignment=assignment, start=0, end=6, label=claim)
    before = _state(span)

    with pytest.raises(WrongProject):
        spans.update_span(span=span, version=1, label=LabelFactory())

    assert _state(span) == before


# the assignment's life


@pytest.mark.django_db
def test_submitted_assignment_refuses_new_spans(assignment, claim):
    assignments.submit_assignment(assignment=assignment)

    with pytest.raises(AssignmentLocked) as error:
        spans.create_span(assignment=assignment, start=0, end=6, label=claim)

    assert (error.value.code, error.value.status) == ("assignment_locked", 409)
    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_submitted_assignment_refuses_span_updates(assignment):
    span = SpanFactory(assignment=assignment, start=0, end=6)
    assignments.submit_assignment(assignment=assignment)
    before = _state(span)

    with pytest.raises(AssignmentLocked):
        spans.update_span(span=span, version=1, credibility=2)

    assert _state(span) == before


@pytest.mark.django_db
def test_submitted_assignment_refuses_span_deletes(assignment):
    span = SpanFactory(assignment=assignment, start=0, end=6)
    assignments.submit_assignment(assignment=assignment)

    with pytest.raises(AssignmentLocked):
        spans.delete_span(span=span)

    assert Span.objects.filter(pk=span.pk).exists()


@pytest.mark.django_db
def test_reopened_assignment_accepts_span_edits_again(assignment):
    span = SpanFactory(assignment=assignment, start=0, end=6)
    assignments.submit_assignment(assignment=assignment)
    assignments.reopen_assignment(assignment=assignment, comment="Please add the source")

    updated = spans.update_span(span=span, version=1, credibility=2)

    assert (updated.credibility, updated.version) == (2, 2)


@pytest.mark.django_db
def test_adjudicated_article_refuses_span_edits(assignment, claim):
    ArticleReviewFactory(article=assignment.article, status="adjudicated", adjudicated_at=timezone.now())

    with pytest.raises(ReviewLocked) as error:
        spans.create_span(assignment=assignment, start=0, end=6, label=claim)

    assert error.value.code == "review_locked"
    assert Span.objects.count() == 0
