"""Krippendorff's unitized alpha (alpha-U, 2004) on the published example and edge cases."""

import pytest

from annotator.agreement.unitized import category_figures, distance, unitized_alpha

# Krippendorff, Content Analysis (2nd ed., 2004), p. 254: two observers on the continuum [150, 450).
# Published: category c D_o = .0144, D_e = .0532, alpha_c = .7286; category k alpha_k = 1; all .8591.
# (The same figures are used by DKPro Statistics' Krippendorff2004Test.)
EXAMPLE = {
    "i": [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")],
    "j": [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")],
}


def test_section_distances_follow_the_definition():
    # c-spans both marked: (225-220)^2 + (295-300)^2 = 50; (370-355)^2 + (400-375)^2 = 850
    assert distance((225, 70, True), (220, 80, True)) == 50
    assert distance((370, 30, True), (355, 20, True)) == 850
    # a 20-long c-span inside a gap of the other analyst costs 20^2
    assert distance((400, 50, False), (400, 20, True)) == 400


def test_category_c_matches_the_published_disagreements():
    figures = category_figures(EXAMPLE, "c", begin=150, length=300)

    assert figures.observed == pytest.approx(0.0144, abs=0.00005)
    assert figures.expected == pytest.approx(0.0532, abs=0.00005)
    assert figures.alpha.value == pytest.approx(0.7286, abs=0.0001)


def test_all_categories_match_the_published_alpha():
    overall, per_category = unitized_alpha(EXAMPLE, begin=150, length=300)

    assert per_category["k"].value == pytest.approx(1.0)
    assert overall.value == pytest.approx(0.8591, abs=0.0005)


def test_identical_annotations_agree_perfectly():
    spans = [(3, 9, "claim"), (20, 31, "denial")]

    overall, _ = unitized_alpha({"a": spans, "b": list(spans), "c": list(spans)}, length=60)

    assert overall.value == pytest.approx(1.0)


def test_undefined_cases_say_why():
    assert unitized_alpha({"a": [(0, 5, "claim")]}, length=10)[0].reason == "unitized alpha needs two or more analysts"
    assert unitized_alpha({"a": [], "b": []}, length=10)[0].reason == "no analyst marked any span"


def test_one_analysts_overlapping_spans_of_a_category_are_joined():
    joined = unitized_alpha({"a": [(0, 10, "claim"), (5, 15, "claim")], "b": [(0, 15, "claim")]}, length=40)

    assert joined[0].value == pytest.approx(1.0)
