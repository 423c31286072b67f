"""doccano sequence-labelling JSONL, both ways: ``{"text", "label": [[start, end, "LABEL"], ...]}`` and the
newer ``{"text", "entities": [{"start_offset", "end_offset", "label"}, ...]}`` (read); the first is written.

Offsets: doccano counts UTF-16 code units (JavaScript string indices) unless the project counts
characters otherwise (doccano issue #2290), so both directions default to ``OffsetUnit.UTF16`` and convert
from and to Credence's code points; a text without emoji or other astral characters reads the same
either way. Pass ``offsets="code_point"`` for files whose offsets are Python ``str`` indices.

doccano holds spans and labels only: sources, scores, notes and article scores are not written. The
analyst layer writes one line per analyst with an extra ``"analyst"`` key (doccano keeps unknown keys as
metadata), so reading the file back gives each analyst's spans.
"""

from collections.abc import Collection, Container, Iterable, Iterator, Mapping
from json import JSONEncoder
from typing import TextIO

from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportSpan, ExportStats, analyst_layers
from annotator.formats.validation import (
    OffsetUnit,
    Parsed,
    SpanRules,
    Utf16Offsets,
    json_lines,
    raise_first,
)

_ENCODER = JSONEncoder(ensure_ascii=False)


def iter_doccano(articles: Iterable[ExportArticle], stats: ExportStats, *,
                 offsets: OffsetUnit | str = OffsetUnit.UTF16) -> Iterator[str]:
    """One line per article (per analyst in the analyst layer), as it arrives."""
    unit = OffsetUnit(offsets)
    encode = _ENCODER.encode
    for article in articles:
        stats.add(article)
        utf16 = Utf16Offsets(article.text) if unit == OffsetUnit.UTF16 else None
        lines = []
        for analyst, spans in analyst_layers(article):
            if utf16 is None:
                triples = [[s.start, s.end, s.label] for s in spans]
            else:
                triples = [[utf16.to_utf16(s.start), utf16.to_utf16(s.end), s.label] for s in spans]
            row: dict[str, object] = {"id": article.external_id, "text": article.text, "label": triples}
            if analyst is not None:
                row["analyst"] = analyst
            lines.append(encode(row) + "\n")
        yield "".join(lines)


def parse_doccano(stream: Iterable[str], *, label_map: Mapping[str, str] | None = None,
                  labels: Collection[str] | None = None,
                  offsets: OffsetUnit | str = OffsetUnit.UTF16,
                  analysts: Container[str] | None = None, first_line: int = 1) -> Iterator[Parsed]:
    """Each line's article (spans only), or the FormatError naming its line; blank lines are skipped.
    ``stream`` may be the lines of a file from its line ``first_line`` on."""
    rules = SpanRules.of(label_map=label_map, labels=labels, offsets=offsets, analysts=analysts)
    for number, row in json_lines(stream, first_line):
        if isinstance(row, FormatError):
            yield row
            continue
        try:
            yield _article(row, number, rules)
        except FormatError as error:
            yield error


def read_doccano(stream: TextIO, *, label_map: Mapping[str, str] | None = None,
                 labels: Collection[str] | None = None,
                 offsets: OffsetUnit | str = OffsetUnit.UTF16) -> Iterator[ExportArticle]:
    """Read doccano JSONL; raises FormatError at the first bad line."""
    return raise_first(parse_doccano(stream, label_map=label_map, labels=labels, offsets=offsets))


def _article(row: object, number: int, rules: SpanRules) -> ExportArticle:
    if not isinstance(row, dict):
        raise FormatError("each line must be a JSON object", line=number)
    text = row.get("text", row.get("data"))  # doccano 1.2 wrote the text as "data"
    if not isinstance(text, str) or not text:
        raise FormatError("needs a non-empty 'text'", line=number, field="text")
    analyst = rules.analyst(row.get("analyst"), line=number)
    utf16 = Utf16Offsets(text) if rules.offsets == OffsetUnit.UTF16 else None
    spans: list[ExportSpan] = []
    for index, (start, end, label) in enumerate(_triples(row, number), start=1):
        spans.append(rules.span(text, start, end, label, line=number, where=f"span {index}: ",
                                analyst=analyst, utf16=utf16))
    identifier = row.get("id")
    return ExportArticle(external_id="" if identifier is None else str(identifier), title="", text=text,
                         spans=tuple(spans))


def _triples(row: dict[str, object], number: int) -> list[tuple[object, object, object]]:
    triples: list[tuple[object, object, object]] = []
    labels = row.get("label", [])
    if not isinstance(labels, list):
        raise FormatError("'label' must be a list of [start, end, label]", line=number, field="label")
    for item in labels:
        if not isinstance(item, list) or len(item) != 3:
            raise FormatError(f"each 'label' item must be [start, end, label], got {item!r} "
                              "(a text classification file?)", line=number, field="label")
        triples.append((item[0], item[1], item[2]))
    entities = row.get("entities", [])
    if not isinstance(entities, list):
        raise FormatError("'entities' must be a list", line=number, field="entities")
    for entity in entities:
        if not isinstance(entity, dict):
            raise FormatError(f"each entity must be an object, got {entity!r}", line=number, field="entities")
        triples.append((entity.get("start_offset"), entity.get("end_offset"), entity.get("label")))
    return triples
