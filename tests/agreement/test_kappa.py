"""Cohen's and Fleiss' kappa against published and hand-worked examples and statsmodels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from annotator.agreement.kappa import cohen_kappa, fleiss_kappa

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5),
# 378-382: 10 subjects, 14 raters each, 5 categories, the table reproduced in Wikipedia's "Fleiss' kappa"
# worked example: P-bar = 0.378, P-e-bar = 0.213, kappa = (0.378 - 0.213) / (1 - 0.213) = 0.210.
FLEISS_1971 = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
               [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
SCALE = [1, 2, 3, 4, 5]


def test_fleiss_kappa_matches_the_published_example():
    assert fleiss_kappa(FLEISS_1971).value == pytest.approx(0.210, abs=0.0005)


def test_cohen_kappa_is_zero_when_agreement_is_at_chance():
    # observed agreement 2/4, chance agreement 1/2 -> (0.5 - 0.5) / (1 - 0.5) = 0
    kappa = cohen_kappa(["claim", "denial", "claim", "denial"], ["claim", "claim", "denial", "denial"])

    assert kappa.value == pytest.approx(0.0)


def test_weighted_kappa_counts_near_misses_on_the_declared_scale():
    # One unit 4 vs 5 on a 1-5 scale, three units agree. Quadratic disagreement weights v = ((i-j)/4)^2.
    # Observed: 1/4 of units at v(4,5) = 1/16 -> 1/64. Expected from the margins (rows 1, 3, 4, 5 each
    # 1/4; columns 1: 1/4, 3: 1/4, 5: 1/2): 0.140625 + 0.046875 + 0.046875 + 0.078125 = 0.3125.
    # kappa = 1 - (1/64) / 0.3125 = 0.95; the unweighted kappa counts the near miss as a full miss.
    first, second = [1, 3, 5, 4], [1, 3, 5, 5]

    quadratic = cohen_kappa(first, second, weights="quadratic", categories=SCALE).value
    unweighted = cohen_kappa(first, second, categories=SCALE).value

    assert quadratic == pytest.approx(0.95)
    # unweighted: chance agreement 1/4*1/4 (1) + 1/4*1/4 (3) + 1/4*1/2 (5) = 1/4; 1 - (1/4) / (3/4) = 2/3
    assert unweighted == pytest.approx(2 / 3)


def test_linear_weights_are_spaced_on_the_declared_levels_not_the_ones_used():
    # Scores 1, 2 and 5 only. On the 1-5 scale, 1 vs 2 is a quarter of the worst disagreement; spaced
    # over the levels used (1, 2, 5) it would be half of it. Both analysts: units (1,2), (5,5), (1,1), (2,1).
    first, second = [1, 5, 1, 2], [2, 5, 1, 1]

    declared = cohen_kappa(first, second, weights="linear", categories=SCALE).value
    observed_levels = cohen_kappa(first, second, weights="linear").value

    # Declared: observed disagreement (1/4 + 1/4) * 1/4 = 1/8; margins both (1: 1/2, 2: 1/4, 5: 1/4):
    # expected = 2 * (1/2*1/4*1/4 + 1/2*1/4*1 + 1/4*1/4*3/4) = 2 * (1/32 + 1/8 + 3/64) = 13/32.
    assert declared == pytest.approx(1 - (1 / 8) / (13 / 32))
    # Levels used (1, 2, 5 at positions 0, 1, 2): observed (1/2) * 1/2 = 1/4;
    # expected = 2 * (1/2*1/4*1/2 + 1/2*1/4*1 + 1/4*1/4*1/2) = 2 * (1/16 + 1/8 + 1/32) = 7/16.
    assert observed_levels == pytest.approx(1 - (1 / 4) / (7 / 16))


def test_kappa_is_undefined_when_both_analysts_use_one_category():
    kappa = cohen_kappa([2, 2, 2], [2, 2, 2], categories=SCALE)

    assert kappa.value is None
    assert kappa.reason == "no variation: chance disagreement is zero"


def test_kappa_is_undefined_without_units():
    assert cohen_kappa([], []).reason == "no units rated by both analysts"


def test_kappa_refuses_values_outside_the_declared_scale_and_unequal_lengths():
    with pytest.raises(ValueError, match="outside the declared categories"):
        cohen_kappa([1, 6], [1, 2], categories=SCALE)
    with pytest.raises(ValueError, match="the same units"):
        cohen_kappa([1, 2], [1])


def test_fleiss_kappa_undefined_cases_say_why():
    assert fleiss_kappa([[3, 0], [3, 0]]).reason == "no variation: every rating is in one category"
    assert fleiss_kappa([[1, 0], [0, 1]]).reason == "Fleiss' kappa needs two or more raters per subject"
    assert fleiss_kappa(np.zeros((0, 3))).reason == "no subjects"


def test_fleiss_kappa_needs_the_same_number_of_raters_per_subject():
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=40),
       st.sampled_from(["none", "linear", "quadratic"]))
def test_cohen_kappa_equals_statsmodels(pairs, weights):
    table = np.zeros((5, 5))
    for a, b in pairs:
        table[a - 1, b - 1] += 1

    ours = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs], weights=weights, categories=SCALE)

    with np.errstate(all="ignore"):
        theirs = cohens_kappa(table, wt=None if weights == "none" else weights).kappa
    if ours.value is None:
        assert not np.isfinite(theirs)
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6).flatmap(lambda raters: st.lists(
    st.integers(0, raters).flatmap(lambda a: st.integers(0, raters - a).map(lambda b: [a, b, raters - a - b])),
    min_size=1, max_size=15)))
def test_fleiss_kappa_equals_statsmodels(table):
    ours = fleiss_kappa(table)

    with np.errstate(all="ignore"):
        theirs = statsmodels_fleiss_kappa(np.array(table))
    if ours.value is None:
        assert not np.isfinite(theirs)
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)
