"""Hugging Face `datasets`-ready files: JSONL rows with declared features, or Parquet (needs pyarrow).

Each row is an article: id, title, text, outlet, url, published, its spans as a list of {start, end, quote,
label, source, credibility, note, analyst, support} and its assessments as a list of {analyst, credibility,
comment}. A missing value is null (an unscored span, a span without source, the analyst of a gold span).
``FEATURES`` is the `datasets.Features` declaration as JSON: ``datasets.Features.from_dict(FEATURES)``.
Offsets are code points, as Python slices ``text[start:end]``.
"""

from collections.abc import Iterable, Iterator, Mapping
from json import JSONEncoder
from types import ModuleType
from typing import BinaryIO

from annotator.formats.records import ExportArticle, ExportStats


def _value(dtype: str) -> dict[str, str]:
    return {"dtype": dtype, "_type": "Value"}


# A JSON list around one struct declares a list of records (not a struct of lists).
FEATURES: dict[str, object] = {
    "id": _value("string"),
    "title": _value("string"),
    "text": _value("string"),
    "outlet": _value("string"),
    "url": _value("string"),
    "published": _value("string"),
    "spans": [{
        "start": _value("int32"),
        "end": _value("int32"),
        "quote": _value("string"),
        "label": _value("string"),
        "source": _value("string"),
        "credibility": _value("int32"),
        "note": _value("string"),
        "analyst": _value("string"),
        "support": _value("int32"),
    }],
    "assessments": [{
        "analyst": _value("string"),
        "credibility": _value("int32"),
        "comment": _value("string"),
    }],
}

_ENCODER = JSONEncoder(ensure_ascii=False)


def row(article: ExportArticle) -> dict[str, object]:
    """The article as one row of ``FEATURES`` (every key present, in the declared order)."""
    return {
        "id": article.external_id, "title": article.title, "text": article.text, "outlet": article.outlet,
        "url": article.url, "published": article.published,
        "spans": [{"start": s.start, "end": s.end, "quote": s.quote, "label": s.label, "source": s.source,
                   "credibility": s.credibility, "note": s.note, "analyst": s.analyst, "support": s.support}
                  for s in article.spans],
        "assessments": [{"analyst": a.analyst, "credibility": a.credibility, "comment": a.comment}
                        for a in article.assessments],
    }


def iter_hf_jsonl(articles: Iterable[ExportArticle], stats: ExportStats) -> Iterator[str]:
    """One JSON line per article, as it arrives."""
    encode = _ENCODER.encode
    for article in articles:
        stats.add(article)
        yield encode(row(article)) + "\n"


def write_parquet(articles: Iterable[ExportArticle], stream: BinaryIO, stats: ExportStats | None = None, *,
                  batch: int = 500) -> ExportStats:
    """Parquet with the ``FEATURES`` columns, one row group per ``batch`` articles written as soon as it is
    full (memory holds one batch). Needs pyarrow (``pip install pyarrow``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("the Parquet export needs pyarrow: pip install pyarrow") from error
    stats = ExportStats() if stats is None else stats
    schema = pa.schema([(name, _arrow_type(pa, feature)) for name, feature in FEATURES.items()])
    with pq.ParquetWriter(stream, schema) as writer:
        rows: list[dict[str, object]] = []
        for article in articles:
            stats.add(article)
            rows.append(row(article))
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return stats


def _arrow_type(pa: ModuleType, feature: object) -> object:
    """The Arrow type of one ``FEATURES`` entry, so the Parquet columns match the declared features."""
    if isinstance(feature, list):
        return pa.list_(_arrow_type(pa, feature[0]))
    if isinstance(feature, Mapping) and feature.get("_type") == "Value":
        return {"string": pa.string(), "int32": pa.int32()}[str(feature["dtype"])]
    if isinstance(feature, Mapping):
        return pa.struct([(name, _arrow_type(pa, inner)) for name, inner in feature.items()])
    raise TypeError(f"unsupported feature {feature!r}")
