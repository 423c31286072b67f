"""The audit trail's records: django-simple-history's, with each history manager class built once.

simple-history builds a new manager class (``from_queryset``) every time a model's ``history`` is read,
and it reads it on every save to find the historical model: about 0.2 ms of a span write."""

import functools
from typing import Any

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
