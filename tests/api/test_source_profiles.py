"""Credibility by source over the API: who sees the aggregates, profiles and article credibility, and what."""

import pytest

from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, submit_work

ROLES = ["A1", "A2", "R1", "ADM", "X", "anon"]
TABLE = [
    ("source stats", "/api/v1/projects/{project}/sources/stats/", [403, 403, 200, 200, 404, 401]),
    ("source profile", "/api/v1/sources/{source}/profile/", [200, 200, 200, 200, 404, 401]),
    ("article credibility", "/api/v1/articles/{article}/credibility/", [200, 200, 200, 200, 404, 401]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "template", "expected"), TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_status_the_table_says(api_client, world, users, role, name, template, expected):
    if users[role] is not None:
        api_client.force_authenticate(users[role])

    response = api_client.get(template.format(project=world.project.id, source=world.source.id,
                                              article=world.article.id))

    assert response.status_code == expected[ROLES.index(role)], response.content


@pytest.mark.django_db
def test_reviewer_of_one_project_gets_404_for_another_projects_sources_and_articles(api_client, world, reviewer,
                                                                                   other_project):
    foreign_source = SourceFactory(project=other_project)
    foreign_article = ArticleFactory(project=other_project)
    api_client.force_authenticate(reviewer)

    answers = [api_client.get(f"/api/v1/projects/{other_project.id}/sources/stats/"),
               api_client.get(f"/api/v1/sources/{foreign_source.id}/profile/"),
               api_client.get(f"/api/v1/articles/{foreign_article.id}/credibility/")]

    assert [answer.status_code for answer in answers] == [404, 404, 404]


@pytest.fixture
def attributed(world):
    """A1 and A2 both attribute the first sentence to the Kremlin and submit: A1 scores 2, A2 scores 4."""
    submit_work(world.own, [(20, 57, world.source, 2)], score=3)
    submit_work(world.others, [(20, 57, world.source, 4)], score=5)
    return world


@pytest.mark.django_db
def test_stats_give_counts_scores_and_agreement_per_source(api_client, attributed, reviewer):
    api_client.force_authenticate(reviewer)

    body = api_client.get(f"/api/v1/projects/{attributed.project.id}/sources/stats/").json()

    kremlin = next(row for row in body["sources"] if row["source"]["name"] == "Kremlin")
    assert (kremlin["spans"], kremlin["articles"], kremlin["analysts"]) == (2, 1, 2)
    assert kremlin["statements"] == {"claim": 2}
    assert kremlin["histogram"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert (kremlin["mean"], kremlin["median"]) == (3.0, 3.0)
    assert kremlin["mean_interval"]["low"] <= 3.0 <= kremlin["mean_interval"]["high"]
    # Scores 2 and 4 on one unit and nothing else: o_24 = o_42 = 1, n = 2; interval alpha
    # = 1 - (2 - 1) * 2 * 4 / (2 * 1 * 1 * 4) = 0.
    assert kremlin["interval_alpha"]["value"] == pytest.approx(0.0)
    assert body["scale"] == {"min": 1, "max": 5}
    assert body["bootstrap"] == {"samples": 1000, "seed": 0, "confidence": 0.95}


@pytest.mark.django_db
def test_stats_filter_by_kind_country_and_minimum_spans(api_client, attributed, reviewer):
    SourceFactory(project=attributed.project, name="ISW", kind="expert_academic", country="USA")
    api_client.force_authenticate(reviewer)
    url = f"/api/v1/projects/{attributed.project.id}/sources/stats/"

    by_kind = api_client.get(url, {"kind": "expert_academic"}).json()["sources"]
    by_country = api_client.get(url, {"country": "usa"}).json()["sources"]
    by_spans = api_client.get(url, {"min_spans": 1}).json()["sources"]

    assert [row["source"]["name"] for row in by_kind] == ["ISW"]
    assert [row["source"]["name"] for row in by_country] == ["ISW"]
    assert [row["source"]["name"] for row in by_spans] == ["Kremlin"]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "field"), [({"kind": "alien"}, "kind"), ({"min_spans": -1}, "min_spans"),
                                                ({"order": "random"}, "order"), ({"country": "x" * 101}, "country")])
def test_bad_filters_are_refused_naming_the_field(api_client, world, reviewer, params, field):
    api_client.force_authenticate(reviewer)

    response = api_client.get(f"/api/v1/projects/{world.project.id}/sources/stats/", params)

    assert (response.status_code, response.json()["field"]) == (400, field)


@pytest.mark.django_db
def test_stats_read_in_a_constant_number_of_queries(api_client, attributed, reviewer, django_assert_max_num_queries):
    for number in range(10):
        source = SourceFactory(project=attributed.project, name=f"Source {number}")
        assignment = AssignmentFactory(article=ArticleFactory(project=attributed.project))
        submit_work(assignment, [(0, 14, source, number % 5 + 1)])
    api_client.force_authenticate(reviewer)

    with django_assert_max_num_queries(12):
        response = api_client.get(f"/api/v1/projects/{attributed.project.id}/sources/stats/")

    assert len(response.json()["sources"]) == 11


@pytest.mark.django_db
def test_reviewer_sees_every_statement_and_the_aggregates_on_a_profile(api_client, attributed, reviewer):
    api_client.force_authenticate(reviewer)

    body = api_client.get(f"/api/v1/sources/{attributed.source.id}/profile/").json()

    assert [(s["analyst"], s["credibility"]) for s in body["statements"]] == [("a1", 2), ("a2", 4)]
    assert body["stats"]["spans"] == 2
    assert body["source"]["name"] == "Kremlin"


@pytest.mark.django_db
def test_blind_analyst_sees_only_their_own_statements_and_no_aggregate(api_client, attributed, analyst):
    api_client.force_authenticate(analyst)

    profile = api_client.get(f"/api/v1/sources/{attributed.source.id}/profile/").json()
    article = api_client.get(f"/api/v1/articles/{attributed.article.id}/credibility/").json()

    assert [(s["analyst"], s["credibility"]) for s in profile["statements"]] == [("a1", 2)]
    assert profile["stats"] is None
    assert [(a["analyst"], a["credibility"]) for a in article["assessments"]] == [("a1", 3)]
    assert {s["analyst"] for row in article["sources"] for s in row["statements"]} == {"a1"}
    assert article["review"] is None and article["sees_all_work"] is False
    assert all(row["project_mean"] is None for row in article["sources"])


@pytest.mark.django_db
def test_analyst_of_an_open_project_sees_others_submitted_statements(api_client, attributed, analyst):
    attributed.project.is_blind = False
    attributed.project.save()
    api_client.force_authenticate(analyst)

    profile = api_client.get(f"/api/v1/sources/{attributed.source.id}/profile/").json()

    assert [s["analyst"] for s in profile["statements"]] == ["a1", "a2"]
    assert profile["stats"] is None


@pytest.mark.django_db
def test_article_credibility_shows_source_scores_next_to_article_scores(api_client, attributed, reviewer):
    api_client.force_authenticate(reviewer)

    body = api_client.get(f"/api/v1/articles/{attributed.article.id}/credibility/").json()

    assert [(a["analyst"], a["credibility"]) for a in body["assessments"]] == [("a1", 3), ("a2", 5)]
    assert (body["assessment_mean"], body["assessment_median"]) == (4.0, 4.0)
    named = [row for row in body["sources"] if row["source"]]
    assert [(row["source"]["name"], row["mean"], row["project_mean"]) for row in named] == [("Kremlin", 3.0, 3.0)]
    unattributed = [row for row in body["sources"] if row["source"] is None]
    assert [s["quote"] for row in unattributed for s in row["statements"]] == ["Kyrylo Budanov"]


@pytest.mark.django_db
def test_article_credibility_reads_in_a_constant_number_of_queries(api_client, attributed, reviewer,
                                                                   django_assert_max_num_queries):
    for number in range(10):
        source = SourceFactory(project=attributed.project, name=f"Source {number}")
        assignment = AssignmentFactory(article=attributed.article)
        submit_work(assignment, [(60 + number, 70 + number, source, number % 5 + 1)])
    api_client.force_authenticate(reviewer)

    with django_assert_max_num_queries(12):
        response = api_client.get(f"/api/v1/articles/{attributed.article.id}/credibility/")

    assert len(response.json()["sources"]) == 12


@pytest.mark.django_db
def test_profile_reads_in_a_constant_number_of_queries(api_client, attributed, reviewer,
                                                       django_assert_max_num_queries):
    for _ in range(10):
        assignment = AssignmentFactory(article=ArticleFactory(project=attributed.project))
        submit_work(assignment, [(0, 14, attributed.source, 3), (20, 57, attributed.source, 4)])
    api_client.force_authenticate(reviewer)

    with django_assert_max_num_queries(14):
        response = api_client.get(f"/api/v1/sources/{attributed.source.id}/profile/")

    assert len(response.json()["statements"]) == 22
