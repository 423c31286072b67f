"""CSV, one span per row, safe to open in a spreadsheet (formulas neutralised, RFC 4180 quoting)."""

from collections.abc import Iterable, Iterator

from annotator.formats.records import ExportArticle, ExportStats
from annotator.formats.spreadsheet import iter_csv

COLUMNS = ["article_id", "title", "analyst", "start", "end", "quote", "label", "source", "credibility",
           "note", "support"]


def iter_csv_spans(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """The header, then one chunk of rows per article (none for an article without spans)."""

    def rows() -> Iterator[list[list[object]]]:
        for article in articles:
            stats.add(article)
            yield [[article.external_id, article.title, s.analyst, s.start, s.end, s.quote, s.label, s.source,
                    s.credibility, s.note, s.support] for s in article.spans]

    return iter_csv(COLUMNS, rows())
