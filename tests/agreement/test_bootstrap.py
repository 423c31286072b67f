"""Bootstrap intervals: for alpha (resampling units) and the mean and median of scores; seeded."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_alpha, bootstrap_mean_median, mean_of_counts, median_of_counts

nan = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C (see test_alpha.py).
PUBLISHED = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
])


def test_the_same_seed_gives_the_same_interval():
    first = bootstrap_alpha(PUBLISHED, "interval", samples=300, seed=7)
    second = bootstrap_alpha(PUBLISHED, "interval", samples=300, seed=7)

    assert first == second


def test_another_seed_draws_other_resamples():
    first = bootstrap_alpha(PUBLISHED, "interval", samples=300, seed=7)
    other = bootstrap_alpha(PUBLISHED, "interval", samples=300, seed=8)

    assert (first.low, first.high) != (other.low, other.high)


def test_the_interval_contains_the_estimate_and_lies_below_one():
    interval = bootstrap_alpha(PUBLISHED, "interval", samples=500, confidence=0.9, seed=1)

    assert interval.low <= krippendorff_alpha(PUBLISHED, "interval").value <= interval.high <= 1.0
    assert interval.confidence == 0.9


def test_the_interval_is_undefined_when_alpha_is():
    interval = bootstrap_alpha([[3, 3], [3, 3]], "ordinal", seed=1)

    assert not interval.is_defined
    assert interval.reason.startswith("alpha is undefined: no variation")


def test_the_interval_is_undefined_when_most_resamples_have_no_variation():
    # Two units, (1, 1) and (2, 2). With seed 0 the one resample draws the second unit twice
    # (default_rng(0).integers(0, 2, 2) == [1, 1]): only 2s, no variation, so no alpha on it.
    interval = bootstrap_alpha([[1, 2], [1, 2]], "nominal", samples=1, seed=0)

    assert interval.reason == "alpha is undefined on most resamples"


# Scores 2, 3, 3, 5 on a 1 to 5 scale, as level counts.
LEVELS = [1, 2, 3, 4, 5]
SCORES = [0, 1, 2, 0, 1]


def test_mean_and_median_of_level_counts():
    assert mean_of_counts(SCORES, LEVELS) == 3.25       # (2 + 3 + 3 + 5) / 4
    assert median_of_counts(SCORES, LEVELS) == 3.0      # (3 + 3) / 2
    assert median_of_counts([1, 0, 0, 0, 1], LEVELS) == 3.0  # (1 + 5) / 2: the two middle scores
    assert median_of_counts([0, 2, 1, 0, 0], LEVELS) == 2.0  # 2, 2, 3


def test_no_score_has_no_mean_median_or_interval():
    mean_interval, median_interval = bootstrap_mean_median([0] * 5, LEVELS)

    assert mean_of_counts([0] * 5, LEVELS) is None and median_of_counts([0] * 5, LEVELS) is None
    assert (mean_interval.reason, median_interval.reason) == ("no score", "no score")


def test_score_intervals_are_seeded_and_contain_the_estimates():
    first = bootstrap_mean_median(SCORES, LEVELS, samples=500, seed=3)
    again = bootstrap_mean_median(SCORES, LEVELS, samples=500, seed=3)
    other = bootstrap_mean_median(SCORES, LEVELS, samples=500, seed=4)

    assert first == again and first != other
    mean_interval, median_interval = first
    assert 2 <= mean_interval.low <= 3.25 <= mean_interval.high <= 5
    assert 2 <= median_interval.low <= 3.0 <= median_interval.high <= 5


def test_scores_that_never_vary_have_a_point_interval():
    mean_interval, median_interval = bootstrap_mean_median([0, 0, 0, 7, 0], LEVELS, seed=1)

    assert (mean_interval.low, mean_interval.high) == (4.0, 4.0)
    assert (median_interval.low, median_interval.high) == (4.0, 4.0)


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=5, max_size=5).filter(lambda c: sum(c) >= 2),
       st.integers(min_value=0, max_value=2**32 - 1))
def test_resampled_medians_are_medians_of_scores_drawn_from_the_data(counts, seed):
    _, median_interval = bootstrap_mean_median(counts, LEVELS, samples=50, seed=seed)
    given_levels = [level for level, count in zip(LEVELS, counts, strict=True) if count]

    assert min(given_levels) <= median_interval.low <= median_interval.high <= max(given_levels)
    assert median_of_counts(counts, LEVELS) == float(np.median(np.repeat(LEVELS, counts)))
