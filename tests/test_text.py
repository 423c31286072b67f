"""Offsets: code points in Python, UTF-16 units in browsers, quotes checked exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator import text

MIXED = "“Fake news”, said Peskov 🇷🇺. Zelenskyy’s café — e\u0301lite 👩🏽‍💻 units."


def test_extract_quote_equals_python_slicing_on_curly_quotes_accents_and_emoji():
    start = MIXED.index("Peskov")
    end = MIXED.index(" units")

    quote = text.extract_quote(MIXED, start, end)

    assert quote == MIXED[start:end]
    assert quote.startswith("Peskov 🇷🇺. Zelenskyy’s café — e\u0301lite 👩🏽‍💻")


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(-1, 3, "start"), (5, 5, "end"), (6, 2, "end"), (0, len(MIXED) + 1, "end")],
)
def test_extract_quote_refuses_offsets_outside_the_text(start, end, field):
    with pytest.raises(text.OffsetError) as error:
        text.extract_quote(MIXED, start, end)

    assert error.value.field == field


def test_extract_quote_refuses_a_quote_that_differs_from_the_text():
    with pytest.raises(text.OffsetError) as error:
        text.extract_quote(MIXED, 0, 11, expected='"Fake news"')  # straight quotes, text has curly ones

    assert error.value.field == "quote"


def test_utf16_offsets_count_astral_characters_twice():
    # "🇷🇺" is two regional indicators, each outside the BMP: 2 code points, 4 UTF-16 units.
    sample = "a🇷🇺b"

    assert text.codepoint_to_utf16(sample, 3) == 5
    assert text.utf16_to_codepoint(sample, 5) == 3


def test_utf16_offset_inside_a_surrogate_pair_is_refused():
    with pytest.raises(text.OffsetError):
        text.utf16_to_codepoint("a🇷b", 2)


@given(st.text(), st.data())
def test_utf16_round_trip_returns_the_same_code_point_offset(sample, data):
    offset = data.draw(st.integers(min_value=0, max_value=len(sample)))

    units = text.codepoint_to_utf16(sample, offset)

    assert units == len(sample[:offset].encode("utf-16-le")) // 2
    assert text.utf16_to_codepoint(sample, units) == offset


def test_normalise_newlines_turns_crlf_and_cr_into_lf_only():
    assert text.normalise_newlines("a\r\nb\rc\n“d”") == "a\nb\nc\n“d”"


def test_word_bounds_widen_to_whole_words_and_keep_combining_marks():
    sample = "the e\u0301lite units"

    assert text.word_bounds(sample, 5, 8) == (4, 10)
    assert sample[4:10] == "e\u0301lite"
