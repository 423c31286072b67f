"""The agreement report of a project, from plain per-article records: what the dashboard, the API, the CLI
and the exports show.

Only articles with two or more analysts count. Units are spans aligned across analysts by overlap (any
label), one span per analyst per unit; a pair's label alpha uses the units either of the two marked. For
the alpha of labels, an analyst who submitted the article but marked nothing in a unit contributes the
category "none", so a missed span counts as a disagreement.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from statistics import fmean, pstdev
from typing import Any

import numpy as np

from annotator.agreement import alpha, unitized
from annotator.agreement.alignment import Match, Unit, align_spans, match_spans
from annotator.agreement.f1 import Counts
from annotator.agreement.records import AnnotatedSpan, Estimate, reading

NONE = "none"
SCALE_NOTE = ("Ordinal and interval distances use the project's declared scale ({low} to {high}), every level "
              "counted whether used or not; some tools space categories by the levels observed instead.")


@dataclass(frozen=True, slots=True)
class ArticleAnnotations:
    """One article's submitted work: every analyst's spans and article-level scores."""

    article_id: int
    length: int
    spans: Sequence[AnnotatedSpan]
    scores: Mapping[str, int | None]  # analyst -> article credibility (None: not scored)
    title: str = ""

    @property
    def analysts(self) -> list[str]:
        return sorted(self.scores)


def _figure(estimate: Estimate) -> dict[str, Any]:
    return {"value": estimate.value, "reason": estimate.reason, "reading": reading(estimate.value)}


class _Columns:
    """A reliability matrix built unit by unit: one row per analyst, ``missing`` where one gave nothing."""

    def __init__(self, missing: object) -> None:
        self.width = 0
        self.rows: dict[str, list[Any]] = {}
        self.missing = missing

    def add(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            row = self.rows.setdefault(name, [])
            row.extend([self.missing] * (self.width - len(row)))
            row.append(value)
        self.width += 1

    def matrix(self) -> list[list[Any]]:
        return [row + [self.missing] * (self.width - len(row)) for _, row in sorted(self.rows.items())]

    def numbers(self) -> np.ndarray:
        return np.array(self.matrix(), dtype=float).reshape(len(self.rows), self.width)

    def mean(self) -> float | None:
        values = [v for row in self.rows.values() for v in row if not np.isnan(v)]
        return round(fmean(values), 3) if values else None


def _pair_counts(first: Sequence[AnnotatedSpan], second: Sequence[AnnotatedSpan],
                 labels: Sequence[str]) -> dict[str, tuple[Counts, Counts]]:
    """Exact and overlap counts per label. Matches need the same label, so the matching over all spans is
    the union of the per-label matchings and one pass gives every label's counts."""
    counted: dict[str, tuple[Counts, Counts]] = {}
    in_first = Counter(s.label for s in first)
    in_second = Counter(s.label for s in second)
    exact = Counter(first[i].label for i, _ in match_spans(first, second, match=Match.EXACT, same_label=True))
    overlap = Counter(first[i].label for i, _ in match_spans(first, second, match=Match.OVERLAP, same_label=True))
    for label in {*labels, *in_first, *in_second}:
        counted[label] = (Counts(exact[label], in_first[label] - exact[label], in_second[label] - exact[label]),
                          Counts(overlap[label], in_first[label] - overlap[label], in_second[label] - overlap[label]))
    return counted


def _labels_of(units: Sequence[Unit], analysts: Sequence[str]) -> list[list[str | None]]:
    return [[unit.spans[a].label if a in unit.spans else NONE for unit in units] for a in analysts]


def _score(span: AnnotatedSpan | None) -> float:
    return float(span.credibility) if span is not None and span.credibility is not None else np.nan


def _nominal(rows: Sequence[Sequence[str | None]]) -> Estimate:
    if len(rows) < 2 or not rows[0]:
        return Estimate.undefined("fewer than two analysts or no units")
    return alpha.nominal_alpha(rows)


def build_report(articles: Iterable[ArticleAnnotations], *, scale: tuple[int, int],
                 labels: Sequence[str]) -> dict[str, Any]:
    """Agreement of a project: overall, per label, per article, per analyst pair, per source.

    Returns plain JSON-ready values. Alphas carry their value (None when undefined), the reason when
    undefined, and Krippendorff's reading ("reliable" >= 0.8, "tentative" >= 0.667, "unreliable").
    """
    low, high = scale
    levels = list(range(low, high + 1))
    unit_labels = _Columns(None)
    unit_scores = _Columns(np.nan)
    article_scores = _Columns(np.nan)
    label_scores: dict[str, _Columns] = defaultdict(lambda: _Columns(np.nan))
    source_scores: dict[str, _Columns] = defaultdict(lambda: _Columns(np.nan))
    source_statements: dict[str, Counter[str]] = defaultdict(Counter)
    pair_exact: dict[tuple[str, str], Counts] = defaultdict(Counts)
    pair_overlap: dict[tuple[str, str], Counts] = defaultdict(Counts)
    pair_labels: dict[tuple[str, str], list[list[str | None]]] = defaultdict(lambda: [[], []])
    label_exact: dict[str, Counts] = defaultdict(Counts)
    label_overlap: dict[str, Counts] = defaultdict(Counts)
    unit_spreads: Counter[int] = Counter()
    article_spreads: Counter[int] = Counter()
    per_article: list[dict[str, Any]] = []
    unitized_weighted: list[tuple[float, int]] = []
    total_articles = 0

    for article in articles:
        total_articles += 1
        names = article.analysts
        if len(names) < 2:
            continue
        own = {name: [s for s in article.spans if s.analyst == name] for name in names}
        units = align_spans(article.spans, match=Match.OVERLAP, same_label=False)
        for unit in units:
            unit_labels.add({name: unit.spans[name].label if name in unit.spans else NONE for name in names})
            scores = {name: _score(unit.spans.get(name)) for name in names}
            unit_scores.add(scores)
            given = [value for value in scores.values() if not np.isnan(value)]
            if len(given) >= 2:
                unit_spreads[int(max(given) - min(given))] += 1
            label_scores[unit.majority_label()].add(scores)
            sources = Counter(s.source for s in unit.spans.values() if s.source)
            if sources:
                source = min(sources, key=lambda name: (-sources[name], name))
                source_scores[source].add(scores)
                source_statements[source].update(s.label for s in unit.spans.values() if s.source == source)
        article_scores.add({name: float(v) if (v := article.scores[name]) is not None else np.nan for name in names})
        given_articles = [v for name in names if (v := article.scores[name]) is not None]
        if len(given_articles) >= 2:
            article_spreads[max(given_articles) - min(given_articles)] += 1
        article_exact, article_overlap = Counts(), Counts()
        for a, b in combinations(names, 2):
            for label, (exact, overlap) in _pair_counts(own[a], own[b], labels).items():
                pair_exact[(a, b)] += exact
                pair_overlap[(a, b)] += overlap
                article_exact += exact
                article_overlap += overlap
                label_exact[label] += exact
                label_overlap[label] += overlap
            # The pair's label alpha uses the article's units that either of the two marked.
            shared = [unit for unit in units if a in unit.spans or b in unit.spans]
            rows = _labels_of(shared, [a, b])
            pair_labels[(a, b)][0].extend(rows[0])
            pair_labels[(a, b)][1].extend(rows[1])
        unitized_overall, _ = unitized.unitized_alpha(
            {name: [(s.start, s.end, s.label) for s in own[name]] for name in names}, length=article.length)
        if unitized_overall.value is not None:
            unitized_weighted.append((unitized_overall.value, article.length))
        per_article.append({
            "article_id": article.article_id,
            "title": article.title,
            "analysts": names,
            "spans": len(article.spans),
            "units": len(units),
            "exact": article_exact.to_dict(),
            "overlap": article_overlap.to_dict(),
            "label_alpha": _figure(_nominal(_labels_of(units, names))),
            "unitized_alpha": _figure(unitized_overall),
            "article_scores": {name: article.scores[name] for name in names},
            "article_score_spread": (max(given_articles) - min(given_articles)) if len(given_articles) >= 2 else None,
        })

    def scored(columns: _Columns) -> dict[str, Any]:
        data = columns.numbers()
        return {"ordinal": _figure(alpha.krippendorff_alpha(data, alpha.Level.ORDINAL, levels)),
                "interval": _figure(alpha.krippendorff_alpha(data, alpha.Level.INTERVAL, levels))}

    unitized_mean = (sum(v * n for v, n in unitized_weighted) / sum(n for _, n in unitized_weighted)
                     if unitized_weighted else None)
    return {
        "articles": total_articles,
        "articles_with_two_or_more_analysts": len(per_article),
        "analysts": sorted(unit_labels.rows | article_scores.rows),
        "units": unit_labels.width,
        "scale": {"min": low, "max": high, "note": SCALE_NOTE.format(low=low, high=high)},
        "reading_guide": {"reliable": 0.8, "tentative": 0.667,
                          "text": "Krippendorff: alpha >= 0.800 reliable; >= 0.667 tentative conclusions only."},
        "overall": {
            "exact": sum(pair_exact.values(), Counts()).to_dict(),
            "overlap": sum(pair_overlap.values(), Counts()).to_dict(),
            "label_alpha": _figure(_nominal(unit_labels.matrix())),
            "span_credibility_alpha": scored(unit_scores),
            "article_credibility_alpha": scored(article_scores),
            "unitized_alpha": {
                "value": unitized_mean, "reason": None if unitized_weighted else "no article with two analysts",
                "reading": reading(unitized_mean),
                "note": "Krippendorff's alpha-U per article (2004), averaged weighting each article by its length.",
            },
        },
        "labels": [
            {"label": label, "exact": label_exact[label].to_dict(), "overlap": label_overlap[label].to_dict(),
             "credibility_alpha": scored(label_scores[label])["ordinal"]}
            for label in labels
        ],
        "pairs": [
            {"analysts": [a, b], "exact": pair_exact[(a, b)].to_dict(), "overlap": pair_overlap[(a, b)].to_dict(),
             "label_alpha": _figure(_nominal(pair_labels[(a, b)]))}
            for (a, b) in sorted(pair_exact)
        ],
        "sources": sorted(
            ({"source": source, "statements": dict(source_statements[source]), "units": columns.width,
              "mean_credibility": columns.mean(), "credibility_alpha": scored(columns)["ordinal"]}
             for source, columns in source_scores.items()),
            key=lambda row: (-row["units"], row["source"]),
        ),
        "score_disagreement": {
            "spans": {str(spread): unit_spreads[spread] for spread in range(high - low + 1)},
            "articles": {str(spread): article_spreads[spread] for spread in range(high - low + 1)},
            "note": "How many aligned units (and articles) have each range (highest minus lowest) of scores.",
        },
        "articles_detail": per_article,
    }


def score_summary(values: Sequence[float]) -> dict[str, float | None]:
    """Mean, median and spread of scores (None when there are none)."""
    if not values:
        return {"mean": None, "median": None, "stdev": None}
    return {"mean": fmean(values), "median": float(np.median(values)), "stdev": pstdev(values)}


REPORT_COLUMNS = ["section", "item", "measure", "value", "reading"]


def report_rows(report: Mapping[str, Any]) -> Iterator[list[Any]]:
    """The report as flat rows (section, item, measure, value, reading) for CSV and tables."""
    overall = report["overall"]
    for match in ("exact", "overlap"):
        for key in ("precision", "recall", "f1"):
            yield ["overall", "spans", f"{match} {key}", overall[match][key], ""]
    yield ["overall", "labels", "alpha (nominal)", overall["label_alpha"]["value"], overall["label_alpha"]["reading"]]
    for scope in ("span_credibility_alpha", "article_credibility_alpha"):
        for level, figure in overall[scope].items():
            yield ["overall", scope.removesuffix("_alpha").replace("_", " "), f"alpha ({level})", figure["value"],
                   figure["reading"]]
    unitized_figure = overall["unitized_alpha"]
    yield ["overall", "spans", "unitized alpha", unitized_figure["value"], unitized_figure["reading"]]
    for row in report["labels"]:
        yield ["label", row["label"], "overlap f1", row["overlap"]["f1"], ""]
        yield ["label", row["label"], "exact f1", row["exact"]["f1"], ""]
        yield ["label", row["label"], "credibility alpha (ordinal)", row["credibility_alpha"]["value"],
               row["credibility_alpha"]["reading"]]
    for row in report["pairs"]:
        pair = " & ".join(row["analysts"])
        yield ["pair", pair, "overlap f1", row["overlap"]["f1"], ""]
        yield ["pair", pair, "exact f1", row["exact"]["f1"], ""]
        yield ["pair", pair, "label alpha (nominal)", row["label_alpha"]["value"], row["label_alpha"]["reading"]]
    for row in report["sources"]:
        yield ["source", row["source"], "units", row["units"], ""]
        yield ["source", row["source"], "mean credibility", row["mean_credibility"], ""]
        yield ["source", row["source"], "credibility alpha (ordinal)", row["credibility_alpha"]["value"],
               row["credibility_alpha"]["reading"]]
    for row in report["articles_detail"]:
        item = f"{row['article_id']} {row['title']}".strip()
        yield ["article", item, "overlap f1", row["overlap"]["f1"], ""]
        yield ["article", item, "label alpha (nominal)", row["label_alpha"]["value"], row["label_alpha"]["reading"]]
        yield ["article", item, "unitized alpha", row["unitized_alpha"]["value"], row["unitized_alpha"]["reading"]]
