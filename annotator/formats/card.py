"""The dataset card that goes with every export: what is in it, how it was made, how far analysts agree.

``to_dict`` is the card as JSON; ``to_markdown`` a README in the Hugging Face dataset-card style: YAML
front matter (with the ``dataset_info`` features of the hf and parquet formats), then prose and tables.
Every value a project member chose (names, labels, filters) is quoted or escaped so it cannot break the
YAML or the Markdown around it.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from annotator.formats import hf
from annotator.formats.records import SCHEMA_VERSION, ExportStats, JsonValue

LAYERS = ("analyst", "gold", "majority")
FEATURE_FORMATS = ("hf", "parquet")


@dataclass(frozen=True, slots=True)
class DatasetCard:
    project: str
    slug: str
    layer: str  # one of LAYERS
    export_format: str
    exported_at: str  # ISO 8601
    labels: Sequence[str]
    scale: tuple[int, int]
    filters: Mapping[str, JsonValue]
    articles: int
    spans: int
    label_counts: Mapping[str, int]
    agreement: Mapping[str, JsonValue] = field(default_factory=dict)  # figures as the caller computed them
    schema_version: str = SCHEMA_VERSION
    dropped: int = 0  # spans the format could not hold
    # The project's source registry ({"name", "kind", "aliases", "spans"}) and claim clusters ({"id", "wording",
    # "appearances", "articles", "verdict"}), as the caller gathered them.
    sources: Sequence[Mapping[str, JsonValue]] = ()
    claims: Sequence[Mapping[str, JsonValue]] = ()

    def __post_init__(self) -> None:
        if self.layer not in LAYERS:
            raise ValueError(f"layer must be one of {', '.join(LAYERS)}, got {self.layer!r}")

    @classmethod
    def from_stats(cls, stats: ExportStats, *, project: str, slug: str, layer: str, export_format: str,
                   exported_at: str, labels: Sequence[str], scale: tuple[int, int],
                   filters: Mapping[str, JsonValue],
                   agreement: Mapping[str, JsonValue] | None = None,
                   sources: Sequence[Mapping[str, JsonValue]] = (),
                   claims: Sequence[Mapping[str, JsonValue]] = ()) -> "DatasetCard":
        """A card whose counts come from the export's ``stats``."""
        return cls(project=project, slug=slug, layer=layer, export_format=export_format,
                   exported_at=exported_at, labels=labels, scale=scale, filters=filters,
                   articles=stats.articles, spans=stats.spans, label_counts=dict(stats.labels),
                   agreement=dict(agreement or {}), dropped=stats.dropped, sources=list(sources),
                   claims=list(claims))

    def to_dict(self) -> dict[str, object]:
        card = asdict(self)
        card["scale"] = list(self.scale)
        card["sources"], card["claims"] = list(self.sources), list(self.claims)
        return card

    def to_markdown(self) -> str:
        """A README in the Hugging Face dataset-card style, with YAML front matter."""
        labels = list(self.labels) + sorted(set(self.label_counts) - set(self.labels))
        counts = [(label, self.label_counts.get(label, 0)) for label in labels]
        distribution = "\n".join(f"| {_cell(label)} | {count} | {_share(count, self.spans)} |"
                                 for label, count in counts)
        agreement = "\n".join(f"| {_cell(name)} | {_cell(_figure(value))} |"
                              for name, value in self.agreement.items())
        front = [
            "---",
            f"pretty_name: {_yaml_string(self.project)}",
            f"size_categories:\n- {_size_category(self.articles)}",
            "task_categories:\n- token-classification",
            "tags:\n- credibility\n- claims\n- source-attribution",
            f"- {_yaml_string('credence-' + self.layer)}",
        ]
        if self.export_format in FEATURE_FORMATS:
            front.append("dataset_info:\n  features:\n" + _yaml_features(hf.FEATURES, indent="  "))
        front.append("---")
        dropped = (f"- Spans the format could not hold (overlapping spans in BIO, spans spaCy cannot align): "
                   f"{self.dropped}\n" if self.dropped else "")
        return (
            "\n".join(front) + "\n\n"
            f"# {_inline(self.project)}: {self.layer} layer\n\n"
            f"Exported from Credence on {_inline(self.exported_at)} as `{_code(self.export_format)}` "
            f"(schema {_inline(self.schema_version)}).\n\n"
            f"- Project: `{_code(self.slug)}`\n"
            f"- Layer: {self.layer} ({_LAYER_MEANING.get(self.layer, 'as exported')})\n"
            f"- Articles: {self.articles}\n- Spans: {self.spans}\n{dropped}"
            f"- Filters: `{_code(json.dumps(dict(self.filters), ensure_ascii=False, sort_keys=True))}`\n"
            f"- Credibility scale: {self.scale[0]} to {self.scale[1]}\n\n"
            "## Labels\n\n| label | spans | share |\n| --- | ---: | ---: |\n"
            f"{distribution}\n\n"
            "## Agreement between analysts\n\n"
            + (f"| measure | value |\n| --- | ---: |\n{agreement}\n\n" if agreement else "Not computed.\n\n")
            + "Scores are compared on the project's declared scale, every level counted whether or not it "
            "was used.\n\n"
            + self._sources_and_claims_markdown()
            + "## Offsets\n\n"
            "Offsets are Unicode code points (Python `str` indices), end exclusive: a span is "
            "`text[start:end]`.\n"
        )


    def _sources_and_claims_markdown(self) -> str:
        """The "Sources" and "Claim clusters" sections, each only when the project has any."""
        parts = []
        if self.sources:
            rows = "\n".join(
                f"| {_cell(str(s['name']))} | {_cell(str(s['kind']))} | "
                f"{_cell(', '.join(str(alias) for alias in s['aliases'] or []))} | {s['spans']} |"  # type: ignore[union-attr]
                for s in self.sources)
            parts.append("## Sources\n\n| source | kind | aliases | spans |\n| --- | --- | --- | ---: |\n"
                         f"{rows}\n\n")
        if self.claims:
            rows = "\n".join(
                f"| {c['id']} | {_cell(str(c['wording']))} | {c['appearances']} | {c['articles']} | "
                f"{'open' if c['verdict'] is None else c['verdict']} |" for c in self.claims)
            parts.append("## Claim clusters\n\nSpans of different articles that state the same claim; the "
                         "JSONL export names each span's clusters by id.\n\n"
                         "| id | claim | appearances | articles | verdict |\n| ---: | --- | ---: | ---: | ---: |\n"
                         f"{rows}\n\n")
        return "".join(parts)


_LAYER_MEANING = {
    "analyst": "every submitted span, with its analyst",
    "gold": "adjudicated articles only, with the reviewer's verdict",
    "majority": "units enough analysts agree on, with the median article score",
}


def _yaml_features(features: Mapping[str, object], indent: str) -> str:
    """``features`` (a ``datasets.Features`` JSON dict) in the README's ``dataset_info`` YAML form."""
    lines = []
    for name, feature in features.items():
        lines.append(f"{indent}- name: {name}")
        if isinstance(feature, list):
            lines.append(f"{indent}  list:")
            lines.append(_yaml_features(feature[0], indent + "  "))
        elif isinstance(feature, Mapping):
            lines.append(f"{indent}  dtype: {feature['dtype']}")
    return "\n".join(lines)


def _size_category(count: int) -> str:
    """The Hugging Face size bucket of ``count`` rows."""
    buckets = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))
    for limit, name in buckets:
        if count < limit:
            return name
    return "1M<n<10M"


def _yaml_string(value: str) -> str:
    # A JSON string is a YAML double-quoted scalar; ASCII escapes keep control characters out of the file.
    return json.dumps(value)


def _inline(value: str) -> str:
    """Text safe inside a Markdown line: no line breaks, Markdown and HTML punctuation escaped."""
    flat = " ".join(value.splitlines())
    return "".join(f"\\{char}" if char in "\\`*_[]<>|~&" else char for char in flat)


def _cell(value: str) -> str:
    return _inline(value)


def _code(value: str) -> str:
    """Text inside a Markdown code span: backticks would end it, so they become apostrophes."""
    return " ".join(value.splitlines()).replace("`", "'")


def _figure(value: JsonValue) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"
