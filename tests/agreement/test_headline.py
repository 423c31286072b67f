"""Headline figures gathered batch by batch: the same as the whole-project report, whatever the batches."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.headline import HeadlineTally
from annotator.agreement.records import AnnotatedSpan as S
from annotator.agreement.report import ArticleAnnotations, build_report

LABELS = ["claim", "denial", "expert_opinion"]


def _span(analyst, start, size, label, source, score):
    return S(analyst, start, start + size, label, source, score)


article_strategy = st.builds(
    lambda spans, scores: (spans, scores),
    st.lists(st.builds(_span, st.sampled_from("abc"), st.integers(0, 40), st.integers(1, 10),
                       st.sampled_from([*LABELS, "rumour"]), st.sampled_from([None, "NIS", "Peskov"]),
                       st.sampled_from([None, 1, 2, 3, 4, 5])), max_size=10),
    st.dictionaries(st.sampled_from("abc"), st.sampled_from([None, 1, 3, 5]), max_size=3),
)


def _tally(records, batch):
    tally = HeadlineTally(scale=(1, 5), labels=LABELS, batch=batch)
    for record in records:
        tally.add(record)
    return tally.figures()


@settings(max_examples=60, deadline=None)
@given(st.lists(article_strategy, max_size=8), st.integers(1, 4))
def test_batches_add_up_to_the_whole_project_report(articles, batch):
    records = [ArticleAnnotations(k, 60, spans, scores) for k, (spans, scores) in enumerate(articles)]

    figures = _tally(records, batch)

    overall = build_report(records, scale=(1, 5), labels=LABELS)["overall"]
    expected = {
        "overlap_f1": overall["overlap"]["f1"], "exact_f1": overall["exact"]["f1"],
        "label_alpha": overall["label_alpha"]["value"], "unitized_alpha": overall["unitized_alpha"]["value"],
        "span_credibility_alpha": overall["span_credibility_alpha"]["ordinal"]["value"],
        "article_credibility_alpha": overall["article_credibility_alpha"]["ordinal"]["value"],
    }
    for name, value in expected.items():
        got = getattr(figures, name)
        assert (got is None) == (value is None), name
        if value is not None:
            assert got == pytest.approx(value, abs=1e-9), name


def test_identical_work_agrees_fully_and_single_analyst_articles_are_read_but_not_compared():
    spans = [S(name, 0, 10, "claim", "NIS", 4) for name in "ab"] + [S(name, 20, 30, "denial", None, 1) for name in "ab"]
    records = [ArticleAnnotations(1, 40, spans, {"a": 2, "b": 2}),
               ArticleAnnotations(2, 40, [S("a", 0, 5, "claim")], {"a": 3})]

    figures = _tally(records, batch=1)

    assert (figures.articles, figures.compared) == (2, 1)
    assert figures.overlap_f1 == figures.exact_f1 == 1.0
    assert figures.label_alpha == pytest.approx(1.0)
    # Both articles scored 2 by both analysts: no variation, so the article alpha is undefined, not 1.
    assert figures.article_credibility_alpha is None


def test_no_articles_give_undefined_figures():
    figures = _tally([], batch=5)

    assert (figures.articles, figures.overlap_f1, figures.label_alpha, figures.unitized_alpha) == (0, None, None, None)
