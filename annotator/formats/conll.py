"""CoNLL-style BIO tokens aligned with character offsets: token, start, end, tag (tab-separated).

Tokens are runs of word characters (letters, digits, marks, inner apostrophes and hyphens) or single
punctuation marks; offsets are code points. A blank line ends each line of the text (a "sentence") and
each document starts with "# doc_id = ..." (and "# analyst = ..." in the analyst layer, one document
per analyst). BIO holds one tag per token, so overlapping spans cannot all
be kept: spans are taken by start, the longest first, and a span overlapping one already kept is left out
(counted in ``dropped``). A token partly inside a span takes its tag.
"""

import re
from collections.abc import Iterable, Iterator, Sequence

from annotator.formats.records import ExportArticle, ExportSpan, ExportStats

TOKEN = re.compile(r"[^\W_](?:[\w\u0300-\u036f]|['’\-](?=\w))*|[^\w\s]|_+", re.UNICODE)


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token, in code points."""
    return [(match.start(), match.end()) for match in TOKEN.finditer(text)]


def non_overlapping(spans: Sequence[ExportSpan]) -> tuple[list[ExportSpan], int]:
    """The spans BIO can hold (earliest start, then longest, first) and how many were left out."""
    kept: list[ExportSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.label)):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept, len(spans) - len(kept)


def bio_tags(text: str, spans: Sequence[ExportSpan]) -> list[tuple[int, int, str]]:
    """Every token with its tag: B-label on the first token of a span, I-label after, O outside."""
    kept, _ = non_overlapping(spans)
    tagged: list[tuple[int, int, str]] = []
    index = 0
    previous: ExportSpan | None = None
    for start, end in tokenize(text):
        while index < len(kept) and kept[index].end <= start:
            index += 1
        span = kept[index] if index < len(kept) and kept[index].start < end else None
        if span is None:
            tagged.append((start, end, "O"))
        else:
            tagged.append((start, end, f"{'I' if span is previous else 'B'}-{span.label}"))
        previous = span
    return tagged


def iter_conll(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """Each article's tokens and tags as one chunk, one document per analyst in the analyst layer;
    ``stats.dropped`` counts spans BIO could not hold."""
    for article in articles:
        stats.add(article)
        by_analyst: dict[str | None, list[ExportSpan]] = {}
        for span in article.spans:
            by_analyst.setdefault(span.analyst, []).append(span)
        for analyst, spans in sorted(by_analyst.items(), key=lambda item: item[0] or "") or [(None, [])]:
            stats.dropped += non_overlapping(spans)[1]
            lines = [f"# doc_id = {article.external_id}"] + ([f"# analyst = {analyst}"] if analyst else [])
            previous_end = None
            for start, end, tag in bio_tags(article.text, spans):
                if previous_end is not None and "\n" in article.text[previous_end:start]:
                    lines.append("")
                lines.append(f"{article.text[start:end]}\t{start}\t{end}\t{tag}")
                previous_end = end
            yield "\n".join(lines) + "\n\n"
