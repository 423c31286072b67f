"""Credence JSONL: one article per line with its text, metadata, spans and assessments. Reads it back."""

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, ExportStats


def article_to_dict(article: ExportArticle) -> dict[str, Any]:
    return {
        "id": article.external_id,
        "title": article.title,
        "text": article.text,
        "meta": {"outlet": article.outlet, "url": article.url, "published": article.published, **article.metadata},
        "spans": [
            {"start": s.start, "end": s.end, "quote": s.quote, "label": s.label, "source": s.source,
             "credibility": s.credibility, "note": s.note, "analyst": s.analyst,
             **({"support": s.support} if s.support is not None else {})}
            for s in article.spans
        ],
        "assessments": [{"analyst": a.analyst, "credibility": a.credibility, "comment": a.comment}
                        for a in article.assessments],
    }


def iter_jsonl(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """Each article as one JSON line, as it arrives (nothing is held in memory)."""
    for article in articles:
        stats.add(article)
        yield json.dumps(article_to_dict(article), ensure_ascii=False) + "\n"


def _int_or_none(value: Any, line: int, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"'{field}' must be a whole number", line=line, field=field)
    return value


def read_jsonl(stream: TextIO) -> Iterator[ExportArticle]:
    """Read Credence JSONL, checking every span against its text; FormatError names the line."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise FormatError(f"not valid JSON ({error.msg})", line=number) from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"]:
            raise FormatError("each line needs an object with a non-empty 'text'", line=number, field="text")
        text = row["text"]
        spans = []
        for index, span in enumerate(row.get("spans") or []):
            if not isinstance(span, dict):
                raise FormatError(f"span {index} must be an object", line=number, field="spans")
            start, end = span.get("start"), span.get("end")
            if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
                raise FormatError(f"span {index} has offsets outside the text ({start}, {end})", line=number,
                                  field="spans")
            if "quote" in span and span["quote"] != text[start:end]:
                raise FormatError(f"span {index}: quote does not match the text at [{start}, {end})", line=number,
                                  field="spans")
            if not isinstance(span.get("label"), str) or not span["label"]:
                raise FormatError(f"span {index} needs a label", line=number, field="spans")
            spans.append(ExportSpan(start, end, text[start:end], span["label"], span.get("source"),
                                    _int_or_none(span.get("credibility"), number, "credibility"),
                                    span.get("note") or "", span.get("analyst")))
        assessments = tuple(
            ExportAssessment(_int_or_none(a.get("credibility"), number, "credibility"), a.get("comment") or "",
                             a.get("analyst"))
            for a in row.get("assessments") or [] if isinstance(a, dict)
        )
        meta = row.get("meta") or {}
        yield ExportArticle(
            external_id=str(row.get("id") or ""), title=str(row.get("title") or ""), text=text,
            outlet=str(meta.get("outlet") or ""), url=str(meta.get("url") or ""), published=meta.get("published"),
            spans=tuple(spans), assessments=assessments,
        )
