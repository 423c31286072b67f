"""The audit trail's manager: built once per model, and still every record of the object it is read from."""

import pytest

from tests.factories import SpanFactory

pytestmark = pytest.mark.django_db


def test_history_reads_the_records_of_its_own_object_with_one_manager_class():
    first, second = SpanFactory(start=0, end=6), SpanFactory(start=7, end=14)
    first.credibility = 4
    first.save()

    assert type(first.history) is type(second.history)
    assert [record.history_type for record in first.history.order_by("history_id")] == ["+", "~"]
    assert [record.credibility for record in first.history.order_by("history_id")] == [None, 4]
    assert second.history.count() == 1
    assert first.history.most_recent().credibility == 4
