"""doccano sequence-labelling JSONL: both layouts read, UTF-16 offsets converted, spans round-trip."""

import io
import json

import pytest

from annotator.formats import doccano
from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportSpan
from annotator.formats.validation import validate_all
from tests.formats.samples import ARTICLE, GOLD, export_text

# doccano issue #2290: in "👨🏻‍🚒 firemen drive firetrucks" doccano puts "firetrucks" at 22-32 (UTF-16
# units); Python finds it at 19-29 (code points).
FIREMEN = "👨🏻‍🚒 firemen drive firetrucks"


def _read(*rows, **options):
    return list(doccano.read_doccano(io.StringIO("\n".join(json.dumps(row) for row in rows)), **options))


def test_both_layouts_read_into_spans_with_mapped_labels():
    first, second = _read({"text": "Kremlin denies", "label": [[0, 7, "SRC"]]},
                          {"id": 4, "text": "Kremlin denies",
                           "entities": [{"id": 1, "start_offset": 8, "end_offset": 14, "label": "DEN"}]},
                          label_map={"DEN": "denial"})

    assert [(s.quote, s.label) for s in first.spans + second.spans] == [("Kremlin", "SRC"), ("denies", "denial")]
    assert second.external_id == "4"


def test_utf16_offsets_of_doccano_are_read_as_code_points():
    [article] = _read({"text": FIREMEN, "label": [[22, 32, "claim"]]})

    assert (article.spans[0].start, article.spans[0].end, article.spans[0].quote) == (19, 29, "firetrucks")


def test_code_point_offsets_are_read_as_they_are_when_asked():
    [article] = _read({"text": FIREMEN, "label": [[19, 29, "claim"]]}, offsets="code_point")

    assert article.spans[0].quote == "firetrucks"


def test_the_export_writes_utf16_offsets_that_doccano_reads():
    article = ExportArticle("f", "t", FIREMEN, spans=(ExportSpan(19, 29, "firetrucks", "claim"),))

    output, _ = export_text("doccano", [article])

    assert json.loads(output) == {"id": "f", "text": FIREMEN, "label": [[22, 32, "claim"]]}


def test_round_trip_keeps_every_span_with_its_analyst():
    output, _ = export_text("doccano", [ARTICLE, GOLD])

    back = list(doccano.read_doccano(io.StringIO(output)))

    assert [s for article in back for s in article.spans] == [
        ExportSpan(s.start, s.end, s.quote, s.label, analyst=s.analyst) for s in ARTICLE.spans + GOLD.spans]
    assert [(a.external_id, a.text) for a in back] == [("a-1", ARTICLE.text)] * 2 + [("a-2", GOLD.text)]


def test_an_offset_between_the_halves_of_an_emoji_is_refused():
    with pytest.raises(FormatError) as error:
        _read({"text": FIREMEN, "label": [[1, 5, "claim"]]})

    assert (error.value.line, error.value.field) == (1, "start")


def test_a_text_classification_file_is_refused_with_a_clear_error():
    with pytest.raises(FormatError) as error:
        _read({"text": "Kremlin denies", "label": ["POSITIVE"]})

    assert error.value.field == "label" and "text classification" in error.value.message


def test_validate_all_names_every_bad_line():
    rows = [{"text": "abc", "label": [[0, 1, "claim"]]}, {"text": "abc", "label": [[0, 9, "claim"]]},
            {"label": []}, {"text": "abc", "entities": [{"start_offset": 2, "end_offset": 1, "label": "claim"}]}]

    report = validate_all(doccano.parse_doccano(io.StringIO("\n".join(json.dumps(r) for r in rows))))

    assert [(e.line, e.field) for e in report.errors] == [(2, "end"), (3, "text"), (4, "end")]
