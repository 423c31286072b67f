"""Aligning spans of several analysts into units, and span F1 on top of it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.alignment import Match, align_spans, match_spans
from annotator.agreement.f1 import Counts, pairwise_counts, span_counts, span_counts_by_label
from annotator.agreement.records import AnnotatedSpan


def S(analyst, start, end, label="claim", **extra):  # noqa: N802  # reads like a record literal
    return AnnotatedSpan(analyst, start, end, label, **extra)


def test_touching_spans_do_not_overlap():
    assert not S("a", 0, 5).overlaps(S("b", 5, 9))
    assert S("a", 0, 6).overlaps(S("b", 5, 9))


def test_matching_is_maximum_not_greedy_by_largest_overlap():
    # a1 overlaps b1 a lot and b2 a little; a2 overlaps only b1. Greedy largest-overlap pairs (a1, b1) and
    # leaves a2 alone (1 pair); the maximum matching pairs a1-b2 and a2-b1 (2 pairs).
    first = [S("a", 0, 10), S("a", 12, 20)]
    second = [S("b", 2, 16), S("b", 9, 11)]

    assert match_spans(first, second) == [(0, 1), (1, 0)]
    assert span_counts(first, second) == Counts(tp=2, fp=0, fn=0)


def test_overlap_match_needs_the_same_label():
    assert span_counts([S("a", 0, 10, "claim")], [S("b", 0, 10, "denial")]) == Counts(0, 1, 1)


def test_exact_match_needs_the_same_offsets():
    first, second = [S("a", 0, 10), S("a", 20, 30)], [S("b", 0, 10), S("b", 21, 30)]

    exact = span_counts(first, second, match=Match.EXACT)

    assert (exact.tp, exact.fp, exact.fn) == (1, 1, 1)
    assert exact.f1 == pytest.approx(0.5)  # 2*1 / (2*1 + 1 + 1)


def test_f1_is_undefined_when_neither_analyst_marked_anything():
    assert span_counts([], []).f1 is None


def test_per_label_counts_and_pair_sums_over_articles():
    article_1 = {"a": [S("a", 0, 5), S("a", 10, 15, "denial")], "b": [S("b", 1, 5)]}
    article_2 = {"a": [S("a", 0, 5)], "b": [S("b", 0, 5)], "c": [S("c", 0, 5, "denial")]}

    by_label = span_counts_by_label(article_1["a"], article_1["b"])
    pairs = pairwise_counts([article_1, article_2])

    assert by_label == {"claim": Counts(1, 0, 0), "denial": Counts(0, 1, 0)}
    assert pairs[("a", "b")] == Counts(2, 1, 0)
    assert pairs[("a", "c")] == Counts(0, 1, 1)


def test_three_analysts_align_into_units_with_one_span_each():
    spans = [S("a", 0, 10), S("b", 2, 9, "denial"), S("c", 1, 11), S("c", 30, 40), S("b", 50, 55)]

    units = align_spans(spans)

    assert [(u.start, u.end, u.analysts) for u in units] == [(0, 11, ["a", "b", "c"]), (30, 40, ["c"]),
                                                             (50, 55, ["b"])]
    assert units[0].majority_label() == "claim"


def test_alignment_is_the_same_whatever_the_input_order():
    spans = [S("a", 0, 10), S("b", 2, 9), S("c", 1, 11), S("a", 12, 20), S("b", 14, 30)]

    assert [u.spans for u in align_spans(spans)] == [u.spans for u in align_spans(list(reversed(spans)))]


spans_strategy = st.lists(
    st.builds(lambda analyst, start, size, label: AnnotatedSpan(analyst, start, start + size, label),
              st.sampled_from("abc"), st.integers(0, 60), st.integers(1, 15), st.sampled_from(["claim", "denial"])),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(spans_strategy)
def test_every_span_lands_in_exactly_one_unit_and_units_hold_one_span_per_analyst(spans):
    units = align_spans(spans)

    placed = [span for unit in units for span in unit.spans.values()]
    assert sorted(placed, key=repr) == sorted(spans, key=repr)
    for unit in units:
        assert all(span.analyst == analyst for analyst, span in unit.spans.items())


@settings(max_examples=80, deadline=None)
@given(spans_strategy, spans_strategy)
def test_f1_is_symmetric_and_matching_one_to_one(first, second):
    forward, backward = span_counts(first, second), span_counts(second, first)
    pairs = match_spans(first, second)

    assert forward.f1 == backward.f1
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert all(first[i].overlaps(second[j]) and first[i].label == second[j].label for i, j in pairs)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.floats(0.01, 1.0)), max_size=30))
def test_sparse_matching_finds_as_many_pairs_as_the_dense_hungarian(raw_edges):
    import numpy as np

    from annotator.agreement.matching import maximum_matching, sparse_maximum_matching

    edges = list({(i, j): (i, j, w) for i, j, w in raw_edges}.values())
    dense = np.zeros((7, 7))
    for i, j, w in edges:
        dense[i, j] = w

    sparse_pairs = sparse_maximum_matching(edges)

    assert len(sparse_pairs) == len(maximum_matching(dense))
    assert len({i for i, _ in sparse_pairs}) == len({j for _, j in sparse_pairs}) == len(sparse_pairs)
    assert all(dense[i, j] > 0 for i, j in sparse_pairs)
