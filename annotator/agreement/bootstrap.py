"""Bootstrap confidence intervals, seeded and reproducible: for Krippendorff's alpha (resampling units) and
for the mean and median of scores on a scale (resampling scores)."""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from annotator.agreement.alpha import Level, alpha_from_counts, value_counts
from annotator.agreement.records import ConfidenceInterval
from annotator.agreement.table import Floats, Ints


def bootstrap_alpha(data: npt.ArrayLike, level: Level | str = Level.NOMINAL,
                    values: Sequence[float] | None = None, *, samples: int = 1000, confidence: float = 0.95,
                    seed: int = 0) -> ConfidenceInterval:
    """Percentile interval of alpha from ``samples`` resamples of the pairable units, with replacement.

    ``data`` and ``values`` as for alpha.krippendorff_alpha. The draws come from
    ``numpy.random.default_rng(seed)``, so the same seed gives the same interval. Resamples on which
    alpha is undefined (no variation left) are dropped; the interval is undefined, with the reason, when
    alpha is undefined on the data or on more than half of the resamples. Units are resampled whole,
    keeping each unit's values together (not Hayes and Krippendorff's 2007 resampling of value pairs).
    """
    _check(samples, confidence)
    matrix = np.asarray(data, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return ConfidenceInterval.undefined("alpha needs two or more analysts", confidence)
    counts, domain = value_counts(matrix, values)
    counts = counts[counts.sum(axis=1) >= 2]
    estimate = alpha_from_counts(counts, domain, level)
    if not estimate.is_defined:
        return ConfidenceInterval.undefined(f"alpha is undefined: {estimate.reason}", confidence)
    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(samples):
        resampled = alpha_from_counts(counts[rng.integers(0, len(counts), len(counts))], domain, level)
        if resampled.value is not None:
            estimates.append(resampled.value)
    if len(estimates) * 2 < samples:
        return ConfidenceInterval.undefined("alpha is undefined on most resamples", confidence)
    return _percentile_interval(np.asarray(estimates), confidence)


def _check(samples: int, confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    if samples < 1:
        raise ValueError("samples must be 1 or more")


def _percentile_interval(estimates: Floats, confidence: float) -> ConfidenceInterval:
    """The central ``confidence`` share of the resampled estimates."""
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(estimates, [tail, 100.0 - tail])
    return ConfidenceInterval(float(low), float(high), confidence)


def mean_of_counts(counts: Sequence[int] | Ints, levels: Sequence[float] | Floats) -> float | None:
    """The mean score from how many times each level was given; None when no score was given."""
    given = np.asarray(counts, dtype=np.float64)
    total = given.sum()
    return float(given @ np.asarray(levels, dtype=np.float64) / total) if total else None


def median_of_counts(counts: Sequence[int] | Ints, levels: Sequence[float] | Floats) -> float | None:
    """The median score from how many times each level was given (the mean of the two middle scores when
    their number is even); None when no score was given."""
    medians = _medians(np.asarray(counts, dtype=np.int64)[None, :], np.asarray(levels, dtype=np.float64))
    return None if np.isnan(medians[0]) else float(medians[0])


def _medians(counts: Ints, levels: Floats) -> Floats:
    """The median of each row of level counts (NaN for an empty row)."""
    totals = counts.sum(axis=1)
    cumulative = np.cumsum(counts, axis=1)
    # The level of the score at sorted position p is the first whose cumulative count exceeds p.
    lower = (cumulative <= ((totals - 1) // 2)[:, None]).sum(axis=1)
    upper = (cumulative <= (totals // 2)[:, None]).sum(axis=1)
    top = len(levels) - 1
    medians: Floats = (levels[np.minimum(lower, top)] + levels[np.minimum(upper, top)]) / 2.0
    return np.where(totals > 0, medians, np.nan)


def bootstrap_mean_median(counts: Sequence[int] | Ints, levels: Sequence[float] | Floats, *, samples: int = 1000,
                          confidence: float = 0.95,
                          seed: int = 0) -> tuple[ConfidenceInterval, ConfidenceInterval]:
    """Percentile intervals of the mean and of the median of scores, from ``samples`` resamples.

    ``counts[k]`` is how many scores were ``levels[k]``. Drawing n scores with replacement from n scores on
    a scale is drawing the level counts from a multinomial with the observed shares, so each resample costs
    the number of levels, not n. The draws come from ``numpy.random.default_rng(seed)``: the same seed gives
    the same intervals. Every score is one draw: scores that several analysts gave one statement are not
    independent, which a reader of a narrow interval should keep in mind. Undefined, with the reason, for
    fewer than two scores.
    """
    _check(samples, confidence)
    given = np.asarray(counts, dtype=np.int64)
    values = np.asarray(levels, dtype=np.float64)
    total = int(given.sum())
    if total < 2:
        reason = "no score" if total == 0 else "one score: nothing to resample"
        return (ConfidenceInterval.undefined(reason, confidence), ConfidenceInterval.undefined(reason, confidence))
    rng = np.random.default_rng(seed)
    drawn = rng.multinomial(total, given / total, size=samples)
    means: Floats = drawn @ values / total
    return _percentile_interval(means, confidence), _percentile_interval(_medians(drawn, values), confidence)
