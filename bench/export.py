"""Export and import throughput on PostgreSQL: spans per second and peak memory, at two project sizes.

    .venv/bin/python bench/export.py [--spans 1000000] [--small 200000]

Builds a project of articles x 3 analysts x 20 spans (bulk inserts), then times `manage.py export` for
JSONL and CSV in a child process (so its peak RSS is the export's own), at a small and the full size, and
`manage.py import_annotations` of the small JSONL into an empty project. Prints figures; asserts nothing.
Targets (2 cores): export > 100,000 spans/s with flat peak RSS < 300 MB; import > 20,000 spans/s.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import BENCH_ENV, ROOT, create_database, ensure_postgres, setup_django  # noqa: E402

WORDS = ("the Kremlin said North Korean troops were seen near Kursk while Seoul reported twelve thousand "
         "soldiers and analysts doubted every figure given by officials on both sides of the front").split()


def build(slug: str, spans_total: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from annotator import text as text_tools
    from annotator.models import Article, Assignment, AssignmentStatus, Membership, Role, Span
    from annotator.services import projects

    project = projects.create_project(name=slug, slug=slug)
    labels = list(project.labels.all())
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
                spans.append(Span(assignment=assignment, start=start, end=start + 40, quote=body[start:start + 40],
                                  label=labels[k % 3], credibility=1 + (k + assignment.analyst_id) % 5))
        Span.objects.bulk_create(spans, batch_size=5000)


def run(args: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of a manage.py child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env={**os.environ, **BENCH_ENV},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=200_000)
    options = parser.parse_args()
    ensure_postgres()
    create_database()
    setup_django()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (options.small, options.spans):
            slug = f"bench-{size}"
            started = time.perf_counter()
            build(slug, size)
            print(f"built {size:,} spans in {time.perf_counter() - started:.1f} s", flush=True)
            for fmt in ("jsonl", "csv"):
                out = Path(folder) / f"{slug}.{fmt}"
                seconds, peak = run(["export", "--project", slug, "--format", fmt, "--layer", "analyst",
                                     "-o", str(out)])
                rows.append((f"export {fmt}", size, seconds, size / seconds, peak))
                print(f"export {fmt:<5} {size:>9,} spans {seconds:7.2f} s {size / seconds:>10,.0f} spans/s "
                      f"peak child RSS {peak:6.0f} MB", flush=True)
        from django.contrib.auth import get_user_model

        from annotator.services import projects

        target = projects.create_project(name="imported", slug="bench-import")
        get_user_model().objects.get_or_create(username="importer")
        source = Path(folder) / f"bench-{options.small}.jsonl"
        seconds, peak = run(["import_annotations", str(source), "--project", target.slug, "--user", "importer"])
        rows.append(("import jsonl", options.small, seconds, options.small / seconds, peak))
    print("\n| operation | spans | seconds | spans/s | peak RSS (MB) |\n| --- | ---: | ---: | ---: | ---: |")
    for name, size, seconds, rate, peak in rows:
        print(f"| {name} | {size:,} | {seconds:.2f} | {rate:,.0f} | {peak:.0f} |")
    print("\nTargets on 2 cores: export > 100,000 spans/s, peak RSS < 300 MB and flat across sizes; "
          "import > 20,000 spans/s. Peak RSS is the largest of the child processes so far (monotone).")


if __name__ == "__main__":
    main()
