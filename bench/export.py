"""Export and import throughput on PostgreSQL: spans per second and peak memory, at two project sizes.

    .venv/bin/python bench/export.py [--spans 1000000] [--small 250000] [--repeat 1]

Builds projects of articles x 3 analysts x 20 spans (bulk inserts; two spans in three attributed to one of the
project's 40 sources) at a small and the full size, vacuums the database after each build and import (so no
autovacuum of rows just inserted runs during a measurement), times `manage.py export` (with its dataset card)
for JSONL and CSV in a child process, so its memory is the export's own (with the writer process it forks),
then `manage.py import_annotations` of each JSONL into an empty project. Prints each run with the load average
before it (the machine may be shared: repeat when it is high); asserts nothing. Targets (2 cores), on the
project of --spans: export > 100,000 spans/s and import > 20,000 spans/s; memory < 300 MB and flat across the
two sizes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (  # noqa: E402  # bench/ is on the path
    BENCH_ENV,
    ROOT,
    create_database,
    ensure_postgres,
    process_tree,
    setup_django,
    speed_probe_ms,
)

SOURCES = 40  # in each project's registry; two spans in three are attributed to one of them
WORDS = ("the Kremlin said North Korean troops were seen near Kursk while Seoul reported twelve thousand "
         "soldiers and analysts doubted every figure given by officials on both sides of the front").split()


def build(slug: str, spans_total: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from annotator import text as text_tools
    from annotator.models import Article, Assignment, AssignmentStatus, Membership, Role, Source, Span
    from annotator.services import projects

    project = projects.create_project(name=slug, slug=slug)
    labels = list(project.labels.all())
    sources = Source.objects.bulk_create([Source(project=project, name=f"Source {number}")
                                          for number in range(SOURCES)])
    analysts = []
    for name in ("a1", "a2", "a3"):
        user, _ = get_user_model().objects.get_or_create(username=name)
        Membership.objects.create(project=project, user=user, role=Role.ANALYST)
        analysts.append(user)
    per_article = 3 * 20
    article_count = spans_total // per_article
    now = timezone.now()
    batch = 500
    for first in range(0, article_count, batch):
        articles = []
        for index in range(first, min(first + batch, article_count)):
            body = " ".join(WORDS[(index + k) % len(WORDS)] for k in range(400)) + f" ({index})"
            articles.append(Article(project=project, external_id=f"art-{index}", title=f"Article {index}", text=body,
                                    sha256=text_tools.text_sha256(body)))
        Article.objects.bulk_create(articles)
        assignments = [Assignment(article=a, analyst=u, status=AssignmentStatus.SUBMITTED, submitted_at=now,
                                  started_at=now) for a in articles for u in analysts]
        Assignment.objects.bulk_create(assignments)
        spans = []
        for assignment in assignments:
            body = next(a.text for a in articles if a.pk == assignment.article_id)
            for k in range(20):
                start = k * 100 + (assignment.analyst_id % 3)
                source = sources[(k + assignment.article_id) % SOURCES] if k % 3 else None  # two spans in three
                spans.append(Span(assignment=assignment, start=start, end=start + 40, quote=body[start:start + 40],
                                  label=labels[k % 3], source=source, credibility=1 + (k + assignment.analyst_id) % 5))
        Span.objects.bulk_create(spans, batch_size=5000)


def vacuum() -> float:
    """VACUUM ANALYZE the database, as a project's tables are between its working days: the measurements then
    run alone, with no autovacuum of the rows just inserted competing for the two cores. Returns seconds."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


def child_env(cache: Path) -> dict[str, str]:
    """The children's environment: bytecode cached in ``cache`` (warmed once, as a deployed app has it)."""
    env = {**os.environ, **BENCH_ENV, "PYTHONPYCACHEPREFIX": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def memory_mb(pids: list[int]) -> float:
    """The processes' memory in MB: PSS summed (a page two processes share counts half in each, so the sum
    is what they hold together; a forked child's shared pages are not counted twice)."""
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total / 1024


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, the largest process's peak RSS (MB) and the peak of all processes' memory together (PSS
    summed, sampled every 100 ms) of one manage.py child process and any process it forks."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], memory_mb(process_tree(child.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if status:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{child.stderr.read().decode()}")  # type: ignore[union-attr]
    return seconds, usage.ru_maxrss / 1024, peak[0]


def measure(name: str, spans: int, args: list[str], env: dict[str, str], repeat: int) -> tuple:
    """The fastest of ``repeat`` runs, with the load average before it (the machine may be shared)."""
    best = None
    for _ in range(repeat):
        load = os.getloadavg()[0]
        seconds, rss, together = run(args, env)
        print(f"{name:<13} {spans:>9,} spans {seconds:7.2f} s {spans / seconds:>10,.0f} spans/s "
              f"peak RSS {rss:5.0f} MB, all processes {together:5.0f} MB  (load {load:.2f})", flush=True)
        if best is None or seconds < best[2]:
            best = (name, spans, seconds, spans / seconds, rss, together, load)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each measurement; the fastest is kept.")
    options = parser.parse_args()
    ensure_postgres()
    create_database()
    setup_django()
    from django.contrib.auth import get_user_model

    from annotator.services import projects

    rows = []
    speed = [speed_probe_ms()]
    with tempfile.TemporaryDirectory() as folder:
        env = child_env(Path(folder) / "pycache")
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        for size in (options.small, options.spans):
            slug = f"bench-{size}"
            started = time.perf_counter()
            build(slug, size)
            print(f"built {size:,} spans in {time.perf_counter() - started:.1f} s, vacuumed in {vacuum():.1f} s",
                  flush=True)
            for fmt in ("jsonl", "csv"):
                out = Path(folder) / f"{slug}.{fmt}"
                rows.append(measure(f"export {fmt}", size, ["export", "--project", slug, "--format", fmt,
                                                            "--layer", "analyst", "-o", str(out)], env, options.repeat))
        get_user_model().objects.get_or_create(username="importer")
        for size in (options.small, options.spans):
            for attempt in range(options.repeat):
                target = projects.create_project(name="imported", slug=f"bench-import-{size}-{attempt}")
                source = Path(folder) / f"bench-{size}.jsonl"
                rows.append(measure("import jsonl", size, ["import_annotations", str(source), "--project", target.slug,
                                                           "--user", "importer"], env, 1))
                vacuum()
    speed.append(speed_probe_ms())
    print(f"\nSpeed probe (bench/_setup.speed_probe_ms, lower is faster): {speed[0]:.0f} ms before, "
          f"{speed[1]:.0f} ms after.")
    print("\n| operation | spans | seconds | spans/s | peak RSS (MB) | all processes (MB) | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, size, seconds, rate, rss, together, load in rows:
        print(f"| {name} | {size:,} | {seconds:.2f} | {rate:,.0f} | {rss:.0f} | {together:.0f} | {load:.2f} |")
    print("\nTargets on 2 cores, on the project of --spans: export > 100,000 spans/s and import > 20,000 spans/s; "
          "memory < 300 MB, flat across the two sizes. Each figure is a whole manage.py run (start-up included). "
          "Peak RSS is the largest process's; all processes is their memory together (PSS summed: pages a forked "
          "writer shares with its parent count once), sampled every 100 ms. Load is the 1-minute load average "
          "before the run.")


if __name__ == "__main__":
    main()
