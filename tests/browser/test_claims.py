"""Claims across articles in Chromium: link spans of two seed articles to one claim, find both on its page."""

import pytest

from annotator.models import ClaimCluster, Role
from annotator.services import assignments, projects, spans
from tests.browser.workspace import open_workspace
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST, SECOND = "000_7806262adbf967a1", "003_307bf1f08a4c6ee5"
FIRST_QUOTE = "the deaths of six North Korean officers"
SECOND_QUOTE = "six North Korean officers were killed in a missile strike near Donetsk"


def _user(project, username):
    return project.memberships.get(user__username=username).user


def _open_claims_of(page, quote, analyst):
    unit = page.locator("#units .unit").filter(has_text=quote).first
    unit.locator("tr").filter(has_text=analyst).get_by_role("button", name="Claim…").click()


def test_reviewer_links_spans_of_two_articles_and_finds_both_on_the_claim_page(open_page, live_server,
                                                                               demo_project):
    first, second = (demo_project.articles.get(external_id=name) for name in (FIRST, SECOND))
    page = open_page(_user(demo_project, "reviewer"))
    page.goto(f"{live_server.url}/projects/{demo_project.id}/review/articles/{first.id}/")
    page.wait_for_selector("#review[data-state=ready]")

    _open_claims_of(page, FIRST_QUOTE, "analyst1")
    page.fill("#claim-panel .claim-search", "Six North Korean officers were killed")
    page.click("#claim-panel .claim-new")
    page.locator("#claim-panel .claim-linked a", has_text="Six North Korean officers were killed").wait_for()

    page.goto(f"{live_server.url}/projects/{demo_project.id}/review/articles/{second.id}/")
    page.wait_for_selector("#review[data-state=ready]")
    _open_claims_of(page, SECOND_QUOTE, "analyst1")
    suggestion = page.locator("#claim-panel .claim-suggested li", has_text="Six North Korean officers were killed")
    suggestion.get_by_role("button", name="Link").click()
    page.locator("#claim-panel .claim-linked a", has_text="Six North Korean officers were killed").wait_for()

    claim = ClaimCluster.objects.get(project=demo_project)
    page.goto(f"{live_server.url}/claims/{claim.id}/")
    rows = page.locator("#appearances tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).locator("td").nth(2).inner_text().removesuffix(" (original)") for i in range(2)} == {
        first.title, second.title}
    assert page.errors == []


def test_analyst_links_their_spans_from_the_annotate_page_and_sees_them_on_the_claim_page(open_page, live_server,
                                                                                        demo_project):
    analyst = UserFactory(username="b2")
    projects.add_member(project=demo_project, user=analyst, role=Role.ANALYST)
    claim_label = demo_project.labels.get(key="claim")
    work = []
    for name, quote in ((FIRST, FIRST_QUOTE), (SECOND, SECOND_QUOTE)):
        article = demo_project.articles.get(external_id=name)
        assignment = assignments.create_assignment(article=article, analyst=analyst)
        start = article.text.index(quote)
        spans.create_span(assignment=assignment, start=start, end=start + len(quote), label=claim_label)
        work.append(assignment)
    page = open_page(analyst)

    open_workspace(page, live_server.url, work[0].id)
    page.locator("#span-list .span-item").first.click()
    page.fill("#claim-panel .claim-search", "Six North Korean officers killed")
    page.click("#claim-panel .claim-new")
    page.locator("#claim-panel .claim-linked a", has_text="Six North Korean officers killed").wait_for()
    open_workspace(page, live_server.url, work[1].id)
    page.locator("#span-list .span-item").first.click()
    page.locator("#claim-panel .claim-suggested li", has_text="Six North Korean officers killed") \
        .get_by_role("button", name="Link").click()
    page.locator("#claim-panel .claim-linked a", has_text="Six North Korean officers killed").click()

    page.wait_for_selector("#appearances")
    assert page.locator("#appearances tbody tr").count() == 2
    assert "Verdicts are shown to reviewers and managers" in page.locator("#verdict").inner_text()
    assert page.errors == []
