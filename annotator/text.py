"""Offsets into article text: code-point slicing, quote checks, UTF-16 conversion, normalisation.

Offsets are Python ``str`` indices (Unicode code points), half-open: a span covers ``text[start:end]``.
Browsers count UTF-16 code units; ``utf16_to_codepoint`` and ``codepoint_to_utf16`` convert at the boundary.
Pure: no Django import.
"""

import hashlib
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence


class OffsetError(ValueError):
    """Offsets that do not describe a span of the text. ``field`` names the offending input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def normalise_newlines(raw: str) -> str:
    """Return ``raw`` with CRLF and lone CR turned into LF; nothing else changes."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 encoding of ``text``: the identity of an article's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_offsets(text: str, start: int, end: int) -> None:
    """Raise OffsetError unless 0 <= start < end <= len(text)."""
    if start < 0:
        raise OffsetError(f"start must be 0 or more, got {start}.", field="start")
    if end <= start:
        raise OffsetError(f"end ({end}) must be greater than start ({start}).", field="end")
    if end > len(text):
        raise OffsetError(f"end ({end}) is past the end of the text ({len(text)} characters).", field="end")


def extract_quote(text: str, start: int, end: int, expected: str | None = None) -> str:
    """Return ``text[start:end]`` after checking the offsets.

    If ``expected`` is given it must equal that slice exactly (no normalisation), else OffsetError on
    field ``quote``: a client whose idea of the text differs from the server's must not write a span.
    """
    check_offsets(text, start, end)
    quote = text[start:end]
    if expected is not None and expected != quote:
        raise OffsetError(
            f"quote does not match the text at [{start}, {end}): expected {quote!r}, got {expected!r}.",
            field="quote",
        )
    return quote


def _astral_positions(text: str) -> list[int]:
    """Code-point indices of characters outside the BMP (two UTF-16 units each)."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def codepoint_to_utf16(text: str, offset: int) -> int:
    """UTF-16 code-unit offset of code-point ``offset`` in ``text`` (0 <= offset <= len(text))."""
    if not 0 <= offset <= len(text):
        raise OffsetError(f"offset {offset} is outside the text.", field="offset")
    astral = _astral_positions(text)
    return offset + bisect_right(astral, offset - 1)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Code-point offset for UTF-16 unit ``offset``; an offset inside a surrogate pair is refused."""
    units = 0
    for index, ch in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
    if units == offset:
        return len(text)
    raise OffsetError(f"UTF-16 offset {offset} splits a character or lies outside the text.", field="offset")


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words and trim surrounding white space (for 'snap to words')."""
    check_offsets(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    return start, end


def _is_word_char(ch: str) -> bool:
    # Combining marks belong to the letter before them, so a snap never splits "é" written as e + U+0301.
    return ch.isalnum() or ch in "_'’-" or unicodedata.category(ch).startswith("M")


def paragraphs(text: str) -> Sequence[tuple[int, int]]:
    """[start, end) of each paragraph (runs of non-empty lines separated by newlines)."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            bounds.append((position, position + len(line)))
        position += len(line) + 1
    return bounds
