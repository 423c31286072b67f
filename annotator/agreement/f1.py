"""Span agreement between two analysts as precision, recall and F1 (exact or overlap match).

A pair of spans matches when the labels agree and (exact) the offsets are the same or (overlap) they
share a character; spans are paired one-to-one by a maximum matching (matching.match_edges), so each
counts at most once. Since a match needs the same label, the matching over all labels is the union of
the per-label matchings: one matching gives the counts of every label.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np

from annotator.agreement.alignment import Match, weighted_edges
from annotator.agreement.matching import match_edges
from annotator.agreement.records import AnnotatedSpan, Estimate
from annotator.agreement.table import Ints, PairView, build_table, pair_view, sum_rows

NOTHING_MARKED = "neither analyst marked a span"
FIRST_MARKED_NOTHING = "the first analyst marked no span"
SECOND_MARKED_NOTHING = "the second analyst marked no span"


class CountsRow(TypedDict):
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched pairs (tp), spans only the first analyst has (fp) and only the second has (fn).

    Taking the second analyst as the reference swaps fp and fn: F1 is the same either way.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> Estimate:
        """tp / (tp + fp); undefined when the first analyst marked nothing."""
        marked = self.tp + self.fp
        return Estimate(self.tp / marked) if marked else Estimate.undefined(FIRST_MARKED_NOTHING)

    @property
    def recall(self) -> Estimate:
        """tp / (tp + fn); undefined when the second analyst marked nothing."""
        marked = self.tp + self.fn
        return Estimate(self.tp / marked) if marked else Estimate.undefined(SECOND_MARKED_NOTHING)

    @property
    def f1(self) -> Estimate:
        """2tp / (2tp + fp + fn); undefined when neither analyst marked anything."""
        total = 2 * self.tp + self.fp + self.fn
        return Estimate(2 * self.tp / total) if total else Estimate.undefined(NOTHING_MARKED)

    def to_dict(self) -> CountsRow:
        """Plain values; an undefined figure is None."""
        return _counts_row(self.tp, self.tp + self.fp, self.tp + self.fn)


def _counts_row(tp: int, first: int, second: int) -> CountsRow:
    """Counts as plain values from tp and how many spans each analyst marked (the properties' formulas)."""
    return {"tp": tp, "fp": first - tp, "fn": second - tp, "precision": tp / first if first else None,
            "recall": tp / second if second else None,
            "f1": 2 * tp / (first + second) if first + second else None}


@dataclass(frozen=True, slots=True)
class PairCounts:
    """Counts of every (article, analyst pair) group of a pair view, per label: arrays groups x labels."""

    view: PairView
    tp: Ints
    first: Ints   # spans of the first analyst
    second: Ints  # spans of the second analyst

    def summed(self, index: Ints, size: int) -> "PairCounts":
        """The counts added up by ``index`` (one entry per pair group) into ``size`` rows."""
        return PairCounts(self.view, *(sum_rows(values, index, size).astype(np.int64)
                                       for values in (self.tp, self.first, self.second)))

    def counts(self, row: int, label: int | None = None) -> Counts:
        """The Counts of one row, for one label or (None) all labels."""
        columns = slice(None) if label is None else label
        tp = int(self.tp[row, columns].sum())
        return Counts(tp, int(self.first[row, columns].sum()) - tp, int(self.second[row, columns].sum()) - tp)

    def rows(self) -> list[CountsRow]:
        """Counts(...).to_dict() of every row, all labels together, without building a Counts per row."""
        tp, first, second = (values.sum(axis=1).tolist() for values in (self.tp, self.first, self.second))
        return [_counts_row(t, f, s) for t, f, s in zip(tp, first, second, strict=True)]


def count_pairs(view: PairView) -> dict[Match, PairCounts]:
    """TP and span counts of every pair group of the view, per label, for exact and overlap matching.

    One edge search serves both: exact edges are the overlap edges with the same offsets.
    """
    table = view.table
    shape = (table.groups, len(table.labels))
    size = shape[0] * shape[1]
    cell = table.group * len(table.labels) + table.label
    is_first = table.analyst == view.first[table.group]
    left, right = np.flatnonzero(is_first), np.flatnonzero(~is_first)
    first = np.bincount(cell[left], minlength=size).reshape(shape)
    second = np.bincount(cell[right], minlength=size).reshape(shape)
    i, j, weight = weighted_edges(table, left, right, match=Match.OVERLAP, same_label=True)
    same = (table.start[i] == table.start[j]) & (table.end[i] == table.end[j])
    counted = {}
    for match, keep in ((Match.EXACT, same), (Match.OVERLAP, np.ones(len(i), dtype=bool))):
        matched = i[keep][match_edges(i[keep], j[keep], weight[keep])]
        tp = np.bincount(cell[matched], minlength=size).reshape(shape)
        counted[match] = PairCounts(view, tp, first, second)
    return counted


def span_counts(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *,
                match: Match = Match.OVERLAP) -> Counts:
    """TP/FP/FN of two analysts' spans on one article (analyst names in the spans are ignored)."""
    return sum(span_counts_by_label(first, second, match=match).values(), Counts())


def span_counts_by_label(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *,
                         match: Match = Match.OVERLAP) -> dict[str, Counts]:
    """span_counts for each label either analyst used, in label name order."""
    totals = pairwise_counts_by_label([{"0": _as("0", first), "1": _as("1", second)}], match=match)
    return totals.get(("0", "1"), {})


def _as(analyst: str, spans: Sequence[AnnotatedSpan]) -> list[AnnotatedSpan]:
    return [AnnotatedSpan(analyst, s.start, s.end, s.label, s.source, s.credibility) for s in spans]


def pairwise_counts_by_label(articles: Iterable[Mapping[str, Sequence[AnnotatedSpan]]], *,
                             match: Match = Match.OVERLAP) -> dict[tuple[str, str], dict[str, Counts]]:
    """Counts per analyst pair (a < b by name) and label, summed over the articles both annotated.

    Each article maps every analyst who annotated it to their spans (an empty list when they marked
    nothing: their partner's spans then count as unmatched).
    """
    table = build_table((spans_by_analyst.keys(), [s for spans in spans_by_analyst.values() for s in spans])
                         for spans_by_analyst in articles)
    counted = count_pairs(pair_view(table))[match]
    view = counted.view
    by_pair = counted.summed(view.pair, len(view.pairs))
    totals: dict[tuple[str, str], dict[str, Counts]] = {}
    labels = sorted((label, code) for code, label in enumerate(table.labels))
    for row, (first, second) in enumerate(view.pairs):
        totals[(table.analysts[first], table.analysts[second])] = {
            label: by_pair.counts(row, code) for label, code in labels
            if by_pair.first[row, code] or by_pair.second[row, code]
        }
    return totals


def pairwise_counts(articles: Iterable[Mapping[str, Sequence[AnnotatedSpan]]], *,
                    match: Match = Match.OVERLAP) -> dict[tuple[str, str], Counts]:
    """Counts per analyst pair (a < b by name), all labels, summed over the articles both annotated."""
    return {pair: sum(by_label.values(), Counts())
            for pair, by_label in pairwise_counts_by_label(articles, match=match).items()}


def f1_matrix(counts: Mapping[tuple[str, str], Counts]) -> dict[str, dict[str, Estimate]]:
    """The analyst x analyst F1 matrix (symmetric) from pairwise_counts; pairs never compared are absent."""
    matrix: dict[str, dict[str, Estimate]] = {}
    for (a, b), pair in sorted(counts.items()):
        matrix.setdefault(a, {})[b] = pair.f1
        matrix.setdefault(b, {})[a] = pair.f1
    return matrix
