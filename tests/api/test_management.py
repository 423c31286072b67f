"""Managers run their project through the API: settings, labels, members, assignment."""

import pytest

from annotator.models import Assignment, Membership, Project, Role
from tests.factories import ArticleFactory, AssignmentFactory, SpanFactory, UserFactory


@pytest.mark.django_db
def test_staff_user_creates_a_project_with_default_labels_and_becomes_its_manager(api_client):
    staff = UserFactory(username="lead", is_staff=True)
    api_client.force_authenticate(staff)

    response = api_client.post("/api/v1/projects/", {"name": "Kursk", "slug": "kursk", "scale_max": 7}, format="json")

    assert response.status_code == 201
    assert (response.json()["role"], response.json()["scale_max"]) == ("manager", 7)
    assert [label["key"] for label in response.json()["labels"]] == ["claim", "denial", "expert_opinion"]
    assert Membership.objects.get(project__slug="kursk").user == staff


@pytest.mark.django_db
def test_non_staff_user_cannot_create_a_project(api_client, analyst):
    api_client.force_authenticate(analyst)

    response = api_client.post("/api/v1/projects/", {"name": "Kursk", "slug": "kursk"}, format="json")

    assert response.status_code == 403
    assert not Project.objects.filter(slug="kursk").exists()


@pytest.mark.django_db
def test_scale_cannot_shrink_below_scores_already_given(api_client, project, manager, analyst):
    SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst),
                credibility=5)
    api_client.force_authenticate(manager)

    response = api_client.patch(f"/api/v1/projects/{project.id}/", {"scale_max": 4}, format="json")

    assert (response.status_code, response.json()["field"]) == (400, "scale_min")
    project.refresh_from_db()
    assert project.scale_max == 5


@pytest.mark.django_db
def test_manager_widens_the_scale_and_turns_blind_off(api_client, project, manager):
    api_client.force_authenticate(manager)

    response = api_client.patch(f"/api/v1/projects/{project.id}/", {"scale_max": 7, "is_blind": False}, format="json")

    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.scale_max, project.is_blind) == (7, False)


@pytest.mark.django_db
def test_label_with_a_hotkey_in_use_is_refused(api_client, project, manager):
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/labels/",
                               {"key": "rumour", "name": "Rumour", "hotkey": "1"}, format="json")

    assert (response.status_code, response.json()["field"]) == (400, "hotkey")
    assert project.labels.count() == 3


@pytest.mark.django_db
def test_manager_adds_and_removes_a_member(api_client, project, manager):
    newcomer = UserFactory(username="newcomer")
    api_client.force_authenticate(manager)

    added = api_client.post(f"/api/v1/projects/{project.id}/members/", {"username": "newcomer", "role": "reviewer"},
                            format="json")
    removed = api_client.delete(f"/api/v1/projects/{project.id}/members/{newcomer.id}/")

    assert (added.status_code, added.json()["role"], removed.status_code) == (201, "reviewer", 204)
    assert not Membership.objects.filter(project=project, user=newcomer).exists()


@pytest.mark.django_db
def test_the_last_manager_cannot_be_removed(api_client, project, manager):
    api_client.force_authenticate(manager)

    response = api_client.delete(f"/api/v1/projects/{project.id}/members/{manager.id}/")

    assert response.status_code == 400
    assert Membership.objects.filter(project=project, user=manager, role=Role.MANAGER).exists()


@pytest.mark.django_db
def test_assign_gives_each_article_its_overlap_of_analysts(api_client, project, manager, analyst, other_analyst):
    for _ in range(3):
        ArticleFactory(project=project)
    api_client.force_authenticate(manager)

    first = api_client.post(f"/api/v1/projects/{project.id}/assign/", {"overlap": 2}, format="json")
    again = api_client.post(f"/api/v1/projects/{project.id}/assign/", {"overlap": 2}, format="json")

    assert (first.json()["created"], again.json()["created"]) == (6, 0)
    assert Assignment.objects.filter(analyst=analyst).count() == 3


@pytest.mark.django_db
def test_assign_with_more_overlap_than_analysts_is_refused(api_client, project, manager, analyst):
    ArticleFactory(project=project)
    api_client.force_authenticate(manager)

    response = api_client.post(f"/api/v1/projects/{project.id}/assign/", {"overlap": 3}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "not_enough_analysts")
    assert not Assignment.objects.exists()
