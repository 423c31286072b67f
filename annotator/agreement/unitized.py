"""Krippendorff's unitized alpha (the alpha-U of Krippendorff 2004) for labelled spans on a text continuum.

Positions and labels are judged together without aligning spans first. Per category c, each analyst's
annotation cuts the continuum [begin, begin + length) into sections: their c-spans and the gaps between
them. With m analysts and N_c c-spans in all (Krippendorff, Content Analysis, 2nd ed. 2004, pp. 251-256):

    D_o(c) = 2 * sum over analyst pairs i < j, over intersecting sections g of i and h of j of d(g, h)
             / (m (m - 1) L^2)
    d(g, h) = (b_g - b_h)^2 + (e_g - e_h)^2  when both are c-spans that overlap,
              l_g^2 when c-span g lies inside gap h (and l_h^2 the other way round), else 0
    D_e(c) = (2 / L) * sum over c-spans u [ (N_c - 1)(2 l^3 - 3 l^2 + l) / 3
                                            + l^2 * sum over gaps x with l_x >= l of (l_x - l + 1) ]
             / (m L (m L - 1) - sum over c-spans u of l (l - 1))

alpha(c) = 1 - D_o(c) / D_e(c); over all categories alpha = 1 - sum_c D_o(c) / sum_c D_e(c), as in
DKPro Statistics' implementation of the same formulas. An analyst's overlapping spans of one category
are first joined into one span (the formulas assume a partition). Spans are (start, end, label).
"""

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

from annotator.agreement.records import Estimate

Section = tuple[int, int, bool]  # begin, length, is a span of the category (False: a gap)


@dataclass(frozen=True, slots=True)
class CategoryFigures:
    observed: float
    expected: float

    @property
    def alpha(self) -> Estimate:
        if self.expected <= 0:
            return Estimate.undefined("no expected disagreement for this category")
        return Estimate(1.0 - self.observed / self.expected)


def _joined(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _sections(spans: Sequence[tuple[int, int]], begin: int, end: int) -> list[Section]:
    sections: list[Section] = []
    position = begin
    for start, stop in spans:
        if start > position:
            sections.append((position, start - position, False))
        sections.append((start, stop - start, True))
        position = stop
    if position < end:
        sections.append((position, end - position, False))
    return sections


def distance(g: Section, h: Section) -> float:
    """Squared distance between section g of one analyst and section h of another."""
    begin_g, length_g, unit_g = g
    begin_h, length_h, unit_h = h
    shift = begin_g - begin_h
    if unit_g and unit_h and -length_g < shift < length_h:
        return float(shift ** 2 + (shift + length_g - length_h) ** 2)
    if unit_g and not unit_h and 0 <= shift <= length_h - length_g:
        return float(length_g ** 2)
    if not unit_g and unit_h and length_h - length_g <= shift <= 0:
        return float(length_h ** 2)
    return 0.0


def _observed(partitions: Sequence[list[Section]], length: int) -> float:
    m = len(partitions)
    total = 0.0
    for i in range(m):
        for j in range(i + 1, m):
            # Both partitions cover the continuum without gaps, so walking them side by side meets every
            # intersecting pair of sections exactly once.
            first, second = partitions[i], partitions[j]
            a = b = 0
            while a < len(first) and b < len(second):
                g, h = first[a], second[b]
                total += distance(g, h)
                g_end, h_end = g[0] + g[1], h[0] + h[1]
                if g_end <= h_end:
                    a += 1
                if h_end <= g_end:
                    b += 1
    return 2.0 * total / (m * (m - 1) * length ** 2)


def _expected(partitions: Sequence[list[Section]], length: int) -> float:
    m = len(partitions)
    units = [section[1] for sections in partitions for section in sections if section[2]]
    gaps = sorted(section[1] for sections in partitions for section in sections if not section[2])
    tail_sums = list(accumulate(reversed(gaps)))[::-1] + [0]  # tail_sums[k] = sum(gaps[k:])
    n_c = len(units)
    total = 0.0
    for size in units:
        first_fitting = bisect_left(gaps, size)
        fitting = len(gaps) - first_fitting
        total += (n_c - 1) * (2 * size ** 3 - 3 * size ** 2 + size) / 3.0
        total += size ** 2 * (tail_sums[first_fitting] - (size - 1) * fitting)
    denominator = m * length * (m * length - 1) - sum(size * (size - 1) for size in units)
    return (2.0 / length) * total / denominator if denominator > 0 else 0.0


def category_figures(spans_by_analyst: Mapping[str, Sequence[tuple[int, int, str]]], category: str, *,
                     begin: int, length: int) -> CategoryFigures:
    """Observed and expected disagreement of one category on the continuum [begin, begin + length)."""
    partitions = [
        _sections(_joined([(s, e) for s, e, label in spans if label == category]), begin, begin + length)
        for _, spans in sorted(spans_by_analyst.items())
    ]
    return CategoryFigures(_observed(partitions, length), _expected(partitions, length))


def unitized_alpha(spans_by_analyst: Mapping[str, Sequence[tuple[int, int, str]]], *, length: int,
                   begin: int = 0, categories: Sequence[str] | None = None) -> tuple[Estimate, dict[str, Estimate]]:
    """Alpha-U over all categories and per category, for spans (start, end, label) of each analyst.

    Undefined with one analyst, an empty continuum, or when no category has a span.
    """
    if len(spans_by_analyst) < 2:
        return Estimate.undefined("unitized alpha needs two or more analysts"), {}
    if length <= 0:
        return Estimate.undefined("the text is empty"), {}
    used = sorted({label for spans in spans_by_analyst.values() for _, _, label in spans})
    names = list(categories) if categories is not None else used
    figures = {name: category_figures(spans_by_analyst, name, begin=begin, length=length)
               for name in names if name in used}
    if not figures:
        return Estimate.undefined("no analyst marked any span"), {}
    observed = sum(f.observed for f in figures.values())
    expected = sum(f.expected for f in figures.values())
    overall = Estimate(1.0 - observed / expected) if expected > 0 else Estimate.undefined("no expected disagreement")
    return overall, {name: f.alpha for name, f in figures.items()}
