"""Cohen's and Fleiss' kappa against published examples and statsmodels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from annotator.agreement.kappa import cohen_kappa, fleiss_kappa

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5):
# 10 subjects, 14 raters, 5 categories (the table reproduced on Wikipedia's "Fleiss' kappa"); kappa = 0.210.
FLEISS_1971 = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
               [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]


def test_fleiss_kappa_matches_the_published_example():
    assert fleiss_kappa(FLEISS_1971).value == pytest.approx(0.210, abs=0.0005)


def test_cohen_kappa_is_zero_when_agreement_is_at_chance():
    # observed agreement 2/4, chance agreement 1/2 -> (0.5 - 0.5) / (1 - 0.5) = 0
    assert cohen_kappa(["claim", "denial", "claim", "denial"], ["claim", "claim", "denial", "denial"]).value == \
        pytest.approx(0.0)


def test_weighted_kappa_counts_near_misses_on_the_declared_scale():
    # One unit 4 vs 5 on a 1-5 scale, three units agree. Quadratic disagreement weights v = ((i-j)/4)^2.
    # Observed: 1/4 of units at v(4,5) = 1/16 -> 1/64. Expected from the margins (rows 1,3,4,5 each 1/4;
    # columns 1: 1/4, 3: 1/4, 5: 1/2): 0.140625 + 0.046875 + 0.046875 + 0.078125 = 0.3125.
    # kappa = 1 - (1/64) / 0.3125 = 0.95; the unweighted kappa treats the near miss as a full miss.
    first, second = [1, 3, 5, 4], [1, 3, 5, 5]

    quadratic = cohen_kappa(first, second, weights="quadratic", categories=[1, 2, 3, 4, 5]).value
    unweighted = cohen_kappa(first, second, categories=[1, 2, 3, 4, 5]).value

    assert quadratic > unweighted
    assert quadratic == pytest.approx(0.95)


def test_kappa_without_variation_is_undefined():
    assert cohen_kappa([2, 2, 2], [2, 2, 2]).value is None
    assert fleiss_kappa([[3, 0], [3, 0]]).value is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=40),
       st.sampled_from(["none", "linear", "quadratic"]))
def test_cohen_kappa_equals_statsmodels(pairs, weights):
    table = np.zeros((5, 5))
    for a, b in pairs:
        table[a - 1, b - 1] += 1
    mine = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs], weights=weights, categories=[1, 2, 3, 4, 5])
    with np.errstate(all="ignore"):
        theirs = cohens_kappa(table, wt={"none": None, "linear": "linear", "quadratic": "quadratic"}[weights]).kappa
    if mine.value is None:
        assert not np.isfinite(theirs)
    else:
        assert mine.value == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6).flatmap(lambda raters: st.lists(
    st.integers(0, raters).flatmap(lambda a: st.integers(0, raters - a).map(lambda b: [a, b, raters - a - b])),
    min_size=2, max_size=15)))
def test_fleiss_kappa_equals_statsmodels(table):
    mine = fleiss_kappa(table)
    with np.errstate(all="ignore"):
        theirs = statsmodels_fleiss(np.array(table))
    if mine.value is None:
        assert not np.isfinite(theirs)
    else:
        assert mine.value == pytest.approx(theirs, abs=1e-9)
