"""The plain records: spans with their overlap rule, and figures that say why they are undefined."""

import pytest

from annotator.agreement.records import AnnotatedSpan, ConfidenceInterval, Estimate


def test_spans_that_only_touch_do_not_overlap():
    first, second = AnnotatedSpan("a", 0, 5, "claim"), AnnotatedSpan("b", 5, 9, "claim")

    assert not first.overlaps(second)
    assert first.overlap(second) == 0


def test_spans_sharing_one_character_overlap():
    first, second = AnnotatedSpan("a", 0, 6, "claim"), AnnotatedSpan("b", 5, 9, "claim")

    assert first.overlaps(second) and second.overlaps(first)
    assert first.overlap(second) == 1  # character 5


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3)])
def test_empty_or_negative_spans_are_refused(start, end):
    with pytest.raises(ValueError, match="0 <= start < end"):
        AnnotatedSpan("a", start, end, "claim")


def test_an_undefined_estimate_carries_its_reason_and_no_value():
    estimate = Estimate.undefined("no variation")

    assert (estimate.value, estimate.reason, estimate.is_defined) == (None, "no variation", False)
    assert estimate.to_dict() == {"value": None, "reason": "no variation"}


def test_an_undefined_interval_has_neither_bound():
    interval = ConfidenceInterval.undefined("alpha is undefined", 0.95)

    assert not interval.is_defined
    assert interval.to_dict() == {"low": None, "high": None, "confidence": 0.95, "reason": "alpha is undefined"}
