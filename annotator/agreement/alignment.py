"""Which spans of different analysts are the same unit: one-to-one maximum matching on overlap.

Used by the F1 metrics, the alpha of labels and scores on aligned units, majority votes and the review page.
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from annotator.agreement.matching import sparse_maximum_matching
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


def edges(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *, match: Match = Match.OVERLAP,
          same_label: bool = True) -> list[tuple[int, int, float]]:
    """Every (i, j, weight) with pair_weight > 0, found by a sweep over start offsets (no all-pairs loop)."""
    if not first or not second:
        return []
    if match == Match.EXACT:
        where: dict[tuple[int, int] | tuple[int, int, str], list[int]] = {}
        for j, b in enumerate(second):
            where.setdefault((b.start, b.end, b.label) if same_label else (b.start, b.end), []).append(j)
        return [(i, j, 1.0) for i, a in enumerate(first)
                for j in where.get((a.start, a.end, a.label) if same_label else (a.start, a.end), [])]
    order = sorted(range(len(second)), key=lambda j: second[j].start)
    starts = [second[j].start for j in order]
    longest = max(b.end - b.start for b in second)
    found: list[tuple[int, int, float]] = []
    for i, a in enumerate(first):
        for position in range(bisect_left(starts, a.start - longest + 1), bisect_left(starts, a.end)):
            j = order[position]
            b = second[j]
            if b.end > a.start and (not same_label or a.label == b.label):
                shared = min(a.end, b.end) - max(a.start, b.start)
                found.append((i, j, shared / (max(a.end, b.end) - min(a.start, b.start))))
    return found


def match_spans(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *, match: Match = Match.OVERLAP,
                same_label: bool = True) -> list[tuple[int, int]]:
    """Indices (i, j) of matched spans, one-to-one, a maximum matching (most pairs, then most overlap)."""
    return sparse_maximum_matching(edges(first, second, match=match, same_label=same_label))


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


def align_spans(spans: Sequence[AnnotatedSpan], *, match: Match = Match.OVERLAP,
                same_label: bool = False) -> list[Unit]:
    """Group the spans of several analysts on one article into units.

    Analysts are taken in name order. The first analyst's spans start one unit each; each next analyst's
    spans are matched to the units so far by a maximum matching (an edge where the span overlaps, or for
    EXACT equals, any span of the unit, weighted by the best such overlap; with ``same_label`` also of the
    same label), and unmatched spans start new units. The result is deterministic, sorted by (start, end).
    """
    by_analyst: dict[str, list[AnnotatedSpan]] = {}
    for span in sorted(spans, key=lambda s: (s.analyst, s.start, s.end, s.label)):
        by_analyst.setdefault(span.analyst, []).append(span)
    units: list[Unit] = []
    placed: list[AnnotatedSpan] = []   # every span in a unit so far
    unit_of: list[int] = []            # the unit of each placed span
    for analyst in sorted(by_analyst):
        own = by_analyst[analyst]
        best: dict[tuple[int, int], float] = {}
        for i, member, weight in edges(own, placed, match=match, same_label=same_label):
            key = (i, unit_of[member])
            if weight > best.get(key, 0.0):
                best[key] = weight
        matched = dict(sparse_maximum_matching([(i, unit, weight) for (i, unit), weight in best.items()]))
        for index, span in enumerate(own):
            if index in matched:
                units[matched[index]].spans[analyst] = span
                unit_of.append(matched[index])
            else:
                units.append(Unit({analyst: span}))
                unit_of.append(len(units) - 1)
            placed.append(span)
    return sorted(units, key=lambda unit: (unit.start, unit.end, unit.analysts))


def align_article(spans_by_analyst: Mapping[str, Sequence[AnnotatedSpan]], **options: object) -> list[Unit]:
    """align_spans over a mapping analyst -> spans."""
    return align_spans([span for spans in spans_by_analyst.values() for span in spans], **options)  # type: ignore[arg-type]
