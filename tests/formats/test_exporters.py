"""Exporters write what each tool reads: checked with the tools' own readers where they install here."""

import csv
import io
import json

import pytest

from annotator.formats import conll, csv_spans, doccano, hf, jsonl, labelstudio, webanno
from annotator.formats.errors import FormatError
from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, ExportStats
from annotator.formats.spreadsheet import safe_cell

TEXT = "Peskov 🇷🇺 called it “fake news”; e\u0301lite units 👩🏽‍💻 deny. Zelenskyy’s café disagreed."


def _span(quote, label="claim", **extra):
    start = TEXT.index(quote)
    return ExportSpan(start, start + len(quote), quote, label, **extra)


ARTICLE = ExportArticle(
    external_id="a-1", title="Kremlin =denies", text=TEXT, outlet="RFI", url="https://example.org/a", published="2024-10-20",
    spans=(_span("Peskov", "denial", source="Dmitry Peskov", credibility=2, analyst="ana"),
           _span("“fake news”", "denial", credibility=1, analyst="ana", note="=HYPERLINK(\"http://evil\")"),
           _span("e\u0301lite units", analyst="bo", source="NIS", credibility=4),
           _span("Zelenskyy’s café", "expert_opinion", analyst="bo")),
    assessments=(ExportAssessment(3, "ok", "ana"), ExportAssessment(2, "", "bo")),
)


def _text(name, articles=(ARTICLE,)):
    buffer = io.StringIO()
    stats = write_export(FORMATS[name], articles, buffer)
    return buffer.getvalue(), stats


def test_exporters_stream_article_by_article():
    seen = []

    def articles():
        for number in range(3):
            seen.append(number)
            yield ExportArticle(f"a{number}", "t", "some text here")

    chunks = FORMATS["jsonl"].chunks(articles(), ExportStats())
    first = next(chunks)

    assert json.loads(first)["id"] == "a0"
    assert seen == [0]  # the second article was not read before the first was written


def test_jsonl_round_trip_is_identical():
    output, stats = _text("jsonl")

    [back] = list(jsonl.read_jsonl(io.StringIO(output)))

    assert back == ARTICLE
    assert (stats.articles, stats.spans, stats.labels["denial"]) == (1, 4, 2)


def test_jsonl_reader_names_the_line_of_a_bad_offset():
    good = json.dumps({"text": "abc", "spans": [{"start": 0, "end": 1, "label": "claim"}]})
    bad = json.dumps({"text": "abc", "spans": [{"start": 2, "end": 9, "label": "claim"}]})

    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO(f"{good}\n{good}\n{bad}\n")))

    assert error.value.line == 3


def test_csv_has_one_span_per_row_and_neutralised_formulas():
    output, _ = _text("csv")

    rows = list(csv.DictReader(io.StringIO(output, newline="")))

    assert len(rows) == 4
    assert rows[1]["quote"] == "“fake news”" and rows[1]["note"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["title"] == "Kremlin =denies"  # only a leading = is dangerous
    assert [int(r["start"]) for r in rows] == [s.start for s in ARTICLE.spans]


@pytest.mark.parametrize("value", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_spreadsheet_formulas_get_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value


def test_numbers_stay_numbers_in_csv():
    assert safe_cell(-3) == -3


def test_conll_tags_tokens_with_offsets_that_slice_the_text():
    output, _ = _text("conll")

    documents = output.strip().split("# doc_id = a-1\n")[1:]
    rows = {doc.splitlines()[0]: [line.split("\t") for line in doc.splitlines()[1:] if line] for doc in documents}

    assert set(rows) == {"# analyst = ana", "# analyst = bo"}
    assert all(TEXT[int(start):int(end)] == token for doc in rows.values() for token, start, end, _ in doc)
    ana = {token: tag for token, _, _, tag in rows["# analyst = ana"]}
    bo = {token: tag for token, _, _, tag in rows["# analyst = bo"]}
    assert (ana["Peskov"], bo["Peskov"]) == ("B-denial", "O")
    assert (bo["élite"], bo["units"]) == ("B-claim", "I-claim")


def test_bio_keeps_the_longest_of_overlapping_spans_and_counts_the_rest():
    spans = [ExportSpan(0, 11, "Peskov said", "claim"), ExportSpan(0, 6, "Peskov", "denial")]

    kept, dropped = conll.non_overlapping(spans)

    assert [s.label for s in kept] == ["claim"] and dropped == 1


def test_web_annotation_selectors_locate_the_span_by_quote_and_position():
    output, _ = _text("webanno")

    collection = json.loads(output)
    items = collection["first"]["items"]
    quote, position = items[2]["target"]["selector"]
    assert collection["type"] == "AnnotationCollection"
    assert TEXT[position["start"]:position["end"]] == quote["exact"] == "e\u0301lite units"
    assert (quote["prefix"] + quote["exact"] + quote["suffix"]) in TEXT
    assert items[0]["body"][0] == {"type": "TextualBody", "purpose": "tagging", "value": "denial"}


def test_label_studio_tasks_round_trip_with_code_point_offsets():
    output, _ = _text("labelstudio")

    [back] = list(labelstudio.read_labelstudio(io.StringIO(output)))

    task = json.loads(output)[0]
    regions = [r for p in task["predictions"] for r in p["result"] if r["type"] == "labels"]
    assert all(TEXT[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"] for r in regions)
    assert [(s.start, s.end, s.label, s.source, s.credibility, s.analyst) for s in back.spans] == [
        (s.start, s.end, s.label, s.source, s.credibility, s.analyst) for s in ARTICLE.spans]


def test_label_studio_import_maps_labels_and_refuses_offsets_outside_the_text():
    tasks = [{"data": {"text": "abc def"}, "annotations": [{"result": [
        {"id": "x", "type": "labels", "value": {"start": 0, "end": 3, "text": "abc", "labels": ["CLAIM"]}}]}]},
        {"data": {"text": "abc"}, "annotations": [{"result": [
            {"id": "y", "type": "labels", "value": {"start": 1, "end": 9, "labels": ["CLAIM"]}}]}]}]

    with pytest.raises(FormatError) as error:
        list(labelstudio.read_labelstudio(io.StringIO(json.dumps(tasks)), label_map={"CLAIM": "claim"}))
    [first] = list(labelstudio.read_labelstudio(io.StringIO(json.dumps(tasks[:1])), label_map={"CLAIM": "claim"}))

    assert error.value.line == 2
    assert first.spans[0].label == "claim"


def test_doccano_both_layouts_read_into_spans():
    lines = [json.dumps({"text": "Kremlin denies", "label": [[0, 7, "SRC"]]}),
             json.dumps({"text": "Kremlin denies", "entities": [{"start_offset": 8, "end_offset": 14, "label": "DEN"}]})]

    first, second = doccano.read_doccano(io.StringIO("\n".join(lines)), label_map={"DEN": "denial"})

    assert (first.spans[0].quote, second.spans[0].quote, second.spans[0].label) == ("Kremlin", "denies", "denial")


def test_hugging_face_datasets_loads_the_jsonl_with_declared_features(tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    path = tmp_path / "train.jsonl"
    path.write_text(_text("hf")[0], encoding="utf-8")

    dataset = datasets.load_dataset("json", data_files=str(path), features=datasets.Features.from_dict(hf.FEATURES),
                                    cache_dir=str(tmp_path / "cache"), split="train")

    spans = dataset[0]["spans"]
    assert dataset.num_rows == 1
    assert spans[2]["quote"] == "e\u0301lite units" and spans[3]["credibility"] == -1


def test_parquet_is_read_back_by_pyarrow(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "data.parquet"
    with open(path, "wb") as stream:
        write_export(FORMATS["parquet"], [ARTICLE] * 3, stream)

    table = pq.read_table(path)

    assert table.num_rows == 3
    assert table.column("spans")[0].as_py()[0]["quote"] == "Peskov"


def test_spacy_docbin_holds_every_span_with_its_characters(tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    buffer = io.BytesIO()
    write_export(FORMATS["spacy"], [ARTICLE], buffer)

    [doc] = list(DocBin().from_bytes(buffer.getvalue()).get_docs(spacy.blank("xx").vocab))
    assert [(span.text, span.label_) for span in doc.spans["sc"]][0] == ("Peskov", "denial")
    assert len(doc.spans["sc"]) == 4 and doc.user_data["id"] == "a-1"


def test_csv_spans_module_header_is_stable():
    assert csv_spans.COLUMNS[:5] == ["article_id", "title", "analyst", "start", "end"]
    assert webanno.CONTEXT == "http://www.w3.org/ns/anno.jsonld"
