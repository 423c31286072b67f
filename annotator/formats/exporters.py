"""The export formats by name. Text formats are chunk generators (streamed to a file or an HTTP response);
binary formats write to a binary file."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from annotator.formats import conll, csv_spans, hf, jsonl, labelstudio, spacy_docbin, webanno
from annotator.formats.records import ExportArticle, ExportStats


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    title: str
    extension: str
    media_type: str
    chunks: Callable[[Iterable[ExportArticle], ExportStats], Iterator[str]] | None = None
    binary_writer: Callable[..., ExportStats] | None = None

    @property
    def is_binary(self) -> bool:
        return self.binary_writer is not None


FORMATS: dict[str, Format] = {f.name: f for f in [
    Format("jsonl", "Credence JSONL (one article per line)", "jsonl", "application/x-ndjson", jsonl.iter_jsonl),
    Format("csv", "CSV (one span per row)", "csv", "text/csv", csv_spans.iter_csv_spans),
    Format("conll", "CoNLL BIO tokens", "conll", "text/plain", conll.iter_conll),
    Format("hf", "Hugging Face datasets JSONL", "jsonl", "application/x-ndjson", hf.iter_hf_jsonl),
    Format("webanno", "W3C Web Annotation JSON-LD", "jsonld", "application/ld+json", webanno.iter_webanno),
    Format("labelstudio", "Label Studio tasks JSON", "json", "application/json", labelstudio.iter_labelstudio),
    Format("parquet", "Parquet (Hugging Face datasets)", "parquet", "application/vnd.apache.parquet",
           binary_writer=hf.write_parquet),
    Format("spacy", "spaCy DocBin (optional extra)", "spacy", "application/octet-stream",
           binary_writer=spacy_docbin.write_docbin),
]}


def write_export(fmt: Format, articles: Iterable[ExportArticle], stream: TextIO | BinaryIO,
                 stats: ExportStats | None = None) -> ExportStats:
    """Write ``articles`` in ``fmt`` to ``stream`` (text stream for text formats, binary otherwise)."""
    stats = stats or ExportStats()
    if fmt.binary_writer is not None:
        return fmt.binary_writer(articles, stream, stats)
    if fmt.chunks is None:
        raise ValueError(f"{fmt.name} has no writer")
    for chunk in fmt.chunks(articles, stats):
        stream.write(chunk)  # type: ignore[arg-type]  # a text stream for text formats
    return stats
