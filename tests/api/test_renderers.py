"""The API's JSON renderer writes the bytes DRF's renderer writes."""

import datetime
import decimal
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers

from annotator.api.renderers import JSONRenderer

ANSWERS = [
    {"id": 1, "quote": "“fake news”, says the Kremlin", "label": "denial", "source": None, "credibility": 2,
     "scores": [1, 2.5, -0.0], "ok": True, "nested": {"spans": [{"start": 0, "end": 14}]}},
    [{"created_at": datetime.datetime(2024, 10, 18, 9, 30, 12, 123456, tzinfo=datetime.UTC)},
     {"published": datetime.date(2024, 10, 18)}, {"at": datetime.time(9, 30)}],
    # Written by orjson itself: every zone at a zero offset says "Z"; microseconds only when there are any.
    [datetime.datetime(2024, 10, 18, 9, 30, 12, tzinfo=datetime.UTC),
     datetime.datetime(2024, 10, 18, 9, 30, 12, 120000, tzinfo=zoneinfo.ZoneInfo("UTC")),
     datetime.datetime(2024, 1, 18, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
     datetime.datetime(2024, 10, 18, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Kyiv")),
     datetime.datetime(2024, 10, 18, 9, 30, tzinfo=datetime.timezone(-datetime.timedelta(hours=3, minutes=30))),
     datetime.datetime(2024, 10, 18, 9, 30, 0, 7), datetime.time(9, 30, 12, 5)],
    {"mean": decimal.Decimal("2.75"), "message": gettext_lazy("Invalid token."), "key": uuid.UUID(int=7)},
    {1: "an int key", "text": "line\u2028separator and paragraph\u2029separator", "emoji": "🇺🇦"},
    {"big": 2**70},  # beyond orjson's 64 bits
    [],
    "plain text",
]


@pytest.mark.parametrize("data", ANSWERS)
def test_the_same_bytes_as_drfs_renderer(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_indented_output_when_the_client_asks_for_it():
    data = {"spans": [{"start": 0}]}
    media_type = "application/json; indent=2"

    assert JSONRenderer().render(data, media_type) == renderers.JSONRenderer().render(data, media_type)
    assert b"\n  " in JSONRenderer().render(data, media_type)


def test_no_body_for_no_data():
    assert JSONRenderer().render(None) == b""
