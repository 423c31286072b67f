"""The consensus of a unit and the majority layer of an article."""

from annotator.agreement.consensus import consensus, majority_layer, median_score, most_common
from annotator.agreement.records import AnnotatedSpan as S


def test_most_common_breaks_ties_by_first_seen():
    assert most_common(["denial", "claim", "claim", "denial"]) == "denial"


def test_median_score_rounds_half_up_and_is_none_without_scores():
    assert (median_score([2, 3]), median_score([1, 2, 5]), median_score([])) == (3, 2, None)


def test_consensus_takes_the_majority_label_and_the_extent_most_chose_among_its_spans():
    spans = [S("a", 0, 10, "claim", "NIS", 2), S("b", 0, 10, "claim", "NIS", 4), S("c", 0, 12, "claim", None, 5),
             S("d", 1, 9, "denial", "HUR", 1)]

    agreed = consensus(spans)

    # claim 3 of 4; extent (0, 10) chosen twice; source NIS (twice); median of 2, 4, 5 = 4
    assert (agreed.start, agreed.end, agreed.label, agreed.source, agreed.credibility, agreed.support) == (
        0, 10, "claim", "NIS", 4, 3)


def test_majority_layer_keeps_units_enough_analysts_agree_on():
    spans = [S("a", 0, 10, "claim"), S("b", 1, 10, "claim"), S("c", 0, 10, "denial"),  # claim by 2 of 3
             S("a", 20, 30, "denial"), S("b", 21, 30, "claim")]                         # no label twice

    assert [(c.start, c.end, c.label, c.support) for c in majority_layer(spans, min_agreeing=2)] == [
        (0, 10, "claim", 2)]
    assert len(majority_layer(spans, min_agreeing=1)) == 2
