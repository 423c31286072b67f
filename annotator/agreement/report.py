"""The agreement report of a project, from plain per-article records: what the dashboard, the API, the CLI
and the exports show.

Only articles with two or more analysts count. The whole project is computed at once over numpy columns
(agreement.table), so 600,000 spans take a few seconds. Choices a reader of the figures should know:

- Units are the article's spans aligned across analysts by overlap, any label (agreement.alignment).
- Alpha of labels (nominal): every analyst who submitted the article gives each unit a value, their
  span's label or, when they marked nothing there, the category "none". A missed span so counts as a
  disagreement, as it is one about whether a statement is there at all.
- Alpha of span credibility: the scores of the spans of a unit; an analyst without a span there, or
  whose span has no score, is missing (not a category). Ordinal and interval on the declared scale.
- Per label and per source, the same on the spans of each unit with that label (or naming that source):
  two analysts agree on a source's credibility only where both attributed the statement to it.
- An analyst pair's label alpha aligns the two analysts' spans on their own, so a third analyst's work
  does not change it; a pair's F1 sums tp, fp and fn over the articles both submitted, then divides.
- Overall F1 is micro (counts summed over every pair and article) and, next to it, the mean of the pairs'
  F1. Unitized alpha is computed per article and averaged weighting each article by its length.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NotRequired, TypedDict

import numpy as np

from annotator.agreement import alpha, unitized
from annotator.agreement.alignment import Match, align_table
from annotator.agreement.f1 import CountsRow, PairCounts, count_pairs
from annotator.agreement.records import AnnotatedSpan, Estimate
from annotator.agreement.table import Floats, Ints, PairView, SpanTable, build_table, distinct, pair_view

NOTHING_MARKED = "no analyst marked any span"
SCALE_NOTE = ("Ordinal and interval distances use the project's declared scale ({low} to {high}), every "
              "level counted whether used or not; some tools space categories by the levels observed "
              "instead.")
READING_TEXT = ("Krippendorff: alpha >= 0.800 reliable; >= 0.667 tentative conclusions only; below, "
                "unreliable.")
UNITIZED_NOTE = "Krippendorff's alpha-U per article (2004), averaged weighting each article by its length."
UNITIZED_UNDEFINED = "unitized alpha is undefined on every article"
SPREAD_NOTE = "How many aligned units (and articles) have each range (highest minus lowest) of scores."


@dataclass(frozen=True, slots=True)
class ArticleAnnotations:
    """One article's submitted work: every analyst's spans and article-level scores."""

    article_id: int
    length: int  # of the text, in code points
    spans: Sequence[AnnotatedSpan]
    scores: Mapping[str, int | None]  # analyst who submitted -> article credibility (None: not scored)
    title: str = ""

    @property
    def analysts(self) -> list[str]:
        """Who submitted: every analyst with a score entry or a span, in name order."""
        return sorted({*self.scores, *map(attrgetter("analyst"), self.spans)})


class Figure(TypedDict):
    value: float | None
    reason: str | None
    reading: str  # Krippendorff's guide: reliable, tentative, unreliable or undefined


class UnitizedFigure(Figure):
    note: str


class LevelFigures(TypedDict):
    ordinal: Figure
    interval: Figure


class MeanF1(TypedDict):
    exact: float | None
    overlap: float | None


class Overall(TypedDict):
    exact: CountsRow
    overlap: CountsRow
    f1_mean_over_pairs: MeanF1
    label_alpha: Figure
    span_credibility_alpha: LevelFigures
    article_credibility_alpha: LevelFigures
    unitized_alpha: UnitizedFigure


class LabelRow(TypedDict):
    label: str
    spans: int
    exact: CountsRow
    overlap: CountsRow
    f1_mean_over_pairs: MeanF1
    credibility_alpha: Figure           # ordinal
    credibility_interval_alpha: Figure


class PairRow(TypedDict):
    analysts: list[str]
    articles: int
    exact: CountsRow
    overlap: CountsRow
    label_alpha: Figure


class SourceRow(TypedDict):
    source: str
    spans: int
    units: int
    statements: dict[str, int]
    mean_credibility: float | None
    credibility_alpha: Figure           # ordinal
    credibility_interval_alpha: Figure


class ArticleRow(TypedDict):
    article_id: int
    title: str
    analysts: list[str]
    spans: int
    units: int
    exact: CountsRow
    overlap: CountsRow
    label_alpha: Figure
    unitized_alpha: Figure
    article_scores: dict[str, int | None]
    article_score_spread: int | None


class Scale(TypedDict):
    min: int
    max: int
    note: str


class ReadingGuide(TypedDict):
    reliable: float
    tentative: float
    text: str


class ScoreDisagreement(TypedDict):
    spans: dict[str, int]
    articles: dict[str, int]
    note: str


class ProjectRef(TypedDict):
    id: int
    name: str
    slug: str


class Report(TypedDict):
    articles: int
    articles_with_two_or_more_analysts: int
    analysts: list[str]
    units: int
    scale: Scale
    reading_guide: ReadingGuide
    overall: Overall
    labels: list[LabelRow]
    pairs: list[PairRow]
    sources: list[SourceRow]
    score_disagreement: ScoreDisagreement
    articles_detail: list[ArticleRow]
    project: NotRequired[ProjectRef]  # added by the selector that reads the project


def figure(estimate: Estimate) -> Figure:
    """An alpha as plain values with Krippendorff's reading."""
    return {"value": estimate.value, "reason": estimate.reason, "reading": alpha.reading(estimate.value)}


@dataclass(frozen=True, slots=True)
class _Article:
    article_id: int
    title: str
    length: int
    scores: dict[str, int | None]


@dataclass(frozen=True, slots=True)
class Units:
    """Spans aligned into units by overlap, any label: each row's unit, how many, each unit's group."""

    of_row: Ints
    count: int
    group: Ints


def units_of(table: SpanTable) -> Units:
    unit = align_table(table, match=Match.OVERLAP, same_label=False)
    count = int(unit.max()) + 1 if table.size else 0
    group = np.zeros(count, dtype=np.int64)
    group[unit] = table.group
    return Units(unit, count, group)


def _collect(articles: Iterable[ArticleAnnotations],
             labels: Sequence[str]) -> tuple[SpanTable, list[_Article], int]:
    """The table of the articles with two or more analysts, their other fields, and how many were read."""
    kept: list[_Article] = []
    seen = 0

    def submitted() -> Iterator[tuple[list[str], Sequence[AnnotatedSpan]]]:
        nonlocal seen
        for article in articles:
            seen += 1
            names = article.analysts
            if len(names) >= 2:
                kept.append(_Article(article.article_id, article.title, article.length,
                                     {name: article.scores.get(name) for name in names}))
                yield names, article.spans

    table = build_table(submitted(), labels=labels)
    return table, kept, seen


def _mean(values: Iterable[float | None]) -> float | None:
    given = [value for value in values if value is not None]
    return sum(given) / len(given) if given else None


def _weighted_mean(estimates: Sequence[Estimate], weights: Sequence[int]) -> float | None:
    """The mean of the defined estimates, each weighted (by its article's length); None if none is."""
    pairs = [(e.value, w) for e, w in zip(estimates, weights, strict=True) if e.value is not None]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def scale_levels(scores: Floats, low: int, high: int) -> Ints:
    """Positions of scores on the declared scale; ValueError for a score off it."""
    position = scores - low
    if np.any((position < 0) | (scores > high) | (position != np.round(position))):
        raise ValueError(f"a credibility score lies outside the declared scale {low} to {high}")
    return position.astype(np.int64)


def _on_scale(counts: Floats | Ints, group: Ints, groups: int, levels: Floats) -> list[LevelFigures]:
    """Ordinal and interval alpha of each group of units (value counts per unit on the scale levels)."""
    ordinal = alpha.alpha_by_group(counts, group, groups, levels, alpha.Level.ORDINAL)
    interval = alpha.alpha_by_group(counts, group, groups, levels, alpha.Level.INTERVAL)
    return [{"ordinal": figure(o), "interval": figure(i)} for o, i in zip(ordinal, interval, strict=True)]


def _scores_by(unit: Ints, key: Ints, keys: int, level: Ints, levels: Floats) -> list[LevelFigures]:
    """Score alphas per key (a label, a source), each unit counting the scores of its spans with that key."""
    cells, inverse = np.unique(unit * keys + key, return_inverse=True)
    counts = np.bincount(inverse.reshape(-1) * len(levels) + level, minlength=len(cells) * len(levels))
    return _on_scale(counts.reshape(len(cells), len(levels)), cells % max(keys, 1), keys, levels)


def _spread_histogram(spreads: Ints, low: int, high: int) -> dict[str, int]:
    counts = np.bincount(spreads, minlength=high - low + 1)
    return {str(spread): int(counts[spread]) for spread in range(high - low + 1)}


def _unit_spreads(unit: Ints, units: int, scores: Floats) -> Ints:
    """max - min of the scores of every unit with two or more scores."""
    highest = np.full(units, -np.inf)
    lowest = np.full(units, np.inf)
    np.maximum.at(highest, unit, scores)
    np.minimum.at(lowest, unit, scores)
    scored = np.bincount(unit, minlength=units) >= 2
    spreads: Ints = (highest[scored] - lowest[scored]).astype(np.int64)
    return spreads


def label_counts(table: SpanTable, units: Units, coders: Ints) -> Ints:
    """Per unit, how many analysts gave each label, and in the last column "none": the analysts who took
    part (``coders`` per unit) but marked no span in it."""
    categories = len(table.labels) + 1
    counts = np.bincount(units.of_row * categories + table.label, minlength=units.count * categories)
    counts = counts.reshape(units.count, categories)
    counts[:, -1] = coders - counts.sum(axis=1)
    return counts


def _label_alphas(table: SpanTable, units: Units, coders: Ints) -> tuple[Estimate, list[Estimate]]:
    """Nominal alpha of labels on the units, over all and per group (undefined where nobody marked)."""
    counts = label_counts(table, units, coders[units.group])
    domain = np.arange(len(table.labels) + 1, dtype=np.float64)
    by_group = alpha.alpha_by_group(counts, units.group, table.groups, domain, alpha.Level.NOMINAL)
    has_units = np.bincount(units.group, minlength=table.groups) > 0
    overall = alpha.alpha_from_counts(counts, domain, alpha.Level.NOMINAL)
    return overall, [estimate if has_units[g] else Estimate.undefined(NOTHING_MARKED)
                     for g, estimate in enumerate(by_group)]


def article_score_counts(kept: Sequence[Mapping[str, int | None]], names: Sequence[str], low: int,
                         high: int) -> tuple[Ints, Ints]:
    """Value counts per article of its analysts' article-level scores (``kept``: analyst -> score of each
    article), and each article's score range (-1 with fewer than two scores)."""
    position = {name: index for index, name in enumerate(names)}
    scores = np.full((len(kept), len(names)), np.nan)
    for row, article_scores in enumerate(kept):
        for name, score in article_scores.items():
            if score is not None:
                scores[row, position[name]] = score
    given = ~np.isnan(scores)
    rows, columns = np.nonzero(given)
    counts = np.bincount(rows * (high - low + 1) + scale_levels(scores[rows, columns], low, high),
                         minlength=len(kept) * (high - low + 1)).reshape(len(kept), high - low + 1)
    highest = np.where(given, scores, -np.inf).max(axis=1, initial=-np.inf)
    lowest = np.where(given, scores, np.inf).min(axis=1, initial=np.inf)
    return counts, np.where(given.sum(axis=1) >= 2, highest - lowest, -1).astype(np.int64)


def _pair_means(exact: PairCounts, overlap: PairCounts, label: int | None = None) -> MeanF1:
    """The mean over analyst pairs (rows) of their F1, pairs with an undefined F1 left out."""
    rows = range(exact.tp.shape[0])
    return {"exact": _mean(exact.counts(row, label).f1.value for row in rows),
            "overlap": _mean(overlap.counts(row, label).f1.value for row in rows)}


def _pair_rows(table: SpanTable, view: PairView, exact: PairCounts, overlap: PairCounts) -> list[PairRow]:
    """One row per analyst pair: F1 over the articles both submitted, and label alpha on their own units."""
    units = units_of(view.table)
    counts = label_counts(view.table, units, np.full(units.count, 2))
    domain = np.arange(len(table.labels) + 1, dtype=np.float64)
    label_alpha = alpha.alpha_by_group(counts, view.pair[units.group], len(view.pairs), domain,
                                       alpha.Level.NOMINAL)
    articles = np.bincount(view.pair, minlength=len(view.pairs))
    return [
        {"analysts": [table.analysts[first], table.analysts[second]], "articles": int(articles[p]),
         "exact": exact.counts(p).to_dict(), "overlap": overlap.counts(p).to_dict(),
         "label_alpha": figure(label_alpha[p])}
        for p, (first, second) in enumerate(view.pairs)
    ]


def _by_source(table: SpanTable, units: Units, scored: Ints, level: Ints, levels: Floats) -> list[LevelFigures]:
    """Score alphas per source (in table.sources order), on the units where its spans were scored."""
    attributed = table.source[scored] >= 0
    return _scores_by(units.of_row[scored][attributed], table.source[scored][attributed], len(table.sources),
                      level[attributed], levels)


def source_score_alphas(articles: Iterable[ArticleAnnotations], *, scale: tuple[int, int],
                        labels: Sequence[str]) -> dict[str, LevelFigures]:
    """Ordinal and interval alpha of span credibility per source, as build_report's source rows give them
    (articles with two or more analysts, units aligned by overlap), without the rest of the report.

    Keyed by the spans' ``source`` value; sources without a span on such an article are absent.
    """
    low, high = scale
    levels = np.arange(low, high + 1, dtype=np.float64)
    table, _, _ = _collect(articles, labels)
    units = units_of(table)
    scored = np.flatnonzero(~np.isnan(table.credibility))
    by_source = _by_source(table, units, scored, scale_levels(table.credibility[scored], low, high), levels)
    return dict(zip(table.sources, by_source, strict=True))


def _source_rows(table: SpanTable, units: Units, scored: Ints,
                 by_source: list[LevelFigures]) -> list[SourceRow]:
    """One row per source: its spans, units, statements per label, mean score and score alphas."""
    sources, labels = len(table.sources), len(table.labels)
    named = table.source >= 0
    spans = np.bincount(table.source[named], minlength=sources)
    unit_sources = distinct(units.of_row[named] * sources + table.source[named])
    source_units = np.bincount(unit_sources % max(sources, 1), minlength=sources)
    statements = np.bincount(table.source[named] * labels + table.label[named], minlength=sources * labels)
    statements = statements.reshape(sources, labels)
    attributed = scored[table.source[scored] >= 0]
    score_sum = np.bincount(table.source[attributed], weights=table.credibility[attributed],
                            minlength=sources)
    score_number = np.bincount(table.source[attributed], minlength=sources)
    rows: list[SourceRow] = [
        {"source": source, "spans": int(spans[s]), "units": int(source_units[s]),
         "statements": {table.labels[k]: int(statements[s, k]) for k in range(labels) if statements[s, k]},
         "mean_credibility": round(float(score_sum[s] / score_number[s]), 3) if score_number[s] else None,
         "credibility_alpha": by_source[s]["ordinal"],
         "credibility_interval_alpha": by_source[s]["interval"]}
        for s, source in enumerate(table.sources)
    ]
    return sorted(rows, key=lambda row: (-row["units"], row["source"]))


def build_report(articles: Iterable[ArticleAnnotations], *, scale: tuple[int, int],
                 labels: Sequence[str]) -> Report:
    """Agreement of a project: overall, per label, per article, per analyst pair, per source.

    ``scale`` is the declared credibility scale (min, max); ``labels`` the project's label keys, in the
    order rows should follow (other labels found in spans follow in name order). Returns plain JSON-ready
    values; every alpha carries its value (None when undefined), the reason, and Krippendorff's reading.
    Raises ValueError for a score off the scale or a span outside its article's text.
    """
    low, high = scale
    levels = np.arange(low, high + 1, dtype=np.float64)
    table, kept, seen = _collect(articles, labels)
    groups, coders = table.groups, table.coders()
    lengths = np.array([article.length for article in kept], dtype=np.int64)

    # Units of each article: alpha of labels, of span scores overall, per label and per source.
    units = units_of(table)
    label_alpha, article_label_alpha = _label_alphas(table, units, coders)
    scored = np.flatnonzero(~np.isnan(table.credibility))
    level = scale_levels(table.credibility[scored], low, high)
    unit_scores = np.bincount(units.of_row[scored] * len(levels) + level, minlength=units.count * len(levels))
    span_scores = _on_scale(unit_scores.reshape(units.count, len(levels)),
                            np.zeros(units.count, dtype=np.int64), 1, levels)[0]
    by_label = _scores_by(units.of_row[scored], table.label[scored], len(table.labels), level, levels)
    by_source = _by_source(table, units, scored, level, levels)

    # Article-level scores: each article is a unit.
    article_counts, article_spread = article_score_counts([a.scores for a in kept], table.analysts, low,
                                                                 high)
    article_scores = _on_scale(article_counts, np.zeros(groups, dtype=np.int64), 1, levels)[0]

    # Analyst pairs: F1 per (article, pair) and label, added up per pair, article, label and overall.
    view = pair_view(table)
    counted = count_pairs(view)
    exact, overlap = counted[Match.EXACT], counted[Match.OVERLAP]
    pair_exact, pair_overlap = (counts.summed(view.pair, len(view.pairs)) for counts in (exact, overlap))
    article_exact, article_overlap = (c.summed(view.article, groups).rows() for c in (exact, overlap))
    everything = np.zeros(len(view.article), dtype=np.int64)
    total_exact, total_overlap = (counts.summed(everything, 1) for counts in (exact, overlap))

    # Unitized alpha per article, and their mean weighted by article length.
    disagreement = unitized.unitized_disagreement(table, lengths=lengths)
    article_unitized = unitized.joint_alphas(disagreement, coders=coders, lengths=lengths)
    unitized_mean = _weighted_mean(article_unitized, lengths.tolist())

    spans_per_article = np.bincount(table.group, minlength=groups)
    units_per_article = np.bincount(units.group, minlength=groups)
    label_spans = np.bincount(table.label, minlength=len(table.labels))
    return {
        "articles": seen,
        "articles_with_two_or_more_analysts": groups,
        "analysts": list(table.analysts),
        "units": units.count,
        "scale": {"min": low, "max": high, "note": SCALE_NOTE.format(low=low, high=high)},
        "reading_guide": {"reliable": alpha.RELIABLE, "tentative": alpha.TENTATIVE, "text": READING_TEXT},
        "overall": {
            "exact": total_exact.counts(0).to_dict(),
            "overlap": total_overlap.counts(0).to_dict(),
            "f1_mean_over_pairs": _pair_means(pair_exact, pair_overlap),
            "label_alpha": figure(label_alpha),
            "span_credibility_alpha": span_scores,
            "article_credibility_alpha": article_scores,
            "unitized_alpha": {
                "value": unitized_mean,
                "reason": None if unitized_mean is not None else UNITIZED_UNDEFINED,
                "reading": alpha.reading(unitized_mean),
                "note": UNITIZED_NOTE,
            },
        },
        "labels": [
            {"label": label, "spans": int(label_spans[k]),
             "exact": total_exact.counts(0, k).to_dict(), "overlap": total_overlap.counts(0, k).to_dict(),
             "f1_mean_over_pairs": _pair_means(pair_exact, pair_overlap, k),
             "credibility_alpha": by_label[k]["ordinal"],
             "credibility_interval_alpha": by_label[k]["interval"]}
            for k, label in enumerate(table.labels)
        ],
        "pairs": _pair_rows(table, view, pair_exact, pair_overlap),
        "sources": _source_rows(table, units, scored, by_source),
        "score_disagreement": {
            "spans": _spread_histogram(_unit_spreads(units.of_row[scored], units.count,
                                                     table.credibility[scored]), low, high),
            "articles": _spread_histogram(article_spread[article_spread >= 0], low, high),
            "note": SPREAD_NOTE,
        },
        "articles_detail": [
            {
                "article_id": article.article_id,
                "title": article.title,
                "analysts": sorted(article.scores),
                "spans": int(spans_per_article[g]),
                "units": int(units_per_article[g]),
                "exact": article_exact[g],
                "overlap": article_overlap[g],
                "label_alpha": figure(article_label_alpha[g]),
                "unitized_alpha": figure(article_unitized[g]),
                "article_scores": dict(article.scores),
                "article_score_spread": int(article_spread[g]) if article_spread[g] >= 0 else None,
            }
            for g, article in enumerate(kept)
        ],
    }


REPORT_COLUMNS = ["section", "item", "measure", "value", "reading"]
Cell = str | int | float | None


def report_rows(report: Report) -> Iterator[list[Cell]]:
    """The report as flat rows (section, item, measure, value, reading) for CSV and tables."""
    overall = report["overall"]
    means = overall["f1_mean_over_pairs"]
    for match, counts, mean in (("exact", overall["exact"], means["exact"]),
                                ("overlap", overall["overlap"], means["overlap"])):
        yield ["overall", "spans", f"{match} precision", counts["precision"], ""]
        yield ["overall", "spans", f"{match} recall", counts["recall"], ""]
        yield ["overall", "spans", f"{match} f1", counts["f1"], ""]
        yield ["overall", "spans", f"{match} f1 (mean over pairs)", mean, ""]
    label_alpha = overall["label_alpha"]
    yield ["overall", "labels", "alpha (nominal)", label_alpha["value"], label_alpha["reading"]]
    for scope, by_level in (("span credibility", overall["span_credibility_alpha"]),
                            ("article credibility", overall["article_credibility_alpha"])):
        for level, shown in (("ordinal", by_level["ordinal"]), ("interval", by_level["interval"])):
            yield ["overall", scope, f"alpha ({level})", shown["value"], shown["reading"]]
    unitized_figure = overall["unitized_alpha"]
    yield ["overall", "spans", "unitized alpha", unitized_figure["value"], unitized_figure["reading"]]
    for label_row in report["labels"]:
        yield ["label", label_row["label"], "overlap f1", label_row["overlap"]["f1"], ""]
        yield ["label", label_row["label"], "exact f1", label_row["exact"]["f1"], ""]
        scores = label_row["credibility_alpha"]
        yield ["label", label_row["label"], "credibility alpha (ordinal)", scores["value"], scores["reading"]]
    for pair_row in report["pairs"]:
        pair = " & ".join(pair_row["analysts"])
        yield ["pair", pair, "overlap f1", pair_row["overlap"]["f1"], ""]
        yield ["pair", pair, "exact f1", pair_row["exact"]["f1"], ""]
        yield ["pair", pair, "label alpha (nominal)", pair_row["label_alpha"]["value"],
               pair_row["label_alpha"]["reading"]]
    for source_row in report["sources"]:
        yield ["source", source_row["source"], "units", source_row["units"], ""]
        yield ["source", source_row["source"], "mean credibility", source_row["mean_credibility"], ""]
        yield ["source", source_row["source"], "credibility alpha (ordinal)",
               source_row["credibility_alpha"]["value"], source_row["credibility_alpha"]["reading"]]
    for article_row in report["articles_detail"]:
        item = f"{article_row['article_id']} {article_row['title']}".strip()
        yield ["article", item, "overlap f1", article_row["overlap"]["f1"], ""]
        yield ["article", item, "label alpha (nominal)", article_row["label_alpha"]["value"],
               article_row["label_alpha"]["reading"]]
        yield ["article", item, "unitized alpha", article_row["unitized_alpha"]["value"],
               article_row["unitized_alpha"]["reading"]]
