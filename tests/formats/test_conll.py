"""CoNLL BIO: tokens that slice the text, one tag per token, and a stated rule for overlapping spans."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.formats import conll
from annotator.formats.records import ExportArticle, ExportAssessment, ExportSpan
from tests.formats.samples import ARTICLE, TEXT, export_text


def _documents(output):
    """{header lines: [(token, start, end, tag)]} for each document of a CoNLL export."""
    documents = {}
    for block in output.split("# doc_id = ")[1:]:
        lines = block.splitlines()
        headers = tuple(["# doc_id = " + lines[0]] + [line for line in lines[1:] if line.startswith("#")])
        documents[headers] = [tuple(line.split("\t")) for line in lines[1:] if line and not line.startswith("#")]
    return documents


def _tokens(text):
    return [text[start:end] for start, end in conll.tokenize(text)]


def test_tokens_keep_combining_marks_emoji_sequences_and_flags_whole():
    assert _tokens("Peskov 🇷🇺 says e\u0301lite 👩🏽‍💻 units, 1️⃣ don’t.") == [
        "Peskov", "🇷🇺", "says", "e\u0301lite", "👩🏽‍💻", "units", ",", "1️⃣", "don’t", "."]


def test_tokens_keep_indic_vowel_signs_with_their_letters():
    assert _tokens("हिन्दी समाचार") == ["हिन्दी", "समाचार"]


def test_each_line_holds_a_token_its_offsets_and_a_tag_per_analyst_document():
    documents = _documents(export_text("conll")[0])

    ana = documents[("# doc_id = a-1", "# analyst = ana")]
    bo = documents[("# doc_id = a-1", "# analyst = bo")]
    assert all(TEXT[int(start):int(end)] == token for doc in (ana, bo) for token, start, end, _ in doc)
    assert [(t, tag) for t, _, _, tag in ana[:2]] == [("Peskov", "B-denial"), ("🇷🇺", "O")]
    assert [(t, tag) for t, _, _, tag in bo if tag != "O"] == [
        ("e\u0301lite", "B-claim"), ("units", "I-claim"), ("👩🏽‍💻", "I-claim"),
        ("Zelenskyy’s", "B-expert_opinion"), ("café", "I-expert_opinion")]


def test_a_blank_line_ends_each_line_of_the_text_and_each_document():
    output, _ = export_text("conll", [ExportArticle("d", "t", "One line.\n\nTwo.")])

    assert output == "# doc_id = d\nOne\t0\t3\tO\nline\t4\t8\tO\n.\t8\t9\tO\n\nTwo\t11\t14\tO\n.\t14\t15\tO\n\n"


def test_an_analyst_who_marked_nothing_still_has_a_document():
    article = ExportArticle("d", "t", "Nothing here.", assessments=(ExportAssessment(3, "", "cy"),))

    documents = _documents(export_text("conll", [article])[0])

    assert list(documents) == [("# doc_id = d", "# analyst = cy")]
    assert {tag for *_, tag in documents[("# doc_id = d", "# analyst = cy")]} == {"O"}


def test_a_line_break_in_an_id_cannot_start_a_fake_line():
    output, _ = export_text("conll", [ExportArticle("evil\nPeskov\t0\t6\tB-claim", "t", "Hi.")])

    assert output.splitlines()[0] == "# doc_id = evil Peskov\t0\t6\tB-claim"
    assert len(output.splitlines()) == 4  # comment, "Hi", ".", blank


def test_a_token_partly_inside_a_span_takes_its_tag():
    text = "Kremlin-backed media"

    tags, dropped = conll.bio_tags(text, [ExportSpan(0, 7, "Kremlin", "claim")])

    assert (_tokens(text), tags, dropped) == (["Kremlin-backed", "media"], ["B-claim", "O"], 0)


def test_of_overlapping_spans_the_earliest_then_longest_is_kept_and_the_rest_counted():
    text = "Peskov said the troops left Kursk."
    spans = [ExportSpan(0, 6, "Peskov", "denial"),                # starts first, 1 token
             ExportSpan(0, 11, "Peskov said", "claim"),           # starts first, 2 tokens: kept
             ExportSpan(7, 22, "said the troops", "denial"),      # overlaps the kept one: dropped
             ExportSpan(16, 33, "troops left Kursk", "claim")]    # after it: kept

    tags, dropped = conll.bio_tags(text, spans)

    assert tags == ["B-claim", "I-claim", "O", "B-claim", "I-claim", "I-claim", "O"]
    assert dropped == 2


def test_two_spans_sharing_only_a_partial_token_cannot_both_be_kept():
    text = "Kremlin-backed"
    spans = [ExportSpan(0, 7, "Kremlin", "claim"), ExportSpan(8, 14, "backed", "denial")]

    tags, dropped = conll.bio_tags(text, spans)

    assert (tags, dropped) == (["B-claim"], 1)


def test_a_span_of_white_space_only_is_dropped_and_counted():
    output, stats = export_text("conll", [ExportArticle("d", "t", "a   b", spans=(ExportSpan(1, 4, "   ", "claim"),))])

    assert stats.dropped == 1 and "B-claim" not in output


def test_dropped_spans_are_counted_in_the_export_stats():
    first, second = ExportSpan(0, 6, "Peskov", "claim"), ExportSpan(0, 6, "Peskov", "denial")

    _, stats = export_text("conll", [ExportArticle("d", "t", "Peskov said.", spans=(first, second))])

    assert stats.dropped == 1


@given(st.data())
def test_bio_tags_reconstruct_the_token_extents_of_non_overlapping_spans(data):
    words = data.draw(st.lists(st.sampled_from(["Peskov", "said", "🇷🇺", "e\u0301lite", ",", "café"]),
                               min_size=1, max_size=12))
    text = " ".join(words)
    tokens = conll.tokenize(text)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(tokens)), min_size=2, max_size=8)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    labels = data.draw(st.lists(st.sampled_from(["claim", "denial"]), min_size=len(pairs), max_size=len(pairs)))
    spans = [ExportSpan(tokens[a][0], tokens[b - 1][1], text[tokens[a][0]:tokens[b - 1][1]], label)
             for (a, b), label in zip(pairs, labels, strict=True)]

    tags, dropped = conll.bio_tags(text, spans)

    rebuilt = []
    for index, tag in enumerate(tags):
        if tag.startswith("B-"):
            rebuilt.append([index, index + 1, tag[2:]])
        elif tag.startswith("I-"):
            assert rebuilt and rebuilt[-1][1] == index and rebuilt[-1][2] == tag[2:]
            rebuilt[-1][1] = index + 1
    assert dropped == 0
    assert rebuilt == [[a, b, label] for (a, b), label in zip(pairs, labels, strict=True)]


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_tokens_are_ordered_non_empty_slices_without_white_space(text):
    tokens = conll.tokenize(text)

    assert all(start < end for start, end in tokens)
    assert all(first[1] <= second[0] for first, second in zip(tokens, tokens[1:], strict=False))
    assert not any(ch.isspace() for start, end in tokens for ch in text[start:end])
    assert "".join(text[start:end] for start, end in tokens) == "".join(ch for ch in text if not ch.isspace())


def test_spans_of_different_analysts_never_drop_each_other():
    _, stats = export_text("conll", [ARTICLE])

    assert stats.dropped == 0
