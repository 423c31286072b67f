"""Plain records the format tests share: text with emoji, combining marks and curly quotes."""

import io
from collections.abc import Iterable

from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan, ExportStats

# 🇷🇺 and 👩🏽‍💻 lie outside the BMP (two UTF-16 units per code point); "e\u0301" is e + combining acute.
TEXT = ("Peskov 🇷🇺 called it “fake news”; e\u0301lite units 👩🏽‍💻 deny.\n"
        "Zelenskyy’s café disagreed.")


def span(quote, label="claim", **extra):
    """The span of the first occurrence of ``quote`` in TEXT."""
    start = TEXT.index(quote)
    return ExportSpan(start, start + len(quote), quote, label, **extra)


ARTICLE = ExportArticle(
    external_id="a-1", title="Kremlin =denies", text=TEXT, outlet="RFI", url="https://example.org/a",
    published="2024-10-20",
    spans=(span("Peskov", "denial", source="Dmitry Peskov", credibility=2, analyst="ana"),
           span("“fake news”", "denial", credibility=1, analyst="ana", note='=HYPERLINK("http://evil")'),
           span("e\u0301lite units 👩🏽‍💻", analyst="bo", source="NIS", credibility=4),
           span("Zelenskyy’s café", "expert_opinion", analyst="bo")),
    assessments=(ExportAssessment(3, "ok", "ana"), ExportAssessment(None, "", "bo")),
    metadata={"language": "en", "tags": ["war", "kursk"]},
)

GOLD = ExportArticle(
    external_id="a-2", title="Gold", text=TEXT,
    spans=(span("Peskov", "denial", source="Dmitry Peskov", credibility=2, support=3),
           span("e\u0301lite units 👩🏽‍💻", credibility=4, support=2)),
    assessments=(ExportAssessment(2, "verdict"),),
)


def export_text(name: str, articles: Iterable[ExportArticle] = (ARTICLE,)) -> tuple[str, ExportStats]:
    """The whole output of a text format and its counts."""
    buffer = io.StringIO(newline="")
    stats = write_export(FORMATS[name], articles, buffer)
    return buffer.getvalue(), stats
