"""Source suggestions from the words around a passage."""

from annotator.attribution import Candidate, suggest_sources

REGISTRY = [
    Candidate(1, "Kyrylo Budanov", ["Budanov", "the head of Ukrainian intelligence"]),
    Candidate(2, "Dmitry Peskov", ["Dmitri Peskov", "Kremlin spokesperson"]),
    Candidate(3, "Volodymyr Zelensky", ["Zelensky", "Zelenskyy"]),
    Candidate(4, "National Intelligence Service (South Korea)", ["South Korea's spy agency", "NIS"]),
]


def _suggest(text, passage):
    start = text.index(passage)
    return suggest_sources(text, start, start + len(passage), REGISTRY)


def test_speaker_named_before_said_is_the_first_suggestion():
    text = ("Kyrylo Budanov, the head of Ukrainian intelligence, has said that more than 10,000 North Korean "
            "troops will fight. Zelensky said this means North Korea has joined the war.")

    suggestions = _suggest(text, "more than 10,000 North Korean troops will fight")

    assert suggestions[0].source_id == 1
    assert suggestions[0].mention in {"Kyrylo Budanov", "the head of Ukrainian intelligence"}


def test_speaker_named_after_the_quote_is_found_through_the_cue():
    text = "10,000 soldiers, six dead. “ Fake news “, replies Kremlin spokesperson Dmitri Peskov while others stay silent."

    suggestions = _suggest(text, "Fake news")

    assert suggestions[0].source_id == 2


def test_the_nearer_speaker_in_the_same_sentence_beats_one_in_the_previous_sentence():
    text = ("Zelensky said North Korea sends workers. South Korea's spy agency reports that North Korea is "
            "sending 12,000 men from four brigades.")

    suggestions = _suggest(text, "North Korea is sending 12,000 men from four brigades")

    assert [s.source_id for s in suggestions][:2] == [4, 3]


def test_alias_match_ignores_case_but_needs_whole_words():
    text = "The NISSAN plant said nothing. according to the nis, troops moved."

    suggestions = _suggest(text, "troops moved")

    assert [s.source_id for s in suggestions] == [4]
    assert suggestions[0].mention == "nis"


def test_no_suggestion_when_no_known_source_is_near():
    assert _suggest("Troops moved north, residents said.", "Troops moved north") == []
