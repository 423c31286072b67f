"""CoNLL-style BIO tokens aligned with character offsets: ``token<TAB>start<TAB>end<TAB>tag`` lines.

Tokens are runs of word characters (letters, digits, inner apostrophes and hyphens) or single symbols;
combining marks, emoji modifiers, variation selectors and zero-width-joiner sequences stay with the
character before them, and a flag (two regional indicators) is one token, so no token splits what a
reader sees as one character. Offsets are code points, end exclusive: ``text[start:end] == token``.

Each document starts with ``# doc_id = ...`` (and ``# analyst = ...`` in the analyst layer, which writes one
document per analyst); a blank line ends each line of the text (a "sentence") and each document.

A span tags every token it touches, so a token partly inside a span takes its tag. BIO holds one tag per
token, so spans whose tokens overlap cannot all be kept: spans are taken by their first token, the one
covering more tokens (then more characters, then the label's name) first, and a span touching a token
already taken is left out. Spans left out, and spans covering no token (only white space), are counted in
``ExportStats.dropped``.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from annotator.formats.records import ExportArticle, ExportSpan, ExportStats, analyst_layers


@cache
def _token_pattern() -> re.Pattern[str]:
    # Built on first use: collecting the combining marks from the Unicode database takes a few hundredths
    # of a second that other exports need not pay. Marks outside planes 0-1 are only U+E0100-U+E01EF.
    ranges: list[tuple[int, int]] = []
    for code in range(0x20000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    # Emoji skin tones, tag characters (subdivision flags), variation selectors supplement.
    ranges += [(0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F), (0xE0100, 0xE01EF)]
    extend = "".join(f"{_escape(low)}-{_escape(high)}" for low, high in ranges)
    regional = r"[\U0001F1E6-\U0001F1FF]"
    word = rf"[^\W_](?:[\w{extend}]|['’\-](?=\w))*"
    symbol = rf"(?:{regional}{regional}|[^\w\s])[{extend}]*(?:\u200d[^\s\u200d][{extend}]*)*"
    return re.compile(rf"{word}|_+|{symbol}")


def _escape(code: int) -> str:
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token, in code points."""
    return [match.span() for match in _token_pattern().finditer(text)]


def bio_tags(text: str, spans: Sequence[ExportSpan],
             tokens: Sequence[tuple[int, int]] | None = None) -> tuple[list[str], int]:
    """The tag of each token of ``text`` (B-label on a span's first token, I-label after, O outside) and
    the number of spans BIO could not hold (see the module's rule)."""
    tokens = tokenize(text) if tokens is None else tokens
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    candidates = []
    dropped = 0
    for span in spans:
        first = bisect_right(ends, span.start)  # first token ending after the span starts
        last = bisect_left(starts, span.end) - 1  # last token starting before the span ends
        if first > last:
            dropped += 1
            continue
        candidates.append((first, first - last, span.start - span.end, span.label, last))
    candidates.sort()
    tags = ["O"] * len(tokens)
    taken = -1
    for first, _, _, label, last in candidates:
        if first <= taken:
            dropped += 1
            continue
        tags[first] = f"B-{label}"
        inside = f"I-{label}"
        for index in range(first + 1, last + 1):
            tags[index] = inside
        taken = last
    return tags, dropped


def iter_conll(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """Each article's documents (one per analyst in the analyst layer) as one chunk, as it arrives."""
    for article in articles:
        stats.add(article)
        text = article.text
        tokens = tokenize(text)
        # Shared by the article's documents: each token's line up to its tag, with a blank line before the
        # first token of each line of the text.
        heads = []
        previous_end = 0
        for start, end in tokens:
            gap = "\n" if previous_end and "\n" in text[previous_end:start] else ""
            heads.append(f"{gap}{text[start:end]}\t{start}\t{end}\t")
            previous_end = end
        chunk: list[str] = []
        for analyst, spans in analyst_layers(article):
            tags, dropped = bio_tags(text, spans, tokens)
            stats.dropped += dropped
            chunk.append(f"# doc_id = {_one_line(article.external_id)}\n")
            if analyst is not None:
                chunk.append(f"# analyst = {_one_line(analyst)}\n")
            chunk.extend(f"{head}{tag}\n" for head, tag in zip(heads, tags, strict=True))
            chunk.append("\n")
        yield "".join(chunk)


def _one_line(value: str) -> str:
    """A comment value on one line, whatever line breaks an id or a name holds."""
    return " ".join(value.splitlines())
