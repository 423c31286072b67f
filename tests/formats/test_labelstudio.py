"""Label Studio: tasks it imports as pre-annotations (checked against its labeling config), and its JSON
export read back, with code-point offsets as its Text tag stores them."""

import io
import json
import xml.etree.ElementTree as ET

import pytest

from annotator.formats import labelstudio
from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportSpan
from annotator.formats.validation import validate_all
from tests.formats.samples import ARTICLE, GOLD, TEXT, export_text

# Result type each control tag writes (Label Studio docs, "Label Studio JSON format of annotated tasks").
RESULT_TYPES = {"Labels": "labels", "Number": "number", "TextArea": "textarea"}


def _tasks(articles=(ARTICLE,)):
    return json.loads(export_text("labelstudio", articles)[0])


def _controls(config):
    """{control name: (result type, toName, label values)} of a labeling config."""
    root = ET.fromstring(config)
    return {tag.get("name"): (RESULT_TYPES[tag.tag], tag.get("toName"), {label.get("value") for label in tag})
            for tag in root.iter() if tag.tag in RESULT_TYPES}


def test_exported_tasks_match_the_import_format_and_the_labeling_config():
    controls = _controls(labelstudio.LABEL_CONFIG)
    objects = {tag.get("name"): tag.get("value") for tag in ET.fromstring(labelstudio.LABEL_CONFIG).iter("Text")}

    tasks = _tasks([ARTICLE, GOLD])

    assert objects == {"text": "$text"}
    results = [(task, result) for task in tasks for prediction in task["predictions"]
               for result in prediction["result"]]
    assert all(isinstance(task["data"]["text"], str) and isinstance(p["model_version"], str)
               for task in tasks for p in task["predictions"])
    assert len(results) == 20  # 6 labels, 5 scores, 3 sources, 1 note, 5 article scores and comments
    for task, result in results:
        kind, to_name, values = controls[result["from_name"]]
        assert (result["type"], result["to_name"], to_name) == (kind, "text", "text")
        assert isinstance(result["id"], str)
        assert kind != "labels" or set(result["value"]["labels"]) <= values
        if "start" in result["value"]:
            assert 0 <= result["value"]["start"] < result["value"]["end"] <= len(task["data"]["text"])


def test_one_prediction_per_analyst_with_spans_scores_sources_and_the_article_score():
    [task] = _tasks()

    ana, bo = task["predictions"]
    regions = [r for r in ana["result"] if r["type"] == "labels"]
    peskov = [r for r in ana["result"] if r["id"] == regions[0]["id"]]
    assert (ana["model_version"], bo["model_version"]) == ("ana", "bo")
    assert [r["value"]["text"] for r in regions] == ["Peskov", "“fake news”"]
    assert {r["from_name"]: r["value"].get("number", r["value"].get("text")) for r in peskov} == {
        "label": "Peskov", "credibility": 2, "source": ["Dmitry Peskov"]}
    assert [r["value"] for r in ana["result"] if r["from_name"] == "article_credibility"] == [{"number": 3}]


def test_offsets_are_code_points_that_slice_the_text_as_python_does():
    # "😀 " before "Peskov": code point 2 (Label Studio's Text tag), UTF-16 unit 3 (JavaScript).
    article = ExportArticle("e", "t", "😀 Peskov said", spans=(ExportSpan(2, 8, "Peskov", "claim"),))

    [task] = _tasks([article])

    [region] = task["predictions"][0]["result"]
    assert (region["value"]["start"], region["value"]["end"]) == (2, 8)


def test_round_trip_gives_identical_records():
    output, _ = export_text("labelstudio", [ARTICLE, GOLD])

    back = list(labelstudio.read_labelstudio(io.StringIO(output)))

    assert back == [_without_metadata(ARTICLE), _without_support(GOLD)]


def _without_metadata(article):
    # Label Studio tasks carry no free metadata.
    return ExportArticle(article.external_id, article.title, article.text, article.outlet, article.url,
                         article.published, article.spans, article.assessments)


def _without_support(article):
    spans = tuple(ExportSpan(s.start, s.end, s.quote, s.label, s.source, s.credibility, s.note, s.analyst)
                  for s in article.spans)
    return ExportArticle(article.external_id, article.title, article.text, article.outlet, article.url,
                         article.published, spans, article.assessments)


def _export(*annotations, predictions=(), text="Kremlin denies it.", **data):
    return json.dumps([{"id": 7, "data": {"text": text, **data}, "annotations": list(annotations),
                        "predictions": list(predictions)}])


def _region(start, end, label, text=None, id="x"):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": id, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_annotations_are_preferred_over_predictions_and_cancelled_ones_skipped():
    export = _export({"was_cancelled": True, "result": [_region(8, 14, "denial")]},
                     {"completed_by": {"email": "ana@example.org"}, "result": [_region(0, 7, "claim", "Kremlin")]},
                     predictions=[{"model_version": "m", "result": [_region(8, 14, "denial")]}])

    [article] = labelstudio.read_labelstudio(io.StringIO(export))

    assert [(s.quote, s.label, s.analyst) for s in article.spans] == [("Kremlin", "claim", "ana@example.org")]
    assert article.external_id == "7"


def test_labels_are_mapped_and_unknown_ones_refused_when_the_set_is_given():
    export = _export({"result": [_region(0, 7, "CLAIM")]}, text="Kremlin denies it.")

    [article] = labelstudio.read_labelstudio(io.StringIO(export), label_map={"CLAIM": "claim"})
    with pytest.raises(FormatError) as error:
        list(labelstudio.read_labelstudio(io.StringIO(export), labels={"claim"}))

    assert article.spans[0].label == "claim"
    assert (error.value.line, error.value.field) == (1, "label")


def test_a_bad_task_is_named_as_record_n_and_validate_all_lists_every_one():
    tasks = [{"data": {"text": "Kremlin denies"}, "annotations": [{"result": [_region(0, 7, "claim")]}]}] * 1000
    tasks[730] = {"data": {"text": "abc"}, "annotations": [{"result": [_region(1, 9, "claim")]}]}
    tasks[900] = {"data": {}}

    report = validate_all(labelstudio.parse_labelstudio(io.StringIO(json.dumps(tasks))))

    assert [(e.line, e.field) for e in report.errors] == [(731, "end"), (901, "text")]
    assert report.errors[0].message.startswith("record 731")


def test_a_region_text_that_differs_from_the_task_text_is_refused():
    export = _export({"result": [_region(0, 7, "claim", "Kreml1n")]})

    with pytest.raises(FormatError) as error:
        list(labelstudio.read_labelstudio(io.StringIO(export)))

    assert error.value.field == "quote"


def test_several_unnamed_annotators_are_refused_rather_than_merged():
    export = _export({"completed_by": 3, "result": [_region(0, 7, "claim")]},
                     {"completed_by": 4, "result": [_region(0, 7, "denial")]})

    with pytest.raises(FormatError) as error:
        list(labelstudio.read_labelstudio(io.StringIO(export)))

    assert error.value.field == "annotations"


def test_legacy_utf16_offsets_are_converted_when_asked():
    # Before label-studio PR #1559 the offsets counted UTF-16 units: "💩" took two.
    export = _export({"result": [_region(13, 23, "claim", "annotation")]}, text="💩This is an annotation.")

    [article] = labelstudio.read_labelstudio(io.StringIO(export), offsets="utf16")
    with pytest.raises(FormatError):
        list(labelstudio.read_labelstudio(io.StringIO(export)))  # as code points, the quote is off by one

    assert (article.spans[0].start, article.spans[0].end, article.spans[0].quote) == (12, 22, "annotation")


def test_a_whole_number_written_as_a_float_is_a_score_and_a_fraction_is_refused():
    score = {"id": "x", "from_name": "credibility", "to_name": "text", "type": "number",
             "value": {"start": 0, "end": 7, "number": 4.0}}
    fraction = {**score, "value": {"start": 0, "end": 7, "number": 3.5}}

    [article] = labelstudio.read_labelstudio(io.StringIO(_export({"result": [_region(0, 7, "claim"), score]})))
    with pytest.raises(FormatError) as error:
        list(labelstudio.read_labelstudio(io.StringIO(_export({"result": [_region(0, 7, "claim"), fraction]}))))

    assert article.spans[0].credibility == 4
    assert error.value.field == "credibility"


def test_a_file_that_is_not_json_names_the_line_of_the_fault():
    with pytest.raises(FormatError) as error:
        list(labelstudio.read_labelstudio(io.StringIO('[\n{"data": {"text": "a"}},\n{oops}\n]')))

    assert error.value.line == 3


def test_label_config_escapes_label_values():
    config = labelstudio.label_config(['"><svg onload=alert(1)>'], (0, 10))

    assert _controls(config)["label"][2] == {'"><svg onload=alert(1)>'}


def test_the_sample_spans_lie_after_astral_characters():
    # Guards the round trip above: offsets past an emoji differ between code points and UTF-16 units.
    assert TEXT.index("e\u0301lite") > TEXT.index("🇷🇺")
