"""Projects, articles, assignments, assessments, sources and the user's own profile through the API."""

import pytest
from rest_framework.authtoken.models import Token

from annotator.models import ArticleAssessment, AssignmentStatus, Source
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory


@pytest.mark.django_db
def test_project_list_shows_the_users_role_labels_and_scale(api_client, project, analyst, other_project):
    api_client.force_authenticate(analyst)

    response = api_client.get("/api/v1/projects/")

    [row] = response.json()["results"]
    assert (row["id"], row["role"], row["scale_min"], row["scale_max"]) == (project.id, "analyst", 1, 5)
    assert [(label["key"], label["hotkey"]) for label in row["labels"]] == [
        ("claim", "1"), ("denial", "2"), ("expert_opinion", "3")]


@pytest.mark.django_db
def test_article_list_filters_by_search_and_paginates(api_client, project, reviewer):
    ArticleFactory(project=project, title="Kremlin denies", outlet="RFI")
    ArticleFactory(project=project, title="Seoul confirms", outlet="Fakti")
    api_client.force_authenticate(reviewer)

    response = api_client.get(f"/api/v1/projects/{project.id}/articles/", {"search": "SEOUL", "page_size": 1})

    assert response.json()["count"] == 1
    assert response.json()["results"][0]["title"] == "Seoul confirms"
    assert "text" not in response.json()["results"][0]


@pytest.mark.django_db
def test_article_list_runs_a_constant_number_of_queries(api_client, project, reviewer, django_assert_max_num_queries):
    for _ in range(15):
        AssignmentFactory(article=ArticleFactory(project=project))
    api_client.force_authenticate(reviewer)

    with django_assert_max_num_queries(10):
        response = api_client.get(f"/api/v1/projects/{project.id}/articles/")

    assert response.json()["count"] == 15


@pytest.mark.django_db
def test_article_detail_returns_the_text_as_json(api_client, project, analyst):
    article = ArticleFactory(project=project, text="<script>alert(1)</script> “Fake news”")
    AssignmentFactory(article=article, analyst=analyst)
    api_client.force_authenticate(analyst)

    response = api_client.get(f"/api/v1/articles/{article.id}/")

    assert response["Content-Type"] == "application/json"
    assert response.json()["text"] == "<script>alert(1)</script> “Fake news”"


@pytest.mark.django_db
def test_reviewer_reads_every_analysts_work_on_an_article_in_constant_queries(
    api_client, project, reviewer, django_assert_max_num_queries
):
    article = ArticleFactory(project=project)
    for _ in range(4):
        assignment = AssignmentFactory(article=article)
        for start in range(0, 10, 2):
            SpanFactory(assignment=assignment, start=start, end=start + 1)
        ArticleAssessment.objects.create(assignment=assignment, credibility=3)
    api_client.force_authenticate(reviewer)

    with django_assert_max_num_queries(10):
        response = api_client.get(f"/api/v1/articles/{article.id}/assignments/")

    assert [len(row["spans"]) for row in response.json()] == [5, 5, 5, 5]
    assert {row["assessment"]["credibility"] for row in response.json()} == {3}


@pytest.mark.django_db
def test_assignment_list_shows_progress(api_client, project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    SpanFactory(assignment=assignment, start=0, end=3)
    SpanFactory(assignment=assignment, start=4, end=9)
    api_client.force_authenticate(analyst)

    response = api_client.get("/api/v1/assignments/")

    [row] = response.json()["results"]
    assert (row["span_count"], row["status"]) == (2, "assigned")


@pytest.mark.django_db
def test_assessment_is_written_read_and_versioned(api_client, project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    api_client.force_authenticate(analyst)
    url = f"/api/v1/assignments/{assignment.id}/assessment/"

    first = api_client.put(url, {"credibility": 2, "comment": "Single anonymous source"}, format="json")
    second = api_client.put(url, {"credibility": 3, "comment": "", "version": 1}, format="json")
    stale = api_client.put(url, {"credibility": 5, "version": 1}, format="json")

    assert (first.status_code, second.status_code, stale.status_code) == (200, 200, 412)
    assert api_client.get(url).json()["credibility"] == 3
    assert ArticleAssessment.objects.get().version == 2


@pytest.mark.django_db
def test_first_assessment_sent_with_etag_0_is_refused_once_another_tab_saved_one(api_client, project, analyst):
    # Both tabs loaded the empty assessment (ETag "0"); the first save wins, the second is told (412).
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    api_client.force_authenticate(analyst)
    url = f"/api/v1/assignments/{assignment.id}/assessment/"

    first = api_client.put(url, {"credibility": 2}, format="json", HTTP_IF_MATCH='"0"')
    second = api_client.put(url, {"credibility": 4}, format="json", HTTP_IF_MATCH='"0"')

    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json()["code"] == "stale_version"
    assert (ArticleAssessment.objects.get().credibility, ArticleAssessment.objects.get().version) == (2, 1)


@pytest.mark.django_db
def test_assessment_outside_the_scale_is_refused(api_client, project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    api_client.force_authenticate(analyst)

    response = api_client.put(f"/api/v1/assignments/{assignment.id}/assessment/", {"credibility": 9}, format="json")

    assert (response.status_code, response.json()["field"]) == (400, "credibility")
    assert not ArticleAssessment.objects.exists()


@pytest.mark.django_db
def test_submit_marks_the_assignment_submitted_and_a_second_submit_is_409(api_client, project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    api_client.force_authenticate(analyst)

    first = api_client.post(f"/api/v1/assignments/{assignment.id}/submit/")
    second = api_client.post(f"/api/v1/assignments/{assignment.id}/submit/")

    assert (first.status_code, first.json()["status"]) == (200, AssignmentStatus.SUBMITTED)
    assert second.status_code == 409


@pytest.mark.django_db
def test_source_search_matches_name_and_alias_in_any_case(api_client, project, analyst):
    SourceFactory(project=project, name="Kyrylo Budanov", aliases=["the head of Ukrainian intelligence"])
    SourceFactory(project=project, name="Dmitry Peskov", aliases=["Kremlin spokesperson"])
    api_client.force_authenticate(analyst)

    by_alias = api_client.get(f"/api/v1/projects/{project.id}/sources/", {"search": "UKRAINIAN INTEL"})
    by_name = api_client.get(f"/api/v1/projects/{project.id}/sources/", {"search": "pesk"})

    assert [s["name"] for s in by_alias.json()] == ["Kyrylo Budanov"]
    assert [s["name"] for s in by_name.json()] == ["Dmitry Peskov"]


@pytest.mark.django_db
def test_duplicate_source_name_is_refused_with_409(api_client, project, analyst):
    SourceFactory(project=project, name="Dmitry Peskov")
    api_client.force_authenticate(analyst)

    response = api_client.post(f"/api/v1/projects/{project.id}/sources/", {"name": "dmitry peskov"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "duplicate_source")
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_user_cannot_raise_their_own_privileges(api_client, analyst):
    # Security case T06: mass assignment on the profile.
    api_client.force_authenticate(analyst)

    response = api_client.patch("/api/v1/users/me/", {"is_staff": True, "is_superuser": True, "role": "admin"},
                                format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"is_staff", "is_superuser", "role"}
    analyst.refresh_from_db()
    assert (analyst.is_staff, analyst.is_superuser) == (False, False)


@pytest.mark.django_db
def test_user_changes_their_display_name(api_client, analyst):
    api_client.force_authenticate(analyst)

    response = api_client.patch("/api/v1/users/me/", {"first_name": "Ada"}, format="json")

    assert response.json()["first_name"] == "Ada"
    analyst.refresh_from_db()
    assert analyst.first_name == "Ada"


@pytest.mark.django_db
def test_token_from_username_and_password_authenticates_api_calls(api_client, analyst, project):
    response = api_client.post("/api/v1/auth/token/", {"username": "a1", "password": "correct-horse-battery"})
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api_client.get("/api/v1/projects/").json()["count"] == 1
    assert Token.objects.get(user=analyst).key == token


@pytest.mark.django_db
def test_inactive_users_token_is_refused(api_client, analyst):
    token = Token.objects.create(user=analyst)
    analyst.is_active = False
    analyst.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get("/api/v1/projects/")

    assert response.status_code == 401


@pytest.mark.django_db
def test_session_api_write_without_csrf_token_is_refused(project, analyst):
    # Security case T22: the pages use session auth, so state-changing calls need the CSRF token.
    from rest_framework.test import APIClient

    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(analyst)

    response = client.post(f"/api/v1/assignments/{assignment.id}/spans/", {"start": 0, "end": 3, "label": "claim"},
                           format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not assignment.spans.exists()


@pytest.mark.django_db
def test_openapi_schema_is_served_and_documents_the_span_endpoints(api_client, analyst):
    api_client.force_authenticate(analyst)

    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/assignments/{assignment_id}/spans/", "/api/v1/spans/{span_id}/"} <= set(paths)


@pytest.mark.django_db
def test_api_docs_page_loads_its_assets_from_the_app_not_a_cdn(client, analyst):
    client.force_login(analyst)

    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_source_suggestions_rank_the_speaker_named_next_to_the_passage(api_client, project, analyst):
    text = "Kyrylo Budanov said 10,000 North Korean troops will fight. The Kremlin called the reports fake news."
    budanov = SourceFactory(project=project, name="Kyrylo Budanov")
    SourceFactory(project=project, name="Dmitry Peskov", aliases=["The Kremlin"])
    assignment = AssignmentFactory(article=ArticleFactory(project=project, text=text), analyst=analyst)
    api_client.force_authenticate(analyst)
    start = text.index("10,000")

    response = api_client.get(f"/api/v1/assignments/{assignment.id}/source-suggestions/",
                              {"start": start, "end": text.index(" will fight")})

    assert response.status_code == 200
    assert response.json()[0]["source_id"] == budanov.id
