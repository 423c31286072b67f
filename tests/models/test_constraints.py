"""Database constraints hold even when code bypasses the services."""

import pytest
from django.db import IntegrityError, transaction

from annotator.models import Assignment, Label, Membership, Project, Role, Span
from tests.factories import ArticleFactory, AssignmentFactory, ProjectFactory, SpanFactory, UserFactory


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.django_db
def test_span_start_must_be_before_end_in_the_database(project):
    assignment = AssignmentFactory(article=ArticleFactory(project=project))
    label = project.labels.first()

    _refused(lambda: Span.objects.create(assignment=assignment, start=5, end=5, quote="", label=label))

    assert not Span.objects.exists()


@pytest.mark.django_db
def test_span_quote_length_must_match_its_offsets(project):
    assignment = AssignmentFactory(article=ArticleFactory(project=project))

    _refused(lambda: Span.objects.create(assignment=assignment, start=0, end=5, quote="abc",
                                         label=project.labels.first()))


@pytest.mark.django_db
def test_exact_duplicate_span_is_refused_by_the_database(project):
    span = SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=project)), start=0, end=6)

    _refused(lambda: Span.objects.create(assignment=span.assignment, start=0, end=6, quote=span.quote,
                                         label=span.label))


@pytest.mark.django_db
def test_one_assignment_per_article_and_analyst(project):
    assignment = AssignmentFactory(article=ArticleFactory(project=project))

    _refused(lambda: Assignment.objects.create(article=assignment.article, analyst=assignment.analyst))


@pytest.mark.django_db
def test_submitted_assignment_needs_a_submission_time(project):
    assignment = AssignmentFactory(article=ArticleFactory(project=project))

    _refused(lambda: Assignment.objects.filter(pk=assignment.pk).update(status="submitted", submitted_at=None))


@pytest.mark.django_db
def test_project_scale_needs_two_levels_and_overlap_one_or_more():
    _refused(lambda: Project.objects.create(name="x", slug="x", scale_min=5, scale_max=5))
    _refused(lambda: Project.objects.create(name="y", slug="y", overlap=0))


@pytest.mark.django_db
def test_label_colour_is_hex_and_keys_and_hotkeys_are_unique_per_project():
    project = ProjectFactory()

    _refused(lambda: Label.objects.create(project=project, key="rumour", name="Rumour", color="red"))
    _refused(lambda: Label.objects.create(project=project, key="claim", name="Again"))
    _refused(lambda: Label.objects.create(project=project, key="other", name="Other", hotkey="1"))
    Label.objects.create(project=ProjectFactory(), key="claim2", name="Elsewhere", hotkey="9")


@pytest.mark.django_db
def test_one_membership_per_user_and_project(project):
    user = UserFactory()
    Membership.objects.create(project=project, user=user, role=Role.ANALYST)

    _refused(lambda: Membership.objects.create(project=project, user=user, role=Role.REVIEWER))
