"""spaCy DocBin (.spacy), an optional extra (``pip install 'credence[spacy]'``): one Doc per article, one
per analyst in the analyst layer (as CoNLL writes documents).

Every span goes into ``doc.spans["sc"]`` (a SpanGroup, so overlaps survive) with the label as span label
and the source as ``kb_id_``; the group's ``attrs`` hold ``credibility`` and ``note`` lists in the order of
its spans. Boundaries widen to whole spaCy tokens (``alignment_mode="expand"``). ``doc.ents`` holds the
spans that do not overlap, chosen as in CoNLL (earliest first token, then longest); a span that covers
no token but white space is left out and counted in ``ExportStats.dropped``. ``doc.user_data`` holds
id, title, analyst and the article's assessments.

A DocBin is one serialised blob, so the file is written once every Doc is built: memory grows with the
export, unlike the text formats.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, BinaryIO

from annotator.formats.records import ExportArticle, ExportStats, analyst_layers

if TYPE_CHECKING:
    from spacy.tokens import Span


class SpacyMissing(RuntimeError):
    """spaCy is not installed; the message says how to install it."""


def write_docbin(articles: Iterable[ExportArticle], stream: BinaryIO, stats: ExportStats | None = None, *,
                 language: str = "xx") -> ExportStats:
    """Write the articles as a DocBin to ``stream``; ``language`` picks spaCy's blank tokenizer."""
    try:
        import spacy
        from spacy.tokens import DocBin, SpanGroup
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise SpacyMissing("the spaCy export needs spaCy: pip install 'credence[spacy]'") from error
    stats = ExportStats() if stats is None else stats
    nlp = spacy.blank(language)
    docs = DocBin(store_user_data=True)
    for article in articles:
        stats.add(article)
        for analyst, spans in analyst_layers(article):
            doc = nlp.make_doc(article.text)
            kept = []
            for span in spans:
                aligned = doc.char_span(span.start, span.end, label=span.label, kb_id=span.source or "",
                                        alignment_mode="expand")
                if aligned is None or aligned.text.isspace():  # spaCy keeps runs of spaces as tokens
                    stats.dropped += 1
                else:
                    kept.append((aligned, span))
            doc.spans["sc"] = SpanGroup(doc, name="sc", spans=[aligned for aligned, _ in kept],
                                        attrs={"credibility": [span.credibility for _, span in kept],
                                               "note": [span.note for _, span in kept]})
            doc.ents = _non_overlapping([aligned for aligned, _ in kept])
            doc.user_data.update(id=article.external_id, title=article.title, analyst=analyst,
                                 assessments=[{"analyst": a.analyst, "credibility": a.credibility,
                                               "comment": a.comment}
                                              for a in article.assessments if a.analyst == analyst])
            docs.add(doc)
    stream.write(docs.to_bytes())
    return stats


def _non_overlapping(spans: Sequence["Span"]) -> list["Span"]:
    """Earliest first token, then the most tokens, then the label's name; a span sharing a token with one
    already chosen is left out (the same rule as CoNLL's)."""
    chosen = []
    taken = -1
    for span in sorted(spans, key=lambda s: (s.start, s.start - s.end, s.label_)):
        if span.start > taken:
            chosen.append(span)
            taken = span.end - 1
    return chosen
