"""Span agreement between two analysts as precision, recall and F1 (exact or overlap match)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from annotator.agreement.alignment import Match, match_spans
from annotator.agreement.records import AnnotatedSpan


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched pairs (tp), spans only the first analyst has (fp) and only the second has (fn).

    Taking the first analyst as the reference swaps fp and fn; F1 is the same either way.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2tp / (2tp + fp + fn); None (undefined) when neither analyst marked anything."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def to_dict(self) -> dict[str, float | int | None]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall,
                "f1": self.f1}


def span_counts(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *,
                match: Match = Match.OVERLAP) -> Counts:
    """TP/FP/FN of two analysts' spans on one article: same label and (exact: same offsets; overlap:
    sharing a character), paired one-to-one by a maximum matching."""
    pairs = match_spans(first, second, match=match, same_label=True)
    return Counts(len(pairs), len(first) - len(pairs), len(second) - len(pairs))


def span_counts_by_label(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *,
                         match: Match = Match.OVERLAP) -> dict[str, Counts]:
    """span_counts for each label separately (labels either analyst used)."""
    labels = sorted({span.label for span in (*first, *second)})
    return {
        label: span_counts([s for s in first if s.label == label], [s for s in second if s.label == label],
                           match=match)
        for label in labels
    }


def pairwise_counts(articles: Iterable[Mapping[str, Sequence[AnnotatedSpan]]], *,
                    match: Match = Match.OVERLAP) -> dict[tuple[str, str], Counts]:
    """Counts summed over articles for every pair of analysts who both annotated an article."""
    totals: dict[tuple[str, str], Counts] = {}
    for spans_by_analyst in articles:
        for a, b in combinations(sorted(spans_by_analyst), 2):
            totals[(a, b)] = totals.get((a, b), Counts()) + span_counts(
                spans_by_analyst[a], spans_by_analyst[b], match=match)
    return totals
