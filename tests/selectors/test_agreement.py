"""The agreement report read from the database: submitted work only, every article, both databases."""

import json

import pytest
from django.core.management import call_command

from annotator.models import AssignmentStatus
from annotator.selectors import agreement
from annotator.services import assessments, assignments, demo
from tests.factories import ArticleFactory, AssignmentFactory, SourceFactory, SpanFactory


def _submitted(article, analyst=None, spans=(), score=None):
    assignment = AssignmentFactory(article=article, **({"analyst": analyst} if analyst else {}))
    for start, end, label_key, credibility, source in spans:
        SpanFactory(assignment=assignment, start=start, end=end, credibility=credibility, source=source,
                    label=article.project.labels.get(key=label_key))
    if score is not None:
        assessments.save_assessment(assignment=assignment, credibility=score)
    assignments.submit_assignment(assignment=assignment)
    return assignment


@pytest.mark.django_db
def test_report_counts_only_submitted_assignments(project):
    article = ArticleFactory(project=project)
    _submitted(article, spans=[(0, 6, "claim", 4, None)], score=3)
    _submitted(article, spans=[(0, 6, "claim", 4, None)], score=3)
    draft = AssignmentFactory(article=article)
    SpanFactory(assignment=draft, start=20, end=26)  # in progress: must not count

    report = agreement.get_project_report(project)

    assert report["articles_with_two_or_more_analysts"] == 1
    assert report["overall"]["exact"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert draft.status != AssignmentStatus.SUBMITTED


@pytest.mark.django_db
def test_records_carry_sources_scores_and_article_lengths(project):
    article = ArticleFactory(project=project, text="Peskov said it was fake news.")
    peskov = SourceFactory(project=project, name="Dmitry Peskov")
    first = _submitted(article, spans=[(22, 26, "denial", 2, peskov)], score=2)
    _submitted(article, spans=[], score=4)
    ArticleFactory(project=project)  # nobody submitted it

    records = list(agreement.iter_article_annotations(project))

    assert [r.article_id for r in records] == sorted(r.article_id for r in records)
    record = next(r for r in records if r.article_id == article.id)
    assert record.length == len("Peskov said it was fake news.")
    assert [(s.analyst, s.start, s.end, s.label, s.source, s.credibility) for s in record.spans] == [
        (first.analyst.username, 22, 26, "denial", "Dmitry Peskov", 2)]
    assert sorted(record.scores.values()) == [2, 4]


@pytest.mark.django_db
def test_report_reads_in_a_constant_number_of_queries(project, django_assert_max_num_queries):
    for _ in range(6):
        article = ArticleFactory(project=project)
        _submitted(article, spans=[(0, 6, "claim", 3, None)], score=3)
        _submitted(article, spans=[(0, 7, "claim", 4, None)], score=4)

    with django_assert_max_num_queries(6):
        report = agreement.get_project_report(project)

    assert report["articles_with_two_or_more_analysts"] == 6


@pytest.mark.django_db
def test_demo_project_has_three_submissions_per_article_and_real_disagreements():
    result = demo.seed_demo()

    report = agreement.get_project_report(result.project)

    assert (report["articles"], report["articles_with_two_or_more_analysts"]) == (5, 5)
    assert report["analysts"] == ["analyst1", "analyst2", "analyst3"]
    assert 0 < report["overall"]["exact"]["f1"] < report["overall"]["overlap"]["f1"] < 1
    assert report["overall"]["label_alpha"]["value"] < 1


@pytest.mark.django_db
def test_agreement_command_prints_json_and_csv(project, capsys):
    article = ArticleFactory(project=project)
    _submitted(article, spans=[(0, 6, "claim", 3, None)], score=3)
    _submitted(article, spans=[(0, 6, "claim", 3, None)], score=2)

    call_command("agreement", project=project.slug, format="json")
    as_json = json.loads(capsys.readouterr().out)
    call_command("agreement", project=project.slug, format="csv")
    as_csv = capsys.readouterr().out.splitlines()

    assert as_json["overall"]["exact"]["f1"] == 1.0
    assert as_csv[0] == "section,item,measure,value,reading"
    assert "overall,spans,exact f1,1.0," in as_csv
