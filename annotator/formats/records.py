"""The plain records exporters take and importers return: articles with spans and assessments, and the
counts an export gathers while it streams (for the dataset card)."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import NamedTuple, TypeAlias

SCHEMA_VERSION = "1.0"

# What a metadata value may hold: anything json.dumps writes and json.loads gives back unchanged.
JsonValue: TypeAlias = str | int | float | bool | None | Sequence["JsonValue"] | Mapping[str, "JsonValue"]

# Keys of an article's "meta" object that the article's own fields fill; metadata may not reuse them.
RESERVED_META = frozenset({"outlet", "url", "published"})


class ExportClaim(NamedTuple):
    """A claim cluster a span states: its id in Credence and its canonical wording."""

    id: int
    wording: str


class ExportSpan(NamedTuple):
    """``text[start:end]`` in code points, end exclusive; ``analyst`` is None in the gold and majority
    layers, where ``support`` counts the analysts behind the span; ``claims`` are the claim clusters it states.

    A named tuple rather than a frozen dataclass: an export builds one per span, a million for a large
    project, and a tuple is built several times faster.
    """

    start: int
    end: int
    quote: str
    label: str
    source: str | None = None
    credibility: int | None = None
    note: str = ""
    analyst: str | None = None
    support: int | None = None
    claims: tuple[ExportClaim, ...] = ()


class ExportAssessment(NamedTuple):
    """An article's overall credibility score; ``analyst`` is None for a reviewer's verdict or a median.

    Field order (credibility first) is the order callers construct it in positionally; a named tuple, like
    ExportSpan, as there is one per analyst and article.
    """

    credibility: int | None
    comment: str = ""
    analyst: str | None = None


@dataclass(frozen=True, slots=True)
class ExportArticle:
    """One article with the spans and assessments of one layer. ``published`` is an ISO date or None;
    ``metadata`` holds extra JSON values (not the reserved keys outlet, url, published)."""

    external_id: str
    title: str
    text: str
    outlet: str = ""
    url: str = ""
    published: str | None = None
    spans: tuple[ExportSpan, ...] = ()
    assessments: tuple[ExportAssessment, ...] = ()
    metadata: Mapping[str, JsonValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.metadata and not RESERVED_META.isdisjoint(self.metadata):
            clash = sorted(RESERVED_META.intersection(self.metadata))
            raise ValueError(f"metadata may not use the article's own keys: {', '.join(clash)}")


def pack_article(article: ExportArticle) -> tuple[object, ...]:
    """``article`` as plain tuples, which pickle several times faster than named tuples (unpack_article)."""
    return (article.external_id, article.title, article.text, article.outlet, article.url, article.published,
            tuple(map(tuple, article.spans)), tuple(map(tuple, article.assessments)), article.metadata)


def unpack_article(packed: tuple[object, ...]) -> ExportArticle:
    """The article pack_article was given."""
    *fields, spans, assessments, metadata = packed
    return ExportArticle(*fields, tuple(map(span_of, spans)), tuple(map(_assessment_of, assessments)),  # type: ignore[arg-type]
                         metadata)  # type: ignore[arg-type]


# A named tuple from a plain tuple of all its fields, built in C: the classes' own constructors are Python
# functions, and exports and the writer process build one per span. Neither number nor order is checked.
span_of: "partial[ExportSpan]" = partial(tuple.__new__, ExportSpan)
_assessment_of: "partial[ExportAssessment]" = partial(tuple.__new__, ExportAssessment)


def analyst_layers(article: ExportArticle) -> list[tuple[str | None, list[ExportSpan]]]:
    """The article's spans grouped by analyst (None first, then by name), one group per analyst who has
    spans or an assessment, so an analyst who marked nothing still has an (empty) annotation; at least one
    group. Formats that hold one annotation per document write one document per group."""
    groups: dict[str | None, list[ExportSpan]] = {}
    for span in article.spans:
        groups.setdefault(span.analyst, []).append(span)
    for assessment in article.assessments:
        groups.setdefault(assessment.analyst, [])
    return sorted(groups.items(), key=lambda item: (item[0] is not None, item[0] or "")) or [(None, [])]


@dataclass(slots=True)
class ExportStats:
    """Counted while streaming, for the dataset card: one ``add`` per article written."""

    articles: int = 0
    spans: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    dropped: int = 0  # spans a format could not hold (overlaps in BIO, spans spaCy cannot align)

    def add(self, article: ExportArticle) -> None:
        self.articles += 1
        self.spans += len(article.spans)
        # map, attrgetter and filter walk the spans in C: this counts every exported span.
        self.labels.update(map(_LABEL, article.spans))
        self.sources.update(filter(None, map(_SOURCE, article.spans)))


_LABEL, _SOURCE = attrgetter("label"), attrgetter("source")
