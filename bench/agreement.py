"""Agreement speed: the full report on a synthetic project, and alpha next to the krippendorff package.

    .venv/bin/python bench/agreement.py [--articles 10000] [--with-database]

10,000 articles x 3 analysts x 20 spans (600,000 spans) with realistic disagreement (shifted boundaries,
other labels, missing spans, scores one or two apart). Prints the time of the report built from memory,
and optionally through the database (SQLite in a temporary folder), the time of interval and nominal
alpha on the same reliability matrix next to the krippendorff package's, and the peak memory.
Targets (2 cores): report from memory < 5 s, alpha <= 1.0x the package, peak memory < 1 GB.
"""

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import krippendorff
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.agreement.alpha import krippendorff_alpha  # noqa: E402
from annotator.agreement.records import AnnotatedSpan  # noqa: E402
from annotator.agreement.report import ArticleAnnotations, build_report  # noqa: E402

LABELS = ["claim", "denial", "expert_opinion"]


def synthetic(articles: int, seed: int = 0) -> list[ArticleAnnotations]:
    rng = random.Random(seed)
    records = []
    for article in range(articles):
        spans = []
        truth = [(k * 120 + rng.randint(0, 20), rng.choice(LABELS), rng.randint(1, 5)) for k in range(20)]
        for analyst in ("a1", "a2", "a3"):
            for start, label, score in truth:
                if rng.random() < 0.08:
                    continue  # missed
                shift = rng.choice([0, 0, 0, 1, -2, 4])
                spans.append(AnnotatedSpan(
                    analyst, max(0, start + shift), start + 60 + rng.choice([0, 0, 3, -5]),
                    label if rng.random() > 0.1 else rng.choice(LABELS), rng.choice(["NIS", "HUR", None]),
                    min(5, max(1, score + rng.choice([0, 0, 1, -1])))))
        records.append(ArticleAnnotations(article, 2600, spans, {a: rng.randint(1, 5) for a in ("a1", "a2", "a3")}))
    return records


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    options = parser.parse_args()
    records = synthetic(options.articles)
    spans = sum(len(r.spans) for r in records)
    report, seconds = timed(build_report, records, scale=(1, 5), labels=LABELS)
    print(f"full report from memory: {options.articles:,} articles, {spans:,} spans: {seconds:.2f} s "
          f"(target < 5 s); overlap F1 {report['overall']['overlap']['f1']:.3f}, "
          f"label alpha {report['overall']['label_alpha']['value']:.3f}")
    rng = np.random.default_rng(0)
    matrix = rng.integers(1, 6, size=(3, spans // 3)).astype(float)
    matrix[rng.random(matrix.shape) < 0.1] = np.nan
    print(f"reliability matrix 3 x {matrix.shape[1]:,} (10% missing):")
    for level in ("interval", "nominal"):
        ours, ours_s = timed(krippendorff_alpha, matrix, level, [1, 2, 3, 4, 5])
        theirs, theirs_s = timed(krippendorff.alpha, reliability_data=matrix, level_of_measurement=level,
                                 value_domain=[1, 2, 3, 4, 5])
        print(f"  {level:<8} alpha: credence {ours_s:.3f} s, krippendorff {theirs_s:.3f} s, "
              f"ratio {ours_s / theirs_s:.2f}x (target <= 1.0x); values {ours.value:.6f} vs {theirs:.6f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (target < 1 GB)")


if __name__ == "__main__":
    main()
