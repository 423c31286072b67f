"""W3C Web Annotation JSON-LD: one Annotation per span with TextQuoteSelector and TextPositionSelector.

TextPositionSelector counts characters as Unicode code points, as the W3C model defines "character" and
as Credence does. The label is a "tagging" body; the source and the credibility score are extra bodies
with ``purpose`` "identifying" and "assessing" (TextualBody values), so readers that know only tags still
read the label.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from annotator.formats.records import ExportArticle, ExportSpan, ExportStats

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32


def annotation(article: ExportArticle, span: ExportSpan, number: int, *, base: str) -> dict[str, Any]:
    target_source = article.url or f"{base}articles/{article.external_id}"
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": span.label}]
    if span.source:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": span.source})
    if span.credibility is not None:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": str(span.credibility)})
    if span.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": span.note})
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{base}annotations/{article.external_id}/{number}",
        "type": "Annotation",
        "body": bodies,
        "target": {
            "source": target_source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": span.quote,
                 "prefix": article.text[max(0, span.start - CONTEXT_CHARS):span.start],
                 "suffix": article.text[span.end:span.end + CONTEXT_CHARS]},
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        },
    }
    if span.analyst:
        item["creator"] = {"type": "Person", "nickname": span.analyst}
    return item


def iter_webanno(articles: Iterable[ExportArticle], stats: ExportStats, *,
                 base: str = "urn:credence:") -> Iterator[str]:
    """An AnnotationCollection whose first page lists every annotation, one chunk per article."""
    yield (f'{{"@context": "{CONTEXT}", "type": "AnnotationCollection", "label": "Credence export", '
           '"first": {"type": "AnnotationPage", "items": [')
    first = True
    for article in articles:
        stats.add(article)
        items = [json.dumps(annotation(article, span, number, base=base), ensure_ascii=False)
                 for number, span in enumerate(article.spans, start=1)]
        if items:
            yield ("" if first else ",\n") + ",\n".join(items)
            first = False
    yield "]}}\n"
