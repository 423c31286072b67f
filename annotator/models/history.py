"""The audit trail's records: django-simple-history's, with each history manager class built once, and for
the tables written a million rows at a time (spans, gold spans) a user column without a constraint.

simple-history builds a new manager class (``from_queryset``) every time a model's ``history`` is read,
and it reads it on every save to find the historical model: about 0.2 ms of a span write."""

import functools
from typing import Any

from django.conf import settings
from django.db import models
from simple_history import models as simple_history
from simple_history.manager import HistoryManager


class AuditHistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> type:
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(simple_history.HistoricalRecords):
    def __init__(self, *args: Any, history_manager: type = AuditHistoryManager, **kwargs: Any) -> None:
        super().__init__(*args, history_manager=history_manager, **kwargs)


class SpanHistory(HistoricalRecords):
    """The records of spans and gold spans, whose ``history_user`` keeps the id of the user who made the change.

    The column is a foreign key for the ORM (``select_related``, the admin's history pages) without a
    database constraint or an index: a bulk import writes one history row per span, and PostgreSQL would
    otherwise check the user of each row at commit and keep one more index up. Nothing reads the history by
    user. Deleting the user leaves the rows as they are (not SET_NULL, which would need that index), so the
    audit trail still says who made each change; the ORM then reads the user as None.

    Nor is ``history_date`` indexed: the trail is read by span (its id) or by article (its assignments), and
    sorted by date after. An index on the date alone would cost an entry per row written, and could lead the
    planner to walk the whole table's dates, newest first, looking for one article's changes.
    """

    @property
    def _date_indexing(self) -> bool:
        return False

    def _get_history_user_fields(self) -> dict[str, Any]:
        return {"history_user": models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                                  related_name=self.user_related_name, on_delete=models.DO_NOTHING,
                                                  db_constraint=False, db_index=False)}
