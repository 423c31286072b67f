"""Consensus of several analysts' versions of a unit, and the majority layer of an article."""

import statistics
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from annotator.agreement.alignment import Match, align_spans
from annotator.agreement.records import AnnotatedSpan

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Consensus:
    """The agreed version of a unit and how many analysts' spans carry its label."""

    start: int
    end: int
    label: str
    source: str | None
    credibility: int | None
    support: int  # analysts whose spans agree on the label


def most_common(values: Sequence[T]) -> T:
    """The most frequent value; ties go to the one that comes first."""
    counts = Counter(values)
    best = max(counts.values())
    return next(value for value in values if counts[value] == best)


def median_score(scores: Sequence[int]) -> int | None:
    """The median, rounded half up (2.5 -> 3); None without scores."""
    return int(statistics.median(scores) + 0.5) if scores else None


def widest_common_extent(extents: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The extent most analysts chose; ties go to the widest, then the earliest."""
    counts = Counter(extents)
    best = max(counts.values())
    return max((e for e, n in counts.items() if n == best), key=lambda e: (e[1] - e[0], -e[0]))


def consensus(spans: Sequence[AnnotatedSpan]) -> Consensus:
    """Label: the most frequent; extent, source and score from the spans with that label: the most chosen
    extent (ties: the widest), the most frequent source, the median score. ``spans`` must not be empty."""
    label = most_common([s.label for s in spans])
    agreeing = [s for s in spans if s.label == label]
    start, end = widest_common_extent([(s.start, s.end) for s in agreeing])
    sources = [s.source for s in agreeing if s.source]
    scores = [s.credibility for s in agreeing if s.credibility is not None]
    return Consensus(start, end, label, most_common(sources) if sources else None, median_score(scores),
                     len(agreeing))


def majority_layer(spans: Sequence[AnnotatedSpan], *, min_agreeing: int) -> list[Consensus]:
    """The consensus of every unit (aligned by overlap, any label) where at least ``min_agreeing`` analysts
    agree on the label, in unit order."""
    kept = []
    for unit in align_spans(spans, match=Match.OVERLAP):
        agreed = consensus(list(unit.spans.values()))
        if agreed.support >= min_agreeing:
            kept.append(agreed)
    return kept
