"""Bootstrap intervals for alpha: seeded, reproducible, resampling units."""

import numpy as np

from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_alpha

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
