"""Credence JSONL: one article per line with its text, metadata, spans and assessments, and its reader.

A line is ``{"id", "title", "text", "meta": {"outlet", "url", "published", ...metadata}, "spans": [{"start",
"end", "quote", "label", "source", "credibility", "note", "analyst"[, "support"][, "claims"]}], "assessments":
[{"analyst", "credibility", "comment"}]}`` with keys always in this order, compact, UTF-8 written as is
(not escaped). "claims", only on spans linked to claim clusters, is ``[{"id", "wording"}]``. Offsets are code
points. Reading the export back gives equal records.
"""

from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from json import JSONEncoder
from typing import TextIO

import orjson

from annotator.formats.errors import FormatError
from annotator.formats.records import (
    RESERVED_META,
    ExportArticle,
    ExportAssessment,
    ExportClaim,
    ExportSpan,
    ExportStats,
    JsonValue,
)
from annotator.formats.validation import Parsed, SpanRules, iso_date, json_lines, optional_text, raise_first

# For the rare line orjson refuses (an integer past 64 bits in metadata): the same JSON, compact.
_FALLBACK = JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def span_dicts(spans: Sequence[ExportSpan]) -> list[dict[str, object]]:
    """Each span as an object, keys in field order; ``support`` only where it is given (gold and majority
    layers), ``claims`` only on spans linked to claim clusters. Unpacked in one comprehension: this runs once
    per exported span."""
    rows: list[dict[str, object]] = [
        {"start": start, "end": end, "quote": quote, "label": label, "source": source, "credibility": credibility,
         "note": note, "analyst": analyst}
        for start, end, quote, label, source, credibility, note, analyst, _, _ in spans]
    for row, span in zip(rows, spans, strict=True):
        if span.support is not None:
            row["support"] = span.support
        if span.claims:
            row["claims"] = [{"id": claim.id, "wording": claim.wording} for claim in span.claims]
    return rows


def article_to_dict(article: ExportArticle) -> dict[str, object]:
    return {
        "id": article.external_id,
        "title": article.title,
        "text": article.text,
        "meta": {"outlet": article.outlet, "url": article.url, "published": article.published,
                 **article.metadata},
        "spans": span_dicts(article.spans),
        "assessments": [{"analyst": a.analyst, "credibility": a.credibility, "comment": a.comment}
                        for a in article.assessments],
    }


def encode_line(row: Mapping[str, object]) -> str:
    """``row`` as one compact JSON line (orjson: several times faster than the standard library)."""
    try:
        return orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE).decode()
    except orjson.JSONEncodeError:
        return _FALLBACK.encode(row) + "\n"


def iter_jsonl(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """Each article as one JSON line, as it arrives (nothing is held in memory)."""
    for article in articles:
        stats.add(article)
        yield encode_line(article_to_dict(article))


def parse_jsonl(stream: Iterable[str], *, label_map: Mapping[str, str] | None = None,
                labels: Collection[str] | None = None, scale: tuple[int, int] | None = None,
                analysts: Container[str] | None = None, first_line: int = 1) -> Iterator[Parsed]:
    """Each line's article, or the FormatError naming its line and field; blank lines are skipped. The
    rules (labels after ``label_map``, ``scale``, ``analysts``) are SpanRules'. ``stream`` may be the lines
    of a file from its line ``first_line`` on."""
    rules = SpanRules.of(label_map=label_map, labels=labels, scale=scale, analysts=analysts)
    for number, row in json_lines(stream, first_line):
        if isinstance(row, FormatError):
            yield row
            continue
        try:
            yield article_from_dict(row, line=number, rules=rules)
        except FormatError as error:
            yield error


def read_jsonl(stream: TextIO, *, label_map: Mapping[str, str] | None = None,
               labels: Collection[str] | None = None,
               scale: tuple[int, int] | None = None) -> Iterator[ExportArticle]:
    """Read Credence JSONL, checking every span against its text; raises FormatError at the first bad line."""
    return raise_first(parse_jsonl(stream, label_map=label_map, labels=labels, scale=scale))


def article_from_dict(row: object, *, line: int, rules: SpanRules) -> ExportArticle:
    """The article of one parsed line; raises FormatError naming the field."""
    if not isinstance(row, dict):
        raise FormatError("each line must be a JSON object", line=line)
    text = row.get("text")
    if not isinstance(text, str) or not text:
        raise FormatError("needs a non-empty 'text'", line=line, field="text")
    meta = row.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FormatError("'meta' must be an object", line=line, field="meta")
    spans = row.get("spans") or []
    if not isinstance(spans, list):
        raise FormatError("'spans' must be a list", line=line, field="spans")
    assessments = row.get("assessments") or []
    if not isinstance(assessments, list):
        raise FormatError("'assessments' must be a list", line=line, field="assessments")
    return ExportArticle(
        external_id=_text_field(row.get("id"), "id", line),
        title=_text_field(row.get("title"), "title", line),
        text=text,
        outlet=_text_field(meta.get("outlet"), "outlet", line),
        url=_text_field(meta.get("url"), "url", line),
        published=iso_date(meta.get("published"), line),
        spans=tuple(_span(text, span, index, line, rules) for index, span in enumerate(spans, start=1)),
        assessments=tuple(_assessment(item, index, line, rules)
                          for index, item in enumerate(assessments, start=1)),
        metadata=_metadata(meta),
    )


def _span(text: str, span: object, index: int, line: int, rules: SpanRules) -> ExportSpan:
    where = f"span {index}: "
    checked = rules.good_span(text, span)
    if checked is None:  # something is wrong: the full check says what
        if not isinstance(span, dict):
            raise FormatError(f"{where}must be an object", line=line, field="spans")
        checked = rules.span(text, span.get("start"), span.get("end"), span.get("label"), line=line, where=where,
                             quote=span.get("quote"), source=span.get("source"), credibility=span.get("credibility"),
                             note=span.get("note"), analyst=span.get("analyst"), support=span.get("support"))
    claims = span.get("claims")  # type: ignore[attr-defined]  # a dict: good_span or the checks above say so
    if claims is None:
        return checked
    return checked._replace(claims=_claims(claims, line, where))


def _claims(raw: object, line: int, where: str) -> tuple[ExportClaim, ...]:
    """A span's claim clusters: a list of {"id": integer, "wording": text}."""
    error = FormatError(f"{where}'claims' must be a list of {{\"id\": integer, \"wording\": text}}", line=line,
                        field="claims")
    if not isinstance(raw, list):
        raise error
    claims = []
    for item in raw:
        if not isinstance(item, dict) or type(item.get("id")) is not int or not isinstance(item.get("wording"), str):
            raise error
        claims.append(ExportClaim(item["id"], item["wording"]))
    return tuple(claims)


def _assessment(item: object, index: int, line: int, rules: SpanRules) -> ExportAssessment:
    where = f"assessment {index}: "
    if not isinstance(item, dict):
        raise FormatError(f"{where}must be an object", line=line, field="assessments")
    return ExportAssessment(rules.credibility(item.get("credibility"), line=line, where=where),
                            optional_text(item.get("comment"), "comment", line, where) or "",
                            rules.analyst(item.get("analyst"), line=line, where=where))


def _text_field(raw: object, name: str, line: int) -> str:
    if raw is None:
        return ""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and name == "id":
        return str(raw)  # other tools number their records
    if not isinstance(raw, str):
        raise FormatError(f"'{name}' must be text, got {raw!r}", line=line, field=name)
    return raw


def _metadata(meta: dict[str, JsonValue]) -> dict[str, JsonValue]:
    return {key: value for key, value in meta.items() if key not in RESERVED_META}
