"""CSV, one span per row, safe to open in a spreadsheet (formulas neutralised, RFC 4180 quoting)."""

import re
from collections.abc import Iterable, Iterator

from annotator.formats.records import ExportArticle, ExportStats
from annotator.formats.spreadsheet import FORMULA_STARTS

COLUMNS = ["article_id", "title", "analyst", "start", "end", "quote", "label", "source", "credibility",
           "note", "support"]

_NEEDS_QUOTES = re.compile('[",\r\n]').search


def text_cell(value: str) -> str:
    """A text cell exactly as csv.writer (QUOTE_MINIMAL, CRLF lines) writes spreadsheet.safe_cell(value):
    a leading apostrophe before a formula start, then quoted if it holds a comma, a quote or a line break."""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    if _NEEDS_QUOTES(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def iter_csv_spans(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """The header, then one chunk of rows per article (none for an article without spans).

    Rows are formatted here, one f-string a span, rather than by csv.writer (three times slower a row,
    and this runs once per exported span). Analysts, labels and sources repeat: their cells are remembered.
    """
    named: dict[str | None, str] = {None: ""}

    def cell(value: str | None) -> str:
        found = named.get(value)
        if found is None:
            found = named[value] = text_cell(value)  # type: ignore[arg-type]  # None is in named
        return found

    yield ",".join(COLUMNS) + "\r\n"
    for article in articles:
        stats.add(article)
        if not article.spans:
            continue
        head = f"{text_cell(article.external_id)},{text_cell(article.title)},"
        yield "".join([
            f"{head}{cell(analyst)},{start},{end},{text_cell(quote)},{cell(label)},{cell(source)},"
            f"{'' if credibility is None else credibility},{text_cell(note) if note else ''},"
            f"{'' if support is None else support}\r\n"
            for start, end, quote, label, source, credibility, note, analyst, support, _ in article.spans])
