"""Krippendorff's unitized alpha (alpha-U, 2004 formulation) by hand, on published examples and edge cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.records import AnnotatedSpan
from annotator.agreement.table import build_table
from annotator.agreement.unitized import joint_alphas, unitized_alpha, unitized_disagreement


def S(analyst, start, end, label="c"):  # noqa: N802  # reads like a record literal
    return AnnotatedSpan(analyst, start, end, label)


def _disagreement(spans, *, length, begin=0):
    table = build_table([((), spans)])
    figures = unitized_disagreement(table, lengths=np.array([length]), begins=np.array([begin]))
    return dict(zip(table.labels, zip(figures.observed[0], figures.expected[0], strict=True), strict=True))


def test_a_small_example_by_hand():
    # Continuum [0, 10), m = 2 analysts, one category; a marks [2, 6), b marks [3, 6).
    # Observed: the two c-spans overlap: d = (2 - 3)^2 + (6 - 6)^2 = 1; no c-span lies inside a gap.
    #   D_o = 2 * 1 / (m (m - 1) L^2) = 2 / (2 * 1 * 100) = 0.01
    # Expected: N_c = 2 c-spans, lengths 4 and 3; gaps a: [0, 2) = 2, [6, 10) = 4; b: [0, 3) = 3, [6, 10) = 4.
    #   l = 4: (N_c - 1)(2*64 - 3*16 + 4) / 3 = 84 / 3 = 28; gaps >= 4: 4, 4 -> 16 * (1 + 1) = 32; total 60
    #   l = 3: (2*27 - 3*9 + 3) / 3 = 10;                    gaps >= 3: 4, 3, 4 -> 9 * (2 + 1 + 2) = 45; total 55
    #   D_e = (2 / L) * (60 + 55) / (m L (m L - 1) - (4*3 + 3*2)) = 0.2 * 115 / (380 - 18) = 23 / 362
    # alpha = 1 - 0.01 / (23 / 362) = 1 - 3.62 / 23 = 0.84261
    spans = [S("a", 2, 6), S("b", 3, 6)]

    observed, expected = _disagreement(spans, length=10)["c"]
    result = unitized_alpha(spans, length=10)

    assert observed == pytest.approx(0.01)
    assert expected == pytest.approx(23 / 362)
    assert result.overall.value == pytest.approx(1 - 3.62 / 23)
    assert result.by_category["c"].value == pytest.approx(1 - 3.62 / 23)


def test_a_span_the_other_analyst_left_in_a_gap_costs_its_squared_length():
    # [0, 10): a marks [2, 6); b marks [2, 6) and [8, 9), which lies inside a's gap [6, 10).
    # Observed: d([2, 6), [2, 6)) = 0; d([8, 9), a's gap) = 1^2 = 1 -> D_o = 2 * 1 / (2 * 100) = 0.01.
    observed, _ = _disagreement([S("a", 2, 6), S("b", 2, 6), S("b", 8, 9)], length=10)["c"]

    assert observed == pytest.approx(0.01)


# Krippendorff, Content Analysis, 2nd ed. (2004), pp. 251-256: observers i and j on the continuum
# [150, 450), categories c and k. Published: D_o(c) = .0144, D_e(c) = .0532, alpha_c = .7286; alpha_k = 1;
# alpha over both = .8591 (also the figures of DKPro Statistics' Krippendorff2004Test).
BOOK_EXAMPLE = [S("i", 225, 295), S("i", 370, 400), S("i", 180, 240, "k"), S("i", 300, 350, "k"),
                S("j", 220, 300), S("j", 355, 375), S("j", 400, 420), S("j", 180, 240, "k"), S("j", 300, 350, "k")]


def test_category_c_matches_the_published_disagreements():
    observed, expected = _disagreement(BOOK_EXAMPLE, length=300, begin=150)["c"]

    assert observed == pytest.approx(0.0144, abs=0.00005)
    assert expected == pytest.approx(0.0532, abs=0.00005)


def test_alpha_per_category_and_over_both_match_the_published_figures():
    result = unitized_alpha(BOOK_EXAMPLE, length=300, begin=150)

    assert result.by_category["c"].value == pytest.approx(0.7286, abs=0.0001)
    assert result.by_category["k"].value == pytest.approx(1.0)
    assert result.overall.value == pytest.approx(0.8591, abs=0.0005)


# Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological Methodology 25, p. 57:
# four pairs of observers on a 24-character continuum, one category each (A-D). Published observed
# disagreements (as in DKPro Statistics' Krippendorff1995Test): A .03125, B 2.26736, C .02777, D .38715.
# Pairs B and D mark many touching spans, which stay separate sections.
EXAMPLE_1995 = {
    "A": ([(2, 10), (14, 20)], [(4, 8), (15, 17)]),
    "B": ([(0, 18)], [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 9), (9, 10)]),
    "C": ([(2, 8), (10, 12), (14, 18), (20, 22)], [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)]),
    "D": ([(0, 2), (2, 10), (10, 14), (14, 20), (20, 24)], [(0, 4), (4, 8), (8, 15), (15, 17), (17, 24)]),
}


@pytest.mark.parametrize(("category", "published"), [("A", 0.03125), ("B", 2.26736), ("C", 0.02777),
                                                     ("D", 0.38715)])
def test_observed_disagreement_matches_the_1995_examples(category, published):
    first, second = EXAMPLE_1995[category]
    spans = [S("1", *span, category) for span in first] + [S("2", *span, category) for span in second]

    observed, _ = _disagreement(spans, length=24)[category]

    assert observed == pytest.approx(published, abs=0.00001)


def test_identical_annotations_agree_perfectly():
    spans = [(3, 9, "claim"), (20, 31, "denial"), (40, 41, "claim")]

    result = unitized_alpha([S(name, *span) for name in "abc" for span in spans], length=60)

    assert result.overall.value == pytest.approx(1.0)
    assert {label: e.value for label, e in result.by_category.items()} == {"claim": pytest.approx(1.0),
                                                                           "denial": pytest.approx(1.0)}


def test_an_analysts_overlapping_spans_of_one_category_are_joined_and_touching_ones_are_not():
    joined = unitized_alpha([S("a", 0, 10), S("a", 5, 15), S("b", 0, 15)], length=40)
    touching = unitized_alpha([S("a", 0, 10), S("a", 10, 15), S("b", 0, 15)], length=40)

    assert joined.overall.value == pytest.approx(1.0)
    assert touching.overall.value < 1.0


def test_unitized_alpha_is_undefined_for_one_analyst():
    result = unitized_alpha([S("a", 0, 5)], length=10)

    assert result.overall.reason == "unitized alpha needs two or more analysts"
    assert result.by_category == {}


def test_unitized_alpha_is_undefined_when_nobody_marked_anything():
    result = unitized_alpha([], length=10, analysts=["a", "b"])

    assert result.overall.reason == "no analyst marked any span"


def test_unitized_alpha_is_undefined_on_an_empty_text():
    assert unitized_alpha([], length=0, analysts=["a", "b"]).overall.reason == "the text is empty"


def test_unitized_alpha_is_undefined_without_expected_disagreement():
    # A one-character text both analysts mark whole: every term of D_e is 0 (l = 1, no gaps).
    result = unitized_alpha([S("a", 0, 1), S("b", 0, 1)], length=1)

    assert result.overall.reason == "no expected disagreement"


def test_an_analyst_who_marked_nothing_still_counts():
    # b took part but marked nothing: a's span lies in b's gap, so alpha is below zero, not undefined.
    result = unitized_alpha([S("a", 0, 5)], length=10, analysts=["a", "b"])

    assert result.overall.value < 0


def test_a_span_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="outside its text"):
        unitized_alpha([S("a", 0, 5), S("b", 8, 12)], length=10)


spans_strategy = st.lists(
    st.builds(lambda analyst, start, size, label: AnnotatedSpan(analyst, start, start + size, label),
              st.sampled_from("abc"), st.integers(0, 40), st.integers(1, 10), st.sampled_from(["claim", "denial"])),
    min_size=1, max_size=15,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(spans_strategy, min_size=1, max_size=4))
def test_many_articles_at_once_give_each_articles_alpha(articles):
    table = build_table([("abc", spans) for spans in articles], labels=["claim", "denial"])
    lengths = np.full(len(articles), 50)

    together = joint_alphas(unitized_disagreement(table, lengths=lengths), coders=table.coders(), lengths=lengths)

    alone = [unitized_alpha(spans, length=50, analysts="abc").overall for spans in articles]
    assert [e.reason for e in together] == [e.reason for e in alone]
    assert [e.value or 0.0 for e in together] == pytest.approx([e.value or 0.0 for e in alone], abs=1e-12)
