"""Reading article files (.txt, .jsonl, .csv) into records: pure, no database."""

import datetime as dt
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats.articles import HEADLINE_MAX, ArticleRecord, read_articles, read_txt
from annotator.formats.errors import FormatError

UNICODE_BODY = "“Fake news”, said Peskov 🇷🇺.\nZelenskyy’s café — e\u0301lite 👩🏽‍💻 units.\n"


def _jsonl(*rows: object) -> io.StringIO:
    return io.StringIO("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows))


# .txt


def test_txt_first_non_empty_line_is_the_title_and_the_rest_is_the_body():
    record = read_txt("kremlin", "\n  \nKremlin denies\n\n" + UNICODE_BODY)

    assert (record.external_id, record.title, record.text) == ("kremlin", "Kremlin denies", UNICODE_BODY)


def test_txt_body_is_kept_exactly_apart_from_crlf_and_cr_becoming_lf():
    raw = "Title\r\n\r\n  Indented “quote”  \r\nNext line\rLast line é\u0301 🇷🇺\t\r\n\r\n"

    record = read_txt("a", raw)

    assert record.text == "  Indented “quote”  \nNext line\nLast line é\u0301 🇷🇺\t\n\n"


def test_txt_byte_order_mark_is_not_part_of_the_title():
    record = read_txt("a", "\ufeffTitle\nBody")

    assert record.title == "Title"


def test_txt_first_line_of_200_characters_is_still_the_title():
    headline = "H" * HEADLINE_MAX

    record = read_txt("a", f"{headline}\nBody")

    assert (record.title, record.text) == (headline, "Body")


def test_txt_first_line_longer_than_200_characters_stays_in_the_body_and_titles_by_its_first_sentence():
    paragraph = "Thousands of North Korean soldiers have entered Russia. " + "They train in the far east. " * 8
    raw = f"{paragraph}\nSecond paragraph."

    record = read_txt("wire", raw)

    assert len(paragraph) > HEADLINE_MAX
    assert record.text == raw
    assert record.title == "Thousands of North Korean soldiers have entered Russia."


def test_txt_long_first_line_without_a_sentence_break_is_titled_by_its_first_119_characters():
    paragraph = "word " * 60

    record = read_txt("a", paragraph + "\nMore")

    assert record.title == paragraph[:119].rstrip() + "…"
    assert record.text.startswith(paragraph)


def test_txt_without_any_text_is_refused():
    with pytest.raises(FormatError) as error:
        read_txt("a", "\n \n")

    assert (error.value.line, error.value.field) == (1, "text")


def test_txt_with_a_title_and_no_body_is_refused_at_the_title_line():
    with pytest.raises(FormatError) as error:
        read_txt("a", "\nOnly a title\n\n")

    assert (error.value.line, error.value.field) == (2, "text")


# Lone surrogates (category Cs) cannot come from a UTF-8 file and are refused on purpose; NUL likewise.
@given(st.text(alphabet=st.characters(exclude_characters="\r\x00", exclude_categories=("Cs",)),
               max_size=200).filter(str.strip))
def test_txt_body_round_trips_whatever_its_characters(body):
    record = read_txt("a", "Title\n" + body)

    assert record.text == body.lstrip("\n")


# choosing the reader


def test_the_file_suffix_picks_the_reader_whatever_its_case():
    records = read_articles("Story.TXT", io.StringIO("Title\nBody"))

    assert records == [ArticleRecord(external_id="Story", title="Title", text="Body")]


def test_an_unsupported_file_type_is_refused():
    with pytest.raises(FormatError, match=r"unsupported file type \.docx"):
        read_articles("story.docx", io.StringIO("Title\nBody"))


# .jsonl


def test_jsonl_reads_every_field_and_the_line_of_each_record():
    stream = _jsonl(
        {"id": "x1", "title": "T", "text": "Body", "outlet": "RFI", "url": "https://rfi.fr/a",
         "published": "2024-10-21T08:00:00Z"},
        "",
        {"external_id": 7, "text": "Other\r\nbody"},
    )

    records = read_articles("a.jsonl", stream)

    assert records == [
        ArticleRecord(external_id="x1", title="T", text="Body", outlet="RFI", url="https://rfi.fr/a",
                      published=dt.date(2024, 10, 21), line=1),
        ArticleRecord(external_id="7", title="Other", text="Other\nbody", line=3),
    ]


def test_jsonl_title_defaults_to_the_first_sentence_of_the_text():
    records = read_articles("a.jsonl", _jsonl({"text": "\nKim sent troops. Seoul says so."}))

    assert records[0].title == "Kim sent troops."


def test_jsonl_starting_with_a_byte_order_mark_is_read():
    stream = io.StringIO("\ufeff" + json.dumps({"id": "x1", "text": "Body"}) + "\n")

    records = read_articles("a.jsonl", stream)

    assert [record.external_id for record in records] == ["x1"]


def test_jsonl_malformed_line_among_good_lines_is_named():
    stream = _jsonl({"text": "one"}, {"text": "two"}, '{"text": ', {"text": "four"})

    with pytest.raises(FormatError, match="not valid JSON") as error:
        read_articles("a.jsonl", stream)

    assert error.value.line == 3


def test_jsonl_line_that_is_not_an_object_is_refused():
    with pytest.raises(FormatError, match="JSON object") as error:
        read_articles("a.jsonl", _jsonl({"text": "one"}, ["text", "two"]))

    assert error.value.line == 2


@pytest.mark.parametrize(("row", "field"), [
    ({"title": "No text"}, "text"),
    ({"text": "   \n "}, "text"),
    ({"text": ["a", "list"]}, "text"),
    ({"text": "x", "title": "T" * 501}, "title"),
    ({"text": "x", "id": "i" * 201}, "id"),
    ({"text": "x", "outlet": "O" * 201}, "outlet"),
    ({"text": "x", "url": "javascript:alert(1)"}, "url"),
    ({"text": "x", "url": "ftp://example.org/a"}, "url"),
    ({"text": "x", "published": "yesterday"}, "published"),
    ({"text": "nul \x00 inside"}, "text"),
    ({"text": "x", "title": "lone \ud800 surrogate"}, "title"),
    ({"text": "x", "id": True}, "id"),
])
def test_jsonl_bad_field_is_named_with_its_line(row, field):
    stream = _jsonl({"text": "fine"}, row)

    with pytest.raises(FormatError) as error:
        read_articles("a.jsonl", stream)

    assert (error.value.line, error.value.field) == (2, field)


# .csv


def test_csv_reads_metadata_and_quoted_cells_with_commas_and_newlines():
    stream = io.StringIO('\ufeffid,title,text,outlet\r\nx1,T1,"Body, one\r\nsecond line",Fakti\r\nx2,T2,Two,\r\n')

    records = read_articles("a.csv", stream)

    assert records == [
        ArticleRecord(external_id="x1", title="T1", text="Body, one\nsecond line", outlet="Fakti", line=2),
        ArticleRecord(external_id="x2", title="T2", text="Two", line=4),
    ]


def test_csv_record_is_named_by_the_line_it_starts_on():
    stream = io.StringIO('title,text\nT1,"one\ntwo\nthree"\n\nT2,\n')

    with pytest.raises(FormatError) as error:
        read_articles("a.csv", stream)

    assert (error.value.line, error.value.field) == (6, "text")


def test_csv_row_with_a_missing_text_is_refused():
    stream = io.StringIO("title,text\nT1,Body\nT2\n")

    with pytest.raises(FormatError) as error:
        read_articles("a.csv", stream)

    assert (error.value.line, error.value.field) == (3, "text")


def test_csv_without_a_text_column_is_refused_at_the_header():
    with pytest.raises(FormatError, match="'text' column") as error:
        read_articles("a.csv", io.StringIO("title,body\nT,B\n"))

    assert error.value.line == 1


def test_csv_row_with_more_cells_than_the_header_is_refused():
    with pytest.raises(FormatError, match="more cells") as error:
        read_articles("a.csv", io.StringIO("title,text\nT,Body,extra\n"))

    assert error.value.line == 2
