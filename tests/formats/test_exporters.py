"""Every export format streams: it writes an article before reading the next, and counts what it wrote."""

import io

import pytest

from annotator.formats import hf
from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.records import ExportArticle, ExportStats
from tests.formats.samples import ARTICLE, GOLD

TEXT_FORMATS = sorted(name for name, fmt in FORMATS.items() if not fmt.is_binary)


class WatchedStream(io.StringIO):
    """A text stream that remembers how much had been written each time the source gave an article."""

    def __init__(self) -> None:
        super().__init__(newline="")
        self.written_before: list[int] = []


def _articles_watching(stream: WatchedStream, count: int):
    for number in range(count):
        stream.written_before.append(len(stream.getvalue()))
        yield ExportArticle(f"doc-{number}", "title", f"Text number {number} names Peskov.", spans=ARTICLE.spans[:1])


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_text_formats_write_each_article_before_reading_the_next(name):
    stream = WatchedStream()

    write_export(FORMATS[name], _articles_watching(stream, 3), stream)

    first, second, third = stream.written_before
    assert first < second < third < len(stream.getvalue())  # at most an opening bracket before the first
    assert "doc-0" in stream.getvalue()[:second]  # the first article, written before the second was read


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_text_formats_count_articles_spans_and_labels_for_the_card(name):
    stream = io.StringIO()

    stats = write_export(FORMATS[name], [ARTICLE, GOLD], stream)

    assert (stats.articles, stats.spans) == (2, 6)
    assert stats.labels == {"denial": 3, "claim": 2, "expert_opinion": 1}
    assert stats.sources == {"Dmitry Peskov": 2, "NIS": 1}


def test_parquet_writes_a_row_group_before_reading_the_next_article(tmp_path):
    pytest.importorskip("pyarrow")
    sizes = []
    with open(tmp_path / "out.parquet", "wb") as stream:

        def articles():
            for number in range(3):
                stream.flush()
                sizes.append((tmp_path / "out.parquet").stat().st_size)
                yield ExportArticle(f"doc-{number}", "t", "Peskov said so.")

        hf.write_parquet(articles(), stream, batch=1)

    assert sizes[0] < sizes[1] < sizes[2]


def test_write_export_fills_the_stats_it_is_given():
    stats = ExportStats(articles=5)

    returned = write_export(FORMATS["jsonl"], [ARTICLE], io.StringIO(), stats)

    assert returned is stats and stats.articles == 6
