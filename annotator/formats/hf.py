"""Hugging Face `datasets`-ready files: JSONL rows with declared features, or Parquet (optional pyarrow).

Each row is an article: id, title, text, outlet, url, published, and spans as a sequence of
{start, end, quote, label, source, credibility, analyst} (credibility -1 when unscored, strings empty when
absent, so every column keeps one type). ``FEATURES`` is the `datasets.Features` declaration as JSON
(``Features.from_dict`` reads it).
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from annotator.formats.records import ExportArticle, ExportStats

FEATURES: dict[str, Any] = {
    "id": {"dtype": "string", "_type": "Value"},
    "title": {"dtype": "string", "_type": "Value"},
    "text": {"dtype": "string", "_type": "Value"},
    "outlet": {"dtype": "string", "_type": "Value"},
    "url": {"dtype": "string", "_type": "Value"},
    "published": {"dtype": "string", "_type": "Value"},
    # A JSON list around one struct: a list of span records (not a dict of lists).
    "spans": [{
        "start": {"dtype": "int32", "_type": "Value"},
        "end": {"dtype": "int32", "_type": "Value"},
        "quote": {"dtype": "string", "_type": "Value"},
        "label": {"dtype": "string", "_type": "Value"},
        "source": {"dtype": "string", "_type": "Value"},
        "credibility": {"dtype": "int32", "_type": "Value"},
        "analyst": {"dtype": "string", "_type": "Value"},
    }],
}


def row(article: ExportArticle) -> dict[str, Any]:
    return {
        "id": article.external_id, "title": article.title, "text": article.text, "outlet": article.outlet,
        "url": article.url, "published": article.published or "",
        "spans": [{"start": s.start, "end": s.end, "quote": s.quote, "label": s.label, "source": s.source or "",
                   "credibility": -1 if s.credibility is None else s.credibility, "analyst": s.analyst or ""}
                  for s in article.spans],
    }


def iter_hf_jsonl(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    for article in articles:
        stats.add(article)
        yield json.dumps(row(article), ensure_ascii=False) + "\n"


def write_parquet(articles: Iterable[ExportArticle], stream: BinaryIO, stats: ExportStats | None = None, *,
                  batch: int = 500) -> ExportStats:
    """Parquet in row groups of ``batch`` articles (memory stays bounded). Needs pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("Parquet export needs pyarrow: pip install pyarrow") from error
    stats = stats or ExportStats()
    span_type = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("quote", pa.string()),
                           ("label", pa.string()), ("source", pa.string()), ("credibility", pa.int32()),
                           ("analyst", pa.string())])
    schema = pa.schema([(name, pa.string()) for name in ("id", "title", "text", "outlet", "url", "published")]
                       + [("spans", pa.list_(span_type))])
    with pq.ParquetWriter(stream, schema) as writer:
        rows: list[dict[str, Any]] = []
        for article in articles:
            stats.add(article)
            rows.append(row(article))
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return stats
