"""CSV that is safe to open in a spreadsheet: RFC 4180 quoting and neutralised formulas."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers.

    Covers =HYPERLINK(...), +cmd|..., -2+3, @SUM(...) and cells starting with a tab or carriage return
    (OWASP "CSV injection").
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def iter_csv(header: Sequence[str], batches: Iterable[Sequence[Sequence[object]]], *,
             neutralised: bool = False) -> Iterator[str]:
    """The header line, then each batch of rows as one chunk of CSV text (for streaming responses).

    ``neutralised``: the caller already passed every text cell through safe_cell (None is written as an
    empty cell either way), so the rows are written as they are.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for batch in batches:
        if neutralised:
            writer.writerows(batch)
        else:
            for row in batch:
                writer.writerow([safe_cell(value) for value in row])
        if buffer.tell():  # a batch without rows (an article without spans) adds nothing
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]], stream: TextIO) -> int:
    """Write the header and rows as they come (streaming); returns the number of data rows."""
    writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count
