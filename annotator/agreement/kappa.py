"""Cohen's kappa for two analysts (unweighted, linear or quadratic weights) and Fleiss' kappa for many."""

from collections.abc import Hashable, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from annotator.agreement.records import Estimate


class Weights(StrEnum):
    """Disagreement weights of Cohen's kappa on an ordered scale."""

    NONE = "none"
    LINEAR = "linear"
    QUADRATIC = "quadratic"


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable], *,
                weights: Weights | str = Weights.NONE,
                categories: Sequence[Hashable] | None = None) -> Estimate:
    """Cohen's kappa of two analysts' categories for the same units, in the same order.

    ``categories`` declares the ordered scale: for credibility the project's levels (1..5 whether used or
    not), which the weights need; by default the sorted values seen. Weighted kappa is
    1 - sum(v * observed) / sum(v * expected) with disagreement weights v = |i - j| / (k - 1) (linear) or
    its square (quadratic), i and j positions on the declared scale (Cohen 1968); unweighted v = [i != j].

    Undefined with no units, or when chance disagreement is zero (both analysts used one category only).
    Raises ValueError when the sequences differ in length or hold a value outside ``categories``.
    """
    if len(first) != len(second):
        raise ValueError("both analysts must rate the same units")
    if not first:
        return Estimate.undefined("no units rated by both analysts")
    scale = list(categories) if categories is not None else sorted({*first, *second}, key=repr)
    index = {category: position for position, category in enumerate(scale)}
    unknown = {value for value in (*first, *second) if value not in index}
    if unknown:
        raise ValueError(f"values outside the declared categories: {sorted(unknown, key=repr)}")
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
    if chance <= 0:
        return Estimate.undefined("no variation: chance disagreement is zero")
    return Estimate(1.0 - float((disagreement * observed).sum()) / chance)


def fleiss_kappa(table: npt.ArrayLike) -> Estimate:
    """Fleiss' kappa (Fleiss 1971) from a subjects x categories table of how many raters chose each.

    Every subject needs the same number of raters (ValueError otherwise). Undefined with no subjects,
    fewer than two raters per subject, or when every rating falls in one category.
    """
    counts = np.asarray(table, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] == 0 or counts.shape[1] == 0:
        return Estimate.undefined("no subjects")
    raters = counts.sum(axis=1)
    if not np.all(raters == raters[0]):
        raise ValueError("every subject needs the same number of raters")
    n = float(raters[0])
    if n < 2:
        return Estimate.undefined("Fleiss' kappa needs two or more raters per subject")
    per_subject = ((counts ** 2).sum(axis=1) - n) / (n * (n - 1))
    proportions = counts.sum(axis=0) / counts.sum()
    chance = float((proportions ** 2).sum())
    if chance >= 1:
        return Estimate.undefined("no variation: every rating is in one category")
    return Estimate((float(per_subject.mean()) - chance) / (1.0 - chance))
