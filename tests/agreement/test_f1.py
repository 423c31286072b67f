"""Span precision, recall and F1 between two analysts, per label and summed over articles per pair."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.alignment import Match
from annotator.agreement.f1 import Counts, f1_matrix, pairwise_counts, span_counts, span_counts_by_label
from annotator.agreement.records import AnnotatedSpan


def S(analyst, start, end, label="claim"):  # noqa: N802  # reads like a record literal
    return AnnotatedSpan(analyst, start, end, label)


def test_exact_match_counts_only_identical_offsets_and_label():
    first = [S("a", 0, 10), S("a", 20, 30)]
    second = [S("b", 0, 10), S("b", 21, 30)]

    counts = span_counts(first, second, match=Match.EXACT)

    assert counts == Counts(tp=1, fp=1, fn=1)
    assert counts.f1.value == pytest.approx(0.5)  # 2*1 / (2*1 + 1 + 1)


def test_overlap_match_counts_shifted_boundaries_as_agreement():
    first = [S("a", 0, 10), S("a", 20, 30)]
    second = [S("b", 0, 10), S("b", 21, 30)]

    counts = span_counts(first, second, match=Match.OVERLAP)

    assert counts == Counts(tp=2, fp=0, fn=0)
    assert counts.f1.value == 1.0


def test_overlap_match_needs_the_same_label():
    counts = span_counts([S("a", 0, 10, "claim")], [S("b", 0, 10, "denial")])

    assert counts == Counts(tp=0, fp=1, fn=1)
    assert counts.f1.value == 0.0


def test_precision_and_recall_take_the_first_analyst_as_the_one_judged():
    # a marks 3 spans, b 1, one shared: precision 1/3 (of a's spans), recall 1/1 (of b's spans).
    counts = span_counts([S("a", 0, 10), S("a", 20, 30), S("a", 40, 50)], [S("b", 0, 10)])

    assert (counts.precision.value, counts.recall.value) == (pytest.approx(1 / 3), 1.0)
    assert counts.f1.value == pytest.approx(0.5)  # 2*1 / (2*1 + 2 + 0)


def test_f1_is_undefined_when_neither_analyst_marked_anything():
    counts = span_counts([], [])

    assert counts.f1.value is None
    assert counts.f1.reason == "neither analyst marked a span"
    assert counts.to_dict() == {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None}


def test_f1_is_zero_not_undefined_when_only_one_analyst_marked_something():
    counts = span_counts([S("a", 0, 10)], [])

    assert (counts.f1.value, counts.precision.value, counts.recall.value) == (0.0, 0.0, None)


def test_counts_per_label_come_from_one_matching():
    first = [S("a", 0, 5), S("a", 10, 15, "denial"), S("a", 30, 40, "expert_opinion")]
    second = [S("b", 1, 5), S("b", 30, 40, "expert_opinion"), S("b", 50, 60, "expert_opinion")]

    by_label = span_counts_by_label(first, second)

    assert by_label == {"claim": Counts(1, 0, 0), "denial": Counts(0, 1, 0), "expert_opinion": Counts(1, 0, 1)}


def test_pair_counts_are_summed_over_the_articles_both_annotated():
    article_1 = {"a": [S("a", 0, 5), S("a", 10, 15, "denial")], "b": [S("b", 1, 5)]}
    article_2 = {"a": [S("a", 0, 5)], "b": [S("b", 0, 5)], "c": [S("c", 0, 5, "denial")]}
    article_3 = {"a": [S("a", 0, 5)], "c": []}  # c submitted and marked nothing: a's span is unmatched

    pairs = pairwise_counts([article_1, article_2, article_3])

    # a-b: article 1 tp 1 fp 1, article 2 tp 1 -> (2, 1, 0); a-c: article 2 fp 1 fn 1, article 3 fp 1
    assert pairs == {("a", "b"): Counts(2, 1, 0), ("a", "c"): Counts(0, 2, 1), ("b", "c"): Counts(0, 1, 1)}


def test_f1_matrix_is_symmetric_and_leaves_out_pairs_never_compared():
    counts = {("a", "b"): Counts(2, 1, 0), ("a", "c"): Counts(0, 0, 0)}

    matrix = f1_matrix(counts)

    assert matrix["a"]["b"].value == matrix["b"]["a"].value == pytest.approx(0.8)  # 4 / (4 + 1)
    assert matrix["a"]["c"].value is None
    assert "c" not in matrix["b"]


spans_strategy = st.lists(
    st.builds(lambda start, size, label: AnnotatedSpan("x", start, start + size, label),
              st.integers(0, 60), st.integers(1, 15), st.sampled_from(["claim", "denial", "expert_opinion"])),
    max_size=20,
)


@settings(max_examples=80, deadline=None)
@given(spans_strategy, spans_strategy, st.sampled_from(list(Match)))
def test_f1_is_symmetric_and_precision_and_recall_swap(first, second, match):
    forward, backward = span_counts(first, second, match=match), span_counts(second, first, match=match)

    assert forward.f1 == backward.f1
    assert (forward.precision.value, forward.recall.value) == (backward.recall.value, backward.precision.value)


@settings(max_examples=80, deadline=None)
@given(spans_strategy, spans_strategy)
def test_exact_agreement_never_exceeds_overlap_agreement(first, second):
    exact, overlap = span_counts(first, second, match=Match.EXACT), span_counts(first, second)

    assert exact.tp <= overlap.tp
    assert sum(span_counts_by_label(first, second).values(), Counts()) == overlap


@settings(max_examples=40, deadline=None)
@given(spans_strategy)
def test_an_analyst_agrees_fully_with_a_copy_of_their_work(spans):
    counts = span_counts(spans, list(reversed(spans)), match=Match.EXACT)

    assert counts == Counts(len(spans), 0, 0)
