"""spaCy DocBin: every span in a SpanGroup with its characters, non-overlapping ones as entities."""

import io

import pytest

from annotator.formats.exporters import FORMATS, write_export
from annotator.formats.records import ExportArticle, ExportSpan
from tests.formats.samples import ARTICLE, GOLD

spacy = pytest.importorskip("spacy")


def _docs(articles):
    from spacy.tokens import DocBin

    buffer = io.BytesIO()
    stats = write_export(FORMATS["spacy"], articles, buffer)
    return list(DocBin().from_bytes(buffer.getvalue()).get_docs(spacy.blank("xx").vocab)), stats


def test_one_doc_per_analyst_holds_every_span_with_the_same_characters():
    docs, _ = _docs([ARTICLE])

    assert [doc.user_data["analyst"] for doc in docs] == ["ana", "bo"]
    group = [span for doc in docs for span in doc.spans["sc"]]
    assert [(span.start_char, span.end_char, span.text, span.label_) for span in group] == [
        (s.start, s.end, s.quote, s.label) for s in ARTICLE.spans]


def test_sources_scores_and_notes_travel_with_the_span_group():
    docs, _ = _docs([ARTICLE])

    ana = docs[0].spans["sc"]
    assert [span.kb_id_ for span in ana] == ["Dmitry Peskov", ""]
    assert ana.attrs == {"credibility": [2, 1], "note": ["", '=HYPERLINK("http://evil")']}
    assert list(docs[0].user_data["assessments"]) == [  # msgpack reads lists back as tuples
        {"analyst": "ana", "credibility": 3, "comment": "ok"}]


def test_overlapping_spans_all_stay_in_the_group_and_the_earliest_longest_become_entities():
    text = "Peskov said the troops left."
    article = ExportArticle("o", "t", text, spans=(ExportSpan(0, 6, "Peskov", "denial"),
                                                   ExportSpan(0, 11, "Peskov said", "claim"),
                                                   ExportSpan(7, 22, "said the troops", "denial")))

    [doc], stats = _docs([article])

    assert len(doc.spans["sc"]) == 3
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("Peskov said", "claim")]
    assert stats.dropped == 0  # the group holds them all


def test_boundaries_inside_a_token_widen_to_the_whole_token():
    [doc], _ = _docs([ExportArticle("w", "t", "Kremlin-backed media", spans=(ExportSpan(0, 3, "Kre", "claim"),))])

    assert doc.spans["sc"][0].text in {"Kremlin", "Kremlin-backed"}


def test_a_span_of_white_space_only_is_dropped_and_counted():
    [doc], stats = _docs([ExportArticle("w", "t", "a   b", spans=(ExportSpan(1, 4, "   ", "claim"),))])

    assert len(doc.spans["sc"]) == 0 and stats.dropped == 1


def test_gold_layer_is_one_doc_without_analyst():
    docs, _ = _docs([GOLD])

    assert [(doc.user_data["id"], doc.user_data["analyst"], len(doc.spans["sc"])) for doc in docs] == [("a-2", None, 2)]
