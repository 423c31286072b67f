"""Claim clusters: who may create, link, rename and adjudicate them, and what a refusal leaves behind."""

import pytest

from annotator.errors import AssignmentLocked, DomainError, Forbidden, ScoreOutOfScale, StaleVersion, WrongProject
from annotator.models import AssignmentStatus, ClaimCluster, ClaimLink
from annotator.services import claims
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    ClaimClusterFactory,
    ClaimLinkFactory,
    GoldSpanFactory,
    SpanFactory,
)


def _span(project, analyst, **kwargs):
    return SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=project), analyst=analyst),
                       **kwargs)


@pytest.mark.django_db
def test_analyst_creates_a_claim_from_their_span(project, analyst):
    span = _span(project, analyst)

    cluster = claims.create_cluster(project=project, user=analyst, wording="  Budanov: 10,000   troops ", span=span)

    assert cluster.wording == "Budanov: 10,000 troops"
    assert list(ClaimLink.objects.values_list("cluster", "span", "created_by")) == [(cluster.pk, span.pk, analyst.pk)]


@pytest.mark.django_db
def test_a_wording_that_exists_in_another_case_is_refused_and_nothing_is_written(project, analyst):
    ClaimClusterFactory(project=project, wording="Six officers killed")
    span = _span(project, analyst)

    with pytest.raises(DomainError) as refused:
        claims.create_cluster(project=project, user=analyst, wording="six OFFICERS killed", span=span)

    assert (refused.value.code, refused.value.status, refused.value.field) == ("duplicate_claim", 409, "wording")
    assert ClaimCluster.objects.count() == 1 and not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_a_blank_wording_is_refused_naming_the_field(project, analyst):
    with pytest.raises(DomainError) as refused:
        claims.create_cluster(project=project, user=analyst, wording=" \n ")

    assert refused.value.field == "wording" and not ClaimCluster.objects.exists()


@pytest.mark.django_db
def test_a_span_of_another_project_cannot_join_the_cluster(project, other_project, reviewer):
    cluster = ClaimClusterFactory(project=project)
    foreign = SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=other_project)))

    with pytest.raises(WrongProject):
        claims.link_span(cluster=cluster, user=reviewer, span=foreign)

    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_a_failed_first_link_leaves_no_cluster_behind(project, other_project, reviewer):
    foreign = SpanFactory(assignment=AssignmentFactory(article=ArticleFactory(project=other_project)))

    with pytest.raises(WrongProject):
        claims.create_cluster(project=project, user=reviewer, wording="12,000 troops", span=foreign)

    assert not ClaimCluster.objects.exists()


@pytest.mark.django_db
def test_analyst_cannot_link_another_analysts_span(project, analyst, other_analyst):
    cluster = ClaimClusterFactory(project=project, created_by=analyst)
    theirs = _span(project, other_analyst)

    with pytest.raises(Forbidden):
        claims.link_span(cluster=cluster, user=analyst, span=theirs)

    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_analyst_cannot_link_a_span_of_submitted_work(project, analyst):
    cluster = ClaimClusterFactory(project=project)
    span = _span(project, analyst)
    span.assignment.status, span.assignment.submitted_at = AssignmentStatus.SUBMITTED, span.assignment.created_at
    span.assignment.save()

    with pytest.raises(AssignmentLocked):
        claims.link_span(cluster=cluster, user=analyst, span=span)

    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_reviewer_links_submitted_analyst_spans_and_gold_spans(project, analyst, reviewer):
    cluster = ClaimClusterFactory(project=project)
    span = _span(project, analyst)
    span.assignment.status, span.assignment.submitted_at = AssignmentStatus.SUBMITTED, span.assignment.created_at
    span.assignment.save()
    gold = GoldSpanFactory(article=ArticleFactory(project=project))

    claims.link_span(cluster=cluster, user=reviewer, span=span)
    claims.link_span(cluster=cluster, user=reviewer, gold_span=gold)

    assert set(cluster.links.values_list("span", "gold_span")) == {(span.pk, None), (None, gold.pk)}


@pytest.mark.django_db
def test_analyst_cannot_link_a_gold_span(project, analyst):
    cluster = ClaimClusterFactory(project=project)
    gold = GoldSpanFactory(article=ArticleFactory(project=project))

    with pytest.raises(Forbidden):
        claims.link_span(cluster=cluster, user=analyst, gold_span=gold)

    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_linking_the_same_span_twice_is_a_conflict(project, analyst):
    link = ClaimLinkFactory(span=_span(project, analyst))

    with pytest.raises(DomainError) as refused:
        claims.link_span(cluster=link.cluster, user=analyst, span=link.span)

    assert (refused.value.code, refused.value.status) == ("duplicate_link", 409)
    assert ClaimLink.objects.count() == 1


@pytest.mark.django_db
def test_one_span_may_state_several_claims(project, analyst):
    span = _span(project, analyst)
    first, second = ClaimClusterFactory(project=project), ClaimClusterFactory(project=project)

    claims.link_span(cluster=first, user=analyst, span=span)
    claims.link_span(cluster=second, user=analyst, span=span)

    assert span.claim_links.count() == 2


@pytest.mark.django_db
def test_analyst_unlinks_their_own_link_but_not_another_analysts(project, analyst, other_analyst):
    mine = ClaimLinkFactory(span=_span(project, analyst))
    theirs = ClaimLinkFactory(span=_span(project, other_analyst), cluster=mine.cluster)

    claims.unlink(link=mine, user=analyst)
    with pytest.raises(Forbidden):
        claims.unlink(link=theirs, user=analyst)

    assert list(ClaimLink.objects.values_list("pk", flat=True)) == [theirs.pk]


@pytest.mark.django_db
def test_deleting_a_span_removes_its_links_but_not_the_cluster(project, analyst):
    link = ClaimLinkFactory(span=_span(project, analyst))

    link.span.delete()

    assert not ClaimLink.objects.exists() and ClaimCluster.objects.filter(pk=link.cluster_id).exists()


@pytest.mark.django_db
def test_analyst_adjudicating_is_forbidden_and_writes_nothing(project, analyst):
    cluster = ClaimClusterFactory(project=project, created_by=analyst)

    with pytest.raises(Forbidden) as refused:
        claims.adjudicate_cluster(cluster=cluster, reviewer=analyst, verdict=2)

    cluster.refresh_from_db()
    assert refused.value.status == 403
    assert (cluster.verdict, cluster.adjudicated_at, cluster.version) == (None, None, 1)
    assert cluster.history.count() == 1  # only its creation


@pytest.mark.django_db
def test_reviewer_adjudicates_on_the_projects_scale(project, reviewer):
    cluster = ClaimClusterFactory(project=project)

    decided = claims.adjudicate_cluster(cluster=cluster, reviewer=reviewer, verdict=2,
                                        verdict_note="Only Ukrainian intelligence reports it.")

    assert (decided.verdict, decided.adjudicated_by, decided.version) == (2, reviewer, 2)
    assert decided.is_adjudicated and decided.verdict_note.startswith("Only")


@pytest.mark.django_db
def test_a_verdict_off_the_scale_is_refused_naming_the_field(project, reviewer):
    cluster = ClaimClusterFactory(project=project)

    with pytest.raises(ScoreOutOfScale) as refused:
        claims.adjudicate_cluster(cluster=cluster, reviewer=reviewer, verdict=6)

    cluster.refresh_from_db()
    assert refused.value.field == "verdict" and cluster.verdict is None


@pytest.mark.django_db
def test_a_verdict_on_a_stale_version_is_refused(project, reviewer, manager):
    cluster = ClaimClusterFactory(project=project)
    claims.adjudicate_cluster(cluster=cluster, reviewer=manager, verdict=4, version=1)

    with pytest.raises(StaleVersion):
        claims.adjudicate_cluster(cluster=cluster, reviewer=reviewer, verdict=1, version=1)

    cluster.refresh_from_db()
    assert (cluster.verdict, cluster.adjudicated_by) == (4, manager)


@pytest.mark.django_db
def test_reopening_withdraws_the_verdict_and_history_keeps_it(project, reviewer):
    cluster = claims.adjudicate_cluster(cluster=ClaimClusterFactory(project=project), reviewer=reviewer, verdict=3)

    reopened = claims.reopen_cluster(cluster=cluster, reviewer=reviewer)

    assert (reopened.verdict, reopened.adjudicated_at) == (None, None)
    assert 3 in cluster.history.values_list("verdict", flat=True)


@pytest.mark.django_db
def test_creator_renames_their_claim_until_another_analyst_links_to_it(project, analyst, other_analyst):
    cluster = claims.create_cluster(project=project, user=analyst, wording="10,000 soldiers",
                                    span=_span(project, analyst))
    claims.rename_cluster(cluster=cluster, user=analyst, wording="North Korea sent 10,000 soldiers")
    claims.link_span(cluster=cluster, user=other_analyst, span=_span(project, other_analyst))

    with pytest.raises(Forbidden):
        claims.rename_cluster(cluster=cluster, user=analyst, wording="10,000 soldiers in Kursk")

    cluster.refresh_from_db()
    assert cluster.wording == "North Korea sent 10,000 soldiers"


@pytest.mark.django_db
def test_another_analyst_cannot_rename_or_delete_a_claim_but_a_reviewer_can(project, analyst, other_analyst,
                                                                           reviewer):
    cluster = ClaimClusterFactory(project=project, created_by=analyst)

    with pytest.raises(Forbidden):
        claims.rename_cluster(cluster=cluster, user=other_analyst, wording="Renamed")
    with pytest.raises(Forbidden):
        claims.delete_cluster(cluster=cluster, user=other_analyst)
    claims.rename_cluster(cluster=cluster, user=reviewer, wording="Renamed by the reviewer")

    cluster.refresh_from_db()
    assert cluster.wording == "Renamed by the reviewer"
    claims.delete_cluster(cluster=cluster, user=reviewer)
    assert not ClaimCluster.objects.exists()


@pytest.mark.django_db
def test_an_outsider_cannot_create_a_claim_in_the_project(project, outsider):
    with pytest.raises(Forbidden):
        claims.create_cluster(project=project, user=outsider, wording="Any")

    assert not ClaimCluster.objects.exists()
