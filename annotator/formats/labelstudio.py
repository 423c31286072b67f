"""Label Studio tasks: export as pre-annotated tasks, import from Label Studio's JSON export.

Offsets: Label Studio's Text tag stores code-point offsets since its fix for astral characters
(label-studio PR #1559, frontend PR #308), the same as Credence, so no conversion is made. Credibility
scores travel as a "number" result per region and sources as a "textarea" result per region (with
``meta`` naming the region). The labeling config to use is in ``LABEL_CONFIG``.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, ExportStats

LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="claim"/><Label value="denial"/><Label value="expert_opinion"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Number name="credibility" toName="text" perRegion="true"/>
  <TextArea name="source" toName="text" perRegion="true"/>
</View>"""


def _results(spans: Iterable[ExportSpan]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for index, span in enumerate(spans):
        region = f"r{index}"
        results.append({"id": region, "from_name": "label", "to_name": "text", "type": "labels",
                        "value": {"start": span.start, "end": span.end, "text": span.quote, "labels": [span.label]}})
        if span.credibility is not None:
            results.append({"id": region, "from_name": "credibility", "to_name": "text", "type": "number",
                            "value": {"start": span.start, "end": span.end, "number": span.credibility}})
        if span.source:
            results.append({"id": region, "from_name": "source", "to_name": "text", "type": "textarea",
                            "value": {"start": span.start, "end": span.end, "text": [span.source]}})
    return results


def task(article: ExportArticle, number: int) -> dict[str, Any]:
    by_analyst: dict[str | None, list[ExportSpan]] = {}
    for span in article.spans:
        by_analyst.setdefault(span.analyst, []).append(span)
    return {
        "id": number,
        "data": {"text": article.text, "title": article.title, "external_id": article.external_id,
                 "outlet": article.outlet, "url": article.url, "published": article.published},
        "predictions": [{"model_version": analyst or "credence", "result": _results(spans)}
                        for analyst, spans in by_analyst.items()],
        "meta": {"assessments": [{"analyst": a.analyst, "credibility": a.credibility, "comment": a.comment}
                                 for a in article.assessments]},
    }


def iter_labelstudio(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """A JSON array of tasks, item by item, that Label Studio imports with pre-annotations."""
    yield "["
    for number, article in enumerate(articles, start=1):
        stats.add(article)
        yield ("" if number == 1 else ",\n") + json.dumps(task(article, number), ensure_ascii=False)
    yield "]\n"


def read_labelstudio(stream: TextIO, *, label_map: Mapping[str, str] | None = None) -> Iterator[ExportArticle]:
    """Tasks of a Label Studio JSON export; annotations are preferred over predictions. ``line`` in errors
    is the task's position (1-based) in the array."""
    try:
        tasks = json.load(stream)
    except json.JSONDecodeError as error:
        raise FormatError(f"not valid JSON ({error.msg})", line=error.lineno) from None
    if not isinstance(tasks, list):
        raise FormatError("a Label Studio export is a JSON array of tasks", line=1)
    mapping = dict(label_map or {})
    for number, item in enumerate(tasks, start=1):
        data = item.get("data") if isinstance(item, dict) else None
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str) or not text:
            raise FormatError(f"task {number} has no data.text", line=number, field="text")
        sets = item.get("annotations") or item.get("completions") or item.get("predictions") or []
        spans: list[ExportSpan] = []
        for result_set in sets:
            regions: dict[str, dict[str, Any]] = {}
            completed_by = result_set.get("completed_by")
            author = result_set.get("model_version") or (
                completed_by.get("email") if isinstance(completed_by, dict) else completed_by)
            for result in result_set.get("result", []):
                region = regions.setdefault(str(result.get("id")), {})
                value = result.get("value") or {}
                if result.get("type") == "labels":
                    region.update(start=value.get("start"), end=value.get("end"), quote=value.get("text"),
                                  label=(value.get("labels") or [None])[0])
                elif result.get("type") == "number":
                    region["credibility"] = value.get("number")
                elif result.get("type") == "textarea":
                    region["source"] = (value.get("text") or [None])[0]
            for region in regions.values():
                if "label" not in region:
                    continue
                start, end, label = region["start"], region["end"], mapping.get(region["label"], region["label"])
                if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
                    raise FormatError(f"task {number}: offsets ({start}, {end}) outside the text", line=number,
                                      field="start")
                if region.get("quote") is not None and region["quote"] != text[start:end]:
                    raise FormatError(f"task {number}: region text does not match the text at [{start}, {end})",
                                      line=number, field="quote")
                credibility = region.get("credibility")
                spans.append(ExportSpan(start, end, text[start:end], label, region.get("source"),
                                        int(credibility) if isinstance(credibility, int | float) else None,
                                        analyst=str(author) if author else None))
        assessments = tuple(ExportAssessment(a.get("credibility"), a.get("comment") or "", a.get("analyst"))
                            for a in (item.get("meta") or {}).get("assessments", []) if isinstance(a, dict))
        yield ExportArticle(external_id=str(data.get("external_id") or item.get("id") or number),
                            title=str(data.get("title") or ""), text=text, outlet=str(data.get("outlet") or ""),
                            url=str(data.get("url") or ""), published=data.get("published"), spans=tuple(spans),
                            assessments=assessments)
