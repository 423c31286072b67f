"""The claim pages: the project's claims and one claim's appearances, stances, scores and verdict form."""

import pytest

from annotator.models import AssignmentStatus, ClaimCluster
from annotator.services import claims
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory

PAYLOAD = '"><svg onload=alert(1)>'


@pytest.fixture
def claim(project, analyst, other_analyst):
    """A claim stated in two articles, by A1 (score 2) and A2 (score 4), both submitted."""
    budanov = SourceFactory(project=project, name="Kyrylo Budanov")
    cluster = None
    for analyst_, score, title in ((analyst, 2, "Kyiv Independent report"), (other_analyst, 4, "Politico report")):
        assignment = AssignmentFactory(article=ArticleFactory(project=project, title=title, outlet=title.split()[0]),
                                       analyst=analyst_)
        span = SpanFactory(assignment=assignment, start=20, end=58, source=budanov, credibility=score)
        if cluster is None:
            cluster = claims.create_cluster(project=project, user=analyst_, wording="10,000 North Korean troops",
                                            span=span)
        else:
            claims.link_span(cluster=cluster, user=analyst_, span=span)
        assignment.status, assignment.submitted_at = AssignmentStatus.SUBMITTED, assignment.created_at
        assignment.save()
    return cluster


@pytest.mark.django_db
def test_reviewer_sees_every_appearance_the_stances_and_the_verdict_form(client, reviewer, claim):
    client.force_login(reviewer)

    page = client.get(f"/claims/{claim.id}/").content.decode()

    assert "Kyiv Independent report" in page and "Politico report" in page
    assert "Kyrylo Budanov (2)" in page  # asserted twice
    assert 'name="verdict"' in page and "from 2 to 4" in page


@pytest.mark.django_db
def test_blind_analyst_sees_only_their_own_appearance_and_no_verdict_form(client, analyst, reviewer, claim):
    claims.adjudicate_cluster(cluster=claim, reviewer=reviewer, verdict=2, verdict_note="Unconfirmed.")
    client.force_login(analyst)

    page = client.get(f"/claims/{claim.id}/").content.decode()

    assert "Kyiv Independent report" in page and "Politico report" not in page
    assert 'name="verdict"' not in page and "Unconfirmed." not in page


@pytest.mark.django_db
def test_outsider_gets_404_for_the_claim_and_the_claims_list(client, outsider, claim):
    client.force_login(outsider)

    assert client.get(f"/claims/{claim.id}/").status_code == 404
    assert client.get(f"/projects/{claim.project_id}/claims/").status_code == 404


@pytest.mark.django_db
def test_reviewer_adjudicates_from_the_claim_page(client, reviewer, claim):
    client.force_login(reviewer)

    response = client.post(f"/claims/{claim.id}/adjudicate/", {"verdict": "2", "verdict_note": "One source.",
                                                               "version": "1"})

    claim.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.id}/"
    assert (claim.verdict, claim.verdict_note, claim.adjudicated_by) == (2, "One source.", reviewer)
    assert "2 of 5" in client.get(f"/claims/{claim.id}/").content.decode()


@pytest.mark.django_db
def test_analyst_posting_the_verdict_form_gets_403_and_nothing_is_written(client, analyst, claim):
    client.force_login(analyst)

    response = client.post(f"/claims/{claim.id}/adjudicate/", {"verdict": "5"})

    claim.refresh_from_db()
    assert response.status_code == 403 and claim.verdict is None


@pytest.mark.django_db
def test_a_verdict_off_the_scale_is_explained_and_not_saved(client, reviewer, claim):
    client.force_login(reviewer)

    page = client.post(f"/claims/{claim.id}/adjudicate/", {"verdict": "9"}, follow=True).content.decode()

    claim.refresh_from_db()
    assert "verdict: credibility must be between 1 and 5" in page and claim.verdict is None


@pytest.mark.django_db
def test_the_verdict_form_refuses_get(client, reviewer, claim):
    client.force_login(reviewer)

    assert client.get(f"/claims/{claim.id}/adjudicate/").status_code == 405


@pytest.mark.django_db
def test_claims_list_shows_wording_and_counts_the_user_may_see(client, project, analyst, reviewer, claim):
    client.force_login(analyst)
    analyst_page = client.get(f"/projects/{project.id}/claims/").content.decode()
    client.force_login(reviewer)
    reviewer_page = client.get(f"/projects/{project.id}/claims/").content.decode()

    row = '<td><a href="/claims/{}/">10,000 North Korean troops</a></td><td>{}</td>'
    assert row.format(claim.id, 1) in analyst_page
    assert row.format(claim.id, 2) in reviewer_page


@pytest.mark.django_db
def test_claim_wording_is_escaped_on_its_pages(client, project, analyst):
    cluster = ClaimCluster.objects.create(project=project, wording=PAYLOAD, created_by=analyst)
    client.force_login(analyst)

    pages = [client.get(f"/claims/{cluster.id}/").content.decode(),
             client.get(f"/projects/{project.id}/claims/").content.decode()]

    assert all(PAYLOAD not in page and "&quot;&gt;&lt;svg onload=alert(1)&gt;" in page for page in pages)
