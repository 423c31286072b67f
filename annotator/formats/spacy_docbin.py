"""spaCy DocBin (.spacy), an optional extra (`pip install credence[spacy]`): one Doc per article.

Spans go into ``doc.spans["sc"]`` (a SpanGroup, so overlaps survive) with the label as span label; the
non-overlapping ones also become ``doc.ents``. Boundaries snap outward to spaCy tokens ("expand").
"""

from collections.abc import Iterable
from typing import BinaryIO

from annotator.formats.conll import non_overlapping
from annotator.formats.records import ExportArticle, ExportStats


def write_docbin(articles: Iterable[ExportArticle], stream: BinaryIO, stats: ExportStats | None = None, *,
                 language: str = "xx") -> ExportStats:
    try:
        import spacy
        from spacy.tokens import DocBin
        from spacy.util import filter_spans
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("the spaCy export needs spaCy: pip install 'credence[spacy]'") from error
    stats = stats or ExportStats()
    nlp = spacy.blank(language)
    docs = DocBin(store_user_data=True)
    for article in articles:
        stats.add(article)
        doc = nlp.make_doc(article.text)
        group = [doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in article.spans]
        doc.spans["sc"] = [span for span in group if span is not None]
        kept, _ = non_overlapping(article.spans)
        entities = [doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in kept]
        doc.ents = filter_spans([span for span in entities if span is not None])
        doc.user_data["id"] = article.external_id
        doc.user_data["title"] = article.title
        docs.add(doc)
    stream.write(docs.to_bytes())
    return stats
