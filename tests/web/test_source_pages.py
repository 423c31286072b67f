"""Credibility by source pages: the ranking (reviewers, managers), a source's profile, an article's profile."""

import pytest
from django.urls import reverse

from annotator.models import SourceKind
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, submit_work

HOSTILE = '"><svg onload=alert(1)>'


@pytest.fixture
def sourced(project, analyst, other_analyst):
    """Two analysts attribute statements to the Kremlin (Russia) and to ISW (USA) on one article."""
    article = ArticleFactory(project=project, title="Troops at the border")
    kremlin = SourceFactory(project=project, name="Kremlin", kind=SourceKind.GOVERNMENT, country="Russia")
    isw = SourceFactory(project=project, name="ISW", kind=SourceKind.EXPERT, country="USA")
    submit_work(AssignmentFactory(article=article, analyst=analyst),
            [(59, 100, kremlin, 2), (103, 130, isw, 4)], score=3)
    submit_work(AssignmentFactory(article=article, analyst=other_analyst), [(59, 100, kremlin, 1)], score=2)
    return article, kremlin, isw


def _rows(html):
    return [part.split('"')[0] for part in html.split('<tr data-source="')[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("reviewer", 200), ("manager", 200), ("analyst", 403),
                                              ("outsider", 404)])
def test_only_reviewers_and_managers_see_the_ranking(client, request, project, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("source-ranking", args=[project.id]))

    assert response.status_code == status


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client, project):
    response = client.get(reverse("source-ranking", args=[project.id]))

    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_ranking_lists_sources_with_their_figures_and_a_plot(client, reviewer, sourced):
    _, kremlin, isw = sourced
    client.force_login(reviewer)

    html = client.get(reverse("source-ranking", args=[kremlin.project_id])).content.decode()

    assert _rows(html) == [str(isw.id), str(kremlin.id)]  # mean 4, then 1.5
    assert reverse("source-profile", args=[kremlin.project_id, kremlin.id]) in html
    assert '<figure class="chart" id="source-plot"><svg' in html
    assert "n=2 · α=" in html and "n=1 · α=undefined" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ({"kind": "government"}, ["kremlin"]),
    ({"country": "usa"}, ["isw"]),
    ({"min_spans": "2"}, ["kremlin"]),
    ({"order": "spans"}, ["kremlin", "isw"]),
    ({"order": "name"}, ["isw", "kremlin"]),
])
def test_ranking_filters_and_sorts(client, reviewer, sourced, query, expected):
    _, kremlin, isw = sourced
    ids = {"kremlin": str(kremlin.id), "isw": str(isw.id)}
    client.force_login(reviewer)

    html = client.get(reverse("source-ranking", args=[kremlin.project_id]), query).content.decode()

    assert _rows(html) == [ids[name] for name in expected]


@pytest.mark.django_db
def test_a_bad_filter_is_shown_and_the_others_still_apply(client, reviewer, sourced):
    _, kremlin, _ = sourced
    client.force_login(reviewer)

    response = client.get(reverse("source-ranking", args=[kremlin.project_id]),
                          {"min_spans": "lots", "kind": "government"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "min_spans: Enter a whole number." in html
    assert _rows(html) == [str(kremlin.id)]


@pytest.mark.django_db
def test_profile_shows_figures_and_every_statement_to_a_reviewer(client, reviewer, sourced):
    article, kremlin, _ = sourced
    client.force_login(reviewer)

    html = client.get(reverse("source-profile", args=[kremlin.project_id, kremlin.id])).content.decode()

    assert html.count('<tr data-span="') == 2
    assert 'id="figures"' in html and 'id="score-histogram"' in html
    assert reverse("article-credibility", args=[article.id]) in html


@pytest.mark.django_db
def test_blind_analyst_sees_only_their_own_statements_and_no_figures(client, analyst, sourced):
    _, kremlin, _ = sourced
    client.force_login(analyst)

    html = client.get(reverse("source-profile", args=[kremlin.project_id, kremlin.id])).content.decode()

    assert html.count('<tr data-span="') == 1
    assert "<td>a1</td>" in html and "<td>a2</td>" not in html
    assert 'id="figures"' not in html


@pytest.mark.django_db
def test_profile_under_another_projects_address_is_404(client, reviewer, sourced, other_project):
    _, kremlin, _ = sourced
    client.force_login(reviewer)

    response = client.get(reverse("source-profile", args=[other_project.id, kremlin.id]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_article_credibility_shows_sources_next_to_article_scores(client, reviewer, sourced):
    article, kremlin, _ = sourced
    client.force_login(reviewer)

    html = client.get(reverse("article-credibility", args=[article.id])).content.decode()

    assert f'<tr data-source="{kremlin.id}">' in html
    assert "Mean 2.50" in html  # article scores 3 and 2
    assert "<td>1.50</td>" in html  # the Kremlin's spans here: 2 and 1


@pytest.mark.django_db
def test_article_credibility_of_an_unassigned_article_is_404_for_an_analyst(client, project, analyst):
    article = ArticleFactory(project=project)
    client.force_login(analyst)

    response = client.get(reverse("article-credibility", args=[article.id]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_hostile_source_names_are_escaped_on_every_page(client, reviewer, analyst, sourced):
    # Security case T11: a source named to break out of the markup.
    article, kremlin, _ = sourced
    kremlin.name, kremlin.aliases, kremlin.affiliation, kremlin.country = HOSTILE, [HOSTILE], HOSTILE, HOSTILE
    kremlin.save()
    client.force_login(reviewer)
    pages = [reverse("source-ranking", args=[kremlin.project_id]),
             reverse("source-profile", args=[kremlin.project_id, kremlin.id]),
             reverse("article-credibility", args=[article.id])]

    htmls = [client.get(page).content.decode() for page in pages]
    client.force_login(analyst)
    htmls.append(client.get(pages[1]).content.decode())

    for html in htmls:
        assert "<svg onload" not in html
        assert "&lt;svg onload=alert(1)&gt;" in html


@pytest.mark.django_db
def test_home_links_reviewers_to_the_sources_and_analysts_to_their_articles_profiles(client, reviewer, analyst,
                                                                                    sourced):
    article, kremlin, _ = sourced
    client.force_login(reviewer)
    reviewer_home = client.get("/").content.decode()
    client.force_login(analyst)

    analyst_home = client.get("/").content.decode()

    assert reverse("source-ranking", args=[kremlin.project_id]) in reviewer_home
    assert reverse("source-ranking", args=[kremlin.project_id]) not in analyst_home
    assert reverse("article-credibility", args=[article.id]) in analyst_home
