"""Readers for article files (.txt, .jsonl, .csv) into ArticleRecord values.

A reader either returns every record of a file or raises FormatError for the first bad one:
callers write nothing from a file that does not read whole.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import TextIO
from urllib.parse import urlsplit

from annotator.formats.errors import FormatError
from annotator.text import normalise_newlines

TITLE_MAX = 500
HEADLINE_MAX = 200  # a first line longer than this is a paragraph, not a headline
MAX_TEXT_CHARS = 2_000_000
OUTLET_MAX = 200
_SURROGATE = re.compile("[\ud800-\udfff]")
ARTICLE_FIELDS = ("id", "external_id", "title", "text", "outlet", "url", "published")


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    external_id: str
    title: str
    text: str
    outlet: str = ""
    url: str = ""
    published: dt.date | None = None
    line: int | None = None  # where the record starts in its file; None for a .txt file (the whole file)


def read_articles(name: str, stream: TextIO) -> list[ArticleRecord]:
    """Read every article of the file called ``name`` (its suffix picks the format)."""
    suffix = PurePath(name).suffix.lower()
    stem = PurePath(name).stem
    if suffix == ".txt":
        return [read_txt(stem, stream.read())]
    if suffix == ".jsonl":
        return list(_read_jsonl(stream))
    if suffix == ".csv":
        return list(_read_csv(stream))
    raise FormatError(f"unsupported file type {suffix or '(none)'}: use .txt, .jsonl or .csv")


def read_txt(external_id: str, raw: str) -> ArticleRecord:
    """First non-empty line is the title, the rest the body, kept exactly apart from line endings.

    A first line longer than a headline (a whole paragraph, as in wire copy with no title) stays in the
    body, so no text is lost, and the title is its first sentence.
    """
    content = normalise_newlines(raw.removeprefix("\ufeff"))
    lines = content.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise FormatError("the file has no text", line=1, field="text")
    headline = lines[first].strip()
    if len(headline) <= HEADLINE_MAX:
        body = "\n".join(lines[first + 1 :]).lstrip("\n")
        title = headline
    else:
        body = "\n".join(lines[first:])
        title = _first_sentence(headline)
    if not body.strip():
        raise FormatError("the file has a title but no body", line=first + 1, field="text")
    return _checked(ArticleRecord(external_id=external_id, title=title, text=body), line=None)


def _first_sentence(paragraph: str) -> str:
    end = paragraph.find(". ")
    sentence = paragraph[: end + 1] if 0 < end < TITLE_MAX else paragraph
    return sentence if len(sentence) <= 120 else sentence[:119].rstrip() + "…"


def _read_jsonl(stream: TextIO) -> Iterator[ArticleRecord]:
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")  # editors on Windows start UTF-8 files with a BOM
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(f"not valid JSON ({error.msg})", line=number) from None
        if not isinstance(row, dict):
            raise FormatError("each line must be a JSON object", line=number)
        yield _from_mapping(row, number)


def _read_csv(stream: TextIO) -> Iterator[ArticleRecord]:
    content = stream.read().removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if not header or "text" not in header:
        raise FormatError("the header must name a 'text' column (and title, outlet, url, published)", line=1)
    # A quoted cell may span several lines: a record is reported by the line it starts on, not the one it
    # ends on (csv.DictReader's line_num), so that "line 5" points at the article a user must fix.
    end_of_previous = reader.line_num
    for cells in reader:
        number, end_of_previous = end_of_previous + 1, reader.line_num
        if not cells:
            continue  # a blank line
        if len(cells) > len(header):
            raise FormatError("more cells than header columns", line=number)
        yield _from_mapping(dict(zip(header, cells, strict=False)), number)


def _from_mapping(row: Mapping[str, object], number: int) -> ArticleRecord:
    def text_field(key: str) -> str:
        value = row.get(key)
        if value is None:
            return ""
        # bool is an int to Python: JSON true would otherwise become the id "True".
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise FormatError(f"'{key}' must be a string", line=number, field=key)
        return str(value)

    text = normalise_newlines(text_field("text"))
    if not text.strip():
        raise FormatError("'text' is missing or empty", line=number, field="text")
    first_line = next(line for line in text.split("\n") if line.strip()).strip()
    title = text_field("title").strip() or _first_sentence(first_line)
    external_id = (text_field("external_id") or text_field("id")).strip()
    record = ArticleRecord(
        external_id=external_id,
        title=title,
        text=text,
        outlet=text_field("outlet").strip(),
        url=text_field("url").strip(),
        published=_parse_date(text_field("published").strip(), number),
        line=number,
    )
    return _checked(record, line=number)


def _parse_date(value: str, number: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise FormatError(f"'published' must be an ISO date (YYYY-MM-DD), got {value!r}",
                          line=number, field="published") from None


def _checked(record: ArticleRecord, *, line: int | None) -> ArticleRecord:
    if len(record.text) > MAX_TEXT_CHARS:
        raise FormatError(f"text is longer than {MAX_TEXT_CHARS} characters", line=line, field="text")
    if len(record.title) > TITLE_MAX:
        raise FormatError(f"title is longer than {TITLE_MAX} characters", line=line, field="title")
    if len(record.external_id) > 200:
        raise FormatError("id is longer than 200 characters", line=line, field="id")
    if len(record.outlet) > OUTLET_MAX:
        raise FormatError(f"outlet is longer than {OUTLET_MAX} characters", line=line, field="outlet")
    for field, value in (("text", record.text), ("title", record.title), ("id", record.external_id),
                         ("outlet", record.outlet), ("url", record.url)):
        # PostgreSQL cannot store NUL in text, and a lone surrogate (JSON "\ud800") has no UTF-8 form:
        # refuse both here rather than fail half-way through writing.
        if "\x00" in value:
            raise FormatError(f"'{field}' contains a NUL character", line=line, field=field)
        if _SURROGATE.search(value):
            raise FormatError(f"'{field}' contains a lone surrogate (not valid Unicode)", line=line, field=field)
    if record.url:
        parts = urlsplit(record.url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or len(record.url) > 2000:
            raise FormatError(f"url must be an http(s) address, got {record.url[:80]!r}", line=line, field="url")
    return record
