"""Assigning articles, the assignment life cycle, spans through services, and the demo seed."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.errors import (
    AssignmentLocked,
    DomainError,
    DuplicateAssignment,
    InvalidSpan,
    ScoreOutOfScale,
    StaleVersion,
)
from annotator.models import Article, Assignment, Membership, Project, Source, Span
from annotator.services import assessments, assignments, spans
from tests.factories import ArticleFactory, AssignmentFactory, MembershipFactory, SpanFactory


@pytest.mark.django_db
def test_round_robin_spreads_articles_evenly_and_is_idempotent(project):
    for _ in range(3):
        MembershipFactory(project=project)
    for _ in range(6):
        ArticleFactory(project=project)

    first = assignments.assign_articles(project=project, overlap=2)
    second = assignments.assign_articles(project=project, overlap=2)

    per_analyst = sorted(Counter(Assignment.objects.values_list("analyst_id", flat=True)).values())
    assert (len(first), len(second)) == (12, 0)
    assert per_analyst == [4, 4, 4]
    assert all(a.assignments.count() == 2 for a in Article.objects.all())


@pytest.mark.django_db
def test_overlap_above_the_number_of_analysts_is_refused(project, analyst):
    ArticleFactory(project=project)

    with pytest.raises(DomainError) as error:
        assignments.assign_articles(project=project, overlap=2)

    assert (error.value.code, error.value.field) == ("not_enough_analysts", "overlap")
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_duplicate_assignment_is_refused(project, analyst):
    article = ArticleFactory(project=project)
    assignments.create_assignment(article=article, analyst=analyst)

    with pytest.raises(DuplicateAssignment):
        assignments.create_assignment(article=article, analyst=analyst)

    assert Assignment.objects.count() == 1


@pytest.mark.django_db
def test_span_service_refuses_bad_offsets_and_scores_and_writes_nothing(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    claim = project.labels.get(key="claim")

    with pytest.raises(InvalidSpan):
        spans.create_span(assignment=assignment, start=0, end=10_000, label=claim)
    with pytest.raises(ScoreOutOfScale):
        spans.create_span(assignment=assignment, start=0, end=6, label=claim, credibility=6)

    assert not Span.objects.exists()


@pytest.mark.django_db
def test_stale_update_and_delete_change_nothing(project, analyst):
    span = SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst))
    spans.update_span(span=span, version=1, credibility=3)

    with pytest.raises(StaleVersion):
        spans.update_span(span=span, version=1, credibility=1)
    with pytest.raises(StaleVersion):
        spans.delete_span(span=span, version=1)

    span.refresh_from_db()
    assert (span.credibility, span.version) == (3, 2)


@pytest.mark.django_db
def test_submitted_work_is_locked_until_reopened(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    span = SpanFactory(assignment=assignment)
    assignments.submit_assignment(assignment=assignment)

    with pytest.raises(AssignmentLocked):
        spans.update_span(span=span, version=1, credibility=2)
    with pytest.raises(AssignmentLocked):
        assessments.save_assessment(assignment=assignment, credibility=2)
    assignments.reopen_assignment(assignment=assignment, comment="Please add the source")

    assert spans.update_span(span=span, version=1, credibility=2).version == 2
    assignment.refresh_from_db()
    assert assignment.reopen_comment == "Please add the source"


@pytest.mark.django_db
def test_seed_demo_on_an_empty_database_then_again_changes_nothing(capsys):
    call_command("seed_demo")
    counts = [model.objects.count() for model in (Project, Article, Assignment, Membership, Source, Span)]
    call_command("seed_demo")
    output = capsys.readouterr().out

    assert counts[:4] == [1, 5, 15, 5]
    assert counts[4] >= 15 and counts[5] > 100
    assert [model.objects.count() for model in (Project, Article, Assignment, Membership, Source, Span)] == counts
    assert set(Assignment.objects.values_list("analyst__username", flat=True)) == {"analyst1", "analyst2", "analyst3"}
    assert "analyst1" in output and "password: credence-demo" in output
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_commands_load_and_assign_with_clear_errors(project, tmp_path, capsys):
    for _ in range(2):
        MembershipFactory(project=project)
    (tmp_path / "one.txt").write_text("One\nBody one", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Two\nBody two", encoding="utf-8")

    call_command("load_articles", str(tmp_path), project=project.slug)
    call_command("assign", project=project.slug, overlap=2)
    output = capsys.readouterr().out
    with pytest.raises(CommandError, match="overlap 3 needs at least 3 analysts"):
        call_command("assign", project=project.slug, overlap=3)
    with pytest.raises(CommandError, match="no project"):
        call_command("load_articles", str(tmp_path), project="missing")

    assert "2 articles loaded" in output and "4 assignments created" in output
