"""doccano sequence-labelling JSONL import: {"text", "label": [[start, end, "LABEL"], ...]} or the newer
{"text", "entities": [{"start_offset", "end_offset", "label"}]}. doccano counts code points (its offset
fix of 2019, doccano PR #99), as Credence does."""

import json
from collections.abc import Iterator, Mapping
from typing import TextIO

from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportSpan


def read_doccano(stream: TextIO, *, label_map: Mapping[str, str] | None = None) -> Iterator[ExportArticle]:
    mapping = dict(label_map or {})
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise FormatError(f"not valid JSON ({error.msg})", line=number) from None
        text = row.get("text") if isinstance(row, dict) else None
        if not isinstance(text, str) or not text:
            raise FormatError("each line needs a non-empty 'text'", line=number, field="text")
        triples = [tuple(item) for item in row.get("label", []) if isinstance(item, list | tuple)]
        triples += [(e.get("start_offset"), e.get("end_offset"), e.get("label")) for e in row.get("entities", [])
                    if isinstance(e, dict)]
        spans = []
        for start, end, label in triples:
            if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
                raise FormatError(f"offsets ({start}, {end}) outside the text", line=number, field="label")
            if not isinstance(label, str) or not label:
                raise FormatError("a span needs a label", line=number, field="label")
            spans.append(ExportSpan(start, end, text[start:end], mapping.get(label, label)))
        yield ExportArticle(external_id=str(row.get("id") or ""), title=str(row.get("title") or ""), text=text,
                            spans=tuple(spans))
