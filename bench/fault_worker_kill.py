"""Fault: a gunicorn worker is killed (SIGKILL) while it serves span writes; nothing may be lost or half-written.

    .venv/bin/python bench/fault_worker_kill.py [--writers 8] [--spans 60] [--workers 3] [--kills 6] [--bulk 5]

Runs on a throwaway PostgreSQL (re-runs itself under bin/with-postgres) and builds, through the services, a
project with the seed articles and one analyst per writer. Half the writers save one span per request, as the
annotate page does; the other half send --bulk spans per request to spans/bulk/, which is all or nothing. Each
retries like the page (bench/_writers.py): a cut connection or a 5xx is sent again; a 409 duplicate_span on a
retry means the first attempt had committed before the worker died. While they write, a worker is killed
every --interval-ms, --kills times at least and until a request was cut mid-way (at most 20 kills).

Checks, and exits 1 on any failure: every span stored exactly once with its quote and one creation record in its
history (a bulk request half written would leave spans missing, since its retry is refused as a duplicate); no
save lost; gunicorn replaced every killed worker (as many workers as at the start, none of the killed ones);
no database session left open in a transaction. Traffic goes to 127.0.0.1 only.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (  # noqa: E402  # bench/ is on the path
    BENCH_ENV,
    create_database,
    ensure_postgres,
    free_port,
    setup_django,
    start_gunicorn,
    worker_pids,
)
from _writers import (  # noqa: E402
    build_writers,
    conclude,
    run_writers,
    stop_and_clean,
    stored_line_and_failures,
    summarize,
)

MAX_KILLS = 20
CUT = {"RemoteDisconnected", "ConnectionResetError", "BrokenPipeError", "IncompleteRead", "BadStatusLine"}


def wait_for_workers(master: subprocess.Popen[bytes], count: int, killed: set[int], timeout: float = 30) -> list[int]:
    """The master's workers once there are ``count`` of them and none is a killed one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = worker_pids(master)
        if len(pids) == count and not killed & set(pids):
            return pids
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn has workers {worker_pids(master)} {timeout:.0f} s after a kill, not {count} new ones")


def open_transactions() -> list[str]:
    """Other database sessions still inside a transaction: what a dead worker's half-done work would hold."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, state, left(query, 80) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")
        rows = cursor.fetchall()
    connection.close()
    return [f"pid {pid} {state}: {query}" for pid, state, query in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--writers", type=int, default=8, help="analysts saving at once (half of them in bulk)")
    parser.add_argument("--spans", type=int, default=60, help="spans each writer saves")
    parser.add_argument("--bulk", type=int, default=5, help="spans per request of the bulk writers")
    parser.add_argument("--pause-ms", type=int, default=10, help="between one writer's saves")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (2 or more)")
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--interval-ms", type=int, default=700, help="between two kills")
    options = parser.parse_args()
    if options.workers < 2 or options.writers < 2:
        parser.error("needs --workers >= 2 and --writers >= 2")
    ensure_postgres()
    create_database()
    setup_django()

    print(f"Building: {options.writers} analysts with {options.spans} spans each to save ...", flush=True)
    writers = (build_writers("Worker kill", options.writers // 2, options.spans)
               + build_writers("Worker kill bulk", options.writers - options.writers // 2, options.spans,
                               per_request=options.bulk))
    workdir = Path(tempfile.mkdtemp(prefix="credence-fault-worker-"))
    server, failures = None, []
    try:
        port = free_port()
        env = {**os.environ, **BENCH_ENV, "DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING"}
        server = start_gunicorn(env, port, options.workers, workdir / "gunicorn.log")
        first = wait_for_workers(server, options.workers, set())
        outcomes, threads = run_writers(port, writers, options.pause_ms / 1000)
        killed: set[int] = set()

        def cut() -> int:
            return sum(n for outcome in outcomes for what, n in outcome.transient.items() if what in CUT)

        while (len(killed) < options.kills or not cut()) and len(killed) < MAX_KILLS \
                and any(thread.is_alive() for thread in threads):
            time.sleep(options.interval_ms / 1000)
            victim = wait_for_workers(server, options.workers, killed)[len(killed) % options.workers]
            os.kill(victim, signal.SIGKILL)
            killed.add(victim)
        for thread in threads:
            thread.join(timeout=300)
        if any(thread.is_alive() for thread in threads):
            failures.append("a writer did not finish within 300 s")
        now = wait_for_workers(server, options.workers, killed)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            healthy = response.status == 200
        stored, stored_failures = stored_line_and_failures(writers, outcomes)
        still_open = open_transactions()
        meant = sum(len(batch) for writer in writers for batch in writer.requests)

        print(f"\n{options.writers} writers ({options.writers // 2} one span a request, the others {options.bulk} "
              f"a request), {meant:,} spans; gunicorn {options.workers} sync workers")
        print(f"- workers killed with SIGKILL while serving: {len(killed)}; requests cut mid-way: {cut()}")
        print(f"- saves: {summarize(outcomes)}")
        print(f"- workers after the run: {len(now)} (at the start: {sorted(first)}; now: {sorted(now)}); "
              f"/healthz {'200' if healthy else 'failed'}")
        print(f"- database sessions left inside a transaction: {len(still_open)}")
        print(stored)
        failures += stored_failures
        failures += still_open
        if not cut():
            failures.append(f"no request was cut in {len(killed)} kills: nothing was tested (rerun, or more writers)")
    finally:
        stop_and_clean(server, workdir, show_log=bool(failures))
    conclude(failures, "every span landed exactly once; no request was half written; every killed worker was replaced.")


if __name__ == "__main__":
    main()
