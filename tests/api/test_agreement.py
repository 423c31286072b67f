"""The agreement report through the API: reviewers and managers only, JSON and CSV."""

import pytest

from annotator.services import demo
from tests.factories import UserFactory


@pytest.fixture
def demo_project(db):
    return demo.seed_demo().project


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "expected"), [("reviewer", 200), ("admin", 200), ("analyst1", 403)])
def test_only_reviewers_and_managers_read_the_report(api_client, demo_project, username, expected):
    api_client.force_authenticate(demo_project.memberships.get(user__username=username).user)

    response = api_client.get(f"/api/v1/projects/{demo_project.id}/agreement/")

    assert response.status_code == expected


@pytest.mark.django_db
def test_outsider_gets_404(api_client, demo_project):
    api_client.force_authenticate(UserFactory(username="stranger"))

    assert api_client.get(f"/api/v1/projects/{demo_project.id}/agreement/").status_code == 404


@pytest.mark.django_db
def test_report_downloads_as_csv_with_neutralised_cells(api_client, demo_project):
    demo_project.sources.filter(name="Politico").update(name="=HYPERLINK(\"http://evil\",\"x\")")
    api_client.force_authenticate(demo_project.memberships.get(user__username="reviewer").user)

    response = api_client.get(f"/api/v1/projects/{demo_project.id}/agreement/", {"download": "csv"})

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="agreement-{demo_project.slug}.csv"'
    assert body.startswith("section,item,measure,value,reading\r\n")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
