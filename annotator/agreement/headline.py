"""The headline agreement figures of a project (those a dataset card quotes), gathered article by article
in bounded memory.

Each figure is a sum over articles, so batches of articles add up to what agreement.report computes over
the whole project at once: F1 from tp and the two analysts' span counts; alpha from its coincidences and
marginals (alpha.coincidences), ordinal distances taken from the final marginals; unitized alpha as a
length-weighted mean of per-article values. Only one batch of articles is held at a time.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.agreement import alpha, unitized
from annotator.agreement.alignment import Match
from annotator.agreement.f1 import count_pairs
from annotator.agreement.report import (
    ArticleAnnotations,
    article_score_counts,
    label_counts,
    scale_levels,
    units_of,
)
from annotator.agreement.table import Floats, build_table, pair_view

BATCH = 2000  # articles per batch: a few MB of numpy columns


@dataclass(frozen=True, slots=True)
class Headline:
    """The overall figures of agreement.report; None where the figure is undefined."""

    articles: int                # articles read
    compared: int                # articles with two or more analysts, over which every figure is computed
    overlap_f1: float | None     # micro F1, spans paired by overlap
    exact_f1: float | None       # micro F1, spans paired by exact offsets
    label_alpha: float | None    # nominal, a missed span counting as the category "none"
    unitized_alpha: float | None  # per article, mean weighted by article length
    span_credibility_alpha: float | None     # ordinal, on the declared scale
    article_credibility_alpha: float | None  # ordinal, on the declared scale


@dataclass(slots=True)
class _Sums:
    """Coincidences and marginals of alpha, added up batch by batch over a domain that may grow."""

    keys: list[object] = field(default_factory=list)
    products: Floats = field(default_factory=lambda: np.zeros((0, 0)))
    marginals: Floats = field(default_factory=lambda: np.zeros(0))

    def add(self, counts: Floats, keys: Sequence[object]) -> None:
        """Add units' value counts (units x values), the values named by ``keys``."""
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
                self.products = np.pad(self.products, ((0, 1), (0, 1)))
                self.marginals = np.pad(self.marginals, (0, 1))
        index = np.array([self.keys.index(key) for key in keys], dtype=np.int64)
        products, marginals = alpha.coincidences(counts, len(keys))
        self.products[np.ix_(index, index)] += products
        self.marginals[index] += marginals

    def alpha(self, level: alpha.Level, domain: Sequence[float] | None = None) -> float | None:
        values = np.arange(len(self.keys), dtype=np.float64) if domain is None else np.asarray(domain, float)
        return alpha.alpha_from_coincidences(self.products, self.marginals, values, level).value


class HeadlineTally:
    """Takes a project's articles one by one (``add``) and gives the Headline (``figures``).

    ``scale`` is the declared credibility scale (min, max), ``labels`` the project's label keys.
    """

    def __init__(self, *, scale: tuple[int, int], labels: Sequence[str], batch: int = BATCH) -> None:
        self.low, self.high = scale
        self.labels = list(labels)
        self.size = batch
        self.batch: list[tuple[list[str], ArticleAnnotations]] = []
        self.articles = self.compared = 0
        self.pairs = {Match.EXACT: np.zeros(3, dtype=np.int64), Match.OVERLAP: np.zeros(3, dtype=np.int64)}
        self.label_sums, self.span_sums, self.article_sums = _Sums(), _Sums(), _Sums()
        levels = list(range(self.low, self.high + 1))
        for sums in (self.span_sums, self.article_sums):
            sums.add(np.zeros((0, len(levels))), levels)
        self.unitized_weighted = 0.0
        self.unitized_weight = 0

    def add(self, article: ArticleAnnotations) -> None:
        """Count one article (those with fewer than two analysts are read but not compared)."""
        self.articles += 1
        names = article.analysts
        if len(names) >= 2:
            self.batch.append((names, article))
            if len(self.batch) >= self.size:
                self._flush()

    def figures(self) -> Headline:
        self._flush()
        levels = np.arange(self.low, self.high + 1, dtype=np.float64)
        exact, overlap = (_f1(*self.pairs[match]) for match in (Match.EXACT, Match.OVERLAP))
        return Headline(
            articles=self.articles, compared=self.compared, overlap_f1=overlap, exact_f1=exact,
            label_alpha=self.label_sums.alpha(alpha.Level.NOMINAL),
            unitized_alpha=self.unitized_weighted / self.unitized_weight if self.unitized_weight else None,
            span_credibility_alpha=self.span_sums.alpha(alpha.Level.ORDINAL, levels),
            article_credibility_alpha=self.article_sums.alpha(alpha.Level.ORDINAL, levels),
        )

    def _flush(self) -> None:
        """Fold the batch into the sums, the same computations as agreement.report.build_report."""
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        self.compared += len(batch)
        low, high = self.low, self.high
        table = build_table(((names, article.spans) for names, article in batch), labels=self.labels)
        coders = table.coders()
        lengths = np.array([article.length for _, article in batch], dtype=np.int64)

        units = units_of(table)
        self.label_sums.add(label_counts(table, units, coders[units.group]), [*table.labels, None])
        scored = np.flatnonzero(~np.isnan(table.credibility))
        level = scale_levels(table.credibility[scored], low, high)
        width = high - low + 1
        unit_scores = np.bincount(units.of_row[scored] * width + level, minlength=units.count * width)
        self.span_sums.add(unit_scores.reshape(units.count, width), list(range(low, high + 1)))
        scores = [{name: article.scores.get(name) for name in names} for names, article in batch]
        self.article_sums.add(article_score_counts(scores, table.analysts, low, high)[0], list(range(low, high + 1)))

        counted = count_pairs(pair_view(table))
        for match, counts in counted.items():
            self.pairs[match] += [int(counts.tp.sum()), int(counts.first.sum()), int(counts.second.sum())]

        if table.size:
            disagreement = unitized.unitized_disagreement(table, lengths=lengths)
            for estimate, length in zip(unitized.joint_alphas(disagreement, coders=coders, lengths=lengths),
                                        lengths.tolist(), strict=True):
                if estimate.value is not None:
                    self.unitized_weighted += estimate.value * length
                    self.unitized_weight += length


def _f1(tp: int, first: int, second: int) -> float | None:
    """2 tp / (spans of the first + spans of the second analyst), summed over pairs and articles."""
    return 2 * int(tp) / int(first + second) if first + second else None
