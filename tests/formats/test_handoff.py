"""Streams handed between threads and to a forked writer process: everything arrives in order, and an error
on either side stops the other and is raised in the caller, without hanging."""

import itertools
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.formats import handoff
from annotator.formats.errors import FormatError
from annotator.formats.records import ExportArticle, ExportClaim, pack_article, unpack_article
from tests.formats.samples import ARTICLE, GOLD, span


def _counting(limit: int | None, pulled: list[int]) -> Iterator[int]:
    """0, 1, 2... (up to ``limit``), recording each value as it is read."""
    for value in itertools.count() if limit is None else range(limit):
        pulled.append(value)
        yield value


def _threads_left(name: str) -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith(name)]


def test_read_ahead_gives_every_item_in_order_read_on_another_thread():
    readers = []

    def items():
        for value in range(500):
            readers.append(threading.current_thread().name)
            yield value

    assert list(handoff.read_ahead(items(), name="test-reader")) == list(range(500))
    assert set(readers) == {"test-reader"} and not _threads_left("test-reader")


def test_read_ahead_raises_what_reading_raised_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("line 3: not JSON")

    seen = []
    with pytest.raises(ValueError, match="line 3"):
        for item in handoff.read_ahead(items(), name="test-reader"):
            seen.append(item)

    assert seen == [1, 2] and not _threads_left("test-reader")


def test_closing_read_ahead_early_stops_its_reader_with_at_most_a_few_items_read_ahead():
    pulled: list[int] = []
    items = handoff.read_ahead(_counting(None, pulled), depth=1, name="test-reader")

    assert [next(items) for _ in range(3)] == [0, 1, 2]
    items.close()

    assert not _threads_left("test-reader")
    assert len(pulled) <= 3 + 2  # the one waiting in the queue and the one the reader held


def test_write_behind_consumes_every_item_in_order_on_another_thread_and_returns_its_result():
    consumers = []

    def consume(items: Iterator[int]) -> list[int]:
        consumers.append(threading.current_thread().name)
        return list(items)

    result = handoff.write_behind(range(1000), consume, depth=2, chunk=7, name="test-writer")

    assert result == list(range(1000)) and consumers == ["test-writer"] and not _threads_left("test-writer")


def test_write_behind_stops_the_consumer_and_raises_when_reading_fails():
    consumed: list[int] = []
    finished = []

    def items():
        yield from range(10)
        raise RuntimeError("the database went away")

    def consume(stream: Iterator[int]) -> None:
        consumed.extend(stream)
        finished.append(True)  # never reached: the stream raises instead of ending

    with pytest.raises(RuntimeError, match="went away"):
        handoff.write_behind(items(), consume, chunk=3, name="test-writer")

    assert consumed == list(range(9)) and finished == []  # the last full chunk crossed, not a made-up end
    assert not _threads_left("test-writer")


def test_write_behind_stops_reading_and_raises_when_the_consumer_fails():
    pulled: list[int] = []

    def consume(stream: Iterator[int]) -> None:
        for value in stream:
            if value == 5:
                raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        handoff.write_behind(_counting(None, pulled), consume, depth=2, chunk=4, name="test-writer")

    assert len(pulled) < 40 and not _threads_left("test-writer")  # reading stopped soon after


def _claimed_article() -> ExportArticle:
    return ExportArticle(external_id="c-1", title="Claims", text=GOLD.text,
                         spans=(span("Peskov", "denial", analyst="ana", claims=(ExportClaim(7, "It is fake"),)),),
                         metadata={"nested": {"list": [1, 2.5, None, True]}})


def test_packed_articles_unpack_equal_with_named_spans_assessments_and_claims():
    for article in (ARTICLE, GOLD, _claimed_article()):
        unpacked = unpack_article(pack_article(article))

        assert unpacked == article
        assert [type(s).__name__ for s in unpacked.spans] == ["ExportSpan"] * len(article.spans)
        assert all(type(a).__name__ == "ExportAssessment" for a in unpacked.assessments)
    assert unpack_article(pack_article(_claimed_article())).spans[0].claims[0].wording == "It is fake"


def _in_child(items, consume, **kwargs):
    return handoff.write_in_child(items, consume, pack=pack_article, unpack=unpack_article, **kwargs)


def test_write_in_child_consumes_every_article_in_a_forked_process_and_returns_its_result():
    articles = [ARTICLE, GOLD, _claimed_article()] * 50

    def consume(stream: Iterator[ExportArticle]) -> tuple[int, list[ExportArticle]]:
        return os.getpid(), list(stream)

    pid, received = _in_child(iter(articles), consume, chunk=4, depth=2)

    assert pid != os.getpid()  # ran beside this process
    assert received == articles


def test_a_file_the_child_writes_and_flushes_is_whole_in_the_parent(tmp_path: Path):
    path = tmp_path / "out.txt"
    with path.open("w", encoding="utf-8") as stream:

        def consume(articles: Iterator[ExportArticle]) -> int:
            count = 0
            for article in articles:
                stream.write(article.external_id + "\n")
                count += 1
            stream.flush()
            return count

        assert _in_child([ARTICLE, GOLD] * 1000, consume) == 2000

    assert path.read_text(encoding="utf-8").splitlines() == ["a-1", "a-2"] * 1000


def test_a_child_error_is_raised_in_the_parent_with_its_type_and_message():
    def consume(articles: Iterator[ExportArticle]) -> None:
        for article in articles:
            if article.external_id == "a-2":
                raise ValueError(f"cannot encode {article.external_id}")

    with pytest.raises(ValueError, match="cannot encode a-2"):
        _in_child(iter([ARTICLE] * 100 + [GOLD] + [ARTICLE] * 10_000), consume, chunk=8, depth=2)


def test_a_reading_error_is_raised_and_the_child_ends_without_a_made_up_end():
    def articles():
        yield from [ARTICLE] * 40
        raise RuntimeError("connection lost")

    def consume(stream: Iterator[ExportArticle]) -> int:
        return sum(1 for _ in stream)  # would return 40 if the stream ended as if whole

    with pytest.raises(RuntimeError, match="connection lost"):
        _in_child(articles(), consume, chunk=8)


def test_a_child_that_dies_is_reported_not_waited_for():
    def consume(stream: Iterator[ExportArticle]) -> None:
        next(stream)
        os._exit(3)  # as if killed

    with pytest.raises(ChildProcessError, match="exit code 3"):
        _in_child(iter([ARTICLE] * 10_000), consume, chunk=8, depth=2)


def test_an_outcome_that_does_not_pickle_is_reported_as_an_error():
    with pytest.raises(ChildProcessError, match="PicklingError|pickle"):
        _in_child([ARTICLE], lambda stream: (list(stream), lambda: None))


def test_without_fork_the_writer_runs_on_a_thread(monkeypatch):
    monkeypatch.setattr(handoff.multiprocessing, "get_all_start_methods", lambda: ["spawn"])

    pid, names = _in_child([ARTICLE, GOLD], lambda stream: (os.getpid(), [a.external_id for a in stream]))

    assert (pid, names) == (os.getpid(), ["a-1", "a-2"])


def _read_in_child(items, **kwargs):
    return handoff.read_in_child(items, pack=pack_article, unpack=unpack_article, **kwargs)


def test_read_in_child_gives_every_article_in_order_read_in_a_forked_process():
    articles = [ARTICLE, GOLD, _claimed_article()] * 50
    readers = set()

    def items():
        for article in articles:
            readers.add(os.getpid())
            yield article

    assert list(_read_in_child(items())) == articles
    assert not readers  # read in the child: this process's set stayed empty


def test_read_in_child_raises_what_reading_raised_with_its_fields_after_the_items_before_it():
    def items():
        yield ARTICLE
        yield GOLD
        raise FormatError("quote does not match the text", line=3, field="spans")

    seen = []
    with pytest.raises(FormatError) as raised:
        for article in _read_in_child(items()):
            seen.append(article.external_id)

    assert seen == ["a-1", "a-2"]
    assert (raised.value.line, raised.value.field, str(raised.value)) == (3, "spans",
                                                                            "line 3: quote does not match the text")


def test_an_error_that_does_not_pickle_is_raised_as_a_child_error_naming_it():
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("cannot pickle this")

    def items():
        yield ARTICLE
        raise Unpicklable("bad input")

    with pytest.raises(ChildProcessError, match="Unpicklable: bad input"):
        list(_read_in_child(items()))


def test_a_reader_that_dies_is_reported_not_waited_for():
    def items():
        yield ARTICLE
        os._exit(3)  # as if killed

    with pytest.raises(ChildProcessError, match="exit code 3"):
        list(_read_in_child(items()))


def test_closing_read_in_child_early_stops_the_child():
    children = []

    def items():
        children.append(os.getpid())
        while True:
            yield ARTICLE

    reader = _read_in_child(items())
    assert next(reader) == ARTICLE
    reader.close()

    assert not [process for process in handoff.multiprocessing.active_children() if process.name == "read-in-child"]


def test_without_fork_the_reader_runs_on_a_thread(monkeypatch):
    monkeypatch.setattr(handoff.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    readers = []

    def items():
        readers.append(threading.current_thread().name)
        yield ARTICLE

    assert list(_read_in_child(items(), name="test-reader")) == [ARTICLE]
    assert readers == ["test-reader"]


def test_closing_read_in_child_stops_a_child_that_reads_slowly_and_ignores_sigterm():
    import signal
    import time

    def items():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as a web server's worker, whose handler the child inherits
        yield ARTICLE
        time.sleep(60)  # a slow read
        yield GOLD

    reader = _read_in_child(items())
    assert next(reader) == ARTICLE
    started = time.monotonic()
    reader.close()

    assert time.monotonic() - started < 10
    assert not [process for process in handoff.multiprocessing.active_children() if process.name == "read-in-child"]
