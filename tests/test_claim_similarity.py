"""Similarity of quotes for claim suggestions: words, character trigrams and numbers however written."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.claim_similarity import Candidate, features, rank, similarity


@pytest.mark.parametrize(("text", "numbers"), [
    ("12,000 troops", {12000}),
    ("12000 troops", {12000}),
    ("12 000 troops", {12000}),
    ("twelve thousand troops", {12000}),
    ("six officers killed", {6}),
    ("1.4 million volunteers", {1_400_000}),
    ("one hundred and twenty-five men", {125}),
    ("10,000 soldiers, a battalion of 3,000 men, 18 deserters, six dead", {10000, 3000, 18, 6}),
    ("Fake news", set()),
    ("\u0661\u0662 troops", {12}),  # Arabic-Indic digits are digits
    ("\u2776 brigade", set()),  # a circled digit is a symbol, not a figure
])
def test_numbers_are_read_whatever_their_spelling(text, numbers):
    assert features(text).numbers == numbers


def test_words_are_folded_stripped_of_stop_words_and_plurals():
    assert features("The Soldiers of Pyongyang’s army, according to Zelénsky").words == {
        "soldier", "pyongyang", "army", "zelensky"}


def test_the_same_claim_with_numbers_written_differently_scores_one():
    # words {soldier} = {soldier}: 1; identical trigrams: 1; numbers {10000} = {10000}: 1
    # 0.4 * 1 + 0.35 * 1 + 0.25 * 1 = 1
    assert similarity("10,000 soldiers", "10000 soldiers") == pytest.approx(1.0)


def test_different_figures_halve_an_otherwise_equal_statement():
    # words 1, trigrams 1, numbers 0 (disjoint): (0.4 + 0.35 + 0) * 0.5 = 0.375
    assert similarity("10,000 soldiers", "12,000 soldiers") == pytest.approx(0.375)


def test_statements_without_numbers_are_compared_on_words_and_trigrams_only():
    # words {fake, new} vs {fake, report} (a final "s" is stripped): Dice 2 * 1 / 4 = 0.5
    # trigrams of "fake new" (6) and "fake report" (9) share "fak", "ake", "ke ": cosine 3 / sqrt(6 * 9)
    # (0.4 * 0.5 + 0.35 * 3 / sqrt(54)) / (0.4 + 0.35)
    expected = (0.4 * 0.5 + 0.35 * 3 / math.sqrt(54)) / 0.75

    assert similarity("Fake news", "fake reports") == pytest.approx(expected)


def test_a_quote_with_several_figures_matches_the_claim_of_one_of_them():
    several = "10,000 soldiers, a battalion of 3,000 men, 18 deserters, six dead"

    assert similarity(several, "18 North Korean deserters") > similarity(several, "12,000 North Korean troops")


def test_rank_orders_candidates_best_first_and_leaves_out_weak_ones():
    candidates = [
        Candidate(1, ["Russia denies the reports"]),
        Candidate(2, ["North Korea sent 12,000 troops", "12,000 troops are mentioned"]),
        Candidate(3, ["Six North Korean officers were killed near Donetsk"]),
    ]

    ranked = rank("twelve thousand troops, according to the NIS", candidates)

    assert [entry.key for entry in ranked] == [2]
    assert ranked[0].best_text == "12,000 troops are mentioned"


def test_rank_breaks_ties_by_key_and_keeps_the_limit():
    candidates = [Candidate(key, ["six officers killed"]) for key in (5, 3, 4)]

    assert [entry.key for entry in rank("six officers killed", candidates, limit=2)] == [3, 4]


@given(st.text(max_size=80), st.text(max_size=80))
def test_similarity_is_symmetric_and_between_zero_and_one(first, second):
    score = similarity(first, second)

    assert 0.0 <= score <= 1.0 + 1e-9
    assert score == pytest.approx(similarity(second, first))
