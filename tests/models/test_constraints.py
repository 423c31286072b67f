"""Database constraints hold even when code bypasses the services."""

import pytest
from django.db import IntegrityError, transaction

from annotator.models import (
    Article,
    ArticleAssessment,
    ArticleReview,
    Assignment,
    GoldSpan,
    Label,
    Membership,
    Project,
    Role,
    Source,
    Span,
)
from tests.factories import (
    ArticleAssessmentFactory,
    ArticleFactory,
    ArticleReviewFactory,
    AssignmentFactory,
    GoldSpanFactory,
    ProjectFactory,
    SourceFactory,
    SpanFactory,
    UserFactory,
)

EMOJI_TEXT = "Peskov 🇷🇺 called it “fake” — e\u0301lite 👩🏽‍💻 units."


def _refused(create):
    """Assert that the database refuses the write; the savepoint lets the test query afterwards."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def _span(assignment, **fields):
    values = {"start": 0, "end": 6, "quote": assignment.article.text[:6],
              "label": assignment.article.project.labels.get(key="claim")}
    return Span.objects.create(assignment=assignment, **{**values, **fields})


# spans


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 2)])
def test_span_start_must_be_before_end(start, end):
    assignment = AssignmentFactory()

    _refused(lambda: _span(assignment, start=start, end=end, quote=""))

    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_span_quote_length_must_match_its_offsets():
    assignment = AssignmentFactory()

    _refused(lambda: _span(assignment, start=0, end=5, quote="abc"))

    assert Span.objects.count() == 0


@pytest.mark.django_db
def test_span_quote_length_counts_code_points_like_python_on_every_database():
    # 🇷🇺 is two code points, 👩🏽‍💻 four, e + U+0301 two: the database's length() must agree with len().
    article = ArticleFactory(text=EMOJI_TEXT)
    assignment = AssignmentFactory(article=article)
    start, end = EMOJI_TEXT.index("🇷🇺"), EMOJI_TEXT.index(" units")

    span = _span(assignment, start=start, end=end, quote=EMOJI_TEXT[start:end])

    span.refresh_from_db()
    assert span.quote == EMOJI_TEXT[start:end]


@pytest.mark.django_db
def test_span_offsets_cannot_be_negative():
    assignment = AssignmentFactory()

    _refused(lambda: _span(assignment, start=-1, end=2, quote="abc"))


@pytest.mark.django_db
def test_span_with_the_same_offsets_and_label_is_refused():
    span = SpanFactory(start=0, end=6)

    _refused(lambda: _span(span.assignment, start=0, end=6, quote=span.quote, label=span.label))

    assert Span.objects.count() == 1


@pytest.mark.django_db
def test_span_with_the_same_offsets_and_another_label_is_allowed():
    span = SpanFactory(start=0, end=6)

    _span(span.assignment, label=span.assignment.article.project.labels.get(key="denial"))

    assert Span.objects.count() == 2


@pytest.mark.django_db
def test_span_version_starts_at_one():
    span = SpanFactory()

    _refused(lambda: Span.objects.filter(pk=span.pk).update(version=0))


# assignments and assessments


@pytest.mark.django_db
def test_one_assignment_per_article_and_analyst():
    assignment = AssignmentFactory()

    _refused(lambda: Assignment.objects.create(article=assignment.article, analyst=assignment.analyst))

    assert Assignment.objects.count() == 1


@pytest.mark.django_db
def test_assignment_status_must_be_known():
    assignment = AssignmentFactory()

    _refused(lambda: Assignment.objects.filter(pk=assignment.pk).update(status="done"))


@pytest.mark.django_db
def test_submitted_assignment_needs_a_submission_time():
    assignment = AssignmentFactory()

    _refused(lambda: Assignment.objects.filter(pk=assignment.pk).update(status="submitted", submitted_at=None))

    assignment.refresh_from_db()
    assert assignment.status == "assigned"


@pytest.mark.django_db
def test_one_assessment_per_assignment():
    assessment = ArticleAssessmentFactory()

    _refused(lambda: ArticleAssessment.objects.create(assignment=assessment.assignment, credibility=2))


@pytest.mark.django_db
def test_assessment_version_starts_at_one():
    assessment = ArticleAssessmentFactory()

    _refused(lambda: ArticleAssessment.objects.filter(pk=assessment.pk).update(version=0))


# projects, memberships and labels


@pytest.mark.django_db
@pytest.mark.parametrize(("scale_min", "scale_max"), [(5, 5), (5, 1)])
def test_project_scale_min_must_be_below_max(scale_min, scale_max):
    _refused(lambda: Project.objects.create(name="x", slug="x", scale_min=scale_min, scale_max=scale_max))

    assert not Project.objects.exists()


@pytest.mark.django_db
def test_project_overlap_must_be_one_or_more():
    _refused(lambda: Project.objects.create(name="x", slug="x", overlap=0))


@pytest.mark.django_db
def test_project_slug_is_unique():
    ProjectFactory(slug="kursk")

    _refused(lambda: Project.objects.create(name="Again", slug="kursk"))


@pytest.mark.django_db
@pytest.mark.parametrize("color", ["red", "#12345", "#12 456", "#GGGGGG", "0072B2", ""])
def test_label_colour_must_be_hex(project, color):
    _refused(lambda: Label.objects.create(project=project, key="rumour", name="Rumour", color=color))

    assert not project.labels.filter(key="rumour").exists()


@pytest.mark.django_db
def test_label_key_is_unique_in_a_project(project):
    _refused(lambda: Label.objects.create(project=project, key="claim", name="Again"))


@pytest.mark.django_db
def test_label_hotkey_is_unique_in_a_project_but_blank_hotkeys_may_repeat(project):
    Label.objects.create(project=project, key="rumour", name="Rumour")
    Label.objects.create(project=project, key="satire", name="Satire")

    _refused(lambda: Label.objects.create(project=project, key="other", name="Other", hotkey="1"))


@pytest.mark.django_db
def test_the_same_label_key_and_hotkey_are_allowed_in_another_project(project, other_project):
    Label.objects.create(project=other_project, key="rumour", name="Rumour", hotkey="9")

    Label.objects.create(project=project, key="rumour", name="Rumour", hotkey="9")

    assert Label.objects.filter(key="rumour").count() == 2


@pytest.mark.django_db
def test_one_membership_per_user_and_project(project):
    user = UserFactory()
    Membership.objects.create(project=project, user=user, role=Role.ANALYST)

    _refused(lambda: Membership.objects.create(project=project, user=user, role=Role.REVIEWER))

    assert Membership.objects.get(user=user).role == Role.ANALYST


@pytest.mark.django_db
def test_membership_role_must_be_known(project):
    _refused(lambda: Membership.objects.create(project=project, user=UserFactory(), role="owner"))


# articles and sources


@pytest.mark.django_db
def test_article_external_id_is_unique_in_a_project():
    article = ArticleFactory()

    _refused(lambda: ArticleFactory(project=article.project, external_id=article.external_id))

    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_article_text_is_unique_in_a_project():
    article = ArticleFactory()

    _refused(lambda: ArticleFactory(project=article.project, text=article.text))


@pytest.mark.django_db
def test_article_text_cannot_be_empty(project):
    _refused(lambda: ArticleFactory(project=project, text=""))


@pytest.mark.django_db
def test_source_name_is_unique_in_a_project(project):
    SourceFactory(project=project, name="Kremlin")

    _refused(lambda: Source.objects.create(project=project, name="Kremlin"))


@pytest.mark.django_db
def test_source_kind_must_be_known(project):
    _refused(lambda: Source.objects.create(project=project, name="Kremlin", kind="oracle"))


# the gold layer


@pytest.mark.django_db
def test_gold_span_start_must_be_before_end():
    gold = GoldSpanFactory()

    _refused(lambda: GoldSpan.objects.filter(pk=gold.pk).update(end=0, quote=""))


@pytest.mark.django_db
def test_gold_span_quote_length_must_match_its_offsets():
    gold = GoldSpanFactory(start=0, end=6)

    _refused(lambda: GoldSpan.objects.filter(pk=gold.pk).update(quote="abc"))


@pytest.mark.django_db
def test_gold_span_with_the_same_offsets_and_label_is_refused():
    gold = GoldSpanFactory()

    _refused(lambda: GoldSpanFactory(article=gold.article, decided_by=gold.decided_by))

    assert GoldSpan.objects.count() == 1


@pytest.mark.django_db
def test_one_review_per_article():
    review = ArticleReviewFactory()

    _refused(lambda: ArticleReview.objects.create(article=review.article))


@pytest.mark.django_db
def test_review_status_must_be_known():
    review = ArticleReviewFactory()

    _refused(lambda: ArticleReview.objects.filter(pk=review.pk).update(status="final"))


@pytest.mark.django_db
def test_adjudicated_review_needs_a_time():
    review = ArticleReviewFactory()

    _refused(lambda: ArticleReview.objects.filter(pk=review.pk).update(status="adjudicated"))

    review.refresh_from_db()
    assert review.status == "open"


@pytest.mark.django_db
def test_source_names_are_unique_in_a_project_whatever_their_case(project):
    from annotator.models import Source

    Source.objects.create(project=project, name="Politico")

    _refused(lambda: Source.objects.create(project=project, name="POLITICO"))
    Source.objects.create(project=ProjectFactory(), name="politico")  # another project may use it
