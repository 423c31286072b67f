"""Analysts saving spans over the API the way the annotate page does, for the fault scripts.

A save that gets no answer, or a 5xx or 429, is sent again, unchanged, until it lands (the page keeps it
queued in localStorage and retries). A 409 duplicate_span answering a retry means an earlier attempt landed
but its answer was lost: the page then adopts the stored span, so it counts as landed. Afterwards every span a
writer meant to save is looked up: stored exactly once, with its quote and one creation record in its history.
"""

import http.client
import json
import math
import random
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from _setup import ROOT, stop_server

RETRY_FIRST_S, RETRY_MAX_S = 0.1, 2.0   # the page waits 1 s, doubling to 15 s; shorter here, same semantics
GIVE_UP_AFTER_S = 120                   # a save still failing after this counts as lost


def passages(text: str) -> list[tuple[int, int, str]]:
    """Sentences, clauses and words of ``text`` as distinct (start, end, quote), in code points, end exclusive;
    each quote has no leading or trailing space, as the page's selection trims it."""
    found: dict[tuple[int, int], str] = {}
    for pattern in (r"[^.!?\n]+[.!?]?", r"[^,;:.!?\n]+", r"\w[\w'’-]*"):
        for match in re.finditer(pattern, text):
            start, end = match.span()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end - start >= 2:
                found.setdefault((start, end), text[start:end])
    return [(start, end, quote) for (start, end), quote in found.items()]


@dataclass(frozen=True, slots=True)
class Writer:
    token: str                                   # the analyst's API token
    assignment_id: int
    requests: list[list[dict[str, object]]]      # one POST each: one span, or several through spans/bulk/


@dataclass(slots=True)
class Outcome:
    attempts: int = 0                            # requests sent, retries included
    landed: int = 0                              # requests that landed (201, or 409 duplicate on a retry)
    landed_on_retry: int = 0
    found_on_retry: int = 0                      # of those, a 409: the first attempt had landed, its answer lost
    transient: Counter[str] = field(default_factory=Counter)   # what failed and was retried: status or exception
    lost: list[str] = field(default_factory=list)              # refused or given up: spans not saved
    failed_sent_at: list[float] = field(default_factory=list)  # time.monotonic() each failed attempt was sent


def build_writers(name: str, count: int, spans_each: int, per_request: int = 1, seed: int = 7) -> list[Writer]:
    """A project with the seed articles and ``count`` analysts with a token and one assignment each, and for
    each analyst ``spans_each`` distinct quote-matched spans to save, ``per_request`` to a request."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from annotator.models import Assignment, Role
    from annotator.services import articles, assignments, projects

    suffix = secrets.token_hex(3)
    project = projects.create_project(name=f"{name} {suffix}", slug=f"{name.lower().replace(' ', '-')}-{suffix}")
    labels = list(project.labels.order_by("position").values_list("key", flat=True))
    users = get_user_model().objects
    analysts = [users.create_user(username=f"writer-{index}-{suffix}") for index in range(count)]
    for analyst in analysts:
        projects.add_member(project=project, user=analyst, role=Role.ANALYST)
    loaded = articles.load_articles(project=project, paths=sorted((ROOT / "seeds").glob("*.txt"))).created
    assignments.assign_articles(project=project, overlap=min(count, math.ceil(count / len(loaded))))
    chooser = random.Random(seed)
    writers = []
    for analyst in analysts:
        own = Assignment.objects.filter(analyst=analyst).select_related("article").order_by("id").first()
        if own is None:
            raise RuntimeError(f"assign_articles left {analyst} without an assignment")
        choices = [(start, end, quote, label) for start, end, quote in passages(own.article.text) for label in labels]
        if len(choices) < spans_each:
            raise SystemExit(f"{own.article.external_id} has room for {len(choices)} distinct spans, not {spans_each}")
        spans = [{"start": start, "end": end, "quote": quote, "label": label}
                 for start, end, quote, label in chooser.sample(choices, spans_each)]
        batches = [spans[index:index + per_request] for index in range(0, len(spans), per_request)]
        writers.append(Writer(Token.objects.create(user=analyst).key, own.pk, batches))
    connections.close_all()  # the server's workers open their own
    return writers


def _send(connection: http.client.HTTPConnection, writer: Writer, batch: list[dict[str, object]]) -> tuple[int, bytes]:
    path = f"/api/v1/assignments/{writer.assignment_id}/spans/"
    body: object = batch[0]
    if len(batch) > 1:
        path, body = path + "bulk/", {"spans": batch}
    connection.request("POST", path, body=json.dumps(body).encode(), headers={
        "Authorization": f"Token {writer.token}", "Content-Type": "application/json", "Accept": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def save_all(port: int, writer: Writer, pause: float, outcome: Outcome) -> None:
    """Send each of the writer's requests until it lands, ``pause`` seconds apart."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for index, batch in enumerate(writer.requests):
            if pause and index:
                time.sleep(pause)
            delay, deadline, attempt = RETRY_FIRST_S, time.monotonic() + GIVE_UP_AFTER_S, 0
            while True:
                attempt += 1
                outcome.attempts += 1
                sent_at = time.monotonic()
                try:
                    status, body = _send(connection, writer, batch)
                except (OSError, http.client.HTTPException) as error:
                    connection.close()  # the next attempt opens a fresh connection
                    status, body, what = 0, b"", type(error).__name__
                else:
                    what = str(status)
                code = json.loads(body).get("code") if body.startswith(b"{") else None
                if status == 201 or (status == 409 and code == "duplicate_span" and attempt > 1):
                    outcome.landed += 1
                    outcome.landed_on_retry += attempt > 1
                    outcome.found_on_retry += status == 409
                    break
                if (status == 0 or status >= 500 or status == 429) and time.monotonic() < deadline:
                    outcome.transient[what] += 1
                    outcome.failed_sent_at.append(sent_at)
                    time.sleep(delay)
                    delay = min(delay * 2, RETRY_MAX_S)
                    continue
                outcome.lost.append(f"assignment {writer.assignment_id}, request {index}: {what} {body[:200]!r}")
                break
    finally:
        connection.close()


def run_writers(port: int, writers: list[Writer], pause: float) -> tuple[list[Outcome], list[threading.Thread]]:
    """Start one thread per writer; the caller injects its fault, then joins the threads."""
    outcomes = [Outcome() for _ in writers]
    threads = [threading.Thread(target=save_all, args=(port, writer, pause, outcome), daemon=True)
               for writer, outcome in zip(writers, outcomes, strict=True)]
    for thread in threads:
        thread.start()
    return outcomes, threads


def check_stored(writers: list[Writer]) -> list[str]:
    """Every problem with what is stored: a span missing, stored twice or not meant, a quote that differs from
    the text, a span without exactly one creation record in its history. Empty when all landed once."""
    from django.db import connections

    from annotator.models import Assignment, Span

    problems = []
    created = Counter(Span.history.filter(history_type="+").values_list("id", flat=True))
    for writer in writers:
        text = Assignment.objects.select_related("article").get(pk=writer.assignment_id).article.text
        meant = Counter((span["start"], span["end"], span["label"]) for batch in writer.requests for span in batch)
        rows = list(Span.objects.filter(assignment_id=writer.assignment_id).values_list(
            "id", "start", "end", "label__key", "quote"))
        stored = Counter((start, end, label) for _, start, end, label, _ in rows)
        where = f"assignment {writer.assignment_id}"
        problems += [f"{where}: {key} missing" for key in meant - stored]
        problems += [f"{where}: {key} stored {n} times" for key, n in stored.items() if n > 1]
        problems += [f"{where}: {key} stored but never sent" for key in stored - meant]
        problems += [f"{where}: span {pk} quotes {quote!r}, the text says {text[start:end]!r}"
                     for pk, start, end, _, quote in rows if quote != text[start:end]]
        problems += [f"{where}: span {pk} has {created[pk]} creation records in its history"
                     for pk, *_ in rows if created[pk] != 1]
    connections.close_all()
    return problems


def summarize(outcomes: list[Outcome]) -> str:
    transient: Counter[str] = Counter()
    for outcome in outcomes:
        transient.update(outcome.transient)
    failures = ", ".join(f"{what} x{n}" for what, n in transient.most_common()) or "none"
    return (f"{sum(o.landed for o in outcomes):,} requests landed ({sum(o.landed_on_retry for o in outcomes)} "
            f"after a retry, {sum(o.found_on_retry for o in outcomes)} of them found stored by the retry) in "
            f"{sum(o.attempts for o in outcomes):,} attempts; failed and retried: {failures}; "
            f"lost: {sum(len(o.lost) for o in outcomes)}")


def stored_line_and_failures(writers: list[Writer], outcomes: list[Outcome]) -> tuple[str, list[str]]:
    """The report's line on what is stored, and the failures: problems of what is stored, saves lost."""
    problems = check_stored(writers)
    meant = sum(len(batch) for writer in writers for batch in writer.requests)
    line = (f"- stored: {meant:,} of {meant:,} spans checked without a problem" if not problems
            else f"- stored: {len(problems)} problems")
    return line, problems[:20] + [lost for outcome in outcomes for lost in outcome.lost][:20]


def stop_and_clean(server: subprocess.Popen[bytes] | None, workdir: Path, show_log: bool) -> None:
    stop_server(server)
    if show_log:
        print("\nServer log (last lines):\n" + "\n".join(
            (workdir / "gunicorn.log").read_text(errors="replace").splitlines()[-30:]))
    shutil.rmtree(workdir, ignore_errors=True)


def conclude(failures: list[str], success: str) -> None:
    """Print the verdict; exit 1 on any failure."""
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"\nOK: {success}")
