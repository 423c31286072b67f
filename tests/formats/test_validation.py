"""The checks every importer shares: offsets, quotes, labels, scores, and UTF-16 conversion."""

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator import text as offsets
from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, analyst_layers
from annotator.formats.validation import SpanRules, Utf16Offsets, json_lines

TEXT = "😀 Peskov said e\u0301lite 🇷🇺 units left."


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.data())
def test_utf16_conversion_agrees_with_the_text_module_both_ways(sample, data):
    offset = data.draw(st.integers(0, len(sample)))
    table = Utf16Offsets(sample)

    units = table.to_utf16(offset)

    assert units == offsets.codepoint_to_utf16(sample, offset) == len(sample[:offset].encode("utf-16-le")) // 2
    assert table.to_code_point(units) == offset


def test_a_utf16_offset_inside_a_surrogate_pair_has_no_code_point():
    assert Utf16Offsets("a😀b").to_code_point(2) is None


def test_a_good_span_takes_its_quote_from_the_text():
    start = TEXT.index("Peskov")

    span = SpanRules().span(TEXT, start, start + 6, "claim", line=1, credibility=3, source="Peskov")

    assert span == ExportSpan(start, start + 6, "Peskov", "claim", "Peskov", 3)


@pytest.mark.parametrize(
    ("start", "end", "quote", "field"),
    [(5, 3, None, "end"), (3, 3, None, "end"), (0, 99, None, "end"), (-2, 3, None, "start"),
     (2, 8, '"Peskov"', "quote"), (2, 8, "Peskov ", "quote")],
)
def test_bad_offsets_and_quotes_name_their_field(start, end, quote, field):
    with pytest.raises(FormatError) as error:
        SpanRules().span(TEXT, start, end, "claim", line=4, quote=quote)

    assert (error.value.line, error.value.field) == (4, field)


def test_a_quote_must_match_exactly_not_after_normalisation():
    start = TEXT.index("e\u0301lite")

    with pytest.raises(FormatError):
        SpanRules().span(TEXT, start, start + 6, "claim", line=1, quote="\u00e9lite")  # precomposed é


def test_label_map_applies_before_the_known_labels_are_checked():
    rules = SpanRules.of(label_map={"CLAIM": "claim", "X": "rumour"}, labels=["claim"])

    assert rules.label("CLAIM", line=1) == "claim"
    with pytest.raises(FormatError, match="mapped from 'X'"):
        rules.label("X", line=1)


def test_scores_must_be_whole_numbers_on_the_scale():
    rules = SpanRules.of(scale=(1, 5))

    assert rules.credibility(None, line=1) is None and rules.credibility(5, line=1) == 5
    for bad in (0, 6, 2.0, "3", True):
        with pytest.raises(FormatError):
            rules.credibility(bad, line=1)


def test_analyst_layers_give_one_group_per_analyst_with_spans_or_an_assessment():
    article = ExportArticle("a", "t", "text", spans=(ExportSpan(0, 1, "t", "claim", analyst="bo"),
                                                     ExportSpan(1, 2, "e", "claim", analyst="ana")),
                            assessments=(ExportAssessment(3, "", "cy"),))

    layers = analyst_layers(article)

    assert [(name, len(spans)) for name, spans in layers] == [("ana", 1), ("bo", 1), ("cy", 0)]
    assert analyst_layers(ExportArticle("b", "t", "text")) == [(None, [])]


@pytest.mark.parametrize("line", [
    '{"views": 123456789012345678901234567890, "min": -9223372036854775809}',  # past 64 bits: kept whole
    '{"score": NaN, "big": Infinity, "tiny": 1e400}',  # the standard library's extensions
    '{"a": 1, "a": 2}', '["\\ud800"]', '{"x": [1,]}', '{"tab": "a\tb"}', "[1 2]",
])
def test_json_lines_reads_each_line_as_the_standard_library_does(line):
    expected = _standard_json(line)

    [(number, value)] = json_lines(io.StringIO(line + "\n"))

    assert number == 1
    if isinstance(expected, FormatError):
        assert (value.message, value.line) == (expected.message, expected.line)
    else:
        assert repr(value) == repr(expected)  # repr: NaN is not equal to itself


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12))
def test_json_lines_agrees_with_the_standard_library_on_any_value(value):
    line = json.dumps(value)

    [(_, read)] = json_lines(io.StringIO(line + "\n"))

    assert repr(read) == repr(json.loads(line))


def _standard_json(line):
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return FormatError(f"not valid JSON ({error.msg} at column {error.colno})", line=1)
