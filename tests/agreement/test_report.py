"""The project agreement report from plain records: figures, per-pair and per-source rows, edge cases."""

import json

import pytest

from annotator.agreement.records import AnnotatedSpan as S
from annotator.agreement.report import ArticleAnnotations, build_report

LABELS = ["claim", "denial", "expert_opinion"]


def test_single_analyst_articles_do_not_count_and_figures_are_undefined_not_zero():
    report = build_report([ArticleAnnotations(1, 50, [S("a", 0, 5, "claim")], {"a": 3})], scale=(1, 5), labels=LABELS)

    assert report["articles_with_two_or_more_analysts"] == 0
    assert report["overall"]["label_alpha"]["value"] is None
    assert report["overall"]["label_alpha"]["reading"] == "undefined"
    assert report["overall"]["exact"]["f1"] is None
    json.dumps(report)  # plain values only


def test_identical_work_of_two_analysts_is_reliable():
    spans = [("claim", 0, 10, 4, "Budanov"), ("denial", 20, 30, 1, "Peskov"), ("claim", 40, 45, 2, "NIS")]
    article = ArticleAnnotations(
        7, 60,
        [S(name, start, end, label, source, score) for name in "ab" for label, start, end, score, source in spans],
        {"a": 2, "b": 2}, title="Kremlin denies")

    report = build_report([article], scale=(1, 5), labels=LABELS)

    overall = report["overall"]
    assert overall["exact"]["f1"] == 1.0 and overall["overlap"]["f1"] == 1.0
    assert overall["label_alpha"]["value"] == pytest.approx(1.0)
    assert overall["span_credibility_alpha"]["interval"]["value"] == pytest.approx(1.0)
    assert overall["unitized_alpha"]["value"] == pytest.approx(1.0)
    assert report["pairs"] == [{"analysts": ["a", "b"], "exact": overall["exact"], "overlap": overall["overlap"],
                                "label_alpha": {"value": pytest.approx(1.0), "reason": None, "reading": "reliable"}}]
    assert {row["source"]: row["statements"] for row in report["sources"]} == {
        "Budanov": {"claim": 2}, "Peskov": {"denial": 2}, "NIS": {"claim": 2}}
    assert report["articles_detail"][0]["title"] == "Kremlin denies"


def test_boundary_and_label_disagreements_show_in_exact_overlap_and_label_figures():
    article = ArticleAnnotations(1, 100, [
        S("a", 0, 10, "claim", credibility=4), S("b", 0, 12, "claim", credibility=3),    # boundaries differ
        S("a", 20, 30, "claim", credibility=2), S("b", 20, 30, "expert_opinion", credibility=2),  # label differs
        S("a", 50, 60, "denial"),                                                          # only a marked it
    ], {"a": 3, "b": 5})

    report = build_report([article], scale=(1, 5), labels=LABELS)

    # exact: no two spans share label and offsets -> tp 0, fp 3 (a), fn 2 (b)
    assert report["overall"]["exact"]["tp"] == 0
    # overlap: (0,10)~(0,12) claim matches -> tp 1, fp 2, fn 1 -> F1 = 2/(2+2+1) = 0.4
    assert report["overall"]["overlap"]["f1"] == pytest.approx(0.4)
    assert report["score_disagreement"]["spans"] == {"0": 1, "1": 1, "2": 0, "3": 0, "4": 0}
    assert report["score_disagreement"]["articles"]["2"] == 1
    assert report["labels"][0]["label"] == "claim"
    assert report["overall"]["label_alpha"]["value"] < 0.667
