"""W3C Web Annotation JSON-LD: an AnnotationCollection whose page holds one Annotation per span.

The target's source is the article's URL, or ``urn:credence:article:<id>`` when it has none; its selectors
are a TextQuoteSelector (exact, with up to 32 characters of prefix and suffix) and a TextPositionSelector.
Positions count Unicode code points, as the Web Annotation Data Model defines them (section 4.2.5: "in
terms of unicode code points ... not in terms of code units") and as Credence does, so
``text[start:end] == exact`` in Python; a JavaScript client converts from UTF-16 units.

Bodies, all TextualBody, told apart by ``purpose`` (no vocabulary beyond anno.jsonld is needed):
``tagging`` the label, ``identifying`` the source the quote is attributed to, ``assessing`` the credibility
score (as text, e.g. "4"), ``commenting`` the analyst's note. The analyst is the ``creator`` (a Person
with that ``nickname``). ``total`` follows the items, once they are counted.
"""

from collections.abc import Iterable, Iterator
from json import JSONEncoder
from urllib.parse import quote as percent_encode

from annotator.formats.records import ExportArticle, ExportSpan, ExportStats

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32
BASE = "urn:credence:"

_ENCODER = JSONEncoder(ensure_ascii=False)  # built once: json.dumps with options builds one per call


def article_iri(article: ExportArticle, base: str = BASE) -> str:
    return article.url or f"{base}article:{percent_encode(article.external_id, safe='')}"


def annotation(article: ExportArticle, span: ExportSpan, number: int, *,
               base: str = BASE) -> dict[str, object]:
    """The Annotation of one span (``number`` counts the article's spans from 1)."""
    bodies: list[dict[str, str]] = [{"type": "TextualBody", "purpose": "tagging", "value": span.label}]
    if span.source:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": span.source})
    if span.credibility is not None:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": str(span.credibility)})
    if span.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": span.note})
    item: dict[str, object] = {
        "@context": CONTEXT,
        "id": f"{base}annotation:{percent_encode(article.external_id, safe='')}:{number}",
        "type": "Annotation",
        "body": bodies,
        "target": {
            "source": article_iri(article, base),
            "selector": [
                {"type": "TextQuoteSelector", "exact": span.quote,
                 "prefix": article.text[max(0, span.start - CONTEXT_CHARS):span.start],
                 "suffix": article.text[span.end:span.end + CONTEXT_CHARS]},
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        },
    }
    if span.analyst is not None:
        item["creator"] = {"type": "Person", "nickname": span.analyst}
    return item


def iter_webanno(articles: Iterable[ExportArticle], stats: ExportStats, *, base: str = BASE) -> Iterator[str]:
    """The collection's opening, then each article's annotations as one chunk, then ``total``."""
    yield (f'{{"@context": "{CONTEXT}", "type": "AnnotationCollection", "label": "Credence export", '
           '"first": {"type": "AnnotationPage", "startIndex": 0, "items": [')
    total = 0
    for article in articles:
        stats.add(article)
        items = [_ENCODER.encode(annotation(article, span, number, base=base))
                 for number, span in enumerate(article.spans, start=1)]
        if items:
            yield ("\n" if total == 0 else ",\n") + ",\n".join(items)
            total += len(items)
    yield f'\n]}}, "total": {total}}}\n'
