"""Label Studio tasks: export as pre-annotated tasks, import from Label Studio's JSON export.

A task is ``{"data": {"text", "title", "external_id", "outlet", "url", "published"}, "predictions": [...]}``
with one prediction per analyst (``model_version`` is the analyst's name, or ``NO_ANALYST`` in the gold and
majority layers). A span is a ``labels`` region; its credibility score is a per-region ``number`` result
(``credibility``), its source and note per-region ``textarea`` results (``source``, ``note``), sharing the
region's ``id``. The article's score and comment are ``number`` (``article_credibility``) and ``textarea``
(``comment``) results without a region. ``label_config`` gives the labeling config that shows all of it.

Offsets: Label Studio's Text tag counts code points, as Credence does, so none are converted (Label
Studio's own tests pin it: web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts, "Should calculate
offsets by code points in text"; the fix was label-studio PR #1559). Exports from Label Studio before
that fix counted UTF-16 units: read them with ``offsets="utf16"``.
"""

import json
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from json import JSONEncoder
from typing import TextIO
from xml.sax.saxutils import quoteattr

from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, ExportStats, analyst_layers
from annotator.formats.validation import (
    OffsetUnit,
    Parsed,
    SpanRules,
    Utf16Offsets,
    iso_date,
    optional_text,
    raise_first,
)

NO_ANALYST = "(credence)"  # model_version of a layer without analysts; no username holds parentheses
LABELS = "label"
CREDIBILITY = "credibility"
SOURCE = "source"
NOTE = "note"
ARTICLE_CREDIBILITY = "article_credibility"
COMMENT = "comment"

_ENCODER = JSONEncoder(ensure_ascii=False)  # built once: json.dumps with options builds one per call


def label_config(labels: Sequence[str] = ("claim", "denial", "expert_opinion"),
                 scale: tuple[int, int] = (1, 5)) -> str:
    """The Label Studio labeling config for exported tasks (label keys and scale escaped as XML)."""
    choices = "".join(f"<Label value={quoteattr(label)}/>" for label in labels)
    low, high = int(scale[0]), int(scale[1])
    return f"""<View>
  <Header value="$title"/>
  <Labels name="{LABELS}" toName="text">{choices}</Labels>
  <Text name="text" value="$text"/>
  <Number name="{CREDIBILITY}" toName="text" perRegion="true" min="{low}" max="{high}"/>
  <TextArea name="{SOURCE}" toName="text" perRegion="true" maxSubmissions="1"/>
  <TextArea name="{NOTE}" toName="text" perRegion="true" maxSubmissions="1"/>
  <Number name="{ARTICLE_CREDIBILITY}" toName="text" min="{low}" max="{high}"/>
  <TextArea name="{COMMENT}" toName="text" maxSubmissions="1"/>
</View>"""


LABEL_CONFIG = label_config()


def task(article: ExportArticle) -> dict[str, object]:
    """One Label Studio task with a prediction per analyst."""
    predictions = []
    region = 0
    for analyst, spans in analyst_layers(article):
        results: list[dict[str, object]] = []
        for span in spans:
            region += 1
            results.extend(_span_results(span, f"r{region}"))
        own = [a for a in article.assessments if a.analyst == analyst]
        for number, assessment in enumerate(own, start=1):
            results.extend(_assessment_results(assessment, f"a{region}-{number}"))
        version = analyst if analyst is not None else NO_ANALYST
        predictions.append({"model_version": version, "result": results})
    return {
        "data": {"text": article.text, "title": article.title, "external_id": article.external_id,
                 "outlet": article.outlet, "url": article.url, "published": article.published},
        "predictions": predictions,
    }


def _span_results(span: ExportSpan, region: str) -> list[dict[str, object]]:
    where = {"start": span.start, "end": span.end}
    results: list[dict[str, object]] = [
        {"id": region, "from_name": LABELS, "to_name": "text", "type": "labels",
         "value": {**where, "text": span.quote, "labels": [span.label]}}]
    if span.credibility is not None:
        results.append({"id": region, "from_name": CREDIBILITY, "to_name": "text", "type": "number",
                        "value": {**where, "number": span.credibility}})
    if span.source is not None:
        results.append({"id": region, "from_name": SOURCE, "to_name": "text", "type": "textarea",
                        "value": {**where, "text": [span.source]}})
    if span.note:
        results.append({"id": region, "from_name": NOTE, "to_name": "text", "type": "textarea",
                        "value": {**where, "text": [span.note]}})
    return results


def _assessment_results(assessment: ExportAssessment, key: str) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    if assessment.credibility is not None:
        results.append({"id": f"{key}-score", "from_name": ARTICLE_CREDIBILITY, "to_name": "text",
                        "type": "number", "value": {"number": assessment.credibility}})
    if assessment.comment or assessment.credibility is None:
        results.append({"id": f"{key}-comment", "from_name": COMMENT, "to_name": "text", "type": "textarea",
                        "value": {"text": [assessment.comment]}})
    return results


def iter_labelstudio(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """A JSON array of tasks, written task by task, that Label Studio imports with pre-annotations."""
    yield "["
    for number, article in enumerate(articles):
        stats.add(article)
        yield ("\n" if number == 0 else ",\n") + _ENCODER.encode(task(article))
    yield "\n]\n"


def parse_labelstudio(stream: TextIO, *, label_map: Mapping[str, str] | None = None,
                      labels: Collection[str] | None = None, scale: tuple[int, int] | None = None,
                      offsets: OffsetUnit | str = OffsetUnit.CODE_POINT,
                      text_key: str = "text", analysts: Container[str] | None = None) -> Iterator[Parsed]:
    """Each task of a Label Studio JSON export (or a single task object) as an article, or the FormatError
    naming it: ``line`` is then the task's position in the array ("record N"), not a line of the file.

    Spans come from ``labels`` results of the task's annotations (cancelled ones skipped), or of its
    predictions when it has none; a region with several labels gives one span per label. The analyst is a
    prediction's ``model_version`` or an annotation's ``completed_by`` e-mail; ``data[text_key]`` is the text.
    """
    rules = SpanRules.of(label_map=label_map, labels=labels, scale=scale, offsets=offsets, analysts=analysts)
    try:
        tasks = json.load(stream)
    except json.JSONDecodeError as error:
        yield FormatError(f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
                          line=error.lineno)
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield FormatError("a Label Studio export is a JSON array of tasks", line=1)
        return
    for number, item in enumerate(tasks, start=1):
        try:
            yield _article(item, number, rules, text_key)
        except FormatError as error:
            yield error


def read_labelstudio(stream: TextIO, *, label_map: Mapping[str, str] | None = None,
                     labels: Collection[str] | None = None, scale: tuple[int, int] | None = None,
                     offsets: OffsetUnit | str = OffsetUnit.CODE_POINT,
                     text_key: str = "text") -> Iterator[ExportArticle]:
    """The tasks of a Label Studio JSON export; raises FormatError at the first bad task (``line`` = its
    1-based position in the array)."""
    return raise_first(parse_labelstudio(stream, label_map=label_map, labels=labels, scale=scale,
                                         offsets=offsets, text_key=text_key))


def _article(item: object, number: int, rules: SpanRules, text_key: str) -> ExportArticle:
    record = f"record {number}: "
    data = item.get("data") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(data, dict):
        raise FormatError(f"{record}a task needs a 'data' object", line=number, field="data")
    text = data.get(text_key)
    if not isinstance(text, str) or not text:
        raise FormatError(f"{record}data.{text_key} must be a non-empty text", line=number, field="text")
    annotations = [a for a in item.get("annotations") or item.get("completions") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    result_sets = annotations or [p for p in item.get("predictions") or [] if isinstance(p, dict)]
    utf16 = Utf16Offsets(text) if rules.offsets == OffsetUnit.UTF16 else None
    spans: list[ExportSpan] = []
    assessments: list[ExportAssessment] = []
    unnamed = 0
    for result_set in result_sets:
        analyst = rules.analyst(_author(result_set), line=number, where=record)
        unnamed += analyst is None
        if unnamed > 1:
            raise FormatError(f"{record}several annotations by unnamed annotators would merge into one "
                              "layer; name them (completed_by e-mail or model_version) or import them one "
                              "at a time", line=number, field="annotations")
        found, assessment = _read_results(result_set.get("result"), text, analyst, number, rules, utf16)
        spans.extend(found)
        if assessment is not None:
            assessments.append(assessment)
    return ExportArticle(
        external_id=_text(data.get("external_id"), number) or _text(item.get("id"), number) or str(number),
        title=_text(data.get("title"), number), text=text, outlet=_text(data.get("outlet"), number),
        url=_text(data.get("url"), number),
        published=iso_date(_text(data.get("published"), number), number, record),
        spans=tuple(spans), assessments=tuple(assessments))


def _author(result_set: dict[str, object]) -> str | None:
    version = result_set.get("model_version")
    if isinstance(version, str) and version:
        return None if version == NO_ANALYST else version
    completed_by = result_set.get("completed_by")
    if isinstance(completed_by, dict) and isinstance(completed_by.get("email"), str):
        return str(completed_by["email"])
    return None  # a bare user id names nobody Credence knows


def _read_results(results: object, text: str, analyst: str | None, number: int, rules: SpanRules,
                  utf16: Utf16Offsets | None) -> tuple[list[ExportSpan], ExportAssessment | None]:
    if not isinstance(results, list):
        raise FormatError(f"record {number}: 'result' must be a list", line=number, field="result")
    regions: dict[str, dict[str, object]] = {}
    article: dict[str, object] = {}
    for result in results:
        if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
            raise FormatError(f"record {number}: each result needs a 'value' object", line=number,
                              field="result")
        kind, name, value = result.get("type"), result.get("from_name"), result["value"]
        key = str(result.get("id"))
        if kind == "labels":
            regions.setdefault(key, {}).update(value=value)
        elif kind == "number" and name == CREDIBILITY:
            regions.setdefault(key, {})["credibility"] = value.get("number")
        elif kind == "textarea" and name in (SOURCE, NOTE):
            regions.setdefault(key, {})[str(name)] = _first_text(value)
        elif kind == "number" and name == ARTICLE_CREDIBILITY:
            article["credibility"] = value.get("number")
        elif kind == "textarea" and name == COMMENT:
            article["comment"] = _first_text(value)
    spans = []
    for key, region in regions.items():
        value = region.get("value")
        if not isinstance(value, dict):
            continue  # a score or source whose region was deleted
        where = f"record {number}, region {key}: "
        names = value.get("labels")
        if not isinstance(names, list) or not names:
            raise FormatError(f"{where}needs at least one label", line=number, field="label")
        for name in names:
            spans.append(rules.span(text, value.get("start"), value.get("end"), name, line=number,
                                    where=where, quote=value.get("text"), source=region.get(SOURCE),
                                    credibility=_whole(region.get("credibility")),
                                    note=region.get(NOTE) or "", analyst=analyst, utf16=utf16))
    assessment = None
    if article:
        where = f"record {number}: article score: "
        score = rules.credibility(_whole(article.get("credibility")), line=number, where=where)
        comment = optional_text(article.get("comment"), "comment", number, where) or ""
        assessment = ExportAssessment(score, comment, analyst)
    return spans, assessment


def _whole(value: object) -> object:
    """Label Studio's Number tag stores 3 as 3 or 3.0; a fraction stays a fraction and is refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _first_text(value: Mapping[str, object]) -> object:
    texts = value.get("text")
    return texts[0] if isinstance(texts, list) and texts else texts


def _text(value: object, number: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    raise FormatError(f"record {number}: expected text, got {value!r}", line=number, field="data")
