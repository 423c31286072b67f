"""Load on the REST API under gunicorn: analysts creating spans while an article with its spans is read.

    .venv/bin/python bench/api_load.py [--clients 8] [--requests 2000] [--spans 60] [--workers 2] [--think-ms 0]

Runs on a throwaway PostgreSQL (re-runs itself under bin/with-postgres unless DATABASE_URL names one) and
builds, through the services, a project with the seed articles, one analyst per client (assign_articles gives
each an assignment), a reviewer, and an assignment holding --spans spans: the one that is read. Then it starts
gunicorn (core.wsgi, --workers sync workers) on a free loopback port and N client processes, each with its
own connection (a minimal HTTP/1.1 client), send --requests requests in total, each client in turn:

    POST /api/v1/assignments/{own}/spans/     a new span, at offsets no other request uses (its analyst's token)
    GET  /api/v1/articles/{read}/             the read article with its text (the reviewer's token)
    GET  /api/v1/assignments/{read}/spans/    its --spans spans (the reviewer's token)

A few GETs per client warm the workers up first and are not counted. Prints requests/s, p50/p95/p99 latency
and errors per endpoint next to the targets (2 cores, 8 clients): span create p95 < 50 ms, each fetch of the
article or its spans p95 < 30 ms. Asserts nothing: it prints, a person judges. Gunicorn is always stopped.

The clients send their next request as soon as the last one is answered (closed loop, no think time), so at 8
clients the server is saturated and latency is mostly queueing: mean latency = clients / throughput. With
--think-ms each client pauses between requests, like a person reading. Traffic goes to 127.0.0.1 only. Sync
workers close the connection after every response, so the clients' keep-alive only counts with --worker-class
gthread; the report says how many connections were opened.
"""

import argparse
import json
import math
import multiprocessing
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (  # noqa: E402  # bench/ is on the path
    BENCH_ENV,
    ROOT,
    cpu_used_since,
    create_database,
    ensure_postgres,
    free_port,
    postgres_pids,
    process_cpu_seconds,
    setup_django,
    speed_probe_ms,
    start_gunicorn,
    stop_server,
    worker_pids,
)

CREATE, ARTICLE, SPANS = "POST assignments/{id}/spans/", "GET articles/{id}/", "GET assignments/{id}/spans/"
TARGET_P95_MS = {CREATE: 50, ARTICLE: 30, SPANS: 30}
EXPECTED_STATUS = {CREATE: 201, ARTICLE: 200, SPANS: 200}
WARM_UP_ROUNDS = 3
SERVER_ENV = {"DB_CONN_MAX_AGE": "60", "THROTTLE_USER": "1000000/minute", "LOG_LEVEL": "WARNING"}


# ---------------------------------------------------------------- the database, through the services

@dataclass(frozen=True, slots=True)
class Client:
    token: str                               # the analyst's API token
    assignment_id: int                       # the analyst's own assignment, where its spans go
    slots: list[tuple[int, int, str]]        # (start, end, label) free for new spans, none used twice


@dataclass(frozen=True, slots=True)
class Fixture:
    clients: list[Client]
    reviewer_token: str
    article_id: int                          # the article that is read
    assignment_id: int                       # its assignment with --spans spans


def span_slots(text: str, labels: list[str]) -> list[tuple[int, int, str]]:
    """Every word of ``text`` once per label: distinct (start, end, label) triples, in reading order per label."""
    words = [match.span() for match in re.finditer(r"\w+", text)]
    return [(start, end, label) for label in labels for start, end in words]


def build(clients: int, spans_to_read: int, creates_per_client: int) -> Fixture:
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from annotator.models import Assignment, Role
    from annotator.services import articles, assignments, projects, sources, spans

    suffix = secrets.token_hex(3)  # a second run on the same database does not collide with the first
    project = projects.create_project(name=f"API load {suffix}", slug=f"api-load-{suffix}", overlap=1)
    labels = list(project.labels.order_by("position"))
    users = get_user_model().objects
    # No service creates accounts (the admin and seed_demo do); token-only users need no password.
    analysts = [users.create_user(username=f"load-analyst-{index}-{suffix}") for index in range(clients)]
    for analyst in analysts:
        projects.add_member(project=project, user=analyst, role=Role.ANALYST)
    reviewer = users.create_user(username=f"load-reviewer-{suffix}")
    projects.add_member(project=project, user=reviewer, role=Role.REVIEWER)
    loaded = articles.load_articles(project=project, paths=sorted((ROOT / "seeds").glob("*.txt"))).created
    # Enough analysts per article that each gets at least one assignment (the service balances the load).
    assignments.assign_articles(project=project, overlap=min(clients, math.ceil(clients / len(loaded))))

    plan: list[Client] = []
    for analyst in analysts:
        own = Assignment.objects.filter(analyst=analyst).select_related("article").order_by("id").first()
        if own is None:
            raise RuntimeError(f"assign_articles left {analyst} without an assignment")
        slots = span_slots(own.article.text, [label.key for label in labels])
        if len(slots) < creates_per_client:
            raise SystemExit(f"{own.article.external_id} has room for {len(slots)} distinct spans; "
                             f"each client creates {creates_per_client}: ask for fewer --requests or more --clients")
        plan.append(Client(Token.objects.create(user=analyst).key, own.pk, slots[:creates_per_client]))

    # The read assignment: its own analyst, so assign_articles above never touched it.
    reader = users.create_user(username=f"load-reader-{suffix}")
    projects.add_member(project=project, user=reader, role=Role.ANALYST)
    article = loaded[0]
    read = assignments.create_assignment(article=article, analyst=reader)
    registry = [sources.create_source(project=project, name=name)
                for name in ("Kremlin", "Ministry of Defence", "Institute for the Study of War")]
    by_key = {label.key: label for label in labels}
    slots = span_slots(article.text, list(by_key))
    if len(slots) < spans_to_read:
        raise SystemExit(f"{article.external_id} has room for {len(slots)} distinct spans, not {spans_to_read}")
    step = len(slots) // spans_to_read  # spread over the text and the labels
    items = [{"start": start, "end": end, "label": by_key[key],
              "source": registry[index % len(registry)] if index % 2 else None,
              "credibility": 1 + index % 5 if index % 3 else None, "note": "checked" if index % 4 == 0 else ""}
             for index, (start, end, key) in enumerate(slots[::step][:spans_to_read])]
    spans.create_spans(assignment=read, items=items)
    fixture = Fixture(plan, Token.objects.create(user=reviewer).key, article.pk, read.pk)
    connections.close_all()  # gunicorn's workers open their own
    return fixture


def database_description() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    return f"PostgreSQL {version.split()[0]}"


# ---------------------------------------------------------------- the clients

class ClientConnection:
    """A minimal HTTP/1.1 client on one socket, counting how often it had to (re)connect.

    The load generator shares the cores with the server, so it does as little as it can: it writes each request
    whole and reads the response by its Content-Length (or to the end, when there is none). http.client parses
    every response's header with the email package, about a tenth of the CPU the server spends on a request.
    """

    def __init__(self, port: int) -> None:
        self.port, self.opened = port, 0
        self.sock: socket.socket | None = None

    def request(self, method: str, path: str, token: str, body: bytes | None = None) -> tuple[int, bytes]:
        """The status and the body of the response."""
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.opened += 1
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAuthorization: Token {token}\r\n"
                "Accept: application/json\r\n")
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.sock.sendall(head.encode() + b"\r\n" + (body or b""))
        received = b""
        while b"\r\n\r\n" not in received:
            received += self._receive()
        header, _, content = received.partition(b"\r\n\r\n")
        status_line, *lines = header.split(b"\r\n")
        fields = {name.strip().lower(): value.strip().lower()
                  for name, _, value in (line.partition(b":") for line in lines)}
        if b"chunked" in fields.get(b"transfer-encoding", b""):
            raise BadResponse("a chunked response: this client reads by Content-Length")
        if b"content-length" in fields:
            length = int(fields[b"content-length"])
            while len(content) < length:
                content += self._receive()
        else:  # the body runs to the end of the connection
            while chunk := self.sock.recv(65536):
                content += chunk
        if b"content-length" not in fields or fields.get(b"connection") == b"close":
            self.close()
        return int(status_line.split()[1]), content

    def _receive(self) -> bytes:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise BadResponse("the server closed the connection before the response ended")
        return chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class BadResponse(OSError):
    """A response the client cannot read."""


@dataclass(slots=True)
class Tally:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {CREATE: [], ARTICLE: [], SPANS: []})
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (endpoint, status or exception)
    connections: int = 0
    cpu: float = 0.0  # CPU seconds the client's process used while it sent its counted requests


def send(connection: ClientConnection, method: str, path: str, token: str,
         body: dict[str, object] | None = None) -> tuple[int, bytes]:
    return connection.request(method, path, token, None if body is None else json.dumps(body).encode())


def run_client(port: int, fixture: Fixture, client: Client, count: int, think: float, start: Any,
               tally: Tally) -> None:
    connection = ClientConnection(port)
    reads = [(ARTICLE, f"/api/v1/articles/{fixture.article_id}/"),
             (SPANS, f"/api/v1/assignments/{fixture.assignment_id}/spans/")]
    try:
        try:
            for _ in range(WARM_UP_ROUNDS):
                for _, path in reads:
                    send(connection, "GET", path, fixture.reviewer_token)
        except BaseException:
            start.abort()  # the main thread stops waiting for this client and reports the failure
            raise
        start.wait()
        cpu = time.process_time()
        slots = iter(client.slots)
        for index in range(count):
            if think and index:
                time.sleep(think)
            kind = (CREATE, ARTICLE, SPANS)[index % 3]
            began = time.perf_counter()
            try:
                if kind == CREATE:
                    begin, end, label = next(slots)
                    status, _ = send(connection, "POST", f"/api/v1/assignments/{client.assignment_id}/spans/",
                                     client.token, {"start": begin, "end": end, "label": label})
                else:
                    status, _ = send(connection, "GET", dict(reads)[kind], fixture.reviewer_token)
            except (OSError, ValueError) as error:  # ValueError: a malformed status line or length
                connection.close()  # the next request opens a fresh connection
                tally.errors[kind, type(error).__name__] += 1
                continue
            tally.seconds[kind].append(time.perf_counter() - began)
            if status != EXPECTED_STATUS[kind]:
                tally.errors[kind, str(status)] += 1
        tally.cpu = time.process_time() - cpu
    finally:
        tally.connections = connection.opened
        connection.close()


def client_process(port: int, fixture: Fixture, client: Client, count: int, think: float, start: Any,
                   outbox: Connection) -> None:
    """A client in a process of its own (run_client), which sends its tally back when it is done."""
    tally = Tally()
    try:
        run_client(port, fixture, client, count, think, start, tally)
    finally:
        outbox.send(tally)
        outbox.close()


def check_fixture(port: int, fixture: Fixture, spans_to_read: int) -> None:
    """One read before the run: the reviewer sees the article and exactly --spans spans."""
    connection = ClientConnection(port)
    try:
        status, body = send(connection, "GET", f"/api/v1/assignments/{fixture.assignment_id}/spans/",
                            fixture.reviewer_token)
    finally:
        connection.close()
    if status != 200 or len(json.loads(body)) != spans_to_read:
        raise RuntimeError(f"the read assignment answers {status} with {body[:200]!r}")


@dataclass(frozen=True, slots=True)
class CpuUse:
    """CPU seconds used during the run, by whom."""
    server: float                            # gunicorn's master and workers
    database: float                          # PostgreSQL's processes
    clients: float                           # the client processes


def run_load(port: int, fixture: Fixture, total: int, think: float,
             server: subprocess.Popen[bytes]) -> tuple[list[Tally], float, CpuUse]:
    """Every client's tally, the wall-clock seconds of the run and the CPU seconds used meanwhile.

    Each client is a process of its own: client threads in one process would wait for each other's turn at
    the GIL between a response's arrival and its timing, which adds to the latency measured.
    """
    clients = len(fixture.clients)
    counts = [total // clients + (1 if index < total % clients else 0) for index in range(clients)]
    context = multiprocessing.get_context("fork")
    start = context.Barrier(clients + 1)
    pipes = [context.Pipe(duplex=False) for _ in range(clients)]
    processes = [context.Process(target=client_process, args=(port, fixture, client, count, think, start, outbox),
                                 daemon=True)
                 for client, count, (_, outbox) in zip(fixture.clients, counts, pipes, strict=True)]
    for process in processes:
        process.start()
    for _, outbox in pipes:
        outbox.close()

    def server_pids() -> list[int]:
        return [server.pid, *worker_pids(server)]
    start.wait()
    server_before, database_before = process_cpu_seconds(server_pids()), process_cpu_seconds(postgres_pids())
    began = time.perf_counter()
    tallies = [inbox.recv() for inbox, _ in pipes]
    wall = time.perf_counter() - began
    for process in processes:
        process.join()
    used = CpuUse(cpu_used_since(server_before, server_pids()), cpu_used_since(database_before, postgres_pids()),
                  sum(tally.cpu for tally in tallies))
    return tallies, wall, used


# ---------------------------------------------------------------- report

def percentile(sorted_seconds: list[float], fraction: float) -> float:
    """Nearest-rank percentile in ms (the value below which ``fraction`` of the requests finished)."""
    if not sorted_seconds:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_seconds)))
    return sorted_seconds[rank - 1] * 1000


def print_report(tallies: list[Tally], wall: float, cpu: CpuUse, load: float, options: argparse.Namespace,
                 database: str) -> None:
    think = f", {options.think_ms} ms think time" if options.think_ms else ", no think time"
    print(f"\nAPI load: {options.clients} clients{think}, {options.requests:,} requests in {wall:.1f} s; gunicorn "
          f"{options.workers} {options.worker_class} workers; {database}; {os.cpu_count()} CPU cores "
          f"(load average {load:.1f} before the run); the read assignment holds {options.spans} spans.\n")
    print("| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | target p95 | verdict |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    every: list[float] = []
    for kind in (CREATE, ARTICLE, SPANS):
        seconds = sorted(s for tally in tallies for s in tally.seconds[kind])
        every.extend(seconds)
        errors = sum(n for tally in tallies for (endpoint, _), n in tally.errors.items() if endpoint == kind)
        p95, target = percentile(seconds, 0.95), TARGET_P95_MS[kind]
        print(f"| {kind} | {len(seconds):,} | {errors} | {len(seconds) / wall:,.0f} | "
              f"{percentile(seconds, 0.50):.1f} | {p95:.1f} | {percentile(seconds, 0.99):.1f} | < {target} ms | "
              f"{'meets' if p95 < target else 'misses'} |")
    every.sort()
    all_errors = sum(sum(tally.errors.values()) for tally in tallies)
    print(f"| all | {len(every):,} | {all_errors} | {len(every) / wall:,.0f} | {percentile(every, 0.50):.1f} | "
          f"{percentile(every, 0.95):.1f} | {percentile(every, 0.99):.1f} | | |")
    if all_errors:
        merged: Counter[tuple[str, str]] = Counter()
        for tally in tallies:
            merged.update(tally.errors)
        print("\nErrors: " + ", ".join(f"{kind} -> {what} x{n}" for (kind, what), n in merged.most_common()))
    opened = sum(tally.connections for tally in tallies)
    sent = options.requests + WARM_UP_ROUNDS * 2 * len(tallies)
    print(f"\nConnections opened by the clients: {opened:,} for {sent:,} requests (warm-up included). Latency is "
          f"timed in the client processes, which share the cores with gunicorn and PostgreSQL.")
    counted = len(every) or 1
    print(f"CPU per request: gunicorn {cpu.server / counted * 1000:.2f} ms, PostgreSQL "
          f"{cpu.database / counted * 1000:.2f} ms, clients {cpu.clients / counted * 1000:.2f} ms; "
          f"{cpu.server + cpu.database + cpu.clients:.1f} CPU seconds used of the "
          f"{wall * (os.cpu_count() or 1):.1f} the cores had.")
    print("Targets on 2 cores at 8 clients: span create p95 < 50 ms; article and spans fetch p95 < 30 ms each.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000, help="in total, over every client")
    parser.add_argument("--spans", type=int, default=60, help="spans of the assignment that is read")
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn worker processes (2, as deploy/gunicorn.conf.py starts on 2 cores)")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--think-ms", type=int, default=0, help="pause of each client between its requests")
    options = parser.parse_args()
    if options.clients < 1 or options.requests < options.clients or options.spans < 1:
        parser.error("need --clients >= 1, --requests >= --clients and --spans >= 1")
    ensure_postgres()
    create_database()
    setup_django()

    creates_per_client = math.ceil(math.ceil(options.requests / options.clients) / 3)
    print(f"Building the project: {options.clients} analysts, a reviewer, {options.spans} spans to read ...",
          flush=True)
    fixture = build(options.clients, options.spans, creates_per_client)
    database = database_description()
    workdir = Path(tempfile.mkdtemp(prefix="credence-api-load-"))
    server = None
    try:
        port = free_port()
        server = start_gunicorn({**os.environ, **BENCH_ENV, **SERVER_ENV}, port, options.workers,
                                workdir / "gunicorn.log", options.worker_class)
        print(f"gunicorn answers on 127.0.0.1:{port}; {options.requests:,} requests from {options.clients} "
              "clients ...", flush=True)
        check_fixture(port, fixture, options.spans)
        load, speed = os.getloadavg()[0], speed_probe_ms()
        tallies, wall, cpu = run_load(port, fixture, options.requests, options.think_ms / 1000, server)
        print_report(tallies, wall, cpu, load, options, database)
        print(f"Speed probe (bench/_setup.speed_probe_ms, lower is faster): {speed:.0f} ms before the run, "
              f"{speed_probe_ms():.0f} ms after.")
        if any(what.startswith("5") for tally in tallies for _, what in tally.errors):
            print("\nServer log (last lines):\n" + "\n".join(
                (workdir / "gunicorn.log").read_text(errors="replace").splitlines()[-40:]))
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
