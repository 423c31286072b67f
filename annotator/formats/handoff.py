"""A stream handed from the thread that reads it to another thread or process that writes it, so that the
reading and the writing overlap.

Only the caller may query: Django's connections belong to the thread that opened them, and a test's
transaction is visible on its own connection only. So an import reads its file ahead in a forked process
(``read_in_child``), or on a worker thread (``read_ahead``), while the caller writes to the database; an
export reads the database while a worker thread (``write_behind``), or a forked process on a machine with more
than one core (``write_in_child``), encodes and writes. A thread runs while the other waits on the database or
the disk (both release the GIL); a process runs beside the caller on a core of its own. At most a few items
wait between the two, so memory stays flat; either side stopping, by its end or by an error, stops the other,
and the error is raised in the caller.
"""

import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_POLL_S = 0.1  # how often a blocked side looks whether the other has stopped


class _Stopped(Exception):
    """Raised into the consumer of a handoff whose producer stopped on an error of its own."""


class _Handoff(Generic[T]):
    """A bounded queue from a producing thread to a consuming one; ``close`` stops both."""

    END = object()

    def __init__(self, depth: int) -> None:
        self.waiting: queue.Queue[object] = queue.Queue(maxsize=depth)
        self.closed = threading.Event()

    def put(self, item: object) -> bool:
        """Hand ``item`` over; False if the consumer has stopped (the producer should stop too)."""
        while not self.closed.is_set():
            try:
                self.waiting.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce(self, items: Iterable[T]) -> None:
        """Hand over ``items`` then their end, or the error reading them raised; stops early if closed."""
        try:
            for item in items:
                if not self.put(item):
                    return
        except BaseException as error:  # noqa: B036  # handed to the consumer, which raises it
            self.put(error)
            return
        self.put(self.END)

    def consume(self) -> Iterator[T]:
        """The items as they are handed over, raising the producer's error; ends when closed."""
        while not self.closed.is_set():
            try:
                item = self.waiting.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if item is self.END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]  # everything else put is a T

    def close(self) -> None:
        self.closed.set()


def read_ahead(items: Iterable[T], *, depth: int = 1, name: str = "read-ahead") -> Generator[T, None, None]:
    """``items``, each read on a worker thread while the caller handles the one before. The worker stops
    when the caller closes this generator (``contextlib.closing``); what reading raised is raised here."""
    handoff: _Handoff[T] = _Handoff(depth)
    worker = threading.Thread(target=handoff.produce, args=(items,), name=name, daemon=True)
    worker.start()
    try:
        yield from handoff.consume()
    finally:
        handoff.close()
        worker.join()


def forks_beside() -> bool:
    """Whether a forked process can run beside this one: the system forks and there is a second core."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


def read_in_child(items: Iterable[T], *, pack: Callable[[T], Any], unpack: Callable[[Any], T],
                  name: str = "read-in-child") -> Generator[T, None, None]:
    """``items``, read in a forked child process while the caller handles the one before, so that reading
    and the caller never wait for each other's turn at the GIL. Where there is no fork or a single core, a
    worker thread reads them (``read_ahead``). The child stops when the caller closes this generator
    (``contextlib.closing``); what reading raised is raised here.

    Each item crosses the pipe as a pickle of ``pack(item)``. A pipe holds 64 KiB (Linux), so the child is at
    most one large item ahead of the caller, and memory stays flat. Reading ``items`` must not use anything of
    this process's but what it was given: above all, never its database connection.
    """
    if not forks_beside():
        yield from read_ahead(items, name=name)
        return
    context = multiprocessing.get_context("fork")
    inbox, outbox = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(items, pack, outbox, inbox), name=name, daemon=True)
    child.start()
    outbox.close()
    try:
        while True:
            try:
                blob = inbox.recv_bytes()
            except EOFError:
                child.join()
                raise ChildProcessError(f"{name} ended before the end of its items (exit code "
                                        f"{child.exitcode})") from None
            if not blob:
                return
            failed, payload = pickle.loads(blob)
            if failed:
                raise payload
            yield unpack(payload)
    finally:
        inbox.close()  # a child still sending meets a broken pipe, and stops
        child.join(timeout=_POLL_S * 10)
        if child.exitcode is None:  # still reading its next item
            child.kill()  # not SIGTERM: a web server's worker handles it, and the child inherited the handler
            child.join()


def _read_in_child(items: Iterable[T], pack: Callable[[T], Any], outbox: Connection, parent_end: Connection) -> None:
    """The child's side of read_in_child: each item packed and pickled, then an empty end mark; or the error."""
    parent_end.close()
    try:
        try:
            for item in items:
                outbox.send_bytes(pickle.dumps((False, pack(item)), protocol=pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:
            return  # the parent stopped reading
        except BaseException as error:  # noqa: B036  # sent to the parent, which raises it
            try:
                blob = pickle.dumps((True, error), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as unpicklable:
                blob = pickle.dumps((True, ChildProcessError(f"{type(error).__name__}: {error} (not sent: "
                                                             f"{unpicklable})")))
            outbox.send_bytes(blob)
            return
        outbox.send_bytes(b"")
    except BrokenPipeError:
        pass


def write_behind(items: Iterable[T], consume: Callable[[Iterator[T]], R], *, depth: int = 8, chunk: int = 32,
                 name: str = "write-behind") -> R:
    """``consume(items)`` run on a worker thread while this thread reads ``items``, handed over ``chunk`` at a
    time with at most ``depth`` chunks waiting. Returns what ``consume`` returns. If reading raises, ``consume``
    is stopped (its iterator raises) and the reading error is raised; if ``consume`` raises, reading stops
    and its error is raised."""
    handoff: _Handoff[list[T]] = _Handoff(depth)
    outcome: list[R] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(consume(item for batch in handoff.consume() for item in batch))
        except _Stopped:
            pass
        except BaseException as error:  # noqa: B036  # raised in the caller's thread
            failure.append(error)
        finally:
            handoff.close()

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    source = iter(items)
    try:
        for batch in iter(lambda: list(islice(source, chunk)), []):
            if not handoff.put(batch):
                break  # the consumer stopped: its error is raised below
        else:
            handoff.put(_Handoff.END)
    except BaseException:
        handoff.put(_Stopped())  # the consumer's iterator raises it, and the consumer ends
        raise
    finally:
        worker.join()  # the consumer ends at the end, at _Stopped, or by an error of its own (which closes)
        _close(source)
    if failure:
        raise failure[0]
    return outcome[0]


def write_in_child(items: Iterable[T], consume: Callable[[Iterator[T]], R], *, pack: Callable[[T], Any],
                   unpack: Callable[[Any], T], chunk: int = 32, depth: int = 32, name: str = "write-in-child") -> R:
    """``consume(items)`` run in a forked child process while this one reads ``items``; returns what
    ``consume`` returns (pickled back). Where there is no fork or a single core, a worker thread runs it
    (``write_behind``).

    Items cross as pickles of ``pack(item)`` (plain tuples pickle several times faster than named ones),
    ``chunk`` at a time; a thread of this process writes them to the pipe, so reading goes on while the child
    catches up, with at most ``depth`` chunks waiting. ``consume`` must not use anything of this process's
    but the items: above all, never its database connection. It must flush a stream it writes to before it
    returns, as the child ends without flushing.
    """
    if not forks_beside():
        return write_behind(items, consume, depth=depth, chunk=chunk, name=name)
    context = multiprocessing.get_context("fork")
    inbox, to_child = context.Pipe(duplex=False)
    from_child, outbox = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(inbox, outbox, (to_child, from_child), consume, unpack),
                            name=name, daemon=True)
    child.start()
    inbox.close()
    outbox.close()

    def send(chunks: Iterator[list[Any]]) -> None:
        for packed in chunks:
            to_child.send_bytes(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))
        to_child.send_bytes(b"")  # the end

    source = iter(items)
    packed = ([pack(item) for item in batch] for batch in iter(lambda: list(islice(source, chunk)), []))
    try:
        try:
            write_behind(packed, send, depth=depth, chunk=1, name=f"{name}-sender")
        except (BrokenPipeError, EOFError):
            pass  # the child stopped early: its outcome says why
        except BaseException:
            to_child.close()  # the child reads the end of its pipe without the end mark, and stops
            raise
        try:
            failed, outcome = from_child.recv()
        except EOFError:
            raise ChildProcessError(f"{name} ended without an outcome (exit code {child.exitcode})") from None
    finally:
        to_child.close()
        from_child.close()
        child.join()
        _close(source)
    if failed:
        raise outcome
    return outcome


def _close(items: Iterator[Any]) -> None:
    """Close ``items`` if it is a generator (its reading may hold a cursor), whether or not it was read to the end."""
    close = getattr(items, "close", None)
    if close is not None:
        close()


def _run_child(inbox: Connection, outbox: Connection, parent_ends: tuple[Connection, ...],
               consume: Callable[[Iterator[T]], R], unpack: Callable[[Any], T]) -> None:
    """The child's side of write_in_child: consume the unpacked items, then send back (failed, outcome)."""
    for end in parent_ends:
        end.close()  # the copies forked with the child: its inbox ends when the parent closes its own

    def items() -> Iterator[T]:
        while blob := inbox.recv_bytes():
            yield from map(unpack, pickle.loads(blob))

    try:
        outcome: tuple[bool, object] = (False, consume(items()))
    except BaseException as error:  # noqa: B036  # sent to the parent, which raises it
        outcome = (True, error)
    try:
        outbox.send(outcome)
    except BrokenPipeError:
        pass  # the parent stopped first, on an error of its own
    except Exception as error:  # an outcome that does not pickle
        outbox.send((True, ChildProcessError(f"{type(error).__name__}: {error} (sending {outcome[1]!r})")))
