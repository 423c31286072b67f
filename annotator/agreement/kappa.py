"""Cohen's kappa for two analysts (unweighted, linear or quadratic weights) and Fleiss' kappa."""

from collections.abc import Hashable, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from annotator.agreement.records import Estimate


class Weights(StrEnum):
    NONE = "none"
    LINEAR = "linear"
    QUADRATIC = "quadratic"


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable], *, weights: Weights | str = Weights.NONE,
                categories: Sequence[Hashable] | None = None) -> Estimate:
    """Kappa of two analysts' categories for the same units, in order.

    ``categories`` declares the ordered scale (required for meaningful weights: e.g. 1..5 whether used or
    not); by default the sorted values seen. Weighted kappa = 1 - sum(v * observed) / sum(v * expected)
    with disagreement weights v = |i - j| / (k - 1) (linear) or its square (quadratic).
    """
    if len(first) != len(second):
        raise ValueError("both analysts must rate the same units")
    if not first:
        return Estimate.undefined("no units rated by both analysts")
    scale = list(categories) if categories is not None else sorted(set(first) | set(second), key=str)
    index = {category: position for position, category in enumerate(scale)}
    k = len(scale)
    observed = np.zeros((k, k))
    np.add.at(observed, ([index[a] for a in first], [index[b] for b in second]), 1.0)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    positions = np.arange(k)
    gap = np.abs(np.subtract.outer(positions, positions)) / max(k - 1, 1)
    disagreement = {
        Weights.NONE: (gap > 0).astype(float),
        Weights.LINEAR: gap,
        Weights.QUADRATIC: gap ** 2,
    }[Weights(weights)]
    chance = float((disagreement * expected).sum())
    if chance == 0:
        return Estimate.undefined("no variation: chance disagreement is zero")
    return Estimate(1.0 - float((disagreement * observed).sum()) / chance)


def fleiss_kappa(table: npt.ArrayLike) -> Estimate:
    """Fleiss' kappa from a subjects x categories table of how many raters chose each category.

    Every subject must have the same number of raters (Fleiss 1971).
    """
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2 or counts.shape[0] == 0:
        return Estimate.undefined("no subjects")
    raters = counts.sum(axis=1)
    if not np.all(raters == raters[0]):
        raise ValueError("every subject needs the same number of raters")
    n = raters[0]
    if n < 2:
        return Estimate.undefined("Fleiss' kappa needs two or more raters per subject")
    per_subject = ((counts ** 2).sum(axis=1) - n) / (n * (n - 1))
    proportions = counts.sum(axis=0) / counts.sum()
    chance = float((proportions ** 2).sum())
    if chance == 1:
        return Estimate.undefined("no variation: every rating is in one category")
    return Estimate((float(per_subject.mean()) - chance) / (1.0 - chance))
