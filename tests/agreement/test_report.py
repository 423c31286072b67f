"""The project agreement report from plain records: figures by hand, rows per pair, source and article, edge cases."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.alignment import align_spans
from annotator.agreement.alpha import nominal_alpha
from annotator.agreement.f1 import Counts, pairwise_counts, span_counts
from annotator.agreement.records import AnnotatedSpan as S
from annotator.agreement.report import REPORT_COLUMNS, ArticleAnnotations, build_report, report_rows

LABELS = ["claim", "denial", "expert_opinion"]


def _report(*articles):
    return build_report(list(articles), scale=(1, 5), labels=LABELS)


def test_single_analyst_articles_do_not_count_and_figures_are_undefined_not_zero():
    report = _report(ArticleAnnotations(1, 50, [S("a", 0, 5, "claim")], {"a": 3}))

    assert (report["articles"], report["articles_with_two_or_more_analysts"]) == (1, 0)
    assert report["overall"]["label_alpha"] == {"value": None, "reason": "no unit has values from two or more analysts",
                                                "reading": "undefined"}
    assert report["overall"]["exact"]["f1"] is None
    assert report["overall"]["unitized_alpha"]["value"] is None
    assert report["articles_detail"] == [] and report["pairs"] == []


def test_an_empty_project_reports_without_crashing():
    report = _report()

    assert report["articles"] == 0
    assert report["overall"]["span_credibility_alpha"]["ordinal"]["reading"] == "undefined"


def test_the_report_is_plain_json():
    article = ArticleAnnotations(1, 50, [S("a", 0, 5, "claim", "NIS", 2), S("b", 1, 5, "claim", "NIS", 3)],
                                 {"a": 3, "b": None}, title="Seoul reports troops")

    report = _report(article)

    assert json.loads(json.dumps(report)) == report


def test_identical_work_of_two_analysts_is_reliable():
    spans = [("claim", 0, 10, 4, "Budanov"), ("denial", 20, 30, 1, "Peskov"), ("claim", 40, 45, 2, "NIS")]
    article = ArticleAnnotations(
        7, 60,
        [S(name, start, end, label, source, score) for name in "ab" for label, start, end, score, source in spans],
        {"a": 2, "b": 2}, title="Kremlin denies")

    report = _report(article)

    overall = report["overall"]
    assert overall["exact"]["f1"] == overall["overlap"]["f1"] == 1.0
    assert overall["f1_mean_over_pairs"] == {"exact": 1.0, "overlap": 1.0}
    assert overall["label_alpha"]["value"] == pytest.approx(1.0)
    assert overall["span_credibility_alpha"]["interval"]["value"] == pytest.approx(1.0)
    assert overall["unitized_alpha"]["value"] == pytest.approx(1.0)
    assert overall["label_alpha"]["reading"] == "reliable"
    assert [row["analysts"] for row in report["pairs"]] == [["a", "b"]]
    assert {row["source"]: row["statements"] for row in report["sources"]} == {
        "Budanov": {"claim": 2}, "Peskov": {"denial": 2}, "NIS": {"claim": 2}}
    assert report["articles_detail"][0]["title"] == "Kremlin denies"


def test_boundary_and_label_disagreements_show_in_exact_overlap_and_label_figures():
    article = ArticleAnnotations(1, 100, [
        S("a", 0, 10, "claim", credibility=4), S("b", 0, 12, "claim", credibility=3),    # boundaries differ
        S("a", 20, 30, "claim", credibility=2), S("b", 20, 30, "expert_opinion", credibility=2),  # label differs
        S("a", 50, 60, "denial"),                                                          # only a marked it
    ], {"a": 3, "b": 5})

    report = _report(article)

    # exact: no two spans share label and offsets -> tp 0, fp 3 (a's spans), fn 2 (b's)
    assert report["overall"]["exact"] == {"tp": 0, "fp": 3, "fn": 2, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    # overlap: only (0,10)~(0,12) claim matches -> tp 1, fp 2, fn 1 -> F1 = 2 / (2 + 2 + 1) = 0.4
    assert report["overall"]["overlap"]["f1"] == pytest.approx(0.4)
    # claim: a has 2, b has 1, one overlap match -> F1 = 2 / (2 + 1 + 0) = 2/3
    claim = next(row for row in report["labels"] if row["label"] == "claim")
    assert claim["overlap"]["f1"] == pytest.approx(2 / 3)
    # unit score ranges: |4 - 3| = 1 and |2 - 2| = 0; the unit only a marked has one score
    assert report["score_disagreement"]["spans"] == {"0": 1, "1": 1, "2": 0, "3": 0, "4": 0}
    assert report["score_disagreement"]["articles"] == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 0}
    assert report["articles_detail"][0]["article_score_spread"] == 2


def test_a_missed_span_counts_as_a_label_disagreement_through_the_none_category():
    # Units: {a: claim, b: claim} and {a: claim, b: none}. Values: claim x 3, none x 1, n = 4.
    # Coincidences: unit 1 o(claim, claim) = 2; unit 2 o(claim, none) = o(none, claim) = 1.
    # alpha = 1 - (n - 1) * (o(claim,none) + o(none,claim)) / (2 * n_claim * n_none) = 1 - 3 * 2 / 6 = 0
    article = ArticleAnnotations(1, 40, [S("a", 0, 10, "claim"), S("a", 20, 30, "claim"), S("b", 0, 10, "claim")],
                                 {"a": None, "b": None})

    report = _report(article)

    assert report["overall"]["label_alpha"]["value"] == pytest.approx(0.0)
    assert report["articles_detail"][0]["label_alpha"]["value"] == pytest.approx(0.0)
    assert report["units"] == 2


def test_article_scores_alpha_uses_the_declared_scale():
    # Articles scored (a, b): (1, 1), (3, 3), (5, 4). Interval: n = 6, n_1 = n_3 = 2, n_4 = n_5 = 1.
    # Observed: o(5,4) + o(4,5) = 2 at distance 1 -> 2. Expected: 2 * (2*2*4 + 2*1*9 + 2*1*16 + 2*1*1 + 2*1*4
    # + 1*1*1) = 2 * 77 = 154. alpha = 1 - (6 - 1) * 2 / 154 = 0.935.
    articles = [ArticleAnnotations(k, 10, [], {"a": first, "b": second})
                for k, (first, second) in enumerate([(1, 1), (3, 3), (5, 4)])]

    report = _report(*articles)

    assert report["overall"]["article_credibility_alpha"]["interval"]["value"] == pytest.approx(1 - 10 / 154)
    assert report["articles_detail"][0]["label_alpha"]["reason"] == "no analyst marked any span"


def test_source_credibility_alpha_uses_the_spans_attributed_to_that_source():
    # Peskov's spans (a, b) score (1, 1), (2, 2), (4, 5): interval alpha by hand, n = 6,
    # n_1 = n_2 = 2, n_4 = n_5 = 1; observed 2; expected 2 * (2*2*1 + 2*1*9 + 2*1*16 + 2*1*4 + 2*1*9 + 1*1*1)
    # = 2 * 81 = 162; alpha = 1 - 5 * 2 / 162. The unit where b names NIS is not Peskov's agreement.
    spans = [S("a", 0, 5, "denial", "Peskov", 1), S("b", 0, 5, "denial", "Peskov", 1),
             S("a", 10, 15, "denial", "Peskov", 2), S("b", 10, 15, "denial", "Peskov", 2),
             S("a", 20, 25, "claim", "Peskov", 4), S("b", 20, 25, "claim", "Peskov", 5),
             S("a", 30, 35, "claim", "Peskov", 1), S("b", 30, 35, "claim", "NIS", 5)]

    report = _report(ArticleAnnotations(1, 40, spans, {"a": 3, "b": 3}))

    peskov = next(row for row in report["sources"] if row["source"] == "Peskov")
    assert peskov["credibility_interval_alpha"]["value"] == pytest.approx(1 - 10 / 162)
    assert (peskov["spans"], peskov["units"], peskov["statements"]) == (7, 4, {"claim": 3, "denial": 4})
    assert peskov["mean_credibility"] == pytest.approx(round(16 / 7, 3))
    assert report["sources"][0]["source"] == "Peskov"  # most units first


def test_pairs_are_compared_on_the_articles_both_submitted_and_a_third_analyst_changes_nothing():
    first = ArticleAnnotations(1, 40, [S("a", 0, 10, "claim"), S("b", 0, 10, "claim"), S("c", 0, 10, "denial")],
                               {"a": 1, "b": 1, "c": 1})
    second = ArticleAnnotations(2, 40, [S("a", 0, 10, "claim"), S("b", 20, 30, "claim")], {"a": 2, "b": 2})

    report = _report(first, second)

    rows = {tuple(row["analysts"]): row for row in report["pairs"]}
    assert sorted(rows) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert (rows[("a", "b")]["articles"], rows[("a", "c")]["articles"]) == (2, 1)
    # a-b: article 1 tp 1, article 2 fp 1 fn 1 -> F1 = 2 / (2 + 1 + 1) = 0.5
    assert rows[("a", "b")]["overlap"]["f1"] == pytest.approx(0.5)
    # a-b label alpha on their own units: (claim, claim), (claim, none), (none, claim); n = 6,
    # n_claim = 4, n_none = 2; observed off-diagonal 4; alpha = 1 - 5 * 4 / (2 * 4 * 2) = -0.25
    assert rows[("a", "b")]["label_alpha"]["value"] == pytest.approx(-0.25)
    assert report["overall"]["f1_mean_over_pairs"]["overlap"] == pytest.approx((0.5 + 0.0 + 0.0) / 3)


def test_an_article_both_analysts_submitted_empty_has_undefined_figures():
    report = _report(ArticleAnnotations(1, 40, [], {"a": 3, "b": 4}))

    row = report["articles_detail"][0]
    assert (row["overlap"]["f1"], row["label_alpha"]["value"], row["unitized_alpha"]["value"]) == (None, None, None)
    assert row["unitized_alpha"]["reason"] == "no analyst marked any span"


def test_a_score_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside the declared scale"):
        _report(ArticleAnnotations(1, 40, [], {"a": 3, "b": 9}))


def test_report_rows_flatten_the_report_for_csv():
    report = _report(ArticleAnnotations(1, 40, [S("a", 0, 10, "claim"), S("b", 0, 10, "claim")], {"a": 1, "b": 2}))

    rows = list(report_rows(report))

    assert all(len(row) == len(REPORT_COLUMNS) for row in rows)
    assert ["overall", "spans", "exact f1", 1.0, ""] in rows
    assert ["overall", "span credibility", "alpha (ordinal)", None, "undefined"] in rows


project_strategy = st.lists(
    st.lists(st.builds(lambda analyst, start, size, label: S(analyst, start, start + size, label),
                       st.sampled_from("abc"), st.integers(0, 40), st.integers(1, 10), st.sampled_from(LABELS)),
             max_size=12),
    min_size=1, max_size=5,
)


@settings(max_examples=40, deadline=None)
@given(project_strategy)
def test_the_report_agrees_with_the_one_article_functions(articles):
    records = [ArticleAnnotations(k, 60, spans, {"a": None, "b": None, "c": None}) for k, spans in enumerate(articles)]

    report = _report(*records)

    pairs = pairwise_counts([{name: [s for s in spans if s.analyst == name] for name in "abc"} for spans in articles])
    assert {tuple(row["analysts"]): row["overlap"]["tp"] for row in report["pairs"]} == {
        pair: counts.tp for pair, counts in pairs.items()}
    for spans, row in zip(articles, report["articles_detail"], strict=True):
        own = {name: [s for s in spans if s.analyst == name] for name in "abc"}
        assert row["overlap"] == sum((span_counts(own[x], own[y]) for x, y in ("ab", "ac", "bc")), Counts()).to_dict()
        units = align_spans(spans)
        expected = nominal_alpha([[u.spans[name].label if name in u.spans else "none" for u in units]
                                  for name in "abc"]) if units else None
        assert row["units"] == len(units)
        if expected is not None and expected.value is not None:
            assert row["label_alpha"]["value"] == pytest.approx(expected.value)
        else:
            assert row["label_alpha"]["value"] is None
