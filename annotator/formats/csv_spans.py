"""CSV, one span per row, safe to open in a spreadsheet (formulas neutralised, RFC 4180 quoting)."""

from collections.abc import Iterable, Iterator
from functools import lru_cache

from annotator.formats.records import ExportArticle, ExportStats
from annotator.formats.spreadsheet import FORMULA_STARTS, iter_csv, safe_cell

COLUMNS = ["article_id", "title", "analyst", "start", "end", "quote", "label", "source", "credibility",
           "note", "support"]


def iter_csv_spans(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """The header, then one chunk of rows per article (none for an article without spans)."""

    # Analysts, labels and sources repeat: their neutralised cells are remembered. Quotes and notes are
    # neutralised inline (as safe_cell does; this runs once per span). Numbers and None need nothing.
    named = lru_cache(maxsize=4096)(safe_cell)

    def rows() -> Iterator[list[list[object]]]:
        for article in articles:
            stats.add(article)
            article_id, title = safe_cell(article.external_id), safe_cell(article.title)
            yield [[article_id, title, named(analyst), start, end,
                    "'" + quote if quote.startswith(FORMULA_STARTS) else quote, named(label), named(source),
                    credibility, "'" + note if note.startswith(FORMULA_STARTS) else note, support]
                   for start, end, quote, label, source, credibility, note, analyst, support, _ in article.spans]

    return iter_csv(COLUMNS, rows(), neutralised=True)
