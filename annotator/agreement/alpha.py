"""Krippendorff's alpha for any number of analysts, missing values allowed, four levels of measurement.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (Departmental Papers (ASC) 43,
University of Pennsylvania): per unit, the counts n_uc of each value c among the pairable values (units
with two or more values); coincidences o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (n_u - 1); marginals
n_c; and

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck

with the squared distance d of the level: nominal [c != k]; ordinal (sum of n_g for g from c to k, minus
(n_c + n_k) / 2) squared; interval (c - k)^2; ratio ((c - k) / (c + k))^2. The distances use the declared
value domain (for a 1-5 scale the levels 1..5, whether used or not): interval and ratio distances take the
values themselves, never the ranks of the levels observed. Vectorised: counts come from one bincount and
the coincidences from one matrix product, so a 3 x 600,000 matrix takes a fraction of a second.
"""

from collections.abc import Hashable, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from annotator.agreement.records import Estimate
from annotator.agreement.table import Floats, Ints, sum_rows

RELIABLE = 0.8     # Krippendorff (2004, Content Analysis, p. 241): rely on data with alpha >= .800,
TENTATIVE = 0.667  # and draw tentative conclusions only from data with .667 <= alpha < .800.
NOT_PAIRABLE = "no unit has values from two or more analysts"
NO_VARIATION = "no variation: every pairable value is the same, so disagreement by chance is zero"


class Level(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


def reading(value: float | None) -> str:
    """Krippendorff's reading of an alpha: "reliable" (>= 0.8), "tentative" (>= 0.667), "unreliable",
    or "undefined" for None."""
    if value is None:
        return "undefined"
    if value >= RELIABLE:
        return "reliable"
    if value >= TENTATIVE:
        return "tentative"
    return "unreliable"


def value_counts(data: npt.ArrayLike, values: Sequence[float] | None = None) -> tuple[Floats, Floats]:
    """Per unit, how many analysts gave each value: the (units x values) counts and the value domain.

    ``data`` is analysts x units, numeric, NaN where an analyst gave no value. ``values`` declares the
    domain; by default the values observed. Raises ValueError for a value outside the declared domain.
    """
    matrix = np.asarray(data, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("data must be a 2-D array: analysts x units")
    present = ~np.isnan(matrix)
    given = matrix[present]
    # Sorted distinct values by hand: numpy's unique imports numpy.ma on first use (0.1 s).
    domain = np.sort(given if values is None else np.asarray(values, dtype=np.float64))
    domain = domain[np.concatenate([[True], domain[1:] != domain[:-1]])] if len(domain) else domain
    if len(domain) and np.array_equal(domain, domain[0] + np.arange(len(domain))):
        index = (given - domain[0]).astype(np.int64)  # consecutive integers, as scales are: no search
    else:
        index = np.searchsorted(domain, given)
    index = np.clip(index, 0, max(len(domain) - 1, 0))
    if len(given) and (len(domain) == 0 or not np.array_equal(domain[index], given)):
        raise ValueError("data holds a value outside the declared values")
    units = np.broadcast_to(np.arange(matrix.shape[1]), matrix.shape)[present]
    counts = np.bincount(units * len(domain) + index, minlength=matrix.shape[1] * len(domain))
    return counts.reshape(matrix.shape[1], len(domain)).astype(np.float64), domain


def _distances(level: Level, domain: Floats, marginals: Floats) -> Floats:
    """Squared distances between values: values x values, or groups x values x values for ordinal."""
    if level == Level.NOMINAL:
        return 1.0 - np.eye(len(domain))
    if level == Level.INTERVAL:
        return np.subtract.outer(domain, domain) ** 2
    if level == Level.RATIO:
        sums = np.add.outer(domain, domain)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(sums == 0, 0.0, np.subtract.outer(domain, domain) / sums) ** 2
    positions = np.arange(len(domain))
    low, high = np.minimum.outer(positions, positions), np.maximum.outer(positions, positions)
    cumulative = np.concatenate([np.zeros((len(marginals), 1)), np.cumsum(marginals, axis=1)], axis=1)
    between = cumulative[:, high + 1] - cumulative[:, low]
    ordinal: Floats = (between - (marginals[:, low] + marginals[:, high]) / 2.0) ** 2
    return ordinal


def _counts_matrix(counts: npt.ArrayLike, width: int) -> Floats:
    matrix = np.asarray(counts, dtype=np.float64)
    if matrix.size == 0:
        return np.zeros((matrix.shape[0] if matrix.ndim == 2 else 0, width))
    return matrix.reshape(-1, width)


def alpha_by_group(counts: npt.ArrayLike, group: Ints, groups: int, domain: Sequence[float] | Floats,
                   level: Level | str) -> list[Estimate]:
    """Alpha of each group of units at once, from per-unit value counts (units x values, as value_counts
    returns them) and each unit's group (0 .. groups - 1). Ordinal distances use each group's marginals.

    A group is undefined when none of its units has two values, or when its values never vary.
    """
    level = Level(level)
    values = np.asarray(domain, dtype=np.float64)
    matrix = _counts_matrix(counts, len(values))
    pairable = matrix.sum(axis=1)
    keep = pairable >= 2
    matrix, group, pairable = matrix[keep], np.asarray(group)[keep], pairable[keep]
    marginals = sum_rows(matrix, group, groups)
    # products[g, c, k] = sum over the group's units of n_uc n_uk / (n_u - 1). Every distance is 0 on the
    # diagonal, so self-pairs need no correction: sum_ck o_ck d_ck = sum_ck products_ck d_ck.
    weighted = matrix / (pairable - 1.0)[:, None]
    if groups > 1 and level != Level.ORDINAL:
        # Distances shared by every group: one weighted sum per unit, added up by group. (einsum, not
        # matmul: a tall-thin BLAS product can be slow when other processes hold the cores.)
        shared = _distances(level, values, marginals)
        per_unit = np.einsum("uc,ck,uk->u", weighted, shared, matrix)
        observed: Floats = np.bincount(group, weights=per_unit, minlength=groups).astype(np.float64)
        expected = np.einsum("gc,ck,gk->g", marginals, shared, marginals)
        return _estimates(marginals.sum(axis=1), observed, expected)
    if groups == 1:
        products = (weighted.T @ matrix)[None]
    else:
        products = np.zeros((groups, len(values), len(values)))
        for c in range(len(values)):
            for k in range(c, len(values)):
                products[:, c, k] = products[:, k, c] = np.bincount(
                    group, weights=weighted[:, c] * matrix[:, k], minlength=groups)
    # Ordinal distances depend on each group's marginals (groups x values x values); others are shared.
    distances = np.broadcast_to(_distances(level, values, marginals), products.shape)
    return _estimates(marginals.sum(axis=1), (products * distances).sum(axis=(1, 2)),
                      np.einsum("gc,gck,gk->g", marginals, distances, marginals))


def _estimates(total: Floats, observed: Floats, expected: Floats) -> list[Estimate]:
    """Alpha of each group from its pairable values n, sum o_ck d_ck and sum n_c n_k d_ck."""
    estimates = []
    for n, seen, chance in zip(total.tolist(), observed.tolist(), expected.tolist(), strict=True):
        if n == 0:
            estimates.append(Estimate.undefined(NOT_PAIRABLE))
        elif chance <= 0:
            estimates.append(Estimate.undefined(NO_VARIATION))
        else:
            estimates.append(Estimate(1.0 - (n - 1.0) * seen / chance))
    return estimates


def alpha_from_counts(counts: npt.ArrayLike, domain: Sequence[float] | Floats,
                      level: Level | str) -> Estimate:
    """Alpha from per-unit value counts (units x values), as value_counts returns them."""
    matrix = _counts_matrix(counts, len(domain))
    return alpha_by_group(matrix, np.zeros(len(matrix), dtype=np.int64), 1, domain, level)[0]


def coincidences(counts: npt.ArrayLike, width: int) -> tuple[Floats, Floats]:
    """What alpha needs of some units, as sums that add up over any split of the units: the coincidences
    without self-pairs, sum over pairable units of n_uc n_uk / (n_u - 1) (values x values), and the
    marginals n_c. ``counts`` is units x values (``width`` values), as value_counts returns them."""
    matrix = _counts_matrix(counts, width)
    pairable = matrix.sum(axis=1)
    matrix, pairable = matrix[pairable >= 2], pairable[pairable >= 2]
    products: Floats = (matrix / (pairable - 1.0)[:, None]).T @ matrix
    marginals: Floats = matrix.sum(axis=0)
    return products, marginals


def alpha_from_coincidences(products: Floats, marginals: Floats, domain: Sequence[float] | Floats,
                            level: Level | str) -> Estimate:
    """Alpha from the sums coincidences returns (added up over batches of units, say)."""
    values = np.asarray(domain, dtype=np.float64)
    distances = _distances(Level(level), values, marginals[None])
    distances = distances[0] if distances.ndim == 3 else distances
    return _estimates(marginals.sum()[None], (products * distances).sum()[None],
                      np.einsum("c,ck,k->", marginals, distances, marginals)[None])[0]


def krippendorff_alpha(data: npt.ArrayLike, level: Level | str = Level.NOMINAL,
                       values: Sequence[float] | None = None) -> Estimate:
    """Alpha of an analysts x units matrix of numbers (NaN: no value) at the given level.

    ``values`` declares the value domain (the project's scale levels); by default the values observed.
    Undefined, with the reason, for fewer than two analysts, no unit with two values, or no variation.
    Raises ValueError for a value outside the declared domain or data that is not 2-D.
    """
    matrix = np.asarray(data, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("data must be a 2-D array: analysts x units")
    if matrix.shape[0] < 2:
        return Estimate.undefined("alpha needs two or more analysts")
    counts, domain = value_counts(matrix, values)
    return alpha_from_counts(counts, domain, level)


def nominal_alpha(rows: Sequence[Sequence[Hashable | None]]) -> Estimate:
    """Nominal alpha for category names (analysts x units, None where an analyst gave no value)."""
    if len(rows) < 2:
        return Estimate.undefined("alpha needs two or more analysts")
    categories = sorted({value for row in rows for value in row if value is not None}, key=repr)
    code = {category: index for index, category in enumerate(categories)}
    matrix = np.array([[np.nan if value is None else code[value] for value in row] for row in rows],
                      dtype=np.float64).reshape(len(rows), -1)
    return krippendorff_alpha(matrix, Level.NOMINAL, values=list(range(len(categories))))
