"""Spans of many articles as numpy columns, so that alignment and metrics run over a project at once.

A table groups spans: a group is an article, or in a pair view one (article, analyst pair). Rows are
sorted by (group, analyst, start, end, label, source, credibility), with analysts, labels and sources
coded in a fixed order, so every result computed from a table is the same whatever the input order.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from annotator.agreement.records import AnnotatedSpan

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class SpanTable:
    """Columns of spans; ``submitted[g, a]`` says analyst a took part in group g (with or without spans).

    ``source`` is -1 for no source; ``credibility`` NaN for no score. ``origin`` is each row's position
    in the spans given to build_table, in the order given.
    """

    group: Ints
    analyst: Ints
    start: Ints
    end: Ints
    label: Ints
    source: Ints
    credibility: Floats
    origin: Ints
    submitted: Bools
    analysts: tuple[str, ...]
    labels: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.group)

    @property
    def groups(self) -> int:
        return int(self.submitted.shape[0])

    def coders(self) -> Ints:
        """How many analysts took part in each group."""
        coders: Ints = self.submitted.sum(axis=1).astype(np.int64)
        return coders

    def take(self, rows: Ints, group: Ints, submitted: Bools) -> "SpanTable":
        """The given rows regrouped: ``group`` is their new group, ``submitted`` the new groups' analysts.

        Within each new group the rows must come analyst by analyst in the canonical order (as rows of
        this table taken analyst by analyst do); only the groups are put in order.
        """
        by_group = np.argsort(group, kind="stable")
        order = rows[by_group]
        return SpanTable(group[by_group], self.analyst[order], self.start[order], self.end[order],
                         self.label[order], self.source[order], self.credibility[order], self.origin[order],
                         submitted, self.analysts, self.labels, self.sources)

    def sorted(self) -> "SpanTable":
        """The same rows in the canonical order."""
        stride = int(self.end.max(initial=0)) + 1
        scored = ~np.isnan(self.credibility)
        lowest = int(self.credibility[scored].min(initial=0))
        score = np.where(scored, self.credibility - lowest + 1, 0).astype(np.int64)
        order = order_by((self.group, self.groups), (self.analyst, len(self.analysts)), (self.start, stride),
                         (self.end, stride), (self.label, len(self.labels)),
                         (self.source + 1, len(self.sources) + 1), (score, int(score.max(initial=0)) + 1))
        return SpanTable(self.group[order], self.analyst[order], self.start[order], self.end[order],
                         self.label[order], self.source[order], self.credibility[order], self.origin[order],
                         self.submitted, self.analysts, self.labels, self.sources)


def order_by(*columns: tuple[Ints, int]) -> Ints:
    """The permutation sorting rows by the columns, most significant first, like numpy.lexsort.

    Each column comes with a bound: its values lie in [0, bound). When the bounds' product fits in 63
    bits the columns are packed into one key and sorted once, several times faster than lexsort.
    """
    capacity = 1
    for _, bound in columns:
        capacity *= max(bound, 1)
    if capacity >= 2 ** 63:
        return np.lexsort([values for values, _ in reversed(columns)])
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for values, bound in columns:
        key = key * max(bound, 1) + values
    return np.argsort(key, kind="stable")


def _codes(values: Sequence[str | None], names: Sequence[str]) -> Ints:
    code: dict[str | None, int] = {name: index for index, name in enumerate(names)}
    code[None] = -1
    return np.fromiter(map(code.__getitem__, values), dtype=np.int64, count=len(values))


def build_table(articles: Iterable[tuple[Collection[str], Sequence[AnnotatedSpan]]], *,
                labels: Sequence[str] = ()) -> SpanTable:
    """A table with one group per article, from (analysts who submitted, spans) in article order.

    An analyst with spans counts as submitted. Labels are coded in the order given, then any other label
    in name order; analysts and sources in name order.
    """
    members: list[Collection[str]] = []
    spans: list[AnnotatedSpan] = []
    sizes: list[int] = []
    for analysts, article_spans in articles:
        members.append(analysts)
        spans.extend(article_spans)
        sizes.append(len(article_spans))
    # map(attrgetter) walks the spans in C: this runs over every span of a project.
    analyst_values = list(map(attrgetter("analyst"), spans))
    label_values = list(map(attrgetter("label"), spans))
    source_values = list(map(attrgetter("source"), spans))
    analyst_names = tuple(sorted({*analyst_values, *(name for group in members for name in group)}))
    label_names = tuple(dict.fromkeys([*labels, *sorted(set(label_values) - set(labels))]))
    source_names = tuple(sorted({value for value in source_values if value is not None}))
    group = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    analyst = _codes(analyst_values, analyst_names)
    submitted = np.zeros((len(sizes), len(analyst_names)), dtype=bool)
    submitted[group, analyst] = True
    code = {name: index for index, name in enumerate(analyst_names)}
    for index, names in enumerate(members):
        submitted[index, [code[name] for name in names]] = True
    table = SpanTable(
        group, analyst,
        np.fromiter(map(attrgetter("start"), spans), dtype=np.int64, count=len(spans)),
        np.fromiter(map(attrgetter("end"), spans), dtype=np.int64, count=len(spans)),
        _codes(label_values, label_names), _codes(source_values, source_names),
        np.array(list(map(attrgetter("credibility"), spans)), dtype=np.float64).reshape(len(spans)),
        np.arange(len(spans), dtype=np.int64), submitted, analyst_names, label_names, source_names,
    )
    return table.sorted()


def expand_ranges(low: Ints, high: Ints) -> tuple[Ints, Ints]:
    """For ranges [low[k], high[k]): (k, position) for every position in every range, in order."""
    counts = np.maximum(high - low, 0)
    owner = np.repeat(np.arange(len(low), dtype=np.int64), counts)
    firsts = np.cumsum(counts) - counts
    return owner, np.arange(int(counts.sum()), dtype=np.int64) - firsts[owner] + low[owner]


def distinct(values: Ints) -> Ints:
    """The distinct values, sorted (numpy's hash-based unique is slow on many distinct integers)."""
    ordered = np.sort(values)
    return ordered[segment_starts(ordered)]


def segment_starts(keys: Ints) -> Bools:
    """True at every row whose key differs from the row before (keys sorted); True at row 0."""
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    return starts


@dataclass(frozen=True, slots=True)
class PairView:
    """One group per (article, pair of analysts who both submitted it), holding the spans of the two.

    ``article``, ``first`` and ``second`` describe each pair group (first < second, analyst codes);
    ``pair`` numbers the distinct (first, second) pairs, which ``pairs`` lists in that order.
    """

    table: SpanTable
    article: Ints
    first: Ints
    second: Ints
    pair: Ints
    pairs: tuple[tuple[int, int], ...]


def pair_view(table: SpanTable) -> PairView:
    """Every article's analyst pairs as groups of their own (the article's spans of the two analysts)."""
    member_group, member_analyst = np.nonzero(table.submitted)
    member_group = member_group.astype(np.int64)
    member_analyst = member_analyst.astype(np.int64)
    # Partners of each submission: the later submissions of the same article.
    group_end = np.searchsorted(member_group, member_group, side="right")
    owner, partner = expand_ranges(np.arange(len(member_group), dtype=np.int64) + 1, group_end)
    article, first, second = member_group[owner], member_analyst[owner], member_analyst[partner]
    # Rows of (article, analyst) are contiguous in the sorted table.
    row_key = table.group * len(table.analysts) + table.analyst

    def rows_of(analyst: Ints) -> tuple[Ints, Ints]:
        key = article * len(table.analysts) + analyst
        return expand_ranges(np.searchsorted(row_key, key, "left"), np.searchsorted(row_key, key, "right"))

    first_pair, first_rows = rows_of(first)
    second_pair, second_rows = rows_of(second)
    submitted = np.zeros((len(article), len(table.analysts)), dtype=bool)
    submitted[np.arange(len(article)), first] = True
    submitted[np.arange(len(article)), second] = True
    rows = table.take(np.concatenate([first_rows, second_rows]), np.concatenate([first_pair, second_pair]),
                      submitted)
    codes, pair = np.unique(first * len(table.analysts) + second, return_inverse=True)
    pairs = tuple((int(code) // len(table.analysts), int(code) % len(table.analysts)) for code in codes)
    return PairView(rows, article, first, second, pair.astype(np.int64).reshape(len(article)), pairs)


def sum_rows(values: npt.NDArray[np.int64] | npt.NDArray[np.float64], index: Ints, size: int) -> Floats:
    """Rows of a 2-D array added up by ``index`` into ``size`` rows (rows no index names stay 0)."""
    totals = np.zeros((size, values.shape[1]))
    for column in range(values.shape[1]):
        totals[:, column] = np.bincount(index, weights=values[:, column], minlength=size)
    return totals
