"""Reads of claim clusters: score agreement on the claim page, and the claims exports carry."""

import pytest

from annotator.formats.records import ExportClaim
from annotator.models import AssignmentStatus
from annotator.selectors import claims as claim_reads
from annotator.selectors.exports import iter_export_articles
from annotator.services import claims, gold
from tests.factories import ArticleFactory, AssignmentFactory, SpanFactory


def _submitted_span(project, analyst, article, score, **kwargs):
    assignment = AssignmentFactory(article=article, analyst=analyst)
    span = SpanFactory(assignment=assignment, credibility=score, **kwargs)
    assignment.status, assignment.submitted_at = AssignmentStatus.SUBMITTED, assignment.created_at
    assignment.save()
    return span


@pytest.fixture
def claim(project, analyst, other_analyst, reviewer):
    """Two articles; in each, A1 and A2 scored their span of the claim: A1 2 and 4, A2 2 and 4."""
    cluster = claims.create_cluster(project=project, user=reviewer, wording="10,000 troops")
    for article in (ArticleFactory(project=project), ArticleFactory(project=project)):
        for user in (analyst, other_analyst):
            score = 2 if article.pk == project.articles.order_by("id").first().pk else 4
            claims.link_span(cluster=cluster, user=reviewer, span=_submitted_span(project, user, article, score))
    return cluster


@pytest.mark.django_db
def test_analysts_who_agree_on_every_article_have_score_alpha_one(claim, reviewer):
    # Units are the two articles; both analysts gave 2 in one and 4 in the other: no observed disagreement,
    # some expected (the values vary), so alpha = 1 - 0 / D_e = 1.
    scores = claim_reads.get_claim_detail(claim, reviewer)["scores"]

    assert (scores["count"], scores["analysts"], scores["articles"], scores["mean"]) == (4, 2, 2, 3.0)
    assert scores["alpha_ordinal"]["value"] == pytest.approx(1.0)
    assert scores["distribution"] == {"1": 0, "2": 2, "3": 0, "4": 2, "5": 0}


@pytest.mark.django_db
def test_a_blind_analyst_gets_no_agreement_figure_from_their_scores_alone(claim, analyst):
    scores = claim_reads.get_claim_detail(claim, analyst)["scores"]

    assert scores["analysts"] == 1 and scores["alpha_ordinal"]["value"] is None
    assert scores["alpha_ordinal"]["reason"] and scores["alpha_ordinal"]["reading"] == "undefined"


@pytest.mark.django_db
def test_the_analyst_export_names_the_claims_of_each_linked_span(project, claim):
    exported = list(iter_export_articles(project, "analyst"))

    linked = [span.claims for article in exported for span in article.spans]
    assert len(linked) == 4 and all(found == (ExportClaim(claim.pk, "10,000 troops"),) for found in linked)


@pytest.mark.django_db
def test_a_gold_span_inherits_the_claims_of_the_analysts_spans_it_rests_on(project, claim, reviewer):
    article = project.articles.order_by("id").first()
    gold.accept_span(span=article.assignments.first().spans.get(), reviewer=reviewer)
    gold.adjudicate_article(article=article, reviewer=reviewer)

    [exported] = list(iter_export_articles(project, "gold"))

    assert [span.claims for span in exported.spans] == [(ExportClaim(claim.pk, "10,000 troops"),)]


@pytest.mark.django_db
def test_the_card_summary_counts_every_link_and_gives_the_verdict(project, claim, reviewer):
    claims.adjudicate_cluster(cluster=claim, reviewer=reviewer, verdict=2)

    assert claim_reads.summarise_for_card(project) == [
        {"id": claim.pk, "wording": "10,000 troops", "appearances": 4, "articles": 2, "verdict": 2}]
