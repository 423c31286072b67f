"""Review and adjudication through the API: permissions, accept, edit, merge, majority, verdict, audit."""

import pytest

from annotator.models import ArticleReview, Assignment, GoldSpan, ReviewStatus, Span
from annotator.services import demo


@pytest.fixture
def demo_project(db):
    return demo.seed_demo().project


def _user(project, username):
    return project.memberships.get(user__username=username).user


@pytest.fixture
def article(demo_project):
    return demo_project.articles.get(external_id="003_307bf1f08a4c6ee5")


@pytest.fixture
def reviewer_client(api_client, demo_project):
    api_client.force_authenticate(_user(demo_project, "reviewer"))
    return api_client


@pytest.mark.django_db
def test_analysts_never_reach_review_endpoints_or_gold(api_client, demo_project, article):
    # Security case T07: an analyst cannot adjudicate.
    api_client.force_authenticate(_user(demo_project, "analyst1"))
    span = Span.objects.filter(assignment__article=article).first()

    responses = [
        api_client.get(f"/api/v1/articles/{article.id}/review/"),
        api_client.post(f"/api/v1/articles/{article.id}/gold/accept/", {"span": span.id}, format="json"),
        api_client.post(f"/api/v1/articles/{article.id}/adjudicate/"),
        api_client.get(f"/api/v1/projects/{demo_project.id}/review-queue/"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert not GoldSpan.objects.exists() and not ArticleReview.objects.exists()


@pytest.mark.django_db
def test_review_shows_units_with_each_analysts_span_and_the_disagreements(reviewer_client, article):
    data = reviewer_client.get(f"/api/v1/articles/{article.id}/review/").json()

    first = data["units"][0]
    assert set(first["spans"]) == {"analyst1", "analyst2", "analyst3"}
    assert "boundaries differ" in first["agreement"]["issues"] and "sources differ" in first["agreement"]["issues"]
    assert data["article"]["text"][first["start"]:first["end"]] == first["quote"]
    assert [a["analyst"] for a in data["analysts"]] == ["analyst1", "analyst2", "analyst3"]


@pytest.mark.django_db
def test_accept_then_edit_keeps_offsets_and_quote_exact(reviewer_client, article):
    span = Span.objects.filter(assignment__article=article, assignment__analyst__username="analyst3").order_by("start").first()

    accepted = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/accept/", {"span": span.id}, format="json").json()
    edited = reviewer_client.patch(f"/api/v1/gold/{accepted['id']}/", {"end": span.end - 2, "credibility": 4},
                                   format="json", HTTP_IF_MATCH=f'"{accepted["version"]}"')

    assert edited.status_code == 200
    gold = GoldSpan.objects.get()
    assert gold.quote == article.text[gold.start:gold.end] == span.quote[:-2]
    assert (gold.credibility, gold.version) == (4, 2)


@pytest.mark.django_db
def test_second_reviewer_with_a_stale_version_gets_412_and_changes_nothing(reviewer_client, article, demo_project):
    # Security case T31: two reviewers edit the same gold span.
    span = Span.objects.filter(assignment__article=article).first()
    accepted = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/accept/", {"span": span.id}, format="json").json()
    reviewer_client.patch(f"/api/v1/gold/{accepted['id']}/", {"credibility": 5}, format="json", HTTP_IF_MATCH='"1"')

    stale = reviewer_client.patch(f"/api/v1/gold/{accepted['id']}/", {"credibility": 1}, format="json",
                                  HTTP_IF_MATCH='"1"')
    missing = reviewer_client.patch(f"/api/v1/gold/{accepted['id']}/", {"credibility": 1}, format="json")

    assert (stale.status_code, missing.status_code) == (412, 428)
    assert GoldSpan.objects.get().credibility == 5


@pytest.mark.django_db
def test_majority_with_k_of_n_accepts_only_units_enough_analysts_agree_on(reviewer_client, article):
    all_three = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/majority/", {"min_agreeing": 3},
                                     format="json").json()
    two_of_three = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/majority/", {"min_agreeing": 2},
                                        format="json").json()
    again = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/majority/", {"min_agreeing": 2},
                                 format="json").json()

    assert all(len(g["supporters"]) == 3 for g in all_three)
    assert two_of_three and all(len(g["supporters"]) >= 2 for g in two_of_three)
    assert again == []
    for gold in GoldSpan.objects.filter(article=article):
        assert article.text[gold.start:gold.end] == gold.quote


@pytest.mark.django_db
def test_merge_builds_one_gold_span_from_several_versions(reviewer_client, article):
    data = reviewer_client.get(f"/api/v1/articles/{article.id}/review/").json()
    unit = data["units"][0]

    response = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/merge/",
                                    {"spans": [s["id"] for s in unit["spans"].values()]}, format="json")

    gold = response.json()
    assert response.status_code == 201
    assert sorted(gold["supporters"]) == ["analyst1", "analyst2", "analyst3"]
    assert (gold["start"], gold["end"]) == (unit["spans"]["analyst1"]["start"], unit["spans"]["analyst1"]["end"])


@pytest.mark.django_db
def test_adjudicated_article_is_final_for_gold_and_for_analysts(reviewer_client, api_client, article, demo_project):
    # Security case T37: edits after adjudication are refused.
    reviewer_client.post(f"/api/v1/articles/{article.id}/adjudicate/")
    span = Span.objects.filter(assignment__article=article).first()

    refused_gold = reviewer_client.post(f"/api/v1/articles/{article.id}/gold/accept/", {"span": span.id}, format="json")
    refused_reopen = reviewer_client.post(f"/api/v1/articles/{article.id}/reopen-assignment/",
                                          {"assignment": span.assignment_id, "comment": "again"}, format="json")

    assert (refused_gold.status_code, refused_gold.json()["code"]) == (409, "review_locked")
    assert refused_reopen.status_code == 409
    assert ArticleReview.objects.get(article=article).status == ReviewStatus.ADJUDICATED


@pytest.mark.django_db
def test_reopened_assignment_carries_the_comment_to_the_analyst(reviewer_client, api_client, article, demo_project):
    assignment = Assignment.objects.get(article=article, analyst__username="analyst2")

    reviewer_client.post(f"/api/v1/articles/{article.id}/reopen-assignment/",
                         {"assignment": assignment.id, "comment": "Check who said 12,000"}, format="json")
    api_client.force_authenticate(_user(demo_project, "analyst2"))
    mine = api_client.get(f"/api/v1/assignments/{assignment.id}/").json()

    assert (mine["status"], mine["reopen_comment"]) == ("in_progress", "Check who said 12,000")


@pytest.mark.django_db
def test_gold_verdict_and_audit_trail_record_who_did_what(reviewer_client, article):
    reviewer_client.put(f"/api/v1/articles/{article.id}/review/", {"credibility": 3, "comment": "Mostly sourced"},
                        format="json")
    span = Span.objects.filter(assignment__article=article).first()
    reviewer_client.post(f"/api/v1/articles/{article.id}/gold/accept/", {"span": span.id}, format="json")

    audit = reviewer_client.get(f"/api/v1/articles/{article.id}/audit/").json()

    kinds = {(entry["kind"], entry["action"], entry["by"]) for entry in audit}
    assert ("gold span", "+", "reviewer") in kinds
    assert ("review", "~", "reviewer") in kinds
    assert any(entry["kind"] == "span" and entry["action"] == "+" for entry in audit)


@pytest.mark.django_db
def test_audit_trail_is_read_only(reviewer_client, article):
    responses = [reviewer_client.patch(f"/api/v1/articles/{article.id}/audit/", {}, format="json"),
                 reviewer_client.delete(f"/api/v1/articles/{article.id}/audit/")]

    assert [r.status_code for r in responses] == [405, 405]


@pytest.mark.django_db
def test_queue_sorts_by_disagreement_and_filters_adjudicated(reviewer_client, demo_project, article):
    reviewer_client.post(f"/api/v1/articles/{article.id}/adjudicate/")

    queue = reviewer_client.get(f"/api/v1/projects/{demo_project.id}/review-queue/", {"status": "open"}).json()
    done = reviewer_client.get(f"/api/v1/projects/{demo_project.id}/review-queue/", {"status": "adjudicated"}).json()

    alphas = [row["label_alpha"] for row in queue]
    assert alphas == sorted(alphas)
    assert article.id not in [row["article_id"] for row in queue]
    assert [row["article_id"] for row in done] == [article.id]
