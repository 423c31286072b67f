"""Krippendorff's unitized alpha (alpha-U) for labelled spans on a text continuum, per category and joint.

The 2004 formulation for continuous data (Krippendorff, "Measuring the reliability of qualitative text
analysis data", Quality & Quantity 38, 2004, 787-800; Content Analysis, 2nd ed., 2004, pp. 251-256; the
1995 alpha-U of Sociological Methodology 25). Positions and labels are judged together, without aligning
spans first. For each category c, every analyst's annotation cuts the continuum [begin, begin + L) into
sections: their c-spans and the gaps between them (a gap is everything not in a c-span of that analyst,
spans of other categories included; an analyst who marked no c-span has one gap of length L). With m
analysts (everyone who submitted, with or without spans), b and e a section's begin and end, l = e - b:

    D_o(c) = 2 / (m (m - 1) L^2) * sum over analyst pairs, over intersecting sections g, h of d(g, h)
        d(g, h) = (b_g - b_h)^2 + (e_g - e_h)^2  for two overlapping c-spans,
                  l_g^2  for a c-span g lying inside a gap h of the other analyst, else 0
    D_e(c) = (2 / L) * sum over all c-spans u [ (N_c - 1) (2 l_u^3 - 3 l_u^2 + l_u) / 3
                                        + l_u^2 * sum over all gaps x with l_x >= l_u of (l_x - l_u + 1) ]
             / (m L (m L - 1) - sum over c-spans of l_u (l_u - 1))

with N_c the number of c-spans of all analysts. alpha(c) = 1 - D_o(c) / D_e(c) is the category-specific
alpha-U; the joint alpha over categories is 1 - sum_c D_o(c) / sum_c D_e(c), as DKPro Statistics'
KrippendorffAlphaUnitizingAgreement computes it. This is neither of the |cu-alpha variants of Krippendorff
et al. (2016, Quality & Quantity 50), which code categories within the units only.

Sections: the formulas assume each analyst's c-spans do not overlap, so an analyst's overlapping spans of
one category are first joined into one; spans that only touch stay two sections with no gap between.

Undefined (with the reason): fewer than two analysts, an empty continuum, no c-span at all, or no
expected disagreement. A category nobody used has no figure of its own and adds nothing to the joint one.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement.alignment import overlap_edges
from annotator.agreement.records import AnnotatedSpan, Estimate
from annotator.agreement.table import (
    Bools,
    Floats,
    Ints,
    SpanTable,
    build_table,
    distinct,
    order_by,
    segment_starts,
)

TOO_FEW = "unitized alpha needs two or more analysts"
EMPTY = "the text is empty"
NOTHING_MARKED = "no analyst marked any span"
NO_CHANCE = "no expected disagreement"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """D_o(c) and D_e(c) of every group (rows) and category (columns); ``marked``: some analyst used c."""

    observed: Floats
    expected: Floats
    marked: Bools


@dataclass(frozen=True, slots=True)
class UnitizedAlpha:
    """The joint alpha-U of all categories and the alpha-U of each category any analyst used."""

    overall: Estimate
    by_category: dict[str, Estimate]


def _joined(table: SpanTable) -> SpanTable:
    """Each analyst's overlapping spans of one category joined into one span (one row per section)."""
    cell = (table.group * len(table.analysts) + table.analyst) * len(table.labels) + table.label
    stride = int(table.end.max()) + 1
    order = order_by((cell, table.groups * len(table.analysts) * len(table.labels)), (table.start, stride),
                     (table.end, stride))
    cell, start, end = cell[order], table.start[order], table.end[order]
    reach = np.maximum.accumulate(cell * stride + end)  # the furthest end so far, keyed by cell
    fresh = segment_starts(cell)
    fresh[1:] |= cell[1:] * stride + start[1:] >= reach[:-1]
    firsts = np.flatnonzero(fresh)
    rows = order[firsts]
    ends = np.maximum.reduceat(end, firsts)
    return SpanTable(table.group[rows], table.analyst[rows], table.start[rows], ends, table.label[rows],
                     np.full(len(rows), -1, dtype=np.int64), np.full(len(rows), np.nan), rows,
                     table.submitted, table.analysts, table.labels, table.sources)


def unitized_disagreement(table: SpanTable, *, lengths: Ints, begins: Ints | None = None) -> Disagreement:
    """D_o(c) and D_e(c) of every group of the table on its continuum [begins[g], begins[g] + lengths[g]).

    m is the number of analysts who submitted the group. Raises ValueError for a span outside its
    continuum. Groups with fewer than two analysts or an empty continuum get zeros (see unitized_alpha).
    """
    groups, categories = table.groups, len(table.labels)
    begins = np.zeros(groups, dtype=np.int64) if begins is None else np.asarray(begins, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    observed = np.zeros((groups, categories))
    expected = np.zeros((groups, categories))
    marked = np.zeros((groups, categories), dtype=bool)
    if table.size == 0:
        return Disagreement(observed, expected, marked)
    if np.any(table.start < begins[table.group]) or np.any(table.end > (begins + lengths)[table.group]):
        raise ValueError("a span lies outside its text")
    units = _joined(table)
    coders = table.coders().astype(np.float64)
    m, length = coders[units.group], lengths[units.group].astype(np.float64)
    size = (units.end - units.start).astype(np.float64)
    cell = units.group * categories + units.label
    cells = groups * categories

    # Observed: overlapping c-spans of two analysts, and c-spans inside another analyst's gap.
    i, j = overlap_edges(units, np.arange(units.size), np.arange(units.size), same_label=True)
    apart = ((units.start[i] - units.start[j]) ** 2 + (units.end[i] - units.end[j]) ** 2).astype(np.float64)
    met = distinct(i * len(units.analysts) + units.analyst[j])  # (span, other analyst) pairs that overlap
    met_analysts = np.bincount(met // len(units.analysts), minlength=units.size)
    inside_gaps = size ** 2 * (m - 1 - met_analysts)
    pair_sum = np.bincount(cell[i], weights=apart, minlength=cells) / 2.0 + \
        np.bincount(cell, weights=inside_gaps, minlength=cells)

    # Gaps of analysts with c-spans: before the first, between two, after the last (length > 0 only).
    owner = (units.group * len(units.analysts) + units.analyst) * categories + units.label
    order = order_by((owner, groups * len(units.analysts) * categories),
                     (units.start, int(units.end.max()) + 1))
    owner_sorted, start_sorted, end_sorted = owner[order], units.start[order], units.end[order]
    first = segment_starts(owner_sorted)
    last = np.ones(units.size, dtype=bool)
    last[:-1] = first[1:]
    text_begin, text_end = begins[units.group[order]], (begins + lengths)[units.group[order]]
    previous_end = np.where(first, text_begin, np.concatenate([[0], end_sorted[:-1]]))
    gap = np.concatenate([start_sorted - previous_end, (text_end - end_sorted)[last]])
    gap_cell = np.concatenate([cell[order], cell[order][last]])
    gap_cell, gap = gap_cell[gap > 0], gap[gap > 0]
    # Per span: the sum over gaps at least as long of (gap - l + 1), from prefix sums over sorted gaps.
    stride = int(max(gap.max(initial=0), size.max())) + 2
    gap_order = np.argsort(gap_cell * stride + gap, kind="stable")
    gap_key = (gap_cell * stride + gap)[gap_order]
    prefix = np.concatenate([[0.0], np.cumsum(gap[gap_order].astype(np.float64))])
    low = np.searchsorted(gap_key, cell * stride + size.astype(np.int64), "left")
    high = np.searchsorted(gap_key, (cell + 1) * stride, "left")
    fitting = (prefix[high] - prefix[low]) - (size - 1.0) * (high - low)
    owners = distinct(owner)
    with_spans = np.bincount(owners // categories // len(units.analysts) * categories + owners % categories,
                             minlength=cells)
    full_gaps = coders.repeat(categories) - with_spans  # analysts with no c-span: one gap of length L
    fitting += full_gaps[cell] * (length - size + 1.0)
    count = np.bincount(cell, minlength=cells).astype(np.float64)
    per_span = (count[cell] - 1.0) * (2 * size ** 3 - 3 * size ** 2 + size) / 3.0 + size ** 2 * fitting
    total = np.bincount(cell, weights=per_span, minlength=cells)
    squares = np.bincount(cell, weights=size * (size - 1.0), minlength=cells)

    m_cells = coders.repeat(categories)
    l_cells = lengths.astype(np.float64).repeat(categories)
    usable = (m_cells >= 2) & (l_cells > 0) & (count > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_o = np.where(usable, 2.0 * pair_sum / (m_cells * (m_cells - 1.0) * l_cells ** 2), 0.0)
        denominator = m_cells * l_cells * (m_cells * l_cells - 1.0) - squares
        d_e = np.where(usable & (denominator > 0), (2.0 / l_cells) * total / denominator, 0.0)
    return Disagreement(d_o.reshape(groups, categories), d_e.reshape(groups, categories),
                        (count > 0).reshape(groups, categories))


def joint_alphas(figures: Disagreement, *, coders: Ints, lengths: Ints) -> list[Estimate]:
    """The joint alpha-U of every group from its per-category disagreements (undefined cases named)."""
    estimates = []
    marked: list[bool] = (figures.marked.sum(axis=1) > 0).tolist()
    observed: list[float] = figures.observed.sum(axis=1).tolist()
    expected: list[float] = figures.expected.sum(axis=1).tolist()
    rows = zip(coders.tolist(), lengths.tolist(), marked, observed, expected, strict=True)
    for m, length, has_spans, seen, chance in rows:
        if m < 2:
            estimates.append(Estimate.undefined(TOO_FEW))
        elif length <= 0:
            estimates.append(Estimate.undefined(EMPTY))
        elif not has_spans:
            estimates.append(Estimate.undefined(NOTHING_MARKED))
        elif chance <= 0:
            estimates.append(Estimate.undefined(NO_CHANCE))
        else:
            estimates.append(Estimate(1.0 - seen / chance))
    return estimates


def unitized_alpha(spans: Sequence[AnnotatedSpan], *, length: int, begin: int = 0,
                   analysts: Collection[str] = ()) -> UnitizedAlpha:
    """Alpha-U of one text, joint and per category, for the spans of every analyst.

    ``analysts`` names analysts who took part but may have marked nothing (the spans' analysts count in
    any case); the continuum is [begin, begin + length) in code points. Raises ValueError for a span
    outside it.
    """
    table = build_table([(analysts, spans)])
    figures = unitized_disagreement(table, lengths=np.array([max(length, 0)]), begins=np.array([begin]))
    overall = joint_alphas(figures, coders=table.coders(), lengths=np.array([length]))[0]
    if not overall.is_defined and overall.reason in (TOO_FEW, EMPTY):
        return UnitizedAlpha(overall, {})
    observed, expected, marked = figures.observed[0], figures.expected[0], figures.marked[0]
    by_category = {
        label: (Estimate(float(1.0 - observed[code] / expected[code])) if expected[code] > 0
                else Estimate.undefined(NO_CHANCE))
        for code, label in enumerate(table.labels) if marked[code]
    }
    return UnitizedAlpha(overall, dict(sorted(by_category.items())))
