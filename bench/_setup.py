"""Shared set-up for the benchmark scripts: a Django environment on a throwaway PostgreSQL (or SQLite)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_ENV = {
    "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "STATIC_MANIFEST": "0",
    "THROTTLE_USER": "100000000/minute",
    "THROTTLE_ANON": "100000000/minute",
    "AXES_ENABLED": "0",
}

START_TIMEOUT_S = 90  # a server's first answer; a machine shared with other work can be slow to start one


def ensure_postgres() -> None:
    """Re-run this script under bin/with-postgres unless DATABASE_URL already points at PostgreSQL. The cluster
    keeps PostgreSQL's defaults for durability (fsync, synchronous_commit, full_page_writes), as a deployment
    does, where the test suite's turns them off."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        command = str(ROOT / "bin" / "with-postgres")
        os.execvpe(command, [command, sys.executable, *sys.argv],
                   {**os.environ, **BENCH_ENV, "WITH_POSTGRES_DURABLE": "1"})


def setup_django() -> None:
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_database() -> None:
    """Create the database named in DATABASE_URL (on a fresh cluster) and migrate it."""
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        subprocess.run(["createdb", url.rsplit("/", 1)[1]], check=False, capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], check=True,
                   env={**os.environ, **BENCH_ENV})


def speed_probe_ms() -> float:
    """Milliseconds a fixed pure-Python loop takes (the best of five): this virtual machine's speed at the
    moment, which varies by half from minute to minute. Printed next to the figures to read them by."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for value in range(2_000_000):
            total += value * value
        best = min(best, time.perf_counter() - started)
    return best * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(server: subprocess.Popen[bytes], port: int, log_path: Path, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{name} stopped at start:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"{name} did not answer within {START_TIMEOUT_S} s:\n{log_path.read_text(errors='replace')}")


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """Django's development server (one process, threads) on 127.0.0.1:port, once /healthz answers."""
    log = open(log_path, "wb")  # noqa: SIM115  # the child writes to it until it stops
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    _wait_until_healthy(server, port, log_path, "the server")
    return server


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path,
                   worker_class: str = "sync") -> subprocess.Popen[bytes]:
    """Gunicorn serving core.wsgi with ``workers`` processes on 127.0.0.1:port, once /healthz answers; the
    rest of its settings are the ones deployments use (deploy/gunicorn.conf.py)."""
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
               "core.wsgi:application", "-w", str(workers), "-k", worker_class, "-b", f"127.0.0.1:{port}"]
    log = open(log_path, "wb")  # noqa: SIM115  # the child writes to it until it stops
    server = subprocess.Popen(command, cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "core.settings"},
                              stdout=log, stderr=subprocess.STDOUT)
    log.close()
    _wait_until_healthy(server, port, log_path, "gunicorn")
    return server


def children(pid: int) -> list[int]:
    """The process ids of ``pid``'s children, from /proc; none once it has ended."""
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    tree, index = [pid], 0
    while index < len(tree):
        tree += children(tree[index])
        index += 1
    return tree


def worker_pids(master: subprocess.Popen[bytes]) -> list[int]:
    """The process ids of a gunicorn master's workers (its children)."""
    return children(master.pid)


def process_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far; one that has ended is left out."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15 of stat)
    return used


def cpu_used_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds the processes used since ``before`` (process_cpu_seconds); a new process counts whole."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in process_cpu_seconds(pids).items())


def postgres_pids() -> list[int]:
    """The throwaway cluster's postmaster and its children (backends, WAL writer...), from PGDATA."""
    data = os.environ.get("PGDATA")
    if not data:
        return []
    try:
        postmaster = int((Path(data) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    return [postmaster, *children(postmaster)]


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM (gunicorn's master stops its workers first), SIGKILL after 15 s."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
