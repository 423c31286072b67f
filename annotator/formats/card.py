"""The dataset card that goes with every export: what is in it, how it was made, how far analysts agree."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from annotator.formats.records import SCHEMA_VERSION, ExportStats


@dataclass(frozen=True, slots=True)
class DatasetCard:
    project: str
    slug: str
    layer: str
    export_format: str
    exported_at: str
    labels: Sequence[str]
    scale: tuple[int, int]
    filters: Mapping[str, Any]
    articles: int
    spans: int
    label_counts: Mapping[str, int]
    agreement: Mapping[str, Any] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION

    @classmethod
    def from_stats(cls, stats: ExportStats, **fields: Any) -> "DatasetCard":
        return cls(articles=stats.articles, spans=stats.spans, label_counts=dict(stats.labels), **fields)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_markdown(self) -> str:
        """A README in the Hugging Face dataset-card style, with YAML front matter."""
        distribution = "\n".join(f"| {label} | {self.label_counts.get(label, 0)} |" for label in self.labels)
        agreement = "\n".join(f"- {name}: {value}" for name, value in self.agreement.items()) or "- not computed"
        filters = json.dumps(dict(self.filters), ensure_ascii=False)
        return (
            "---\n"
            f"pretty_name: {json.dumps(self.project)}\n"
            "task_categories:\n- token-classification\n"
            f"tags:\n- credibility\n- claims\n- credence-{self.layer}\n"
            "---\n\n"
            f"# {self.project}: {self.layer} layer\n\n"
            f"Exported from Credence on {self.exported_at} as `{self.export_format}` "
            f"(schema {self.schema_version}).\n\n"
            f"- Articles: {self.articles}\n- Spans: {self.spans}\n- Layer: {self.layer}\n- Filters: `{filters}`\n"
            f"- Credibility scale: {self.scale[0]} to {self.scale[1]}\n\n"
            "## Labels\n\n| label | spans |\n| --- | --- |\n"
            f"{distribution}\n\n"
            "## Agreement between analysts\n\n"
            f"{agreement}\n\n"
            "Offsets are Unicode code points (Python `str` indices), end exclusive: a span is `text[start:end]`.\n"
        )
