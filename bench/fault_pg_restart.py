"""Fault: PostgreSQL restarts while analysts save spans; every span must land exactly once.

    .venv/bin/python bench/fault_pg_restart.py [--writers 8] [--spans 60] [--workers 3] [--restarts 2]

Runs on a throwaway cluster (re-runs itself under bin/with-postgres, which says where the cluster's data and
pg_ctl are) and builds, through the services, a project with the seed articles and one analyst per writer.
Gunicorn serves it with kept database connections (DB_CONN_MAX_AGE, default 60 s: the case where a worker holds
a connection the restart has killed). Each writer thread saves its spans one POST at a time, --pause-ms apart,
and retries like the annotate page (bench/_writers.py). Meanwhile PostgreSQL is restarted --restarts times
(pg_ctl restart -m fast by default: open transactions are rolled back, connections cut).

Checks, and exits 1 on any failure: every span stored exactly once with its quote and one creation record in
its history; no save refused or given up; every writer finished; no request failed once PostgreSQL was back
(the workers reconnect instead of failing on their dead connection). Traffic goes to 127.0.0.1 only.
"""

import argparse
import math
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.error
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
)
from _writers import (  # noqa: E402
    build_writers,
    conclude,
    run_writers,
    stop_and_clean,
    stored_line_and_failures,
    summarize,
)

QUEUED_S = 2.0  # how long a request may wait in gunicorn's queue on a busy machine


def restart_postgres(mode: str) -> tuple[float, float]:
    """Restart the throwaway cluster; when pg_ctl began and when it returned (time.monotonic())."""
    if "PGDATA" not in os.environ or "PG_CTL" not in os.environ:
        raise SystemExit("needs the cluster of bin/with-postgres (PGDATA and PG_CTL): unset DATABASE_URL")
    log = Path(os.environ["PGDATA"]).parent / "postgres.log"
    began = time.monotonic()
    subprocess.run([*shlex.split(os.environ["PG_CTL"]), "-D", os.environ["PGDATA"], "-l", str(log), "-m", mode,
                    "-w", "-t", "60", "restart"], check=True, capture_output=True)
    return began, time.monotonic()


def readiness(port: int, tries: int) -> list[int]:
    """The status of ``tries`` calls to /readyz, which queries the database in whichever worker answers."""
    statuses = []
    for _ in range(tries):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--writers", type=int, default=8, help="analysts saving at once")
    parser.add_argument("--spans", type=int, default=60, help="spans each writer saves")
    parser.add_argument("--pause-ms", type=int, default=40, help="between one writer's saves")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--restarts", type=int, default=2)
    parser.add_argument("--mode", choices=["fast", "immediate"], default="fast",
                        help="pg_ctl's shutdown mode: fast rolls back and disconnects; immediate is a crash")
    parser.add_argument("--conn-max-age", default="60", help="DB_CONN_MAX_AGE of the server, in seconds")
    options = parser.parse_args()
    ensure_postgres()
    create_database()
    setup_django()

    print(f"Building: {options.writers} analysts with {options.spans} spans each to save ...", flush=True)
    writers = build_writers("PG restart", options.writers, options.spans)
    workdir = Path(tempfile.mkdtemp(prefix="credence-fault-pg-"))
    server, failures = None, []
    try:
        port = free_port()
        env = {**os.environ, **BENCH_ENV, "DB_CONN_MAX_AGE": options.conn_max_age, "LOG_LEVEL": "WARNING"}
        server = start_gunicorn(env, port, options.workers, workdir / "gunicorn.log")
        readiness(port, options.workers * 3)  # every worker opens its kept connection before the first restart
        outcomes, threads = run_writers(port, writers, options.pause_ms / 1000)
        total, outages = sum(len(writer.requests) for writer in writers), []
        for restart in range(options.restarts):
            # Restart when a share of the saves has landed: evenly spread over the run, whatever its speed.
            while sum(outcome.landed for outcome in outcomes) < total * (restart + 1) / (options.restarts + 1):
                time.sleep(0.01)
            began, back = restart_postgres(options.mode)
            outages.append((began, back))
            print(f"PostgreSQL restart {restart + 1} (-m {options.mode}): pg_ctl took {back - began:.1f} s", flush=True)
        for thread in threads:
            thread.join(timeout=300)
        if any(thread.is_alive() for thread in threads):
            failures.append("a writer did not finish within 300 s")
        # A request sent once PostgreSQL is back must succeed, though the worker's kept connection died in the
        # restart: the health check (CONN_HEALTH_CHECKS) replaces it before it is used. Requests sent just
        # before the next restart may wait in gunicorn's queue until it begins, so they are left out.
        calm = [(back, next_began - QUEUED_S) for (_, back), (next_began, _) in
                zip(outages, [*outages[1:], (math.inf, 0.0)], strict=True)]
        late = [sent for outcome in outcomes for sent in outcome.failed_sent_at
                if any(start < sent < end for start, end in calm)]
        # Once more with no request on the way: each worker's kept connection is dead, and the next request it
        # serves must still succeed (the health check replaces the connection; without it, a 503 each).
        restart_postgres(options.mode)
        ready = readiness(port, options.workers * 3)
        stored, stored_failures = stored_line_and_failures(writers, outcomes)
        meant = sum(len(batch) for writer in writers for batch in writer.requests)

        print(f"\n{options.writers} writers, {meant:,} spans, {options.restarts} restarts, gunicorn "
              f"{options.workers} sync workers, DB_CONN_MAX_AGE={options.conn_max_age}")
        print(f"- saves: {summarize(outcomes)}")
        print(f"- requests sent once PostgreSQL was back that failed: {len(late)}")
        print(f"- /readyz after one more restart while idle, {len(ready)} calls: {sorted(set(ready))}")
        print(stored)
        failures += stored_failures
        if late:
            failures.append(f"{len(late)} requests sent once PostgreSQL was back failed")
        if set(ready) != {200}:
            failures.append(f"/readyz answered {sorted(set(ready))} after a restart while idle")
    finally:
        stop_and_clean(server, workdir, show_log=bool(failures))
    conclude(failures, "every span landed exactly once; nothing lost, nothing duplicated.")


if __name__ == "__main__":
    main()
