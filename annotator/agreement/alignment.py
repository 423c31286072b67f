"""Which spans of different analysts are the same unit: one-to-one maximum matching on overlap.

Used by the F1 metrics, the alpha of labels and scores on aligned units, majority votes and the review page.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from annotator.agreement.matching import maximum_matching
from annotator.agreement.records import AnnotatedSpan


class Match(StrEnum):
    EXACT = "exact"      # same start and end (and label when labels must agree)
    OVERLAP = "overlap"  # at least one shared character


def pair_weight(a: AnnotatedSpan, b: AnnotatedSpan, match: Match, same_label: bool) -> float:
    """Weight of the edge between two spans: 0 for no edge, else overlap / union in (0, 1]."""
    if same_label and a.label != b.label:
        return 0.0
    if match == Match.EXACT:
        return 1.0 if (a.start, a.end) == (b.start, b.end) else 0.0
    shared = a.overlap(b)
    if shared == 0:
        return 0.0
    return shared / (max(a.end, b.end) - min(a.start, b.start))


def match_spans(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *, match: Match = Match.OVERLAP,
                same_label: bool = True) -> list[tuple[int, int]]:
    """Indices (i, j) of matched spans, one-to-one, a maximum matching (most pairs, then most overlap)."""
    if not first or not second:
        return []
    weights = np.array([[pair_weight(a, b, match, same_label) for b in second] for a in first], dtype=float)
    return maximum_matching(weights)


@dataclass(slots=True)
class Unit:
    """Spans of different analysts taken as the same unit; at most one span per analyst."""

    spans: dict[str, AnnotatedSpan] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return min(span.start for span in self.spans.values())

    @property
    def end(self) -> int:
        return max(span.end for span in self.spans.values())

    @property
    def analysts(self) -> list[str]:
        return sorted(self.spans)

    def majority_label(self) -> str:
        counts = Counter(span.label for span in self.spans.values())
        return min(counts, key=lambda label: (-counts[label], label))


def _unit_weight(span: AnnotatedSpan, unit: Unit, match: Match, same_label: bool) -> float:
    return max(pair_weight(span, member, match, same_label) for member in unit.spans.values())


def align_spans(spans: Sequence[AnnotatedSpan], *, match: Match = Match.OVERLAP,
                same_label: bool = False) -> list[Unit]:
    """Group the spans of several analysts on one article into units.

    Analysts are taken in name order. The first analyst's spans start one unit each; each next analyst's
    spans are matched to the units so far by a maximum matching (an edge where the span overlaps, or for
    EXACT equals, any span of the unit; with ``same_label`` also of the same label), and unmatched spans
    start new units. The result is deterministic and sorted by (start, end).
    """
    by_analyst: dict[str, list[AnnotatedSpan]] = {}
    for span in sorted(spans, key=lambda s: (s.analyst, s.start, s.end, s.label)):
        by_analyst.setdefault(span.analyst, []).append(span)
    units: list[Unit] = []
    for analyst in sorted(by_analyst):
        own = by_analyst[analyst]
        weights = np.array([[_unit_weight(span, unit, match, same_label) for unit in units] for span in own],
                           dtype=float).reshape(len(own), len(units))
        matched = dict(maximum_matching(weights)) if units else {}
        for index, span in enumerate(own):
            if index in matched:
                units[matched[index]].spans[analyst] = span
            else:
                units.append(Unit({analyst: span}))
    return sorted(units, key=lambda unit: (unit.start, unit.end, unit.analysts))


def align_article(spans_by_analyst: Mapping[str, Sequence[AnnotatedSpan]], **options: object) -> list[Unit]:
    """align_spans over a mapping analyst -> spans."""
    return align_spans([span for spans in spans_by_analyst.values() for span in spans], **options)  # type: ignore[arg-type]
