"""The reviewer's pages in Chromium: dashboard figures, queue, majority, a hand fix, adjudication."""

import pytest

from annotator.models import ArticleReview, GoldSpan, ReviewStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(project, username):
    return project.memberships.get(user__username=username).user


def test_dashboard_shows_the_demo_projects_figures_after_three_analysts_submit(open_page, live_server, demo_project):
    page = open_page(_user(demo_project, "reviewer"))

    page.goto(f"{live_server.url}/projects/{demo_project.id}/agreement/")

    assert "5 of 5 articles have two or more submitted analyses" in page.locator(".meta").first.inner_text()
    overall = page.locator("#overall").inner_text()
    assert "Span F1, overlap match" in overall and "undefined" not in overall.split("\n")[1]
    assert page.locator("#pair-heatmap svg rect").count() == 6  # 3 analysts: 6 off-diagonal cells
    assert page.locator("#articles tbody tr").count() == 5
    assert page.errors == []


def test_analyst_is_refused_the_dashboard_and_review_pages(open_page, live_server, demo_project):
    page = open_page(_user(demo_project, "analyst1"))

    responses = [page.goto(f"{live_server.url}/projects/{demo_project.id}/agreement/"),
                 page.goto(f"{live_server.url}/projects/{demo_project.id}/review/")]

    assert [r.status for r in responses] == [403, 403]


def test_reviewer_accepts_the_majority_fixes_a_unit_adjudicates_and_the_analyst_sees_the_comment(
    open_page, live_server, demo_project
):
    article = demo_project.articles.get(external_id="003_307bf1f08a4c6ee5")
    page = open_page(_user(demo_project, "reviewer"))
    page.goto(f"{live_server.url}/projects/{demo_project.id}/review/")
    page.locator(f'#queue tr[data-article="{article.id}"] a').click()
    page.wait_for_selector("#review[data-state=ready]")

    page.select_option("#majority-k", "2")
    page.keyboard.press("m")
    page.wait_for_selector("#review[data-save=saved]")
    majority = GoldSpan.objects.filter(article=article).count()
    assert majority >= 5

    page.locator("#units .unit").first.click()
    page.keyboard.press("e")
    first = GoldSpan.objects.filter(article=article).order_by("start").first()
    page.fill("#gold-end", str(first.end - len(" – starting next month")) if first.quote.endswith("month") else str(first.end - 1))
    page.locator("#gold-end").dispatch_event("input")
    page.fill("#gold-credibility", "4")
    page.click("#gold-form button[type=submit]")
    page.wait_for_selector("#review[data-save=saved]")
    first.refresh_from_db()
    assert first.credibility == 4 and first.quote == article.text[first.start:first.end]

    page.once("dialog", lambda dialog: dialog.accept("Check who is quoted for 10,000"))
    page.locator("#analysts button").nth(1).click()
    page.wait_for_selector("#review[data-save=saved]")
    page.click("#adjudicate")
    page.wait_for_selector("#review[data-status=adjudicated]")
    assert ArticleReview.objects.get(article=article).status == ReviewStatus.ADJUDICATED
    assert page.errors == []

    analyst_page = open_page(_user(demo_project, "analyst2"))
    assert "Reopened: Check who is quoted for 10,000" in analyst_page.locator("table.list").inner_text()
