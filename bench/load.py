"""Load: simulated analysts annotating the seed corpus through the annotate page's requests, under gunicorn.

    .venv/bin/python bench/load.py [--levels 8,32,64] [--duration 60] [--think 3] [--spans 4] [--workers 4]
    .venv/bin/python bench/load.py --quick        # 8 and 32 analysts, 10 s each, 0.3 s think time

Runs on a throwaway PostgreSQL (re-runs itself under bin/with-postgres unless DATABASE_URL names one) and builds,
through the services, one analyst account per simulated analyst (the largest level's count) and, for each level,
demo-like projects (the demo's settings and source registry, the seed articles) in which each of that level's
analysts is assigned every article. Gunicorn (core.wsgi, --workers sync workers, kept database connections)
serves on a free loopback port. Before a level, its analysts not yet logged in log in through the login form
(session cookie and CSRF token, as a browser). Then, for --duration seconds, each analyst walks its assignments
as a person does in the page, pausing --think seconds (uniformly 0.5x to 1.5x) between actions:

    GET  /assignments/{id}/annotate/                  open the article (its text comes with the page)
    GET  assignments/{id}/spans/, .../assessment/     the page's own loads, at once
    per span (--spans of them, quote-matched offsets of sentences and clauses of the real text):
      POST assignments/{id}/spans/                    select and label
      GET  assignments/{id}/source-suggestions/       the page asks at once for the selected span
      GET  projects/{id}/sources/?search=             half the time the analyst types a source instead
      PATCH spans/{id}/  {source}, then {credibility} attribute, then score (If-Match: the span's version)
    PUT  assignments/{id}/assessment/                 the article's score
    POST assignments/{id}/submit/, then GET /         submit, back to the list

Prints per level and per endpoint: requests, throughput, p50/p95/p99 latency and errors, the CPU that gunicorn,
PostgreSQL and the clients used and the load average, and checks every span answered 201 is stored. Target:
0 errors and p95 < 100 ms at 32 analysts on 2 cores. Asserts nothing: it prints, a person judges. Static
files are not fetched (a browser caches them). Traffic goes to 127.0.0.1 only; gunicorn is always stopped.
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (  # noqa: E402  # bench/ is on the path
    BENCH_ENV,
    ROOT,
    create_database,
    ensure_postgres,
    free_port,
    setup_django,
    start_gunicorn,
    stop_server,
    worker_pids,
)
from _writers import passages  # noqa: E402

PASSWORD = "load-analyst-password"  # noqa: S105  # throwaway accounts on a throwaway database
HOME, PAGE, SPANS, ASSESSMENT = "GET / (home)", "GET annotate page", "GET spans", "GET assessment"
CREATE, SUGGEST, SEARCH = "POST span", "GET source-suggestions", "GET sources?search="
ATTRIBUTE, SCORE, ASSESS, SUBMIT = "PATCH span (source)", "PATCH span (score)", "PUT assessment", "POST submit"
ENDPOINTS = [HOME, PAGE, SPANS, ASSESSMENT, CREATE, SUGGEST, SEARCH, ATTRIBUTE, SCORE, ASSESS, SUBMIT]
LOGIN = "login (GET form, POST)"
THINKS_PER_ARTICLE = 15  # reading, then three per span and two at the end, with --spans 4
TARGET_P95_MS, TARGET_LEVEL = 100, 32
SERVER_ENV = {"DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING"}
CSRF_META = re.compile(rb'<meta name="csrf-token" content="([^"]+)"')
CSRF_FORM = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# ---------------------------------------------------------------- the database, through the services

@dataclass(frozen=True, slots=True)
class Work:
    assignment_id: int
    project_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Level:
    analysts: int
    plans: list[list[Work]]          # per analyst, the assignments to walk in order
    project_ids: list[int]
    source_names: list[str]


def build(levels: list[int], articles_each: int) -> tuple[list[str], dict[int, Level]]:
    """Usernames of max(levels) analysts, and per level its projects with every article assigned to each of its
    analysts: ceil(articles_each / seed articles) demo-like projects."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connections

    from annotator.models import Assignment, Role
    from annotator.services import articles, assignments, projects, sources

    spec = json.loads((ROOT / "fixtures" / "demo_project.json").read_text(encoding="utf-8"))
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    suffix = secrets.token_hex(3)
    hashed = make_password(PASSWORD)  # once: the hasher takes a good part of a second by design
    User = get_user_model()
    analysts = [User.objects.create(username=f"load-{index:02d}-{suffix}", password=hashed)
                for index in range(max(levels))]
    built = {}
    for level in levels:
        project_ids = []
        for copy in range(math.ceil(articles_each / len(seeds))):
            project = projects.create_project(**{**spec["project"], "name": f"Load {level}.{copy} {suffix}",
                                                 "slug": f"load-{level}-{copy}-{suffix}", "overlap": level})
            for source in spec["sources"]:
                sources.create_source(project=project, **source)
            for analyst in analysts[:level]:
                projects.add_member(project=project, user=analyst, role=Role.ANALYST)
            articles.load_articles(project=project, paths=seeds)
            assignments.assign_articles(project=project)
            project_ids.append(project.pk)
        plans = [[Work(a.pk, a.article.project_id, a.article.text) for a in Assignment.objects.filter(
                     analyst=analyst, article__project_id__in=project_ids).select_related("article").order_by("id")]
                 for analyst in analysts[:level]]
        built[level] = Level(level, plans, project_ids, [source["name"] for source in spec["sources"]])
    connections.close_all()  # gunicorn's workers open their own
    return [analyst.username for analyst in analysts], built


def stored_spans(project_ids: list[int]) -> int:
    from django.db import connections

    from annotator.models import Span

    count = Span.objects.filter(assignment__article__project_id__in=project_ids).count()
    connections.close_all()
    return count


# ---------------------------------------------------------------- one analyst's browser

@dataclass(slots=True)
class Tally:
    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)   # (endpoint, status or exception)
    created: int = 0
    submitted: int = 0

    def merge(self, other: "Tally") -> None:
        for endpoint, seconds in other.seconds.items():
            self.seconds.setdefault(endpoint, []).extend(seconds)
        self.errors.update(other.errors)
        self.created += other.created
        self.submitted += other.submitted


class Browser:
    """An analyst's session: one keep-alive connection, the cookies, the page's CSRF token; times each request."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def call(self, tally: Tally, endpoint: str, method: str, path: str, *, body: object = None,
             form: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             expect: int = 200) -> bytes | None:
        """The body of the answer, or None (counted as an error) for another status or no answer."""
        sent = {"Accept": "application/json" if path.startswith("/api/") else "text/html", **(headers or {})}
        payload = None
        if body is not None:
            payload, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        if form is not None:
            payload, sent["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        if method != "GET" and form is None:
            sent["X-CSRFToken"] = self.csrf
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=sent)
            response = self.connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()  # the next request opens a fresh connection
            tally.errors[endpoint, type(error).__name__] += 1
            return None
        tally.seconds.setdefault(endpoint, []).append(time.perf_counter() - began)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status != expect:
            tally.errors[endpoint, str(response.status)] += 1
            return None
        return answer

    def log_in(self, username: str, tally: Tally) -> bool:
        form = self.call(tally, LOGIN, "GET", "/login/")
        token = CSRF_FORM.search(form or b"")
        return token is not None and self.call(tally, LOGIN, "POST", "/login/", expect=302, form={
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}) is not None


def annotate(browser: Browser, plan: list[Work], level: Level, options: argparse.Namespace, seed: int,
             start: threading.Barrier, end_box: list[float], tally: Tally) -> None:
    """Walk the plan like a person until the level's time is up."""
    rng = random.Random(seed)
    start.wait()
    end = end_box[0]

    def pause(mean: float) -> bool:
        """Think for about ``mean`` seconds; False once the level's time is up."""
        time.sleep(max(0.0, min(mean * rng.uniform(0.5, 1.5), end - time.monotonic())))
        return time.monotonic() < end

    api = "/api/v1"
    if not pause(options.think):  # analysts arrive spread over the first think time
        return
    for work in plan:
        page = browser.call(tally, PAGE, "GET", f"/assignments/{work.assignment_id}/annotate/")
        meta = CSRF_META.search(page or b"")
        if meta is None:
            return
        browser.csrf = meta.group(1).decode()
        browser.call(tally, SPANS, "GET", f"{api}/assignments/{work.assignment_id}/spans/")
        browser.call(tally, ASSESSMENT, "GET", f"{api}/assignments/{work.assignment_id}/assessment/")
        candidates = [(s, e, q) for s, e, q in passages(work.text) if 15 <= e - s <= 300]
        for start_at, end_at, quote in rng.sample(candidates, options.spans):
            if not pause(options.think):
                return
            created = browser.call(tally, CREATE, "POST", f"{api}/assignments/{work.assignment_id}/spans/", body={
                "start": start_at, "end": end_at, "quote": quote,
                "label": rng.choice(["claim", "denial", "expert_opinion"])}, expect=201)
            suggested = browser.call(tally, SUGGEST, "GET", f"{api}/assignments/{work.assignment_id}/"
                                     f"source-suggestions/?start={start_at}&end={end_at}")
            if created is None:
                continue
            tally.created += 1
            span = json.loads(created)
            if not pause(options.think):
                return
            found = [{"id": item["source_id"]} for item in json.loads(suggested or b"[]")]
            if not found or rng.random() < 0.5:
                typed = urllib.parse.quote(rng.choice(level.source_names)[:4].lower())
                found = json.loads(browser.call(tally, SEARCH, "GET", f"{api}/projects/{work.project_id}/sources/"
                                                f"?search={typed}") or b"[]")
            version = span["version"]
            if found:
                patched = browser.call(tally, ATTRIBUTE, "PATCH", f"{api}/spans/{span['id']}/",
                                       body={"source": found[0]["id"]}, headers={"If-Match": f'"{version}"'})
                version = json.loads(patched)["version"] if patched else version
            if not pause(options.think):
                return
            browser.call(tally, SCORE, "PATCH", f"{api}/spans/{span['id']}/", body={"credibility": rng.randint(1, 5)},
                         headers={"If-Match": f'"{version}"'})
        if not pause(options.think):
            return
        browser.call(tally, ASSESS, "PUT", f"{api}/assignments/{work.assignment_id}/assessment/",
                     body={"credibility": rng.randint(1, 5), "comment": ""}, headers={"If-Match": '"0"'})
        if not pause(options.think):
            return
        if browser.call(tally, SUBMIT, "POST", f"{api}/assignments/{work.assignment_id}/submit/") is not None:
            tally.submitted += 1
        browser.call(tally, HOME, "GET", "/")


# ---------------------------------------------------------------- CPU of the processes serving the load

def cpu_seconds(pid: int, with_children: bool) -> float:
    """User + system CPU seconds of a process (and of its children it has waited for), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = sum(int(value) for value in fields[11:15 if with_children else 13])  # utime stime [cutime cstime]
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int | None) -> float:
    """CPU seconds of a server's process tree: the parent with the children it reaped, and the live children."""
    if pid is None:
        return math.nan
    children = Path(f"/proc/{pid}/task/{pid}/children")
    live = [int(child) for child in children.read_text().split()] if children.exists() else []
    return cpu_seconds(pid, True) + sum(cpu_seconds(child, False) for child in live)


def postmaster_pid() -> int | None:
    try:
        return int(Path(os.environ["PGDATA"], "postmaster.pid").read_text().split()[0])
    except (KeyError, OSError, ValueError, IndexError):
        return None  # not bin/with-postgres's cluster: its CPU is not reported


# ---------------------------------------------------------------- a level, and its report

def percentile(sorted_seconds: list[float], fraction: float) -> float:
    """Nearest-rank percentile in ms."""
    if not sorted_seconds:
        return math.nan
    return sorted_seconds[max(1, math.ceil(fraction * len(sorted_seconds))) - 1] * 1000


def ms(sorted_seconds: list[float], fraction: float) -> str:
    return f"{percentile(sorted_seconds, fraction):.1f}" if sorted_seconds else "-"


def log_in_all(browsers: list[Browser], usernames: list[str]) -> Tally:
    """Log every browser without a session in, all at once; the tally of those logins."""
    tallies = [Tally() for _ in browsers]
    threads = [threading.Thread(target=browser.log_in, args=(username, tally), daemon=True)
               for browser, username, tally in zip(browsers, usernames, tallies, strict=True)
               if "sessionid" not in browser.cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total


def run_level(port: int, server: subprocess.Popen[bytes], browsers: list[Browser], level: Level,
              options: argparse.Namespace) -> dict[str, object]:
    start = threading.Barrier(level.analysts + 1)
    end_box = [0.0]
    tallies = [Tally() for _ in range(level.analysts)]
    threads = [threading.Thread(target=annotate, daemon=True, args=(
                   browser, plan, level, options, 1000 * level.analysts + index, start, end_box, tally))
               for index, (browser, plan, tally) in enumerate(zip(browsers, level.plans, tallies, strict=True))]
    for thread in threads:
        thread.start()
    load_before, postmaster = os.getloadavg()[0], postmaster_pid()
    cpu = (tree_cpu(server.pid), tree_cpu(postmaster), time.process_time())
    end_box[0] = time.monotonic() + options.duration
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    used = (tree_cpu(server.pid) - cpu[0], tree_cpu(postmaster) - cpu[1], time.process_time() - cpu[2])
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return {"tally": total, "wall": wall, "cpu": used, "load": (load_before, os.getloadavg()[0]),
            "stored": stored_spans(level.project_ids)}


def print_level(level: Level, result: dict[str, object], logins: Tally, options: argparse.Namespace,
                workers: int) -> bool:
    """The level's table; True when it meets the target (0 errors, every endpoint's p95 < 100 ms)."""
    tally: Tally = result["tally"]  # type: ignore[assignment]
    wall: float = result["wall"]  # type: ignore[assignment]
    gunicorn_cpu, postgres_cpu, client_cpu = result["cpu"]  # type: ignore[misc]
    before, after = result["load"]  # type: ignore[misc]
    print(f"\n{level.analysts} analysts for {options.duration:g} s (think time {options.think:g} s, 0.5x to 1.5x; "
          f"{options.spans} spans an article); gunicorn {workers} sync workers\n")
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    every: list[float] = []
    meets = True
    for endpoint in ENDPOINTS:
        seconds = sorted(tally.seconds.get(endpoint, []))
        every.extend(seconds)
        errors = sum(n for (where, _), n in tally.errors.items() if where == endpoint)
        meets = meets and not errors and not percentile(seconds, 0.95) >= TARGET_P95_MS
        print(f"| {endpoint} | {len(seconds):,} | {len(seconds) / wall:.1f} | {ms(seconds, 0.5)} | "
              f"{ms(seconds, 0.95)} | {ms(seconds, 0.99)} | {errors} |")
    every.sort()
    print(f"| all | {len(every):,} | {len(every) / wall:.1f} | {ms(every, 0.5)} | {ms(every, 0.95)} | "
          f"{ms(every, 0.99)} | {sum(tally.errors.values())} |")
    if tally.errors:
        print("\nErrors: " + ", ".join(f"{where} -> {what} x{n}" for (where, what), n in tally.errors.most_common()))
    login_seconds = sorted(logins.seconds.get(LOGIN, []))
    if login_seconds:
        print(f"\nBefore the level, {len(login_seconds) // 2} analysts logged in at once: p50 "
              f"{percentile(login_seconds, 0.5):.0f} ms, p95 {percentile(login_seconds, 0.95):.0f} ms per request "
              f"(the password hasher is slow by design), {sum(logins.errors.values())} errors; not in the table.")
    print(f"Work done: {tally.submitted} articles submitted, {tally.created} spans created, {result['stored']} "
          f"stored{'' if result['stored'] == tally.created else ' (MISMATCH)'}.")
    print(f"CPU seconds used during the level: gunicorn {gunicorn_cpu:.1f}, PostgreSQL {postgres_cpu:.1f}, these "
          f"clients {client_cpu:.1f}, of {wall * (os.cpu_count() or 1):.0f} on {os.cpu_count()} cores; load average "
          f"{before:.1f} before, {after:.1f} after.")
    if level.analysts == TARGET_LEVEL:
        print(f"Target at {TARGET_LEVEL} analysts (0 errors, every p95 < {TARGET_P95_MS} ms): "
              f"{'meets' if meets else 'misses'}.")
    return meets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--levels", default="8,32,64", help="numbers of analysts, one level after another")
    parser.add_argument("--duration", type=float, default=60, help="seconds of each level")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between an analyst's actions")
    parser.add_argument("--spans", type=int, default=4, help="spans an analyst adds to each article")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync worker processes")
    parser.add_argument("--quick", action="store_true", help="8 and 32 analysts, 10 s each, 0.3 s think time")
    options = parser.parse_args()
    if options.quick:
        options.levels, options.duration, options.think = "8,32", 10, 0.3
    levels = [int(level) for level in options.levels.split(",")]
    if min(levels) < 1 or options.duration <= 0 or options.think <= 0 or options.spans < 1:
        parser.error("needs levels >= 1, --duration > 0, --think > 0 and --spans >= 1")
    ensure_postgres()
    create_database()
    setup_django()

    # Enough articles that no analyst runs out before the time is up, even with fast answers.
    articles_each = math.ceil(options.duration / (THINKS_PER_ARTICLE * 0.5 * options.think)) + 1
    print(f"Building: {max(levels)} analysts, {articles_each}+ assignments each per level ...", flush=True)
    usernames, built = build(levels, articles_each)
    workdir = Path(tempfile.mkdtemp(prefix="credence-load-"))
    server = None
    try:
        port = free_port()
        server = start_gunicorn({**os.environ, **BENCH_ENV, **SERVER_ENV}, port, options.workers,
                                workdir / "gunicorn.log")
        workers = len(worker_pids(server)) or options.workers
        uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        print(f"gunicorn answers on 127.0.0.1:{port} with {workers} workers. Machine: {os.cpu_count()} cores; "
              f"uptime: {uptime}", flush=True)
        browsers = [Browser(port) for _ in usernames]
        for level in levels:
            logins = log_in_all(browsers[:level], usernames[:level])
            result = run_level(port, server, browsers[:level], built[level], options)
            print_level(built[level], result, logins, options, workers)
            sys.stdout.flush()
    finally:
        stop_server(server)
        log = workdir / "gunicorn.log"
        errors = [line for line in (log.read_text(errors="replace") if log.exists() else "").splitlines()
                  if "ERROR" in line or "Traceback" in line]
        if errors:
            print("\nServer log errors (first lines):\n" + "\n".join(errors[:20]))
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
