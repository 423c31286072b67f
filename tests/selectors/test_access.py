"""Fetching for a user: analysts see their own work, reviewers their projects', outsiders nothing (404)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from annotator.models import Article, Assignment, Project, Source, Span
from annotator.selectors import access
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory


@dataclass
class P1:
    """Project P1 of the security cases: analysts A1 and A2 on one article, each with a span."""

    project: Project
    article: Article
    unassigned: Article
    own: Assignment
    others: Assignment
    own_span: Span
    others_span: Span
    source: Source


@pytest.fixture
def p1(project, analyst, other_analyst) -> P1:
    article = ArticleFactory(project=project)
    own = AssignmentFactory(article=article, analyst=analyst)
    others = AssignmentFactory(article=article, analyst=other_analyst)
    return P1(project=project, article=article, unassigned=ArticleFactory(project=project), own=own, others=others,
              own_span=SpanFactory(assignment=own), others_span=SpanFactory(assignment=others),
              source=SourceFactory(project=project))


# analysts


@pytest.mark.django_db
def test_analyst_gets_their_own_assignment(p1, analyst):
    assert access.get_own_assignment(p1.own.pk, analyst) == p1.own


@pytest.mark.django_db
def test_analyst_gets_404_for_another_analysts_assignment(p1, analyst):
    with pytest.raises(Http404):
        access.get_own_assignment(p1.others.pk, analyst)


@pytest.mark.django_db
def test_analyst_cannot_read_another_analysts_assignment_either(p1, analyst):
    with pytest.raises(Http404):
        access.get_visible_assignment(p1.others.pk, analyst)


@pytest.mark.django_db
def test_analyst_sees_only_their_own_assignments(p1, analyst):
    assert list(access.visible_assignments(analyst)) == [p1.own]


@pytest.mark.django_db
def test_analyst_gets_404_for_another_analysts_span(p1, analyst):
    with pytest.raises(Http404):
        access.get_own_span(p1.others_span.pk, analyst)


@pytest.mark.django_db
def test_analyst_edits_their_own_span(p1, analyst):
    assert access.get_own_span(p1.own_span.pk, analyst) == p1.own_span


@pytest.mark.django_db
def test_analyst_sees_only_the_articles_assigned_to_them(p1, analyst):
    assert list(access.visible_articles(analyst)) == [p1.article]


@pytest.mark.django_db
def test_analyst_gets_404_for_an_article_of_their_project_not_assigned_to_them(p1, analyst):
    with pytest.raises(Http404):
        access.get_visible_article(p1.unassigned.pk, analyst)


@pytest.mark.django_db
@pytest.mark.parametrize("fetch", [access.get_reviewable_project, access.get_managed_project])
def test_analyst_neither_reviews_nor_manages_their_project(p1, analyst, fetch):
    with pytest.raises(Http404):
        fetch(p1.project.pk, analyst)


@pytest.mark.django_db
def test_analyst_removed_from_the_project_loses_their_own_assignment(p1, analyst):
    p1.project.memberships.filter(user=analyst).delete()

    with pytest.raises(Http404):
        access.get_own_assignment(p1.own.pk, analyst)


# reviewers and managers


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reviewer", "manager"])
def test_reviewer_and_manager_see_every_assignment_of_the_project(p1, request, role):
    user = request.getfixturevalue(role)

    assert set(access.visible_assignments(user)) == {p1.own, p1.others}
    assert access.get_visible_assignment(p1.others.pk, user) == p1.others


@pytest.mark.django_db
def test_reviewer_reads_any_span_and_article_of_the_project(p1, reviewer):
    assert access.get_visible_span(p1.others_span.pk, reviewer) == p1.others_span
    assert access.get_visible_article(p1.unassigned.pk, reviewer) == p1.unassigned


@pytest.mark.django_db
def test_reviewer_cannot_take_an_analysts_assignment_as_their_own(p1, reviewer):
    with pytest.raises(Http404):
        access.get_own_assignment(p1.own.pk, reviewer)


@pytest.mark.django_db
def test_reviewer_gets_the_project_to_review_but_not_to_manage(p1, reviewer):
    assert access.get_reviewable_project(p1.project.pk, reviewer) == p1.project
    with pytest.raises(Http404):
        access.get_managed_project(p1.project.pk, reviewer)


@pytest.mark.django_db
def test_manager_gets_the_project_to_manage(p1, manager):
    assert access.get_managed_project(p1.project.pk, manager) == p1.project


@pytest.mark.django_db
def test_role_in_names_the_members_role(p1, analyst, reviewer, outsider):
    roles = [access.role_in(p1.project, user) for user in (analyst, reviewer, outsider, AnonymousUser())]

    assert roles == ["analyst", "reviewer", None, None]


# outsiders (security case T01: ids are sequential, so answer "not found", never "forbidden")

FETCHES = [
    ("get_project", lambda p1: p1.project.pk),
    ("get_project_by_slug", lambda p1: p1.project.slug),
    ("get_reviewable_project", lambda p1: p1.project.pk),
    ("get_managed_project", lambda p1: p1.project.pk),
    ("get_own_assignment", lambda p1: p1.own.pk),
    ("get_visible_assignment", lambda p1: p1.own.pk),
    ("get_visible_article", lambda p1: p1.article.pk),
    ("get_own_span", lambda p1: p1.own_span.pk),
    ("get_visible_span", lambda p1: p1.own_span.pk),
    ("get_source", lambda p1: p1.source.pk),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "key"), FETCHES, ids=[name for name, _ in FETCHES])
def test_outsider_from_another_project_gets_404_for_everything(p1, outsider, name, key):
    with pytest.raises(Http404):
        getattr(access, name)(key(p1), outsider)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "key"), FETCHES, ids=[name for name, _ in FETCHES])
def test_anonymous_user_gets_404_for_everything(p1, name, key):
    with pytest.raises(Http404):
        getattr(access, name)(key(p1), AnonymousUser())


LISTINGS = [
    ("projects_for", lambda p1: {p1.project}),
    ("reviewable_projects_for", lambda p1: {p1.project}),
    ("visible_assignments", lambda p1: {p1.own, p1.others}),
    ("visible_articles", lambda p1: {p1.article, p1.unassigned}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "p1_rows"), LISTINGS, ids=[name for name, _ in LISTINGS])
def test_outsider_lists_nothing_of_another_project(p1, outsider, name, p1_rows):
    assert not set(getattr(access, name)(outsider)) & p1_rows(p1)


@pytest.mark.django_db
def test_outsider_still_sees_their_own_project(p1, outsider, other_project):
    assert list(access.projects_for(outsider)) == [other_project]
