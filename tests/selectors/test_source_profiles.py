"""Credibility by source: aggregates of submitted spans per source, matching hand-worked figures.

The fixture, on a 1 to 5 scale (every span's offsets are in tests.factories.ARTICLE_TEXT):

    article A (a1, a2 submitted)   Budanov: a1 claim 5, a2 claim 5 (one unit)
                                   Kremlin: a1 denial 2, a2 denial 1 (one unit); gold: a1's span, adjudicated
    article B (a1, a2 submitted)   Kremlin: a1 denial 4, a2 claim 4 (one unit); a3's draft denial 1 (not counted)
    article C (a1 only)            Kremlin: a1 denial 3, a1 claim unscored; ISW: a1 expert opinion 3

Kremlin: 6 spans (4 denials, 2 claims), 5 scored: 1, 2, 3, 4, 4 -> mean 14 / 5 = 2.8, median 3; 3 articles,
2 analysts. Its alpha uses the units of A and B (C has one analyst): units {2, 1} and {4, 4}, values
n_1 = 1, n_2 = 1, n_4 = 2, n = 4; coincidences o_12 = o_21 = 1, o_44 = 2.
  interval: sum o d = 2 * 1^2 = 2; sum n_c n_k d = 2 * (1*1*1 + 1*2*9 + 1*2*4) = 54;
            alpha = 1 - (4 - 1) * 2 / 54 = 1 - 1/9 = 0.8889
  ordinal:  d_12 = (1 + 1 - 1)^2 = 1, d_14 = (1 + 1 + 0 + 2 - 1.5)^2 = 6.25, d_24 = (1 + 0 + 2 - 1.5)^2 = 2.25;
            sum o d = 2; sum n_c n_k d = 2 * (1 + 2 * 6.25 + 2 * 2.25) = 36; alpha = 1 - 3 * 2 / 36 = 0.8333
Budanov: 5 and 5 on one unit: no variation, alpha undefined. ISW: only on article C: undefined.
"""

from dataclasses import dataclass

import pytest

from annotator.agreement.alpha import NO_VARIATION
from annotator.models import SourceKind
from annotator.selectors import agreement, source_profiles
from annotator.services import assessments, assignments, gold
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory, UserFactory

BUDANOV, KREMLIN, KREMLIN_SHORT, NAME, ANALYSTS = (20, 57), (59, 100), (59, 90), (0, 14), (103, 130)


@dataclass
class Fixture:
    project: object
    kremlin: object
    budanov: object
    isw: object
    articles: list


def _work(article, analyst, spans, *, submit=True, score=None):
    assignment = AssignmentFactory(article=article, analyst=analyst)
    made = [SpanFactory(assignment=assignment, start=start, end=end, credibility=credibility, source=source,
                        label=article.project.labels.get(key=label))
            for (start, end), label, source, credibility in spans]
    if score is not None:
        assessments.save_assessment(assignment=assignment, credibility=score)
    if submit:
        assignments.submit_assignment(assignment=assignment)
    return made


@pytest.fixture
def fixture(project, reviewer) -> Fixture:
    a1, a2, a3 = UserFactory(username="a1"), UserFactory(username="a2"), UserFactory(username="a3")
    kremlin = SourceFactory(project=project, name="Kremlin", kind=SourceKind.GOVERNMENT, country="Russia")
    budanov = SourceFactory(project=project, name="Kyrylo Budanov", kind=SourceKind.MILITARY, country="Ukraine")
    isw = SourceFactory(project=project, name="ISW", kind=SourceKind.EXPERT, country="USA")
    first, second, third = (ArticleFactory(project=project) for _ in range(3))
    accepted = _work(first, a1, [(BUDANOV, "claim", budanov, 5), (KREMLIN, "denial", kremlin, 2)], score=2)[1]
    _work(first, a2, [(BUDANOV, "claim", budanov, 5), (KREMLIN, "denial", kremlin, 1)], score=3)
    _work(second, a1, [(KREMLIN, "denial", kremlin, 4)])
    _work(second, a2, [(KREMLIN_SHORT, "claim", kremlin, 4)])
    _work(second, a3, [(KREMLIN, "denial", kremlin, 1)], submit=False)
    _work(third, a1, [(KREMLIN, "denial", kremlin, 3), (NAME, "claim", kremlin, None),
                      (ANALYSTS, "expert_opinion", isw, 3)])
    gold.accept_span(span=accepted, reviewer=reviewer)
    gold.adjudicate_article(article=first, reviewer=reviewer)
    unadjudicated = _work(second, UserFactory(username="a4"), [(KREMLIN, "denial", kremlin, 5)], submit=False)[0]
    gold.accept_span(span=unadjudicated, reviewer=reviewer)  # gold of an open review: not counted
    return Fixture(project, kremlin, budanov, isw, [first, second, third])


def _by_name(rows):
    return {row.source.name: row for row in rows}


@pytest.mark.django_db
def test_counts_per_label_articles_and_analysts_cover_submitted_spans_only(fixture):
    kremlin = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]

    assert (kremlin.spans, kremlin.scored, kremlin.articles, kremlin.analysts) == (6, 5, 3, 2)
    assert kremlin.statements == {"claim": 2, "denial": 4}


@pytest.mark.django_db
def test_histogram_mean_and_median_are_on_the_project_scale(fixture):
    kremlin = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]

    assert kremlin.histogram == {1: 1, 2: 1, 3: 1, 4: 2, 5: 0}
    assert kremlin.mean == pytest.approx(2.8)  # (1 + 2 + 3 + 4 + 4) / 5
    assert kremlin.median == 3


@pytest.mark.django_db
def test_alpha_of_a_source_matches_the_hand_computation(fixture):
    kremlin = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]

    assert kremlin.alpha["value"] == pytest.approx(1 - 3 * 2 / 36)          # ordinal: 0.8333
    assert kremlin.interval_alpha["value"] == pytest.approx(1 - 3 * 2 / 54)  # interval: 0.8889
    assert kremlin.alpha["reading"] == "reliable"


@pytest.mark.django_db
def test_alpha_matches_the_agreement_reports_source_row(fixture):
    report_row = next(row for row in agreement.get_project_report(fixture.project)["sources"]
                      if row["source"] == "Kremlin")

    kremlin = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]

    assert kremlin.alpha == report_row["credibility_alpha"]
    assert kremlin.interval_alpha == report_row["credibility_interval_alpha"]


@pytest.mark.django_db
def test_undefined_alpha_says_why(fixture):
    rows = _by_name(source_profiles.list_source_stats(fixture.project))

    assert (rows["Kyrylo Budanov"].alpha["value"], rows["Kyrylo Budanov"].alpha["reason"]) == (None, NO_VARIATION)
    assert rows["ISW"].alpha["value"] is None
    assert rows["ISW"].alpha["reason"] == source_profiles.NOT_ON_SHARED_ARTICLES


@pytest.mark.django_db
def test_bootstrap_intervals_are_seeded_and_contain_the_estimates(fixture):
    first = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]
    again = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]

    assert (first.mean_interval, first.median_interval) == (again.mean_interval, again.median_interval)
    assert first.mean_interval.low <= first.mean <= first.mean_interval.high
    assert first.median_interval.low <= first.median <= first.median_interval.high
    assert 1 <= first.mean_interval.low < first.mean_interval.high <= 4  # within the scores given
    assert first.mean_interval.confidence == 0.95


@pytest.mark.django_db
def test_one_score_has_no_interval(fixture):
    isw = _by_name(source_profiles.list_source_stats(fixture.project))["ISW"]

    assert (isw.mean, isw.median) == (3, 3)
    assert not isw.mean_interval.is_defined and isw.mean_interval.reason == "one score: nothing to resample"


@pytest.mark.django_db
def test_gold_counts_only_adjudicated_articles(fixture):
    rows = _by_name(source_profiles.list_source_stats(fixture.project))

    assert (rows["Kremlin"].gold, rows["Kremlin"].gold_mean) == ({"denial": 1}, 2)
    assert rows["ISW"].gold == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("filters", "expected"), [
    ({"kind": SourceKind.GOVERNMENT}, ["Kremlin"]),
    ({"country": "ukraine"}, ["Kyrylo Budanov"]),
    ({"min_spans": 2}, ["Kyrylo Budanov", "Kremlin"]),
    ({"min_spans": 3}, ["Kremlin"]),
])
def test_filters_keep_the_matching_sources(fixture, filters, expected):
    rows = source_profiles.list_source_stats(fixture.project, **filters)

    assert [row.source.name for row in rows] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("order", "expected"), [
    ("mean", ["Kyrylo Budanov", "ISW", "Kremlin"]),      # 5, 3, 2.8
    ("spans", ["Kremlin", "Kyrylo Budanov", "ISW"]),     # 6, 2, 1
    ("alpha", ["Kremlin", "Kyrylo Budanov", "ISW"]),     # 0.833, then undefined by spans
    ("name", ["ISW", "Kremlin", "Kyrylo Budanov"]),
])
def test_sources_are_ranked_by_the_chosen_order(fixture, order, expected):
    rows = source_profiles.list_source_stats(fixture.project, order=order)

    assert [row.source.name for row in rows] == expected


@pytest.mark.django_db
def test_one_sources_stats_equal_its_row_in_the_ranking(fixture):
    ranked = _by_name(source_profiles.list_source_stats(fixture.project))["Kremlin"]

    alone = source_profiles.get_source_stats(fixture.kremlin)

    assert alone == ranked


@pytest.mark.django_db
def test_ranking_reads_in_a_constant_number_of_queries(fixture, django_assert_max_num_queries):
    for number in range(5):
        SourceFactory(project=fixture.project, name=f"Extra {number}")

    with django_assert_max_num_queries(8):
        rows = source_profiles.list_source_stats(fixture.project)

    assert len(rows) == 8


@pytest.mark.django_db
def test_reviewer_sees_every_submitted_statement_of_a_source(fixture, reviewer):
    statements = source_profiles.list_statements(fixture.kremlin, reviewer)

    assert len(statements) == 6
    assert {s.analyst for s in statements} == {"a1", "a2"}
    assert all(s.is_submitted for s in statements)


@pytest.mark.django_db
def test_analyst_of_a_blind_project_sees_only_their_own_statements(fixture):
    a3 = UserFactory(username="a3")

    statements = source_profiles.list_statements(fixture.kremlin, a3)

    assert [(s.analyst, s.credibility, s.is_submitted) for s in statements] == [("a3", 1, False)]


@pytest.mark.django_db
def test_analyst_of_an_open_project_also_sees_submitted_statements_of_others(fixture):
    fixture.project.is_blind = False
    fixture.project.save()
    a3 = UserFactory(username="a3")

    statements = source_profiles.list_statements(fixture.kremlin, a3)

    assert len(statements) == 7
    assert sum(1 for s in statements if s.analyst == "a3") == 1


@pytest.mark.django_db
def test_article_credibility_puts_source_scores_next_to_article_scores(fixture, reviewer):
    profile = source_profiles.get_article_credibility(fixture.articles[0], reviewer)

    rows = {row.source.name: row for row in profile.sources}
    assert [(score.analyst, score.credibility) for score in profile.assessments] == [("a1", 2), ("a2", 3)]
    assert (profile.assessment_mean, profile.assessment_median) == (2.5, 2.5)
    assert set(rows) == {"Kremlin", "Kyrylo Budanov"}
    assert rows["Kremlin"].mean == pytest.approx(1.5)        # (2 + 1) / 2 in this article
    assert rows["Kremlin"].project_mean == pytest.approx(2.8)
    assert rows["Kremlin"].gold_scores == [2]
    assert profile.review.status == "adjudicated"


@pytest.mark.django_db
def test_article_credibility_of_a_blind_analyst_holds_only_their_own_work(fixture):
    a2 = UserFactory(username="a2")

    profile = source_profiles.get_article_credibility(fixture.articles[0], a2)

    assert [(score.analyst, score.credibility) for score in profile.assessments] == [("a2", 3)]
    assert {s.analyst for row in profile.sources for s in row.statements} == {"a2"}
    assert all(row.project_mean is None and row.gold_scores == [] for row in profile.sources)
    assert profile.review is None


@pytest.mark.django_db
def test_article_credibility_reads_in_a_constant_number_of_queries(fixture, reviewer, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        source_profiles.get_article_credibility(fixture.articles[2], reviewer)
