"""The claim API: roles x endpoints, project boundaries (404), blind projects, the verdict, ClaimReview."""

import json

import pytest

from annotator.models import ClaimCluster, ClaimLink, Role
from annotator.services import claims
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    ClaimClusterFactory,
    GoldSpanFactory,
    MembershipFactory,
    SourceFactory,
    SpanFactory,
)
from tests.formats.schema_org import schema_org_problems

ROLES = ["A1", "A2", "R1", "ADM", "X", "anon"]

# (name, method, url template, body, expected status per role A1, A2, R1, ADM, X, anon)
TABLE = [
    ("claim list", "get", "/api/v1/projects/{project}/claims/", None, [200, 200, 200, 200, 404, 401]),
    ("claim create", "post", "/api/v1/projects/{project}/claims/", {"wording": "Six officers killed"},
     [201, 201, 201, 201, 404, 401]),
    ("claim detail", "get", "/api/v1/claims/{claim}/", None, [200, 200, 200, 200, 404, 401]),
    ("suggestions", "get", "/api/v1/projects/{project}/claims/suggestions/?quote=10,000 troops", None,
     [200, 200, 200, 200, 404, 401]),
    ("link a span", "post", "/api/v1/claims/{claim}/links/", {"span": "{fresh}"}, [201, 400, 201, 201, 404, 401]),
    ("unlink", "delete", "/api/v1/claims/{claim}/links/{link}/", None, [204, 404, 204, 204, 404, 401]),
    ("rename", "patch", "/api/v1/claims/{claim}/", {"wording": "Budanov: 10,000"}, [200, 403, 200, 200, 404, 401]),
    ("adjudicate", "post", "/api/v1/claims/{claim}/adjudicate/", {"verdict": 2}, [403, 403, 200, 200, 404, 401]),
    ("claim review", "get", "/api/v1/claims/{claim}/claimreview/", None, [403, 403, 409, 409, 404, 401]),
    ("project claim reviews", "get", "/api/v1/projects/{project}/claims/claimreview/", None,
     [403, 403, 200, 200, 404, 401]),
    ("delete", "delete", "/api/v1/claims/{claim}/", None, [204, 403, 204, 204, 404, 401]),
]


@pytest.fixture
def claim(world, analyst):
    """A1's claim, linked to A1's span; A1 has a second span not linked yet."""
    return claims.create_cluster(project=world.project, user=analyst, wording="10,000 troops", span=world.span)


def _ids(world, claim):
    fresh = SpanFactory(assignment=world.own, start=15, end=20)
    return {"project": world.project.id, "claim": claim.id, "link": claim.links.get().id, "fresh": fresh.id}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "template", "body", "expected"), TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_status_the_table_says(api_client, world, users, claim, role, name, method, template, body,
                                             expected):
    ids = _ids(world, claim)
    if users[role] is not None:
        api_client.force_authenticate(users[role])
    if body is not None:
        body = {key: int(value.format(**ids)) if isinstance(value, str) and value.startswith("{") else value
                for key, value in body.items()}

    response = getattr(api_client, method)(template.format(**ids), body, format="json")

    assert response.status_code == expected[ROLES.index(role)], response.content


@pytest.mark.django_db
def test_analyst_adjudicating_gets_403_and_nothing_is_written(api_client, world, analyst, claim):
    api_client.force_authenticate(analyst)
    history = claim.history.count()

    response = api_client.post(f"/api/v1/claims/{claim.id}/adjudicate/", {"verdict": 5, "verdict_note": "True"},
                               format="json")

    claim.refresh_from_db()
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert (claim.verdict, claim.verdict_note, claim.adjudicated_at, claim.version) == (None, "", None, 1)
    assert claim.history.count() == history


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_outsider_gets_404_for_a_claim_of_another_project_and_nothing_changes(api_client, world, outsider, claim,
                                                                                 method):
    api_client.force_authenticate(outsider)

    response = getattr(api_client, method)(f"/api/v1/claims/{claim.id}/", {"wording": "Mine now"}, format="json")

    claim.refresh_from_db()
    assert response.status_code == 404
    assert claim.wording == "10,000 troops" and ClaimLink.objects.count() == 1


@pytest.mark.django_db
def test_a_span_of_another_project_cannot_be_linked(api_client, world, reviewer, claim, other_project):
    MembershipFactory(project=other_project, user=reviewer, role=Role.REVIEWER)
    foreign = SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=other_project)))
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/claims/{claim.id}/links/", {"span": foreign.id}, format="json")

    assert response.status_code == 400 and response.json()["field"] == "span"
    assert ClaimLink.objects.count() == 1


@pytest.mark.django_db
def test_creating_a_claim_with_an_existing_wording_is_a_conflict_naming_the_field(api_client, world, other_analyst,
                                                                                claim):
    api_client.force_authenticate(other_analyst)

    response = api_client.post(f"/api/v1/projects/{world.project.id}/claims/", {"wording": "10,000 TROOPS"},
                               format="json")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("duplicate_claim", "wording")
    assert ClaimCluster.objects.count() == 1


@pytest.fixture
def both_linked(world, other_analyst, claim):
    """A2 has linked their own span (with a quote of their own) to A1's claim."""
    theirs = SpanFactory(assignment=world.others, start=59, end=101)  # "The Kremlin called the reports “fake news”."
    claims.link_span(cluster=claim, user=other_analyst, span=theirs)
    return theirs


@pytest.mark.django_db
def test_in_a_blind_project_an_analyst_sees_the_claim_but_only_their_own_links(api_client, world, analyst, claim,
                                                                              both_linked):
    api_client.force_authenticate(analyst)

    detail = api_client.get(f"/api/v1/claims/{claim.id}/").json()
    listed = api_client.get(f"/api/v1/projects/{world.project.id}/claims/").json()

    assert detail["wording"] == "10,000 troops"
    assert [row["span"] for row in detail["appearances"]] == [world.span.id]
    assert detail["scores"]["analysts"] <= 1 and detail["verdict"] is None
    assert [(row["id"], row["appearances"]) for row in listed] == [(claim.id, 1)]


@pytest.mark.django_db
def test_in_a_blind_project_an_analyst_cannot_unlink_or_even_find_another_analysts_link(
        api_client, world, analyst, claim, both_linked):
    link = both_linked.claim_links.get()
    api_client.force_authenticate(analyst)

    response = api_client.delete(f"/api/v1/claims/{claim.id}/links/{link.id}/")

    assert response.status_code == 404 and ClaimLink.objects.filter(pk=link.id).exists()


@pytest.mark.django_db
def test_suggestions_never_rest_on_quotes_an_analyst_may_not_see(api_client, world, analyst, claim, both_linked):
    api_client.force_authenticate(analyst)
    url = f"/api/v1/projects/{world.project.id}/claims/suggestions/"

    response = api_client.get(url, {"quote": "The Kremlin called the reports fake news"})

    assert response.status_code == 200 and response.json() == []


@pytest.mark.django_db
def test_a_reviewer_sees_every_link_and_the_suggestion_from_any_quote(api_client, world, reviewer, claim,
                                                                     both_linked):
    api_client.force_authenticate(reviewer)

    detail = api_client.get(f"/api/v1/claims/{claim.id}/").json()
    suggested = api_client.get(f"/api/v1/projects/{world.project.id}/claims/suggestions/",
                               {"quote": "The Kremlin called the reports fake news"}).json()

    assert {row["analyst"] for row in detail["appearances"]} == {"a1", "a2"}
    assert [row["id"] for row in suggested] == [claim.id]


@pytest.mark.django_db
def test_in_an_open_project_analysts_see_each_others_links_and_the_verdict(api_client, world, analyst, reviewer,
                                                                          claim, both_linked):
    world.project.is_blind = False
    world.project.save()
    claims.adjudicate_cluster(cluster=claim, reviewer=reviewer, verdict=2)
    api_client.force_authenticate(analyst)

    detail = api_client.get(f"/api/v1/claims/{claim.id}/").json()

    assert {row["analyst"] for row in detail["appearances"]} == {"a1", "a2"}
    assert detail["verdict"]["verdict"] == 2


@pytest.mark.django_db
def test_the_claims_of_a_span_carry_its_link_for_unlinking(api_client, world, analyst, claim):
    api_client.force_authenticate(analyst)

    listed = api_client.get(f"/api/v1/projects/{world.project.id}/claims/", {"span": world.span.id}).json()

    assert [(row["id"], row["link"]) for row in listed] == [(claim.id, claim.links.get().id)]


@pytest.mark.django_db
def test_a_verdict_off_the_scale_is_refused_naming_the_field(api_client, world, reviewer, claim):
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/claims/{claim.id}/adjudicate/", {"verdict": 9}, format="json")

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("score_out_of_scale", "verdict")


@pytest.mark.django_db
def test_a_stale_if_match_on_the_verdict_is_refused(api_client, world, reviewer, manager, claim):
    claims.adjudicate_cluster(cluster=claim, reviewer=manager, verdict=4)
    api_client.force_authenticate(reviewer)

    response = api_client.post(f"/api/v1/claims/{claim.id}/adjudicate/", {"verdict": 1}, format="json",
                               HTTP_IF_MATCH='"1"')

    claim.refresh_from_db()
    assert response.status_code == 412 and claim.verdict == 4


@pytest.mark.django_db
def test_claim_page_data_groups_assertions_denials_and_scores(api_client, world, reviewer, claim, both_linked):
    kremlin = SourceFactory(project=world.project, name="Dmitry Peskov")
    denial = world.project.labels.get(key="denial")
    both_linked.label, both_linked.source, both_linked.credibility = denial, kremlin, 2
    both_linked.save()
    api_client.force_authenticate(reviewer)

    detail = api_client.get(f"/api/v1/claims/{claim.id}/").json()

    assert detail["stances"]["denied"] == [{"source": "Dmitry Peskov", "appearances": 1}]
    assert detail["stances"]["asserted"] == [{"source": None, "appearances": 1}]


@pytest.mark.django_db
def test_claim_review_is_json_ld_valid_against_schema_org(api_client, world, reviewer, claim):
    world.article.url, world.article.outlet = "https://example.org/nk", "Politico"
    world.article.save()
    world.span.source = SourceFactory(project=world.project, name="Kyrylo Budanov", kind="military_intelligence")
    world.span.save()
    gold = GoldSpanFactory(article=ArticleFactory(project=world.project, title="Second report"))
    claims.link_span(cluster=claim, user=reviewer, gold_span=gold)
    claims.adjudicate_cluster(cluster=claim, reviewer=reviewer, verdict=2, verdict_note="One source only.")
    api_client.force_authenticate(reviewer)

    response = api_client.get(f"/api/v1/claims/{claim.id}/claimreview/")

    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert schema_org_problems(document) == []
    assert document["claimReviewed"] == "10,000 troops"
    assert document["url"] == f"http://testserver/claims/{claim.id}/"
    assert document["reviewRating"]["ratingValue"] == 2
    assert (document["reviewRating"]["worstRating"], document["reviewRating"]["bestRating"]) == (1, 5)
    assert [work["headline"] for work in document["itemReviewed"]["appearance"]] == [world.article.title,
                                                                                     "Second report"]
    assert document["itemReviewed"]["author"] == [{"@type": "Organization", "name": "Kyrylo Budanov"}]


@pytest.mark.django_db
def test_the_project_feed_lists_only_adjudicated_claims(api_client, world, reviewer, claim):
    ClaimClusterFactory(project=world.project, wording="Not decided yet")
    claims.adjudicate_cluster(cluster=claim, reviewer=reviewer, verdict=3)
    api_client.force_authenticate(reviewer)

    response = api_client.get(f"/api/v1/projects/{world.project.id}/claims/claimreview/")

    documents = json.loads(response.content)
    assert [document["claimReviewed"] for document in documents] == ["10,000 troops"]
    assert all(schema_org_problems(document) == [] for document in documents)



@pytest.mark.django_db
def test_exports_carry_the_claims_of_spans_and_the_card_lists_sources_and_claims(api_client, world, reviewer,
                                                                                 claim):
    world.source.aliases = ["the Kremlin"]
    world.source.save()
    world.own.status, world.own.submitted_at = "submitted", world.own.created_at
    world.own.save()
    api_client.force_authenticate(reviewer)
    query = f"/api/v1/projects/{world.project.id}/export/{{}}?format=jsonl&layer=analyst"

    exported = json.loads(b"".join(api_client.get(query.format("")).streaming_content))
    card = api_client.get(query.format("card/")).json()

    assert exported["spans"][0]["claims"] == [{"id": claim.id, "wording": "10,000 troops"}]
    assert card["sources"] == [{"name": "Kremlin", "kind": "other", "aliases": ["the Kremlin"], "spans": 0}]
    assert card["claims"] == [{"id": claim.id, "wording": "10,000 troops", "appearances": 1, "articles": 1,
                               "verdict": None}]
