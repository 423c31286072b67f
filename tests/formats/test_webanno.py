"""W3C Web Annotation JSON-LD: selectors that find each span again, by quote and by code-point position."""

import json

from annotator.formats.records import ExportArticle, ExportSpan
from tests.formats.samples import ARTICLE, GOLD, TEXT, export_text


def _items(articles=(ARTICLE,)):
    collection = json.loads(export_text("webanno", articles)[0])
    return collection, collection["first"]["items"]


def _selectors(item):
    return {selector["type"]: selector for selector in item["target"]["selector"]}


def test_a_collection_holds_one_annotation_per_span_and_its_total():
    collection, items = _items([ARTICLE, GOLD])

    assert (collection["@context"], collection["type"]) == ("http://www.w3.org/ns/anno.jsonld", "AnnotationCollection")
    assert collection["first"]["type"] == "AnnotationPage" and collection["total"] == len(items) == 6
    assert all(item["@context"] == collection["@context"] and item["type"] == "Annotation" for item in items)
    assert len({item["id"] for item in items}) == 6


def test_positions_equal_python_slicing_on_emoji_and_combining_marks():
    _, items = _items()

    for item, span in zip(items, ARTICLE.spans, strict=True):
        position = _selectors(item)["TextPositionSelector"]
        assert (position["start"], position["end"]) == (span.start, span.end)
        assert TEXT[position["start"]:position["end"]] == span.quote


def test_a_quote_selector_finds_its_span_by_exact_text_and_context_alone():
    _, items = _items()

    for item, span in zip(items, ARTICLE.spans, strict=True):
        quote = _selectors(item)["TextQuoteSelector"]
        found = TEXT.find(quote["prefix"] + quote["exact"] + quote["suffix"])
        assert TEXT.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
        assert found + len(quote["prefix"]) == span.start and quote["exact"] == span.quote
        assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32


def test_label_source_score_and_note_are_bodies_told_apart_by_purpose():
    _, items = _items()

    bodies = {body["purpose"]: body["value"] for body in items[1]["body"]}
    assert bodies == {"tagging": "denial", "assessing": "1", "commenting": '=HYPERLINK("http://evil")'}
    assert {body["purpose"]: body["value"] for body in items[0]["body"]} == {
        "tagging": "denial", "identifying": "Dmitry Peskov", "assessing": "2"}
    assert all(body["type"] == "TextualBody" for item in items for body in item["body"])


def test_the_analyst_is_the_creator_and_the_article_url_the_target():
    _, items = _items()

    assert items[0]["creator"] == {"type": "Person", "nickname": "ana"}
    assert items[0]["target"]["source"] == "https://example.org/a"


def test_an_article_without_url_is_named_by_an_escaped_urn():
    article = ExportArticle("id with/slash", "t", "Peskov said.", spans=(ExportSpan(0, 6, "Peskov", "claim"),))

    _, [item] = _items([article])

    assert item["target"]["source"] == "urn:credence:article:id%20with%2Fslash"
    assert "creator" not in item


def test_an_export_without_spans_is_an_empty_collection():
    collection, items = _items([ExportArticle("a", "t", "text")])

    assert items == [] and collection["total"] == 0
