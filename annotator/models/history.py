"""The change history of the tables written a million rows at a time (spans, gold spans)."""

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class SpanHistory(HistoricalRecords):
    """django-simple-history's records, whose ``history_user`` keeps the id of the user who made the change.

    The column is a foreign key for the ORM (``select_related``, the admin's history pages) without a
    database constraint or an index: a bulk import writes one history row per span, and PostgreSQL would
    otherwise check the user of each row at commit and keep one more index up. Nothing reads the history by
    user. Deleting the user leaves the rows as they are (not SET_NULL, which would need that index), so the
    audit trail still says who made each change; the ORM then reads the user as None.
    """

    def _get_history_user_fields(self) -> dict[str, Any]:
        return {"history_user": models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                                  related_name=self.user_related_name, on_delete=models.DO_NOTHING,
                                                  db_constraint=False, db_index=False)}
