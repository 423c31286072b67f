"""CSV, one span per row: RFC 4180 quoting, and no cell a spreadsheet would run as a formula (T15)."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats import csv_spans
from annotator.formats.records import ExportArticle, ExportSpan
from annotator.formats.spreadsheet import safe_cell
from tests.formats.samples import TEXT, export_text


def _rows(output):
    return list(csv.DictReader(io.StringIO(output, newline="")))


def test_one_row_per_span_with_its_article_and_analyst():
    rows = _rows(export_text("csv")[0])

    assert list(rows[0]) == csv_spans.COLUMNS
    assert [(r["article_id"], r["analyst"], r["label"]) for r in rows] == [
        ("a-1", "ana", "denial"), ("a-1", "ana", "denial"), ("a-1", "bo", "claim"), ("a-1", "bo", "expert_opinion")]
    assert all(TEXT[int(r["start"]):int(r["end"])] == r["quote"] for r in rows)


def test_a_formula_in_a_note_is_neutralised_with_a_leading_apostrophe():
    # Security case T15.
    rows = _rows(export_text("csv")[0])

    assert rows[1]["note"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["title"] == "Kremlin =denies"  # an = inside the text is harmless


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                                   "\t=1+1", "\r=1+1"])
def test_every_formula_start_gets_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value


def test_numbers_stay_numbers_even_when_negative():
    assert (safe_cell(-3), safe_cell(0), safe_cell(None)) == (-3, 0, "")


def test_rows_end_with_crlf_and_quotes_commas_and_line_breaks_are_quoted():
    text = 'He said "no", then left.'
    article = ExportArticle("a", "t", text, spans=(ExportSpan(0, 13, text[:13], "claim", note="one\ntwo"),))

    output, _ = export_text("csv", [article])

    header, row, end = output.split("\r\n")
    assert end == ""
    assert row == 'a,t,,0,13,"He said ""no"",",claim,,,"one\ntwo",'


def test_an_article_without_spans_adds_no_rows():
    output, stats = export_text("csv", [ExportArticle("a", "t", "text")])

    assert output == ",".join(csv_spans.COLUMNS) + "\r\n" and stats.articles == 1


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_any_text_reads_back_from_csv_as_its_neutralised_value(value):
    article = ExportArticle("a", "t", "text", spans=(ExportSpan(0, 4, "text", "claim", note=value, source=value),))

    [row] = _rows(export_text("csv", [article])[0])

    assert row["note"] == row["source"] == safe_cell(value)


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=4, max_size=4),
       st.one_of(st.none(), st.integers(1, 5)))
def test_rows_are_written_exactly_as_the_csv_module_writes_the_neutralised_cells(texts, score):
    article_id, title, quote, note = texts
    span = ExportSpan(0, 4, quote, "claim", source=note or None, credibility=score, note=note, analyst=title)
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows([
        csv_spans.COLUMNS,
        [safe_cell(v) for v in (article_id, title, title, 0, 4, quote, "claim", note or None, score, note, None)]])

    output, _ = export_text("csv", [ExportArticle(article_id, title, "text", spans=(span,))])

    assert output == expected.getvalue()
