"""Aligning the spans of several analysts into units: one span per analyst, maximum matching, any input order."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.alignment import Match, align_spans, align_table, match_spans
from annotator.agreement.records import AnnotatedSpan
from annotator.agreement.table import build_table


def S(analyst, start, end, label="claim", **extra):  # noqa: N802  # reads like a record literal
    return AnnotatedSpan(analyst, start, end, label, **extra)


def test_matching_is_maximum_not_greedy_by_largest_overlap():
    # a1 = [0, 10) overlaps b1 = [2, 16) by 8 characters and b2 = [9, 11) by 1; a2 = [12, 20) overlaps
    # only b1. Greedy by largest overlap takes a1-b1 and leaves a2 alone (1 pair); the maximum matching
    # pairs a1-b2 and a2-b1 (2 pairs).
    first = [S("a", 0, 10), S("a", 12, 20)]
    second = [S("b", 2, 16), S("b", 9, 11)]

    pairs = match_spans(first, second)

    assert pairs == [(0, 1), (1, 0)]


def test_spans_that_only_touch_are_not_matched():
    assert match_spans([S("a", 0, 5)], [S("b", 5, 9)]) == []


def test_exact_matching_needs_the_same_offsets_and_label():
    first = [S("a", 0, 10), S("a", 20, 30), S("a", 40, 50, "denial")]
    second = [S("b", 0, 10), S("b", 21, 30), S("b", 40, 50, "claim")]

    pairs = match_spans(first, second, match=Match.EXACT)

    assert pairs == [(0, 0)]


def test_overlap_matching_prefers_the_span_with_the_same_extent():
    # Both b spans overlap a = [0, 10) by 10 characters; the Jaccard weight prefers [0, 10) (10 / 10)
    # over [0, 100) (10 / 100).
    pairs = match_spans([S("a", 0, 10)], [S("b", 0, 100), S("b", 0, 10)])

    assert pairs == [(0, 1)]


def test_three_analysts_align_into_units_with_one_span_each():
    spans = [S("a", 0, 10), S("b", 2, 9, "denial"), S("c", 1, 11), S("c", 30, 40), S("b", 50, 55)]

    units = align_spans(spans)

    assert [(u.start, u.end, u.analysts) for u in units] == [(0, 11, ["a", "b", "c"]), (30, 40, ["c"]),
                                                             (50, 55, ["b"])]
    assert units[0].majority_label() == "claim"


def test_an_analyst_who_splits_a_statement_gets_one_span_in_its_unit_and_the_rest_alone():
    # a marks one statement [0, 40); b splits it into [0, 18) and [20, 40). Only one of b's spans can
    # join a's unit: the one overlapping more of it (Jaccard 20/40 for [20, 40) against 18/40).
    units = align_spans([S("a", 0, 40), S("b", 0, 18), S("b", 20, 40)])

    assert [(u.start, u.end, sorted((s.analyst, s.start) for s in u.spans.values())) for u in units] == [
        (0, 18, [("b", 0)]), (0, 40, [("a", 0), ("b", 20)])]


def test_a_later_analyst_joins_a_unit_through_any_of_its_spans():
    # c = [14, 20) overlaps b's span of the unit {a: [0, 10), b: [5, 15)} but not a's: it joins the unit.
    units = align_spans([S("a", 0, 10), S("b", 5, 15), S("c", 14, 20)])

    assert [u.analysts for u in units] == [["a", "b", "c"]]


def test_same_label_alignment_keeps_other_labels_apart():
    units = align_spans([S("a", 0, 10, "claim"), S("b", 0, 10, "denial")], same_label=True)

    assert [u.analysts for u in units] == [["a"], ["b"]]


def test_alignment_is_the_same_whatever_the_input_order():
    spans = [S("a", 0, 10), S("b", 2, 9), S("c", 1, 11), S("a", 12, 20), S("b", 14, 30), S("c", 9, 13)]
    shuffled = list(spans)
    random.Random(3).shuffle(shuffled)

    assert [u.spans for u in align_spans(spans)] == [u.spans for u in align_spans(shuffled)]


def test_no_spans_no_units():
    assert align_spans([]) == []


spans_strategy = st.lists(
    st.builds(lambda analyst, start, size, label: AnnotatedSpan(analyst, start, start + size, label),
              st.sampled_from("abcd"), st.integers(0, 60), st.integers(1, 15), st.sampled_from(["claim", "denial"])),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(spans_strategy, st.sampled_from(list(Match)), st.booleans())
def test_every_span_lands_in_one_unit_with_at_most_one_span_per_analyst(spans, match, same_label):
    units = align_spans(spans, match=match, same_label=same_label)

    placed = [span for unit in units for span in unit.spans.values()]
    assert sorted(placed, key=repr) == sorted(spans, key=repr)
    for unit in units:
        assert all(span.analyst == analyst for analyst, span in unit.spans.items())
        assert (unit.start, unit.end) == (min(s.start for s in unit.spans.values()),
                                          max(s.end for s in unit.spans.values()))
        # every span of a unit with others is linked to one of them (overlap, exact offsets, label)
        for span in unit.spans.values():
            others = [o for o in unit.spans.values() if o is not span]
            assert not others or any(
                (span.overlaps(o) if match == Match.OVERLAP else (span.start, span.end) == (o.start, o.end))
                and (not same_label or span.label == o.label) for o in others)


@settings(max_examples=80, deadline=None)
@given(spans_strategy, spans_strategy)
def test_matching_is_one_to_one_between_overlapping_spans_of_one_label(first, second):
    pairs = match_spans(first, second)

    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert all(first[i].overlaps(second[j]) and first[i].label == second[j].label for i, j in pairs)


@settings(max_examples=40, deadline=None)
@given(st.lists(spans_strategy, min_size=1, max_size=4))
def test_aligning_many_articles_at_once_equals_aligning_each(articles):
    table = build_table([((), spans) for spans in articles])
    all_spans = [span for spans in articles for span in spans]

    unit = align_table(table)

    together = {}
    for row, origin in enumerate(table.origin):
        together.setdefault((int(table.group[row]), int(unit[row])), set()).add(all_spans[origin])
    one_by_one = {(g, k): set(u.spans.values()) for g, spans in enumerate(articles)
                  for k, u in enumerate(align_spans(spans))}
    assert sorted(map(sorted_key, together.values())) == sorted(map(sorted_key, one_by_one.values()))


def sorted_key(spans):
    return sorted(repr(span) for span in spans)
