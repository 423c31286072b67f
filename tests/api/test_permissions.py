"""Roles x endpoints: who may do what, as one table. Non-members get 404, never a hint that a thing exists."""

import pytest

from annotator.models import Assignment, AssignmentStatus, Span
from annotator.services import assignments

ROLES = ["A1", "A2", "R1", "ADM", "X", "anon"]

# (name, method, url template, body, expected status per role A1, A2, R1, ADM, X, anon)
TABLE = [
    ("project detail", "get", "/api/v1/projects/{project}/", None, [200, 200, 200, 200, 404, 401]),
    ("labels", "get", "/api/v1/projects/{project}/labels/", None, [200, 200, 200, 200, 404, 401]),
    ("article list", "get", "/api/v1/projects/{project}/articles/", None, [200, 200, 200, 200, 404, 401]),
    ("article detail", "get", "/api/v1/articles/{article}/", None, [200, 200, 200, 200, 404, 401]),
    ("all work on an article", "get", "/api/v1/articles/{article}/assignments/", None,
     [403, 403, 200, 200, 404, 401]),
    ("source list", "get", "/api/v1/projects/{project}/sources/", None, [200, 200, 200, 200, 404, 401]),
    ("source create", "post", "/api/v1/projects/{project}/sources/", {"name": "NIS"},
     [201, 201, 201, 201, 404, 401]),
    ("source detail", "get", "/api/v1/sources/{source}/", None, [200, 200, 200, 200, 404, 401]),
    ("assignment detail", "get", "/api/v1/assignments/{own}/", None, [200, 404, 200, 200, 404, 401]),
    ("span list", "get", "/api/v1/assignments/{own}/spans/", None, [200, 404, 200, 200, 404, 401]),
    ("span create", "post", "/api/v1/assignments/{own}/spans/", {"start": 15, "end": 20, "label": "claim"},
     [201, 404, 404, 404, 404, 401]),
    ("span bulk create", "post", "/api/v1/assignments/{own}/spans/bulk/",
     {"spans": [{"start": 15, "end": 20, "label": "claim"}]}, [201, 404, 404, 404, 404, 401]),
    ("span detail", "get", "/api/v1/spans/{span}/", None, [200, 404, 200, 200, 404, 401]),
    ("span update", "patch", "/api/v1/spans/{span}/", {"credibility": 2, "version": 1},
     [200, 404, 404, 404, 404, 401]),
    ("span delete", "delete", "/api/v1/spans/{span}/", {"version": 1}, [204, 404, 404, 404, 404, 401]),
    ("assessment write", "put", "/api/v1/assignments/{own}/assessment/", {"credibility": 4},
     [200, 404, 404, 404, 404, 401]),
    ("submit", "post", "/api/v1/assignments/{own}/submit/", None, [200, 404, 404, 404, 404, 401]),
    ("project settings", "patch", "/api/v1/projects/{project}/", {"guidelines": "New"}, [403, 403, 403, 200, 404, 401]),
    ("label create", "post", "/api/v1/projects/{project}/labels/", {"key": "rumour", "name": "Rumour"},
     [403, 403, 403, 201, 404, 401]),
    ("member list", "get", "/api/v1/projects/{project}/members/", None, [403, 403, 200, 200, 404, 401]),
    ("member add", "post", "/api/v1/projects/{project}/members/", {"username": "x", "role": "analyst"},
     [403, 403, 403, 201, 404, 401]),
    ("assign", "post", "/api/v1/projects/{project}/assign/", {"overlap": 2}, [403, 403, 403, 200, 404, 401]),
]


def _url(template, world):
    return template.format(project=world.project.id, article=world.article.id, source=world.source.id,
                           own=world.own.id, span=world.span.id)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "template", "body", "expected"), TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_status_the_table_says(api_client, world, users, role, name, method, template, body, expected):
    if users[role] is not None:
        api_client.force_authenticate(users[role])
    spans_before = Span.objects.count()

    response = getattr(api_client, method)(_url(template, world), body, format="json")

    assert response.status_code == expected[ROLES.index(role)], response.content
    if response.status_code >= 400:
        assert Span.objects.count() == spans_before
        assert set(response.json()) == {"code", "message", "field", "errors"}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("A1", 403), ("A2", 404), ("R1", 200), ("ADM", 200), ("X", 404)])
def test_only_reviewers_and_managers_reopen_a_submitted_assignment(api_client, world, users, role, expected):
    assignments.submit_assignment(assignment=world.own)
    api_client.force_authenticate(users[role])

    response = api_client.post(f"/api/v1/assignments/{world.own.id}/reopen/", {"comment": "Check the Kremlin quote"})

    assert response.status_code == expected
    world.own.refresh_from_db()
    assert world.own.status == (AssignmentStatus.IN_PROGRESS if expected == 200 else AssignmentStatus.SUBMITTED)


@pytest.mark.django_db
def test_outsider_gets_404_for_every_verb_on_a_span_of_another_project(api_client, world, users):
    api_client.force_authenticate(users["X"])

    statuses = [
        api_client.get(f"/api/v1/spans/{world.span.id}/").status_code,
        api_client.patch(f"/api/v1/spans/{world.span.id}/", {"note": "x", "version": 1}, format="json").status_code,
        api_client.delete(f"/api/v1/spans/{world.span.id}/", {"version": 1}, format="json").status_code,
    ]

    assert statuses == [404, 404, 404]
    world.span.refresh_from_db()
    assert (world.span.note, world.span.version) == ("", 1)


@pytest.mark.django_db
def test_analyst_lists_only_their_own_assignments(api_client, world, users):
    api_client.force_authenticate(users["A1"])

    response = api_client.get("/api/v1/assignments/")

    assert [row["id"] for row in response.json()["results"]] == [world.own.id]


@pytest.mark.django_db
def test_analyst_lists_only_articles_assigned_to_them(api_client, world, users):
    from tests.factories import ArticleFactory

    ArticleFactory(project=world.project)  # not assigned to anyone
    api_client.force_authenticate(users["A1"])

    response = api_client.get(f"/api/v1/projects/{world.project.id}/articles/")

    assert [row["id"] for row in response.json()["results"]] == [world.article.id]


@pytest.mark.django_db
def test_analyst_in_a_non_blind_project_sees_the_others_work(api_client, world, users):
    world.project.is_blind = False
    world.project.save()
    api_client.force_authenticate(users["A2"])

    response = api_client.get(f"/api/v1/articles/{world.article.id}/assignments/")

    assert response.status_code == 200
    assert {row["analyst"] for row in response.json()} == {"a1", "a2"}


@pytest.mark.django_db
def test_blind_analyst_sees_nothing_of_another_analysts_spans_or_scores(api_client, world, users):
    api_client.force_authenticate(users["A2"])

    responses = [
        api_client.get(f"/api/v1/assignments/{world.own.id}/spans/"),
        api_client.get(f"/api/v1/assignments/{world.own.id}/assessment/"),
        api_client.get(f"/api/v1/spans/{world.span.id}/"),
        api_client.get(f"/api/v1/articles/{world.article.id}/assignments/"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 403]
    assert all(world.span.quote not in r.content.decode() for r in responses)


@pytest.mark.django_db
def test_membership_removed_means_no_more_access_to_own_assignment(api_client, world, users):
    world.project.memberships.filter(user=users["A1"]).delete()
    api_client.force_authenticate(users["A1"])

    response = api_client.get(f"/api/v1/assignments/{world.own.id}/spans/")

    assert response.status_code == 404
    assert Assignment.objects.filter(pk=world.own.id).exists()
