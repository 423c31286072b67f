"""Krippendorff's alpha for any number of analysts, missing values allowed, four levels of measurement.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": a coincidence matrix over the
pairable values of each unit, then alpha = 1 - D_o / D_e. Ordinal, interval and ratio distances are
computed on the declared value domain (for a 1-5 scale, the levels 1..5 whether used or not).
"""

from collections.abc import Hashable, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from annotator.agreement.records import Estimate


class Level(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


def value_counts(data: npt.ArrayLike, values: Sequence[float] | None = None) -> tuple[npt.NDArray[np.float64],
                                                                                      npt.NDArray[np.float64]]:
    """Per unit, how many analysts gave each value: (units x values) counts and the value domain.

    ``data`` is analysts x units, numeric, NaN where an analyst gave no value. ``values`` declares the
    domain (sorted); by default the values observed.
    """
    matrix = np.asarray(data, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("data must be a 2-D array: analysts x units")
    present = ~np.isnan(matrix)
    domain = np.unique(matrix[present]) if values is None else np.asarray(sorted(values), dtype=float)
    if present.any():
        index = np.searchsorted(domain, matrix[present])
        if (index >= len(domain)).any() or not np.array_equal(domain[np.minimum(index, len(domain) - 1)],
                                                              matrix[present]):
            raise ValueError("data holds a value outside the declared values")
        units = np.broadcast_to(np.arange(matrix.shape[1]), matrix.shape)[present]
        counts = np.bincount(units * len(domain) + index, minlength=matrix.shape[1] * len(domain))
        return counts.reshape(matrix.shape[1], len(domain)).astype(float), domain
    return np.zeros((matrix.shape[1], len(domain))), domain


def _distances(level: Level, domain: npt.NDArray[np.float64],
               marginals: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if level == Level.NOMINAL:
        return 1.0 - np.eye(len(domain))
    if level == Level.INTERVAL:
        return np.subtract.outer(domain, domain) ** 2
    if level == Level.RATIO:
        sums = np.add.outer(domain, domain)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(sums == 0, 0.0, np.subtract.outer(domain, domain) / sums)
        return ratio ** 2
    # Ordinal: (sum of n_g for g from c to k, minus half of n_c and n_k) squared.
    cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
    low = np.minimum.outer(np.arange(len(domain)), np.arange(len(domain)))
    high = np.maximum.outer(np.arange(len(domain)), np.arange(len(domain)))
    between = cumulative[high + 1] - cumulative[low]
    return (between - (marginals[low] + marginals[high]) / 2.0) ** 2


def alpha_from_counts(counts: npt.NDArray[np.float64], domain: npt.NDArray[np.float64], level: Level) -> Estimate:
    """Alpha from per-unit value counts (units x values), as value_counts returns them."""
    pairable = counts.sum(axis=1)
    counts = counts[pairable >= 2]
    pairable = pairable[pairable >= 2]
    if len(counts) == 0:
        return Estimate.undefined("no unit has values from two or more analysts")
    weighted = counts / (pairable - 1.0)[:, None]
    coincidences = weighted.T @ counts
    coincidences[np.diag_indices_from(coincidences)] -= weighted.sum(axis=0)
    marginals = coincidences.sum(axis=0)
    total = marginals.sum()
    distances = _distances(level, domain, marginals)
    expected = marginals @ distances @ marginals
    if expected <= 0:
        return Estimate.undefined("no variation: every value given is the same")
    observed = float((coincidences * distances).sum())
    return Estimate(float(1.0 - (total - 1.0) * observed / expected))


def krippendorff_alpha(data: npt.ArrayLike, level: Level | str = Level.NOMINAL,
                       values: Sequence[float] | None = None) -> Estimate:
    """Alpha of an analysts x units matrix of numbers (NaN: no value); undefined cases carry a reason."""
    matrix = np.asarray(data, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return Estimate.undefined("alpha needs two or more analysts")
    counts, domain = value_counts(matrix, values)
    return alpha_from_counts(counts, domain, Level(level))


def nominal_alpha(rows: Sequence[Sequence[Hashable | None]]) -> Estimate:
    """Alpha for category names (analysts x units, None where missing), nominal level."""
    categories = sorted({value for row in rows for value in row if value is not None}, key=str)
    code = {category: index for index, category in enumerate(categories)}
    matrix = [[np.nan if value is None else code[value] for value in row] for row in rows]
    return krippendorff_alpha(np.array(matrix, dtype=float).reshape(len(rows), -1), Level.NOMINAL,
                              values=list(range(len(categories))))


def bootstrap_alpha(data: npt.ArrayLike, level: Level | str = Level.NOMINAL, values: Sequence[float] | None = None,
                    *, samples: int = 1000, confidence: float = 0.95, seed: int = 0) -> tuple[float, float] | None:
    """Percentile confidence interval of alpha from resampling units with replacement (seeded).

    Returns None when alpha is undefined on the data or on too many resamples to say.
    """
    matrix = np.asarray(data, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return None
    counts, domain = value_counts(matrix, values)
    counts = counts[counts.sum(axis=1) >= 2]
    if not alpha_from_counts(counts, domain, Level(level)).is_defined:
        return None
    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(samples):
        resampled = alpha_from_counts(counts[rng.integers(0, len(counts), len(counts))], domain, Level(level))
        if resampled.value is not None:
            estimates.append(resampled.value)
    if len(estimates) < samples / 2:
        return None
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(estimates, [tail, 100.0 - tail])
    return float(low), float(high)
