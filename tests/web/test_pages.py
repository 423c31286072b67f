"""Server-rendered pages: login, logout, home, the annotate page, and the headers every page carries."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AssignmentFactory, SpanFactory


@pytest.mark.django_db
def test_login_page_answers_and_logs_in_to_home(client, analyst):
    page = client.get("/login/")
    response = client.post("/login/", {"username": "a1", "password": "correct-horse-battery"})

    assert page.status_code == 200
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, analyst, target):
    # Security case T27: open redirect through ?next=.
    response = client.post(f"/login/?next={target}", {"username": "a1", "password": "correct-horse-battery",
                                                       "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_session_id_changes_at_login_and_old_cookie_is_dead_after_logout(client, analyst):
    # Security case T28.
    client.get("/login/")
    client.cookies["sessionid"] = "anonymous-session-id-chosen-by-an-attacker"
    client.post("/login/", {"username": "a1", "password": "correct-horse-battery"})
    logged_in = client.cookies["sessionid"].value
    client.post("/logout/")
    client.cookies["sessionid"] = logged_in

    response = client.get("/")

    assert logged_in != "anonymous-session-id-chosen-by-an-attacker"
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_logout_by_get_is_refused(client, analyst):
    # Security case T22: state changes only by POST with a CSRF token.
    client.force_login(analyst)

    response = client.get("/logout/")

    assert response.status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_deactivated_users_session_is_refused(client, analyst):
    client.force_login(analyst)
    analyst.is_active = False
    analyst.save()

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_home_lists_the_analysts_assignments_with_status_and_span_count(client, project, analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project, title="Budanov: 10,000 troops"),
                                   analyst=analyst)
    SpanFactory(assignment=assignment, start=0, end=3)
    client.force_login(analyst)

    html = client.get("/").content.decode()

    assert "Budanov: 10,000 troops" in html
    assert reverse("annotate", args=[assignment.id]) in html
    assert f'<tr data-assignment="{assignment.id}">' in html
    assert "<td>1</td>" in html


@pytest.mark.django_db
def test_annotate_page_of_another_analysts_assignment_is_404(client, project, analyst, other_analyst):
    assignment = AssignmentFactory(article=ArticleFactory(project=project), analyst=other_analyst)
    client.force_login(analyst)

    response = client.get(reverse("annotate", args=[assignment.id]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_annotate_page_escapes_the_article_and_sanitises_the_guidelines(client, project, analyst):
    project.guidelines = "**Mark claims.** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    project.save()
    article = ArticleFactory(project=project, title="<b>Title</b>", text="</script><script>alert(4)</script>")
    assignment = AssignmentFactory(article=article, analyst=analyst)
    client.force_login(analyst)

    html = client.get(reverse("annotate", args=[assignment.id])).content.decode()

    assert "<strong>Mark claims.</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html
    assert "\\u003C/script\\u003E" in html  # the JSON config escapes the text too


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_script(client, analyst):
    client.force_login(analyst)

    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/annotator/workspace.js")

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


@pytest.mark.django_db
def test_health_and_readiness_probes_answer_without_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok"}
