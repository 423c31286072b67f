"""Bootstrap confidence intervals for Krippendorff's alpha: seeded, reproducible, resampling units."""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from annotator.agreement.alpha import Level, alpha_from_counts, value_counts
from annotator.agreement.records import ConfidenceInterval


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
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    if samples < 1:
        raise ValueError("samples must be 1 or more")
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
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(estimates, [tail, 100.0 - tail])
    return ConfidenceInterval(float(low), float(high), confidence)
