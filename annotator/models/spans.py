"""Spans: an analyst's labelled, attributed and scored stretch of an article's text."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from annotator.models.assignments import Assignment
from annotator.models.history import SpanHistory
from annotator.models.projects import Label
from annotator.models.sources import Source


class Span(models.Model):
    """``text[start:end]`` of the assignment's article; offsets are code points, end exclusive."""

    # No index of its own: span_unique_offsets_label starts with it (one index less to keep up per insert).
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="spans", db_index=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(help_text="The text between start and end, checked on every write.")
    # No index: nothing reads spans by label alone (a label is one of a project's few, so its spans are a third
    # of them); deleting a label, rare, reads the table through to find whether a span still uses it.
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="spans", db_index=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="spans")
    credibility = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every update (optimistic locking).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The audit trail is read by object and by assignment, never by label or source: no index on those.
    history = SpanHistory(no_db_index=["label", "source"])

    class Meta:
        ordering = ["assignment", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="span_start_before_end"),
            # Database-side guard that the quote is exactly as long as the offsets say.
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="span_quote_length_matches_offsets"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="span_version_positive"),
            models.UniqueConstraint(
                fields=["assignment", "start", "end", "label"], name="span_unique_offsets_label"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} [{self.start}, {self.end})"
