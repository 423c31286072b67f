"""The gold layer: reviewers' adjudicated spans and article-level verdicts, with their provenance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from annotator.models.articles import Article
from annotator.models.history import HistoricalRecords, SpanHistory
from annotator.models.projects import Label
from annotator.models.sources import Source
from annotator.models.spans import Span


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    ADJUDICATED = "adjudicated", "Adjudicated"


class GoldSpan(models.Model):
    """An adjudicated span of an article: ``text[start:end]``, code points, end exclusive."""

    # No index of its own: goldspan_unique_offsets_label starts with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="gold_spans", db_index=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="gold_spans")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="gold_spans")
    credibility = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    supporting_spans = models.ManyToManyField(Span, blank=True, related_name="gold_spans",
                                              help_text="The analysts' spans this decision rests on.")
    supporters = models.JSONField(default=list, blank=True,
                                  help_text="Usernames of the analysts whose spans support it, kept as decided.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gold_decisions")
    decided_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # The audit trail is read by object and by article, never by label or source: no index on those.
    history = SpanHistory(m2m_fields=[supporting_spans], no_db_index=["label", "source"])

    class Meta:
        ordering = ["article", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="goldspan_start_before_end"),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="goldspan_quote_length_matches_offsets"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="goldspan_version_positive"),
            models.UniqueConstraint(fields=["article", "start", "end", "label"], name="goldspan_unique_offsets_label"),
        ]

    def __str__(self) -> str:
        return f"gold {self.label} [{self.start}, {self.end})"


class ArticleReview(models.Model):
    """The reviewer's verdict on an article: gold credibility score, comment and adjudication status."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    credibility = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="article_reviews")
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="articlereview_status_known"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.ADJUDICATED) | Q(adjudicated_at__isnull=False),
                name="articlereview_adjudicated_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="articlereview_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.article}"

    @property
    def is_adjudicated(self) -> bool:
        return self.status == ReviewStatus.ADJUDICATED
