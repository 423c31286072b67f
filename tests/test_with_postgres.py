"""bin/with-postgres: a throwaway cluster that skips waiting for the disk for the test suite, and keeps
PostgreSQL's durability for the benchmarks (WITH_POSTGRES_DURABLE=1), whose figures are a deployment's."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = "SELECT current_setting('fsync') || current_setting('synchronous_commit') || current_setting('full_page_writes')"


def _settings(**env: str) -> str:
    run = subprocess.run([str(ROOT / "bin" / "with-postgres"), "psql", "-d", "postgres", "-Atc", SHOW],
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.skipif(not (shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))),
                    reason="PostgreSQL's server binaries are not installed")
def test_the_clusters_durability_is_off_for_tests_and_postgresqls_own_for_benchmarks():
    assert _settings(WITH_POSTGRES_DURABLE="0") == "offoffoff"
    assert _settings(WITH_POSTGRES_DURABLE="1") == "ononon"
