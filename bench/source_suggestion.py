"""Source suggestion accuracy: how often the suggester names the gold source of a demo span.

    .venv/bin/python bench/source_suggestion.py [--database] [--min-agreeing 2] [--misses]

Builds the demo project (seed_demo: seed articles, registry and the demo analysts' submitted annotations)
in a fresh SQLite database (--database: a throwaway PostgreSQL), forms the gold layer the way the review
page's "Accept majority" does (services.gold.accept_majority: every unit where at least K analysts agree on
the label, merged by consensus, source included), then asks the suggester (selectors.sources, the code the
annotate page calls) for the likeliest sources of each gold span that has a source. Prints top-1 and top-3
accuracy and coverage (the share of spans with any suggestion), on the gold spans and, for more data, on
every submitted analyst span with a source. Prints figures; asserts nothing.
"""

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import create_database, ensure_postgres, setup_django  # noqa: E402


@dataclass
class Tally:
    spans: int = 0
    top1: int = 0
    top3: int = 0
    covered: int = 0

    def add(self, expected: int, suggested: list[int]) -> None:
        self.spans += 1
        self.top1 += bool(suggested) and suggested[0] == expected
        self.top3 += expected in suggested[:3]
        self.covered += bool(suggested)

    def line(self, name: str) -> str:
        def share(count: int) -> str:
            return f"{count / self.spans:6.1%} ({count}/{self.spans})" if self.spans else "   n/a"
        return f"{name:<28} top-1 {share(self.top1)}   top-3 {share(self.top3)}   coverage {share(self.covered)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="store_true", help="Use a throwaway PostgreSQL, not SQLite.")
    parser.add_argument("--min-agreeing", type=int, default=2, help="K of the majority gold layer.")
    parser.add_argument("--misses", action="store_true", help="Print every gold span the suggester missed.")
    options = parser.parse_args()
    if options.database:
        ensure_postgres()
    with tempfile.TemporaryDirectory(prefix="credence-suggest-") as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        create_database()
        setup_django()
        measure(options.min_agreeing, show_misses=options.misses)


def measure(min_agreeing: int, *, show_misses: bool) -> None:
    """Seed the demo, form the majority gold layer, run the suggester on every attributed span; print."""

    from django.contrib.auth import get_user_model

    from annotator.models import AssignmentStatus, GoldSpan, Span
    from annotator.selectors import sources as source_reads
    from annotator.services import demo, gold

    started = time.perf_counter()
    project = demo.seed_demo().project
    reviewer = get_user_model().objects.get(username="reviewer")
    formed = 0
    for article in project.articles.order_by("id"):
        if not GoldSpan.objects.filter(article=article).exists():
            formed += len(gold.accept_majority(article=article, reviewer=reviewer, min_agreeing=min_agreeing))
    print(f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}; demo project and gold layer in "
          f"{time.perf_counter() - started:.1f} s ({formed} gold spans formed, majority of {min_agreeing})")

    on_gold, on_analysts = Tally(), Tally()
    misses = []
    started = time.perf_counter()
    for gold_span in GoldSpan.objects.filter(article__project=project, source__isnull=False).select_related(
            "article", "source").order_by("article_id", "start"):
        found = source_reads.suggest_sources_for(project, gold_span.article.text, gold_span.start, gold_span.end)
        on_gold.add(gold_span.source_id, [suggestion.source_id for suggestion in found])
        if not found or found[0].source_id != gold_span.source_id:
            misses.append((gold_span, found))
    for span in Span.objects.filter(assignment__article__project=project, source__isnull=False,
                                    assignment__status=AssignmentStatus.SUBMITTED).select_related(
                                        "assignment__article"):
        found = source_reads.suggest_sources_for(project, span.assignment.article.text, span.start, span.end)
        on_analysts.add(span.source_id, [suggestion.source_id for suggestion in found])
    elapsed = time.perf_counter() - started

    print(on_gold.line("gold spans with a source"))
    print(on_analysts.line("analyst spans with a source"))
    print(f"{on_gold.spans + on_analysts.spans} suggestions in {elapsed:.2f} s "
          f"({elapsed / max(on_gold.spans + on_analysts.spans, 1) * 1000:.1f} ms each, registry read included)")
    if show_misses:
        for gold_span, found in misses:
            named = ", ".join(f"{s.name} ({s.score})" for s in found) or "nothing"
            print(f"  miss: {gold_span.quote[:60]!r} is {gold_span.source.name}; suggested {named}")


if __name__ == "__main__":
    main()
