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


def ensure_postgres() -> None:
    """Re-run this script under bin/with-postgres unless DATABASE_URL already points at PostgreSQL."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.execvpe(str(ROOT / "bin" / "with-postgres"),
                   [str(ROOT / "bin" / "with-postgres"), sys.executable, *sys.argv], {**os.environ, **BENCH_ENV})


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    log = open(log_path, "wb")  # noqa: SIM115  # closed with the process in stop_server
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within 30 s:\n{log_path.read_text(errors='replace')}")


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    if server is None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
