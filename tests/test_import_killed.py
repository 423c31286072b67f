"""`manage.py import_annotations` killed with SIGKILL halfway through writing: nothing of it is stored, and the
same import run again succeeds. A real command in a real process, on the test database (SQLite or PostgreSQL)."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from annotator.models import Article, ArticleAssessment, Assignment, GoldSpan, Membership, Source, Span
from annotator.services import imports

pytestmark = pytest.mark.django_db(transaction=True)  # the command's process must see the test's rows

ROOT = Path(__file__).resolve().parent.parent
ARTICLES, SPANS_EACH = 1_200, 14  # 16,800 spans: a second or more of writing, ample time to kill it in;
# more articles than a batch, in a file large enough to be checked as it is written: the next batch is being read
# and checked in a forked process when it is killed
TABLES = [model._meta.db_table for model in
          (Article, Assignment, Membership, Source, Span, Span.history.model, ArticleAssessment, GoldSpan)]


def write_import(path: Path, analyst: str) -> None:
    """ARTICLES distinct articles, each with SPANS_EACH of the analyst's spans (each word of its start), an
    attributed source and an article score, in Credence JSONL."""
    base = (ROOT / "seeds" / "000_7806262adbf967a1.txt").read_text(encoding="utf-8")
    with open(path, "w", encoding="utf-8") as stream:
        for number in range(ARTICLES):
            text = f"Report {number}. {base}"
            words = list(re.finditer(r"\w+", text))[:SPANS_EACH]
            spans = [{"start": word.start(), "end": word.end(), "quote": word.group(), "label": "claim",
                      "source": f"Source {index % 7}", "credibility": 1 + index % 5, "note": "", "analyst": analyst}
                     for index, word in enumerate(words)]
            stream.write(json.dumps({"id": f"killed-{number}", "title": f"Report {number}", "text": text,
                                     "meta": {}, "spans": spans,
                                     "assessments": [{"analyst": analyst, "credibility": 3, "comment": ""}]}) + "\n")


@pytest.fixture
def database(tmp_path) -> tuple[Callable[[], str], Callable[[], dict[str, int]], Callable[[], bool]]:
    """(share: the DATABASE_URL for a child process that sees the rows so far, rows per table, whether another
    session is writing right now).

    PostgreSQL: the test database itself. SQLite: the test database is in memory, so share() copies its rows
    into a file, and the command and the checks use that file from then on."""
    if connection.vendor == "postgresql":
        def share() -> str:
            return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]

        def query(sql: str) -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()

        def writing() -> bool:
            # A transaction gets an id (backend_xid) with its first write.
            return bool(query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"))
    else:
        file = tmp_path / "db.sqlite3"

        def share() -> str:
            connection.ensure_connection()
            with sqlite3.connect(file) as copy:
                connection.connection.backup(copy)
                copy.execute("PRAGMA journal_mode=WAL")  # as the command's connection sets it: no lock then
            return f"sqlite:///{file}"

        def query(sql: str) -> list[tuple]:
            with sqlite3.connect(file, timeout=20) as reader:
                return reader.execute(sql).fetchall()

        def writing() -> bool:
            probe = sqlite3.connect(file, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")  # refused while another connection holds the write lock
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()

    def rows() -> dict[str, int]:
        return {table: query(f'SELECT count(*) FROM "{table}"')[0][0] for table in TABLES}  # noqa: S608  # our names

    return share, rows, writing


def test_import_killed_while_writing_leaves_nothing_and_runs_again(tmp_path, database, project, analyst):
    share, rows, writing = database
    path = tmp_path / "big.jsonl"
    write_import(path, analyst.username)
    assert path.stat().st_size >= imports.LARGE_FILE_BYTES and ARTICLES > imports.BATCH
    url = share()
    command = [sys.executable, "manage.py", "import_annotations", str(path), "--project", project.slug,
               "--user", analyst.username]
    env = {**os.environ, "DATABASE_URL": url}
    before = rows()

    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not writing() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)  # into the write: articles, assignments and spans are being inserted
    still_running = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    assert still_running, f"the import ended before the kill: {child.returncode} {child.stderr.read()[-2000:]!r}"
    assert rows() == before
    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    after = rows()
    assert after[Article._meta.db_table] - before[Article._meta.db_table] == ARTICLES
    assert after[Span._meta.db_table] - before[Span._meta.db_table] == ARTICLES * SPANS_EACH
    assert after[ArticleAssessment._meta.db_table] - before[ArticleAssessment._meta.db_table] == ARTICLES
