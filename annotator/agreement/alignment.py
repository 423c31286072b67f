"""Which spans of different analysts are the same unit: one-to-one maximum matching on overlap.

Used by the F1 metrics, the alpha of labels and scores on aligned units, majority votes and the review page.

Method. Within an article, analysts are taken in name order. The first analyst's spans start one unit
each. Each next analyst's spans are matched to the units built so far: there is an edge between a span
and a unit when the span overlaps (shares a character with) any span of the unit, or for exact matching
has the same offsets; with ``same_label`` the label must agree too. The edge weighs the best overlap
with a member, as Jaccard overlap (shared characters / characters covered by either). The matching is a
maximum one, not greedy: as many spans as possible join a unit, then the largest total weight. Spans
left unmatched start new units. So a unit holds at most one span per analyst, and the result does not
depend on the order the spans are given in.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from annotator.agreement.matching import match_edges
from annotator.agreement.records import AnnotatedSpan
from annotator.agreement.table import (
    Floats,
    Ints,
    SpanTable,
    build_table,
    expand_ranges,
    order_by,
    segment_starts,
)


class Match(StrEnum):
    """When two spans can be the same unit."""

    EXACT = "exact"      # same start and end (and label when labels must agree)
    OVERLAP = "overlap"  # at least one shared character


@dataclass(frozen=True, slots=True)
class Unit:
    """Spans of different analysts taken as the same unit (at most one per analyst) and their extent."""

    start: int
    end: int
    spans: dict[str, AnnotatedSpan]

    @property
    def analysts(self) -> list[str]:
        return sorted(self.spans)

    def majority_label(self) -> str:
        """The most frequent label of the unit's spans; ties go to the label first in name order."""
        counts = Counter(span.label for span in self.spans.values())
        return min(counts, key=lambda label: (-counts[label], label))


def overlap_edges(table: SpanTable, left: Ints, right: Ints, *, same_label: bool) -> tuple[Ints, Ints]:
    """Row pairs (i from ``left``, j from ``right``) of the same group sharing at least one character.

    With ``same_label`` the labels must agree too. Two spans overlap exactly when one starts inside the
    other, so two range searches over sorted start offsets find every pair once and nothing else.
    """
    if len(left) == 0 or len(right) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    segment = table.group * len(table.labels) + table.label if same_label else table.group
    stride = int(table.end.max()) + 1
    start_key = segment * stride + table.start
    end_key = segment * stride + table.end
    right_sorted = right[np.argsort(start_key[right], kind="stable")]
    left_sorted = left[np.argsort(start_key[left], kind="stable")]
    # Needles in sorted order too: searchsorted is many times faster on them.
    # j starts within [i.start, i.end)
    owner, position = expand_ranges(np.searchsorted(start_key[right_sorted], start_key[left_sorted], "left"),
                                    np.searchsorted(start_key[right_sorted], end_key[left_sorted], "left"))
    i_first, j_first = left_sorted[owner], right_sorted[position]
    # i starts within (j.start, j.end)
    owner, position = expand_ranges(np.searchsorted(start_key[left_sorted], start_key[right_sorted], "right"),
                                    np.searchsorted(start_key[left_sorted], end_key[right_sorted], "left"))
    i_second, j_second = left_sorted[position], right_sorted[owner]
    i, j = np.concatenate([i_first, i_second]), np.concatenate([j_first, j_second])
    keep = i != j
    return i[keep], j[keep]


def weighted_edges(table: SpanTable, left: Ints, right: Ints, *, match: Match,
                   same_label: bool) -> tuple[Ints, Ints, Floats]:
    """overlap_edges with their Jaccard weight; for EXACT only pairs with the same offsets (weight 1)."""
    i, j = overlap_edges(table, left, right, same_label=same_label)
    if match == Match.EXACT:
        keep = (table.start[i] == table.start[j]) & (table.end[i] == table.end[j])
        i, j = i[keep], j[keep]
    shared = np.minimum(table.end[i], table.end[j]) - np.maximum(table.start[i], table.start[j])
    covered = np.maximum(table.end[i], table.end[j]) - np.minimum(table.start[i], table.start[j])
    return i, j, shared / covered


def analyst_rank(table: SpanTable) -> Ints:
    """Per row, the place of its analyst among the analysts with spans in its group (0, 1, ...)."""
    pair_key = table.group * len(table.analysts) + table.analyst
    pair_index = np.cumsum(segment_starts(pair_key)) - 1
    group_first = np.flatnonzero(segment_starts(table.group))
    first_pair_of_group = np.zeros(table.groups, dtype=np.int64)
    first_pair_of_group[table.group[group_first]] = pair_index[group_first]
    return pair_index - first_pair_of_group[table.group]


def align_table(table: SpanTable, *, match: Match = Match.OVERLAP, same_label: bool = False) -> Ints:
    """The unit of every row of the table, aligned group by group as the module docstring says.

    Units are numbered from 0 in order of (group, start, end, first analyst); every unit lies in one group.
    """
    rank = analyst_rank(table)
    unit = np.full(table.size, -1, dtype=np.int64)
    fresh = 0
    for step in range(int(rank.max()) + 1 if table.size else 0):
        newcomers = np.flatnonzero(rank == step)
        if step:
            i, j, weight = weighted_edges(table, newcomers, np.flatnonzero(rank < step), match=match,
                                          same_label=same_label)
            # One edge per (span, unit), weighing the best overlap with any of the unit's spans.
            pair = i * (fresh + 1) + unit[j]
            order = np.argsort(pair)
            firsts = np.flatnonzero(segment_starts(pair[order]))
            pair, weight = pair[order][firsts], np.maximum.reduceat(weight[order], firsts)
            i, target = pair // (fresh + 1), pair % (fresh + 1)
            chosen = match_edges(i, target, weight)
            unit[i[chosen]] = target[chosen]
        alone = newcomers[unit[newcomers] < 0]
        unit[alone] = np.arange(fresh, fresh + len(alone))
        fresh += len(alone)
    if not table.size:
        return unit
    unit_start = np.full(fresh, np.iinfo(np.int64).max)
    unit_end = np.zeros(fresh, dtype=np.int64)
    unit_analyst = np.full(fresh, np.iinfo(np.int64).max)
    np.minimum.at(unit_start, unit, table.start)
    np.maximum.at(unit_end, unit, table.end)
    np.minimum.at(unit_analyst, unit, table.analyst)
    unit_group = np.zeros(fresh, dtype=np.int64)
    unit_group[unit] = table.group
    renumbered = np.empty(fresh, dtype=np.int64)
    stride = int(table.end.max()) + 1
    renumbered[order_by((unit_group, table.groups), (unit_start, stride), (unit_end, stride),
                        (unit_analyst, len(table.analysts)))] = np.arange(fresh)
    return renumbered[unit]


def align_spans(spans: Sequence[AnnotatedSpan], *, match: Match = Match.OVERLAP,
                same_label: bool = False) -> list[Unit]:
    """Group the spans of several analysts on one article into units (see the module docstring).

    Returns every span in exactly one unit, units sorted by (start, end, analysts); [] without spans.
    """
    table = build_table([((), spans)])
    unit = align_table(table, match=match, same_label=same_label)
    members: list[dict[str, AnnotatedSpan]] = [{} for _ in range(int(unit.max()) + 1 if len(unit) else 0)]
    for row, origin in enumerate(table.origin.tolist()):
        span = spans[origin]
        members[unit[row]][span.analyst] = span
    units = [Unit(min(s.start for s in found.values()), max(s.end for s in found.values()), found)
             for found in members]
    return sorted(units, key=lambda u: (u.start, u.end, u.analysts))


def align_article(spans_by_analyst: Mapping[str, Sequence[AnnotatedSpan]], *, match: Match = Match.OVERLAP,
                  same_label: bool = False) -> list[Unit]:
    """align_spans over a mapping analyst -> spans."""
    return align_spans([span for spans in spans_by_analyst.values() for span in spans], match=match,
                       same_label=same_label)


def match_spans(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan], *,
                match: Match = Match.OVERLAP, same_label: bool = True) -> list[tuple[int, int]]:
    """Indices (i, j) of matched spans, one-to-one, a maximum matching (most pairs, then most overlap).

    The analyst names in the spans are ignored: ``first`` and ``second`` are the two sides. Sorted by i.
    """
    sides = [replace(span, analyst="0") for span in first] + [replace(span, analyst="1") for span in second]
    table = build_table([((), sides)])
    left, right = np.flatnonzero(table.analyst == 0), np.flatnonzero(table.analyst == 1)
    i, j, weight = weighted_edges(table, left, right, match=match, same_label=same_label)
    chosen = match_edges(i, j, weight)
    pairs = zip(table.origin[i[chosen]].tolist(), table.origin[j[chosen]].tolist(), strict=True)
    return sorted((a, b - len(first)) for a, b in pairs)
