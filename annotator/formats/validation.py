"""What every importer checks before it returns a record, and the dry run that lists every bad record.

Readers come in pairs: ``parse_<format>`` yields each record or the FormatError that describes it, and
keeps going; ``read_<format>`` stops at the first error. ``validate_all`` drains a ``parse_`` generator
into every record or every error, so a caller can report each bad line and then write all or nothing.
"""

import datetime as dt
import json
from bisect import bisect_left
from collections.abc import Collection, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import orjson

from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportSpan

Parsed = ExportArticle | FormatError


class OffsetUnit(StrEnum):
    """How a file counts characters. Credence, W3C selectors and Label Studio's Text tag count code
    points (Python ``str`` indices); doccano and browsers count UTF-16 code units by default."""

    CODE_POINT = "code_point"
    UTF16 = "utf16"


class Utf16Offsets:
    """Converts offsets of one text between code points and UTF-16 units in O(log n) a call.

    Only characters outside the Basic Multilingual Plane (emoji, some CJK) take two units; a text
    without any converts as the identity.
    """

    __slots__ = ("_starts", "_astral")

    def __init__(self, text: str) -> None:
        self._astral = [] if not text or max(text) <= "\uffff" else [
            index for index, char in enumerate(text) if char > "\uffff"]
        # UTF-16 offset at which the i-th astral character starts.
        self._starts = [index + rank for rank, index in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)

    def to_code_point(self, offset: int) -> int | None:
        """The code-point offset, or None when ``offset`` falls between the two halves of a character."""
        before = bisect_left(self._starts, offset - 1)
        if before < len(self._starts) and self._starts[before] == offset - 1:
            return None
        return offset - before


@dataclass(frozen=True, slots=True)
class SpanRules:
    """How an importer checks spans.

    ``label_map`` renames the file's labels first (``{"CLAIM": "claim"}``); ``labels``, if given, is the
    set of label keys allowed after renaming; ``scale`` (min, max), if given, bounds credibility scores;
    ``offsets`` says how the file counts characters (converted to code points on reading); ``analysts``, if
    given, holds the analyst names a record may use (an importer's lookup of its users).
    """

    label_map: Mapping[str, str] = field(default_factory=dict)
    labels: frozenset[str] | None = None
    scale: tuple[int, int] | None = None
    offsets: OffsetUnit = OffsetUnit.CODE_POINT
    analysts: Container[str] | None = None
    # Names ``analysts`` was asked about and holds: a file names a handful of analysts a million times.
    known_analysts: set[str] = field(default_factory=set, compare=False)

    @classmethod
    def of(cls, *, label_map: Mapping[str, str] | None = None, labels: Collection[str] | None = None,
           scale: tuple[int, int] | None = None, offsets: OffsetUnit | str = OffsetUnit.CODE_POINT,
           analysts: Container[str] | None = None) -> "SpanRules":
        known = None if labels is None else frozenset(labels)
        return cls(dict(label_map or {}), known, scale, OffsetUnit(offsets), analysts)

    def analyst(self, raw: object, *, line: int, where: str = "") -> str | None:
        """The analyst's name (None for none), which must be one of ``analysts`` when they are given."""
        name = optional_text(raw, "analyst", line, where)
        if name and self.analysts is not None and name not in self.analysts:
            raise FormatError(f"{where}no user called {name!r}", line=line, field="analyst")
        return name

    def label(self, raw: object, *, line: int, where: str = "") -> str:
        if not isinstance(raw, str) or not raw:
            raise FormatError(f"{where}needs a label (a non-empty string)", line=line, field="label")
        label = self.label_map.get(raw, raw)
        if self.labels is not None and label not in self.labels:
            mapped = f" (mapped from {raw!r})" if label != raw else ""
            raise FormatError(f"{where}unknown label {label!r}{mapped}; use one of {sorted(self.labels)} "
                              "or map it", line=line, field="label")
        return label

    def credibility(self, raw: object, *, line: int, where: str = "") -> int | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise FormatError(f"{where}credibility must be a whole number, got {raw!r}", line=line,
                              field="credibility")
        if self.scale is not None and not self.scale[0] <= raw <= self.scale[1]:
            low, high = self.scale
            raise FormatError(f"{where}credibility {raw} is outside the scale {low} to {high}", line=line,
                              field="credibility")
        return raw

    def good_span(self, text: str, span: object) -> ExportSpan | None:
        """The span of a ``{"start", "end", "label", "quote", "source", "credibility", "note", "analyst",
        "support"}`` object (``span``'s arguments, named alike) when every field is good and offsets count
        code points, else None: ``span`` then names the error. Most spans of a file are good, and this
        checks one several times faster (one call, no message prepared)."""
        if type(span) is not dict or self.offsets is not OffsetUnit.CODE_POINT:
            return None
        get = span.get
        start, end, quote, label = get("start"), get("end"), get("quote"), get("label")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            return None
        exact = text[start:end]
        if (quote is not None and quote != exact) or type(label) is not str or not label:
            return None
        label = self.label_map.get(label, label)
        source, credibility, note, analyst, support = (get("source"), get("credibility"), get("note"),
                                                       get("analyst"), get("support"))
        if ((self.labels is not None and label not in self.labels)
                or (source is not None and type(source) is not str)
                or (note is not None and type(note) is not str)
                or (support is not None and (type(support) is not int or support < 0))
                or (credibility is not None and (type(credibility) is not int or (
                    self.scale is not None and not self.scale[0] <= credibility <= self.scale[1])))
                or (analyst is not None and type(analyst) is not str)):
            return None
        if analyst and self.analysts is not None and analyst not in self.known_analysts:
            if analyst not in self.analysts:
                return None
            self.known_analysts.add(analyst)
        return ExportSpan(start, end, exact, label, source, credibility, note or "", analyst, support)

    def span(self, text: str, start: object, end: object, label: object, *, line: int, where: str = "",
             quote: object = None, source: object = None, credibility: object = None, note: object = "",
             analyst: object = None, support: object = None, utf16: Utf16Offsets | None = None) -> ExportSpan:
        """The checked span: 0 <= start < end <= len(text) in code points, ``quote`` (if given) equal to
        ``text[start:end]``, a known label, a whole-number score. ``utf16`` converts UTF-16 offsets."""
        begin = _offset(start, "start", line, where)
        finish = _offset(end, "end", line, where)
        if utf16 is not None:
            converted = utf16.to_code_point(begin), utf16.to_code_point(finish)
            if None in converted:
                raise FormatError(f"{where}UTF-16 offsets ({begin}, {finish}) split a character", line=line,
                                  field="start" if converted[0] is None else "end")
            begin, finish = converted[0] or 0, converted[1] or 0
        if begin >= finish:
            raise FormatError(f"{where}end ({finish}) must be greater than start ({begin})", line=line,
                              field="end")
        if finish > len(text):
            raise FormatError(f"{where}end ({finish}) is past the end of the text ({len(text)} characters)",
                              line=line, field="end")
        exact = text[begin:finish]
        if quote is not None and quote != exact:
            raise FormatError(f"{where}quote {quote!r} does not match the text at [{begin}, {finish}): "
                              f"{exact!r}", line=line, field="quote")
        return ExportSpan(begin, finish, exact, self.label(label, line=line, where=where),
                          optional_text(source, "source", line, where),
                          self.credibility(credibility, line=line, where=where),
                          optional_text(note, "note", line, where) or "",
                          self.analyst(analyst, line=line, where=where),
                          _support(support, line, where))


def _offset(raw: object, name: str, line: int, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise FormatError(f"{where}{name} must be a whole number, got {raw!r}", line=line, field=name)
    if raw < 0:
        raise FormatError(f"{where}{name} must be 0 or more, got {raw}", line=line, field=name)
    return raw


def _support(raw: object, line: int, where: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise FormatError(f"{where}support must be a count, got {raw!r}", line=line, field="support")
    return raw


def iso_date(raw: object, line: int, where: str = "") -> str | None:
    """``raw`` if it starts with an ISO date (YYYY-MM-DD), None if empty, else FormatError on "published"."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            dt.date.fromisoformat(raw[:10])
            return raw
        except ValueError:
            pass
    raise FormatError(f"{where}'published' must be an ISO date (YYYY-MM-DD), got {raw!r}", line=line,
                      field="published")


def optional_text(raw: object, name: str, line: int, where: str = "") -> str | None:
    """``raw`` if it is a string or None, else FormatError on field ``name``."""
    if raw is None or isinstance(raw, str):
        return raw
    raise FormatError(f"{where}{name} must be text, got {raw!r}", line=line, field=name)


def json_lines(stream: Iterable[str], first_line: int = 1) -> Iterator[tuple[int, object]]:
    """(1-based line number, parsed value) for each non-blank line; a line that is not JSON gives a
    FormatError as its value. A UTF-8 byte-order mark on the first line is ignored. ``stream`` may be the
    lines of a file from its line ``first_line`` on."""
    for number, raw in enumerate(stream, start=first_line):
        if number == 1:
            raw = raw.removeprefix("\ufeff")
        if not raw.strip():
            continue
        try:
            value = _loads(raw)
        except json.JSONDecodeError as error:
            value = FormatError(f"not valid JSON ({error.msg} at column {error.colno})", line=number)
        yield number, value


_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))  # every digit a 0, else a space
_NINETEEN_DIGITS = b"0" * 19


def _loads(raw: str) -> object:
    """One JSON value, as json.loads gives it: by orjson (several times faster) when it reads the line the
    same way, else by the standard library, which also words the errors (and takes NaN and Infinity)."""
    # orjson reads a whole number past 64 bits (19 digits or more) as a float; the standard library keeps
    # it whole. A byte table finds a run of 19 digits several times faster than a regular expression.
    if _NINETEEN_DIGITS not in raw.encode("utf-8", "surrogatepass").translate(_DIGITS_ONLY):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


@dataclass(frozen=True, slots=True)
class ReadReport:
    """Every record of a file, or every error: ``articles`` is empty as soon as one record is bad."""

    articles: tuple[ExportArticle, ...]
    errors: tuple[FormatError, ...]
    records: int  # records read, good and bad

    @property
    def is_valid(self) -> bool:
        return not self.errors


def validate_all(parsed: Iterable[Parsed], *, max_errors: int | None = None) -> ReadReport:
    """Read a whole ``parse_<format>`` stream: all records if every one is good, else every error (up to
    ``max_errors``, then reading stops). Holds the good records in memory until the first error."""
    articles: list[ExportArticle] = []
    errors: list[FormatError] = []
    records = 0
    for item in parsed:
        records += 1
        if isinstance(item, FormatError):
            errors.append(item)
            articles.clear()
            if max_errors is not None and len(errors) >= max_errors:
                break
        elif not errors:
            articles.append(item)
    return ReadReport(tuple(articles), tuple(errors), records)


def raise_first(parsed: Iterable[Parsed]) -> Iterator[ExportArticle]:
    """The records of a ``parse_<format>`` stream, raising the first FormatError met."""
    for item in parsed:
        if isinstance(item, FormatError):
            raise item
        yield item
