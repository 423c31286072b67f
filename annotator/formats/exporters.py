"""The export formats by name. Text formats are chunk generators (streamed to a file or an HTTP response),
one chunk per article at most; binary formats write to a binary file."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO, cast

from annotator.formats import conll, csv_spans, doccano, hf, jsonl, labelstudio, spacy_docbin, webanno
from annotator.formats.records import ExportArticle, ExportStats


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    title: str
    extension: str
    media_type: str
    chunks: Callable[[Iterable[ExportArticle], ExportStats], Iterator[str]] | None = None
    binary_writer: Callable[[Iterable[ExportArticle], BinaryIO, ExportStats], ExportStats] | None = None

    @property
    def is_binary(self) -> bool:
        return self.binary_writer is not None


FORMATS: dict[str, Format] = {f.name: f for f in [
    Format("jsonl", "Credence JSONL (one article per line)", "jsonl", "application/x-ndjson",
           jsonl.iter_jsonl),
    Format("csv", "CSV (one span per row)", "csv", "text/csv", csv_spans.iter_csv_spans),
    Format("conll", "CoNLL BIO tokens", "conll", "text/plain", conll.iter_conll),
    Format("hf", "Hugging Face datasets JSONL", "jsonl", "application/x-ndjson", hf.iter_hf_jsonl),
    Format("webanno", "W3C Web Annotation JSON-LD", "jsonld", "application/ld+json", webanno.iter_webanno),
    Format("labelstudio", "Label Studio tasks JSON", "json", "application/json",
           labelstudio.iter_labelstudio),
    Format("doccano", "doccano sequence-labelling JSONL (spans only)", "jsonl", "application/x-ndjson",
           doccano.iter_doccano),
    Format("parquet", "Parquet (Hugging Face datasets)", "parquet", "application/vnd.apache.parquet",
           binary_writer=hf.write_parquet),
    Format("spacy", "spaCy DocBin (optional extra)", "spacy", "application/octet-stream",
           binary_writer=spacy_docbin.write_docbin),
]}


def write_export(fmt: Format, articles: Iterable[ExportArticle], stream: TextIO | BinaryIO,
                 stats: ExportStats | None = None) -> ExportStats:
    """Write ``articles`` in ``fmt`` to ``stream`` (a text stream for text formats, binary otherwise) as
    they are read; returns the counts for the dataset card."""
    stats = ExportStats() if stats is None else stats
    # The caller opens the stream the format needs (Format.is_binary); the casts record that contract.
    if fmt.binary_writer is not None:
        return fmt.binary_writer(articles, cast(BinaryIO, stream), stats)
    if fmt.chunks is None:
        raise ValueError(f"{fmt.name} has no writer")
    write = cast(TextIO, stream).write
    for chunk in fmt.chunks(articles, stats):
        write(chunk)
    return stats
