"""Every API write leaves change-history rows naming the user who made it (security case T37, audit)."""

import pytest
from django.db.models import Max
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.models import ArticleAssessment, ArticleReview, Assignment, GoldSpan, Source, Span
from tests.factories import ArticleFactory, AssignmentFactory

AUDITED = [Span, Assignment, ArticleAssessment, Source, GoldSpan, ArticleReview]


def _client(user) -> APIClient:
    """A script's client: token authentication, as the audit must hold without a browser session."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _marks() -> dict:
    return {model: model.history.aggregate(last=Max("history_id"))["last"] or 0 for model in AUDITED}


def _rows_since(marks: dict) -> list[tuple[str, str, int | None]]:
    return [(model.__name__, row.history_type, row.history_user_id)
            for model in AUDITED for row in model.history.filter(history_id__gt=marks[model])]


@pytest.mark.django_db
def test_every_api_write_is_in_the_history_under_its_user(project, analyst, other_analyst, reviewer):
    article = ArticleFactory(project=project)
    text = article.text
    own = AssignmentFactory(article=article, analyst=analyst)
    others = AssignmentFactory(article=article, analyst=other_analyst)
    a1, a2, r1 = _client(analyst), _client(other_analyst), _client(reviewer)
    kremlin, analysts = text.index("The Kremlin"), text.index("Analysts")
    troops = text.index("10,000 North Korean troops")
    state: dict = {}

    def remember(name, response):
        state[name] = response.json()
        return response

    steps = [
        ("a1 creates a source", analyst, ["Source"],
         lambda: remember("source", a1.post(f"/api/v1/projects/{project.id}/sources/", {"name": "Kremlin"}, format="json"))),
        ("a2 creates a source", other_analyst, ["Source"],
         lambda: remember("absorbed", a2.post(f"/api/v1/projects/{project.id}/sources/", {"name": "Kremlin press office"},
                                              format="json"))),
        ("a1 creates a span", analyst, ["Span", "Assignment"],
         lambda: remember("s1", a1.post(f"/api/v1/assignments/{own.id}/spans/", {"start": 0, "end": 14, "label": "claim"},
                                        format="json"))),
        ("a1 edits the span", analyst, ["Span"],
         lambda: a1.patch(f"/api/v1/spans/{state['s1']['id']}/", {"credibility": 2}, format="json",
                          HTTP_IF_MATCH='"1"')),
        ("a1 bulk-creates spans", analyst, ["Span"],
         lambda: remember("bulk", a1.post(f"/api/v1/assignments/{own.id}/spans/bulk/", {"spans": [
             {"start": kremlin, "end": kremlin + 11, "label": "denial"},
             {"start": troops, "end": troops + 26, "label": "claim"}]}, format="json"))),
        ("a1 deletes a span", analyst, ["Span"],
         lambda: a1.delete(f"/api/v1/spans/{state['bulk'][1]['id']}/", HTTP_IF_MATCH='"1"')),
        ("a1 scores the article", analyst, ["ArticleAssessment"],
         lambda: a1.put(f"/api/v1/assignments/{own.id}/assessment/", {"credibility": 2, "comment": "thin"}, format="json")),
        ("a1 submits", analyst, ["Assignment"], lambda: a1.post(f"/api/v1/assignments/{own.id}/submit/")),
        ("r1 reopens a1's work", reviewer, ["Assignment"],
         lambda: r1.post(f"/api/v1/assignments/{own.id}/reopen/", {"comment": "check the source"}, format="json")),
        ("a1 submits again", analyst, ["Assignment"], lambda: a1.post(f"/api/v1/assignments/{own.id}/submit/")),
        ("a2 annotates", other_analyst, ["Span", "Assignment"],
         lambda: a2.post(f"/api/v1/assignments/{others.id}/spans/bulk/", {"spans": [
             {"start": 0, "end": 14, "label": "claim", "source": state["absorbed"]["id"]},
             {"start": analysts, "end": analysts + 8, "label": "expert_opinion"}]}, format="json")),
        ("a2 submits", other_analyst, ["Assignment"], lambda: a2.post(f"/api/v1/assignments/{others.id}/submit/")),
        ("r1 merges two sources", reviewer, ["Source", "Span"],
         lambda: r1.post(f"/api/v1/sources/{state['source']['id']}/merge/", {"absorb": state["absorbed"]["id"]},
                         format="json")),
        ("r1 accepts the majority", reviewer, ["GoldSpan"],
         lambda: r1.post(f"/api/v1/articles/{article.id}/gold/majority/", {"min_agreeing": 2}, format="json")),
        ("r1 accepts a span", reviewer, ["GoldSpan"],
         lambda: r1.post(f"/api/v1/articles/{article.id}/gold/accept/", {"span": state["bulk"][0]["id"]}, format="json")),
        ("r1 merges spans into gold", reviewer, ["GoldSpan"],
         lambda: r1.post(f"/api/v1/articles/{article.id}/gold/merge/",
                         {"spans": list(Span.objects.filter(assignment=others, start=analysts).values_list("id", flat=True))},
                         format="json")),
        ("r1 writes a gold span", reviewer, ["GoldSpan"],
         lambda: remember("gold", r1.post(f"/api/v1/articles/{article.id}/gold/",
                                          {"start": troops, "end": troops + 26, "label": "claim"}, format="json"))),
        ("r1 edits the gold span", reviewer, ["GoldSpan"],
         lambda: r1.patch(f"/api/v1/gold/{state['gold']['id']}/", {"credibility": 1}, format="json", HTTP_IF_MATCH='"1"')),
        ("r1 deletes the gold span", reviewer, ["GoldSpan"],
         lambda: r1.delete(f"/api/v1/gold/{state['gold']['id']}/", HTTP_IF_MATCH='"2"')),
        ("r1 scores the article", reviewer, ["ArticleReview"],
         lambda: r1.put(f"/api/v1/articles/{article.id}/review/", {"credibility": 2, "comment": "one source"},
                        format="json")),
        ("r1 adjudicates", reviewer, ["ArticleReview"], lambda: r1.post(f"/api/v1/articles/{article.id}/adjudicate/")),
        ("r1 reopens the review", reviewer, ["ArticleReview"],
         lambda: r1.post(f"/api/v1/articles/{article.id}/review/reopen/")),
    ]
    report = []

    for name, _user, expected, write in steps:
        marks = _marks()
        response = write()
        rows = _rows_since(marks)
        report.append((name, response.status_code < 300, sorted({model for model, _, _ in rows} & set(expected)),
                       {user_id for _, _, user_id in rows}))

    assert report == [(name, True, sorted(expected), {user.id}) for name, user, expected, _ in steps]
