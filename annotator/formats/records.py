"""The plain records exporters take and importers return: articles with spans and assessments."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class ExportSpan:
    """``text[start:end]`` in code points; ``analyst`` is None in the gold and majority layers."""

    start: int
    end: int
    quote: str
    label: str
    source: str | None = None
    credibility: int | None = None
    note: str = ""
    analyst: str | None = None
    support: int | None = None  # analysts behind a majority or gold span


@dataclass(frozen=True, slots=True)
class ExportAssessment:
    credibility: int | None
    comment: str = ""
    analyst: str | None = None


@dataclass(frozen=True, slots=True)
class ExportArticle:
    external_id: str
    title: str
    text: str
    outlet: str = ""
    url: str = ""
    published: str | None = None  # ISO date
    spans: tuple[ExportSpan, ...] = ()
    assessments: tuple[ExportAssessment, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ExportStats:
    """Counted while streaming, for the dataset card."""

    articles: int = 0
    spans: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    dropped: int = 0  # spans a format could not hold (overlaps in BIO)

    def add(self, article: ExportArticle) -> None:
        self.articles += 1
        self.spans += len(article.spans)
        self.labels.update(span.label for span in article.spans)
        self.sources.update(span.source for span in article.spans if span.source)
