"""Assigning articles to analysts (one by one and round-robin), and an assignment's life."""

from collections import Counter

import pytest
from django.utils import timezone

from annotator.errors import AssignmentLocked, DomainError, DuplicateAssignment, ReviewLocked
from annotator.models import Assignment, Role
from annotator.services import assignments
from tests.factories import ArticleFactory, ArticleReviewFactory, AssignmentFactory, MembershipFactory, UserFactory


def _analysts(project, *usernames):
    return [MembershipFactory(project=project, user=UserFactory(username=name)).user for name in usernames]


def _load(project):
    return Counter(Assignment.objects.filter(article__project=project).values_list("analyst__username", flat=True))


# one by one


@pytest.mark.django_db
def test_analyst_of_the_project_is_assigned_an_article(project, analyst):
    article = ArticleFactory(project=project)

    assignment = assignments.create_assignment(article=article, analyst=analyst)

    assert (assignment.article, assignment.analyst, assignment.status) == (article, analyst, "assigned")


@pytest.mark.django_db
def test_duplicate_assignment_is_refused_and_changes_nothing(project, analyst):
    article = ArticleFactory(project=project)
    assignments.create_assignment(article=article, analyst=analyst)

    with pytest.raises(DuplicateAssignment) as error:
        assignments.create_assignment(article=article, analyst=analyst)

    assert (error.value.code, error.value.field, error.value.status) == ("duplicate_assignment", "analyst", 409)
    assert Assignment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REVIEWER, Role.MANAGER, None])
def test_only_an_analyst_of_the_project_can_be_assigned(project, role):
    user = UserFactory()
    if role is not None:
        MembershipFactory(project=project, user=user, role=role)

    with pytest.raises(DomainError) as error:
        assignments.create_assignment(article=ArticleFactory(project=project), analyst=user)

    assert (error.value.code, error.value.field) == ("not_an_analyst", "analyst")
    assert Assignment.objects.count() == 0


# round-robin


@pytest.mark.django_db
def test_round_robin_gives_every_article_overlap_distinct_analysts(project):
    _analysts(project, "a", "b", "c")
    articles = [ArticleFactory(project=project) for _ in range(6)]

    assignments.assign_articles(project=project, overlap=2)

    for article in articles:
        assert len(set(article.assignments.values_list("analyst", flat=True))) == 2


@pytest.mark.django_db
def test_round_robin_spreads_the_work_evenly(project):
    # 6 articles x 2 analysts each = 12 assignments over 3 analysts: 4 each.
    _analysts(project, "a", "b", "c")
    for _ in range(6):
        ArticleFactory(project=project)

    created = assignments.assign_articles(project=project, overlap=2)

    assert len(created) == 12
    assert _load(project) == {"a": 4, "b": 4, "c": 4}


@pytest.mark.django_db
def test_round_robin_breaks_ties_by_username(project):
    _analysts(project, "zoe", "adam", "mia")
    ArticleFactory(project=project)

    created = assignments.assign_articles(project=project, overlap=1)

    assert [assignment.analyst.username for assignment in created] == ["adam"]


@pytest.mark.django_db
def test_round_robin_uses_the_project_overlap_by_default(project):
    _analysts(project, "a", "b", "c", "d")
    ArticleFactory(project=project)

    created = assignments.assign_articles(project=project)

    assert len(created) == project.overlap == 3


@pytest.mark.django_db
def test_round_robin_never_assigns_reviewers_or_managers(project, reviewer, manager):
    _analysts(project, "a")
    ArticleFactory(project=project)

    assignments.assign_articles(project=project, overlap=1)

    assert _load(project) == {"a": 1}


@pytest.mark.django_db
def test_round_robin_twice_assigns_nothing_more(project):
    _analysts(project, "a", "b", "c")
    for _ in range(4):
        ArticleFactory(project=project)
    assignments.assign_articles(project=project, overlap=2)

    again = assignments.assign_articles(project=project, overlap=2)

    assert again == []
    assert Assignment.objects.count() == 8


@pytest.mark.django_db
def test_round_robin_counts_existing_assignments_and_fills_only_the_gaps(project):
    c = _analysts(project, "a", "b", "c")[2]
    first = ArticleFactory(project=project)
    AssignmentFactory(article=first, analyst=c)
    second = ArticleFactory(project=project)

    created = assignments.assign_articles(project=project, overlap=2)

    # first needs one more: a (no work, before b by name). second needs two: b (no work), then a (one
    # assignment, tied with c, first by name).
    assert [(x.article, x.analyst.username) for x in created] == [(first, "a"), (second, "b"), (second, "a")]
    assert _load(project) == {"a": 2, "b": 1, "c": 1}


@pytest.mark.django_db
def test_overlap_above_the_number_of_analysts_is_refused_and_nothing_is_written(project):
    _analysts(project, "a", "b")
    ArticleFactory(project=project)

    with pytest.raises(DomainError) as error:
        assignments.assign_articles(project=project, overlap=3)

    assert (error.value.code, error.value.field) == ("not_enough_analysts", "overlap")
    assert error.value.message == "overlap 3 needs at least 3 analysts; the project has 2."
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_overlap_below_one_is_refused(project, analyst):
    ArticleFactory(project=project)

    with pytest.raises(DomainError) as error:
        assignments.assign_articles(project=project, overlap=0)

    assert (error.value.code, error.value.field) == ("invalid_overlap", "overlap")
    assert Assignment.objects.count() == 0


# start, submit, reopen


@pytest.mark.django_db
def test_submit_locks_the_assignment_with_a_time(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)

    assignments.submit_assignment(assignment=assignment)

    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert assignment.submitted_at is not None and assignment.started_at == assignment.submitted_at


@pytest.mark.django_db
def test_submitting_twice_is_refused(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    submitted_at = assignments.submit_assignment(assignment=assignment).submitted_at

    with pytest.raises(AssignmentLocked) as error:
        assignments.submit_assignment(assignment=assignment)

    assert (error.value.code, error.value.field) == ("assignment_locked", "status")
    assignment.refresh_from_db()
    assert assignment.submitted_at == submitted_at


@pytest.mark.django_db
def test_reopen_puts_the_assignment_back_in_progress_with_the_reviewers_comment(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    assignments.submit_assignment(assignment=assignment)

    assignments.reopen_assignment(assignment=assignment, comment="Please add the source")

    assignment.refresh_from_db()
    assert (assignment.status, assignment.submitted_at, assignment.reopen_comment) == (
        "in_progress", None, "Please add the source")


@pytest.mark.django_db
def test_only_a_submitted_assignment_can_be_reopened(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)

    with pytest.raises(DomainError) as error:
        assignments.reopen_assignment(assignment=assignment)

    assert (error.value.code, error.value.field) == ("not_submitted", "status")
    assignment.refresh_from_db()
    assert assignment.status == "assigned"


@pytest.mark.django_db
def test_assignment_of_an_adjudicated_article_cannot_be_reopened(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    assignments.submit_assignment(assignment=assignment)
    ArticleReviewFactory(article=assignment.article, status="adjudicated", adjudicated_at=timezone.now())

    with pytest.raises(ReviewLocked):
        assignments.reopen_assignment(assignment=assignment)

    assignment.refresh_from_db()
    assert assignment.status == "submitted"


@pytest.mark.django_db
def test_start_marks_an_assigned_article_in_progress_once(project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    started_at = assignments.start_assignment(assignment=assignment).started_at

    assignments.start_assignment(assignment=assignment)

    assignment.refresh_from_db()
    assert (assignment.status, assignment.started_at) == ("in_progress", started_at)


@pytest.mark.django_db
def test_deactivated_analysts_get_no_new_work(project):
    active, gone = MembershipFactory(project=project).user, MembershipFactory(project=project).user
    gone.is_active = False
    gone.save()
    ArticleFactory(project=project)

    created = assignments.assign_articles(project=project, overlap=1)
    with pytest.raises(DomainError) as error:
        assignments.create_assignment(article=ArticleFactory(project=project), analyst=gone)

    assert [a.analyst for a in created] == [active]
    assert error.value.code == "inactive_analyst"
    assert not Assignment.objects.filter(analyst=gone).exists()
