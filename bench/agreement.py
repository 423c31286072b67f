"""Agreement metrics speed: the full report on a synthetic project in memory, and alpha next to krippendorff.

    .venv/bin/python bench/agreement.py [--articles 10000] [--seed 0] [--database]

Builds 10,000 articles x 3 analysts x 20 statements (about 600,000 spans) with realistic disagreement:
shifted boundaries, other labels, missed and extra spans, statements an analyst splits in two, other or
no sources, and scores a point apart. Prints the time of annotator.agreement.report.build_report, the time
of interval and nominal alpha on a 3 x 600,000 reliability matrix next to the krippendorff package's and
their ratio, and the peak memory (ru_maxrss). With --database it also loads a project of the same size
into a throwaway PostgreSQL and times the report read from it (selectors.agreement). Prints figures;
asserts nothing.
Targets (2 cores): report < 5 s, alpha ratio <= 1.0x, peak memory < 1 GB.
"""

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
import krippendorff
import numpy as np
import numpy.typing as npt
from _setup import create_database, ensure_postgres, setup_django  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.agreement import alpha  # noqa: E402
from annotator.agreement.records import AnnotatedSpan  # noqa: E402
from annotator.agreement.report import ArticleAnnotations, build_report  # noqa: E402

T = TypeVar("T")
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
LABELS = ["claim", "denial", "expert_opinion"]
ANALYSTS = ["analyst1", "analyst2", "analyst3"]
SOURCES = [f"source {k}" for k in range(200)]
STATEMENTS = 20
SPACING = 130  # characters from one statement to the next
# How often an analyst, on one statement: misses it, shifts a boundary, gives another label, splits it in
# two, names another source or none, scores it a point apart, marks an extra span after it.
MISSED, SHIFTED, RELABELLED, SPLIT, RESOURCED, RESCORED, EXTRA = 0.04, 0.25, 0.1, 0.05, 0.2, 0.3, 0.04


def _statement(analyst: str, start: int, size: int, label: int, source: int, score: int, draw: Floats,
               shift: Ints, sign: int) -> list[AnnotatedSpan]:
    """One analyst's spans for one statement, from their random draws for it."""
    if draw[0] < MISSED:
        return []
    begin = max(0, start + int(shift[0]) * (draw[1] < SHIFTED))
    end = start + size + int(shift[1]) * (draw[2] < SHIFTED)
    name = LABELS[(label + (draw[3] < RELABELLED)) % len(LABELS)]
    named = None if draw[4] < RESOURCED / 2 else SOURCES[(source + (draw[4] < RESOURCED)) % len(SOURCES)]
    scored = min(5, max(1, score + sign * (draw[5] < RESCORED)))
    if draw[6] < SPLIT:
        middle = (begin + end) // 2
        return [AnnotatedSpan(analyst, begin, middle, name, named, scored),
                AnnotatedSpan(analyst, middle + 1, end, name, named, scored)]
    spans = [AnnotatedSpan(analyst, begin, end, name, named, scored)]
    if draw[7] < EXTRA:  # a statement only this analyst saw, in the space after this one
        spans.append(AnnotatedSpan(analyst, start + size + 10, start + size + 25, name, None, scored))
    return spans


def synthetic_project(articles: int, seed: int) -> list[ArticleAnnotations]:
    """Articles where three analysts mark the same 20 statements, with the disagreements set above."""
    rng = np.random.default_rng(seed)
    records = []
    for article in range(articles):
        starts = (np.arange(STATEMENTS) * SPACING + rng.integers(0, 20, STATEMENTS)).tolist()
        sizes = rng.integers(30, 90, STATEMENTS).tolist()
        labels = rng.integers(0, len(LABELS), STATEMENTS).tolist()
        sources = rng.integers(0, len(SOURCES), STATEMENTS).tolist()
        scores = rng.integers(1, 6, STATEMENTS).tolist()
        draws = rng.random((len(ANALYSTS), STATEMENTS, 8))
        shifts = rng.integers(-6, 7, (len(ANALYSTS), STATEMENTS, 2))
        signs = rng.choice([-1, 1], (len(ANALYSTS), STATEMENTS)).tolist()
        spans = [span for a, analyst in enumerate(ANALYSTS) for k in range(STATEMENTS)
                 for span in _statement(analyst, starts[k], sizes[k], labels[k], sources[k], scores[k],
                                        draws[a, k], shifts[a, k], signs[a][k])]
        article_scores = {name: int(rng.integers(1, 6)) if rng.random() > 0.05 else None for name in ANALYSTS}
        records.append(ArticleAnnotations(article, STATEMENTS * SPACING + 40, spans, article_scores,
                                          title=f"Article {article}"))
    return records


def peak_megabytes() -> float:
    """The process's peak resident memory so far (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_time(function: Callable[..., T], *args: object, repeat: int = 3,
              **kwargs: object) -> tuple[T, list[float]]:
    """The result of function(*args, **kwargs) and the seconds each of ``repeat`` runs took."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the agreement report and alpha.")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database", action="store_true", help="Also time the report read from PostgreSQL.")
    options = parser.parse_args()
    if options.database:
        ensure_postgres()

    started = time.perf_counter()
    records = synthetic_project(options.articles, options.seed)
    spans = sum(len(record.spans) for record in records)
    print(f"synthetic project: {options.articles:,} articles x {len(ANALYSTS)} analysts, {spans:,} spans "
          f"(built in {time.perf_counter() - started:.1f} s)")
    report, times = best_time(build_report, records, scale=(1, 5), labels=LABELS)
    overall = report["overall"]
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"full report: {min(times):.2f} s, best of {len(times)} (runs {runs} s; target < 5 s)")
    print(f"  overlap F1 {overall['overlap']['f1']:.3f}, exact F1 {overall['exact']['f1']:.3f}, "
          f"label alpha {overall['label_alpha']['value']:.3f}, span credibility alpha (interval) "
          f"{overall['span_credibility_alpha']['interval']['value']:.3f}, "
          f"unitized alpha {overall['unitized_alpha']['value']:.3f}")
    print(f"peak memory after the report: {peak_megabytes():.0f} MB (project records included)")

    rng = np.random.default_rng(options.seed)
    units = 600_000
    truth = rng.integers(1, 6, units)
    noise = rng.integers(-1, 2, (3, units)) * (rng.random((3, units)) < 0.3)
    matrix = np.clip(truth + noise, 1, 5).astype(float)
    matrix[rng.random(matrix.shape) < 0.1] = np.nan
    print(f"reliability matrix: 3 x {units:,}, values 1-5, 10% missing; best of 3 runs each")
    for level in ("interval", "nominal"):
        ours, ours_times = best_time(alpha.krippendorff_alpha, matrix, level, [1, 2, 3, 4, 5])
        theirs, theirs_times = best_time(krippendorff.alpha, reliability_data=matrix,
                                         level_of_measurement=level, value_domain=[1, 2, 3, 4, 5])
        mine, package = min(ours_times), min(theirs_times)
        print(f"  {level:<8} alpha: credence {mine:.3f} s, krippendorff {package:.3f} s, "
              f"ratio {mine / package:.2f}x (target <= 1.0x); values {ours.value:.9f} vs {theirs:.9f}")
    print(f"peak memory: {peak_megabytes():.0f} MB, the krippendorff package's runs included "
          "(target < 1024 MB)")
    if options.database:
        through_database(options.articles * 60)


def through_database(spans: int) -> None:
    """Build a project of ``spans`` spans in PostgreSQL and time the report read from it."""
    create_database()
    setup_django()
    from export import build  # the same bulk builder as the export benchmark

    from annotator.models import Project
    from annotator.selectors import agreement as agreement_reads

    started = time.perf_counter()
    build("bench-agreement", spans)
    print(f"database: {spans:,} spans loaded in {time.perf_counter() - started:.1f} s")
    project = Project.objects.get(slug="bench-agreement")
    _, times = best_time(agreement_reads.get_project_report, project)
    print(f"full report through the database: {min(times):.2f} s, best of {len(times)}")


if __name__ == "__main__":
    main()
