"""Credence JSONL: one article per line, read back into equal records; every bad line named."""

import io
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats import jsonl
from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportClaim, ExportSpan
from annotator.formats.validation import validate_all
from tests.formats.samples import ARTICLE, GOLD, TEXT, export_text


def _line(**row):
    return json.dumps({"id": "d", "text": "Kremlin denies it.", **row})


def test_round_trip_gives_identical_records_with_emoji_combining_marks_and_curly_quotes():
    output, _ = export_text("jsonl", [ARTICLE, GOLD])

    back = list(jsonl.read_jsonl(io.StringIO(output)))

    assert back == [ARTICLE, GOLD]


def test_each_article_is_one_line_with_keys_in_a_stable_order_and_text_unescaped():
    output, _ = export_text("jsonl")

    [line] = output.splitlines()
    row = json.loads(line)

    assert list(row) == ["id", "title", "text", "meta", "spans", "assessments"]
    assert list(row["spans"][0]) == ["start", "end", "quote", "label", "source", "credibility", "note", "analyst"]
    assert row["meta"] == {"outlet": "RFI", "url": "https://example.org/a", "published": "2024-10-20",
                           "language": "en", "tags": ["war", "kursk"]}
    assert "👩🏽‍💻" in line and "\\u" not in line  # ensure_ascii=False


def test_gold_spans_carry_their_support_and_no_analyst():
    output, _ = export_text("jsonl", [GOLD])

    spans = json.loads(output)["spans"]

    assert [(s["analyst"], s["support"]) for s in spans] == [(None, 3), (None, 2)]


def test_offsets_slice_the_text_as_python_does():
    row = json.loads(export_text("jsonl")[0])

    assert all(row["text"][s["start"]:s["end"]] == s["quote"] for s in row["spans"])


def test_a_bad_record_731_of_1000_is_named_by_its_line():
    # Security case T33: the reader names the record; the caller writes nothing.
    lines = [_line(id=f"doc{i}", spans=[{"start": 0, "end": 7, "label": "claim"}]) for i in range(1, 1001)]
    lines[730] = _line(id="doc731", text="short", spans=[{"start": 2, "end": 60, "label": "claim"}])

    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO("\n".join(lines))))

    assert (error.value.line, error.value.field) == (731, "end")
    assert "past the end of the text" in error.value.message


def test_validate_all_lists_every_bad_line_and_returns_no_records():
    lines = [_line(), "{not json", _line(spans=[{"start": 3, "end": 1, "label": "claim"}]), "",
             _line(spans=[{"start": 0, "end": 7, "label": "claim", "quote": "Kreml"}]), _line(text=""), _line()]

    report = validate_all(jsonl.parse_jsonl(io.StringIO("\n".join(lines))))

    assert [(e.line, e.field) for e in report.errors] == [(2, None), (3, "end"), (5, "quote"), (6, "text")]
    assert report.articles == () and report.records == 6 and not report.is_valid


def test_validate_all_returns_every_record_of_a_good_file():
    output, _ = export_text("jsonl", [ARTICLE, GOLD])

    report = validate_all(jsonl.parse_jsonl(io.StringIO(output)))

    assert report.is_valid and report.articles == (ARTICLE, GOLD)


def test_validate_all_stops_after_max_errors():
    lines = ["{", "{", "{", _line()]

    report = validate_all(jsonl.parse_jsonl(io.StringIO("\n".join(lines))), max_errors=2)

    assert [e.line for e in report.errors] == [1, 2]


@pytest.mark.parametrize(
    ("span", "field"),
    [({"start": -1, "end": 3, "label": "claim"}, "start"),
     ({"start": "0", "end": 3, "label": "claim"}, "start"),
     ({"start": 0, "end": 3.5, "label": "claim"}, "end"),
     ({"start": 0, "end": 3, "label": ""}, "label"),
     ({"start": 0, "end": 3, "label": "claim", "credibility": 2.5}, "credibility"),
     ({"start": 0, "end": 3, "label": "claim", "credibility": True}, "credibility"),
     ({"start": 0, "end": 3, "label": "claim", "source": 7}, "source"),
     ({"start": 0, "end": 3, "label": "claim", "analyst": ["ana"]}, "analyst")],
)
def test_a_span_with_a_bad_field_is_refused_with_that_field(span, field):
    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO(_line(spans=[span]))))

    assert (error.value.line, error.value.field) == (1, field)


def test_labels_are_mapped_then_checked_against_the_known_set():
    lines = [_line(spans=[{"start": 0, "end": 7, "label": "CLAIM"}]),
             _line(spans=[{"start": 0, "end": 7, "label": "RUMOUR"}])]

    report = validate_all(jsonl.parse_jsonl(io.StringIO("\n".join(lines)), label_map={"CLAIM": "claim"},
                                            labels={"claim", "denial", "expert_opinion"}))

    [error] = report.errors
    assert (error.line, error.field) == (2, "label") and "'RUMOUR'" in error.message


def test_scores_outside_the_scale_are_refused_when_a_scale_is_given():
    line = _line(spans=[{"start": 0, "end": 7, "label": "claim", "credibility": 6}])

    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO(line), scale=(1, 5)))
    [article] = jsonl.read_jsonl(io.StringIO(line))

    assert error.value.field == "credibility"
    assert article.spans[0].credibility == 6  # no scale given: any whole number


def test_a_byte_order_mark_and_blank_lines_are_ignored_but_counted_as_lines():
    content = "\ufeff" + _line() + "\n\n" + _line(text="")

    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO(content)))

    assert error.value.line == 3


def test_published_must_be_an_iso_date():
    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO(_line(meta={"published": "20/10/2024"}))))

    assert error.value.field == "published"


def test_metadata_cannot_hide_the_articles_own_fields():
    with pytest.raises(ValueError, match="url"):
        ExportArticle("a", "t", "text", metadata={"url": "https://elsewhere.example"})


_texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@given(text=_texts, data=st.data())
def test_any_text_and_span_survive_the_round_trip(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    note = data.draw(st.text(max_size=10))
    article = ExportArticle("x\n\u2028y", data.draw(st.text(max_size=10)), text,
                            spans=(ExportSpan(start, end, text[start:end], "claim", note=note),))

    back = list(jsonl.read_jsonl(io.StringIO(export_text("jsonl", [article])[0])))

    assert back == [article]


def test_sample_text_has_astral_and_combining_characters():
    # Guards the samples the round trips rely on.
    assert any(ord(c) > 0xFFFF for c in TEXT) and "\u0301" in TEXT and "“" in TEXT


def test_claim_clusters_of_a_span_are_written_and_read_back():
    first, *rest = GOLD.spans
    article = replace(GOLD, spans=(first._replace(claims=(ExportClaim(7, "Kremlin: “fake news”"),)), *rest))
    output, _ = export_text("jsonl", [article])

    spans = json.loads(output)["spans"]

    assert [span.get("claims") for span in spans] == [[{"id": 7, "wording": "Kremlin: “fake news”"}], None]
    assert list(jsonl.read_jsonl(io.StringIO(output))) == [article]


@pytest.mark.parametrize("claims", [{"id": 1, "wording": "x"}, [{"id": "1", "wording": "x"}], [{"id": 1}],
                                    [{"id": True, "wording": "x"}]])
def test_malformed_claims_are_refused_naming_the_field(claims):
    span = {"start": 0, "end": 7, "label": "claim", "claims": claims}

    with pytest.raises(FormatError) as error:
        list(jsonl.read_jsonl(io.StringIO(_line(spans=[span]))))

    assert (error.value.line, error.value.field) == (1, "claims")
